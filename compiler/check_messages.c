/* check_messages.c: checks of partner messages: items, placeholders, plurals, use. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"
#include "compiler/program.h"
#include "compiler/template.h"

void check_messages_collect(c_program *p) {
  AST_EACH(d, p->root) {
    if (d->kind != AST_MESSAGE) continue;
    if (!program_declare(p, &p->message_index, d->a, p->nmessages, _("message"))) continue;
    c_message *m = program_push(&p->messages, &p->nmessages, sizeof *m);
    if (!m) return;
    m->node = d;
    m->name = d->a->s;
    const ast *seen[AST_KIND_COUNT] = {0};
    AST_EACH(it, d->b) {
      if (seen[it->kind]) {
        diag_at(p->diag, &it->loc, D_DUP_ITEM, _("'%s' is given twice in this message; keep one"),
                ast_kind_name(it->kind));
        continue;
      }
      seen[it->kind] = it;
      switch (it->kind) {
      case AST_M_SUBJECT: m->subject = it->a; break;
      case AST_M_TEXT: m->text = it->a; m->text_plural = it->b; break;
      case AST_M_PLURAL: m->plural = it->a; break;
      case AST_M_NOTE: m->note = it->a; break;
      default: break;
      }
    }
    if (!m->text)
      diag_at(p->diag, &d->a->loc, D_MISSING_ITEM, _("message '%s' has no 'text'"), m->name);
  }
  /* The tiers' notify refers to a message. */
  if (p->tiers_node) {
    AST_EACH(it, p->tiers_node->a) {
      if (it->kind != AST_NOTIFY || p->tier_notify >= 0) continue;
      p->tier_notify = program_lookup(&p->message_index, it->a->s);
      if (p->tier_notify < 0)
        diag_at(p->diag, &it->a->loc, D_UNKNOWN_NAME, _("unknown message '%s'"), it->a->s);
      else
        p->messages[p->tier_notify].used = true;
    }
  }
}

/* What a context offers: name and whether it is a number. */
typedef struct offer { const char *name; bool numeric; } offer;

static const offer rule_offers[] = {
  {"points", true}, {"rule", false}, {"partner", false}, {"balance", true}, {"tier", false}};
static const offer tier_offers[] = {
  {"tier", false}, {"multiplier", true}, {"partner", false}, {"balance", true}};
static const offer expiry_offers[] = {
  {"points", true}, {"partner", false}, {"balance", true}, {"date", false}};

/* Who sends a message: a rule (its own notify), the tiers, or an expiry
 * (the program's when rule is NULL, else the rule's). */
typedef enum sender_kind { SEND_RULE, SEND_TIER, SEND_EXPIRY } sender_kind;
typedef struct sender { sender_kind kind; const c_rule *rule; } sender;

/* 1 offered and numeric, 0 offered, -1 not offered. */
static int offered(const c_program *p, sender s, const char *name, size_t len) {
  const offer *o = s.kind == SEND_RULE ? rule_offers : s.kind == SEND_TIER ? tier_offers : expiry_offers;
  size_t n = s.kind == SEND_RULE ? sizeof rule_offers / sizeof *o
             : s.kind == SEND_TIER ? sizeof tier_offers / sizeof *o : sizeof expiry_offers / sizeof *o;
  for (size_t i = 0; i < n; i++)
    if (strlen(o[i].name) == len && memcmp(o[i].name, name, len) == 0) return o[i].numeric;
  if (s.kind != SEND_RULE || s.rule->event < 0) return -1;
  const c_event *e = &p->events[s.rule->event];
  uint32_t f;
  if (!strmap_get(&e->index, name, len, &f) || f == IRT_FIELD_PARTNER) return -1;
  uint8_t t = e->fields[f].type.t;
  return t == IRT_T_INT || t == IRT_T_DECIMAL || t == IRT_T_MONEY;
}


typedef struct ph_check {
  c_program *p;
  sender from;
  const ast *str;
} ph_check;

static void check_one(void *ud, const char *name, size_t len, size_t off) {
  ph_check *c = ud;
  if (offered(c->p, c->from, name, len) >= 0) return;
  src_loc l = template_loc(c->p->diag, c->str, off, len + 2);
  if (c->from.kind == SEND_RULE)
    diag_at(c->p->diag, &l, D_PLACEHOLDER, _("placeholder {%.*s} cannot be filled when rule '%s' sends this message"),
            (int)len, name, c->from.rule->name);
  else if (c->from.kind == SEND_TIER)
    diag_at(c->p->diag, &l, D_PLACEHOLDER,
            _("placeholder {%.*s} cannot be filled in a tier message, which offers {tier}, {multiplier}, {partner} and {balance}"),
            (int)len, name);
  else
    diag_at(c->p->diag, &l, D_PLACEHOLDER,
            _("placeholder {%.*s} cannot be filled in an expiry notice, which offers {points}, {partner}, {balance} and "
              "{date} (a 'notify' right after 'expire' names the expiry notice)"),
            (int)len, name);
}

