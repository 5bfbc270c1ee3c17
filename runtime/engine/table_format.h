/* table_format.h: the layout of a compiled rule table (.irt), version 3.
 *
 * Written by the compiler's emitter, read by the runtime's loader; neither
 * includes the other's headers, both include this one.  All integers are
 * little-endian; every section starts at a multiple of 8 bytes.
 *
 *   offset size  field
 *   0      8     magic "INCENTRT"
 *   8      4     format version (IRT_VERSION)
 *   12     4     header size in bytes (IRT_HEADER_SIZE)
 *   16     32    SHA-256 of every byte from IRT_HEADER_SIZE to the end:
 *                the program's content hash
 *   48     4     number of sections
 *   52     4     total file size
 *   56     8     reserved, zero
 *   64     12*n  section directory: {u32 id, u32 offset, u32 size} per section
 *
 * Sections (ids below) hold arrays of fixed-size little-endian records, each
 * section starting with a u32 record count (and then 4 bytes of padding).
 * Names and texts are indexes into the string section; IRT_NONE marks an
 * absent reference.  Conditions and awards are bytecode (opcodes.h) in the
 * code section, each block ending with RET; a rule refers to its blocks by
 * byte offset.  Rules are stored in source order and, per event type, a list
 * of the rule indexes that event type triggers, so applying an event never
 * looks at rules of other types. */
#ifndef INCENT_TABLE_FORMAT_H
#define INCENT_TABLE_FORMAT_H

#include <stdint.h>

#define IRT_MAGIC "INCENTRT"
/* 2: the points account (actions, pending, expiry, event fields);
 * 3: enumeration values carry display titles (irt_enum_value) */
#define IRT_VERSION 3u
#define IRT_HEADER_SIZE 64u
#define IRT_NONE 0xFFFFFFFFu
#define IRT_TO_ATTR 0x40000000u /* irt_rule.to_field: an attribute of the actor, not a field */
#define IRT_MAX_STACK 256 /* the compiler keeps every block's stack below this */

enum irt_section {
  IRT_SEC_STRINGS = 1,  /* u32 count, pad; count x {u32 offset, u32 length} into the
                           bytes that follow the table; each string is also NUL-terminated */
  IRT_SEC_CONSTS = 2,   /* u32 count, pad; count x irt_const */
  IRT_SEC_PROGRAM = 3,  /* one irt_program, then u32 language string ids */
  IRT_SEC_ENUMS = 4,    /* u32 count, pad; count x {u32 first, u32 count} into the
                           irt_enum_value array that follows */
  IRT_SEC_ATTRS = 5,    /* u32 count, pad; count x irt_field: the partner attributes */
  IRT_SEC_EVENTS = 6,   /* u32 count, pad; count x irt_event, then the u32 array of
                           fields (irt_field) and of rule indexes they point into */
  IRT_SEC_TIERS = 7,    /* one irt_tiers, then ntiers x irt_tier */
  IRT_SEC_RULES = 8,    /* u32 count, pad; count x irt_rule in source order */
  IRT_SEC_MESSAGES = 9, /* u32 count, pad; count x irt_message */
  IRT_SEC_CODE = 10,    /* u32 length, pad; bytecode */
  IRT_SEC_RANGES = 11   /* optional (only when a field has a range): u32 count, pad;
                           count x irt_range, by event type and field */
};

/* `amount money from 0 USD to 250_000 USD`: a declared event field whose
 * values outside [min, max] (constant indexes of the field's type) reject
 * the event. */
typedef struct irt_range {
  uint32_t event, field, min, max;
} irt_range;

/* Value types of fields, attributes and constants. */
enum irt_type {
  IRT_T_TEXT = 0, IRT_T_INT, IRT_T_DECIMAL, IRT_T_MONEY, IRT_T_BOOL, IRT_T_DATE,
  IRT_T_PARTNER, IRT_T_ENUM, IRT_T_TIME, IRT_T_TIER,
  IRT_T_EVENT /* the id of an earlier event; the field's enum_id is that event type's index */
};

enum irt_period {
  IRT_P_DAY = 0, IRT_P_WEEK, IRT_P_MONTH, IRT_P_QUARTER, IRT_P_YEAR, IRT_P_PROGRAM
};

/* Built-in fields of every event, before the declared ones. */
enum { IRT_FIELD_ID = 0, IRT_FIELD_TIME = 1, IRT_FIELD_PARTNER = 2, IRT_FIELD_DECLARED = 3 };
/* Built-in partner attributes, before the declared ones. */
enum {
  IRT_ATTR_ID = 0, IRT_ATTR_NAME, IRT_ATTR_LANGUAGE, IRT_ATTR_COUNTRY, IRT_ATTR_TIER,
  IRT_ATTR_DECLARED
};

