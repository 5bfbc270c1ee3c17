/* incent.h: the public interface of libincent, the incent runtime.
 *
 * Ownership: every object is opaque and created by an incent_*_load or
 * incent_*_new function and released by the matching incent_*_free; inputs
 * are copied, never kept; strings returned by the library belong to the
 * object they came from and live as long as it.  The library never prints and
 * never exits: it reports through return codes and, where a function takes
 * one, a caller's buffer or callback. */
#ifndef INCENT_H
#define INCENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INCENT_TABLE_FORMAT 2
/* The longest value, in bytes, of an id, a partner attribute or an event
 * field; a longer one is refused with its row. */
#define INCENT_MAX_VALUE 4096

typedef enum incent_status {
  INCENT_OK = 0,
  INCENT_ENOMEM,   /* out of memory */
  INCENT_EFORMAT,  /* malformed: not a rule table, a damaged one, a bad value */
  INCENT_EVERSION, /* a rule table of another format version */
  INCENT_EHASH,    /* the content does not match its hash */
  INCENT_ENOENT,   /* no such partner */
  INCENT_EIO       /* the ledger's database failed: stop */
} incent_status;

/* A compiled program (a rule table), loaded and verified. */
typedef struct incent_table incent_table;

/* Verifies and loads a rule table from len bytes (copied).  On failure,
 * writes a one-line reason into why (if not NULL) and returns the status. */
incent_status incent_table_load(const void *data, size_t len, incent_table **out, char *why,
                                size_t whylen);
void incent_table_free(incent_table *t);

/* The program's content hash as 64 lowercase hex digits and a NUL. */
void incent_table_hash(const incent_table *t, char out[65]);
/* The program's name (its gettext text domain). */
const char *incent_table_program(const incent_table *t);

/* The languages the program declares, the source language first. */
int incent_table_nlanguages(const incent_table *t);
const char *incent_table_language(const incent_table *t, int i);

/* Receives text written by the library. */
typedef void incent_write_fn(void *ud, const char *text, size_t len);
/* A readable listing of the table: program, declarations, rules with their
 * disassembled bytecode, messages and constants. */
incent_status incent_table_dump(const incent_table *t, incent_write_fn *write, void *ud);

/* Looking up names of a table: an index, or -1 when there is none. */
int incent_table_nevents(const incent_table *t);
int incent_table_event_type(const incent_table *t, const char *name);
/* Declared fields of an event type, in declaration order (built-ins excluded). */
int incent_table_event_nfields(const incent_table *t, int type);
const char *incent_table_event_field_name(const incent_table *t, int type, int field);
int incent_table_event_field(const incent_table *t, int type, const char *name);
/* Partner attributes: 0 id, 1 name, 2 language, 3 country, 4 tier, then the
 * declared ones. */
int incent_table_nattrs(const incent_table *t);
const char *incent_table_attr_name(const incent_table *t, int attr);
int incent_table_rule(const incent_table *t, const char *name);
int incent_table_nrules(const incent_table *t);
/* Rule i (0 .. nrules - 1): its name; its category, NULL when it has none;
 * its action ("award", "deduct" or "reverse"); its budget in points, -1
 * when it has none. */
const char *incent_table_rule_name(const incent_table *t, int rule);
const char *incent_table_rule_category(const incent_table *t, int rule);
const char *incent_table_rule_action(const incent_table *t, int rule);
long long incent_table_rule_budget(const incent_table *t, int rule);
/* The program's budget in points, -1 when it has none. */
long long incent_table_budget(const incent_table *t);

/* ---- Applying a program to events ---- */

/* An engine applies one table to events in the order given, keeping the
 * state that caps, limits, budgets and tiers need.  It borrows the table,
 * which must outlive it.  Memory grows with partners and their counters,
 * never with events: remembering which event ids were seen is the caller's
 * (the ledger's) business. */
typedef struct incent_engine incent_engine;

/* An event as text, as read from CSV or JSON Lines.  values[i] is declared
 * field i of the event's type (NULL when absent); time is ISO 8601 (a bare
 * date or a time without offset is read in the program's time zone). */
typedef struct incent_event {
  const char *id, *type, *partner, *time;
  const char *const *values;
  int nvalues;
} incent_event;

