/* apply.c: applies one event, one function per numbered step of "How one
 * event is applied" in LANGUAGE.md, with the account's deductions,
 * reversals and lapses ("The points account"). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/messages/messages.h"
#include "runtime/base/util.h"

/* ---- applying one event ---- */

static void rollback(incent_engine *e) {
  for (size_t i = 0; i < e->nsaved; i++) /* copying back into lots it already has cannot fail */
    rt_account_copy(&e->partners[e->saved[i].partner].acct, &e->saved[i].acct);
  e->nsaved = 0;
  while (e->nundo > 0) {
    undo *u = &e->undos[--e->nundo];
    counter *c = rt_counter_get(&e->counters, &u->key);
    if (c) c->value = u->old;
  }
}

/* The slot of a recipient in this event's list, with its tier before the
 * event; its lapses up to the event's day are written first (with settle). */
static size_t recipient(incent_engine *e, int32_t p, int64_t utc, bool settle, const char *event,
                        const incent_report *rep) {
  for (size_t i = 0; i < e->nrecip; i++)
    if (e->recipients[i] == p) return i;
  if (!rt_grow((void **)&e->recipients, &e->caprecip, e->nrecip + 1, sizeof *e->recipients) ||
      !rt_grow((void **)&e->tier_before, &e->captier, e->nrecip + 1, sizeof *e->tier_before) ||
      !rt_grow((void **)&e->tier_after, &e->capafter, e->nrecip + 1, sizeof *e->tier_after))
    return SIZE_MAX;
  if (settle) rt_engine_settle(e, p, rt_local_day(e, utc), event, rep);
  e->recipients[e->nrecip] = p;
  e->tier_before[e->nrecip] = rt_tier_of(e, p, utc);
  return e->nrecip++;
}

/* Keeps partner p's account as it was before this event changed it, once. */
static bool save_account(incent_engine *e, int32_t p) {
  for (size_t i = 0; i < e->nsaved; i++)
    if (e->saved[i].partner == p) return true;
  if (e->nsaved == e->capsaved) {
    size_t cap = e->capsaved ? e->capsaved * 2 : 4;
    saved_account *s = rt_realloc(e->saved, cap * sizeof *s);
    if (!s) return false;
    memset(s + e->capsaved, 0, (cap - e->capsaved) * sizeof *s);
    e->saved = s;
    e->capsaved = cap;
  }
  saved_account *s = &e->saved[e->nsaved];
  if (!rt_account_copy(&s->acct, &e->partners[p].acct)) return false;
  rt_engine_touched(e, p);
  s->partner = p;
  e->nsaved++;
  return true;
}

static const char *vm_error(rt_vm_status st) {
  return st == RT_VM_DIVZERO ? "division by zero" : "a number out of range";
}

/* Copies text into r's storage at *at; false when it does not fit. */
static const char *keep(rt_ref *r, size_t *at, const char *text) {
  size_t len = strlen(text ? text : "") + 1;
  if (*at + len > r->textcap) return NULL;
  memcpy(r->text + *at, text ? text : "", len);
  *at += len;
  return r->text + *at - len;
}

/* Step 1 for field i, of type event: the earlier event it names, asked of
 * the history and copied (its values parsed as its type's fields), so that
 * its fields read as FIELD.NAME and a reversal finds its credits. */
