/* catalog.h: a compiled gettext catalog (.mo), loaded once, explicitly, and
 * looked up with its own Plural-Forms: no locale, no process-wide state, so
 * many languages serve one run and several threads may look up at once.
 *
 * Written here rather than using libintl: libintl finds catalogs through the
 * process locale and LANGUAGE (one language per process or thread, system
 * locales required); its answers are the reference this module is tested
 * against (tests/catalogs.tap). */
#ifndef INCENT_CATALOG_H
#define INCENT_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/messages/plural.h"

typedef struct catalog catalog;

/* Loads the .mo file at path.  NULL with why when it cannot be read or is
 * not a valid catalog. */
catalog *catalog_load(const char *path, char *why, size_t whylen);
void catalog_free(catalog *c);

/* The translation of msgid in context ctx (NULL: none); for a plural text
 * (msgid_plural not NULL) the form for count n.  NULL when the catalog has
 * no translation; the caller then uses the source text, as gettext does.
 * The text lives as long as the catalog; *len is its length. */
const char *catalog_get(const catalog *c, const char *ctx, const char *msgid, const char *msgid_plural,
                        unsigned long n, size_t *len);

/* The same in two steps, for a caller that looks a text up once and then
 * picks forms for many counts: the whole translation of msgid in ctx (its
 * plural forms separated by NULs, len bytes in all), NULL when there is
 * none; then the form for count n (the only one when !plural). */
const char *catalog_find(const catalog *c, const char *ctx, const char *msgid, size_t *len);
const char *catalog_form(const catalog *c, const char *block, size_t len, bool plural, unsigned long n, size_t *flen);

/* The catalog's Plural-Forms and Language headers (NULL when absent). */
const char *catalog_plural_forms(const catalog *c);
/* Its plural rule as the catalog uses it (gettext's default when it has
 * none), and the number of its forms. */
const plural_expr *catalog_plural(const catalog *c, unsigned long *nplurals);

#endif
