/* statement.c: partners' statements, in each partner's language, as text,
 * HTML (statement_html.c) or JSON.  The figures come from the ledger's
 * entries (statement_account.c: the credits of the period by rule, grouped
 * here under their categories, and the account's figures at the period's
 * end; with detail, every entry of the period, statement_detail.c); the
 * words come from the program's catalogs (titles) and the library's own
 * (labels), all in one language: the partner's when it has every word a
 * statement can hold, else the source language, the fallback counted. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/base/civil.h"
#include "runtime/base/text.h"
#include "runtime/base/tz.h"
#include "runtime/base/util.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/table.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/ledger/statement_int.h"
#include "runtime/messages/messages.h"

/* Marks the labels for xgettext (keywords NC_ and NCP_ in locale/Makevars);
 * rt_label looks them up in the partner's language. */
#define NC_(ctx, s) s
#define NCP_(ctx, one, other) one, other
#define CTX "statement"

static const struct { const char *one, *other; } labels[L_COUNT] = {
  /* TRANSLATORS: the heading of a partner's statement */
  [L_HEADING] = {NC_("statement", "Statement of points"), NULL},
  /* TRANSLATORS: a line of a statement: a label such as "Total" and its value */
  /* xgettext:python-brace-format */
  [L_FIELD] = {NC_("statement", "{label}: {value}"), NULL},
  [L_PARTNER] = {NC_("statement", "Partner"), NULL},
  [L_PERIOD] = {NC_("statement", "Period"), NULL},
  /* TRANSLATORS: {period} is the period's name (such as "1st quarter 2027", from ICU, or the program's title); {first} and {last} are its first and last dates */
  /* xgettext:python-brace-format */
  [L_PERIOD_VALUE] = {NC_("statement", "{period} ({first} to {last})"), NULL},
  /* TRANSLATORS: the day the statement was written */
  [L_ISSUED] = {NC_("statement", "Issued"), NULL},
  /* TRANSLATORS: a column heading: the rule that granted points */
  [L_RULE] = {NC_("statement", "Rule"), NULL},
  /* TRANSLATORS: a column heading: how many times the rule applied in the period */
  [L_TIMES] = {NC_("statement", "Times applied"), NULL},
  /* TRANSLATORS: a column heading */
  [L_POINTS] = {NC_("statement", "Points"), NULL},
  /* TRANSLATORS: one rule's line: its title, then "{count} points", then "{count} times" */
  /* xgettext:python-brace-format */
  [L_LINE] = {NC_("statement", "{rule}: {points}, {times}"), NULL},
  [L_NONE] = {NC_("statement", "No points in this period."), NULL},
  [L_TOTAL] = {NC_("statement", "Total"), NULL},
  /* TRANSLATORS: the balance at the end of the statement's period */
  [L_BALANCE] = {NC_("statement", "Closing balance"), NULL},
  [L_TIER] = {NC_("statement", "Tier"), NULL},
  [L_NEXT] = {NC_("statement", "Next tier"), NULL},
  /* TRANSLATORS: {tier} is the next tier's title; {points} is "{count} points" */
  /* xgettext:python-brace-format */
  [L_NEXT_VALUE] = {NC_("statement", "{tier}, {points} to go"), NULL},
  /* TRANSLATORS: the value of "Next tier" for a partner in the highest tier */
  [L_TOP] = {NC_("statement", "none: this is the highest tier"), NULL},
  /* xgettext:python-brace-format */
  [P_POINTS] = {NCP_("statement", "{count} point", "{count} points")},
  /* xgettext:python-brace-format */
  [P_TIMES] = {NCP_("statement", "{count} time", "{count} times")},
  /* TRANSLATORS: the balance at the start of the statement's period */
  [L_OPENING] = {NC_("statement", "Opening balance"), NULL},
  /* TRANSLATORS: points spent on rewards in the period */
  [L_SPENT] = {NC_("statement", "Spent"), NULL},
  /* TRANSLATORS: points taken back in the period, for refunds and returns */
  [L_REVERSED] = {NC_("statement", "Reversed"), NULL},
  /* TRANSLATORS: points that lapsed unused in the period */
  [L_EXPIRED] = {NC_("statement", "Expired"), NULL},
  /* TRANSLATORS: points earned but not yet available to spend (a return window) */
  [L_PENDING] = {NC_("statement", "Pending"), NULL},
  /* TRANSLATORS: the next points to lapse after the period */
  [L_LAPSE] = {NC_("statement", "Next lapse"), NULL},
  /* TRANSLATORS: {points} is "{count} points"; {date} the day they lapse */
  /* xgettext:python-brace-format */
  [L_LAPSE_VALUE] = {NC_("statement", "{points} on {date}"), NULL},
  /* TRANSLATORS: the six categories of a channel incentive program, headings over the rules of each.
     Contribution: points for sales and revenue */
  [C_CONTRIBUTION] = {NC_("statement", "Contribution"), NULL},
  /* TRANSLATORS: a category: points for training, certifications and skills */
  [C_CAPACITY] = {NC_("statement", "Capacity"), NULL},
  /* TRANSLATORS: a category: points for reaching more customers and markets (such as posts others share) */
  [C_COVERAGE] = {NC_("statement", "Coverage"), NULL},
  /* TRANSLATORS: a category: points for engagement with the program (sharing news, answering surveys) */
  [C_COMMITMENT] = {NC_("statement", "Commitment"), NULL},
  /* TRANSLATORS: a category: points for using the manufacturer's resources (sales material, tools) */
  [C_CONSUMPTION] = {NC_("statement", "Consumption"), NULL},
  /* TRANSLATORS: a category: points for working together (forum answers, joint activities) */
  [C_COLLABORATION] = {NC_("statement", "Collaboration"), NULL},
  /* TRANSLATORS: the heading over rules that belong to no category */
  [C_OTHER] = {NC_("statement", "Other points"), NULL},
  /* TRANSLATORS: the heading of a detailed statement's list of every entry of the period */
  [D_HEADING] = {NC_("statement", "Entries of the period"), NULL},
  /* TRANSLATORS: one entry of a detailed statement: {date} is its day, {entry} what it was */
  /* xgettext:python-brace-format */
  [D_DATE] = {NC_("statement", "{date}: {entry}"), NULL},
  /* TRANSLATORS: a credit: {rule} is the rule's title, {event} the event's id (and amount), {arithmetic} how the points were computed */
  /* xgettext:python-brace-format */
  [D_ENTRY] = {NC_("statement", "{rule} ({event}): {arithmetic}"), NULL},
  /* TRANSLATORS: an event's id and its amount of money, such as "s-17, 5.000,00 €" */
  /* xgettext:python-brace-format */
  [D_EVENT_AMOUNT] = {NC_("statement", "{id}, {amount}"), NULL},
  /* TRANSLATORS: {raw} is a number of points with decimals; {points} is "{count} points" */
  /* xgettext:python-brace-format */
  [D_ROUNDED] = {NC_("statement", "{raw}, rounded to {points}"), NULL},
  /* TRANSLATORS: points times the tier's multiplier: {raw} a number, {multiplier} such as 1.25, {tier} the tier's title, {points} "{count} points" */
  /* xgettext:python-brace-format */
  [D_TIMES] = {NC_("statement", "{raw} × {multiplier} ({tier}) = {points}"), NULL},
  /* TRANSLATORS: as "{raw} × {multiplier} ({tier}) = {points}" when the product has decimals: {product} is it, {points} the rounded "{count} points" */
  /* xgettext:python-brace-format */
  [D_TIMES_ROUNDED] = {NC_("statement", "{raw} × {multiplier} ({tier}) = {product}, rounded to {points}"), NULL},
  /* TRANSLATORS: {entry} is the credit as computed; {points} is "{count} points"; {period} the period of the cap, such as "1st quarter 2027" */
  /* xgettext:python-brace-format */
  [D_CAPPED] = {NC_("statement", "{entry}; cut to {points} by the cap for {period}"), NULL},
  /* TRANSLATORS: {entry} is the credit as computed; {period} the period of the limit, such as "February 2027" */
  /* xgettext:python-brace-format */
  [D_LIMITED] = {NC_("statement", "{entry}; nothing: the limit for {period} had been reached"), NULL},
  /* TRANSLATORS: {entry} is the credit as computed; {points} is "{count} points": what was left of the budget */
  /* xgettext:python-brace-format */
  [D_BUDGET] = {NC_("statement", "{entry}; cut to {points} by the budget"), NULL},
  /* TRANSLATORS: a redemption: {rule} is the rule's title, {event} the event's id, {points} "{count} points" */
  /* xgettext:python-brace-format */
  [D_SPENT] = {NC_("statement", "{rule} ({event}): {points} spent"), NULL},
  /* TRANSLATORS: a refund or return: {rule} is the rule's title, {event} the event's id, {points} "{count} points" */
  /* xgettext:python-brace-format */
  [D_REVERSED] = {NC_("statement", "{rule} ({event}): {points} taken back"), NULL},
  /* TRANSLATORS: points that lapsed unused: {points} is "{count} points" */
  /* xgettext:python-brace-format */
  [D_EXPIRED] = {NC_("statement", "{points} expired"), NULL},
};


