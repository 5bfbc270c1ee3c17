/* ledger.c: the SQLite ledger; the only file that calls sqlite3. */
#include "config.h"

#include <nettle/sha2.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "runtime/ledger/batch.h"
#include "runtime/ledger/chain.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/base/civil.h"
#include "runtime/engine/engine.h"
#include "runtime/base/strmap.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

/* Events per transaction: large enough to be fast, small enough to lose
 * little work; and at least four per partner, so that the account state a
 * batch writes (a row per partner it changed) stays small beside its
 * entries. */
#define BATCH_EVENTS 10000
#define BATCH_PER_PARTNER 4

static const char *const schema =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS programs (hash TEXT PRIMARY KEY, name TEXT NOT NULL, tbl BLOB NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS partners (id TEXT PRIMARY KEY, attrs TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, hash BLOB NOT NULL, type TEXT NOT NULL,"
  " partner TEXT NOT NULL, time TEXT NOT NULL, fields TEXT NOT NULL,"
  " outcome TEXT NOT NULL DEFAULT 'applied', after INTEGER NOT NULL DEFAULT 0, tier TEXT) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, event TEXT, recipient TEXT NOT NULL,"
  " rule TEXT, raw TEXT NOT NULL, multiplier TEXT NOT NULL, granted INTEGER NOT NULL,"
  " period TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL, message TEXT,"
  " kind TEXT NOT NULL, reverses INTEGER, available TEXT, last_valid TEXT, chain BLOB NOT NULL);"
  "CREATE INDEX IF NOT EXISTS entries_reverses ON entries (reverses) WHERE reverses IS NOT NULL;"
  "CREATE TABLE IF NOT EXISTS rejects (hash BLOB PRIMARY KEY, source TEXT NOT NULL, row INTEGER NOT NULL,"
  " event TEXT, raw TEXT NOT NULL, reason TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS tier_changes (seq INTEGER PRIMARY KEY, event TEXT NOT NULL, partner TEXT NOT NULL,"
  " from_tier TEXT NOT NULL, to_tier TEXT NOT NULL, message TEXT);"
  "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, event TEXT, partner TEXT NOT NULL,"
  " language TEXT NOT NULL, message TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT NOT NULL, text TEXT NOT NULL,"
  " fallback TEXT);"
  STATE_SCHEMA
  ;

static const char *const statements[S_COUNT] = {
  "INSERT INTO events (id, hash, type, partner, time, fields, outcome, after, tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  "INSERT INTO entries (seq, event, recipient, rule, raw, multiplier, granted, period, day, status, message, kind,"
  " reverses, available, last_valid, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  "INSERT OR IGNORE INTO rejects (hash, source, row, event, raw, reason) VALUES (?, ?, ?, ?, ?, ?)",
  "INSERT INTO tier_changes (event, partner, from_tier, to_tier, message) VALUES (?, ?, ?, ?, ?)",
  "INSERT OR REPLACE INTO partners (id, attrs) VALUES (?, ?)",
  "INSERT INTO outbox (event, partner, language, message, channel, subject, text, fallback)"
  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  CHAIN_META_SQL,
  STATE_STATEMENTS,
};


static bool exec(incent_ledger *l, const char *sql, char *why, size_t whylen) {
  char *err = NULL;
  if (sqlite3_exec(l->db, sql, NULL, NULL, &err) == SQLITE_OK) return true;
  rt_fail(why, whylen, "ledger: %s", err ? err : sqlite3_errmsg(l->db));
  sqlite3_free(err);
  return false;
}

/* Binds without copying: every statement is stepped before its values change. */
static void text(sqlite3_stmt *s, int i, const char *v) {
  if (v) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else sqlite3_bind_null(s, i);
}

static const char *meta_get(incent_ledger *l, const char *key, char *buf, size_t size) {
  sqlite3_stmt *s;
  const char *out = NULL;
  if (sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) != SQLITE_OK) return NULL;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(s) == SQLITE_ROW) {
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
    out = buf;
  }
  sqlite3_finalize(s);
  return out;
}

static bool meta_set(incent_ledger *l, const char *key, const char *value) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1, &s, NULL) != SQLITE_OK)
    return false;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  bool ok = sqlite3_step(s) == SQLITE_DONE;
  sqlite3_finalize(s);
  return ok;
}

/* Partners' attributes and events' fields are stored as one text of
 * name=value pairs: name RS (0x1E) value, pairs joined by US (0x1F), sorted
 * by name and without empty values.  Kept by name, they read the same after
 * the program gains or loses a field; the engine refuses control characters
 * in values, so the separators cannot occur in them. */
#define SEP '\x1f'
#define PAIR '\x1e'

typedef struct named { const char *name, *value; size_t nlen, vlen; } named;

/* The name=value text of values[from..n) named by name(ud, i); malloc'd.
 * This runs for every event: a few fields, so an insertion sort and memcpy. */
static char *pairs(const char *const *values, int n, int from, const char *(*name)(const void *ud, int i),
                   const void *ud) {
  named small[32], *items = n <= 32 ? small : rt_malloc((size_t)n * sizeof *items);
  if (!items) return NULL;
  size_t len = 1, k = 0;
  for (int i = from; i < n; i++) {
    if (!values[i] || !values[i][0]) continue;
    named x = {name(ud, i), values[i], 0, 0};
    x.nlen = strlen(x.name);
    x.vlen = strlen(x.value);
    len += x.nlen + x.vlen + 2;
    size_t j = k++;
    while (j > 0 && strcmp(items[j - 1].name, x.name) > 0) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = x;
  }
  char *out = rt_malloc(len), *p = out;
  if (out) {
    for (size_t i = 0; i < k; i++) {
      if (i) *p++ = SEP;
      memcpy(p, items[i].name, items[i].nlen);
      p += items[i].nlen;
      *p++ = PAIR;
      memcpy(p, items[i].value, items[i].vlen);
      p += items[i].vlen;
    }
    *p = '\0';
  }
  if (items != small) free(items);
  return out;
}

