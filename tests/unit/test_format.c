/* test_format.c: numbers, money and dates in partners' languages through
 * ICU, pinned to ICU's own output (FACTS.md: glibc and ICU differ). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "runtime/messages/format.h"
#include "tests/unit/tap.h"

static void number(const char *lang, const char *value, const char *want) {
  char why[200], out[128] = "";
  formatter *f = fmt_open(lang, "USD", why, sizeof why);
  bool ok = f && fmt_number(f, value, out, sizeof out);
  TAP_STR(ok ? out : why, want, "%s writes %s as %s", lang, value, want);
  fmt_close(f);
}

static void money(const char *lang, const char *cur, const char *value, const char *want) {
  char why[200], out[128] = "";
  formatter *f = fmt_open(lang, cur, why, sizeof why);
  bool ok = f && fmt_money(f, value, out, sizeof out);
  TAP_STR(ok ? out : why, want, "%s writes %s %s as %s", lang, value, cur, want);
  fmt_close(f);
}

static void date(const char *lang, int days, const char *want) {
  char why[200], out[128] = "";
  formatter *f = fmt_open(lang, "USD", why, sizeof why);
  bool ok = f && fmt_date(f, days, out, sizeof out);
  TAP_STR(ok ? out : why, want, "%s writes day %d as %s", lang, days, want);
  fmt_close(f);
}

int main(void) {
  number("en", "1015", "1,015");
  number("de", "1015", "1.015");
  number("fr", "1015", "1\u202f015");
  number("pl", "1015", "1015");
  number("pl", "10150", "10\u00a0150");
  number("ru", "10150", "10\u00a0150");
  number("ja", "1234567", "1,234,567");
  number("ar", "1015", "\u0661\u066c\u0660\u0661\u0665");
  number("de", "1.10", "1,1");
  number("de", "12345678901234567890.123456789", "12.345.678.901.234.567.890,123456789");
  money("de", "USD", "1015.5", "1.015,50\u00a0$");
  money("en", "USD", "1015.5", "$1,015.50");
  money("fr", "EUR", "1015.5", "1\u202f015,50\u00a0\u20ac");
  money("ja", "JPY", "1015", "\uffe51,015");
  money("en", "USD", "0.125", "$0.125");
  money("en", "USD", "-12", "-$12.00");
  date("en", 20819, "January 1, 2027");
  date("de", 20819, "1. Januar 2027");
  date("fr", 20819, "1 janvier 2027");
  date("ja", 20819, "2027\u5e741\u67081\u65e5");
  char why[200], small[4];
  formatter *f = fmt_open("de", "USD", why, sizeof why);
  TAP_OK(f && !fmt_number(f, "1015", small, sizeof small) && small[0] == '\0', "a buffer too small is refused, empty");
  TAP_OK(f && !fmt_number(f, "12x", small, sizeof small), "a malformed decimal is refused");
  fmt_close(f);
  return tap_done();
}
