/* input.c: partner and event files read row by row (a row is a line), CSV through libcsv, JSON Lines checked to RFC 8259. */
#include "config.h"
#include "runtime/base/util.h"
#include "programs/input.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/text.h"

struct input {
  FILE *f;
  const char *name;
  bool csv, eof;
  bool held, held_cut; /* the line read to detect the format is the first row */
  long row;
  char chunk[1 << 16];
  size_t cpos, clen;
  char *line;          /* the current line, at most INPUT_MAX_ROW bytes and a NUL */
  size_t llen, lcap;
  /* CSV: libcsv's parser, and the fields of the current row, each followed
   * by a NUL, in one buffer */
  struct csv_parser p;
  bool p_ready;
  char *store;
  size_t slen, scap;
  size_t *offs;
  const char **fields;
  size_t nfields, capfields;
  int records;         /* records libcsv ended in this line: more than one means a bare CR */
  bool too_many, oom;
  /* the header */
  char *header_store;
  const char **header;
  size_t nheader;
  char problem[256];
};

/* ---- lines ---- */

static bool append(input *in, const char *s, size_t n) {
  if (!rt_grow((void **)&in->line, &in->lcap, in->llen + n + 1, 1)) return false;
  memcpy(in->line + in->llen, s, n);
  in->llen += n;
  in->line[in->llen] = '\0';
  return true;
}

/* Reads the next line into in->line: 1, 0 at the end, -1 on a read error or
 * out of memory.  *cut is set when the line was longer than INPUT_MAX_ROW:
 * the rest of it is read past without being kept. */
static int read_line(input *in, bool *cut, char *why, size_t whylen) {
  in->llen = 0;
  *cut = false;
  bool started = false;
  if (!append(in, "", 0)) return rt_fail(why, whylen, "out of memory"), -1;
  for (;;) {
    if (in->cpos == in->clen) {
      if (in->eof) return started ? 1 : 0;
      in->clen = fread(in->chunk, 1, sizeof in->chunk, in->f);
      in->cpos = 0;
      if (in->clen == 0) {
        if (ferror(in->f)) return rt_fail(why, whylen, "%s: %s", in->name, strerror(errno ? errno : EIO)), -1;
        in->eof = true;
        return started ? 1 : 0;
      }
    }
    started = true;
    const char *from = in->chunk + in->cpos;
    const char *nl = memchr(from, '\n', in->clen - in->cpos);
    size_t take = nl ? (size_t)(nl - from) : in->clen - in->cpos;
    size_t room = INPUT_MAX_ROW - in->llen;
    if (take > room) *cut = true;
    if (!append(in, from, take < room ? take : room)) return rt_fail(why, whylen, "out of memory"), -1;
    in->cpos += take;
    if (nl) {
      in->cpos++;
      return 1;
    }
  }
}

/* ---- CSV fields of one line ---- */

static void on_field(void *data, size_t len, void *ud) {
  input *in = ud;
  if (in->oom || in->too_many) return;
  if (in->nfields == INPUT_MAX_FIELDS) {
    in->too_many = true;
    return;
  }
  if (!rt_grow((void **)&in->offs, &in->capfields, in->nfields + 1, sizeof *in->offs) ||
      !rt_grow((void **)&in->store, &in->scap, in->slen + len + 1, 1)) {
    in->oom = true;
    return;
  }
  in->offs[in->nfields++] = in->slen;
  if (len) memcpy(in->store + in->slen, data, len);
  in->store[in->slen + len] = '\0';
  in->slen += len + 1;
}

static void on_record(int term, void *ud) {
  (void)term;
  ((input *)ud)->records++;
}

static bool parser_reset(input *in) {
  if (in->p_ready) csv_free(&in->p);
  in->p_ready = csv_init(&in->p, CSV_STRICT | CSV_STRICT_FINI) == 0;
  return in->p_ready;
}

/* Why a line cannot be a row, before its fields are looked at; NULL when it can. */
static const char *line_problem(input *in) {
  const char *s = in->line;
  size_t n = in->llen;
  const char *nul = memchr(s, '\0', n);
  if (nul) {
    snprintf(in->problem, sizeof in->problem, "a NUL byte at byte %zu; the file must be UTF-8 text",
             (size_t)(nul - s) + 1);
    return in->problem;
  }
  size_t bad = text_utf8_invalid(s, n);
  if (bad < n) {
    snprintf(in->problem, sizeof in->problem, "byte %zu (0x%02X) is not UTF-8; save the file as UTF-8", bad + 1,
             (unsigned char)s[bad]);
    return in->problem;
  }
  return NULL;
}