const char *rt_pair_value(const char *text, const char *name, char *buf, size_t size) {
  size_t nl = strlen(name);
  for (const char *p = text; p && *p;) {
    const char *end = strchr(p, SEP);
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > nl && memcmp(p, name, nl) == 0 && p[nl] == PAIR) {
      size_t vl = len - nl - 1 < size - 1 ? len - nl - 1 : size - 1;
      memcpy(buf, p + nl + 1, vl);
      buf[vl] = '\0';
      return buf;
    }
    p = end ? end + 1 : NULL;
  }
  return NULL;
}

static const char *attr_name(const void *t, int i) { return incent_table_attr_name(t, i); }

typedef struct field_names { const incent_table *t; int type; } field_names;
static const char *field_name(const void *ud, int i) {
  const field_names *f = ud;
  return incent_table_event_field_name(f->t, f->type, i);
}

/* A read that ended in anything but SQLITE_DONE: a damaged page, an I/O
 * error, memory.  Every loop over a ledger's rows ends in this check, so that
 * a failed read is never taken for the end of the data. */
bool rt_read_failed(sqlite3 *db, int rc, char *why, size_t whylen) {
  if (rc == SQLITE_DONE) return false;
  rt_fail(why, whylen, "cannot read the ledger: %s", rc == SQLITE_ROW ? "a value is missing" : sqlite3_errmsg(db));
  return true;
}

bool rt_ledger_load_partners(incent_ledger *l, incent_engine *engine, const char *only, char *why, size_t whylen) {
  return rt_ledger_load_partner_range(l, engine, only, NULL, -1, why, whylen);
}

bool rt_ledger_load_partner_range(incent_ledger *l, incent_engine *engine, const char *only, const char *after,
                                  int64_t limit, char *why, size_t whylen) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db,
                         "SELECT id, attrs FROM partners WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR id > ?2)"
                         " ORDER BY id LIMIT ?3",
                         -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(l->db));
  text(s, 1, only);
  text(s, 2, after);
  sqlite3_bind_int64(s, 3, limit);
  int n = incent_table_nattrs(l->t);
  const char **values = rt_calloc((size_t)n, sizeof *values);
  char (*bufs)[INCENT_MAX_VALUE + 1] = rt_calloc((size_t)n, sizeof *bufs);
  if (!values || !bufs) {
    free(values);
    free(bufs);
    sqlite3_finalize(s);
    return rt_fail(why, whylen, "out of memory");
  }
  int rc;
  bool ok = true;
  while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *attrs = (const char *)sqlite3_column_text(s, 1);
    values[0] = (const char *)sqlite3_column_text(s, 0);
    if (!values[0] || !attrs) break; /* a NULL the schema forbids: damage, or memory */
    for (int i = 1; i < n; i++) values[i] = rt_pair_value(attrs, incent_table_attr_name(l->t, i), bufs[i], sizeof bufs[i]);
    /* a partner the current program cannot read keeps its id, and so its counters */
    incent_status st = incent_engine_partner(engine, values, n, why, whylen);
    if (st == INCENT_EFORMAT) st = incent_engine_partner(engine, values, 1, why, whylen);
    if (st == INCENT_ENOMEM) ok = rt_fail(why, whylen, "out of memory");
  }
  if (ok && rt_read_failed(l->db, rc, why, whylen)) ok = false;
  free(values);
  free(bufs);
  sqlite3_finalize(s);
  return ok;
}

/* The counters of caps, limits, budgets and tiers are sums over the entries:
 * rebuilt from them, they cannot disagree with them, whatever moment a run
 * was killed at. */
bool rt_ledger_load_state(incent_ledger *l, incent_engine *engine, int64_t upto, const char *until, char *why,
                          size_t whylen) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db,
                         "SELECT e.rule, e.recipient, e.day, e.status, e.granted, e.seq, e.kind, e.available,"
                         " e.last_valid, c.rule, c.day FROM entries e LEFT JOIN entries c ON c.seq = e.reverses"
                         " WHERE e.seq <= ?1 AND (?2 IS NULL OR e.day <= ?2)"
                         " ORDER BY e.seq",
                         -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "cannot read the ledger: %s", sqlite3_errmsg(l->db));
  sqlite3_bind_int64(s, 1, upto);
  text(s, 2, until);
  int rc;
  bool ok = true;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
#define TEXT(i) ((const char *)sqlite3_column_text(s, i))
    rt_replayed x = {TEXT(6), TEXT(0), TEXT(1), TEXT(2), TEXT(3), sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5),
                     TEXT(7), TEXT(8), TEXT(9), TEXT(10)};