static bool read_ref(incent_engine *e, uint32_t i, const irt_field *f, char *why, size_t whylen) {
  const incent_table *t = e->t;
  const char *name = rt_string(t, f->name), *id = e->fields[i].s;
  const char *want = rt_string(t, t->events[f->enum_id].name);
  incent_past_event past = {0};
  int found = e->history ? e->history(e->history_ud, id, &past) : 0;
  if (found < 0) return rt_fail(why, whylen, "'%s': the history of events could not be read", name);
  if (found == 0) return rt_fail(why, whylen, "'%s' names no earlier event \"%s\"", name, id);
  if (!past.type || strcmp(past.type, want) != 0)
    return rt_fail(why, whylen, "'%s' names %s, an event of type %s, not %s", name, id, past.type ? past.type : "?", want);
  rt_ref *r = &e->refs[i];
  const irt_event *et = &t->events[f->enum_id];
  size_t need = strlen(id) + strlen(past.partner ? past.partner : "") + strlen(past.time ? past.time : "") + 3;
  for (int k = 0; k < past.nvalues; k++) need += strlen(past.values[k] ? past.values[k] : "") + 1;
  for (int k = 0; k < past.ngrants; k++)
    need += strlen(past.grants[k].recipient ? past.grants[k].recipient : "") +
            strlen(past.grants[k].rule ? past.grants[k].rule : "") + strlen(past.grants[k].day ? past.grants[k].day : "") + 3;
  size_t nvals = et->nfields ? et->nfields : 1;
  if (!rt_grow((void **)&r->text, &r->textcap, need, 1) ||
      (r->nvals < nvals && !(r->vals = rt_realloc(r->vals, nvals * sizeof *r->vals))) ||
      !rt_grow((void **)&r->grants, &r->capgrants, (size_t)past.ngrants + 1, sizeof *r->grants))
    return rt_fail(why, whylen, "out of memory");
  if (r->nvals < nvals) r->nvals = (uint32_t)nvals;
  size_t at = 0;
  const irt_field *pf = &t->event_fields[et->fields];
  const char *rid = keep(r, &at, id);
  r->vals[IRT_FIELD_ID] = (rt_val){{0, 0}, rid, (uint32_t)strlen(rid), false};
  int64_t utc = 0;
  const char *ptime = keep(r, &at, past.time);
  rt_parse_time(e, ptime, &utc);
  r->vals[IRT_FIELD_TIME] = (rt_val){dec_from_int(utc), NULL, 0, false};
  const char *pp = keep(r, &at, past.partner);
  r->vals[IRT_FIELD_PARTNER] = (rt_val){{0, 0}, pp, (uint32_t)strlen(pp), false};
  for (uint32_t k = IRT_FIELD_DECLARED; k < et->nfields; k++) {
    int v = (int)(k - IRT_FIELD_DECLARED);
    const char *text = keep(r, &at, v < past.nvalues ? past.values[v] : NULL);
    char ignored[8];
    if (!rt_parse_value(e, &pf[k], text, &r->vals[k], ignored, sizeof ignored))
      r->vals[k] = (rt_val){{0, 0}, "", 0, true}; /* read as a missing partner attribute is */
  }
  r->ngrants = 0;
  for (int k = 0; k < past.ngrants; k++) {
    const incent_grant *g = &past.grants[k];
    if (g->granted <= 0) continue;
    r->grants[r->ngrants++] = (incent_grant){g->entry, keep(r, &at, g->recipient), keep(r, &at, g->rule),
                                             keep(r, &at, g->day), g->granted, g->reversed < 0 ? 0 : g->reversed};
  }
  e->ref_vals[i] = r->vals;
  return true;
}

/* Step 1: the event's type, partner, fields and time. */
static bool step1_read(incent_engine *e, const incent_event *ev, int *type, uint32_t *actor, int64_t *utc,
                       int64_t *day_out, char *why, size_t whylen) {
  const incent_table *t = e->t;
  if (!ev->id || !ev->id[0]) return rt_fail(why, whylen, "the event has no id");
  if (!rt_sound_text("id", ev->id, true, why, whylen) || (ev->type && !rt_sound_text("type", ev->type, true, why, whylen)) ||
      (ev->partner && !rt_sound_text("partner", ev->partner, true, why, whylen)) ||
      (ev->time && !rt_sound_text("time", ev->time, true, why, whylen)))
    return false;
  *type = ev->type ? incent_table_event_type(t, ev->type) : -1;
  if (*type < 0) return rt_fail(why, whylen, "unknown event type \"%s\"", ev->type ? ev->type : "");
  if (!ev->partner || !strmap_get(&e->partner_index, ev->partner, strlen(ev->partner), actor))
    return rt_fail(why, whylen, "unknown partner \"%s\"", ev->partner ? ev->partner : "");
  if (!rt_parse_time(e, ev->time, utc)) return rt_fail(why, whylen, "malformed time \"%s\"", ev->time ? ev->time : "");
  int64_t local = *utc + rt_tz_offset(e->tz, *utc);
  int64_t day = local / 86400 - (local % 86400 < 0);
  *day_out = day;
  if (day < t->program->runs_from || day > t->program->runs_to)
    return rt_fail(why, whylen, "time %s is outside the program's runs", ev->time);
  const irt_event *et = &t->events[*type];
  const irt_field *fields = &t->event_fields[et->fields];
  e->fields[IRT_FIELD_ID] = (rt_val){{0, 0}, ev->id, (uint32_t)strlen(ev->id), false};
  e->fields[IRT_FIELD_TIME] = (rt_val){dec_from_int(*utc), NULL, 0, false};
  e->fields[IRT_FIELD_PARTNER] = (rt_val){{0, 0}, ev->partner, (uint32_t)strlen(ev->partner), false};
  for (uint32_t i = IRT_FIELD_DECLARED; i < et->nfields; i++) {
    int k = (int)(i - IRT_FIELD_DECLARED);
    const char *text = k < ev->nvalues ? ev->values[k] : NULL;
    if (text && !rt_sound_text(rt_string(t, fields[i].name), text, false, why, whylen)) return false;
    if (!rt_parse_value(e, &fields[i], text, &e->fields[i], why, whylen)) return false;
  }
  /* a field outside its declared range (`from MIN to MAX`) rejects the event */
  for (uint32_t k = 0; k < t->nranges; k++) {
    const irt_range *r = &t->ranges[k];
    if (r->event != (uint32_t)*type || e->fields[r->field].absent) continue;
    dec lo = rt_const_value(t, r->min).d, hi = rt_const_value(t, r->max).d, v = e->fields[r->field].d;
    if (dec_cmp(v, lo) >= 0 && dec_cmp(v, hi) <= 0) continue;
    char a[DEC_STRING_MAX], b[DEC_STRING_MAX], c[DEC_STRING_MAX];
    bool money = fields[r->field].type == IRT_T_MONEY;
    const char *cur = money ? rt_string(t, t->program->currency) : "";
    return rt_fail(why, whylen, "'%s' is %s%s%s, outside its range from %s%s%s to %s%s%s",
                   rt_string(t, fields[r->field].name), dec_to_string(v, a), money ? " " : "", cur,
                   dec_to_string(lo, b), money ? " " : "", cur, dec_to_string(hi, c), money ? " " : "", cur);
  }
  for (uint32_t i = IRT_FIELD_DECLARED; i < et->nfields; i++) {
    e->ref_vals[i] = NULL;
    if (fields[i].type == IRT_T_EVENT && !read_ref(e, i, &fields[i], why, whylen)) return false;
  }
  return true;
}

