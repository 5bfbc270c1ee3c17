/* test_catalog.c: the runtime's catalog look-ups give gettext's own answers:
 * for each language's .mo under DIR (DIR/LANG/LC_MESSAGES/cattest.mo), every
 * text of the test catalogs, with and without context, for counts 0 to
 * 1,000, equals what glibc's dcngettext returns for the same catalog. */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/messages/catalog.h"
#include "runtime/messages/plural.h"
#include "tests/unit/tap.h"

extern int _nl_msg_cat_cntr; /* glibc: bumped to make gettext see a new LANGUAGE */

typedef struct text { const char *ctx, *msgid, *plural; } text;
static const text texts[] = {
  {"rule.r", "Revenue", NULL},
  {"m.text", "You earned {points} point.", "You earned {points} points."},
  {NULL, "{n} file", "{n} files"},
  {NULL, "Untranslated {x} item", "Untranslated {x} items"},
  {"m.subject", "Fuzzy {x}", NULL},
  {NULL, "Not in the catalog", NULL},
};

/* What gettext answers, through the key "ctx\004msgid" as pgettext does. */
static const char *reference(const text *t, unsigned long n) {
  char key[256];
  snprintf(key, sizeof key, "%s%s%s", t->ctx ? t->ctx : "", t->ctx ? "\004" : "", t->msgid);
  const char *r = t->plural ? dcngettext("cattest", key, t->plural, n, LC_MESSAGES)
                            : dcgettext("cattest", key, LC_MESSAGES);
  if (r == key || strcmp(r, key) == 0) return t->msgid;
  return r;
}

static const char *ours(const catalog *c, const text *t, unsigned long n) {
  size_t len;
  const char *r = catalog_get(c, t->ctx, t->msgid, t->plural, n, &len);
  if (!r) return t->plural && n != 1 ? t->plural : t->msgid; /* the source language's forms */
  return r;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_catalog DIR\n");
    return 2;
  }
  const char *dir = argv[1];
  if (!setlocale(LC_ALL, "C.UTF-8")) {
    printf("Bail out! the C.UTF-8 locale is missing\n");
    return 1;
  }
  bindtextdomain("cattest", dir);
  bind_textdomain_codeset("cattest", "UTF-8");
  static const char *const langs[] = {"en", "de", "fr", "pl", "ru", "ja", "ar"};
  for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
    char path[4096], why[256];
    snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/cattest.mo", dir, langs[l]);
    catalog *c = catalog_load(path, why, sizeof why);
    TAP_OK(c != NULL, "%s: the catalog loads", langs[l]);
    if (!c) {
      printf("# %s\n", why);
      continue;
    }
    setenv("LANGUAGE", langs[l], 1);
    ++_nl_msg_cat_cntr;
    long differ = 0, translated = 0;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
      for (unsigned long n = 0; n <= 1000; n++) {
        const char *want = reference(&texts[i], n), *got = ours(c, &texts[i], n);
        if (strcmp(want, got) != 0) {
          if (differ++ < 3) printf("# %s, \"%s\", n=%lu: got \"%s\", gettext \"%s\"\n", langs[l], texts[i].msgid, n, got, want);
        }
        if (want != texts[i].msgid && want != texts[i].plural) translated++;
        if (!texts[i].plural) break;
      }
    }
    TAP_OK(differ == 0, "%s: every look-up for counts 0 to 1000 equals dcngettext's", langs[l]);
    /* a comparison with nothing translated would prove nothing */
    TAP_OK(translated >= 2003, "%s: gettext itself found the translations (%ld)", langs[l], translated);
    catalog_free(c);
  }

  /* damaged catalogs are refused, not read past their end */
  char src[4096], bad[4096], why2[256];
  snprintf(src, sizeof src, "%s/de/LC_MESSAGES/cattest.mo", dir);
  snprintf(bad, sizeof bad, "%s/bad.mo", dir);
  FILE *f = fopen(src, "rb");
  unsigned char buf[8192];
  size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
  if (f) fclose(f);
  size_t cuts[] = {3, 27, 60, n / 2, n - 1};
  int refused = 0;
  for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
    FILE *o = fopen(bad, "wb");
    if (o) fwrite(buf, 1, cuts[k], o), fclose(o);
    catalog *c = catalog_load(bad, why2, sizeof why2);
    refused += c == NULL;
    catalog_free(c);
  }
  TAP_OK(n > 100 && refused == 5, "a catalog cut short anywhere is refused (%d of 5): %s", refused, why2);
  buf[12] = 0xff; /* the originals' table beyond the end */
  FILE *o = fopen(bad, "wb");
  if (o) fwrite(buf, 1, n, o), fclose(o);
  catalog *cb = catalog_load(bad, why2, sizeof why2);
  TAP_OK(!cb && strstr(why2, "not a compiled gettext catalog"), "a table offset beyond the end is refused: %s", why2);
  catalog_free(cb);
  TAP_OK(!catalog_load("/nonexistent/x.mo", why2, sizeof why2) && strstr(why2, "cannot read"), "a missing file: %s", why2);

  /* plural expressions: gettext's precedence, and hostile ones refused */
  plural_expr *e;
  unsigned long np;
  char why[160];
  TAP_OK(plural_parse("nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;",
                      &e, &np, why, sizeof why) && np == 3 && plural_eval(e, 1) == 0 && plural_eval(e, 11) == 2 &&
             plural_eval(e, 22) == 1 && plural_eval(e, 25) == 2 && plural_eval(e, 101) == 0,
         "Russian rules without parentheses: 1, 11, 22, 25, 101");
  plural_free(e);
  TAP_OK(plural_parse("nplurals=2; plural=2 + 3 * 4 - 13 == 1;", &e, &np, why, sizeof why) && plural_eval(e, 0) == 1,
         "* before + and -, arithmetic before ==");
  plural_free(e);
  TAP_OK(plural_parse("nplurals=2; plural=n/0 + n%0;", &e, &np, why, sizeof why) && plural_eval(e, 5) == 0,
         "a division by zero gives 0, not a crash");
  plural_free(e);
  char deep[600] = "nplurals=2; plural=";
  for (int i = 0; i < 100; i++) strcat(deep, "(");
  strcat(deep, "n");
  for (int i = 0; i < 100; i++) strcat(deep, ")");
  TAP_OK(!plural_parse(deep, &e, &np, why, sizeof why) && strstr(why, "too deeply"), "100 nested parentheses are refused: %s", why);
  static char longexpr[20000] = "nplurals=2; plural=n";
  for (int i = 0; i < 2000; i++) strcat(longexpr, "+n");
  TAP_OK(!plural_parse(longexpr, &e, &np, why, sizeof why) && strstr(why, "too long"), "a 2,001-term expression is refused: %s", why);
  TAP_OK(!plural_parse("nplurals=0; plural=0;", &e, &np, why, sizeof why), "nplurals=0 is refused");
  TAP_OK(!plural_parse("nplurals=2; plural=(n != 1;", &e, &np, why, sizeof why) && strstr(why, "')' is missing"),
         "a missing parenthesis is named: %s", why);
  TAP_OK(!plural_parse("nplurals=2; plural=n ? 1;", &e, &np, why, sizeof why), "a '?' without ':' is refused");
  return tap_done();
}
