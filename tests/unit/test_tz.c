/* test_tz.c: time zones from the system database and period keys, by hand-computed instants. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "runtime/base/civil.h"
#include "runtime/engine/table_format.h"
#include "runtime/base/tz.h"
#include "tests/unit/tap.h"

static int64_t T(const char *iso) {
  int64_t t = 0;
  bool zone;
  if (!civil_parse_time(iso, strlen(iso), &t, &zone)) printf("# bad time %s\n", iso);
  return t;
}

static void key(const rt_tz *z, int period, const char *iso, const char *want, const char *zone) {
  char buf[RT_PERIOD_MAX];
  rt_period_format(period, rt_period_key(z, period, T(iso)), buf);
  TAP_STR(buf, want, "%s in %s is in period %s", iso, zone, want);
  int p;
  int64_t k;
  TAP_OK(rt_period_parse(want, &p, &k) && p == period && k == rt_period_key(z, period, T(iso)),
         "%s parses back to the same key", want);
}

int main(void) {
  char why[256];
  rt_tz *utc = rt_tz_load("UTC", why, sizeof why);
  rt_tz *ber = rt_tz_load("Europe/Berlin", why, sizeof why);
  rt_tz *ny = rt_tz_load("America/New_York", why, sizeof why);
  rt_tz *syd = rt_tz_load("Australia/Sydney", why, sizeof why);
  TAP_OK(utc && ber && ny && syd, "UTC, Europe/Berlin, America/New_York and Australia/Sydney load");
  if (!(utc && ber && ny && syd)) return tap_done();
  TAP_OK(rt_tz_load("Mars/Olympus", why, sizeof why) == NULL && strstr(why, "Mars/Olympus"),
         "an unknown zone is refused with its name");

  /* Berlin 2027: CEST from 2027-03-28 01:00Z to 2027-10-31 01:00Z */
  TAP_OK(rt_tz_offset(ber, T("2027-03-28T00:59:59Z")) == 3600, "Berlin is UTC+1 just before the spring change");
  TAP_OK(rt_tz_offset(ber, T("2027-03-28T01:00:00Z")) == 7200, "Berlin is UTC+2 from 01:00Z on 2027-03-28");
  TAP_OK(rt_tz_offset(ber, T("2027-10-31T00:59:59Z")) == 7200, "Berlin is UTC+2 just before the autumn change");
  TAP_OK(rt_tz_offset(ber, T("2027-10-31T01:00:00Z")) == 3600, "Berlin is UTC+1 from 01:00Z on 2027-10-31");
  /* far beyond the file's transitions, the footer rule decides */
  TAP_OK(rt_tz_offset(ber, T("2045-07-01T12:00:00Z")) == 7200 && rt_tz_offset(ber, T("2045-12-01T12:00:00Z")) == 3600,
         "Berlin's rule still holds in 2045");
  /* New York 2027: EDT from 2027-03-14 07:00Z to 2027-11-07 06:00Z */
  TAP_OK(rt_tz_offset(ny, T("2027-03-14T06:59:59Z")) == -18000 && rt_tz_offset(ny, T("2027-03-14T07:00:00Z")) == -14400,
         "New York moves to EDT at 07:00Z on 2027-03-14");
  TAP_OK(rt_tz_offset(ny, T("2027-11-07T05:59:59Z")) == -14400 && rt_tz_offset(ny, T("2027-11-07T06:00:00Z")) == -18000,
         "New York moves back to EST at 06:00Z on 2027-11-07");
  /* Sydney, southern hemisphere: AEDT until 2027-04-03 16:00Z, again from 2027-10-02 16:00Z */
  TAP_OK(rt_tz_offset(syd, T("2027-04-03T15:59:59Z")) == 39600 && rt_tz_offset(syd, T("2027-04-03T16:00:00Z")) == 36000,
         "Sydney leaves daylight time at 16:00Z on 2027-04-03");
  TAP_OK(rt_tz_offset(syd, T("2027-10-02T15:59:59Z")) == 36000 && rt_tz_offset(syd, T("2027-10-02T16:00:00Z")) == 39600,
         "Sydney enters daylight time at 16:00Z on 2027-10-02");

  /* local wall-clock times to instants */
  TAP_OK(rt_tz_from_local(ber, T("2027-03-28T00:00:00Z")) == T("2027-03-27T23:00:00Z"),
         "midnight of 2027-03-28 in Berlin is 23:00Z the day before");
  TAP_OK(rt_tz_from_local(ber, T("2027-07-01T00:00:00Z")) == T("2027-06-30T22:00:00Z"),
         "midnight of 2027-07-01 in Berlin is 22:00Z the day before");
  TAP_OK(rt_tz_from_local(ber, T("2027-03-28T02:30:00Z")) == T("2027-03-28T01:30:00Z"),
         "02:30 on the spring change does not exist in Berlin: it reads as 03:30 CEST, 01:30Z");
  TAP_OK(rt_tz_from_local(ber, T("2027-10-31T02:30:00Z")) == T("2027-10-31T00:30:00Z"),
         "02:30 on the autumn change happens twice in Berlin: the first, 00:30Z");

  /* periods */
  key(utc, IRT_P_WEEK, "2027-01-01T12:00:00Z", "2026-W53", "UTC");
  key(utc, IRT_P_WEEK, "2027-01-03T23:59:59Z", "2026-W53", "UTC");
  key(utc, IRT_P_WEEK, "2027-01-04T00:00:00Z", "2027-W01", "UTC");
  key(utc, IRT_P_WEEK, "2025-12-29T00:00:00Z", "2026-W01", "UTC");
  key(utc, IRT_P_QUARTER, "2027-03-31T23:30:00Z", "2027-Q1", "UTC");
  key(ber, IRT_P_QUARTER, "2027-03-31T23:30:00Z", "2027-Q2", "Europe/Berlin");
  key(ny, IRT_P_QUARTER, "2027-04-01T03:30:00Z", "2027-Q1", "America/New_York");
  key(ber, IRT_P_DAY, "2027-03-28T22:30:00Z", "2027-03-29", "Europe/Berlin");
  key(ber, IRT_P_DAY, "2027-03-27T22:30:00Z", "2027-03-27", "Europe/Berlin");
  key(ber, IRT_P_MONTH, "2027-10-31T23:30:00Z", "2027-11", "Europe/Berlin");
  key(ber, IRT_P_YEAR, "2027-12-31T23:30:00Z", "2028", "Europe/Berlin");
  key(utc, IRT_P_PROGRAM, "2027-06-01T00:00:00Z", "program", "UTC");
  int p;
  int64_t k;
  TAP_OK(!rt_period_parse("2027-W53", &p, &k), "2027 has no ISO week 53");
  TAP_OK(!rt_period_parse("2027-Q5", &p, &k) && !rt_period_parse("2027-13", &p, &k), "malformed keys are refused");
  /* regression: a footer rule with huge numbers overflowed while it was read (UB) */
  char dir[] = "/tmp/incent-tz.XXXXXX";
  if (mkdtemp(dir)) {
    char path[64];
    snprintf(path, sizeof path, "%s/Odd", dir);
    FILE *f = fopen(path, "wb");
    /* TZif version 2: an empty version-1 block, then one type (UTC+0, "UTC") and the footer */
    static const unsigned char v1[44] = {'T', 'Z', 'i', 'f', '2'};
    unsigned char v2[44] = {'T', 'Z', 'i', 'f', '2'};
    v2[39] = 1; /* typecnt */
    v2[43] = 4; /* charcnt */
    static const unsigned char body[] = {0, 0, 0, 0, 0, 0, 'U', 'T', 'C', 0};
    static const char footer[] = "\nCET-99999999999,M99999999999.5.0,M10.5.0/99999999999\n";
    if (f) {
      fwrite(v1, 1, sizeof v1, f);
      fwrite(v2, 1, sizeof v2, f);
      fwrite(body, 1, sizeof body, f);
      fwrite(footer, 1, sizeof footer - 1, f);
      fclose(f);
    }
    setenv("TZDIR", dir, 1);
    rt_tz *odd = rt_tz_load("Odd", why, sizeof why);
    TAP_OK(odd != NULL && rt_tz_offset(odd, T("2027-06-01T00:00:00Z")) == 0,
           "a zone whose footer rule is out of range is read as its file's own offset");
    rt_tz_free(odd);
    unsetenv("TZDIR");
    remove(path);
    rmdir(dir);
  }
  rt_tz_free(utc);
  rt_tz_free(ber);
  rt_tz_free(ny);
  rt_tz_free(syd);
  return tap_done();
}
