/* simulate.c: two programs applied side by side to the same partners and events, in memory, and what each grants. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/simulate.h"
#include "runtime/base/util.h"

const char *const sim_outcome_names[SO_COUNT] = {"applied", "limited", "capped", "budget", "rejected", "unreadable"};

/* ---- strings kept once ---- */

/* The index of s among the names, added when new; -1 out of memory. */
static long name_index(sim_names *n, const char *s) {
  uint32_t at;
  size_t len = strlen(s);
  if (strmap_get(&n->map, s, len, &at)) return at;
  char *copy = rt_strdup(s);
  if (!copy || !rt_grow((void **)&n->s, &n->cap, n->n + 1, sizeof *n->s)) return free(copy), -1;
  uint32_t old;
  if (!strmap_put(&n->map, copy, len, (uint32_t)n->n, &old)) return free(copy), -1;
  n->s[n->n] = copy;
  return (long)n->n++;
}

static void names_free(sim_names *n) {
  for (size_t i = 0; i < n->n; i++) free(n->s[i]);
  free(n->s);
  strmap_free(&n->map);
}

/* ---- points by partner and rule ---- */

static uint64_t cell_hash(uint32_t partner, uint32_t rule) {
  uint64_t h = ((uint64_t)partner << 32 | rule) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

/* The cell of (partner, rule), made when new; NULL out of memory. */
static sim_cell *cell(sim *s, uint32_t partner, uint32_t rule) {
  if (s->ncells + 1 > s->capslots / 2) { /* the table at most half full */
    size_t cap = s->capslots ? s->capslots * 2 : 1024;
    uint64_t *slots = rt_calloc(cap, sizeof *slots);
    if (!slots) return NULL;
    for (size_t i = 0; i < s->ncells; i++) {
      size_t j = cell_hash(s->cells[i].partner, s->cells[i].rule) & (cap - 1);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = i + 1;
    }
    free(s->slots);
    s->slots = slots, s->capslots = cap;
  }
  size_t j = cell_hash(partner, rule) & (s->capslots - 1);
  for (; s->slots[j]; j = (j + 1) & (s->capslots - 1)) {
    sim_cell *c = &s->cells[s->slots[j] - 1];
    if (c->partner == partner && c->rule == rule) return c;
  }
  if (!rt_grow((void **)&s->cells, &s->capcells, s->ncells + 1, sizeof *s->cells)) return NULL;
  s->slots[j] = s->ncells + 1;
  s->cells[s->ncells] = (sim_cell){partner, rule, {0, 0}};
  return &s->cells[s->ncells++];
}

/* a += b, remembering an overflow (the figures are then not given) */
static void add(sim *s, long long *a, long long b) {
  if (__builtin_add_overflow(*a, b, a)) s->overflow = true;
}

/* The index in side's table of rule r (an index of s->rules), -1 when it has
 * none; looked up once per name. */
static int rule_of(sim *s, int side, uint32_t r) {
  sim_side *d = &s->side[side];
  while (d->nrule_index <= r) {
    if (!rt_grow((void **)&d->rule_index, &d->caprule_index, d->nrule_index + 1, sizeof *d->rule_index)) {
      s->oom = true;
      return -1;
    }
    const char *name = s->rules.s[d->nrule_index];
    d->rule_index[d->nrule_index++] = *name ? incent_table_rule(d->t, name) : -1;
  }
  return d->rule_index[r];
}

/* ---- what each side's engine reports ---- */

typedef struct side_ud {
  sim *s;
  int side;
} side_ud;

/* Counts one entry of a side: its points under its partner and rule, its
 * kind's total, a rule's credits against its budget, the event's outcome. */
static void sim_entry(sim *s, int side, const incent_entry *en) {
  sim_side *d = &s->side[side];
  long p = name_index(&s->partners, en->recipient), r = name_index(&s->rules, en->rule ? en->rule : "");
  sim_cell *c = p >= 0 && r >= 0 ? cell(s, (uint32_t)p, (uint32_t)r) : NULL;
  if (!c) {
    s->oom = true;
    return;
  }
  add(s, &c->pts[side], en->granted);
  if (strcmp(en->kind, "credit") == 0) {
    add(s, &d->credited, en->granted);
    int rule = rule_of(s, side, (uint32_t)r);
    if (rule >= 0) add(s, &d->rule_credits[rule], en->granted);
  } else if (strcmp(en->kind, "debit") == 0) {
    add(s, &d->spent, -en->granted);
  } else if (strcmp(en->kind, "reversal") == 0) {
    add(s, &d->reversed, -en->granted);
  } else {
    add(s, &d->lapsed, -en->granted);
  }
  const char *status = en->status ? en->status : "applied";
  sim_outcome o = strcmp(status, "limited") == 0 ? SO_LIMITED
                  : strcmp(status, "capped") == 0 ? SO_CAPPED
                  : strcmp(status, "budget") == 0 ? SO_BUDGET
                                                       : SO_APPLIED;
  if (o > d->outcome) d->outcome = o;
}

static void on_entry(void *ud, const incent_entry *en) {
  side_ud *u = ud;
  sim_side *d = &u->s->side[u->side];
  if (d->reverses) mem_history_entry(&d->hist, en);
  sim_entry(u->s, u->side, en);
}

bool sim_init(sim *s, const char *old_name, const incent_table *old_t, const char *new_name,
              const incent_table *new_t) {
  *s = (sim){0};
  strmap_init(&s->partners.map);
  strmap_init(&s->rules.map);
  strmap_init(&s->seen);
  const char *names[2] = {old_name, new_name};
  const incent_table *tables[2] = {old_t, new_t};
  for (int i = 0; i < 2; i++) {
    sim_side *d = &s->side[i];
    d->name = names[i], d->t = tables[i];
    mem_history_init(&d->hist);
    int nrules = incent_table_nrules(d->t);
    for (int r = 0; r < nrules; r++) d->reverses |= strcmp(incent_table_rule_action(d->t, r), "reverse") == 0;
    if (!(d->rule_credits = rt_calloc((size_t)nrules + 1, sizeof *d->rule_credits))) return s->oom = true, false;
    if (incent_engine_new(d->t, &d->e, s->why, sizeof s->why) != INCENT_OK) return false;
    if (d->reverses) mem_history_attach(&d->hist, d->e);
  }
  return true;
}

void sim_free(sim *s) {
  for (int i = 0; i < 2; i++) {
    incent_engine_free(s->side[i].e);
    mem_history_free(&s->side[i].hist);
    rows_map_free(s->side[i].m);
    free(s->side[i].rule_credits);
    free(s->side[i].rule_index);
    for (int k = 0; k < SIM_EXAMPLES; k++) free(s->side[i].rejects[k]);
  }
  if (s->ledger) incent_ledger_close(s->ledger, NULL, 0); /* after the engines: the old one reads its table */
  names_free(&s->partners);
  names_free(&s->rules);
  for (size_t i = 0; i < s->nseen; i++) free(s->seen_ids[i]);
  free(s->seen_ids);
  free(s->seen_content);
  strmap_free(&s->seen);
  free(s->cells);
  free(s->slots);
  for (int a = 0; a < SO_COUNT; a++)
    for (int b = 0; b < SO_COUNT; b++)
      for (int k = 0; k < SIM_EXAMPLES; k++) free(s->examples[a][b][k]);
}

/* ---- rows ---- */

static void partner_row(sim *s, const input_row *r) {
  for (int i = 0; i < 2; i++) {
    sim_side *d = &s->side[i];
    char why[512];
    const char *values[ROWS_MAX_VALUES];
    if (r->problem || !d->m) {
      d->partners_unread++;
      continue;
    }
    int n = rows_partner(d->m, r, values);
    incent_status st = incent_engine_partner(d->e, values, n, why, sizeof why);
    if (st == INCENT_OK) d->partners++;
    else if (st == INCENT_EFORMAT) d->partners_unread++;
    else s->oom = true;
  }
}

/* Whether the event id was met before: 1 with the same content (a
 * duplicate), -1 with another (refused, as a run refuses it), 0 not; a new
 * id is remembered with its content's hash when keep. */
static int seen_before(sim *s, const char *id, uint64_t content, bool keep) {
  uint32_t at;
  if (strmap_get(&s->seen, id, strlen(id), &at)) return s->seen_content[at] == content ? 1 : -1;
  if (!keep) return 0;
  char *copy = rt_strdup(id);
  uint32_t old;
  if (!copy || !rt_grow((void **)&s->seen_ids, &s->capseen, s->nseen + 1, sizeof *s->seen_ids) ||
      !rt_grow((void **)&s->seen_content, &s->capcontent, s->nseen + 1, sizeof *s->seen_content) ||
      (!strmap_put(&s->seen, copy, strlen(copy), (uint32_t)s->nseen, &old) && old == UINT32_MAX)) {
    free(copy);
    s->oom = true;
    return 0;
  }
  s->seen_content[s->nseen] = content;
  s->seen_ids[s->nseen++] = copy;
  return 0;
}

/* Counts an event a side rejected, keeping the first few with their reasons. */
static void rejected(sim *s, int side, const char *id, const char *why) {
  sim_side *d = &s->side[side];
  d->rejected++;
  for (int k = 0; k < SIM_EXAMPLES; k++)
    if (!d->rejects[k]) {
      size_t n = strlen(id ? id : "") + strlen(why) + 3;
      if ((d->rejects[k] = rt_malloc(n))) snprintf(d->rejects[k], n, "%s: %s", id ? id : "", why);
      else s->oom = true;
      break;
    }
}

/* Applies the event to one side (ev NULL: this side cannot read it); its outcome. */
static sim_outcome apply_side(sim *s, int side, const incent_event *ev) {
  sim_side *d = &s->side[side];
  if (!ev) {
    d->unread++;
    return SO_UNREAD;
  }
  side_ud u = {s, side};
  incent_report rep = {on_entry, NULL, NULL, &u, NULL};
  char why[512];
  d->outcome = SO_APPLIED;
  incent_result res = incent_engine_apply(d->e, ev, &rep, why, sizeof why);
  if (d->reverses) mem_history_done(&d->hist, ev, res == INCENT_EVENT_APPLIED);
  if (d->reverses && d->hist.oom) s->oom = true;
  if (res == INCENT_EVENT_APPLIED) {
    d->applied++;
    return d->outcome;
  }
  rejected(s, side, ev->id, why);
  return SO_REJECTED;
}

/* Counts an event's outcome on both sides, and keeps its id as an example of a change. */
static void outcomes(sim *s, const char *id, const sim_outcome o[2]) {
  s->events++;
  s->changed[o[0]][o[1]]++;
  if (o[0] != o[1] && id) {
    char **ex = s->examples[o[0]][o[1]];
    for (int k = 0; k < SIM_EXAMPLES; k++)
      if (!ex[k]) {
        if (!(ex[k] = rt_strdup(id))) s->oom = true;
        break;
      }
  }
}

/* Applies one event to both sides (ev[i] NULL: side i cannot read it);
 * content is the hash of its row, which tells a duplicate from a conflict. */
static void sim_event(sim *s, const incent_event *ev[2], uint64_t content) {
  const char *id = ev[0] ? ev[0]->id : ev[1] ? ev[1]->id : NULL;
  int seen = id && *id ? seen_before(s, id, content, false) : 0;
  if (seen > 0) {
    s->duplicates++;
    return;
  }
  sim_outcome o[2] = {SO_REJECTED, SO_REJECTED};
  if (seen < 0) { /* an id applied before with other content: refused, as a run refuses it */
    char why[INCENT_MAX_VALUE + 64];
    snprintf(why, sizeof why, "event id \"%s\" was applied before with other content", id);
    for (int i = 0; i < 2; i++) rejected(s, i, id, why);
  } else {
    for (int i = 0; i < 2; i++) o[i] = apply_side(s, i, ev[i]);
    if (id && *id && (o[0] < SO_REJECTED || o[1] < SO_REJECTED)) seen_before(s, id, content, true);
  }
  outcomes(s, id, o);
}

static void event_row(sim *s, const input_row *r, bool jsonl) {
  incent_event evs[2];
  const incent_event *ev[2] = {NULL, NULL};
  const char *values[2][ROWS_MAX_VALUES];
  void *hold[2] = {NULL, NULL};
  for (int i = 0; i < 2 && !r->problem; i++) {
    sim_side *d = &s->side[i];
    if (!jsonl) {
      if (d->m) rows_event_csv(d->m, r, &evs[i], values[i]), ev[i] = &evs[i];
      continue;
    }
    char why[512];
    int got = rows_event_json(d->t, r, &evs[i], values[i], &hold[i], why, sizeof why);
    if (got > 0) ev[i] = &evs[i];
    else if (got < 0) s->oom = true;
    else if (!d->unread_why[0]) snprintf(d->unread_why, sizeof d->unread_why, "%s", why);
  }
  sim_event(s, ev, strmap_hash(r->line, r->len));
  for (int i = 0; i < 2; i++) rows_json_release(hold[i]);
}

bool sim_read(sim *s, FILE *f, const char *name, bool partners, input_format format) {
  const char *const *header = NULL;
  size_t nheader = 0;
  bool jsonl;
  input *in = input_open(f, name, format, &jsonl, &header, &nheader, s->why, sizeof s->why);
  if (!in) return false;
  for (int i = 0; i < 2; i++) {
    sim_side *d = &s->side[i];
    rows_map_free(d->m);
    d->m = NULL;
    char why[512];
    /* a file one program cannot read is counted against that program, row by row */
    if (!jsonl && !(d->m = rows_map_new(d->t, partners, name, header, nheader, why, sizeof why)) &&
        !d->unread_why[0])
      snprintf(d->unread_why, sizeof d->unread_why, "%s", why);
  }
  input_row r;
  int got;
  while (!s->oom && (got = input_next(in, &r, s->why, sizeof s->why)) == 1) {
    if (partners) partner_row(s, &r);
    else event_row(s, &r, jsonl);
  }
  input_free(in);
  if (s->oom) snprintf(s->why, sizeof s->why, "%s", _("out of memory"));
  return !s->oom && got == 0;
}

/* ---- what the output asks ---- */

int sim_rule_index(sim *s, int side, uint32_t rule) { return rule_of(s, side, rule); }

const char *sim_category(sim *s, int side, uint32_t rule) {
  return incent_table_rule_category(s->side[side].t, rule_of(s, side, rule));
}

long long sim_rule_budget(sim *s, int side, uint32_t rule, long long *credits) {
  int r = rule_of(s, side, rule);
  *credits = r >= 0 ? s->side[side].rule_credits[r] : 0;
  return incent_table_rule_budget(s->side[side].t, r);
}

/* ---- simulate NEW --ledger ---- */

/* The lapses incent expire wrote to the ledger up to s->expire_until, made on the new side too. */
static void expire_new(sim *s) {
  if (!s->expire_until[0]) return;
  side_ud u = {s, 1};
  incent_report rep = {on_entry, NULL, NULL, &u, NULL};
  if (incent_engine_expire(s->side[1].e, s->expire_until, &rep, s->why, sizeof s->why) != INCENT_OK) s->failed = true;
  s->expire_until[0] = '\0';
}

static void ledger_partner(void *ud, const char *const *values, int n) {
  sim *s = ud;
  char why[512];
  s->side[0].partners++;
  incent_status st = incent_engine_partner(s->side[1].e, values, n, why, sizeof why);
  if (st == INCENT_OK) s->side[1].partners++;
  else if (st == INCENT_EFORMAT) s->side[1].partners_unread++;
  else s->oom = true;
}

static void ledger_entry(void *ud, const incent_entry *en) {
  sim *s = ud;
  sim_entry(s, 0, en);
  if (!en->event && en->day && strlen(en->day) < sizeof s->expire_until && strcmp(en->day, s->expire_until) > 0)
    snprintf(s->expire_until, sizeof s->expire_until, "%s", en->day);
}

static void ledger_event(void *ud, const incent_event *ev, const char *outcome) {
  sim *s = ud;
  sim_side *old = &s->side[0];
  expire_new(s);
  sim_outcome o[2];
  bool applied = strcmp(outcome, "applied") == 0;
  o[0] = applied ? old->outcome : SO_REJECTED;
  if (applied) old->applied++;
  else old->rejected++;
  old->outcome = SO_APPLIED;
  o[1] = apply_side(s, 1, ev);
  outcomes(s, ev->id, o);
}

bool sim_ledger(sim *s, const char *path, incent_ledger *l, const char *new_name, const incent_table *new_t) {
  bool ok = sim_init(s, path, incent_ledger_table(l), new_name, new_t);
  s->ledger = l;
  if (!ok) return false;
  s->side[0].outcome = SO_APPLIED;
  incent_replay r = {ledger_partner, ledger_entry, ledger_event, s};
  if (incent_ledger_replay(l, new_t, &r, s->why, sizeof s->why) != INCENT_OK) return false;
  expire_new(s);
  if (s->oom) snprintf(s->why, sizeof s->why, "%s", _("out of memory"));
  return !s->oom && !s->failed;
}
