/* cmd_simulate.c: `incent simulate`: what a new program would grant against an old one on the same data. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/cli.h"
#include "programs/simulate.h"
#include "runtime/base/util.h"

static void help(void) {
  printf(_("Usage: incent simulate OLD NEW --partners FILE --events FILE|- [OPTION]...\n"
           "   or: incent simulate NEW --ledger DB [OPTION]...\n"
           "What NEW would grant against OLD on the same partners and events, or against what a\n"
           "ledger holds: per partner, rule and category, in total, against the budgets, and the\n"
           "events whose outcome changes.  Both programs are applied in memory; nothing is written.\n\n"
           "      --partners FILE        partners, CSV with a header (as incent run reads them)\n"
           "      --events FILE|-        events, CSV with a header or JSON Lines\n"
           "      --input-format FORMAT  csv or jsonl (default: detected from the first character)\n"
           "      --ledger DB            a ledger: its partners and events, and what it granted\n"
           "      --top N                the N partners most affected (default 10)\n"
           "      --format FORMAT        text (default), json or csv (one row per partner and rule)\n"
           "  -h, --help                 show this help and exit\n"
           "  -V, --version              show the version and exit\n\n"
           "Exit status: 0 the simulation ran and every row was read and applied by both programs;\n"
           "1 rows were rejected or could not be read by a program (counted per program);\n"
           "2 bad usage or an unreadable file.\n"));
}

/* ---- figures gathered for the output ---- */

typedef struct bucket {
  const char *name; /* a category, a rule or a partner; NULL: no category */
  long long pts[2];
  long order;       /* where it is shown among its kind */
} bucket;

