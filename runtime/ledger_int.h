/* ledger_int.h: what the readers of a ledger outside ledger.c (statements)
 * share with it (internal to libincent). */
#ifndef INCENT_LEDGER_INT_H
#define INCENT_LEDGER_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/incent.h"

/* The version of the ledger's tables (doc/LEDGER.md), in meta as "schema". */
#define LEDGER_SCHEMA "2"

/* The ledger's database connection, for reading what was committed. */
sqlite3 *rt_ledger_db(incent_ledger *l);
/* The value of name in a stored name=value text (partners' attributes,
 * events' fields), copied into buf; NULL when absent. */
const char *rt_pair_value(const char *text, const char *name, char *buf, size_t size);
/* The first and last local dates of a period key (NULL: all time), as
 * text; false when period is not a period key. */
bool rt_period_days(const char *period, char from[16], char to[16]);
/* The end of the latest day with an entry ("2027-03-31T23:59:59"), the
 * instant tiers are reported at; "" for a ledger without entries. */
void rt_ledger_latest(incent_ledger *l, char when[40]);

/* Whether a loop over rows ended in anything but SQLITE_DONE (a damaged
 * page, an I/O error, memory): then the reason is in why.  Every loop over a
 * ledger's rows ends in this check, so that a failed read is never taken for
 * the end of the data. */
bool rt_read_failed(sqlite3 *db, int rc, char *why, size_t whylen);
/* Loads the ledger's partners into engine; false with why. */
bool rt_ledger_load_partners(incent_ledger *l, incent_engine *engine, char *why, size_t whylen);
/* Replays the entries up to seq upto into engine's counters; false with why. */
bool rt_ledger_load_state(incent_ledger *l, incent_engine *engine, int64_t upto, char *why, size_t whylen);

#endif
