/* check_decls.c: checks of the program, partner, event and tiers declarations. */
#include "config.h"
#include "runtime/base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "compiler/program.h"
#include "runtime/base/civil.h"
#include "runtime/base/text.h"

int32_t program_lookup(const strmap *m, const char *name) {
  uint32_t v;
  return strmap_get(m, name, strlen(name), &v) ? (int32_t)v : -1;
}

void *program_push(void *arr_ptr, uint32_t *n, size_t size) {
  void **arr = arr_ptr;
  if ((*n & (*n - 1)) == 0) { /* capacity doubles at powers of two */
    size_t cap = *n ? (size_t)*n * 2 : 1;
    void *bigger = rt_realloc(*arr, cap * size);
    if (!bigger) return NULL;
    *arr = bigger;
  }
  char *elem = (char *)*arr + (size_t)(*n)++ * size;
  memset(elem, 0, size);
  return elem;
}

bool program_declare(c_program *p, strmap *m, const ast *name, uint32_t index, const char *what) {
  uint32_t old;
  if (strmap_put(m, name->s, name->slen, index, &old)) return true;
  diag_at(p->diag, &name->loc, D_DUP_NAME, _("%s '%s' is declared twice; rename one"), what, name->s);
  return false;
}

static const char *const partner_builtins[] = {"id", "name", "language", "country", "tier"};
static const char *const event_builtins[] = {"id", "time", "partner"};

static bool is_builtin(const char *const *list, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(list[i], name) == 0) return true;
  return false;
}

/* A value's display title goes where partners read it, a notification's
 * subject too: one line of text, never empty, and not another value's
 * (titles maps the titles seen so far to their values' positions). */
static void check_title(c_program *p, const ast *values, const ast *v, uint32_t pos, strmap *titles) {
  const ast *title = v->b;
  unsigned long c = 0;
  uint32_t old;
  if (!title->slen) {
    diag_at(p->diag, &title->loc, D_BAD_TITLE, _("the title of value '%s' is empty; write its title, or leave it out"),
            v->a->s);
  } else if (text_control(title->s, title->slen, &c)) {
    diag_at(p->diag, &title->loc, D_BAD_TITLE,
            _("the title of value '%s' holds the control character U+%04lX; a title is one line of plain text, so "
              "remove it"), v->a->s, c);
  } else if (!strmap_put(titles, title->s, title->slen, pos, &old) && old != UINT32_MAX) {
    const ast *w = values->a;
    for (uint32_t k = 0; k < old && w; k++) w = w->next;
    diag_at(p->diag, &title->loc, D_BAD_TITLE,
            _("values '%s' and '%s' have the same title \"%s\"; give each value its own title"), w ? w->a->s : "",
            v->a->s, title->s);
  }
}

/* Resolves a TYPE node to a c_type, creating its enumeration. */
static c_type decl_type(c_program *p, const ast *type) {
  static const uint8_t map[] = {
    [TY_TEXT] = IRT_T_TEXT, [TY_INT] = IRT_T_INT, [TY_DECIMAL] = IRT_T_DECIMAL,
    [TY_MONEY] = IRT_T_MONEY, [TY_BOOL] = IRT_T_BOOL, [TY_DATE] = IRT_T_DATE,
    [TY_PARTNER] = IRT_T_PARTNER, [TY_ENUM] = IRT_T_ENUM, [TY_EVENT] = IRT_T_EVENT};
  c_type t = {map[type->op], 0}; /* an event type's index is resolved once all are declared */
  if (type->op != TY_ENUM) return t;
  if (p->nenums >= UINT16_MAX - 1) { /* enumeration ids are 16 bits in the rule table */
    diag_at(p->diag, &type->loc, D_BAD_VALUE, _("more than 65,534 'one of' types; a program may declare no more"));
    t.t = IRT_T_TEXT;
    return t;
  }
  c_enum *e = program_push(&p->enums, &p->nenums, sizeof *e);
  if (!e) return t;
  t.en = (uint16_t)(p->nenums - 1);
  e->values = type->a;
  strmap_init(&e->index);
  strmap titles;
  strmap_init(&titles);
  uint32_t pos = 0;
  AST_EACH(v, type->a) {
    if (program_declare(p, &e->index, v->a, e->n, _("value"))) e->n++;
    if (v->b) check_title(p, type->a, v, pos, &titles);
    pos++;
  }
  strmap_free(&titles);
  return t;
}

