/* engine.c: applies a rule table to events, one function per numbered step
 * of "How one event is applied" in LANGUAGE.md. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/civil.h"
#include "runtime/engine.h"
#include "runtime/messages.h"
#include "runtime/strmap.h"
#include "runtime/text.h"
#include "runtime/util.h"

/* ---- counters: limits, caps, budgets and tier points ---- */

enum { K_LIMIT = 1, K_CAP, K_RULE_BUDGET, K_PROGRAM_BUDGET, K_TIER_POINTS, K_BALANCE };

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

/* MurmurHash3's 64-bit finalizer: every input bit reaches the low bits the table uses. */
static uint64_t fmix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

static uint64_t key_hash(const counter_key *k) {
  return fmix((uint64_t)k->period ^ fmix(((uint64_t)(uint32_t)k->partner << 32 | k->rule) ^ ((uint64_t)k->kind << 56)));
}

static bool key_eq(const counter_key *a, const counter_key *b) {
  return a->period == b->period && a->partner == b->partner && a->rule == b->rule && a->kind == b->kind;
}

static counter *counter_slot(counters *m, const counter_key *k) {
  size_t mask = m->cap - 1;
  for (size_t i = key_hash(k) & mask;; i = (i + 1) & mask)
    if (!m->slots[i].used || key_eq(&m->slots[i].key, k)) return &m->slots[i];
}

/* The counter for k, created at 0; NULL when out of memory. */
static counter *counter_get(counters *m, const counter_key *k) {
  if ((m->n + 1) * 2 > m->cap) { /* at most half full: linear probing stays short */
    size_t cap = m->cap ? m->cap * 2 : 256;
    counter *slots = rt_calloc(cap, sizeof *slots);
    if (!slots) return NULL;
    counters old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
      if (old.slots[i].used) *counter_slot(m, &old.slots[i].key) = old.slots[i];
    free(old.slots);
  }
  counter *c = counter_slot(m, k);
  if (!c->used) {
    c->used = true;
    c->key = *k;
    c->value = 0;
    m->n++;
  }
  return c;
}

static int64_t counter_value(const counters *m, const counter_key *k) {
  if (!m->cap) return 0;
  counter *c = counter_slot((counters *)m, k);
  return c->used ? c->value : 0;
}

/* ---- partners ---- */

typedef struct partner {
  char *id;
  rt_val *attrs;
  char *text;       /* storage of the attribute texts */
  int32_t given_tier;
} partner;

/* One change of a counter during an event, to undo it if the event is rejected. */
typedef struct undo { counter_key key; int64_t old; } undo;

typedef struct pending {
  uint32_t rule;
  int32_t recipient;
  size_t slot;            /* the recipient's place in the event's list of recipients */
  dec raw, mult;
  int64_t granted;
  const char *status;
  int64_t period;
  int period_kind;
} pending;

struct incent_engine {
  const incent_table *t;
  rt_tz *tz;
  rt_val *consts;
  partner *partners;
  uint32_t npartners, cappartners;
  strmap partner_index;
  counters counters;
  /* per event scratch */
  rt_val *fields;
  uint32_t max_fields;
  uint64_t serial;
  uint64_t *group_serial; /* the event serial in which a group's rule went on */
  uint32_t *group_winner; /* and that rule */
  undo *undos;
  size_t nundo, capundo;
  pending *pend;
  size_t npend, cappend;
  incent_messages *messages; /* renders queued messages, when set */
  int32_t *recipients;    /* partners touched by this event, with their tier before it */
  int32_t *tier_before, *tier_after;
  size_t nrecip, caprecip, captier, capafter;
};

incent_status incent_engine_new(const incent_table *t, incent_engine **out, char *why, size_t whylen) {
  *out = NULL;
  incent_engine *e = rt_calloc(1, sizeof *e);
  if (!e) return INCENT_ENOMEM;
  e->t = t;
  e->tz = rt_tz_load(rt_string(t, t->program->timezone), why, whylen);
  e->consts = rt_malloc((t->nconsts ? t->nconsts : 1) * sizeof *e->consts);
  for (uint32_t i = 0; i < t->nevents; i++)
    if (t->events[i].nfields > e->max_fields) e->max_fields = t->events[i].nfields;
  e->fields = rt_malloc((e->max_fields ? e->max_fields : 1) * sizeof *e->fields);
  uint32_t ngroups = 0;
  for (uint32_t i = 0; i < t->nrules; i++)
    if (t->rules[i].group != IRT_NONE && t->rules[i].group + 1 > ngroups) ngroups = t->rules[i].group + 1;
  e->group_serial = rt_calloc(ngroups ? ngroups : 1, sizeof *e->group_serial);
  e->group_winner = rt_calloc(ngroups ? ngroups : 1, sizeof *e->group_winner);
  strmap_init(&e->partner_index);
  if (!e->tz || !e->consts || !e->fields || !e->group_serial || !e->group_winner) {
    incent_status st = e->tz ? INCENT_ENOMEM : INCENT_EFORMAT; /* read before e is freed */
    incent_engine_free(e);
    return st;
  }
  for (uint32_t i = 0; i < t->nconsts; i++) e->consts[i] = rt_const_value(t, i);
  *out = e;
  return INCENT_OK;
}