/* Step 2: does the rule go on for this event, and if not, why. */
typedef enum step2_result { S2_GOES_ON, S2_SHADOWED, S2_OUTSIDE_DURING, S2_WHEN_FALSE, S2_ABSENT, S2_ERROR } step2_result;

static step2_result step2_match(incent_engine *e, uint32_t ri, rt_vm_ctx *ctx, int64_t day, rt_vm_status *err) {
  const irt_rule *r = &e->t->rules[ri];
  *err = RT_VM_OK;
  if (r->group != IRT_NONE && e->group_serial[r->group] == e->serial) return S2_SHADOWED;
  if (r->has_during && (day < r->during_from || day > r->during_to)) return S2_OUTSIDE_DURING;
  if (r->when_code != IRT_NONE) {
    rt_val v;
    ctx->rule = ri;
    rt_vm_status st = rt_vm_run(ctx, r->when_code, &v);
    if (st == RT_VM_ABSENT) return S2_ABSENT;
    if (st != RT_VM_OK) {
      *err = st;
      return S2_ERROR;
    }
    if (dec_is_zero(v.d)) return S2_WHEN_FALSE;
  }
  if (r->group != IRT_NONE) {
    e->group_serial[r->group] = e->serial;
    e->group_winner[r->group] = ri;
  }
  return S2_GOES_ON;
}

/* Step 3: the recipient, the actor or the partner the `to` field names;
 * -1 with *skip saying why when that field is empty or names nobody known. */
static int32_t step3_recipient(const incent_engine *e, const irt_rule *r, int type, uint32_t actor, rt_skip *skip) {
  if (r->to_field == IRT_NONE) return (int32_t)actor;
  /* `to partner.ATTR`: the partner an attribute of the actor names (two-tier channels) */
  bool attr = (r->to_field & IRT_TO_ATTR) != 0;
  uint32_t i = r->to_field & ~IRT_TO_ATTR;
  const rt_val *f = attr ? &e->partners[actor].attrs[i] : &e->fields[i];
  uint32_t p;
  if (!f->absent && f->slen && strmap_get(&e->partner_index, f->s, f->slen, &p)) return (int32_t)p;
  *skip = (rt_skip){!f->absent && f->slen ? RT_SKIP_TO_UNKNOWN : RT_SKIP_TO_EMPTY,
                    rt_string(e->t, attr ? e->t->attrs[i].name : e->t->event_fields[e->t->events[type].fields + i].name),
                    NULL, 0, 0, f->absent ? NULL : f->s, f->absent ? 0 : f->slen};
  return -1;
}

static int64_t const_int(const incent_engine *e, uint32_t c) {
  int64_t v = 0;
  dec_to_i64(e->consts[c].d, &v);
  return v;
}

/* Cuts g->granted to what is left of a bound, setting the status when it cuts. */
static void cut(incent_engine *e, item *g, const counter_key *k, int64_t bound, const char *status) {
  int64_t left = bound - rt_counter_value(&e->counters, k);
  if (left < 0) left = 0;
  if (g->granted > left) {
    g->granted = left;
    g->status = status;
  }
}

/* Adds what was finally granted to the counter of key k. */
static bool count_in(incent_engine *e, const counter_key *k, int64_t granted) {
  if (granted == 0) return true;
  counter *c = rt_counter_get(&e->counters, k);
  return c && rt_engine_bump(e, c, granted);
}

/* Step 3 d-f for one pending grant: limit, cap, rule budget, program budget.
 * Caps and budgets count what is finally granted, after every cut, so that
 * they equal the sums of the ledger's entries (from which a ledger rebuilds
 * them). */
