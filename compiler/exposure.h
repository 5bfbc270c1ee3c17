/* exposure.h: the most one partner can receive from each rule of a checked
 * program, per period, found from the program alone (`incent exposure`, and
 * warning W001, which says the same thing of a rule that has no bound).
 *
 * A rule's bound per period is the smaller of its cap over the period and
 * what one event can pay (its award's upper bound, times the highest tier
 * multiplier unless flat, rounded up) times the firings its limit allows in
 * the period; a bound it lacks is said in words (exposure_reason). */
#ifndef INCENT_EXPOSURE_H
#define INCENT_EXPOSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/program.h"

/* The periods of exposure: day, week, month, quarter, year and the whole
 * program (ast_period's PER_DAY .. PER_PROGRAM). */
#define EXPOSURE_PERIODS 6

/* A figure in points, or no bound. */
typedef struct exp_figure {
  bool bounded;
  dec v;
} exp_figure;

typedef struct exp_rule {
  exp_figure per_event;                 /* the most one event can pay the recipient */
  exp_figure most[EXPOSURE_PERIODS];    /* the most one partner can receive in one such period */
  const char *unbounded_field;          /* the field the award grows with, when that is why */
  dec raw_most;                         /* per_event before the multiplier, when bounded */
  dec multiplier;                       /* the multiplier per_event counts (1 when flat) */
} exp_rule;

/* Fills out[i] for every rule i of p (awards only; deductions and reversals
 * give nothing: their figures are 0).  p must have checked without errors. */
void exposure_rules(const c_program *p, exp_rule *out);
/* The same for rule i alone (once its items are checked). */
void exposure_rule(const c_program *p, uint32_t i, exp_rule *x);
/* Why rule i of p has no bound for the period (PER_DAY .. PER_PROGRAM), in
 * the tool's language, into buf; "" when it has one. */
const char *exposure_reason(const c_program *p, uint32_t i, const exp_rule *x, int period, char *buf, size_t size);
/* Whether a bound is missing that W001 warns of: no bound per day for one
 * partner, and no budget of the rule or the program to bound its cost. */
bool exposure_unbounded(const c_program *p, uint32_t i, const exp_rule *x);

#endif
