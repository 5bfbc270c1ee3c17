/* statement_detail.c: one entry of a detailed statement as the partner
 * reads it, in the partner's language: the rule, the event (with its amount
 * when it has one), and the arithmetic of the points (the raw award, the
 * tier's multiplier, the rounding, and what a cap, a limit or a budget
 * cut), or what was spent, taken back or lapsed. */
#include "config.h"

#include <string.h>

#include "runtime/base/decimal.h"
#include "runtime/ledger/statement_int.h"

/* A decimal as the partner's language writes it ("1.016,5"), into out. */
static const char *decimal(writer *w, const char *digits, char *out, size_t size) {
  return fmt_number(rt_lang_formatter(w->m, w->lang), digits, out, size) ? out : digits;
}

/* The event's id, and its amount when it has one. */
static const char *event_text(writer *w, const rt_period_entry *e, textbuf *out) {
  char shown[256];
  if (!e->amount[0] || !fmt_money(rt_lang_formatter(w->m, w->lang), e->amount, shown, sizeof shown)) return e->event;
  rt_named v[2] = {{"id", e->event}, {"amount", shown}};
  text_clear(out);
  st_put(w, out, D_EVENT_AMOUNT, 1, v, 2, PART);
  return text_str(out);
}

/* The title of the tier whose multiplier is m (the tier the partner held
 * before the event), else m itself. */
static const char *tier_of(writer *w, dec m, const char *shown) {
  const incent_table *t = w->t;
  for (uint32_t i = 0; t->tiers_head->present && i < t->tiers_head->ntiers; i++) {
    if (t->tiers[i].multiplier == IRT_NONE) continue;
    rt_val v = rt_const_value(t, t->tiers[i].multiplier);
    if (dec_cmp(v.d, m) == 0) return st_tier_title(w, (int32_t)i);
  }
  return shown;
}

/* How a credit's points were computed, before any cut: onto out. */
static void arithmetic(writer *w, const rt_period_entry *e, textbuf *out, textbuf *points) {
  dec raw, mult, product, rounded;
  char a[DEC_STRING_MAX], b[DEC_STRING_MAX], c[DEC_STRING_MAX], ra[128], mu[128], pr[128];
  int64_t whole = 0;
  if (dec_parse(e->raw, strlen(e->raw), &raw) != DEC_OK || dec_parse(e->multiplier, strlen(e->multiplier), &mult) != DEC_OK ||
      dec_mul(raw, mult, &product) != DEC_OK ||
      dec_round(product, (dec_rounding)w->t->program->rounding, &rounded) != DEC_OK || !dec_to_i64(rounded, &whole)) {
    text_puts(out, st_count(w, points, P_POINTS, e->granted)); /* a damaged entry: what was granted */
    return;
  }
  const char *p = st_count(w, points, P_POINTS, whole);
  bool exact = dec_cmp(product, rounded) == 0;
  if (dec_cmp(mult, dec_from_int(1)) == 0) {
    if (exact) {
      text_puts(out, p);
      return;
    }
    rt_named v[2] = {{"raw", decimal(w, dec_to_string(dec_normalize(raw), a), ra, sizeof ra)}, {"points", p}};
    st_put(w, out, D_ROUNDED, 1, v, 2, PART);
    return;
  }
  const char *m = decimal(w, dec_to_string(dec_normalize(mult), b), mu, sizeof mu);
  rt_named v[5] = {{"raw", decimal(w, dec_to_string(dec_normalize(raw), a), ra, sizeof ra)},
                   {"multiplier", m},
                   {"tier", tier_of(w, mult, m)},
                   {"points", p},
                   {"product", decimal(w, dec_to_string(dec_normalize(product), c), pr, sizeof pr)}};
  st_put(w, out, exact ? D_TIMES : D_TIMES_ROUNDED, 1, v, 5, PART);
}

void st_entry_text(writer *w, const rt_period_entry *e, textbuf *out) {
  textbuf ev = {0}, calc = {0}, entry = {0}, points = {0};
  const char *rule = e->rule < w->t->nrules ? st_rule_title(w, e->rule, e->rule_name) : e->rule_name;
  const char *event = event_text(w, e, &ev);
  long long moved = e->granted < 0 ? -e->granted : e->granted;
  if (e->kind == 'e') {
    rt_named v[1] = {{"points", st_count(w, &points, P_POINTS, moved)}};
    st_put(w, out, D_EXPIRED, 1, v, 1, PART);
  } else if (e->kind == 'd' || e->kind == 'r') {
    rt_named v[3] = {{"rule", rule}, {"event", event}, {"points", st_count(w, &points, P_POINTS, moved)}};
    st_put(w, out, e->kind == 'd' ? D_SPENT : D_REVERSED, 1, v, 3, PART);
  } else {
    arithmetic(w, e, &calc, &points);
    rt_named v[3] = {{"rule", rule}, {"event", event}, {"arithmetic", text_str(&calc)}};
    int cut = strcmp(e->status, "capped") == 0 ? D_CAPPED
              : strcmp(e->status, "limited") == 0 ? D_LIMITED
              : strcmp(e->status, "budget") == 0 ? D_BUDGET : -1;
    st_put(w, cut < 0 ? out : &entry, D_ENTRY, 1, v, 3, PART);
    if (cut >= 0) {
      char name[128];
      rt_named c[3] = {{"entry", text_str(&entry)},
                       {"points", st_count(w, &points, P_POINTS, e->granted)},
                       {"period", st_period_name(w, e->period, name, sizeof name)}};
      st_put(w, out, cut, 1, c, 3, PART);
    }
  }
  if (ev.oom || calc.oom || entry.oom || points.oom) out->oom = true;
  text_free(&ev);
  text_free(&calc);
  text_free(&entry);
  text_free(&points);
}