static int by_order(const void *a, const void *b) {
  const bucket *x = a, *y = b;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* The six conventional categories come first, in their order (as statements show them). */
static long category_order(const char *name) {
  static const char *const conventional[] = {"contribution", "capacity", "coverage", "commitment", "consumption",
                                             "collaboration"};
  if (!name) return 7;
  for (int i = 0; i < 6; i++)
    if (strcmp(name, conventional[i]) == 0) return i;
  return 6;
}

static long long diff(const long long p[2]) { return p[1] - p[0]; }
static long long magnitude(long long v) { return v < 0 ? -v : v; }

static int by_category(const void *a, const void *b) {
  const bucket *x = a, *y = b;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return x->order == 6 ? strcmp(x->name, y->name) : 0; /* a program's own, by name */
}

static int by_change(const void *a, const void *b) {
  const bucket *x = a, *y = b;
  long long dx = magnitude(diff(x->pts)), dy = magnitude(diff(y->pts));
  if (dx != dy) return dx > dy ? -1 : 1;
  return strcmp(x->name, y->name);
}

static const sim *sorting; /* the simulation whose cells are sorted (qsort has no context) */
static int by_partner_rule(const void *a, const void *b) {
  const sim_cell *x = a, *y = b;
  int c = strcmp(sorting->partners.s[x->partner], sorting->partners.s[y->partner]);
  return c ? c : strcmp(sorting->rules.s[x->rule], sorting->rules.s[y->rule]);
}

/* Adds pts to the bucket named name (names compared as strings, NULL matching NULL). */
static bool bucket_add(bucket **b, size_t *n, size_t *cap, const char *name, int side, long long pts, bool *overflow) {
  for (size_t i = 0; i < *n; i++)
    if ((*b)[i].name == name || ((*b)[i].name && name && strcmp((*b)[i].name, name) == 0)) {
      if (__builtin_add_overflow((*b)[i].pts[side], pts, &(*b)[i].pts[side])) *overflow = true;
      return true;
    }
  if (!rt_grow((void **)b, cap, *n + 1, sizeof **b)) return false;
  (*b)[*n] = (bucket){name, {0, 0}, category_order(name)};
  (*b)[(*n)++].pts[side] = pts;
  return true;
}

typedef struct figures {
  bucket *categories, *rules, *partners;
  size_t ncategories, nrules, npartners, capcategories;
  long long total[2];
} figures;

static bool gather(sim *s, figures *f) {
  f->rules = rt_calloc(s->rules.n + 1, sizeof *f->rules);
  f->partners = rt_calloc(s->partners.n + 1, sizeof *f->partners);
  if (!f->rules || !f->partners) return false;
  /* rules in the new program's order, then those only the old one has, then lapses */
  long nnew = incent_table_nrules(s->side[1].t);
  for (size_t i = 0; i < s->rules.n; i++) {
    int in_new = sim_rule_index(s, 1, (uint32_t)i), in_old = sim_rule_index(s, 0, (uint32_t)i);
    f->rules[i].name = s->rules.s[i];
    f->rules[i].order = in_new >= 0 ? in_new : in_old >= 0 ? nnew + in_old : LONG_MAX;
  }
  for (size_t i = 0; i < s->partners.n; i++) f->partners[i].name = s->partners.s[i];
  f->nrules = s->rules.n, f->npartners = s->partners.n;
  for (size_t i = 0; i < s->ncells; i++) {
    const sim_cell *c = &s->cells[i];
    for (int side = 0; side < 2; side++) {
      long long p = c->pts[side];
      if (__builtin_add_overflow(f->rules[c->rule].pts[side], p, &f->rules[c->rule].pts[side]) ||
          __builtin_add_overflow(f->partners[c->partner].pts[side], p, &f->partners[c->partner].pts[side]) ||
          __builtin_add_overflow(f->total[side], p, &f->total[side]))
        s->overflow = true;
      if (!bucket_add(&f->categories, &f->ncategories, &f->capcategories, sim_category(s, side, c->rule), side, p,
                      &s->overflow))
        return false;
    }
  }
  qsort(f->categories, f->ncategories, sizeof *f->categories, by_category);
  qsort(f->rules, f->nrules, sizeof *f->rules, by_order);
  sorting = s;
  qsort(s->cells, s->ncells, sizeof *s->cells, by_partner_rule);
  return true;
}

static void figures_free(figures *f) {
  free(f->categories), free(f->rules), free(f->partners);
}

/* A rule's name as shown: lapses have none. */
static const char *rule_shown(const char *name) { return *name ? cli_shown(name) : _("(lapsed)"); }

/* ---- text ---- */

static void text_row(const char *label, const long long p[2]) {
  printf("  %-32s %14lld %14lld %+14lld\n", label, p[0], p[1], diff(p));
}

static void text_side(const sim *s, int i) {
  const sim_side *d = &s->side[i];
  printf(i == 0 ? _("old: %s\n") : _("new: %s\n"), d->name);
  printf(_("  events applied %ld, rejected %ld, unreadable %ld; partners %ld, unreadable %ld\n"), d->applied,
         d->rejected, d->unread, d->partners, d->partners_unread);
  if (d->unread_why[0]) printf(_("  it cannot read: %s\n"), d->unread_why);
  for (int k = 0; k < SIM_EXAMPLES && d->rejects[k]; k++)
    printf(_("  rejected %s\n"), cli_shown(d->rejects[k]));
  if (d->rejected > SIM_EXAMPLES) printf(_("  and %ld more rejected\n"), d->rejected - SIM_EXAMPLES);
}

static void text_budget(const char *label, long long budget, const long long used[2]) {
  printf("  %-32s %14lld %14lld %14lld\n", label, budget, used[0], used[1]);
}

static void write_text(sim *s, const figures *f, int top) {
  text_side(s, 0);
  text_side(s, 1);
  printf(_("events %ld, duplicates %ld\n\n"), s->events, s->duplicates);
  printf("%-34s %14s %14s %14s\n", _("points"), _("old"), _("new"), _("difference"));
  text_row(_("total"), f->total);
  const sim_side *o = &s->side[0], *n = &s->side[1];
  text_row(_("credited"), (long long[2]){o->credited, n->credited});
  text_row(_("spent"), (long long[2]){o->spent, n->spent});
  text_row(_("reversed"), (long long[2]){o->reversed, n->reversed});
  text_row(_("lapsed"), (long long[2]){o->lapsed, n->lapsed});
  printf("\n%s\n", _("by category"));
  for (size_t i = 0; i < f->ncategories; i++)
    text_row(f->categories[i].name ? cli_shown(f->categories[i].name) : _("(no category)"), f->categories[i].pts);
  printf("\n%s\n", _("by rule"));
  for (size_t i = 0; i < f->nrules; i++) text_row(rule_shown(f->rules[i].name), f->rules[i].pts);
  printf("\n%s\n", _("partners most affected"));
  for (int i = 0; i < top && (size_t)i < f->npartners && diff(f->partners[i].pts); i++)
    text_row(cli_shown(f->partners[i].name), f->partners[i].pts);
  printf("\n%s\n", _("by partner and rule, where they differ"));
  for (size_t i = 0; i < s->ncells; i++) {
    const sim_cell *c = &s->cells[i];
    if (!diff(c->pts)) continue;
    char label[256];
    snprintf(label, sizeof label, "%s %s", cli_shown(s->partners.s[c->partner]), rule_shown(s->rules.s[c->rule]));
    text_row(label, c->pts);
  }
  printf("\n%s\n", _("outcomes that changed"));
  for (int a = 0; a < SO_COUNT; a++)
    for (int b = 0; b < SO_COUNT; b++) {
      if (a == b || !s->changed[a][b]) continue;
      printf(P_("  %s -> %s: %ld event", "  %s -> %s: %ld events", (unsigned long)s->changed[a][b]),
             sim_outcome_names[a], sim_outcome_names[b], s->changed[a][b]);
      for (int k = 0; k < SIM_EXAMPLES && s->examples[a][b][k]; k++)
        printf("%s%s", k ? ", " : " (", cli_shown(s->examples[a][b][k]));
      printf("%s\n", s->examples[a][b][0] ? (s->changed[a][b] > SIM_EXAMPLES ? ", ...)" : ")") : "");
    }
  bool budgets = incent_table_budget(s->side[0].t) >= 0 || incent_table_budget(s->side[1].t) >= 0;
  for (int i = 0; i < 2 && !budgets; i++)
    for (int r = 0; r < incent_table_nrules(s->side[i].t) && !budgets; r++) budgets = incent_table_rule_budget(s->side[i].t, r) >= 0;
  if (!budgets) return;
  printf("\n%-34s %14s %14s %14s\n", _("budgets"), _("budget"), _("old credited"), _("new credited"));
  for (int i = 0; i < 2; i++) {
    long long budget = incent_table_budget(s->side[i].t);
    if (budget < 0 || (i == 1 && budget == incent_table_budget(s->side[0].t))) continue;
    text_budget(budget == incent_table_budget(s->side[!i].t) ? _("program") : i == 0 ? _("program (old)")
                                                                                  : _("program (new)"),
                budget, (long long[2]){o->credited, n->credited});
  }
  for (size_t r = 0; r < s->rules.n; r++) {
    long long used[2], budget[2];
    for (int i = 0; i < 2; i++) budget[i] = sim_rule_budget(s, i, (uint32_t)r, &used[i]);
    for (int i = 0; i < 2; i++) {
      if (budget[i] < 0 || (i == 1 && budget[1] == budget[0])) continue;
      char label[256];
      snprintf(label, sizeof label, budget[0] == budget[1] ? "%s" : i == 0 ? _("%s (old)") : _("%s (new)"),
               cli_shown(s->rules.s[r]));
      text_budget(label, budget[i], used);
    }
  }
}

/* ---- JSON ---- */

static void json_pts(const long long p[2]) { printf("\"old\": %lld, \"new\": %lld, \"difference\": %lld", p[0], p[1], diff(p)); }

static void json_side(const sim_side *d) {
  printf("{\"program\": ");
  json_write_string(stdout, d->name);
  printf(", \"events\": {\"applied\": %ld, \"rejected\": %ld, \"unreadable\": %ld}, \"partners\": {\"read\": %ld, "
         "\"unreadable\": %ld}, \"points\": {\"credited\": %lld, \"spent\": %lld, \"reversed\": %lld, \"lapsed\": %lld}",
         d->applied, d->rejected, d->unread, d->partners, d->partners_unread, d->credited, d->spent, d->reversed,
         d->lapsed);
  if (d->unread_why[0]) printf(", \"cannot_read\": "), json_write_string(stdout, d->unread_why);
  printf(", \"rejected_examples\": [");
  for (int k = 0; k < SIM_EXAMPLES && d->rejects[k]; k++) printf("%s", k ? ", " : ""), json_write_string(stdout, d->rejects[k]);
  printf("]");
  printf("}");
}

static void json_budget(bool *first, const char *rule, const char *side, long long budget, const long long used[2]) {
  printf("%s\n    {\"rule\": ", *first ? "" : ",");
  *first = false;
  if (rule) json_write_string(stdout, rule);
  else printf("null");
  printf(", \"of\": \"%s\", \"budget\": %lld, \"old_credited\": %lld, \"new_credited\": %lld}", side, budget, used[0],
         used[1]);
}

static void write_json(sim *s, const figures *f, int top) {
  printf("{\"old\": ");
  json_side(&s->side[0]);
  printf(",\n \"new\": ");
  json_side(&s->side[1]);
  printf(",\n \"events\": %ld, \"duplicates\": %ld,\n \"total\": {", s->events, s->duplicates);
  json_pts(f->total);
  printf("},\n \"categories\": [");
  for (size_t i = 0; i < f->ncategories; i++) {
    printf("%s\n    {\"category\": ", i ? "," : "");
    if (f->categories[i].name) json_write_string(stdout, f->categories[i].name);
    else printf("null");
    printf(", "), json_pts(f->categories[i].pts), printf("}");
  }
  printf("],\n \"rules\": [");
  for (size_t i = 0; i < f->nrules; i++) {
    printf("%s\n    {\"rule\": ", i ? "," : "");
    if (f->rules[i].name[0]) json_write_string(stdout, f->rules[i].name);
    else printf("null"); /* lapses */
    printf(", "), json_pts(f->rules[i].pts), printf("}");
  }
  printf("],\n \"most_affected\": [");
  for (int i = 0, k = 0; i < top && (size_t)i < f->npartners && diff(f->partners[i].pts); i++, k++) {
    printf("%s\n    {\"partner\": ", k ? "," : "");
    json_write_string(stdout, f->partners[i].name);
    printf(", "), json_pts(f->partners[i].pts), printf("}");
  }
  printf("],\n \"partners\": [");
  for (size_t i = 0; i < s->ncells; i++) {
    const sim_cell *c = &s->cells[i];
    printf("%s\n    {\"partner\": ", i ? "," : "");
    json_write_string(stdout, s->partners.s[c->partner]);
    printf(", \"rule\": ");
    if (s->rules.s[c->rule][0]) json_write_string(stdout, s->rules.s[c->rule]);
    else printf("null");
    printf(", "), json_pts(c->pts), printf("}");
  }
  printf("],\n \"outcomes\": [");
  bool first = true;
  for (int a = 0; a < SO_COUNT; a++)
    for (int b = 0; b < SO_COUNT; b++) {
      if (a == b || !s->changed[a][b]) continue;
      printf("%s\n    {\"old\": \"%s\", \"new\": \"%s\", \"events\": %ld, \"examples\": [", first ? "" : ",",
             sim_outcome_names[a], sim_outcome_names[b], s->changed[a][b]);
      first = false;
      for (int k = 0; k < SIM_EXAMPLES && s->examples[a][b][k]; k++)
        printf("%s", k ? ", " : ""), json_write_string(stdout, s->examples[a][b][k]);
      printf("]}");
    }
  printf("],\n \"budgets\": [");
  first = true;
  for (int i = 0; i < 2; i++) {
    long long budget = incent_table_budget(s->side[i].t);
    if (budget >= 0)
      json_budget(&first, NULL, i ? "new" : "old", budget, (long long[2]){s->side[0].credited, s->side[1].credited});
  }
  for (size_t r = 0; r < s->rules.n; r++)
    for (int i = 0; i < 2; i++) {
      long long used[2], budget = sim_rule_budget(s, i, (uint32_t)r, &used[i]);
      sim_rule_budget(s, !i, (uint32_t)r, &used[!i]);
      if (budget >= 0) json_budget(&first, s->rules.s[r], i ? "new" : "old", budget, used);
    }
  printf("]}\n");
}

/* ---- CSV: one row per partner and rule ---- */

static void write_csv(sim *s) {
  printf("partner,rule,old_category,new_category,old,new,difference\n");
  for (size_t i = 0; i < s->ncells; i++) {
    const sim_cell *c = &s->cells[i];
    const char *c0 = sim_category(s, 0, c->rule), *c1 = sim_category(s, 1, c->rule);
    cli_csv_cell(s->partners.s[c->partner]);
    putchar(',');
    cli_csv_cell(s->rules.s[c->rule]);
    putchar(',');
    cli_csv_cell(c0 ? c0 : "");
    putchar(',');
    cli_csv_cell(c1 ? c1 : "");
    printf(",%lld,%lld,%lld\n", c->pts[0], c->pts[1], diff(c->pts));
  }
}

/* ---- the command ---- */

static bool read_file(sim *s, const char *path, bool partners, input_format format) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "incent: %s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = sim_read(s, f, path, partners, format);
  if (!ok) fprintf(stderr, "incent: %s\n", s->why);
  if (f != stdin) fclose(f);
  return ok;
}

