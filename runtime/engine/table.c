/* table.c: loading a rule table: every offset, index and instruction is
 * verified before use, so a damaged or hostile file is refused, never run. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/engine/table.h"

#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/decimal.h"
#include "runtime/engine/opcodes.h"
#include "runtime/base/text.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the rule table reader maps records as they are in the file: little-endian hosts only"
#endif

_Static_assert(sizeof(irt_const) == 24, "irt_const layout");
_Static_assert(sizeof(irt_expiry) == 12, "irt_expiry layout");
_Static_assert(sizeof(irt_program) == 52, "irt_program layout");
_Static_assert(sizeof(irt_field) == 8, "irt_field layout");
_Static_assert(sizeof(irt_enum_value) == 8, "irt_enum_value layout");
_Static_assert(sizeof(irt_event) == 20, "irt_event layout");
_Static_assert(sizeof(irt_tiers) == 12, "irt_tiers layout");
_Static_assert(sizeof(irt_tier) == 16, "irt_tier layout");
_Static_assert(sizeof(irt_rule) == 92, "irt_rule layout");
_Static_assert(sizeof(irt_message) == 24, "irt_message layout");

#define MAX_DAYS 100000 /* pending days and expiry counts: 0 .. 100,000 and 1 .. 100,000 */

const char *incent_version(void) { return PACKAGE_VERSION; }

const char *rt_string(const incent_table *t, uint32_t id) {
  if (id == IRT_NONE || id >= t->nstrings) return "";
  return t->string_data + t->string_index[2 * id];
}

typedef struct loader {
  incent_table *t;
  char *why;
  size_t whylen;
} loader;

static bool fail(loader *l, const char *fmt, ...) {
  if (l->why && l->whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->why, l->whylen, fmt, ap);
    va_end(ap);
  }
  return false;
}

static uint32_t rd32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

typedef struct section {
  const unsigned char *p;
  uint32_t size;
} section;

/* A counted array of `size`-byte records at the start of a section. */
static bool counted(loader *l, section s, size_t size, uint32_t *n, const void **items, const char *what) {
  if (s.size < 8) return fail(l, "the %s section is truncated", what);
  *n = rd32(s.p);
  if ((uint64_t)*n * size > s.size - 8) return fail(l, "the %s section is truncated", what);
  *items = s.p + 8;
  return true;
}

static bool str_ok(const incent_table *t, uint32_t id, bool optional) {
  return (optional && id == IRT_NONE) || id < t->nstrings;
}

static bool const_ok(const incent_table *t, uint32_t id, bool optional) {
  return (optional && id == IRT_NONE) || id < t->nconsts;
}

/* A name as the compiler reads one: ASCII letters, digits and '_', not
 * starting with a digit, at most 200 characters (GRAMMAR_MAX_NAME). */
static bool is_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 200 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
      return false;
  return true;
}

/* An enumeration value: a name, and a title that is absent or one line of
 * text (it can go into a notification's subject, an e-mail header). */
static bool value_ok(const incent_table *t, const irt_enum_value *v) {
  if (!str_ok(t, v->name, false) || !str_ok(t, v->title, true)) return false;
  if (v->title == IRT_NONE) return true;
  const char *s = rt_string(t, v->title);
  unsigned long c;
  return s[0] && !text_control(s, strlen(s), &c);
}

static const int8_t op_bytes[] = {
#define OP(name, bytes, pops, pushes, doc) bytes,
  OPCODE_LIST(OP)
#undef OP
};
static const int8_t op_pops[] = {
#define OP(name, bytes, pops, pushes, doc) pops,
  OPCODE_LIST(OP)
#undef OP
};
static const int8_t op_pushes[] = {
#define OP(name, bytes, pops, pushes, doc) pushes,
  OPCODE_LIST(OP)
#undef OP
};

/* A REF's operands: field `field` of event type `event` is of an event type,
 * and `ref` is a field of that type.  Event types were verified before. */
static bool ref_ok(const incent_table *t, uint32_t event, uint8_t field, uint8_t ref) {
  const irt_event *e = &t->events[event];
  if (field >= e->nfields) return false;
  const irt_field *f = &t->event_fields[e->fields + field];
  return f->type == IRT_T_EVENT && ref < t->events[f->enum_id].nfields;
}