/* `from MIN to MAX` of a number or money field of an event: bounds of its
 * type (money in the program's currency, whole numbers for int), MIN <= MAX. */
static void field_range(c_program *p, c_field *x, const ast *f, bool event) {
  uint8_t t = x->type.t;
  if (!event) {
    diag_at(p->diag, &f->c->loc, D_FIELD_RANGE, _("a range is for an event field; a partner attribute has none"));
    return;
  }
  if (t != IRT_T_INT && t != IRT_T_DECIMAL && t != IRT_T_MONEY) {
    diag_at(p->diag, &f->c->loc, D_FIELD_RANGE, _("field '%s' is not a number or money: it cannot have a range"),
            x->name);
    return;
  }
  dec v[2];
  const ast *bounds[2] = {f->c, f->d};
  for (int i = 0; i < 2; i++) {
    bool money;
    if (!types_literal_number(p, bounds[i], &v[i], &money)) return;
    if (money != (t == IRT_T_MONEY) || (t == IRT_T_INT && !dec_is_int(v[i]))) {
      diag_at(p->diag, &bounds[i]->loc, D_FIELD_RANGE,
              t == IRT_T_MONEY ? _("the range of money field '%s' is money: write it with the currency, 0 %s")
              : t == IRT_T_INT ? _("the range of int field '%s' is whole numbers, without a currency%s")
                               : _("the range of decimal field '%s' is numbers, without a currency%s"),
              x->name, t == IRT_T_MONEY && p->currency ? p->currency : "");
      return;
    }
  }
  if (dec_cmp(v[0], v[1]) > 0) {
    diag_at(p->diag, &f->c->loc, D_BAD_RANGE, _("the range of field '%s' starts above its end; write from the least"),
            x->name);
    return;
  }
  x->has_range = true, x->min = v[0], x->max = v[1];
}

static void declare_fields(c_program *p, const ast *list, c_field **fields, uint32_t *n, strmap *index,
                           const char *const *builtins, size_t nbuiltins, const char *what, bool event) {
  AST_EACH(f, list) {
    const ast *name = f->a;
    if (is_builtin(builtins, nbuiltins, name->s)) {
      diag_at(p->diag, &name->loc, D_RESERVED_NAME,
              _("'%s' is a built-in %s; choose another name"), name->s, what);
      continue;
    }
    if (!program_declare(p, index, name, *n, what)) continue;
    c_field *x = program_push(fields, n, sizeof *x);
    if (!x) return;
    x->name = name->s;
    x->node = f;
    x->type = decl_type(p, f->b);
    if (f->c) field_range(p, x, f, event);
  }
}

static void add_builtins(c_program *p, c_field **fields, uint32_t *n, strmap *index,
                         const char *const *names, const uint8_t *types, size_t count) {
  for (size_t i = 0; i < count; i++) {
    uint32_t old;
    strmap_put(index, names[i], strlen(names[i]), *n, &old);
    c_field *x = program_push(fields, n, sizeof *x);
    if (!x) return;
    x->name = names[i];
    x->type.t = types[i];
    x->type.en = (uint16_t)(types[i] == IRT_T_TIER ? p->tier_enum : 0);
  }
}

bool types_parse_date(c_program *p, const ast *n, int32_t *days) {
  if (n->kind == AST_DATE && civil_parse_date(n->s, n->slen, days)) return true;
  diag_at(p->diag, &n->loc, D_BAD_DATE, _("'%s' is not a date of the calendar"), n->s);
  return false;
}

static bool parse_range(c_program *p, const ast *from, const ast *to, int32_t *a, int32_t *b) {
  if (!types_parse_date(p, from, a) | !types_parse_date(p, to, b)) return false;
  if (*a > *b) {
    src_loc l = from->loc;
    l.last_line = to->loc.last_line;
    l.last_column = to->loc.last_column;
    diag_at(p->diag, &l, D_BAD_RANGE, _("the range %s to %s is reversed; write the earlier date first"),
            from->s, to->s);
    return false;
  }
  return true;
}

