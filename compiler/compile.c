/* compile.c: runs the parser and the checks in order, then the emitter. */
#include "config.h"
#include "compiler/compile.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/emit.h"
#include "grammar/parse.h"

bool compile_check(compile_unit *u, const char *file, const char *src, size_t len) {
  memset(u, 0, sizeof *u);
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { /* editors add a byte order mark: not part of the program */
    src += 3;
    len -= 3;
  }
  diag_init(&u->diag, file, src, len);
  u->tree = grammar_parse(src, len, &u->diag);
  if (!u->tree || u->diag.errors) { /* checks on a broken tree would only echo the syntax errors */
    diag_sort(&u->diag);
    return false;
  }
  c_program *p = &u->prog;
  p->file = file;
  p->diag = &u->diag;
  p->root = u->tree;
  check_declarations(p);
  check_messages_collect(p);
  check_rules(p);
  check_messages(p);
  check_tests(p);
  /* the emitter knows the table format's limits: running it is how `check` reports them all */
  if (u->diag.errors == 0 && !emit_table(p, &u->table, &u->table_len)) u->table = NULL;
  diag_sort(&u->diag);
  return u->diag.errors == 0;
}

bool compile_emit(compile_unit *u, unsigned char **table, size_t *len) {
  if (u->diag.errors) return false;
  if (u->table) {
    *table = u->table;
    *len = u->table_len;
    u->table = NULL;
    return true;
  }
  return emit_table(&u->prog, table, len); /* the first try ran out of memory */
}

void compile_unit_free(compile_unit *u) {
  free(u->table);
  program_free(&u->prog);
  ast_free(u->tree);
  diag_free(&u->diag);
  memset(u, 0, sizeof *u);
}
