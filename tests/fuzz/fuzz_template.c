/* fuzz_template.c: libFuzzer target: any bytes as message templates.  The
 * whole input goes through the placeholder scanner and the one-pass
 * renderer (they must agree on what is malformed).  Built with FUZZ_RENDER
 * (fuzz_render), the input, split at NULs, also becomes the German and
 * Arabic translations of a small program's texts, compiled into a .mo
 * catalog, loaded as `run --locale-dir` loads catalogs, and rendered into
 * every notification the program sends. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler/compile.h"
#include "compiler/pot.h"
#include "incent.h"
#include "runtime/messages/template.h"
#include "tests/fuzz/fuzz.h"

/* ---- the scanner and the renderer agree ---- */

static const char *any_value(void *ud, const char *name, size_t len, size_t *vlen) {
  (void)ud;
  *vlen = len; /* a value with braces in it is never scanned */
  return len % 3 ? name : "{x}}";
}

static void count_bytes(void *ud, const char *bytes, size_t len, bool is_value) {
  (void)bytes, (void)is_value;
  *(size_t *)ud += len;
}

static void scanner_and_renderer(const char *s, size_t len) {
  /* the tokens cover the text, one after another */
  const char *tok;
  size_t pos = 0, last = 0, toklen;
  for (template_tok t; (t = template_next(s, len, &pos, &tok, &toklen)) != TT_END; last = pos)
    if (pos <= last || pos > len || tok < s || tok + toklen > s + len) abort();
  if (last != len) abort();
  bool ok = template_scan(s, len, NULL, NULL, NULL);
  size_t out = 0;
  if (template_render(s, len, any_value, count_bytes, &out) != ok) abort();
  if (ok && len > 0) template_has(s, len, s, len / 2);
}

#ifdef FUZZ_RENDER

static const char program[] =
  "program fuzz_render \"Fuzz rendering\" {\n"
  "  currency EUR\n  timezone \"Europe/Berlin\"\n  runs 2027-01-01 to 2027-12-31\n  languages en, de, ar\n}\n"
  "partner { kind one of (shop, chain)  channel text }\n"
  "event sale { amount money, product text, units int, shipped date, rate decimal, gift bool, size one of (s, m, l) }\n"
  "tiers by points per year {\n  member \"Member\" from 0\n  gold \"Gold\" from 100 multiplier 1.5\n"
  "  notify tier_reached\n}\n"
  "rule revenue \"Revenue\" { on sale  award 1 point per 1 EUR of amount  notify sale_credited }\n"
  "rule bonus \"Bonus\" { on sale  when units >= 2  award 5 points  notify sale_detail }\n"
  "message sale_credited {\n  subject \"Points for {partner}\"\n"
  "  text \"You earned {points} point for {product} ({rule}).\" \"You earned {points} points for {product} ({rule}).\"\n"
  "  plural points\n}\n"
  "message sale_detail {\n  subject \"{units} units of {product} of {amount}\"\n"
  "  text \"{product}: {units} unit, shipped {shipped}, rate {rate}, gift {gift}, size {size}, balance {balance}.\"\n"
  "       \"{product}: {units} units, shipped {shipped}, rate {rate}, gift {gift}, size {size}, balance {balance}.\"\n"
  "  plural units\n}\n"
  "message tier_reached {\n  subject \"Welcome to {tier}\"\n"
  "  text \"You have reached {tier}; points count {multiplier} times; balance {balance}.\"\n}\n";

static incent_table *table;
static char **keys; /* "ctx\004msgid" (and "\0plural"), sorted */
static size_t *keylens, nkeys;
static char locale[160];

/* ---- a catalog from the input ---- */