static bool step3_bounds(incent_engine *e, item *g, const irt_rule *r, int32_t day) {
  int32_t who = g->recipient;
  g->period_kind = IRT_P_PROGRAM;
  g->period = 0;
  counter_key cap = {0}, rule_budget = {0, -1, g->rule, K_RULE_BUDGET, 0},
              program_budget = {0, -1, 0, K_PROGRAM_BUDGET, 0};
  if (r->limit != IRT_NONE) {
    counter_key k = {rt_period_key_day(r->limit_period, day), who, g->rule, K_LIMIT, 0};
    g->period_kind = r->limit_period;
    g->period = k.period;
    counter *c = rt_counter_get(&e->counters, &k);
    if (!c) return false;
    if (c->value >= const_int(e, r->limit)) {
      g->granted = 0;
      g->status = "limited";
    } else if (!rt_engine_bump(e, c, 1)) { /* this firing counts */
      return false;
    }
  }
  if (r->cap != IRT_NONE) {
    cap = (counter_key){rt_period_key_day(r->cap_period, day), who, g->rule, K_CAP, 0};
    if (strcmp(g->status, "limited") != 0) { /* the entry names the period of the bound that decided it */
      g->period_kind = r->cap_period;
      g->period = cap.period;
    }
    cut(e, g, &cap, const_int(e, r->cap), "capped");
  }
  if (r->budget != IRT_NONE) cut(e, g, &rule_budget, const_int(e, r->budget), "budget");
  if (e->t->program->budget != IRT_NONE) cut(e, g, &program_budget, const_int(e, e->t->program->budget), "budget");
  if (r->cap != IRT_NONE && !count_in(e, &cap, g->granted)) return false;
  if (r->budget != IRT_NONE && !count_in(e, &rule_budget, g->granted)) return false;
  if (e->t->program->budget != IRT_NONE && !count_in(e, &program_budget, g->granted)) return false;
  if (e->t->tiers_head->present) {
    counter_key k = {rt_period_key_day(e->t->tiers_head->period, day), who, 0, K_TIER_POINTS, 0};
    if (!count_in(e, &k, g->granted)) return false;
  }
  counter_key balance = {0, who, 0, K_BALANCE, 0}, credited = {0, who, 0, K_CREDITED, 0};
  return count_in(e, &balance, g->granted) && count_in(e, &credited, g->granted);
}


/* What step 1 learns of an event, and the stack machine's view of it. */
typedef struct event_start {
  int type;
  uint32_t actor;
  int64_t utc, day;
  rt_vm_ctx ctx;
} event_start;

/* Starts an event for apply and trace alike: step 1, then (for apply, with
 * settle) the actor's lapses, its tier before the event (as partner.tier)
 * and the context conditions run in.  False, with why, when step 1 rejects
 * the event. */
static bool begin_event(incent_engine *e, const incent_event *ev, event_start *x, bool settle,
                        const incent_report *rep, char *why, size_t whylen) {
  const incent_table *t = e->t;
  e->serial++;
  e->nundo = e->nitems = e->nrecip = e->nsaved = 0;
  if (!step1_read(e, ev, &x->type, &x->actor, &x->utc, &x->day, why, whylen)) return false;
  partner *act = &e->partners[x->actor];
  if (recipient(e, (int32_t)x->actor, x->utc, settle, ev->id, rep) == SIZE_MAX)
    return rt_fail(why, whylen, "out of memory");
  e->traced = e->serial; /* step 1 passed: tier_before[0] is the actor's */
  if (t->tiers_head->present) act->attrs[IRT_ATTR_TIER] = (rt_val){dec_from_int(e->tier_before[0]), NULL, 0, false};
  x->ctx = (rt_vm_ctx){t, e->tz, e->consts, e->fields, act->attrs, e->ref_vals, e->probe, e->probe_ud, 0};
  return true;
}

const char *rt_engine_actor_tier(const incent_engine *e) {
  const incent_table *t = e->t;
  if (!t->tiers_head->present || e->nrecip == 0 || e->traced != e->serial) return NULL;
  return rt_string(t, t->tiers[e->tier_before[0]].name);
}

bool rt_engine_trace(incent_engine *e, const incent_event *ev, const char *actor_tier, rt_trace_fn *fn, void *ud,
                     char *why, size_t whylen) {
  const incent_table *t = e->t;
  event_start x;
  if (!begin_event(e, ev, &x, false, NULL, why, whylen)) return false;
  for (uint32_t i = 0; actor_tier && t->tiers_head->present && i < t->tiers_head->ntiers; i++)
    if (strcmp(rt_string(t, t->tiers[i].name), actor_tier) == 0) /* the tier it held then, as the ledger recorded it */
      e->partners[x.actor].attrs[IRT_ATTR_TIER] = (rt_val){dec_from_int(i), NULL, 0, false};
  const irt_event *et = &t->events[x.type];
  for (uint32_t k = 0; k < et->nrules; k++) {
    uint32_t ri = t->event_rules[et->rules + k];
    const irt_rule *r = &t->rules[ri];
    rt_skip skip = {RT_SKIP_WHEN_FALSE, NULL, NULL, 0, 0, NULL, 0};
    rt_vm_status err;
    switch (step2_match(e, ri, &x.ctx, x.day, &err)) {
    case S2_SHADOWED:
      skip.kind = RT_SKIP_SHADOWED;
      skip.name = rt_string(t, t->rules[e->group_winner[r->group]].name);
      skip.group = rt_string(t, r->group_name);
      break;
    case S2_OUTSIDE_DURING:
      skip.kind = RT_SKIP_OUTSIDE_DURING;
      skip.from = r->during_from;
      skip.to = r->during_to;
      break;
    case S2_WHEN_FALSE: break;
    case S2_ABSENT: skip.kind = RT_SKIP_ABSENT; break;
    case S2_ERROR: skip.kind = err == RT_VM_DIVZERO ? RT_SKIP_DIVZERO : RT_SKIP_RANGE; break;
    case S2_GOES_ON:
      fn(ud, ri, step3_recipient(e, r, x.type, x.actor, &skip) < 0 ? &skip : NULL);
      continue;
    }
    fn(ud, ri, &skip);
  }
  return true;
}

