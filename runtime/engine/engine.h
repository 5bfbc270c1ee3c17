/* engine.h: the engine's internals shared by engine.c, apply.c, vm.c and
 * the ledger (internal). */
#ifndef INCENT_ENGINE_H
#define INCENT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/engine/account.h"
#include "runtime/engine/counters.h"
#include "runtime/base/decimal.h"
#include "runtime/base/strmap.h"
#include "runtime/engine/table.h"
#include "runtime/base/tz.h"

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
  const rt_val *fields;       /* the event's, built-ins first */
  const rt_val *attrs;        /* the acting partner's */
  const rt_val *const *refs;  /* per field of type event: the earlier event's fields, or NULL */
  incent_probe_fn *probe;     /* coverage (RT_OP_PROBE), or NULL */
  void *probe_ud;
  uint32_t rule;              /* the rule whose condition runs, for the probe */
} rt_vm_ctx;

typedef struct partner {
  char *id;
  rt_val *attrs;
  char *text;       /* storage of the attribute texts */
  int32_t given_tier;
  rt_account acct;
  bool changed;     /* its account or a counter of it changed since the last rt_engine_changed */
  counter_key *keys; /* its counters (a ledger keeps them with its account) */
  uint32_t nkeys, capkeys;
} partner;

/* One change of a counter during an event, to undo it if the event is rejected. */
typedef struct undo { counter_key key; int64_t old; } undo;

/* A partner's account as it was before the event changed it. */
typedef struct saved_account { int32_t partner; rt_account acct; } saved_account;

typedef enum item_kind { IT_CREDIT = 0, IT_DEBIT, IT_REVERSAL } item_kind;

/* An entry the event will make, once nothing can reject it. */
typedef struct item {
  item_kind kind;
  uint32_t rule;
  int32_t recipient;
  size_t slot;            /* the recipient's place in the event's list of recipients */
  dec raw, mult;
  int64_t granted;        /* the points it moves, > 0 or 0 */
  const char *status;
  int64_t period;
  int period_kind;
  int32_t avail, last;    /* a credit's lot */
  uint32_t expire_notify;
  uint32_t ref;           /* a reversal's: the field naming the earlier event */
  const char *rev_rule;   /* and the rule of the entry it takes back from */
  int64_t rev_of;         /* that entry's points */
  long long rev_entry;    /* and its id in the history */
} item;

/* The earlier events this event's fields of type event name. */
typedef struct rt_ref {
  char *text;             /* storage of their values */
  size_t textcap;
  rt_val *vals;           /* their fields, built-ins first */
  uint32_t nvals;
  incent_grant *grants;   /* copies, strings in text */
  int ngrants;
  size_t capgrants;
} rt_ref;

struct incent_engine {
  const incent_table *t;
  rt_tz *tz;
  rt_val *consts;
  partner *partners;
  uint32_t npartners, cappartners;
  strmap partner_index;
  counters counters;
  uint64_t seq;           /* entries made, for the order of lots */
  bool track;             /* keep what changed, for a ledger's state (rt_engine_changed) */
  int32_t last_day;       /* the latest day accounts were settled at (lapses written, lots joined) */
  int32_t *changed;       /* partners whose account changed */
  size_t nchanged, capchanged;
  incent_history_fn *history;
  void *history_ud;
  incent_probe_fn *probe;
  void *probe_ud;
  /* per event scratch */
  rt_val *fields;
  uint32_t max_fields;
  rt_ref *refs;           /* per field */
  const rt_val **ref_vals;
  uint64_t serial;
  uint64_t traced;        /* the serial of the last event that passed step 1 */
  uint64_t *group_serial; /* the event serial in which a group's rule went on */
  uint32_t *group_winner; /* and that rule */
  undo *undos;
  size_t nundo, capundo;
  saved_account *saved;
  size_t nsaved, capsaved;
  item *items;
  size_t nitems, capitems;
  incent_messages *messages; /* renders queued messages, when set */
  int32_t *recipients;    /* partners touched by this event, with their tier before it */
  int32_t *tier_before, *tier_after;
  size_t nrecip, caprecip, captier, capafter;
};

/* engine.c, for apply.c: */
bool rt_sound_text(const char *name, const char *text, bool id, char *why, size_t whylen);
bool rt_parse_value(const incent_engine *e, const irt_field *f, const char *text, rt_val *v, char *why, size_t whylen);
bool rt_parse_time(const incent_engine *e, const char *text, int64_t *utc);
int32_t rt_tier_of(const incent_engine *e, int32_t partner, int64_t utc);
/* The tier partner holds with points in the tiers' period (the highest
 * whose threshold they reach, and never below the tier it was given). */
int32_t rt_tier_for(const incent_engine *e, int32_t partner, int64_t points);
/* Whether points of rule ri (-1: a rule that is gone) count towards tiers:
 * the program has tiers and the rule awards points. */
bool rt_counts_for_tier(const incent_table *t, int ri);
int32_t rt_local_day(const incent_engine *e, int64_t utc);
/* Adds delta to counter c, remembering its old value for the event's undo;
 * false when out of memory or on overflow. */