/* One ledger entry (LANGUAGE.md step 3g).  Strings live until the callback returns. */
typedef struct incent_entry {
  const char *event, *recipient, *rule, *status; /* status: applied, limited, capped or budget */
  const char *raw, *multiplier;                  /* decimals as text: an award's raw points and tier
                                                    multiplier; a reversal's credit and share */
  long long granted;
  const char *period;                            /* the key of the period the entry counts in */
  const char *day;                               /* the event's local date */
  const char *message;                           /* the rule's notify message, or NULL */
  /* The points account (LANGUAGE.md): kind is "credit" (an award, granted
   * >= 0), "debit" (a deduction), "reversal" or "expired" (a lapse), the
   * last three with granted <= 0, so that a balance is the sum of entries.
   * A lapse has no rule (NULL) and, written by incent_engine_expire, no
   * event (NULL); its day is the day the points lapsed. */
  const char *kind;
  const char *reverses_event, *reverses_rule;    /* a reversal's: the credit it takes back from, */
  long long reverses;                            /* and that credit's id in the history (incent_grant) */
  const char *available, *last_valid;            /* a credit's: the first and the last day its points
                                                    can be spent; last_valid NULL: never lapses */
} incent_entry;

typedef struct incent_notification incent_notification; /* below */

/* What the engine reports; any callback may be NULL. */
typedef struct incent_report {
  void (*entry)(void *ud, const incent_entry *e);
  /* a rule that matched but gave nothing to anybody, e.g. an empty `to` partner */
  void (*skipped)(void *ud, const char *event, const char *rule, const char *reason);
  void (*tier)(void *ud, const char *event, const char *partner, const char *from, const char *to,
               const char *message);
  void *ud;
  /* a queued message, rendered (only with incent_engine_set_messages);
   * subject and text are NULL when memory ran out */
  void (*notify)(void *ud, const incent_notification *n);
} incent_report;

incent_status incent_engine_new(const incent_table *t, incent_engine **out, char *why, size_t whylen);
void incent_engine_free(incent_engine *e);

/* Adds or replaces a partner; values[i] is attribute i (NULL or "" when not
 * given).  INCENT_EFORMAT with a reason when a value is malformed. */
incent_status incent_engine_partner(incent_engine *e, const char *const *values, int nvalues, char *why,
                                    size_t whylen);

typedef enum incent_result {
  INCENT_EVENT_APPLIED = 0,
  INCENT_EVENT_REJECTED,         /* step 1: the event itself is wrong (type, partner, field, time) */
  INCENT_EVENT_REJECTED_BY_RULES /* later: its rules fail on it (negative, overflow, division by zero) */
} incent_result;

/* Applies one event.  A rejected event changes nothing and has its reason in
 * why; an applied one reports its entries, skipped rules and tier rises.  A
 * rejection by the rules depends on the state the event met, so a ledger
 * remembers it (the same event again is a duplicate); a rejection in step 1
 * does not. */
incent_result incent_engine_apply(incent_engine *e, const incent_event *ev, const incent_report *r, char *why,
                                  size_t whylen);

/* The tier a partner holds at an instant (ISO 8601), by name; NULL for an
 * unknown partner or a program without tiers. */
const char *incent_engine_tier(const incent_engine *e, const char *partner, const char *time);

/* ---- The points account ---- */

/* A reversal (`reverse FIELD`) takes back what an earlier event granted.
 * The engine remembers no events, so it asks the caller, who keeps them (a
 * ledger does), through a history function: for the id, fill *out and
 * return 1, return 0 when no such event was applied, -1 when the history
 * cannot be read (the event is then rejected with that reason).  What *out
 * points to must stay valid until incent_engine_apply returns.  Without a
 * history function every reversal is rejected. */
typedef struct incent_grant {
  long long entry;     /* the caller's id of the credit entry, reported back as a reversal's `reverses` */
  const char *recipient, *rule;
  const char *day;     /* the credit entry's day */
  long long granted;   /* its points (> 0) */
  long long reversed;  /* taken back from it by earlier reversals (>= 0) */
} incent_grant;
typedef struct incent_past_event {
  const char *type, *partner, *time;
  const char *const *values; /* declared fields as text, as incent_event has them */
  int nvalues;
  const incent_grant *grants; /* every credit entry it made */
  int ngrants;
} incent_past_event;
typedef int incent_history_fn(void *ud, const char *event, incent_past_event *out);
void incent_engine_set_history(incent_engine *e, incent_history_fn *fn, void *ud);

/* Coverage: a table built for it (incent test --coverage) reports the value
 * of each operand of a rule's condition as the condition is evaluated, with
 * the operand's number in the table (short-circuited operands are not
 * evaluated and not reported).  Other tables never call fn. */
typedef void incent_probe_fn(void *ud, int rule, int operand, int value);
void incent_engine_set_probe(incent_engine *e, incent_probe_fn *fn, void *ud);

