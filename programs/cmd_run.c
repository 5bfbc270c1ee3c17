/* cmd_run.c: `incent run`: applies partner activity (CSV or JSON Lines) to a ledger. */
#include "config.h"
#include "runtime/util.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent run PROGRAM --partners FILE --events FILE|- --ledger DB [OPTION]...\n"
           "Apply partner activity to a ledger.  PROGRAM is a .incent source or a .irt table.\n\n"
           "      --partners FILE        partners, CSV with a header: id,name,language,country,tier,...\n"
           "      --events FILE|-        events, CSV with a header (id,type,partner,time,...) or JSON Lines\n"
           "      --input-format FORMAT  csv or jsonl (default: detected from the first character)\n"
           "      --ledger DB            the SQLite ledger (created if missing)\n"
           "      --locale-dir DIR       the program's compiled catalogs, DIR/LANG/LC_MESSAGES/NAME.mo;\n"
           "                             needed when the program declares more than one language\n"
           "      --allow-program-change go on with a ledger written by another program\n"
           "      --format FORMAT        text (default) or json, for the summary\n"
           "  -h, --help                 show this help and exit\n"
           "  -V, --version              show the version and exit\n\n"
           "Every message a rule or a tier rise sends is rendered in the partner's language and\n"
           "kept in the ledger's outbox (incent outbox); a text without a translation goes out in\n"
           "the source language, and the run says so on standard error.\n\n"
           "Exit status: 0 every event applied or a duplicate; 1 events were rejected (each is kept\n"
           "in the ledger with its row and reason); 2 bad usage, an unreadable file or ledger.\n"));
}

/* ---- CSV through libcsv, one record at a time ---- */

typedef struct record {
  char **fields;
  size_t *lens, *caps; /* each field's buffer is kept and reused from record to record */
  size_t n, cap;
  long row;            /* 1 is the header */
} record;

typedef void record_fn(void *ud, record *r);

typedef struct csv_reader {
  record rec;
  record_fn *fn;
  void *ud;
  bool oom;
} csv_reader;

static void on_field(void *data, size_t len, void *ud) {
  csv_reader *c = ud;
  record *r = &c->rec;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    char **f = rt_realloc(r->fields, cap * sizeof *f);
    size_t *l = rt_realloc(r->lens, cap * sizeof *l), *k = rt_realloc(r->caps, cap * sizeof *k);
    if (f) r->fields = f;
    if (l) r->lens = l;
    if (k) r->caps = k;
    if (!f || !l || !k) { c->oom = true; return; }
    for (size_t i = r->cap; i < cap; i++) {
      r->fields[i] = NULL;
      r->caps[i] = 0;
    }
    r->cap = cap;
  }
  if (len + 1 > r->caps[r->n]) {
    size_t want = len + 1 < 32 ? 32 : len + 1;
    char *bigger = rt_realloc(r->fields[r->n], want);
    if (!bigger) { c->oom = true; return; }
    r->fields[r->n] = bigger;
    r->caps[r->n] = want;
  }
  char *copy = r->fields[r->n];
  memcpy(copy, data, len);
  copy[len] = '\0';
  r->lens[r->n] = len;
  r->n++;
}

static void on_record(int term, void *ud) {
  (void)term;
  csv_reader *c = ud;
  if (c->oom) return; /* a record that lost a field is never delivered, nor any after it */
  /* a byte order mark, as spreadsheet programs write, is not part of the first name */
  if (c->rec.row == 0 && c->rec.n > 0 && c->rec.lens[0] >= 3 && memcmp(c->rec.fields[0], "\xEF\xBB\xBF", 3) == 0) {
    memmove(c->rec.fields[0], c->rec.fields[0] + 3, c->rec.lens[0] - 2);
    c->rec.lens[0] -= 3;
  }
  c->rec.row++;
  c->fn(c->ud, &c->rec);
  c->rec.n = 0;
}

/* Reads a whole CSV stream, calling fn per record; false on a read error. */
static bool read_csv(FILE *f, const char *name, record_fn *fn, void *ud) {
  struct csv_parser p;
  csv_reader c = {{0}, fn, ud, false};
  if (csv_init(&p, CSV_APPEND_NULL) != 0) return false;
  char buf[1 << 16];
  size_t got;
  bool ok = true;
  while (!c.oom && (got = fread(buf, 1, sizeof buf, f)) > 0) {
    if (csv_parse(&p, buf, got, on_field, on_record, &c) != got) {
      fprintf(stderr, _("incent: %s: %s near row %ld\n"), name, csv_strerror(csv_error(&p)), c.rec.row + 1);
      ok = false;
      break;
    }
  }
  if (ok && !c.oom) csv_fini(&p, on_field, on_record, &c);
  if (c.oom) cli_out_of_memory();
  csv_free(&p);
  for (size_t i = 0; i < c.rec.cap; i++) free(c.rec.fields[i]);
  free(c.rec.fields);
  free(c.rec.lens);
  free(c.rec.caps);
  return ok && !c.oom && !ferror(f);
}

