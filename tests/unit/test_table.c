/* test_table.c: the rule table loader refuses damaged code and records,
 * each shown by patching a table the compiler wrote and sealing it with a
 * correct hash, so that only the structural checks can catch it. */
#include "config.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "incent.h"
#include "runtime/engine/opcodes.h"
#include "runtime/engine/table_format.h"
#include "tests/unit/tap.h"

static const char *program =
  "program p \"P\" { runs 2027-01-01 to 2027-12-31 }\n"
  "event act { a bool, b bool, who partner, memo text }\n"
  "rule r \"R\" { on act when a and b award 5 points to who during 2027-02-01 to 2027-03-01 }\n";

/* Its rule titles are what a damaged table's strings are pointed at. */
static const char *program2 =
  "program q \"Q\" { runs 2027-01-01 to 2027-12-31 languages en, de }\n"
  "event act { who partner }\n"
  "rule a \"../../x\" { on act award 1 points }\n"
  "rule b \"Nowhere/Atlantis\" { on act award 2 points }\n"
  "rule c \"Damaged\" { on act award 3 points }\n";

/* The points account: an event field naming an earlier event, REF, the three actions, pending and expiry. */
static const char *program3 =
  "program a \"A\" { currency USD runs 2027-01-01 to 2027-12-31 pending 30 days expire after 1 year }\n"
  "event sale { amount money }\n"
  "event refund { original event sale, amount money }\n"
  "event redeem { cost int }\n"
  "rule earn \"Earn\" { on sale award 1 point per 1 USD of amount cap 100 points per partner per month }\n"
  "rule back \"Back\" { on refund reverse original by amount / original.amount }\n"
  "rule spend \"Spend\" { on redeem deduct cost points notify m }\n"
  "rule keep \"Keep\" { on redeem award 1 point expire never }\n"
  "message m { text \"{points}\" }\n";

/* Enumeration values with display titles; the message's text is a string with a newline. */
static const char *program4 =
  "program t \"T\" { runs 2027-01-01 to 2027-12-31 }\n"
  "partner { kind one of (a \"Alpha\", b) }\n"
  "event act { via one of (web \"Web shop\", store) }\n"
  "rule r \"R\" { on act award 1 points notify m }\n"
  "message m { text \"{points}\\npoints\" }\n";

static unsigned char *build_from(const char *src, size_t *len) {
  compile_unit u;
  unsigned char *t = NULL;
  if (!compile_check(&u, "p.incent", src, strlen(src)) || !compile_emit(&u, &t, len)) t = NULL;
  compile_unit_free(&u);
  return t;
}

static unsigned char *build(size_t *len) { return build_from(program, len); }

static void seal(unsigned char *t, size_t len) {
  struct sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, len - IRT_HEADER_SIZE, t + IRT_HEADER_SIZE);
  sha256_digest(&c, SHA256_DIGEST_SIZE, t + 16);
}

/* The section with id, as a pointer into t. */
static unsigned char *section(unsigned char *t, uint32_t id) {
  uint32_t n, sid, off;
  memcpy(&n, t + 48, 4);
  for (uint32_t i = 0; i < n; i++) {
    memcpy(&sid, t + IRT_HEADER_SIZE + 12 * i, 4);
    memcpy(&off, t + IRT_HEADER_SIZE + 12 * i + 4, 4);
    if (sid == id) return t + off;
  }
  return NULL;
}

/* The id of string s in table t (IRT_NONE when it has none). */
static uint32_t string_id(unsigned char *t, const char *s) {
  const unsigned char *sec = section(t, IRT_SEC_STRINGS);
  uint32_t n;
  memcpy(&n, sec, 4);
  const uint32_t *index = (const uint32_t *)(sec + 8);
  const char *data = (const char *)(sec + 8 + (size_t)n * 8);
  for (uint32_t i = 0; i < n; i++)
    if (strcmp(data + index[2 * i], s) == 0) return i;
  return IRT_NONE;
}

static bool loads(unsigned char *t, size_t len, char *why, size_t whylen) {
  incent_table *x;
  seal(t, len);
  if (whylen) why[0] = '\0';
  bool ok = incent_table_load(t, len, &x, why, whylen) == INCENT_OK;
  incent_table_free(x);
  return ok;
}

