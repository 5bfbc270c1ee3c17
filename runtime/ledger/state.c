/* state.c: the account state a ledger keeps beside its entries (counters of
 * caps, limits, budgets, tiers and totals, and every partner's lots),
 * written in the transaction of the batch that changed it, loaded when a
 * ledger opens, and compared with the entries by incent verify. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

/* ---- writing: rows of the batch ---- */

static bool counter_row(void *ud, const counter *c, const char *partner) {
  incent_ledger *l = ud;
  /* a budget's partner is "", not NULL: NULLs would not collide in the primary key */
  val v[5] = {VI(c->key.kind), VT(partner ? partner : ""), VI(c->key.rule), VI(c->key.period), VI(c->value)};
  return batch_row(l->filling, S_COUNTER, 5, v, NULL);
}

/* A partner's counters as text, "kind rule period value" joined by ';'
 * (counters at 0 left out); into b. */
static char *put_int(char *at, int64_t v) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do digits[n++] = (char)('0' + u % 10); while (u /= 10);
  if (v < 0) *at++ = '-';
  while (n) *at++ = digits[--n];
  return at;
}

static void counters_text(const incent_engine *e, const partner *p, textbuf *b) {
  text_clear(b);
  for (uint32_t i = 0; i < p->nkeys; i++) { /* written by hand: this runs for every counter of every batch */
    int64_t v = rt_counter_value(&e->counters, &p->keys[i]);
    if (!v) continue;
    char item[4 * 24], *at = item;
    if (b->len) *at++ = ';';
    at = put_int(at, p->keys[i].kind);
    *at++ = ' ';
    at = put_int(at, p->keys[i].rule);
    *at++ = ' ';
    at = put_int(at, p->keys[i].period);
    *at++ = ' ';
    at = put_int(at, v);
    text_put(b, item, (size_t)(at - item));
  }
}

static bool account_row(void *ud, const incent_engine *e, int32_t who) {
  incent_ledger *l = ud;
  const partner *p = &e->partners[who];
  char *lots = rt_account_format(&p->acct);
  textbuf counters = {0};
  counters_text(e, p, &counters);
  val v[4] = {VT(p->id), VI(p->acct.debt), VT(lots), VT(text_str(&counters))};
  bool ok = lots && !counters.oom && batch_row(l->filling, S_ACCOUNT, 4, v, NULL);
  free(lots);
  text_free(&counters);
  return ok;
}

static bool meta_row(incent_ledger *l, const char *key, const char *value) {
  val v[2] = {VT(key), VT(value)};
  return batch_row(l->filling, S_META, 2, v, NULL);
}

bool rt_state_rows(incent_ledger *l) {
  if (l->lock < 0 || !l->engine) return true; /* only a ledger that applies events changes its state */
  rt_state_sink sink = {counter_row, account_row, l};
  char seq[32], day[32], hash[65];
  snprintf(seq, sizeof seq, "%" PRId64, l->last_seq);
  snprintf(day, sizeof day, "%" PRId32, l->engine->last_day);
  incent_table_hash(l->t, hash);
  return rt_engine_changed(l->engine, &sink) && meta_row(l, "state_seq", seq) && meta_row(l, "state_day", day) &&
         meta_row(l, "state_program", hash);
}

/* ---- loading ---- */

static bool meta(sqlite3 *db, const char *key, char *buf, size_t size) {
  sqlite3_stmt *s;
  bool found = false;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) != SQLITE_OK) return false;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
    found = true;
  }
  sqlite3_finalize(s);
  return found;
}

static int64_t last_entry(sqlite3 *db) {
  sqlite3_stmt *s;
  int64_t seq = -1;
  if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM entries", -1, &s, NULL) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    seq = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return seq;
}

/* A counter as stored; false for one the program cannot hold (a damaged state) or out of memory. */
static bool load_counter(incent_ledger *l, incent_engine *e, const char *partner, int64_t kind, int64_t rule,
                         int64_t period, int64_t value) {
  if (kind < K_LIMIT || kind > K_LAST || rule < 0 || rule > UINT32_MAX ||
      ((kind == K_LIMIT || kind == K_CAP || kind == K_RULE_BUDGET || kind == K_RULE_POINTS) && rule >= l->t->nrules))
    return false;
  return rt_engine_load_counter(e, (uint32_t)kind, partner, (uint32_t)rule, period, value);
}

/* A partner's counters from their text (counters_text). */
static bool load_counters(incent_ledger *l, incent_engine *e, const char *partner, const char *text) {
  for (const char *p = text; *p;) {
    int64_t kind, rule, period, value;
    int used = 0;
    if (sscanf(p, "%" SCNd64 " %" SCNd64 " %" SCNd64 " %" SCNd64 "%n", &kind, &rule, &period, &value, &used) != 4 ||
        !load_counter(l, e, partner, kind, rule, period, value))
      return false;
    p += used;
    if (*p == ';') p++;
    else if (*p) return false;
  }
  return true;
}

