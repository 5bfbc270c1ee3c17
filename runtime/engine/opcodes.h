/* opcodes.h: the instructions of the rule table's stack machine, listed once.
 * OP(NAME, OPERAND_BYTES, POPS, PUSHES, "what it does"): expanded into the
 * enum, the names and operand sizes used by the compiler's emitter, the
 * runtime's verifier and interpreter, and the disassembler.  Operands are
 * little-endian.  Values are decimals (numbers, money, and enum, bool, date,
 * time and tier values as whole numbers) or texts. */
#define OPCODE_LIST(OP)                                                         \
  OP(CONST,    2, 0, 1, "push constant #u16")                                   \
  OP(FIELD,    1, 0, 1, "push field #u8 of the event")                          \
  OP(ATTR,     1, 0, 1, "push attribute #u8 of the acting partner")             \
  OP(REF,      2, 0, 1, "push field #u8 (second) of the earlier event that field #u8 (first) names") \
  OP(ADD,      0, 2, 1, "a + b")                                                \
  OP(SUB,      0, 2, 1, "a - b")                                                \
  OP(MUL,      0, 2, 1, "a * b")                                                \
  OP(DIV,      0, 2, 1, "a / b, at least 6 fractional digits")                  \
  OP(DIVFLOOR, 0, 2, 1, "floor(a / b), exact")                                  \
  OP(NEG,      0, 1, 1, "-a")                                                   \
  OP(MIN,      0, 2, 1, "min(a, b)")                                            \
  OP(MAX,      0, 2, 1, "max(a, b)")                                            \
  OP(FLOOR,    0, 1, 1, "floor(a)")                                             \
  OP(EQ,       0, 2, 1, "a = b on numbers")                                     \
  OP(NE,       0, 2, 1, "a != b on numbers")                                    \
  OP(LT,       0, 2, 1, "a < b")                                                \
  OP(LE,       0, 2, 1, "a <= b")                                               \
  OP(GT,       0, 2, 1, "a > b")                                                \
  OP(GE,       0, 2, 1, "a >= b")                                               \
  OP(TEQ,      0, 2, 1, "a = b on texts")                                       \
  OP(TNE,      0, 2, 1, "a != b on texts")                                      \
  OP(NOT,      0, 1, 1, "not a")                                                \
  OP(JFALSE,   2, 1, 1, "if a is false jump +u16 keeping it, else drop it")     \
  OP(JTRUE,    2, 1, 1, "if a is true jump +u16 keeping it, else drop it")      \
  OP(IN,       4, 1, 1, "a equals one of u16 constants from #u16")              \
  OP(DATETIME, 0, 1, 1, "a date as the time of its midnight in the program's timezone") \
  OP(RET,      0, 1, 0, "return a")                                              \
  OP(PROBE,    2, 1, 1, "coverage: report a's truth as condition operand #u16 (incent test --coverage)")

typedef enum rt_opcode {
#define OP(name, bytes, pops, pushes, doc) RT_OP_##name,
  OPCODE_LIST(OP)
#undef OP
  RT_OP_COUNT
} rt_opcode;
