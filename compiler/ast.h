/* ast.h: the raw syntax tree that the parser builds and the checks read.
 *
 * Ownership: a node owns its children a, b, c, d and its `next` sibling; a
 * list node's `tail` points into its own chain and is not owned.  Every
 * constructor takes ownership of the nodes passed to it, even when it fails
 * (it then frees them and returns NULL).  ast_free releases a whole tree
 * without recursion, so that deep or long input cannot overflow the stack. */
#ifndef INCENT_AST_H
#define INCENT_AST_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/base/decimal.h"

typedef struct src_loc {
  int first_line, first_column;
  int last_line, last_column;
} src_loc;

/* Node kinds: X(NAME, "printable name"). */
#define AST_KIND_LIST(X)                                             \
  X(LIST, "list")                                                    \
  X(IDENT, "name")                                                   \
  X(NUMBER, "number")                                                \
  X(MONEY, "money")                                                  \
  X(STRING, "string")                                                \
  X(DATE, "date")                                                    \
  X(TIMESTAMP, "timestamp")                                          \
  X(BOOL, "bool")                                                    \
  X(NAME, "name reference")                                          \
  X(MEMBER, "member reference")                                      \
  X(REF, "field of an earlier event")                                \
  X(BINOP, "binary operation")                                       \
  X(UNOP, "unary operation")                                         \
  X(CALL, "function call")                                           \
  X(IN, "membership test")                                           \
  X(PROGRAM, "program")                                              \
  X(P_CURRENCY, "currency")                                          \
  X(P_TIMEZONE, "timezone")                                          \
  X(P_RUNS, "runs")                                                  \
  X(P_BUDGET, "budget")                                              \
  X(P_LANGUAGES, "languages")                                        \
  X(P_ROUNDING, "rounding")                                          \
  X(PENDING, "pending")                                              \
  X(EXPIRE, "expire")                                                \
  X(EXPIRE_END, "at end of")                                         \
  X(PARTNER_DECL, "partner declaration")                             \
  X(EVENT_DECL, "event declaration")                                 \
  X(FIELD, "field")                                                  \
  X(TYPE, "type")                                                    \
  X(ENUM_VALUE, "enumeration value")                                 \
  X(TIERS, "tiers")                                                  \
  X(TIER, "tier")                                                    \
  X(NOTIFY, "notify")                                                \
  X(RULE, "rule")                                                    \
  X(GROUP, "first of group")                                         \
  X(R_CATEGORY, "category")                                          \
  X(R_ON, "on")                                                      \
  X(R_WHEN, "when")                                                  \
  X(R_AWARD, "award")                                                \
  X(R_DEDUCT, "deduct")                                              \
  X(R_REVERSE, "reverse")                                            \
  X(R_FLAT, "flat")                                                  \
  X(R_CAP, "cap")                                                    \
  X(R_LIMIT, "limit")                                                \
  X(R_BUDGET, "budget")                                              \
  X(R_DURING, "during")                                              \
  X(MESSAGE, "message")                                              \
  X(M_SUBJECT, "subject")                                            \
  X(M_TEXT, "text")                                                  \
  X(M_PLURAL, "plural")                                              \
  X(M_NOTE, "note")                                                  \
  X(TEST, "test")                                                    \
  X(T_PARTNER, "test partner")                                       \
  X(T_EVENT, "test event")                                           \
  X(ATTR, "attribute")                                               \
  X(T_EARNS, "expect earns")                                         \
  X(T_AWARDS, "expect rule awards")                                  \
  X(T_TIER, "expect tier")                                           \
  X(T_ACCOUNT, "expect account figure")                              \
  X(T_REJECTED, "expect rejected")

typedef enum ast_kind {
#define X(name, text) AST_##name,
  AST_KIND_LIST(X)
#undef X
  AST_KIND_COUNT
} ast_kind;

