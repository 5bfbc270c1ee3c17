/* explain.c: incent explain: every rule tried for an event against the state it met, why it did or did not apply, and the arithmetic of each grant. */
#include "config.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/base/decimal.h"
#include "runtime/base/i18n.h"
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

/* Writes a line: indent spaces, the text, a newline.  The texts are whole
 * sentences in the user's language (i18n.h); the figures in them are plain
 * digits, the names (rules, events, partners, periods) as the program and
 * the data spell them. */
static void line(explainer *x, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(explainer *x, int indent, const char *fmt, ...) {
  va_list ap;
  if (indent > 0) rt_say(&x->out, "%*s", indent, "");
  va_start(ap, fmt);
  rt_vsay(&x->out, fmt, ap);
  va_end(ap);
  rt_say(&x->out, "\n");
}

/* The count that picks a plural form: points taken back count as many as given. */
static unsigned long count(long long n) {
  return n < 0 ? (unsigned long)(0ULL - (unsigned long long)n) : (unsigned long)n;
}

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
    const char *event = (const char *)sqlite3_column_text(c, 0), *type = (const char *)sqlite3_column_text(c, 3),
               *rule = (const char *)sqlite3_column_text(c, 1);
    long long credit = sqlite3_column_int64(c, 2);
    if (type)
      /* TRANSLATORS: a reversal: the points taken back, the points the earlier
         event granted, its id, the rule, the share in percent, its event type */
      line(x, 2, P_("takes back %lld of the %lld point that %s granted (rule %s): %s %% of the %s was reversed",
                    "takes back %lld of the %lld points that %s granted (rule %s): %s %% of the %s was reversed",
                    count(credit)), -granted, credit, event, rule, percent, type);
    else
      line(x, 2, P_("takes back %lld of the %lld point that %s granted (rule %s): %s %% of the event was reversed",
                    "takes back %lld of the %lld points that %s granted (rule %s): %s %% of the event was reversed",
                    count(credit)), -granted, credit, event, rule, percent);
    long long whole;
    if (sscanf(product, "%lld", &whole) == 1 && whole > -granted)
      /* TRANSLATORS: the credit times the share = the exact product; the last
         number is what the reversal could still take back */
      line(x, 2, P_("%lld x %s = %s, rounded once; only %lld was left of the credit after the reversals before it",
                    "%lld x %s = %s, rounded once; only %lld were left of the credit after the reversals before it",
                    count(granted)), credit, share ? share : "?", product, -granted);
    else
      /* TRANSLATORS: the credit times the share = the exact product */
      line(x, 2, _("%lld x %s = %s, rounded once"), credit, share ? share : "?", product);
    /* TRANSLATORS: the points of an entry and, in parentheses, its status as
       the ledger stores it (applied, limited, capped, budget): keep the status */
    line(x, 2, P_("%lld point (%s)", "%lld points (%s)", count(granted)), granted, "applied");
  } else {
    x->failed = true; /* a reversal names an entry that must be there */
  }
  sqlite3_finalize(c);
}

/* Why the rule named name, titled title, did not go on. */
static void explain_skip(explainer *x, const char *name, const char *title, const rt_skip *skip) {
  char a[16], b[16], value[INCENT_MAX_VALUE + 1];
  switch (skip->kind) {
  case RT_SKIP_SHADOWED:
    /* TRANSLATORS: every line about a rule starts with its name and its title;
       here the second rule's name is the one that applied, the last %s is the
       group's name ('first of' is the program's keyword) */
    line(x, 0, _("rule %s \"%s\": not applied: rule %s came first in 'first of %s'"), name, title, skip->name,
         skip->group);
    break;
  case RT_SKIP_OUTSIDE_DURING:
    /* TRANSLATORS: 'during' is the program's keyword; the dates are ISO dates */
    line(x, 0, _("rule %s \"%s\": not applied: the event is outside its 'during' %s to %s"), name, title,
         civil_format_date(skip->from, a), civil_format_date(skip->to, b));
    break;
  case RT_SKIP_WHEN_FALSE: line(x, 0, _("rule %s \"%s\": not applied: its condition is false"), name, title); break;
  case RT_SKIP_ABSENT:
    line(x, 0, _("rule %s \"%s\": not applied: its condition needs a partner attribute that was not given"), name, title);
    break;
  case RT_SKIP_DIVZERO: line(x, 0, _("rule %s \"%s\": not applied: division by zero"), name, title); break;
  case RT_SKIP_RANGE: line(x, 0, _("rule %s \"%s\": not applied: a number out of range"), name, title); break;
  case RT_SKIP_TO_EMPTY:
    /* TRANSLATORS: 'to' is the program's keyword; the third %s is the event's field */
    line(x, 0, _("rule %s \"%s\": not applied: its 'to' field %s is empty"), name, title, skip->name);
    break;
  case RT_SKIP_TO_UNKNOWN: {
    size_t n = skip->valuelen < sizeof value - 1 ? skip->valuelen : sizeof value - 1;
    memcpy(value, skip->value, n);
    value[n] = '\0';
    /* TRANSLATORS: 'to' is the program's keyword; the third %s is the event's
       field, the last the partner id it holds */
    line(x, 0, _("rule %s \"%s\": not applied: its 'to' field %s names an unknown partner \"%s\""), name, title,
         skip->name, value);
    break;
  }
  }
}

