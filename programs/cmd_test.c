/* cmd_test.c: `incent test`: runs the `test` blocks of programs in memory,
 * each from an empty state, and compares what happened with their expectations. */
#include "config.h"
#include "runtime/base/util.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/i18n.h"
#include "incent.h"
#include "programs/cli.h"
#include "programs/coverage.h"
#include "programs/history.h"
#include "runtime/base/decimal.h"
#include "runtime/base/strmap.h"

static void help(void) {
  printf(_("Usage: incent test [OPTION]... PROGRAM.incent...\n"
           "Run the test blocks of programs: one line per test, then N passed, N failed.\n\n"
           "      --coverage     also say what the tests exercised: the rules no test applies, each\n"
           "                     operand of a condition not seen both true and false, the messages\n"
           "                     never sent\n"
           "      --format FORMAT  text (default), json, or lcov (with --coverage: an LCOV tracefile\n"
           "                     on standard output, for genhtml; the test lines go to standard error)\n"
           "  -h, --help         show this help and exit\n"
           "  -V, --version      show the version and exit\n\n"
           "Exit status: 0 every test passed; 1 a test failed or a program has errors;\n"
           "2 bad usage or an unreadable file.\n"));
}

/* What a test observed: points per partner and per rule and partner, rejections. */
typedef struct observed {
  strmap index;      /* "partner" or "rule\001partner" -> slot */
  char **keys;
  long long *points;
  uint32_t n;
  strmap rejected;   /* event id -> 1 */
  char **rejected_ids;
  uint32_t nrejected;
  mem_history h;     /* applied events, for reversals */
  coverage *cov;     /* what the tests exercise, with --coverage */
  bool oom;
} observed;

static long long *points_of(observed *o, const char *key) {
  uint32_t slot, old;
  if (strmap_get(&o->index, key, strlen(key), &slot)) return &o->points[slot];
  char **keys = rt_realloc(o->keys, (o->n + 1) * sizeof *keys);
  long long *points = rt_realloc(o->points, (o->n + 1) * sizeof *points);
  if (keys) o->keys = keys;
  if (points) o->points = points;
  char *k = rt_strdup(key);
  if (!keys || !points || !k) { free(k); o->oom = true; return NULL; }
  o->keys[o->n] = k;
  o->points[o->n] = 0;
  strmap_put(&o->index, k, strlen(k), o->n, &old);
  return &o->points[o->n++];
}

static long long points_get(const observed *o, const char *key) {
  uint32_t slot;
  return strmap_get(&o->index, key, strlen(key), &slot) ? o->points[slot] : 0;
}

/* Earnings are credits less reversals; a reversal counts against the rule of the credit it takes back from. */
static void on_tier(void *ud, const char *event, const char *partner, const char *from, const char *to,
                    const char *message) {
  observed *o = ud;
  (void)event, (void)partner, (void)from, (void)to;
  if (o->cov) coverage_tier(o->cov, message);
}

static void on_entry(void *ud, const incent_entry *en) {
  observed *o = ud;
  if (o->cov) coverage_entry(o->cov, en);
  bool credit = strcmp(en->kind, "credit") == 0, reversal = strcmp(en->kind, "reversal") == 0;
  if (!credit && !reversal) return;
  long long *p = points_of(o, en->recipient);
  if (p) *p += en->granted;
  char key[512];
  snprintf(key, sizeof key, "%s\001%s", credit ? en->rule : en->reverses_rule, en->recipient);
  p = points_of(o, key);
  if (p) *p += en->granted;
  mem_history_entry(&o->h, en);
}

static void reject(observed *o, const char *id) {
  uint32_t old;
  char *k = rt_strdup(id);
  char **ids = k ? rt_realloc(o->rejected_ids, (o->nrejected + 1) * sizeof *ids) : NULL;
  if (!ids) { free(k); return; }
  o->rejected_ids = ids;
  ids[o->nrejected++] = k;
  strmap_put(&o->rejected, k, strlen(k), 1, &old);
}

static void observed_free(observed *o) {
  for (uint32_t i = 0; i < o->n; i++) free(o->keys[i]);
  for (uint32_t i = 0; i < o->nrejected; i++) free(o->rejected_ids[i]);
  mem_history_free(&o->h);
  free(o->keys);
  free(o->points);
  free(o->rejected_ids);
  strmap_free(&o->index);
  strmap_free(&o->rejected);
}

