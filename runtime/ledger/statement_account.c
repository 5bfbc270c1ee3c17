/* statement_account.c: a statement's figures for each partner and a
 * period, from the entries up to the period's end, read once in the order
 * they were written (a sequential scan: reading partner by partner through
 * an index on the recipient fetched every entry from its own page, and such
 * an index would cost every run its upkeep): the credits of the period by
 * rule; the opening balance and what was credited, spent, reversed and
 * expired in it; and the partner's lots rebuilt as of the period's end
 * (rt_account_replay, what a run does to an account), which give what is
 * pending then, the next lapse, and the lapses that had happened by then
 * but were not written yet (the partner had no event since); and the points
 * towards tiers as of the period's end, which give the tier held then
 * (later entries of the same tiers' period do not count). */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/base/strmap.h"
#include "runtime/base/util.h"
#include "runtime/engine/engine.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/ledger/statement_account.h"

/* A rule that is gone, for one partner (few: a program changed under a ledger). */
typedef struct gone_line {
  uint32_t partner;
  char *rule;
  long long times, points;
} gone_line;

/* One partner's summary. */
typedef struct summary {
  rt_account acct;
  rt_period_account fig;
  long long *sums; /* per rule of the program: credits seen, times and points (3 * nrules); NULL until its first credit */
  rt_period_entry *entries; /* with detail: the entries of the period */
  size_t nentries, capentries;
} summary;

struct rt_statement_reader {
  const incent_table *t;
  incent_engine *e; /* the partners alone, for their ids and given tiers */
  int32_t first, last;
  int64_t tier_period; /* the key of the tiers' period that holds the period's end */
  bool detail;
  strmap events;  /* with detail: the events of the entries kept, to their slots */
  char **amounts; /* per slot: its event's amount, NULL for none */
  size_t nslots, capslots;
  summary *s;   /* per partner of the engine */
  uint32_t n;
  gone_line *gone;
  size_t ngone, capgone;
  rt_rule_line *lines; /* the last partner's */
  size_t cap;
};

void rt_statement_reader_free(rt_statement_reader *r) {
  if (!r) return;
  for (uint32_t i = 0; r->s && i < r->n; i++) {
    free(r->s[i].acct.lots);
    free(r->s[i].sums);
    for (size_t k = 0; k < r->s[i].nentries; k++) free((char *)r->s[i].entries[k].event);
    free(r->s[i].entries);
  }
  for (size_t i = 0; i < r->nslots; i++) free(r->amounts[i]);
  free(r->amounts);
  strmap_free(&r->events);
  for (size_t i = 0; i < r->ngone; i++) free(r->gone[i].rule);
  free(r->gone);
  free(r->s);
  free(r->lines);
  incent_engine_free(r->e);
  free(r);
}

static bool credit(rt_statement_reader *r, uint32_t p, const char *rule, bool applied, long long granted) {
  summary *s = &r->s[p];
  int ri = rule ? incent_table_rule(r->t, rule) : -1;
  if (ri >= 0) {
    if (!s->sums && !(s->sums = rt_calloc(3 * (size_t)r->t->nrules, sizeof *s->sums))) return false;
    s->sums[3 * ri] = 1, s->sums[3 * ri + 1] += applied, s->sums[3 * ri + 2] += granted;
    return true;
  }
  if (!rule) return true;
  for (size_t i = 0; i < r->ngone; i++)
    if (r->gone[i].partner == p && strcmp(r->gone[i].rule, rule) == 0) {
      r->gone[i].times += applied, r->gone[i].points += granted;
      return true;
    }
  char *copy = rt_strdup(rule);
  if (!copy || !rt_grow((void **)&r->gone, &r->capgone, r->ngone + 1, sizeof *r->gone)) return free(copy), false;
  r->gone[r->ngone++] = (gone_line){p, copy, applied, granted};
  return true;
}

/* Keeps entry x (row q) of the period for a detailed statement: its
 * strings in one block, the event's first. */
