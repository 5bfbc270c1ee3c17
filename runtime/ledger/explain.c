/* explain.c: incent explain: every rule tried for an event against the state it met, why it did or did not apply, and the arithmetic of each grant. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/decimal.h"
#include "runtime/engine/engine.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/engine/table.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

typedef struct explainer {
  incent_ledger *l;
  const char *event;
  int64_t first, last;  /* its entries' seqs: they follow the entry before it, one after another */
  rt_out out;
  sqlite3_stmt *entries;
  bool failed; /* reading the entries failed */
} explainer;


static const char *const period_words[] = {"day", "week", "month", "quarter", "year", "program"};

/* A reversal's entry (row s of x->entries): which credit it took back from, and how much of it. */
static void explain_reversal(explainer *x, sqlite3_stmt *s, long long granted, const char *product) {
  sqlite3_stmt *c;
  const char *share = (const char *)sqlite3_column_text(s, 2);
  char percent[DEC_STRING_MAX] = "?";
  dec d, hundred = dec_from_int(100), pct;
  if (share && dec_parse(share, strlen(share), &d) == DEC_OK && dec_mul(d, hundred, &pct) == DEC_OK)
    dec_to_string(pct, percent);
  if (sqlite3_prepare_v2(rt_ledger_db(x->l),
                         "SELECT c.event, c.rule, c.granted, v.type FROM entries c LEFT JOIN events v ON v.id = c.event"
                         " WHERE c.seq = ?", -1, &c, NULL) != SQLITE_OK) {
    x->failed = true;
    return;
  }
  sqlite3_bind_int64(c, 1, sqlite3_column_int64(s, 7));
  if (sqlite3_step(c) == SQLITE_ROW && sqlite3_column_text(c, 0) && sqlite3_column_text(c, 1)) {
    const char *event = (const char *)sqlite3_column_text(c, 0), *type = (const char *)sqlite3_column_text(c, 3);
    long long credit = sqlite3_column_int64(c, 2);
    rt_say(&x->out, "  takes back %lld of the %lld points that %s granted (rule %s): %s %% of the %s was reversed\n",
           -granted, credit, event, (const char *)sqlite3_column_text(c, 1), percent, type ? type : "event");
    rt_say(&x->out, "  %lld x %s = %s, rounded once", credit, share ? share : "?", product);
    long long whole;
    if (sscanf(product, "%lld", &whole) == 1 && whole > -granted)
      rt_say(&x->out, "; only %lld were left of the credit after the reversals before it", -granted);
    rt_say(&x->out, "\n  %lld points (applied)\n", granted);
  } else {
    x->failed = true; /* a reversal names an entry that must be there */
  }
  sqlite3_finalize(c);
}

static void explain_rule(void *ud, uint32_t ri, const char *reason) {
  explainer *x = ud;
  const incent_table *t = incent_ledger_table(x->l);
  const irt_rule *r = &t->rules[ri];
  rt_say(&x->out, "rule %s \"%s\": ", rt_string(t, r->name), rt_string(t, r->title));
  if (reason) {
    rt_say(&x->out, "not applied: %s\n", reason);
    return;
  }
  sqlite3_stmt *s = x->entries;
  sqlite3_bind_text(s, 1, x->event, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, rt_string(t, r->name), -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, x->first);
  sqlite3_bind_int64(s, 4, x->last);
  bool any = false;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    any = true;
    const char *recipient = (const char *)sqlite3_column_text(s, 0), *raw = (const char *)sqlite3_column_text(s, 1),
               *mult = (const char *)sqlite3_column_text(s, 2), *status = (const char *)sqlite3_column_text(s, 4),
               *period = (const char *)sqlite3_column_text(s, 5);
    if (!recipient || !raw || !mult || !status || !period) {
      x->failed = true;
      break;
    }
    long long granted = sqlite3_column_int64(s, 3);
    static const char *const rounding[] = {"half_up", "half_even", "down", "up"};
    dec d_raw, d_mult, product, rounded;
    char p[DEC_STRING_MAX] = "?", q[DEC_STRING_MAX] = "?";
    if (dec_parse(raw, strlen(raw), &d_raw) == DEC_OK && dec_parse(mult, strlen(mult), &d_mult) == DEC_OK &&
        dec_mul(d_raw, d_mult, &product) == DEC_OK &&
        dec_round(product, (dec_rounding)t->program->rounding, &rounded) == DEC_OK) {
      dec_to_string(product, p);
      dec_to_string(rounded, q);
    }
    rt_say(&x->out, "applied to %s\n", recipient);
    const char *kind = (const char *)sqlite3_column_text(s, 6);
    if (kind && strcmp(kind, "debit") == 0) {
      rt_say(&x->out, "  deducts %s points (a deduction takes no tier multiplier), rounded %s: %s, from the points %s "
                      "could spend\n", raw, rounding[t->program->rounding], q, recipient);
      rt_say(&x->out, "  %lld points (%s)\n", granted, status);
      continue;
    }
    if (kind && strcmp(kind, "reversal") == 0) {
      explain_reversal(x, s, granted, p);
      continue;
    }
    rt_say(&x->out, "  raw award %s points, times %s (%s) = %s, rounded %s: %s\n", raw, mult,
        r->flags & IRT_RULE_FLAT ? "flat: no tier multiplier" : "the multiplier of the tier held before the event", p,
        rounding[t->program->rounding], q);
    if (strcmp(status, "limited") == 0) {
      rt_say(&x->out, "  limited: it had already applied the %lld times its limit allows per partner per %s (%s): 0 points\n",
          (long long)t->consts[r->limit].lo, period_words[r->limit_period], period);
    } else if (strcmp(status, "capped") == 0) {
      rt_say(&x->out, "  capped: %lld points were left of its cap of %lld per partner per %s (%s)\n", granted,
          (long long)t->consts[r->cap].lo, period_words[r->cap_period], period);
    } else if (strcmp(status, "budget") == 0) {
      rt_say(&x->out, "  budget: only %lld points were left of %s\n", granted,
          r->budget != IRT_NONE ? "the rule's budget or the program's budget" : "the program's budget");
    }
    rt_say(&x->out, "  granted %lld points (%s)\n", granted, status);
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) x->failed = true;
  sqlite3_reset(s);
  if (!any && !x->failed) rt_say(&x->out, "matched, but no entry was made\n");
}