/* The text a test gives for a value, as a data file would hold it. */
/* buf needs DEC_STRING_MAX bytes. */
static const char *value_text(const ast *v, char *buf) {
  bool neg = v->kind == AST_UNOP;
  const ast *x = neg ? v->a : v;
  if (x->kind == AST_MONEY) x = x->a;
  if (x->kind == AST_BOOL) return x->op ? "true" : "false";
  if (x->kind == AST_NUMBER) {
    dec d;
    if (dec_parse(x->s, x->slen, &d) != DEC_OK) return x->s;
    if (neg) dec_neg(d, &d);
    return dec_to_string(d, buf);
  }
  return x->s;
}

/* An expectation's whole number of points (a NUMBER, or a negated one). */
static long long expected_points(const ast *v) {
  char buf[DEC_STRING_MAX];
  return strtoll(value_text(v, buf), NULL, 10);
}

/* Appends "; " and a formatted difference to the report. */
static void differ(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void differ(char *out, size_t size, const char *fmt, ...) {
  size_t n = strlen(out);
  if (n + 3 >= size) return;
  if (n) { strcat(out, "; "); n += 2; }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out + n, size - n, fmt, ap);
  va_end(ap);
}

/* An expectation and what was seen when it was due. */
typedef struct expectation {
  const ast *node;
  bool seen;
  long long got;
  char tier[128];
} expectation;

/* Whether an expectation at `at` is due before an event at `time`: a bare
 * date means the end of that day; times compare as written, in the
 * program's time zone. */
static bool due_before(const char *at, const char *time) {
  size_t n = strlen(at) <= 10 ? 10 : 19;
  return strncmp(time, at, n) > 0;
}

/* Looks at what x expects, as the test stands now, at `at`. */
static void observe(incent_engine *eng, const observed *o, expectation *x, const char *at) {
  const ast *it = x->node;
  char key[512];
  x->seen = true;
  switch (it->kind) {
  case AST_T_EARNS: x->got = points_get(o, it->a->s); break;
  case AST_T_AWARDS:
    snprintf(key, sizeof key, "%s\001%s", it->a->s, it->b->s);
    x->got = points_get(o, key);
    break;
  case AST_T_TIER: {
    const char *tier = incent_engine_tier(eng, it->a->s, at);
    snprintf(x->tier, sizeof x->tier, "%s", tier ? tier : "?");
    break;
  }
  case AST_T_ACCOUNT: {
    incent_account a;
    if (incent_engine_account(eng, it->a->s, at, &a) != INCENT_OK) a = (incent_account){0};
    x->got = it->op == 0 ? a.balance : it->op == 1 ? a.available : it->op == 2 ? a.pending : a.expired;
    break;
  }
  default:
    break;
  }
}

