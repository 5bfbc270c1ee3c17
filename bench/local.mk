## bench/local.mk: the benchmark suite (run with `make bench`).
EXTRA_DIST += bench/README.md
