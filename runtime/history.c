/* history.c: what a reversal asks a ledger for: an earlier event's values
 * and credits, and what reversals took back from them. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ledger_int.h"
#include "runtime/util.h"

static const char *h_keep_text(incent_ledger *l, const char *v, bool *oom) {
  char *copy = rt_strdup(v);
  if (!copy || !rt_grow((void **)&l->h_strings, &l->h_capstrings, l->h_nstrings + 1, sizeof *l->h_strings)) {
    free(copy);
    *oom = true;
    return "";
  }
  return l->h_strings[l->h_nstrings++] = copy;
}

/* A copy of column i of s, kept until the next history call; NULL when out of memory. */
static const char *h_keep(incent_ledger *l, sqlite3_stmt *s, int i, bool *oom) {
  const char *v = (const char *)sqlite3_column_text(s, i);
  return h_keep_text(l, v ? v : "", oom);
}

static void h_clear(incent_ledger *l) {
  for (size_t i = 0; i < l->h_nstrings; i++) free(l->h_strings[i]);
  l->h_nstrings = 0;
}

/* The history a reversal asks for (incent_history_fn): an applied event's
 * values and its credits, with what reversals took back from each.  An
 * event, or a reversal of one, that is still in a batch is committed first,
 * so that every answer comes from the database. */
int rt_ledger_history(void *ud, const char *id, incent_past_event *out) {
  incent_ledger *l = ud;
  size_t len = strlen(id);
  h_clear(l);
  if (batch_find(l->filling, id, len) || batch_marked(l->filling, id) ||
      (l->writing && (batch_find(l->writing, id, len) || batch_marked(l->writing, id))))
    if (!rt_ledger_hand_over(l, true)) return -1;
  if (!l->reading && sqlite3_exec(l->rd, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return -1;
  l->reading = true;
  if ((!l->h_event && sqlite3_prepare_v3(l->rd, "SELECT type, partner, time, fields, after FROM events"
                                         " WHERE id = ? AND outcome = 'applied'", -1, SQLITE_PREPARE_PERSISTENT,
                                         &l->h_event, NULL) != SQLITE_OK) ||
      (!l->h_entries && sqlite3_prepare_v3(l->rd, "SELECT seq, event, recipient, rule, day, granted, kind FROM entries"
                                           " WHERE seq > ? ORDER BY seq", -1, SQLITE_PREPARE_PERSISTENT,
                                           &l->h_entries, NULL) != SQLITE_OK) ||
      (!l->h_reversed && sqlite3_prepare_v3(l->rd, "SELECT -coalesce(sum(granted), 0) FROM entries WHERE reverses = ?",
                                            -1, SQLITE_PREPARE_PERSISTENT, &l->h_reversed, NULL) != SQLITE_OK))
    return -1;
  sqlite3_stmt *s = l->h_event;
  bool oom = false;
  sqlite3_bind_text(s, 1, id, (int)len, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
  }
  out->type = h_keep(l, s, 0, &oom);
  out->partner = h_keep(l, s, 1, &oom);
  out->time = h_keep(l, s, 2, &oom);
  const char *fields = h_keep(l, s, 3, &oom);
  int64_t after = sqlite3_column_int64(s, 4);
  sqlite3_reset(s);
  int type = incent_table_event_type(l->t, out->type), n = type >= 0 ? incent_table_event_nfields(l->t, type) : 0;
  if (n && !(l->h_values = rt_realloc(l->h_values, (size_t)n * sizeof *l->h_values))) return -1;
  for (int i = 0; i < n; i++) {
    char buf[INCENT_MAX_VALUE + 1];
    const char *v = rt_pair_value(fields, incent_table_event_field_name(l->t, type, i), buf, sizeof buf);
    l->h_values[i] = v ? h_keep_text(l, v, &oom) : NULL;
  }
  out->values = l->h_values;
  out->nvalues = n;
  /* its entries follow the one before it, and end where another event's begin */
  s = l->h_entries;
  sqlite3_bind_int64(s, 1, after);
  int ngrants = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *event = (const char *)sqlite3_column_text(s, 1), *kind = (const char *)sqlite3_column_text(s, 6);
    if (!event || strcmp(event, id) != 0) break;
    if (!kind || strcmp(kind, "credit") != 0 || sqlite3_column_int64(s, 5) <= 0) continue;
    if (!rt_grow((void **)&l->h_grants, &l->h_capgrants, (size_t)ngrants + 1, sizeof *l->h_grants)) {
      oom = true;
      break;
    }
    l->h_grants[ngrants++] = (incent_grant){sqlite3_column_int64(s, 0), h_keep(l, s, 2, &oom), h_keep(l, s, 3, &oom),
                                            h_keep(l, s, 4, &oom), sqlite3_column_int64(s, 5), 0};
  }
  sqlite3_reset(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
  for (int i = 0; i < ngrants && !oom; i++) {
    s = l->h_reversed;
    sqlite3_bind_int64(s, 1, l->h_grants[i].entry);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) l->h_grants[i].reversed = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return -1;
  }
  out->grants = l->h_grants;
  out->ngrants = ngrants;
  return oom ? -1 : 1;
}

void rt_ledger_history_free(incent_ledger *l) {
  sqlite3_finalize(l->h_event);
  sqlite3_finalize(l->h_entries);
  sqlite3_finalize(l->h_reversed);
  h_clear(l);
  free(l->h_strings);
  free(l->h_values);
  free(l->h_grants);
}
