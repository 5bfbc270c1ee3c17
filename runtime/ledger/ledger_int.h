/* ledger_int.h: what the parts of the ledger outside ledger.c (statements,
 * history) share with it (internal to libincent). */
#ifndef INCENT_LEDGER_INT_H
#define INCENT_LEDGER_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pthread.h>

#include "runtime/ledger/batch.h"
#include "runtime/ledger/chain.h"
#include "runtime/incent.h"

/* The version of the ledger's tables (doc/LEDGER.md), in meta as "schema". */
#define LEDGER_SCHEMA "3"

/* The statements a batch's rows are written with (ledger.c). */
enum { S_EVENT_INSERT, S_ENTRY, S_REJECT, S_TIER, S_PARTNER, S_OUTBOX, S_CHAIN, S_COUNTER, S_ACCOUNT, S_META, S_COUNT };

/* An open ledger (ledger.c; history.c reads it too). */
struct incent_ledger {
  int lock;                  /* held by a ledger opened to apply events, -1 otherwise */
  sqlite3 *db;               /* written by the writer thread once it runs */
  sqlite3_stmt *st[S_COUNT];
  sqlite3 *rd;               /* the applying thread's own connection, to look up event ids */
  sqlite3_stmt *seen;
  bool reading;              /* rd holds a read transaction: one snapshot per batch */
  uint64_t *bloom;           /* when the ledger held no events at open: the ids this run wrote */
  incent_table *own_table;   /* loaded from the ledger when none was given */
  const incent_table *t;
  incent_engine *engine;
  long pending;              /* events in the filling batch */
  int64_t last_seq;          /* the last entry's seq: an event records it, so explain knows the state it met */
  int64_t filling_from, writing_from; /* the last seq before the filling and the writing batch's entries */
  batch bufs[2], *filling;
  chain_state chain;         /* the writer thread's once it runs: the entries' chain and the events' digest (chain.h) */
  /* shared with the writer thread, under mu */
  pthread_t writer;
  pthread_mutex_t mu;
  pthread_cond_t go, idle;
  bool running, stop, done;
  batch *writing;            /* handed to the writer; done once it is committed */
  bool failed;
  char error[256];
  char as_of[16];            /* incent_ledger_as_of's date, "" for now */
  bool lazy;                 /* a reader whose partners and accounts load as they are asked for */
  long failures;             /* rt_alloc_failures() at open: once it moves, nothing more is committed */
  /* the history reversals ask for (ledger_history), on rd, valid until the next call */
  sqlite3_stmt *h_event, *h_entries, *h_reversed;
  char **h_strings;
  size_t h_nstrings, h_capstrings;
  const char **h_values;
  incent_grant *h_grants;
  size_t h_capgrants;
};

/* Hands the filling batch to the writer thread; with wait, waits until it
 * is committed.  False once anything failed. */
bool rt_ledger_hand_over(incent_ledger *l, bool wait);
/* state.c: the account state kept beside the entries.  The tables, the
 * rows that a batch carries for what its events changed (in the applying
 * thread, before the batch is handed over), and loading it when a ledger
 * opens: false, with nothing loaded, when the ledger holds no state of this
 * program as of its last entry (it is then rebuilt from the entries). */
#define STATE_SCHEMA \
  "CREATE TABLE IF NOT EXISTS counters (kind INTEGER NOT NULL, partner TEXT, rule INTEGER NOT NULL," \
  " period INTEGER NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (kind, partner, rule, period));" \
  "CREATE TABLE IF NOT EXISTS accounts (partner TEXT PRIMARY KEY, debt INTEGER NOT NULL, lots TEXT NOT NULL," \
  " counters TEXT NOT NULL) WITHOUT ROWID;"
#define STATE_STATEMENTS \
  "INSERT OR REPLACE INTO counters (kind, partner, rule, period, value) VALUES (?, ?, ?, ?, ?)", \
  "INSERT OR REPLACE INTO accounts (partner, debt, lots, counters) VALUES (?, ?, ?, ?)", \
  "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
