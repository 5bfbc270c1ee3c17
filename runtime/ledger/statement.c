/* statement.c: partners' statements, in each partner's language, as text,
 * HTML or JSON.  The figures come from the ledger's entries (the credits of
 * the period by rule, and the account's figures: statement_account.c) and
 * from its engine (tier and points towards the next tier, as of the
 * ledger's latest day); the words come from the program's catalogs
 * (titles) and the library's own (labels). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/ledger/ledger_int.h"
#include "runtime/messages/messages.h"
#include "runtime/ledger/statement_account.h"
#include "runtime/engine/table.h"
#include "runtime/base/text.h"
#include "runtime/base/tz.h"
#include "runtime/base/util.h"

/* Marks the labels for xgettext (keywords NC_ and NCP_ in locale/Makevars);
 * rt_label looks them up in the partner's language. */
#define NC_(ctx, s) s
#define NCP_(ctx, one, other) one, other
#define CTX "statement"

enum {
  L_HEADING, L_FIELD, L_PARTNER, L_PERIOD, L_PERIOD_VALUE, L_RULE, L_TIMES, L_POINTS, L_LINE, L_NONE, L_TOTAL,
  L_BALANCE, L_TIER, L_NEXT, L_NEXT_VALUE, L_TOP, P_POINTS, P_TIMES,
  L_OPENING, L_SPENT, L_REVERSED, L_EXPIRED, L_PENDING, L_LAPSE, L_LAPSE_VALUE, L_COUNT
};

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
};

/* One partner's statement, gathered. */
typedef struct gathered {
  const char *id, *name, *language;
  const rt_rule_line *lines;
  size_t nlines;
  long long total, to_next;
  int32_t tier, next; /* -1: none */
  rt_period_account acct;
} gathered;

/* What rendering needs: the ledger's program, the texts and the output. */
typedef struct writer {
  const incent_table *t;
  bool spends, reverses, lapses, pends; /* the program has deductions, reversals, expiry, pending points */
  incent_messages *m;
  const char *period;
  char first[16], last[16];
  int lang;
  bool rtl;
  textbuf scratch[4]; /* values rendered before they are placed */
} writer;

static const char *label(writer *w, int which, unsigned long n) {
  return rt_label(w->m, w->lang, CTX, labels[which].one, labels[which].other, n);
}

/* Where a rendered label goes: a line of text, or a part of a line
 * (isolated as a whole where it is placed, so not value by value). */
typedef enum place { LINE_TEXT, PART } place;

/* Renders a label template with values; when the translation cannot be
 * filled (rt_label checked its placeholders, so only a value missing in the
 * source could), the English source is used. */
static void put(writer *w, textbuf *out, int which, unsigned long n, const rt_named *v, int nv, place where) {
  size_t mark = out->len;
  bool rtl = w->rtl && where != PART;
  if (!rt_fill(out, label(w, which, n), v, nv, rtl, false)) {
    out->len = mark;
    if (out->s) out->s[mark] = '\0';
    rt_fill(out, n != 1 && labels[which].other ? labels[which].other : labels[which].one, v, nv, rtl, false);
  }
}

static const char *number(writer *w, long long v, char *out, size_t size) {
  char digits[32];
  snprintf(digits, sizeof digits, "%lld", v);
  if (!fmt_number(rt_lang_formatter(w->m, w->lang), digits, out, size)) snprintf(out, size, "%s", digits);
  return out;
}

/* "{count} points" in the partner's language, into b. */
static const char *count_of(writer *w, textbuf *b, int which, long long v) {
  char num[128];
  rt_named c = {"count", number(w, v, num, sizeof num)};
  text_clear(b);
  put(w, b, which, (unsigned long)(v < 0 ? -v : v), &c, 1, PART);
  return text_str(b);
}

static const char *rule_title(writer *w, const rt_rule_line *l) {
  if (l->order >= w->t->nrules) return l->rule; /* a rule that is gone after a program change */
  return rt_title(w->m, w->lang, RT_TITLE_RULE, l->order);
}

static const char *tier_title(writer *w, int32_t tier) {
  return rt_title(w->m, w->lang, RT_TITLE_TIER, (uint32_t)tier);
}

/* A "{label}: {value}" line of text. */
static void field(writer *w, textbuf *out, int which, const char *value) {
  rt_named v[2] = {{"label", label(w, which, 1)}, {"value", value}};
  put(w, out, L_FIELD, 1, v, 2, LINE_TEXT);
  text_puts(out, "\n");
}

/* A figure's row, as the format writes one: its label, its value, whether
 * that is a number (aligned as one) and whether it stands out. */
