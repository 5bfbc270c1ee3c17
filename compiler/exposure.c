/* exposure.c: the most one partner can receive from each rule of a checked program, per period. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compiler/exposure.h"
#include "compiler/i18n.h"
#include "runtime/base/civil.h"

/* ---- the values an award can take ---- */

/* An interval of decimals; a side that is unbounded has no value. */
typedef struct span {
  bool lo_inf, hi_inf;
  dec lo, hi;
  const char *field; /* the first field that made a side unbounded */
} span;

static span exact(dec v) { return (span){false, false, v, v, NULL}; }
static span unbounded(const char *field) { return (span){true, true, dec_from_int(0), dec_from_int(0), field}; }
static const char *first_field(span a, span b) { return a.field ? a.field : b.field; }

/* The smaller (or larger) of two decimals. */
static dec lesser(dec a, dec b) { return dec_cmp(a, b) <= 0 ? a : b; }
static dec greater(dec a, dec b) { return dec_cmp(a, b) >= 0 ? a : b; }

/* a op b over finite spans: the least and the greatest of the four corners; unbounded on overflow. */
static span corners(span a, span b, dec_status (*op)(dec, dec, dec *)) {
  dec c[4];
  dec x[2] = {a.lo, a.hi}, y[2] = {b.lo, b.hi};
  for (int i = 0; i < 4; i++)
    if (op(x[i / 2], y[i % 2], &c[i]) != DEC_OK) return unbounded(first_field(a, b));
  span s = {false, false, c[0], c[0], first_field(a, b)};
  for (int i = 1; i < 4; i++) s.lo = lesser(s.lo, c[i]), s.hi = greater(s.hi, c[i]);
  return s;
}

static bool is_zero(span a) { return !a.lo_inf && !a.hi_inf && dec_is_zero(a.lo) && dec_is_zero(a.hi); }

static span eval(const c_program *p, const c_rule *r, const ast *e);

static span eval_binop(const c_program *p, const c_rule *r, const ast *e) {
  span a = eval(p, r, e->a), b = eval(p, r, e->b), s = {0};
  bool finite = !a.lo_inf && !a.hi_inf && !b.lo_inf && !b.hi_inf;
  switch (e->op) {
  case OPR_ADD:
  case OPR_SUB: {
    bool add = e->op == OPR_ADD;
    span y = add ? b : (span){b.hi_inf, b.lo_inf, b.hi, b.lo, b.field}; /* a - b: a's low with b's high */
    s.field = first_field(a, b);
    s.lo_inf = a.lo_inf || y.lo_inf || (add ? dec_add(a.lo, y.lo, &s.lo) : dec_sub(a.lo, y.lo, &s.lo)) != DEC_OK;
    s.hi_inf = a.hi_inf || y.hi_inf || (add ? dec_add(a.hi, y.hi, &s.hi) : dec_sub(a.hi, y.hi, &s.hi)) != DEC_OK;
    return s;
  }
  case OPR_MUL:
    if (is_zero(a) || is_zero(b)) return exact(dec_from_int(0));
    return finite ? corners(a, b, dec_mul) : unbounded(first_field(a, b));
  case OPR_DIV:
    /* a divisor that may be 0 rejects the event there; one that may come near it gives no bound */
    if (!finite || (dec_cmp(b.lo, dec_from_int(0)) <= 0 && dec_cmp(b.hi, dec_from_int(0)) >= 0))
      return unbounded(first_field(a, b));
    return corners(a, b, dec_div);
  case OPR_MIN:
    s.field = first_field(a, b);
    s.lo_inf = a.lo_inf || b.lo_inf, s.hi_inf = a.hi_inf && b.hi_inf;
    if (!s.lo_inf) s.lo = lesser(a.lo, b.lo);
    if (!s.hi_inf) s.hi = a.hi_inf ? b.hi : b.hi_inf ? a.hi : lesser(a.hi, b.hi);
    return s;
  case OPR_MAX:
    s.field = first_field(a, b);
    s.lo_inf = a.lo_inf && b.lo_inf, s.hi_inf = a.hi_inf || b.hi_inf;
    if (!s.lo_inf) s.lo = a.lo_inf ? b.lo : b.lo_inf ? a.lo : greater(a.lo, b.lo);
    if (!s.hi_inf) s.hi = greater(a.hi, b.hi);
    return s;
  default:
    return unbounded(first_field(a, b));
  }
}

