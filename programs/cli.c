/* cli.c: file reading and writing and usage errors for the subcommands. */
#include "config.h"
#include "programs/cli.h"
#include "runtime/readfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/i18n.h"

/* Program files are read whole: the scanner works on a memory buffer, which
 * keeps scanning linear however long a token is. */
#define MAX_FILE_SIZE ((size_t)1 << 30)

bool cli_read_file(const char *path, char **data, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    fprintf(stderr, _("incent: %s: %s\n"), path, strerror(errno));
    return false;
  }
  read_status st = read_whole(f, MAX_FILE_SIZE, data, len);
  int err = errno;
  if (f != stdin) fclose(f);
  if (st == READ_ERROR) fprintf(stderr, _("incent: %s: %s\n"), path, strerror(err));
  if (st == READ_TOO_LARGE) fprintf(stderr, _("incent: %s: larger than 1 GiB; refusing to read it\n"), path);
  if (st == READ_NOMEM) fprintf(stderr, _("incent: %s: out of memory\n"), path);
  return st == READ_OK;
}

bool cli_write_file(const char *path, const void *data, size_t len) {
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 16);
  if (!tmp) return false;
  snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "wb");
  bool ok = f && fwrite(data, 1, len, f) == len;
  if (f && fclose(f) != 0) ok = false;
  if (ok && rename(tmp, path) != 0) ok = false;
  if (!ok) {
    fprintf(stderr, _("incent: %s: %s\n"), path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  return ok;
}

int cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "incent %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, _("\nTry 'incent %s --help'.\n"), cmd);
  return EXIT_USAGE;
}

void cli_print_version(void) {
  printf("incent %s\n", PACKAGE_VERSION);
}

incent_ledger *cli_open_ledger(const char *path) {
  incent_ledger *l;
  char why[512];
  if (incent_ledger_open(path, NULL, 0, &l, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    return NULL;
  }
  return l;
}
