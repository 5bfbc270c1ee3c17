## tests/local.mk: everything `make check` runs, through Automake's parallel harness.
TEST_EXTENSIONS = .test .tap
TEST_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/stanza.sh
TAP_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TAP_LOG_COMPILER = $(SHELL)
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	INCENT='$(abs_top_builddir)/programs/incent'; export INCENT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	INCENT_LOCALEDIR='$(abs_top_builddir)/share/locale'; export INCENT_LOCALEDIR; \
	LANGUAGE=; export LANGUAGE; LC_ALL=C.UTF-8; export LC_ALL; \
	ASAN_OPTIONS=$${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}; export ASAN_OPTIONS; \
	LSAN_OPTIONS=$${LSAN_OPTIONS:-suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0}; export LSAN_OPTIONS; \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-halt_on_error=1:exitcode=87:print_stacktrace=1}; export UBSAN_OPTIONS;

check_PROGRAMS += tests/unit/test_decimal
tests_unit_test_decimal_SOURCES = tests/unit/test_decimal.c tests/unit/tap.h
tests_unit_test_decimal_LDADD = runtime/libincent-core.la

check_PROGRAMS += tests/fuzz/replay_parse tests/fuzz/replay_table
tests_fuzz_replay_parse_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_parse.c tests/fuzz/fuzz.h
tests_fuzz_replay_parse_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_replay_table_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_table.c tests/fuzz/fuzz.h
tests_fuzz_replay_table_LDADD = runtime/libincent.la $(NETTLE_LIBS)

# A replay program per fuzz target: its seeds (corpus-NAME/) and the inputs
# that once failed it (regress-NAME/), under `make check`.
check_PROGRAMS += tests/fuzz/replay_po
tests_fuzz_replay_po_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_po.c tests/fuzz/fuzz.h
tests_fuzz_replay_po_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_replay_po_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SRCDIR='"$(abs_top_srcdir)"'
TESTS += tests/fuzz/replay_po.tap
EXTRA_DIST += tests/fuzz/replay_po.tap
EXTRA_DIST += tests/fuzz/regress-po
EXTRA_DIST += tests/fuzz/corpus-po
check_PROGRAMS += tests/fuzz/replay_mo
tests_fuzz_replay_mo_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_mo.c tests/fuzz/fuzz.h
tests_fuzz_replay_mo_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_mo.tap
EXTRA_DIST += tests/fuzz/replay_mo.tap
EXTRA_DIST += tests/fuzz/regress-mo
EXTRA_DIST += tests/fuzz/corpus-mo
check_PROGRAMS += tests/fuzz/replay_plural
tests_fuzz_replay_plural_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_plural.c tests/fuzz/fuzz.h
tests_fuzz_replay_plural_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_plural.tap
EXTRA_DIST += tests/fuzz/replay_plural.tap
EXTRA_DIST += tests/fuzz/regress-plural
EXTRA_DIST += tests/fuzz/corpus-plural
check_PROGRAMS += tests/fuzz/replay_template
tests_fuzz_replay_template_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_template.c tests/fuzz/fuzz.h
tests_fuzz_replay_template_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_template.tap
EXTRA_DIST += tests/fuzz/replay_template.tap
EXTRA_DIST += tests/fuzz/regress-template
EXTRA_DIST += tests/fuzz/corpus-template
check_PROGRAMS += tests/fuzz/replay_render
tests_fuzz_replay_render_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_template.c tests/fuzz/fuzz.h
tests_fuzz_replay_render_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_replay_render_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_RENDER
TESTS += tests/fuzz/replay_render.tap
EXTRA_DIST += tests/fuzz/replay_render.tap
check_PROGRAMS += tests/fuzz/replay_ledger
tests_fuzz_replay_ledger_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_ledger.c tests/fuzz/fuzz.h
tests_fuzz_replay_ledger_LDADD = runtime/libincent.la
TESTS += tests/fuzz/replay_ledger.tap tests/fuzz/seeds.tap
EXTRA_DIST += tests/fuzz/replay_ledger.tap tests/fuzz/seeds.tap
EXTRA_DIST += tests/fuzz/regress-ledger
EXTRA_DIST += tests/fuzz/corpus-ledger
check_PROGRAMS += tests/fuzz/replay_tz
tests_fuzz_replay_tz_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_tz.c tests/fuzz/fuzz.h
tests_fuzz_replay_tz_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_tz.tap
EXTRA_DIST += tests/fuzz/replay_tz.tap
EXTRA_DIST += tests/fuzz/regress-tz
EXTRA_DIST += tests/fuzz/corpus-tz
check_PROGRAMS += tests/fuzz/replay_decimal
tests_fuzz_replay_decimal_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_decimal.c tests/fuzz/fuzz.h
tests_fuzz_replay_decimal_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_decimal.tap
EXTRA_DIST += tests/fuzz/replay_decimal.tap
EXTRA_DIST += tests/fuzz/regress-decimal
EXTRA_DIST += tests/fuzz/corpus-decimal
check_PROGRAMS += tests/fuzz/replay_time
tests_fuzz_replay_time_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_time.c tests/fuzz/fuzz.h
tests_fuzz_replay_time_LDADD = runtime/libincent-core.la
TESTS += tests/fuzz/replay_time.tap
EXTRA_DIST += tests/fuzz/replay_time.tap
EXTRA_DIST += tests/fuzz/regress-time
EXTRA_DIST += tests/fuzz/corpus-time
check_PROGRAMS += tests/fuzz/replay_engine
tests_fuzz_replay_engine_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_engine.c tests/fuzz/fuzz.h programs/history.c programs/history.h
tests_fuzz_replay_engine_LDADD = compiler/libincentc.la runtime/libincent.la $(NETTLE_LIBS) $(LIBINTL)
tests_fuzz_replay_engine_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SRCDIR='"$(abs_top_srcdir)"'
TESTS += tests/fuzz/replay_engine.tap
EXTRA_DIST += tests/fuzz/replay_engine.tap
EXTRA_DIST += tests/fuzz/regress-engine
EXTRA_DIST += tests/fuzz/corpus-engine
check_PROGRAMS += tests/fuzz/replay_engine_table
tests_fuzz_replay_engine_table_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz_engine.c tests/fuzz/fuzz.h programs/history.c programs/history.h
tests_fuzz_replay_engine_table_LDADD = compiler/libincentc.la runtime/libincent.la $(NETTLE_LIBS) $(LIBINTL)
tests_fuzz_replay_engine_table_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TABLE_TOO
TESTS += tests/fuzz/replay_engine_table.tap
EXTRA_DIST += tests/fuzz/replay_engine_table.tap
EXTRA_DIST += tests/fuzz/regress-engine_table
EXTRA_DIST += tests/fuzz/corpus-engine_table

