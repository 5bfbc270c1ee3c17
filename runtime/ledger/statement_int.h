/* statement_int.h: what the parts of a statement share: its labels, the
 * gathered figures of one partner, the writer and its helpers (internal to
 * libincent: statement.c, statement_html.c, statement_detail.c). */
#ifndef INCENT_STATEMENT_INT_H
#define INCENT_STATEMENT_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/base/text.h"
#include "runtime/engine/table.h"
#include "runtime/ledger/statement_account.h"
#include "runtime/messages/messages.h"

/* The labels of a statement (their texts: statement.c). */
enum {
  L_HEADING, L_FIELD, L_PARTNER, L_PERIOD, L_PERIOD_VALUE, L_ISSUED, L_RULE, L_TIMES, L_POINTS, L_LINE, L_NONE,
  L_TOTAL, L_BALANCE, L_TIER, L_NEXT, L_NEXT_VALUE, L_TOP, P_POINTS, P_TIMES, L_OPENING, L_SPENT, L_REVERSED,
  L_EXPIRED, L_PENDING, L_LAPSE, L_LAPSE_VALUE,
  /* the categories of rules, in the order a statement lists them, then rules without one */
  C_CONTRIBUTION, C_CAPACITY, C_COVERAGE, C_COMMITMENT, C_CONSUMPTION, C_COLLABORATION, C_OTHER,
  /* a detailed statement's entries */
  D_HEADING, D_DATE, D_ENTRY, D_EVENT_AMOUNT, D_ROUNDED, D_TIMES, D_TIMES_ROUNDED, D_CAPPED, D_LIMITED, D_BUDGET,
  D_SPENT, D_REVERSED, D_EXPIRED,
  L_COUNT
};
#define C_FIRST C_CONTRIBUTION

/* One category's rules among a statement's lines: lines[first, first + n). */
typedef struct category_group {
  int label;            /* C_CONTRIBUTION ... C_OTHER, or -1 for a category of the program's own */
  const char *name;     /* the category as the program names it; NULL for rules without one */
  size_t first, n;
  long long points;
} category_group;

/* One partner's statement, gathered. */
typedef struct gathered {
  const char *id, *name, *language;
  const rt_rule_line *lines; /* by category, then in the program's order */
  size_t nlines;
  const category_group *groups;
  size_t ngroups;
  const rt_period_entry *entries; /* with detail */
  size_t nentries;
  long long total, to_next;
  int32_t tier, next; /* -1: none */
  rt_period_account acct;
} gathered;

/* What rendering needs: the ledger's program, the texts and the output. */
typedef struct writer {
  const incent_table *t;
  bool spends, reverses, lapses, pends; /* the program has deductions, reversals, expiry, pending points */
  incent_messages *m;
  const char *period;
  char first[16], last[16];
  int32_t issued; /* the date of issue */
  int lang;
  bool rtl;
  textbuf scratch[6]; /* values rendered before they are placed */
  char **lang_why;        /* per language: why its statements go out in the source language */
  const char **labels;    /* per language and label: its text, once looked up (st_label) */
} writer;

/* Where a rendered label goes: a line of text, or a part of a line
 * (isolated as a whole where it is placed, so not value by value). */
typedef enum place { LINE_TEXT, PART } place;

const char *st_label(writer *w, int which, unsigned long n);
/* Renders label `which` filled with values onto out (the English source
 * when the translation cannot be filled). */
void st_put(writer *w, textbuf *out, int which, unsigned long n, const rt_named *v, int nv, place where);
const char *st_number(writer *w, long long v, char *out, size_t size);
/* "{count} points" (P_POINTS) or "{count} times" (P_TIMES) into b. */
const char *st_count(writer *w, textbuf *b, int which, long long v);
const char *st_date(writer *w, int32_t day, char *out, size_t size);
const char *st_rule_title(writer *w, uint32_t order, const char *name);
const char *st_tier_title(writer *w, int32_t tier);
const char *st_category_title(writer *w, const category_group *c);
/* Period key's name in the partner's language ("1. Quartal 2027", a day's
 * date, the program's title), into out; the key itself when malformed. */
const char *st_period_name(writer *w, const char *key, char *out, size_t size);
const char *st_period_value(writer *w);

/* A figure's row, as the format writes one: its label, its value, whether
 * that is a number (aligned as one) and whether it stands out. */
typedef void row_fn(writer *w, textbuf *out, int which, const char *value, bool number, bool strong);
/* The rows after the rules': credited, spent, reversed, expired, closing
 * balance, pending, next lapse, tier and next tier (those that apply). */
void st_figures(writer *w, const gathered *g, textbuf *out, row_fn *row);

void st_html(writer *w, const gathered *g, textbuf *out);
void st_html_head(writer *w, textbuf *out, int lang);

/* A detailed statement's entry, in the partner's language, onto out (its
 * day is e->day). */
void st_entry_text(writer *w, const rt_period_entry *e, textbuf *out);

#endif
