/* replay.c: a ledger's partners, events and entries read back in the order they were applied, for another program. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/base/util.h"
#include "runtime/ledger/ledger_int.h"

static const char *col(sqlite3_stmt *s, int i) { return (const char *)sqlite3_column_text(s, i); }

/* Every partner, its attributes by t's names. */
static bool replay_partners(sqlite3 *db, const incent_table *t, const incent_replay *r, const char **values,
                            char (*bufs)[INCENT_MAX_VALUE + 1], char *why, size_t whylen) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, "SELECT id, attrs FROM partners ORDER BY id", -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(db));
  int n = incent_table_nattrs(t), rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *attrs = col(s, 1);
    if (!(values[0] = col(s, 0)) || !attrs) continue; /* a NULL the schema forbids: damage */
    for (int i = 1; i < n; i++) values[i] = rt_pair_value(attrs, incent_table_attr_name(t, i), bufs[i], sizeof bufs[i]);
    if (r->partner) r->partner(r->ud, values, n);
  }
  bool ok = !rt_read_failed(db, rc, why, whylen);
  sqlite3_finalize(s);
  return ok;
}

/* Reports the entries of seq up to upto (all when upto < 0) from the
 * statement e, stepped already to its current row (*more: it has one). */
static bool entries_upto(sqlite3 *db, sqlite3_stmt *e, int64_t upto, bool *more, const incent_replay *r, char *why,
                         size_t whylen) {
  while (*more && (upto < 0 || sqlite3_column_int64(e, 0) <= upto)) {
    incent_entry en = {0};
    en.event = col(e, 1), en.recipient = col(e, 2), en.rule = col(e, 3), en.raw = col(e, 4);
    en.multiplier = col(e, 5), en.granted = sqlite3_column_int64(e, 6), en.period = col(e, 7), en.day = col(e, 8);
    en.status = col(e, 9), en.message = col(e, 10), en.kind = col(e, 11);
    en.reverses = sqlite3_column_type(e, 12) == SQLITE_NULL ? 0 : sqlite3_column_int64(e, 12);
    en.available = col(e, 13), en.last_valid = col(e, 14), en.reverses_event = col(e, 15), en.reverses_rule = col(e, 16);
    if (en.recipient && en.kind && en.status && r->entry) r->entry(r->ud, &en);
    int rc = sqlite3_step(e);
    *more = rc == SQLITE_ROW;
    if (!*more && rt_read_failed(db, rc, why, whylen)) return false;
  }
  return true;
}

incent_status incent_ledger_replay(incent_ledger *l, const incent_table *t, const incent_replay *r, char *why,
                                   size_t whylen) {
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EIO;
  sqlite3 *db = rt_ledger_db(l);
  int nattrs = incent_table_nattrs(t), nvalues = nattrs;
  for (int i = 0; i < incent_table_nevents(t); i++)
    if (incent_table_event_nfields(t, i) > nvalues) nvalues = incent_table_event_nfields(t, i);
  const char **values = rt_calloc((size_t)nvalues + 1, sizeof *values);
  char (*bufs)[INCENT_MAX_VALUE + 1] = rt_calloc((size_t)nvalues + 1, sizeof *bufs);
  sqlite3_stmt *ev = NULL, *en = NULL;
  bool ok = values && bufs;
  if (!ok) rt_fail(why, whylen, "out of memory");
  if (ok) ok = replay_partners(db, t, r, values, bufs, why, whylen);
  /* the events in the order they were applied: each after the entries before
   * it (after: the last entry's seq when it was applied); those that made no
   * entry between the same two entries, by time and id */
  if (ok && (sqlite3_prepare_v2(db, "SELECT id, type, partner, time, fields, outcome, after FROM events"
                                    " ORDER BY after, time, id", -1, &ev, NULL) != SQLITE_OK ||
             sqlite3_prepare_v2(db, "SELECT e.seq, e.event, e.recipient, e.rule, e.raw, e.multiplier, e.granted,"
                                    " e.period, e.day, e.status, e.message, e.kind, e.reverses, e.available,"
                                    " e.last_valid, c.event, c.rule FROM entries e"
                                    " LEFT JOIN entries c ON c.seq = e.reverses ORDER BY e.seq", -1, &en, NULL) != SQLITE_OK))
    ok = rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(db));
  int rc = SQLITE_DONE;
  bool more = false;
  if (ok) {
    rc = sqlite3_step(en);
    more = rc == SQLITE_ROW;
    if (!more && rt_read_failed(db, rc, why, whylen)) ok = false;
  }
  /* an event's entries follow its row; they are reported before it, once the next event says where they end */
  bool pending = false;
  int64_t pending_after = 0;
  incent_event e = {0};
  char *held = NULL; /* the pending event's columns, kept while the next row is read */
  const char *outcome = NULL;
  while (ok && (rc = sqlite3_step(ev)) == SQLITE_ROW) {
    int64_t after = sqlite3_column_int64(ev, 6);
    if (pending) {
      ok = entries_upto(db, en, after, &more, r, why, whylen);
      if (ok && r->event) r->event(r->ud, &e, outcome);
    } else {
      ok = entries_upto(db, en, after, &more, r, why, whylen); /* lapses before the first event */
    }
    free(held);
    held = NULL;
    pending = false;
    if (!ok) break;
    /* the row, copied: the statement moves on before it is reported */
    size_t size = 0;
    for (int i = 0; i < 6; i++) size += (size_t)sqlite3_column_bytes(ev, i) + 1;
    if (!(held = rt_malloc(size))) {
      ok = rt_fail(why, whylen, "out of memory");
      break;
    }
    const char *c[6];
    char *p = held;
    for (int i = 0; i < 6; i++) {
      const char *v = col(ev, i);
      size_t n = (size_t)sqlite3_column_bytes(ev, i);
      memcpy(p, v ? v : "", n);
      p[n] = '\0';
      c[i] = p;
      p += n + 1;
    }
    int type = incent_table_event_type(t, c[1]), n = type >= 0 ? incent_table_event_nfields(t, type) : 0;
    int own = incent_table_event_type(incent_ledger_table(l), c[1]);
    for (int i = 0; i < n; i++) {
      const char *name = incent_table_event_field_name(t, type, i);
      values[i] = rt_pair_value(c[4], name, bufs[i], sizeof bufs[i]);
      /* the ledger keeps no empty value: a field its own program declares was empty */
      if (!values[i] && own >= 0 && incent_table_event_field(incent_ledger_table(l), own, name) >= 0) values[i] = "";
    }
    e = (incent_event){c[0], c[1], c[2], c[3], values, n};
    outcome = c[5];
    pending = true, pending_after = after;
  }
  if (ok && rt_read_failed(db, rc, why, whylen)) ok = false;
  if (ok && pending) {
    /* the last event's entries: up to the first lapse written after it by incent expire (no event) */
    while (ok && more && (sqlite3_column_type(en, 1) != SQLITE_NULL || sqlite3_column_int64(en, 0) <= pending_after))
      ok = entries_upto(db, en, sqlite3_column_int64(en, 0), &more, r, why, whylen);
    if (ok && r->event) r->event(r->ud, &e, outcome);
  }
  if (ok) ok = entries_upto(db, en, -1, &more, r, why, whylen);
  free(held);
  sqlite3_finalize(ev);
  sqlite3_finalize(en);
  free(values);
  free(bufs);
  return ok ? INCENT_OK : INCENT_EIO;
}