#undef TEXT
    if (!x.kind || !x.recipient || !x.day || !x.status) break;
    if (!rt_engine_replay(engine, &x)) {
      ok = rt_fail(why, whylen, "cannot read the ledger: entry %lld cannot be counted (its recipient or its day is not "
                   "one this program can hold, or memory ran out)", (long long)sqlite3_column_int64(s, 5));
      break;
    }
    if (engine == l->engine && sqlite3_column_int64(s, 5) > l->last_seq) l->last_seq = sqlite3_column_int64(s, 5);
  }
  if (ok && rt_read_failed(l->db, rc, why, whylen)) ok = false;
  sqlite3_finalize(s);
  return ok;
}

static bool load_own_table(incent_ledger *l, char *why, size_t whylen) {
  char hash[80];
  if (!meta_get(l, "program_hash", hash, sizeof hash)) return rt_fail(why, whylen, "the ledger holds no program yet");
  sqlite3_stmt *s;
  bool ok = false;
  if (sqlite3_prepare_v2(l->db, "SELECT tbl FROM programs WHERE hash = ?", -1, &s, NULL) == SQLITE_OK) {
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
      char reason[256] = "";
      incent_status st = incent_table_load(sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
                                           &l->own_table, reason, sizeof reason);
      ok = st == INCENT_OK;
      /* a table of another format was written by another incent: the same
       * partners and events run into a new ledger give the same account */
      if (st == INCENT_EVERSION)
        rt_fail(why, whylen, "the ledger's program is in another %s; run its partners and events into a new ledger"
                " with this incent, or read it with the incent that wrote it", reason);
      else if (!ok)
        rt_fail(why, whylen, "the ledger's program cannot be loaded: %s", reason);
    } else
      rt_fail(why, whylen, "the ledger's program %s is missing", hash);
    sqlite3_finalize(s);
  }
  l->t = l->own_table;
  return ok;
}

/* What an opened database file is: 1 an incent ledger, 0 an empty database
 * (a new file), -2 another SQLite database, -1 not readable as one (the
 * reason in why).  Only reads. */
static int ledger_kind(sqlite3 *db, char *why, size_t whylen) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(*), sum(name = 'meta'), (SELECT count(*) FROM sqlite_master WHERE name = 'meta'"
                         " AND sql LIKE '%key TEXT PRIMARY KEY, value TEXT NOT NULL%') FROM sqlite_master",
                         -1, &s, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "cannot read %s: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
    return -1;
  }
  int kind = -1;
  if (sqlite3_step(s) == SQLITE_ROW)
    kind = sqlite3_column_int(s, 0) == 0 ? 0 : sqlite3_column_int(s, 2) == 1 ? 1 : -2;
  else
    rt_fail(why, whylen, "cannot read %s: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
  sqlite3_finalize(s);
  if (kind != 1) return kind;
  /* and the meta table says it is one */
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM meta WHERE key = 'schema'", -1, &s, NULL) != SQLITE_OK) return -2;
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc == SQLITE_ROW) return 1;
  if (rc == SQLITE_DONE) return -2;
  rt_fail(why, whylen, "cannot read %s: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
  return -1;
}

static incent_status open_ledger(const char *path, const incent_table *t, bool allow_program_change, bool use_state,
                                 incent_ledger **out, char *why, size_t whylen);

incent_status incent_ledger_open(const char *path, const incent_table *t, int allow_program_change,
                                 incent_ledger **out, char *why, size_t whylen) {
  return open_ledger(path, t, allow_program_change != 0, true, out, why, whylen);
}

incent_status rt_ledger_verify_state(const char *path, incent_verdict *out, char *why, size_t whylen) {
  incent_ledger *l;
  incent_status st = open_ledger(path, NULL, false, false, &l, why, whylen);
  if (st != INCENT_OK) return st;
  bool same;
  if (!rt_state_verify(l, &same, out->detail, sizeof out->detail)) {
    rt_fail(why, whylen, "%s", out->detail);
    out->detail[0] = '\0';
    st = INCENT_EFORMAT;
  } else if (!same) {
    out->what = INCENT_STATE_CHANGED;
  } else {
    out->detail[0] = '\0';
  }
  incent_ledger_close(l, NULL, 0);
  return st;
}

