/* civil.c: proleptic Gregorian calendar arithmetic (days from civil and back). */
#include "config.h"
#include "runtime/base/civil.h"

#include <stdio.h>

/* The classic era-based days-from-civil conversion: exact for every year, no loops. */
int32_t civil_days(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int32_t days, int *y, int *m, int *d) {
  int64_t z = (int64_t)days + 719468; /* 64-bit: any int32 day count converts without overflow */
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool civil_valid(int y, int m, int d) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

static bool digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool civil_parse_date(const char *s, size_t len, int32_t *days) {
  int y, m, d;
  if (len != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d)) return false;
  if (!civil_valid(y, m, d)) return false;
  *days = civil_days(y, m, d);
  return true;
}

bool civil_parse_time(const char *s, size_t len, int64_t *seconds, bool *has_zone) {
  int32_t days;
  if (len < 10 || !civil_parse_date(s, 10, &days)) return false;
  int hh = 0, mm = 0, ss = 0;
  size_t i = 10;
  *has_zone = false;
  if (i < len) {
    if (s[i] != 'T' && s[i] != ' ') return false;
    if (len < i + 6 || !digits(s + i + 1, 2, &hh) || s[i + 3] != ':' || !digits(s + i + 4, 2, &mm))
      return false;
    i += 6;
    if (i < len && s[i] == ':') {
      if (len < i + 3 || !digits(s + i + 1, 2, &ss)) return false;
      i += 3;
    }
    if (hh > 23 || mm > 59 || ss > 59) return false;
  }
  int64_t t = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss;
  if (i < len) {
    if (s[i] == 'Z' && i + 1 == len) {
      *has_zone = true;
    } else if ((s[i] == '+' || s[i] == '-') && len == i + 6 && s[i + 3] == ':') {
      int oh, om;
      if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) || oh > 23 || om > 59) return false;
      int64_t off = (int64_t)oh * 3600 + om * 60;
      t -= s[i] == '+' ? off : -off;
      *has_zone = true;
    } else {
      return false;
    }
  }
  *seconds = t;
  return true;
}

char *civil_format_date(int32_t days, char *buf) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 0 || y > 9999) { /* outside ISO 8601's four digits: rare, so printf may do it */
    snprintf(buf, 16, "%d-%02d-%02d", y, m, d);
    return buf;
  }
  /* written by hand: this runs for every ledger entry */
  buf[0] = (char)('0' + y / 1000);
  buf[1] = (char)('0' + y / 100 % 10);
  buf[2] = (char)('0' + y / 10 % 10);
  buf[3] = (char)('0' + y % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + m / 10);
  buf[6] = (char)('0' + m % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + d / 10);
  buf[9] = (char)('0' + d % 10);
  buf[10] = '\0';
  return buf;
}
