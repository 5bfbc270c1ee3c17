/* cmd_build.c: `incent build`: compile a program to a rule table, or list one. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/i18n.h"
#include "incent.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent build [OPTION]... PROGRAM.incent -o PROGRAM.irt\n"
           "       incent build --dump PROGRAM.incent|PROGRAM.irt\n"
           "Compile a program into a rule table that the runtime loads without the compiler.\n\n"
           "  -o, --output FILE  write the rule table to FILE (nothing is written on errors)\n"
           "      --dump         print the rule table readably on standard output\n"
           "  -h, --help         show this help and exit\n"
           "  -V, --version      show the version and exit\n"));
}

static void write_stdout(void *ud, const char *text, size_t len) {
  fwrite(text, 1, len, ud);
}

static int dump(const unsigned char *table, size_t len, const char *file) {
  char why[256];
  incent_table *t;
  if (incent_table_load(table, len, &t, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s: %s\n", file, why);
    return EXIT_USAGE;
  }
  incent_table_dump(t, write_stdout, stdout);
  incent_table_free(t);
  return EXIT_OK;
}

int cmd_build(int argc, char **argv) {
  static const struct option opts[] = {
    {"output", required_argument, NULL, 'o'}, {"dump", no_argument, NULL, 'd'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *output = NULL;
  bool want_dump = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
    switch (c) {
    case 'o': output = optarg; break;
    case 'd': want_dump = true; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("build", _("unknown option"));
    }
  }
  if (optind != argc - 1) return cli_usage_error("build", _("give exactly one program"));
  if (!output && !want_dump) return cli_usage_error("build", _("say where to write the table with -o FILE, or use --dump"));
  const char *file = argv[optind];
  char *src;
  size_t len;
  if (!cli_read_file(file, &src, &len)) return EXIT_USAGE;
  if (len >= 8 && memcmp(src, "INCENTRT", 8) == 0) { /* already a rule table */
    int st = output ? cli_usage_error("build", _("%s is already a rule table"), file)
                    : dump((unsigned char *)src, len, file);
    free(src);
    return st;
  }
  compile_unit u;
  int status = EXIT_OK;
  unsigned char *table = NULL;
  size_t tlen = 0;
  if (!compile_check(&u, file, src, len) || !compile_emit(&u, &table, &tlen)) status = EXIT_FAILED;
  if (u.oom) status = cli_out_of_memory();
  else diag_render_text(&u.diag, false, stderr);
  if (status == EXIT_OK && output && !cli_write_file(output, table, tlen)) status = EXIT_USAGE;
  if (status == EXIT_OK && want_dump) status = dump(table, tlen, file);
  free(table);
  compile_unit_free(&u);
  free(src);
  return status;
}