static incent_status open_ledger(const char *path, const incent_table *t, bool allow_program_change, bool use_state,
                                 incent_ledger **out, char *why, size_t whylen) {
  *out = NULL;
  /* SQLite's allocation statistics take a process-wide mutex on every
   * allocation, which the applying and the writing thread would contend for;
   * nobody reads them.  (Refused harmlessly once SQLite is initialised.) */
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  long failures = rt_alloc_failures();
  incent_ledger *l = rt_calloc(1, sizeof *l);
  if (!l) return rt_fail(why, whylen, "out of memory"), INCENT_ENOMEM;
  l->failures = failures;
  pthread_mutex_init(&l->mu, NULL);
  pthread_cond_init(&l->go, NULL);
  pthread_cond_init(&l->idle, NULL);
  batch_init(&l->bufs[0]);
  batch_init(&l->bufs[1]);
  l->filling = &l->bufs[0];
  l->lock = -1;
  /* each connection is used by one thread at a time: no mutexes.  A reader
   * never writes: it opens the file read-only, so it works in a read-only
   * folder and cannot change a file that is not a ledger. */
  int flags = (t ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "cannot open ledger %s: %s", path, l->db ? sqlite3_errmsg(l->db) : "out of memory");
    incent_ledger_close(l, NULL, 0);
    return INCENT_EFORMAT;
  }
  sqlite3_busy_timeout(l->db, 5000);
  /* an existing file must be an incent ledger before anything is written to it */
  int kind = ledger_kind(l->db, why, whylen);
  if (kind < 0 || (kind == 0 && !t)) {
    if (kind == 0) rt_fail(why, whylen, "%s is not an incent ledger: it is empty; a run creates a ledger", path);
    else if (kind == -2) rt_fail(why, whylen, "%s is not an incent ledger (it is another SQLite database); it was left unchanged", path);
    incent_ledger_close(l, NULL, 0);
    return INCENT_EFORMAT;
  }
  /* Counters are rebuilt from the entries when a ledger opens, so two runs
   * at once could each spend the same budget: one run at a time holds an
   * flock on the file.  (SQLite's own locks are POSIX locks, which flock does
   * not touch; this descriptor is closed only after SQLite has let go.) */
  if (t && ((l->lock = open(path, O_RDONLY | O_CLOEXEC)) < 0 || flock(l->lock, LOCK_EX | LOCK_NB) != 0)) {
    if (errno == EWOULDBLOCK)
      rt_fail(why, whylen, "another incent run is applying events to %s; run again when it has ended", path);
    else
      rt_fail(why, whylen, "cannot lock ledger %s: %s", path, strerror(errno));
    incent_ledger_close(l, NULL, 0);
    return INCENT_EFORMAT;
  }
  char buf[128];
  /* the schema version is read before anything is written: a ledger of
   * another version is refused as it is */
  const char *version = kind == 1 ? meta_get(l, "schema", buf, sizeof buf) : NULL;
  bool ok = true;
  if (version && strcmp(version, LEDGER_SCHEMA) != 0)
    ok = rt_fail(why, whylen,
                 "%s is a ledger of schema %s; this incent reads schema %s (entries chained for tamper evidence): "
                 "run the same partners and events into a new ledger, or read this one with the incent that wrote it",
                 path, version, LEDGER_SCHEMA);
  else if (!version && kind == 1)
    ok = rt_fail(why, whylen, "%s is not an incent ledger: it holds no schema version", path);
  /* larger pages: fewer splits for append-heavy tables (takes effect on a new file only) */
  if (ok && t)
    ok = exec(l, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                 " PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384;", why, whylen);
  /* The tables, the schema version and the program go in as one transaction:
   * a run killed between them would leave tables without a version, a file no
   * later run would take for a ledger. */
  bool begun = ok && t && exec(l, "BEGIN IMMEDIATE", why, whylen);
  if (ok && t) ok = begun && exec(l, schema, why, whylen) && (version || meta_set(l, "schema", LEDGER_SCHEMA));
  if (ok && t) {
    char hash[65], old[80];
    incent_table_hash(t, hash);
    const char *have = meta_get(l, "program_hash", old, sizeof old);
    if (have && strcmp(have, hash) != 0 && !allow_program_change) {
      ok = rt_fail(why, whylen,
                "%s was written by another program (hash %.12s, this one %.12s); "
                "use --allow-program-change to go on with this one", path, have, hash);
    } else if (!have || strcmp(have, hash) != 0) {
      sqlite3_stmt *s;
      ok = sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO programs (hash, name, tbl) VALUES (?, ?, ?)", -1, &s,
                              NULL) == SQLITE_OK;
      if (ok) {
        sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, incent_table_program(t), -1, SQLITE_STATIC);
        sqlite3_bind_blob(s, 3, t->data, (int)t->len, SQLITE_STATIC);
        ok = sqlite3_step(s) == SQLITE_DONE && meta_set(l, "program_hash", hash);
        sqlite3_finalize(s);
      }
      if (!ok) rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db));
    }
    if (ok) ok = exec(l, "COMMIT", why, whylen);
    l->t = t;
  } else if (ok) {
    ok = load_own_table(l, why, whylen);
  }
  if (ok) ok = incent_engine_new(l->t, &l->engine, why, whylen) == INCENT_OK;
  if (ok) incent_engine_set_history(l->engine, rt_ledger_history, l);
  for (int i = 0; ok && i < S_COUNT; i++)
    if (sqlite3_prepare_v3(l->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &l->st[i], NULL) != SQLITE_OK)
      ok = rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db));
  /* the account state as the last commit left it, or rebuilt from the entries (and then written whole by
   * the next commit: after a program change, or from an older incent) */
  int loaded = 0;
  if (ok && !t && use_state && rt_state_usable(l)) {
    /* a reader: partners and their accounts are loaded as they are asked for (rt_ledger_need) */
    l->lazy = true;
    loaded = 1;
    l->last_seq = rt_state_last_seq(l);
    l->engine->last_day = rt_state_day(l);
  }
  if (ok && !l->lazy) ok = rt_ledger_load_partners(l, l->engine, NULL, why, whylen);
  if (ok && !l->lazy && use_state && (loaded = rt_state_load(l, l->engine, NULL, why, whylen)) < 0) ok = false;
  if (ok && !loaded) ok = rt_ledger_load_state(l, l->engine, INT64_MAX, NULL, why, whylen);
  l->filling_from = l->writing_from = l->last_seq;
  if (ok && t) {
    rt_engine_track(l->engine);
    if (!loaded) ok = rt_state_reset(l, why, whylen) && rt_engine_touch_all(l->engine);
  }
  /* a ledger opened to be written goes on with the chain where its last commit left it */
  if (ok && t) ok = chain_load(l->db, path, &l->chain, why, whylen);
  /* a second connection, for the applying thread while the writer thread holds the first */
  if (ok && (sqlite3_open_v2(path, &l->rd, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
             sqlite3_prepare_v3(l->rd, "SELECT hash FROM events WHERE id = ?", -1, SQLITE_PREPARE_PERSISTENT,
                                &l->seen, NULL) != SQLITE_OK))
    ok = rt_fail(why, whylen, "ledger: %s", l->rd ? sqlite3_errmsg(l->rd) : "out of memory");
  if (ok && t) {
    sqlite3_stmt *s;
    ok = sqlite3_prepare_v2(l->db, "SELECT 1 FROM events LIMIT 1", -1, &s, NULL) == SQLITE_OK;
    if (ok && sqlite3_step(s) == SQLITE_DONE && !(l->bloom = rt_calloc(BLOOM_BITS / 64, sizeof *l->bloom)))
      ok = rt_fail(why, whylen, "out of memory");
    sqlite3_finalize(s);
  }
  if (rt_alloc_failures() != failures) { /* partners or counters may be missing */
    incent_ledger_close(l, NULL, 0);
    return rt_fail(why, whylen, "out of memory"), INCENT_ENOMEM;
  }
  if (!ok) {
    incent_ledger_close(l, NULL, 0);
    return INCENT_EFORMAT;
  }
  *out = l;
  return INCENT_OK;
}

