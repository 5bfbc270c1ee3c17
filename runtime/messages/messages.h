/* messages.h: a program's texts in each partner's language: what the
 * engine needs to render notifications and the statements need for their
 * titles and labels (internal to libincent). */
#ifndef INCENT_MESSAGES_H
#define INCENT_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/engine/engine.h"
#include "runtime/messages/format.h"
#include "runtime/base/text.h"

/* What a queued message is filled from. */
typedef struct rt_msg_ctx {
  const char *event;     /* the event's id */
  int type;              /* its type */
  const rt_val *fields;  /* its values, built-ins first */
  int32_t day;           /* its local date */
  const char *partner;   /* the recipient's id */
  const rt_val *attrs;   /* and attributes */
  uint32_t rule;         /* the rule that sent it, or IRT_NONE for a tier rise */
  int64_t points;        /* granted (taken, for a deduction or reversal) by the rule, or lapsed */
  int64_t balance;       /* the recipient's balance after the event */
  int32_t tier;          /* the recipient's tier after the event, -1 without tiers */
  dec multiplier;        /* the tier's */
  bool lapse;            /* an expiry message: points lapsed on day (its {date}) */
} rt_msg_ctx;

/* Renders message msg for c in the recipient's language into n (its texts
 * live until the next call).  False when out of memory. */
bool rt_render(incent_messages *m, uint32_t msg, const rt_msg_ctx *c, incent_notification *n);

/* For statements.  The language a partner who asked for `asked` is written
 * to in: an index for the calls below.  A partner whose language is not
 * declared gets the source language; the fallback is counted. */
int rt_lang_for(incent_messages *m, const char *asked);
const char *rt_lang_code(const incent_messages *m, int lang);
bool rt_lang_rtl(const incent_messages *m, int lang);
formatter *rt_lang_formatter(const incent_messages *m, int lang);
/* The program's title, rule i's, tier i's or the title of enumeration
 * value i (an index into the table's value array), in language lang
 * (looked up when the catalogs loaded), or the source title, counting the
 * fallback; a value without a title is its name. */
typedef enum rt_title_kind { RT_TITLE_PROGRAM, RT_TITLE_RULE, RT_TITLE_TIER, RT_TITLE_ENUM } rt_title_kind;
const char *rt_title(incent_messages *m, int lang, rt_title_kind kind, uint32_t i);
/* The title partners read for value `value` (its ordinal, as an rt_val
 * holds it) of a `one of` field in language lang: field `field` of event
 * type `type` (built-in fields first, as rt_msg_ctx's fields), or with type
 * RT_PARTNER_ATTRS the partner attribute `field`.  Its translation, else
 * its source title (counting the fallback), else its name; NULL when that
 * field is not a `one of` or has no such value. */
#define RT_PARTNER_ATTRS (-1)
const char *rt_enum_title(incent_messages *m, int lang, int type, uint32_t field, int64_t value);
/* One of the library's own labels (context ctx, plural form for n when
 * other is not NULL) in language lang, or the English source, counting the
 * fallback. */
const char *rt_label(incent_messages *m, int lang, const char *ctx, const char *one, const char *other,
                     unsigned long n);

/* Without counting a fallback: NULL when language lang has a usable
 * translation of the label (every plural form of it), else why not (valid
 * until the next call). */
const char *rt_label_missing(incent_messages *m, int lang, const char *ctx, const char *one, const char *other);
/* NULL when language lang has the program's title and every rule's and
 * tier's, else why not. */
const char *rt_titles_missing(const incent_messages *m, int lang);
/* Counts one text of language `asked` that went out in the source language. */
void rt_fall_back(incent_messages *m, const char *asked, const char *reason);

/* Renders tpl, a template of {name} placeholders, onto out with the value
 * of each name from vals: as plain text, values isolated (U+2068 ...
 * U+2069) where needed (always when rtl); or as HTML, escaped, every value
 * in <bdi>.  False when tpl is malformed or names a value not in vals. */
typedef struct rt_named { const char *name, *value; } rt_named;
bool rt_fill(textbuf *out, const char *tpl, const rt_named *vals, int n, bool rtl, bool html);

#endif
