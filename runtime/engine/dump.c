/* dump.c: a readable listing of a loaded rule table, with disassembled code. */
#include "config.h"
#include "runtime/base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/base/decimal.h"
#include "runtime/engine/opcodes.h"
#include "runtime/engine/table.h"

static const char *const op_names[] = {
#define OP(name, bytes, pops, pushes, doc) #name,
  OPCODE_LIST(OP)
#undef OP
};
static const int op_bytes[] = {
#define OP(name, bytes, pops, pushes, doc) bytes,
  OPCODE_LIST(OP)
#undef OP
};

/* Formats and writes through the caller's writer, however long the text. */
void rt_vsay(rt_out *o, const char *fmt, va_list ap) {
  char small[512];
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  if (n >= 0 && (size_t)n < sizeof small) {
    o->write(o->ud, small, (size_t)n);
  } else if (n >= 0) {
    char *big = rt_malloc((size_t)n + 1);
    if (big) {
      vsnprintf(big, (size_t)n + 1, fmt, again);
      o->write(o->ud, big, (size_t)n);
      free(big);
    }
  }
  va_end(again);
}

void rt_say(rt_out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  rt_vsay(o, fmt, ap);
  va_end(ap);
}

/* Writes a string as a quoted literal of the language. */
static void quoted(rt_out *o, const char *s) {
  o->write(o->ud, "\"", 1);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') rt_say(o, "\\%c", *s);
    else if (*s == '\n') rt_say(o, "\\n");
    else if (*s == '\t') rt_say(o, "\\t");
    else o->write(o->ud, s, 1);
  }
  o->write(o->ud, "\"", 1);
}

static const char *const type_names[] = {"text", "int", "decimal", "money", "bool", "date",
                                          "partner", "enum", "time", "tier", "event"};
static const char *const period_names[] = {"day", "week", "month", "quarter", "year", "program"};
static const char *const rounding_names[] = {"half_up", "half_even", "down", "up"};

static dec const_dec(const irt_const *c) {
  unsigned __int128 u = ((unsigned __int128)(uint64_t)c->hi << 64) | c->lo;
  return (dec){(dec_coef)u, c->scale};
}

static void const_value(rt_out *o, const incent_table *t, uint32_t i) {
  const irt_const *c = &t->consts[i];
  char buf[DEC_STRING_MAX];
  switch (c->type) {
  case IRT_T_TEXT: case IRT_T_PARTNER: quoted(o, rt_string(t, c->aux)); break;
  case IRT_T_BOOL: rt_say(o, "%s", c->lo ? "true" : "false"); break;
  case IRT_T_DATE: rt_say(o, "%s", civil_format_date((int32_t)c->lo, buf)); break;
  case IRT_T_ENUM: {
    const rt_enum *e = &t->enums[c->aux];
    rt_say(o, "%s", c->lo < e->count ? rt_string(t, t->enum_values[e->first + c->lo].name) : "?");
    break;
  }
  case IRT_T_TIER:
    rt_say(o, "%s", c->lo < t->tiers_head->ntiers ? rt_string(t, t->tiers[c->lo].name) : "?");
    break;
  default: rt_say(o, "%s", dec_to_string(const_dec(c), buf));
  }
  rt_say(o, " (%s)", type_names[c->type]);
}

static void type_desc(rt_out *o, const incent_table *t, const irt_field *f) {
  if (f->type == IRT_T_EVENT) {
    rt_say(o, "event %s", rt_string(t, t->events[f->enum_id].name));
    return;
  }
  if (f->type != IRT_T_ENUM) {
    rt_say(o, "%s", type_names[f->type]);
    return;
  }
  const rt_enum *e = &t->enums[f->enum_id];
  rt_say(o, "one of (");
  for (uint32_t k = 0; k < e->count; k++) {
    const irt_enum_value *v = &t->enum_values[e->first + k];
    rt_say(o, "%s%s", k ? ", " : "", rt_string(t, v->name));
    if (v->title != IRT_NONE) {
      rt_say(o, " ");
      quoted(o, rt_string(t, v->title));
    }
  }
  rt_say(o, ")");
}