incent_engine *incent_ledger_engine(incent_ledger *l) {
  rt_ledger_need(l, NULL, NULL, 0); /* the whole state: whoever asks for the engine may ask it anything */
  return l->engine;
}

bool rt_ledger_need(incent_ledger *l, const char *partner, char *why, size_t whylen) {
  if (!l->lazy) return true;
  uint32_t at;
  if (partner && strmap_get(&l->engine->partner_index, partner, strlen(partner), &at)) return true; /* loaded */
  bool ok = rt_ledger_load_partners(l, l->engine, partner, why, whylen) &&
            rt_state_load(l, l->engine, partner, why, whylen) >= 0;
  if (!partner) l->lazy = false;
  return ok;
}

incent_status incent_ledger_account(incent_ledger *l, const char *partner, const char *at, incent_account *out,
                                    char *why, size_t whylen) {
  if (!rt_ledger_need(l, partner, why, whylen)) return INCENT_EIO;
  return incent_engine_account(l->engine, partner, at, out);
}
sqlite3 *rt_ledger_db(incent_ledger *l) { return l->db; }
const incent_table *incent_ledger_table(incent_ledger *l) { return l->t; }

/* ---- Writing a batch (the writer thread) ---- */

/* The record of the chain as the batch leaves it, in the batch's transaction. */
static bool write_chain_record(incent_ledger *l) {
  char text[4][66];
  chain_meta_values(&l->chain, text);
  sqlite3_stmt *s = l->st[S_CHAIN];
  for (int i = 0; i < 4; i++) sqlite3_bind_text(s, i + 1, text[i], -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE;
}

static bool write_batch(incent_ledger *l, batch *b, char *error, size_t errlen) {
  if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(error, errlen, "ledger: %s", sqlite3_errmsg(l->db));
    return false;
  }
  batch_cursor cur = {0};
  val v[BATCH_MAX_VALUES];
  int stmt, n;
  while (batch_next(b, &cur, &stmt, v, &n)) {
    /* hashed here, in the order written: the applying thread is the slower of the two */
    if (stmt == S_ENTRY || stmt == S_EVENT_INSERT) chain_row(&l->chain, stmt == S_ENTRY, v);
    sqlite3_stmt *s = l->st[stmt];
    for (int i = 0; i < n; i++) {
      if (v[i].tag == 'T') sqlite3_bind_text(s, i + 1, v[i].s, (int)v[i].len, SQLITE_STATIC);
      else if (v[i].tag == 'I') sqlite3_bind_int64(s, i + 1, v[i].i);
      else if (v[i].tag == 'B') sqlite3_bind_blob(s, i + 1, v[i].s, 16, SQLITE_STATIC);
      else sqlite3_bind_null(s, i + 1);
    }
    if (stmt == S_ENTRY) sqlite3_bind_blob(s, CHAIN_ENTRY_COLUMNS + 1, l->chain.head, CHAIN_SIZE, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
      snprintf(error, errlen, "ledger: %s", sqlite3_errmsg(l->db));
      sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
      return false;
    }
  }
  if (!write_chain_record(l) || sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(error, errlen, "ledger: %s", sqlite3_errmsg(l->db));
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return false;
  }
  return true;
}

/* Once a batch fails, nothing after it is written: the ledger keeps the
 * batches before it, which an uninterrupted run would also have written. */
static void *writer_main(void *arg) {
  incent_ledger *l = arg;
  pthread_mutex_lock(&l->mu);
  for (;;) {
    while (!l->stop && (!l->writing || l->done)) pthread_cond_wait(&l->go, &l->mu);
    if (!l->writing || l->done) break;
    batch *b = l->writing;
    bool failed = l->failed;
    pthread_mutex_unlock(&l->mu);
    char error[256] = "";
    bool ok = !failed && write_batch(l, b, error, sizeof error);
    pthread_mutex_lock(&l->mu);
    if (!ok && !l->failed) {
      l->failed = true;
      snprintf(l->error, sizeof l->error, "%s", error);
    }
    l->done = true;
    pthread_cond_broadcast(&l->idle);
  }
  pthread_mutex_unlock(&l->mu);
  return NULL;
}

static bool start_writer(incent_ledger *l) {
  if (l->running) return true;
  if (pthread_create(&l->writer, NULL, writer_main, l) != 0) {
    snprintf(l->error, sizeof l->error, "cannot start the ledger's writer thread");
    l->failed = true;
    return false;
  }
  l->running = true;
  return true;
}