void incent_engine_free(incent_engine *e) {
  if (!e) return;
  for (uint32_t i = 0; i < e->npartners; i++) {
    free(e->partners[i].id);
    free(e->partners[i].attrs);
    free(e->partners[i].text);
  }
  free(e->partners);
  strmap_free(&e->partner_index);
  free(e->counters.slots);
  rt_tz_free(e->tz);
  free(e->consts);
  free(e->fields);
  free(e->group_serial);
  free(e->group_winner);
  free(e->undos);
  free(e->pend);
  free(e->recipients);
  free(e->tier_before);
  free(e->tier_after);
  free(e);
}

/* ---- reading values ---- */

/* Whether text may be stored and shown at all: at most INCENT_MAX_VALUE
 * bytes of UTF-8 without C0 or C1 controls (a tab is allowed in a value);
 * an id (of an event or a partner) may hold no bidi embedding, override or
 * isolate either, so that it reads the same wherever it is printed.  Checked
 * before a value is parsed, so that no reason ever quotes such a text. */
static bool sound_text(const char *name, const char *text, bool id, char *why, size_t whylen) {
  /* one pass: ASCII a byte at a time, the rest decoded (this runs for every
   * value of every event) */
  size_t i = 0;
  for (;;) {
    unsigned char c = (unsigned char)text[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    if (c == 0) break;
    if (c < 0x80) {
      if (c == '\t' && !id) {
        i++;
        continue;
      }
      return rt_fail(why, whylen, "'%s' holds a control character (U+%04X)", name, (unsigned)c);
    }
    size_t len = text_utf8_len(text + i, strnlen(text + i, 4));
    if (!len) return rt_fail(why, whylen, "'%s' is not UTF-8: byte %zu is 0x%02X", name, i + 1, (unsigned)c);
    unsigned long cp;
    if (text_id_forbidden(text + i, len, &cp) && (cp <= 0x9F || id))
      return cp <= 0x9F ? rt_fail(why, whylen, "'%s' holds a control character (U+%04lX)", name, cp)
                        : rt_fail(why, whylen, "'%s' holds U+%04lX, a bidi control an id cannot hold", name, cp);
    i += len;
  }
  if (i > INCENT_MAX_VALUE) return rt_fail(why, whylen, "'%s' is longer than %d bytes", name, INCENT_MAX_VALUE);
  return true;
}

/* Parses text as a value of a field's type; false with a reason. */
static bool parse_value(const incent_engine *e, const irt_field *f, const char *text, rt_val *v, char *why,
                        size_t whylen) {
  const incent_table *t = e->t;
  *v = (rt_val){{0, 0}, NULL, 0, false};
  if (!text) return rt_fail(why, whylen, "'%s' is missing", rt_string(t, f->name));
  size_t len = strlen(text);
  switch (f->type) {
  case IRT_T_TEXT: case IRT_T_PARTNER: /* an empty text is a value; a control character is not */
    for (size_t i = 0; i < len; i++)
      if ((unsigned char)text[i] < 0x20 && text[i] != '\t')
        return rt_fail(why, whylen, "'%s' holds a control character", rt_string(t, f->name));
    v->s = text;
    v->slen = (uint32_t)len;
    return true;
  default:
    break;
  }
  if (len == 0) return rt_fail(why, whylen, "'%s' is missing", rt_string(t, f->name));
  switch (f->type) {
  case IRT_T_INT: case IRT_T_DECIMAL: case IRT_T_MONEY: {
    dec_status st = memchr(text, '%', len) ? DEC_SYNTAX : dec_parse(text, len, &v->d);
    if (st == DEC_OK && (f->type != IRT_T_INT || dec_is_int(v->d))) return true;
    return rt_fail(why, whylen, "'%s' is not %s: \"%s\"", rt_string(t, f->name),
                f->type == IRT_T_INT ? "a whole number" : f->type == IRT_T_MONEY ? "an amount of money" : "a number",
                text);
  }
  case IRT_T_BOOL:
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
      v->d = dec_from_int(text[0] == 't');
      return true;
    }
    return rt_fail(why, whylen, "'%s' is not true or false: \"%s\"", rt_string(t, f->name), text);
  case IRT_T_DATE: {
    int32_t days;
    if (civil_parse_date(text, len, &days)) {
      v->d = dec_from_int(days);
      return true;
    }
    return rt_fail(why, whylen, "'%s' is not a date: \"%s\"", rt_string(t, f->name), text);
  }
  case IRT_T_ENUM: {
    const rt_enum *en = &t->enums[f->enum_id];
    for (uint32_t k = 0; k < en->count; k++)
      if (strcmp(rt_string(t, t->enum_values[en->first + k]), text) == 0) {
        v->d = dec_from_int(k);
        return true;
      }
    return rt_fail(why, whylen, "'%s' is not one of its values: \"%s\"", rt_string(t, f->name), text);
  }
  case IRT_T_TIER:
    for (uint32_t k = 0; k < t->tiers_head->ntiers; k++)
      if (strcmp(rt_string(t, t->tiers[k].name), text) == 0) {
        v->d = dec_from_int(k);
        return true;
      }
    return rt_fail(why, whylen, "'%s' is not a tier: \"%s\"", rt_string(t, f->name), text);
  default:
    return rt_fail(why, whylen, "'%s' has a type this engine cannot read", rt_string(t, f->name));
  }
}