static bool keep_entry(rt_statement_reader *r, summary *s, sqlite3_stmt *q, const rt_replayed *x, int32_t day) {
  const char *col[6] = {(const char *)sqlite3_column_text(q, 10), x->status, (const char *)sqlite3_column_text(q, 11),
                        (const char *)sqlite3_column_text(q, 12), (const char *)sqlite3_column_text(q, 13), x->rule};
  size_t len[6], total = 0;
  for (int i = 0; i < 6; i++) {
    if (!col[i]) col[i] = "";
    total += (len[i] = strlen(col[i])) + 1;
  }
  char *block = rt_malloc(total);
  if (!block || !rt_grow((void **)&s->entries, &s->capentries, s->nentries + 1, sizeof *s->entries)) return free(block), false;
  const char *at[6];
  char *p = block;
  for (int i = 0; i < 6; i++) {
    memcpy(p, col[i], len[i] + 1);
    at[i] = p, p += len[i] + 1;
  }
  uint32_t slot = UINT32_MAX;
  if (len[0]) { /* the event, once among the reader's */
    if (!rt_grow((void **)&r->amounts, &r->capslots, r->nslots + 1, sizeof *r->amounts)) return free(block), false;
    if (strmap_put(&r->events, at[0], len[0], (uint32_t)r->nslots, &slot)) r->amounts[slot = (uint32_t)r->nslots++] = NULL;
    else if (slot == UINT32_MAX) return free(block), false;
  }
  int ri = x->rule ? incent_table_rule(r->t, x->rule) : -1;
  s->entries[s->nentries++] = (rt_period_entry){day,   x->kind[0], ri >= 0 ? (uint32_t)ri : r->t->nrules, x->granted,
                                                at[0], at[1],      at[2],
                                                at[3], at[4],      at[5],
                                                slot,  ""};
  return true;
}

/* The amounts of the kept entries' events, in one pass over the events:
 * the value of the one money field of the event's type, if it has one
 * (a look-up per entry cost 150 us each, cold pages of a table ordered by id). */
static bool read_amounts(rt_statement_reader *r, sqlite3 *db, char *why, size_t whylen) {
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db, "SELECT id, type, fields FROM events", -1, &q, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(db));
  const incent_table *t = r->t;
  int rc;
  bool ok = true;
  while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(q, 0), *type = (const char *)sqlite3_column_text(q, 1),
               *fields = (const char *)sqlite3_column_text(q, 2);
    uint32_t slot;
    /* an id met twice (a damaged table of events) keeps its first amount */
    if (!id || !type || !fields || !strmap_get(&r->events, id, strlen(id), &slot) || r->amounts[slot]) continue;
    int ti = incent_table_event_type(t, type);
    const char *money = NULL;
    for (uint32_t i = 0; ti >= 0 && i < t->events[ti].nfields; i++) {
      const irt_field *f = &t->event_fields[t->events[ti].fields + i];
      if (f->type != IRT_T_MONEY) continue;
      money = money ? "" : rt_string(t, f->name); /* more than one: none says what the event was worth */
    }
    char value[INCENT_MAX_VALUE + 1];
    const char *amount = money && money[0] ? rt_pair_value(fields, money, value, sizeof value) : NULL;
    if (amount && amount[0] && !(r->amounts[slot] = rt_strdup(amount))) ok = rt_fail(why, whylen, "out of memory");
  }
  if (ok && rt_read_failed(db, rc, why, whylen)) ok = false;
  sqlite3_finalize(q);
  return ok;
}

/* Points of rule ri (-1: gone) entered on day, when they count towards the tier at the period's end. */
static void tier_points(rt_statement_reader *r, summary *s, int ri, int32_t day, long long granted) {
  if (rt_counts_for_tier(r->t, ri) && rt_period_key_day(r->t->tiers_head->period, day) == r->tier_period)
    s->fig.tier_points += granted;
}

size_t rt_statement_group(void) {
  const char *v = getenv("INCENT_STATEMENT_GROUP");
  long n = v ? strtol(v, NULL, 10) : 0;
  return n > 0 ? (size_t)n : RT_STATEMENT_PARTNERS;
}

