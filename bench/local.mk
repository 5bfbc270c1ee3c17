## bench/local.mk: the benchmark suite: `make bench` prints events per second and peak memory.
noinst_PROGRAMS += bench/incent-gen
bench_incent_gen_SOURCES = bench/gen.c
EXTRA_DIST += bench/run.sh bench/ab.sh bench/simulate.sh bench/README.md bench/RESULTS.md

bench: programs/incent bench/incent-gen $(example_mo)
	INCENT=$(abs_top_builddir)/programs/incent GEN=$(abs_top_builddir)/bench/incent-gen \
	  LOCALE_DIR=$(abs_top_builddir)/examples/partner-rewards/locale \
	  $(SHELL) $(top_srcdir)/bench/run.sh $(top_srcdir)/examples/partner-rewards/partner-rewards.incent
.PHONY: bench

# incent simulate against incent run on the same million events
bench-simulate: programs/incent bench/incent-gen $(example_mo)
	INCENT=$(abs_top_builddir)/programs/incent GEN=$(abs_top_builddir)/bench/incent-gen \
	  LOCALE_DIR=$(abs_top_builddir)/examples/partner-rewards/locale \
	  $(SHELL) $(top_srcdir)/bench/simulate.sh $(top_srcdir)/examples/partner-rewards/partner-rewards.incent
.PHONY: bench-simulate