/* The row as one line of text again, for the rejects table. */
static char *row_text(const record *r) {
  size_t len = 1;
  for (size_t i = 0; i < r->n; i++) len += r->lens[i] * 2 + 3;
  char *out = rt_malloc(len), *p = out;
  if (!out) return NULL;
  for (size_t i = 0; i < r->n; i++) {
    if (i) *p++ = ',';
    bool quote = strpbrk(r->fields[i], ",\"\n\r") != NULL;
    if (quote) *p++ = '"';
    for (const char *s = r->fields[i]; *s; s++) {
      if (*s == '"') *p++ = '"';
      *p++ = *s;
    }
    if (quote) *p++ = '"';
  }
  *p = '\0';
  return out;
}

/* ---- the run ---- */

typedef struct run {
  incent_ledger *ledger;
  const incent_table *t;
  const char *source;
  long applied, duplicates, rejected, partners, partner_errors;
  bool failed;
  /* CSV events: the header's columns */
  int col_id, col_type, col_partner, col_time;
  int **field_cols;  /* per event type, per declared field: the column, or -1 */
  int ntypes;
  int *attr_cols;    /* partners: per attribute, the column, or -1 */
  bool header_done;
} run;

static int column(const record *r, const char *name) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->fields[i], name) == 0) return (int)i;
  return -1;
}

static const char *cell(const record *r, int col) { return col >= 0 && (size_t)col < r->n ? r->fields[col] : NULL; }

