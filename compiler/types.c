/* types.c: name resolution, type checking and constant folding of expressions.
 *
 * Every function here recurses over an expression; types_check_expr refuses
 * expressions deeper than MAX_EXPR_DEPTH first, so the recursion is bounded. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"
#include "compiler/program.h"
#include "runtime/base/civil.h"

#define TY_WORD 200 /* a bare word that is no field: an enumeration value or tier, by context */

/* Comparison nodes record in `ref` which side is a date to be compared as a time. */
enum { CONV_NONE = 0, CONV_LEFT_DATE = 1, CONV_RIGHT_DATE = 2 };

const char *types_name(const c_program *p, c_type t) {
  (void)p;
  switch (t.t) {
  case IRT_T_TEXT: return _("text");
  case IRT_T_INT: return _("int");
  case IRT_T_DECIMAL: return _("decimal");
  case IRT_T_MONEY: return _("money");
  case IRT_T_BOOL: return _("bool");
  case IRT_T_DATE: return _("date");
  case IRT_T_PARTNER: return _("partner");
  case IRT_T_ENUM: return _("enumeration value");
  case IRT_T_TIME: return _("time");
  case IRT_T_TIER: return _("tier");
  case IRT_T_EVENT: return _("event id");
  default: return _("name");
  }
}

static const char *tyname(const c_program *p, const ast *e) {
  c_type t = {e->ty, e->ty_enum};
  return types_name(p, t);
}

static void report_dec(c_program *p, const ast *n, dec_status st) {
  switch (st) {
  case DEC_OVERFLOW:
    diag_at(p->diag, &n->loc, D_BAD_NUMBER, _("number out of range; numbers have at most %d significant digits"),
            DEC_MAX_DIGITS);
    break;
  case DEC_PRECISION:
    diag_at(p->diag, &n->loc, D_BAD_NUMBER, _("number has more than %d digits after the point"), DEC_MAX_SCALE);
    break;
  default:
    diag_at(p->diag, &n->loc, D_BAD_NUMBER, _("malformed number"));
  }
}

bool types_literal_number(c_program *p, const ast *n, dec *out, bool *is_money) {
  bool neg = false;
  if (n->kind == AST_UNOP && n->op == OPR_NEG) { neg = true; n = n->a; }
  *is_money = n->kind == AST_MONEY;
  const ast *num = *is_money ? n->a : n;
  if (num->kind != AST_NUMBER) return false;
  dec_status st = dec_parse(num->s, num->slen, out);
  if (st != DEC_OK) { report_dec(p, num, st); return false; }
  if (neg) dec_neg(*out, out);
  if (*is_money) {
    const char *cur = n->b->s;
    if (!p->currency) {
      diag_at(p->diag, &n->b->loc, D_CURRENCY,
              _("money needs the program's currency; add 'currency %s' to the program"), cur);
      return false;
    }
    if (strcmp(cur, p->currency) != 0) {
      diag_at(p->diag, &n->b->loc, D_CURRENCY,
              _("'%s' is not the program's currency %s; version 1 accepts only the program's own"),
              cur, p->currency);
      return false;
    }
  }
  return true;
}

static bool is_num(uint8_t t) { return t == IRT_T_INT || t == IRT_T_DECIMAL; }

static void set_const(ast *e, uint8_t ty, dec v) {
  e->ty = ty;
  e->is_const = 1;
  e->value = v;
}

static bool check(c_program *p, ast *e, int32_t ev);

/* Resolves a bare word against the type it is compared with. */
static bool resolve_word(c_program *p, ast *w, const ast *other) {
  if (other->ty == IRT_T_ENUM && other->ty_enum < p->nenums) {
    int32_t i = program_lookup(&p->enums[other->ty_enum].index, w->s);
    if (i >= 0) {
      set_const(w, IRT_T_ENUM, dec_from_int(i));
      w->ty_enum = other->ty_enum;
      return true;
    }
    diag_at(p->diag, &w->loc, D_UNKNOWN_NAME, _("'%s' is not one of the values of this field"), w->s);
    return false;
  }
  if (other->ty == IRT_T_TIER) {
    int32_t i = program_lookup(&p->tier_index, w->s);
    if (i >= 0) {
      set_const(w, IRT_T_TIER, dec_from_int(i));
      return true;
    }
    diag_at(p->diag, &w->loc, D_UNKNOWN_NAME, _("'%s' is not a tier"), w->s);
    return false;
  }
  diag_at(p->diag, &w->loc, D_UNKNOWN_NAME,
          _("unknown name '%s': no field of the event and no value that fits here"), w->s);
  return false;
}

