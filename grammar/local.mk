## grammar/local.mk: the scanner and the parser, built into the compiler library.
grammar_sources = grammar/parser.y grammar/lexer.l grammar/parse.h grammar/keywords.h
BUILT_SOURCES += grammar/parser.h
# The scanner includes the parser's header: built first even when make is
# asked for one target only (BUILT_SOURCES covers all, check and install).
grammar/lexer.lo: grammar/parser.h
