/* account.c: a partner's lots: credits, the deduction and reversal orders,
 * the debt, lapses and the figures a balance shows (LANGUAGE.md "The points
 * account").  A partner has few lots, so each order is found by a scan
 * rather than kept sorted. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/engine/account.h"
#include "runtime/base/civil.h"
#include "runtime/base/util.h"

static int32_t month_end(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return days[m - 1] + (m == 2 && leap);
}

int32_t rt_expiry_last_day(int32_t day, const irt_expiry *x) {
  if (x->unit == IRT_X_NEVER || x->unit == IRT_X_INHERIT) return RT_NEVER;
  int y, m, d;
  int64_t last;
  if (x->unit == IRT_X_DAYS) {
    last = (int64_t)day + x->n;
    if (last >= RT_NEVER) return RT_NEVER;
    civil_from_days((int32_t)last, &y, &m, &d);
  } else {
    civil_from_days(day, &y, &m, &d);
    int64_t months = (int64_t)y * 12 + (m - 1) + (int64_t)x->n * (x->unit == IRT_X_YEARS ? 12 : 1);
    y = (int)(months / 12);
    m = (int)(months % 12) + 1;
    int end = month_end(y, m);
    if (d > end) d = end;
  }
  switch (x->end) {
  case IRT_P_MONTH: d = month_end(y, m); break;
  case IRT_P_QUARTER: m = (m - 1) / 3 * 3 + 3, d = month_end(y, m); break;
  case IRT_P_YEAR: m = 12, d = 31; break;
  default: break;
  }
  return civil_days(y, m, d);
}

bool rt_account_credit(rt_account *a, int64_t points, int32_t avail, int32_t last, uint32_t notify, uint64_t seq) {
  if (points <= 0) return true;
  int64_t pay = points < a->debt ? points : a->debt;
  if (points - pay == 0) {
    a->debt -= pay;
    return true;
  }
  size_t cap = a->cap;
  if (!rt_grow((void **)&a->lots, &cap, a->n + 1, sizeof *a->lots)) return false;
  a->cap = (uint32_t)cap;
  a->debt -= pay;
  a->lots[a->n++] = (rt_lot){avail, last, points - pay, seq, notify};
  return true;
}

void rt_account_figures(const rt_account *a, int32_t day, int64_t *available, int64_t *pending, int64_t *lapsed) {
  *available = *pending = *lapsed = 0;
  for (uint32_t i = 0; i < a->n; i++) {
    const rt_lot *l = &a->lots[i];
    if (l->last < day) *lapsed += l->left;
    else if (l->avail > day) *pending += l->left;
    else *available += l->left;
  }
}

/* Whether lot x comes before lot y in the deduction order. */
static bool deducted_first(const rt_lot *x, const rt_lot *y) {
  if (x->last != y->last) return x->last < y->last;
  if (x->avail != y->avail) return x->avail < y->avail;
  return x->seq < y->seq;
}

/* Whether pending lot x comes before pending lot y when a reversal takes. */
static bool reversed_first(const rt_lot *x, const rt_lot *y) {
  if (x->avail != y->avail) return x->avail > y->avail;
  return x->seq > y->seq;
}

/* Removes the lots left at zero. */
static void compact(rt_account *a) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < a->n; i++)
    if (a->lots[i].left > 0) a->lots[k++] = a->lots[i];
  a->n = k;
}

/* Takes up to points from the lots pending on day (pending true) or
 * available on it, in that kind's order; returns what it could not find. */
static int64_t take(rt_account *a, int32_t day, int64_t points, bool pending) {
  while (points > 0) {
    rt_lot *best = NULL;
    for (uint32_t i = 0; i < a->n; i++) {
      rt_lot *l = &a->lots[i];
      if (l->left == 0 || l->last < day || (l->avail > day) != pending) continue;
      if (!best || (pending ? reversed_first(l, best) : deducted_first(l, best))) best = l;
    }
    if (!best) break;
    int64_t t = best->left < points ? best->left : points;
    best->left -= t;
    points -= t;
  }
  compact(a);
  return points;
}

bool rt_account_deduct(rt_account *a, int32_t day, int64_t points) {
  int64_t available, pending, lapsed;
  rt_account_figures(a, day, &available, &pending, &lapsed);
  if (available < points) return false;
  take(a, day, points, false);
  return true;
}

bool rt_account_reverse(rt_account *a, int32_t day, int64_t points) {
  int64_t missing = take(a, day, take(a, day, points, true), false);
  return !__builtin_add_overflow(a->debt, missing, &a->debt);
}

/* Whether a lot with another lapse message lapses on l's day: merged lots
 * would then take a place in the deduction order, between the two
 * messages, that a ledger rebuilt from its entries does not give them. */
static bool lapses_with_another(const rt_account *a, const rt_lot *l) {
  for (uint32_t i = 0; i < a->n; i++)
    if (a->lots[i].left > 0 && a->lots[i].last == l->last && a->lots[i].notify != l->notify) return true;
  return false;
}