/* The values a field of rule r's event can take: its range, or none. */
static span field_span(const c_program *p, const c_rule *r, int32_t f, const char *name) {
  if (r->event < 0 || f < 0 || (uint32_t)f >= p->events[r->event].nfields) return unbounded(name);
  const c_field *x = &p->events[r->event].fields[f];
  if (!x->has_range) return unbounded(name);
  return (span){false, false, x->min, x->max, NULL};
}

/* The values e can take for rule r's events.  A field has the bounds of its
 * range (`from MIN to MAX`), else none. */
static span eval(const c_program *p, const c_rule *r, const ast *e) {
  if (e->is_const) return exact(e->value);
  switch (e->kind) {
  case AST_NAME: return field_span(p, r, e->ref, e->s);
  case AST_MEMBER: return e->op == OPR_EVENT ? field_span(p, r, e->ref, e->a->s) : unbounded(e->a->s);
  case AST_REF: return unbounded(e->b->s);
  case AST_UNOP: {
    span a = eval(p, r, e->a);
    if (e->op != OPR_NEG) return unbounded(a.field);
    span s = {a.hi_inf, a.lo_inf, a.hi, a.lo, a.field};
    if (!s.lo_inf) dec_neg(a.hi, &s.lo);
    if (!s.hi_inf) dec_neg(a.lo, &s.hi);
    return s;
  }
  case AST_BINOP: return eval_binop(p, r, e);
  case AST_CALL: {
    if (e->op != OPR_FLOOR) return eval_binop(p, r, e);
    span a = eval(p, r, e->a);
    if (!a.lo_inf) a.lo = dec_floor(a.lo);
    if (!a.hi_inf) a.hi = dec_floor(a.hi);
    return a;
  }
  default: return unbounded(NULL);
  }
}

/* The most one event of rule r can pay before the multiplier (raw points, at least 0): false when it has no bound. */
static bool raw_most(const c_program *p, const c_rule *r, dec *most, const char **field) {
  const ast *award = r->award;
  span s = eval(p, r, award->a);
  if (award->b) { /* N per M of EXPR: N × floor(EXPR / M) */
    span of = eval(p, r, award->c), per = eval(p, r, award->b);
    span q = of.lo_inf || of.hi_inf || per.lo_inf || per.hi_inf || dec_cmp(per.lo, dec_from_int(0)) <= 0
                 ? unbounded(first_field(of, per))
                 : corners(of, per, dec_div);
    if (!q.hi_inf) q.hi = dec_floor(q.hi);
    if (!q.lo_inf) q.lo = dec_floor(q.lo);
    span n = s;
    s = is_zero(n) ? exact(dec_from_int(0))
        : !n.lo_inf && !n.hi_inf && !q.lo_inf && !q.hi_inf ? corners(n, q, dec_mul)
                                                           : unbounded(first_field(q, n));
  }
  *field = s.field;
  if (s.hi_inf) return false;
  *most = dec_is_neg(s.hi) ? dec_from_int(0) : s.hi; /* a negative award rejects its event */
  return true;
}

/* ---- periods ---- */

/* The most periods of kind q one period of kind p can touch (calendar periods; ISO weeks start on Monday). */
static const long touches[5][5] = {
  /* q \ p    day week month quarter year */
  /* day */   {1, 7, 31, 92, 366},
  /* week */  {1, 1, 6, 14, 54},
  /* month */ {1, 2, 1, 3, 12},
  /* quarter */ {1, 2, 1, 1, 4},
  /* year */  {1, 2, 1, 1, 1},
};

/* The index of the period of kind q that holds day d. */
static long period_index(int q, int32_t d) {
  int y, m, dd;
  civil_from_days(d, &y, &m, &dd);
  switch (q) {
  case PER_DAY: return d;
  case PER_WEEK: return (long)((d + 3 - ((d + 3) % 7 + 7) % 7) / 7); /* 1970-01-01 was a Thursday */
  case PER_MONTH: return (long)y * 12 + m - 1;
  case PER_QUARTER: return (long)y * 4 + (m - 1) / 3;
  default: return y;
  }
}

/* How many periods of kind q one period of kind p can touch while rule r may
 * apply (its `during` within the program's `runs`); -1: no bound (a program
 * without `runs`). */
