## compiler/local.mk: the compiler library (grammar included); linked by the command only.
noinst_LTLIBRARIES += compiler/libincentc.la
compiler_libincentc_la_SOURCES = \
	$(grammar_sources) \
	compiler/ast.c compiler/ast.h \
	compiler/diag.c compiler/diag.h compiler/diag_codes.h compiler/i18n.h \
	compiler/program.h compiler/types.c \
	compiler/check_decls.c compiler/check_rules.c compiler/check_messages.c compiler/check_tests.c \
	compiler/template.c compiler/template.h \
	compiler/emit.c compiler/emit.h compiler/exposure.c compiler/exposure.h compiler/fmt.c compiler/fmt.h \
	compiler/pot.c compiler/pot.h \
	compiler/check_po.c compiler/check_po.h \
	compiler/compile.c compiler/compile.h
compiler_libincentc_la_LIBADD = runtime/libincent-core.la $(NETTLE_LIBS) $(GETTEXTPO_LIBS) $(LTLIBINTL)
