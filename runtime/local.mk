## runtime/local.mk: libincent, the installed runtime library, and its pkg-config file.
noinst_LTLIBRARIES += runtime/libincent-core.la
runtime_libincent_core_la_SOURCES = \
	runtime/base/decimal.c runtime/base/decimal.h \
	runtime/base/civil.c runtime/base/civil.h \
	runtime/base/tz.c runtime/base/tz.h \
	runtime/base/strmap.c runtime/base/strmap.h \
	runtime/messages/template.c runtime/messages/template.h \
	runtime/messages/plural.c runtime/messages/plural.h \
	runtime/messages/catalog.c runtime/messages/catalog.h \
	runtime/messages/format.c runtime/messages/format.h \
	runtime/base/readfile.c runtime/base/readfile.h \
	runtime/base/text.c runtime/base/text.h \
	runtime/base/util.c runtime/base/util.h \
	runtime/base/i18n.h
runtime_libincent_core_la_CPPFLAGS = $(AM_CPPFLAGS) $(ICU_CFLAGS)
runtime_libincent_core_la_LIBADD = $(ICU_LIBS)

lib_LTLIBRARIES += runtime/libincent.la
runtime_libincent_la_SOURCES = \
	runtime/incent.h runtime/engine/table.h runtime/engine/table_format.h runtime/engine/opcodes.h runtime/messages/contexts.h \
	runtime/engine/table.c runtime/engine/dump.c \
	runtime/engine/engine.h runtime/engine/engine.c runtime/engine/apply.c runtime/engine/account.h runtime/engine/account.c \
	runtime/engine/counters.h runtime/engine/counters.c runtime/engine/vm.c runtime/ledger/ledger.c runtime/ledger/ledger_int.h runtime/ledger/history.c runtime/ledger/replay.c runtime/ledger/state.c runtime/ledger/balance.c runtime/ledger/explain.c \
	runtime/messages/messages.c runtime/messages/messages.h runtime/ledger/statement.c runtime/ledger/statement_html.c runtime/ledger/statement_detail.c runtime/ledger/statement_int.h runtime/ledger/statement_account.c runtime/ledger/statement_account.h \
	runtime/ledger/batch.c runtime/ledger/batch.h \
	runtime/ledger/chain.c runtime/ledger/chain.h
runtime_libincent_la_LIBADD = runtime/libincent-core.la $(NETTLE_LIBS) $(SQLITE3_LIBS) $(LTLIBINTL)
runtime_libincent_la_LDFLAGS = $(AM_LDFLAGS) -version-info 0:0:0 -export-symbols-regex '^incent_'
include_HEADERS += runtime/incent.h
pkgconfig_DATA += runtime/incent.pc
EXTRA_DIST += runtime/incent.pc.in runtime/README.md runtime/engine/README.md runtime/ledger/README.md runtime/messages/README.md runtime/base/README.md
