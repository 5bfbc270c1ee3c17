/* test_account.c: a property test of the points account: thousands of random
 * sequences of sales, redemptions, refunds and lapses applied to an engine
 * with an in-memory history, its invariants checked after every event, and
 * some of them applied to ledgers too, one closed and reopened at random
 * moments, which must end where the others do. */
#include "config.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "incent.h"
#include "tests/unit/tap.h"

static const char *program =
  "program prop \"Property\" {\n"
  "  currency USD\n"
  "  runs 2027-01-01 to 2028-12-31\n"
  "  budget 150_000 points\n"
  "  pending 14 days\n"
  "  expire after 9 months at end of month\n"
  "}\n"
  "event sale    { amount money, agent partner }\n"
  "event promo   { n int }\n"
  "event gift    { n int }\n"
  "event redeem  { cost int }\n"
  "event refund  { original event sale }\n"
  "event partial { original event sale, part decimal }\n"
  "tiers by points per year {\n"
  "  member \"Member\" from 0\n"
  "  silver \"Silver\" from 3_000 multiplier 1.25\n"
  "  gold   \"Gold\"   from 8_000 multiplier 1.5\n"
  "}\n"
  "rule revenue \"Revenue\" {\n"
  "  on sale  award 1 point per 1 USD of amount\n"
  "  pending 30 days  expire after 12 months at end of month\n"
  "  cap 4_000 points per partner per month  budget 60_000 points\n"
  "}\n"
  "rule commission \"Commission\" { on sale  award amount / 7 USD points to agent  expire after 100 days }\n"
  "rule bonus \"Bonus\" { on promo  award n points  pending 0 days  expire after 12 months at end of month notify lapsed }\n"
  "rule keep \"Keep\" { on gift  award n points flat  expire never }\n"
  "rule order \"Order\" { on redeem  deduct cost points }\n"
  "rule refunded \"Refund\" { on refund  reverse original }\n"
  "rule partly \"Partial refund\" { on partial  reverse original by part }\n"
  "message lapsed { subject \"Lapsed\" text \"{points} points lapsed on {date}.\" }\n";

enum { T_SALE, T_PROMO, T_GIFT, T_REDEEM, T_REFUND, T_PARTIAL, T_NTYPES };
static const char *const types[] = {"sale", "promo", "gift", "redeem", "refund", "partial"};
enum { R_REVENUE, R_COMMISSION, R_BONUS, R_KEEP, R_ORDER, R_REFUNDED, R_PARTLY, R_NRULES };
static const char *const rules[] = {"revenue", "commission", "bonus", "keep", "order", "refunded", "partly"};
enum { K_CREDIT, K_DEBIT, K_REVERSAL, K_EXPIRED };
static const char *const kinds[] = {"credit", "debit", "reversal", "expired"};

#define NPARTNERS 5
static const char *const partners[NPARTNERS] = {"p0", "p1", "p2", "p3", "p4"};
#define MAX_EVENTS 200
#define MAX_ENTRIES 8192
#define CAP 4000
#define RULE_BUDGET 60000
#define PROGRAM_BUDGET 150000
#define T0 1798761600LL /* 2027-01-01T00:00:00Z */
#define T_END (T0 + 730LL * 86400)

