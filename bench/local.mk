## bench/local.mk: the benchmark suite: `make bench` prints events per second and peak memory.
noinst_PROGRAMS += bench/incent-gen
bench_incent_gen_SOURCES = bench/gen.c
EXTRA_DIST += bench/run.sh bench/README.md bench/RESULTS.md

bench: programs/incent bench/incent-gen
	INCENT=$(abs_top_builddir)/programs/incent GEN=$(abs_top_builddir)/bench/incent-gen \
	  $(SHELL) $(top_srcdir)/bench/run.sh $(top_srcdir)/examples/partner-rewards/partner-rewards.incent
.PHONY: bench
