/* tz.c: reading TZif files (RFC 8536) and evaluating their POSIX TZ footer,
 * and the period keys of LANGUAGE.md.
 *
 * glibc's localtime_r depends on the process-wide TZ variable, and ICU carries
 * its own copy of the zone data; the rule is that periods follow the system's
 * tzdata, and a reader of it is small, so it is written here. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/base/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/base/readfile.h"
#include "runtime/engine/table_format.h"

typedef struct posix_rule {
  int kind;          /* 'M' (month.week.day), 'J' (1..365, no leap day), 'N' (0..365) */
  int month, week, day;
  int32_t time;      /* seconds after local midnight */
} posix_rule;

struct rt_tz {
  int64_t *trans;    /* transition instants, ascending */
  uint8_t *idx;      /* type of each transition */
  int32_t *utoff;    /* offset of each type */
  uint32_t ntrans, ntypes;
  int32_t initial;   /* offset before the first transition */
  bool has_rule, has_dst;
  int32_t std_off, dst_off; /* seconds east of UTC */
  posix_rule start, end;
};

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

/* ---- POSIX TZ strings, e.g. "CET-1CEST,M3.5.0,M10.5.0/3" ---- */

static const char *skip_name(const char *s) {
  if (*s == '<') {
    while (*s && *s != '>') s++;
    return *s ? s + 1 : NULL;
  }
  const char *b = s;
  while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) s++;
  return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] as seconds, hours at most max_h: 24 in an offset
 * (POSIX), 167 in a rule's time (RFC 8536). */
static const char *parse_hms(const char *s, int32_t *out, int32_t max_h) {
  int sign = 1;
  if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
  if (*s < '0' || *s > '9') return NULL;
  int32_t h = 0, m = 0, sec = 0;
  /* digits stop counting past the largest value allowed, so nothing overflows */
  while (*s >= '0' && *s <= '9') { if (h < 1000) h = h * 10 + (*s - '0'); s++; }
  if (*s == ':') {
    s++;
    while (*s >= '0' && *s <= '9') { if (m < 1000) m = m * 10 + (*s - '0'); s++; }
    if (*s == ':') {
      s++;
      while (*s >= '0' && *s <= '9') { if (sec < 1000) sec = sec * 10 + (*s - '0'); s++; }
    }
  }
  if (h > max_h || m > 59 || sec > 59) return NULL;
  *out = sign * (h * 3600 + m * 60 + sec);
  return s;
}

static const char *parse_rule(const char *s, posix_rule *r) {
  if (*s == 'M') {
    r->kind = 'M';
    int *parts[3] = {&r->month, &r->week, &r->day};
    s++;
    for (int i = 0; i < 3; i++) { /* M<month>.<week>.<day>, each a small number */
      if (i && *s++ != '.') return NULL;
      if (*s < '0' || *s > '9') return NULL;
      *parts[i] = 0;
      while (*s >= '0' && *s <= '9') { if (*parts[i] < 1000) *parts[i] = *parts[i] * 10 + (*s - '0'); s++; }
    }
    if (r->month < 1 || r->month > 12 || r->week < 1 || r->week > 5 || r->day < 0 || r->day > 6) return NULL;
  } else {
    r->kind = *s == 'J' ? 'J' : 'N';
    if (*s == 'J') s++;
    if (*s < '0' || *s > '9') return NULL;
    r->day = 0;
    while (*s >= '0' && *s <= '9') { if (r->day < 1000) r->day = r->day * 10 + (*s - '0'); s++; }
    if (r->day > 365) return NULL;
  }
  r->time = 7200;
  if (*s == '/') s = parse_hms(s + 1, &r->time, 167);
  return s;
}

