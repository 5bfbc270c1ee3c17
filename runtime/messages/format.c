/* format.c: numbers, money and dates in a partner's language, with ICU.
 * Numbers and money go through ICU's number skeletons, which apply each
 * language's CLDR grouping rules (Polish 1015 but 10 150); an exact decimal
 * is given to ICU as text and shown with all its digits. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/messages/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucurr.h>
#include <unicode/ucal.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

/* a date is already the program's local date: written as that day in UTC */
static const UChar utc[] = {'U', 'T', 'C', 0};

struct formatter {
  UNumberFormatter *number, *money;
  UFormattedNumber *result;
  UDateFormat *date; /* opened at the first date: most texts have none, and it is the dearest to make */
  char language[64];
  /* a period's format for each kind (day, week, month, quarter, year),
   * opened at its first use: a detailed statement names a period per entry */
  UDateFormat *periods[5];
};

static int period_index(char kind) {
  switch (kind) {
  case 'w': return 1;
  case 'm': return 2;
  case 'q': return 3;
  case 'y': return 4;
  default: return 0;
  }
}

formatter *fmt_open(const char *language, const char *currency, char *why, size_t whylen) {
  formatter *f = rt_calloc(1, sizeof *f);
  if (!f) return snprintf(why, whylen, "out of memory"), NULL;
  UErrorCode st = U_ZERO_ERROR;
  snprintf(f->language, sizeof f->language, "%s", language);
  if (strlen(language) >= sizeof f->language) st = U_ILLEGAL_ARGUMENT_ERROR;
  if (U_SUCCESS(st)) f->number = unumf_openForSkeletonAndLocale(u"precision-unlimited", -1, language, &st);
  /* money: at least the currency's usual fraction digits (2 for USD, 0 for
   * JPY), more when the amount has them, never rounded away */
  UChar code[4] = {0}, skeleton[64];
  for (int i = 0; currency && i < 3 && currency[i]; i++) code[i] = (UChar)currency[i];
  int32_t digits = U_SUCCESS(st) && code[0] ? ucurr_getDefaultFractionDigits(code, &st) : 0;
  char sk[64];
  if (!currency || strlen(currency) != 3) snprintf(sk, sizeof sk, "precision-unlimited"); /* a program without money */
  else if (digits > 0 && digits < 10) snprintf(sk, sizeof sk, "currency/%s .%.*s+", currency, (int)digits, "0000000000");
  else snprintf(sk, sizeof sk, "currency/%s precision-unlimited", currency);
  u_uastrcpy(skeleton, sk);
  if (U_SUCCESS(st)) f->money = unumf_openForSkeletonAndLocale(skeleton, -1, language, &st);
  if (U_SUCCESS(st)) f->result = unumf_openResult(&st);
  if (U_FAILURE(st)) {
    snprintf(why, whylen, "ICU cannot format for '%s': %s", language, u_errorName(st));
    fmt_close(f);
    return NULL;
  }
  return f;
}

void fmt_close(formatter *f) {
  if (!f) return;
  if (f->number) unumf_close(f->number);
  if (f->money) unumf_close(f->money);
  if (f->result) unumf_closeResult(f->result);
  if (f->date) udat_close(f->date);
  for (int i = 0; i < 5; i++)
    if (f->periods[i]) udat_close(f->periods[i]);
  free(f);
}

static bool utf8(const UChar *s, int32_t len, UErrorCode st, char *out, size_t size) {
  int32_t n = 0;
  if (U_SUCCESS(st)) u_strToUTF8(out, (int32_t)size, &n, s, len, &st);
  if (st == U_MEMORY_ALLOCATION_ERROR) rt_alloc_lost(); /* the digits shown instead would be a quiet loss */
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || (size_t)n >= size) {
    if (size) out[0] = '\0';
    return false;
  }
  return true;
}

static bool decimal(formatter *f, const UNumberFormatter *u, const char *text, char *out, size_t size) {
  UChar buf[256];
  UErrorCode st = U_ZERO_ERROR;
  /* ICU reads numbers in forms beyond plain decimals ("1E3", "NaN"): only digits, one point and a sign */
  size_t dots = 0, i = text[0] == '-';
  if (!text[i]) st = U_ILLEGAL_ARGUMENT_ERROR;
  for (; text[i] && U_SUCCESS(st); i++)
    if (text[i] == '.' ? ++dots > 1 : text[i] < '0' || text[i] > '9') st = U_ILLEGAL_ARGUMENT_ERROR;
  if (U_SUCCESS(st)) unumf_formatDecimal(u, text, -1, f->result, &st);
  int32_t len = U_SUCCESS(st) ? unumf_resultToString(f->result, buf, 256, &st) : 0;
  return utf8(buf, len, st, out, size);
}

