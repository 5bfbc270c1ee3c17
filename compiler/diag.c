/* diag.c: collecting diagnostics and rendering them as text, JSON or SARIF. */
#include "config.h"
#include "runtime/base/util.h"
#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "runtime/base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_texts[] = {
#define X(id, code, desc) code,
  DIAG_CODE_LIST(X)
#undef X
};
static const char *const code_descs[] = {
#define X(id, code, desc) desc,
  DIAG_CODE_LIST(X)
#undef X
};

const char *diag_code_text(diag_code c) { return c < D_COUNT ? code_texts[c] : "E000"; }
const char *diag_code_description(diag_code c) { return c < D_COUNT ? code_descs[c] : ""; }
diag_severity diag_code_severity(diag_code c) {
  return diag_code_text(c)[0] == 'W' ? SEV_WARNING : SEV_ERROR;
}

void diag_init(diag_sink *d, const char *file, const char *src, size_t srclen) {
  memset(d, 0, sizeof *d);
  d->file = file;
  d->src = src;
  d->srclen = srclen;
}

void diag_free(diag_sink *d) {
  for (size_t i = 0; i < d->n; i++) free(d->items[i].message);
  free(d->items);
  free(d->lines);
  d->lines = NULL;
  d->items = NULL;
  d->n = d->cap = 0;
}

size_t utf8_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

/* Longest prefix of s, at most max bytes, that does not cut a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t k = max;
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  return k;
}

#define DIAG_MAX_MESSAGE 400

void diag_vat(diag_sink *d, const src_loc *loc, diag_code code, const char *fmt, va_list ap) {
  diag_severity sev = diag_code_severity(code);
  if ((sev == SEV_ERROR ? d->errors : d->warnings) >= DIAG_MAX_ERRORS) {
    if (sev == SEV_ERROR) d->dropped++;
    else d->dropped_warnings++;
    if (sev == SEV_WARNING) d->warnings++; /* still counted, for --strict */
    return;
  }
  va_list ap2;
  va_copy(ap2, ap);
  int len = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (len < 0) len = 0;
  char *msg = rt_malloc((size_t)len + 1);
  if (!msg) return;
  vsnprintf(msg, (size_t)len + 1, fmt, ap);
  if ((size_t)len > DIAG_MAX_MESSAGE) { /* the cut and "..." stay inside the len + 1 bytes */
    size_t k = utf8_prefix(msg, (size_t)len, DIAG_MAX_MESSAGE - 3);
    memcpy(msg + k, "...", 4);
  }
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 16;
    diag *items = rt_realloc(d->items, cap * sizeof *items);
    if (!items) { free(msg); return; }
    d->items = items;
    d->cap = cap;
  }
  diag *x = &d->items[d->n];
  x->loc = loc ? *loc : (src_loc){0, 0, 0, 0};
  x->severity = sev;
  x->code = code;
  x->message = msg;
  x->seq = d->n++;
  if (sev == SEV_ERROR) d->errors++; else d->warnings++;
}

void diag_at(diag_sink *d, const src_loc *loc, diag_code code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vat(d, loc, code, fmt, ap);
  va_end(ap);
}