static bool parse_posix(rt_tz *z, const char *s) {
  int32_t off;
  if (!(s = skip_name(s)) || !(s = parse_hms(s, &off, 24))) return false;
  z->std_off = -off;
  z->has_rule = true;
  if (!*s) return true;
  if (!(s = skip_name(s))) return false;
  z->dst_off = z->std_off + 3600;
  if (*s && *s != ',') {
    if (!(s = parse_hms(s, &off, 24))) return false;
    z->dst_off = -off;
  }
  if (*s != ',') { /* no rule given: POSIX says the US rule; tzdata always gives one */
    z->start = (posix_rule){'M', 3, 2, 0, 7200};
    z->end = (posix_rule){'M', 11, 1, 0, 7200};
  } else if (!(s = parse_rule(s + 1, &z->start)) || *s != ',' || !(s = parse_rule(s + 1, &z->end)) || *s) {
    return false;
  }
  z->has_dst = true;
  return true;
}

/* Local seconds of a rule's moment in year y (as if local time were UTC). */
static int64_t rule_local(const posix_rule *r, int y) {
  int32_t days;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (r->kind == 'J') {
    days = civil_days(y, 1, 1) + r->day - 1 + (leap && r->day >= 60);
  } else if (r->kind == 'N') {
    days = civil_days(y, 1, 1) + r->day;
  } else {
    int32_t first = civil_days(y, r->month, 1);
    int wd = (int)(((first + 4) % 7 + 7) % 7); /* 0 = Sunday; 1970-01-01 was a Thursday */
    int32_t d = first + (r->day - wd + 7) % 7 + (r->week - 1) * 7;
    int next_month_y = r->month == 12 ? y + 1 : y, next_m = r->month == 12 ? 1 : r->month + 1;
    while (d >= civil_days(next_month_y, next_m, 1)) d -= 7; /* week 5 means the last */
    days = d;
  }
  return (int64_t)days * 86400 + r->time;
}

static int32_t rule_offset(const rt_tz *z, int64_t utc) {
  if (!z->has_dst) return z->std_off;
  int y, m, d;
  civil_from_days((int32_t)((utc + z->std_off) / 86400 - ((utc + z->std_off) % 86400 < 0)), &y, &m, &d);
  int64_t start = rule_local(&z->start, y) - z->std_off; /* the start is given in standard time */
  int64_t end = rule_local(&z->end, y) - z->dst_off;     /* the end in daylight time */
  bool dst = start < end ? (utc >= start && utc < end) : (utc < end || utc >= start);
  return dst ? z->dst_off : z->std_off;
}

void rt_tz_free(rt_tz *z) {
  if (!z) return;
  free(z->trans);
  free(z->idx);
  free(z->utoff);
  free(z);
}

static rt_tz *fail(rt_tz *z, char *why, size_t whylen, const char *fmt, const char *name) {
  if (why && whylen) snprintf(why, whylen, fmt, name);
  rt_tz_free(z);
  return NULL;
}

