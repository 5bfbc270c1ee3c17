/* statement_account.h: a statement's account figures for one partner and
 * one period (internal to libincent). */
#ifndef INCENT_STATEMENT_ACCOUNT_H
#define INCENT_STATEMENT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/incent.h"

typedef struct rt_period_account {
  long long opening, credited, spent, reversed, expired, closing; /* the last four positive */
  long long pending;           /* at the end of the period */
  int32_t next_lapse;          /* the day of the next lapse after the period, -1 when none */
  long long next_lapse_points;
} rt_period_account;

/* The figures of partner in [from, to] (dates); false with why when the
 * ledger cannot be read. */
bool rt_statement_account(incent_ledger *l, const char *partner, const char *from, const char *to,
                          rt_period_account *out, char *why, size_t whylen);

#endif