typedef void row_fn(writer *w, textbuf *out, int which, const char *value, bool number, bool strong);

static void text_row(writer *w, textbuf *out, int which, const char *value, bool number, bool strong) {
  (void)number, (void)strong;
  field(w, out, which, value);
}

static const char *points_text(writer *w, long long v) { return count_of(w, &w->scratch[1], P_POINTS, v); }

/* The period in the partner's language: its name from ICU ("1. Quartal
 * 2027"; the program's title for the program's own dates) and its first and
 * last days; a day is its date alone. */
static const char *period_value(writer *w) {
  char a[128], b[128], name[128];
  int32_t da, db;
  civil_parse_date(w->first, strlen(w->first), &da);
  civil_parse_date(w->last, strlen(w->last), &db);
  formatter *f = rt_lang_formatter(w->m, w->lang);
  int kind;
  int64_t key;
  char k = 0;
  if (rt_period_parse(w->period, &kind, &key) && kind != IRT_P_PROGRAM)
    k = kind == IRT_P_DAY ? 'd' : kind == IRT_P_WEEK ? 'w' : kind == IRT_P_MONTH ? 'm' : kind == IRT_P_QUARTER ? 'q' : 'y';
  text_clear(&w->scratch[3]);
  const char *first = fmt_date(f, da, a, sizeof a) ? a : w->first;
  if (k == 'd') return text_puts(&w->scratch[3], first), text_str(&w->scratch[3]);
  const char *called = !k ? rt_title(w->m, w->lang, RT_TITLE_PROGRAM, 0)
                       : fmt_period(f, k, da, name, sizeof name) ? name : w->period;
  rt_named v[3] = {{"period", called}, {"first", first}, {"last", fmt_date(f, db, b, sizeof b) ? b : w->last}};
  put(w, &w->scratch[3], L_PERIOD_VALUE, 1, v, 3, PART);
  return text_str(&w->scratch[3]);
}

static const char *next_value(writer *w, const gathered *g) {
  if (g->next < 0) return label(w, L_TOP, 1);
  rt_named v[2] = {{"tier", tier_title(w, g->next)}, {"points", count_of(w, &w->scratch[0], P_POINTS, g->to_next)}};
  text_clear(&w->scratch[2]);
  put(w, &w->scratch[2], L_NEXT_VALUE, 1, v, 2, PART);
  return text_str(&w->scratch[2]);
}

static const char *lapse_value(writer *w, const gathered *g) {
  char day[128], iso[16];
  rt_named v[2] = {{"points", count_of(w, &w->scratch[0], P_POINTS, g->acct.next_lapse_points)},
                   {"date", fmt_date(rt_lang_formatter(w->m, w->lang), g->acct.next_lapse, day, sizeof day)
                              ? day : civil_format_date(g->acct.next_lapse, iso)}};
  text_clear(&w->scratch[2]);
  put(w, &w->scratch[2], L_LAPSE_VALUE, 1, v, 2, PART);
  return text_str(&w->scratch[2]);
}

/* The lines after the rules': what was credited, spent, reversed and
 * expired in the period (those the program can have), the closing balance
 * at its end, what is pending then and the next lapse, and with tiers the
 * tier and the next. */
static void figures(writer *w, const gathered *g, textbuf *out, row_fn *row) {
  row(w, out, L_TOTAL, points_text(w, g->total), true, false);
  if (w->spends) row(w, out, L_SPENT, points_text(w, g->acct.spent), true, false);
  if (w->reverses) row(w, out, L_REVERSED, points_text(w, g->acct.reversed), true, false);
  if (w->lapses) row(w, out, L_EXPIRED, points_text(w, g->acct.expired), true, false);
  row(w, out, L_BALANCE, points_text(w, g->acct.closing), true, true);
  if (w->pends) row(w, out, L_PENDING, points_text(w, g->acct.pending), true, false);
  if (w->lapses && g->acct.next_lapse >= 0) row(w, out, L_LAPSE, lapse_value(w, g), false, false);
  if (g->tier >= 0) {
    row(w, out, L_TIER, tier_title(w, g->tier), false, false);
    row(w, out, L_NEXT, next_value(w, g), false, false);
  }
}

