/* table.h: a loaded rule table: pointers into a verified copy of the file
 * (internal to libincent). */
#ifndef INCENT_TABLE_H
#define INCENT_TABLE_H

#include <stdarg.h>
#include <stdint.h>

#include "runtime/incent.h"
#include "runtime/engine/table_format.h"

typedef struct rt_enum {
  uint32_t first, count;
} rt_enum;

struct incent_table {
  unsigned char *data;
  size_t len;
  const unsigned char *hash;
  /* strings */
  uint32_t nstrings;
  const uint32_t *string_index; /* {offset, length} pairs */
  const char *string_data;
  /* the rest, as laid out in table_format.h */
  uint32_t nconsts;
  const irt_const *consts;
  const irt_program *program;
  const uint32_t *languages;
  uint32_t nenums;
  const rt_enum *enums;
  uint32_t nenum_values;
  const irt_enum_value *enum_values;
  uint32_t nattrs;
  const irt_field *attrs;
  uint32_t nevents;
  const irt_event *events;
  const irt_field *event_fields;
  const uint32_t *event_rules;
  const irt_tiers *tiers_head;
  const irt_tier *tiers;
  uint32_t nrules;
  const irt_rule *rules;
  uint32_t nmessages;
  const irt_message *messages;
  uint32_t code_len;
  const unsigned char *code;
  uint32_t nranges;           /* field ranges (an optional section) */
  const irt_range *ranges;
};

/* Text written through a caller's incent_write_fn (dump, explain). */
typedef struct rt_out {
  incent_write_fn *write;
  void *ud;
} rt_out;
void rt_say(rt_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rt_vsay(rt_out *o, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The string with id, or "" for IRT_NONE. */
const char *rt_string(const incent_table *t, uint32_t id);

#endif
