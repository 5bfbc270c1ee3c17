/* diag.h: the one diagnostics module: collects located messages and renders
 * them as text (with the source line and a caret), JSON or SARIF.
 *
 * Ownership: a diag_sink owns its diagnostics and their texts; it borrows the
 * file name and the source buffer, which must outlive it. */
#ifndef INCENT_DIAG_H
#define INCENT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "compiler/ast.h"
#include "compiler/diag_codes.h"

typedef enum diag_code {
#define X(id, code, desc) D_##id,
  DIAG_CODE_LIST(X)
#undef X
  D_COUNT
} diag_code;

typedef enum diag_severity { SEV_ERROR, SEV_WARNING } diag_severity;

typedef struct diag {
  src_loc loc;
  diag_severity severity;
  diag_code code;
  char *message;
  size_t seq; /* order of report, to keep sorting stable */
} diag;

/* At most this many errors, and as many warnings, are kept; after that the
 * sink says so and drops the rest, so that hostile input cannot flood the
 * output. */
#define DIAG_MAX_ERRORS 100

typedef struct diag_sink {
  const char *file;
  const char *src;
  size_t srclen;
  diag *items;
  size_t n, cap;
  size_t errors, warnings, dropped, dropped_warnings;
  size_t *lines, nlines; /* offsets of the source's lines, found on first use */
} diag_sink;

typedef enum diag_format { DIAG_TEXT, DIAG_JSON, DIAG_SARIF } diag_format;

void diag_init(diag_sink *d, const char *file, const char *src, size_t srclen);
void diag_free(diag_sink *d);
void diag_at(diag_sink *d, const src_loc *loc, diag_code code, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
void diag_vat(diag_sink *d, const src_loc *loc, diag_code code, const char *fmt, va_list ap);

const char *diag_code_text(diag_code code);        /* "E110" */
const char *diag_code_description(diag_code code); /* untranslated */
diag_severity diag_code_severity(diag_code code);

/* Sorts by position (stable).  With strict, warnings count as errors. */
void diag_sort(diag_sink *d);
/* Renders to out.  The JSON and SARIF renderers take several sinks so that one
 * run over several files gives one document. */
void diag_render_text(const diag_sink *d, bool strict, FILE *out);
/* extra, when not NULL, is written after the diagnostics' list, inside the
 * object: more members, starting with a comma. */
void diag_render_json(diag_sink *const *sinks, size_t n, bool strict, const char *extra, FILE *out);
void diag_render_sarif(diag_sink *const *sinks, size_t n, bool strict, FILE *out);

/* Finds line `line` (1-based) of the source: its start and length. */
bool diag_line(const diag_sink *d, int line, const char **start, size_t *len);

/* Writes s as a JSON string literal. */
void json_write_string(FILE *out, const char *s);

/* Number of characters (UTF-8 code points; an invalid byte counts as one) in
 * the first len bytes of s. */
size_t utf8_chars(const char *s, size_t len);

#endif