static void as_text(writer *w, const gathered *g, textbuf *out) {
  text_puts(out, rt_title(w->m, w->lang, RT_TITLE_PROGRAM, 0));
  text_puts(out, "\n");
  text_puts(out, label(w, L_HEADING, 1));
  text_puts(out, "\n");
  field(w, out, L_PARTNER, g->name);
  field(w, out, L_PERIOD, period_value(w));
  field(w, out, L_OPENING, points_text(w, g->acct.opening));
  text_puts(out, "\n");
  for (size_t i = 0; i < g->nlines; i++) {
    rt_named v[3] = {{"rule", rule_title(w, &g->lines[i])},
                     {"points", count_of(w, &w->scratch[0], P_POINTS, g->lines[i].points)},
                     {"times", count_of(w, &w->scratch[1], P_TIMES, g->lines[i].times)}};
    text_puts(out, "  ");
    put(w, out, L_LINE, 1, v, 3, LINE_TEXT);
    text_puts(out, "\n");
  }
  if (!g->nlines) text_printf(out, "  %s\n", label(w, L_NONE, 1));
  text_puts(out, "\n");
  figures(w, g, out, text_row);
}

/* HTML fit to send: every style inline (e-mail clients drop <style>), one
 * column that fits 600 pixels, numbers right-aligned in tabular figures
 * (text-align: end, so that right to left aligns them left), one statement
 * per printed page, values in <bdi> so that a name in another script keeps
 * its own direction. */
#define FONT "font-family: 'Helvetica Neue', Helvetica, Arial, 'Noto Sans', 'Noto Sans CJK JP', 'Noto Sans Arabic', sans-serif;"
#define NUM "text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap;"
#define CELL "padding: 6px 0; border-bottom: 1px solid #e4e7eb; vertical-align: top;"

static void html_text(textbuf *out, const char *value) { text_html(out, value, strlen(value)); }

/* A row of a two-column table: a label and its value; strong for the closing balance. */
static void html_row(writer *w, textbuf *out, int which, const char *value, bool number, bool strong) {
  text_printf(out, "<tr><th scope=\"row\" style=\"%s text-align: start; font-weight: %s; color: #3e4c59;\">", CELL,
              strong ? "bold" : "normal");
  html_text(out, label(w, which, 1));
  text_printf(out, "</th><td style=\"%s %s font-weight: %s;\"><bdi>", CELL, number ? NUM : "text-align: end;",
              strong ? "bold" : "normal");
  html_text(out, value);
  text_puts(out, "</bdi></td></tr>\n");
}

static void html_table_open(textbuf *out) {
  text_puts(out, "<table role=\"presentation\" style=\"width: 100%; border-collapse: collapse; font-size: 15px; "
                 "margin: 0 0 16px;\">\n");
}

static void as_html(writer *w, const gathered *g, textbuf *out) {
  const char *dir = w->rtl ? "rtl" : "ltr";
  text_puts(out, "<article lang=\"");
  text_bcp47(out, rt_lang_code(w->m, w->lang));
  text_printf(out, "\" dir=\"%s\" style=\"%s box-sizing: border-box; max-width: 600px; margin: 0 auto 24px; "
                   "padding: 24px; color: #1f2933; background: #ffffff; border: 1px solid #d9e2ec; border-radius: 8px; "
                   "line-height: 1.4; overflow-wrap: anywhere; break-after: page; page-break-after: always;\">\n",
              dir, FONT);
  text_puts(out, "<h1 style=\"font-size: 22px; margin: 0 0 4px; color: #102a43;\">");
  html_text(out, rt_title(w->m, w->lang, RT_TITLE_PROGRAM, 0));
  text_puts(out, "</h1>\n<p style=\"font-size: 15px; margin: 0 0 16px; color: #52606d;\">");
  html_text(out, label(w, L_HEADING, 1));
  text_puts(out, "</p>\n");
  html_table_open(out);
  html_row(w, out, L_PARTNER, g->name, false, false);
  html_row(w, out, L_PERIOD, period_value(w), false, false);
  html_row(w, out, L_OPENING, points_text(w, g->acct.opening), true, false);
  text_puts(out, "</table>\n");
  if (g->nlines) {
    text_puts(out, "<table style=\"width: 100%; border-collapse: collapse; font-size: 15px; margin: 0 0 16px;\">\n"
                   "<thead><tr>");
    static const int heads[] = {L_RULE, L_TIMES, L_POINTS};
    for (int i = 0; i < 3; i++) {
      text_printf(out, "<th scope=\"col\" style=\"padding: 6px 0; border-bottom: 2px solid #bcccdc; font-size: 13px; "
                       "color: #52606d; font-weight: bold; text-align: %s;%s\">",
                  i ? "end" : "start", i ? " padding-inline-start: 12px;" : "");
      html_text(out, label(w, heads[i], 1));
      text_puts(out, "</th>");
    }
    text_puts(out, "</tr></thead>\n<tbody>\n");
    char num[128];
    for (size_t i = 0; i < g->nlines; i++) {
      text_printf(out, "<tr><td style=\"%s\"><bdi>", CELL);
      html_text(out, rule_title(w, &g->lines[i]));
      text_printf(out, "</bdi></td><td style=\"%s %s padding-inline-start: 12px;\"><bdi>", CELL, NUM);
      html_text(out, number(w, g->lines[i].times, num, sizeof num));
      text_printf(out, "</bdi></td><td style=\"%s %s padding-inline-start: 12px;\"><bdi>", CELL, NUM);
      html_text(out, number(w, g->lines[i].points, num, sizeof num));
      text_puts(out, "</bdi></td></tr>\n");
    }
    text_puts(out, "</tbody>\n</table>\n");
  } else {
    text_puts(out, "<p style=\"font-size: 15px; color: #52606d; margin: 0 0 16px;\">");
    html_text(out, label(w, L_NONE, 1));
    text_puts(out, "</p>\n");
  }
  html_table_open(out);
  figures(w, g, out, html_row);
  text_puts(out, "</table>\n");
  if (g->tier >= 0 && g->next >= 0) { /* the way to the next tier, as a bar */
    long long need = g->to_next + g->acct.tier_points;
    long long pct = need > 0 && g->acct.tier_points > 0 ? g->acct.tier_points * 100 / need : 0;
    if (pct > 100) pct = 100;
    text_printf(out, "<div role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"%lld\" "
                     "style=\"height: 10px; background: #e4e7eb; border-radius: 5px; overflow: hidden;\">"
                     "<div style=\"width: %lld%%; height: 10px; background: #2680c2;\"></div></div>\n",
                pct, pct);
  }
  text_puts(out, "</article>\n");
}