int main(void) {
  size_t len;
  unsigned char *t = build(&len);
  char why[256] = "";
  TAP_OK(t && loads(t, len, why, sizeof why), "the compiled table loads (%s)", why);
  if (!t) return tap_done();
  unsigned char *copy = malloc(len);
  irt_rule *rule = (irt_rule *)(section(t, IRT_SEC_RULES) + 8);
  unsigned char *code = section(t, IRT_SEC_CODE) + 8;

  /* the condition is FIELD a; JFALSE +2; FIELD b; RET: make the jump land inside FIELD b */
  memcpy(copy, t, len);
  unsigned char *when = section(copy, IRT_SEC_CODE) + 8 + rule->when_code;
  TAP_OK(when[0] == RT_OP_FIELD && when[2] == RT_OP_JFALSE && when[3] == 2, "the condition has the expected shape");
  when[3] = 1;
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "rule 0 is damaged"),
         "a jump into the middle of an instruction is refused (%s)", why);

  memcpy(copy, t, len);
  ((irt_rule *)(section(copy, IRT_SEC_RULES) + 8))->to_field = IRT_FIELD_DECLARED + 3; /* memo: text */
  TAP_OK(!loads(copy, len, why, sizeof why), "'to' a field that is not a partner is refused");

  memcpy(copy, t, len);
  irt_rule *r = (irt_rule *)(section(copy, IRT_SEC_RULES) + 8);
  int32_t from = r->during_from;
  r->during_from = r->during_to;
  r->during_to = from;
  TAP_OK(!loads(copy, len, why, sizeof why), "a reversed during range is refused");

  memcpy(copy, t, len);
  section(copy, IRT_SEC_CODE)[8 + rule->award_code] = RT_OP_COUNT; /* an opcode that does not exist */
  TAP_OK(!loads(copy, len, why, sizeof why), "an unknown instruction is refused");

  /* regression: the built-in partner attributes were not checked, and the runtime relies on them */
  memcpy(copy, t, len);
  uint32_t zero = 0;
  memcpy(section(copy, IRT_SEC_ATTRS), &zero, 4);
  TAP_OK(!loads(copy, len, why, sizeof why), "a table without the built-in partner attributes is refused");
  memcpy(copy, t, len);
  ((irt_field *)(section(copy, IRT_SEC_ATTRS) + 8))[IRT_ATTR_TIER].type = IRT_T_TEXT;
  TAP_OK(!loads(copy, len, why, sizeof why), "a built-in attribute of the wrong type is refused");

  /* regression: a partner given fewer values than the table has attributes overflowed its text buffer */
  incent_table *x;
  seal(t, len);
  if (incent_table_load(t, len, &x, why, sizeof why) == INCENT_OK) {
    incent_engine *eng;
    if (incent_engine_new(x, &eng, why, sizeof why) == INCENT_OK) {
      const char *only_id[] = {"ada"};
      TAP_OK(incent_engine_partner(eng, only_id, 1, why, sizeof why) == INCENT_OK,
             "a partner with only an id is added, its other attributes empty");
      const char *control[] = {"bob", "Bob\x1f Ltd"};
      TAP_OK(incent_engine_partner(eng, control, 2, why, sizeof why) == INCENT_EFORMAT && strstr(why, "control"),
             "a partner value with a control character is refused (%s)", why);
      incent_engine_free(eng);
    }
    incent_table_free(x);
  }
  /* regression: a group index was not bounded, and the engine asked for one slot per group up to it (32 GiB) */
  memcpy(copy, t, len);
  ((irt_rule *)(section(copy, IRT_SEC_RULES) + 8))->group = 0xFFFFFFF0u;
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "rule 0 is damaged"),
         "a group index beyond the rules is refused at load (%s)", why);
  memcpy(copy, t, len);
  ((irt_rule *)(section(copy, IRT_SEC_RULES) + 8))->group = 0;
  TAP_OK(loads(copy, len, why, sizeof why), "a group index within the rules loads (%s)", why);
  (void)code;
  free(copy);
  free(t);

  unsigned char *q = build_from(program2, &len);
  TAP_OK(q && loads(q, len, why, sizeof why), "the second program's table loads (%s)", why);
  if (!q) return tap_done();
  copy = malloc(len);
  irt_program *pr;
  uint32_t *languages;
