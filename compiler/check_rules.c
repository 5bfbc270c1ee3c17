/* check_rules.c: checks of rules and `first of` groups. */
#include "config.h"

#include <string.h>

#include "compiler/i18n.h"
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

/* The award: `award N points [per M of X] [to F]`. */
static void check_award(c_program *p, c_rule *r, ast *aw) {
  bool ok = types_check_expr(p, aw->a, r->event);
  r->award_ok = ok;
  if (ok && !(aw->a->ty == IRT_T_INT || aw->a->ty == IRT_T_DECIMAL)) {
    r->award_ok = false;
    diag_at(p->diag, &aw->a->loc, D_TYPE,
            aw->a->ty == IRT_T_MONEY
                ? _("an award is counted in points, not money; divide by an amount or write 'N points per M USD of FIELD'")
                : _("an award must be a number of points, not %s"),
            types_name(p, (c_type){aw->a->ty, aw->a->ty_enum}));
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
  if (aw->d && r->event >= 0) {
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
    switch (it->kind) {
    case AST_R_CATEGORY: r->category = it->a->s; break;
    case AST_R_WHEN:
      if (!event_known) break;
      r->when = it->a;
      if (types_check_expr(p, it->a, r->event) && it->a->ty != IRT_T_BOOL)
        diag_at(p->diag, &it->a->loc, D_TYPE, _("'when' needs a bool condition, not %s"),
                types_name(p, (c_type){it->a->ty, it->a->ty_enum}));
      break;
    case AST_R_AWARD:
      r->award = it;
      if (event_known) check_award(p, r, it);
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
  if (!seen[AST_R_AWARD])
    diag_at(p->diag, &node->a->loc, D_MISSING_ITEM, _("rule '%s' has no 'award' item; say how many points it gives"),
            r->name);
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
  if (r->award && r->award_ok && !(r->award->a->is_const && !r->award->b) && !r->has_cap &&
      !r->has_limit && !r->has_budget)
    diag_at(p->diag, &name->loc, D_UNBOUNDED,
            _("rule '%s' awards a variable amount with no cap, limit or budget; finance cannot bound its cost"),
            r->name);
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
