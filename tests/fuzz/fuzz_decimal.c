/* fuzz_decimal.c: libFuzzer target: any bytes as two decimal numbers (split
 * at the first newline), read as event values are read, then put through
 * every operation of the rules' arithmetic and ICU's formatting.  Each
 * result is within the limits, writes back as text that reads as the same
 * number, and the operations keep their algebra (a + b = b + a, a - b =
 * -(b - a), comparison is antisymmetric). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/decimal.h"
#include "runtime/messages/format.h"
#include "tests/fuzz/fuzz.h"

static void check(dec_status st, dec d) {
  if (st != DEC_OK) return;
  if (!dec_valid(d)) abort();
  char text[DEC_STRING_MAX];
  dec back;
  dec_to_string(d, text);
  if (dec_parse(text, strlen(text), &back) != DEC_OK || dec_cmp(back, d) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static formatter *fmt[3];
  static const char *const langs[3] = {"de", "ar", "hi"};
  if (!fmt[0])
    for (int i = 0; i < 3; i++)
      if (!(fmt[i] = fmt_open(langs[i], "EUR", NULL, 0))) abort();
  const char *s = (const char *)data, *nl = memchr(s, '\n', size);
  size_t la = nl ? (size_t)(nl - s) : size;
  dec a, b, r;
  if (dec_parse(s, la, &a) != DEC_OK) return 0;
  check(DEC_OK, a);
  char text[DEC_STRING_MAX], out[256];
  dec_to_string(a, text);
  for (int i = 0; i < 3; i++) {
    fmt_number(fmt[i], text, out, sizeof out);
    fmt_money(fmt[i], text, out, sizeof out);
  }
  for (dec_rounding m = DEC_HALF_UP; m <= DEC_UP; m++) {
    dec_status st = dec_round(a, m, &r);
    check(st, r);
  }
  check(DEC_OK, dec_floor(a));
  check(dec_neg(a, &r), r);
  int64_t i64;
  dec_to_i64(a, &i64);
  if (!nl || dec_parse(nl + 1, size - la - 1, &b) != DEC_OK) return 0;
  dec ab, ba;
  dec_status s1 = dec_add(a, b, &ab), s2 = dec_add(b, a, &ba);
  if (s1 != s2 || (s1 == DEC_OK && dec_cmp(ab, ba) != 0)) abort();
  check(s1, ab);
  s1 = dec_sub(a, b, &ab), s2 = dec_sub(b, a, &ba);
  check(s1, ab);
  check(s2, ba);
  if (s1 == DEC_OK && s2 == DEC_OK && (dec_neg(ba, &r) != DEC_OK || dec_cmp(ab, r) != 0)) abort();
  s1 = dec_mul(a, b, &ab), s2 = dec_mul(b, a, &ba);
  if (s1 != s2 || (s1 == DEC_OK && dec_cmp(ab, ba) != 0)) abort();
  check(s1, ab);
  check(dec_div(a, b, &r), r);
  check(dec_divfloor(a, b, &r), r);
  if (dec_cmp(a, b) != -dec_cmp(b, a)) abort();
  return 0;
}
