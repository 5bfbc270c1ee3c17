/* history.c: what a reversal asks a ledger for: an earlier event's values
 * and credits, and what reversals took back from them, from the batches not
 * yet committed and the database. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/ledger/ledger_int.h"
#include "runtime/base/util.h"

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

/* Adds a credit entry to the answer; false when out of memory. */
static bool h_grant(incent_ledger *l, int *n, int64_t seq, const char *recipient, const char *rule, const char *day,
                    int64_t granted, bool *oom) {
  if (!rt_grow((void **)&l->h_grants, &l->h_capgrants, (size_t)*n + 1, sizeof *l->h_grants)) return *oom = true, false;
  l->h_grants[(*n)++] = (incent_grant){seq, h_keep_text(l, recipient, oom), h_keep_text(l, rule, oom),
                                       h_keep_text(l, day, oom), granted, 0};
  return true;
}

static const char *text_of(const val *v) { return v->tag == 'T' && v->s ? v->s : ""; }

/* The event in batch b, from where its rows begin: its credits (entry rows
 * of it before its event row) and its values.  1 found and applied, 0 not
 * in b (or rejected), -1 out of memory. */
static int from_batch(incent_ledger *l, const batch *b, const char *id, incent_past_event *out, int *ngrants,
                      const char **fields) {
  batch_cursor at;
  if (!b || !batch_start(b, id, &at)) return 0;
  bool oom = false;
  int stmt, n;
  val v[BATCH_MAX_VALUES];
  while (batch_next(b, &at, &stmt, v, &n)) {
    if (stmt == S_ENTRY && n == CHAIN_ENTRY_COLUMNS && strcmp(text_of(&v[1]), id) == 0 &&
        strcmp(text_of(&v[11]), "credit") == 0 && v[6].i > 0) {
      h_grant(l, ngrants, v[0].i, text_of(&v[2]), text_of(&v[3]), text_of(&v[8]), v[6].i, &oom);
    } else if (stmt == S_EVENT_INSERT && n >= 7 && strcmp(text_of(&v[0]), id) == 0) {
      if (strcmp(text_of(&v[6]), "applied") != 0) return 0; /* rejected by its rules: nothing to reverse */
      out->type = h_keep_text(l, text_of(&v[2]), &oom);
      out->partner = h_keep_text(l, text_of(&v[3]), &oom);
      out->time = h_keep_text(l, text_of(&v[4]), &oom);
      *fields = h_keep_text(l, text_of(&v[5]), &oom);
      return oom ? -1 : 1;
    }
  }
  return 0; /* its event row is not there: unreachable */
}

/* The history a reversal asks for (incent_history_fn): an applied event's
 * values and its credits, with what reversals took back from each.  An
 * event still in a batch (the one filling, or the one being written) is
 * read from the batch's rows; others from the database, through the
 * applying thread's snapshot, which holds every batch before the one being
 * written.  What reversals took back is summed the same way: in the
 * database up to the entries of the batch being written, then in each
 * batch, so that nothing is counted twice whenever the writer commits. */
int rt_ledger_history(void *ud, const char *id, incent_past_event *out) {
  incent_ledger *l = ud;
  size_t len = strlen(id);
  h_clear(l);
  bool oom = false;
  int ngrants = 0;
  const char *fields = NULL;
  int found = from_batch(l, l->filling, id, out, &ngrants, &fields);
  if (found == 0 && l->writing) ngrants = 0, found = from_batch(l, l->writing, id, out, &ngrants, &fields);
  if (found < 0) return -1;
  if (!l->reading && sqlite3_exec(l->rd, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return -1;
  l->reading = true;
  if ((!l->h_event && sqlite3_prepare_v3(l->rd, "SELECT type, partner, time, fields, after FROM events"
                                         " WHERE id = ? AND outcome = 'applied'", -1, SQLITE_PREPARE_PERSISTENT,
                                         &l->h_event, NULL) != SQLITE_OK) ||
      (!l->h_entries && sqlite3_prepare_v3(l->rd, "SELECT seq, event, recipient, rule, day, granted, kind FROM entries"
                                           " WHERE seq > ? ORDER BY seq", -1, SQLITE_PREPARE_PERSISTENT,
                                           &l->h_entries, NULL) != SQLITE_OK) ||
      (!l->h_reversed && sqlite3_prepare_v3(l->rd, "SELECT -coalesce(sum(granted), 0) FROM entries WHERE reverses = ?1"
                                            " AND seq <= ?2", -1, SQLITE_PREPARE_PERSISTENT, &l->h_reversed,
                                            NULL) != SQLITE_OK))
    return -1;
  int rc;
  if (found == 0) {
    sqlite3_stmt *s = l->h_event;
    sqlite3_bind_text(s, 1, id, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
      sqlite3_reset(s);
      return rc == SQLITE_DONE ? 0 : -1;
    }
    out->type = h_keep(l, s, 0, &oom);
    out->partner = h_keep(l, s, 1, &oom);
    out->time = h_keep(l, s, 2, &oom);
    fields = h_keep(l, s, 3, &oom);
    int64_t after = sqlite3_column_int64(s, 4);
    sqlite3_reset(s);
    /* its entries follow the one before it, and end where another event's begin */
    s = l->h_entries;
    sqlite3_bind_int64(s, 1, after);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const char *event = (const char *)sqlite3_column_text(s, 1), *kind = (const char *)sqlite3_column_text(s, 6);
      if (!event || strcmp(event, id) != 0) break;
      if (!kind || strcmp(kind, "credit") != 0 || sqlite3_column_int64(s, 5) <= 0) continue;
      const char *recipient = (const char *)sqlite3_column_text(s, 2), *rule = (const char *)sqlite3_column_text(s, 3),
                 *day = (const char *)sqlite3_column_text(s, 4);
      if (!h_grant(l, &ngrants, sqlite3_column_int64(s, 0), recipient ? recipient : "", rule ? rule : "",
                   day ? day : "", sqlite3_column_int64(s, 5), &oom))
        break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
  }
  int type = incent_table_event_type(l->t, out->type), n = type >= 0 ? incent_table_event_nfields(l->t, type) : 0;
  if (n && !(l->h_values = rt_realloc(l->h_values, (size_t)n * sizeof *l->h_values))) return -1;
  for (int i = 0; i < n; i++) {
    char buf[INCENT_MAX_VALUE + 1];
    const char *v = rt_pair_value(fields, incent_table_event_field_name(l->t, type, i), buf, sizeof buf);
    l->h_values[i] = v ? h_keep_text(l, v, &oom) : NULL;
  }
  out->values = l->h_values;
  out->nvalues = n;
  int64_t upto = l->writing ? l->writing_from : l->filling_from; /* the database's part */
  for (int i = 0; i < ngrants && !oom; i++) {
    sqlite3_stmt *s = l->h_reversed;
    int64_t seq = l->h_grants[i].entry;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_int64(s, 2, upto);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
      l->h_grants[i].reversed = sqlite3_column_int64(s, 0) + batch_reversed(l->filling, seq) +
                                (l->writing ? batch_reversed(l->writing, seq) : 0);
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