/* The document speaks the language of its one statement, else the
 * program's source language; each statement says its own. */
static void html_head(writer *w, textbuf *out, int lang) {
  const char *code = rt_lang_code(w->m, lang);
  text_puts(out, "<!DOCTYPE html>\n<html lang=\"");
  text_bcp47(out, code);
  text_printf(out, "\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
              rt_lang_rtl(w->m, lang) ? "rtl" : "ltr");
  const char *program = rt_title(w->m, lang, RT_TITLE_PROGRAM, 0);
  text_html(out, program, strlen(program));
  text_puts(out, "</title>\n</head>\n<body style=\"margin: 0; padding: 16px 8px; background: #f5f7fa;\">\n");
}

static void json_member(textbuf *out, const char *name, const char *value) {
  text_printf(out, ", \"%s\": ", name);
  if (value) text_json(out, value, strlen(value));
  else text_puts(out, "null");
}

static void as_json(writer *w, const gathered *g, textbuf *out) {
  text_puts(out, "{\"partner\": ");
  text_json(out, g->id, strlen(g->id));
  json_member(out, "name", g->name);
  json_member(out, "language", rt_lang_code(w->m, w->lang));
  json_member(out, "period", w->period);
  json_member(out, "period_title", period_value(w));
  json_member(out, "first_day", w->first);
  json_member(out, "last_day", w->last);
  /* the words of the statement in the partner's language, for a portal that lays it out itself */
  static const struct { const char *key; int which; } keys[] = {
    {"heading", L_HEADING}, {"partner", L_PARTNER}, {"period", L_PERIOD}, {"rule", L_RULE}, {"times", L_TIMES},
    {"points", L_POINTS}, {"none", L_NONE}, {"total", L_TOTAL}, {"opening_balance", L_OPENING}, {"spent", L_SPENT},
    {"reversed", L_REVERSED}, {"expired", L_EXPIRED}, {"closing_balance", L_BALANCE}, {"pending", L_PENDING},
    {"next_lapse", L_LAPSE}, {"tier", L_TIER}, {"next_tier", L_NEXT}};
  text_puts(out, ", \"labels\": {");
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
    text_printf(out, "%s\"%s\": ", i ? ", " : "", keys[i].key);
    const char *l = label(w, keys[i].which, 1);
    text_json(out, l, strlen(l));
  }
  text_puts(out, "}, \"lines\": [");
  for (size_t i = 0; i < g->nlines; i++) {
    text_puts(out, i ? ", {\"rule\": " : "{\"rule\": ");
    text_json(out, g->lines[i].rule, strlen(g->lines[i].rule));
    json_member(out, "title", rule_title(w, &g->lines[i]));
    text_printf(out, ", \"times\": %lld, \"points\": %lld}", g->lines[i].times, g->lines[i].points);
  }
  const rt_period_account *a = &g->acct;
  text_printf(out, "], \"total\": %lld, \"balance\": %lld, \"opening_balance\": %lld, \"credited\": %lld, \"spent\": %lld,"
                   " \"reversed\": %lld, \"expired\": %lld, \"closing_balance\": %lld, \"pending\": %lld, \"next_lapse\": ",
              g->total, a->closing, a->opening, a->credited, a->spent, a->reversed, a->expired, a->closing, a->pending);
  char day[16];
  if (a->next_lapse >= 0) {
    text_printf(out, "{\"day\": \"%s\", \"points\": %lld}", civil_format_date(a->next_lapse, day), a->next_lapse_points);
  } else {
    text_puts(out, "null");
  }
  json_member(out, "tier", g->tier >= 0 ? rt_string(w->t, w->t->tiers[g->tier].name) : NULL);
  json_member(out, "tier_title", g->tier >= 0 ? tier_title(w, g->tier) : NULL);
  json_member(out, "next_tier", g->next >= 0 ? rt_string(w->t, w->t->tiers[g->next].name) : NULL);
  json_member(out, "next_tier_title", g->next >= 0 ? tier_title(w, g->next) : NULL);
  if (g->next >= 0) text_printf(out, ", \"points_to_next_tier\": %lld", g->to_next);
  else text_puts(out, ", \"points_to_next_tier\": null");
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