static void notify(incent_engine *e, const incent_event *ev, int type, int64_t day, const incent_report *rep);

/* Points are whole numbers below 10^15, so that sums of many stay far from overflow. */
#define MAX_POINTS 1000000000000000LL

/* An item for rule ri and recipient `to` (settled, with its slot); NULL when out of memory. */
static item *new_item(incent_engine *e, item_kind kind, uint32_t ri, int32_t to, int64_t utc, const char *event,
                      const incent_report *rep) {
  size_t slot = recipient(e, to, utc, true, event, rep);
  if (slot == SIZE_MAX || !rt_grow((void **)&e->items, &e->capitems, e->nitems + 1, sizeof *e->items)) return NULL;
  item *g = &e->items[e->nitems++];
  *g = (item){kind, ri, to, slot, dec_from_int(0), dec_from_int(1), 0, "applied", 0, IRT_P_PROGRAM,
              0, RT_NEVER, IRT_NONE, IRT_NONE, NULL, 0, 0};
  return g;
}

/* The rounded value of block `code`, in points; false with why. */
static bool points_of(incent_engine *e, const rt_vm_ctx *ctx, const irt_rule *r, uint32_t code, dec mult, dec *raw,
                      int64_t *points, rt_vm_status *absent, char *why, size_t whylen) {
  const incent_table *t = e->t;
  rt_val v;
  rt_vm_status st = rt_vm_run(ctx, code, &v);
  *absent = st;
  if (st == RT_VM_ABSENT) return true;
  dec scaled, rounded;
  *raw = v.d;
  if (st != RT_VM_OK || dec_mul(v.d, mult, &scaled) != DEC_OK ||
      dec_round(scaled, (dec_rounding)t->program->rounding, &rounded) != DEC_OK || !dec_to_i64(rounded, points) ||
      *points >= MAX_POINTS || *points <= -MAX_POINTS)
    return rt_fail(why, whylen, "rule %s: %s", rt_string(t, r->name),
                   st != RT_VM_OK ? vm_error(st) : "the points are out of range");
  return true;
}

/* Steps 3 a-c of an award or a deduction: the item and its rounded points
 * (times the tier's multiplier for an award that is not flat).  1 with the
 * item, 0 when the points need an attribute the partner lacks (no item),
 * -1 with why when they reject the event. */
static int start_points(incent_engine *e, const rt_vm_ctx *ctx, item_kind kind, uint32_t ri, int32_t to,
                        const incent_event *ev, int64_t utc, const incent_report *rep, item **out, char *why,
                        size_t whylen) {
  const incent_table *t = e->t;
  const irt_rule *r = &t->rules[ri];
  item *g = *out = new_item(e, kind, ri, to, utc, ev->id, rep);
  if (!g) return rt_fail(why, whylen, "out of memory"), -1;
  if (kind == IT_CREDIT && !(r->flags & IRT_RULE_FLAT) && t->tiers_head->present)
    g->mult = e->consts[t->tiers[e->tier_before[g->slot]].multiplier].d;
  rt_vm_status absent;
  if (!points_of(e, ctx, r, r->award_code, g->mult, &g->raw, &g->granted, &absent, why, whylen)) return -1;
  if (absent == RT_VM_ABSENT) {
    e->nitems--;
    return 0;
  }
  if (g->granted < 0)
    return rt_fail(why, whylen, "rule %s %s %lld points; %s cannot be negative", rt_string(t, r->name),
                   kind == IT_CREDIT ? "awards" : "deducts", (long long)g->granted,
                   kind == IT_CREDIT ? "an award" : "a deduction"), -1;
  return 1;
}

/* Step 3 for an award: steps a-f, and the lot its points will make. */
static bool step3_award(incent_engine *e, const rt_vm_ctx *ctx, uint32_t ri, int32_t to, const incent_event *ev,
                        int64_t utc, int64_t day, const incent_report *rep, char *why, size_t whylen) {
  const incent_table *t = e->t;
  const irt_rule *r = &t->rules[ri];
  item *g;
  int started = start_points(e, ctx, IT_CREDIT, ri, to, ev, utc, rep, &g, why, whylen);
  if (started <= 0) return started == 0;
  if (!step3_bounds(e, g, r, (int32_t)day)) return rt_fail(why, whylen, "rule %s: the points overflow", rt_string(t, r->name));
  int32_t pending = r->pending_days >= 0 ? r->pending_days : t->program->pending_days;
  const irt_expiry *x = r->expire.unit == IRT_X_INHERIT ? &t->program->expire : &r->expire;
  g->avail = (int32_t)day + pending;
  g->last = rt_expiry_last_day((int32_t)day, x);
  g->expire_notify = x->notify;
  if (!save_account(e, to)) return rt_fail(why, whylen, "out of memory");
  rt_account_join(&e->partners[to].acct, (int32_t)day); /* as a ledger rebuilt from this entry will */
  if (!rt_account_credit(&e->partners[to].acct, g->granted, g->avail, g->last, g->expire_notify,
                                                 ++e->seq))
    return rt_fail(why, whylen, "out of memory");
  return true;
}

