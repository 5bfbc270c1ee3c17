/* emit.c: the rule table writer: string and constant pools, bytecode, records, hash. */
#include "config.h"
#include "runtime/base/util.h"
#include "compiler/emit.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "runtime/engine/opcodes.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the rule table writer stores records as they are in memory: little-endian hosts only"
#endif

typedef struct buf {
  unsigned char *p;
  size_t n, cap;
  bool oom;
} buf;

static void put(buf *b, const void *data, size_t len) {
  if (b->oom) return;
  if (b->n + len > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + len) cap *= 2;
    unsigned char *q = rt_realloc(b->p, cap);
    if (!q) { b->oom = true; return; }
    b->p = q;
    b->cap = cap;
  }
  if (len) memcpy(b->p + b->n, data, len);
  b->n += len;
}
static void put_u8(buf *b, uint8_t v) { put(b, &v, 1); }
static void put_u16(buf *b, uint16_t v) { put(b, &v, 2); }
static void put_u32(buf *b, uint32_t v) { put(b, &v, 4); }
static void pad8(buf *b) {
  static const unsigned char zero[8];
  put(b, zero, (8 - b->n % 8) % 8);
}

typedef struct emitter {
  c_program *p;
  buf strings_idx, strings_data, consts, code;
  strmap string_ids, const_ids;
  char **const_keys;
  size_t capkeys;
  uint32_t nstrings, nconsts, nkeys;
  const src_loc *at;  /* what is being emitted, for a limit's diagnostic */
  size_t said_jump;    /* 1 + the code offset of the last jump reported, or 0 */
  bool too_big, said_consts;
  /* a table for incent test --coverage: each operand of a condition reports its value */
  bool probing;
  uint32_t rule, nprobes;
  size_t capprobes;
  emit_probe *probes;
} emitter;

/* A limit of the table format, reported once per kind at what crossed it:
 * `incent check` runs the emitter too, so it reports every limit that
 * `incent build` would. */
#define LIMIT_CONSTS 65536u /* constant indexes are 16 bits */
#define LIMIT_JUMP 65535u   /* jump distances are 16 bits */
#define LIMIT_LIST 65535u   /* a list's length is 16 bits */

static uint32_t str_id(emitter *e, const char *s) {
  if (!s) return IRT_NONE;
  size_t len = strlen(s);
  uint32_t id, old;
  if (strmap_get(&e->string_ids, s, len, &id)) return id;
  id = e->nstrings++;
  strmap_put(&e->string_ids, s, len, id, &old);
  put_u32(&e->strings_idx, (uint32_t)e->strings_data.n);
  put_u32(&e->strings_idx, (uint32_t)len);
  put(&e->strings_data, s, len + 1);
  return id;
}

static irt_const make_const(uint8_t type, dec v, uint32_t aux) {
  irt_const c = {0};
  c.type = type;
  c.scale = (uint8_t)v.scale;
  c.aux = aux;
  unsigned __int128 u = (unsigned __int128)v.coef;
  c.lo = (uint64_t)u;
  c.hi = (int64_t)(u >> 64);
  return c;
}

/* Adds a constant; with share, an equal earlier constant is reused. */
static uint32_t const_id(emitter *e, irt_const c, bool share) {
  char key[sizeof c * 2 + 1];
  const unsigned char *raw = (const unsigned char *)&c;
  for (size_t i = 0; i < sizeof c; i++) snprintf(key + 2 * i, 3, "%02x", raw[i]);
  uint32_t id, old;
  if (share && strmap_get(&e->const_ids, key, sizeof c * 2, &id)) return id;
  id = e->nconsts++;
  if (id >= LIMIT_CONSTS) {
    if (!e->said_consts && e->at)
      diag_at(e->p->diag, e->at, D_TABLE_LIMIT,
              _("this needs constant %u of the program, and a rule table holds at most 65,536 (numbers, texts and "
                "values in conditions, awards, caps, limits, budgets and tiers; equal ones are shared); split the "
                "program"), id + 1);
    e->said_consts = true;
    e->too_big = true;
  }
  put(&e->consts, &c, sizeof c);
  if (share) {
    /* grown by doubling: one element per realloc made a 50,000-rule build quadratic */
    char *k = rt_strdup(key);
    if (!k || !rt_grow((void **)&e->const_keys, &e->capkeys, (size_t)e->nkeys + 1, sizeof *e->const_keys)) {
      free(k);
      e->consts.oom = true;
      return id;
    }
    e->const_keys[e->nkeys++] = k;
    strmap_put(&e->const_ids, k, sizeof c * 2, id, &old);
  }
  return id;
}

