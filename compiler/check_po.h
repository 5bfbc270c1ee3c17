/* check_po.h: `incent check --po DIR`: a checked program's translation
 * catalogs (DIR/LANG.po), read with gettext's own libgettextpo.
 *
 * Ownership: a po_report owns its per-language counts and one diag_sink per
 * catalog read, with that catalog's text; po_report_free releases them. */
#ifndef INCENT_CHECK_PO_H
#define INCENT_CHECK_PO_H

#include <stdbool.h>

#include "compiler/diag.h"
#include "compiler/program.h"

typedef struct po_counts {
  const char *language; /* borrowed from the program */
  char *file;           /* NULL when the language has no catalog */
  bool read;            /* the catalog could be read (no syntax errors) */
  unsigned translated, fuzzy, missing, obsolete, unknown;
} po_counts;

typedef struct po_report {
  po_counts *langs;
  size_t nlangs;
  diag_sink **sinks; /* one per catalog file */
  char **texts;      /* their contents */
  size_t nsinks;
} po_report;

/* Checks the catalogs in dir (NULL: none given) of p, checked without
 * errors.  Diagnostics about a catalog go to its own sink; a declared
 * language without a catalog is reported in the program's sink (only under
 * strict when no dir is given).  False when dir cannot be read. */
bool check_po(c_program *p, const char *dir, bool strict, po_report *r);
void po_report_free(po_report *r);

#endif
