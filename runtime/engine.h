/* engine.h: the engine's internals shared by engine.c and vm.c (internal). */
#ifndef INCENT_ENGINE_H
#define INCENT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/decimal.h"
#include "runtime/table.h"
#include "runtime/tz.h"

/* A value on the stack machine: a decimal, or a text when s is not NULL.
 * absent marks a partner attribute that was not given. */
typedef struct rt_val {
  dec d;
  const char *s;
  uint32_t slen;
  bool absent;
} rt_val;

typedef enum rt_vm_status {
  RT_VM_OK = 0,
  RT_VM_OVERFLOW,
  RT_VM_DIVZERO,
  RT_VM_ABSENT /* a partner attribute the condition needs was not given */
} rt_vm_status;

typedef struct rt_vm_ctx {
  const incent_table *t;
  const rt_tz *tz;
  const rt_val *consts;
  const rt_val *fields; /* the event's, built-ins first */
  const rt_val *attrs;  /* the acting partner's */
} rt_vm_ctx;

/* Runs the block at code offset `at` (verified by the loader). */
rt_vm_status rt_vm_run(const rt_vm_ctx *c, uint32_t at, rt_val *result);

/* Converts constant i of the table to a value. */
rt_val rt_const_value(const incent_table *t, uint32_t i);

/* Counters, for the ledger: kinds and access by partner id and rule name. */
enum { RT_K_LIMIT = 1, RT_K_CAP, RT_K_RULE_BUDGET, RT_K_PROGRAM_BUDGET, RT_K_TIER_POINTS };
typedef void rt_counter_fn(void *ud, int kind, const char *partner, const char *rule, int64_t period, int64_t value);
/* Calls fn for every counter changed since the last call, then forgets them. */
void rt_engine_dirty_counters(incent_engine *e, rt_counter_fn *fn, void *ud);
/* Sets a counter (from a ledger); false for an unknown partner or rule. */
bool rt_engine_set_counter(incent_engine *e, int kind, const char *partner, const char *rule, int64_t period,
                           int64_t value);

#endif