/* The constant a constant expression is. */
static irt_const value_const(emitter *e, const ast *x) {
  if (x->ty == IRT_T_TEXT || x->ty == IRT_T_PARTNER) return make_const(x->ty, dec_from_int(0), str_id(e, x->s));
  return make_const(x->ty, x->value, x->ty == IRT_T_ENUM ? x->ty_enum : 0);
}

static uint32_t expr_const(emitter *e, const ast *x, bool share) {
  return const_id(e, value_const(e, x), share);
}

static uint32_t dec_const(emitter *e, uint8_t type, dec v) {
  return const_id(e, make_const(type, v, 0), true);
}

static void op(emitter *e, rt_opcode o) { put_u8(&e->code, (uint8_t)o); }

static void emit_expr(emitter *e, const ast *x);

static void emit_cond(emitter *e, const ast *x);

/* x's left side is emitted: the jump over its right side, emitted by right (emit_expr, or emit_cond). */
static void emit_jump(emitter *e, rt_opcode o, const ast *x, void (*right)(emitter *, const ast *)) {
  op(e, o);
  size_t at = e->code.n;
  put_u16(&e->code, 0);
  right(e, x->b);
  size_t dist = e->code.n - (at + 2);
  if (dist > LIMIT_JUMP) {
    /* reported at the innermost 'and' or 'or' too long, not again at those around it */
    if (!e->said_jump || e->said_jump - 1 < at)
      diag_at(e->p->diag, &x->loc, D_TABLE_LIMIT,
              _("the right side of this '%s' compiles to %zu bytes of code, and a rule table jumps over at most "
                "65,535; split the condition over several rules"), x->op == OPR_AND ? "and" : "or", dist);
    e->said_jump = at + 1;
    e->too_big = true;
  }
  uint16_t d = (uint16_t)dist;
  if (!e->code.oom) memcpy(e->code.p + at, &d, 2);
}

/* Recursion is bounded: types_check_expr refused anything deeper than
 * MAX_EXPR_DEPTH. */
