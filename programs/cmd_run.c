/* cmd_run.c: `incent run`: applies partner activity (CSV or JSON Lines) to a ledger. */
#include "config.h"
#include "runtime/util.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"
#include "programs/input.h"
#include "runtime/strmap.h"

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

/* ---- the run ---- */

typedef struct run {
  incent_ledger *ledger;
  const incent_table *t;
  const char *source;
  long applied, duplicates, rejected, partners;
  bool failed;
  /* CSV events: the header's columns */
  int col_id, col_type, col_partner, col_time;
  int **field_cols;  /* per event type, per declared field: the column, or -1 */
  int ntypes;
  int *attr_cols;    /* partners: per attribute, the column, or -1 */
  /* partners: the ids of this file so far, to refuse one given twice */
  strmap partner_ids;
  char **ids;
  long *id_rows;
  size_t nids, capids, caprows;
} run;

static int column(const char *const *header, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(header[i], name) == 0) return (int)i;
  return -1;
}

static const char *cell(const input_row *r, int col) { return col >= 0 && (size_t)col < r->n ? r->fields[col] : NULL; }

static void reject_row(run *x, long row, const char *raw, const char *id, const char *reason) {
  char why[256];
  x->rejected++;
  if (incent_ledger_reject(x->ledger, x->source, row, id, raw ? raw : "", reason, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    x->failed = true;
  }
}

/* Remembers a partner id of this file; the row it was first given at when it was given before, 0 when new, -1
 * when out of memory. */
static long partner_seen(run *x, const char *id, long row) {
  uint32_t at;
  if (strmap_get(&x->partner_ids, id, strlen(id), &at)) return x->id_rows[at];
  char *copy = rt_strdup(id);
  size_t capids = x->capids;
  if (!copy || !rt_grow((void **)&x->ids, &capids, x->nids + 1, sizeof *x->ids) ||
      !rt_grow((void **)&x->id_rows, &x->caprows, x->nids + 1, sizeof *x->id_rows)) {
    free(copy);
    x->capids = capids;
    return -1;
  }
  x->capids = capids;
  uint32_t old;
  if (!strmap_put(&x->partner_ids, copy, strlen(copy), (uint32_t)x->nids, &old) && old == UINT32_MAX) {
    free(copy);
    return -1;
  }
  x->ids[x->nids] = copy;
  x->id_rows[x->nids++] = row;
  return 0;
}

static void partner_row(run *x, const input_row *r) {
  if (r->problem) {
    reject_row(x, r->row, r->line, NULL, r->problem);
    return;
  }
  int n = incent_table_nattrs(x->t);
  const char *values[256];
  for (int i = 0; i < n && i < 256; i++) values[i] = cell(r, x->attr_cols[i]);
  char why[256];
  long first = values[0] && values[0][0] ? partner_seen(x, values[0], r->row) : 0;
  if (first < 0) {
    fprintf(stderr, "incent: %s\n", _("out of memory"));
    x->failed = true;
    return;
  }
  if (first > 0) {
    snprintf(why, sizeof why, "partner id \"%s\" was given before, at row %ld; give each partner once", values[0],
             first);
    reject_row(x, r->row, r->line, NULL, why);
    return;
  }
  incent_status st = incent_ledger_partner(x->ledger, values, n < 256 ? n : 256, why, sizeof why);
  if (st == INCENT_OK) {
    x->partners++;
  } else if (st == INCENT_EFORMAT) {
    reject_row(x, r->row, r->line, NULL, why);
  } else {
    fprintf(stderr, "incent: %s\n", why);
    x->failed = true;
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

static void event_row(run *x, const input_row *r) {
  if (r->problem) {
    reject_row(x, r->row, r->line, NULL, r->problem);
    return;
  }
  const char *type = cell(r, x->col_type);
  int t = type ? incent_table_event_type(x->t, type) : -1;
  const char *values[256] = {0};
  int nf = t >= 0 ? incent_table_event_nfields(x->t, t) : 0;
  for (int f = 0; f < nf && f < 256; f++) values[f] = cell(r, x->field_cols[t][f]);
  incent_event ev = {cell(r, x->col_id), type, cell(r, x->col_partner), cell(r, x->col_time), values, nf < 256 ? nf : 256};
  char why[512];
  incent_outcome o = incent_ledger_apply(x->ledger, &ev, why, sizeof why);
  count(x, o, why);
  if (o == INCENT_OUT_REJECTED) reject_row(x, r->row, r->line, ev.id, why);
}

/* One JSON Lines event: {"id": ..., "type": ..., "partner": ..., "time": ..., FIELD: ...}. */
static void event_json(run *x, const input_row *r) {
  const char *line = r->line;
  long row = r->row;
  char problem[160];
  const char *strict = r->problem ? r->problem : input_json_problem(line, r->len, problem, sizeof problem);
  if (strict) {
    reject_row(x, row, line, NULL, strict);
    return;
  }
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    fprintf(stderr, "incent: %s\n", _("out of memory"));
    x->failed = true;
    return;
  }
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
  int len = (int)r->len;
  json_object *o = json_tokener_parse_ex(tok, line, len);
  bool complete = json_tokener_get_error(tok) == json_tokener_success;
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
  bool out_of_range = false, nul = false;
  for (int i = 0; i < 4; i++) {
    json_object *v;
    if (json_object_object_get_ex(o, keys[i], &v) && json_object_is_type(v, json_type_string)) {
      head[i] = json_object_get_string(v);
      if ((size_t)json_object_get_string_len(v) != strlen(head[i])) bad = keys[i], nul = true, head[i] = NULL;
    }
  }
  int t = head[1] ? incent_table_event_type(x->t, head[1]) : -1;
  int nf = t >= 0 ? incent_table_event_nfields(x->t, t) : 0;
  const char *values[256] = {0};
  for (int f = 0; f < nf && f < 256 && !bad && !out_of_range; f++) {
    json_object *v;
    const char *name = incent_table_event_field_name(x->t, t, f);
    if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null)) continue;
    switch (json_object_get_type(v)) {
    case json_type_string: case json_type_double: /* json-c keeps a number's own digits */
      values[f] = json_object_get_string(v);
      if (json_object_is_type(v, json_type_string) && (size_t)json_object_get_string_len(v) != strlen(values[f]))
        bad = name, nul = true;
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
    else if (nul) snprintf(why, sizeof why, _("'%s' holds a NUL character (\\u0000)"), bad);
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

/* Reads a partners file (partners) or an events file, CSV or JSON Lines,
 * row by row into the ledger; false, having said why, when the file cannot
 * be read or the ledger fails. */
static bool read_rows(run *x, FILE *f, const char *name, bool partners, input_format format) {
  char why[512];
  const char *const *header = NULL;
  size_t nheader = 0;
  bool jsonl;
  input *in = input_open(f, name, format, &jsonl, &header, &nheader, why, sizeof why);
  if (!in) {
    fprintf(stderr, "incent: %s\n", why);
    return false;
  }
  x->source = name;
  if (!jsonl && nheader == 0) { /* an empty file */
    input_free(in);
    return true;
  }
  if (partners) {
    int n = incent_table_nattrs(x->t);
    if (!(x->attr_cols = rt_malloc((size_t)n * sizeof *x->attr_cols))) {
      input_free(in);
      fprintf(stderr, "incent: %s\n", _("out of memory"));
      return false;
    }
    for (int i = 0; i < n; i++) x->attr_cols[i] = column(header, nheader, incent_table_attr_name(x->t, i));
    if (x->attr_cols[0] < 0) {
      fprintf(stderr, _("incent: %s:1: the header has no 'id' column\n"), name);
      input_free(in);
      return false;
    }
  } else if (!jsonl) {
    x->col_id = column(header, nheader, "id");
    x->col_type = column(header, nheader, "type");
    x->col_partner = column(header, nheader, "partner");
    x->col_time = column(header, nheader, "time");
    if (x->col_id < 0 || x->col_type < 0 || x->col_partner < 0 || x->col_time < 0) {
      fprintf(stderr, _("incent: %s:1: the header needs the columns id, type, partner and time\n"), name);
      input_free(in);
      return false;
    }
    for (int t = 0; t < x->ntypes; t++) {
      int nf = incent_table_event_nfields(x->t, t);
      for (int f = 0; f < nf && f < 256; f++)
        x->field_cols[t][f] = column(header, nheader, incent_table_event_field_name(x->t, t, f));
    }
  }
  input_row r;
  int got;
  while (!x->failed && (got = input_next(in, &r, why, sizeof why)) == 1) {
    if (partners) partner_row(x, &r);
    else if (jsonl) event_json(x, &r);
    else event_row(x, &r);
  }
  input_free(in);
  if (!x->failed && got < 0) {
    fprintf(stderr, "incent: %s\n", why);
    return false;
  }
  return !x->failed;
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
  x.t = table;
  strmap_init(&x.partner_ids);
  if (status == EXIT_OK && !read_rows(&x, pf, partners, true, INPUT_CSV)) status = EXIT_USAGE;
  if (status == EXIT_OK) {
    x.ntypes = incent_table_nevents(table);
    x.field_cols = rt_calloc((size_t)x.ntypes + 1, sizeof *x.field_cols);
    for (int t = 0; x.field_cols && t < x.ntypes; t++)
      if (!(x.field_cols[t] = rt_calloc(256, sizeof **x.field_cols))) status = EXIT_USAGE;
    input_format format = !input ? INPUT_DETECT : strcmp(input, "jsonl") == 0 ? INPUT_JSONL : INPUT_CSV;
    if (status == EXIT_OK && !read_rows(&x, ef, events, false, format)) status = EXIT_USAGE;
    for (int t = 0; x.field_cols && t < x.ntypes; t++) free(x.field_cols[t]);
    free(x.field_cols);
  }
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
  for (size_t i = 0; i < x.nids; i++) free(x.ids[i]);
  free(x.ids);
  free(x.id_rows);
  strmap_free(&x.partner_ids);
  incent_table_free(table);
  fclose(pf);
  if (ef != stdin) fclose(ef);
  return status;
}