/* The sentences of a limit and of a cap, by period (IRT_P_DAY ... IRT_P_PROGRAM), singular and plural. */
static const char *const limited_texts[][2] = {
  /* TRANSLATORS: the limit's count of times; the period's key (here a day, 2027-05-01) */
  {NP_("limited: it had already applied the %lld time its limit allows per partner per day (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per day (%s): 0 points")},
  {NP_("limited: it had already applied the %lld time its limit allows per partner per week (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per week (%s): 0 points")},
  {NP_("limited: it had already applied the %lld time its limit allows per partner per month (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per month (%s): 0 points")},
  {NP_("limited: it had already applied the %lld time its limit allows per partner per quarter (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per quarter (%s): 0 points")},
  {NP_("limited: it had already applied the %lld time its limit allows per partner per year (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per year (%s): 0 points")},
  /* TRANSLATORS: the period is the program's whole run; its key is the word "program" */
  {NP_("limited: it had already applied the %lld time its limit allows per partner per program (%s): 0 points",
       "limited: it had already applied the %lld times its limit allows per partner per program (%s): 0 points")},
};
static const char *const capped_texts[][2] = {
  /* TRANSLATORS: the points granted, the cap in points; the period's key (here a day, 2027-05-01) */
  {NP_("capped: %lld point was left of its cap of %lld per partner per day (%s)",
       "capped: %lld points were left of its cap of %lld per partner per day (%s)")},
  {NP_("capped: %lld point was left of its cap of %lld per partner per week (%s)",
       "capped: %lld points were left of its cap of %lld per partner per week (%s)")},
  {NP_("capped: %lld point was left of its cap of %lld per partner per month (%s)",
       "capped: %lld points were left of its cap of %lld per partner per month (%s)")},
  {NP_("capped: %lld point was left of its cap of %lld per partner per quarter (%s)",
       "capped: %lld points were left of its cap of %lld per partner per quarter (%s)")},
  {NP_("capped: %lld point was left of its cap of %lld per partner per year (%s)",
       "capped: %lld points were left of its cap of %lld per partner per year (%s)")},
  /* TRANSLATORS: the period is the program's whole run; its key is the word "program" */
  {NP_("capped: %lld point was left of its cap of %lld per partner per program (%s)",
       "capped: %lld points were left of its cap of %lld per partner per program (%s)")},
};

/* How a grant was bounded by its rule's limit, cap or budget (status). */
static void explain_bound(explainer *x, const incent_table *t, const irt_rule *r, const char *status, long long granted,
                          const char *period) {
  if (strcmp(status, "limited") == 0) {
    long long limit = (long long)t->consts[r->limit].lo;
    int p = r->limit_period <= IRT_P_PROGRAM ? r->limit_period : IRT_P_PROGRAM;
    line(x, 2, P_(limited_texts[p][0], limited_texts[p][1], count(limit)), limit, period);
  } else if (strcmp(status, "capped") == 0) {
    long long cap = (long long)t->consts[r->cap].lo;
    int p = r->cap_period <= IRT_P_PROGRAM ? r->cap_period : IRT_P_PROGRAM;
    line(x, 2, P_(capped_texts[p][0], capped_texts[p][1], count(granted)), granted, cap, period);
  } else if (strcmp(status, "budget") == 0) {
    if (r->budget != IRT_NONE)
      line(x, 2, P_("budget: only %lld point was left of the rule's budget or the program's budget",
                    "budget: only %lld points were left of the rule's budget or the program's budget", count(granted)),
           granted);
    else
      line(x, 2, P_("budget: only %lld point was left of the program's budget",
                    "budget: only %lld points were left of the program's budget", count(granted)), granted);
  }
}