static void check_context(c_program *p, const c_message *m, sender from) {
  const ast *texts[3] = {m->subject, m->text, m->text_plural};
  for (int i = 0; i < 3; i++) {
    if (!texts[i]) continue;
    ph_check c = {p, from, texts[i]};
    template_scan(texts[i]->s, texts[i]->slen, check_one, NULL, &c);
  }
  if (m->plural) {
    int o = offered(p, from, m->plural->s, m->plural->slen);
    if (o < 0 && from.kind == SEND_RULE)
      diag_at(p->diag, &m->plural->loc, D_PLACEHOLDER,
              _("plural placeholder {%s} cannot be filled when rule '%s' sends this message"), m->plural->s,
              from.rule->name);
    else if (o < 0 && from.kind == SEND_TIER)
      diag_at(p->diag, &m->plural->loc, D_PLACEHOLDER,
              _("plural placeholder {%s} cannot be filled in a tier message"), m->plural->s);
    else if (o < 0)
      diag_at(p->diag, &m->plural->loc, D_PLACEHOLDER,
              _("plural placeholder {%s} cannot be filled in an expiry notice"), m->plural->s);
    else if (o == 0)
      diag_at(p->diag, &m->plural->loc, D_PLURAL, _("'plural %s' must name a number, but {%s} is text"),
              m->plural->s, m->plural->s);
  }
}

static void report_bad(void *ud, const char *what, size_t len, size_t off) {
  ph_check *c = ud;
  src_loc l = template_loc(c->p->diag, c->str, off, len);
  diag_at(c->p->diag, &l, D_BAD_TEMPLATE,
          _("malformed placeholder '%.*s'; write {name} with a name of letters, digits and '_', and {{ or }} for a brace"),
          (int)len, what);
}

/* A message of one text form that shows a whole count (points, a balance,
 * an int field): translators cannot decline the words around it ("1
 * points").  Decimals and money ({multiplier}, an amount) are exempt. */
typedef struct count_check {
  c_program *p;
  const c_message *m;
  bool said;
} count_check;

static void one_form_count(void *ud, const char *name, size_t len, size_t off) {
  count_check *c = ud;
  if (c->said) return;
  bool count = (len == 6 && memcmp(name, "points", 6) == 0) || (len == 7 && memcmp(name, "balance", 7) == 0);
  for (uint32_t r = 0; !count && r < c->p->nrules; r++) {
    const c_rule *rule = &c->p->rules[r];
    if (rule->notify != (int32_t)(c->m - c->p->messages) || rule->event < 0) continue;
    const c_event *e = &c->p->events[rule->event];
    uint32_t f;
    count = strmap_get(&e->index, name, len, &f) && f != IRT_FIELD_PARTNER && e->fields[f].type.t == IRT_T_INT;
  }
  if (!count) return;
  src_loc l = template_loc(c->p->diag, c->m->text, off, len + 2);
  diag_at(c->p->diag, &l, D_ONE_FORM_COUNT,
          _("message '%s' shows {%.*s}, a count, in its one text form: translators cannot make the words around it "
            "agree with the number; give it two forms and 'plural %.*s'"),
          c->m->name, (int)len, name, (int)len, name);
  c->said = true;
}

void check_messages(c_program *p) {
  for (uint32_t i = 0; i < p->nmessages; i++) {
    c_message *m = &p->messages[i];
    const ast *texts[3] = {m->subject, m->text, m->text_plural};
    bool well_formed = true;
    for (int k = 0; k < 3; k++) {
      if (!texts[k]) continue;
      ph_check c = {p, {SEND_TIER, NULL}, texts[k]};
      if (!template_scan(texts[k]->s, texts[k]->slen, NULL, report_bad, &c)) well_formed = false;
    }
    if (m->text_plural && !m->plural)
      diag_at(p->diag, &m->text_plural->loc, D_PLURAL,
              _("two text forms need 'plural NAME' naming the number that chooses between them"));
    if (m->plural && m->text && !m->text_plural)
      diag_at(p->diag, &m->plural->loc, D_PLURAL,
              _("'plural' needs two text forms: text \"one ...\" \"many ...\""));
    if (m->plural && m->text && m->text_plural) {
      bool in_text = false;
      for (int k = 1; k < 3; k++)
        in_text |= template_has(texts[k]->s, texts[k]->slen, m->plural->s, m->plural->slen);
      if (!in_text)
        diag_at(p->diag, &m->plural->loc, D_PLURAL,
                _("'plural %s' names a placeholder that the text does not use"), m->plural->s);
    }
    if (!m->used) {
      diag_at(p->diag, &m->node->a->loc, D_UNUSED_MSG,
              _("message '%s' is never used; name it in a rule's or the tiers' 'notify', or remove it"), m->name);
      continue;
    }
    if (!well_formed) continue;
    if (m->text && !m->text_plural) {
      count_check c = {p, m, false};
      template_scan(m->text->s, m->text->slen, one_form_count, NULL, &c);
    }
    /* an expiry notice is checked once, however many rules send it */
    bool expiry = p->expire.notify == (int32_t)i;
    for (uint32_t r = 0; r < p->nrules; r++) {
      if (p->rules[r].notify == (int32_t)i) check_context(p, m, (sender){SEND_RULE, &p->rules[r]});
      expiry |= p->rules[r].expire.notify == (int32_t)i;
    }
    if (p->tier_notify == (int32_t)i) check_context(p, m, (sender){SEND_TIER, NULL});
    if (expiry) check_context(p, m, (sender){SEND_EXPIRY, NULL});
  }
}
