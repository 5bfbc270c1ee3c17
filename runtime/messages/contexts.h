/* contexts.h: the gettext contexts (msgctxt) of a program's texts, written
 * by `incent pot` and looked up by the runtime: one list, so they agree.
 *
 *   the program's title       "program"
 *   a tier's title            "tier.NAME"
 *   a rule's title            "rule.NAME"
 *   a message's subject       "NAME.subject"   (NAME: the message's name)
 *   a message's text          "NAME.text"
 *   a value's title           "enum.EVENT.FIELD.VALUE"   (VALUE of the `one of`
 *                                                         field FIELD of event EVENT)
 *                             "enum.partner.ATTR.VALUE"  (of partner attribute ATTR;
 *                                                         `partner` is a keyword, so
 *                                                         no event type is named so)
 */
#ifndef INCENT_CONTEXTS_H
#define INCENT_CONTEXTS_H

#define INCENT_CTX_PROGRAM "program"
#define INCENT_CTX_TIER "tier."
#define INCENT_CTX_RULE "rule."
#define INCENT_CTX_SUBJECT ".subject"
#define INCENT_CTX_TEXT ".text"
#define INCENT_CTX_ENUM "enum."
#define INCENT_CTX_ENUM_PARTNER "partner"

#endif