incent_status incent_ledger_statements(incent_ledger *l, incent_messages *m, const char *partner, const char *period,
                                       incent_format format, incent_write_fn *write, void *ud, char *why,
                                       size_t whylen) {
  long failures = rt_alloc_failures(); /* a statement built without an allocation is not written */
  if (incent_ledger_commit(l, why, whylen) != INCENT_OK) return INCENT_EFORMAT;
  const incent_table *t = incent_ledger_table(l);
  writer w = {t, false, false, false, t->program->pending_days > 0, m, period, "", "", 0, false, {{0}}};
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
  if (sqlite3_prepare_v2(db, "SELECT id, attrs FROM partners WHERE ?1 IS NULL OR id = ?1 ORDER BY id", -1, &who,
                         NULL) != SQLITE_OK) {
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
    gathered g = {(const char *)sqlite3_column_text(who, 0), NULL, NULL, NULL, 0, 0, 0, -1, -1, {0}};
    if (!g.id || !attrs) { /* a NULL the schema forbids: damage, or memory */
      st = INCENT_EFORMAT, rt_fail(why, whylen, "cannot read the ledger: a value is missing");
      break;
    }
    g.name = rt_pair_value(attrs, "name", name, sizeof name);
    if (!g.name || !g.name[0]) g.name = g.id;
    g.language = rt_pair_value(attrs, "language", language, sizeof language);
    w.lang = rt_lang_for(m, g.language);
    w.rtl = rt_lang_rtl(m, w.lang);
    char reason[256] = "";
    if (in_group == group) { /* the next group of partners, by id as this loop goes */
      rt_statement_reader_free(reader);
      reader = rt_statement_reader_open(l, partner, after[0] ? after : NULL, group, w.first, w.last, why, whylen);
      if (!reader && rt_alloc_failures() != failures) st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
      if (!reader) {
        if (st == INCENT_OK) st = INCENT_EFORMAT;
        break;
      }
      in_group = 0;
    }
    in_group++;
    snprintf(after, sizeof after, "%s", g.id);
    bool ok = rt_statement_read(reader, g.id, &g.acct, &g.lines, &g.nlines, reason, sizeof reason);
    if (ok) {
      for (size_t i = 0; i < g.nlines; i++) g.total += g.lines[i].points;
      standing(t, &g);
      if (format == INCENT_FORMAT_JSON) {
        if (count) text_puts(&out, ",\n  ");
        else text_puts(&out, "\n  ");
        as_json(&w, &g, &out);
      } else if (format == INCENT_FORMAT_HTML || format == INCENT_FORMAT_HTML_FRAGMENT) {
        if (!count && format == INCENT_FORMAT_HTML) html_head(&w, &out, partner ? w.lang : 0);
        as_html(&w, &g, &out);
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
    if (!count) html_head(&w, &out, 0);
    text_puts(&out, "</body>\n</html>\n");
  }
  if (st == INCENT_OK && (out.oom || rt_alloc_failures() != failures))
    st = INCENT_ENOMEM, rt_fail(why, whylen, "out of memory");
  if (st == INCENT_OK) write(ud, out.s ? out.s : "", out.len);
  text_free(&out);
  for (int i = 0; i < 4; i++) text_free(&w.scratch[i]);
  sqlite3_finalize(who);
  rt_statement_reader_free(reader);
  return st;
}
