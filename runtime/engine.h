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

/* Rebuilds the counters from a ledger entry, as step 3 d-f left them when
 * the entry was made: a ledger's entries are its state.  False for a rule or
 * recipient the table or the engine does not know. */
bool rt_engine_replay(incent_engine *e, const char *rule, const char *recipient, const char *day, const char *status,
                      int64_t granted);

/* For explain: goes through steps 1 and 2 for ev without changing anything
 * and calls fn for every rule of the event's type with what became of it:
 * NULL when it goes on, else the reason it does not.  False, with why, when
 * step 1 rejects the event. */
typedef void rt_trace_fn(void *ud, uint32_t rule, const char *reason);
bool rt_engine_trace(incent_engine *e, const incent_event *ev, rt_trace_fn *fn, void *ud, char *why, size_t whylen);

/* A partner's balance (every point granted to it), and at time (NULL:
 * none) its tier (an index, -1 without tiers) and the points counted
 * towards tiers in that tier period.  False for an unknown partner. */
bool rt_engine_standing(const incent_engine *e, const char *partner, const char *time, int32_t *tier,
                        int64_t *tier_points, int64_t *balance);

#endif