check_PROGRAMS += tests/unit/test_tz
tests_unit_test_tz_SOURCES = tests/unit/test_tz.c tests/unit/tap.h
tests_unit_test_tz_LDADD = runtime/libincent-core.la

check_PROGRAMS += tests/unit/test_catalog
tests_unit_test_catalog_SOURCES = tests/unit/test_catalog.c tests/unit/tap.h
tests_unit_test_catalog_LDADD = runtime/libincent-core.la $(LIBINTL)

check_PROGRAMS += tests/unit/test_format
tests_unit_test_format_SOURCES = tests/unit/test_format.c tests/unit/tap.h
tests_unit_test_format_LDADD = runtime/libincent-core.la

check_PROGRAMS += tests/unit/test_table
tests_unit_test_table_SOURCES = tests/unit/test_table.c tests/unit/tap.h
tests_unit_test_table_LDADD = compiler/libincentc.la runtime/libincent.la $(NETTLE_LIBS) $(LIBINTL)

check_PROGRAMS += tests/unit/test_account
tests_unit_test_account_SOURCES = tests/unit/test_account.c tests/unit/tap.h
tests_unit_test_account_LDADD = compiler/libincentc.la runtime/libincent.la $(SQLITE3_LIBS) $(LIBINTL)
TESTS += tests/unit/test_account tests/crash_account.tap tests/crash_writes.tap tests/account.tap tests/simulate.tap tests/exposure.tap tests/coverage.tap tests/fmt.tap
EXTRA_DIST += tests/crash_account.tap tests/crash_writes.tap tests/simulate.tap tests/simulate/shop-old.incent tests/simulate/shop-new.incent tests/exposure.tap tests/exposure/bounded.incent tests/exposure/unbounded.incent tests/coverage.tap tests/coverage/small.incent tests/fmt.tap tests/account/crash.incent tests/account/gen-events.awk tests/account.tap \
  tests/account/lifecycle.incent