/* Verifies one block of a rule on event type `event`: valid instructions and
 * operands, forward jumps onto instruction boundaries with consistent stack
 * depths, ending in RET with one value on the stack.  depth_at is scratch
 * space of code_len entries, -1. */
static bool verify_block(loader *l, uint32_t at, uint32_t event, int16_t *depth_at, uint8_t *is_start) {
  const incent_table *t = l->t;
  uint32_t nfields = t->events[event].nfields;
  int depth = 0;
  bool ok = false;
  uint32_t pc = at, touched_end = at;
  while (pc < t->code_len) {
    if (depth_at[pc] >= 0 && depth_at[pc] != depth && depth >= 0) break; /* inconsistent join */
    if (depth < 0) depth = depth_at[pc]; /* only reached by a jump */
    if (depth < 0) break;
    uint8_t op = t->code[pc];
    if (op >= RT_OP_COUNT || pc + 1 + (uint32_t)op_bytes[op] > t->code_len) break;
    is_start[pc] = 1;
    const unsigned char *arg = t->code + pc + 1;
    /* operands are read only when the instruction has them: a RET may be the last byte of the file */
    uint16_t a16 = op_bytes[op] >= 2 ? (uint16_t)(arg[0] | arg[1] << 8) : op_bytes[op] == 1 ? arg[0] : 0;
    if (op == RT_OP_CONST && a16 >= t->nconsts) break;
    if (op == RT_OP_FIELD && arg[0] >= nfields) break;
    if (op == RT_OP_ATTR && arg[0] >= t->nattrs) break;
    if (op == RT_OP_REF && !ref_ok(t, event, arg[0], arg[1])) break;
    if (op == RT_OP_IN) {
      uint16_t n = (uint16_t)(arg[2] | arg[3] << 8);
      if ((uint32_t)a16 + n > t->nconsts) break;
    }
    if (depth < op_pops[op]) break;
    uint32_t next = pc + 1 + (uint32_t)op_bytes[op];
    if (op == RT_OP_JFALSE || op == RT_OP_JTRUE) {
      uint32_t target = next + a16;
      if (target >= t->code_len) break;
      if (depth_at[target] >= 0 && depth_at[target] != depth) break;
      depth_at[target] = (int16_t)depth; /* the value is kept when jumping */
      if (target > touched_end) touched_end = target;
      depth -= 1;
    } else {
      depth += op_pushes[op] - op_pops[op];
    }
    if (depth > IRT_MAX_STACK) break;
    if (op == RT_OP_RET) {
      ok = depth == 0 && touched_end < next;
      /* RET pops the result: exactly one value was there */
      break;
    }
    pc = next;
  }
  /* every jump lands on the start of an instruction, never inside one */
  uint32_t end = pc < t->code_len ? pc : t->code_len - 1;
  if (touched_end > end) end = touched_end;
  for (uint32_t i = at; i <= end && i < t->code_len; i++) {
    if (depth_at[i] >= 0 && !is_start[i]) ok = false;
    depth_at[i] = -1;
    is_start[i] = 0;
  }
  return ok;
}

/* An expiry record: a unit, and for a real expiry a count, an end of period
 * and a message; `inherit` allows IRT_X_INHERIT (rules). */
static bool expiry_ok(const incent_table *t, const irt_expiry *x, bool inherit) {
  if (x->unit == IRT_X_NEVER || (inherit && x->unit == IRT_X_INHERIT))
    return x->n == 0 && x->end == 0 && x->notify == IRT_NONE;
  if (x->unit != IRT_X_DAYS && x->unit != IRT_X_MONTHS && x->unit != IRT_X_YEARS) return false;
  return x->n >= 1 && x->n <= MAX_DAYS &&
         (x->end == 0 || x->end == IRT_P_MONTH || x->end == IRT_P_QUARTER || x->end == IRT_P_YEAR) &&
         (x->notify == IRT_NONE || x->notify < t->nmessages);
}

