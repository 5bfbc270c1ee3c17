/* statement_account.c: a statement's account figures for a partner and a
 * period: the opening balance, what was credited, spent, reversed and
 * expired in it, the closing balance at its end, what is pending then and
 * the next lapse after it.  The written entries give the sums; the
 * partner's lots as of the period's end (rebuilt from its entries alone)
 * give what is pending, the next lapse, and the lapses that had happened
 * by then but were not written yet (the partner had no event since). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/ledger/statement_account.h"
#include "runtime/base/util.h"

bool rt_statement_account(incent_ledger *l, const char *partner, const char *from, const char *to,
                          rt_period_account *out, char *why, size_t whylen) {
  *out = (rt_period_account){0};
  out->next_lapse = -1;
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(rt_ledger_db(l),
                         "SELECT coalesce(sum(granted) FILTER (WHERE day < ?2), 0),"
                         " coalesce(sum(granted) FILTER (WHERE day >= ?2 AND kind = 'credit'), 0),"
                         " coalesce(-sum(granted) FILTER (WHERE day >= ?2 AND kind = 'debit'), 0),"
                         " coalesce(-sum(granted) FILTER (WHERE day >= ?2 AND kind = 'reversal'), 0),"
                         " coalesce(-sum(granted) FILTER (WHERE day >= ?2 AND kind = 'expired'), 0)"
                         " FROM entries WHERE recipient = ?1 AND day <= ?3",
                         -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(rt_ledger_db(l)));
  sqlite3_bind_text(s, 1, partner, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    out->opening = sqlite3_column_int64(s, 0);
    out->credited = sqlite3_column_int64(s, 1);
    out->spent = sqlite3_column_int64(s, 2);
    out->reversed = sqlite3_column_int64(s, 3);
    out->expired = sqlite3_column_int64(s, 4);
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW) return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(rt_ledger_db(l)));
  /* the partner's lots at the end of the period */
  int32_t first, last;
  civil_parse_date(from, strlen(from), &first);
  civil_parse_date(to, strlen(to), &last);
  incent_engine *e;
  if (incent_engine_new(incent_ledger_table(l), &e, why, whylen) != INCENT_OK) return false;
  bool ok = rt_ledger_load_state(l, e, INT64_MAX, to, partner, why, whylen);
  uint32_t p;
  if (ok && strmap_get(&e->partner_index, partner, strlen(partner), &p)) {
    const rt_account *a = &e->partners[p].acct;
    for (uint32_t i = 0; i < a->n; i++) {
      const rt_lot *lot = &a->lots[i];
      if (lot->last >= last) {
        if (lot->avail > last) out->pending += lot->left;
        continue;
      }
      /* lapsed by the period's end, not written: before the period or in it */
      if (lot->last + 1 < first) out->opening -= lot->left;
      else out->expired += lot->left;
    }
    int32_t when;
    int64_t points;
    if (rt_account_next_lapse(a, last, &when, &points)) {
      out->next_lapse = when + 1;
      out->next_lapse_points = points;
    }
  }
  incent_engine_free(e);
  out->closing = out->opening + out->credited - out->spent - out->reversed - out->expired;
  return ok;
}
