/* text.h: growing text buffers, escaping for JSON and HTML, and the
 * direction of Unicode text: what the renderers of notifications and
 * statements, and the catalog checks, share. */
#ifndef INCENT_TEXT_H
#define INCENT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A NUL-terminated text that grows; oom is set, and further writes are
 * dropped, when memory runs out.  Zero-initialise; text_free releases. */
typedef struct textbuf {
  char *s;
  size_t len, cap;
  bool oom;
} textbuf;

void text_put(textbuf *b, const char *s, size_t n);
void text_puts(textbuf *b, const char *s);
void text_printf(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s[0, n) as a JSON string, quotes included. */
void text_json(textbuf *b, const char *s, size_t n);
/* s[0, n) as HTML text: & < > " ' escaped. */
void text_html(textbuf *b, const char *s, size_t n);
/* The text so far ("" when empty). */
const char *text_str(const textbuf *b);
void text_clear(textbuf *b);
void text_free(textbuf *b);

/* The first bidi embedding, override or isolate in s[0, n) (U+202A-U+202E,
 * U+2066-U+2069), or 0: what reorders the text around it, and so has no
 * place in a translation.  The marks (ALM U+061C, LRM U+200E, RLM U+200F)
 * only set the direction of neutral characters next to them, which is
 * what a translator into Arabic or Hebrew needs them for. */
unsigned long text_bidi_control(const char *s, size_t n);
/* Whether s[0, n) holds a control character (Unicode's Cc: C0, DEL and C1,
 * U+0000-U+001F and U+007F-U+009F; a byte that is not UTF-8 reads as
 * itself), with the first in *c: what a one-line text (a subject, which
 * becomes an e-mail header, or a title) must not hold. */
bool text_control(const char *s, size_t n, unsigned long *c);
/* Whether s[0, n) holds a right-to-left letter (Hebrew, Arabic, Syriac,
 * Thaana, N'Ko... and their presentation forms) or a bidi control: text
 * that must be isolated so as not to reorder what surrounds it. */
bool text_needs_isolation(const char *s, size_t n);
/* The length (1 to 4) of the valid UTF-8 sequence at s[0, n), or 0 when
 * the bytes there are not one (overlong forms and surrogates included). */
size_t text_utf8_len(const char *s, size_t n);
/* The offset of the first byte of s[0, n) that is not valid UTF-8, or n. */
size_t text_utf8_invalid(const char *s, size_t n);
/* Whether valid UTF-8 s[0, n) holds a character that an identifier must not:
 * a C0 or C1 control, or a bidi embedding, override or isolate
 * (U+202A-U+202E, U+2066-U+2069); the first one in *cp. */
bool text_id_forbidden(const char *s, size_t n, unsigned long *cp);
/* s[0, n) for a terminal: C0 and C1 controls, DEL and bidi embeddings,
 * overrides and isolates written as \xHH or \u{HHHH}, and so is a byte
 * that is not UTF-8; everything else as it is. */
void text_escaped(textbuf *b, const char *s, size_t n);
/* Whether s is a language code as programs declare them: two or three
 * lower-case letters, then optionally '_' and two capitals (de, pt_BR).  The
 * compiler and the table loader both ask, so a code becomes a path segment
 * of a catalog only when it is one of these. */
bool text_language_code(const char *s);
/* Whether a language (a code like ar, he_IL) is written right to left. */
bool text_rtl_language(const char *language);
/* A language code as BCP 47 writes it (HTML's lang, Content-Language):
 * gettext's pt_BR becomes pt-BR, sr@latin sr; escaped for HTML. */
void text_bcp47(textbuf *b, const char *language);

#endif
