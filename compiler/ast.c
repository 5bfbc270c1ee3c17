/* ast.c: construction and non-recursive destruction of syntax tree nodes. */
#include "config.h"
#include "runtime/base/util.h"
#include "compiler/ast.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
#define X(name, text) text,
  AST_KIND_LIST(X)
#undef X
};

const char *ast_kind_name(ast_kind k) {
  return (unsigned)k < AST_KIND_COUNT ? kind_names[k] : "?";
}

static ast *alloc_node(ast_kind k, const src_loc *loc) {
  ast *n = rt_calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = k;
  if (loc) n->loc = *loc;
  n->depth = 1;
  return n;
}

ast *ast_leaf(ast_kind k, const char *text, size_t len, const src_loc *loc) {
  ast *n = alloc_node(k, loc);
  if (!n) return NULL;
  n->s = rt_malloc(len + 1);
  if (!n->s) { free(n); return NULL; }
  if (len) memcpy(n->s, text, len);
  n->s[len] = '\0';
  n->slen = len;
  return n;
}

static uint32_t max_depth(const ast *a, const ast *b) {
  uint32_t x = a ? a->depth : 0, y = b ? b->depth : 0;
  return x > y ? x : y;
}

ast *ast_node(ast_kind k, int op, ast *a, ast *b, ast *c, ast *d, const src_loc *loc) {
  ast *n = alloc_node(k, loc);
  if (!n) {
    ast_free(a); ast_free(b); ast_free(c); ast_free(d);
    return NULL;
  }
  n->op = op;
  n->a = a; n->b = b; n->c = c; n->d = d;
  uint32_t m = max_depth(a, b);
  if (max_depth(c, d) > m) m = max_depth(c, d);
  n->depth = m + 1 < m ? m : m + 1;
  return n;
}

ast *ast_binop(int op, ast *l, ast *r, const src_loc *loc) {
  return ast_node(AST_BINOP, op, l, r, NULL, NULL, loc);
}

ast *ast_unop(int op, ast *x, const src_loc *loc) {
  return ast_node(AST_UNOP, op, x, NULL, NULL, NULL, loc);
}

ast *ast_list(ast *first, const src_loc *loc) {
  ast *l = alloc_node(AST_LIST, loc);
  if (!l) { ast_free(first); return NULL; }
  l->a = first;
  l->tail = first;
  if (first) l->depth = first->depth + 1;
  return l;
}

ast *ast_append(ast *list, ast *item) {
  if (!list) { ast_free(item); return NULL; }
  if (!item) return list;
  if (list->tail) list->tail->next = item;
  else list->a = item;
  list->tail = item;
  if (item->depth + 1 > list->depth) list->depth = item->depth + 1;
  if (list->loc.first_line == 0 || (list->a == item)) {
    list->loc.first_line = item->loc.first_line;
    list->loc.first_column = item->loc.first_column;
  }
  list->loc.last_line = item->loc.last_line;
  list->loc.last_column = item->loc.last_column;
  return list;
}

/* Frees without recursion and without allocating (so that freeing cannot
 * fail when memory is short): the nodes still to free are chained through
 * their `tail` field, which no node owns. */
void ast_free(ast *n) {
  if (!n) return;
  n->tail = NULL;
  ast *work = n;
  while (work) {
    ast *x = work;
    work = x->tail;
    ast *kids[5] = {x->a, x->b, x->c, x->d, x->next};
    for (int i = 0; i < 5; i++) {
      if (!kids[i]) continue;
      kids[i]->tail = work;
      work = kids[i];
    }
    free(x->s);
    free(x);
  }
}
