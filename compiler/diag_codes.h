/* diag_codes.h: every diagnostic the compiler can report, listed once.
 * X(ENUM, "CODE", "short description"): codes starting with E are errors,
 * with W warnings.  Codes are stable: a code is never reused for another
 * meaning.  The text, JSON and SARIF renderers and the tests read this list. */
#define DIAG_CODE_LIST(X)                                                       \
  X(SYNTAX,        "E001", "syntax error")                                       \
  X(BAD_CHAR,      "E002", "character that cannot start a token")               \
  X(BAD_UTF8,      "E003", "source is not valid UTF-8")                          \
  X(NUL_BYTE,      "E004", "NUL byte in source")                                 \
  X(UNTERMINATED,  "E005", "string not closed on its line")                      \
  X(BAD_ESCAPE,    "E006", "unknown or malformed escape in a string")           \
  X(TOO_LONG,      "E007", "string or name longer than the limit")               \
  X(TOO_DEEP,      "E008", "nesting deeper than the limit")                      \
  X(BAD_NUMBER,    "E010", "number out of range or too precise")                 \
  X(NO_PROGRAM,    "E100", "no program declaration")                             \
  X(MISSING_ITEM,  "E101", "required item missing")                              \
  X(DUP_ITEM,      "E102", "item given more than once")                          \
  X(UNKNOWN_NAME,  "E110", "unknown name")                                       \
  X(DUP_NAME,      "E111", "duplicate name")                                     \
  X(RESERVED_NAME, "E112", "name reserved for a built-in")                       \
  X(TYPE,          "E120", "type mismatch")                                      \
  X(CURRENCY,      "E121", "money in a currency other than the program's")      \
  X(BAD_DATE,      "E130", "impossible date or time")                            \
  X(BAD_RANGE,     "E131", "empty or reversed range")                            \
  X(PLACEHOLDER,   "E140", "placeholder the context cannot supply")             \
  X(PLURAL,        "E141", "plural misuse")                                      \
  X(BAD_TEMPLATE,  "E142", "malformed placeholder in a message text")            \
  X(TO_NOT_PARTNER,"E150", "award 'to' a field that is not a partner")          \
  X(TIERS_ORDER,   "E160", "tier thresholds do not rise from 0")                 \
  X(BAD_TIMEZONE,  "E170", "unknown time zone")                                  \
  X(BAD_LANGUAGE,  "E171", "malformed or repeated language code")                \
  X(BAD_VALUE,     "E172", "value out of its allowed range")                     \
  X(CONST_EVAL,    "E173", "constant expression fails (division by zero, overflow)") \
  X(TABLE_LIMIT,   "E174", "program beyond a limit of the rule table format")   \
  X(BAD_TITLE,     "E175", "enumeration value title that is empty, not one line or repeated") \
  X(FIELD_RANGE,   "E176", "field range that does not fit its field") \
  X(DEBIT_BOUND,   "E180", "cap or budget on a deduct or reverse rule")          \
  X(REVERSE_TO,    "E181", "'to' on a reverse rule")                            \
  X(REVERSE_FIELD, "E182", "reverse of a field that is not of an event type")   \
  X(SHARE_TYPE,    "E183", "share of a reversal that is not a number")          \
  X(TWO_ACTIONS,   "E184", "rule with more than one action")                     \
  X(NOT_EVENT_REF, "E185", "FIELD.NAME on a field that is not of an event type") \
  X(NEGATIVE,      "E186", "constant negative award or deduction")              \
  X(DEBIT_LOTS,    "E187", "pending or expire on a deduct or reverse rule")     \
  X(PO_SYNTAX,     "E200", "translation catalog that cannot be read")           \
  X(PO_PLACEHOLDER,"E201", "placeholder lost, renamed or added in a translation") \
  X(PO_TEMPLATE,   "E202", "anything but {name} as a placeholder in a translation") \
  X(PO_PLURAL_FORMS,"E203", "Plural-Forms header that does not suit the language") \
  X(PO_BIDI,       "E204", "bidi control character in a translation")           \
  X(PO_LANGUAGE,   "E205", "catalog for a language the program does not declare") \
  X(PO_FORMS,      "E206", "translation with the wrong number of plural forms") \
  X(PO_CONTROL,    "E207", "control character in a translated subject or title") \
  X(UNBOUNDED,     "W001", "an award with no bound per partner and no budget")       \
  X(NEVER_APPLIES, "W002", "rule that can never apply")                          \
  X(UNUSED_MSG,    "W003", "message never used")                                \
  X(PO_INCOMPLETE, "W004", "catalog with missing or fuzzy translations")        \
  X(PO_MISSING,    "W005", "declared language without a catalog")               \
  X(PO_UNKNOWN,    "W006", "translation of a text the program does not have")   \
  X(PO_NO_RULE,    "W007", "language whose plural rule incent does not know")   \
  X(ONE_FORM_COUNT, "W008", "a count in a message of one text form")
