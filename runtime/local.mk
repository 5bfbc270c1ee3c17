## runtime/local.mk: libincent, the installed runtime library, and its pkg-config file.
noinst_LTLIBRARIES += runtime/libincent-core.la
runtime_libincent_core_la_SOURCES = \
	runtime/decimal.c runtime/decimal.h \
	runtime/civil.c runtime/civil.h \
	runtime/tz.c runtime/tz.h \
	runtime/strmap.c runtime/strmap.h \
	runtime/template.c runtime/template.h \
	runtime/plural.c runtime/plural.h \
	runtime/catalog.c runtime/catalog.h \
	runtime/format.c runtime/format.h \
	runtime/readfile.c runtime/readfile.h \
	runtime/text.c runtime/text.h \
	runtime/util.c runtime/util.h
runtime_libincent_core_la_CPPFLAGS = $(AM_CPPFLAGS) $(ICU_CFLAGS)
runtime_libincent_core_la_LIBADD = $(ICU_LIBS)

lib_LTLIBRARIES += runtime/libincent.la
runtime_libincent_la_SOURCES = \
	runtime/incent.h runtime/table.h runtime/table_format.h runtime/opcodes.h runtime/contexts.h \
	runtime/table.c runtime/dump.c \
	runtime/engine.h runtime/engine.c runtime/apply.c runtime/account.h runtime/account.c \
	runtime/counters.h runtime/counters.c runtime/vm.c runtime/ledger.c runtime/ledger_int.h runtime/history.c runtime/state.c runtime/balance.c runtime/explain.c \
	runtime/messages.c runtime/messages.h runtime/statement.c runtime/statement_account.c runtime/statement_account.h \
	runtime/batch.c runtime/batch.h \
	runtime/chain.c runtime/chain.h
runtime_libincent_la_LIBADD = runtime/libincent-core.la $(NETTLE_LIBS) $(SQLITE3_LIBS)
runtime_libincent_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -export-symbols-regex '^incent_'
include_HEADERS += runtime/incent.h
pkgconfig_DATA += runtime/incent.pc
EXTRA_DIST += runtime/incent.pc.in runtime/README.md
