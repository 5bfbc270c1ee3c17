## programs/local.mk: the incent command.
bin_PROGRAMS += programs/incent
programs_incent_SOURCES = \
	programs/main.c programs/cli.c programs/cli.h \
	programs/cmd_check.c programs/cmd_build.c programs/cmd_test.c programs/cmd_pot.c \
	programs/cmd_run.c programs/cmd_balance.c programs/cmd_explain.c programs/load.c
programs_incent_LDADD = compiler/libincentc.la runtime/libincent.la $(JSONC_LIBS) $(CSV_LIBS) $(LIBINTL)
EXTRA_DIST += programs/README.md
