/* fmt.c: the canonical layout of a program's source: its tokens and comments kept, the white space between them rewritten. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/fmt.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

/* The scanner here only splits the text as grammar/lexer.l does (the
 * program parsed before it is formatted); it keeps comments and counts the
 * line breaks before each token, which the parser's scanner discards. */
typedef enum tok_kind { T_WORD, T_NUMBER, T_STRING, T_OP, T_PUNCT, T_COMMENT } tok_kind;

typedef struct tok {
  tok_kind kind;
  const char *s;
  size_t len;
  int breaks; /* line breaks between the token before and this one */
} tok;

static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) || c == '_' || (unsigned char)c >= 0x80;
}

/* The length of n digits at s (bounded by end), or 0. */
static size_t digits(const char *s, const char *end, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s + i >= end || !digit(s[i])) return 0;
  return n;
}

/* A date, a time stamp or a number at s: its length. */
static size_t number_len(const char *s, const char *end) {
  const char *p = s;
  if (digits(p, end, 4) && p + 4 < end && p[4] == '-' && digits(p + 5, end, 2) && p + 7 < end && p[7] == '-' &&
      digits(p + 8, end, 2)) {
    p += 10; /* a date, perhaps a time: T12:30(:00)(Z|+01:00) */
    if (p < end && *p == 'T' && digits(p + 1, end, 2) && p + 3 < end && p[3] == ':' && digits(p + 4, end, 2)) {
      p += 6;
      if (p < end && *p == ':' && digits(p + 1, end, 2)) p += 3;
      if (p < end && *p == 'Z') p++;
      else if (p < end && (*p == '+' || *p == '-') && digits(p + 1, end, 2) && p + 3 < end && p[3] == ':' &&
               digits(p + 4, end, 2))
        p += 6;
    }
    return (size_t)(p - s);
  }
  while (p < end && (digit(*p) || *p == '_')) p++;
  if (p + 1 < end && *p == '.' && digit(p[1])) {
    p++;
    while (p < end && (digit(*p) || *p == '_')) p++;
  }
  if (p < end && *p == '%') p++;
  return (size_t)(p - s);
}

/* The tokens of src; NULL out of memory. */
static tok *scan(const char *s, size_t len, size_t *n) {
  const char *end = s + len;
  tok *toks = NULL;
  size_t cap = 0;
  *n = 0;
  int breaks = 0;
  while (s < end) {
    char c = *s;
    if (c == '\n') { breaks++; s++; continue; }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') { s++; continue; }
    tok t = {T_PUNCT, s, 1, breaks};
    if (c == '#') {
      t.kind = T_COMMENT;
      while (s + t.len < end && s[t.len] != '\n') t.len++;
      while (t.len > 1 && (s[t.len - 1] == ' ' || s[t.len - 1] == '\t' || s[t.len - 1] == '\r')) t.len--;
    } else if (c == '"') {
      t.kind = T_STRING;
      while (s + t.len < end && s[t.len] != '"' && s[t.len] != '\n') t.len += s[t.len] == '\\' && s + t.len + 1 < end ? 2 : 1;
      if (s + t.len < end && s[t.len] == '"') t.len++;
    } else if (digit(c)) {
      t.kind = T_NUMBER;
      t.len = number_len(s, end);
    } else if (word_char(c)) {
      t.kind = T_WORD;
      while (s + t.len < end && word_char(s[t.len])) t.len++;
    } else if (strchr("+-*/=<>!.", c)) {
      t.kind = T_OP;
      if (s + 1 < end && s[1] == '=' && strchr("!<>=", c)) t.len = 2;
    }
    if (!rt_grow((void **)&toks, &cap, *n + 1, sizeof *toks)) {
      free(toks);
      return NULL;
    }
    toks[(*n)++] = t;
    s += t.len;
    /* a comment ends at its line's end: the break after it is the next token's */
    breaks = 0;
  }
  return toks;
}

static bool is(const tok *t, const char *text) { return t && t->len == strlen(text) && memcmp(t->s, text, t->len) == 0; }

/* The language's keywords (grammar/keywords.h), but for the values true and false. */
static bool keyword(const tok *t) {
  static const char *const words[] = {
#define KW(text, token) text,
#include "grammar/keywords.h"
#undef KW
  };
  if (t->kind != T_WORD || is(t, "true") || is(t, "false")) return false;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (is(t, words[i])) return true;
  return false;
}

/* Whether a '-' after prev is a sign rather than a subtraction. */
static bool sign_after(const tok *prev) {
  return !prev || prev->kind == T_OP || (prev->kind == T_PUNCT && !is(prev, ")")) || keyword(prev);
}

/* An operator between two operands: a line that ends with one, or starts with one, continues an expression. */
static bool binary(const tok *t) {
  return (t->kind == T_OP && !is(t, ".")) || is(t, "and") || is(t, "or");
}

char *fmt_source(const char *src, size_t len, size_t *out_len) {
  textbuf out = {0};
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { /* a byte order mark stays first */
    text_put(&out, src, 3);
    src += 3, len -= 3;
  }
  size_t n;
  tok *toks = scan(src, len, &n);
  if (!toks && n) return NULL;
  int depth = 0, parens = 0;
  const tok *prev = NULL, *line_last = NULL;
  bool signed_minus = false; /* prev is a '-' that signs what follows */
  for (size_t i = 0; i < n; i++) {
    const tok *t = &toks[i];
    if (prev && t->breaks > 0) {
      /* at most one blank line, none at a block's opening or closing */
      bool blank = t->breaks > 1 && !is(prev, "{") && !is(t, "}");
      text_put(&out, blank ? "\n\n" : "\n", blank ? 2 : 1);
      int indent = depth - (is(t, "}") ? 1 : 0);
      bool continues = parens > 0 || t->kind == T_STRING || (t->kind != T_COMMENT && binary(t)) ||
                       (line_last && line_last->kind != T_COMMENT && binary(line_last) && !signed_minus);
      if (continues && t->kind != T_COMMENT) indent++;
      for (int k = 0; k < indent; k++) text_put(&out, "  ", 2);
    } else if (prev) {
      bool space = true;
      if (t->kind == T_COMMENT) text_put(&out, " ", 1); /* two spaces before a comment at a line's end */
      else if (is(t, ",") || is(t, ")") || is(prev, "(") || is(t, ".") || is(prev, ".") || signed_minus)
        space = false;
      else if (is(t, "(") && (is(prev, "min") || is(prev, "max") || is(prev, "floor")))
        space = false;
      if (space) text_put(&out, " ", 1);
    }
    text_put(&out, t->s, t->len);
    signed_minus = is(t, "-") && sign_after(prev);
    if (is(t, "{")) depth++;
    else if (is(t, "}") && depth > 0) depth--;
    else if (is(t, "(")) parens++;
    else if (is(t, ")") && parens > 0) parens--;
    prev = t;
    line_last = i + 1 < n && toks[i + 1].breaks > 0 ? t : line_last;
    if (i + 1 < n && toks[i + 1].breaks > 0 && t->kind == T_COMMENT) {
      /* a comment closing a line: what the line continues is the token before it */
      line_last = i > 0 && toks[i].breaks == 0 ? &toks[i - 1] : NULL;
    }
  }
  if (prev) text_put(&out, "\n", 1);
  free(toks);
  if (out.oom) {
    text_free(&out);
    return NULL;
  }
  *out_len = out.len;
  return out.s ? out.s : rt_strdup(""); /* the buffer is the caller's now */
}