/* Step 3 for a deduction: the points, the limit (reached, it refuses the
 * event), and the available points must cover them. */
static bool step3_deduct(incent_engine *e, const rt_vm_ctx *ctx, uint32_t ri, int32_t to, const incent_event *ev,
                         int64_t utc, int64_t day, const incent_report *rep, char *why, size_t whylen) {
  const incent_table *t = e->t;
  const irt_rule *r = &t->rules[ri];
  item *g;
  int started = start_points(e, ctx, IT_DEBIT, ri, to, ev, utc, rep, &g, why, whylen);
  if (started <= 0) return started == 0;
  if (r->limit != IRT_NONE) {
    counter_key k = {rt_period_key_day(r->limit_period, (int32_t)day), to, ri, K_LIMIT, 0};
    g->period_kind = r->limit_period;
    g->period = k.period;
    counter *c = rt_counter_get(&e->counters, &k);
    if (!c) return rt_fail(why, whylen, "out of memory");
    char key[RT_PERIOD_MAX];
    if (c->value >= const_int(e, r->limit))
      return rt_fail(why, whylen, "rule %s: the limit of %lld times in %s is reached", rt_string(t, r->name),
                     (long long)const_int(e, r->limit), rt_period_format(r->limit_period, k.period, key));
    if (!rt_engine_bump(e, c, 1)) return rt_fail(why, whylen, "out of memory");
  }
  rt_account *a = &e->partners[to].acct;
  int64_t available, pending, lapsed;
  rt_account_figures(a, (int32_t)day, &available, &pending, &lapsed);
  if (available < g->granted)
    return rt_fail(why, whylen, "insufficient points: %lld available, %lld pending, %lld asked", (long long)available,
                   (long long)pending, (long long)g->granted);
  counter_key balance = {0, to, 0, K_BALANCE, 0}, spent = {0, to, 0, K_SPENT, 0};
  if (!save_account(e, to) || !count_in(e, &balance, -g->granted) || !count_in(e, &spent, g->granted))
    return rt_fail(why, whylen, "out of memory");
  rt_account_join(a, (int32_t)day);
  rt_account_deduct(a, (int32_t)day, g->granted);
  return true;
}

/* Step 3 for a reversal: the share, then for every credit of the earlier
 * event, what it takes back from the credit's recipient. */
static bool step3_reverse(incent_engine *e, const rt_vm_ctx *ctx, uint32_t ri, const incent_event *ev, int64_t utc,
                          int64_t day, const incent_report *rep, char *why, size_t whylen) {
  const incent_table *t = e->t;
  const irt_rule *r = &t->rules[ri];
  dec share = dec_from_int(1);
  if (r->award_code != IRT_NONE) {
    rt_val v;
    rt_vm_status st = rt_vm_run(ctx, r->award_code, &v);
    if (st == RT_VM_ABSENT) return true;
    if (st != RT_VM_OK) return rt_fail(why, whylen, "rule %s: %s", rt_string(t, r->name), vm_error(st));
    share = v.d;
  }
  char text[DEC_STRING_MAX];
  if (dec_cmp(share, dec_from_int(0)) < 0 || dec_cmp(share, dec_from_int(1)) > 0)
    return rt_fail(why, whylen, "rule %s: the share %s is outside 0 to 1", rt_string(t, r->name),
                   dec_to_string(share, text));
  rt_ref *ref = &e->refs[r->reverse_field];
  for (int k = 0; k < ref->ngrants; k++) {
    incent_grant *gr = &ref->grants[k];
    uint32_t who;
    int32_t gday;
    if (!strmap_get(&e->partner_index, gr->recipient, strlen(gr->recipient), &who) ||
        !civil_parse_date(gr->day, strlen(gr->day), &gday))
      return rt_fail(why, whylen, "rule %s: the credit of %s to \"%s\" cannot be read", rt_string(t, r->name),
                     ref->vals[IRT_FIELD_ID].s, gr->recipient);
    dec raw, rounded;
    int64_t back;
    if (dec_mul(dec_from_int(gr->granted), share, &raw) != DEC_OK ||
        dec_round(raw, (dec_rounding)t->program->rounding, &rounded) != DEC_OK || !dec_to_i64(rounded, &back))
      return rt_fail(why, whylen, "rule %s: the points are out of range", rt_string(t, r->name));
    if (back > gr->granted - gr->reversed) back = gr->granted - gr->reversed;
    if (back <= 0) continue;
    item *g = new_item(e, IT_REVERSAL, ri, (int32_t)who, utc, ev->id, rep);
    if (!g) return rt_fail(why, whylen, "out of memory");
    g->raw = dec_from_int(gr->granted); /* the entry reads: the credit's points times the share */
    g->mult = share;
    g->granted = back;
    g->ref = r->reverse_field;
    g->rev_rule = gr->rule;
    g->rev_of = gr->granted;
    g->rev_entry = gr->entry;
    gr->reversed += back; /* a second reversal in this event finds what this one left */
    counter_key balance = {0, (int32_t)who, 0, K_BALANCE, 0}, reversed = {0, (int32_t)who, 0, K_REVERSED, 0};
    if (!save_account(e, (int32_t)who) || !rt_count_bounds(e, incent_table_rule(t, gr->rule), (int32_t)who, gday, -back, false, true) ||
        !count_in(e, &balance, -back) || !count_in(e, &reversed, back) ||
        (rt_account_join(&e->partners[who].acct, (int32_t)day), !rt_account_reverse(&e->partners[who].acct, (int32_t)day, back)))
      return rt_fail(why, whylen, "rule %s: the points overflow", rt_string(t, r->name));
  }
  return true;
}

