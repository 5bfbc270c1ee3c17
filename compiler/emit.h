/* emit.h: turns a checked program into a rule table (.irt, table_format.h). */
#ifndef INCENT_EMIT_H
#define INCENT_EMIT_H

#include <stddef.h>

#include "compiler/program.h"

/* Builds the table in a malloc'd buffer owned by the caller.  Returns false
 * (after reporting through p->diag when the program is too large for the
 * format) or on memory exhaustion. */
bool emit_table(c_program *p, unsigned char **out, size_t *len);

#endif