/* A label without plural forms is looked up (and its translation checked)
 * once per language when it has a usable translation; one that falls back
 * is looked up at every use, so that each use is counted. */
const char *st_label(writer *w, int which, unsigned long n) {
  const char **kept = w->labels ? &w->labels[(size_t)w->lang * L_COUNT + (size_t)which] : NULL;
  if (kept && *kept) return *kept;
  const char *l = rt_label(w->m, w->lang, CTX, labels[which].one, labels[which].other, n);
  if (kept && !labels[which].other && !rt_label_missing(w->m, w->lang, CTX, labels[which].one, NULL)) *kept = l;
  return l;
}

/* When the translation cannot be filled (rt_label checked its
 * placeholders, so only a value missing in the source could), the English
 * source is used. */
void st_put(writer *w, textbuf *out, int which, unsigned long n, const rt_named *v, int nv, place where) {
  size_t mark = out->len;
  bool rtl = w->rtl && where != PART;
  if (!rt_fill(out, st_label(w, which, n), v, nv, rtl, false)) {
    out->len = mark;
    if (out->s) out->s[mark] = '\0';
    rt_fill(out, n != 1 && labels[which].other ? labels[which].other : labels[which].one, v, nv, rtl, false);
  }
}

const char *st_number(writer *w, long long v, char *out, size_t size) {
  char digits[32];
  snprintf(digits, sizeof digits, "%lld", v);
  if (!fmt_number(rt_lang_formatter(w->m, w->lang), digits, out, size)) snprintf(out, size, "%s", digits);
  return out;
}

