/* statement_account.h: what a statement says of each partner for one
 * period, read from the entries in one pass (internal to libincent). */
#ifndef INCENT_STATEMENT_ACCOUNT_H
#define INCENT_STATEMENT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/engine/account.h"
#include "runtime/incent.h"

typedef struct rt_period_account {
  long long opening, credited, spent, reversed, expired, closing; /* the last four positive */
  long long pending;           /* at the end of the period */
  int32_t next_lapse;          /* the day of the next lapse after the period, -1 when none */
  long long next_lapse_points;
  int32_t tier;                /* the tier held at the end of the period, -1 when the program has none */
  long long tier_points;       /* the points towards tiers in the tiers' period that holds the period's end */
} rt_period_account;

/* One rule's credits in the period: how many applied (not cut to nothing
 * by a limit) and their points. */
typedef struct rt_rule_line {
  uint32_t order;   /* the rule's index in the program; a rule that is gone (a program change) is nrules */
  const char *rule; /* its name (the table's, or the reader's copy for a rule that is gone) */
  long long times, points;
} rt_rule_line;

/* One entry of the period, for a detailed statement: its day, kind
 * ('c'redit, 'd'ebit, 'r'eversal, 'e'xpired), rule (its index, nrules when
 * gone or none), the ledger's own columns, and the amount of its event
 * when the event's type has one money field (copies held by the reader). */
typedef struct rt_period_entry {
  int32_t day;
  char kind;
  uint32_t rule;
  long long granted;
  const char *event, *status, *raw, *multiplier, *period, *rule_name; /* "" for none */
  uint32_t slot;      /* the event's among the reader's, UINT32_MAX for none */
  const char *amount; /* "" for none */
} rt_period_entry;

typedef struct rt_statement_reader rt_statement_reader;

/* Statements are read RT_STATEMENT_PARTNERS partners at a time: one pass
 * over the entries for each such group, and memory that stops growing
 * beyond it (about 1.5 KB a partner).  The environment variable
 * INCENT_STATEMENT_GROUP sets another size (tests use groups of 2). */
#define RT_STATEMENT_PARTNERS 16384
size_t rt_statement_group(void);

/* Reads the partners (partner, or else the next `group` by id after
 * `after`, or from the first when NULL) and every entry of theirs up
 * to the period [from, to] (dates) in one pass, in the order they were
 * written, into a summary per partner (its lots, sums, lines and tier
 * points; with detail, also its entries of the period, so memory grows with
 * them).  NULL with why when the ledger cannot be read or memory ran out. */
rt_statement_reader *rt_statement_reader_open(incent_ledger *l, const char *partner, const char *after, size_t group,
                                              const char *from, const char *to, bool detail, char *why,
                                              size_t whylen);
void rt_statement_reader_free(rt_statement_reader *r);

/* Partner id's figures and lines (in the program's order of rules, then the
 * rules that are gone by name; valid until the next call) and, when the
 * reader was opened with detail, its entries of the period in the order
 * they were written; false with why when memory ran out. */
bool rt_statement_read(rt_statement_reader *r, const char *id, rt_period_account *out, const rt_rule_line **lines,
                       size_t *nlines, const rt_period_entry **entries, size_t *nentries, char *why, size_t whylen);

#endif
