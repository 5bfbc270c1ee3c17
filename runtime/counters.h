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
  K_CREDITED, K_SPENT, K_REVERSED, K_EXPIRED
};

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
  bool used;
} counter;

typedef struct counters {
  counter *slots;
  size_t cap, n;
} counters;

/* The counter for k, created at 0; NULL when out of memory. */
counter *rt_counter_get(counters *m, const counter_key *k);
/* Its value, 0 when it was never created. */
int64_t rt_counter_value(const counters *m, const counter_key *k);

#endif
