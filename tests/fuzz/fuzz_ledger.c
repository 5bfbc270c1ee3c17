/* fuzz_ledger.c: libFuzzer target: any bytes as a ledger file (the seeds are
 * ledgers that `incent run` wrote for the example program), opened for
 * reading with the program stored in it, then asked for statements in the
 * three formats, balances, the outbox and an explanation.  Errors are
 * answers; a crash, a leak or undefined behaviour is a finding. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "incent.h"
#include "tests/fuzz/fuzz.h"

static void balance(void *ud, const char *partner, const char *rule, long long points, const char *tier) {
  (void)ud, (void)rule, (void)points, (void)tier;
  fuzz_touch(partner);
}

static void outbox(void *ud, const incent_notification *n) {
  (void)ud;
  fuzz_touch(n->subject);
  fuzz_touch(n->text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[200], wal[210], shm[210];
  if (!path[0]) {
    snprintf(path, sizeof path, "%s/ledger", fuzz_dir());
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
  }
  unlink(wal);
  unlink(shm);
  if (!fuzz_write(path, data, size)) abort();
  incent_ledger *l;
  char why[512];
  if (incent_ledger_open(path, NULL, 0, &l, why, sizeof why) != INCENT_OK) return 0;
  incent_messages *m;
  if (incent_messages_load(incent_ledger_table(l), NULL, NULL, &m, why, sizeof why) == INCENT_OK) {
    static const char *const periods[] = {"2027", "program", "2027-Q1", "2027-02"};
    for (int f = INCENT_FORMAT_TEXT; f <= INCENT_FORMAT_JSON; f++) { /* detailed in text and JSON */
      incent_statement_options o = {NULL, periods[f], (incent_format)f, "2027-06-30", f != INCENT_FORMAT_HTML};
      incent_ledger_statements(l, m, &o, fuzz_discard, NULL, why, sizeof why);
    }
    incent_statement_options one = {"ada", periods[3], INCENT_FORMAT_HTML, "2027-06-30", 1};
    incent_ledger_statements(l, m, &one, fuzz_discard, NULL, why, sizeof why);
    incent_messages_free(m);
  }
  incent_ledger_balances(l, NULL, NULL, balance, NULL, why, sizeof why);
  incent_ledger_balances(l, "ada", "2027-Q1", balance, NULL, why, sizeof why);
  incent_ledger_outbox(l, outbox, NULL, why, sizeof why);
  incent_ledger_explain(l, "s2", fuzz_discard, NULL, why, sizeof why);
  incent_ledger_close(l, why, sizeof why);
  return 0;
}
