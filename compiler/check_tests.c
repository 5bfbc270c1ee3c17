/* check_tests.c: checks of `test` blocks: names, values and expectations. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"
#include "compiler/program.h"
#include "runtime/base/civil.h"

/* Checks a literal value given for a field or attribute of type t. */
static void check_value(c_program *p, ast *v, c_type t, const char *field) {
  const char *want = types_name(p, t);
  switch (t.t) {
  case IRT_T_INT: case IRT_T_DECIMAL: case IRT_T_MONEY: {
    const ast *n = v->kind == AST_UNOP ? v->a : v;
    if (n->kind != AST_NUMBER && n->kind != AST_MONEY) break;
    dec d;
    bool money;
    if (!types_literal_number(p, v, &d, &money)) return;
    if (money != (t.t == IRT_T_MONEY))
      diag_at(p->diag, &v->loc, D_TYPE, money ? _("'%s' is %s, not money") : _("'%s' is money; write an amount like 5 %s"),
              field, money ? want : (p->currency ? p->currency : "USD"));
    else if (t.t == IRT_T_INT && !dec_is_int(d))
      diag_at(p->diag, &v->loc, D_TYPE, _("'%s' is a whole number"), field);
    return;
  }
  case IRT_T_TEXT: case IRT_T_PARTNER:
    if (v->kind == AST_STRING || v->kind == AST_NAME) return;
    break;
  case IRT_T_EVENT: /* the id of an earlier event of the test; an unknown one shows a rejection */
    if (v->kind == AST_NAME) return;
    diag_at(p->diag, &v->loc, D_TYPE, _("'%s' takes the id of an earlier event, like 's1' in 'event sale s1 by ...'"),
            field);
    return;
  case IRT_T_BOOL:
    if (v->kind == AST_BOOL) return;
    break;
  case IRT_T_DATE: {
    int32_t days;
    if (v->kind == AST_DATE) { types_parse_date(p, v, &days); return; }
    break;
  }
  case IRT_T_ENUM:
    if (v->kind == AST_NAME && t.en < p->nenums) {
      if (program_lookup(&p->enums[t.en].index, v->s) < 0)
        diag_at(p->diag, &v->loc, D_UNKNOWN_NAME, _("'%s' is not one of the values of '%s'"), v->s, field);
      return;
    }
    break;
  case IRT_T_TIER:
    if (v->kind == AST_NAME) {
      if (program_lookup(&p->tier_index, v->s) < 0)
        diag_at(p->diag, &v->loc, D_UNKNOWN_NAME, _("'%s' is not a tier"), v->s);
      return;
    }
    break;
  default:
    break;
  }
  diag_at(p->diag, &v->loc, D_TYPE, _("'%s' takes %s"), field, want);
}

static void check_attrs(c_program *p, const ast *attrs, const strmap *index, const c_field *fields,
                        uint32_t first_settable, const char *owner) {
  strmap seen;
  strmap_init(&seen);
  AST_EACH(a, attrs) {
    uint32_t f, old;
    if (!strmap_get(index, a->a->s, a->a->slen, &f) || f < first_settable) {
      diag_at(p->diag, &a->a->loc, D_UNKNOWN_NAME, _("%s has no field '%s'"), owner, a->a->s);
      continue;
    }
    if (!strmap_put(&seen, a->a->s, a->a->slen, f, &old)) {
      diag_at(p->diag, &a->a->loc, D_DUP_ITEM, _("'%s' is given twice"), a->a->s);
      continue;
    }
    check_value(p, a->b, fields[f].type, a->a->s);
  }
  strmap_free(&seen);
}

static bool whole_points(c_program *p, const ast *n) {
  dec d;
  bool money;
  if (!types_literal_number(p, n, &d, &money)) return false;
  if (money || !dec_is_int(d)) {
    diag_at(p->diag, &n->loc, D_BAD_VALUE, _("points are whole numbers"));
    return false;
  }
  return true;
}