const char *st_count(writer *w, textbuf *b, int which, long long v) {
  char num[128];
  rt_named c = {"count", st_number(w, v, num, sizeof num)};
  text_clear(b);
  st_put(w, b, which, (unsigned long)(v < 0 ? -v : v), &c, 1, PART);
  return text_str(b);
}

const char *st_date(writer *w, int32_t day, char *out, size_t size) {
  if (!fmt_date(rt_lang_formatter(w->m, w->lang), day, out, size) && size >= 16) civil_format_date(day, out);
  return out;
}

const char *st_rule_title(writer *w, uint32_t order, const char *name) {
  if (order >= w->t->nrules) return name; /* a rule that is gone after a program change */
  return rt_title(w->m, w->lang, RT_TITLE_RULE, order);
}

const char *st_tier_title(writer *w, int32_t tier) { return rt_title(w->m, w->lang, RT_TITLE_TIER, (uint32_t)tier); }

/* A category of the program's own is shown as the program names it: the
 * catalogs know only the six conventional ones (doc/statements.md). */
const char *st_category_title(writer *w, const category_group *c) {
  return c->label >= 0 ? st_label(w, c->label, 1) : c->name;
}

/* A "{label}: {value}" line of text. */
static void field(writer *w, textbuf *out, int which, const char *value) {
  rt_named v[2] = {{"label", st_label(w, which, 1)}, {"value", value}};
  st_put(w, out, L_FIELD, 1, v, 2, LINE_TEXT);
  text_puts(out, "\n");
}

static void text_row(writer *w, textbuf *out, int which, const char *value, bool number, bool strong) {
  (void)number, (void)strong;
  field(w, out, which, value);
}

static const char *points_text(writer *w, long long v) { return st_count(w, &w->scratch[1], P_POINTS, v); }

const char *st_period_name(writer *w, const char *key, char *out, size_t size) {
  int kind;
  int64_t k;
  char first[16], last[16];
  int32_t day;
  if (!rt_period_parse(key, &kind, &k)) return key;
  if (kind == IRT_P_PROGRAM) return rt_title(w->m, w->lang, RT_TITLE_PROGRAM, 0);
  if (!rt_period_days(key, first, last) || !civil_parse_date(first, strlen(first), &day)) return key;
  if (kind == IRT_P_DAY) return st_date(w, day, out, size);
  char c = kind == IRT_P_WEEK ? 'w' : kind == IRT_P_MONTH ? 'm' : kind == IRT_P_QUARTER ? 'q' : 'y';
  return fmt_period(rt_lang_formatter(w->m, w->lang), c, day, out, size) ? out : key;
}

/* The period in the partner's language: its name ("1. Quartal 2027"; the
 * program's title for the program's own dates) and its first and last
 * days; a day is its date alone. */
const char *st_period_value(writer *w) {
  char a[128], b[128], name[128];
  int32_t da, db;
  civil_parse_date(w->first, strlen(w->first), &da);
  civil_parse_date(w->last, strlen(w->last), &db);
  text_clear(&w->scratch[3]);
  const char *first = st_date(w, da, a, sizeof a);
  int kind;
  int64_t key;
  if (rt_period_parse(w->period, &kind, &key) && kind == IRT_P_DAY)
    return text_puts(&w->scratch[3], first), text_str(&w->scratch[3]);
  rt_named v[3] = {{"period", st_period_name(w, w->period, name, sizeof name)}, {"first", first},
                   {"last", st_date(w, db, b, sizeof b)}};
  st_put(w, &w->scratch[3], L_PERIOD_VALUE, 1, v, 3, PART);
  return text_str(&w->scratch[3]);
}