static void emit_expr(emitter *e, const ast *x) {
  e->at = &x->loc;
  if (x->is_const) {
    op(e, RT_OP_CONST);
    put_u16(&e->code, (uint16_t)expr_const(e, x, true));
    return;
  }
  switch (x->kind) {
  case AST_NAME:
    op(e, RT_OP_FIELD);
    put_u8(&e->code, (uint8_t)x->ref);
    return;
  case AST_MEMBER:
    op(e, x->op == OPR_EVENT ? RT_OP_FIELD : RT_OP_ATTR);
    put_u8(&e->code, (uint8_t)x->ref);
    return;
  case AST_REF:
    op(e, RT_OP_REF);
    put_u8(&e->code, (uint8_t)x->ref);
    put_u8(&e->code, (uint8_t)x->b->ref);
    return;
  case AST_UNOP:
    emit_expr(e, x->a);
    op(e, x->op == OPR_NOT ? RT_OP_NOT : RT_OP_NEG);
    return;
  case AST_CALL:
    emit_expr(e, x->a);
    if (x->b) emit_expr(e, x->b);
    op(e, x->op == OPR_MIN ? RT_OP_MIN : x->op == OPR_MAX ? RT_OP_MAX : RT_OP_FLOOR);
    return;
  case AST_IN: {
    emit_expr(e, x->a);
    uint32_t first = e->nconsts, n = 0;
    /* a list is a run of constants; an equal list, met again, shares the run */
    buf key = {0};
    put(&key, "L", 1);
    AST_EACH(item, x->b) {
      irt_const c = value_const(e, item);
      char hex[sizeof c * 2 + 1];
      for (size_t i = 0; i < sizeof c; i++) snprintf(hex + 2 * i, 3, "%02x", ((const unsigned char *)&c)[i]);
      put(&key, hex, sizeof c * 2);
    }
    uint32_t shared, old;
    if (!key.oom && strmap_get(&e->const_ids, (const char *)key.p, key.n, &shared)) {
      AST_EACH(item, x->b) n++;
      first = shared;
      free(key.p);
    } else {
      AST_EACH(item, x->b) {
        e->at = &item->loc;
        expr_const(e, item, false);
        n++;
      }
      if (key.oom || !rt_grow((void **)&e->const_keys, &e->capkeys, (size_t)e->nkeys + 1, sizeof *e->const_keys)) {
        free(key.p);
        e->consts.oom = true;
      } else {
        e->const_keys[e->nkeys++] = (char *)key.p; /* the map borrows the key: freed with the others */
        strmap_put(&e->const_ids, (const char *)key.p, key.n, first, &old);
      }
    }
    if (n > LIMIT_LIST) {
      diag_at(e->p->diag, &x->loc, D_TABLE_LIMIT,
              _("this list has %u values, and a rule table's list holds at most 65,535; split it"), n);
      e->too_big = true;
    }
    op(e, RT_OP_IN);
    put_u16(&e->code, (uint16_t)first);
    put_u16(&e->code, (uint16_t)n);
    return;
  }
  case AST_BINOP:
    break;
  default:
    return;
  }
  if (x->op == OPR_AND || x->op == OPR_OR) {
    emit_expr(e, x->a);
    emit_jump(e, x->op == OPR_AND ? RT_OP_JFALSE : RT_OP_JTRUE, x, emit_expr);
    return;
  }
  emit_expr(e, x->a);
  if (x->ref == 1 && x->op >= OPR_EQ && x->op <= OPR_GE) op(e, RT_OP_DATETIME);
  emit_expr(e, x->b);
  if (x->ref == 2 && x->op >= OPR_EQ && x->op <= OPR_GE) op(e, RT_OP_DATETIME);
  bool text = x->a->ty == IRT_T_TEXT || x->a->ty == IRT_T_PARTNER || x->a->ty == IRT_T_EVENT;
  switch (x->op) {
  case OPR_ADD: op(e, RT_OP_ADD); break;
  case OPR_SUB: op(e, RT_OP_SUB); break;
  case OPR_MUL: op(e, RT_OP_MUL); break;
  case OPR_DIV: op(e, RT_OP_DIV); break;
  case OPR_EQ: op(e, text ? RT_OP_TEQ : RT_OP_EQ); break;
  case OPR_NE: op(e, text ? RT_OP_TNE : RT_OP_NE); break;
  case OPR_LT: op(e, RT_OP_LT); break;
  case OPR_LE: op(e, RT_OP_LE); break;
  case OPR_GT: op(e, RT_OP_GT); break;
  case OPR_GE: op(e, RT_OP_GE); break;
  default: break;
  }
}

/* A condition for coverage: the operands of its and, or and not are emitted
 * as emit_expr would, each followed by a PROBE of its number. */
static void emit_cond(emitter *e, const ast *x) {
  bool junction = x->kind == AST_BINOP && (x->op == OPR_AND || x->op == OPR_OR);
  if (!x->is_const && junction) {
    emit_cond(e, x->a);
    emit_jump(e, x->op == OPR_AND ? RT_OP_JFALSE : RT_OP_JTRUE, x, emit_cond);
    return;
  }
  if (!x->is_const && x->kind == AST_UNOP && x->op == OPR_NOT) {
    emit_cond(e, x->a);
    op(e, RT_OP_NOT);
    return;
  }
  emit_expr(e, x);
  if (e->nprobes > 0xFFFFu || !rt_grow((void **)&e->probes, &e->capprobes, e->nprobes + 1, sizeof *e->probes)) {
    e->code.oom = e->nprobes <= 0xFFFFu; /* past 65,536 operands, the rest go uncounted */
    return;
  }
  op(e, RT_OP_PROBE);
  put_u16(&e->code, (uint16_t)e->nprobes);
  e->probes[e->nprobes++] = (emit_probe){e->rule, x};
}

static uint32_t emit_block(emitter *e, const ast *when) {
  uint32_t at = (uint32_t)e->code.n;
  if (e->probing) emit_cond(e, when);
  else emit_expr(e, when);
  op(e, RT_OP_RET);
  return at;
}

