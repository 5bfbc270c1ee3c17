/* emit.h: turns a checked program into a rule table (.irt, table_format.h). */
#ifndef INCENT_EMIT_H
#define INCENT_EMIT_H

#include <stddef.h>

#include "compiler/program.h"

/* Builds the table in a malloc'd buffer owned by the caller.  Returns false
 * (after reporting through p->diag when the program is too large for the
 * format) or on memory exhaustion. */
bool emit_table(c_program *p, unsigned char **out, size_t *len);

/* An operand of a rule's condition, as incent test --coverage counts it. */
typedef struct emit_probe {
  uint32_t rule;
  const ast *node;
} emit_probe;

/* emit_table, for coverage: each operand of each rule's `when` (what its
 * and, or and not join) reports its value with RT_OP_PROBE k, described by
 * (*probes)[k] (malloc'd, owned by the caller; at most 65,536). */
bool emit_table_probed(c_program *p, unsigned char **out, size_t *len, emit_probe **probes, uint32_t *nprobes);

#endif