/* An ISO 8601 time: with an offset it is an instant; without, a wall-clock
 * time (a bare date: midnight) in the program's time zone. */
static bool parse_time(const incent_engine *e, const char *text, int64_t *utc) {
  bool zone;
  int64_t t;
  if (!text || !civil_parse_time(text, strlen(text), &t, &zone)) return false;
  *utc = zone ? t : rt_tz_from_local(e->tz, t);
  return true;
}

incent_status incent_engine_partner(incent_engine *e, const char *const *values, int nvalues, char *why,
                                    size_t whylen) {
  const incent_table *t = e->t;
  if (nvalues < 1 || !values[0] || !values[0][0]) {
    rt_fail(why, whylen, "a partner needs an id");
    return INCENT_EFORMAT;
  }
  size_t total = 0; /* every attribute takes its text and a NUL, the ones not given too */
  for (uint32_t i = 0; i < t->nattrs; i++) {
    const char *v = (int)i < nvalues && values[i] ? values[i] : "";
    if (!sound_text(rt_string(t, t->attrs[i].name), v, i == 0, why, whylen)) return INCENT_EFORMAT;
    for (const char *c = v; *c; c++)
      if (*c == '\t') { /* attributes are stored as text joined by controls: none may hold one */
        rt_fail(why, whylen, "'%s' holds a control character (U+0009)", rt_string(t, t->attrs[i].name));
        return INCENT_EFORMAT;
      }
    total += strlen(v) + 1;
  }
  partner p = {rt_strdup(values[0]), rt_calloc(t->nattrs, sizeof(rt_val)), rt_malloc(total + 1), 0};
  if (!p.id || !p.attrs || !p.text) {
    free(p.id); free(p.attrs); free(p.text);
    return INCENT_ENOMEM;
  }
  char *store = p.text;
  for (uint32_t i = 0; i < t->nattrs; i++) {
    const char *v = (int)i < nvalues && values[i] ? values[i] : "";
    size_t len = strlen(v);
    memcpy(store, v, len + 1);
    const irt_field *f = &t->attrs[i];
    bool text_like = f->type == IRT_T_TEXT || f->type == IRT_T_PARTNER;
    if (len == 0 && !text_like) {
      p.attrs[i].absent = true; /* a condition that needs it does not apply */
    } else if (!parse_value(e, f, store, &p.attrs[i], why, whylen)) {
      free(p.id); free(p.attrs); free(p.text);
      return INCENT_EFORMAT;
    }
    store += len + 1;
  }
  p.given_tier = p.attrs[IRT_ATTR_TIER].absent ? 0 : (int32_t)p.attrs[IRT_ATTR_TIER].d.coef;
  uint32_t index;
  if (strmap_get(&e->partner_index, p.id, strlen(p.id), &index)) { /* replace, keeping the id's storage */
    partner *old = &e->partners[index];
    free(old->attrs);
    free(old->text);
    free(p.id);
    p.id = old->id;
    *old = p;
    return INCENT_OK;
  }
  if (e->npartners == e->cappartners) {
    uint32_t cap = e->cappartners ? e->cappartners * 2 : 64;
    partner *bigger = rt_realloc(e->partners, cap * sizeof *bigger);
    if (!bigger) { free(p.id); free(p.attrs); free(p.text); return INCENT_ENOMEM; }
    e->partners = bigger;
    e->cappartners = cap;
  }
  uint32_t old_index;
  e->partners[e->npartners] = p;
  strmap_put(&e->partner_index, p.id, strlen(p.id), e->npartners, &old_index);
  e->npartners++;
  return INCENT_OK;
}

