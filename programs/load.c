/* load.c: a program for the runtime, from a .incent source (compiled in
 * memory) or a compiled .irt table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "programs/cli.h"

int cli_load_table(const char *path, incent_table **out) {
  char *src;
  size_t len;
  *out = NULL;
  if (!cli_read_file(path, &src, &len)) return EXIT_USAGE;
  char why[256];
  int status = EXIT_OK;
  if (len >= 8 && memcmp(src, "INCENTRT", 8) == 0) {
    incent_status st = incent_table_load(src, len, out, why, sizeof why);
    if (st == INCENT_ENOMEM) status = cli_out_of_memory();
    else if (st != INCENT_OK) {
      /* a table of another format was built by another incent: its source builds it anew */
      fprintf(stderr, "incent: %s: %s%s\n", path, why,
              st == INCENT_EVERSION ? "; build the table again from its source with incent build" : "");
      status = EXIT_USAGE;
    }
  } else {
    compile_unit u;
    unsigned char *bytes = NULL;
    size_t blen = 0;
    if (!compile_check(&u, path, src, len) || !compile_emit(&u, &bytes, &blen)) status = EXIT_FAILED;
    if (u.oom) status = cli_out_of_memory();
    else diag_render_text(&u.diag, false, stderr);
    incent_status st = status == EXIT_OK ? incent_table_load(bytes, blen, out, why, sizeof why) : INCENT_OK;
    if (st == INCENT_ENOMEM) status = cli_out_of_memory();
    else if (st != INCENT_OK) {
      fprintf(stderr, "incent: %s: %s\n", path, why);
      status = EXIT_FAILED;
    }
    free(bytes);
    compile_unit_free(&u);
  }
  free(src);
  return status;
}