static void reject_row(run *x, long row, const char *raw, const char *id, const char *reason) {
  char why[256];
  x->rejected++;
  if (incent_ledger_reject(x->ledger, x->source, row, id, raw ? raw : "", reason, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    x->failed = true;
  }
}

static void partner_row(void *ud, record *r) {
  run *x = ud;
  int n = incent_table_nattrs(x->t);
  if (!x->header_done) {
    x->header_done = true;
    x->attr_cols = rt_malloc((size_t)n * sizeof *x->attr_cols);
    if (!x->attr_cols) {
      cli_out_of_memory();
      x->failed = true;
      return;
    }
    for (int i = 0; i < n; i++) x->attr_cols[i] = column(r, incent_table_attr_name(x->t, i));
    if (x->attr_cols[0] < 0) {
      fprintf(stderr, _("incent: %s: the header has no 'id' column\n"), x->source);
      x->failed = true;
    }
    return;
  }
  if (x->failed || (r->n == 1 && r->lens[0] == 0)) return; /* a blank line */
  const char *values[256];
  for (int i = 0; i < n && i < 256; i++) values[i] = cell(r, x->attr_cols[i]);
  char why[256];
  incent_status st = incent_ledger_partner(x->ledger, values, n < 256 ? n : 256, why, sizeof why);
  if (st == INCENT_ENOMEM) {
    cli_out_of_memory();
    x->failed = true;
  } else if (st != INCENT_OK) {
    fprintf(stderr, _("incent: %s: row %ld: %s\n"), x->source, r->row, why);
    x->partner_errors++;
  } else {
    x->partners++;
  }
}

static void count(run *x, incent_outcome o, const char *why) {
  switch (o) {
  case INCENT_OUT_APPLIED: x->applied++; break;
  case INCENT_OUT_DUPLICATE: x->duplicates++; break;
  case INCENT_OUT_REJECTED: break; /* counted when its row is recorded */
  default:
    fprintf(stderr, "incent: %s\n", why);
    x->failed = true;
  }
}

static void event_row(void *ud, record *r) {
  run *x = ud;
  if (x->failed) return;
  if (!x->header_done) {
    x->header_done = true;
    x->col_id = column(r, "id");
    x->col_type = column(r, "type");
    x->col_partner = column(r, "partner");
    x->col_time = column(r, "time");
    if (x->col_id < 0 || x->col_type < 0 || x->col_partner < 0 || x->col_time < 0) {
      fprintf(stderr, _("incent: %s: the header needs the columns id, type, partner and time\n"), x->source);
      x->failed = true;
      return;
    }
    for (int t = 0; t < x->ntypes; t++) {
      int nf = incent_table_event_nfields(x->t, t);
      for (int f = 0; f < nf; f++) x->field_cols[t][f] = column(r, incent_table_event_field_name(x->t, t, f));
    }
    return;
  }
  if (r->n == 1 && r->lens[0] == 0) return; /* a blank line */
  const char *type = cell(r, x->col_type);
  int t = type ? incent_table_event_type(x->t, type) : -1;
  const char *values[256] = {0};
  int nf = t >= 0 ? incent_table_event_nfields(x->t, t) : 0;
  for (int f = 0; f < nf && f < 256; f++) values[f] = cell(r, x->field_cols[t][f]);
  incent_event ev = {cell(r, x->col_id), type, cell(r, x->col_partner), cell(r, x->col_time), values, nf < 256 ? nf : 256};
  char why[512];
  incent_outcome o = incent_ledger_apply(x->ledger, &ev, why, sizeof why);
  count(x, o, why);
  if (o == INCENT_OUT_REJECTED) {
    char *raw = row_text(r); /* built only for the rejected */
    if (!raw) {
      cli_out_of_memory();
      x->failed = true;
      return;
    }
    reject_row(x, r->row, raw, ev.id, why);
    free(raw);
  }
}

/* One JSON Lines event: {"id": ..., "type": ..., "partner": ..., "time": ..., FIELD: ...}. */
static void event_json(run *x, const char *line, long row) {
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    cli_out_of_memory();
    x->failed = true;
    return;
  }
  int len = (int)strlen(line);
  json_object *o = tok ? json_tokener_parse_ex(tok, line, len) : NULL;
  bool complete = tok && json_tokener_get_error(tok) == json_tokener_success;
  if (complete) { /* one object per line, and nothing after it but white space */
    for (size_t i = json_tokener_get_parse_end(tok); i < (size_t)len; i++)
      if (line[i] != ' ' && line[i] != '\t') complete = false;
  }
  json_tokener_free(tok);
  if (!o || !complete || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    reject_row(x, row, line, NULL, _("not a JSON object"));
    return;
  }
  const char *head[4] = {NULL};
  static const char *const keys[4] = {"id", "type", "partner", "time"};
  const char *bad = NULL;
  bool out_of_range = false;
  for (int i = 0; i < 4; i++) {
    json_object *v;
    if (json_object_object_get_ex(o, keys[i], &v) && json_object_is_type(v, json_type_string) &&
        (size_t)json_object_get_string_len(v) == strlen(json_object_get_string(v))) /* no NUL inside */
      head[i] = json_object_get_string(v);
  }
  int t = head[1] ? incent_table_event_type(x->t, head[1]) : -1;
  int nf = t >= 0 ? incent_table_event_nfields(x->t, t) : 0;
  const char *values[256] = {0};
  for (int f = 0; f < nf && f < 256 && !bad; f++) {
    json_object *v;
    const char *name = incent_table_event_field_name(x->t, t, f);
    if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null)) continue;
    switch (json_object_get_type(v)) {
    case json_type_string: case json_type_double: /* json-c keeps a number's own digits */
      values[f] = json_object_get_string(v);
      if (json_object_is_type(v, json_type_string) && (size_t)json_object_get_string_len(v) != strlen(values[f]))
        bad = name; /* a NUL inside */
      break;
    case json_type_int: /* json-c saturates whole numbers beyond 64 bits */
      if (json_object_get_int64(v) == INT64_MAX || json_object_get_int64(v) == INT64_MIN) {
        bad = name;
        out_of_range = true;
      } else {
        values[f] = json_object_get_string(v);
      }
      break;
    case json_type_boolean:
      values[f] = json_object_get_boolean(v) ? "true" : "false";
      break;
    default:
      bad = name;
    }
  }
  char why[512];
  if (bad) {
    if (out_of_range) snprintf(why, sizeof why, _("'%s' is a number out of range"), bad);
    else snprintf(why, sizeof why, _("'%s' must be a string, a number, true or false"), bad);
    reject_row(x, row, line, head[0], why);
  } else {
    incent_event ev = {head[0], head[1], head[2], head[3], values, nf < 256 ? nf : 256};
    incent_outcome out = incent_ledger_apply(x->ledger, &ev, why, sizeof why);
    count(x, out, why);
    if (out == INCENT_OUT_REJECTED) reject_row(x, row, line, ev.id, why);
  }
  json_object_put(o);
}

static bool read_jsonl(FILE *f, run *x) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  long row = 0;
  while (!x->failed && (n = getline(&line, &cap, f)) >= 0) {
    row++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0) continue;
    event_json(x, line, row);
  }
  free(line);
  return !ferror(f);
}

