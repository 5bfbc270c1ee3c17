/* balance.c: what a ledger reads out of its entries and state: balances by
 * partner and rule, a period's first and last days, the latest day, and the
 * ledger as of a date. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/base/tz.h"
#include "runtime/base/util.h"

incent_status incent_ledger_as_of(incent_ledger *l, const char *date, char *why, size_t whylen) {
  int32_t day;
  if (!date || !civil_parse_date(date, strlen(date), &day)) {
    rt_fail(why, whylen, "'%s' is not a date (YYYY-MM-DD)", date ? date : "");
    return INCENT_EFORMAT;
  }
  if (l->lock >= 0) {
    rt_fail(why, whylen, "a ledger opened to apply events cannot be read as of a date");
    return INCENT_EFORMAT;
  }
  incent_engine *e;
  if (incent_engine_new(l->t, &e, why, whylen) != INCENT_OK) return INCENT_ENOMEM;
  incent_engine_set_history(e, rt_ledger_history, l);
  if (!rt_ledger_load_partners(l, e, NULL, why, whylen) || !rt_ledger_load_state(l, e, INT64_MAX, date, why, whylen)) {
    incent_engine_free(e);
    return INCENT_EFORMAT;
  }
  incent_engine_free(l->engine);
  l->engine = e;
  l->lazy = false; /* everything as of the date is loaded: the state of now must not be added to it */
  snprintf(l->as_of, sizeof l->as_of, "%s", date);
  return INCENT_OK;
}

bool rt_period_days(const char *period, char from[16], char to[16]) {
  int kind;
  int64_t key;
  if (!period) {
    snprintf(from, 16, "0000-01-01");
    snprintf(to, 16, "9999-12-31");
    return true;
  }
  if (!rt_period_parse(period, &kind, &key)) return false;
  int32_t a, b;
  switch (kind) {
  case IRT_P_DAY: a = b = (int32_t)key; break;
  case IRT_P_WEEK: a = (int32_t)key; b = a + 6; break;
  case IRT_P_MONTH: {
    int y = (int)(key / 12), m = (int)(key % 12) + 1;
    a = civil_days(y, m, 1);
    b = civil_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
    break;
  }
  case IRT_P_QUARTER: {
    int y = (int)(key / 4), q = (int)(key % 4);
    a = civil_days(y, q * 3 + 1, 1);
    b = civil_days(q == 3 ? y + 1 : y, q == 3 ? 1 : q * 3 + 4, 1) - 1;
    break;
  }
  case IRT_P_YEAR: a = civil_days((int)key, 1, 1); b = civil_days((int)key + 1, 1, 1) - 1; break;
  default:
    return rt_period_days(NULL, from, to);
  }
  civil_format_date(a, from);
  civil_format_date(b, to);
  return true;
}

incent_status incent_ledger_latest_day(incent_ledger *l, char day[16]) {
  char when[40];
  rt_ledger_latest(l, when);
  snprintf(day, 16, "%.10s", when);
  return when[0] ? INCENT_OK : INCENT_ENOENT;
}

void rt_ledger_latest(incent_ledger *l, char when[40]) {
  when[0] = '\0';
  char day[16];
  if (!l->as_of[0] && l->engine && l->engine->last_day > 0) { /* the state knows it: no entry is read */
    snprintf(when, 40, "%sT23:59:59", civil_format_date(l->engine->last_day, day));
    return;
  }
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db, "SELECT MAX(day) FROM entries", -1, &s, NULL) == SQLITE_OK) {
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      snprintf(when, 40, "%sT23:59:59", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
}

incent_status incent_ledger_balances(incent_ledger *l, const char *partner, const char *period,
                                     incent_balance_fn *fn, void *ud, char *why, size_t whylen) {
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT; /* reads what was applied */
  char from[16], to[16];
  if (!rt_period_days(period, from, to)) {
    rt_fail(why, whylen, "'%s' is not a period; write 2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027 or program", period);
    return INCENT_EFORMAT;
  }
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT;
  /* one partner, all time, now: from the account state, without reading the entries */
  if (partner && !period && !l->as_of[0]) {
    if (!rt_ledger_need(l, partner, why, whylen)) return INCENT_EIO;
    return rt_partner_balance(l, partner, fn, ud, why, whylen);
  }
  if (!rt_ledger_need(l, NULL, why, whylen)) return INCENT_EIO;
  char when[40];
  rt_ledger_latest(l, when);
  if (l->as_of[0]) {
    if (strcmp(to, l->as_of) > 0) snprintf(to, sizeof to, "%s", l->as_of);
    snprintf(when, sizeof when, "%sT23:59:59", l->as_of);
  }
  /* one pass over the entries, grouped by partner and rule; a partner's total
   * is reported before its rules, so they wait in a small buffer */
  sqlite3_stmt *all;
  if (sqlite3_prepare_v2(l->db,
                         "SELECT recipient, rule, SUM(granted) FROM entries WHERE (?1 IS NULL OR recipient = ?1)"
                         " AND day BETWEEN ?2 AND ?3 GROUP BY recipient, rule HAVING SUM(granted) != 0 OR rule IS NULL"
                         " ORDER BY recipient, rule",
                         -1, &all, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db)), INCENT_EFORMAT;
  sqlite3_bind_text(all, 1, partner, -1, SQLITE_STATIC);
  sqlite3_bind_text(all, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(all, 3, to, -1, SQLITE_STATIC);
  typedef struct rule_sum { char *rule; long long points; } rule_sum;
  rule_sum *rules = NULL;
  size_t nrules = 0, caprules = 0;
  char *current = NULL;
  long long total = 0;
  bool ok = true;
  for (int rc;;) {
    rc = sqlite3_step(all);
    const char *id = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(all, 0) : NULL;
    if (current && (!id || strcmp(id, current) != 0)) {
      const char *tier = when[0] ? incent_engine_tier(l->engine, current, when) : NULL;
      fn(ud, current, NULL, total, tier);
      for (size_t i = 0; i < nrules; i++) {
        fn(ud, current, rules[i].rule, rules[i].points, tier);
        free(rules[i].rule);
      }
      nrules = 0;
      total = 0;
      free(current);
      current = NULL;
    }
    if (!id) {
      ok = rc == SQLITE_DONE;
      break;
    }
    if (!current && !(current = rt_strdup(id))) { ok = false; break; }
    if (!rt_grow((void **)&rules, &caprules, nrules + 1, sizeof *rules)) { ok = false; break; }
    long long points = sqlite3_column_int64(all, 2);
    total += points;
    if (sqlite3_column_type(all, 1) == SQLITE_NULL) continue; /* lapses: in the total, under no rule */
    rules[nrules].rule = rt_strdup((const char *)sqlite3_column_text(all, 1));
    rules[nrules++].points = points;
  }
  for (size_t i = 0; i < nrules; i++) free(rules[i].rule);
  free(rules);
  free(current);
  sqlite3_finalize(all);
  if (!ok) return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db)), INCENT_EFORMAT;
  return INCENT_OK;
}
