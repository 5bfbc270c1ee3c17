/* statement_html.c: a partner's statement as HTML fit to send: every style
 * inline (e-mail clients drop <style>), one column that fits 600 pixels,
 * numbers right-aligned in tabular figures (text-align: end, so that right
 * to left aligns them left), one statement per printed page, values in
 * <bdi> so that a name in another script keeps its own direction. */
#include "config.h"

#include <string.h>

#include "runtime/ledger/statement_int.h"

#define FONT "font-family: 'Helvetica Neue', Helvetica, Arial, 'Noto Sans', 'Noto Sans CJK JP', 'Noto Sans Arabic', sans-serif;"
#define NUM "text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap;"
#define CELL "padding: 6px 0; border-bottom: 1px solid #e4e7eb; vertical-align: top;"

static void html_text(textbuf *out, const char *value) { text_html(out, value, strlen(value)); }

/* A row of a two-column table: a label and its value; strong for the closing balance. */
static void html_row(writer *w, textbuf *out, int which, const char *value, bool number, bool strong) {
  text_printf(out, "<tr><th scope=\"row\" style=\"%s text-align: start; font-weight: %s; color: #3e4c59;\">", CELL,
              strong ? "bold" : "normal");
  html_text(out, st_label(w, which, 1));
  text_printf(out, "</th><td style=\"%s %s font-weight: %s;\"><bdi>", CELL, number ? NUM : "text-align: end;",
              strong ? "bold" : "normal");
  html_text(out, value);
  text_puts(out, "</bdi></td></tr>\n");
}

static void html_table_open(textbuf *out) {
  text_puts(out, "<table role=\"presentation\" style=\"width: 100%; border-collapse: collapse; font-size: 15px; "
                 "margin: 0 0 16px;\">\n");
}

void st_html(writer *w, const gathered *g, textbuf *out) {
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
  html_text(out, st_label(w, L_HEADING, 1));
  text_puts(out, "</p>\n");
  html_table_open(out);
  html_row(w, out, L_PARTNER, g->name, false, false);
  html_row(w, out, L_PERIOD, st_period_value(w), false, false);
  char day[128];
  html_row(w, out, L_ISSUED, st_date(w, w->issued, day, sizeof day), false, false);
  html_row(w, out, L_OPENING, st_count(w, &w->scratch[1], P_POINTS, g->acct.opening), true, false);
  text_puts(out, "</table>\n");
  if (g->nlines) {
    text_puts(out, "<table style=\"width: 100%; border-collapse: collapse; font-size: 15px; margin: 0 0 16px;\">\n"
                   "<thead><tr>");
    static const int heads[] = {L_RULE, L_TIMES, L_POINTS};
    for (int i = 0; i < 3; i++) {
      text_printf(out, "<th scope=\"col\" style=\"padding: 6px 0; border-bottom: 2px solid #bcccdc; font-size: 13px; "
                       "color: #52606d; font-weight: bold; text-align: %s;%s\">",
                  i ? "end" : "start", i ? " padding-inline-start: 12px;" : "");
      html_text(out, st_label(w, heads[i], 1));
      text_puts(out, "</th>");
    }
    text_puts(out, "</tr></thead>\n<tbody>\n");
    char num[128];
    for (size_t c = 0; c < g->ngroups; c++) { /* a category's heading and its points, then its rules */
      const category_group *cg = &g->groups[c];
      text_printf(out, "<tr><th scope=\"rowgroup\" colspan=\"2\" style=\"%s text-align: start; padding-top: 12px; "
                       "color: #102a43;\"><bdi>", CELL);
      html_text(out, st_category_title(w, cg));
      text_printf(out, "</bdi></th><td style=\"%s %s padding-top: 12px; font-weight: bold;\"><bdi>", CELL, NUM);
      html_text(out, st_number(w, cg->points, num, sizeof num));
      text_puts(out, "</bdi></td></tr>\n");
      for (size_t i = cg->first; i < cg->first + cg->n; i++) {
        text_printf(out, "<tr><td style=\"%s padding-inline-start: 12px;\"><bdi>", CELL);
        html_text(out, st_rule_title(w, g->lines[i].order, g->lines[i].rule));
        text_printf(out, "</bdi></td><td style=\"%s %s padding-inline-start: 12px;\"><bdi>", CELL, NUM);
        html_text(out, st_number(w, g->lines[i].times, num, sizeof num));
        text_printf(out, "</bdi></td><td style=\"%s %s padding-inline-start: 12px;\"><bdi>", CELL, NUM);
        html_text(out, st_number(w, g->lines[i].points, num, sizeof num));
        text_puts(out, "</bdi></td></tr>\n");
      }
    }
    text_puts(out, "</tbody>\n</table>\n");
  } else {
    text_puts(out, "<p style=\"font-size: 15px; color: #52606d; margin: 0 0 16px;\">");
    html_text(out, st_label(w, L_NONE, 1));
    text_puts(out, "</p>\n");
  }
  html_table_open(out);
  st_figures(w, g, out, html_row);
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
  if (g->nentries) { /* a detailed statement: every entry of the period, as the partner reads it */
    text_puts(out, "<h2 style=\"font-size: 17px; margin: 16px 0 4px; color: #102a43;\">");
    html_text(out, st_label(w, D_HEADING, 1));
    text_puts(out, "</h2>\n");
    html_table_open(out);
    for (size_t i = 0; i < g->nentries; i++) {
      text_printf(out, "<tr><td style=\"%s font-size: 13px; color: #52606d; white-space: nowrap; "
                       "padding-inline-end: 12px;\"><bdi>", CELL);
      html_text(out, st_date(w, g->entries[i].day, day, sizeof day));
      text_printf(out, "</bdi></td><td style=\"%s font-size: 13px; width: 100%%;\"><bdi>", CELL);
      text_clear(&w->scratch[4]);
      st_entry_text(w, &g->entries[i], &w->scratch[4]);
      html_text(out, text_str(&w->scratch[4]));
      text_puts(out, "</bdi></td></tr>\n");
    }
    text_puts(out, "</table>\n");
  }
  text_puts(out, "</article>\n");
}

/* The document speaks the language of its one statement, else the
 * program's source language; each statement says its own. */
void st_html_head(writer *w, textbuf *out, int lang) {
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