static const char *next_value(writer *w, const gathered *g) {
  if (g->next < 0) return st_label(w, L_TOP, 1);
  rt_named v[2] = {{"tier", st_tier_title(w, g->next)}, {"points", st_count(w, &w->scratch[0], P_POINTS, g->to_next)}};
  text_clear(&w->scratch[2]);
  st_put(w, &w->scratch[2], L_NEXT_VALUE, 1, v, 2, PART);
  return text_str(&w->scratch[2]);
}

static const char *lapse_value(writer *w, const gathered *g) {
  char day[128];
  rt_named v[2] = {{"points", st_count(w, &w->scratch[0], P_POINTS, g->acct.next_lapse_points)},
                   {"date", st_date(w, g->acct.next_lapse, day, sizeof day)}};
  text_clear(&w->scratch[2]);
  st_put(w, &w->scratch[2], L_LAPSE_VALUE, 1, v, 2, PART);
  return text_str(&w->scratch[2]);
}

void st_figures(writer *w, const gathered *g, textbuf *out, row_fn *row) {
  row(w, out, L_TOTAL, points_text(w, g->total), true, false);
  if (w->spends) row(w, out, L_SPENT, points_text(w, g->acct.spent), true, false);
  if (w->reverses) row(w, out, L_REVERSED, points_text(w, g->acct.reversed), true, false);
  if (w->lapses) row(w, out, L_EXPIRED, points_text(w, g->acct.expired), true, false);
  row(w, out, L_BALANCE, points_text(w, g->acct.closing), true, true);
  if (w->pends) row(w, out, L_PENDING, points_text(w, g->acct.pending), true, false);
  if (w->lapses && g->acct.next_lapse >= 0) row(w, out, L_LAPSE, lapse_value(w, g), false, false);
  if (g->tier >= 0) {
    row(w, out, L_TIER, st_tier_title(w, g->tier), false, false);
    row(w, out, L_NEXT, next_value(w, g), false, false);
  }
}

static void as_text(writer *w, const gathered *g, textbuf *out) {
  char day[128];
  text_puts(out, rt_title(w->m, w->lang, RT_TITLE_PROGRAM, 0));
  text_puts(out, "\n");
  text_puts(out, st_label(w, L_HEADING, 1));
  text_puts(out, "\n");
  field(w, out, L_PARTNER, g->name);
  field(w, out, L_PERIOD, st_period_value(w));
  field(w, out, L_ISSUED, st_date(w, w->issued, day, sizeof day));
  field(w, out, L_OPENING, points_text(w, g->acct.opening));
  for (size_t c = 0; c < g->ngroups; c++) {
    const category_group *cg = &g->groups[c];
    text_puts(out, "\n");
    rt_named h[2] = {{"label", st_category_title(w, cg)}, {"value", points_text(w, cg->points)}};
    st_put(w, out, L_FIELD, 1, h, 2, LINE_TEXT);
    text_puts(out, "\n");
    for (size_t i = cg->first; i < cg->first + cg->n; i++) {
      rt_named v[3] = {{"rule", st_rule_title(w, g->lines[i].order, g->lines[i].rule)},
                       {"points", st_count(w, &w->scratch[0], P_POINTS, g->lines[i].points)},
                       {"times", st_count(w, &w->scratch[1], P_TIMES, g->lines[i].times)}};
      text_puts(out, "  ");
      st_put(w, out, L_LINE, 1, v, 3, LINE_TEXT);
      text_puts(out, "\n");
    }
  }
  if (!g->nlines) text_printf(out, "\n  %s\n", st_label(w, L_NONE, 1));
  text_puts(out, "\n");
  st_figures(w, g, out, text_row);
  if (g->nentries) {
    text_printf(out, "\n%s\n", st_label(w, D_HEADING, 1));
    for (size_t i = 0; i < g->nentries; i++) {
      text_clear(&w->scratch[4]);
      st_entry_text(w, &g->entries[i], &w->scratch[4]);
      rt_named v[2] = {{"date", st_date(w, g->entries[i].day, day, sizeof day)}, {"entry", text_str(&w->scratch[4])}};
      text_puts(out, "  ");
      st_put(w, out, D_DATE, 1, v, 2, LINE_TEXT);
      text_puts(out, "\n");
    }
  }
}

static void json_member(textbuf *out, const char *name, const char *value) {
  text_printf(out, ", \"%s\": ", name);
  if (value) text_json(out, value, strlen(value));
  else text_puts(out, "null");
}