static bool unresolved(c_program *p, ast *e) {
  if (e->ty != TY_WORD) return false;
  diag_at(p->diag, &e->loc, D_UNKNOWN_NAME, _("unknown name '%s': no field of the event has this name"), e->s);
  return true;
}

/* Equality classes: 0 none, else a class shared by comparable types. */
static int eq_class(uint8_t t) {
  switch (t) {
  case IRT_T_INT: case IRT_T_DECIMAL: return 1;
  case IRT_T_MONEY: return 2;
  case IRT_T_TEXT: case IRT_T_PARTNER: case IRT_T_EVENT: return 3;
  case IRT_T_BOOL: return 4;
  case IRT_T_ENUM: return 5;
  case IRT_T_TIER: return 6;
  case IRT_T_DATE: case IRT_T_TIME: return 7;
  default: return 0;
  }
}

static bool fold_status(c_program *p, ast *e, dec_status st) {
  if (st == DEC_OK) return true;
  diag_at(p->diag, &e->loc, D_CONST_EVAL,
          st == DEC_DIVZERO ? _("division by zero in a constant expression")
                            : _("a constant expression overflows"));
  return false;
}

static bool check_compare(c_program *p, ast *e) {
  ast *a = e->a, *b = e->b;
  if (a->ty == TY_WORD && b->ty == TY_WORD) return !unresolved(p, a);
  if (a->ty == TY_WORD && !resolve_word(p, a, b)) return false;
  if (b->ty == TY_WORD && !resolve_word(p, b, a)) return false;
  int ca = eq_class(a->ty), cb = eq_class(b->ty);
  bool ordered = e->op != OPR_EQ && e->op != OPR_NE;
  if (ca == 0 || ca != cb || (ca == 5 && a->ty_enum != b->ty_enum)) {
    /* the slips designers make: a bare number against money, a value of a `one of` in quotes */
    const ast *lit = a->is_const ? a : b, *other = a->is_const ? b : a;
    if (lit->is_const && lit->kind == AST_NUMBER && other->ty == IRT_T_MONEY && p->currency)
      diag_at(p->diag, &lit->loc, D_TYPE, _("cannot compare money with a number; write %s %s"), lit->s, p->currency);
    else if (lit->kind == AST_STRING && other->ty == IRT_T_ENUM)
      diag_at(p->diag, &lit->loc, D_TYPE, _("cannot compare %s with text; write %s without quotes"), tyname(p, other),
              lit->s);
    else
      diag_at(p->diag, &e->loc, D_TYPE, _("cannot compare %s with %s"), tyname(p, a), tyname(p, b));
    return false;
  }
  if (ordered && (ca == 3 || ca == 4 || ca == 5)) {
    diag_at(p->diag, &e->loc, D_TYPE, _("%s values have no order; compare them with = or !="), tyname(p, a));
    return false;
  }
  e->ref = CONV_NONE;
  if (a->ty == IRT_T_DATE && b->ty == IRT_T_TIME) e->ref = CONV_LEFT_DATE;
  if (a->ty == IRT_T_TIME && b->ty == IRT_T_DATE) e->ref = CONV_RIGHT_DATE;
  e->ty = IRT_T_BOOL;
  if (a->is_const && b->is_const && e->ref == CONV_NONE) {
    int c = ca == 3 ? strcmp(a->s, b->s) : dec_cmp(a->value, b->value);
    bool r = false;
    switch (e->op) {
    case OPR_EQ: r = c == 0; break;
    case OPR_NE: r = c != 0; break;
    case OPR_LT: r = c < 0; break;
    case OPR_LE: r = c <= 0; break;
    case OPR_GT: r = c > 0; break;
    case OPR_GE: r = c >= 0; break;
    }
    set_const(e, IRT_T_BOOL, dec_from_int(r));
  }
  return true;
}

