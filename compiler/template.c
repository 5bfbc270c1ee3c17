/* template.c: locating the placeholders of message texts in the program source. */
#include "config.h"
#include "compiler/template.h"

#include <string.h>

/* Length in decoded bytes of the escape starting at src (after the backslash
 * has been seen); sets *srclen to its length in the source. */
static size_t escape_len(const char *src, size_t avail, size_t *srclen) {
  if (avail < 2) { *srclen = avail; return 1; }
  if (src[1] != 'u') { *srclen = 2; return 1; }
  size_t k = 3;
  unsigned long cp = 0;
  while (k < avail && src[k] != '}') {
    char c = src[k];
    cp = cp * 16 + (unsigned long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    k++;
  }
  *srclen = k < avail ? k + 1 : k;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

src_loc template_loc(const diag_sink *d, const ast *str, size_t offset, size_t len) {
  src_loc l = str->loc;
  const char *line;
  size_t linelen;
  if (!diag_line(d, str->loc.first_line, &line, &linelen)) return l;
  /* the byte where the string token starts */
  size_t b = 0, col = 1;
  while (b < linelen && col < (size_t)str->loc.first_column) {
    if (((unsigned char)line[b] & 0xC0) != 0x80) col++;
    b++;
    while (b < linelen && ((unsigned char)line[b] & 0xC0) == 0x80) b++;
  }
  if (b >= linelen || line[b] != '"') return l;
  size_t src = b + 1, dec = 0;
  size_t start_src = 0;
  bool have_start = false;
  while (src < linelen) {
    if (!have_start && dec >= offset) { start_src = src; have_start = true; }
    if (have_start && dec >= offset + len) break;
    if (line[src] == '"') break;
    if (line[src] == '\\') {
      size_t sl;
      dec += escape_len(line + src, linelen - src, &sl);
      src += sl;
    } else {
      dec++;
      src++;
    }
  }
  if (!have_start) return l;
  l.first_column = (int)(utf8_chars(line, start_src) + 1);
  l.last_line = l.first_line;
  l.last_column = (int)(utf8_chars(line, src) + 1);
  return l;
}