static void explain_rule(void *ud, uint32_t ri, const rt_skip *skip) {
  explainer *x = ud;
  const incent_table *t = incent_ledger_table(x->l);
  const irt_rule *r = &t->rules[ri];
  const char *name = rt_string(t, r->name), *title = rt_string(t, r->title);
  if (skip) {
    explain_skip(x, name, title, skip);
    return;
  }
  sqlite3_stmt *s = x->entries;
  sqlite3_bind_text(s, 1, x->event, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, x->first);
  sqlite3_bind_int64(s, 4, x->last);
  bool any = false;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
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
    if (!any)
      /* TRANSLATORS: the rule's name, its title, the partner who got the entry */
      line(x, 0, _("rule %s \"%s\": applied to %s"), name, title, recipient);
    else
      /* TRANSLATORS: another entry of the same rule for the same event: the partner who got it */
      line(x, 0, _("applied to %s"), recipient);
    any = true;
    const char *kind = (const char *)sqlite3_column_text(s, 6);
    if (kind && strcmp(kind, "debit") == 0) {
      /* TRANSLATORS: the points asked (a decimal number), the program's rounding
         (a keyword: half_up, half_even, down, up), the rounded points, the partner */
      line(x, 2, _("deducts %s points (a deduction takes no tier multiplier), rounded %s: %s, from the points %s "
                   "could spend"), raw, rounding[t->program->rounding], q, recipient);
      line(x, 2, P_("%lld point (%s)", "%lld points (%s)", count(granted)), granted, status);
      continue;
    }
    if (kind && strcmp(kind, "reversal") == 0) {
      explain_reversal(x, s, granted, p);
      continue;
    }
    if (r->flags & IRT_RULE_FLAT)
      /* TRANSLATORS: the raw points (a decimal number), the multiplier, the exact
         product, the program's rounding (a keyword: half_up, half_even, down,
         up), the rounded points */
      line(x, 2, _("raw award %s points, times %s (flat: no tier multiplier) = %s, rounded %s: %s"), raw, mult, p,
           rounding[t->program->rounding], q);
    else
      /* TRANSLATORS: the raw points (a decimal number), the multiplier, the exact
         product, the program's rounding (a keyword: half_up, half_even, down,
         up), the rounded points */
      line(x, 2, _("raw award %s points, times %s (the multiplier of the tier held before the event) = %s, rounded %s: %s"),
           raw, mult, p, rounding[t->program->rounding], q);
    explain_bound(x, t, r, status, granted, period);
    /* TRANSLATORS: the points granted and, in parentheses, the entry's status
       as the ledger stores it (applied, limited, capped, budget): keep the status */
    line(x, 2, P_("granted %lld point (%s)", "granted %lld points (%s)", count(granted)), granted, status);
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) x->failed = true;
  sqlite3_reset(s);
  if (!any && !x->failed) line(x, 0, _("rule %s \"%s\": matched, but no entry was made"), name, title);
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
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    long long points = (long long)sqlite3_column_int64(s, 1);
    /* TRANSLATORS: the points that lapsed, their partner, the day they lapsed */
    line(x, 0, P_("before it: %lld point of %s lapsed on %s (its last valid day had passed)",
                  "before it: %lld points of %s lapsed on %s (their last valid day had passed)", count(points)),
         points, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 2));
  }
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
      if (!any) line(&x, 0, _("event %s was not applied"), shown);
      any = true;
      /* TRANSLATORS: the reason as the ledger stored it (in English: see
         doc/LEDGER.md), the input it came from and its row there */
      line(&x, 2, _("rejected: %s (%s, row %lld)"), (const char *)sqlite3_column_text(s, 2),
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
      /* TRANSLATORS: the event's id, its type, its partner, its time (ISO 8601) */
      line(&x, 0, _("event %s: %s by %s at %s"), shown, type, partner, time);
      for (int i = 0; i < nf; i++) {
        const char *field = incent_table_event_field_name(incent_ledger_table(l), t, i);
        if (values[i][0]) line(&x, 2, "%s %s", field, values[i]);
        /* TRANSLATORS: a field of the event that was left empty: its name */
        else line(&x, 2, _("%s (empty)"), field);
      }
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
      if (st == INCENT_OK && incent_ledger_table(l)->events[t].nrules == 0) line(&x, 0, _("no rule applies to %s events"), type);
    }
    free(values);
    free(bufs);
  }
  sqlite3_finalize(s);
  text_free(&esc);
  return st;
}
