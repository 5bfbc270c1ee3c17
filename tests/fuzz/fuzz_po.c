/* fuzz_po.c: libFuzzer target: any bytes as a translation catalog (de.po) of
 * the example program, through the checks of `incent check --po`
 * (libgettextpo reads it from a file) and one of the diagnostics' three
 * renderers. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler/check_po.h"
#include "compiler/compile.h"
#include "tests/fuzz/fuzz.h"

static compile_unit unit;
static char *source;
static char dir[160], path[200];

/* The example program, checked once for the whole run. */
static void setup(void) {
  size_t len;
  source = fuzz_source_file("examples/partner-rewards/partner-rewards.incent", &len);
  if (!compile_check(&unit, "partner-rewards.incent", source, len)) abort();
  snprintf(dir, sizeof dir, "%s/po", fuzz_dir());
  snprintf(path, sizeof path, "%s/de.po", dir);
  mkdir(dir, 0700);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!source) setup();
  if (!fuzz_write(path, data, size)) abort();
  /* the program's own sink gets one "no catalog" per other language: a
   * fresh one each time, so that nothing piles up over the run */
  diag_sink program;
  diag_init(&program, "partner-rewards.incent", source, strlen(source));
  unit.prog.diag = &program;
  po_report r;
  if (check_po(&unit.prog, dir, true, &r)) {
    /* one of the three renderers per input, chosen by its size: rendering
     * every report three times was a third of the time of an input */
    FILE *null = fopen("/dev/null", "w");
    if (null) {
      if (size % 3 == 0)
        for (size_t i = 0; i < r.nsinks; i++) diag_render_text(r.sinks[i], true, null);
      else if (size % 3 == 1)
        diag_render_json(r.sinks, r.nsinks, true, NULL, null);
      else
        diag_render_sarif(r.sinks, r.nsinks, false, null);
      fclose(null);
    }
    po_report_free(&r);
  }
  unit.prog.diag = &unit.diag;
  diag_free(&program);
  return 0;
}