rt_tz *rt_tz_load(const char *name, char *why, size_t whylen) {
  rt_tz *z = rt_calloc(1, sizeof *z);
  if (!z) return fail(z, why, whylen, "out of memory loading time zone %s", name);
  if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
    z->has_rule = true; /* offset 0, no file needed */
    return z;
  }
  if (!*name || name[0] == '/' || strstr(name, ".."))
    return fail(z, why, whylen, "'%s' is not a time zone name", name);
  const char *dir = getenv("TZDIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
  FILE *f = fopen(path, "rb");
  if (!f) return fail(z, why, whylen, "time zone %s is not in the system's time zone database (install tzdata)", name);
  /* read as long as it is (zones are a few KiB), not into a fixed 1 MiB
   * buffer: an engine loads its zone every time it is made */
  char *text = NULL;
  size_t len = 0;
  unsigned char *buf = read_whole(f, (size_t)1 << 20, &text, &len) == READ_OK ? (unsigned char *)text : NULL;
  fclose(f);
  /* header: magic, version, 15 reserved, six counts */
  if (!buf || len < 44 || memcmp(buf, "TZif", 4) != 0 || buf[4] < '2') {
    free(buf);
    return fail(z, why, whylen, "time zone file of %s is not TZif version 2 or later", name);
  }
  const unsigned char *h = buf;
  uint32_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), timecnt = be32(h + 32),
           typecnt = be32(h + 36), charcnt = be32(h + 40);
  size_t v1 = 44 + (size_t)timecnt * 5 + (size_t)typecnt * 6 + charcnt + (size_t)leap * 8 + isstd + isut;
  bool ok = v1 + 44 <= len && memcmp(buf + v1, "TZif", 4) == 0;
  if (ok) {
    h = buf + v1;
    isut = be32(h + 20); isstd = be32(h + 24); leap = be32(h + 28);
    timecnt = be32(h + 32); typecnt = be32(h + 36); charcnt = be32(h + 40);
    size_t body = (size_t)timecnt * 9 + (size_t)typecnt * 6 + charcnt + (size_t)leap * 12 + isstd + isut;
    ok = typecnt > 0 && typecnt <= 256 && v1 + 44 + body <= len;
  }
  if (ok) {
    const unsigned char *p = h + 44;
    z->ntrans = timecnt;
    z->ntypes = typecnt;
    z->trans = rt_malloc((timecnt ? timecnt : 1) * sizeof *z->trans);
    z->idx = rt_malloc(timecnt ? timecnt : 1);
    z->utoff = rt_malloc(typecnt * sizeof *z->utoff);
    ok = z->trans && z->idx && z->utoff;
    for (uint32_t i = 0; ok && i < timecnt; i++) z->trans[i] = be64(p + 8 * i);
    p += (size_t)timecnt * 8;
    for (uint32_t i = 0; ok && i < timecnt; i++) {
      z->idx[i] = p[i];
      ok = p[i] < typecnt;
    }
    p += timecnt;
    for (uint32_t i = 0; ok && i < typecnt; i++) {
      z->utoff[i] = (int32_t)be32(p + 6 * i);
      ok = z->utoff[i] >= -89999 && z->utoff[i] <= 93599; /* RFC 8536: within -25 and +26 hours */
    }
    /* before the first transition: the first standard-time type (RFC 8536 3.2) */
    z->initial = ok ? z->utoff[0] : 0;
    p += (size_t)typecnt * 6 + charcnt + (size_t)leap * 12 + isstd + isut;
    /* footer: "\nTZ\n" */
    if (ok && p < buf + len && *p == '\n') {
      const unsigned char *e = memchr(p + 1, '\n', (size_t)(buf + len - p - 1));
      if (e && e > p + 1) {
        char rule[256];
        size_t n = (size_t)(e - p - 1) < sizeof rule - 1 ? (size_t)(e - p - 1) : sizeof rule - 1;
        memcpy(rule, p + 1, n);
        rule[n] = '\0';
        if (!parse_posix(z, rule)) z->has_rule = false;
      }
    }
  }
  free(buf);
  if (!ok) return fail(z, why, whylen, "time zone file of %s is damaged", name);
  return z;
}

int32_t rt_tz_offset(const rt_tz *z, int64_t utc) {
  if (z->ntrans == 0 || utc >= z->trans[z->ntrans - 1]) {
    if (z->has_rule) return rule_offset(z, utc);
    return z->ntrans ? z->utoff[z->idx[z->ntrans - 1]] : z->initial;
  }
  if (utc < z->trans[0]) return z->initial;
  uint32_t lo = 0, hi = z->ntrans - 1; /* trans[lo] <= utc < trans[hi] */
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (z->trans[mid] <= utc) lo = mid;
    else hi = mid;
  }
  return z->utoff[z->idx[lo]];
}