/* Runs one test; returns true when every expectation holds. */
static bool run_test(const incent_table *table, const ast *test, coverage *cov, char *report, size_t size) {
  incent_engine *eng;
  char why[512];
  report[0] = '\0';
  if (incent_engine_new(table, &eng, why, sizeof why) != INCENT_OK) {
    differ(report, size, "%s", why);
    return false;
  }
  observed o = {0};
  o.cov = cov;
  if (cov) coverage_attach(cov, eng);
  strmap_init(&o.index);
  strmap_init(&o.rejected);
  mem_history_init(&o.h);
  mem_history_attach(&o.h, eng);
  strmap seen; /* event id -> index of its signature */
  strmap_init(&seen);
  char **signatures = NULL;
  uint32_t nsig = 0;
  int nattrs = incent_table_nattrs(table);
  const char *last_time = NULL;
  int serial = 0;
  expectation *xs = NULL;
  size_t nx = 0;
  AST_EACH(it, test->b) {
    if (it->kind != AST_T_EARNS && it->kind != AST_T_AWARDS && it->kind != AST_T_TIER && it->kind != AST_T_ACCOUNT &&
        it->kind != AST_T_REJECTED)
      continue;
    expectation *g = rt_realloc(xs, (nx + 1) * sizeof *g);
    if (!g) { o.oom = true; break; }
    xs = g;
    xs[nx++] = (expectation){it, false, 0, ""};
  }
  AST_EACH(it, test->b) {
    char bufs[64][DEC_STRING_MAX];
    if (it->kind == AST_T_PARTNER) {
      const char *values[256] = {0};
      values[0] = it->a->s;
      int k = 0;
      AST_EACH(a, it->b) {
        for (int i = 1; i < nattrs && i < 256; i++)
          if (strcmp(incent_table_attr_name(table, i), a->a->s) == 0) values[i] = value_text(a->b, bufs[k++ % 64]);
      }
      if (incent_engine_partner(eng, values, nattrs < 256 ? nattrs : 256, why, sizeof why) != INCENT_OK)
        differ(report, size, "partner %s: %s", it->a->s, why);
    } else if (it->kind == AST_T_EVENT) {
      int type = incent_table_event_type(table, it->a->s);
      int nf = incent_table_event_nfields(table, type);
      const char *values[256] = {0};
      int k = 0;
      AST_EACH(a, it->d) {
        int f = incent_table_event_field(table, type, a->a->s);
        if (f >= 0 && f < 256) values[f] = value_text(a->b, bufs[k++ % 64]);
      }
      char id[64];
      serial++;
      if (!it->b) snprintf(id, sizeof id, "#%d", serial); /* events without an id get their position */
      const char *event_id = it->b ? it->b->s : id;
      incent_event ev = {event_id, it->a->s, it->c->a->s, it->c->b->s, values, nf < 256 ? nf : 256};
      for (size_t i = 0; i < nx; i++) /* what was due before this event */
        if (!xs[i].seen && xs[i].node->d && due_before(xs[i].node->d->s, ev.time)) observe(eng, &o, &xs[i], xs[i].node->d->s);
      /* what the ledger does: an id seen with the same content is a duplicate, with other content a conflict */
      size_t siglen = strlen(it->a->s) + strlen(ev.partner) + strlen(ev.time) + 4;
      for (int i = 0; i < ev.nvalues; i++) siglen += (values[i] ? strlen(values[i]) : 0) + 1;
      char *sig = rt_malloc(siglen);
      if (!sig) continue;
      snprintf(sig, siglen, "%s\001%s\001%s\001", it->a->s, ev.partner, ev.time);
      for (int i = 0; i < ev.nvalues; i++) {
        strcat(sig, values[i] ? values[i] : "");
        strcat(sig, "\001");
      }
      uint32_t slot, old;
      if (strmap_get(&seen, event_id, strlen(event_id), &slot)) {
        if (strcmp(signatures[slot], sig) != 0) reject(&o, event_id);
        free(sig);
        continue;
      }
      char **grown = rt_realloc(signatures, (nsig + 1) * sizeof *grown);
      if (!grown) { free(sig); continue; }
      signatures = grown;
      signatures[nsig] = sig;
      incent_report rep = {on_entry, NULL, on_tier, &o, NULL};
      incent_result r = incent_engine_apply(eng, &ev, &rep, why, sizeof why);
      mem_history_done(&o.h, &ev, r == INCENT_EVENT_APPLIED);
      if (r != INCENT_EVENT_APPLIED) reject(&o, event_id);
      else last_time = ev.time;
      /* as in a ledger: applied events and events their rules rejected are
       * remembered; an event rejected in step 1 is not */
      if (r != INCENT_EVENT_REJECTED) strmap_put(&seen, event_id, strlen(event_id), nsig, &old);
      if (!strmap_get(&seen, event_id, strlen(event_id), &slot)) free(sig);
      else nsig++;
    }
  }
  if (o.oom || o.h.oom) differ(report, size, "%s", _("out of memory"));
  for (size_t i = 0; i < nx; i++) {
    expectation *x = &xs[i];
    const ast *it = x->node;
    if (!x->seen && it->kind != AST_T_REJECTED)
      observe(eng, &o, x, it->d ? it->d->s : last_time ? last_time : "1970-01-01");
    char at[80] = "";
    if (it->d) snprintf(at, sizeof at, _(" at %s"), it->d->s);
    switch (it->kind) {
    case AST_T_EARNS: {
      long long want = expected_points(it->b);
      if (x->got != want) differ(report, size, _("%s earns %lld points%s, expected %lld"), it->a->s, x->got, at, want);
      break;
    }
    case AST_T_AWARDS: {
      long long want = expected_points(it->c);
      if (x->got != want)
        differ(report, size, _("rule %s awards %s %lld points%s, expected %lld"), it->a->s, it->b->s, x->got, at, want);
      break;
    }
    case AST_T_TIER:
      if (strcmp(x->tier, it->b->s) != 0) differ(report, size, _("%s is in tier %s%s, expected %s"), it->a->s, x->tier, at, it->b->s);
      break;
    case AST_T_ACCOUNT: {
      long long want = expected_points(it->b);
      const char *fmt = it->op == 0   ? _("%s has a balance of %lld points%s, expected %lld")
                        : it->op == 1 ? _("%s has %lld points available%s, expected %lld")
                        : it->op == 2 ? _("%s has %lld points pending%s, expected %lld")
                                      : _("%s has %lld expired points%s, expected %lld");
      if (x->got != want) differ(report, size, fmt, it->a->s, x->got, at, want);
      break;
    }
    case AST_T_REJECTED: {
      uint32_t v;
      if (!strmap_get(&o.rejected, it->a->s, it->a->slen, &v))
        differ(report, size, _("event %s was not rejected"), it->a->s);
      break;
    }
    default:
      break;
    }
  }
  free(xs);
  for (uint32_t i = 0; i < nsig; i++) free(signatures[i]);
  free(signatures);
  strmap_free(&seen);
  observed_free(&o);
  incent_engine_free(eng);
  return report[0] == '\0';
}

