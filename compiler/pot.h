/* pot.h: the partner-facing texts of a checked program, and their gettext template (.pot). */
#ifndef INCENT_POT_H
#define INCENT_POT_H

#include <stdbool.h>
#include <stdio.h>

#include "compiler/program.h"

/* One partner-facing text: its gettext context, source text(s) and note. */
typedef struct pot_entry {
  int line, column;
  char ctx[640]; /* "enum." and three names of at most 200 characters fit */
  const ast *msgid, *plural, *note; /* STRING nodes; plural and note may be NULL */
} pot_entry;

/* The program's texts in source order (malloc'd; NULL when out of memory). */
pot_entry *pot_entries(const c_program *p, size_t *n);

/* Writes the template of p (checked without errors) to out; source
 * references name the file by its base name, so the template is the same
 * bytes wherever the program is built from.  False when out failed. */
bool pot_write(const c_program *p, FILE *out);

#endif