/* A partner's account at the end of a day (a bare date) or at an instant,
 * every lapse up to then included, as the events applied so far left it:
 * what a partner portal shows.  next_lapse is the day the next points lapse
 * ("" when none will) and next_lapse_points how many.  INCENT_ENOENT for an
 * unknown partner, INCENT_EFORMAT for a malformed time. */
typedef struct incent_account {
  long long balance, available, pending, expired;
  long long credited, spent, reversed; /* totals: credits, debits, reversals (positive) */
  char next_lapse[16];
  long long next_lapse_points;
} incent_account;
incent_status incent_engine_account(const incent_engine *e, const char *partner, const char *at, incent_account *out);

/* Writes every lapse of every partner up to until (a date): the lapses of
 * credits whose last valid day is before it, as entries without an event,
 * and renders their messages.  Run again, it writes nothing. */
incent_status incent_engine_expire(incent_engine *e, const char *until, const incent_report *r, char *why,
                                   size_t whylen);

/* ---- Partner messages, in each partner's language ---- */

/* A program's texts in every language it declares: for each but the source
 * language (the first declared), its compiled gettext catalog
 * locale_dir/LANG/LC_MESSAGES/PROGRAM.mo, and for statements the library's
 * own labels, own_locale_dir/LANG/LC_MESSAGES/incent.mo; numbers, money and
 * dates are written with ICU in each language.  Catalogs are loaded once,
 * here, and never through the process locale.
 *
 * A catalog that is not there is no error: texts in that language go out in
 * the source language, and each such fallback is counted with its reason
 * (incent_messages_fallbacks).  A catalog that is there but cannot be read
 * is: INCENT_EFORMAT, with why naming the file.  locale_dir NULL: every
 * text in the source language, each counted as a fallback. */
typedef struct incent_messages incent_messages;
incent_status incent_messages_load(const incent_table *t, const char *locale_dir, const char *own_locale_dir,
                                   incent_messages **out, char *why, size_t whylen);
void incent_messages_free(incent_messages *m);

/* A rendered notification.  language is the language subject and text are
 * written in: the partner's, or the source language with fallback saying
 * why.  channel is the recipient's `channel` attribute when the program
 * declares one, else "email". */
struct incent_notification {
  const char *event, *partner, *language, *message, *channel, *subject, *text;
  const char *fallback; /* NULL, or why a text is not in the partner's language */
  /* set by incent_ledger_outbox (0 and NULL from an engine): the row's
   * sequence number in the outbox, and the partner's name and `email`
   * attribute (NULL when the program declares none or the partner has none) */
  long long seq;
  const char *name, *email;
};

/* From now on the engine renders every message it queues, in the
 * recipient's language, once the event is applied (so {balance} and
 * {tier} are as the event left them), and reports it through the report's
 * notify.  m must outlive the engine's use of it; NULL stops rendering. */
void incent_engine_set_messages(incent_engine *e, incent_messages *m);

/* Every fallback so far: once per language asked for and reason, with the
 * number of texts. */
typedef void incent_fallback_fn(void *ud, const char *language, const char *reason, long count);
void incent_messages_fallbacks(const incent_messages *m, incent_fallback_fn *fn, void *ud);

/* What is wrong with a catalog that is used all the same, one sentence each
 * naming its file (a Plural-Forms that does not suit the language). */
typedef void incent_warning_fn(void *ud, const char *text);
void incent_messages_warnings(const incent_messages *m, incent_warning_fn *fn, void *ud);

/* ---- The ledger: a SQLite database that loses nothing ---- */

/* A ledger records every event applied (by id, with a content hash), the
 * entries they produced (appended, never updated), every rejected row with
 * its reason, tier changes, the partners, the state of caps, limits,
 * budgets and tiers, and the compiled program that wrote it.  Work is
 * committed in batches, entries and state together, so that a run killed at
 * any moment and run again ends exactly where an uninterrupted run would. */
typedef struct incent_ledger incent_ledger;

/* Opens (creating) the ledger at path for the table t.  A ledger written by
 * another program is refused (INCENT_EFORMAT) unless allow_program_change.
 * With t NULL, the ledger's own program is loaded (for reading it). */
incent_status incent_ledger_open(const char *path, const incent_table *t, int allow_program_change,
                                 incent_ledger **out, char *why, size_t whylen);
/* Commits what is pending and closes.  Returns INCENT_OK or the failure. */
incent_status incent_ledger_close(incent_ledger *l, char *why, size_t whylen);
/* The engine and table the ledger applies (owned by the ledger). */
incent_engine *incent_ledger_engine(incent_ledger *l);
const incent_table *incent_ledger_table(incent_ledger *l);