/* ---- random numbers: splitmix64 ---- */
static uint64_t rng;
static uint64_t next(void) {
  uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static long long below(long long n) { return n > 0 ? (long long)(next() % (uint64_t)n) : 0; }
static bool chance(int percent) { return below(100) < percent; }

/* ---- one sequence's events, as the history keeps them ---- */
typedef struct past {
  char id[16], time[32], v[2][48];
  const char *values[2];
  int type, who, nvalues;
  bool applied;
  incent_grant grants[4];
  char days[4][16];
  int ngrants;
} past;

/* What was reported, entry by entry, numbered as a ledger numbers them. */
typedef struct got {
  int kind, who, rule, event, rev_event, rev_rule;
  long long granted, reverses;
  int month; /* a credit's month, 0 = 2027-01 */
} got;

typedef struct seqstate {
  past ev[MAX_EVENTS + 8];
  int nev;
  got entries[MAX_ENTRIES];
  long long nentries;         /* entries[i] has id i + 1 */
  long long reversed[MAX_ENTRIES]; /* per credit: taken back so far */
  int first;                  /* the first entry of the current call */
  long long sum[NPARTNERS][4];
  bool overflow;
} seqstate;

static seqstate S;
static long long checks, failures, nsequences, nevents, nrejected, nlapses, nreversals, ndebits, ncut;

/* A failed check: reported once per kind of failure, counted always. */
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char first_failure[1024];
static void fail(const char *fmt, ...) {
  failures++;
  if (first_failure[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(first_failure, sizeof first_failure, fmt, ap);
  va_end(ap);
  printf("# first failure: %s\n", first_failure);
}
#define CHECK(cond, ...) do { checks++; if (!(cond)) fail(__VA_ARGS__); } while (0)

static int index_of(const char *const *names, int n, const char *s) {
  for (int i = 0; s && i < n; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

static int event_index(const char *id) {
  if (!id || id[0] != 'e') return -1;
  char *end;
  long n = strtol(id + 1, &end, 10);
  return *end || n < 0 || n >= S.nev ? -1 : (int)n;
}

static int history(void *ud, const char *id, incent_past_event *out) {
  (void)ud;
  int i = event_index(id);
  if (i < 0 || !S.ev[i].applied) return 0;
  past *p = &S.ev[i];
  *out = (incent_past_event){types[p->type], partners[p->who], p->time, p->values, p->nvalues, p->grants, p->ngrants};
  return 1;
}

static void on_entry(void *ud, const incent_entry *e) {
  (void)ud;
  if (S.nentries >= MAX_ENTRIES) {
    S.overflow = true;
    return;
  }
  got *g = &S.entries[S.nentries++];
  *g = (got){index_of(kinds, 4, e->kind), index_of(partners, NPARTNERS, e->recipient), index_of(rules, R_NRULES, e->rule),
             event_index(e->event), event_index(e->reverses_event), index_of(rules, R_NRULES, e->reverses_rule),
             e->granted, e->reverses, 0};
  CHECK(g->kind >= 0 && g->who >= 0, "an entry of kind %s for %s", e->kind, e->recipient);
  if (g->kind < 0 || g->who < 0) return;
  S.sum[g->who][g->kind] += e->granted;
  int y, m;
  if (sscanf(e->day, "%d-%d", &y, &m) == 2) g->month = (y - 2027) * 12 + m - 1;
  if (g->kind == K_CREDIT) {
    if (strcmp(e->status, "capped") == 0 || strcmp(e->status, "budget") == 0) ncut++;
    CHECK(e->granted >= 0 && e->rule && e->available, "a credit of %lld", e->granted);
    int ev = g->event;
    if (ev >= 0 && e->granted > 0 && S.ev[ev].ngrants < 4) {
      past *p = &S.ev[ev];
      int k = p->ngrants++;
      snprintf(p->days[k], sizeof p->days[k], "%s", e->day);
      p->grants[k] = (incent_grant){S.nentries, partners[g->who], rules[g->rule], p->days[k], e->granted, 0};
    }
  } else {
    CHECK(e->granted <= 0, "a %s of %lld", e->kind, e->granted);
    CHECK((g->kind == K_EXPIRED) == !e->rule, "a %s with rule %s", e->kind, e->rule ? e->rule : "(none)");
  }
  if (g->kind == K_REVERSAL) {
    long long c = e->reverses;
    CHECK(c >= 1 && c < S.nentries && S.entries[c - 1].kind == K_CREDIT, "a reversal of entry %lld, not a credit", c);
    if (c < 1 || c >= S.nentries || S.entries[c - 1].kind != K_CREDIT) return;
    const got *cr = &S.entries[c - 1];
    S.reversed[c - 1] -= e->granted;
    /* (c) never more than was granted, from the credit it names */
    CHECK(S.reversed[c - 1] <= cr->granted, "credit %lld granted %lld, reversed %lld", c, cr->granted, S.reversed[c - 1]);
    CHECK(cr->who == g->who && cr->rule == g->rev_rule && cr->event == g->rev_event,
          "reversal of credit %lld names another recipient, rule or event", c);
    if (cr->event >= 0)
      for (int k = 0; k < S.ev[cr->event].ngrants; k++)
        if (S.ev[cr->event].grants[k].entry == c) S.ev[cr->event].grants[k].reversed -= e->granted;
  }
}

static const incent_report report = {on_entry, NULL, NULL, NULL, NULL};

static void fmt_time(long long t, char *out, size_t size) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
static void fmt_day(long long t, char *out, size_t size) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, size, "%Y-%m-%d", &tm);
}

static bool accounts_equal(const incent_account *a, const incent_account *b) {
  return a->balance == b->balance && a->available == b->available && a->pending == b->pending &&
         a->expired == b->expired && a->credited == b->credited && a->spent == b->spent && a->reversed == b->reversed &&
         strcmp(a->next_lapse, b->next_lapse) == 0 && a->next_lapse_points == b->next_lapse_points;
}

/* The invariants after a call, for every partner, at time `at`: written
 * says which partners have had every lapse up to `at` written. */
static long long last_expired[NPARTNERS];
static void check_accounts(incent_engine *e, const char *at, const bool *written, int seq) {
  for (int p = 0; p < NPARTNERS; p++) {
    incent_account a, w;
    if (incent_engine_account(e, partners[p], at, &a) != INCENT_OK ||
        incent_engine_account(e, partners[p], "2027-01-01", &w) != INCENT_OK) {
      fail("sequence %d: no account for %s at %s", seq, partners[p], at);
      continue;
    }
    long long *s = S.sum[p];
    long long total = s[K_CREDIT] + s[K_DEBIT] + s[K_REVERSAL] + s[K_EXPIRED];
    /* (a) the balance is the sum of the entries: written ones at the start,
     * and at `at` once the lapses up to it are written */
    CHECK(w.balance == total && w.credited == s[K_CREDIT] && w.spent == -s[K_DEBIT] && w.reversed == -s[K_REVERSAL] &&
            w.expired == -s[K_EXPIRED],
          "sequence %d, %s: account %lld/%lld/%lld/%lld/%lld, entries %lld/%lld/%lld/%lld/%lld", seq, partners[p],
          w.balance, w.credited, w.spent, w.reversed, w.expired, total, s[K_CREDIT], -s[K_DEBIT], -s[K_REVERSAL],
          -s[K_EXPIRED]);
    CHECK(a.balance + a.expired == w.balance + w.expired, "sequence %d, %s at %s: lapses not yet written change more than the balance",
          seq, partners[p], at);
    if (written[p])
      CHECK(a.balance == total, "sequence %d, %s at %s: balance %lld, entries %lld", seq, partners[p], at, a.balance, total);
    /* (b) */
    CHECK(a.available >= 0 && a.pending >= 0, "sequence %d, %s at %s: available %lld, pending %lld", seq, partners[p], at,
          a.available, a.pending);
    if (a.balance > 0)
      CHECK(a.available + a.pending <= a.balance, "sequence %d, %s at %s: available %lld + pending %lld > balance %lld", seq,
            partners[p], at, a.available, a.pending, a.balance);
    if (a.balance >= 0)
      CHECK(a.available + a.pending == a.balance, "sequence %d, %s at %s: available %lld + pending %lld != balance %lld", seq,
            partners[p], at, a.available, a.pending, a.balance);
    else
      CHECK(a.available == 0 && a.pending == 0, "sequence %d, %s at %s: in debt (%lld) with available %lld, pending %lld", seq,
            partners[p], at, a.balance, a.available, a.pending);
    /* (e) */
    CHECK(a.expired >= last_expired[p], "sequence %d, %s at %s: expired fell from %lld to %lld", seq, partners[p], at,
          last_expired[p], a.expired);
    last_expired[p] = a.expired;
  }
}

/* The cap, the rule's budget and the program's, as the entries show them. */
static void check_bounds(int seq) {
  static long long month[NPARTNERS][24];
  long long rule = 0, all = 0;
  memset(month, 0, sizeof month);
  for (long long i = 0; i < S.nentries; i++) {
    const got *g = &S.entries[i];
    const got *c = g->kind == K_REVERSAL && g->reverses >= 1 ? &S.entries[g->reverses - 1] : g;
    if (g->kind != K_CREDIT && g->kind != K_REVERSAL) continue;
    all += g->granted;
    if (c->rule != R_REVENUE) continue;
    rule += g->granted;
    if (c->month >= 0 && c->month < 24) month[c->who][c->month] += g->granted;
  }
  CHECK(all <= PROGRAM_BUDGET && rule <= RULE_BUDGET, "sequence %d: budgets exceeded (%lld, %lld)", seq, all, rule);
  for (int p = 0; p < NPARTNERS; p++)
    for (int m = 0; m < 24; m++)
      CHECK(month[p][m] <= CAP, "sequence %d: %s's cap of month %d exceeded: %lld", seq, partners[p], m, month[p][m]);
}

/* ---- ledgers ---- */
typedef struct ledgers {
  incent_ledger *a, *b; /* a is closed and reopened at random; b never */
  char pa[4200], pb[4200];
  int reopened;
} ledgers;

static const incent_table *table;

static incent_ledger *open_ledger(const char *path) {
  incent_ledger *l = NULL;
  char why[512];
  if (incent_ledger_open(path, table, 0, &l, why, sizeof why) != INCENT_OK) fail("cannot open %s: %s", path, why);
  return l;
}

static void close_ledger(incent_ledger **l) {
  char why[512];
  if (*l && incent_ledger_close(*l, why, sizeof why) != INCENT_OK) fail("cannot close a ledger: %s", why);
  *l = NULL;
}

/* Every entry of the ledger at path, all columns, one line each. */
static char *entries_of(const char *path, long long *n) {
  sqlite3 *db;
  char *out = NULL;
  size_t len = 0;
  *n = 0;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, "SELECT * FROM entries ORDER BY seq", -1, &s, NULL) == SQLITE_OK) {
    FILE *f = open_memstream(&out, &len);
    while (f && sqlite3_step(s) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(s); i++) {
        if (sqlite3_column_type(s, i) == SQLITE_BLOB) {
          const unsigned char *b = sqlite3_column_blob(s, i);
          for (int k = 0; k < sqlite3_column_bytes(s, i); k++) fprintf(f, "%02x", b[k]);
        } else {
          const unsigned char *t = sqlite3_column_text(s, i);
          fputs(t ? (const char *)t : "NULL", f);
        }
        fputc(i + 1 < sqlite3_column_count(s) ? '|' : '\n', f);
      }
      ++*n;
    }
    if (f) fclose(f);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return out;
}

/* ---- one sequence ---- */
static const char *part_text(void) {
  static const char *const in[] = {"0", "0.1", "0.25", "0.333", "0.5", "0.667", "0.75", "0.999", "1", "0.005"};
  static const char *const out[] = {"1.5", "-0.2", "1.001", "-0", "2"};
  return chance(90) ? in[below(10)] : out[below(5)];
}

/* What share in thousandths, or -1 outside 0 to 1. */
static long long thousandths(const char *part) {
  double d = strtod(part, NULL);
  return d < 0 || d > 1 ? -1 : (long long)(d * 1000 + 0.5);
}

static void make_event(past *p, int i, long long now, const incent_account *acc) {
  memset(p, 0, sizeof *p);
  snprintf(p->id, sizeof p->id, "e%d", i);
  fmt_time(now, p->time, sizeof p->time);
  p->who = (int)below(NPARTNERS);
  long long r = below(100);
  p->type = r < 40 ? T_SALE : r < 50 ? T_PROMO : r < 55 ? T_GIFT : r < 75 ? T_REDEEM : r < 85 ? T_REFUND : T_PARTIAL;
  p->nvalues = 1;
  switch (p->type) {
  case T_SALE:
    snprintf(p->v[0], sizeof p->v[0], "%s%lld.%02lld", chance(2) ? "-" : "", below(chance(10) ? 6000 : 1200), below(100));
    snprintf(p->v[1], sizeof p->v[1], "%s", chance(5) ? "nobody" : partners[below(NPARTNERS)]);
    p->nvalues = 2;
    break;
  case T_PROMO:
  case T_GIFT: snprintf(p->v[0], sizeof p->v[0], "%lld", chance(3) ? -below(50) - 1 : below(600)); break;
  case T_REDEEM: {
    long long have = acc[p->who].available, c;
    if (chance(50)) c = below(have + 1);
    else if (chance(50)) c = below(3000);
    else if (chance(70)) c = have + 1 + below(100);
    else c = chance(50) ? 0 : -1 - below(10);
    snprintf(p->v[0], sizeof p->v[0], "%lld", c);
    break;
  }
  case T_REFUND:
  case T_PARTIAL: {
    int k = (int)below(i > 0 ? i : 1);
    if (chance(5) || i == 0) snprintf(p->v[0], sizeof p->v[0], "x%d", i); /* no such event */
    else if (chance(8)) snprintf(p->v[0], sizeof p->v[0], "e%d", i + 5); /* a later one */
    else {
      for (int tries = 0; tries < 4 && S.ev[k].type != T_SALE && !chance(20); tries++) k = (int)below(i);
      snprintf(p->v[0], sizeof p->v[0], "e%d", k);
    }
    if (p->type == T_PARTIAL) snprintf(p->v[1], sizeof p->v[1], "%s", part_text()), p->nvalues = 2;
    break;
  }
  }
  if (chance(1)) snprintf(p->v[0], sizeof p->v[0], "bad"); /* malformed: rejected in step 1 */
  p->values[0] = p->v[0];
  p->values[1] = p->v[1];
}

/* What the event must do, where that can be said without the engine's lots:
 * 1 applied, 0 rejected, -1 either. */
static int expected(const past *p, const incent_account *acc, long long reversed_now, bool *rules_reject) {
  *rules_reject = false;
  if (strcmp(p->v[0], "bad") == 0) return 0;
  switch (p->type) {
  case T_SALE: return p->v[0][0] == '-' ? (*rules_reject = true, 0) : 1;
  case T_PROMO:
  case T_GIFT: return atoll(p->v[0]) < 0 ? (*rules_reject = true, 0) : 1;
  case T_REDEEM: {
    long long c = atoll(p->v[0]);
    return c < 0 || c > acc[p->who].available ? (*rules_reject = true, 0) : 1;
  }
  default: {
    int k = event_index(p->v[0]);
    if (k < 0 || k >= S.nev - 1 || !S.ev[k].applied || S.ev[k].type != T_SALE) return 0;
    if (p->type == T_PARTIAL && thousandths(p->v[1]) < 0) return *rules_reject = true, 0;
    (void)reversed_now;
    return 1;
  }
  }
}

static void run_sequence(incent_engine *e, int seq, ledgers *L) {
  char why[512], now_text[32];
  memset(&S, 0, sizeof S);
  memset(last_expired, 0, sizeof last_expired);
  int n = 20 + (int)below(181);
  long long span = 30 * 86400 + below(700LL * 86400), now = T0 + below(T_END - span - T0);
  long long step = span / n;
  bool all[NPARTNERS] = {true, true, true, true, true};
  for (int i = 0; i < n && !S.overflow; i++) {
    if (!chance(5)) now += below(2 * step + 1);
    if (now >= T_END) now = T_END - 1;
    fmt_time(now, now_text, sizeof now_text);
    incent_account before[NPARTNERS];
    for (int p = 0; p < NPARTNERS; p++) incent_engine_account(e, partners[p], now_text, &before[p]);
    if (chance(3)) { /* lapses of everybody, up to a day ahead */
      char until[16];
      long long u = now + below(120) * 86400;
      if (u >= T_END) u = T_END - 86400;
      if (u < now) u = now;
      fmt_day(u, until, sizeof until);
      S.first = (int)S.nentries;
      CHECK(incent_engine_expire(e, until, &report, why, sizeof why) == INCENT_OK, "expire %s: %s", until, why);
      for (long long k = S.first; k < S.nentries; k++) {
        CHECK(S.entries[k].kind == K_EXPIRED && S.entries[k].event < 0, "incent_engine_expire wrote a %s", kinds[S.entries[k].kind]);
        nlapses++;
      }
      long long lapses[2] = {0, 0};
      for (int k = 0; L && k < 2; k++) {
        incent_ledger *l = k ? L->b : L->a;
        if (l && incent_ledger_expire(l, until, &lapses[k], why, sizeof why) != INCENT_OK) fail("ledger expire: %s", why);
        CHECK(lapses[k] == S.nentries - S.first, "sequence %d: ledger %c wrote %lld lapses up to %s, the engine %lld", seq,
              'a' + k, lapses[k], until, S.nentries - S.first);
      }
      check_accounts(e, until, all, seq);
      now = u - u % 86400 > now ? u - u % 86400 : now; /* events go on from that day */
      fmt_time(now, now_text, sizeof now_text);
      for (int p = 0; p < NPARTNERS; p++) incent_engine_account(e, partners[p], now_text, &before[p]);
    }
    past *p = &S.ev[S.nev++];
    make_event(p, i, now, before);
    if (chance(1)) snprintf(p->time, sizeof p->time, "2029-01-0%lldT00:00:00Z", 1 + below(9)); /* outside runs */
    long long reversed_now = 0;
    bool rules_reject;
    int want = expected(p, before, reversed_now, &rules_reject);
    if (strncmp(p->time, "2029", 4) == 0) want = 0, rules_reject = false;
    incent_event ev = {p->id, types[p->type], partners[p->who], p->time, p->values, p->nvalues};
    S.first = (int)S.nentries;
    incent_result r = incent_engine_apply(e, &ev, &report, why, sizeof why);
    nevents++;
    p->applied = r == INCENT_EVENT_APPLIED;
    if (!p->applied) nrejected++;
    CHECK(want < 0 || (want == 1) == p->applied, "sequence %d event %s (%s %s %s by %s at %s): %s, expected %s (%s)", seq,
          p->id, types[p->type], p->v[0], p->v[1], partners[p->who], p->time, p->applied ? "applied" : "rejected",
          want ? "applied" : "rejected", p->applied ? "" : why);
    if (!p->applied && want == 0)
      CHECK((r == INCENT_EVENT_REJECTED_BY_RULES) == rules_reject, "sequence %d event %s: rejected %s (%s)", seq, p->id,
            r == INCENT_EVENT_REJECTED ? "in step 1" : "by its rules", why);
    for (int k = 0; L && k < 2; k++) {
      incent_ledger *l = k ? L->b : L->a;
      if (!l) continue;
      incent_outcome o = incent_ledger_apply(l, &ev, why, sizeof why);
      CHECK(o == (p->applied ? INCENT_OUT_APPLIED : INCENT_OUT_REJECTED), "sequence %d event %s: ledger %c outcome %d (%s)", seq,
            p->id, 'a' + k, (int)o, why);
    }
    if (L && chance(4)) { /* close and reopen the one ledger */
      close_ledger(&L->a);
      L->a = open_ledger(L->pa);
      L->reopened++;
    }
    /* what the event wrote: its checks, and who has every lapse up to now written */
    bool written[NPARTNERS] = {false};
    if (r != INCENT_EVENT_REJECTED) written[p->who] = true;
    long long debit = 0;
    for (long long k = S.first; k < S.nentries; k++) {
      const got *g = &S.entries[k];
      written[g->who] = true;
      CHECK(p->applied || g->kind == K_EXPIRED, "sequence %d: rejected event %s wrote a %s", seq, p->id, kinds[g->kind]);
      if (g->kind == K_REVERSAL) {
        nreversals++;
        const got *c = &S.entries[g->reverses - 1];
        long long left = c->granted - (S.reversed[g->reverses - 1] + g->granted); /* before this entry */
        long long share = p->type == T_PARTIAL ? thousandths(p->v[1]) : 1000;
        long long back = (c->granted * share + 500) / 1000;
        if (back > left) back = left;
        CHECK(-g->granted == back, "sequence %d event %s: took back %lld of credit %lld (granted %lld, %lld left, share %s), not %lld",
              seq, p->id, -g->granted, g->reverses, c->granted, left, p->v[1], back);
      }
      if (g->kind == K_DEBIT) debit += g->granted, ndebits++;
    }
    if (p->applied && p->type == T_REDEEM)
      CHECK(debit == -atoll(p->v[0]), "sequence %d event %s: deducted %lld for a cost of %s", seq, p->id, -debit, p->v[0]);
    if (p->applied && (p->type == T_REFUND || p->type == T_PARTIAL)) { /* every credit of the sale got its share */
      const past *o = &S.ev[event_index(p->v[0])];
      for (int k = 0; k < o->ngrants; k++) {
        long long c = o->grants[k].entry, share = p->type == T_PARTIAL ? thousandths(p->v[1]) : 1000;
        long long want_back = (o->grants[k].granted * share + 500) / 1000, took = 0, was = o->grants[k].reversed;
        for (long long j = S.first; j < S.nentries; j++)
          if (S.entries[j].kind == K_REVERSAL && S.entries[j].reverses == c) took -= S.entries[j].granted;
        was -= took;
        if (want_back > o->grants[k].granted - was) want_back = o->grants[k].granted - was;
        CHECK(took == want_back, "sequence %d event %s: credit %lld (granted %lld, %lld reversed before) lost %lld, not %lld", seq,
              p->id, c, o->grants[k].granted, was, took, want_back);
      }
    }
    if (!p->applied) { /* (d) nothing changed but the lapses */
      for (int q = 0; q < NPARTNERS; q++) {
        incent_account a;
        incent_engine_account(e, partners[q], now_text, &a);
        CHECK(accounts_equal(&a, &before[q]), "sequence %d: rejected event %s changed %s's account (%lld -> %lld)", seq, p->id,
              partners[q], before[q].balance, a.balance);
      }
    }
    check_accounts(e, now_text, written, seq);
  }
  check_bounds(seq);
  CHECK(!S.overflow, "sequence %d: more than %d entries", seq, MAX_ENTRIES);
  if (!L) return;
  /* the ledgers end where the engine does */
  const char *ats[] = {now_text, "2028-12-31"};
  for (int q = 0; q < NPARTNERS; q++)
    for (int k = 0; k < 2; k++) {
      incent_account m, a, b;
      incent_engine_account(e, partners[q], ats[k], &m);
      if (!L->a || !L->b) break;
      incent_engine_account(incent_ledger_engine(L->a), partners[q], ats[k], &a);
      incent_engine_account(incent_ledger_engine(L->b), partners[q], ats[k], &b);
      CHECK(accounts_equal(&m, &a) && accounts_equal(&m, &b),
            "sequence %d, %s at %s: balance/available/pending/expired engine %lld/%lld/%lld/%lld, reopened %lld/%lld/%lld/%lld, "
            "never closed %lld/%lld/%lld/%lld", seq, partners[q], ats[k], m.balance, m.available, m.pending, m.expired,
            a.balance, a.available, a.pending, a.expired, b.balance, b.available, b.pending, b.expired);
    }
  close_ledger(&L->a);
  close_ledger(&L->b);
  long long na, nb;
  char *ea = entries_of(L->pa, &na), *eb = entries_of(L->pb, &nb);
  CHECK(ea && eb && na == S.nentries && nb == S.nentries, "sequence %d: %lld entries reopened, %lld never closed, %lld in memory",
        seq, na, nb, S.nentries);
  if (ea && eb && strcmp(ea, eb) != 0) {
    fail("sequence %d: the reopened ledger's entries differ from the never closed one's", seq);
    char *x = ea, *y = eb;
    while (*x && *x == *y) x++, y++;
    while (x > ea && x[-1] != '\n') x--, y--;
    printf("# reopened:     %.*s\n# never closed: %.*s\n", (int)strcspn(x, "\n"), x, (int)strcspn(y, "\n"), y);
  }
  checks++;
  free(ea);
  free(eb);
}

int main(void) {
  unsigned long long seed = 20270101;
  const char *env = getenv("INCENT_PROPERTY_SEED");
  if (env && *env) seed = strtoull(env, NULL, 0);
  /* a ledger sequence costs a few synchronous writes per open and close:
   * most of its time on a disk, so only some sequences take that road */
  int nseq = 2000, nledgers = 25;
  const char *count = getenv("INCENT_PROPERTY_SEQUENCES"), *lcount = getenv("INCENT_PROPERTY_LEDGERS");
  if (count && atoi(count) > 0) nseq = atoi(count);
  if (lcount && *lcount) nledgers = atoi(lcount) < 0 ? 0 : atoi(lcount) > nseq ? nseq : atoi(lcount);
  int every = nledgers ? nseq / nledgers : nseq + 1;
  printf("# seed %llu (set INCENT_PROPERTY_SEED to change it; INCENT_PROPERTY_SEQUENCES and INCENT_PROPERTY_LEDGERS "
         "set the counts)\n", seed);
  rng = seed;

  compile_unit u;
  unsigned char *bytes = NULL;
  size_t len = 0;
  bool built = compile_check(&u, "prop.incent", program, strlen(program)) && compile_emit(&u, &bytes, &len);
  compile_unit_free(&u);
  TAP_OK(built, "the account program compiles");
  incent_table *t = NULL;
  char why[512] = "";
  TAP_OK(built && incent_table_load(bytes, len, &t, why, sizeof why) == INCENT_OK, "and loads %s", why);
  free(bytes);
  if (!t) return tap_done();
  table = t;

  char dir[4096];
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/incent-account.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  bool have_dir = mkdtemp(dir) != NULL;
  TAP_OK(have_dir, "a temporary directory %s", dir);

  long long with_ledgers = 0, reopens = 0;
  clock_t start = clock();
  for (int s = 0; s < nseq; s++) {
    incent_engine *e = NULL;
    if (incent_engine_new(t, &e, why, sizeof why) != INCENT_OK) {
      fail("no engine: %s", why);
      break;
    }
    incent_engine_set_history(e, history, NULL);
    for (int p = 0; p < NPARTNERS; p++) {
      const char *values[5] = {partners[p], partners[p], "", "", p == 4 ? "silver" : ""};
      if (incent_engine_partner(e, values, 5, why, sizeof why) != INCENT_OK) fail("partner %s: %s", partners[p], why);
    }
    ledgers L = {0};
    bool ledger = have_dir && s % every == 0 && with_ledgers < nledgers;
    if (ledger) {
      snprintf(L.pa, sizeof L.pa, "%s/a%d.db", dir, s);
      snprintf(L.pb, sizeof L.pb, "%s/b%d.db", dir, s);
      L.a = open_ledger(L.pa);
      L.b = open_ledger(L.pb);
      for (int p = 0; p < NPARTNERS && L.a && L.b; p++) {
        const char *values[5] = {partners[p], partners[p], "", "", p == 4 ? "silver" : ""};
        if (incent_ledger_partner(L.a, values, 5, why, sizeof why) != INCENT_OK ||
            incent_ledger_partner(L.b, values, 5, why, sizeof why) != INCENT_OK)
          fail("ledger partner %s: %s", partners[p], why);
      }
      if (!L.a || !L.b) ledger = false, close_ledger(&L.a), close_ledger(&L.b);
    }
    run_sequence(e, s, ledger ? &L : NULL);
    if (ledger) {
      with_ledgers++;
      reopens += L.reopened;
      unlink(L.pa), unlink(L.pb);
      char side[4300];
      const char *ext[] = {"-wal", "-shm", "-journal"};
      for (int k = 0; k < 3; k++) {
        snprintf(side, sizeof side, "%s%s", L.pa, ext[k]), unlink(side);
        snprintf(side, sizeof side, "%s%s", L.pb, ext[k]), unlink(side);
      }
    }
    incent_engine_free(e);
    nsequences++;
  }
  double took = (double)(clock() - start) / CLOCKS_PER_SEC;
  TAP_OK(failures == 0, "%lld sequences, %lld events (%lld rejected, %lld debits, %lld reversals, %lld lapses by expire): "
         "%lld checks, %lld failed%s%s", nsequences, nevents, nrejected, ndebits, nreversals, nlapses, checks, failures,
         failures ? ": " : "", first_failure);
  TAP_OK(nsequences == nseq && nevents >= 20LL * nseq, "every sequence ran");
  TAP_OK(with_ledgers == nledgers && (reopens > 0 || !nledgers), "%lld sequences also through two ledgers each, one reopened %lld times", with_ledgers,
         reopens);
  printf("# %lld credits cut by a cap or a budget; %.1f s of processor time\n", ncut, took);
  if (have_dir) rmdir(dir);
  incent_table_free(t);
  return tap_done();
}