/* A positive whole or decimal number from a NUMBER leaf. */
static bool positive_number(c_program *p, const ast *n, dec *out, bool whole, const char *what) {
  bool money;
  if (!types_literal_number(p, n, out, &money)) return false;
  if (dec_is_neg(*out) || dec_is_zero(*out) || (whole && !dec_is_int(*out))) {
    diag_at(p->diag, &n->loc, D_BAD_VALUE,
            whole ? _("%s must be a whole number above 0") : _("%s must be above 0"), what);
    return false;
  }
  return true;
}

/* An IANA name is known when the system's time zone database has a file
 * for it (the runtime reads the same database). */
static bool known_timezone(const char *name) {
  if (!*name || name[0] == '/' || strstr(name, "..")) return false;
  for (const char *c = name; *c; c++)
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
          strchr("/_+-", *c)))
      return false;
  const char *dir = getenv("TZDIR");
  char path[1024];
  if ((size_t)snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name) >= sizeof path)
    return false;
  /* a zone is a TZif file: other files of the database (leapseconds, zone.tab) are not */
  FILE *f = fopen(path, "rb");
  char magic[4] = {0};
  bool ok = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
  if (f) fclose(f);
  return ok;
}

static const ast *once(c_program *p, const ast *seen, const ast *item, const char *what) {
  if (seen) {
    diag_at(p->diag, &item->loc, D_DUP_ITEM, _("'%s' is given twice; keep one"), what);
    return seen;
  }
  return item;
}

