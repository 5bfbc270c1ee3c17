/* coverage.h: what a program's tests exercised (`incent test --coverage`):
 * the rules each test applied, each operand of each condition seen true and
 * false, the messages sent; as text, JSON or an LCOV tracefile. */
#ifndef INCENT_COVERAGE_H
#define INCENT_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/compile.h"
#include "incent.h"

typedef struct coverage {
  const char *file;          /* the program, as given */
  const char *src;           /* its source, for the operands' text */
  size_t len;
  const c_program *p;
  emit_probe *probes;        /* the operands, by number (compile_emit_probed) */
  uint32_t nprobes;
  long *applied;             /* per rule: the entries it made */
  long (*seen)[2];           /* per operand: times false, times true */
  long *sent;                /* per message: times it was queued */
} coverage;

/* Sets up the counts for the checked program of u, whose probed table the
 * tests run; false out of memory. */
bool coverage_init(coverage *c, const char *file, const char *src, size_t len, const compile_unit *u,
                   emit_probe *probes, uint32_t nprobes);
void coverage_free(coverage *c);
/* Hands the operands' reports of engine e to c. */
void coverage_attach(coverage *c, incent_engine *e);
/* Counts an entry and a tier rise as the tests' engines report them. */
void coverage_entry(coverage *c, const incent_entry *en);
void coverage_tier(coverage *c, const char *message);

/* The report: text (what was not exercised, in the tool's language), a JSON
 * object, or an LCOV record (rules as functions and lines, operands as
 * branches, messages as lines). */
void coverage_text(const coverage *c, FILE *out);
void coverage_json(const coverage *c, FILE *out);
void coverage_lcov(const coverage *c, FILE *out);

#endif