/* Splits the current line into fields; NULL, or why it cannot be split. */
static const char *split(input *in) {
  in->nfields = in->slen = 0;
  in->records = 0;
  in->too_many = false;
  if (!in->p_ready && !parser_reset(in)) {
    in->oom = true;
    return NULL;
  }
  const char *problem = NULL;
  if (csv_parse(&in->p, in->line, in->llen, on_field, on_record, in) != in->llen)
    problem = csv_error(&in->p) == CSV_ENOMEM ? NULL
              : "a quote inside a value that is not quoted, or text after a closing quote; quote the whole value "
                "and write a quote inside it as \"\"";
  else if (csv_fini(&in->p, on_field, on_record, in) != 0)
    problem = csv_error(&in->p) == CSV_ENOMEM ? NULL
              : "a quoted value is not closed on its line; a value cannot hold a line break";
  if (problem || csv_error(&in->p) == CSV_ENOMEM) {
    if (!problem) in->oom = true;
    parser_reset(in); /* libcsv keeps its state after an error */
    return problem;
  }
  if (in->too_many) return "more than 1024 fields";
  if (in->records > 1) return "a carriage return inside the row; a value cannot hold a line break";
  return NULL;
}

/* ---- the reader ---- */

input *input_open(FILE *f, const char *name, input_format format, bool *jsonl, const char *const **header,
                  size_t *nheader, char *why, size_t whylen) {
  input *in = rt_calloc(1, sizeof *in);
  if (!in) return rt_fail(why, whylen, "out of memory"), NULL;
  in->f = f;
  in->name = name;
  bool cut = false;
  int got;
  /* the first line that is not blank: the header, or the first JSON object */
  while ((got = read_line(in, &cut, why, whylen)) == 1) {
    in->row++;
    if (in->row == 1 && in->llen >= 3 && memcmp(in->line, "\xEF\xBB\xBF", 3) == 0) { /* spreadsheets write a BOM */
      memmove(in->line, in->line + 3, in->llen - 2);
      in->llen -= 3;
    }
    if (in->llen && in->line[in->llen - 1] == '\r' && !cut) in->line[--in->llen] = '\0';
    if (strspn(in->line, " \t") < in->llen) break;
  }
  size_t lead = got == 1 ? strspn(in->line, " \t") : 0;
  in->csv = format == INPUT_CSV || (format == INPUT_DETECT && !(got == 1 && in->line[lead] == '{'));
  *jsonl = !in->csv;
  if (!in->csv) {
    if (got < 0) {
      input_free(in);
      return NULL;
    }
    in->held = got == 1;
    in->held_cut = cut;
    return in;
  }
  if (got == 0) { /* an empty file: no header and no rows */
    *header = NULL;
    *nheader = 0;
    return in;
  }
  const char *problem = got < 0 ? "" : cut ? "the header is too long" : line_problem(in);
  if (!problem) problem = split(in);
  if (!problem && in->oom) problem = "out of memory";
  if (!problem && in->nfields == 0) problem = "the header names no columns";
  for (size_t i = 0; !problem && i < in->nfields; i++)
    for (size_t k = 0; !problem && k < i; k++)
      if (strcmp(in->store + in->offs[i], in->store + in->offs[k]) == 0) {
        snprintf(in->problem, sizeof in->problem,
                 "the column '%.60s' is named twice in the header (columns %zu and %zu); name each column once",
                 in->store + in->offs[i], k + 1, i + 1);
        problem = in->problem;
      }
  if (problem) {
    if (*problem) rt_fail(why, whylen, "%s:%ld: %s", name, in->row ? in->row : 1, problem);
    input_free(in);
    return NULL;
  }
  in->header_store = rt_malloc(in->slen);
  in->header = rt_calloc(in->nfields, sizeof *in->header);
  if (!in->header_store || !in->header) {
    rt_fail(why, whylen, "out of memory");
    input_free(in);
    return NULL;
  }
  memcpy(in->header_store, in->store, in->slen);
  in->nheader = in->nfields;
  for (size_t i = 0; i < in->nfields; i++) in->header[i] = in->header_store + in->offs[i];
  *header = in->header;
  *nheader = in->nheader;
  return in;
}

