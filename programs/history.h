/* history.h: applied events kept in memory for the reversals that name them
 * (the history an engine asks through incent_engine_set_history, where no
 * ledger keeps one): `incent test` and the engine's fuzz target. */
#ifndef INCENT_PROGRAMS_HISTORY_H
#define INCENT_PROGRAMS_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "incent.h"
#include "runtime/base/strmap.h"

/* An applied event, as a reversal asks for it: its values and its credits. */
typedef struct past {
  char *type, *partner, *time;
  char **values;
  int nvalues;
  incent_grant *grants; /* recipient, rule and day owned */
  int ngrants;
} past;

typedef struct mem_history {
  strmap applied;    /* event id -> index in events (the ids are the events' own copies) */
  char **ids;
  past *events;
  uint32_t nevents;
  size_t capevents, capids;
  past current;      /* the credits of the event being applied */
  long long credits; /* credit entries so far: their ids */
  bool oom;
} mem_history;

void mem_history_init(mem_history *h);
void mem_history_free(mem_history *h);
/* Hands the history to engine e (incent_engine_set_history). */
void mem_history_attach(mem_history *h, incent_engine *e);
/* Each entry the engine reports while it applies an event: a credit joins
 * the event's credits, a reversal is counted against the credit it names. */
void mem_history_entry(mem_history *h, const incent_entry *en);
/* After incent_engine_apply: keeps the event when it was applied, forgets
 * its credits otherwise. */
void mem_history_done(mem_history *h, const incent_event *ev, bool applied);

#endif