static void disassemble(rt_out *o, const incent_table *t, uint32_t at, const irt_event *ev) {
  uint32_t pc = at;
  while (pc < t->code_len) {
    uint8_t op = t->code[pc];
    const unsigned char *arg = t->code + pc + 1;
    rt_say(o, "    %04u  %-8s", pc - at, op_names[op]);
    uint32_t a16 = op_bytes[op] >= 2 ? (uint32_t)(arg[0] | arg[1] << 8) : op_bytes[op] == 1 ? arg[0] : 0;
    switch (op) {
    case RT_OP_CONST: rt_say(o, " #%u      ; ", a16); const_value(o, t, a16); break;
    case RT_OP_FIELD:
      rt_say(o, " %-3u     ; event.%s", arg[0], rt_string(t, t->event_fields[ev->fields + arg[0]].name));
      break;
    case RT_OP_ATTR: rt_say(o, " %-3u     ; partner.%s", arg[0], rt_string(t, t->attrs[arg[0]].name)); break;
    case RT_OP_REF: {
      const irt_field *f = &t->event_fields[ev->fields + arg[0]];
      const irt_event *earlier = &t->events[f->enum_id];
      rt_say(o, " %-3u %-3u ; %s.%s", arg[0], arg[1], rt_string(t, f->name),
             rt_string(t, t->event_fields[earlier->fields + arg[1]].name));
      break;
    }
    case RT_OP_JFALSE: case RT_OP_JTRUE: rt_say(o, " +%-6u ; to %04u", a16, pc - at + 3 + a16); break;
    case RT_OP_IN: {
      uint32_t n = (uint32_t)(arg[2] | arg[3] << 8);
      rt_say(o, " #%u..%u ; ", a16, a16 + n - 1);
      for (uint32_t k = 0; k < n; k++) {
        if (k) rt_say(o, ", ");
        const_value(o, t, a16 + k);
      }
      break;
    }
    default: break;
    }
    rt_say(o, "\n");
    if (op == RT_OP_RET) return;
    pc += 1 + (uint32_t)op_bytes[op];
  }
}

static const char *const action_names[] = {"award", "deduct", "reverse"};
static const char *const unit_names[] = {"never", "days", "months", "years"};

/* `pending N days` and `expire ...`, as the program or a rule says them;
 * the program's defaults (no pending days, no expiry) are not shown. */
static void lots(rt_out *o, const incent_table *t, int32_t pending, const irt_expiry *x, bool program) {
  if (pending > 0 || (pending == 0 && !program)) rt_say(o, "  pending %d days\n", (int)pending);
  if (x->unit == IRT_X_INHERIT || (program && x->unit == IRT_X_NEVER)) return;
  if (x->unit == IRT_X_NEVER) {
    rt_say(o, "  expire never\n");
    return;
  }
  rt_say(o, "  expire after %d %s", (int)x->n, unit_names[x->unit]);
  if (x->end) rt_say(o, " at end of %s", period_names[x->end]);
  if (x->notify != IRT_NONE) rt_say(o, " notify %s", rt_string(t, t->messages[x->notify].name));
  rt_say(o, "\n");
}

static void dec_line(rt_out *o, const incent_table *t, const char *before, uint32_t c, const char *after) {
  char buf[DEC_STRING_MAX];
  rt_say(o, "%s%s%s", before, dec_to_string(const_dec(&t->consts[c]), buf), after);
}

