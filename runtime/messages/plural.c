/* plural.c: Plural-Forms expressions: a recursive-descent parser with
 * gettext's grammar and precedence (?: || && ==,!= <,>,<=,>= +,- *,/,% !)
 * building a node array, and its evaluation. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/messages/plural.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { P_NUM, P_N, P_NOT, P_MUL, P_DIV, P_MOD, P_ADD, P_SUB, P_LT, P_GT, P_LE, P_GE, P_EQ, P_NE,
               P_AND, P_OR, P_COND } p_op;

typedef struct p_node { p_op op; unsigned long num; int a, b, c; } p_node;

struct plural_expr { p_node *nodes; int n, cap, root; };

typedef struct parser {
  const char *s;
  size_t i;
  int depth;
  plural_expr *e;
  const char *error;
} parser;

#define MAX_DEPTH 64   /* parentheses and ?: nested */
#define MAX_NODES 1000 /* real rules have a few dozen */

static void skip(parser *p) {
  while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r') p->i++;
}

static bool eat(parser *p, const char *tok) {
  skip(p);
  size_t n = strlen(tok);
  if (strncmp(p->s + p->i, tok, n) != 0) return false;
  /* "=" is not the start of "==", "<" not of "<=", "|" and "&" come doubled */
  if (n == 1 && (tok[0] == '<' || tok[0] == '>' || tok[0] == '!') && p->s[p->i + 1] == '=') return false;
  p->i += n;
  return true;
}

static int node(parser *p, p_op op, unsigned long num, int a, int b, int c) {
  if (p->error) return -1;
  if (p->e->n >= MAX_NODES) { p->error = "the expression is too long"; return -1; }
  if (p->e->n == p->e->cap) {
    int cap = p->e->cap ? 2 * p->e->cap : 16;
    p_node *nn = rt_realloc(p->e->nodes, (size_t)cap * sizeof *nn);
    if (!nn) { p->error = "out of memory"; return -1; }
    p->e->nodes = nn, p->e->cap = cap;
  }
  p->e->nodes[p->e->n] = (p_node){op, num, a, b, c};
  return p->e->n++;
}

static int cond(parser *p);

static int primary(parser *p) {
  if (++p->depth > MAX_DEPTH) { p->error = "the expression nests too deeply"; return -1; }
  int r = -1;
  skip(p);
  char c = p->s[p->i];
  if (c == '(') {
    p->i++;
    r = cond(p);
    if (!p->error && !eat(p, ")")) p->error = "a ')' is missing";
  } else if (c == '!') {
    p->i++;
    int x = primary(p);
    r = node(p, P_NOT, 0, x, -1, -1);
  } else if (c == 'n') {
    p->i++;
    r = node(p, P_N, 0, -1, -1, -1);
  } else if (c >= '0' && c <= '9') {
    unsigned long v = 0;
    while (p->s[p->i] >= '0' && p->s[p->i] <= '9') {
      if (v > (unsigned long)-1 / 10) { p->error = "a number is too large"; break; }
      v = v * 10 + (unsigned long)(p->s[p->i++] - '0');
    }
    r = node(p, P_NUM, v, -1, -1, -1);
  } else {
    p->error = "a number, 'n', '!' or '(' was expected";
  }
  p->depth--;
  return p->error ? -1 : r;
}

/* Binary levels, loosest last; each entry: token, operator. */
typedef struct level { const char *tok[4]; p_op op[4]; } level;
static const level levels[] = {
  {{"*", "/", "%", NULL}, {P_MUL, P_DIV, P_MOD}},
  {{"+", "-", NULL}, {P_ADD, P_SUB}},
  {{"<=", ">=", "<", ">"}, {P_LE, P_GE, P_LT, P_GT}},
  {{"==", "!=", NULL}, {P_EQ, P_NE}},
  {{"&&", NULL}, {P_AND}},
  {{"||", NULL}, {P_OR}},
};