static bool check_arith(c_program *p, ast *e) {
  ast *a = e->a, *b = e->b;
  if (unresolved(p, a) || unresolved(p, b)) return false;
  uint8_t ta = a->ty, tb = b->ty, r = 0;
  switch (e->op) {
  case OPR_ADD: case OPR_SUB:
    if (is_num(ta) && is_num(tb)) r = ta == IRT_T_INT && tb == IRT_T_INT ? IRT_T_INT : IRT_T_DECIMAL;
    else if (ta == IRT_T_MONEY && tb == IRT_T_MONEY) r = IRT_T_MONEY;
    break;
  case OPR_MUL:
    if (is_num(ta) && is_num(tb)) r = ta == IRT_T_INT && tb == IRT_T_INT ? IRT_T_INT : IRT_T_DECIMAL;
    else if ((ta == IRT_T_MONEY && is_num(tb)) || (is_num(ta) && tb == IRT_T_MONEY)) r = IRT_T_MONEY;
    break;
  case OPR_DIV:
    if (is_num(ta) && is_num(tb)) r = IRT_T_DECIMAL;
    else if (ta == IRT_T_MONEY && is_num(tb)) r = IRT_T_MONEY;
    else if (ta == IRT_T_MONEY && tb == IRT_T_MONEY) r = IRT_T_DECIMAL;
    break;
  case OPR_MIN: case OPR_MAX:
    if (is_num(ta) && is_num(tb)) r = ta == IRT_T_INT && tb == IRT_T_INT ? IRT_T_INT : IRT_T_DECIMAL;
    else if (ta == IRT_T_MONEY && tb == IRT_T_MONEY) r = IRT_T_MONEY;
    break;
  }
  if (!r) {
    static const char *const verbs[] = {[OPR_ADD] = "+", [OPR_SUB] = "-", [OPR_MUL] = "*",
                                        [OPR_DIV] = "/", [OPR_MIN] = "min", [OPR_MAX] = "max"};
    diag_at(p->diag, &e->loc, D_TYPE, _("'%s' does not apply to %s and %s"), verbs[e->op], tyname(p, a),
            tyname(p, b));
    return false;
  }
  e->ty = r;
  if (a->is_const && b->is_const) {
    dec v;
    dec_status st = DEC_OK;
    switch (e->op) {
    case OPR_ADD: st = dec_add(a->value, b->value, &v); break;
    case OPR_SUB: st = dec_sub(a->value, b->value, &v); break;
    case OPR_MUL: st = dec_mul(a->value, b->value, &v); break;
    case OPR_DIV: st = dec_div(a->value, b->value, &v); break;
    case OPR_MIN: v = dec_cmp(a->value, b->value) <= 0 ? a->value : b->value; break;
    default: v = dec_cmp(a->value, b->value) >= 0 ? a->value : b->value; break;
    }
    if (!fold_status(p, e, st)) return false;
    set_const(e, r, v);
  } else if (e->op == OPR_DIV && b->is_const && dec_is_zero(b->value)) {
    diag_at(p->diag, &b->loc, D_CONST_EVAL, _("division by zero"));
    return false;
  }
  return true;
}

static bool check_member(c_program *p, ast *e, int32_t ev) {
  const ast *name = e->a;
  if (e->op == OPR_EVENT) {
    if (ev < 0) {
      diag_at(p->diag, &e->loc, D_UNKNOWN_NAME, _("'event.%s' needs a rule with a known 'on' event"), name->s);
      return false;
    }
    c_event *evt = &p->events[ev];
    int32_t f = program_lookup(&evt->index, name->s);
    if (f < 0) {
      diag_at(p->diag, &name->loc, D_UNKNOWN_NAME, _("event '%s' has no field '%s'"), evt->name, name->s);
      return false;
    }
    e->ref = f;
    e->ty = evt->fields[f].type.t;
    e->ty_enum = evt->fields[f].type.en;
    return true;
  }
  int32_t a = program_lookup(&p->attr_index, name->s);
  if (a < 0) {
    diag_at(p->diag, &name->loc, D_UNKNOWN_NAME,
            _("partners have no attribute '%s'; declare it in the partner block"), name->s);
    return false;
  }
  if (p->attrs[a].type.t == IRT_T_TIER && !p->has_tiers) {
    diag_at(p->diag, &name->loc, D_UNKNOWN_NAME, _("'partner.tier' needs a tiers declaration"));
    return false;
  }
  e->ref = a;
  e->ty = p->attrs[a].type.t;
  e->ty_enum = p->attrs[a].type.en;
  return true;
}

/* `FIELD.NAME`: field NAME of the earlier event that FIELD, of type `event
 * TYPE`, names.  ref is FIELD's index, b->ref NAME's among TYPE's fields. */
