/* check_rules.c: checks of rules and `first of` groups. */
#include "config.h"

#include <string.h>

#include "compiler/i18n.h"
#include "compiler/exposure.h"
#include "compiler/program.h"

static const ast *once(c_program *p, const ast *seen, const ast *item) {
  if (seen) {
    diag_at(p->diag, &item->loc, D_DUP_ITEM, _("'%s' is given twice in this rule; keep one"),
            ast_kind_name(item->kind));
    return seen;
  }
  return item;
}

static bool whole_positive(c_program *p, const ast *n, dec *out, const char *what) {
  bool money;
  if (!types_literal_number(p, n, out, &money)) return false;
  if (money || dec_is_neg(*out) || dec_is_zero(*out) || !dec_is_int(*out)) {
    diag_at(p->diag, &n->loc, D_BAD_VALUE, _("%s must be a whole number above 0"), what);
    return false;
  }
  return true;
}

/* The award: `award N points [per M of X] [to F]`, or a deduction,
 * `deduct N points [to F]`. */
static void check_award(c_program *p, c_rule *r, ast *aw) {
  bool ok = types_check_expr(p, aw->a, r->event);
  bool deduct = aw->kind == AST_R_DEDUCT;
  r->award_ok = ok;
  if (ok && !(aw->a->ty == IRT_T_INT || aw->a->ty == IRT_T_DECIMAL)) {
    r->award_ok = false;
    if (deduct)
      diag_at(p->diag, &aw->a->loc, D_TYPE, _("a deduction must be a number of points, not %s"),
              types_name(p, (c_type){aw->a->ty, aw->a->ty_enum}));
    else
      diag_at(p->diag, &aw->a->loc, D_TYPE,
              aw->a->ty == IRT_T_MONEY
                  ? _("an award is counted in points, not money; divide by an amount or write 'N points per M USD of FIELD'")
                  : _("an award must be a number of points, not %s"),
              types_name(p, (c_type){aw->a->ty, aw->a->ty_enum}));
  } else if (ok && aw->a->is_const && dec_is_neg(aw->a->value)) {
    r->award_ok = false;
    diag_at(p->diag, &aw->a->loc, D_NEGATIVE,
            deduct ? _("a deduction cannot be negative; to give points, write 'award'")
                   : _("an award cannot be negative; to take points, write 'deduct' or 'reverse'"));
  }
  if (aw->b) { /* per M of X */
    bool okm = types_check_expr(p, aw->b, r->event);
    bool okx = types_check_expr(p, aw->c, r->event);
    r->award_ok &= okm && okx;
    if (okm && !aw->b->is_const) {
      diag_at(p->diag, &aw->b->loc, D_TYPE, _("the amount after 'per' must be a constant"));
      okm = false;
    } else if (okm && (dec_is_neg(aw->b->value) || dec_is_zero(aw->b->value))) {
      diag_at(p->diag, &aw->b->loc, D_BAD_VALUE, _("the amount after 'per' must be above 0"));
      okm = false;
    }
    if (okm && okx) {
      uint8_t tm = aw->b->ty, tx = aw->c->ty;
      bool num_m = tm == IRT_T_INT || tm == IRT_T_DECIMAL, num_x = tx == IRT_T_INT || tx == IRT_T_DECIMAL;
      if (!((num_m && num_x) || (tm == IRT_T_MONEY && tx == IRT_T_MONEY)))
        diag_at(p->diag, &aw->c->loc, D_TYPE,
                _("'per %s of' needs a value of the same type, not %s"),
                types_name(p, (c_type){tm, 0}), types_name(p, (c_type){tx, aw->c->ty_enum}));
    }
  }
  if (aw->d && aw->d->kind == AST_MEMBER) { /* `to partner.ATTR` */
    const ast *name = aw->d->a;
    int32_t a = program_lookup(&p->attr_index, name->s);
    if (a < 0)
      diag_at(p->diag, &name->loc, D_UNKNOWN_NAME,
              _("partners have no attribute '%s'; declare it in the partner block"), name->s);
    else if (p->attrs[a].type.t != IRT_T_PARTNER)
      diag_at(p->diag, &name->loc, D_TO_NOT_PARTNER, _("'to partner.%s' needs an attribute of type partner; '%s' is %s"),
              name->s, name->s, types_name(p, p->attrs[a].type));
    else
      r->to_attr = a;
  } else if (aw->d && r->event >= 0) {
    c_event *e = &p->events[r->event];
    int32_t f = program_lookup(&e->index, aw->d->s);
    if (f < 0)
      diag_at(p->diag, &aw->d->loc, D_UNKNOWN_NAME, _("event '%s' has no field '%s'"), e->name, aw->d->s);
    else if (e->fields[f].type.t != IRT_T_PARTNER)
      diag_at(p->diag, &aw->d->loc, D_TO_NOT_PARTNER,
              _("'to %s' needs a field of type partner; '%s' is %s"), aw->d->s, aw->d->s,
              types_name(p, e->fields[f].type));
    else
      r->to_field = f;
  }
}

