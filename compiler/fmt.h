/* fmt.h: the canonical layout of a program's source (`incent fmt`).
 *
 * The program's tokens and comments are kept, in their order and with their
 * text; only the white space between them is rewritten.  Line breaks stay
 * where the author put them (at most one blank line in a row, none right
 * inside a brace); each line is indented two spaces per open brace (one
 * level more when it continues an expression or a message's second form);
 * within a line, one space between tokens, none inside parentheses, before
 * a comma or around a dot, none after a unary minus; two spaces before a
 * comment that ends a line.  Formatting a formatted program changes
 * nothing. */
#ifndef INCENT_FMT_H
#define INCENT_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* The formatted text of src (len bytes), malloc'd and NUL-terminated, its
 * length in *out_len; NULL when out of memory.  The caller has checked that
 * src parses: a program with syntax errors is not formatted. */
char *fmt_source(const char *src, size_t len, size_t *out_len);

#endif