int cmd_simulate(int argc, char **argv) {
  static const struct option opts[] = {
    {"partners", required_argument, NULL, 'p'}, {"events", required_argument, NULL, 'e'},
    {"ledger", required_argument, NULL, 'l'},   {"input-format", required_argument, NULL, 'i'},
    {"format", required_argument, NULL, 'f'},   {"top", required_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *partners = NULL, *events = NULL, *ledger = NULL;
  input_format input = INPUT_DETECT;
  int format = 0, top = 10, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'p': partners = optarg; break;
    case 'e': events = optarg; break;
    case 'l': ledger = optarg; break;
    case 'i':
      if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
        return cli_usage_error("simulate", _("unknown input format '%s'; use csv or jsonl"), optarg);
      input = strcmp(optarg, "csv") == 0 ? INPUT_CSV : INPUT_JSONL;
      break;
    case 'f':
      if (strcmp(optarg, "text") == 0) format = 0;
      else if (strcmp(optarg, "json") == 0) format = 1;
      else if (strcmp(optarg, "csv") == 0) format = 2;
      else return cli_usage_error("simulate", _("unknown format '%s'; use text, json or csv"), optarg);
      break;
    case 't': {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end || end == optarg || n < 0 || n > 1000000)
        return cli_usage_error("simulate", _("--top takes a number of partners, 0 to 1000000"));
      top = (int)n;
      break;
    }
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("simulate", _("unknown option"));
    }
  }
  int nprog = argc - optind;
  if (ledger ? nprog != 1 || partners || events : nprog != 2 || !partners || !events)
    return cli_usage_error("simulate", _("give OLD and NEW with --partners and --events, or NEW with --ledger"));
  incent_table *tables[2] = {NULL, NULL};
  int status = EXIT_OK;
  for (int i = 0; i < nprog && status == EXIT_OK; i++) status = cli_load_table(argv[optind + i], &tables[i]);
  sim s;
  bool ready = false;
  if (status == EXIT_OK && !ledger) {
    ready = true; /* what sim_init made, even when it fails, is freed below */
    if (!sim_init(&s, argv[optind], tables[0], argv[optind + 1], tables[1]))
      fprintf(stderr, "incent: %s\n", s.oom ? _("out of memory") : s.why), status = EXIT_USAGE;
    else if (!read_file(&s, partners, true, INPUT_CSV) || !read_file(&s, events, false, input))
      status = EXIT_USAGE;
  } else if (status == EXIT_OK) {
    incent_ledger *l = cli_open_ledger(ledger);
    if (!l) {
      status = EXIT_USAGE;
    } else {
      ready = true; /* sim_free closes the ledger once sim_ledger holds it */
      if (!sim_ledger(&s, ledger, l, argv[optind], tables[0])) {
        fprintf(stderr, "incent: %s\n", s.why);
        status = EXIT_USAGE;
      }
      if (!s.ledger) incent_ledger_close(l, NULL, 0);
    }
  }
  figures f = {0};
  if (status == EXIT_OK && !gather(&s, &f)) status = cli_out_of_memory();
  if (status == EXIT_OK && s.overflow) {
    fprintf(stderr, "incent: %s\n", _("a total passed the largest number of points (2^63 - 1); no figures are given"));
    status = EXIT_USAGE;
  }
  if (status == EXIT_OK) {
    qsort(f.partners, f.npartners, sizeof *f.partners, by_change);
    if (format == 0) write_text(&s, &f, top);
    else if (format == 1) write_json(&s, &f, top);
    else write_csv(&s);
    for (int i = 0; i < 2; i++)
      if (s.side[i].rejected || s.side[i].unread || s.side[i].partners_unread) status = EXIT_FAILED;
  }
  figures_free(&f);
  if (ready) sim_free(&s);
  for (int i = 0; i < 2; i++) incent_table_free(tables[i]);
  return status;
}
