/* fuzz_engine.c: libFuzzer target: the engine applying events under a
 * loaded rule table, with notifications rendered.  The input is lines of
 * comma-separated values: "P,id,name,language,country,tier,declared..." adds
 * a partner, "T,partner,time" asks for a tier, any other line is an event
 * "id,type,partner,time,value..." with its type's declared fields in order
 * (an empty value is an absent one).  The table is the example program's;
 * built with FUZZ_TABLE_TOO (fuzz_engine_table), the input starts with the
 * table itself instead: four bytes of its length (little-endian), then its
 * bytes, its size and hash set to match as fuzz_table does.  The applied
 * events are kept in memory (programs/history.c, as `incent test` keeps
 * them), so that a reversal finds the event it names. */
#include "config.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "incent.h"
#include "programs/history.h"
#include "runtime/engine/table_format.h"
#include "tests/fuzz/fuzz.h"

#define MAX_VALUES 32

static void entry(void *ud, const incent_entry *e) {
  /* a lapse (kind expired) has no rule */
  if (!e->event || !e->recipient || !e->status || !e->period || !e->day || !e->kind ||
      (!e->rule && strcmp(e->kind, "expired") != 0))
    abort();
  mem_history_entry(ud, e);
}

static void skipped(void *ud, const char *event, const char *rule, const char *reason) {
  (void)ud, (void)event, (void)rule;
  fuzz_touch(reason);
}

static void tier(void *ud, const char *event, const char *partner, const char *from, const char *to,
                 const char *message) {
  (void)ud, (void)event, (void)partner, (void)from, (void)message;
  fuzz_touch(to);
}

static void notify(void *ud, const incent_notification *n) {
  (void)ud;
  fuzz_touch(n->subject);
  fuzz_touch(n->text);
}

/* Splits line (NUL-terminated, changed in place) at commas into v. */
static int split(char *line, const char **v, int max) {
  int n = 0;
  for (char *p = line; n < max;) {
    char *comma = strchr(p, ',');
    v[n++] = p;
    if (!comma) break;
    *comma = '\0';
    p = comma + 1;
  }
  return n;
}

/* Applies the lines of text (NUL-terminated, changed in place) under t. */
static void run(const incent_table *t, incent_messages *m, char *text) {
  incent_engine *e;
  char why[512];
  if (incent_engine_new(t, &e, why, sizeof why) != INCENT_OK) return;
  if (m) incent_engine_set_messages(e, m);
  mem_history h;
  mem_history_init(&h);
  mem_history_attach(&h, e);
  incent_report r = {entry, skipped, tier, &h, notify};
  for (char *line = text, *next; line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    const char *v[MAX_VALUES + 4];
    int n = split(line, v, MAX_VALUES + 4);
    if (strcmp(v[0], "P") == 0) {
      incent_engine_partner(e, v + 1, n - 1, why, sizeof why);
    } else if (strcmp(v[0], "T") == 0) {
      if (n >= 3) incent_engine_tier(e, v[1], v[2]);
    } else if (n >= 4) {
      for (int i = 4; i < n; i++)
        if (!*v[i]) v[i] = NULL;
      incent_event ev = {v[0], v[1], v[2], v[3], v + 4, n - 4};
      mem_history_done(&h, &ev, incent_engine_apply(e, &ev, &r, why, sizeof why) == INCENT_EVENT_APPLIED);
    }
  }
  incent_engine_free(e);
  mem_history_free(&h);
}

#ifndef FUZZ_TABLE_TOO

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static incent_table *t;
  static incent_messages *m;
  if (!t) {
    compile_unit u;
    size_t len;
    char *source = fuzz_source_file("examples/partner-rewards/partner-rewards.incent", &len);
    unsigned char *bytes;
    if (!compile_check(&u, "partner-rewards.incent", source, len) || !compile_emit(&u, &bytes, &len)) abort();
    if (incent_table_load(bytes, len, &t, NULL, 0) != INCENT_OK) abort();
    if (incent_messages_load(t, NULL, NULL, &m, NULL, 0) != INCENT_OK) abort();
    free(bytes);
    compile_unit_free(&u);
    free(source);
  }
  /* the messages count every fallback by language and reason, and fuzzed
   * partners ask for endless languages: a fresh set now and then */
  static unsigned long runs;
  if (++runs % 4096 == 0) {
    incent_messages_free(m);
    if (incent_messages_load(t, NULL, NULL, &m, NULL, 0) != INCENT_OK) abort();
  }
  char *text = malloc(size + 1);
  if (!text) abort();
  memcpy(text, data, size);
  text[size] = '\0';
  run(t, m, text);
  free(text);
  return 0;
}

#else

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint32_t n;
  if (size < 4) return 0;
  memcpy(&n, data, 4);
  if (n > size - 4 || n < IRT_HEADER_SIZE) return 0;
  unsigned char *copy = malloc(n);
  char *text = malloc(size - 4 - n + 1);
  if (!copy || !text) abort();
  memcpy(copy, data + 4, n);
  memcpy(copy, IRT_MAGIC, 8);
  memcpy(copy + 52, &n, 4);
  struct sha256_ctx sha;
  sha256_init(&sha);
  sha256_update(&sha, n - IRT_HEADER_SIZE, copy + IRT_HEADER_SIZE);
  sha256_digest(&sha, SHA256_DIGEST_SIZE, copy + 16);
  memcpy(text, data + 4 + n, size - 4 - n);
  text[size - 4 - n] = '\0';
  incent_table *t;
  if (incent_table_load(copy, n, &t, NULL, 0) == INCENT_OK) {
    incent_messages *m = NULL;
    if (incent_messages_load(t, NULL, NULL, &m, NULL, 0) != INCENT_OK) m = NULL;
    run(t, m, text);
    incent_messages_free(m);
    incent_table_free(t);
  }
  free(copy);
  free(text);
  return 0;
}

#endif