static void as_json(writer *w, const gathered *g, textbuf *out) {
  char day[16];
  text_puts(out, "{\"partner\": ");
  text_json(out, g->id, strlen(g->id));
  json_member(out, "name", g->name);
  json_member(out, "language", rt_lang_code(w->m, w->lang));
  json_member(out, "period", w->period);
  json_member(out, "period_title", st_period_value(w));
  json_member(out, "first_day", w->first);
  json_member(out, "last_day", w->last);
  json_member(out, "issued", civil_format_date(w->issued, day));
  char local[128];
  json_member(out, "issued_title", st_date(w, w->issued, local, sizeof local));
  /* the words of the statement in the partner's language, for a portal that lays it out itself */
  static const struct { const char *key; int which; } keys[] = {
    {"heading", L_HEADING}, {"partner", L_PARTNER}, {"period", L_PERIOD}, {"issued", L_ISSUED}, {"rule", L_RULE},
    {"times", L_TIMES}, {"points", L_POINTS}, {"none", L_NONE}, {"total", L_TOTAL},
    {"opening_balance", L_OPENING}, {"spent", L_SPENT}, {"reversed", L_REVERSED}, {"expired", L_EXPIRED},
    {"closing_balance", L_BALANCE}, {"pending", L_PENDING}, {"next_lapse", L_LAPSE}, {"tier", L_TIER},
    {"next_tier", L_NEXT}, {"entries", D_HEADING}};
  text_puts(out, ", \"labels\": {");
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    text_printf(out, "%s\"%s\": ", i ? ", " : "", keys[i].key);
    const char *l = st_label(w, keys[i].which, 1);
    text_json(out, l, strlen(l));
  }
  text_puts(out, "}, \"categories\": [");
  for (size_t c = 0; c < g->ngroups; c++) {
    const category_group *cg = &g->groups[c];
    text_puts(out, c ? ", {\"category\": " : "{\"category\": ");
    if (cg->name) text_json(out, cg->name, strlen(cg->name));
    else text_puts(out, "null");
    json_member(out, "title", st_category_title(w, cg));
    text_printf(out, ", \"points\": %lld, \"lines\": [", cg->points);
    for (size_t i = cg->first; i < cg->first + cg->n; i++) {
      text_puts(out, i > cg->first ? ", {\"rule\": " : "{\"rule\": ");
      text_json(out, g->lines[i].rule, strlen(g->lines[i].rule));
      json_member(out, "title", st_rule_title(w, g->lines[i].order, g->lines[i].rule));
      text_printf(out, ", \"times\": %lld, \"points\": %lld}", g->lines[i].times, g->lines[i].points);
    }
    text_puts(out, "]}");
  }
  /* the lines again, flat, in the order the statement lists them */
  text_puts(out, "], \"lines\": [");
  for (size_t i = 0; i < g->nlines; i++) {
    text_puts(out, i ? ", {\"rule\": " : "{\"rule\": ");
    text_json(out, g->lines[i].rule, strlen(g->lines[i].rule));
    json_member(out, "title", st_rule_title(w, g->lines[i].order, g->lines[i].rule));
    text_printf(out, ", \"times\": %lld, \"points\": %lld}", g->lines[i].times, g->lines[i].points);
  }
  const rt_period_account *a = &g->acct;
  text_printf(out, "], \"total\": %lld, \"balance\": %lld, \"opening_balance\": %lld, \"credited\": %lld, \"spent\": %lld,"
                   " \"reversed\": %lld, \"expired\": %lld, \"closing_balance\": %lld, \"pending\": %lld, \"next_lapse\": ",
              g->total, a->closing, a->opening, a->credited, a->spent, a->reversed, a->expired, a->closing, a->pending);
  if (a->next_lapse >= 0) {
    text_printf(out, "{\"day\": \"%s\", \"points\": %lld}", civil_format_date(a->next_lapse, day), a->next_lapse_points);
  } else {
    text_puts(out, "null");
  }
  json_member(out, "tier", g->tier >= 0 ? rt_string(w->t, w->t->tiers[g->tier].name) : NULL);
  json_member(out, "tier_title", g->tier >= 0 ? st_tier_title(w, g->tier) : NULL);
  json_member(out, "next_tier", g->next >= 0 ? rt_string(w->t, w->t->tiers[g->next].name) : NULL);
  json_member(out, "next_tier_title", g->next >= 0 ? st_tier_title(w, g->next) : NULL);
  if (g->next >= 0) text_printf(out, ", \"points_to_next_tier\": %lld", g->to_next);
  else text_puts(out, ", \"points_to_next_tier\": null");
  if (g->nentries) { /* with detail: each entry as data, and as the partner reads it */
    static const char *const kinds[] = {"credit", "debit", "reversal", "expired"};
    text_puts(out, ", \"entries\": [");
    for (size_t i = 0; i < g->nentries; i++) {
      const rt_period_entry *e = &g->entries[i];
      text_printf(out, "%s{\"day\": \"%s\"", i ? ", " : "", civil_format_date(e->day, day));
      json_member(out, "kind", kinds[e->kind == 'c' ? 0 : e->kind == 'd' ? 1 : e->kind == 'r' ? 2 : 3]);
      json_member(out, "rule", e->rule < w->t->nrules ? rt_string(w->t, w->t->rules[e->rule].name) : NULL);
      json_member(out, "event", e->event[0] ? e->event : NULL);
      json_member(out, "status", e->status);
      json_member(out, "raw", e->raw);
      json_member(out, "multiplier", e->multiplier);
      text_printf(out, ", \"points\": %lld", e->granted);
      text_clear(&w->scratch[4]);
      st_entry_text(w, e, &w->scratch[4]);
      json_member(out, "text", text_str(&w->scratch[4]));
      text_puts(out, "}");
    }
    text_puts(out, "]");
  }
  textbuf text = {0};
  as_text(w, g, &text);
  json_member(out, "text", text_str(&text));
  text_free(&text);
  text_puts(out, "}");
}

