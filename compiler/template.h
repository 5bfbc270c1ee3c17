/* template.h: where the placeholders of message texts are in the program
 * source (scanning them is runtime/messages/template.h's). */
#ifndef INCENT_TEMPLATE_H
#define INCENT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/ast.h"
#include "compiler/diag.h"
#include "runtime/messages/template.h"

/* The source location of bytes [offset, offset+len) of a STRING node's
 * decoded text, mapping back through its escapes. */
src_loc template_loc(const diag_sink *d, const ast *str, size_t offset, size_t len);

#endif