#define PATCH_PROGRAM()                                          \
  do {                                                           \
    memcpy(copy, q, len);                                        \
    pr = (irt_program *)(section(copy, IRT_SEC_PROGRAM));        \
    languages = (uint32_t *)(section(copy, IRT_SEC_PROGRAM) + sizeof *pr); \
  } while (0)

  /* regression: a language of a table with its hash redone became a path segment of a catalog */
  PATCH_PROGRAM();
  TAP_OK(pr->nlanguages == 2 && string_id(copy, "../../x") != IRT_NONE, "the table has two languages and the string");
  languages[1] = string_id(copy, "../../x");
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "language 1 of the program is not a language code"),
         "a language '../../x' is refused at load (%s)", why);
  PATCH_PROGRAM();
  languages[1] = string_id(copy, "Damaged");
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "not a language code"),
         "a language that is not a code ('Damaged') is refused at load (%s)", why);
  PATCH_PROGRAM();
  pr->name = string_id(copy, "../../x"); /* the catalogs' domain: LANG/LC_MESSAGES/NAME.mo */
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "the program's name is not a name"),
         "a program named '../../x' is refused at load (%s)", why);

  /* regression: incent_engine_new read the engine it had just freed when the time zone did not load */
  PATCH_PROGRAM();
  pr->timezone = string_id(copy, "Nowhere/Atlantis");
  TAP_OK(loads(copy, len, why, sizeof why), "a table naming a zone the system lacks loads (%s)", why);
  seal(copy, len);
  if (incent_table_load(copy, len, &x, why, sizeof why) == INCENT_OK) {
    incent_engine *eng = NULL;
    incent_status st = incent_engine_new(x, &eng, why, sizeof why);
    TAP_OK(st == INCENT_EFORMAT && !eng && strstr(why, "Nowhere/Atlantis is not in the system's time zone database"),
           "a time zone that does not exist is a clear error, not a use after free (%d: %s)", (int)st, why);
    incent_engine_free(eng);
    incent_table_free(x);
  }
  char dir[] = "/tmp/incent-tz.XXXXXX";
  if (mkdtemp(dir)) {
    char path[64];
    snprintf(path, sizeof path, "%s/Damaged", dir);
    FILE *f = fopen(path, "w");
    if (f) {
      fputs("TZif2 but nothing after it", f);
      fclose(f);
    }
    setenv("TZDIR", dir, 1);
    PATCH_PROGRAM();
    pr->timezone = string_id(copy, "Damaged");
    seal(copy, len);
    if (incent_table_load(copy, len, &x, why, sizeof why) == INCENT_OK) {
      incent_engine *eng = NULL;
      incent_status st = incent_engine_new(x, &eng, why, sizeof why);
      TAP_OK(st == INCENT_EFORMAT && !eng && strstr(why, "Damaged is not TZif"),
             "a damaged time zone file is a clear error, not a use after free (%d: %s)", (int)st, why);
      incent_engine_free(eng);
      incent_table_free(x);
    }
    unsetenv("TZDIR");
    remove(path);
    rmdir(dir);
  }
  free(copy);
  free(q);

  q = build_from(program3, &len);
  TAP_OK(q && loads(q, len, why, sizeof why), "the points account's table loads (%s)", why);
  if (!q) return tap_done();
  copy = malloc(len);
  irt_rule *rules;
  unsigned char *share;
