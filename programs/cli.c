/* cli.c: file reading and writing and usage errors for the subcommands. */
#include "config.h"
#include "runtime/base/util.h"
#include "programs/cli.h"
#include "runtime/base/text.h"
#include "runtime/base/readfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
  char *tmp = rt_malloc(plen + 16);
  if (!tmp) return cli_out_of_memory(), false;
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

int cli_out_of_memory(void) {
  fprintf(stderr, _("incent: out of memory\n"));
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

const char *cli_localedir(void) {
  const char *dir = getenv("INCENT_LOCALEDIR");
  return dir && *dir ? dir : LOCALEDIR;
}

static void report_warning(void *ud, const char *text) {
  (void)ud;
  fprintf(stderr, _("incent: warning: %s\n"), text);
}

incent_messages *cli_load_messages(const char *cmd, const incent_table *t, const char *locale_dir) {
  struct stat st;
  if (!locale_dir && incent_table_nlanguages(t) > 1) {
    cli_usage_error(cmd,
                    _("the program speaks %d languages: give --locale-dir DIR, the folder of its catalogs "
                      "(DIR/LANG/LC_MESSAGES/%s.mo)"),
                    incent_table_nlanguages(t), incent_table_program(t));
    return NULL;
  }
  if (locale_dir && (stat(locale_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
    fprintf(stderr, _("incent: %s: no such folder; --locale-dir names the folder of the program's catalogs\n"),
            locale_dir);
    return NULL;
  }
  incent_messages *m;
  char why[512];
  if (incent_messages_load(t, locale_dir, cli_localedir(), &m, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    return NULL;
  }
  incent_messages_warnings(m, report_warning, NULL);
  return m;
}

static void report_fallback(void *ud, const char *language, const char *reason, long count) {
  (void)ud;
  if (language[0])
    fprintf(stderr,
            P_("incent: warning: %ld text for partners in '%s' went out in the source language: %s\n",
               "incent: warning: %ld texts for partners in '%s' went out in the source language: %s\n", count),
            count, language, reason);
  else
    fprintf(stderr,
            P_("incent: warning: %ld text went out in the source language: %s\n",
               "incent: warning: %ld texts went out in the source language: %s\n", count),
            count, reason);
}

void cli_report_fallbacks(const incent_messages *m) { incent_messages_fallbacks(m, report_fallback, NULL); }

const char *cli_shown(const char *s) {
  static textbuf bufs[4];
  static unsigned next;
  if (!s) return s;
  size_t n = strlen(s);
  textbuf probe = {0};
  bool plain = true;
  for (size_t i = 0; i < n && plain; i++) plain = (unsigned char)s[i] >= 0x20 && s[i] != 0x7F && (unsigned char)s[i] < 0xC2;
  if (plain) return s; /* printable ASCII and most UTF-8: nothing to escape, checked quickly */
  text_escaped(&probe, s, n);
  if (probe.oom || strcmp(text_str(&probe), s) == 0) {
    text_free(&probe);
    return s;
  }
  textbuf *b = &bufs[next++ % 4];
  text_free(b);
  *b = probe;
  return text_str(b);
}

void cli_csv_cell(const char *s) {
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  putchar('"');
}