bool rt_engine_bump(incent_engine *e, counter *c, int64_t delta);
/* What a credit of rule ri (-1: a rule that is gone) to who on day counted
 * in, changed by delta: its cap's period, the budgets and the tier period;
 * with firing, its limit's period counts one more firing.  Through the
 * event's undo when undoable (apply), directly otherwise (a ledger's replay). */
bool rt_count_bounds(incent_engine *e, int ri, int32_t who, int32_t day, int64_t delta, bool firing, bool undoable);
/* Writes the lapses of partner p before day (LANGUAGE.md: before any later
 * event of the partner, and by `incent expire`), reporting each as an
 * entry of event (NULL for expire) and rendering its message. */
void rt_engine_settle(incent_engine *e, int32_t p, int32_t day, const char *event, const incent_report *rep);

/* Runs the block at code offset `at` (verified by the loader). */
rt_vm_status rt_vm_run(const rt_vm_ctx *c, uint32_t at, rt_val *result);

/* Converts constant i of the table to a value. */
rt_val rt_const_value(const incent_table *t, uint32_t i);

/* Rebuilds the counters and the account from a ledger entry, as the entry
 * left them when it was made: a ledger's entries are its state.  False for
 * an entry the table or the engine cannot hold, or out of memory. */
typedef struct rt_replayed {
  const char *kind, *rule, *recipient, *day, *status;
  int64_t granted, seq;
  const char *available, *last_valid;        /* a credit's */
  const char *reversed_rule, *reversed_day;  /* a reversal's: the credit's rule and day */
} rt_replayed;
bool rt_engine_replay(incent_engine *e, const rt_replayed *x);
/* The entry's effect on one partner's account alone (its lots and debt; x's
 * day already parsed as day): the part of rt_engine_replay that a reader
 * rebuilding one account without an engine needs (statements).  False for
 * an entry of no known kind, a malformed date, a deduction the lots cannot
 * pay, or out of memory. */
bool rt_account_replay(rt_account *a, const incent_table *t, const rt_replayed *x, int32_t day);

/* The state a ledger keeps beside its entries (so that opening it costs what
 * its state holds, not its history): from rt_engine_track on, every counter
 * and partner account that changed, handed to a sink by rt_engine_changed
 * (which forgets them), and loaded back by rt_engine_load_*. */
typedef struct rt_state_sink {
  /* a counter: rt_engine_changed gives only budgets (partner NULL); a
   * partner's counters go with its account */
  bool (*counter)(void *ud, const counter *c, const char *partner);
  bool (*account)(void *ud, const incent_engine *e, int32_t p);
  void *ud;
} rt_state_sink;
void rt_engine_track(incent_engine *e);
/* Marks partner p's account as changed (with tracking on). */
void rt_engine_touched(incent_engine *e, int32_t p);
/* Marks everything as changed: the whole state is handed over next time.
 * (A partner's counters are in e->partners[p].keys.) */
bool rt_engine_touch_all(incent_engine *e);
bool rt_engine_changed(incent_engine *e, const rt_state_sink *sink);
bool rt_engine_load_counter(incent_engine *e, uint32_t kind, const char *partner, uint32_t rule, int64_t period,
                            int64_t value);
bool rt_engine_load_account(incent_engine *e, const char *partner, const char *lots, int64_t debt);
/* Calls fn for every counter and account, as a sink (to compare states). */
bool rt_engine_state(const incent_engine *e, const rt_state_sink *sink);

/* The tier the actor of the event last applied held before it (by name),
 * NULL without tiers or when step 1 rejected the event. */
const char *rt_engine_actor_tier(const incent_engine *e);

/* Why a rule does not go on for an event, for explain to put into words
 * (the engine keeps no sentences of its own for it).  The strings belong to
 * the table or the event and last as long as the call that passes them. */
typedef enum rt_skip_kind {
  RT_SKIP_SHADOWED,       /* rule `name` came first in its 'first of' group `group` */
  RT_SKIP_OUTSIDE_DURING, /* the event's day is outside its 'during' `from` to `to` */
  RT_SKIP_WHEN_FALSE,     /* its condition is false */
  RT_SKIP_ABSENT,         /* its condition reads a partner attribute that was not given */
  RT_SKIP_DIVZERO,        /* its condition divides by zero */
  RT_SKIP_RANGE,          /* its condition computes a number out of range */
  RT_SKIP_TO_EMPTY,       /* its 'to' field `name` is empty */
  RT_SKIP_TO_UNKNOWN,     /* its 'to' field `name` holds `value`, no known partner */
} rt_skip_kind;

typedef struct rt_skip {
  rt_skip_kind kind;
  const char *name, *group;
  int32_t from, to;  /* days */
  const char *value; /* valuelen bytes, not terminated */
  size_t valuelen;
} rt_skip;

/* For explain: goes through steps 1 and 2 for ev without changing anything,
 * the actor holding actor_tier (a tier's name; NULL: as the engine counts),
 * and calls fn for every rule of the event's type with what became of it:
 * NULL when it goes on, else why it does not.  False, with why, when step 1
 * rejects the event. */
typedef void rt_trace_fn(void *ud, uint32_t rule, const rt_skip *skip);
bool rt_engine_trace(incent_engine *e, const incent_event *ev, const char *actor_tier, rt_trace_fn *fn, void *ud,
                     char *why, size_t whylen);

#endif