bool fmt_number(formatter *f, const char *text, char *out, size_t size) { return decimal(f, f->number, text, out, size); }
bool fmt_money(formatter *f, const char *text, char *out, size_t size) { return decimal(f, f->money, text, out, size); }

bool fmt_date(formatter *f, int32_t days, char *out, size_t size) {
  UChar buf[256];
  UErrorCode st = U_ZERO_ERROR;
  if (!f->date) f->date = udat_open(UDAT_NONE, UDAT_LONG, f->language, utc, 3, NULL, 0, &st);
  /* a UDate counts milliseconds in a double: exact for every whole day */
  UDate when = (double)days * 86400000.0;
  int32_t len = U_SUCCESS(st) ? udat_format(f->date, when, buf, 256, NULL, &st) : 0;
  return utf8(buf, len, st, out, size);
}

/* ICU's skeleton of a period's name (CLDR's own pattern for it in each
 * language: "1. Quartal 2027", "2027年第1四半期", "1er trimestre 2027"): a
 * quarter, a month, a year, a day. */
static const UChar *period_skeleton(char kind) {
  switch (kind) {
  case 'q': return u"yQQQQ";
  case 'm': return u"yMMMM";
  case 'y': return u"y";
  default: return u"yMMMMd";
  }
}

/* CLDR's pattern of a week of a year ("'Woche' w 'des' 'Jahres' Y",
 * "Y年第w週"), which ICU's pattern generator does not give (CLDR writes it
 * per plural form): read from ICU's data, from the language or the nearest
 * parent that has it (de_AT: de). */
static int32_t week_pattern(const char *language, UChar *out, int32_t size) {
  char loc[ULOC_FULLNAME_CAPACITY];
  snprintf(loc, sizeof loc, "%s", language);
  for (int depth = 0; depth < 4 && loc[0]; depth++) {
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle *r = ures_open(NULL, loc, &st), *c = ures_getByKey(r, "calendar", NULL, &st),
                    *g = ures_getByKey(c, "gregorian", NULL, &st), *a = ures_getByKey(g, "availableFormats", NULL, &st),
                    *y = ures_getByKey(a, "yw", NULL, &st);
    int32_t len = 0;
    const UChar *s = ures_getStringByKey(y, "other", &len, &st);
    bool found = U_SUCCESS(st) && s && len < size;
    if (found) u_strncpy(out, s, len), out[len] = 0;
    ures_close(y), ures_close(a), ures_close(g), ures_close(c), ures_close(r);
    if (found) return len;
    char parent[ULOC_FULLNAME_CAPACITY];
    st = U_ZERO_ERROR;
    uloc_getParent(loc, parent, sizeof parent, &st);
    if (U_FAILURE(st) || strcmp(parent, loc) == 0) break;
    snprintf(loc, sizeof loc, "%s", parent);
  }
  return 0;
}

/* The date format that names periods of kind, in f's language. */
static UDateFormat *period_format(formatter *f, char kind, UErrorCode *st) {
  UDateFormat **d = &f->periods[period_index(kind)];
  if (*d) return *d;
  UChar pattern[128];
  int32_t plen = kind == 'w' ? week_pattern(f->language, pattern, 128) : 0;
  if (kind != 'w') {
    UDateTimePatternGenerator *g = udatpg_open(f->language, st);
    plen = U_SUCCESS(*st) ? udatpg_getBestPattern(g, period_skeleton(kind), -1, pattern, 128, st) : 0;
    if (g) udatpg_close(g);
  }
  if (U_SUCCESS(*st) && plen == 0) *st = U_MISSING_RESOURCE_ERROR;
  *d = U_SUCCESS(*st) ? udat_open(UDAT_PATTERN, UDAT_PATTERN, f->language, utc, 3, pattern, plen, st) : NULL;
  if (*d && kind == 'w') { /* ISO 8601 weeks whatever the language's own week: from Monday, the first with four days */
    UCalendar *c = ucal_clone(udat_getCalendar(*d), st);
    if (c) {
      ucal_setAttribute(c, UCAL_FIRST_DAY_OF_WEEK, UCAL_MONDAY);
      ucal_setAttribute(c, UCAL_MINIMAL_DAYS_IN_FIRST_WEEK, 4);
      udat_setCalendar(*d, c);
      ucal_close(c);
    }
  }
  if (U_FAILURE(*st) && *d) udat_close(*d), *d = NULL;
  return *d;
}

bool fmt_period(formatter *f, char kind, int32_t first, char *out, size_t size) {
  UErrorCode st = U_ZERO_ERROR;
  UChar buf[256];
  UDateFormat *d = period_format(f, kind, &st);
  int32_t len = d && U_SUCCESS(st) ? udat_format(d, (double)first * 86400000.0, buf, 256, NULL, &st) : 0;
  return utf8(buf, len, st, out, size);
}