int input_next(input *in, input_row *r, char *why, size_t whylen) {
  bool cut = in->held_cut;
  int got;
  if (in->held) {
    in->held = false;
  } else {
    do {
      if ((got = read_line(in, &cut, why, whylen)) <= 0) return got;
      in->row++;
      if (in->llen && in->line[in->llen - 1] == '\r' && !cut) in->line[--in->llen] = '\0';
    } while (in->llen == 0); /* a blank line */
  }
  *r = (input_row){in->row, in->line, in->llen, 0, NULL, NULL};
  if (cut) {
    snprintf(in->problem, sizeof in->problem, "the row is longer than %d bytes; it is kept cut at that length",
             INPUT_MAX_ROW);
    r->problem = in->problem;
    return 1;
  }
  if ((r->problem = line_problem(in)) || !in->csv) return 1;
  r->problem = split(in);
  if (in->oom) return rt_fail(why, whylen, "out of memory"), -1;
  if (r->problem) return 1;
  if (in->nfields != in->nheader) {
    snprintf(in->problem, sizeof in->problem,
             "the row has %zu fields but the header has %zu; quote a value that holds a comma", in->nfields,
             in->nheader);
    r->problem = in->problem;
    return 1;
  }
  if (!in->fields && !(in->fields = rt_calloc(in->nheader, sizeof *in->fields))) /* rows have the header's count */
    return rt_fail(why, whylen, "out of memory"), -1;
  for (size_t i = 0; i < in->nfields; i++) in->fields[i] = in->store + in->offs[i];
  r->n = in->nfields;
  r->fields = in->fields;
  return 1;
}

void input_free(input *in) {
  if (!in) return;
  if (in->p_ready) csv_free(&in->p);
  free(in->line);
  free(in->store);
  free(in->offs);
  free(in->fields);
  free(in->header_store);
  free(in->header);
  free(in);
}

/* ---- JSON Lines: what json-c lets through ---- */

/* Whether s[0, n) is a number as RFC 8259 writes one. */
static bool rfc_number(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && s[i] == '-') i++;
  if (i == n) return false;
  if (s[i] == '0') i++;
  else if (s[i] >= '1' && s[i] <= '9') while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  else return false;
  if (i < n && s[i] == '.') {
    size_t d = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d) return false;
  }
  return i == n;
}

const char *input_json_problem(const char *s, size_t n, char *buf, size_t size) {
  typedef struct span { const char *p; size_t n; } span;
  span keys[INPUT_MAX_FIELDS];
  size_t nkeys = 0;
  int depth = 0;
  bool want_key = false;
  for (size_t i = 0; i < n;) {
    char c = s[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < n && s[j] != '"') {
        if ((unsigned char)s[j] < 0x20) return "a control character inside a string; write it as an escape";
        j += s[j] == '\\' ? 2 : 1;
      }
      if (j >= n) return NULL; /* json-c reports the open string */
      if (depth == 1 && want_key) {
        span k = {s + i + 1, j - i - 1};
        for (size_t m = 0; m < nkeys; m++)
          if (keys[m].n == k.n && memcmp(keys[m].p, k.p, k.n) == 0) {
            snprintf(buf, size, "the key \"%.*s\" is given twice", (int)(k.n < 60 ? k.n : 60), k.p);
            return buf;
          }
        if (nkeys == INPUT_MAX_FIELDS) return "more than 1024 keys";
        keys[nkeys++] = k;
        want_key = false;
      }
      i = j + 1;
    } else if (c == '\'') {
      return "a string in single quotes; JSON strings are in double quotes";
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i;
      while (j < n && (s[j] == '-' || s[j] == '+' || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                       (s[j] >= '0' && s[j] <= '9')))
        j++;
      if (!rfc_number(s + i, j - i)) {
        snprintf(buf, size, "%.*s is not a JSON number", (int)(j - i < 40 ? j - i : 40), s + i);
        return buf;
      }
      i = j;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      while (j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) j++;
      if (!((j - i == 4 && memcmp(s + i, "true", 4) == 0) || (j - i == 5 && memcmp(s + i, "false", 5) == 0) ||
            (j - i == 4 && memcmp(s + i, "null", 4) == 0))) {
        snprintf(buf, size, "%.*s is not a JSON value", (int)(j - i < 40 ? j - i : 40), s + i);
        return buf;
      }
      i = j;
    } else {
      if (c == '{' || c == '[') depth++;
      else if ((c == '}' || c == ']') && --depth == 0) return NULL; /* what follows is json-c's to refuse */
      if ((c == '{' && depth == 1) || (c == ',' && depth == 1)) want_key = true;
      i++;
    }
  }
  return NULL;
}