static const char *const kinds[] = {"credit", "debit", "reversal"};

incent_result incent_engine_apply(incent_engine *e, const incent_event *ev, const incent_report *rep, char *why,
                                  size_t whylen) {
  const incent_table *t = e->t;
  event_start x;
  if (!begin_event(e, ev, &x, true, rep, why, whylen)) return INCENT_EVENT_REJECTED;
  int64_t utc = x.utc, day = x.day;
  const irt_event *et = &t->events[x.type];
  /* steps 2 and 3: which rules go on, and what each does */
  for (uint32_t k = 0; k < et->nrules; k++) {
    uint32_t ri = t->event_rules[et->rules + k];
    const irt_rule *r = &t->rules[ri];
    rt_vm_status err;
    step2_result m = step2_match(e, ri, &x.ctx, day, &err);
    if (m == S2_ERROR) {
      rollback(e);
      rt_fail(why, whylen, "rule %s: %s", rt_string(t, r->name), vm_error(err));
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
    if (m != S2_GOES_ON) continue;
    bool ok;
    if (r->action == IRT_ACT_REVERSE) {
      ok = step3_reverse(e, &x.ctx, ri, ev, utc, day, rep, why, whylen);
    } else {
      rt_skip skip = {RT_SKIP_TO_EMPTY, NULL, NULL, 0, 0, NULL, 0};
      int32_t to = step3_recipient(e, r, x.type, x.actor, &skip);
      if (to < 0) {
        if (rep && rep->skipped) {
          char reason[300];
          if (skip.kind == RT_SKIP_TO_UNKNOWN)
            snprintf(reason, sizeof reason, "its 'to' field %s names an unknown partner \"%.*s\"", skip.name,
                     (int)skip.valuelen, skip.value);
          else
            snprintf(reason, sizeof reason, "its 'to' field %s is empty", skip.name);
          rep->skipped(rep->ud, ev->id, rt_string(t, r->name), reason);
        }
        continue;
      }
      ok = r->action == IRT_ACT_DEDUCT ? step3_deduct(e, &x.ctx, ri, to, ev, utc, day, rep, why, whylen)
                                       : step3_award(e, &x.ctx, ri, to, ev, utc, day, rep, why, whylen);
    }
    if (!ok) {
      rollback(e);
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
  }
  /* step 3 g: the entries, now that nothing can reject the event */
  char day_text[16], avail[16], last[16];
  civil_format_date((int32_t)day, day_text);
  for (size_t i = 0; rep && rep->entry && i < e->nitems; i++) {
    const item *g = &e->items[i];
    const irt_rule *r = &t->rules[g->rule];
    char raw[DEC_STRING_MAX], mult[DEC_STRING_MAX], period[RT_PERIOD_MAX];
    bool credit = g->kind == IT_CREDIT;
    incent_entry en = {ev->id, e->partners[g->recipient].id, rt_string(t, r->name), g->status,
                       dec_to_string(g->raw, raw), dec_to_string(g->mult, mult), credit ? g->granted : -g->granted,
                       rt_period_format(g->period_kind, g->period, period), day_text,
                       r->notify != IRT_NONE ? rt_string(t, t->messages[r->notify].name) : NULL,
                       kinds[g->kind],
                       g->kind == IT_REVERSAL ? e->refs[g->ref].vals[IRT_FIELD_ID].s : NULL,
                       g->kind == IT_REVERSAL ? g->rev_rule : NULL, g->kind == IT_REVERSAL ? g->rev_entry : 0,
                       credit ? civil_format_date(g->avail, avail) : NULL,
                       credit && g->last != RT_NEVER ? civil_format_date(g->last, last) : NULL};
    rep->entry(rep->ud, &en);
  }
  for (size_t i = 0; i < e->nitems; i++) { /* the partners' points by rule, as their entries sum them */
    const item *g = &e->items[i];
    counter *c = g->granted ? rt_counter_get(&e->counters, &(counter_key){0, g->recipient, g->rule, K_RULE_POINTS, 0}) : NULL;
    if (c) c->value += g->kind == IT_CREDIT ? g->granted : -g->granted; /* none: out of memory, which the ledger sees */
  }
  /* step 4: tiers, recomputed: a rise sends its message, a fall none */
  for (size_t i = 0; t->tiers_head->present && i < e->nrecip; i++) {
    int32_t now = e->tier_after[i] = rt_tier_of(e, e->recipients[i], utc);
    if (now != e->tier_before[i] && rep && rep->tier)
      rep->tier(rep->ud, ev->id, e->partners[e->recipients[i]].id, rt_string(t, t->tiers[e->tier_before[i]].name),
                rt_string(t, t->tiers[now].name),
                now > e->tier_before[i] && t->tiers_head->notify != IRT_NONE
                  ? rt_string(t, t->messages[t->tiers_head->notify].name) : NULL);
  }
  e->nundo = e->nsaved = 0;
  if (e->messages && rep && rep->notify) notify(e, ev, x.type, day, rep);
  return INCENT_EVENT_APPLIED;
}

void incent_engine_set_messages(incent_engine *e, incent_messages *m) { e->messages = m; }

/* The context a partner's message is rendered in, with its balance now. */
static void msg_for(incent_engine *e, int32_t who, rt_msg_ctx *c) {
  counter_key b = {0, who, 0, K_BALANCE, 0};
  c->partner = e->partners[who].id;
  c->attrs = e->partners[who].attrs;
  c->balance = rt_counter_value(&e->counters, &b);
}

/* Renders the messages the event queued, in the order they were queued
 * (step 3g, then step 4), with the balances and tiers the event left.  A
 * notification that could not be rendered (out of memory) is reported with
 * NULL texts. */
static void notify(incent_engine *e, const incent_event *ev, int type, int64_t day, const incent_report *rep) {
  const incent_table *t = e->t;
  incent_notification n;
  rt_msg_ctx c = {ev->id, type, e->fields, (int32_t)day, NULL, NULL, IRT_NONE, 0, 0, -1, dec_from_int(1), false};
  bool tiers = t->tiers_head->present;
  for (size_t i = 0; i < e->nitems + e->nrecip; i++) {
    size_t k; /* the recipient's slot: step 4 left its tier there */
    uint32_t msg;
    if (i < e->nitems) { /* a rule's message, never for an entry of 0 points */
      const item *g = &e->items[i];
      msg = g->granted ? t->rules[g->rule].notify : IRT_NONE;
      k = g->slot;
      c.rule = g->rule;
      c.points = g->granted;
    } else { /* a rise */
      k = i - e->nitems;
      msg = t->tiers_head->notify;
      if (!tiers || e->tier_after[k] <= e->tier_before[k]) continue;
      c.rule = IRT_NONE;
      c.points = 0;
    }
    if (msg == IRT_NONE) continue;
    msg_for(e, e->recipients[k], &c);
    c.tier = tiers ? e->tier_after[k] : -1;
    c.multiplier = c.tier >= 0 ? e->consts[t->tiers[c.tier].multiplier].d : dec_from_int(1);
    if (!rt_render(e->messages, msg, &c, &n)) n.subject = n.text = NULL;
    rep->notify(rep->ud, &n);
  }
}

/* ---- lapses ---- */

typedef struct lapsing {
  incent_engine *e;
  int32_t who;
  const char *event;
  const incent_report *rep;
} lapsing;

static void lapsed(void *ud, const rt_lot *lot) {
  lapsing *l = ud;
  incent_engine *e = l->e;
  const incent_table *t = e->t;
  /* not through the event's undo: a lapse stands whatever becomes of the event */
  counter_key kb = {0, l->who, 0, K_BALANCE, 0}, kx = {0, l->who, 0, K_EXPIRED, 0};
  counter *b = rt_counter_get(&e->counters, &kb), *x = rt_counter_get(&e->counters, &kx);
  if (b) b->value -= lot->left;
  if (x) x->value += lot->left;
  const incent_report *rep = l->rep;
  char day[16], points[32];
  civil_format_date(lot->last + 1, day);
  snprintf(points, sizeof points, "%lld", (long long)lot->left);
  const char *msg = lot->notify != IRT_NONE ? rt_string(t, t->messages[lot->notify].name) : NULL;
  if (rep && rep->entry) {
    incent_entry en = {l->event, e->partners[l->who].id, NULL, "applied", points, "1", -lot->left, "program", day, msg,
                       "expired", NULL, NULL, 0, NULL, NULL};
    rep->entry(rep->ud, &en);
  }
  if (msg && e->messages && rep && rep->notify) {
    rt_msg_ctx c = {l->event ? l->event : "", -1, NULL, lot->last + 1, NULL, NULL, IRT_NONE, lot->left, 0, -1,
                    dec_from_int(1), true};
    msg_for(e, l->who, &c);
    incent_notification n;
    if (!rt_render(e->messages, lot->notify, &c, &n)) n.subject = n.text = NULL;
    rep->notify(rep->ud, &n);
  }
}

void rt_engine_settle(incent_engine *e, int32_t p, int32_t day, const char *event, const incent_report *rep) {
  lapsing l = {e, p, event, rep};
  if (day > e->last_day) e->last_day = day;
  if (rt_account_settle(&e->partners[p].acct, day, lapsed, &l)) rt_engine_touched(e, p); /* lapses, or lots joined */
}
