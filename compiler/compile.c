/* compile.c: runs the parser and the checks in order, then the emitter. */
#include "config.h"
#include "compiler/compile.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "grammar/parse.h"
#include "runtime/base/util.h"

bool compile_check(compile_unit *u, const char *file, const char *src, size_t len) {
  memset(u, 0, sizeof *u);
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { /* editors add a byte order mark: not part of the program */
    src += 3;
    len -= 3;
  }
  long failures = rt_alloc_failures();
  diag_init(&u->diag, file, src, len);
  u->tree = grammar_parse(src, len, &u->diag);
  if (!u->tree || u->diag.errors || rt_alloc_failures() != failures) {
    /* checks on a broken tree would only echo the syntax errors, or what was lost */
    u->oom = rt_alloc_failures() != failures;
    diag_sort(&u->diag);
    return false;
  }
  c_program *p = &u->prog;
  p->file = file;
  p->diag = &u->diag;
  p->root = u->tree;
  /* each check reads what the ones before built: none runs after memory ran out */
  void (*const checks[])(c_program *) = {check_declarations, check_messages_collect, check_rules, check_messages,
                                         check_tests};
  for (size_t i = 0; i < sizeof checks / sizeof *checks && rt_alloc_failures() == failures; i++) checks[i](p);
  /* the emitter knows the table format's limits: running it is how `check` reports them all */
  if (u->diag.errors == 0 && rt_alloc_failures() == failures && !emit_table(p, &u->table, &u->table_len))
    u->table = NULL;
  diag_sort(&u->diag);
  u->oom = rt_alloc_failures() != failures;
  return u->diag.errors == 0 && !u->oom;
}

bool compile_emit(compile_unit *u, unsigned char **table, size_t *len) {
  if (u->diag.errors || u->oom) return false;
  if (u->table) {
    *table = u->table;
    *len = u->table_len;
    u->table = NULL;
    return true;
  }
  long failures = rt_alloc_failures();
  bool ok = emit_table(&u->prog, table, len);
  if (rt_alloc_failures() != failures) {
    u->oom = true;
    if (ok) free(*table), *table = NULL;
    ok = false;
  }
  return ok;
}

bool compile_emit_probed(compile_unit *u, unsigned char **table, size_t *len, emit_probe **probes, uint32_t *nprobes) {
  if (u->diag.errors || u->oom) return false;
  long failures = rt_alloc_failures();
  bool ok = emit_table_probed(&u->prog, table, len, probes, nprobes);
  if (rt_alloc_failures() != failures) {
    u->oom = true;
    if (ok) free(*table), free(*probes), *table = NULL, *probes = NULL;
    ok = false;
  }
  return ok;
}

void compile_unit_free(compile_unit *u) {
  free(u->table);
  program_free(&u->prog);
  ast_free(u->tree);
  diag_free(&u->diag);
  memset(u, 0, sizeof *u);
}