static int binary(parser *p, int lv) {
  int l = lv < 0 ? primary(p) : binary(p, lv - 1);
  while (!p->error && lv >= 0) {
    int k = 0;
    while (k < 4 && levels[lv].tok[k] && !eat(p, levels[lv].tok[k])) k++;
    if (k == 4 || !levels[lv].tok[k]) break;
    int r = binary(p, lv - 1);
    l = node(p, levels[lv].op[k], 0, l, r, -1);
  }
  return p->error ? -1 : l;
}

static int cond(parser *p) {
  if (++p->depth > MAX_DEPTH) { p->error = "the expression nests too deeply"; return -1; }
  int c = binary(p, (int)(sizeof levels / sizeof *levels) - 1), r = c;
  if (!p->error && eat(p, "?")) {
    int a = cond(p);
    if (!p->error && !eat(p, ":")) p->error = "a ':' is missing";
    int b = p->error ? -1 : cond(p);
    r = node(p, P_COND, 0, c, a, b);
  }
  p->depth--;
  return p->error ? -1 : r;
}

bool plural_parse(const char *forms, plural_expr **out, unsigned long *nplurals, char *why, size_t whylen) {
  *out = NULL;
  const char *np = strstr(forms, "nplurals="), *pl = strstr(forms, "plural=");
  if (pl && np && pl == np + 2) pl = strstr(np + 9, "plural="); /* "plural=" inside "nplurals=" */
  if (!np || !pl) {
    snprintf(why, whylen, "it needs both 'nplurals=' and 'plural='");
    return false;
  }
  char *end;
  unsigned long count = strtoul(np + 9, &end, 10);
  if (end == np + 9 || count < 1 || count > 100) {
    snprintf(why, whylen, "'nplurals' must be a number from 1 to 100");
    return false;
  }
  plural_expr *e = rt_calloc(1, sizeof *e);
  if (!e) return snprintf(why, whylen, "out of memory"), false;
  parser p = {pl + 7, 0, 0, e, NULL};
  e->root = cond(&p);
  skip(&p);
  if (!p.error && p.s[p.i] != ';' && p.s[p.i] != '\0') p.error = "unexpected text after the expression";
  if (p.error) {
    snprintf(why, whylen, "'plural=': %s at \"%.20s\"", p.error, p.s + p.i);
    plural_free(e);
    return false;
  }
  *out = e;
  *nplurals = count;
  return true;
}

/* A walk of the tree, as gettext's: ?:, && and || evaluate only the side
 * they need.  It recurses at most as deep as the expression has nodes
 * (MAX_NODES). */
static unsigned long eval(const plural_expr *e, int i, unsigned long n) {
  const p_node *x = &e->nodes[i];
  switch (x->op) {
  case P_NUM: return x->num;
  case P_N: return n;
  case P_NOT: return !eval(e, x->a, n);
  case P_COND: return eval(e, x->a, n) ? eval(e, x->b, n) : eval(e, x->c, n);
  case P_AND: return eval(e, x->a, n) && eval(e, x->b, n);
  case P_OR: return eval(e, x->a, n) || eval(e, x->b, n);
  default: break;
  }
  unsigned long l = eval(e, x->a, n), r = eval(e, x->b, n);
  switch (x->op) {
  case P_MUL: return l * r;
  case P_DIV: return r ? l / r : 0;
  case P_MOD: return r ? l % r : 0;
  case P_ADD: return l + r;
  case P_SUB: return l - r;
  case P_LT: return l < r;
  case P_GT: return l > r;
  case P_LE: return l <= r;
  case P_GE: return l >= r;
  case P_EQ: return l == r;
  case P_NE: return l != r;
  default: return 0;
  }
}

unsigned long plural_eval(const plural_expr *e, unsigned long n) { return eval(e, e->root, n); }

void plural_free(plural_expr *e) {
  if (!e) return;
  free(e->nodes);
  free(e);
}

