/* fuzz_input.c: libFuzzer target: any bytes as a partners file, an events CSV or JSON Lines (FUZZ_INPUT picks which), read by programs/input.c and rows.c and applied to an engine. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "incent.h"
#include "programs/input.h"
#include "programs/rows.h"
#include "tests/fuzz/fuzz.h"

#ifndef FUZZ_INPUT
#define FUZZ_INPUT 0 /* 0 events as CSV, 1 events as JSON Lines, 2 partners */
#endif

/* Every type of field and attribute, so that every parser of values runs. */
static const char program[] =
  "program p \"P\" { currency EUR runs 2027-01-01 to 2027-12-31 }\n"
  "partner { region one of (emea, apac), certified bool, since date, rate decimal, quota money, seats int }\n"
  "event sale { amount money, units int, product text, channel one of (web, shop), promo bool, sold date,"
  " share decimal, referrer partner }\n"
  "event cert { level int }\n"
  "tiers by points per year { member \"Member\" from 0 gold \"Gold\" from 1000 multiplier 1.5 }\n"
  "rule r \"R\" { on sale when units > 0 and partner.region = emea award 1 point per 1 EUR of amount"
  " cap 10_000 points per partner per month }\n"
  "rule c \"C\" { on cert award level * 10 points limit 3 times per partner per year }\n"
  "rule g \"G\" { on sale when promo award 5 points to referrer }\n";

static incent_table *table;

static void init(void) {
  compile_unit u;
  unsigned char *bytes = NULL;
  size_t len = 0;
  if (!compile_check(&u, "fuzz.incent", program, sizeof program - 1) || !compile_emit(&u, &bytes, &len) ||
      incent_table_load(bytes, len, &table, NULL, 0) != INCENT_OK) {
    diag_render_text(&u.diag, false, stderr);
    abort();
  }
  free(bytes);
  compile_unit_free(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!table) init();
  if (size == 0) return 0;
  FILE *f = fmemopen((void *)data, size, "rb");
  if (!f) return 0;
  incent_engine *e;
  char why[512];
  if (incent_engine_new(table, &e, why, sizeof why) != INCENT_OK) abort();
  static const char *const ann[] = {"ann", "Ann", "en", "DE", "", "emea", "true", "2026-05-01", "1.5", "10", "3"};
  static const char *const bob[] = {"bob", "Bob", "de", "DE", "gold", "apac", "false", "", "", "", ""};
  if (incent_engine_partner(e, ann, 11, why, sizeof why) != INCENT_OK ||
      incent_engine_partner(e, bob, 11, why, sizeof why) != INCENT_OK)
    abort();
  const char *const *header;
  size_t nheader;
  bool jsonl;
  input_format format = FUZZ_INPUT == 1 ? INPUT_JSONL : INPUT_CSV;
  input *in = input_open(f, "fuzz", format, &jsonl, &header, &nheader, why, sizeof why);
  rows_map *m = NULL;
  if (in && !jsonl && nheader) m = rows_map_new(table, FUZZ_INPUT == 2, "fuzz", header, nheader, why, sizeof why);
  input_row r;
  while (in && (jsonl || m) && input_next(in, &r, why, sizeof why) == 1) {
    if (r.len > INPUT_MAX_ROW) abort();                     /* a row is never longer than the limit */
    if (r.problem) continue;
    if (!jsonl && r.n != nheader) abort();                    /* a row that is read has the header's width */
    if (memchr(r.line, '\0', r.len)) abort();                 /* and no NUL */
    const char *values[ROWS_MAX_VALUES];
    incent_event ev;
    if (FUZZ_INPUT == 2) {
      int n = rows_partner(m, &r, values);
      incent_engine_partner(e, values, n, why, sizeof why);
      continue;
    }
    void *hold = NULL;
    if (jsonl ? rows_event_json(table, &r, &ev, values, &hold, why, sizeof why) == 1
              : (rows_event_csv(m, &r, &ev, values), true))
      incent_engine_apply(e, &ev, NULL, why, sizeof why);
    if (jsonl) rows_json_release(hold);
  }
  rows_map_free(m);
  input_free(in);
  incent_engine_free(e);
  fclose(f);
  return 0;
}
