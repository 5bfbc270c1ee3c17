/* vm.c: the stack machine that evaluates conditions and awards. */
#include "config.h"

#include <string.h>

#include "runtime/engine/engine.h"
#include "runtime/engine/opcodes.h"

rt_val rt_const_value(const incent_table *t, uint32_t i) {
  const irt_const *c = &t->consts[i];
  rt_val v = {{0, 0}, NULL, 0, false};
  if (c->type == IRT_T_TEXT || c->type == IRT_T_PARTNER) {
    v.s = rt_string(t, c->aux);
    v.slen = t->string_index[2 * c->aux + 1];
  } else {
    unsigned __int128 u = ((unsigned __int128)(uint64_t)c->hi << 64) | c->lo;
    v.d = (dec){(dec_coef)u, c->scale};
  }
  return v;
}

/* A value without text (only in a hostile table that passed the loader's
 * checks of structure) compares as the empty text. */
static bool text_eq(const rt_val *a, const rt_val *b) {
  return a->slen == b->slen && (a->slen == 0 || memcmp(a->s, b->s, a->slen) == 0);
}

static rt_vm_status arith(dec_status st) {
  return st == DEC_OK ? RT_VM_OK : st == DEC_DIVZERO ? RT_VM_DIVZERO : RT_VM_OVERFLOW;
}

rt_vm_status rt_vm_run(const rt_vm_ctx *c, uint32_t at, rt_val *result) {
  rt_val stack[IRT_MAX_STACK + 1];
  int sp = 0; /* number of values */
  const unsigned char *code = c->t->code;
  uint32_t pc = at;
  for (;;) {
    uint8_t op = code[pc++];
    rt_val *a = sp >= 2 ? &stack[sp - 2] : NULL, *b = sp >= 1 ? &stack[sp - 1] : NULL;
    rt_vm_status st = RT_VM_OK;
    int cmp;
    switch (op) {
    case RT_OP_CONST:
      stack[sp++] = c->consts[code[pc] | code[pc + 1] << 8];
      pc += 2;
      break;
    case RT_OP_FIELD:
      stack[sp++] = c->fields[code[pc++]];
      break;
    case RT_OP_ATTR:
      stack[sp] = c->attrs[code[pc++]];
      if (stack[sp].absent) return RT_VM_ABSENT;
      sp++;
      break;
    case RT_OP_REF: { /* an earlier event's field; absent when it could not be read */
      const rt_val *ref = c->refs ? c->refs[code[pc]] : NULL;
      if (!ref || ref[code[pc + 1]].absent) return RT_VM_ABSENT;
      stack[sp++] = ref[code[pc + 1]];
      pc += 2;
      break;
    }
    case RT_OP_ADD: st = arith(dec_add(a->d, b->d, &a->d)); sp--; break;
    case RT_OP_SUB: st = arith(dec_sub(a->d, b->d, &a->d)); sp--; break;
    case RT_OP_MUL: st = arith(dec_mul(a->d, b->d, &a->d)); sp--; break;
    case RT_OP_DIV: st = arith(dec_div(a->d, b->d, &a->d)); sp--; break;
    case RT_OP_DIVFLOOR: st = arith(dec_divfloor(a->d, b->d, &a->d)); sp--; break;
    case RT_OP_NEG: st = arith(dec_neg(b->d, &b->d)); break;
    case RT_OP_MIN: if (dec_cmp(b->d, a->d) < 0) a->d = b->d; sp--; break;
    case RT_OP_MAX: if (dec_cmp(b->d, a->d) > 0) a->d = b->d; sp--; break;
    case RT_OP_FLOOR: b->d = dec_floor(b->d); break;
    case RT_OP_EQ: case RT_OP_NE: case RT_OP_LT: case RT_OP_LE: case RT_OP_GT: case RT_OP_GE:
      cmp = dec_cmp(a->d, b->d);
      {
        bool r = op == RT_OP_EQ ? cmp == 0 : op == RT_OP_NE ? cmp != 0 : op == RT_OP_LT ? cmp < 0
               : op == RT_OP_LE ? cmp <= 0 : op == RT_OP_GT ? cmp > 0 : cmp >= 0;
        *a = (rt_val){dec_from_int(r), NULL, 0, false};
      }
      sp--;
      break;
    case RT_OP_TEQ: case RT_OP_TNE: {
      bool eq = text_eq(a, b);
      *a = (rt_val){dec_from_int(op == RT_OP_TEQ ? eq : !eq), NULL, 0, false};
      sp--;
      break;
    }
    case RT_OP_NOT: b->d = dec_from_int(dec_is_zero(b->d)); break;
    case RT_OP_JFALSE: case RT_OP_JTRUE: {
      uint16_t off = (uint16_t)(code[pc] | code[pc + 1] << 8);
      pc += 2;
      bool truth = !dec_is_zero(b->d);
      if (truth == (op == RT_OP_JTRUE)) pc += off;
      else sp--;
      break;
    }
    case RT_OP_IN: {
      uint16_t first = (uint16_t)(code[pc] | code[pc + 1] << 8), n = (uint16_t)(code[pc + 2] | code[pc + 3] << 8);
      pc += 4;
      bool found = false;
      for (uint16_t k = 0; k < n && !found; k++) {
        const rt_val *x = &c->consts[first + k];
        found = b->s ? (x->s && text_eq(b, x)) : (!x->s && dec_cmp(b->d, x->d) == 0);
      }
      *b = (rt_val){dec_from_int(found), NULL, 0, false};
      break;
    }
    case RT_OP_DATETIME: {
      int64_t days;
      if (!dec_to_i64(b->d, &days)) return RT_VM_OVERFLOW;
      b->d = dec_from_int(rt_tz_from_local(c->tz, days * 86400));
      break;
    }
    case RT_OP_RET:
      *result = stack[sp - 1];
      return RT_VM_OK;
    case RT_OP_PROBE: /* only in a table built for coverage */
      if (c->probe) c->probe(c->probe_ud, (int)c->rule, code[pc] | code[pc + 1] << 8, !dec_is_zero(b->d));
      pc += 2;
      break;
    default:
      return RT_VM_OVERFLOW; /* unreachable: the loader verified every instruction */
    }
    if (st != RT_VM_OK) return st;
  }
}
