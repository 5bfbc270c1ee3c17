/* fuzz_tz.c: libFuzzer target: any bytes as a TZif file of the system's
 * time zone database (read through $TZDIR, as the engine reads a program's
 * zone), then asked for offsets, local times and period keys across the
 * years an event may have; an offset is always within RFC 8536's range
 * (more than -25 hours, less than 26). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/base/civil.h"
#include "runtime/engine/table_format.h"
#include "runtime/base/tz.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[200];
  if (!path[0]) {
    snprintf(path, sizeof path, "%s/zones", fuzz_dir());
    mkdir(path, 0700);
    setenv("TZDIR", path, 1);
    snprintf(path, sizeof path, "%s/zones/Fuzz", fuzz_dir());
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/zones/Fuzz/Zone", fuzz_dir());
  }
  if (!fuzz_write(path, data, size)) abort();
  char why[200];
  rt_tz *z = rt_tz_load("Fuzz/Zone", why, sizeof why);
  if (!z) return 0;
  /* instants from year 1 to 9999 (what an event's time can be), denser
   * around now, and a few taken from the input itself */
  int64_t at[64];
  int n = 0;
  at[n++] = (int64_t)civil_days(1, 1, 1) * 86400;
  at[n++] = (int64_t)civil_days(9999, 12, 31) * 86400 + 86399;
  for (int y = 1900; y <= 2100 && n < 40; y += 7) at[n++] = (int64_t)civil_days(y, 3 + y % 8, 1 + y % 28) * 86400 + y;
  for (size_t i = 0; i + 8 <= size && n < 64; i += size / 16 + 8) {
    int64_t v;
    memcpy(&v, data + size - 8 - i, 8);
    at[n++] = v % ((int64_t)civil_days(9999, 12, 31) * 86400); /* within the years an event may have */
  }
  for (int i = 0; i < n; i++) {
    int32_t off = rt_tz_offset(z, at[i]);
    if (off < -89999 || off > 93599) abort();
    rt_tz_from_local(z, at[i]);
    for (int p = IRT_P_DAY; p <= IRT_P_PROGRAM; p++) {
      char key[RT_PERIOD_MAX];
      rt_period_format(p, rt_period_key(z, p, at[i]), key);
    }
  }
  rt_tz_free(z);
  return 0;
}
