/* cmd_fmt.c: `incent fmt`: programs in the canonical layout (compiler/fmt.c), printed, checked or rewritten. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compiler/diag.h"
#include "compiler/fmt.h"
#include "compiler/i18n.h"
#include "grammar/parse.h"
#include "programs/cli.h"

extern char **environ;

static void help(void) {
  printf(_("Usage: incent fmt [--check | --in-place] PROGRAM.incent...\n"
           "Write programs in the canonical layout: their words and comments kept, the spaces, line\n"
           "breaks and indentation between them made the same everywhere.\n\n"
           "      --check        write nothing: show how each program differs from its layout, as a\n"
           "                     unified diff, and exit 1 when one does\n"
           "      --in-place     rewrite each program that is not in the layout\n"
           "  -h, --help         show this help and exit\n"
           "  -V, --version      show the version and exit\n\n"
           "Without an option, the programs in the layout go to standard output.  A program with\n"
           "syntax errors is not formatted: its errors are shown and it is left as it is.\n\n"
           "Exit status: 0 done (with --check: every program is in the layout); 1 a program differs\n"
           "(--check) or has syntax errors; 2 bad usage or an unreadable file.\n"));
}

/* Shows how path's text differs from formatted, as a unified diff, with
 * diffutils' diff (rather than a diff written here); false when it cannot run. */
static bool show_diff(const char *path, const char *formatted, size_t len) {
  const char *dir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/incent-fmt.XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(tmp);
  if (fd < 0) return false;
  bool ok = write(fd, formatted, len) == (ssize_t)len;
  close(fd);
  char label[4200];
  snprintf(label, sizeof label, "%s (formatted)", path);
  char *argv[] = {"diff", "-u", "--label", (char *)path, "--label", label, (char *)path, tmp, NULL};
  pid_t pid;
  fflush(stdout);
  int status = 0;
  if (ok && posix_spawnp(&pid, "diff", NULL, NULL, argv, environ) == 0) ok = waitpid(pid, &status, 0) == pid;
  else ok = false;
  unlink(tmp);
  return ok && WIFEXITED(status) && WEXITSTATUS(status) <= 1;
}

int cmd_fmt(int argc, char **argv) {
  static const struct option opts[] = {{"check", no_argument, NULL, 'c'},
                                       {"in-place", no_argument, NULL, 'i'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  bool check = false, in_place = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'c': check = true; break;
    case 'i': in_place = true; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("fmt", _("unknown option"));
    }
  }
  if (check && in_place) return cli_usage_error("fmt", _("give --check or --in-place, not both"));
  if (optind >= argc) return cli_usage_error("fmt", _("no program given"));
  int status = EXIT_OK;
  for (int i = optind; i < argc; i++) {
    char *src;
    size_t len;
    if (!cli_read_file(argv[i], &src, &len)) {
      status = EXIT_USAGE;
      continue;
    }
    /* a program that does not parse is left as it is: its tokens might not be what the author meant */
    diag_sink d;
    size_t bom = len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* skipped, as compile_check skips it */
    diag_init(&d, argv[i], src + bom, len - bom);
    ast *tree = grammar_parse(src + bom, len - bom, &d);
    bool parsed = tree && d.errors == 0;
    if (!parsed) {
      diag_sort(&d);
      diag_render_text(&d, false, stderr);
      if (!tree && d.errors == 0) fprintf(stderr, "incent: %s: %s\n", argv[i], _("out of memory"));
      if (status == EXIT_OK) status = EXIT_FAILED;
    }
    ast_free(tree);
    diag_free(&d);
    size_t flen = 0;
    char *formatted = parsed ? fmt_source(src, len, &flen) : NULL;
    if (parsed && !formatted) status = cli_out_of_memory();
    bool same = formatted && flen == len && memcmp(formatted, src, len) == 0;
    if (formatted && check && !same) {
      if (!show_diff(argv[i], formatted, flen)) {
        fprintf(stderr, _("incent: %s differs from its layout, and diff could not show how\n"), argv[i]);
      }
      if (status == EXIT_OK) status = EXIT_FAILED;
    } else if (formatted && in_place && !same) {
      if (!cli_write_file(argv[i], formatted, flen)) status = EXIT_USAGE;
    } else if (formatted && !check && !in_place) {
      fwrite(formatted, 1, flen, stdout);
    }
    free(formatted);
    free(src);
  }
  return status;
}
