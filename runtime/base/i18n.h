/* i18n.h: the gettext glue of the library's texts for operators (explain), looked up in the tool's text domain.
 *
 * A library speaks its own domain and never calls textdomain: the program
 * binds the domain (bindtextdomain(PACKAGE, ...), as programs/main.c does)
 * and picks the language through the locale.  The keywords are those of the
 * tool's texts (locale/Makevars), so xgettext finds these the same way.
 * Texts meant for partners never come through here: they have their own
 * catalogs, languages and placeholders (runtime/messages/). */
#ifndef INCENT_RT_I18N_H
#define INCENT_RT_I18N_H

#include <libintl.h>

#define _(s) dgettext(PACKAGE, (s))
#define P_(one, many, n) dngettext(PACKAGE, (one), (many), (n))
/* a singular and plural pair marked for xgettext, looked up later with P_ */
#define NP_(one, many) one, many

#endif
