/* program.h: the checked program: what the checks learn from the raw tree and
 * the emitter turns into a rule table.
 *
 * Ownership: a c_program owns its arrays; every name, text and ast pointer in
 * it is borrowed from the syntax tree, which must outlive it. */
#ifndef INCENT_PROGRAM_H
#define INCENT_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ast.h"
#include "compiler/diag.h"
#include "runtime/base/strmap.h"
#include "runtime/base/decimal.h"
#include "runtime/engine/table_format.h"

/* Expressions nested deeper than this are refused before any walk. */
#define MAX_EXPR_DEPTH 200

typedef struct c_type {
  uint8_t t;      /* irt_type */
  uint16_t en;    /* enumeration, for IRT_T_ENUM */
} c_type;

typedef struct c_field {
  const char *name;
  const ast *node;  /* declaration, NULL for built-ins */
  c_type type;
  bool has_range;   /* `from MIN to MAX`: values outside reject the event */
  dec min, max;
} c_field;

typedef struct c_enum {
  const ast *values; /* LIST of ENUM_VALUE (a: IDENT, b: title STRING or NULL) */
  uint32_t n;
  strmap index;
} c_enum;

typedef struct c_event {
  const char *name;
  const ast *node;
  c_field *fields;   /* built-ins first */
  uint32_t nfields;
  strmap index;
  uint32_t *rules;   /* rule indexes in source order */
  uint32_t nrules, caprules;
} c_event;

/* `expire ...`: unit IRT_X_*, end 0 or IRT_P_MONTH/QUARTER/YEAR. */
typedef struct c_expiry {
  const ast *node;         /* the EXPIRE item, NULL when absent */
  uint8_t unit, end;
  int32_t n;
  int32_t notify;          /* message index or -1 */
} c_expiry;

typedef struct c_tier {
  const ast *node;
  const char *name, *title;
  dec threshold, multiplier;
} c_tier;

typedef struct c_rule {
  const ast *node;
  const char *name, *title, *category;
  int32_t event;           /* -1 when unknown */
  int32_t group;           /* -1 outside `first of` */
  ast *when;               /* expression or NULL */
  uint8_t action;          /* irt_action */
  const ast *action_node;  /* the R_AWARD, R_DEDUCT or R_REVERSE item, NULL when none */
  ast *award;              /* award and deduct: the R_AWARD or R_DEDUCT item */
  ast *share;              /* reverse: the `by` expression or NULL */
  int32_t reverse_field;   /* reverse: the event field, -1 when unknown */
  int32_t to_field;        /* -1: the actor */
  int32_t to_attr;         /* `to partner.ATTR`: the actor's attribute, or -1 */
  int32_t pending_days;    /* -1: as the program says */
  c_expiry expire;         /* unit IRT_X_INHERIT: as the program says */
  bool flat;
  bool award_ok;           /* the award typed without errors */
  bool has_cap, has_limit, has_budget, has_during;
  dec cap, limit, budget;
  uint8_t cap_period, limit_period;
  int32_t during_from, during_to;
  int32_t notify;          /* message index or -1 */
  const ast *notify_node;
} c_rule;

typedef struct c_message {
  const ast *node;
  const char *name;
  const ast *subject, *text, *text_plural, *plural, *note; /* STRING / IDENT nodes */
  bool used;
} c_message;

typedef struct c_group {
  const ast *node;
  const char *name;
} c_group;

typedef struct c_program {
  const char *file;
  diag_sink *diag;
  ast *root;
  /* program */
  const ast *program;
  const char *name, *title, *currency, *timezone;
  int32_t runs_from, runs_to;
  bool has_runs, has_budget;
  dec budget;
  const char **languages;
  uint32_t nlanguages;
  uint8_t rounding;
  const ast *pending_node; /* `pending N days` item or NULL */
  int32_t pending_days;
  c_expiry expire;         /* unit IRT_X_NEVER when absent */
  /* declarations */
  c_field *attrs;
  uint32_t nattrs;
  strmap attr_index;
  c_enum *enums;
  uint32_t nenums;
  c_event *events;
  uint32_t nevents;
  strmap event_index;
  bool has_tiers;
  const ast *tiers_node;
  uint8_t tier_period;
  c_tier *tiers;
  uint32_t ntiers;
  strmap tier_index;
  int32_t tier_notify;
  c_rule *rules;
  uint32_t nrules;
  strmap rule_index;
  c_group *groups;
  uint32_t ngroups;
  c_message *messages;
  uint32_t nmessages;
  strmap message_index;
  uint32_t tier_enum; /* pseudo enumeration id used for tier values */
} c_program;

/* The checks, in the order the compiler runs them (check.c). */
void check_declarations(c_program *p);   /* check_decls.c: program, partner, events, tiers */
void check_messages_collect(c_program *p); /* check_messages.c */
void check_rules(c_program *p);          /* check_rules.c */
void check_messages(c_program *p);       /* check_messages.c: placeholders, plurals, use */
void check_tests(c_program *p);          /* check_tests.c */

/* types.c: types and folds an expression; `event` is the event type whose
 * fields bare names refer to (-1 for none).  Returns false after reporting. */
bool types_check_expr(c_program *p, ast *e, int32_t event);
/* Converts a NUMBER or MONEY leaf (or a negated one) to a decimal, reporting
 * range errors; money must be in the program's currency. */
bool types_literal_number(c_program *p, const ast *n, dec *out, bool *is_money);
const char *types_name(const c_program *p, c_type t);
bool types_parse_date(c_program *p, const ast *n, int32_t *days);

/* check_rules.c: the points account's `pending N days` and `expire ...`
 * items, of the program or of a rule. */
bool check_pending(c_program *p, const ast *item, int32_t *days);
void check_expire(c_program *p, const ast *item, c_expiry *out);

void program_free(c_program *p);

/* Grows *arr (an array of *n elements of `size` bytes) by one zeroed element
 * and returns it, or NULL when out of memory. */
void *program_push(void *arr, uint32_t *n, size_t size);

/* Adds a declared name to a map; reports a duplicate ("WHAT 'NAME' is
 * declared twice") and returns false. */
bool program_declare(c_program *p, strmap *m, const ast *name, uint32_t index, const char *what);

/* Looks up a name in a map, as an index, or -1. */
int32_t program_lookup(const strmap *m, const char *name);

#endif
