/* cmd_run.c: `incent run`: applies partner activity (CSV or JSON Lines) to a ledger. */
#include "config.h"
#include "runtime/base/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"
#include "programs/input.h"
#include "programs/rows.h"
#include "runtime/base/strmap.h"

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
  /* partners: the ids of this file so far, to refuse one given twice */
  strmap partner_ids;
  char **ids;
  long *id_rows;
  size_t nids, capids, caprows;
} run;

static void fatal(run *x, const char *why) {
  fprintf(stderr, "incent: %s\n", why);
  x->failed = true;
}

static void reject_row(run *x, long row, const char *raw, const char *id, const char *reason) {
  char why[256];
  x->rejected++;
  if (incent_ledger_reject(x->ledger, x->source, row, id, raw ? raw : "", reason, why, sizeof why) != INCENT_OK)
    fatal(x, why);
}

/* Remembers a partner id of this file: the row it was first given at when it
 * was given before, 0 when it is new, -1 when out of memory. */
static long partner_seen(run *x, const char *id, long row) {
  uint32_t at;
  if (strmap_get(&x->partner_ids, id, strlen(id), &at)) return x->id_rows[at];
  char *copy = rt_strdup(id);
  if (!copy || !rt_grow((void **)&x->ids, &x->capids, x->nids + 1, sizeof *x->ids) ||
      !rt_grow((void **)&x->id_rows, &x->caprows, x->nids + 1, sizeof *x->id_rows)) {
    free(copy);
    return -1;
  }
  uint32_t old;
  if (!strmap_put(&x->partner_ids, copy, strlen(copy), (uint32_t)x->nids, &old) && old == UINT32_MAX) {
    free(copy);
    return -1;
  }
  x->ids[x->nids] = copy;
  x->id_rows[x->nids++] = row;
  return 0;
}

static void partner_row(run *x, const rows_map *m, const input_row *r) {
  if (r->problem) {
    reject_row(x, r->row, r->line, NULL, r->problem);
    return;
  }
  const char *values[ROWS_MAX_VALUES];
  int n = rows_partner(m, r, values);
  char why[512];
  long first = values[0] && values[0][0] ? partner_seen(x, values[0], r->row) : 0;
  if (first < 0) {
    cli_out_of_memory(), x->failed = true;
  } else if (first > 0) {
    snprintf(why, sizeof why, "partner id \"%s\" was given before, at row %ld; give each partner once", values[0],
             first);
    reject_row(x, r->row, r->line, NULL, why);
  } else {
    incent_status st = incent_ledger_partner(x->ledger, values, n, why, sizeof why);
    if (st == INCENT_OK) x->partners++;
    else if (st == INCENT_EFORMAT) reject_row(x, r->row, r->line, NULL, why);
    else fatal(x, why);
  }
}

static void apply(run *x, const input_row *r, const incent_event *ev) {
  char why[512];
  incent_outcome o = incent_ledger_apply(x->ledger, ev, why, sizeof why);
  switch (o) {
  case INCENT_OUT_APPLIED: x->applied++; break;
  case INCENT_OUT_DUPLICATE: x->duplicates++; break;
  case INCENT_OUT_REJECTED: reject_row(x, r->row, r->line, ev->id, why); break;
  default: fatal(x, why);
  }
}

static void event_row(run *x, const rows_map *m, const input_row *r, bool jsonl) {
  if (r->problem) {
    reject_row(x, r->row, r->line, NULL, r->problem);
    return;
  }
  const char *values[ROWS_MAX_VALUES];
  incent_event ev;
  if (!jsonl) {
    rows_event_csv(m, r, &ev, values);
    apply(x, r, &ev);
    return;
  }
  void *hold;
  char why[512];
  int got = rows_event_json(x->t, r, &ev, values, &hold, why, sizeof why);
  if (got > 0) apply(x, r, &ev);
  else if (got == 0) reject_row(x, r->row, r->line, ev.id, why);
  else cli_out_of_memory(), x->failed = true;
  rows_json_release(hold);
}

/* Reads a partners file or an events file (CSV, or JSON Lines) row by row
 * into the ledger; false, having said why, when the file cannot be read or
 * the ledger fails. */
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
  rows_map *m = NULL;
  if (!jsonl && nheader > 0 && !(m = rows_map_new(x->t, partners, name, header, nheader, why, sizeof why))) {
    fprintf(stderr, "incent: %s\n", why);
    input_free(in);
    return false;
  }
  input_row r;
  int got = 0;
  while (!x->failed && (jsonl || m) && (got = input_next(in, &r, why, sizeof why)) == 1) {
    if (partners) partner_row(x, m, &r);
    else event_row(x, m, &r, jsonl);
  }
  rows_map_free(m);
  input_free(in);
  if (!x->failed && got < 0) fatal(x, why);
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
  input_format format = !input ? INPUT_DETECT : strcmp(input, "jsonl") == 0 ? INPUT_JSONL : INPUT_CSV;
  if (status == EXIT_OK && !read_rows(&x, ef, events, false, format)) status = EXIT_USAGE;
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
  for (size_t i = 0; i < x.nids; i++) free(x.ids[i]);
  free(x.ids);
  free(x.id_rows);
  strmap_free(&x.partner_ids);
  incent_table_free(table);
  fclose(pf);
  if (ef != stdin) fclose(ef);
  return status;
}