static bool check_ref(c_program *p, ast *e, int32_t ev) {
  const ast *field = e->a;
  ast *name = e->b;
  if (ev < 0) {
    diag_at(p->diag, &e->loc, D_UNKNOWN_NAME, _("'%s.%s' needs a rule with a known 'on' event"), field->s, name->s);
    return false;
  }
  const c_event *evt = &p->events[ev];
  int32_t f = program_lookup(&evt->index, field->s);
  if (f < 0) {
    diag_at(p->diag, &field->loc, D_NOT_EVENT_REF,
            _("event '%s' has no field '%s'; in '%s.%s' it must name a field of type 'event TYPE'"), evt->name,
            field->s, field->s, name->s);
    return false;
  }
  if (evt->fields[f].type.t != IRT_T_EVENT) {
    diag_at(p->diag, &field->loc, D_NOT_EVENT_REF,
            _("'%s' is %s, not an earlier event: '%s.%s' reads a field of the event that a field of type 'event TYPE' "
              "names"),
            field->s, types_name(p, evt->fields[f].type), field->s, name->s);
    return false;
  }
  const c_event *earlier = &p->events[evt->fields[f].type.en];
  int32_t g = program_lookup(&earlier->index, name->s);
  if (g < 0) {
    diag_at(p->diag, &name->loc, D_UNKNOWN_NAME, _("event '%s' has no field '%s'"), earlier->name, name->s);
    return false;
  }
  e->ref = f;
  name->ref = g;
  e->ty = earlier->fields[g].type.t;
  e->ty_enum = earlier->fields[g].type.en;
  return true;
}

static bool check_in(c_program *p, ast *e, int32_t ev) {
  ast *x = e->a;
  if (unresolved(p, x)) return false;
  bool ok = true;
  int cx = eq_class(x->ty);
  AST_EACH(item, e->b) {
    if (!check(p, item, ev)) { ok = false; continue; }
    if (item->ty == TY_WORD && !resolve_word(p, item, x)) { ok = false; continue; }
    if (!item->is_const) {
      diag_at(p->diag, &item->loc, D_TYPE, _("the values after 'in' must be constants"));
      ok = false;
    } else if (eq_class(item->ty) != cx || cx == 0 || (cx == 5 && item->ty_enum != x->ty_enum) ||
               (cx == 7 && item->ty != x->ty)) {
      if (item->kind == AST_STRING && x->ty == IRT_T_ENUM)
        diag_at(p->diag, &item->loc, D_TYPE, _("cannot compare %s with text; write %s without quotes"), tyname(p, x),
                item->s);
      else
        diag_at(p->diag, &item->loc, D_TYPE, _("cannot compare %s with %s"), tyname(p, x), tyname(p, item));
      ok = false;
    }
  }
  e->ty = IRT_T_BOOL;
  if (ok && x->is_const) {
    bool found = false;
    AST_EACH(item, e->b)
      found |= cx == 3 ? strcmp(x->s, item->s) == 0 : dec_cmp(x->value, item->value) == 0;
    set_const(e, IRT_T_BOOL, dec_from_int(found));
  }
  return ok;
}

