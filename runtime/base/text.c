/* text.c: text buffers, escaping, and the direction of text. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(textbuf *b, size_t more) {
  if (b->oom) return false;
  if (b->len + more + 1 <= b->cap) return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + more + 1) cap *= 2;
  char *s = rt_realloc(b->s, cap);
  if (!s) return b->oom = true, false;
  b->s = s;
  b->cap = cap;
  return true;
}

void text_put(textbuf *b, const char *s, size_t n) {
  if (!reserve(b, n)) return;
  if (n) memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void text_puts(textbuf *b, const char *s) { text_put(b, s, strlen(s)); }

void text_printf(textbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void text_json(textbuf *b, const char *s, size_t n) {
  text_put(b, "\"", 1);
  size_t run = 0; /* bytes copied as they are, in one go */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    text_put(b, s + run, i - run);
    run = i + 1;
    switch (c) {
    case '"': text_put(b, "\\\"", 2); break;
    case '\\': text_put(b, "\\\\", 2); break;
    case '\n': text_put(b, "\\n", 2); break;
    case '\r': text_put(b, "\\r", 2); break;
    case '\t': text_put(b, "\\t", 2); break;
    default: text_printf(b, "\\u%04x", c);
    }
  }
  text_put(b, s + run, n - run);
  text_put(b, "\"", 1);
}

void text_html(textbuf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    const char *esc;
    switch (s[i]) {
    case '&': esc = "&amp;"; break;
    case '<': esc = "&lt;"; break;
    case '>': esc = "&gt;"; break;
    case '"': esc = "&quot;"; break;
    case '\'': esc = "&#39;"; break;
    default: continue;
    }
    text_put(b, s + run, i - run);
    text_puts(b, esc);
    run = i + 1;
  }
  text_put(b, s + run, n - run);
}

const char *text_str(const textbuf *b) { return b->s && !b->oom ? b->s : ""; }

void text_clear(textbuf *b) {
  b->len = 0;
  if (b->s) b->s[0] = '\0';
}

void text_free(textbuf *b) {
  free(b->s);
  *b = (textbuf){0};
}

/* The code point at s[*i], advancing *i; an invalid byte reads as itself. */
static unsigned long next_cp(const unsigned char *s, size_t n, size_t *i) {
  unsigned long c = s[*i];
  int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (*i + (size_t)more >= n) more = 0;
  (*i)++;
  if (!more) return c;
  c &= 0x3F >> more;
  for (int k = 0; k < more; k++) {
    if ((s[*i] & 0xC0) != 0x80) return 0xFFFD;
    c = c << 6 | (s[(*i)++] & 0x3F);
  }
  return c;
}

static bool is_bidi_control(unsigned long c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

unsigned long text_bidi_control(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned long c = next_cp((const unsigned char *)s, n, &i);
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return c;
  }
  return 0;
}

bool text_control(const char *s, size_t n, unsigned long *c) {
  for (size_t i = 0; i < n;) {
    unsigned long x = next_cp((const unsigned char *)s, n, &i);
    if (x < 0x20 || (x >= 0x7F && x <= 0x9F)) {
      *c = x;
      return true;
    }
  }
  return false;
}

bool text_needs_isolation(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    unsigned long c = next_cp((const unsigned char *)s, n, &i);
    if ((c >= 0x0660 && c <= 0x066C) || (c >= 0x06F0 && c <= 0x06F9)) continue; /* Arabic digits: numbers, not letters */
    if (is_bidi_control(c) || (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
        (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) || (c >= 0x1E800 && c <= 0x1EFFF))
      return true;
  }
  return false;
}

bool text_language_code(const char *s) {
  size_t n = strlen(s), i = 0;
  while (i < n && s[i] >= 'a' && s[i] <= 'z') i++;
  if (i < 2 || i > 3) return false;
  if (i == n) return true;
  return n == i + 3 && s[i] == '_' && s[i + 1] >= 'A' && s[i + 1] <= 'Z' && s[i + 2] >= 'A' && s[i + 2] <= 'Z';
}

bool text_rtl_language(const char *language) {
  static const char *const rtl[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi"};
  size_t len = strcspn(language, "_-@.");
  for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
    if (strlen(rtl[i]) == len && strncmp(rtl[i], language, len) == 0) return true;
  return false;
}

size_t text_utf8_len(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  if (n == 0) return 0;
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned long cp;
  if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
  else return 0;
  if (len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (s[k] & 0x3F);
  }
  static const unsigned long min[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

size_t text_utf8_invalid(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if ((unsigned char)s[i] < 0x80) { /* the common case, a byte at a time */
      i++;
      continue;
    }
    size_t len = text_utf8_len(s + i, n - i);
    if (!len) return i;
    i += len;
  }
  return n;
}

bool text_id_forbidden(const char *s, size_t n, unsigned long *cp) {
  unsigned long c = 0;
  if (!text_control(s, n, &c) && !(c = text_bidi_control(s, n))) return false;
  if (cp) *cp = c;
  return true;
}

void text_escaped(textbuf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t len = c < 0x80 ? 1 : text_utf8_len(s + i, n - i);
    unsigned long cp = 0;
    bool escape = len == 0 || c < 0x20 || c == 0x7F;
    if (!escape && len > 1) {
      size_t k = i;
      cp = next_cp((const unsigned char *)s, n, &k);
      escape = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }
    if (!escape) {
      i += len;
      continue;
    }
    text_put(b, s + run, i - run);
    if (len <= 1) text_printf(b, "\\x%02X", c);
    else text_printf(b, "\\u{%04lX}", cp);
    i += len ? len : 1;
    run = i;
  }
  text_put(b, s + run, n - run);
}

void text_bcp47(textbuf *b, const char *language) {
  for (const char *p = language; *p && *p != '@' && *p != '.'; p++) {
    char c = *p == '_' ? '-' : *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') text_put(b, &c, 1);
  }
}