/* The seq of the last entry of the event whose entries follow seq after
 * (after itself when it made none); -1 when the ledger cannot be read. */
static int64_t event_end(incent_ledger *l, const char *event, int64_t after) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(rt_ledger_db(l), "SELECT seq, event FROM entries WHERE seq > ? ORDER BY seq", -1, &s, NULL) !=
      SQLITE_OK)
    return -1;
  sqlite3_bind_int64(s, 1, after);
  int64_t last = after;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *e = (const char *)sqlite3_column_text(s, 1);
    if (!e || strcmp(e, event) != 0) break;
    last = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? last : -1;
}

/* The lapses written before the event (its partners' points whose last
 * valid day had passed); false when they cannot be read. */
static bool explain_lapses(incent_ledger *l, const char *event, explainer *x) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(rt_ledger_db(l), "SELECT recipient, -granted, day FROM entries WHERE seq BETWEEN ?2 AND ?3"
                         " AND event = ?1 AND kind = 'expired' ORDER BY seq", -1, &s, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_text(s, 1, event, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, x->first);
  sqlite3_bind_int64(s, 3, x->last);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW)
    rt_say(&x->out, "before it: %lld points of %s lapsed on %s (their last valid day had passed)\n",
           (long long)sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 0),
           (const char *)sqlite3_column_text(s, 2));
  sqlite3_finalize(s);
  return rc == SQLITE_DONE;
}

/* Traces an event against the state it met.  Going through steps 1 and 2
 * needs of that state only the actor's tier before the event, which the
 * ledger recorded with the event: the partners are as the ledger knows them
 * now, and no entry is read.  INCENT_EIO when the ledger cannot be read,
 * INCENT_EFORMAT when step 1 rejects the event as the program now reads it. */
static incent_status trace_as_then(incent_ledger *l, const incent_event *ev, const char *tier, explainer *x,
                                   char *why, size_t whylen) {
  incent_engine *then;
  incent_status st = incent_engine_new(incent_ledger_table(l), &then, why, whylen);
  if (st != INCENT_OK) return st;
  incent_engine_set_history(then, rt_ledger_history, l); /* a reversal's conditions may read the event it names */
  if (!rt_ledger_load_partners(l, then, NULL, why, whylen))
    st = INCENT_EIO;
  else if (!rt_engine_trace(then, ev, tier, explain_rule, x, why, whylen))
    st = INCENT_EFORMAT;
  incent_engine_free(then);
  return st;
}

