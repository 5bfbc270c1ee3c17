/* i18n.h: the gettext glue for the tool's own texts (diagnostics, help). */
#ifndef INCENT_I18N_H
#define INCENT_I18N_H

#include <libintl.h>
#include <locale.h>

#define _(s) gettext(s)
#define N_(s) (s)
#define P_(one, many, n) ngettext((one), (many), (n))

#endif