static bool check(c_program *p, ast *e, int32_t ev) {
  e->is_const = 0;
  e->ty_enum = 0;
  switch (e->kind) {
  case AST_NUMBER: {
    bool money;
    dec v;
    if (!types_literal_number(p, e, &v, &money)) return false;
    set_const(e, memchr(e->s, '.', e->slen) || memchr(e->s, '%', e->slen) ? IRT_T_DECIMAL : IRT_T_INT, v);
    return true;
  }
  case AST_MONEY: {
    bool money;
    dec v;
    if (!types_literal_number(p, e, &v, &money)) return false;
    set_const(e, IRT_T_MONEY, v);
    return true;
  }
  case AST_STRING:
    e->ty = IRT_T_TEXT;
    e->is_const = 1;
    return true;
  case AST_DATE: {
    int32_t days;
    if (!types_parse_date(p, e, &days)) return false;
    set_const(e, IRT_T_DATE, dec_from_int(days));
    return true;
  }
  case AST_TIMESTAMP: {
    int64_t t;
    bool zone;
    if (!civil_parse_time(e->s, e->slen, &t, &zone)) {
      diag_at(p->diag, &e->loc, D_BAD_DATE, _("'%s' is not a time of the calendar"), e->s);
      return false;
    }
    if (!zone) {
      diag_at(p->diag, &e->loc, D_BAD_DATE,
              _("a time in a condition needs its offset, like '%sZ' or '%s+02:00'"), e->s, e->s);
      return false;
    }
    set_const(e, IRT_T_TIME, dec_from_int(t));
    return true;
  }
  case AST_BOOL:
    set_const(e, IRT_T_BOOL, dec_from_int(e->op));
    return true;
  case AST_NAME: {
    int32_t f = ev >= 0 ? program_lookup(&p->events[ev].index, e->s) : -1;
    if (f < 0) {
      e->ty = TY_WORD;
      return true;
    }
    e->ref = f;
    e->ty = p->events[ev].fields[f].type.t;
    e->ty_enum = p->events[ev].fields[f].type.en;
    return true;
  }
  case AST_MEMBER:
    return check_member(p, e, ev);
  case AST_REF:
    return check_ref(p, e, ev);
  case AST_UNOP: {
    if (!check(p, e->a, ev) || unresolved(p, e->a)) return false;
    ast *a = e->a;
    if (e->op == OPR_NOT) {
      if (a->ty != IRT_T_BOOL) {
        diag_at(p->diag, &e->loc, D_TYPE, _("'not' needs a bool, not %s"), tyname(p, a));
        return false;
      }
      e->ty = IRT_T_BOOL;
      if (a->is_const) set_const(e, IRT_T_BOOL, dec_from_int(dec_is_zero(a->value)));
      return true;
    }
    if (!is_num(a->ty) && a->ty != IRT_T_MONEY) {
      diag_at(p->diag, &e->loc, D_TYPE, _("'-' needs a number or money, not %s"), tyname(p, a));
      return false;
    }
    e->ty = a->ty;
    if (a->is_const) {
      dec v;
      dec_neg(a->value, &v);
      set_const(e, a->ty, v);
    }
    return true;
  }
  case AST_BINOP: {
    bool ok = check(p, e->a, ev);
    ok = check(p, e->b, ev) && ok;
    if (!ok) return false;
    if (e->op == OPR_AND || e->op == OPR_OR) {
      if (unresolved(p, e->a) || unresolved(p, e->b)) return false;
      if (e->a->ty != IRT_T_BOOL || e->b->ty != IRT_T_BOOL) {
        const ast *bad = e->a->ty != IRT_T_BOOL ? e->a : e->b;
        diag_at(p->diag, &bad->loc, D_TYPE, _("'%s' needs bool operands, not %s"),
                e->op == OPR_AND ? "and" : "or", tyname(p, bad));
        return false;
      }
      e->ty = IRT_T_BOOL;
      if (e->a->is_const && e->b->is_const) {
        bool x = !dec_is_zero(e->a->value), y = !dec_is_zero(e->b->value);
        set_const(e, IRT_T_BOOL, dec_from_int(e->op == OPR_AND ? (x && y) : (x || y)));
      }
      return true;
    }
    if (e->op >= OPR_EQ && e->op <= OPR_GE) return check_compare(p, e);
    return check_arith(p, e);
  }
  case AST_CALL: {
    bool ok = check(p, e->a, ev);
    if (e->b) ok = check(p, e->b, ev) && ok;
    if (!ok) return false;
    if (e->op != OPR_FLOOR) return check_arith(p, e);
    if (unresolved(p, e->a)) return false;
    ast *a = e->a;
    if (!is_num(a->ty) && a->ty != IRT_T_MONEY) {
      diag_at(p->diag, &e->loc, D_TYPE, _("'floor' needs a number or money, not %s"), tyname(p, a));
      return false;
    }
    e->ty = a->ty == IRT_T_MONEY ? IRT_T_MONEY : IRT_T_INT;
    if (a->is_const) set_const(e, e->ty, dec_floor(a->value));
    return true;
  }
  case AST_IN:
    if (!check(p, e->a, ev)) return false;
    return check_in(p, e, ev);
  default:
    diag_at(p->diag, &e->loc, D_SYNTAX, _("%s is not an expression"), ast_kind_name(e->kind));
    return false;
  }
}

bool types_check_expr(c_program *p, ast *e, int32_t event) {
  if (e->depth > MAX_EXPR_DEPTH) {
    diag_at(p->diag, &e->loc, D_TOO_DEEP,
            _("expression is nested %u levels deep; at most %d are allowed"), e->depth, MAX_EXPR_DEPTH);
    return false;
  }
  if (!check(p, e, event)) return false;
  return !unresolved(p, e);
}