/* An allocation lost anywhere in the library may have changed what an event
 * produced, however the code below took it: from then on nothing is
 * committed, and the run stops with "out of memory". */
static void check_memory(incent_ledger *l, bool lost) {
  if (!lost && rt_alloc_failures() == l->failures) return;
  pthread_mutex_lock(&l->mu);
  if (!l->failed) snprintf(l->error, sizeof l->error, "out of memory");
  l->failed = true;
  pthread_mutex_unlock(&l->mu);
}

/* Hands the filling batch to the writer once it has finished the one before;
 * with wait, also waits for this one.  Returns false once anything failed. */
bool rt_ledger_hand_over(incent_ledger *l, bool wait) {
  /* the state the batch's events left, in the batch's transaction */
  if (!batch_empty(l->filling) && !rt_state_rows(l)) check_memory(l, true);
  check_memory(l, false);
  if (!l->running) return !l->failed;
  pthread_mutex_lock(&l->mu);
  while (l->writing && !l->done) pthread_cond_wait(&l->idle, &l->mu);
  batch *spare = l->writing ? l->writing : l->filling == &l->bufs[0] ? &l->bufs[1] : &l->bufs[0];
  if (!batch_empty(l->filling)) {
    l->writing = l->filling;
    l->done = false;
    pthread_cond_signal(&l->go);
    l->filling = spare;
    l->writing_from = l->filling_from;
    l->filling_from = l->last_seq;
  }
  while (wait && l->writing && !l->done) pthread_cond_wait(&l->idle, &l->mu);
  bool ok = !l->failed;
  pthread_mutex_unlock(&l->mu);
  /* every batch before the one now being written is committed: a new snapshot sees them */
  if (l->reading) sqlite3_exec(l->rd, "COMMIT", NULL, NULL, NULL);
  l->reading = false;
  /* the spare is the applying thread's alone now; the writer has done with it */
  if (l->filling == spare) batch_clear(spare);
  l->pending = 0;
  return ok;
}

static bool failed(incent_ledger *l, char *why, size_t whylen) {
  check_memory(l, false);
  if (!l->running) return l->failed && (rt_fail(why, whylen, "%s", l->error), true);
  pthread_mutex_lock(&l->mu);
  bool f = l->failed;
  if (f) rt_fail(why, whylen, "%s", l->error);
  pthread_mutex_unlock(&l->mu);
  return f;
}

incent_status incent_ledger_commit(incent_ledger *l, char *why, size_t whylen) {
  if (!rt_ledger_hand_over(l, true)) return failed(l, why, whylen), INCENT_EFORMAT;
  return INCENT_OK;
}

incent_status incent_ledger_close(incent_ledger *l, char *why, size_t whylen) {
  if (!l) return INCENT_OK;
  incent_status st = INCENT_OK;
  if (l->running) {
    st = incent_ledger_commit(l, why, whylen);
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_signal(&l->go);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->writer, NULL);
  }
  pthread_mutex_destroy(&l->mu);
  pthread_cond_destroy(&l->go);
  pthread_cond_destroy(&l->idle);
  for (int i = 0; i < S_COUNT; i++) sqlite3_finalize(l->st[i]);
  sqlite3_finalize(l->seen);
  rt_ledger_history_free(l);
  if (l->reading) sqlite3_exec(l->rd, "COMMIT", NULL, NULL, NULL);
  if (l->rd) sqlite3_close(l->rd);
  /* A run leaves its ledger in rollback-journal mode, with the write-ahead
   * log folded in: readers then need no -shm file, so they work in a folder
   * they cannot write.  (Refused harmlessly while another reader is in.) */
  if (l->db && l->lock >= 0 && st == INCENT_OK && !l->failed)
    sqlite3_exec(l->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (l->db) sqlite3_close(l->db);
  if (l->lock >= 0) close(l->lock);
  free(l->bloom);
  batch_free(&l->bufs[0]);
  batch_free(&l->bufs[1]);
  incent_engine_free(l->engine);
  incent_table_free(l->own_table);
  free(l);
  return st;
}

/* Appends a row to the filling batch, starting the writer on first use. */
static bool put(incent_ledger *l, int stmt, int n, const val *v, const char **texts, char *why, size_t whylen) {
  if (failed(l, why, whylen) || !start_writer(l)) return failed(l, why, whylen), false;
  if (!batch_row(l->filling, stmt, n, v, texts)) return rt_fail(why, whylen, "out of memory");
  return true;
}

incent_status incent_ledger_partner(incent_ledger *l, const char *const *values, int nvalues, char *why,
                                    size_t whylen) {
  if (failed(l, why, whylen)) return INCENT_EIO;
  incent_status st = incent_engine_partner(l->engine, values, nvalues, why, whylen);
  if (st == INCENT_ENOMEM) rt_fail(why, whylen, "out of memory");
  if (st != INCENT_OK) return st;
  int nattrs = incent_table_nattrs(l->t);
  char *attrs = pairs(values, nvalues < nattrs ? nvalues : nattrs, 1, attr_name, l->t);
  if (!attrs) return rt_fail(why, whylen, "out of memory"), INCENT_ENOMEM;
  val v[2] = {VT(values[0]), VT(attrs)};
  bool ok = put(l, S_PARTNER, 2, v, NULL, why, whylen);
  free(attrs);
  return ok ? INCENT_OK : INCENT_EIO;
}