static void check_program_decl(c_program *p, const ast *prog) {
  if (p->program) {
    diag_at(p->diag, &prog->loc, D_DUP_ITEM,
            _("a second program declaration; a file holds exactly one program"));
    return;
  }
  p->program = prog;
  p->name = prog->a->s;
  p->title = prog->b->s;
  const ast *seen_currency = NULL, *seen_tz = NULL, *seen_runs = NULL, *seen_budget = NULL,
            *seen_lang = NULL, *seen_round = NULL, *seen_expire = NULL;
  AST_EACH(it, prog->c) {
    switch (it->kind) {
    case AST_P_CURRENCY:
      if (seen_currency) { once(p, seen_currency, it, "currency"); break; }
      seen_currency = it;
      if (it->a->slen != 3 || strspn(it->a->s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
        diag_at(p->diag, &it->a->loc, D_CURRENCY,
                _("'%s' is not an ISO 4217 currency code; write three capital letters, like USD"), it->a->s);
      else
        p->currency = it->a->s;
      break;
    case AST_P_TIMEZONE:
      if (seen_tz) { once(p, seen_tz, it, "timezone"); break; }
      seen_tz = it;
      if (known_timezone(it->a->s)) p->timezone = it->a->s;
      else
        diag_at(p->diag, &it->a->loc, D_BAD_TIMEZONE,
                _("unknown time zone \"%s\"; use an IANA name such as \"Europe/Berlin\""), it->a->s);
      break;
    case AST_P_RUNS:
      if (seen_runs) { once(p, seen_runs, it, "runs"); break; }
      seen_runs = it;
      p->has_runs = parse_range(p, it->a, it->b, &p->runs_from, &p->runs_to);
      break;
    case AST_P_BUDGET:
      if (seen_budget) { once(p, seen_budget, it, "budget"); break; }
      seen_budget = it;
      p->has_budget = positive_number(p, it->a, &p->budget, true, _("the program's budget"));
      break;
    case AST_P_LANGUAGES: {
      if (seen_lang) { once(p, seen_lang, it, "languages"); break; }
      seen_lang = it;
      strmap seen;
      strmap_init(&seen);
      uint32_t n = 0;
      AST_EACH(l, it->a) n++;
      free(p->languages);
      p->languages = rt_calloc(n ? n : 1, sizeof *p->languages);
      p->nlanguages = 0;
      AST_EACH(l, it->a) {
        uint32_t old;
        if (!text_language_code(l->s))
          diag_at(p->diag, &l->loc, D_BAD_LANGUAGE,
                  _("'%s' is not a language code; write a code like de, fr or pt_BR"), l->s);
        else if (!strmap_put(&seen, l->s, l->slen, 0, &old))
          diag_at(p->diag, &l->loc, D_BAD_LANGUAGE, _("language '%s' is listed twice"), l->s);
        else if (p->languages)
          p->languages[p->nlanguages++] = l->s;
      }
      strmap_free(&seen);
      break;
    }
    case AST_P_ROUNDING: {
      if (seen_round) { once(p, seen_round, it, "rounding"); break; }
      seen_round = it;
      static const char *const modes[] = {"half_up", "half_even", "down", "up"};
      int found = -1;
      for (int i = 0; i < 4; i++)
        if (strcmp(it->a->s, modes[i]) == 0) found = i;
      if (found < 0)
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME,
                _("unknown rounding '%s'; use half_up, half_even, down or up"), it->a->s);
      else
        p->rounding = (uint8_t)found;
      break;
    }
    /* checked with the rules, once the messages an expiry may notify are known */
    case AST_PENDING:
      p->pending_node = once(p, p->pending_node, it, "pending");
      break;
    case AST_EXPIRE:
      seen_expire = once(p, seen_expire, it, "expire");
      break;
    default:
      break;
    }
  }
  p->expire.node = seen_expire;
  if (!seen_runs)
    diag_at(p->diag, &prog->a->loc, D_MISSING_ITEM,
            _("program '%s' has no 'runs' item; add one, like 'runs 2027-01-01 to 2027-12-31'"), p->name);
}

static void check_tiers_decl(c_program *p, const ast *tiers) {
  if (p->has_tiers) {
    diag_at(p->diag, &tiers->loc, D_DUP_ITEM, _("a second tiers declaration; a program has one"));
    return;
  }
  p->has_tiers = true;
  p->tiers_node = tiers;
  p->tier_period = (uint8_t)tiers->op;
  const ast *seen_notify = NULL;
  AST_EACH(it, tiers->a) {
    if (it->kind == AST_NOTIFY) {
      seen_notify = once(p, seen_notify, it, "notify");
      continue;
    }
    if (!program_declare(p, &p->tier_index, it->a, p->ntiers, _("tier"))) continue;
    c_tier *t = program_push(&p->tiers, &p->ntiers, sizeof *t);
    if (!t) return;
    t->node = it;
    t->name = it->a->s;
    t->title = it->b->s;
    bool money;
    if (types_literal_number(p, it->c, &t->threshold, &money) &&
        (dec_is_neg(t->threshold) || !dec_is_int(t->threshold)))
      diag_at(p->diag, &it->c->loc, D_BAD_VALUE, _("a tier threshold is a whole number of points"));
    t->multiplier = dec_from_int(1);
    if (it->d) positive_number(p, it->d, &t->multiplier, false, _("a tier multiplier"));
    if (p->ntiers == 1 && !dec_is_zero(t->threshold))
      diag_at(p->diag, &it->c->loc, D_TIERS_ORDER,
              _("the first tier must start from 0, so that every partner holds a tier"));
    else if (p->ntiers > 1 && dec_cmp(t->threshold, p->tiers[p->ntiers - 2].threshold) <= 0)
      diag_at(p->diag, &it->c->loc, D_TIERS_ORDER,
              _("tier '%s' starts from %s points, not above the tier before it; thresholds must rise"),
              t->name, it->c->s);
  }
  p->tier_notify = -1;
  if (p->ntiers == 0)
    diag_at(p->diag, &tiers->loc, D_TIERS_ORDER, _("the tiers declaration lists no tier"));
}

void check_declarations(c_program *p) {
  p->tier_enum = UINT16_MAX;
  p->tier_notify = -1;
  p->rounding = DEC_HALF_UP;
  p->timezone = "UTC";
  /* Tiers first: partner.tier's type refers to them. */
  AST_EACH(d, p->root) if (d->kind == AST_TIERS) check_tiers_decl(p, d);
  AST_EACH(d, p->root) if (d->kind == AST_PROGRAM) check_program_decl(p, d);
  if (!p->program) {
    src_loc start = {1, 1, 1, 1};
    diag_at(p->diag, &start, D_NO_PROGRAM,
            _("the file has no program declaration; start it with 'program NAME \"Title\" { ... }'"));
  }
  if (!p->languages) {
    static const char *const english[] = {"en"};
    p->languages = rt_malloc(sizeof *p->languages);
    if (p->languages) { p->languages[0] = english[0]; p->nlanguages = 1; }
  }
  static const char *const pnames[] = {"id", "name", "language", "country", "tier"};
  static const uint8_t ptypes[] = {IRT_T_TEXT, IRT_T_TEXT, IRT_T_TEXT, IRT_T_TEXT, IRT_T_TIER};
  add_builtins(p, &p->attrs, &p->nattrs, &p->attr_index, pnames, ptypes, 5);
  AST_EACH(d, p->root) {
    if (d->kind == AST_PARTNER_DECL)
      declare_fields(p, d->a, &p->attrs, &p->nattrs, &p->attr_index, partner_builtins, 5,
                     _("partner attribute"), false);
  }
  static const char *const enames[] = {"id", "time", "partner"};
  static const uint8_t etypes[] = {IRT_T_TEXT, IRT_T_TIME, IRT_T_PARTNER};
  AST_EACH(d, p->root) {
    if (d->kind != AST_EVENT_DECL) continue;
    if (!program_declare(p, &p->event_index, d->a, p->nevents, _("event type"))) continue;
    c_event *e = program_push(&p->events, &p->nevents, sizeof *e);
    if (!e) return;
    e->name = d->a->s;
    e->node = d;
    strmap_init(&e->index);
    add_builtins(p, &e->fields, &e->nfields, &e->index, enames, etypes, 3);
    declare_fields(p, d->b, &e->fields, &e->nfields, &e->index, event_builtins, 3, _("event field"), true);
    if (e->nfields > 255)
      diag_at(p->diag, &d->a->loc, D_BAD_VALUE, _("event type '%s' has %u fields; at most 252 are allowed"),
              e->name, e->nfields - 3);
  }
  /* `event TYPE` fields name any declared event type, before or after their own */
  for (uint32_t i = 0; i < p->nevents; i++)
    for (uint32_t f = IRT_FIELD_DECLARED; f < p->events[i].nfields; f++) {
      c_field *x = &p->events[i].fields[f];
      if (x->type.t != IRT_T_EVENT) continue;
      const ast *type_name = x->node->b->a;
      int32_t ev = program_lookup(&p->event_index, type_name->s);
      if (ev < 0 || ev > UINT16_MAX) {
        diag_at(p->diag, &type_name->loc, D_UNKNOWN_NAME,
                _("unknown event type '%s'; declare it with 'event %s { ... }'"), type_name->s, type_name->s);
        x->type.t = IRT_T_TEXT;
      } else {
        x->type.en = (uint16_t)ev;
      }
    }
  for (uint32_t i = IRT_ATTR_DECLARED; i < p->nattrs; i++)
    if (p->attrs[i].type.t == IRT_T_EVENT) {
      diag_at(p->diag, &p->attrs[i].node->b->loc, D_TYPE,
              _("a partner attribute cannot be an event; only an event's field can name an earlier event"));
      p->attrs[i].type.t = IRT_T_TEXT;
    }
  if (p->nattrs > 255) /* located at the first attribute too many: there may be no program */
    diag_at(p->diag, &p->attrs[255].node->loc, D_BAD_VALUE, _("%u partner attributes; at most 250 are allowed"),
            p->nattrs - 5);
}

void program_free(c_program *p) {
  for (uint32_t i = 0; i < p->nenums; i++) strmap_free(&p->enums[i].index);
  for (uint32_t i = 0; i < p->nevents; i++) {
    free(p->events[i].fields);
    free(p->events[i].rules);
    strmap_free(&p->events[i].index);
  }
  free(p->enums);
  free(p->events);
  free(p->attrs);
  free(p->tiers);
  free(p->rules);
  free(p->groups);
  free(p->messages);
  free(p->languages);
  strmap_free(&p->attr_index);
  strmap_free(&p->event_index);
  strmap_free(&p->tier_index);
  strmap_free(&p->rule_index);
  strmap_free(&p->message_index);
}
