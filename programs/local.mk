## programs/local.mk: the incent command.
bin_PROGRAMS += programs/incent
programs_incent_SOURCES = \
	programs/main.c programs/cli.c programs/cli.h \
	programs/cmd_check.c programs/cmd_build.c programs/cmd_test.c programs/cmd_pot.c \
	programs/cmd_run.c programs/cmd_balance.c programs/cmd_explain.c programs/load.c \
	programs/cmd_statement.c programs/cmd_outbox.c programs/cmd_verify.c programs/cmd_expire.c programs/input.c programs/input.h programs/rows.c programs/rows.h programs/history.c programs/history.h programs/simulate.c programs/simulate.h programs/cmd_simulate.c programs/cmd_exposure.c programs/cmd_fmt.c programs/coverage.c programs/coverage.h programs/eml.c programs/eml.h
programs_incent_LDADD = compiler/libincentc.la runtime/libincent.la $(JSONC_LIBS) $(CSV_LIBS) $(GMIME_LIBS) $(NETTLE_LIBS) $(LIBINTL)
programs_incent_CPPFLAGS = $(AM_CPPFLAGS) $(GMIME_CFLAGS)
EXTRA_DIST += programs/README.md

# The tool's own catalogs in gettext's layout under the build tree,
# share/locale/LANG/LC_MESSAGES/incent.mo, as `make install` lays them out
# under the prefix: an uninstalled incent finds them with
# INCENT_LOCALEDIR=_build/share/locale (the tests and the README do).  The
# list is locale/LINGUAS (tests/listed.tap holds them equal).
tool_languages = ar de es fr it ja ko nl pl pt_BR ru zh_CN
tool_mo = $(tool_languages:%=share/locale/%/LC_MESSAGES/incent.mo)
noinst_DATA += $(tool_mo)
CLEANFILES += $(tool_mo)
share/locale/%/LC_MESSAGES/incent.mo: locale/%.po
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(MSGFMT) --check -o $@ $<
