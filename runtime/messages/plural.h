/* plural.h: gettext's Plural-Forms expressions ("nplurals=3; plural=(n==1 ?
 * 0 : ...);"), parsed once and evaluated for a count as gettext does, with
 * unsigned long arithmetic.
 *
 * Written here rather than taken from a library: libintl evaluates these
 * only inside its own locale-bound lookups and exports no parser. */
#ifndef INCENT_PLURAL_H
#define INCENT_PLURAL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct plural_expr plural_expr;

/* Parses the value of a Plural-Forms header.  On success *out (free with
 * plural_free) and *nplurals (1 to 100) are set; otherwise why says what is
 * wrong.  Expressions nest at most 64 deep. */
bool plural_parse(const char *forms, plural_expr **out, unsigned long *nplurals, char *why, size_t whylen);
/* The form for count n; a division by zero gives form 0. */
unsigned long plural_eval(const plural_expr *e, unsigned long n);
void plural_free(plural_expr *e);

/* The Plural-Forms a language needs (gettext's msginit's, from CLDR), its
 * own or its base language's (de_AT: de); NULL when incent does not know it. */
const char *plural_expected(const char *lang);
/* Whether a rule of nhave forms suits lang: the same forms for every count
 * as plural_expected's (counts 0 to 10,000 and a few large ones, so an
 * equivalent expression written differently passes), or as CLDR's own
 * order of forms where tools write that (Latvian, Hebrew); true for a
 * language whose rule incent does not know. */
bool plural_suits(const char *lang, const plural_expr *have, unsigned long nhave);

#endif