bool rt_state_usable(incent_ledger *l) {
  char program[80], seq[32], day[32], hash[65];
  incent_table_hash(l->t, hash);
  return meta(l->db, "state_program", program, sizeof program) && strcmp(program, hash) == 0 &&
         meta(l->db, "state_seq", seq, sizeof seq) && meta(l->db, "state_day", day, sizeof day) &&
         strtoll(seq, NULL, 10) == last_entry(l->db);
}

int64_t rt_state_last_seq(incent_ledger *l) { return last_entry(l->db); }

int32_t rt_state_day(incent_ledger *l) {
  char day[32];
  return meta(l->db, "state_day", day, sizeof day) ? (int32_t)strtol(day, NULL, 10) : 0;
}

int rt_state_load(incent_ledger *l, incent_engine *e, const char *only, char *why, size_t whylen) {
  if (!rt_state_usable(l)) return 0; /* none of this program as of the last entry: rebuilt from the entries */
  int64_t last = last_entry(l->db);
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db, "SELECT kind, partner, rule, period, value FROM counters", -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(l->db)), -1;
  int rc;
  bool ok = true;
  while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *partner = (const char *)sqlite3_column_text(s, 1);
    int64_t kind = sqlite3_column_int64(s, 0), rule = sqlite3_column_int64(s, 2);
    long before = rt_alloc_failures();
    if (!partner || !load_counter(l, e, partner[0] ? partner : NULL, kind, rule, sqlite3_column_int64(s, 3),
                                  sqlite3_column_int64(s, 4)))
      ok = rt_alloc_failures() != before
             ? rt_fail(why, whylen, "out of memory")
             : rt_fail(why, whylen, "cannot read the ledger: a counter of its state is damaged; "
                                    "run incent verify, which rebuilds the state from the entries");
  }
  if (ok && rt_read_failed(l->db, rc, why, whylen)) ok = false;
  sqlite3_finalize(s);
  if (!ok) return -1;
  if (sqlite3_prepare_v2(l->db, "SELECT partner, debt, lots, counters FROM accounts WHERE ?1 IS NULL OR partner = ?1",
                         -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(l->db)), -1;
  if (only) sqlite3_bind_text(s, 1, only, -1, SQLITE_STATIC);
  long failures = rt_alloc_failures();
  while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *partner = (const char *)sqlite3_column_text(s, 0), *lots = (const char *)sqlite3_column_text(s, 2),
               *counters = (const char *)sqlite3_column_text(s, 3);
    if (!partner || !lots || !counters || !rt_engine_load_account(e, partner, lots, sqlite3_column_int64(s, 1)) ||
        !load_counters(l, e, partner, counters))
      ok = rt_alloc_failures() != failures
             ? rt_fail(why, whylen, "out of memory")
             : rt_fail(why, whylen, "cannot read the ledger: the account of partner \"%s\" in its state is damaged; "
                                    "run incent verify, which rebuilds the state from the entries", partner ? partner : "");
  }
  if (ok && rt_read_failed(l->db, rc, why, whylen)) ok = false;
  sqlite3_finalize(s);
  if (!ok) return -1;
  e->last_day = rt_state_day(l);
  l->last_seq = last;
  return 1;
}

bool rt_state_reset(incent_ledger *l, char *why, size_t whylen) {
  char *err = NULL;
  if (sqlite3_exec(l->db, "DELETE FROM counters; DELETE FROM accounts; DELETE FROM meta WHERE key LIKE 'state\\_%' ESCAPE '\\'",
                   NULL, NULL, &err) == SQLITE_OK)
    return true;
  rt_fail(why, whylen, "ledger: %s", err ? err : sqlite3_errmsg(l->db));
  sqlite3_free(err);
  return false;
}

/* ---- comparing ---- */

/* A state as sorted lines of text: counters that are not 0, and accounts
 * that hold anything, their lots in their order (the live engine numbers
 * lots by its own count of credits, a rebuilt one by the entries' seq: the
 * order is compared, not the numbers). */
typedef struct lines { char **v; size_t n, cap; bool oom; } lines;

