/* cmd_pot.c: `incent pot`: the gettext template of a program's partner-facing texts. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/i18n.h"
#include "compiler/pot.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent pot [OPTION]... PROGRAM.incent\n"
           "Write the gettext template (.pot) of the program's partner-facing texts: its\n"
           "title, the titles of its tiers, rules and enumeration values, message subjects\n"
           "and texts, with the designer's notes for translators.\n\n"
           "  -o, --output FILE  write the template to FILE (default: standard output)\n"
           "  -h, --help         show this help and exit\n"
           "  -V, --version      show the version and exit\n\n"
           "Start a language's catalog with 'msginit -i FILE -l LANG', update it with\n"
           "'msgmerge', and check it with 'incent check PROGRAM --po DIR'.\n"));
}

int cmd_pot(int argc, char **argv) {
  static const struct option opts[] = {
    {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
  const char *output = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
    switch (c) {
    case 'o': output = optarg; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("pot", _("unknown option"));
    }
  }
  if (optind != argc - 1) return cli_usage_error("pot", _("give exactly one program"));
  const char *file = argv[optind];
  char *src;
  size_t len;
  if (!cli_read_file(file, &src, &len)) return EXIT_USAGE;
  compile_unit u;
  int status = EXIT_OK;
  if (!compile_check(&u, file, src, len)) status = EXIT_FAILED;
  if (u.oom) status = cli_out_of_memory();
  else diag_render_text(&u.diag, false, stderr);
  if (status == EXIT_OK) {
    /* built in memory, then written whole: a failed run leaves no half template */
    char *text = NULL;
    size_t tlen = 0;
    FILE *mem = open_memstream(&text, &tlen);
    bool ok = mem && pot_write(&u.prog, mem);
    if (mem && fclose(mem) != 0) ok = false;
    if (!ok) fprintf(stderr, _("incent: out of memory\n"));
    else if (output) ok = cli_write_file(output, text, tlen);
    else ok = fwrite(text, 1, tlen, stdout) == tlen && fflush(stdout) == 0;
    if (!ok) status = EXIT_USAGE;
    free(text);
  }
  compile_unit_free(&u);
  free(src);
  return status;
}
