/* decimal.h: exact decimal numbers for points and money (internal to libincent
 * and the compiler; not installed).
 *
 * A value is a 128-bit integer coefficient and a scale (digits after the
 * point): value = coef / 10^scale.  Debian's libmpdec was considered: it is
 * arbitrary precision but allocates per value and carries contexts and
 * signals that the language does not need; the language's arithmetic is
 * bounded (38 significant digits, 18 fractional), so a fixed-size value that
 * never allocates keeps the per-event path cheap.  Every operation checks for
 * overflow and reports it; none wraps. */
#ifndef INCENT_DECIMAL_H
#define INCENT_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 dec_coef;

typedef struct dec {
  dec_coef coef;
  int scale; /* 0 .. DEC_MAX_SCALE */
} dec;

#define DEC_MAX_SCALE 18
#define DEC_MAX_DIGITS 38 /* |coef| < 10^38 */
#define DEC_DIV_SCALE 18  /* quotients keep up to this many digits, at least 6 */
#define DEC_MIN_DIV_SCALE 6

typedef enum dec_status {
  DEC_OK = 0,
  DEC_OVERFLOW,  /* result does not fit */
  DEC_DIVZERO,   /* division by zero */
  DEC_SYNTAX,    /* not a number */
  DEC_PRECISION  /* more fractional digits than DEC_MAX_SCALE */
} dec_status;

typedef enum dec_rounding {
  DEC_HALF_UP = 0, /* ties away from zero */
  DEC_HALF_EVEN,
  DEC_DOWN,        /* toward zero */
  DEC_UP           /* away from zero */
} dec_rounding;

/* Parses an optional '-', digits, an optional fraction and an optional '%'
 * (which divides by 100).  Underscores must already be removed. */
dec_status dec_parse(const char *s, size_t len, dec *out);
dec dec_from_int(int64_t v);
dec dec_normalize(dec a); /* strips trailing fractional zeros */

dec_status dec_add(dec a, dec b, dec *out);
dec_status dec_sub(dec a, dec b, dec *out);
dec_status dec_mul(dec a, dec b, dec *out);
dec_status dec_div(dec a, dec b, dec *out);      /* half-even on the last kept digit */
dec_status dec_divfloor(dec a, dec b, dec *out); /* floor(a / b), exact */
dec_status dec_neg(dec a, dec *out);
dec dec_floor(dec a);
dec_status dec_round(dec a, dec_rounding mode, dec *out); /* to a whole number */
int dec_cmp(dec a, dec b);
/* Within the limits: |coef| < 10^38 and 0 <= scale <= DEC_MAX_SCALE. */
bool dec_valid(dec a);
bool dec_is_zero(dec a);
bool dec_is_neg(dec a);
bool dec_is_int(dec a);
/* The value as an int64 if it is whole and fits. */
bool dec_to_i64(dec a, int64_t *out);

/* Writes the value in plain notation ("-12.5"); buf needs DEC_STRING_MAX. */
#define DEC_STRING_MAX 48
char *dec_to_string(dec a, char *buf);

#endif
