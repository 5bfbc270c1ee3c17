/* replay.c: runs a fuzz target over the saved inputs of folders, once each,
 * as a TAP test; built with the target into an ordinary check program, so
 * every input that once crashed is replayed by `make check` (and under the
 * sanitizers in CI). */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"


static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  const char *top = getenv("top_srcdir");
  if (argc < 2 || !top) {
    fprintf(stderr, "usage: top_srcdir=DIR replay FOLDER... (relative to top_srcdir)\n");
    return 99;
  }
  int done = 0;
  for (int a = 1; a < argc; a++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", top, argv[a]);
    DIR *d = opendir(dir);
    if (!d) {
      printf("Bail out! cannot open %s\n", dir);
      return 1;
    }
    char *names[4096];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 4096;)
      if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
      char path[8192];
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      FILE *f = fopen(path, "rb");
      unsigned char *buf = malloc(1 << 20);
      size_t len = f && buf ? fread(buf, 1, 1 << 20, f) : 0;
      if (f) fclose(f);
      LLVMFuzzerTestOneInput(buf, len); /* a crash or a sanitizer report ends the test here */
      printf("ok %d - %s/%s runs cleanly\n", ++done, argv[a], names[i]);
      free(buf);
      free(names[i]);
    }
  }
  printf("1..%d\n", done);
  return 0;
}