static bool load_sections(loader *l) {
  incent_table *t = l->t;
  const unsigned char *d = t->data;
  uint32_t nsec = rd32(d + 48);
  if (nsec > 64 || IRT_HEADER_SIZE + (uint64_t)nsec * 12 > t->len) return fail(l, "the section directory is damaged");
  section sec[IRT_SEC_RANGES + 1] = {{0}};
  for (uint32_t i = 0; i < nsec; i++) {
    const unsigned char *e = d + IRT_HEADER_SIZE + i * 12;
    uint32_t id = rd32(e), off = rd32(e + 4), size = rd32(e + 8);
    if (id < 1 || id > IRT_SEC_RANGES || sec[id].p) return fail(l, "the section directory is damaged");
    if (off % 8 || off < IRT_HEADER_SIZE || (uint64_t)off + size > t->len)
      return fail(l, "section %u lies outside the file", id);
    sec[id] = (section){d + off, size};
  }
  for (int id = 1; id <= IRT_SEC_CODE; id++)
    if (!sec[id].p) return fail(l, "section %d is missing", id);

  /* strings */
  const void *items = NULL;
  if (!counted(l, sec[IRT_SEC_STRINGS], 8, &t->nstrings, &items, "string")) return false;
  t->string_index = items;
  t->string_data = (const char *)items + (size_t)t->nstrings * 8;
  size_t data_len = sec[IRT_SEC_STRINGS].size - 8 - (size_t)t->nstrings * 8;
  for (uint32_t i = 0; i < t->nstrings; i++) {
    uint64_t off = t->string_index[2 * i], len = t->string_index[2 * i + 1];
    if (off + len >= data_len || t->string_data[off + len] != '\0') return fail(l, "string %u is damaged", i);
  }
  /* constants */
  if (!counted(l, sec[IRT_SEC_CONSTS], sizeof(irt_const), &t->nconsts, &items, "constant")) return false;
  t->consts = items;
  for (uint32_t i = 0; i < t->nconsts; i++) {
    const irt_const *c = &t->consts[i];
    unsigned __int128 u = ((unsigned __int128)(uint64_t)c->hi << 64) | c->lo;
    if (c->type > IRT_T_TIER || !dec_valid((dec){(dec_coef)u, c->scale}))
      return fail(l, "constant %u is damaged", i);
    if ((c->type == IRT_T_TEXT || c->type == IRT_T_PARTNER) && !str_ok(t, c->aux, false))
      return fail(l, "constant %u is damaged", i);
  }
  /* program */
  section s = sec[IRT_SEC_PROGRAM];
  if (s.size < sizeof(irt_program)) return fail(l, "the program section is truncated");
  t->program = (const irt_program *)s.p;
  const irt_program *pr = t->program;
  if ((uint64_t)pr->nlanguages * 4 > s.size - sizeof(irt_program)) return fail(l, "the program section is truncated");
  t->languages = (const uint32_t *)(s.p + sizeof(irt_program));
  if (!str_ok(t, pr->name, false) || !str_ok(t, pr->title, false) || !str_ok(t, pr->currency, true) ||
      !str_ok(t, pr->timezone, false) || !const_ok(t, pr->budget, true) || pr->rounding > 3 ||
      pr->pending_days < 0 || pr->pending_days > MAX_DAYS)
    return fail(l, "the program record is damaged");
  for (uint32_t i = 0; i < pr->nlanguages; i++)
    if (!str_ok(t, t->languages[i], false)) return fail(l, "the program record is damaged");
  /* the program's name and its languages name catalog files (LOCALE_DIR/LANG/LC_MESSAGES/NAME.mo):
   * a table whose hash was redone must not lead the runtime outside the folder */
  if (!is_name(rt_string(t, pr->name))) return fail(l, "the program's name is not a name");
  for (uint32_t i = 0; i < pr->nlanguages; i++)
    if (!text_language_code(rt_string(t, t->languages[i])))
      return fail(l, "language %u of the program is not a language code", i);
  /* enumerations */
  if (!counted(l, sec[IRT_SEC_ENUMS], sizeof(rt_enum), &t->nenums, &items, "enumeration")) return false;
  t->enums = items;
  t->enum_values = (const irt_enum_value *)((const rt_enum *)items + t->nenums);
  uint64_t nvalues = (sec[IRT_SEC_ENUMS].size - 8 - (uint64_t)t->nenums * 8) / sizeof(irt_enum_value);
  t->nenum_values = (uint32_t)nvalues;
  for (uint32_t i = 0; i < t->nenums; i++) {
    if ((uint64_t)t->enums[i].first + t->enums[i].count > nvalues) return fail(l, "enumeration %u is damaged", i);
    for (uint32_t k = 0; k < t->enums[i].count; k++)
      if (!value_ok(t, &t->enum_values[t->enums[i].first + k])) return fail(l, "enumeration %u is damaged", i);
  }
  for (uint32_t i = 0; i < t->nconsts; i++)
    if (t->consts[i].type == IRT_T_ENUM && t->consts[i].aux >= t->nenums) return fail(l, "constant %u is damaged", i);
  /* partner attributes */
  if (!counted(l, sec[IRT_SEC_ATTRS], sizeof(irt_field), &t->nattrs, &items, "attribute")) return false;
  t->attrs = items;
  /* the built-in attributes come first, with their types: the runtime relies on them */
  static const uint8_t builtin_attrs[IRT_ATTR_DECLARED] = {IRT_T_TEXT, IRT_T_TEXT, IRT_T_TEXT, IRT_T_TEXT, IRT_T_TIER};
  if (t->nattrs < IRT_ATTR_DECLARED || t->nattrs > 255) return fail(l, "the partner attributes are damaged");
  for (uint32_t i = 0; i < t->nattrs; i++)
    if (!str_ok(t, t->attrs[i].name, false) || t->attrs[i].type > IRT_T_TIER ||
        (t->attrs[i].type == IRT_T_ENUM && t->attrs[i].enum_id >= t->nenums) ||
        (i < IRT_ATTR_DECLARED && t->attrs[i].type != builtin_attrs[i]))
      return fail(l, "partner attribute %u is damaged", i);
  /* rules (before events, which point into them) */
  if (!counted(l, sec[IRT_SEC_RULES], sizeof(irt_rule), &t->nrules, &items, "rule")) return false;
  t->rules = items;
  if (!counted(l, sec[IRT_SEC_MESSAGES], sizeof(irt_message), &t->nmessages, &items, "message")) return false;
  t->messages = items;
  /* events */
  if (!counted(l, sec[IRT_SEC_EVENTS], sizeof(irt_event), &t->nevents, &items, "event")) return false;
  t->events = items;
  uint64_t nfields = 0, nrefs = 0;
  for (uint32_t i = 0; i < t->nevents; i++) {
    nfields += t->events[i].nfields;
    nrefs += t->events[i].nrules;
  }
  if (8 + (uint64_t)t->nevents * sizeof(irt_event) + nfields * sizeof(irt_field) + nrefs * 4 >
      sec[IRT_SEC_EVENTS].size)
    return fail(l, "the event section is truncated");
  t->event_fields = (const irt_field *)(t->events + t->nevents);
  t->event_rules = (const uint32_t *)(t->event_fields + nfields);
  for (uint32_t i = 0; i < t->nevents; i++) {
    const irt_event *e = &t->events[i];
    if (!str_ok(t, e->name, false) || (uint64_t)e->fields + e->nfields > nfields ||
        (uint64_t)e->rules + e->nrules > nrefs || e->nfields < IRT_FIELD_DECLARED || e->nfields > 256)
      return fail(l, "event type %u is damaged", i);
    static const uint8_t builtin_fields[IRT_FIELD_DECLARED] = {IRT_T_TEXT, IRT_T_TIME, IRT_T_PARTNER};
    for (uint32_t k = 0; k < e->nfields; k++) {
      const irt_field *f = &t->event_fields[e->fields + k];
      if (!str_ok(t, f->name, false) || f->type > IRT_T_EVENT || (f->type == IRT_T_ENUM && f->enum_id >= t->nenums) ||
          (f->type == IRT_T_EVENT && f->enum_id >= t->nevents) ||
          (k < IRT_FIELD_DECLARED && f->type != builtin_fields[k]))
        return fail(l, "event type %u is damaged", i);
    }
    for (uint32_t k = 0; k < e->nrules; k++) {
      uint32_t r = t->event_rules[e->rules + k];
      if (r >= t->nrules || t->rules[r].event != i) return fail(l, "event type %u is damaged", i);
    }
  }
  /* field ranges, when the table has them: each of a declared number or money
   * field, with bounds of the field's own type, the least first */
  if (sec[IRT_SEC_RANGES].p) {
    if (!counted(l, sec[IRT_SEC_RANGES], sizeof(irt_range), &t->nranges, &items, "range")) return false;
    t->ranges = items;
    for (uint32_t i = 0; i < t->nranges; i++) {
      const irt_range *r = &t->ranges[i];
      if (r->event >= t->nevents || r->field < IRT_FIELD_DECLARED || r->field >= t->events[r->event].nfields ||
          r->min >= t->nconsts || r->max >= t->nconsts)
        return fail(l, "field range %u is damaged", i);
      uint8_t type = t->event_fields[t->events[r->event].fields + r->field].type;
      if ((type != IRT_T_INT && type != IRT_T_DECIMAL && type != IRT_T_MONEY) || t->consts[r->min].type != type ||
          t->consts[r->max].type != type || t->consts[r->min].scale > DEC_MAX_SCALE ||
          t->consts[r->max].scale > DEC_MAX_SCALE)
        return fail(l, "field range %u is damaged", i);
    }
  }
  /* tiers */
  s = sec[IRT_SEC_TIERS];
  if (s.size < sizeof(irt_tiers)) return fail(l, "the tiers section is truncated");
  t->tiers_head = (const irt_tiers *)s.p;
  t->tiers = (const irt_tier *)(s.p + sizeof(irt_tiers));
  if ((uint64_t)t->tiers_head->ntiers * sizeof(irt_tier) > s.size - sizeof(irt_tiers) ||
      t->tiers_head->period > IRT_P_PROGRAM ||
      (t->tiers_head->notify != IRT_NONE && t->tiers_head->notify >= t->nmessages) ||
      (t->tiers_head->present && t->tiers_head->ntiers == 0))
    return fail(l, "the tiers section is damaged");
  for (uint32_t i = 0; i < t->tiers_head->ntiers; i++) {
    const irt_tier *x = &t->tiers[i];
    if (!str_ok(t, x->name, false) || !str_ok(t, x->title, false) || !const_ok(t, x->threshold, false) ||
        !const_ok(t, x->multiplier, false))
      return fail(l, "tier %u is damaged", i);
  }
  if (!expiry_ok(t, &pr->expire, false)) return fail(l, "the program record is damaged");
  for (uint32_t i = 0; i < t->nmessages; i++) {
    const irt_message *m = &t->messages[i];
    if (!str_ok(t, m->name, false) || !str_ok(t, m->subject, true) || !str_ok(t, m->text, true) ||
        !str_ok(t, m->text_plural, true) || !str_ok(t, m->plural, true) || !str_ok(t, m->note, true))
      return fail(l, "message %u is damaged", i);
  }
  /* code, then the rules that point into it */
  s = sec[IRT_SEC_CODE];
  if (s.size < 8 || rd32(s.p) > s.size - 8) return fail(l, "the code section is truncated");
  t->code_len = rd32(s.p);
  t->code = s.p + 8;
  int16_t *depth_at = rt_malloc(((size_t)t->code_len + 1) * sizeof *depth_at);
  uint8_t *is_start = rt_calloc((size_t)t->code_len + 1, 1);
  if (!depth_at || !is_start) {
    free(depth_at);
    free(is_start);
    return fail(l, "out of memory");
  }
  for (uint32_t i = 0; i <= t->code_len; i++) depth_at[i] = -1;
  bool ok = true;
  for (uint32_t i = 0; i < t->nrules && ok; i++) {
    const irt_rule *r = &t->rules[i];
    ok = r->event < t->nevents && str_ok(t, r->name, false) && str_ok(t, r->title, false) &&
         str_ok(t, r->category, true) && str_ok(t, r->group_name, true) &&
         (r->group == IRT_NONE || r->group < t->nrules) && /* the engine keeps one slot per group */
         (r->to_field == IRT_NONE || r->to_field < t->events[r->event].nfields ||
          (r->to_field & ~IRT_TO_ATTR) < t->nattrs) &&
         const_ok(t, r->cap, true) && const_ok(t, r->limit, true) && const_ok(t, r->budget, true) &&
         r->cap_period <= IRT_P_PROGRAM && r->limit_period <= IRT_P_PROGRAM &&
         (r->notify == IRT_NONE || r->notify < t->nmessages) && r->action <= IRT_ACT_REVERSE &&
         (r->award_code != IRT_NONE || r->action == IRT_ACT_REVERSE) &&
         r->pending_days >= -1 && r->pending_days <= MAX_DAYS && expiry_ok(t, &r->expire, true);
    if (ok && r->when_code != IRT_NONE)
      ok = r->when_code < t->code_len && verify_block(l, r->when_code, r->event, depth_at, is_start);
    if (ok && r->award_code != IRT_NONE)
      ok = r->award_code < t->code_len && verify_block(l, r->award_code, r->event, depth_at, is_start);
    /* a reversal names the earlier event by a field of an event type, and sends points to no one else */
    if (ok && r->action == IRT_ACT_REVERSE)
      ok = r->reverse_field < t->events[r->event].nfields && r->to_field == IRT_NONE &&
           t->event_fields[t->events[r->event].fields + r->reverse_field].type == IRT_T_EVENT;
    else if (ok)
      ok = r->reverse_field == IRT_NONE;
    /* the rule's record makes sense: a `to` field names partners, a during range runs forwards,
     * and the rule is listed exactly once among its event type's rules */
    if (ok && r->to_field != IRT_NONE && (r->to_field & IRT_TO_ATTR))
      ok = (r->to_field & ~IRT_TO_ATTR) < t->nattrs && t->attrs[r->to_field & ~IRT_TO_ATTR].type == IRT_T_PARTNER;
    else if (ok && r->to_field != IRT_NONE)
      ok = r->to_field < t->events[r->event].nfields &&
           t->event_fields[t->events[r->event].fields + r->to_field].type == IRT_T_PARTNER;
    if (ok && r->has_during) ok = r->during_from <= r->during_to;
    if (ok) {
      const irt_event *e = &t->events[r->event];
      uint32_t listed = 0;
      for (uint32_t k = 0; k < e->nrules; k++) listed += t->event_rules[e->rules + k] == i;
      ok = listed == 1;
    }
    if (!ok) fail(l, "rule %u is damaged", i);
  }
  free(depth_at);
  free(is_start);
  return ok;
}