/* ---- The plural rule each language needs ----
 * gettext's own rules (msginit's, from its CLDR table), compared by value
 * over counts 0 to 10,000 and a few large ones, so an equivalent expression
 * written differently passes. */
typedef struct plural_rule { const char *langs, *forms; } plural_rule;
static const plural_rule rules[] = {
  {" en de nl it es pt sv da nb nn no fi et el hu bg ca eu gl tr he eo af sq ",
   "nplurals=2; plural=(n != 1);"},
  {" fr pt_BR ", "nplurals=2; plural=(n > 1);"},
  {" ja zh zh_CN zh_TW zh_HK ko vi th id ms ", "nplurals=1; plural=0;"},
  {" pl ", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"},
  {" ru uk be hr sr bs ", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"},
  {" cs sk ", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"},
  {" ro ", "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;"},
  {" lt ", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);"},
  {" lv ", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);"},
  {" sl ", "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);"},
  {" ar ", "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"},
};

/* Other rules that suit a language as well: CLDR's, as tools that take
 * their rules from CLDR (rather than from gettext's msginit) write them, in
 * CLDR's order of forms (Latvian's zero first; Hebrew's one, two, many). */
static const plural_rule cldr_rules[] = {
  {" lv ", "nplurals=3; plural=(n % 10 == 0 || n % 100 >= 11 && n % 100 <= 19) ? 0 : ((n % 10 == 1 && n % 100 != 11) ? 1 : 2);"},
  {" he ", "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));"},
  {" he ", "nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);"},
};

/* The expected Plural-Forms of lang: its own entry, else its language part's. */
const char *plural_expected(const char *lang) {
  char key[40], base[40];
  snprintf(key, sizeof key, " %s ", lang);
  snprintf(base, sizeof base, " %.*s ", (int)strcspn(lang, "_@."), lang);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
      if (strstr(rules[i].langs, pass ? base : key)) return rules[i].forms;
  return NULL;
}

static bool same_rule(const plural_expr *a, unsigned long na, const plural_expr *b, unsigned long nb) {
  if (na != nb) return false;
  static const unsigned long big[] = {100000, 1000001, 4294967295ul, 4294967296ul};
  for (unsigned long n = 0; n <= 10000; n++)
    if (plural_eval(a, n) != plural_eval(b, n)) return false;
  for (size_t i = 0; i < sizeof big / sizeof *big; i++)
    if (plural_eval(a, big[i]) != plural_eval(b, big[i])) return false;
  return true;
}

/* Whether rule have (of nhave forms) is one of CLDR's for lang. */
static bool cldr_rule(const char *lang, const plural_expr *have, unsigned long nhave) {
  char key[40], base[40], why[200];
  snprintf(key, sizeof key, " %s ", lang);
  snprintf(base, sizeof base, " %.*s ", (int)strcspn(lang, "_@."), lang);
  for (size_t i = 0; i < sizeof cldr_rules / sizeof *cldr_rules; i++) {
    if (!strstr(cldr_rules[i].langs, key) && !strstr(cldr_rules[i].langs, base)) continue;
    plural_expr *e = NULL;
    unsigned long n = 0;
    bool same = plural_parse(cldr_rules[i].forms, &e, &n, why, sizeof why) && same_rule(have, nhave, e, n);
    plural_free(e);
    if (same) return true;
  }
  return false;
}


bool plural_suits(const char *lang, const plural_expr *have, unsigned long nhave) {
  const char *expect = plural_expected(lang);
  if (!expect) return true; /* a rule incent does not know: nothing to say against it */
  plural_expr *want = NULL;
  unsigned long nwant = 0;
  char why[200];
  bool same = plural_parse(expect, &want, &nwant, why, sizeof why) && same_rule(have, nhave, want, nwant);
  plural_free(want);
  return same || cldr_rule(lang, have, nhave);
}
