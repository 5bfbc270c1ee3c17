/* tap.h: a minimal Test Anything Protocol reporter for the C unit tests. */
#ifndef INCENT_TAP_H
#define INCENT_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                  \
  do {                                                     \
    tap_n++;                                               \
    if (cond) printf("ok %d - ", tap_n);                   \
    else { printf("not ok %d - ", tap_n); tap_failed++; }  \
    printf(__VA_ARGS__);                                   \
    printf("\n");                                          \
  } while (0)

#define TAP_STR(got, want, ...)                                               \
  do {                                                                        \
    const char *g_ = (got), *w_ = (want);                                     \
    TAP_OK(strcmp(g_, w_) == 0, __VA_ARGS__);                                 \
    if (strcmp(g_, w_) != 0) printf("#   got  '%s'\n#   want '%s'\n", g_, w_); \
  } while (0)

static inline int tap_done(void) {
  printf("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

#endif