/* Adds or updates a partner (attribute values as for incent_engine_partner):
 * INCENT_EFORMAT with the reason when a value is malformed (the caller
 * records the row with incent_ledger_reject), INCENT_ENOMEM or INCENT_EIO
 * when the ledger cannot go on. */
incent_status incent_ledger_partner(incent_ledger *l, const char *const *values, int nvalues, char *why,
                                    size_t whylen);

typedef enum incent_outcome { INCENT_OUT_APPLIED = 0, INCENT_OUT_DUPLICATE, INCENT_OUT_REJECTED, INCENT_OUT_ERROR } incent_outcome;

/* Applies one event unless its id was applied before (same content: a
 * duplicate; other content: rejected as a conflict).  On INCENT_OUT_REJECTED
 * the reason is in why and the caller records the row with
 * incent_ledger_reject (only then is its raw text needed).
 * INCENT_OUT_ERROR means the database failed (the reason is in why): stop. */
incent_outcome incent_ledger_apply(incent_ledger *l, const incent_event *ev, char *why, size_t whylen);
/* Records a rejected row: one that apply rejected, or one that could not be
 * read as an event at all.  A reject is its source, row and raw text: the
 * same row recorded again (by a rerun) is kept once, with its first reason. */
incent_status incent_ledger_reject(incent_ledger *l, const char *source, long row, const char *event_id,
                                   const char *raw, const char *reason, char *why, size_t whylen);
/* Writes every lapse up to until (a date) for every partner (as
 * incent_engine_expire does), with the messages they send, and commits;
 * *lapses is the number of entries written.  Run again, it writes nothing.
 * INCENT_EFORMAT for a malformed date, INCENT_EIO when the ledger failed. */
incent_status incent_ledger_expire(incent_ledger *l, const char *until, long long *lapses, char *why, size_t whylen);
/* Commits the current batch (done every few thousand events anyway). */
incent_status incent_ledger_commit(incent_ledger *l, char *why, size_t whylen);

/* A ledger's partners and events read back for another program t (its
 * attributes and fields matched by name; a value t declares and the ledger
 * lacks is NULL), for `incent simulate NEW --ledger`.  First partner once
 * per partner, sorted by id; then, in the order they were applied, event
 * once per event the ledger holds (applied, or rejected by its rules:
 * outcome "applied" or "rejected"), each after entry for every entry the
 * ledger wrote for it and for the lapses that came before it.  Lapses
 * written after the last event (incent expire) come last, with no event.
 * A field the ledger's program declares and the event left empty is "";
 * an event of a type t does not declare has no values.  Any callback may
 * be NULL. */
typedef struct incent_replay {
  void (*partner)(void *ud, const char *const *values, int nvalues);
  void (*entry)(void *ud, const incent_entry *e);
  void (*event)(void *ud, const incent_event *ev, const char *outcome);
  void *ud;
} incent_replay;
incent_status incent_ledger_replay(incent_ledger *l, const incent_table *t, const incent_replay *r, char *why,
                                   size_t whylen);

/* Balances: calls fn once per partner with any entry (sorted by id), with
 * its points, counting only period (NULL: all) and only partner (NULL: all),
 * and its tier at the ledger's latest event (NULL without tiers).  Then, per
 * partner, once per rule with rule set. */
typedef void incent_balance_fn(void *ud, const char *partner, const char *rule, long long points, const char *tier);
incent_status incent_ledger_balances(incent_ledger *l, const char *partner, const char *period,
                                     incent_balance_fn *fn, void *ud, char *why, size_t whylen);

/* A partner's account in the ledger, as incent_engine_account gives it (at:
 * the end of a day, or an instant), reading only that partner's state:
 * what a partner portal asks of a ledger.  INCENT_ENOENT for a partner
 * without an account, INCENT_EIO when the ledger cannot be read. */
incent_status incent_ledger_account(incent_ledger *l, const char *partner, const char *at, incent_account *out,
                                    char *why, size_t whylen);
/* The latest day with an entry, "YYYY-MM-DD"; INCENT_ENOENT (and "") for a
 * ledger without entries. */
incent_status incent_ledger_latest_day(incent_ledger *l, char day[16]);
/* For a ledger opened for reading (t NULL): from now on, balances,
 * accounts and tiers are as they stood at the end of date (YYYY-MM-DD):
 * only entries of days up to it count.  INCENT_EFORMAT for a malformed
 * date or a ledger opened to apply events. */
incent_status incent_ledger_as_of(incent_ledger *l, const char *date, char *why, size_t whylen);
/* Writes, through write, every rule the event's type has, in order: whether
 * it applied and why not, and for those that did the arithmetic from raw
 * points to what was granted.  INCENT_EFORMAT with why when the ledger has
 * no such event. */
