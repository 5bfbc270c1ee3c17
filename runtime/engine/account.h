/* account.h: a partner's points account as lots (LANGUAGE.md "The points
 * account"): credits held as lots with the day they become available and
 * their last valid day, the order deductions and reversals take from them,
 * a debt paid by later credits, and lapses (internal to libincent). */
#ifndef INCENT_ACCOUNT_H
#define INCENT_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/engine/table_format.h"

#define RT_NEVER INT32_MAX /* the last valid day of a credit that never lapses */

/* What is left of one or more credits.  Two lots that are both available and
 * share their last valid day and expiry message are one: a partner holds at
 * most its pending lots plus one lot per last valid day and message (as of
 * its last entry). */
typedef struct rt_lot {
  int32_t avail;   /* the first day its points can be spent */
  int32_t last;    /* the last day they can; RT_NEVER */
  int64_t left;    /* > 0 */
  uint64_t seq;    /* the order of the entry that made it (older first) */
  uint32_t notify; /* the expiry message, or IRT_NONE */
} rt_lot;

typedef struct rt_account {
  rt_lot *lots;
  uint32_t n, cap;
  int64_t debt; /* >= 0; while it is above 0 there is no lot */
} rt_account;

/* The last valid day of a credit entered on day under x (RT_NEVER for
 * IRT_X_NEVER): the day plus n days, months (keeping the day of the month or
 * taking the month's last) or years, then moved to the end of x->end's
 * period when x->end is set. */
int32_t rt_expiry_last_day(int32_t day, const irt_expiry *x);

/* Enters a credit: it first pays the debt, and what is left becomes a lot.
 * False when out of memory (the account is then unchanged). */
bool rt_account_credit(rt_account *a, int64_t points, int32_t avail, int32_t last, uint32_t notify, uint64_t seq);

/* The points of lots available on day (and not lapsed), those not yet
 * available, and those whose last valid day is before day (lapsed but not
 * yet written). */
void rt_account_figures(const rt_account *a, int32_t day, int64_t *available, int64_t *pending, int64_t *lapsed);

/* Takes points from the lots available on day, the one that lapses first
 * first (ties: the one available first, then the older entry).  False, and
 * nothing taken, when they hold less. */
bool rt_account_deduct(rt_account *a, int32_t day, int64_t points);

/* Takes points back for a reversal on day: first from pending lots (the one
 * available last first; ties: the newer entry), then as a deduction; what
 * it cannot find becomes debt.  False on overflow of the debt. */
bool rt_account_reverse(rt_account *a, int32_t day, int64_t points);

/* Removes every lot whose last valid day is before day, calling fn for each
 * (in the order they lapsed; lots that lapse on one day with one message
 * lapse together); true when it removed any. */
typedef void rt_lapse_fn(void *ud, const rt_lot *lot);
bool rt_account_settle(rt_account *a, int32_t day, rt_lapse_fn *fn, void *ud);

/* Joins the lots available on day that share their last valid day and
 * message.  Done only where an entry changes the account (a credit, a
 * deduction, a reversal), on that entry's day, so that a ledger rebuilt
 * from its entries joins the same lots on the same days, whatever order the
 * events' times came in. */
void rt_account_join(rt_account *a, int32_t day);

/* The next lapse after day: the earliest last valid day of a lot at or after
 * day, and the points of every lot that lapses then.  False when none will. */
bool rt_account_next_lapse(const rt_account *a, int32_t day, int32_t *last, int64_t *points);

/* The lots as text, "avail last left seq notify" (days since 1970-01-01,
 * last -1 for never, notify -1 for none) joined by ';'; malloc'd, NULL when
 * out of memory.  Parsed back (replacing a's lots) by rt_account_parse,
 * false for a malformed text. */
char *rt_account_format(const rt_account *a);
bool rt_account_parse(rt_account *a, const char *text);

/* Copies src into dst (whose lots are replaced); false when out of memory. */
bool rt_account_copy(rt_account *dst, const rt_account *src);
void rt_account_free(rt_account *a);

#endif