static uint32_t emit_award(emitter *e, const ast *aw) {
  uint32_t at = (uint32_t)e->code.n;
  emit_expr(e, aw->a);
  if (aw->b) { /* N * floor(X / M) */
    emit_expr(e, aw->c);
    emit_expr(e, aw->b);
    op(e, RT_OP_DIVFLOOR);
    op(e, RT_OP_MUL);
  }
  op(e, RT_OP_RET);
  return at;
}

static irt_expiry expiry_record(const c_expiry *x) {
  irt_expiry r = {x->unit, x->end, 0, x->n, x->notify >= 0 ? (uint32_t)x->notify : IRT_NONE};
  return r;
}

static void begin_section(buf *out, uint32_t *dir, int *nsec, uint32_t id) {
  pad8(out);
  dir[*nsec * 3] = id;
  dir[*nsec * 3 + 1] = (uint32_t)out->n;
}
static void end_section(buf *out, uint32_t *dir, int *nsec) {
  dir[*nsec * 3 + 2] = (uint32_t)out->n - dir[*nsec * 3 + 1];
  (*nsec)++;
}
static void put_count(buf *b, uint32_t n) { put_u32(b, n); put_u32(b, 0); }

static void field_record(emitter *e, buf *b, const c_field *f) {
  irt_field r = {str_id(e, f->name), f->type.t, 0,
                 f->type.t == IRT_T_ENUM || f->type.t == IRT_T_EVENT ? f->type.en : 0};
  put(b, &r, sizeof r);
}

bool emit_table(c_program *p, unsigned char **out, size_t *len) { return emit_table_probed(p, out, len, NULL, NULL); }