TESTS += tests/input.tap tests/ledgerfile.tap
EXTRA_DIST += tests/ledgerfile.tap
EXTRA_DIST += tests/input.tap
TESTS += tests/unit/test_decimal tests/unit/test_tz tests/unit/test_format tests/unit/test_table tests/fuzz/replay_parse.tap tests/fuzz/replay_table.tap tests/hostile.tap tests/examples.tap tests/run.tap tests/crash.tap tests/batches.tap tests/pot.tap tests/po.tap tests/catalogs.tap tests/cli.tap tests/keywords.tap tests/listed.tap tests/messages.tap tests/eml.tap tests/browser.tap tests/statements.tap
TESTS += tests/verify.tap
EXTRA_DIST += tests/verify.tap
TESTS += tests/titles.tap
EXTRA_DIST += tests/titles.tap tests/titles
include tests/check/list.mk
EXTRA_DIST += tests/stanza.sh tests/tap.sh tests/lsan.supp tests/catalogs tests/hostile.tap tests/examples.tap tests/run.tap tests/crash.tap tests/batches.tap tests/pot.tap tests/po.tap tests/catalogs.tap tests/golden tests/examples.tap tests/cli.tap tests/keywords.tap tests/listed.tap tests/messages.tap tests/eml.tap tests/browser.tap tests/messages tests/statements.tap tests/statements \
	tests/check/list.mk tests/check/update-list.sh $(dist_stanza_tests)

# the LD_PRELOAD shims of fault.tap and tests/fault/shim.sh: shared objects
# (-rpath makes libtool build one), without the sanitizers' flags
check_LTLIBRARIES = tests/fault/libfailwrite.la tests/fault/libfailmalloc.la
tests_fault_libfailwrite_la_SOURCES = tests/fault/failwrite.c
tests_fault_libfailwrite_la_CFLAGS =
tests_fault_libfailwrite_la_LDFLAGS = -module -avoid-version -rpath /nowhere
tests_fault_libfailwrite_la_LIBADD = -ldl
tests_fault_libfailmalloc_la_SOURCES = tests/fault/failmalloc.c
tests_fault_libfailmalloc_la_CFLAGS =
tests_fault_libfailmalloc_la_LDFLAGS = -module -avoid-version -rpath /nowhere
tests_fault_libfailmalloc_la_LIBADD = -ldl
TESTS += tests/fault.tap
EXTRA_DIST += tests/fault.tap tests/fault/shim.sh tests/fault/RESULTS.md

# libFuzzer targets, built with ./configure --enable-fuzz CC=clang (see .ci/run).
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_parse tests/fuzz/fuzz_table
tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz_parse.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_parse_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_table_SOURCES = tests/fuzz/fuzz_table.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_table_LDADD = runtime/libincent.la $(NETTLE_LIBS)
tests_fuzz_fuzz_table_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_po
tests_fuzz_fuzz_po_SOURCES = tests/fuzz/fuzz_po.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_po_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_fuzz_po_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_po_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SRCDIR='"$(abs_top_srcdir)"'
noinst_PROGRAMS += tests/fuzz/fuzz_mo
tests_fuzz_fuzz_mo_SOURCES = tests/fuzz/fuzz_mo.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_mo_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_mo_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_plural
tests_fuzz_fuzz_plural_SOURCES = tests/fuzz/fuzz_plural.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_plural_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_plural_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_template
tests_fuzz_fuzz_template_SOURCES = tests/fuzz/fuzz_template.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_template_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_template_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_render
tests_fuzz_fuzz_render_SOURCES = tests/fuzz/fuzz_template.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_render_LDADD = compiler/libincentc.la runtime/libincent.la $(LIBINTL)
tests_fuzz_fuzz_render_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_render_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_RENDER
noinst_PROGRAMS += tests/fuzz/fuzz_ledger
tests_fuzz_fuzz_ledger_SOURCES = tests/fuzz/fuzz_ledger.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_ledger_LDADD = runtime/libincent.la
tests_fuzz_fuzz_ledger_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_tz
tests_fuzz_fuzz_tz_SOURCES = tests/fuzz/fuzz_tz.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_tz_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_tz_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_decimal
tests_fuzz_fuzz_decimal_SOURCES = tests/fuzz/fuzz_decimal.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_decimal_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_decimal_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_time
tests_fuzz_fuzz_time_SOURCES = tests/fuzz/fuzz_time.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_time_LDADD = runtime/libincent-core.la
tests_fuzz_fuzz_time_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_engine
tests_fuzz_fuzz_engine_SOURCES = tests/fuzz/fuzz_engine.c tests/fuzz/fuzz.h programs/history.c programs/history.h
tests_fuzz_fuzz_engine_LDADD = compiler/libincentc.la runtime/libincent.la $(NETTLE_LIBS) $(LIBINTL)
tests_fuzz_fuzz_engine_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_engine_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SRCDIR='"$(abs_top_srcdir)"'
noinst_PROGRAMS += tests/fuzz/fuzz_engine_table
tests_fuzz_fuzz_engine_table_SOURCES = tests/fuzz/fuzz_engine.c tests/fuzz/fuzz.h programs/history.c programs/history.h
tests_fuzz_fuzz_engine_table_LDADD = compiler/libincentc.la runtime/libincent.la $(NETTLE_LIBS) $(LIBINTL)
tests_fuzz_fuzz_engine_table_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_engine_table_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TABLE_TOO
endif
EXTRA_DIST += tests/fuzz/replay_parse.tap tests/fuzz/replay_table.tap \
	tests/fuzz/regress-parse tests/fuzz/regress-table

