/* template.c: placeholders of message texts: scanning and one-pass rendering. */
#include "config.h"
#include "runtime/messages/template.h"

#include <string.h>

static bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

template_tok template_next(const char *s, size_t len, size_t *pos, const char **tok, size_t *toklen) {
  size_t i = *pos;
  if (i >= len) return TT_END;
  *tok = s + i;
  if (s[i] != '{' && s[i] != '}') {
    size_t j = i;
    while (j < len && s[j] != '{' && s[j] != '}') j++;
    *toklen = j - i, *pos = j;
    return TT_TEXT;
  }
  if (i + 1 < len && s[i + 1] == s[i]) {
    *toklen = 2, *pos = i + 2;
    return TT_BRACE;
  }
  if (s[i] == '}') {
    *toklen = 1, *pos = i + 1;
    return TT_BAD;
  }
  size_t j = i + 1;
  if (j < len && ident_start(s[j])) {
    while (j < len && ident_char(s[j])) j++;
    if (j < len && s[j] == '}') {
      *tok = s + i + 1, *toklen = j - i - 1, *pos = j + 1;
      return TT_PLACEHOLDER;
    }
  }
  /* a malformed placeholder: up to its closing brace, if one comes soon */
  size_t end = i + 1;
  while (end < len && s[end] != '}' && s[end] != '{' && end - i < 40) end++;
  if (end < len && s[end] == '}') end++;
  *toklen = end - i, *pos = end;
  return TT_BAD;
}

bool template_scan(const char *s, size_t len, template_fn *each, template_fn *bad, void *ud) {
  bool ok = true;
  const char *tok;
  size_t pos = 0, toklen;
  for (template_tok t; (t = template_next(s, len, &pos, &tok, &toklen)) != TT_END;) {
    if (t == TT_PLACEHOLDER && each) each(ud, tok, toklen, (size_t)(tok - 1 - s));
    if (t == TT_BAD) {
      if (bad) bad(ud, tok, toklen, (size_t)(tok - s));
      ok = false;
    }
  }
  return ok;
}

typedef struct find { const char *name; size_t len; bool found; } find;

static void match(void *ud, const char *name, size_t len, size_t off) {
  find *f = ud;
  (void)off;
  if (len == f->len && memcmp(name, f->name, len) == 0) f->found = true;
}

bool template_has(const char *s, size_t len, const char *name, size_t namelen) {
  find f = {name, namelen, false};
  template_scan(s, len, match, NULL, &f);
  return f.found;
}

bool template_render(const char *s, size_t len, template_value_fn *value, template_emit_fn *emit, void *ud) {
  const char *tok;
  size_t pos = 0, toklen;
  for (template_tok t; (t = template_next(s, len, &pos, &tok, &toklen)) != TT_END;) {
    switch (t) {
    case TT_TEXT: emit(ud, tok, toklen, false); break;
    case TT_BRACE: emit(ud, tok, 1, false); break;
    case TT_PLACEHOLDER: {
      size_t vlen;
      const char *v = value(ud, tok, toklen, &vlen);
      if (!v) return false;
      emit(ud, v, vlen, true);
      break;
    }
    default: return false;
    }
  }
  return true;
}