/* A constant: 24 bytes.  Decimals: coefficient as a signed 128-bit integer
 * (lo, hi) and scale.  Whole values (int, bool, enum ordinal, tier index,
 * date as days since 1970-01-01, time as seconds since the epoch): lo, with
 * hi the sign extension and scale 0.  Texts: aux is the string id. */
typedef struct irt_const {
  uint8_t type, scale;
  uint16_t pad;
  uint32_t aux;
  uint64_t lo;
  int64_t hi;
} irt_const;

/* When a credit lapses (LANGUAGE.md "Pending and expiry"): `expire after
 * n unit [at end of end]`.  unit IRT_X_NEVER: never (n and end 0);
 * IRT_X_INHERIT (rules only): as the program says. */
enum irt_expire_unit { IRT_X_NEVER = 0, IRT_X_DAYS, IRT_X_MONTHS, IRT_X_YEARS, IRT_X_INHERIT = 0xFF };

typedef struct irt_expiry {
  uint8_t unit;                 /* irt_expire_unit */
  uint8_t end;                  /* 0, or IRT_P_MONTH, IRT_P_QUARTER or IRT_P_YEAR: at end of */
  uint16_t pad;
  int32_t n;                    /* 1 .. 100000 */
  uint32_t notify;              /* message index or IRT_NONE */
} irt_expiry;

typedef struct irt_program {
  uint32_t name, title, currency, timezone;
  int32_t runs_from, runs_to;   /* days since 1970-01-01, inclusive */
  uint32_t budget;              /* constant index or IRT_NONE */
  uint8_t rounding;             /* dec_rounding */
  uint8_t pad[3];
  int32_t pending_days;         /* `pending N days`: 0 .. 100000, 0 when absent */
  irt_expiry expire;            /* unit IRT_X_NEVER when absent */
  uint32_t nlanguages;          /* followed by that many string ids */
} irt_program;

/* A value of an enumeration (`one of`): its name, and its display title
 * (`linkedin "LinkedIn"`), a string id or IRT_NONE when it has none.  A
 * title is never empty and holds no control character. */
typedef struct irt_enum_value {
  uint32_t name, title;
} irt_enum_value;

typedef struct irt_field {
  uint32_t name;
  uint8_t type, pad;
  uint16_t enum_id;             /* for IRT_T_ENUM */
} irt_field;

typedef struct irt_event {
  uint32_t name;
  uint32_t nfields, fields;     /* index into the field array (built-ins included) */
  uint32_t nrules, rules;       /* index into the rule index array */
} irt_event;

typedef struct irt_tiers {
  uint8_t present, period;
  uint16_t pad;
  uint32_t ntiers, notify;      /* notify: message index or IRT_NONE */
} irt_tiers;

typedef struct irt_tier {
  uint32_t name, title;
  uint32_t threshold;           /* constant index */
  uint32_t multiplier;          /* constant index */
} irt_tier;

enum { IRT_RULE_FLAT = 1 };

/* A rule's one action (LANGUAGE.md "Three actions"). */
enum irt_action { IRT_ACT_AWARD = 0, IRT_ACT_DEDUCT, IRT_ACT_REVERSE };

typedef struct irt_rule {
  uint32_t name, title, category; /* category: string id or IRT_NONE */
  uint32_t event;                 /* event type index */
  uint32_t group;                 /* `first of` group number or IRT_NONE */
  uint32_t group_name;            /* string id or IRT_NONE */
  uint32_t when_code;             /* code offset or IRT_NONE (always) */
  uint32_t award_code;            /* code offset: award and deduct, the points; reverse, the
                                     share (`by EXPR`), or IRT_NONE for the whole */
  uint32_t to_field;              /* event field index or IRT_NONE (the actor), or
                                     IRT_TO_ATTR | a partner attribute of the actor
                                     (`to partner.distributor`); always IRT_NONE for reverse */
  uint8_t action;                 /* irt_action */
  uint8_t pad2[3];
  uint32_t reverse_field;         /* reverse: the event field (of type IRT_T_EVENT) naming the
                                     earlier event; IRT_NONE otherwise */
  int32_t pending_days;           /* awards: -1 as the program says, else 0 .. 100000 */
  irt_expiry expire;              /* awards: unit IRT_X_INHERIT as the program says */
  uint32_t flags;                 /* IRT_RULE_FLAT */
  uint32_t cap;                   /* constant index or IRT_NONE */
  uint32_t limit;                 /* constant index or IRT_NONE */
  uint32_t budget;                /* constant index or IRT_NONE */
  uint8_t cap_period, limit_period, has_during, pad;
  int32_t during_from, during_to; /* days since 1970-01-01, inclusive */
  uint32_t notify;                /* message index or IRT_NONE */
} irt_rule;

typedef struct irt_message {
  uint32_t name, subject, text, text_plural, plural, note; /* string ids or IRT_NONE */
} irt_message;

#endif