static int cmp_diag(const void *pa, const void *pb) {
  const diag *a = pa, *b = pb;
  if (a->loc.first_line != b->loc.first_line) return a->loc.first_line < b->loc.first_line ? -1 : 1;
  if (a->loc.first_column != b->loc.first_column)
    return a->loc.first_column < b->loc.first_column ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(diag_sink *d) {
  if (d->n > 1) qsort(d->items, d->n, sizeof *d->items, cmp_diag);
}

static const char *severity_word(const diag *x, bool strict) {
  if (x->severity == SEV_ERROR) return _("error");
  return strict ? _("error") : _("warning");
}

static const char *severity_key(const diag *x, bool strict) {
  return (x->severity == SEV_ERROR || strict) ? "error" : "warning";
}

/* Finds line `line` (1-based) of the source: its start and length.  The
 * offsets of all lines are found once, so rendering many diagnostics stays
 * linear in the size of the source. */
bool diag_line(const diag_sink *cd, int line, const char **start, size_t *len) {
  diag_sink *d = (diag_sink *)cd; /* the index is a cache */
  if (!d->src || line < 1) return false;
  if (!d->lines) {
    size_t n = 1;
    for (size_t i = 0; i < d->srclen; i++) n += d->src[i] == '\n';
    d->lines = rt_malloc(n * sizeof *d->lines);
    if (!d->lines) return false;
    d->nlines = 0;
    d->lines[d->nlines++] = 0;
    for (size_t i = 0; i < d->srclen; i++)
      if (d->src[i] == '\n') d->lines[d->nlines++] = i + 1;
  }
  if ((size_t)line > d->nlines) return false;
  const char *p = d->src + d->lines[line - 1], *end = d->src + d->srclen;
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
  if (n && p[n - 1] == '\r') n--;
  *start = p;
  *len = n;
  return true;
}

/* Byte offset of character number `chars` (0-based) in s. */
static size_t char_offset(const char *s, size_t len, size_t chars) {
  size_t i = 0, n = 0;
  while (i < len) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (n == chars) return i;
      n++;
    }
    i++;
  }
  return len;
}

/* Writes the source text (a program's, or a catalog's line), showing
 * control characters (C0 but tab, DEL, C1), bidi embeddings, overrides and
 * isolates, and invalid UTF-8 as '?': a hostile file cannot drive the
 * terminal through a diagnostic. */
static void put_visible(FILE *out, const char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)s[i];
    size_t n = c < 0x80 ? 1 : text_utf8_len(s + i, len - i);
    unsigned long cp;
    bool ok = n > 0 && (c == '\t' || !text_id_forbidden(s + i, n, &cp));
    if (!ok) {
      fputc('?', out);
      i += n ? n : 1; /* a character shown as one '?', an invalid byte too */
    } else {
      fwrite(s + i, 1, n, out);
      i += n;
    }
  }
}

#define SHOW_BEFORE 60 /* characters of a long line shown before the caret */
#define SHOW_AFTER 60

static void render_source_line(const diag_sink *d, const diag *x, FILE *out) {
  const char *line;
  size_t len;
  if (!diag_line(d, x->loc.first_line, &line, &len)) return;
  size_t col = x->loc.first_column > 0 ? (size_t)x->loc.first_column - 1 : 0;
  size_t total = utf8_chars(line, len);
  size_t from = col > SHOW_BEFORE ? col - SHOW_BEFORE : 0;
  size_t to = col + SHOW_AFTER < total ? col + SHOW_AFTER : total;
  size_t b0 = char_offset(line, len, from), b1 = char_offset(line, len, to);
  size_t bc = char_offset(line, len, col);
  const char *cut_l = from > 0 ? "..." : "", *cut_r = to < total ? "..." : "";
  fprintf(out, "%5d | %s", x->loc.first_line, cut_l);
  put_visible(out, line + b0, b1 - b0);
  fprintf(out, "%s\n      | %s", cut_r, from > 0 ? "   " : "");
  for (size_t i = b0; i < bc && i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    if ((c & 0xC0) == 0x80) continue;
    fputc(c == '\t' ? '\t' : ' ', out);
  }
  fputc('^', out);
  size_t span = 0;
  if (x->loc.last_line == x->loc.first_line && x->loc.last_column > x->loc.first_column + 1)
    span = (size_t)(x->loc.last_column - x->loc.first_column - 1);
  if (col + 1 + span > to) span = to > col + 1 ? to - col - 1 : 0;
  for (size_t i = 0; i < span; i++) fputc('~', out);
  fputc('\n', out);
}