/* The tier at the end of the period and the points still needed for the next. */
static void standing(const incent_table *t, gathered *g) {
  g->tier = g->acct.tier, g->next = -1;
  if (g->tier < 0 || (uint32_t)g->tier + 1 >= t->tiers_head->ntiers) return;
  g->next = g->tier + 1;
  rt_val threshold = rt_const_value(t, t->tiers[g->next].threshold);
  int64_t need = 0;
  dec_to_i64(threshold.d, &need);
  g->to_next = need > g->acct.tier_points ? need - g->acct.tier_points : 0;
}

/* ---- categories ---- */

static const char *const conventional[] = {"contribution", "capacity", "coverage", "commitment", "consumption",
                                           "collaboration"};

/* Where rule r's category comes among a statement's: the six conventional
 * ones in their order, then the program's own by name, then none. */
static int category_rank(const incent_table *t, uint32_t r, const char **name) {
  *name = NULL;
  if (r >= t->nrules || t->rules[r].category == IRT_NONE) return 7;
  *name = rt_string(t, t->rules[r].category);
  for (int i = 0; i < 6; i++)
    if (strcmp(*name, conventional[i]) == 0) return i;
  return 6;
}

/* A line with its category's rank and name (taken from the rule's, found once per run). */
typedef struct ranked { int rank; const char *name; const rt_rule_line *l; } ranked;

static int by_category(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->rank != y->rank) return x->rank - y->rank;
  if (x->rank == 6) {
    int c = strcmp(x->name, y->name);
    if (c) return c;
  }
  return x->l < y->l ? -1 : x->l > y->l; /* the reader's order within a category */
}

/* The statement's lines under their categories (in buffers kept for the next partner). */
typedef struct grouping {
  ranked *order;
  rt_rule_line *lines;
  category_group *groups;
  size_t cap, capgroups;
  signed char *rank; /* per rule, its category's rank: made with the first statement */
} grouping;

static bool group_lines(const incent_table *t, grouping *gr, gathered *g) {
  size_t n = g->nlines;
  g->groups = NULL, g->ngroups = 0;
  if (!n) return true;
  if (!gr->rank) {
    if (!(gr->rank = rt_calloc(t->nrules + 1, 1))) return false;
    for (uint32_t r = 0; r < t->nrules; r++) {
      const char *name;
      gr->rank[r] = (signed char)category_rank(t, r, &name);
    }
  }
  if (n > gr->cap) {
    ranked *o = realloc(gr->order, n * sizeof *o);
    if (o) gr->order = o;
    rt_rule_line *l = o ? realloc(gr->lines, n * sizeof *l) : NULL;
    if (l) gr->lines = l;
    if (!o || !l) return false;
    gr->cap = n;
  }
  if (!rt_grow((void **)&gr->groups, &gr->capgroups, n, sizeof *gr->groups)) return false;
  for (size_t i = 0; i < n; i++) {
    uint32_t r = g->lines[i].order;
    int rank = r < t->nrules ? gr->rank[r] : 7;
    gr->order[i] = (ranked){rank, rank < 7 ? rt_string(t, t->rules[r].category) : NULL, &g->lines[i]};
  }
  qsort(gr->order, n, sizeof *gr->order, by_category);
  for (size_t i = 0; i < n; i++) {
    const char *name = gr->order[i].name;
    int rank = gr->order[i].rank;
    gr->lines[i] = *gr->order[i].l;
    category_group *last = g->ngroups ? &gr->groups[g->ngroups - 1] : NULL;
    if (!last || (name ? !last->name || strcmp(name, last->name) != 0 : last->name != NULL))
      gr->groups[g->ngroups++] = (category_group){rank < 6 ? C_FIRST + rank : rank == 7 ? C_OTHER : -1, name, i, 0, 0};
    gr->groups[g->ngroups - 1].n++;
    gr->groups[g->ngroups - 1].points += gr->lines[i].points;
  }
  g->lines = gr->lines, g->groups = gr->groups;
  return true;
}

