/* parse.h: the parse driver's interface: source text in, raw syntax tree out. */
#ifndef INCENT_PARSE_H
#define INCENT_PARSE_H

#include <stddef.h>

#include "compiler/ast.h"

struct diag_sink;

#define GRAMMAR_MAX_OPEN 64

typedef struct parse_ctx {
  struct diag_sink *diag;
  struct ast *root; /* LIST of declarations; owned by the caller after parse */
  /* the '{' not closed yet, innermost last (the scanner keeps them), so that
   * a block left open is reported where it opens */
  src_loc open[GRAMMAR_MAX_OPEN];
  int nopen;        /* may exceed GRAMMAR_MAX_OPEN: those deeper are not kept */
} parse_ctx;

/* Parses len bytes of src (not necessarily NUL-terminated), reporting into
 * diag.  Returns the declarations (possibly partial when there were errors),
 * or NULL when the source could not be scanned at all.  The caller frees the
 * result with ast_free.  Reentrant: no global state. */
struct ast *grammar_parse(const char *src, size_t len, struct diag_sink *diag);

/* Limits on single tokens, reported as errors beyond. */
#define GRAMMAR_MAX_STRING 65536
#define GRAMMAR_MAX_NAME 200

#endif