static void check_time(c_program *p, const ast *at) {
  int64_t secs;
  bool zone;
  if (at && !civil_parse_time(at->s, at->slen, &secs, &zone))
    diag_at(p->diag, &at->loc, D_BAD_DATE, _("'%s' is not a time of the calendar"), at->s);
}

static void check_partner(c_program *p, const strmap *partners, const ast *who) {
  uint32_t old;
  if (!strmap_get(partners, who->s, who->slen, &old))
    diag_at(p->diag, &who->loc, D_UNKNOWN_NAME, _("partner '%s' is not declared in this test"), who->s);
}

static void check_test(c_program *p, const ast *t) {
  strmap partners, events;
  strmap_init(&partners);
  strmap_init(&events);
  uint32_t old;
  /* Partners and events first, so that expectations may come anywhere. */
  for (int phase = 0; phase < 2; phase++)
  AST_EACH(it, t->b) {
    bool declares = it->kind == AST_T_PARTNER || it->kind == AST_T_EVENT;
    if (declares != (phase == 0)) continue;
    switch (it->kind) {
    case AST_T_PARTNER:
      program_declare(p, &partners, it->a, 0, _("test partner"));
      if (it->b) check_attrs(p, it->b, &p->attr_index, p->attrs, IRT_ATTR_NAME, _("a partner"));
      break;
    case AST_T_EVENT: {
      int32_t ev = program_lookup(&p->event_index, it->a->s);
      if (ev < 0)
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME, _("unknown event type '%s'"), it->a->s);
      /* An id may come twice: that is how a test shows duplicates and conflicts. */
      if (it->b) strmap_put(&events, it->b->s, it->b->slen, 0, &old);
      const ast *by = it->c->a, *at = it->c->b;
      if (!strmap_get(&partners, by->s, by->slen, &old))
        diag_at(p->diag, &by->loc, D_UNKNOWN_NAME, _("partner '%s' is not declared in this test; add 'partner %s'"),
                by->s, by->s);
      check_time(p, at);
      if (ev >= 0) {
        char owner[300];
        snprintf(owner, sizeof owner, _("event '%s'"), it->a->s);
        check_attrs(p, it->d, &p->events[ev].index, p->events[ev].fields, IRT_FIELD_DECLARED, owner);
      }
      break;
    }
    case AST_T_EARNS: case AST_T_ACCOUNT:
      check_partner(p, &partners, it->a);
      whole_points(p, it->b);
      check_time(p, it->d);
      break;
    case AST_T_AWARDS:
      if (program_lookup(&p->rule_index, it->a->s) < 0)
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME, _("unknown rule '%s'"), it->a->s);
      check_partner(p, &partners, it->b);
      whole_points(p, it->c);
      check_time(p, it->d);
      break;
    case AST_T_TIER:
      check_partner(p, &partners, it->a);
      if (program_lookup(&p->tier_index, it->b->s) < 0)
        diag_at(p->diag, &it->b->loc, D_UNKNOWN_NAME, _("'%s' is not a tier"), it->b->s);
      check_time(p, it->d);
      break;
    case AST_T_REJECTED:
      if (!strmap_get(&events, it->a->s, it->a->slen, &old))
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME,
                _("no event '%s' in this test; give the event an id: 'event TYPE %s by ...'"), it->a->s, it->a->s);
      break;
    default:
      break;
    }
  }
  strmap_free(&partners);
  strmap_free(&events);
}

void check_tests(c_program *p) {
  strmap names;
  strmap_init(&names);
  AST_EACH(d, p->root) {
    if (d->kind != AST_TEST) continue;
    uint32_t old;
    if (!strmap_put(&names, d->a->s, d->a->slen, 0, &old))
      diag_at(p->diag, &d->a->loc, D_DUP_NAME, _("test \"%s\" is declared twice; rename one"), d->a->s);
    check_test(p, d);
  }
  strmap_free(&names);
}