int64_t rt_tz_from_local(const rt_tz *z, int64_t local) {
  /* Try the offsets in force a day before and after; keep the earliest
   * instant whose own offset maps back to `local`. */
  int32_t a = rt_tz_offset(z, local - 86400), b = rt_tz_offset(z, local + 86400);
  int64_t ua = local - a, ub = local - b;
  bool fa = rt_tz_offset(z, ua) == a, fb = rt_tz_offset(z, ub) == b;
  if (fa && fb) return ua < ub ? ua : ub;
  if (fa) return ua;
  if (fb) return ub;
  /* in a gap: read with the offset from before it, that is moved forward by
   * the gap's length (02:30 on a spring change reads as 03:30) */
  return ua;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t rt_period_key(const rt_tz *z, int period, int64_t utc) {
  int64_t local = utc + rt_tz_offset(z, utc);
  return rt_period_key_day(period, (int32_t)floor_div(local, 86400));
}

int64_t rt_period_key_day(int period, int32_t days) {
  if (period == IRT_P_PROGRAM) return 0;
  if (period == IRT_P_DAY) return days;
  if (period == IRT_P_WEEK) return days - ((days + 3) % 7 + 7) % 7; /* the Monday */
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  if (period == IRT_P_MONTH) return (int64_t)y * 12 + (m - 1);
  if (period == IRT_P_QUARTER) return (int64_t)y * 4 + (m - 1) / 3;
  return y;
}

char *rt_period_format(int period, int64_t key, char *buf) {
  int y, m, d;
  switch (period) {
  case IRT_P_DAY: civil_format_date((int32_t)key, buf); break;
  case IRT_P_WEEK: {
    int32_t thursday = (int32_t)key + 3; /* the ISO year is the Thursday's */
    civil_from_days(thursday, &y, &m, &d);
    snprintf(buf, RT_PERIOD_MAX, "%04d-W%02d", y, (thursday - civil_days(y, 1, 1)) / 7 + 1);
    break;
  }
  case IRT_P_MONTH: snprintf(buf, RT_PERIOD_MAX, "%04d-%02d", (int)floor_div(key, 12), (int)(key - floor_div(key, 12) * 12) + 1); break;
  case IRT_P_QUARTER: snprintf(buf, RT_PERIOD_MAX, "%04d-Q%d", (int)floor_div(key, 4), (int)(key - floor_div(key, 4) * 4) + 1); break;
  case IRT_P_YEAR: snprintf(buf, RT_PERIOD_MAX, "%04d", (int)key); break;
  default: snprintf(buf, RT_PERIOD_MAX, "program"); break;
  }
  return buf;
}

bool rt_period_parse(const char *s, int *period, int64_t *key) {
  int y, a;
  char c;
  size_t n = strlen(s);
  if (strcmp(s, "program") == 0) { *period = IRT_P_PROGRAM; *key = 0; return true; }
  if (n == 10) {
    int32_t days;
    if (!civil_parse_date(s, n, &days)) return false;
    *period = IRT_P_DAY;
    *key = days;
    return true;
  }
  if (n == 8 && sscanf(s, "%4d-W%2d%c", &y, &a, &c) == 2 && s[5] == 'W') {
    int32_t jan4 = civil_days(y, 1, 4);
    int32_t monday1 = jan4 - ((jan4 + 3) % 7 + 7) % 7;
    if (a < 1 || a > 53) return false;
    int32_t monday = monday1 + (a - 1) * 7;
    char check[RT_PERIOD_MAX];
    rt_period_format(IRT_P_WEEK, monday, check);
    if (strcmp(check, s) != 0) return false; /* week 53 of a 52-week year */
    *period = IRT_P_WEEK;
    *key = monday;
    return true;
  }
  if (n == 7 && s[4] == '-' && s[5] == 'Q' && sscanf(s, "%4d-Q%1d%c", &y, &a, &c) == 2 && a >= 1 && a <= 4) {
    *period = IRT_P_QUARTER;
    *key = (int64_t)y * 4 + a - 1;
    return true;
  }
  if (n == 7 && s[4] == '-' && sscanf(s, "%4d-%2d%c", &y, &a, &c) == 2 && a >= 1 && a <= 12) {
    *period = IRT_P_MONTH;
    *key = (int64_t)y * 12 + a - 1;
    return true;
  }
  if (n == 4 && sscanf(s, "%4d%c", &y, &c) == 1) {
    *period = IRT_P_YEAR;
    *key = y;
    return true;
  }
  return false;
}
