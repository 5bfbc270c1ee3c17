/* decimal.c: exact, overflow-checked decimal arithmetic on 128-bit coefficients. */
#include "config.h"
#include "runtime/base/decimal.h"

#include <stdint.h>
#include <string.h>

static const dec_coef COEF_LIMIT = (dec_coef)10000000000000000000ULL * (dec_coef)10000000000000000000ULL; /* 10^38 */

static dec_coef ten_pow(int n) {
  dec_coef p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

static bool fits(dec_coef c) { return c < COEF_LIMIT && c > -COEF_LIMIT; }

static dec_coef abs_coef(dec_coef c) { return c < 0 ? -c : c; }

dec dec_from_int(int64_t v) { return (dec){(dec_coef)v, 0}; }

dec dec_normalize(dec a) {
  if (a.scale == 0) return a;
  if (a.coef >= INT64_MIN && a.coef <= INT64_MAX) { /* 64-bit division is far cheaper than 128-bit */
    int64_t c = (int64_t)a.coef;
    while (a.scale > 0 && c % 10 == 0 && c != 0) {
      c /= 10;
      a.scale--;
    }
    a.coef = c;
    if (c == 0) a.scale = 0;
    return a;
  }
  while (a.scale > 0 && a.coef % 10 == 0) {
    a.coef /= 10;
    a.scale--;
  }
  if (a.coef == 0) a.scale = 0;
  return a;
}

dec_status dec_parse(const char *s, size_t len, dec *out) {
  size_t i = 0;
  bool neg = false, percent = false, point = false, any = false;
  if (i < len && s[i] == '-') { neg = true; i++; }
  if (len > i && s[len - 1] == '%') { percent = true; len--; }
  dec_coef c = 0;
  int scale = 0;
  for (; i < len; i++) {
    char ch = s[i];
    if (ch == '.' && !point) { point = true; continue; }
    if (ch < '0' || ch > '9') return DEC_SYNTAX;
    any = true;
    if (point) {
      if (scale == DEC_MAX_SCALE) {
        if (ch == '0') continue; /* trailing zeros beyond the limit are harmless */
        return DEC_PRECISION;
      }
      scale++;
    }
    if (c > (COEF_LIMIT - 1 - (ch - '0')) / 10) return DEC_OVERFLOW;
    c = c * 10 + (ch - '0');
  }
  if (!any) return DEC_SYNTAX;
  if (percent) {
    if (scale + 2 > DEC_MAX_SCALE) return DEC_PRECISION;
    scale += 2;
  }
  *out = dec_normalize((dec){neg ? -c : c, scale});
  return DEC_OK;
}

/* Brings a and b to the same scale; fails on overflow. */
static dec_status align(dec *a, dec *b) {
  while (a->scale < b->scale) { /* coef * 10 must stay below 10^38 */
    if (abs_coef(a->coef) >= COEF_LIMIT / 10) return DEC_OVERFLOW;
    a->coef *= 10;
    a->scale++;
  }
  while (b->scale < a->scale) {
    if (abs_coef(b->coef) >= COEF_LIMIT / 10) return DEC_OVERFLOW;
    b->coef *= 10;
    b->scale++;
  }
  return DEC_OK;
}

dec_status dec_add(dec a, dec b, dec *out) {
  if (align(&a, &b)) return DEC_OVERFLOW;
  dec_coef c; /* |a|, |b| < 10^38, but the sum may pass 2^127 */
  if (__builtin_add_overflow(a.coef, b.coef, &c) || !fits(c)) return DEC_OVERFLOW;
  *out = dec_normalize((dec){c, a.scale});
  return DEC_OK;
}

dec_status dec_neg(dec a, dec *out) {
  *out = (dec){-a.coef, a.scale};
  return DEC_OK;
}

dec_status dec_sub(dec a, dec b, dec *out) {
  b.coef = -b.coef;
  return dec_add(a, b, out);
}

/* A 256-bit unsigned number as four 64-bit limbs, least significant first:
 * the exact product of two coefficients, before it is rounded to scale. */
typedef struct u256 { uint64_t w[4]; } u256;

static u256 mul_u128(unsigned __int128 x, unsigned __int128 y) {
  uint64_t a[2] = {(uint64_t)x, (uint64_t)(x >> 64)}, b[2] = {(uint64_t)y, (uint64_t)(y >> 64)};
  u256 r = {{0, 0, 0, 0}};
  for (int i = 0; i < 2; i++) {
    unsigned __int128 carry = 0;
    for (int j = 0; j < 2; j++) {
      unsigned __int128 t = (unsigned __int128)a[i] * b[j] + r.w[i + j] + carry;
      r.w[i + j] = (uint64_t)t;
      carry = t >> 64;
    }
    r.w[i + 2] = (uint64_t)carry;
  }
  return r;
}

/* Divides by 10 in place; returns the remainder. */
static unsigned div10(u256 *v) {
  unsigned __int128 rem = 0;
  for (int i = 3; i >= 0; i--) {
    unsigned __int128 cur = rem << 64 | v->w[i];
    v->w[i] = (uint64_t)(cur / 10);
    rem = cur % 10;
  }
  return (unsigned)rem;
}

static bool u256_is_zero(const u256 *v) { return !(v->w[0] | v->w[1] | v->w[2] | v->w[3]); }

dec_status dec_mul(dec a, dec b, dec *out) {
  bool neg = (a.coef < 0) != (b.coef < 0);
  u256 p = mul_u128((unsigned __int128)abs_coef(a.coef), (unsigned __int128)abs_coef(b.coef));
  int scale = a.scale + b.scale;
  /* exact trailing zeros go first; then digits beyond DEC_MAX_SCALE are
   * rounded half-even, so a product that fits after rounding is not refused */
  while (scale > 0 && !u256_is_zero(&p)) {
    u256 q = p;
    if (div10(&q) != 0) break;
    p = q;
    scale--;
  }
  if (u256_is_zero(&p)) scale = 0;
  unsigned last = 0;
  bool sticky = false;
  int dropped = 0;
  while (scale > DEC_MAX_SCALE) {
    sticky |= last != 0;
    last = div10(&p);
    scale--;
    dropped++;
  }
  if (dropped && (last > 5 || (last == 5 && (sticky || (p.w[0] & 1))))) {
    for (int i = 0; i < 4 && ++p.w[i] == 0; i++) {}
  }
  if (p.w[2] | p.w[3] || p.w[1] >> 63) return DEC_OVERFLOW;
  dec_coef c = (dec_coef)((unsigned __int128)p.w[1] << 64 | p.w[0]);
  if (!fits(c)) return DEC_OVERFLOW;
  *out = dec_normalize((dec){neg ? -c : c, scale});
  return DEC_OK;
}

dec_status dec_div(dec a, dec b, dec *out) {
  if (b.coef == 0) return DEC_DIVZERO;
  /* a/b = (a.coef * 10^k / b.coef) / 10^(a.scale + k - b.scale); choose the
   * largest target scale up to DEC_DIV_SCALE whose numerator fits, computed
   * one digit further and rounded half-even. */
  for (int target = DEC_DIV_SCALE; target >= DEC_MIN_DIV_SCALE; target--) {
    int k = target + 1 + b.scale - a.scale;
    dec_coef num = a.coef;
    bool ok = true, sticky = false;
    if (k >= 0) {
      for (int i = 0; i < k && ok; i++) {
        if (abs_coef(num) > COEF_LIMIT / 10) ok = false;
        else num *= 10;
      }
    } else {
      dec_coef p = ten_pow(-k);
      sticky = num % p != 0; /* the dropped digits lie below the rounding digit */
      num /= p;
    }
    if (!ok) continue;
    dec_coef q = num / b.coef; /* one extra digit */
    dec_coef rest = num % b.coef;
    dec_coef last = q % 10;
    q /= 10;
    /* half-even: last digit > 5, or = 5 with a remainder, or = 5 exactly and q odd */
    dec_coef al = abs_coef(last);
    bool neg = (num < 0) != (b.coef < 0);
    if (al > 5 || (al == 5 && (rest != 0 || sticky || (q % 2 != 0)))) q += neg ? -1 : 1;
    if (!fits(q)) return DEC_OVERFLOW;
    *out = dec_normalize((dec){q, target});
    return DEC_OK;
  }
  return DEC_OVERFLOW;
}

dec dec_floor(dec a) {
  if (a.scale == 0) return a;
  dec_coef p = ten_pow(a.scale), q = a.coef / p;
  if (a.coef < 0 && a.coef % p != 0) q -= 1;
  return (dec){q, 0};
}

dec_status dec_divfloor(dec a, dec b, dec *out) {
  if (b.coef == 0) return DEC_DIVZERO;
  if (align(&a, &b)) return DEC_OVERFLOW;
  dec_coef q = a.coef / b.coef, r = a.coef % b.coef;
  if (r != 0 && ((r < 0) != (b.coef < 0))) q -= 1;
  *out = (dec){q, 0};
  return DEC_OK;
}

dec_status dec_round(dec a, dec_rounding mode, dec *out) {
  if (a.scale == 0) { *out = a; return DEC_OK; }
  dec_coef p = ten_pow(a.scale), q = a.coef / p, r = abs_coef(a.coef % p);
  int sign = a.coef < 0 ? -1 : 1;
  bool up;
  switch (mode) {
  case DEC_DOWN: up = false; break;
  case DEC_UP: up = r != 0; break;
  case DEC_HALF_EVEN: up = r * 2 > p || (r * 2 == p && q % 2 != 0); break;
  case DEC_HALF_UP:
  default: up = r * 2 >= p; break;
  }
  if (up) q += sign;
  *out = (dec){q, 0};
  return DEC_OK;
}

int dec_cmp(dec a, dec b) {
  if (align(&a, &b)) {
    /* one side is too large to rescale: it dominates */
    dec_coef ia = a.coef / ten_pow(a.scale), ib = b.coef / ten_pow(b.scale);
    return ia < ib ? -1 : ia > ib ? 1 : (a.coef > 0 ? 1 : -1);
  }
  return a.coef < b.coef ? -1 : a.coef > b.coef;
}

bool dec_valid(dec a) { return fits(a.coef) && a.scale >= 0 && a.scale <= DEC_MAX_SCALE; }
bool dec_is_zero(dec a) { return a.coef == 0; }
bool dec_is_neg(dec a) { return a.coef < 0; }
bool dec_is_int(dec a) { return dec_normalize(a).scale == 0; }

bool dec_to_i64(dec a, int64_t *out) {
  a = dec_normalize(a);
  if (a.scale != 0 || a.coef > INT64_MAX || a.coef < INT64_MIN) return false;
  *out = (int64_t)a.coef;
  return true;
}

char *dec_to_string(dec a, char *buf) {
  char digits[DEC_STRING_MAX];
  int n = 0;
  dec_coef c = abs_coef(a.coef);
  do {
    digits[n++] = (char)('0' + (int)(c % 10));
    c /= 10;
  } while (c);
  while (n <= a.scale) digits[n++] = '0';
  char *p = buf;
  if (a.coef < 0) *p++ = '-';
  for (int i = n - 1; i >= 0; i--) {
    *p++ = digits[i];
    if (i == a.scale && i > 0) *p++ = '.';
  }
  *p = '\0';
  return buf;
}