bool check_pending(c_program *p, const ast *item, int32_t *days) {
  dec d;
  bool money;
  if (!types_literal_number(p, item->a, &d, &money)) return false;
  if (money || dec_is_neg(d) || !dec_is_int(d) || dec_cmp(d, dec_from_int(100000)) > 0) {
    diag_at(p->diag, &item->a->loc, D_BAD_VALUE, _("'pending' takes a whole number of days from 0 to 100,000"));
    return false;
  }
  int64_t v = 0;
  dec_to_i64(d, &v);
  *days = (int32_t)v;
  return true;
}

void check_expire(c_program *p, const ast *item, c_expiry *out) {
  static const uint8_t units[] = {[EXP_NEVER] = IRT_X_NEVER, [EXP_DAYS] = IRT_X_DAYS,
                                  [EXP_MONTHS] = IRT_X_MONTHS, [EXP_YEARS] = IRT_X_YEARS};
  static const uint8_t ends[] = {[PER_MONTH] = IRT_P_MONTH, [PER_QUARTER] = IRT_P_QUARTER, [PER_YEAR] = IRT_P_YEAR};
  out->node = item;
  out->unit = units[item->op];
  out->end = 0;
  out->n = 0;
  out->notify = -1;
  if (item->op == EXP_NEVER) return;
  dec d;
  bool money;
  if (types_literal_number(p, item->a, &d, &money)) {
    if (money || !dec_is_int(d) || dec_cmp(d, dec_from_int(1)) < 0 || dec_cmp(d, dec_from_int(100000)) > 0)
      diag_at(p->diag, &item->a->loc, D_BAD_VALUE, _("'expire after' takes a whole number from 1 to 100,000"));
    else {
      int64_t v = 0;
      dec_to_i64(d, &v);
      out->n = (int32_t)v;
    }
  }
  if (item->b) {
    if (item->b->op == PER_MONTH || item->b->op == PER_QUARTER || item->b->op == PER_YEAR)
      out->end = ends[item->b->op];
    else
      diag_at(p->diag, &item->b->loc, D_BAD_VALUE, _("credits expire at the end of a month, quarter or year"));
  }
  if (item->c) {
    out->notify = program_lookup(&p->message_index, item->c->s);
    if (out->notify < 0)
      diag_at(p->diag, &item->c->loc, D_UNKNOWN_NAME, _("unknown message '%s'"), item->c->s);
    else
      p->messages[out->notify].used = true;
  }
}

/* `reverse FIELD [by SHARE]`: FIELD names an earlier event; SHARE is a number. */
static void check_reverse(c_program *p, c_rule *r, ast *rv) {
  c_event *e = &p->events[r->event];
  int32_t f = program_lookup(&e->index, rv->a->s);
  if (f < 0)
    diag_at(p->diag, &rv->a->loc, D_UNKNOWN_NAME, _("event '%s' has no field '%s'"), e->name, rv->a->s);
  else if (e->fields[f].type.t != IRT_T_EVENT)
    diag_at(p->diag, &rv->a->loc, D_REVERSE_FIELD,
            _("'reverse %s' needs a field of type 'event TYPE' naming the earlier event; '%s' is %s"), rv->a->s,
            rv->a->s, types_name(p, e->fields[f].type));
  else
    r->reverse_field = f;
  r->share = rv->b;
  if (rv->b && types_check_expr(p, rv->b, r->event)) {
    if (rv->b->ty != IRT_T_INT && rv->b->ty != IRT_T_DECIMAL)
      diag_at(p->diag, &rv->b->loc, D_SHARE_TYPE,
              _("the share after 'by' is a number from 0 to 1, not %s; divide amounts, like 'by amount / %s.amount'"),
              types_name(p, (c_type){rv->b->ty, rv->b->ty_enum}), rv->a->s);
    else if (rv->b->is_const && (dec_is_neg(rv->b->value) || dec_cmp(rv->b->value, dec_from_int(1)) > 0))
      diag_at(p->diag, &rv->b->loc, D_BAD_VALUE, _("the share after 'by' is a number from 0 to 1"));
  }
  if (rv->d)
    diag_at(p->diag, &rv->d->loc, D_REVERSE_TO,
            _("a reversal takes the points back from whoever received them; remove 'to %s'"),
            rv->d->kind == AST_MEMBER ? rv->d->a->s : rv->d->s);
}

