/* pot.h: the gettext template (.pot) of a checked program's partner-facing texts. */
#ifndef INCENT_POT_H
#define INCENT_POT_H

#include <stdbool.h>
#include <stdio.h>

#include "compiler/program.h"

/* Writes the template of p (checked without errors) to out; source
 * references name the file by its base name, so the template is the same
 * bytes wherever the program is built from.  False when out failed. */
bool pot_write(const c_program *p, FILE *out);

#endif