void diag_render_text(const diag_sink *d, bool strict, FILE *out) {
  for (size_t i = 0; i < d->n; i++) {
    const diag *x = &d->items[i];
    if (x->loc.first_line > 0)
      fprintf(out, "%s:%d:%d: %s: %s [%s]\n", d->file, x->loc.first_line, x->loc.first_column,
              severity_word(x, strict), x->message, diag_code_text(x->code));
    else
      fprintf(out, "%s: %s: %s [%s]\n", d->file, severity_word(x, strict), x->message,
              diag_code_text(x->code));
    render_source_line(d, x, out);
  }
  if (d->dropped)
    fprintf(out, P_("%s: note: %zu more error was not shown\n",
                    "%s: note: %zu more errors were not shown\n", d->dropped),
            d->file, d->dropped);
  if (d->dropped_warnings)
    fprintf(out, P_("%s: note: %zu more warning was not shown\n",
                    "%s: note: %zu more warnings were not shown\n", d->dropped_warnings),
            d->file, d->dropped_warnings);
}

void json_write_string(FILE *out, const char *s) {
  textbuf b = {0};
  text_json(&b, s, strlen(s));
  fputs(text_str(&b), out);
  text_free(&b);
}

void diag_render_json(diag_sink *const *sinks, size_t n, bool strict, const char *extra, FILE *out) {
  fputs("{\"diagnostics\": [", out);
  bool first = true;
  for (size_t s = 0; s < n; s++) {
    const diag_sink *d = sinks[s];
    for (size_t i = 0; i < d->n; i++) {
      const diag *x = &d->items[i];
      fputs(first ? "\n  {" : ",\n  {", out);
      first = false;
      fputs("\"file\": ", out);
      json_write_string(out, d->file);
      fprintf(out, ", \"line\": %d, \"column\": %d, \"end_line\": %d, \"end_column\": %d, "
              "\"severity\": \"%s\", \"code\": \"%s\", \"message\": ",
              x->loc.first_line, x->loc.first_column, x->loc.last_line, x->loc.last_column,
              severity_key(x, strict), diag_code_text(x->code));
      json_write_string(out, x->message);
      fputc('}', out);
    }
  }
  fputs(first ? "]" : "\n]", out);
  if (extra) fputs(extra, out);
  fputs("}\n", out);
}

void diag_render_sarif(diag_sink *const *sinks, size_t n, bool strict, FILE *out) {
  fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
        "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
        "    \"tool\": {\"driver\": {\"name\": \"incent\", \"version\": \"" PACKAGE_VERSION "\",\n"
        "      \"rules\": [", out);
  for (int c = 0; c < D_COUNT; c++) {
    fprintf(out, "%s\n        {\"id\": \"%s\", \"shortDescription\": {\"text\": ", c ? "," : "",
            diag_code_text(c));
    json_write_string(out, diag_code_description(c));
    fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
            diag_code_severity(c) == SEV_ERROR ? "error" : "warning");
  }
  fputs("]}},\n    \"results\": [", out);
  bool first = true;
  for (size_t s = 0; s < n; s++) {
    const diag_sink *d = sinks[s];
    for (size_t i = 0; i < d->n; i++) {
      const diag *x = &d->items[i];
      fprintf(out, "%s\n      {\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", \"message\": {\"text\": ",
              first ? "" : ",", diag_code_text(x->code), (int)x->code, severity_key(x, strict));
      first = false;
      json_write_string(out, x->message);
      fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
      json_write_string(out, d->file);
      fputs("}", out);
      if (x->loc.first_line > 0)
        fprintf(out, ", \"region\": {\"startLine\": %d, \"startColumn\": %d, \"endLine\": %d, \"endColumn\": %d}",
                x->loc.first_line, x->loc.first_column, x->loc.last_line,
                x->loc.last_column > x->loc.first_column ? x->loc.last_column : x->loc.first_column + 1);
      fputs("}}]}", out);
    }
  }
  fputs(first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n", out);
}