bool rt_state_rows(incent_ledger *l);
/* 1 loaded, 0 no usable state (nothing loaded), -1 failed (why).  With
 * only, the budgets and only that partner's account. */
int rt_state_load(incent_ledger *l, incent_engine *e, const char *only, char *why, size_t whylen);
/* Whether the ledger holds a state of its program as of its last entry, and
 * that state's last seq and last day. */
bool rt_state_usable(incent_ledger *l);
int64_t rt_state_last_seq(incent_ledger *l);
int32_t rt_state_day(incent_ledger *l);
/* Forgets the stored state (it is written whole at the next commit). */
bool rt_state_reset(incent_ledger *l, char *why, size_t whylen);
/* Compares the stored state with one rebuilt from the entries: *same, or
 * the first difference in why; false when the ledger cannot be read. */
bool rt_state_verify(incent_ledger *l, bool *same, char *why, size_t whylen);
/* For incent_ledger_verify: opens the ledger at path to read it, without
 * its state, and compares; out->what becomes INCENT_STATE_CHANGED with the
 * difference in out->detail when they disagree. */
incent_status rt_ledger_verify_state(const char *path, incent_verdict *out, char *why, size_t whylen);

/* state.c: incent_ledger_balances of one partner, all time, as the state
 * holds it (its balance and its points by rule, the rules in name order). */
incent_status rt_partner_balance(incent_ledger *l, const char *partner, incent_balance_fn *fn, void *ud, char *why,
                                 size_t whylen);

/* history.c: the ledger's incent_history_fn, and what it keeps. */
int rt_ledger_history(void *ud, const char *id, incent_past_event *out);
void rt_ledger_history_free(incent_ledger *l);

/* The ledger's database connection, for reading what was committed. */
sqlite3 *rt_ledger_db(incent_ledger *l);
/* The value of name in a stored name=value text (partners' attributes,
 * events' fields), copied into buf; NULL when absent. */
const char *rt_pair_value(const char *text, const char *name, char *buf, size_t size);
/* The first and last local dates of a period key (NULL: all time), as
 * text; false when period is not a period key. */
bool rt_period_days(const char *period, char from[16], char to[16]);
/* The end of the latest day the ledger's accounts were settled at (an
 * event's or a lapse's day, as its state keeps it; without a state, the
 * latest day with an entry), the instant tiers are reported at, as
 * "2027-03-31T23:59:59"; "" for a ledger without entries. */
void rt_ledger_latest(incent_ledger *l, char when[40]);

/* Whether a loop over rows ended in anything but SQLITE_DONE (a damaged
 * page, an I/O error, memory): then the reason is in why.  Every loop over a
 * ledger's rows ends in this check, so that a failed read is never taken for
 * the end of the data. */
bool rt_read_failed(sqlite3 *db, int rc, char *why, size_t whylen);
/* Loads the ledger's partners (only one, unless NULL) into engine; false with why. */
bool rt_ledger_load_partners(incent_ledger *l, incent_engine *engine, const char *only, char *why, size_t whylen);
/* The same for the partners after id `after` (NULL: from the first), by id,
 * at most limit of them (-1: all). */
bool rt_ledger_load_partner_range(incent_ledger *l, incent_engine *engine, const char *only, const char *after,
                                  int64_t limit, char *why, size_t whylen);
/* A reader loads partners and their accounts as they are asked for: this
 * loads partner's (NULL: everyone's, once); false with why. */
bool rt_ledger_need(incent_ledger *l, const char *partner, char *why, size_t whylen);
/* Replays the entries up to seq upto (and, unless NULL, only of days up to
 * until) into engine's counters and accounts; false with why. */
bool rt_ledger_load_state(incent_ledger *l, incent_engine *engine, int64_t upto, const char *until, char *why,
                          size_t whylen);

#endif