incent_status incent_table_load(const void *data, size_t len, incent_table **out, char *why, size_t whylen) {
  *out = NULL;
  loader l = {NULL, why, whylen};
  const unsigned char *d = data;
  if (len < IRT_HEADER_SIZE || memcmp(d, IRT_MAGIC, 8) != 0) {
    fail(&l, "not an incent rule table");
    return INCENT_EFORMAT;
  }
  uint32_t version = rd32(d + 8);
  if (version != IRT_VERSION) {
    fail(&l, "rule table format %u; this incent reads format %u", version, IRT_VERSION);
    return INCENT_EVERSION;
  }
  if (rd32(d + 12) != IRT_HEADER_SIZE || rd32(d + 52) != len || len > UINT32_MAX) {
    fail(&l, "the rule table is truncated or has trailing bytes");
    return INCENT_EFORMAT;
  }
  unsigned char digest[SHA256_DIGEST_SIZE];
  struct sha256_ctx sha;
  sha256_init(&sha);
  sha256_update(&sha, len - IRT_HEADER_SIZE, d + IRT_HEADER_SIZE);
  sha256_digest(&sha, sizeof digest, digest);
  if (memcmp(digest, d + 16, sizeof digest) != 0) {
    fail(&l, "the rule table's content does not match its hash: the file is damaged");
    return INCENT_EHASH;
  }
  incent_table *t = rt_calloc(1, sizeof *t);
  /* a copy aligned for the records: malloc aligns to at least 8 */
  unsigned char *copy = rt_malloc(len);
  if (!t || !copy) {
    free(t);
    free(copy);
    fail(&l, "out of memory");
    return INCENT_ENOMEM;
  }
  memcpy(copy, data, len);
  t->data = copy;
  t->len = len;
  t->hash = copy + 16;
  l.t = t;
  long failures = rt_alloc_failures();
  if (!load_sections(&l) || rt_alloc_failures() != failures) {
    incent_table_free(t);
    if (rt_alloc_failures() == failures) return INCENT_EFORMAT;
    fail(&l, "out of memory");
    return INCENT_ENOMEM;
  }
  *out = t;
  return INCENT_OK;
}

