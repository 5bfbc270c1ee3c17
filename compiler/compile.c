/* compile.c: runs the parser and the checks in order, then the emitter. */
#include "config.h"
#include "compiler/compile.h"

#include <string.h>

#include "compiler/emit.h"
#include "grammar/parse.h"

bool compile_check(compile_unit *u, const char *file, const char *src, size_t len) {
  memset(u, 0, sizeof *u);
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
  diag_sort(&u->diag);
  return u->diag.errors == 0;
}

bool compile_emit(compile_unit *u, unsigned char **table, size_t *len) {
  if (u->diag.errors) return false;
  return emit_table(&u->prog, table, len);
}

void compile_unit_free(compile_unit *u) {
  program_free(&u->prog);
  ast_free(u->tree);
  diag_free(&u->diag);
  memset(u, 0, sizeof *u);
}