/* ---- tiers ---- */

static int32_t tier_of(const incent_engine *e, int32_t partner, int64_t utc) {
  const incent_table *t = e->t;
  if (!t->tiers_head->present) return 0;
  counter_key k = {rt_period_key(e->tz, t->tiers_head->period, utc), partner, 0, K_TIER_POINTS, 0};
  int64_t points = counter_value(&e->counters, &k);
  int32_t tier = 0;
  for (uint32_t i = 0; i < t->tiers_head->ntiers; i++) {
    int64_t threshold;
    if (dec_to_i64(e->consts[t->tiers[i].threshold].d, &threshold) && threshold <= points) tier = (int32_t)i;
  }
  int32_t given = e->partners[partner].given_tier;
  return tier > given ? tier : given;
}

const char *incent_engine_tier(const incent_engine *e, const char *partner_id, const char *time) {
  uint32_t p;
  int64_t utc;
  if (!e->t->tiers_head->present || !strmap_get(&e->partner_index, partner_id, strlen(partner_id), &p) ||
      !parse_time(e, time, &utc))
    return NULL;
  return rt_string(e->t, e->t->tiers[tier_of(e, (int32_t)p, utc)].name);
}

bool rt_engine_standing(const incent_engine *e, const char *partner_id, const char *time, int32_t *tier,
                        int64_t *tier_points, int64_t *balance) {
  uint32_t p;
  int64_t utc;
  if (!strmap_get(&e->partner_index, partner_id, strlen(partner_id), &p)) return false;
  counter_key b = {0, (int32_t)p, 0, K_BALANCE, 0};
  *balance = counter_value(&e->counters, &b);
  *tier = -1;
  *tier_points = 0;
  if (e->t->tiers_head->present && time && parse_time(e, time, &utc)) {
    counter_key k = {rt_period_key(e->tz, e->t->tiers_head->period, utc), (int32_t)p, 0, K_TIER_POINTS, 0};
    *tier_points = counter_value(&e->counters, &k);
    *tier = tier_of(e, (int32_t)p, utc);
  }
  return true;
}

/* ---- applying one event ---- */

/* Adds delta to counter c (of key k), remembering its old value for an undo. */
static bool bump(incent_engine *e, counter *c, int64_t delta) {
  if (!rt_grow((void **)&e->undos, &e->capundo, e->nundo + 1, sizeof *e->undos)) return false;
  int64_t sum;
  if (__builtin_add_overflow(c->value, delta, &sum)) return false;
  e->undos[e->nundo++] = (undo){c->key, c->value};
  c->value = sum;
  return true;
}

static void rollback(incent_engine *e) {
  while (e->nundo > 0) {
    undo *u = &e->undos[--e->nundo];
    counter *c = counter_get(&e->counters, &u->key);
    if (c) c->value = u->old;
  }
}

/* The slot of a recipient in this event's list, with its tier before the event. */
static size_t recipient(incent_engine *e, int32_t p, int64_t utc) {
  for (size_t i = 0; i < e->nrecip; i++)
    if (e->recipients[i] == p) return i;
  if (!rt_grow((void **)&e->recipients, &e->caprecip, e->nrecip + 1, sizeof *e->recipients) ||
      !rt_grow((void **)&e->tier_before, &e->captier, e->nrecip + 1, sizeof *e->tier_before) ||
      !rt_grow((void **)&e->tier_after, &e->capafter, e->nrecip + 1, sizeof *e->tier_after))
    return SIZE_MAX;
  e->recipients[e->nrecip] = p;
  e->tier_before[e->nrecip] = tier_of(e, p, utc);
  return e->nrecip++;
}

static const char *vm_error(rt_vm_status st) {
  return st == RT_VM_DIVZERO ? "division by zero" : "a number out of range";
}

