/* template.h: the placeholders of message texts: `{name}`, with `{{` and `}}`
 * for literal braces (the python-brace-format convention of gettext).  One
 * scanner serves the compiler's checks, `incent check --po` and the
 * runtime's rendering, so all three read a text the same way. */
#ifndef INCENT_RT_TEMPLATE_H
#define INCENT_RT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum template_tok {
  TT_END,         /* nothing left */
  TT_TEXT,        /* literal text */
  TT_BRACE,       /* `{{` or `}}`: one literal brace, the first byte of the token */
  TT_PLACEHOLDER, /* `{name}`: name is the token without its braces */
  TT_BAD          /* a brace that is neither */
} template_tok;

/* The token at *pos of s[0, len): its start and length (for TT_PLACEHOLDER,
 * the name's); advances *pos past it. */
template_tok template_next(const char *s, size_t len, size_t *pos, const char **tok, size_t *toklen);

typedef void template_fn(void *ud, const char *text, size_t len, size_t offset);

/* Calls each(name, len, offset of '{') for every placeholder and bad(text,
 * len, offset) for every malformed one (either may be NULL).  Returns false
 * if any was malformed. */
bool template_scan(const char *s, size_t len, template_fn *each, template_fn *bad, void *ud);
bool template_has(const char *s, size_t len, const char *name, size_t namelen);

/* Renders s in one pass: literal text and braces go to emit(ud, bytes, n,
 * false), each placeholder's value, from value(ud, name, namelen, &n), to
 * emit(ud, value, n, true).  Values are never scanned.  Returns false, having
 * emitted part of the text, when s is malformed or value returns NULL. */
typedef const char *template_value_fn(void *ud, const char *name, size_t len, size_t *vlen);
typedef void template_emit_fn(void *ud, const char *bytes, size_t len, bool is_value);
bool template_render(const char *s, size_t len, template_value_fn *value, template_emit_fn *emit, void *ud);

#endif