/* How the results are written: a line per test (text, or on standard error
 * for lcov), or one JSON object. */
enum { F_TEXT, F_JSON, F_LCOV };

int cmd_test(int argc, char **argv) {
  static const struct option opts[] = {{"coverage", no_argument, NULL, 'c'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  int c, format = F_TEXT;
  bool with_coverage = false;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'c': with_coverage = true; break;
    case 'f':
      if (strcmp(optarg, "text") == 0) format = F_TEXT;
      else if (strcmp(optarg, "json") == 0) format = F_JSON;
      else if (strcmp(optarg, "lcov") == 0) format = F_LCOV;
      else return cli_usage_error("test", _("unknown format '%s'; use text, json or lcov"), optarg);
      break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("test", _("unknown option"));
    }
  }
  if (optind >= argc) return cli_usage_error("test", _("no program given"));
  if (format == F_LCOV && !with_coverage) return cli_usage_error("test", _("--format lcov needs --coverage"));
  FILE *lines = format == F_LCOV ? stderr : stdout; /* where the test lines go */
  int status = EXIT_OK, passed = 0, failed = 0;
  if (format == F_JSON) printf("{\"programs\": [");
  for (int i = optind; i < argc; i++) {
    char *src;
    size_t len;
    if (!cli_read_file(argv[i], &src, &len)) {
      status = EXIT_USAGE;
      continue;
    }
    compile_unit u;
    unsigned char *bytes = NULL;
    size_t blen = 0;
    incent_table *table = NULL;
    emit_probe *probes = NULL;
    uint32_t nprobes = 0;
    coverage cov = {0};
    bool counting = false;
    char why[256];
    incent_status st = INCENT_OK;
    if (!compile_check(&u, argv[i], src, len) ||
        !(with_coverage ? compile_emit_probed(&u, &bytes, &blen, &probes, &nprobes) : compile_emit(&u, &bytes, &blen)) ||
        (st = incent_table_load(bytes, blen, &table, why, sizeof why)) != INCENT_OK) {
      if (u.oom || st == INCENT_ENOMEM) status = cli_out_of_memory();
      else diag_render_text(&u.diag, false, stderr);
      if (status == EXIT_OK) status = EXIT_FAILED;
      free(probes);
    } else if (with_coverage && !(counting = coverage_init(&cov, argv[i], src, len, &u, probes, nprobes))) {
      coverage_free(&cov);
      status = cli_out_of_memory();
    } else {
      if (format == F_JSON) {
        printf("%s\n {\"program\": ", i > optind ? "," : "");
        json_write_string(stdout, argv[i]);
        printf(", \"tests\": [");
      }
      int n = 0;
      AST_EACH(d, u.tree) {
        if (d->kind != AST_TEST) continue;
        char report[2048];
        bool ok = run_test(table, d, counting ? &cov : NULL, report, sizeof report);
        ok ? passed++ : failed++;
        if (format == F_JSON) {
          printf("%s\n  {\"name\": ", n++ ? "," : "");
          json_write_string(stdout, d->a->s);
          printf(", \"ok\": %s, \"differences\": ", ok ? "true" : "false");
          json_write_string(stdout, report);
          printf("}");
        } else if (ok) {
          fprintf(lines, "ok - %s\n", d->a->s);
        } else {
          fprintf(lines, "not ok - %s: %s\n", d->a->s, report);
        }
      }
      if (format == F_JSON) printf("]");
      if (counting && format == F_JSON) printf(", \"coverage\": "), coverage_json(&cov, stdout);
      if (format == F_JSON) printf("}");
      if (counting && format == F_TEXT) coverage_text(&cov, stdout);
      if (counting && format == F_LCOV) coverage_lcov(&cov, stdout);
    }
    if (counting) coverage_free(&cov);
    incent_table_free(table);
    free(bytes);
    compile_unit_free(&u);
    free(src);
  }
  if (format == F_JSON) printf("],\n \"passed\": %d, \"failed\": %d}\n", passed, failed);
  else fprintf(lines, _("%d passed, %d failed\n"), passed, failed);
  if (failed && status == EXIT_OK) status = EXIT_FAILED;
  return status;
}