/* The first 16 bytes of SHA-256 over parts joined by SEP, the last one by a
 * newline: an event's type, partner, time and then its fields. */
static void sha16_parts(const char *const *parts, int n, unsigned char out[16]) {
  struct sha256_ctx c;
  unsigned char full[SHA256_DIGEST_SIZE];
  sha256_init(&c);
  for (int i = 0; i < n; i++) {
    if (i) sha256_update(&c, 1, (const uint8_t *)(i == n - 1 ? "\n" : "\x1f"));
    sha256_update(&c, strlen(parts[i]), (const uint8_t *)parts[i]);
  }
  sha256_digest(&c, sizeof full, full);
  memcpy(out, full, 16);
}

incent_status incent_ledger_reject(incent_ledger *l, const char *source, long row_no, const char *event_id,
                                   const char *raw, const char *reason, char *why, size_t whylen) {
  unsigned char h[16];
  /* A reject is the row at its place in its file: the same row rejected
   * again by a rerun is the same reject, whatever the reason is then (an
   * id rejected at row 1 and applied at row 5 is, on a rerun, a conflict at
   * row 1: still the one reject).  Identical rows at two places are two. */
  char where[32];
  snprintf(where, sizeof where, "%ld", row_no);
  const char *parts[3] = {source ? source : "", where, raw ? raw : ""};
  sha16_parts(parts, 3, h);
  val v[6] = {VB(h), VT(source ? source : ""), VI(row_no), VT(event_id), VT(raw ? raw : ""), VT(reason)};
  return put(l, S_REJECT, 6, v, NULL, why, whylen) ? INCENT_OK : INCENT_EFORMAT;
}

typedef struct applying { incent_ledger *l; bool oom; } applying;

static void on_entry(void *ud, const incent_entry *e) {
  applying *a = ud;
  val v[CHAIN_ENTRY_COLUMNS] = {VI(a->l->last_seq + 1), VT(e->event), VT(e->recipient), VT(e->rule), VT(e->raw),
                                VT(e->multiplier), VI(e->granted), VT(e->period), VT(e->day), VT(e->status),
                                VT(e->message), VT(e->kind), e->reverses ? VI(e->reverses) : VN,
                                VT(e->available), VT(e->last_valid)};
  if (!batch_row(a->l->filling, S_ENTRY, CHAIN_ENTRY_COLUMNS, v, NULL)) a->oom = true;
  else a->l->last_seq++;
  /* what a reversal in a batch not yet committed took back, for the reversals after it (history.c) */
  if (!a->oom && e->reverses && !batch_reversed_add(a->l->filling, e->reverses, -e->granted)) a->oom = true;
}

static void on_tier(void *ud, const char *event, const char *partner, const char *from, const char *to,
                    const char *message) {
  applying *a = ud;
  val v[5] = {VT(event), VT(partner), VT(from), VT(to), VT(message)};
  if (!batch_row(a->l->filling, S_TIER, 5, v, NULL)) a->oom = true;
}

static void on_notify(void *ud, const incent_notification *n) {
  applying *a = ud;
  val v[8] = {VT(n->event), VT(n->partner), VT(n->language), VT(n->message), VT(n->channel), VT(n->subject),
              VT(n->text), VT(n->fallback)};
  if (!n->subject || !n->text || !batch_row(a->l->filling, S_OUTBOX, 8, v, NULL)) a->oom = true;
}

/* Whether event id was seen before: in the filling batch, in the batch being
 * written, or committed (looked up through the applying thread's own
 * connection).  The connection reads one snapshot per batch, taken after the
 * writer finished the batch before the one it is writing: every batch is in
 * memory or in the snapshot, and a lookup costs no locking of the database
 * file.  1 with its hash in h, 0 when not, -1 on a database failure. */
static int seen_before(incent_ledger *l, const char *id, unsigned char h[16], char *why, size_t whylen) {
  size_t len = strlen(id);
  const unsigned char *known = batch_find(l->filling, id, len);
  if (!known && l->writing) known = batch_find(l->writing, id, len);
  if (known) return memcpy(h, known, 16), 1;
  /* a ledger that held no events at open holds only what this run wrote */
  if (l->bloom && !bloom_has(l->bloom, strmap_hash(id, len))) return 0;
  if (!l->reading && sqlite3_exec(l->rd, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->rd)), -1;
  l->reading = true;
  sqlite3_stmt *s = l->seen;
  sqlite3_bind_text(s, 1, id, (int)len, SQLITE_STATIC);
  int rc = sqlite3_step(s), found = 0;
  if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 16) memcpy(h, sqlite3_column_blob(s, 0), 16), found = 1;
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE) found = -1, rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->rd));
  sqlite3_reset(s);
  return found;
}

