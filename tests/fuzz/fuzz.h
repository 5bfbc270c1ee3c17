/* fuzz.h: what the fuzz targets share. */
#ifndef INCENT_FUZZ_H
#define INCENT_FUZZ_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A writer that throws the text away: the targets exercise the dump, not its output. */
static inline void fuzz_discard(void *ud, const char *text, size_t len) {
  (void)ud;
  (void)text;
  (void)len;
}

/* Reads every byte of s (when not NULL), so that the sanitizers check a
 * text the library handed out. */
static inline void fuzz_touch(const char *s) {
  static volatile size_t sink;
  if (s) sink += strlen(s);
}

static char fuzz_dir_path[128];

/* Removes path and, for a folder, everything in it (the few levels a target makes). */
static inline void fuzz_remove(const char *path) {
  DIR *d = opendir(path);
  for (struct dirent *e; d && (e = readdir(d));) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char sub[512];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    fuzz_remove(sub);
  }
  if (d) closedir(d);
  remove(path);
}

static inline void fuzz_dir_remove(void) { fuzz_remove(fuzz_dir_path); }

/* A folder of this process's own for the files a target writes (inputs
 * that a library reads only from a path), in memory when /dev/shm exists;
 * made once (each input rewrites the same few files), removed at exit. */
static inline const char *fuzz_dir(void) {
  if (!fuzz_dir_path[0]) {
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/incent-fuzz-XXXXXX", base);
    if (!mkdtemp(fuzz_dir_path)) abort();
    atexit(fuzz_dir_remove);
  }
  return fuzz_dir_path;
}

/* Writes len bytes to path (replacing it); false when it cannot. */
static inline bool fuzz_write(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return false;
  bool ok = fwrite(data, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* A whole file read into memory, NUL-terminated (malloc'd; NULL when it cannot be read). */
static inline char *fuzz_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += got;
    if (n == cap) {
      char *b = realloc(buf, 2 * cap + 1);
      if (!b) free(buf);
      buf = b, cap *= 2;
    }
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

/* The source tree's file at rel (the source tree is compiled in as
 * FUZZ_SRCDIR; $top_srcdir overrides it), read whole; aborts when it cannot. */
static inline char *fuzz_source_file(const char *rel, size_t *len) {
  char path[4096];
  const char *top = getenv("top_srcdir");
#ifdef FUZZ_SRCDIR
  if (!top) top = FUZZ_SRCDIR;
#endif
  snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
  char *text = fuzz_slurp(path, len);
  if (!text) {
    fprintf(stderr, "fuzz: cannot read %s\n", path);
    abort();
  }
  return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