bool rt_account_settle(rt_account *a, int32_t day, rt_lapse_fn *fn, void *ud) {
  if (a->n == 0 || (a->n == 1 && a->lots[0].last >= day)) return false; /* the common case: nothing lapses */
  uint32_t before = a->n;
  for (;;) { /* the lapsed lots, the one that lapsed first first */
    rt_lot *first = NULL;
    for (uint32_t i = 0; i < a->n; i++)
      if (a->lots[i].last < day && (!first || deducted_first(&a->lots[i], first))) first = &a->lots[i];
    if (!first) break;
    rt_lot gone = *first;
    first->left = 0;
    /* every lot that lapses that day with the same message lapses with it, as
     * one entry, whether an earlier settle merged them or not: a ledger
     * rebuilt from its entries, which never merged them, writes the same */
    for (uint32_t i = 0; i < a->n; i++) {
      rt_lot *m = &a->lots[i];
      if (m->left == 0 || m->last != gone.last || m->notify != gone.notify) continue;
      if (__builtin_add_overflow(gone.left, m->left, &gone.left)) break; /* unreachable below 10^15 points each */
      m->left = 0;
    }
    compact(a);
    if (fn) fn(ud, &gone);
  }
  compact(a);
  return a->n != before;
}

void rt_account_join(rt_account *a, int32_t day) {
  if (a->n < 2) return;
  for (uint32_t i = 0; i < a->n; i++) { /* available lots that lapse together are one */
    rt_lot *l = &a->lots[i];
    if (l->avail > day || l->left == 0 || lapses_with_another(a, l)) continue;
    for (uint32_t k = i + 1; k < a->n; k++) {
      rt_lot *m = &a->lots[k];
      if (m->avail > day || m->left == 0 || m->last != l->last || m->notify != l->notify) continue;
      if (__builtin_add_overflow(l->left, m->left, &l->left)) continue; /* unreachable below 10^15 points each */
      if (m->avail < l->avail || (m->avail == l->avail && m->seq < l->seq)) l->avail = m->avail, l->seq = m->seq;
      m->left = 0;
    }
  }
  compact(a);
}

bool rt_account_next_lapse(const rt_account *a, int32_t day, int32_t *last, int64_t *points) {
  *last = RT_NEVER;
  *points = 0;
  for (uint32_t i = 0; i < a->n; i++) {
    const rt_lot *l = &a->lots[i];
    if (l->last < day || l->last == RT_NEVER) continue;
    if (l->last < *last) *last = l->last, *points = 0;
    if (l->last == *last) *points += l->left;
  }
  return *last != RT_NEVER;
}

char *rt_account_format(const rt_account *a) {
  size_t size = (size_t)a->n * 80 + 1;
  char *out = rt_malloc(size), *p = out;
  if (!out) return NULL;
  *p = '\0';
  for (uint32_t i = 0; i < a->n; i++) {
    const rt_lot *l = &a->lots[i];
    p += snprintf(p, size - (size_t)(p - out), "%s%" PRId32 " %" PRId32 " %" PRId64 " %" PRIu64 " %" PRId64, i ? ";" : "",
                  l->avail, l->last == RT_NEVER ? -1 : l->last, l->left, l->seq,
                  l->notify == IRT_NONE ? (int64_t)-1 : (int64_t)l->notify);
  }
  return out;
}

bool rt_account_parse(rt_account *a, const char *text) {
  a->n = 0;
  for (const char *p = text; p && *p;) {
    rt_lot l;
    int32_t last;
    int64_t notify;
    int used = 0;
    if (sscanf(p, "%" SCNd32 " %" SCNd32 " %" SCNd64 " %" SCNu64 " %" SCNd64 "%n", &l.avail, &last, &l.left, &l.seq,
               &notify, &used) != 5 || l.left <= 0 || last < -1 || notify < -1 || notify > UINT32_MAX)
      return false;
    l.last = last == -1 ? RT_NEVER : last;
    l.notify = notify == -1 ? IRT_NONE : (uint32_t)notify;
    size_t cap = a->cap;
    if (!rt_grow((void **)&a->lots, &cap, a->n + 1, sizeof *a->lots)) return false;
    a->cap = (uint32_t)cap;
    a->lots[a->n++] = l;
    p += used;
    if (*p == ';') p++;
    else if (*p) return false;
  }
  return true;
}

bool rt_account_copy(rt_account *dst, const rt_account *src) {
  size_t cap = dst->cap;
  if (src->n && !rt_grow((void **)&dst->lots, &cap, src->n, sizeof *dst->lots)) return false;
  dst->cap = (uint32_t)cap;
  if (src->n) memcpy(dst->lots, src->lots, src->n * sizeof *src->lots);
  dst->n = src->n;
  dst->debt = src->debt;
  return true;
}

void rt_account_free(rt_account *a) {
  free(a->lots);
  *a = (rt_account){0};
}