incent_outcome incent_ledger_apply(incent_ledger *l, const incent_event *ev, char *why, size_t whylen) {
  if (failed(l, why, whylen) || !start_writer(l)) return failed(l, why, whylen), INCENT_OUT_ERROR;
  /* the content that identifies an event: everything but its id */
  const char *head[3] = {ev->type ? ev->type : "", ev->partner ? ev->partner : "", ev->time ? ev->time : ""};
  field_names names = {l->t, ev->type ? incent_table_event_type(l->t, ev->type) : -1};
  char *fields = names.type >= 0 ? pairs(ev->values, ev->nvalues, 0, field_name, &names) : rt_strdup("");
  if (!fields) return rt_fail(why, whylen, "out of memory"), INCENT_OUT_ERROR;
  /* the content, by field name: the same input after a program change hashes the same */
  unsigned char h[16], old[16];
  const char *parts[4] = {head[0], head[1], head[2], fields};
  sha16_parts(parts, 4, h);
  bool has_id = ev->id && ev->id[0];
  int seen = has_id ? seen_before(l, ev->id, old, why, whylen) : 0;
  if (seen != 0) {
    free(fields);
    if (seen < 0) return INCENT_OUT_ERROR;
    if (memcmp(old, h, 16) == 0) return INCENT_OUT_DUPLICATE;
    rt_fail(why, whylen, "event id \"%s\" was applied before with other content", ev->id);
    return INCENT_OUT_REJECTED;
  }
  int64_t after = l->last_seq;
  batch_cursor start = batch_end(l->filling); /* where this event's rows will begin */
  applying a = {l, false};
  incent_report rep = {on_entry, NULL, on_tier, &a, on_notify}; /* skipped rules are derived again by explain */
  incent_result r = incent_engine_apply(l->engine, ev, &rep, why, whylen);
  incent_outcome out = r == INCENT_EVENT_APPLIED ? INCENT_OUT_APPLIED : INCENT_OUT_REJECTED;
  /* a rejection by the rules depended on the state the event met: it is
   * remembered, so the same event again is a duplicate and a rerun changes
   * nothing; a rejection of the event itself is forgotten, to be tried again */
  if (!a.oom && (r == INCENT_EVENT_APPLIED || r == INCENT_EVENT_REJECTED_BY_RULES)) {
    /* the actor's tier before the event: what explain needs of the state the event met */
    val v[CHAIN_EVENT_COLUMNS] = {VT(ev->id), VB(h), VT(head[0]), VT(head[1]), VT(head[2]), VT(fields),
                                  VT(r == INCENT_EVENT_APPLIED ? "applied" : "rejected"), VI(after),
                                  VT(rt_engine_actor_tier(l->engine))};
    const char *texts[CHAIN_EVENT_COLUMNS];
    a.oom = !batch_row(l->filling, S_EVENT_INSERT, CHAIN_EVENT_COLUMNS, v, texts) ||
            !batch_remember(l->filling, texts[0], (const unsigned char *)texts[1], start);
    if (l->bloom && !a.oom) bloom_add(l->bloom, strmap_hash(texts[0], strlen(texts[0])));
  }
  free(fields);
  check_memory(l, a.oom); /* the batch holds part of this event: it is not committed */
  if (failed(l, why, whylen)) return INCENT_OUT_ERROR;
  long batch = (long)l->engine->npartners * BATCH_PER_PARTNER;
  if (++l->pending >= (batch > BATCH_EVENTS ? batch : BATCH_EVENTS) && !rt_ledger_hand_over(l, false))
    return failed(l, why, whylen), INCENT_OUT_ERROR;
  return out;
}

incent_status incent_ledger_expire(incent_ledger *l, const char *until, long long *lapses, char *why, size_t whylen) {
  *lapses = 0;
  if (failed(l, why, whylen) || !start_writer(l)) return failed(l, why, whylen), INCENT_EIO;
  int64_t before = l->last_seq;
  applying a = {l, false};
  incent_report rep = {on_entry, NULL, on_tier, &a, on_notify};
  incent_status st = incent_engine_expire(l->engine, until, &rep, why, whylen);
  check_memory(l, a.oom);
  if (st != INCENT_OK) return st;
  if (failed(l, why, whylen)) return INCENT_EIO;
  *lapses = l->last_seq - before;
  return incent_ledger_commit(l, why, whylen) == INCENT_OK ? INCENT_OK : INCENT_EIO;
}

incent_status incent_ledger_outbox(incent_ledger *l, incent_outbox_fn *fn, void *ud, char *why, size_t whylen) {
  return incent_ledger_outbox_after(l, 0, fn, ud, why, whylen);
}

incent_status incent_ledger_outbox_after(incent_ledger *l, long long after, incent_outbox_fn *fn, void *ud, char *why,
                                         size_t whylen) {
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT; /* reads what was applied */
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(l->db,
                         "SELECT o.event, o.partner, o.language, o.message, o.channel, o.subject, o.text, o.fallback,"
                         " o.seq, p.attrs FROM outbox o LEFT JOIN partners p ON p.id = o.partner WHERE o.seq > ?1"
                         " ORDER BY o.seq",
                         -1, &s, NULL) != SQLITE_OK)
    return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db)), INCENT_EFORMAT;
  sqlite3_bind_int64(s, 1, after);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *c[8];
    for (int i = 0; i < 8; i++) c[i] = (const char *)sqlite3_column_text(s, i);
    const char *attrs = (const char *)sqlite3_column_text(s, 9);
    char name[INCENT_MAX_VALUE + 1], email[INCENT_MAX_VALUE + 1];
    /* a lapse that incent expire wrote has no event: NULL, as a lapse's entry has */
    incent_notification n = {c[0] && c[0][0] ? c[0] : NULL, c[1], c[2], c[3], c[4], c[5], c[6], c[7],
                             sqlite3_column_int64(s, 8), rt_pair_value(attrs, "name", name, sizeof name),
                             rt_pair_value(attrs, "email", email, sizeof email)};
    if (n.email && !n.email[0]) n.email = NULL;
    fn(ud, &n);
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(l->db)), INCENT_EFORMAT;
  return INCENT_OK;
}