static int by_key(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void setup(void) {
  static compile_unit u;
  unsigned char *bytes;
  size_t len, n;
  if (!compile_check(&u, "fuzz.incent", program, sizeof program - 1) || !compile_emit(&u, &bytes, &len)) abort();
  if (incent_table_load(bytes, len, &table, NULL, 0) != INCENT_OK) abort();
  free(bytes);
  pot_entry *e = pot_entries(&u.prog, &n);
  if (!e) abort();
  keys = calloc(n, sizeof *keys);
  keylens = calloc(n, sizeof *keylens);
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(e[i].ctx) + 1 + e[i].msgid->slen + (e[i].plural ? 1 + e[i].plural->slen : 0);
    keys[i] = malloc(l + 1);
    snprintf(keys[i], l + 1, "%s\004%s", e[i].ctx, e[i].msgid->s);
    if (e[i].plural) memcpy(keys[i] + l - e[i].plural->slen, e[i].plural->s, e[i].plural->slen + 1);
    keylens[i] = l;
  }
  nkeys = n;
  free(e);
  compile_unit_free(&u);
  /* sorted as a .mo file's originals are; keylens follow their keys */
  char **sorted = malloc(n * sizeof *sorted);
  size_t *lens = malloc(n * sizeof *lens);
  memcpy(sorted, keys, n * sizeof *keys);
  qsort(sorted, n, sizeof *sorted, by_key);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      if (sorted[i] == keys[j]) lens[i] = keylens[j];
  free(keys);
  free(keylens);
  keys = sorted, keylens = lens;
  snprintf(locale, sizeof locale, "%s/locale", fuzz_dir());
  mkdir(locale, 0700);
  for (int i = 0; i < 2; i++) {
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", locale, i ? "ar" : "de");
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/%s/LC_MESSAGES", locale, i ? "ar" : "de");
    mkdir(dir, 0700);
  }
  char de[256], ar[256];
  snprintf(de, sizeof de, "%s/de/LC_MESSAGES/fuzz_render.mo", locale);
  snprintf(ar, sizeof ar, "%s/ar/LC_MESSAGES/fuzz_render.mo", locale);
  if (!fuzz_write(de, "", 0) || link(de, ar) != 0) abort();
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

/* A .mo file: the header (piece 0 after a fixed charset line), then piece
 * i + 1 as the translation of key i, each \x1e in it starting a plural
 * form.  Malloc'd; *len its size. */
static unsigned char *mo_file(const char *data, size_t size, size_t *len) {
  size_t n = nkeys + 1, pos = 0;
  const char *piece[64];
  size_t plen[64];
  for (size_t i = 0; i < n; i++) {
    const char *end = pos < size ? memchr(data + pos, '\0', size - pos) : NULL;
    piece[i] = pos <= size ? data + pos : "";
    plen[i] = pos > size ? 0 : end ? (size_t)(end - (data + pos)) : size - pos;
    pos += plen[i] + 1;
  }
  static const char charset[] = "Content-Type: text/plain; charset=UTF-8\n";
  size_t strings = sizeof charset + plen[0] + 1;
  for (size_t i = 0; i < nkeys; i++) strings += keylens[i] + 1 + plen[i + 1] + 1;
  size_t head = 28 + 16 * n;
  unsigned char *mo = calloc(1, head + strings);
  if (!mo) abort();
  put32(mo, 0x950412deu), put32(mo + 8, (uint32_t)n), put32(mo + 12, 28), put32(mo + 16, (uint32_t)(28 + 8 * n));
  size_t at = head;
  /* the header is the translation of "", the first original */
  put32(mo + 28, 0), put32(mo + 32, (uint32_t)at), at += 1;
  for (size_t i = 0; i < nkeys; i++) {
    put32(mo + 28 + 8 * (i + 1), (uint32_t)keylens[i]), put32(mo + 32 + 8 * (i + 1), (uint32_t)at);
    memcpy(mo + at, keys[i], keylens[i]);
    at += keylens[i] + 1;
  }
  size_t t = 28 + 8 * n;
  put32(mo + t, (uint32_t)(sizeof charset - 1 + plen[0])), put32(mo + t + 4, (uint32_t)at);
  memcpy(mo + at, charset, sizeof charset - 1);
  memcpy(mo + at + sizeof charset - 1, piece[0], plen[0]);
  at += sizeof charset + plen[0];
  for (size_t i = 0; i < nkeys; i++) {
    put32(mo + t + 8 * (i + 1), (uint32_t)plen[i + 1]), put32(mo + t + 8 * (i + 1) + 4, (uint32_t)at);
    for (size_t k = 0; k < plen[i + 1]; k++) mo[at + k] = piece[i + 1][k] == '\x1e' ? '\0' : (unsigned char)piece[i + 1][k];
    at += plen[i + 1] + 1;
  }
  *len = at;
  return mo;
}

/* ---- notifications rendered with it ---- */

static void notified(void *ud, const incent_notification *n) {
  (void)ud;
  fuzz_touch(n->subject);
  fuzz_touch(n->text);
}

static void apply(incent_engine *e, const char *id, const char *partner, const char *amount, const char *units) {
  const char *values[16] = {0};
  int type = incent_table_event_type(table, "sale");
  const char *names[] = {"amount", "product", "units", "shipped", "rate", "gift", "size"};
  const char *given[] = {amount, "Router {X}", units, "2027-03-04", "0.125", "true", "m"};
  for (int i = 0; i < 7; i++) {
    int f = incent_table_event_field(table, type, names[i]);
    if (f >= 0 && f < 16) values[f] = given[i];
  }
  incent_event ev = {id, "sale", partner, "2027-03-05T10:00:00", values, incent_table_event_nfields(table, type)};
  incent_report r = {NULL, NULL, NULL, NULL, notified};
  char why[256];
  incent_engine_apply(e, &ev, &r, why, sizeof why);
}

static void render(const char *data, size_t size) {
  if (!table) setup();
  size_t len;
  unsigned char *mo = mo_file(data, size, &len);
  char path[300];
  /* ar's catalog is a hard link to de's (made by setup): one write for both */
  snprintf(path, sizeof path, "%s/de/LC_MESSAGES/fuzz_render.mo", locale);
  if (!fuzz_write(path, mo, len)) abort();
  free(mo);
  incent_messages *m;
  incent_engine *e;
  char why[300];
  if (incent_messages_load(table, locale, NULL, &m, why, sizeof why) != INCENT_OK) return;
  if (incent_engine_new(table, &e, why, sizeof why) != INCENT_OK) abort();
  static const char *const partners[][7] = {
    {"p1", "Ada {GmbH}", "de", "DE", "", "shop", "sms"},
    {"p2", "\xd8\xb4\xd8\xb1\xd9\x83\xd8\xa9", "ar", "EG", "", "chain", ""},
    {"p3", "", "de_AT", "AT", "gold", "shop", ""},
  };
  for (int i = 0; i < 3; i++) incent_engine_partner(e, partners[i], 7, why, sizeof why);
  incent_engine_set_messages(e, m);
  /* four events cover both catalogs, the fallback of de_AT to de, a tier
   * reached, a multiplier and Arabic's plural forms; each more event was a
   * tenth of the time of an input (ICU builds a number formatter's
   * machinery anew for its first uses) */
  apply(e, "e1", "p3", "1", "1");
  apply(e, "e2", "p1", "250.5", "3");
  apply(e, "e3", "p2", "0.5", "2");
  apply(e, "e4", "p2", "1000", "21");
  incent_engine_free(e);
  incent_messages_free(m);
}

#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  scanner_and_renderer((const char *)data, size);
#ifdef FUZZ_RENDER
  render((const char *)data, size);
#endif
  return 0;
}
