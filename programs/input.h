/* input.h: partner and event files read row by row, CSV or JSON Lines, within documented limits. */
#ifndef INCENT_INPUT_H
#define INCENT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A row is one line.  No value may hold a line break (the engine refuses
 * control characters), so a quote left open cannot swallow the lines after
 * it: it costs its own row only.  A longer row is rejected, and read past in
 * constant memory. */
#define INPUT_MAX_ROW (1 << 20)
/* Fields of a CSV row, keys of a JSON object. */
#define INPUT_MAX_FIELDS 1024

typedef struct input input;

/* A row as read.  line is the row itself, without its line break, cut at
 * INPUT_MAX_ROW bytes (the text a reject keeps); for CSV, fields are its
 * values.  When problem is set the row cannot be read, and says why. */
typedef struct input_row {
  long row;                  /* line number, from 1 */
  const char *line;
  size_t len;
  size_t n;                  /* CSV: the fields */
  const char *const *fields; /* each NUL-terminated; none holds a NUL */
  const char *problem;
} input_row;

typedef enum input_format { INPUT_CSV, INPUT_JSONL, INPUT_DETECT } input_format;

/* Reads f, named name in messages, as CSV, as JSON Lines, or as JSON Lines
 * when its first line that is not blank starts with '{' (*jsonl says which).
 * The first line of CSV is the header: its names are in *header and
 * *nheader.  NULL with the reason in why (naming the file and the row) when
 * the file cannot be read or its header is bad. */
input *input_open(FILE *f, const char *name, input_format format, bool *jsonl, const char *const **header,
                  size_t *nheader, char *why, size_t whylen);
/* The next row: 1, 0 at the end, -1 on a read error or out of memory (the
 * reason in why). */
int input_next(input *in, input_row *row, char *why, size_t whylen);
void input_free(input *in);

/* What RFC 8259 refuses that json-c 0.16 lets through, in one JSON object on
 * a line: a key given twice, strings in single quotes, numbers like 01, 1.
 * or NaN, a raw control character in a string.  NULL when there is none;
 * else the reason, in buf. */
const char *input_json_problem(const char *line, size_t len, char *buf, size_t size);

#endif