/* Items that only some actions take, reported once the rule's action is known. */
static void check_action_items(c_program *p, const c_rule *r, const ast *const *seen) {
  if (!r->action_node || r->action == IRT_ACT_AWARD) return;
  const char *verb = r->action == IRT_ACT_DEDUCT ? "deduct" : "reverse";
  const ast *bounds[] = {seen[AST_R_CAP], seen[AST_R_BUDGET]};
  for (int i = 0; i < 2; i++)
    if (bounds[i])
      diag_at(p->diag, &bounds[i]->loc, D_DEBIT_BOUND,
              _("'%s' bounds what a rule grants, and a '%s' rule grants nothing; remove it (a 'limit' may bound how "
                "often the rule applies)"),
              ast_kind_name(bounds[i]->kind), verb);
  const ast *lots[] = {seen[AST_PENDING], seen[AST_EXPIRE]};
  for (int i = 0; i < 2; i++)
    if (lots[i])
      diag_at(p->diag, &lots[i]->loc, D_DEBIT_LOTS,
              _("'%s' applies to credits, and a '%s' rule takes points; remove it"), ast_kind_name(lots[i]->kind),
              verb);
}

static void check_rule(c_program *p, ast *node, int32_t group) {
  uint32_t index = p->nrules;
  if (!program_declare(p, &p->rule_index, node->a, index, _("rule"))) return;
  c_rule *r = program_push(&p->rules, &p->nrules, sizeof *r);
  if (!r) return;
  r->node = node;
  r->name = node->a->s;
  r->title = node->b ? node->b->s : node->a->s; /* untitled rules go by their name */
  r->event = -1;
  r->group = group;
  r->to_field = -1;
  r->to_attr = -1;
  r->reverse_field = -1;
  r->pending_days = -1;
  r->expire.unit = IRT_X_INHERIT;
  r->expire.notify = -1;
  r->notify = -1;
  const ast *seen[AST_KIND_COUNT] = {0};
  /* `on` first: conditions and awards are typed against its event. */
  AST_EACH(it, node->c) {
    if (it->kind != AST_R_ON) continue;
    if (seen[it->kind]) { once(p, seen[it->kind], it); continue; }
    seen[it->kind] = it;
    r->event = program_lookup(&p->event_index, it->a->s);
    if (r->event < 0)
      diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME, _("unknown event type '%s'; declare it with 'event %s { ... }'"),
              it->a->s, it->a->s);
  }
  if (!seen[AST_R_ON]) {
    diag_at(p->diag, &node->a->loc, D_MISSING_ITEM, _("rule '%s' has no 'on' item; name the event it applies to"),
            r->name);
  }
  bool event_known = r->event >= 0;
  AST_EACH(it, node->c) {
    if (it->kind == AST_R_ON) continue;
    if (seen[it->kind]) { once(p, seen[it->kind], it); continue; }
    seen[it->kind] = it;
    if (it->kind == AST_R_AWARD || it->kind == AST_R_DEDUCT || it->kind == AST_R_REVERSE) {
      if (r->action_node) {
        diag_at(p->diag, &it->loc, D_TWO_ACTIONS,
                _("rule '%s' already has '%s'; a rule has one action, so write a second rule for this one"), r->name,
                ast_kind_name(r->action_node->kind));
        continue;
      }
      r->action_node = it;
      r->action = it->kind == AST_R_AWARD ? IRT_ACT_AWARD : it->kind == AST_R_DEDUCT ? IRT_ACT_DEDUCT : IRT_ACT_REVERSE;
    }
    switch (it->kind) {
    case AST_R_CATEGORY: r->category = it->a->s; break;
    case AST_R_WHEN:
      if (!event_known) break;
      r->when = it->a;
      if (types_check_expr(p, it->a, r->event) && it->a->ty != IRT_T_BOOL)
        diag_at(p->diag, &it->a->loc, D_TYPE, _("'when' needs a bool condition, not %s"),
                types_name(p, (c_type){it->a->ty, it->a->ty_enum}));
      break;
    case AST_R_AWARD: case AST_R_DEDUCT:
      r->award = it;
      if (event_known) check_award(p, r, it);
      break;
    case AST_R_REVERSE:
      if (event_known) check_reverse(p, r, it);
      break;
    case AST_PENDING:
      check_pending(p, it, &r->pending_days);
      break;
    case AST_EXPIRE:
      check_expire(p, it, &r->expire);
      break;
    case AST_R_FLAT: r->flat = true; break;
    case AST_R_CAP:
      r->has_cap = whole_positive(p, it->a, &r->cap, _("a cap"));
      r->cap_period = (uint8_t)it->op;
      break;
    case AST_R_LIMIT:
      r->has_limit = whole_positive(p, it->a, &r->limit, _("a limit"));
      r->limit_period = (uint8_t)it->op;
      break;
    case AST_R_BUDGET:
      r->has_budget = whole_positive(p, it->a, &r->budget, _("a rule's budget"));
      break;
    case AST_R_DURING:
      if (types_parse_date(p, it->a, &r->during_from) & types_parse_date(p, it->b, &r->during_to)) {
        if (r->during_from > r->during_to) {
          src_loc l = it->a->loc;
          l.last_line = it->b->loc.last_line;
          l.last_column = it->b->loc.last_column;
          diag_at(p->diag, &l, D_BAD_RANGE, _("the range %s to %s is reversed; write the earlier date first"),
                  it->a->s, it->b->s);
        } else {
          r->has_during = true;
        }
      }
      break;
    case AST_NOTIFY:
      r->notify_node = it->a;
      r->notify = program_lookup(&p->message_index, it->a->s);
      if (r->notify < 0)
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME, _("unknown message '%s'"), it->a->s);
      else
        p->messages[r->notify].used = true;
      break;
    default: break;
    }
  }
  if (!r->action_node)
    diag_at(p->diag, &node->a->loc, D_MISSING_ITEM,
            _("rule '%s' has no action; say what it does with 'award', 'deduct' or 'reverse'"), r->name);
  check_action_items(p, r, seen);
  if (r->event >= 0) {
    c_event *e = &p->events[r->event];
    uint32_t *slot = program_push(&e->rules, &e->nrules, sizeof *slot);
    if (slot) *slot = index;
  }
}

