/* tz.h: time zones from the system's time zone database (TZif files and
 * their POSIX TZ footer rule), without touching the process's TZ or locale,
 * so that one process can use many zones at once (internal). */
#ifndef INCENT_TZ_H
#define INCENT_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rt_tz rt_tz;

/* Loads zone `name` (like "Europe/Berlin") from $TZDIR or /usr/share/zoneinfo.
 * Returns NULL with a reason in why when it cannot. */
rt_tz *rt_tz_load(const char *name, char *why, size_t whylen);
void rt_tz_free(rt_tz *z);

/* Seconds east of UTC in force at the instant utc (seconds since the epoch). */
int32_t rt_tz_offset(const rt_tz *z, int64_t utc);
/* The instant at which the local wall-clock time `local` (seconds since the
 * epoch as if local time were UTC) occurs.  In a gap (clocks moved forward)
 * the time is moved forward by the gap's length, as java.time and ICU do; in
 * an overlap it is the earlier instant. */
int64_t rt_tz_from_local(const rt_tz *z, int64_t local);

/* Periods: a period key is a whole number that identifies the day, ISO
 * week, month, quarter or year (in local time) holding an instant. */
int64_t rt_period_key(const rt_tz *z, int period, int64_t utc);
/* The same from a local date (days since 1970-01-01). */
int64_t rt_period_key_day(int period, int32_t days);
/* Writes the key as it reads: 2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027
 * or program.  buf needs RT_PERIOD_MAX bytes. */
#define RT_PERIOD_MAX 32
char *rt_period_format(int period, int64_t key, char *buf);
/* Parses that form back; false if malformed. */
bool rt_period_parse(const char *s, int *period, int64_t *key);

#endif