# The reader of partner and event files, three ways: events as CSV, as JSON Lines, and partners.
fuzz_input_sources = tests/fuzz/fuzz_input.c tests/fuzz/fuzz.h programs/input.c programs/input.h programs/rows.c programs/rows.h
fuzz_input_ldadd = compiler/libincentc.la runtime/libincent.la $(JSONC_LIBS) $(CSV_LIBS) $(LIBINTL)
check_PROGRAMS += tests/fuzz/replay_input_csv tests/fuzz/replay_input_jsonl tests/fuzz/replay_input_partners
tests_fuzz_replay_input_csv_SOURCES = tests/fuzz/replay.c $(fuzz_input_sources)
tests_fuzz_replay_input_csv_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=0
tests_fuzz_replay_input_csv_LDADD = $(fuzz_input_ldadd)
tests_fuzz_replay_input_jsonl_SOURCES = tests/fuzz/replay.c $(fuzz_input_sources)
tests_fuzz_replay_input_jsonl_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=1
tests_fuzz_replay_input_jsonl_LDADD = $(fuzz_input_ldadd)
tests_fuzz_replay_input_partners_SOURCES = tests/fuzz/replay.c $(fuzz_input_sources)
tests_fuzz_replay_input_partners_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=2
tests_fuzz_replay_input_partners_LDADD = $(fuzz_input_ldadd)
TESTS += tests/fuzz/replay_input_csv.tap tests/fuzz/replay_input_jsonl.tap tests/fuzz/replay_input_partners.tap
EXTRA_DIST += tests/fuzz/replay_input_csv.tap tests/fuzz/replay_input_jsonl.tap tests/fuzz/replay_input_partners.tap \
	tests/fuzz/regress-input_csv tests/fuzz/regress-input_jsonl tests/fuzz/regress-input_partners \
	tests/fuzz/corpus-input_csv tests/fuzz/corpus-input_jsonl tests/fuzz/corpus-input_partners \
	tests/fuzz/input_csv.dict tests/fuzz/input_jsonl.dict
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_input_csv tests/fuzz/fuzz_input_jsonl tests/fuzz/fuzz_input_partners
tests_fuzz_fuzz_input_csv_SOURCES = $(fuzz_input_sources)
tests_fuzz_fuzz_input_csv_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=0
tests_fuzz_fuzz_input_csv_LDADD = $(fuzz_input_ldadd)
tests_fuzz_fuzz_input_csv_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_input_jsonl_SOURCES = $(fuzz_input_sources)
tests_fuzz_fuzz_input_jsonl_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=1
tests_fuzz_fuzz_input_jsonl_LDADD = $(fuzz_input_ldadd)
tests_fuzz_fuzz_input_jsonl_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_input_partners_SOURCES = $(fuzz_input_sources)
tests_fuzz_fuzz_input_partners_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_INPUT=2
tests_fuzz_fuzz_input_partners_LDADD = $(fuzz_input_ldadd)
tests_fuzz_fuzz_input_partners_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/RESULTS.md
EXTRA_DIST += tests/fuzz/po.dict
EXTRA_DIST += tests/fuzz/mo.dict
EXTRA_DIST += tests/fuzz/plural.dict
EXTRA_DIST += tests/fuzz/template.dict
EXTRA_DIST += tests/fuzz/ledger.dict
EXTRA_DIST += tests/fuzz/tz.dict
EXTRA_DIST += tests/fuzz/decimal.dict
EXTRA_DIST += tests/fuzz/time.dict
EXTRA_DIST += tests/fuzz/engine.dict
EXTRA_DIST += tests/fuzz/parse.dict
