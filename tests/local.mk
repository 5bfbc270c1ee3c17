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
	LANGUAGE=; export LANGUAGE; LC_ALL=C.UTF-8; export LC_ALL;

check_PROGRAMS += tests/unit/test_decimal
tests_unit_test_decimal_SOURCES = tests/unit/test_decimal.c tests/unit/tap.h
tests_unit_test_decimal_LDADD = runtime/libincent-core.la

TESTS += tests/unit/test_decimal tests/hostile.tap tests/cli.tap tests/keywords.tap tests/listed.tap
include tests/check/list.mk
EXTRA_DIST += tests/stanza.sh tests/tap.sh tests/hostile.tap tests/cli.tap tests/keywords.tap tests/listed.tap \
	tests/check/list.mk $(dist_stanza_tests)