incent_status incent_ledger_explain(incent_ledger *l, const char *event, incent_write_fn *write, void *ud, char *why,
                                    size_t whylen);

/* The notifications rendered so far, in the order they were queued (by
 * their seq); _after gives those after sequence number after, where a
 * sender that handled up to it resumes. */
typedef void incent_outbox_fn(void *ud, const incent_notification *n);
incent_status incent_ledger_outbox(incent_ledger *l, incent_outbox_fn *fn, void *ud, char *why, size_t whylen);
incent_status incent_ledger_outbox_after(incent_ledger *l, long long after, incent_outbox_fn *fn, void *ud, char *why,
                                         size_t whylen);

/* Statements: for partner (NULL: every partner the ledger knows, by id) and
 * the period key, each in the partner's language (or wholly in the source
 * language when the partner's cannot give every word, counted as a
 * fallback): name, period, date of issue, opening balance, credits by rule
 * under their categories, what was spent, reversed and expired, the closing
 * balance at the period's end, pending points, the next lapse, tier and
 * points still needed for the next tier; with detail, every entry of the
 * period with its arithmetic.  Written through write as text, HTML (one
 * document, values escaped and isolated with <bdi>; HTML_FRAGMENT only its
 * statements, an <article> each, for a portal to embed) or JSON.
 * INCENT_ENOENT for an unknown partner; INCENT_EFORMAT for a malformed
 * period or issue date. */
typedef enum incent_format {
  INCENT_FORMAT_TEXT = 0, INCENT_FORMAT_HTML, INCENT_FORMAT_JSON, INCENT_FORMAT_HTML_FRAGMENT
} incent_format;
typedef struct incent_statement_options {
  const char *partner;  /* NULL: every partner */
  const char *period;   /* 2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027 or program */
  incent_format format;
  const char *issued;   /* the date of issue, YYYY-MM-DD; NULL: today in the program's time zone */
  int detail;           /* nonzero: every entry of the period, with its arithmetic */
} incent_statement_options;
incent_status incent_ledger_statements(incent_ledger *l, incent_messages *m, const incent_statement_options *o,
                                       incent_write_fn *write, void *ud, char *why, size_t whylen);

/* ---- Tamper evidence ---- */

/* Each entry of a ledger carries a SHA-256 chain over its columns and the
 * entry before it, and each commit records the number of entries, the last
 * chain value, and the number and digest of the events (doc/LEDGER.md). */
typedef enum incent_tamper {
  INCENT_INTACT = 0,
  INCENT_CONTENT_CHANGED, /* the entry seq's columns are not those that were chained */
  INCENT_ROW_MISSING,     /* the entry seq is gone (from the middle, or the last ones) */
  INCENT_ROW_INSERTED,    /* the entry seq was never chained: added outside incent */
  INCENT_CHAIN_BROKEN,    /* the entry seq's chain value does not follow from the entry before, or the
                             chain does not end in the value the last commit recorded */
  INCENT_EVENTS_CHANGED,  /* an event row was changed, added or removed (events have no order, so no
                             row is named: compare events and recorded_events) */
  INCENT_RECORD_CHANGED,  /* the record of the last commit (chain_* in meta) is missing or malformed */
  INCENT_STATE_CHANGED    /* the account state kept beside the entries (counters, lots) is not the one
                             the entries give: detail says where */
} incent_tamper;

typedef struct incent_verdict {
  incent_tamper what;                          /* the first disagreement found, or INCENT_INTACT */
  long long seq;                               /* the entry it concerns (0 for the last two) */
  long long entries, events;                   /* rows read (entries: up to the first disagreement) */
  long long recorded_entries, recorded_events; /* as the last commit recorded them */
  char head[65];                               /* the last entry's chain value in hex when the chain
                                                  held to the end, "" otherwise */
  char detail[256];                            /* INCENT_STATE_CHANGED: the first difference */
} incent_verdict;

/* Recomputes the chain of the ledger at path and the digest of its events,
 * then (when they hold) its account state from its entries, and compares it
 * with the state it keeps; reading it read-only (it writes nothing, takes no lock, and can run beside
 * incent_ledger_open's writer).  INCENT_OK when the ledger could be read to a
 * verdict (intact or not: see out->what); INCENT_EFORMAT with why when it
 * cannot be opened or read, is no ledger, or is of an older schema. */
incent_status incent_ledger_verify(const char *path, incent_verdict *out, char *why, size_t whylen);

/* The library's version, like "0.1.0". */
const char *incent_version(void);

#ifdef __cplusplus
}
#endif

#endif