static bool always_true(const c_rule *r) {
  return !r->when || (r->when->is_const && !dec_is_zero(r->when->value));
}

/* Warnings that need the whole rule: unbounded awards and rules that can
 * never apply. */
static void warn_rule(c_program *p, uint32_t i, uint32_t group_start) {
  c_rule *r = &p->rules[i];
  if (r->event < 0) return;
  const ast *name = r->node->a;
  /* W001 says what incent exposure says of the rule: which bound is missing */
  exp_rule x;
  exposure_rule(p, i, &x);
  if (exposure_unbounded(p, i, &x)) {
    char why[256];
    diag_at(p->diag, &name->loc, D_UNBOUNDED,
            _("rule '%s' has no bound on what one partner can receive: %s; add a cap, a limit or a budget"), r->name,
            exposure_reason(p, i, &x, PER_DAY, why, sizeof why));
  }
  if (r->has_during && p->has_runs && (r->during_to < p->runs_from || r->during_from > p->runs_to))
    diag_at(p->diag, &name->loc, D_NEVER_APPLIES,
            _("rule '%s' can never apply: its 'during' lies outside the program's 'runs'"), r->name);
  if (r->when && r->when->is_const && dec_is_zero(r->when->value))
    diag_at(p->diag, &r->when->loc, D_NEVER_APPLIES,
            _("rule '%s' can never apply: its condition is always false"), r->name);
  if (r->group < 0) return;
  for (uint32_t j = group_start; j < i; j++) {
    const c_rule *q = &p->rules[j];
    bool covers = !q->has_during ||
                  (r->has_during && q->during_from <= r->during_from && q->during_to >= r->during_to);
    if (q->event == r->event && always_true(q) && covers) {
      diag_at(p->diag, &name->loc, D_NEVER_APPLIES,
              _("rule '%s' can never apply: rule '%s' before it in 'first of %s' always matches"), r->name,
              q->name, p->groups[r->group].name);
      break;
    }
  }
}

void check_rules(c_program *p) {
  /* the program's account items: an expiry may notify a message */
  p->expire.unit = IRT_X_NEVER;
  p->expire.notify = -1;
  if (p->pending_node) check_pending(p, p->pending_node, &p->pending_days);
  if (p->expire.node) check_expire(p, p->expire.node, &p->expire);
  strmap groups;
  strmap_init(&groups);
  AST_EACH(d, p->root) {
    if (d->kind == AST_RULE) {
      uint32_t i = p->nrules;
      check_rule(p, d, -1);
      if (p->nrules > i) warn_rule(p, i, i);
    } else if (d->kind == AST_GROUP) {
      if (!program_declare(p, &groups, d->a, p->ngroups, _("group"))) continue;
      c_group *g = program_push(&p->groups, &p->ngroups, sizeof *g);
      if (!g) break;
      g->node = d;
      g->name = d->a->s;
      uint32_t start = p->nrules;
      AST_EACH(r, d->b) check_rule(p, r, (int32_t)(p->ngroups - 1));
      for (uint32_t i = start; i < p->nrules; i++) warn_rule(p, i, start);
    }
  }
  strmap_free(&groups);
}
