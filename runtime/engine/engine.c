/* engine.c: the engine's state: partners, their values, tiers and accounts,
 * and what the ledger and a partner portal ask of it (apply.c applies
 * events). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/messages/messages.h"
#include "runtime/base/strmap.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

/* Lists each new counter of a partner with the partner, for its ledger state. */
static bool counter_created(void *ud, const counter_key *k) {
  incent_engine *e = ud;
  if (k->partner < 0) return true;
  partner *p = &e->partners[k->partner];
  size_t cap = p->capkeys;
  if (!rt_grow((void **)&p->keys, &cap, (size_t)p->nkeys + 1, sizeof *p->keys)) return false;
  p->capkeys = (uint32_t)cap;
  p->keys[p->nkeys++] = *k;
  return true;
}

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
  e->refs = rt_calloc(e->max_fields ? e->max_fields : 1, sizeof *e->refs);
  e->ref_vals = rt_calloc(e->max_fields ? e->max_fields : 1, sizeof *e->ref_vals);
  uint32_t ngroups = 0;
  for (uint32_t i = 0; i < t->nrules; i++)
    if (t->rules[i].group != IRT_NONE && t->rules[i].group + 1 > ngroups) ngroups = t->rules[i].group + 1;
  e->group_serial = rt_calloc(ngroups ? ngroups : 1, sizeof *e->group_serial);
  e->group_winner = rt_calloc(ngroups ? ngroups : 1, sizeof *e->group_winner);
  strmap_init(&e->partner_index);
  e->counters.created = counter_created;
  e->counters.created_ud = e;
  if (!e->tz || !e->consts || !e->fields || !e->refs || !e->ref_vals || !e->group_serial || !e->group_winner) {
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
    rt_account_free(&e->partners[i].acct);
    free(e->partners[i].keys);
  }
  for (uint32_t i = 0; e->refs && i < e->max_fields; i++) {
    free(e->refs[i].text);
    free(e->refs[i].vals);
    free(e->refs[i].grants);
  }
  free(e->refs);
  free(e->ref_vals);
  for (size_t i = 0; i < e->capsaved; i++) rt_account_free(&e->saved[i].acct);
  free(e->saved);
  free(e->partners);
  strmap_free(&e->partner_index);
  rt_counters_free(&e->counters);
  free(e->changed);
  rt_tz_free(e->tz);
  free(e->consts);
  free(e->fields);
  free(e->group_serial);
  free(e->group_winner);
  free(e->undos);
  free(e->items);
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
bool rt_sound_text(const char *name, const char *text, bool id, char *why, size_t whylen) {
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
bool rt_parse_value(const incent_engine *e, const irt_field *f, const char *text, rt_val *v, char *why,
                        size_t whylen) {
  const incent_table *t = e->t;
  *v = (rt_val){{0, 0}, NULL, 0, false};
  if (!text) return rt_fail(why, whylen, "'%s' is missing", rt_string(t, f->name));
  size_t len = strlen(text);
  switch (f->type) {
  case IRT_T_EVENT: /* an earlier event's id: never empty */
    if (len == 0) return rt_fail(why, whylen, "'%s' is missing", rt_string(t, f->name));
    /* fall through */
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
      if (strcmp(rt_string(t, t->enum_values[en->first + k].name), text) == 0) {
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
bool rt_parse_time(const incent_engine *e, const char *text, int64_t *utc) {
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
    if (!rt_sound_text(rt_string(t, t->attrs[i].name), v, i == 0, why, whylen)) return INCENT_EFORMAT;
    for (const char *c = v; *c; c++)
      if (*c == '\t') { /* attributes are stored as text joined by controls: none may hold one */
        rt_fail(why, whylen, "'%s' holds a control character (U+0009)", rt_string(t, t->attrs[i].name));
        return INCENT_EFORMAT;
      }
    total += strlen(v) + 1;
  }
  partner p = {rt_strdup(values[0]), rt_calloc(t->nattrs, sizeof(rt_val)), rt_malloc(total + 1), 0, {0}, false, NULL,
               0, 0};
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
    } else if (!rt_parse_value(e, f, store, &p.attrs[i], why, whylen)) {
      free(p.id); free(p.attrs); free(p.text);
      return INCENT_EFORMAT;
    }
    store += len + 1;
  }
  p.given_tier = p.attrs[IRT_ATTR_TIER].absent ? 0 : (int32_t)p.attrs[IRT_ATTR_TIER].d.coef;
  /* a tier the program has (a damaged table could give its tier attribute
   * more values than it has tiers, or other numbers) */
  if (e->t->tiers_head->present && !p.attrs[IRT_ATTR_TIER].absent &&
      (p.attrs[IRT_ATTR_TIER].d.coef < 0 || p.attrs[IRT_ATTR_TIER].d.coef >= (int64_t)e->t->tiers_head->ntiers ||
       p.attrs[IRT_ATTR_TIER].d.scale != 0)) {
    rt_fail(why, whylen, "partner '%s': '%s' is not a tier of the program", p.id,
            IRT_ATTR_TIER < nvalues && values[IRT_ATTR_TIER] ? values[IRT_ATTR_TIER] : "");
    free(p.id); free(p.attrs); free(p.text);
    return INCENT_EFORMAT;
  }
  uint32_t index;
  if (strmap_get(&e->partner_index, p.id, strlen(p.id), &index)) { /* replace, keeping the id's storage */
    partner *old = &e->partners[index];
    free(old->attrs);
    free(old->text);
    free(p.id);
    p.id = old->id;
    p.acct = old->acct;
    p.changed = old->changed;
    p.keys = old->keys, p.nkeys = old->nkeys, p.capkeys = old->capkeys;
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

int32_t rt_tier_of(const incent_engine *e, int32_t partner, int64_t utc) {
  const incent_table *t = e->t;
  if (!t->tiers_head->present) return 0;
  counter_key k = {rt_period_key(e->tz, t->tiers_head->period, utc), partner, 0, K_TIER_POINTS, 0};
  return rt_tier_for(e, partner, rt_counter_value(&e->counters, &k));
}

int32_t rt_tier_for(const incent_engine *e, int32_t partner, int64_t points) {
  const incent_table *t = e->t;
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
      !rt_parse_time(e, time, &utc))
    return NULL;
  return rt_string(e->t, e->t->tiers[rt_tier_of(e, (int32_t)p, utc)].name);
}

/* Adds delta to counter c (of key k), remembering its old value for an undo. */
bool rt_engine_bump(incent_engine *e, counter *c, int64_t delta) {
  if (!rt_grow((void **)&e->undos, &e->capundo, e->nundo + 1, sizeof *e->undos)) return false;
  int64_t sum;
  if (__builtin_add_overflow(c->value, delta, &sum)) return false;
  e->undos[e->nundo++] = (undo){c->key, c->value};
  c->value = sum;
  return true;
}

/* Adds delta to counter k (through the event's undo when undoable); false
 * when out of memory or on overflow. */
static bool add(incent_engine *e, counter_key k, int64_t delta, bool undoable) {
  counter *c = rt_counter_get(&e->counters, &k);
  if (c && undoable) return rt_engine_bump(e, c, delta);
  if (c) c->value += delta;
  return c != NULL;
}

/* The partner with id, added by its id alone when the engine does not know
 * it (a partner the ledger knows but cannot read any more keeps its
 * counters under its id); false when out of memory. */
static bool known_partner(incent_engine *e, const char *id, uint32_t *who) {
  if (strmap_get(&e->partner_index, id, strlen(id), who)) return true;
  const char *id_only[1] = {id};
  return incent_engine_partner(e, id_only, 1, NULL, 0) == INCENT_OK && strmap_get(&e->partner_index, id, strlen(id), who);
}

bool rt_counts_for_tier(const incent_table *t, int ri) {
  return t->tiers_head->present && (ri < 0 || t->rules[ri].action == IRT_ACT_AWARD);
}

bool rt_count_bounds(incent_engine *e, int ri, int32_t who, int32_t day, int64_t delta, bool firing, bool undoable) {
  const incent_table *t = e->t;
  bool ok = true;
  if (ri >= 0) { /* a rule that is gone (after --allow-program-change) has no cap, limit or budget left */
    const irt_rule *r = &t->rules[ri];
    if (r->limit != IRT_NONE && firing)
      ok &= add(e, (counter_key){rt_period_key_day(r->limit_period, day), who, (uint32_t)ri, K_LIMIT, 0}, 1, undoable);
    if (r->cap != IRT_NONE && r->action == IRT_ACT_AWARD)
      ok &= add(e, (counter_key){rt_period_key_day(r->cap_period, day), who, (uint32_t)ri, K_CAP, 0}, delta, undoable);
    if (r->budget != IRT_NONE && r->action == IRT_ACT_AWARD)
      ok &= add(e, (counter_key){0, -1, (uint32_t)ri, K_RULE_BUDGET, 0}, delta, undoable);
    if (r->action != IRT_ACT_AWARD) return ok; /* a deduction counts in no budget or tier */
  }
  if (t->program->budget != IRT_NONE) ok &= add(e, (counter_key){0, -1, 0, K_PROGRAM_BUDGET, 0}, delta, undoable);
  if (rt_counts_for_tier(t, ri))
    ok &= add(e, (counter_key){rt_period_key_day(t->tiers_head->period, day), who, 0, K_TIER_POINTS, 0}, delta, undoable);
  return ok;
}

/* The kind of a ledger entry (0 credit, 1 debit, 2 reversal, 3 expired), -1 for another. */
static int entry_kind(const char *kind) {
  static const char *const kinds[] = {"credit", "debit", "reversal", "expired"};
  for (int i = 0; i < 4; i++)
    if (strcmp(kind, kinds[i]) == 0) return i;
  return -1;
}

bool rt_account_replay(rt_account *a, const incent_table *t, const rt_replayed *x, int32_t day) {
  int kind = entry_kind(x->kind);
  if (kind != 3) rt_account_join(a, day); /* where the live engine joined lots: at each entry that changes them */
  if (kind == 0) {
    int ri = x->rule ? incent_table_rule(t, x->rule) : -1;
    int32_t avail = day, last = RT_NEVER;
    if (x->available && !civil_parse_date(x->available, strlen(x->available), &avail)) return false;
    if (x->last_valid && !civil_parse_date(x->last_valid, strlen(x->last_valid), &last)) return false;
    const irt_expiry *xp = &t->program->expire;
    if (ri >= 0 && t->rules[ri].expire.unit != IRT_X_INHERIT) xp = &t->rules[ri].expire;
    return rt_account_credit(a, x->granted, avail, last, last == RT_NEVER ? IRT_NONE : xp->notify, (uint64_t)x->seq);
  }
  if (kind == 1) return rt_account_deduct(a, day, -x->granted); /* false: the ledger spent what it did not have */
  if (kind == 2) return rt_account_reverse(a, day, -x->granted);
  if (kind == 3) return rt_account_settle(a, day, NULL, NULL), true;
  return false;
}

bool rt_engine_replay(incent_engine *e, const rt_replayed *x) {
  const incent_table *t = e->t;
  if (!x->kind || !x->recipient || !x->day || !x->status) return false; /* NULL in a damaged ledger */
  int kind = entry_kind(x->kind);
  if (kind < 0) return false;
  if (kind <= 1 && !x->rule) return false;
  if (kind == 2 && (!x->reversed_rule || !x->reversed_day)) return false;
  int ri = x->rule ? incent_table_rule(t, x->rule) : -1;
  uint32_t who;
  int32_t day;
  int64_t granted = x->granted;
  if (!civil_parse_date(x->day, strlen(x->day), &day)) return false;
  if (!known_partner(e, x->recipient, &who)) return false;
  if (day > e->last_day) e->last_day = day;
  if (ri >= 0) add(e, (counter_key){0, (int32_t)who, (uint32_t)ri, K_RULE_POINTS, 0}, granted, false);
  bool ok = add(e, (counter_key){0, (int32_t)who, 0, K_BALANCE, 0}, granted, false); /* false: out of memory */
  if ((uint64_t)x->seq > e->seq) e->seq = (uint64_t)x->seq; /* new lots come after every replayed one */
  if (kind == 0) {
    ok &= rt_count_bounds(e, ri, (int32_t)who, day, granted, strcmp(x->status, "limited") != 0, false) &&
          add(e, (counter_key){0, (int32_t)who, 0, K_CREDITED, 0}, granted, false);
  } else if (kind == 1) {
    if (ri >= 0 && t->rules[ri].limit != IRT_NONE)
      ok &= add(e, (counter_key){rt_period_key_day(t->rules[ri].limit_period, day), (int32_t)who, (uint32_t)ri, K_LIMIT, 0}, 1, false);
    ok &= add(e, (counter_key){0, (int32_t)who, 0, K_SPENT, 0}, -granted, false);
  } else if (kind == 2) {
    int32_t rday;
    if (!civil_parse_date(x->reversed_day, strlen(x->reversed_day), &rday)) return false;
    ok &= rt_count_bounds(e, incent_table_rule(t, x->reversed_rule), (int32_t)who, rday, granted, false, false) &&
          add(e, (counter_key){0, (int32_t)who, 0, K_REVERSED, 0}, -granted, false);
  } else {
    ok &= add(e, (counter_key){0, (int32_t)who, 0, K_EXPIRED, 0}, -granted, false);
  }
  return rt_account_replay(&e->partners[who].acct, t, x, day) && ok;
}

int32_t rt_local_day(const incent_engine *e, int64_t utc) {
  int64_t local = utc + rt_tz_offset(e->tz, utc);
  return (int32_t)(local / 86400 - (local % 86400 < 0));
}

/* ---- the points account, as a partner portal asks for it ---- */

void incent_engine_set_history(incent_engine *e, incent_history_fn *fn, void *ud) {
  e->history = fn;
  e->history_ud = ud;
}

void incent_engine_set_probe(incent_engine *e, incent_probe_fn *fn, void *ud) {
  e->probe = fn;
  e->probe_ud = ud;
}

incent_status incent_engine_account(const incent_engine *e, const char *partner_id, const char *at,
                                    incent_account *out) {
  uint32_t p;
  int64_t utc;
  *out = (incent_account){0};
  if (!partner_id || !strmap_get(&e->partner_index, partner_id, strlen(partner_id), &p)) return INCENT_ENOENT;
  if (!rt_parse_time(e, at, &utc)) return INCENT_EFORMAT;
  int32_t day = rt_local_day(e, utc);
  const rt_account *a = &e->partners[p].acct;
  int64_t available, pending, lapsed;
  rt_account_figures(a, day, &available, &pending, &lapsed);
  counter_key k = {0, (int32_t)p, 0, K_BALANCE, 0};
  out->balance = rt_counter_value(&e->counters, &k) - lapsed; /* lapses not yet written count */
  k.kind = K_EXPIRED;
  out->expired = rt_counter_value(&e->counters, &k) + lapsed;
  k.kind = K_CREDITED;
  out->credited = rt_counter_value(&e->counters, &k);
  k.kind = K_SPENT;
  out->spent = rt_counter_value(&e->counters, &k);
  k.kind = K_REVERSED;
  out->reversed = rt_counter_value(&e->counters, &k);
  out->available = available;
  out->pending = pending;
  int32_t last;
  int64_t points;
  if (rt_account_next_lapse(a, day, &last, &points)) {
    civil_format_date(last + 1, out->next_lapse);
    out->next_lapse_points = points;
  }
  return INCENT_OK;
}

incent_status incent_engine_expire(incent_engine *e, const char *until, const incent_report *rep, char *why,
                                   size_t whylen) {
  int32_t day;
  if (!until || !civil_parse_date(until, strlen(until), &day)) {
    rt_fail(why, whylen, "'%s' is not a date (YYYY-MM-DD)", until ? until : "");
    return INCENT_EFORMAT;
  }
  /* the lapses on or before until: of the lots whose last valid day is before it */
  for (uint32_t p = 0; p < e->npartners; p++) rt_engine_settle(e, (int32_t)p, day, NULL, rep);
  return INCENT_OK;
}

/* ---- the state a ledger keeps ---- */

void rt_engine_track(incent_engine *e) {
  e->track = true;
  e->counters.track = true;
}

void rt_engine_touched(incent_engine *e, int32_t p) {
  if (!e->track || e->partners[p].changed) return;
  if (!rt_grow((void **)&e->changed, &e->capchanged, e->nchanged + 1, sizeof *e->changed)) return; /* counted as lost */
  e->changed[e->nchanged++] = p;
  e->partners[p].changed = true;
}

bool rt_engine_touch_all(incent_engine *e) {
  for (uint32_t p = 0; p < e->npartners; p++) rt_engine_touched(e, (int32_t)p);
  for (size_t i = 0; i < e->counters.cap; i++)
    if (e->counters.slots[i].used && !rt_counter_get(&e->counters, &e->counters.slots[i].key)) return false;
  return true;
}

typedef struct counter_out { incent_engine *e; const rt_state_sink *sink; } counter_out;

/* A changed counter: a budget goes to the sink, a partner's marks the partner. */
static bool changed_counter(void *ud, const counter *c) {
  counter_out *o = ud;
  if (c->key.partner >= 0) {
    rt_engine_touched(o->e, c->key.partner);
    return true;
  }
  return o->sink->counter(o->sink->ud, c, NULL);
}

bool rt_engine_changed(incent_engine *e, const rt_state_sink *sink) {
  counter_out o = {e, sink};
  if (!rt_counters_changed(&e->counters, changed_counter, &o)) return false;
  for (size_t i = 0; i < e->nchanged; i++) {
    e->partners[e->changed[i]].changed = false;
    if (!sink->account(sink->ud, e, e->changed[i])) return false;
  }
  e->nchanged = 0;
  return true;
}

bool rt_engine_state(const incent_engine *e, const rt_state_sink *sink) {
  for (size_t i = 0; i < e->counters.cap; i++) {
    const counter *c = &e->counters.slots[i];
    if (c->used && !sink->counter(sink->ud, c, c->key.partner >= 0 ? e->partners[c->key.partner].id : NULL))
      return false;
  }
  for (uint32_t p = 0; p < e->npartners; p++)
    if (!sink->account(sink->ud, e, (int32_t)p)) return false;
  return true;
}

bool rt_engine_load_counter(incent_engine *e, uint32_t kind, const char *partner_id, uint32_t rule, int64_t period,
                            int64_t value) {
  uint32_t who = 0;
  if (kind < K_LIMIT || kind > K_LAST || (partner_id && !known_partner(e, partner_id, &who))) return false;
  counter_key k = {period, partner_id ? (int32_t)who : -1, rule, kind, 0};
  bool track = e->counters.track;
  e->counters.track = false; /* loaded, not changed */
  counter *c = rt_counter_get(&e->counters, &k);
  e->counters.track = track;
  if (c) c->value = value;
  return c != NULL;
}

bool rt_engine_load_account(incent_engine *e, const char *partner_id, const char *lots, int64_t debt) {
  uint32_t who;
  if (!known_partner(e, partner_id, &who) || debt < 0) return false;
  rt_account *a = &e->partners[who].acct;
  if (!rt_account_parse(a, lots)) return false;
  for (uint32_t i = 0; i < a->n; i++) {
    if (a->lots[i].notify != IRT_NONE && a->lots[i].notify >= e->t->nmessages) return false; /* a damaged state */
    if (a->lots[i].seq > e->seq) e->seq = a->lots[i].seq;
  }
  a->debt = debt;
  return true;
}
