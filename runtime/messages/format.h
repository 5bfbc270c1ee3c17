/* format.h: numbers, money and dates the way a partner's language writes
 * them, with ICU (which needs no system locales): German 1.015, French
 * 1 015, Arabic digits in Arabic.  Decimals are formatted from their exact
 * text, never through binary floating point.
 *
 * Ownership: a formatter is used by one thread at a time (ICU's formatters
 * are not shared between threads); fmt_close frees it. */
#ifndef INCENT_FORMAT_H
#define INCENT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct formatter formatter;

/* A formatter for language (a code like de, pt_BR) and currency (ISO 4217).
 * NULL with why when ICU cannot make one. */
formatter *fmt_open(const char *language, const char *currency, char *why, size_t whylen);
void fmt_close(formatter *f);

/* Each writes UTF-8 to out (NUL-terminated) and returns false when out is
 * too small or the value cannot be formatted. */
bool fmt_number(formatter *f, const char *decimal, char *out, size_t size);   /* "1015.5" -> "1.015,5" */
bool fmt_money(formatter *f, const char *decimal, char *out, size_t size);    /* "1015.5" -> "1.015,50 $" */
bool fmt_date(formatter *f, int32_t days, char *out, size_t size);            /* a local date, days since 1970-01-01 */
/* The name of the period of kind (d a day, w an ISO week, m a month, q a
 * quarter, y a year) that starts on day first, in CLDR's words for the
 * language: "1. Quartal 2027", "Februar 2027", "2027年第1四半期". */
bool fmt_period(formatter *f, char kind, int32_t first, char *out, size_t size);

#endif