/* Step 1: the event's type, partner, fields and time. */
static bool step1_read(incent_engine *e, const incent_event *ev, int *type, uint32_t *actor, int64_t *utc,
                       int64_t *day_out, char *why, size_t whylen) {
  const incent_table *t = e->t;
  if (!ev->id || !ev->id[0]) return rt_fail(why, whylen, "the event has no id");
  if (!sound_text("id", ev->id, true, why, whylen) || (ev->type && !sound_text("type", ev->type, true, why, whylen)) ||
      (ev->partner && !sound_text("partner", ev->partner, true, why, whylen)) ||
      (ev->time && !sound_text("time", ev->time, true, why, whylen)))
    return false;
  *type = ev->type ? incent_table_event_type(t, ev->type) : -1;
  if (*type < 0) return rt_fail(why, whylen, "unknown event type \"%s\"", ev->type ? ev->type : "");
  if (!ev->partner || !strmap_get(&e->partner_index, ev->partner, strlen(ev->partner), actor))
    return rt_fail(why, whylen, "unknown partner \"%s\"", ev->partner ? ev->partner : "");
  if (!parse_time(e, ev->time, utc)) return rt_fail(why, whylen, "malformed time \"%s\"", ev->time ? ev->time : "");
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
    if (text && !sound_text(rt_string(t, fields[i].name), text, false, why, whylen)) return false;
    if (!parse_value(e, &fields[i], text, &e->fields[i], why, whylen)) return false;
  }
  return true;
}

/* Step 2: does the rule go on for this event, and if not, why. */
typedef enum step2_result { S2_GOES_ON, S2_SHADOWED, S2_OUTSIDE_DURING, S2_WHEN_FALSE, S2_ABSENT, S2_ERROR } step2_result;