void incent_table_free(incent_table *t) {
  if (!t) return;
  free(t->data);
  free(t);
}

void incent_table_hash(const incent_table *t, char out[65]) {
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", t->hash[i]);
}

const char *incent_table_program(const incent_table *t) { return rt_string(t, t->program->name); }
int incent_table_nlanguages(const incent_table *t) { return (int)t->program->nlanguages; }
const char *incent_table_language(const incent_table *t, int i) {
  return i >= 0 && (uint32_t)i < t->program->nlanguages ? rt_string(t, t->languages[i]) : NULL;
}

int incent_table_nevents(const incent_table *t) { return (int)t->nevents; }

int incent_table_event_type(const incent_table *t, const char *name) {
  for (uint32_t i = 0; i < t->nevents; i++)
    if (strcmp(rt_string(t, t->events[i].name), name) == 0) return (int)i;
  return -1;
}

int incent_table_event_nfields(const incent_table *t, int type) {
  if (type < 0 || (uint32_t)type >= t->nevents) return 0;
  return (int)(t->events[type].nfields - IRT_FIELD_DECLARED);
}

const char *incent_table_event_field_name(const incent_table *t, int type, int field) {
  if (field < 0 || field >= incent_table_event_nfields(t, type)) return NULL;
  return rt_string(t, t->event_fields[t->events[type].fields + IRT_FIELD_DECLARED + (uint32_t)field].name);
}