static long periods(const c_program *p, const c_rule *r, int q, int period) {
  if (q == PER_PROGRAM) return 1;
  bool dated = p->has_runs || r->has_during;
  int32_t from = p->has_runs ? p->runs_from : r->during_from, to = p->has_runs ? p->runs_to : r->during_to;
  if (p->has_runs && r->has_during) from = from > r->during_from ? from : r->during_from,
                                    to = to < r->during_to ? to : r->during_to;
  long within = dated ? (to >= from ? period_index(q, to) - period_index(q, from) + 1 : 0) : -1;
  if (period == PER_PROGRAM) return within;
  long most = touches[q][period];
  return within >= 0 && within < most ? within : most;
}

/* a × n, no bound when n < 0 (no bound) or on overflow. */
static exp_figure times(dec a, long n) {
  exp_figure f = {n >= 0, dec_from_int(0)};
  if (f.bounded && dec_mul(a, dec_from_int(n), &f.v) != DEC_OK) f.bounded = false;
  return f;
}

static exp_figure least(exp_figure a, exp_figure b) {
  if (!a.bounded) return b;
  if (!b.bounded) return a;
  return dec_cmp(a.v, b.v) <= 0 ? a : b;
}

void exposure_rules(const c_program *p, exp_rule *out) {
  for (uint32_t i = 0; i < p->nrules; i++) exposure_rule(p, i, &out[i]);
}

void exposure_rule(const c_program *p, uint32_t i, exp_rule *x) {
  dec top = dec_from_int(1); /* the highest tier multiplier */
  for (uint32_t k = 0; k < p->ntiers; k++) top = greater(top, p->tiers[k].multiplier);
  const c_rule *r = &p->rules[i];
  *x = (exp_rule){0};
  x->multiplier = r->flat ? dec_from_int(1) : top;
  if (r->action != IRT_ACT_AWARD || !r->award || !r->award_ok) {
    x->per_event = (exp_figure){true, dec_from_int(0)};
    for (int k = 0; k < EXPOSURE_PERIODS; k++) x->most[k] = x->per_event;
    return;
  }
  {
    dec raw, paid;
    x->per_event.bounded = raw_most(p, r, &raw, &x->unbounded_field) && dec_mul(raw, x->multiplier, &paid) == DEC_OK;
    if (x->per_event.bounded) {
      x->raw_most = raw;
      dec up = dec_floor(paid);
      if (dec_cmp(up, paid) < 0) dec_add(up, dec_from_int(1), &up); /* rounded up: no rounding gives more */
      x->per_event.v = up;
    }
    for (int k = 0; k < EXPOSURE_PERIODS; k++) {
      exp_figure cap = {false, dec_from_int(0)}, paid_out = {false, dec_from_int(0)};
      if (r->has_cap) cap = times(r->cap, periods(p, r, r->cap_period, k));
      if (x->per_event.bounded && r->has_limit) {
        exp_figure firings = times(r->limit, periods(p, r, r->limit_period, k));
        if (firings.bounded && dec_mul(x->per_event.v, firings.v, &paid_out.v) == DEC_OK) paid_out.bounded = true;
      }
      if (x->per_event.bounded && dec_is_zero(x->per_event.v)) paid_out = x->per_event;
      x->most[k] = least(cap, paid_out);
    }
  }
}

const char *exposure_reason(const c_program *p, uint32_t i, const exp_rule *x, int period, char *buf, size_t size) {
  const c_rule *r = &p->rules[i];
  buf[0] = '\0';
  if (x->most[period].bounded) return buf;
  char n[DEC_STRING_MAX];
  if (!x->per_event.bounded && x->unbounded_field)
    snprintf(buf, size, r->has_cap ? _("it grows with '%s', which has no upper bound, and its cap is of a longer period")
                                   : _("it grows with '%s', which has no upper bound, and it has no cap"),
             x->unbounded_field);
  else if (!x->per_event.bounded)
    snprintf(buf, size, "%s", _("its award has no upper bound incent can find, and it has no cap"));
  else if (!r->has_limit)
    snprintf(buf, size, _("one event pays at most %s points, but it has no limit or cap to count the events"),
             dec_to_string(x->per_event.v, n));
  else
    snprintf(buf, size, _("one event pays at most %s points, but its limit and cap are of a longer period"),
             dec_to_string(x->per_event.v, n));
  return buf;
}

bool exposure_unbounded(const c_program *p, uint32_t i, const exp_rule *x) {
  return !x->most[PER_DAY].bounded && !p->rules[i].has_budget && !p->has_budget;
}