static step2_result step2_match(incent_engine *e, uint32_t ri, const rt_vm_ctx *ctx, int64_t day, rt_vm_status *err) {
  const irt_rule *r = &e->t->rules[ri];
  *err = RT_VM_OK;
  if (r->group != IRT_NONE && e->group_serial[r->group] == e->serial) return S2_SHADOWED;
  if (r->has_during && (day < r->during_from || day > r->during_to)) return S2_OUTSIDE_DURING;
  if (r->when_code != IRT_NONE) {
    rt_val v;
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
 * -1 with a reason when that field is empty or names nobody known. */
static int32_t step3_recipient(const incent_engine *e, const irt_rule *r, int type, uint32_t actor, char *reason,
                               size_t size) {
  if (r->to_field == IRT_NONE) return (int32_t)actor;
  const rt_val *f = &e->fields[r->to_field];
  uint32_t p;
  if (f->slen && strmap_get(&e->partner_index, f->s, f->slen, &p)) return (int32_t)p;
  const char *field = rt_string(e->t, e->t->event_fields[e->t->events[type].fields + r->to_field].name);
  if (f->slen) snprintf(reason, size, "its 'to' field %s names an unknown partner \"%.*s\"", field, (int)f->slen, f->s);
  else snprintf(reason, size, "its 'to' field %s is empty", field);
  return -1;
}

static int64_t const_int(const incent_engine *e, uint32_t c) {
  int64_t v = 0;
  dec_to_i64(e->consts[c].d, &v);
  return v;
}

/* Cuts g->granted to what is left of a bound, setting the status when it cuts. */
static void cut(incent_engine *e, pending *g, const counter_key *k, int64_t bound, const char *status) {
  int64_t left = bound - counter_value(&e->counters, k);
  if (left < 0) left = 0;
  if (g->granted > left) {
    g->granted = left;
    g->status = status;
  }
}

/* Adds what was finally granted to the counter of key k. */
static bool count_in(incent_engine *e, const counter_key *k, int64_t granted) {
  if (granted == 0) return true;
  counter *c = counter_get(&e->counters, k);
  return c && bump(e, c, granted);
}

/* Step 3 d-f for one pending grant: limit, cap, rule budget, program budget.
 * Caps and budgets count what is finally granted, after every cut, so that
 * they equal the sums of the ledger's entries (from which a ledger rebuilds
 * them). */
static bool step3_bounds(incent_engine *e, pending *g, const irt_rule *r, int32_t day) {
  int32_t who = g->recipient;
  g->period_kind = IRT_P_PROGRAM;
  g->period = 0;
  counter_key cap = {0}, rule_budget = {0, -1, g->rule, K_RULE_BUDGET, 0},
              program_budget = {0, -1, 0, K_PROGRAM_BUDGET, 0};
  if (r->limit != IRT_NONE) {
    counter_key k = {rt_period_key_day(r->limit_period, day), who, g->rule, K_LIMIT, 0};
    g->period_kind = r->limit_period;
    g->period = k.period;
    counter *c = counter_get(&e->counters, &k);
    if (!c) return false;
    if (c->value >= const_int(e, r->limit)) {
      g->granted = 0;
      g->status = "limited";
    } else if (!bump(e, c, 1)) { /* this firing counts */
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
  counter_key balance = {0, who, 0, K_BALANCE, 0};
  return count_in(e, &balance, g->granted);
}

/* What step 1 learns of an event, and the stack machine's view of it. */
typedef struct event_start {
  int type;
  uint32_t actor;
  int64_t utc, day;
  rt_vm_ctx ctx;
} event_start;

/* Starts an event for apply and trace alike: step 1, then the actor's tier
 * before the event (as partner.tier) and the context conditions run in.
 * False, with why, when step 1 rejects the event. */
static bool begin_event(incent_engine *e, const incent_event *ev, event_start *x, char *why, size_t whylen) {
  const incent_table *t = e->t;
  e->serial++;
  e->nundo = e->npend = e->nrecip = 0;
  if (!step1_read(e, ev, &x->type, &x->actor, &x->utc, &x->day, why, whylen)) return false;
  partner *act = &e->partners[x->actor];
  if (recipient(e, (int32_t)x->actor, x->utc) == SIZE_MAX) return rt_fail(why, whylen, "out of memory");
  if (t->tiers_head->present) act->attrs[IRT_ATTR_TIER] = (rt_val){dec_from_int(e->tier_before[0]), NULL, 0, false};
  x->ctx = (rt_vm_ctx){t, e->tz, e->consts, e->fields, act->attrs};
  return true;
}

bool rt_engine_replay(incent_engine *e, const char *rule, const char *recipient_id, const char *day_text,
                      const char *status, int64_t granted) {
  const incent_table *t = e->t;
  if (!rule || !recipient_id || !day_text || !status) return false; /* NULL in a damaged ledger */
  int ri = incent_table_rule(t, rule);
  uint32_t who;
  int32_t day;
  if (!civil_parse_date(day_text, strlen(day_text), &day)) return false;
  if (!strmap_get(&e->partner_index, recipient_id, strlen(recipient_id), &who)) {
    /* a partner the ledger knows but cannot read any more keeps its counters under its id */
    const char *id_only[1] = {recipient_id};
    if (incent_engine_partner(e, id_only, 1, NULL, 0) != INCENT_OK ||
        !strmap_get(&e->partner_index, recipient_id, strlen(recipient_id), &who))
      return false;
  }
  counter_key k = {0, (int32_t)who, 0, 0, 0};
  counter *c;
  bool ok = true; /* false once a counter could not be had: out of memory */
  if (ri >= 0) { /* a rule that is gone (after --allow-program-change) has no cap, limit or budget left */
    const irt_rule *r = &t->rules[ri];
    k.rule = (uint32_t)ri;
    if (r->limit != IRT_NONE && strcmp(status, "limited") != 0) { /* that firing counted */
      k.kind = K_LIMIT;
      k.period = rt_period_key_day(r->limit_period, day);
      if ((c = counter_get(&e->counters, &k))) c->value += 1;
      else ok = false;
    }
    if (r->cap != IRT_NONE) {
      k.kind = K_CAP;
      k.period = rt_period_key_day(r->cap_period, day);
      if ((c = counter_get(&e->counters, &k))) c->value += granted;
      else ok = false;
    }
    if (r->budget != IRT_NONE) {
      counter_key b = {0, -1, (uint32_t)ri, K_RULE_BUDGET, 0};
      if ((c = counter_get(&e->counters, &b))) c->value += granted;
      else ok = false;
    }
  }
  if (t->program->budget != IRT_NONE) {
    counter_key b = {0, -1, 0, K_PROGRAM_BUDGET, 0};
    if ((c = counter_get(&e->counters, &b))) c->value += granted;
    else ok = false;
  }
  if (t->tiers_head->present) {
    counter_key b = {rt_period_key_day(t->tiers_head->period, day), (int32_t)who, 0, K_TIER_POINTS, 0};
    if ((c = counter_get(&e->counters, &b))) c->value += granted;
    else ok = false;
  }
  counter_key b = {0, (int32_t)who, 0, K_BALANCE, 0};
  if ((c = counter_get(&e->counters, &b))) c->value += granted;
  else ok = false;
  return ok;
}

bool rt_engine_trace(incent_engine *e, const incent_event *ev, rt_trace_fn *fn, void *ud, char *why,
                     size_t whylen) {
  const incent_table *t = e->t;
  event_start x;
  if (!begin_event(e, ev, &x, why, whylen)) return false;
  int type = x.type;
  uint32_t actor = x.actor;
  int64_t day = x.day;
  rt_vm_ctx ctx = x.ctx;
  const irt_event *et = &t->events[type];
  for (uint32_t k = 0; k < et->nrules; k++) {
    uint32_t ri = t->event_rules[et->rules + k];
    const irt_rule *r = &t->rules[ri];
    char reason[300], a[16], b[16];
    rt_vm_status err;
    switch (step2_match(e, ri, &ctx, day, &err)) {
    case S2_SHADOWED:
      snprintf(reason, sizeof reason, "rule %s came first in 'first of %s'",
               rt_string(t, t->rules[e->group_winner[r->group]].name), rt_string(t, r->group_name));
      break;
    case S2_OUTSIDE_DURING:
      snprintf(reason, sizeof reason, "the event is outside its 'during' %s to %s", civil_format_date(r->during_from, a),
               civil_format_date(r->during_to, b));
      break;
    case S2_WHEN_FALSE: snprintf(reason, sizeof reason, "its condition is false"); break;
    case S2_ABSENT: snprintf(reason, sizeof reason, "its condition needs a partner attribute that was not given"); break;
    case S2_ERROR: snprintf(reason, sizeof reason, "%s", vm_error(err)); break;
    case S2_GOES_ON:
      fn(ud, ri, step3_recipient(e, r, type, actor, reason, sizeof reason) < 0 ? reason : NULL);
      continue;
    }
    fn(ud, ri, reason);
  }
  return true;
}

static void notify(incent_engine *e, const incent_event *ev, int type, int64_t day, const incent_report *rep);

/* Points are whole numbers below 10^15, so that sums of many stay far from overflow. */
#define MAX_POINTS 1000000000000000LL

incent_result incent_engine_apply(incent_engine *e, const incent_event *ev, const incent_report *rep, char *why,
                                  size_t whylen) {
  const incent_table *t = e->t;
  event_start x;
  if (!begin_event(e, ev, &x, why, whylen)) return INCENT_EVENT_REJECTED;
  int type = x.type;
  uint32_t actor = x.actor;
  int64_t utc = x.utc, day = x.day;
  rt_vm_ctx ctx = x.ctx;
  const irt_event *et = &t->events[type];
  dec one = dec_from_int(1);
  /* steps 2 and 3 a-c: which rules go on, and their rounded points */
  for (uint32_t k = 0; k < et->nrules; k++) {
    uint32_t ri = t->event_rules[et->rules + k];
    const irt_rule *r = &t->rules[ri];
    rt_vm_status err;
    step2_result m = step2_match(e, ri, &ctx, day, &err);
    if (m == S2_ERROR) {
      rollback(e);
      rt_fail(why, whylen, "rule %s: %s", rt_string(t, r->name), vm_error(err));
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
    if (m != S2_GOES_ON) continue;
    char reason[300];
    int32_t to = step3_recipient(e, r, type, actor, reason, sizeof reason);
    if (to < 0) {
      if (rep && rep->skipped) rep->skipped(rep->ud, ev->id, rt_string(t, r->name), reason);
      continue;
    }
    size_t slot = recipient(e, to, utc);
    if (slot == SIZE_MAX || !rt_grow((void **)&e->pend, &e->cappend, e->npend + 1, sizeof *e->pend)) {
      rollback(e);
      rt_fail(why, whylen, "out of memory");
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
    pending *g = &e->pend[e->npend++];
    g->rule = ri;
    g->recipient = to;
    g->slot = slot;
    g->status = "applied";
    rt_val raw;
    rt_vm_status st = rt_vm_run(&ctx, r->award_code, &raw);
    if (st == RT_VM_ABSENT) { /* the award needs an attribute the partner lacks */
      e->npend--;
      continue;
    }
    dec scaled, rounded;
    g->raw = raw.d;
    g->mult = one;
    if (!(r->flags & IRT_RULE_FLAT) && t->tiers_head->present)
      g->mult = e->consts[t->tiers[e->tier_before[slot]].multiplier].d;
    if (st != RT_VM_OK || dec_mul(g->raw, g->mult, &scaled) != DEC_OK ||
        dec_round(scaled, (dec_rounding)t->program->rounding, &rounded) != DEC_OK || !dec_to_i64(rounded, &g->granted) ||
        g->granted >= MAX_POINTS) {
      rollback(e);
      rt_fail(why, whylen, "rule %s: %s", rt_string(t, r->name), st != RT_VM_OK ? vm_error(st) : "the award is out of range");
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
    if (g->granted < 0) {
      rollback(e);
      rt_fail(why, whylen, "rule %s awards %lld points; an award cannot be negative", rt_string(t, r->name),
           (long long)g->granted);
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
    /* steps 3 d-f */
    if (!step3_bounds(e, g, r, (int32_t)day)) {
      rollback(e);
      rt_fail(why, whylen, "rule %s: the points overflow", rt_string(t, r->name));
      return INCENT_EVENT_REJECTED_BY_RULES;
    }
  }
  /* step 3 g: the entries, now that nothing can reject the event */
  char day_text[16];
  civil_format_date((int32_t)day, day_text);
  for (size_t i = 0; rep && rep->entry && i < e->npend; i++) {
    const pending *g = &e->pend[i];
    const irt_rule *r = &t->rules[g->rule];
    char raw[DEC_STRING_MAX], mult[DEC_STRING_MAX], period[RT_PERIOD_MAX];
    incent_entry en = {ev->id, e->partners[g->recipient].id, rt_string(t, r->name), g->status,
                       dec_to_string(g->raw, raw), dec_to_string(g->mult, mult), g->granted,
                       rt_period_format(g->period_kind, g->period, period), day_text,
                       r->notify != IRT_NONE ? rt_string(t, t->messages[r->notify].name) : NULL};
    rep->entry(rep->ud, &en);
  }
  /* step 4: tier rises */
  for (size_t i = 0; t->tiers_head->present && i < e->nrecip; i++) {
    int32_t now = e->tier_after[i] = tier_of(e, e->recipients[i], utc);
    if (now > e->tier_before[i] && rep && rep->tier)
      rep->tier(rep->ud, ev->id, e->partners[e->recipients[i]].id, rt_string(t, t->tiers[e->tier_before[i]].name),
                rt_string(t, t->tiers[now].name),
                t->tiers_head->notify != IRT_NONE ? rt_string(t, t->messages[t->tiers_head->notify].name) : NULL);
  }
  e->nundo = 0;
  if (e->messages && rep && rep->notify) notify(e, ev, type, day, rep);
  return INCENT_EVENT_APPLIED;
}

void incent_engine_set_messages(incent_engine *e, incent_messages *m) { e->messages = m; }

/* Renders the messages the event queued, in the order they were queued
 * (step 3g, then step 4), with the balances and tiers the event left.  A
 * notification that could not be rendered (out of memory) is reported with
 * NULL texts. */
static void notify(incent_engine *e, const incent_event *ev, int type, int64_t day, const incent_report *rep) {
  const incent_table *t = e->t;
  incent_notification n;
  rt_msg_ctx c = {ev->id, type, e->fields, (int32_t)day, NULL, NULL, IRT_NONE, 0, 0, -1, dec_from_int(1)};
  bool tiers = t->tiers_head->present;
  for (size_t i = 0; i < e->npend + e->nrecip; i++) {
    size_t k; /* the recipient's slot: step 4 left its tier there */
    uint32_t msg;
    if (i < e->npend) { /* a rule's message */
      const pending *g = &e->pend[i];
      msg = t->rules[g->rule].notify;
      k = g->slot;
      c.rule = g->rule;
      c.points = g->granted;
    } else { /* a rise */
      k = i - e->npend;
      msg = t->tiers_head->notify;
      if (!tiers || e->tier_after[k] <= e->tier_before[k]) continue;
      c.rule = IRT_NONE;
      c.points = 0;
    }
    if (msg == IRT_NONE) continue;
    int32_t who = e->recipients[k];
    counter_key b = {0, who, 0, K_BALANCE, 0};
    c.partner = e->partners[who].id;
    c.attrs = e->partners[who].attrs;
    c.balance = counter_value(&e->counters, &b);
    c.tier = tiers ? e->tier_after[k] : -1;
    c.multiplier = c.tier >= 0 ? e->consts[t->tiers[c.tier].multiplier].d : dec_from_int(1);
    if (!rt_render(e->messages, msg, &c, &n)) n.subject = n.text = NULL;
    rep->notify(rep->ud, &n);
  }
}