incent_status incent_ledger_explain(incent_ledger *l, const char *event, incent_write_fn *write, void *ud, char *why,
                                    size_t whylen) {
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT; /* reads what was applied */
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(rt_ledger_db(l), "SELECT type, partner, time, fields, outcome, after, tier FROM events WHERE id = ?", -1, &s,
                         NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(rt_ledger_db(l))), INCENT_EIO;
  sqlite3_bind_text(s, 1, event, -1, SQLITE_STATIC);
  explainer x = {l, event, 0, 0, {write, ud}, NULL, false};
  /* the id as asked for, for a terminal: it may hold anything */
  textbuf esc = {0};
  text_escaped(&esc, event, strlen(event));
  if (esc.oom) {
    sqlite3_finalize(s);
    return rt_fail(why, whylen, "out of memory"), INCENT_ENOMEM;
  }
  const char *shown = text_str(&esc);
  incent_status st = INCENT_OK;
  int rc = sqlite3_step(s);
  const char *outcome = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 4) : NULL;
  if (rc == SQLITE_ROW ? !outcome : rt_read_failed(rt_ledger_db(l), rc, why, whylen)) {
    if (rc == SQLITE_ROW) rt_fail(why, whylen, "cannot read the ledger: event %s has no outcome", shown);
    st = INCENT_EIO;
  } else if (rc != SQLITE_ROW || strcmp(outcome, "rejected") == 0) {
    sqlite3_finalize(s);
    s = NULL;
    /* not applied: perhaps rejected */
    if (sqlite3_prepare_v2(rt_ledger_db(l), "SELECT source, row, reason FROM rejects WHERE event = ? ORDER BY row", -1, &s, NULL) !=
        SQLITE_OK) {
      rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(rt_ledger_db(l)));
      text_free(&esc);
      return INCENT_EIO;
    }
    sqlite3_bind_text(s, 1, event, -1, SQLITE_STATIC);
    bool any = false;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (!any) rt_say(&x.out, "event %s was not applied\n", shown);
      any = true;
      rt_say(&x.out, "  rejected: %s (%s, row %lld)\n", (const char *)sqlite3_column_text(s, 2),
          (const char *)sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 1));
    }
    if (rt_read_failed(rt_ledger_db(l), rc, why, whylen)) st = INCENT_EIO;
    else if (!any) st = INCENT_EFORMAT, rt_fail(why, whylen, "the ledger has no event \"%s\"", shown);
  } else {
    const char *type = (const char *)sqlite3_column_text(s, 0), *partner = (const char *)sqlite3_column_text(s, 1),
               *time = (const char *)sqlite3_column_text(s, 2), *fields = (const char *)sqlite3_column_text(s, 3);
    int t = type ? incent_table_event_type(incent_ledger_table(l), type) : -1;
    int nf = t >= 0 ? incent_table_event_nfields(incent_ledger_table(l), t) : 0;
    const char **values = rt_calloc((size_t)nf + 1, sizeof *values);
    char (*bufs)[INCENT_MAX_VALUE + 1] = rt_calloc((size_t)nf + 1, sizeof *bufs);
    if (!type || !partner || !time || !fields) {
      st = INCENT_EIO, rt_fail(why, whylen, "cannot read the ledger: event %s is missing a value", shown);
    } else if (t < 0) {
      st = INCENT_EFORMAT, rt_fail(why, whylen, "event %s is of type \"%s\", which the ledger's program lacks", shown, type);
    } else if (!values || !bufs) {
      st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
    } else {
      for (int i = 0; i < nf; i++) { /* an applied event had every field; empty ones are not stored */
        values[i] = rt_pair_value(fields, incent_table_event_field_name(incent_ledger_table(l), t, i), bufs[i], sizeof bufs[i]);
        if (!values[i]) values[i] = "";
      }
      rt_say(&x.out, "event %s: %s by %s at %s\n", shown, type, partner, time);
      for (int i = 0; i < nf; i++)
        rt_say(&x.out, "  %s %s\n", incent_table_event_field_name(incent_ledger_table(l), t, i), values[i][0] ? values[i] : "(empty)");
      incent_event ev = {event, type, partner, time, values, nf};
      x.first = sqlite3_column_int64(s, 5) + 1;
      x.last = event_end(l, event, x.first - 1);
      if (x.last < 0 || !explain_lapses(l, event, &x)) st = INCENT_EIO, rt_fail(why, whylen, "cannot read the ledger: %s",
                                                                  sqlite3_errmsg(rt_ledger_db(l)));
      if (sqlite3_prepare_v2(rt_ledger_db(l),
                             "SELECT recipient, raw, multiplier, granted, status, period, kind, reverses FROM entries"
                             " WHERE seq BETWEEN ?3 AND ?4 AND event = ?1 AND rule = ?2 ORDER BY seq",
                             -1, &x.entries, NULL) != SQLITE_OK) {
        st = INCENT_EIO, rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(rt_ledger_db(l)));
      } else if ((st = trace_as_then(l, &ev, (const char *)sqlite3_column_text(s, 6), &x, why, whylen)) != INCENT_OK) {
        /* why says it */
      } else if (x.failed) {
        st = INCENT_EIO, rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(rt_ledger_db(l)));
      }
      sqlite3_finalize(x.entries);
      if (st == INCENT_OK && incent_ledger_table(l)->events[t].nrules == 0) rt_say(&x.out, "no rule applies to %s events\n", type);
    }
    free(values);
    free(bufs);
  }
  sqlite3_finalize(s);
  text_free(&esc);
  return st;
}