static void line(lines *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(lines *x, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char *s = rt_strdup(buf);
  if (!s || !rt_grow((void **)&x->v, &x->cap, x->n + 1, sizeof *x->v)) {
    free(s);
    x->oom = true;
    return;
  }
  x->v[x->n++] = s;
}

static bool counter_line(void *ud, const counter *c, const char *partner) {
  if (c->value) line(ud, "counter kind %u, partner %s, rule %u, period %" PRId64 ": %" PRId64, c->key.kind,
                     partner ? partner : "(none)", c->key.rule, c->key.period, c->value);
  return true;
}

static int by_lot(const void *a, const void *b) {
  const rt_lot *x = a, *y = b;
  if (x->last != y->last) return x->last < y->last ? -1 : 1;
  if (x->avail != y->avail) return x->avail < y->avail ? -1 : 1;
  return x->left < y->left ? -1 : x->left > y->left;
}

static bool account_line(void *ud, const incent_engine *e, int32_t who) {
  lines *x = ud;
  const char *partner = e->partners[who].id;
  const rt_account *a = &e->partners[who].acct;
  rt_account c = {0};
  if (!rt_account_copy(&c, a)) return x->oom = true, true;
  if (c.n || c.debt) {
    if (c.n) qsort(c.lots, c.n, sizeof *c.lots, by_lot); /* a debt alone has no lots */
    for (uint32_t i = 0; i < c.n; i++) c.lots[i].seq = i; /* the order, not the numbering */
    char *lots = rt_account_format(&c);
    if (lots) line(x, "account %s: debt %" PRId64 ", lots %s", partner, c.debt, lots);
    else x->oom = true;
    free(lots);
  }
  rt_account_free(&c);
  return true;
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void state_lines(const incent_engine *e, lines *x) {
  rt_state_sink sink = {counter_line, account_line, x};
  rt_engine_state(e, &sink);
  if (x->n) qsort(x->v, x->n, sizeof *x->v, by_text);
}

static void lines_free(lines *x) {
  for (size_t i = 0; i < x->n; i++) free(x->v[i]);
  free(x->v);
}

bool rt_state_verify(incent_ledger *l, bool *same, char *why, size_t whylen) {
  *same = true;
  incent_engine *stored = NULL, *rebuilt = NULL;
  bool ok = incent_engine_new(l->t, &stored, why, whylen) == INCENT_OK &&
            incent_engine_new(l->t, &rebuilt, why, whylen) == INCENT_OK &&
            rt_ledger_load_partners(l, stored, NULL, why, whylen) && rt_ledger_load_partners(l, rebuilt, NULL, why, whylen) &&
            rt_ledger_load_state(l, rebuilt, INT64_MAX, NULL, why, whylen);
  int loaded = ok ? rt_state_load(l, stored, NULL, why, whylen) : -1;
  if (loaded == 0) {
    *same = false;
    rt_fail(why, whylen, "the ledger holds no state of its program as of its last entry");
  } else if (loaded > 0) {
    lines a = {0}, b = {0};
    state_lines(stored, &a);
    state_lines(rebuilt, &b);
    if (a.oom || b.oom) {
      ok = rt_fail(why, whylen, "out of memory");
    } else {
      size_t i = 0;
      while (i < a.n && i < b.n && strcmp(a.v[i], b.v[i]) == 0) i++;
      if (i < a.n || i < b.n) {
        *same = false;
        if (i < a.n && (i >= b.n || strcmp(a.v[i], b.v[i]) < 0))
          rt_fail(why, whylen, "the state holds %s, which the entries do not give", a.v[i]);
        else
          rt_fail(why, whylen, "the entries give %s, which the state does not hold", b.v[i]);
      }
    }
    lines_free(&a);
    lines_free(&b);
  } else {
    ok = false;
  }
  incent_engine_free(stored);
  incent_engine_free(rebuilt);
  return ok;
}

/* ---- reading one partner's balance ---- */

typedef struct rule_points { const char *rule; int64_t points; } rule_points;

static int by_rule(const void *a, const void *b) {
  return strcmp(((const rule_points *)a)->rule, ((const rule_points *)b)->rule);
}

incent_status rt_partner_balance(incent_ledger *l, const char *id, incent_balance_fn *fn, void *ud, char *why,
                                 size_t whylen) {
  const incent_engine *e = l->engine;
  const incent_table *t = l->t;
  uint32_t p;
  if (!strmap_get(&e->partner_index, id, strlen(id), &p)) return INCENT_OK; /* no entry: no line */
  const partner *x = &e->partners[p];
  rule_points *rules = rt_calloc(x->nkeys + 1, sizeof *rules);
  if (!rules) return rt_fail(why, whylen, "out of memory"), INCENT_ENOMEM;
  size_t n = 0;
  bool any = false;
  for (uint32_t i = 0; i < x->nkeys; i++) {
    any |= x->keys[i].kind == K_BALANCE || x->keys[i].kind == K_RULE_POINTS;
    int64_t v = rt_counter_value(&e->counters, &x->keys[i]);
    if (x->keys[i].kind == K_RULE_POINTS && v && x->keys[i].rule < t->nrules)
      rules[n++] = (rule_points){rt_string(t, t->rules[x->keys[i].rule].name), v};
  }
  if (any) {
    qsort(rules, n, sizeof *rules, by_rule);
    char when[40] = "", day[16];
    if (e->last_day > 0) snprintf(when, sizeof when, "%sT23:59:59", civil_format_date(e->last_day, day));
    const char *tier = when[0] ? incent_engine_tier(e, id, when) : NULL;
    fn(ud, id, NULL, rt_counter_value(&e->counters, &(counter_key){0, (int32_t)p, 0, K_BALANCE, 0}), tier);
    for (size_t i = 0; i < n; i++) fn(ud, id, rules[i].rule, rules[i].points, tier);
  }
  free(rules);
  return INCENT_OK;
}
