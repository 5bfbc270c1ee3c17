/* fuzz_time.c: libFuzzer target: any bytes as an ISO 8601 date or time and
 * as a period key, read as events and statements read them; a date that
 * reads writes back as the same text, and a period that reads writes back
 * as a text that reads as the same period. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/base/civil.h"
#include "runtime/base/tz.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64) return 0; /* the longest form is 25 bytes */
  char s[65];
  memcpy(s, data, size);
  s[size] = '\0';
  int32_t days;
  if (civil_parse_date(s, size, &days)) {
    char back[16];
    if (strcmp(civil_format_date(days, back), s) != 0) abort(); /* a date reads and writes one way */
  }
  int64_t seconds;
  bool zone;
  if (civil_parse_time(s, size, &seconds, &zone)) {
    int64_t day = seconds / 86400 - (seconds % 86400 < 0);
    int y, m, d;
    civil_from_days((int32_t)day, &y, &m, &d);
    if (y < 0 || y > 10000) abort(); /* a year of four digits, give or take a day's offset */
  }
  int period;
  int64_t key;
  if (strlen(s) == size && rt_period_parse(s, &period, &key)) {
    char text[RT_PERIOD_MAX];
    int p2;
    int64_t k2;
    rt_period_format(period, key, text);
    if (!rt_period_parse(text, &p2, &k2) || p2 != period || k2 != key) abort();
  }
  return 0;
}