int incent_table_event_field(const incent_table *t, int type, const char *name) {
  int n = incent_table_event_nfields(t, type);
  for (int i = 0; i < n; i++)
    if (strcmp(incent_table_event_field_name(t, type, i), name) == 0) return i;
  return -1;
}

int incent_table_nattrs(const incent_table *t) { return (int)t->nattrs; }

const char *incent_table_attr_name(const incent_table *t, int attr) {
  if (attr < 0 || (uint32_t)attr >= t->nattrs) return NULL;
  return rt_string(t, t->attrs[attr].name);
}

int incent_table_rule(const incent_table *t, const char *name) {
  for (uint32_t i = 0; i < t->nrules; i++)
    if (strcmp(rt_string(t, t->rules[i].name), name) == 0) return (int)i;
  return -1;
}

int incent_table_nrules(const incent_table *t) { return (int)t->nrules; }

static const irt_rule *rule_at(const incent_table *t, int rule) {
  return rule >= 0 && (uint32_t)rule < t->nrules ? &t->rules[rule] : NULL;
}

const char *incent_table_rule_name(const incent_table *t, int rule) {
  const irt_rule *r = rule_at(t, rule);
  return r ? rt_string(t, r->name) : NULL;
}

const char *incent_table_rule_category(const incent_table *t, int rule) {
  const irt_rule *r = rule_at(t, rule);
  return r && r->category != IRT_NONE ? rt_string(t, r->category) : NULL;
}

const char *incent_table_rule_action(const incent_table *t, int rule) {
  const irt_rule *r = rule_at(t, rule);
  return !r ? NULL : r->action == IRT_ACT_DEDUCT ? "deduct" : r->action == IRT_ACT_REVERSE ? "reverse" : "award";
}

/* A budget is a whole number of points (the compiler refuses any other). */
static long long points_const(const incent_table *t, uint32_t c) {
  return c == IRT_NONE || c >= t->nconsts ? -1 : (long long)t->consts[c].lo;
}

long long incent_table_rule_budget(const incent_table *t, int rule) {
  const irt_rule *r = rule_at(t, rule);
  return r ? points_const(t, r->budget) : -1;
}

long long incent_table_budget(const incent_table *t) { return points_const(t, t->program->budget); }
