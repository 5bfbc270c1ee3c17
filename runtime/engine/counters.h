/* counters.h: the engine's counters, keyed by kind, partner, rule and
 * period (internal to libincent). */
#ifndef INCENT_COUNTERS_H
#define INCENT_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
  K_LIMIT = 1, K_CAP, K_RULE_BUDGET, K_PROGRAM_BUDGET, K_TIER_POINTS, K_BALANCE,
  /* a partner's totals over its whole account (period 0, rule 0) */
  K_CREDITED, K_SPENT, K_REVERSED, K_EXPIRED,
  K_RULE_POINTS /* a partner's points by the rule of their entries (period 0), for balance */
};
#define K_LAST K_RULE_POINTS

typedef struct counter_key {
  int64_t period;
  int32_t partner; /* -1 for budgets */
  uint32_t rule;   /* 0 where no rule */
  uint32_t kind;
  uint32_t pad;
} counter_key;

typedef struct counter {
  counter_key key;
  int64_t value;
  bool used, changed;
} counter;

typedef struct counters {
  counter *slots;
  size_t cap, n;
  bool track;          /* keep the keys of the counters rt_counter_get hands out */
  /* told of every counter created (the engine lists each partner's); false: out of memory */
  bool (*created)(void *ud, const counter_key *k);
  void *created_ud;
  counter_key *changed; /* since the last rt_counters_changed */
  size_t nchanged, capchanged;
} counters;

/* The counter for k, created at 0, to be changed (with track, it is kept
 * as changed); NULL when out of memory. */
counter *rt_counter_get(counters *m, const counter_key *k);
/* Its value, 0 when it was never created. */
int64_t rt_counter_value(const counters *m, const counter_key *k);

/* Calls fn for every counter changed since the last call (with track on),
 * and forgets them; false when fn does. */
bool rt_counters_changed(counters *m, bool (*fn)(void *ud, const counter *c), void *ud);
void rt_counters_free(counters *m);

#endif
