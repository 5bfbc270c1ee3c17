/* simulate.h: two programs applied side by side to the same partners and
 * events, in memory and writing nothing, and what each grants: per partner,
 * rule and category, in total, against the budgets, and which events change
 * outcome (`incent simulate`). */
#ifndef INCENT_SIMULATE_H
#define INCENT_SIMULATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "incent.h"
#include "programs/history.h"
#include "programs/input.h"
#include "programs/rows.h"
#include "runtime/base/strmap.h"

/* Strings kept once, by index. */
typedef struct sim_names {
  strmap map;
  char **s;
  size_t n, cap;
} sim_names;

/* What an event came to on one side, worst first when an event's entries differ. */
typedef enum sim_outcome {
  SO_APPLIED = 0, SO_LIMITED, SO_CAPPED, SO_BUDGET, SO_REJECTED, SO_UNREAD, SO_COUNT
} sim_outcome;
extern const char *const sim_outcome_names[SO_COUNT];

#define SIM_EXAMPLES 5

/* One program's side of the simulation. */
typedef struct sim_side {
  const char *name;           /* the program's file, as given */
  const incent_table *t;
  incent_engine *e;
  mem_history hist;           /* the applied events, kept only when the program reverses */
  bool reverses;
  rows_map *m;                /* the current CSV file's columns for this program; NULL when it cannot read them */
  char unread_why[512];       /* why it cannot (the first such file) */
  long partners, partners_unread, applied, rejected, unread;
  long long credited, spent, reversed, lapsed; /* totals of entries by kind (spent, reversed, lapsed >= 0) */
  long long *rule_credits;    /* per rule of t: its credits, for its budget */
  int *rule_index;            /* per rule name of the simulation: its index in t, -1 when t has none */
  size_t nrule_index, caprule_index;
  sim_outcome outcome;        /* of the event being applied */
  char *rejects[SIM_EXAMPLES]; /* the first events it rejected: "ID: reason" */
} sim_side;

/* Points of one partner under one rule, on each side. */
typedef struct sim_cell {
  uint32_t partner, rule;
  long long pts[2];
} sim_cell;

typedef struct sim {
  sim_side side[2];           /* 0 the old program, 1 the new one */
  sim_names partners, rules;  /* rules: by name across both programs; "" holds lapses */
  sim_cell *cells;
  size_t ncells, capcells;
  uint64_t *slots;            /* open addressing: (cell index + 1) by the hash of (partner, rule) */
  size_t capslots;
  strmap seen;                /* event ids applied or rejected by the rules, on either side: a repeat is a duplicate */
  char **seen_ids;
  uint64_t *seen_content;     /* the hash of each one's row: a repeat with another is refused */
  size_t nseen, capseen, capcontent;
  long duplicates, events;
  long changed[SO_COUNT][SO_COUNT];
  char *examples[SO_COUNT][SO_COUNT][SIM_EXAMPLES];
  bool failed, oom, overflow;
  char why[512];
  incent_ledger *ledger;      /* simulate NEW --ledger: the ledger, whose entries are the old side */
  char expire_until[16];      /* the last day of the lapses incent expire wrote there, not yet made on the new side */
} sim;

/* Sets up both sides (their engines made from the tables); false with the reason in s->why. */
bool sim_init(sim *s, const char *old_name, const incent_table *old_t, const char *new_name,
              const incent_table *new_t);
void sim_free(sim *s);
/* Reads a partners file or an events file (CSV or JSON Lines) into both
 * sides; false, with the reason in s->why, when the file cannot be read. */
bool sim_read(sim *s, FILE *f, const char *name, bool partners, input_format format);
/* simulate NEW --ledger: the ledger's partners and events applied to the
 * new program, its entries counted as the old side (whose program is the
 * ledger's); false, the reason in s->why, when it cannot be read. */
bool sim_ledger(sim *s, const char *path, incent_ledger *l, const char *new_name, const incent_table *new_t);

/* The index of a rule (an index of s->rules) in a side's program, -1 when it has none. */
int sim_rule_index(sim *s, int side, uint32_t rule);
/* The category of a rule (an index of s->rules) on a side, NULL when none or when the side has no such rule. */
const char *sim_category(sim *s, int side, uint32_t rule);
/* The rule's budget on a side, -1 when it has none. */
long long sim_rule_budget(sim *s, int side, uint32_t rule, long long *credits);

#endif
