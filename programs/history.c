/* history.c: applied events kept in memory for the reversals that name them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "programs/history.h"
#include "runtime/base/util.h"

void mem_history_init(mem_history *h) {
  *h = (mem_history){0};
  strmap_init(&h->applied);
}

static void past_free(past *e) {
  free(e->type), free(e->partner), free(e->time);
  for (int i = 0; i < e->nvalues; i++) free(e->values[i]);
  free(e->values);
  for (int i = 0; i < e->ngrants; i++)
    free((char *)e->grants[i].recipient), free((char *)e->grants[i].rule), free((char *)e->grants[i].day);
  free(e->grants);
  *e = (past){0};
}

void mem_history_free(mem_history *h) {
  for (uint32_t i = 0; i < h->nevents; i++) past_free(&h->events[i]), free(h->ids[i]);
  past_free(&h->current);
  free(h->events);
  free(h->ids);
  strmap_free(&h->applied);
  *h = (mem_history){0};
}

static int history(void *ud, const char *id, incent_past_event *out) {
  mem_history *h = ud;
  uint32_t at;
  if (!strmap_get(&h->applied, id, strlen(id), &at)) return 0;
  const past *e = &h->events[at];
  *out = (incent_past_event){e->type, e->partner, e->time, (const char *const *)e->values, e->nvalues, e->grants, e->ngrants};
  return 1;
}

void mem_history_attach(mem_history *h, incent_engine *e) { incent_engine_set_history(e, history, h); }

void mem_history_entry(mem_history *h, const incent_entry *en) {
  if (strcmp(en->kind, "credit") == 0 && en->granted > 0) {
    incent_grant *g = rt_realloc(h->current.grants, ((size_t)h->current.ngrants + 1) * sizeof *g);
    char *recipient = rt_strdup(en->recipient), *rule = rt_strdup(en->rule), *day = rt_strdup(en->day);
    if (!g || !recipient || !rule || !day) {
      if (g) h->current.grants = g;
      free(recipient), free(rule), free(day);
      h->oom = true;
      return;
    }
    h->current.grants = g;
    g[h->current.ngrants++] = (incent_grant){++h->credits, recipient, rule, day, en->granted, 0};
  } else if (strcmp(en->kind, "reversal") == 0 && en->reverses_event) {
    uint32_t at;
    if (!strmap_get(&h->applied, en->reverses_event, strlen(en->reverses_event), &at)) return;
    past *e = &h->events[at];
    for (int i = 0; i < e->ngrants; i++)
      if (e->grants[i].entry == en->reverses) e->grants[i].reversed -= en->granted;
  }
}

void mem_history_done(mem_history *h, const incent_event *ev, bool applied) {
  if (!applied) {
    past_free(&h->current);
    return;
  }
  /* doubling: a realloc per event moved the whole array ever more often (quadratic) */
  bool grown = rt_grow((void **)&h->events, &h->capevents, h->nevents + 1, sizeof *h->events);
  bool ids = grown && rt_grow((void **)&h->ids, &h->capids, h->nevents + 1, sizeof *h->ids);
  char **values = rt_calloc((size_t)ev->nvalues + 1, sizeof *values);
  char *id = rt_strdup(ev->id);
  past *e = &h->current;
  e->type = rt_strdup(ev->type), e->partner = rt_strdup(ev->partner), e->time = rt_strdup(ev->time);
  bool ok = grown && ids && values && id && e->type && e->partner && e->time;
  for (int i = 0; ok && i < ev->nvalues; i++)
    if (ev->values[i] && !(values[i] = rt_strdup(ev->values[i]))) ok = false;
  e->values = values, e->nvalues = values ? ev->nvalues : 0;
  uint32_t old;
  if (!ok || !strmap_put(&h->applied, id, strlen(id), h->nevents, &old)) {
    /* out of memory, or an id seen before (an engine never applies one twice) */
    if (!ok || old == UINT32_MAX) h->oom = true;
    free(id);
    past_free(e);
    return;
  }
  h->ids[h->nevents] = id;
  h->events[h->nevents++] = *e;
  *e = (past){0};
}
