/* template.h: the placeholders of message texts: `{name}`, with `{{` and `}}`
 * for literal braces (the python-brace-format convention of gettext). */
#ifndef INCENT_TEMPLATE_H
#define INCENT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/ast.h"
#include "compiler/diag.h"

typedef void template_fn(void *ud, const char *text, size_t len, size_t offset);

/* Calls each(name, len, offset of '{') for every placeholder and bad(text,
 * len, offset) for every malformed one (either may be NULL).  Returns false
 * if any was malformed. */
bool template_scan(const char *s, size_t len, template_fn *each, template_fn *bad, void *ud);
bool template_has(const char *s, size_t len, const char *name, size_t namelen);

/* The source location of bytes [offset, offset+len) of a STRING node's
 * decoded text, mapping back through its escapes. */
src_loc template_loc(const diag_sink *d, const ast *str, size_t offset, size_t len);

#endif