bool emit_table_probed(c_program *p, unsigned char **out, size_t *len, emit_probe **probes, uint32_t *nprobes) {
  emitter e = {.p = p, .probing = probes != NULL};
  strmap_init(&e.string_ids);
  strmap_init(&e.const_ids);
  buf prog = {0}, enums = {0}, attrs = {0}, events = {0}, tiers = {0}, rules = {0}, msgs = {0};

  /* program */
  e.at = p->program ? &p->program->loc : NULL;
  irt_program pr = {.name = str_id(&e, p->name), .title = str_id(&e, p->title),
                    .currency = str_id(&e, p->currency), .timezone = str_id(&e, p->timezone),
                    .runs_from = p->runs_from, .runs_to = p->runs_to,
                    .budget = p->has_budget ? dec_const(&e, IRT_T_INT, p->budget) : IRT_NONE,
                    .rounding = p->rounding, .pending_days = p->pending_days,
                    .expire = expiry_record(&p->expire), .nlanguages = p->nlanguages};
  put(&prog, &pr, sizeof pr);
  for (uint32_t i = 0; i < p->nlanguages; i++) put_u32(&prog, str_id(&e, p->languages[i]));

  /* enumerations: records, then the values' names and titles */
  put_count(&enums, p->nenums);
  uint32_t first = 0;
  for (uint32_t i = 0; i < p->nenums; i++) {
    put_u32(&enums, first);
    put_u32(&enums, p->enums[i].n);
    first += p->enums[i].n;
  }
  for (uint32_t i = 0; i < p->nenums; i++) {
    uint32_t k = 0;
    AST_EACH(v, p->enums[i].values) {
      if (k++ >= p->enums[i].n) break;
      irt_enum_value r = {str_id(&e, v->a->s), v->b ? str_id(&e, v->b->s) : IRT_NONE};
      put(&enums, &r, sizeof r);
    }
  }

  put_count(&attrs, p->nattrs);
  for (uint32_t i = 0; i < p->nattrs; i++) field_record(&e, &attrs, &p->attrs[i]);

  /* events: records, then all fields, then all rule indexes */
  put_count(&events, p->nevents);
  uint32_t fpos = 0, rpos = 0;
  for (uint32_t i = 0; i < p->nevents; i++) {
    const c_event *ev = &p->events[i];
    irt_event r = {str_id(&e, ev->name), ev->nfields, fpos, ev->nrules, rpos};
    put(&events, &r, sizeof r);
    fpos += ev->nfields;
    rpos += ev->nrules;
  }
  for (uint32_t i = 0; i < p->nevents; i++)
    for (uint32_t f = 0; f < p->events[i].nfields; f++) field_record(&e, &events, &p->events[i].fields[f]);
  for (uint32_t i = 0; i < p->nevents; i++)
    for (uint32_t r = 0; r < p->events[i].nrules; r++) put_u32(&events, p->events[i].rules[r]);
  /* field ranges: a section of their own, present only when some field has one (other tables stay as they were) */
  buf ranges = {0};
  uint32_t nranges = 0;
  for (uint32_t i = 0; i < p->nevents; i++)
    for (uint32_t f = 0; f < p->events[i].nfields; f++) {
      const c_field *x = &p->events[i].fields[f];
      if (!x->has_range) continue;
      e.at = x->node ? &x->node->loc : NULL;
      irt_range r = {i, f, dec_const(&e, x->type.t, x->min), dec_const(&e, x->type.t, x->max)};
      put(&ranges, &r, sizeof r);
      nranges++;
    }

  irt_tiers th = {p->has_tiers, p->tier_period, 0, p->ntiers,
                  p->tier_notify >= 0 ? (uint32_t)p->tier_notify : IRT_NONE};
  put(&tiers, &th, sizeof th);
  for (uint32_t i = 0; i < p->ntiers; i++) {
    const c_tier *t = &p->tiers[i];
    e.at = &t->node->loc;
    irt_tier r = {str_id(&e, t->name), str_id(&e, t->title), dec_const(&e, IRT_T_INT, t->threshold),
                  dec_const(&e, IRT_T_DECIMAL, t->multiplier)};
    put(&tiers, &r, sizeof r);
  }

  put_count(&rules, p->nrules);
  for (uint32_t i = 0; i < p->nrules; i++) {
    const c_rule *r = &p->rules[i];
    irt_rule x = {0};
    x.name = str_id(&e, r->name);
    x.title = str_id(&e, r->title);
    x.category = str_id(&e, r->category);
    x.event = r->event >= 0 ? (uint32_t)r->event : IRT_NONE;
    x.group = r->group >= 0 ? (uint32_t)r->group : IRT_NONE;
    x.group_name = r->group >= 0 ? str_id(&e, p->groups[r->group].name) : IRT_NONE;
    e.rule = i;
    x.when_code = r->when && !(r->when->is_const && !dec_is_zero(r->when->value)) ? emit_block(&e, r->when)
                                                                                    : IRT_NONE;
    x.action = r->action;
    if (r->action == IRT_ACT_REVERSE) { /* a reversal's share is not a condition: no probes */
      bool probing = e.probing;
      e.probing = false;
      x.award_code = r->share ? emit_block(&e, r->share) : IRT_NONE;
      e.probing = probing;
    }
    else
      x.award_code = r->award ? emit_award(&e, r->award) : IRT_NONE;
    x.to_field = r->to_attr >= 0    ? IRT_TO_ATTR | (uint32_t)r->to_attr
                 : r->to_field >= 0 ? (uint32_t)r->to_field
                                    : IRT_NONE;
    x.reverse_field = r->reverse_field >= 0 ? (uint32_t)r->reverse_field : IRT_NONE;
    x.pending_days = r->pending_days;
    x.expire = expiry_record(&r->expire);
    /* a deduction is never multiplied by a tier */
    x.flags = r->flat || r->action == IRT_ACT_DEDUCT ? IRT_RULE_FLAT : 0;
    e.at = &r->node->loc;
    x.cap = r->has_cap ? dec_const(&e, IRT_T_INT, r->cap) : IRT_NONE;
    x.limit = r->has_limit ? dec_const(&e, IRT_T_INT, r->limit) : IRT_NONE;
    x.budget = r->has_budget ? dec_const(&e, IRT_T_INT, r->budget) : IRT_NONE;
    x.cap_period = r->cap_period;
    x.limit_period = r->limit_period;
    x.has_during = r->has_during;
    x.during_from = r->has_during ? r->during_from : 0;
    x.during_to = r->has_during ? r->during_to : 0;
    x.notify = r->notify >= 0 ? (uint32_t)r->notify : IRT_NONE;
    put(&rules, &x, sizeof x);
  }

  put_count(&msgs, p->nmessages);
  for (uint32_t i = 0; i < p->nmessages; i++) {
    const c_message *m = &p->messages[i];
    irt_message x = {str_id(&e, m->name), m->subject ? str_id(&e, m->subject->s) : IRT_NONE,
                     m->text ? str_id(&e, m->text->s) : IRT_NONE,
                     m->text_plural ? str_id(&e, m->text_plural->s) : IRT_NONE,
                     m->plural ? str_id(&e, m->plural->s) : IRT_NONE,
                     m->note ? str_id(&e, m->note->s) : IRT_NONE};
    put(&msgs, &x, sizeof x);
  }

  /* the file: header, directory, sections */
  enum { NSEC = 11 };
  uint32_t dir[NSEC * 3] = {0};
  int nsec = 0, ndir = nranges ? NSEC : NSEC - 1;
  buf f = {0};
  unsigned char header[IRT_HEADER_SIZE] = {0};
  put(&f, header, sizeof header);
  put(&f, dir, (size_t)ndir * 12);

  begin_section(&f, dir, &nsec, IRT_SEC_STRINGS);
  put_count(&f, e.nstrings);
  put(&f, e.strings_idx.p, e.strings_idx.n);
  put(&f, e.strings_data.p, e.strings_data.n);
  end_section(&f, dir, &nsec);
  begin_section(&f, dir, &nsec, IRT_SEC_CONSTS);
  put_count(&f, e.nconsts);
  put(&f, e.consts.p, e.consts.n);
  end_section(&f, dir, &nsec);
  const struct { uint32_t id; buf *b; } parts[] = {
    {IRT_SEC_PROGRAM, &prog}, {IRT_SEC_ENUMS, &enums}, {IRT_SEC_ATTRS, &attrs}, {IRT_SEC_EVENTS, &events},
    {IRT_SEC_TIERS, &tiers}, {IRT_SEC_RULES, &rules}, {IRT_SEC_MESSAGES, &msgs}};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    begin_section(&f, dir, &nsec, parts[i].id);
    put(&f, parts[i].b->p, parts[i].b->n);
    end_section(&f, dir, &nsec);
  }
  begin_section(&f, dir, &nsec, IRT_SEC_CODE);
  put_count(&f, (uint32_t)e.code.n);
  put(&f, e.code.p, e.code.n);
  end_section(&f, dir, &nsec);
  if (nranges) {
    begin_section(&f, dir, &nsec, IRT_SEC_RANGES);
    put_count(&f, nranges);
    put(&f, ranges.p, ranges.n);
    end_section(&f, dir, &nsec);
  }
  pad8(&f);

  bool oom = f.oom || e.strings_idx.oom || e.strings_data.oom || e.consts.oom || e.code.oom || ranges.oom;
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) oom |= parts[i].b->oom;
  if (f.n > UINT32_MAX && !oom) {
    diag_at(p->diag, &p->program->loc, D_TABLE_LIMIT,
            _("the rule table would take %zu bytes, and a rule table holds at most 4 GiB; split the program"), f.n);
    e.too_big = true;
  }
  bool ok = !oom && !e.too_big;
  if (ok) {
    memcpy(f.p, IRT_MAGIC, 8);
    uint32_t v = IRT_VERSION, hs = IRT_HEADER_SIZE, ns = (uint32_t)ndir, total = (uint32_t)f.n;
    memcpy(f.p + 8, &v, 4);
    memcpy(f.p + 12, &hs, 4);
    memcpy(f.p + 48, &ns, 4);
    memcpy(f.p + 52, &total, 4);
    memcpy(f.p + IRT_HEADER_SIZE, dir, (size_t)ndir * 12);
    struct sha256_ctx sha;
    sha256_init(&sha);
    sha256_update(&sha, f.n - IRT_HEADER_SIZE, f.p + IRT_HEADER_SIZE);
    sha256_digest(&sha, SHA256_DIGEST_SIZE, f.p + 16);
    *out = f.p;
    *len = f.n;
    if (probes) *probes = e.probes, *nprobes = e.nprobes, e.probes = NULL;
  } else {
    free(f.p);
  }
  free(e.probes);
  free(e.strings_idx.p); free(e.strings_data.p); free(e.consts.p); free(e.code.p); free(ranges.p);
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) free(parts[i].b->p);
  for (uint32_t i = 0; i < e.nkeys; i++) free(e.const_keys[i]);
  free(e.const_keys);
  strmap_free(&e.string_ids);
  strmap_free(&e.const_ids);
  return ok;
}