static void print_summary(const run *x, bool json) {
  if (json)
    printf("{\"applied\": %ld, \"duplicates\": %ld, \"rejected\": %ld}\n", x->applied, x->duplicates, x->rejected);
  else
    printf(_("applied %ld, duplicates %ld, rejected %ld\n"), x->applied, x->duplicates, x->rejected);
}

int cmd_run(int argc, char **argv) {
  static const struct option opts[] = {
    {"partners", required_argument, NULL, 'p'}, {"events", required_argument, NULL, 'e'},
    {"ledger", required_argument, NULL, 'l'},   {"input-format", required_argument, NULL, 'i'},
    {"format", required_argument, NULL, 'f'},   {"allow-program-change", no_argument, NULL, 'a'},
    {"locale-dir", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0}};
  const char *partners = NULL, *events = NULL, *ledger_path = NULL, *input = NULL, *locale_dir = NULL;
  bool json = false, allow = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'p': partners = optarg; break;
    case 'e': events = optarg; break;
    case 'l': ledger_path = optarg; break;
    case 'i':
      if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
        return cli_usage_error("run", _("unknown input format '%s'; use csv or jsonl"), optarg);
      input = optarg;
      break;
    case 'f':
      if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
        return cli_usage_error("run", _("unknown format '%s'; use text or json"), optarg);
      json = strcmp(optarg, "json") == 0;
      break;
    case 'a': allow = true; break;
    case 'L': locale_dir = optarg; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("run", _("unknown option"));
    }
  }
  if (optind != argc - 1) return cli_usage_error("run", _("give exactly one program"));
  if (!partners || !events || !ledger_path)
    return cli_usage_error("run", _("--partners, --events and --ledger are required"));
  FILE *pf = fopen(partners, "rb");
  if (!pf) {
    fprintf(stderr, "incent: %s: %s\n", partners, strerror(errno));
    return EXIT_USAGE;
  }
  FILE *ef = strcmp(events, "-") == 0 ? stdin : fopen(events, "rb");
  if (!ef) {
    fprintf(stderr, "incent: %s: %s\n", events, strerror(errno));
    fclose(pf);
    return EXIT_USAGE;
  }
  incent_table *table = NULL;
  int status = cli_load_table(argv[optind], &table);
  run x = {0};
  char why[512];
  incent_messages *messages = NULL;
  if (status == EXIT_OK && !(messages = cli_load_messages("run", table, locale_dir))) status = EXIT_USAGE;
  if (status == EXIT_OK &&
      incent_ledger_open(ledger_path, table, allow, &x.ledger, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  if (status == EXIT_OK) incent_engine_set_messages(incent_ledger_engine(x.ledger), messages);
  if (status == EXIT_OK) {
    x.t = table;
    x.source = partners;
    if (!read_csv(pf, partners, partner_row, &x) || x.failed) status = EXIT_USAGE;
  }
  if (status == EXIT_OK) {
    x.source = events;
    x.header_done = false;
    x.ntypes = incent_table_nevents(table);
    x.field_cols = rt_calloc((size_t)x.ntypes + 1, sizeof *x.field_cols);
    if (!x.field_cols) status = EXIT_USAGE;
    for (int t = 0; x.field_cols && t < x.ntypes; t++)
      if (!(x.field_cols[t] = rt_calloc(256, sizeof **x.field_cols))) status = EXIT_USAGE;
    if (status != EXIT_OK) cli_out_of_memory();
  }
  if (status == EXIT_OK) {
    int first = fgetc(ef);
    while (first == ' ' || first == '\n' || first == '\r' || first == '\t') first = fgetc(ef);
    if (first != EOF) ungetc(first, ef);
    bool jsonl = input ? strcmp(input, "jsonl") == 0 : first == '{';
    bool ok = jsonl ? read_jsonl(ef, &x) : read_csv(ef, events, event_row, &x);
    if (!ok || x.failed) status = EXIT_USAGE;
  }
  for (int t = 0; x.field_cols && t < x.ntypes; t++) free(x.field_cols[t]);
  free(x.field_cols);
  if (x.ledger && incent_ledger_close(x.ledger, why, sizeof why) != INCENT_OK) {
    if (!x.failed) fprintf(stderr, "incent: %s\n", why); /* a failure already reported is not repeated */
    status = EXIT_USAGE;
  }
  if (status != EXIT_USAGE && x.ledger) {
    cli_report_fallbacks(messages);
    print_summary(&x, json);
    if (x.rejected && status == EXIT_OK) status = EXIT_FAILED;
  }
  incent_messages_free(messages);
  free(x.attr_cols);
  incent_table_free(table);
  fclose(pf);
  if (ef != stdin) fclose(ef);
  return status;
}
