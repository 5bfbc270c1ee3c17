## grammar/local.mk: the scanner and the parser, built into the compiler library.
grammar_sources = grammar/parser.y grammar/lexer.l grammar/parse.h grammar/keywords.h
BUILT_SOURCES += grammar/parser.h
