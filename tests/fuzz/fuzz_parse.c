/* fuzz_parse.c: libFuzzer target: any bytes as a program, through the parser,
 * every check, the emitter, the table loader and the dump. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "compiler/compile.h"
#include "incent.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  compile_unit u;
  unsigned char *table = NULL;
  size_t len = 0;
  if (compile_check(&u, "fuzz.incent", (const char *)data, size) && compile_emit(&u, &table, &len)) {
    incent_table *t;
    if (incent_table_load(table, len, &t, NULL, 0) != INCENT_OK) abort(); /* the writer and reader disagree */
    incent_table_dump(t, fuzz_discard, NULL);
    incent_table_free(t);
  }
  FILE *null = fopen("/dev/null", "w");
  if (null) {
    diag_render_text(&u.diag, false, null);
    fclose(null);
  }
  free(table);
  compile_unit_free(&u);
  return 0;
}