rt_statement_reader *rt_statement_reader_open(incent_ledger *l, const char *partner, const char *after, size_t group,
                                              const char *from, const char *to, bool detail, char *why,
                                              size_t whylen) {
  rt_statement_reader *r = rt_calloc(1, sizeof *r);
  if (!r) return rt_fail(why, whylen, "out of memory"), NULL;
  r->detail = detail;
  strmap_init(&r->events);
  r->t = incent_ledger_table(l);
  civil_parse_date(from, strlen(from), &r->first);
  civil_parse_date(to, strlen(to), &r->last);
  r->tier_period = r->t->tiers_head->present ? rt_period_key_day(r->t->tiers_head->period, r->last) : 0;
  if (incent_engine_new(r->t, &r->e, why, whylen) != INCENT_OK || !rt_ledger_load_partner_range(l, r->e, partner, after, (int64_t)group, why, whylen)) {
    rt_statement_reader_free(r);
    return NULL;
  }
  r->n = r->e->npartners;
  if (r->n && !(r->s = rt_calloc(r->n, sizeof *r->s))) {
    rt_fail(why, whylen, "out of memory");
    rt_statement_reader_free(r);
    return NULL;
  }
  sqlite3 *db = rt_ledger_db(l);
  sqlite3_stmt *q = NULL, *credit_of = NULL;
  /* a reversal's credit is looked up on its own: a join on every entry
   * doubled the time of the scan, for the few that are reversals */
  /* the columns a detailed statement adds cost every row: only then */
  if (sqlite3_prepare_v2(db,
                         detail ? "SELECT recipient, kind, rule, status, granted, day, available, last_valid, seq,"
                                  " reverses, event, raw, multiplier, period FROM entries"
                                  " WHERE day <= ?1 AND (?2 IS NULL OR recipient = ?2) ORDER BY seq"
                                : "SELECT recipient, kind, rule, status, granted, day, available, last_valid, seq,"
                                  " reverses FROM entries WHERE day <= ?1 AND (?2 IS NULL OR recipient = ?2) ORDER BY seq",
                         -1, &q, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT rule, day FROM entries WHERE seq = ?", -1, &credit_of, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    rt_statement_reader_free(r);
    return NULL;
  }
  sqlite3_bind_text(q, 1, to, -1, SQLITE_STATIC);
  if (partner) sqlite3_bind_text(q, 2, partner, -1, SQLITE_STATIC);
  int rc;
  bool ok = true;
  while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
#define TEXT(i) ((const char *)sqlite3_column_text(q, i))
    const char *who = TEXT(0);
    rt_replayed x = {TEXT(1), TEXT(2), who, TEXT(5), TEXT(3), sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 8),
                     TEXT(6), TEXT(7), NULL, NULL};
#undef TEXT
    if (sqlite3_column_type(q, 9) != SQLITE_NULL) {
      sqlite3_reset(credit_of);
      sqlite3_bind_int64(credit_of, 1, sqlite3_column_int64(q, 9));
      if (sqlite3_step(credit_of) == SQLITE_ROW) {
        x.reversed_rule = (const char *)sqlite3_column_text(credit_of, 0);
        x.reversed_day = (const char *)sqlite3_column_text(credit_of, 1);
      }
    }
    int32_t day;
    uint32_t p;
    if (who && !strmap_get(&r->e->partner_index, who, strlen(who), &p)) continue; /* not in the partners: no statement */
    if (!who || !x.kind || !x.day || !x.status || !civil_parse_date(x.day, strlen(x.day), &day) || p >= r->n ||
        !rt_account_replay(&r->s[p].acct, r->t, &x, day)) {
      ok = rt_fail(why, whylen, "cannot read the ledger: entry %lld cannot be counted (damaged, or memory ran out)",
                   (long long)x.seq);
      break;
    }
    summary *s = &r->s[p];
    long long g = x.granted;
    if (x.kind[0] == 'c') tier_points(r, s, x.rule ? incent_table_rule(r->t, x.rule) : -1, day, g);
    int32_t rday;
    if (x.kind[0] == 'r' && x.reversed_rule && x.reversed_day && civil_parse_date(x.reversed_day, strlen(x.reversed_day), &rday))
      tier_points(r, s, incent_table_rule(r->t, x.reversed_rule), rday, g);
    if (day < r->first) {
      s->fig.opening += g;
      continue;
    }
    if (r->detail && !keep_entry(r, s, q, &x, day)) ok = rt_fail(why, whylen, "out of memory");
    switch (x.kind[0]) {
    case 'c':
      s->fig.credited += g;
      if (!credit(r, p, x.rule, strcmp(x.status, "limited") != 0, g)) ok = rt_fail(why, whylen, "out of memory");
      break;
    case 'd': s->fig.spent -= g; break;
    case 'r': s->fig.reversed -= g; break;
    default: s->fig.expired -= g; break;
    }
  }
  if (ok && rt_read_failed(db, rc, why, whylen)) ok = false;
  sqlite3_finalize(q);
  sqlite3_finalize(credit_of);
  if (ok && r->nslots) ok = read_amounts(r, db, why, whylen);
  if (!ok) rt_statement_reader_free(r);
  return ok ? r : NULL;
}