incent_status incent_table_dump(const incent_table *t, incent_write_fn *write, void *ud) {
  rt_out o = {write, ud};
  char hash[65], d1[16], d2[16];
  incent_table_hash(t, hash);
  const irt_program *p = t->program;
  rt_say(&o, "rule table format %u, %zu bytes\nhash %s\n\n", IRT_VERSION, t->len, hash);
  rt_say(&o, "program %s ", rt_string(t, p->name));
  quoted(&o, rt_string(t, p->title));
  rt_say(&o, "\n  currency %s\n  timezone %s\n  runs %s to %s\n", p->currency == IRT_NONE ? "(none)" : rt_string(t, p->currency),
      rt_string(t, p->timezone), civil_format_date(p->runs_from, d1), civil_format_date(p->runs_to, d2));
  if (p->budget != IRT_NONE) dec_line(&o, t, "  budget ", p->budget, " points\n");
  rt_say(&o, "  languages");
  for (uint32_t i = 0; i < p->nlanguages; i++) rt_say(&o, " %s", rt_string(t, t->languages[i]));
  rt_say(&o, "\n  rounding %s\n", rounding_names[p->rounding]);
  lots(&o, t, p->pending_days, &p->expire, true);
  rt_say(&o, "\npartner attributes\n");
  for (uint32_t i = 0; i < t->nattrs; i++) {
    rt_say(&o, "  %-3u %s ", i, rt_string(t, t->attrs[i].name));
    type_desc(&o, t, &t->attrs[i]);
    rt_say(&o, "\n");
  }
  for (uint32_t i = 0; i < t->nevents; i++) {
    const irt_event *e = &t->events[i];
    rt_say(&o, "\nevent %s\n", rt_string(t, e->name));
    for (uint32_t k = 0; k < e->nfields; k++) {
      rt_say(&o, "  %-3u %s ", k, rt_string(t, t->event_fields[e->fields + k].name));
      type_desc(&o, t, &t->event_fields[e->fields + k]);
      for (uint32_t r = 0; r < t->nranges; r++)
        if (t->ranges[r].event == i && t->ranges[r].field == k) {
          dec_line(&o, t, " from ", t->ranges[r].min, "");
          dec_line(&o, t, " to ", t->ranges[r].max, "");
        }
      rt_say(&o, "\n");
    }
    rt_say(&o, "  rules:");
    for (uint32_t k = 0; k < e->nrules; k++) rt_say(&o, " %s", rt_string(t, t->rules[t->event_rules[e->rules + k]].name));
    rt_say(&o, e->nrules ? "\n" : " (none)\n");
  }
  const irt_tiers *th = t->tiers_head;
  if (th->present) {
    rt_say(&o, "\ntiers by points per %s", period_names[th->period]);
    if (th->notify != IRT_NONE) rt_say(&o, ", notify %s", rt_string(t, t->messages[th->notify].name));
    rt_say(&o, "\n");
    for (uint32_t i = 0; i < th->ntiers; i++) {
      const irt_tier *x = &t->tiers[i];
      rt_say(&o, "  %s ", rt_string(t, x->name));
      quoted(&o, rt_string(t, x->title));
      dec_line(&o, t, " from ", x->threshold, "");
      dec_line(&o, t, " multiplier ", x->multiplier, "\n");
    }
  }
  for (uint32_t i = 0; i < t->nrules; i++) {
    const irt_rule *r = &t->rules[i];
    const irt_event *ev = &t->events[r->event];
    rt_say(&o, "\nrule %s ", rt_string(t, r->name));
    quoted(&o, rt_string(t, r->title));
    rt_say(&o, "\n  on %s\n", rt_string(t, ev->name));
    if (r->group != IRT_NONE) rt_say(&o, "  first of %s (group %u)\n", rt_string(t, r->group_name), r->group);
    if (r->category != IRT_NONE) rt_say(&o, "  category %s\n", rt_string(t, r->category));
    if (r->has_during)
      rt_say(&o, "  during %s to %s\n", civil_format_date(r->during_from, d1), civil_format_date(r->during_to, d2));
    if (r->when_code == IRT_NONE) {
      rt_say(&o, "  when: always\n");
    } else {
      rt_say(&o, "  when: code at %u\n", r->when_code);
      disassemble(&o, t, r->when_code, ev);
    }
    const char *flat = r->flags & IRT_RULE_FLAT ? ", flat" : "";
    if (r->action == IRT_ACT_REVERSE) {
      rt_say(&o, "  reverse event.%s", rt_string(t, t->event_fields[ev->fields + r->reverse_field].name));
      if (r->award_code == IRT_NONE) rt_say(&o, ", share: all%s\n", flat);
      else rt_say(&o, ", share: code at %u%s\n", r->award_code, flat);
    } else {
      rt_say(&o, "  %s: code at %u%s\n", action_names[r->action], r->award_code, flat);
    }
    if (r->award_code != IRT_NONE) disassemble(&o, t, r->award_code, ev);
    lots(&o, t, r->pending_days, &r->expire, false);
    if (r->to_field != IRT_NONE && (r->to_field & IRT_TO_ATTR))
      rt_say(&o, "  to partner.%s\n", rt_string(t, t->attrs[r->to_field & ~IRT_TO_ATTR].name));
    else if (r->to_field != IRT_NONE)
      rt_say(&o, "  to event.%s\n", rt_string(t, t->event_fields[ev->fields + r->to_field].name));
    if (r->limit != IRT_NONE) {
      dec_line(&o, t, "  limit ", r->limit, " times");
      rt_say(&o, " per partner per %s\n", period_names[r->limit_period]);
    }
    if (r->cap != IRT_NONE) {
      dec_line(&o, t, "  cap ", r->cap, " points");
      rt_say(&o, " per partner per %s\n", period_names[r->cap_period]);
    }
    if (r->budget != IRT_NONE) dec_line(&o, t, "  budget ", r->budget, " points\n");
    if (r->notify != IRT_NONE) rt_say(&o, "  notify %s\n", rt_string(t, t->messages[r->notify].name));
  }
  for (uint32_t i = 0; i < t->nmessages; i++) {
    const irt_message *m = &t->messages[i];
    rt_say(&o, "\nmessage %s\n", rt_string(t, m->name));
    const struct { const char *label; uint32_t id; } items[] = {
      {"subject", m->subject}, {"text", m->text}, {"text_plural", m->text_plural}, {"note", m->note}};
    for (size_t k = 0; k < sizeof items / sizeof *items; k++) {
      if (items[k].id == IRT_NONE) continue;
      rt_say(&o, "  %s ", items[k].label);
      quoted(&o, rt_string(t, items[k].id));
      rt_say(&o, "\n");
    }
    if (m->plural != IRT_NONE) rt_say(&o, "  plural %s\n", rt_string(t, m->plural));
  }
  rt_say(&o, "\nconstants\n");
  for (uint32_t i = 0; i < t->nconsts; i++) {
    rt_say(&o, "  #%-4u ", i);
    const_value(&o, t, i);
    rt_say(&o, "\n");
  }
  return INCENT_OK;
}
