/* test_decimal.c: exact decimal arithmetic, rounding and overflow, by hand-computed values. */
#include "config.h"

#include "runtime/base/civil.h"
#include "runtime/base/decimal.h"
#include "tests/unit/tap.h"

static dec D(const char *s) {
  dec d = {0, 0};
  if (dec_parse(s, strlen(s), &d) != DEC_OK) printf("# cannot parse %s\n", s);
  return d;
}

static const char *S(dec d) {
  static char bufs[8][DEC_STRING_MAX];
  static int k;
  return dec_to_string(d, bufs[k++ % 8]);
}

typedef dec_status binop(dec, dec, dec *);

static void check_op(binop *f, const char *a, const char *b, const char *want, const char *name) {
  dec r;
  dec_status st = f(D(a), D(b), &r);
  TAP_OK(st == DEC_OK, "%s %s %s succeeds", a, name, b);
  TAP_STR(S(r), want, "%s %s %s = %s", a, name, b, want);
}

static void check_round(const char *a, dec_rounding m, const char *want, const char *mode) {
  dec r;
  dec_round(D(a), m, &r);
  TAP_STR(S(r), want, "%s rounded %s is %s", a, mode, want);
}

int main(void) {
  TAP_STR(S(D("12000")), "12000", "plain integer");
  TAP_STR(S(D("1.250")), "1.25", "trailing zeros dropped");
  TAP_STR(S(D("5%")), "0.05", "percent is a hundredth");
  TAP_STR(S(D("-0.5")), "-0.5", "negative fraction");
  check_op(dec_add, "0.1", "0.2", "0.3", "+");
  check_op(dec_sub, "1", "1.01", "-0.01", "-");
  check_op(dec_mul, "5000", "1.25", "6250", "*");
  check_op(dec_mul, "1.10", "1.10", "1.21", "*");
  check_op(dec_div, "1", "3", "0.333333333333333333", "/");
  check_op(dec_div, "2", "3", "0.666666666666666667", "/");
  check_op(dec_div, "5000", "10", "500", "/");
  check_op(dec_divfloor, "5999", "10", "599", "floor/");
  check_op(dec_divfloor, "-1", "10", "-1", "floor/");
  check_op(dec_divfloor, "25.5", "0.5", "51", "floor/");
  check_round("2.5", DEC_HALF_UP, "3", "half_up");
  check_round("-2.5", DEC_HALF_UP, "-3", "half_up");
  check_round("2.5", DEC_HALF_EVEN, "2", "half_even");
  check_round("3.5", DEC_HALF_EVEN, "4", "half_even");
  check_round("2.51", DEC_HALF_EVEN, "3", "half_even");
  check_round("2.9", DEC_DOWN, "2", "down");
  check_round("-2.9", DEC_DOWN, "-2", "down");
  check_round("2.1", DEC_UP, "3", "up");
  check_round("-2.1", DEC_UP, "-3", "up");
  check_round("687.5", DEC_HALF_UP, "688", "half_up");
  check_op(dec_mul, "33.333333333333333333", "33.333333333333333333", "1111.111111111111111089", "*");
  check_op(dec_mul, "-0.000000001", "0.000000001", "-0.000000000000000001", "*");
  check_op(dec_mul, "0.0000000005", "0.000000001", "0", "*");
  check_op(dec_mul, "0.0000000015", "0.000000001", "0.000000000000000002", "*");
  check_op(dec_mul, "-2.5", "4", "-10", "*");
  dec r;
  /* regressions: the sum of two values just below 10^38 passed 2^127 before the check (UB),
   * and aligning 10^37 to one more fractional digit reached 10^38 */
  TAP_OK(dec_add(D("99999999999999999999999999999999999999"), D("99999999999999999999999999999999999999"), &r) == DEC_OVERFLOW,
         "(10^38 - 1) + (10^38 - 1) overflows without wrapping");
  TAP_OK(dec_add(D("10000000000000000000000000000000000000"), D("0.1"), &r) == DEC_OVERFLOW,
         "10^37 + 0.1 cannot be aligned and overflows");
  TAP_OK(dec_parse("1" "000000000000000000000000000000000000000", 39, &r) == DEC_OVERFLOW,
         "39 digits overflow");
  TAP_OK(dec_parse("0.0000000000000000001", 21, &r) == DEC_PRECISION, "19 fractional digits refused");
  TAP_OK(dec_mul(D("10000000000000000000"), D("10000000000000000000"), &r) == DEC_OVERFLOW,
         "10^19 * 10^19 overflows instead of wrapping");
  TAP_OK(dec_add(D("99999999999999999999999999999999999999"), D("1"), &r) == DEC_OVERFLOW,
         "10^38 - 1 + 1 overflows");
  TAP_OK(dec_div(D("1"), D("0"), &r) == DEC_DIVZERO, "division by zero is reported");
  TAP_OK(dec_cmp(D("1.10"), D("1.1")) == 0 && dec_cmp(D("-3"), D("2")) < 0, "comparison ignores scale");
  int32_t days;
  TAP_OK(civil_parse_date("2027-02-29", 10, &days) == false, "2027-02-29 is impossible");
  TAP_OK(civil_parse_date("2028-02-29", 10, &days) && days == 21243, "2028-02-29 is day 21243");
  int64_t t;
  bool zone;
  TAP_OK(civil_parse_time("2027-02-01T14:30:00+02:00", 25, &t, &zone) && zone && t == 1801485000,
         "an offset time converts to UTC");
  return tap_done();
}