#define PATCH_RULES()                                                                  \
  do {                                                                                 \
    memcpy(copy, q, len);                                                              \
    rules = (irt_rule *)(section(copy, IRT_SEC_RULES) + 8);                            \
    share = section(copy, IRT_SEC_CODE) + 8 + rules[1].award_code;                     \
  } while (0)
  /* the share is FIELD 4 (amount); REF 3 3 (original.amount); DIV; RET */
  PATCH_RULES();
  TAP_OK(rules[1].action == IRT_ACT_REVERSE && rules[1].reverse_field == IRT_FIELD_DECLARED && share[2] == RT_OP_REF &&
         share[3] == 3 && share[4] == 3, "the reversal's share reads original.amount with REF 3 3");
  share[3] = 4; /* amount: money, not an event */
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "rule 1 is damaged"),
         "a REF through a field that is not of an event type is refused (%s)", why);
  PATCH_RULES();
  share[3] = 200; /* beyond the event's fields */
  TAP_OK(!loads(copy, len, why, sizeof why), "a REF through a field beyond the event's is refused");
  PATCH_RULES();
  share[4] = IRT_FIELD_DECLARED + 1; /* sale has one declared field */
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "rule 1 is damaged"),
         "a REF to a field beyond the earlier event's is refused (%s)", why);
  PATCH_RULES();
  share[4] = IRT_FIELD_DECLARED;
  TAP_OK(loads(copy, len, why, sizeof why), "a REF to the earlier event's last field loads (%s)", why);
  PATCH_RULES();
  rules[1].reverse_field = IRT_FIELD_DECLARED + 1; /* amount */
  TAP_OK(!loads(copy, len, why, sizeof why), "a reversal through a field that is not of an event type is refused");
  PATCH_RULES();
  rules[1].reverse_field = 0xFFFFFFF0u;
  TAP_OK(!loads(copy, len, why, sizeof why), "a reversal through a field beyond the event's is refused");
  PATCH_RULES();
  rules[0].reverse_field = IRT_FIELD_DECLARED;
  TAP_OK(!loads(copy, len, why, sizeof why), "an award with a reverse field is refused");
  PATCH_RULES();
  rules[2].action = IRT_ACT_REVERSE + 1;
  TAP_OK(!loads(copy, len, why, sizeof why), "an action that does not exist is refused");
  PATCH_RULES();
  rules[1].award_code = IRT_NONE;
  TAP_OK(loads(copy, len, why, sizeof why), "a reversal of the whole (no share) loads (%s)", why);
  PATCH_RULES();
  rules[0].award_code = IRT_NONE;
  TAP_OK(!loads(copy, len, why, sizeof why), "an award without code is refused");
  PATCH_RULES();
  rules[0].pending_days = 100001;
  TAP_OK(!loads(copy, len, why, sizeof why), "pending days beyond 100,000 are refused");
  PATCH_RULES();
  rules[0].expire.unit = IRT_X_YEARS + 1;
  TAP_OK(!loads(copy, len, why, sizeof why), "an expiry unit that does not exist is refused");
  PATCH_RULES();
  rules[3].expire.notify = 0; /* `expire never` notifies no one */
  TAP_OK(!loads(copy, len, why, sizeof why), "a message for an expiry that never comes is refused");
  PATCH_RULES();
  pr = (irt_program *)section(copy, IRT_SEC_PROGRAM);
  TAP_OK(pr->pending_days == 30 && pr->expire.unit == IRT_X_YEARS && pr->expire.n == 1,
         "the program's pending days and expiry are in the table");
  pr->expire.unit = IRT_X_INHERIT; /* the program has nothing to inherit from */
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "program record"),
         "a program whose expiry is 'as the program' is refused (%s)", why);
  PATCH_RULES();
  pr = (irt_program *)section(copy, IRT_SEC_PROGRAM);
  pr->expire.end = IRT_P_WEEK;
  TAP_OK(!loads(copy, len, why, sizeof why), "an expiry at the end of a week is refused");
  PATCH_RULES();
  irt_event *evs = (irt_event *)(section(copy, IRT_SEC_EVENTS) + 8);
  irt_field *fields = (irt_field *)(evs + 3);
  TAP_OK(fields[evs[1].fields + IRT_FIELD_DECLARED].type == IRT_T_EVENT &&
         fields[evs[1].fields + IRT_FIELD_DECLARED].enum_id == 0, "refund's original is an event field naming sale");
  fields[evs[1].fields + IRT_FIELD_DECLARED].enum_id = 3;
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "event type 1 is damaged"),
         "an event field naming an event type beyond the table's is refused (%s)", why);
  free(copy);
  free(q);

  /* enumeration values' titles: a string id or none, never empty, never holding a control character */
  q = build_from(program4, &len);
  TAP_OK(q && loads(q, len, why, sizeof why), "the table with titled values loads (%s)", why);
  if (!q) return tap_done();
  copy = malloc(len);
  irt_enum_value *values;
#define PATCH_VALUES()                                                                       \
  do {                                                                                       \
    memcpy(copy, q, len);                                                                    \
    values = (irt_enum_value *)(section(copy, IRT_SEC_ENUMS) + 8 + 2 * 8); /* two enums */   \
  } while (0)
  PATCH_VALUES();
  TAP_OK(values[0].name == string_id(copy, "a") && values[0].title == string_id(copy, "Alpha") &&
         values[1].title == IRT_NONE && values[2].title == string_id(copy, "Web shop") && values[3].title == IRT_NONE,
         "each value has its name and its title or none");
  values[0].title = 0xFFFFFFF0u;
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "enumeration 0 is damaged"),
         "a title beyond the strings is refused (%s)", why);
  PATCH_VALUES();
  values[2].title = string_id(copy, "{points}\npoints");
  TAP_OK(values[2].title != IRT_NONE && !loads(copy, len, why, sizeof why) && strstr(why, "enumeration 1 is damaged"),
         "a title holding a newline is refused (%s)", why);
  PATCH_VALUES();
  uint32_t alpha = string_id(copy, "Alpha");
  unsigned char *strings = section(copy, IRT_SEC_STRINGS);
  uint32_t nstrings, at[2];
  memcpy(&nstrings, strings, 4);
  memcpy(at, strings + 8 + (size_t)alpha * 8, 8);
  strings[8 + (size_t)nstrings * 8 + at[0]] = '\0';
  at[1] = 0;
  memcpy(strings + 8 + (size_t)alpha * 8, at, 8);
  TAP_OK(!loads(copy, len, why, sizeof why) && strstr(why, "enumeration 0 is damaged"),
         "an empty title is refused (%s)", why);
  PATCH_VALUES();
  values[0].title = IRT_NONE;
  TAP_OK(loads(copy, len, why, sizeof why), "a value without a title loads (%s)", why);
  free(copy);
  free(q);
  return tap_done();
}