/* ---- the language of a statement ---- */

/* The language a statement for a partner who reads lang is written in: lang
 * when it has every word a statement can hold (the program's titles and
 * every label), else the source language as a whole, and the fallback is
 * counted once per statement. */
static int statement_language(writer *w, int lang, signed char *whole) {
  if (lang == 0) return 0;
  if (!whole[lang]) {
    const char *why = rt_titles_missing(w->m, lang);
    for (int i = 0; !why && i < L_COUNT; i++) why = rt_label_missing(w->m, lang, CTX, labels[i].one, labels[i].other);
    textbuf *r = &w->scratch[5];
    text_clear(r);
    if (why) text_printf(r, "the statement went out whole in %s: %s", rt_lang_code(w->m, 0), why);
    whole[lang] = why ? -1 : 1;
    if (why && !r->oom && !(w->lang_why[lang] = rt_strdup(text_str(r)))) whole[lang] = 0; /* memory: asked again */
  }
  if (whole[lang] > 0) return lang;
  if (w->lang_why[lang]) rt_fall_back(w->m, rt_lang_code(w->m, lang), w->lang_why[lang]);
  return 0;
}

/* Today in the program's time zone (the engine's, loaded with the ledger). */
static int32_t today(const rt_tz *z) {
  int64_t now = (int64_t)time(NULL);
  int64_t local = now + (z ? rt_tz_offset(z, now) : 0);
  return (int32_t)(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

incent_status incent_ledger_statements(incent_ledger *l, incent_messages *m, const incent_statement_options *o,
                                       incent_write_fn *write, void *ud, char *why, size_t whylen) {
  long failures = rt_alloc_failures(); /* a statement built without an allocation is not written */
  if (!m) return rt_fail(why, whylen, "statements need the program's messages (incent_messages_load)"), INCENT_EFORMAT;
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT;
  const incent_table *t = incent_ledger_table(l);
  const char *partner = o->partner, *period = o->period;
  incent_format format = o->format;
  writer w = {t, false, false, false, t->program->pending_days > 0, m, period, "", "", 0, 0, false, {{0}}, NULL, NULL};
  w.lapses = t->program->expire.unit != IRT_X_NEVER;
  for (uint32_t i = 0; i < t->nrules; i++) {
    const irt_rule *r = &t->rules[i];
    w.spends |= r->action == IRT_ACT_DEDUCT;
    w.reverses |= r->action == IRT_ACT_REVERSE;
    w.pends |= r->action == IRT_ACT_AWARD && r->pending_days > 0;
    w.lapses |= r->action == IRT_ACT_AWARD && r->expire.unit != IRT_X_NEVER && r->expire.unit != IRT_X_INHERIT;
  }
  if (!period || !rt_period_days(period, w.first, w.last)) {
    rt_fail(why, whylen, "'%s' is not a period; write 2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027 or program",
         period ? period : "");
    return INCENT_EFORMAT;
  }
  if (o->issued ? !civil_parse_date(o->issued, strlen(o->issued), &w.issued) : (w.issued = today(incent_ledger_engine(l)->tz), false)) {
    rt_fail(why, whylen, "'%s' is not a date of issue; write it as 2027-04-01", o->issued);
    return INCENT_EFORMAT;
  }
  if (strcmp(period, "program") == 0) { /* the program's own dates rather than all time */
    civil_format_date(t->program->runs_from, w.first);
    civil_format_date(t->program->runs_to, w.last);
  }
  sqlite3 *db = rt_ledger_db(l);
  sqlite3_stmt *who = NULL;
  incent_status st = INCENT_OK;
  rt_statement_reader *reader = NULL;
  size_t group = rt_statement_group(), in_group = group; /* statements read from the reader's group of partners */
  char after[INCENT_MAX_VALUE + 1] = "";   /* the last partner written */
  uint32_t nlangs = t->program->nlanguages ? t->program->nlanguages : 1;
  signed char *whole = rt_calloc(nlangs, 1); /* per language: 1 whole, -1 not, 0 not known yet */
  w.lang_why = rt_calloc(nlangs, sizeof *w.lang_why);
  w.labels = rt_calloc((size_t)nlangs * L_COUNT, sizeof *w.labels);
  grouping gr = {NULL, NULL, NULL, 0, 0, NULL};
  if (!whole || !w.lang_why || !w.labels) st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
  if (st == INCENT_OK && sqlite3_prepare_v2(db, "SELECT id, attrs FROM partners WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
                                            -1, &who, NULL) != SQLITE_OK) {
    rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
    st = INCENT_EFORMAT;
  }
  if (who) sqlite3_bind_text(who, 1, partner, -1, SQLITE_STATIC);
  textbuf out = {0};
  if (format == INCENT_FORMAT_JSON) text_puts(&out, "{\"statements\": [");
  size_t count = 0;
  while (st == INCENT_OK) {
    int rc = sqlite3_step(who);
    if (rc != SQLITE_ROW) {
      if (rc != SQLITE_DONE) st = INCENT_EFORMAT, rt_fail(why, whylen, "ledger: %s", sqlite3_errmsg(db));
      break;
    }
    char name[INCENT_MAX_VALUE + 1], language[64];
    const char *attrs = (const char *)sqlite3_column_text(who, 1);
    gathered g = {(const char *)sqlite3_column_text(who, 0), NULL, NULL, NULL, 0, NULL, 0, NULL, 0, 0, 0, -1, -1, {0}};
    if (!g.id || !attrs) { /* a NULL the schema forbids: damage, or memory */
      st = INCENT_EFORMAT, rt_fail(why, whylen, "cannot read the ledger: a value is missing");
      break;
    }
    g.name = rt_pair_value(attrs, "name", name, sizeof name);
    if (!g.name || !g.name[0]) g.name = g.id;
    g.language = rt_pair_value(attrs, "language", language, sizeof language);
    w.lang = statement_language(&w, rt_lang_for(m, g.language), whole);
    w.rtl = rt_lang_rtl(m, w.lang);
    char reason[256] = "";
    if (in_group == group) { /* the next group of partners, by id as this loop goes */
      rt_statement_reader_free(reader);
      reader = rt_statement_reader_open(l, partner, after[0] ? after : NULL, group, w.first, w.last, o->detail != 0,
                                        why, whylen);
      if (!reader && rt_alloc_failures() != failures) st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
      if (!reader) {
        if (st == INCENT_OK) st = INCENT_EFORMAT;
        break;
      }
      in_group = 0;
    }
    in_group++;
    snprintf(after, sizeof after, "%s", g.id);
    bool ok = rt_statement_read(reader, g.id, &g.acct, &g.lines, &g.nlines, &g.entries, &g.nentries, reason,
                                sizeof reason);
    if (ok && !group_lines(t, &gr, &g)) ok = false, snprintf(reason, sizeof reason, "out of memory");
    if (ok) {
      for (size_t i = 0; i < g.nlines; i++) g.total += g.lines[i].points;
      standing(t, &g);
      if (format == INCENT_FORMAT_JSON) {
        if (count) text_puts(&out, ",\n  ");
        else text_puts(&out, "\n  ");
        as_json(&w, &g, &out);
      } else if (format == INCENT_FORMAT_HTML || format == INCENT_FORMAT_HTML_FRAGMENT) {
        if (!count && format == INCENT_FORMAT_HTML) st_html_head(&w, &out, partner ? w.lang : 0);
        st_html(&w, &g, &out);
      } else {
        if (count) text_puts(&out, "\n\f\n"); /* a form feed between statements, as for printing */
        as_text(&w, &g, &out);
      }
      count++;
    }
    if (!ok) st = INCENT_EFORMAT, rt_fail(why, whylen, "%s", reason[0] ? reason : sqlite3_errmsg(db));
    if (out.oom || rt_alloc_failures() != failures) st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
    if (st == INCENT_OK && out.len > 65536) { /* statements stream out; memory does not grow with partners */
      write(ud, out.s, out.len);
      text_clear(&out);
    }
  }
  if (st == INCENT_OK && partner && !count) {
    rt_fail(why, whylen, "the ledger has no partner '%s'", partner);
    st = INCENT_ENOENT;
  }
  if (format == INCENT_FORMAT_JSON) text_puts(&out, count ? "\n]}\n" : "]}\n");
  if (format == INCENT_FORMAT_HTML) {
    if (!count) st_html_head(&w, &out, 0);
    text_puts(&out, "</body>\n</html>\n");
  }
  if (st == INCENT_OK && (out.oom || rt_alloc_failures() != failures))
    st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
  if (st == INCENT_OK) write(ud, out.s ? out.s : "", out.len);
  text_free(&out);
  for (int i = 0; i < 6; i++) text_free(&w.scratch[i]);
  for (uint32_t i = 0; w.lang_why && i < nlangs; i++) free(w.lang_why[i]);
  free(w.lang_why);
  free(w.labels);
  free(whole);
  free(gr.order);
  free(gr.lines);
  free(gr.groups);
  free(gr.rank);
  sqlite3_finalize(who);
  rt_statement_reader_free(reader);
  return st;
}