static int by_rule(const void *a, const void *b) {
  return strcmp(((const rt_rule_line *)a)->rule, ((const rt_rule_line *)b)->rule);
}

bool rt_statement_read(rt_statement_reader *r, const char *id, rt_period_account *out, const rt_rule_line **lines,
                       size_t *nlines, const rt_period_entry **entries, size_t *nentries, char *why, size_t whylen) {
  const incent_table *t = r->t;
  uint32_t p;
  *out = (rt_period_account){0};
  out->next_lapse = -1, out->tier = -1;
  *lines = NULL, *nlines = 0, *entries = NULL, *nentries = 0;
  if (!strmap_get(&r->e->partner_index, id, strlen(id), &p) || p >= r->n) return true; /* not in the partners */
  summary *s = &r->s[p];
  for (size_t i = 0; i < s->nentries; i++) {
    uint32_t slot = s->entries[i].slot;
    s->entries[i].amount = slot != UINT32_MAX && r->amounts[slot] ? r->amounts[slot] : "";
  }
  *entries = s->entries, *nentries = s->nentries;
  *out = s->fig;
  out->next_lapse = -1;
  out->tier = t->tiers_head->present ? rt_tier_for(r->e, (int32_t)p, s->fig.tier_points) : -1;
  /* the lines: the program's rules in its order, then the rules that are gone by name */
  size_t n = 0;
  for (uint32_t i = 0; s->sums && i < t->nrules; i++) n += s->sums[3 * i] != 0;
  for (size_t i = 0; i < r->ngone; i++) n += r->gone[i].partner == p;
  if (n && !rt_grow((void **)&r->lines, &r->cap, n, sizeof *r->lines)) return rt_fail(why, whylen, "out of memory");
  n = 0;
  for (uint32_t i = 0; s->sums && i < t->nrules; i++)
    if (s->sums[3 * i]) r->lines[n++] = (rt_rule_line){i, rt_string(t, t->rules[i].name), s->sums[3 * i + 1], s->sums[3 * i + 2]};
  size_t known = n;
  for (size_t i = 0; i < r->ngone; i++)
    if (r->gone[i].partner == p)
      r->lines[n++] = (rt_rule_line){(uint32_t)t->nrules, r->gone[i].rule, r->gone[i].times, r->gone[i].points};
  if (n - known > 1) qsort(r->lines + known, n - known, sizeof *r->lines, by_rule);
  *lines = r->lines, *nlines = n;
  /* the lots at the end of the period */
  const rt_account *a = &s->acct;
  for (uint32_t i = 0; i < a->n; i++) {
    const rt_lot *lot = &a->lots[i];
    if (lot->last >= r->last) {
      if (lot->avail > r->last) out->pending += lot->left;
      continue;
    }
    /* lapsed by the period's end, not written: before the period or in it */
    if (lot->last + 1 < r->first) out->opening -= lot->left;
    else out->expired += lot->left;
  }
  int32_t when;
  int64_t points;
  if (rt_account_next_lapse(a, r->last, &when, &points)) {
    out->next_lapse = when + 1;
    out->next_lapse_points = points;
  }
  out->closing = out->opening + out->credited - out->spent - out->reversed - out->expired;
  return true;
}
