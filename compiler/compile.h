/* compile.h: the compiler's entry points: parse, check and build a program.
 *
 * Ownership: a compile_unit borrows the file name and the source text (which
 * must outlive it) and owns its diagnostics, tree and checked program;
 * compile_unit_free releases them. */
#ifndef INCENT_COMPILE_H
#define INCENT_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/diag.h"
#include "compiler/emit.h"
#include "compiler/program.h"

typedef struct compile_unit {
  diag_sink diag;
  ast *tree;
  c_program prog;
  unsigned char *table; /* built by compile_check, until compile_emit takes it */
  size_t table_len;
  bool oom; /* an allocation failed: the diagnostics are not to be trusted */
} compile_unit;

/* Parses and checks, and builds the rule table, so that a program beyond a
 * limit of the table format is an error of `check` as of `build`; true when
 * there are no errors (warnings allowed).  A UTF-8 byte order mark before
 * the program is skipped: lines and columns count from after it.  When
 * memory ran out anywhere on the way, false with oom set: the diagnostics
 * (a missing declaration, a name never defined) may only echo what was lost,
 * so callers say "out of memory" instead of showing them. */
bool compile_check(compile_unit *u, const char *file, const char *src, size_t len);
/* After a successful compile_check: the rule table, malloc'd, owned by the
 * caller; false when the program has errors or (oom set) memory ran out. */
bool compile_emit(compile_unit *u, unsigned char **table, size_t *len);
/* After a successful compile_check: the rule table built for coverage (every
 * operand of every condition reports its value, emit_table_probed), with its
 * operands; both malloc'd and owned by the caller. */
bool compile_emit_probed(compile_unit *u, unsigned char **table, size_t *len, emit_probe **probes, uint32_t *nprobes);
void compile_unit_free(compile_unit *u);

#endif