/* Operators of BINOP, UNOP and CALL nodes. */
typedef enum ast_op {
  OPR_NONE,
  OPR_OR, OPR_AND, OPR_NOT,
  OPR_EQ, OPR_NE, OPR_LT, OPR_LE, OPR_GT, OPR_GE,
  OPR_ADD, OPR_SUB, OPR_MUL, OPR_DIV, OPR_NEG,
  OPR_MIN, OPR_MAX, OPR_FLOOR,
  OPR_EVENT, OPR_PARTNER /* MEMBER: whose member */
} ast_op;

/* Types named in declarations (TYPE nodes' op). */
typedef enum ast_type {
  TY_TEXT, TY_INT, TY_DECIMAL, TY_MONEY, TY_BOOL, TY_DATE, TY_PARTNER, TY_ENUM,
  TY_EVENT /* a: the event type's name */
} ast_type;

/* FIELD: a, the name; b, the TYPE; c and d, the bounds of its range (a
 * NUMBER or MONEY, or a negated one) or NULL. */

/* TYPE of op TY_ENUM: a, the LIST of its ENUM_VALUE nodes (a: the value's
 * IDENT; b: its display title, a STRING, or NULL). */

/* Periods (op of TIERS, R_CAP, R_LIMIT, EXPIRE_END). */
typedef enum ast_period {
  PER_DAY, PER_WEEK, PER_MONTH, PER_QUARTER, PER_YEAR, PER_PROGRAM
} ast_period;

/* Units of EXPIRE (its op; a: NUMBER, b: EXPIRE_END or NULL, c: notify
 * IDENT or NULL).  PENDING's a is its NUMBER of days. */
typedef enum ast_expire { EXP_NEVER, EXP_DAYS, EXP_MONTHS, EXP_YEARS } ast_expire;

/* Figures of T_ACCOUNT (its op; a: partner, b: value, d: TIME or NULL).
 * T_EARNS (a: partner, b: value), T_AWARDS (a: rule, b: partner, c: value)
 * and T_TIER (a: partner, b: tier) also keep their `at TIME` in d.  A value
 * is a NUMBER, or a UNOP OPR_NEG of one. */
typedef enum ast_account { ACC_BALANCE, ACC_AVAILABLE, ACC_PENDING, ACC_EXPIRED } ast_account;

/* REF `FIELD.NAME`: a, the IDENT of a field of type event; b, the IDENT of
 * the earlier event's field.  R_DEDUCT is shaped as R_AWARD (a: points,
 * d: `to` IDENT or NULL); R_REVERSE: a, the field IDENT; b, the share or
 * NULL; d, a `to` IDENT (always an error) or NULL. */

typedef struct ast ast;
struct ast {
  ast_kind kind;
  int op;          /* ast_op, ast_type, ast_period or a flag, by kind */
  uint32_t depth;  /* expression nesting depth, computed as nodes are built */
  src_loc loc;
  char *s;         /* leaves: name, decoded string or number text */
  size_t slen;
  ast *a, *b, *c, *d;
  ast *next;
  ast *tail;       /* LIST only: last element (not owned) */
  /* Set on expressions by the checks (compiler/types.c). */
  uint8_t ty;        /* irt_type of the value */
  uint8_t is_const;  /* value (numbers, bools, enums, dates) or s (texts) is known */
  uint16_t ty_enum;  /* enumeration of an IRT_T_ENUM value */
  int32_t ref;       /* resolved field or attribute index */
  dec value;
};

const char *ast_kind_name(ast_kind k);

/* Leaves copy `len` bytes of `text`. */
ast *ast_leaf(ast_kind k, const char *text, size_t len, const src_loc *loc);
ast *ast_node(ast_kind k, int op, ast *a, ast *b, ast *c, ast *d, const src_loc *loc);
/* The expression constructors also compute depth. */
ast *ast_binop(int op, ast *l, ast *r, const src_loc *loc);
ast *ast_unop(int op, ast *x, const src_loc *loc);
/* A list with zero or one element; ast_append adds an element to a list. */
ast *ast_list(ast *first, const src_loc *loc);
ast *ast_append(ast *list, ast *item);

void ast_free(ast *n);

/* Iterate a LIST node's elements. */
#define AST_EACH(it, list) for (ast *it = (list) ? (list)->a : NULL; it; it = it->next)

#endif
