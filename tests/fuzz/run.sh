#!/bin/sh
# run.sh: runs libFuzzer targets one after another, each for SECONDS with its
# seed corpus and dictionary, and prints per target its executions, exec/s
# and findings; exits non-zero when any target found something.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]   (TARGET: po, fuzz_po; default: all)
#
# The targets come from a build configured with --enable-fuzz (see .ci/run),
# in $BUILD (default _build-fuzz, relative to the source tree).  New inputs
# go to $BUILD/fuzz-corpus/TARGET, findings to $BUILD/fuzz-findings/ and
# each log to $BUILD/fuzz-TARGET.log.  $RUNS caps the executions per target
# (-runs); $CPU_SECONDS stops a target once it has had that much CPU time
# (a long run on a shared machine); $FUZZ_FLAGS adds libFuzzer flags.  Run
# it under `nice -n 19` on a shared machine.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-_build-fuzz}
case $build in /*) ;; *) build=$top/$build ;; esac
all="parse table po mo plural template render ledger tz decimal time engine engine_table input_csv input_jsonl input_partners"
if [ $# -lt 1 ] || ! [ "$1" -ge 0 ] 2>/dev/null; then
  echo "usage: $0 SECONDS [TARGET...]   (targets: $all)" >&2
  exit 2
fi
seconds=$1
shift
targets=${*:-$all}
# the sanitizers' settings of `make check`; libgettextpo's own leaks are
# suppressed.  A quarantine of 64 MiB of freed memory (ASan's default is
# 256 MiB) still holds far more than any one input frees, so a use after
# free within an input is still caught, and it spares the page faults of
# cycling through a quarter of a gigabyte (a fifth of the time of the
# slowest targets).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
mkdir -p "$build/fuzz-findings"
status=0
printf '%-14s %12s %8s %8s  %s\n' target executions exec/s seconds findings
for t in $targets; do
  t=${t#fuzz_}
  bin=$build/tests/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    printf '%-14s not built: %s\n' "$t" "$bin"
    status=1
    continue
  fi
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  # fuzz_render shares the template target's seeds and dictionary, fuzz_engine_table the engine's
  base=$t
  [ "$t" = render ] && base=template
  [ "$t" = engine_table ] && base=engine
  seeds=$top/tests/fuzz/corpus-$base
  [ "$t" = engine_table ] && seeds=$top/tests/fuzz/corpus-$t
  dict=$top/tests/fuzz/$base.dict
  [ "$t" = input_partners ] && dict=$top/tests/fuzz/input_csv.dict # the same CSV, other columns
  case $t in
    parse | table)
      # generated seeds: the example programs and the stanza tests' programs, and their tables
      programs=$build/fuzz-seeds/parse
      mkdir -p "$programs"
      cp "$top"/examples/*/*.incent "$programs/"
      for s in "$top"/tests/check/*.test; do
        sed -n '/^%%PROGRAM/,/^%%OUTPUT/p' "$s" | sed '1d;$d' > "$programs/$(basename "$s" .test).incent"
      done
      seeds=$programs
      if [ "$t" = table ]; then
        seeds=$build/fuzz-seeds/table
        mkdir -p "$seeds"
        # the tables are built by the build's own incent, brought up to date
        # first: an incent older than the fuzzed loader writes tables of a
        # format it refuses at the door (37 edges instead of 543)
        incent=$build/programs/incent
        make -C "$build" --no-print-directory -s programs/incent > /dev/null 2>&1 || true
        [ -x "$incent" ] || incent=$top/_build/programs/incent
        for p in "$programs"/*.incent; do
          "$incent" build "$p" -o "$seeds/$(basename "$p" .incent).tbl" > /dev/null 2>&1
        done
      fi
      ;;
  esac
  set -- -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/fuzz-findings/$t-"
  [ -f "$dict" ] && set -- "$@" -dict="$dict"
  [ -n "${RUNS:-}" ] && set -- "$@" -runs="$RUNS"
  # libgettextpo leaks (suppressed) on every input, which would make
  # libFuzzer scan for leaks after every one: leaks are checked at exit instead
  [ "$t" = po ] && set -- "$@" -detect_leaks=0
  # and those leaks (about 0.6 KB an input) pass libFuzzer's 2 GiB limit of
  # memory after some 3 million inputs: po gets 8 GiB, room for 10 million
  [ "$t" = po ] && set -- "$@" -rss_limit_mb=8192
  log=$build/fuzz-$t.log
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$bin" "$@" ${FUZZ_FLAGS:-} "$corpus" "$seeds" > "$log" 2>&1 &
  pid=$!
  cpu=0
  if [ -n "${CPU_SECONDS:-}" ]; then
    # on a shared machine SECONDS of wall time are less than SECONDS of
    # fuzzing: stop the target (SIGINT: libFuzzer prints its statistics)
    # once its own CPU time (user and system) reaches CPU_SECONDS
    tick=$(getconf CLK_TCK)
    while kill -0 "$pid" 2> /dev/null; do
      # fields 14 and 15 of /proc/PID/stat, counted after the command's ")"
      cpu=$(sed 's/.*) //' "/proc/$pid/stat" 2> /dev/null | awk -v t="$tick" '{ print int(($12 + $13) / t) }')
      if [ "${cpu:-0}" -ge "$CPU_SECONDS" ]; then
        kill -INT "$pid"
        break
      fi
      sleep 5
    done
  fi
  wait "$pid"
  st=$?
  took=$(($(date +%s) - start))
  # libFuzzer's exit status after SIGINT (its -interrupted_exitcode)
  [ -n "${CPU_SECONDS:-}" ] && [ "${cpu:-0}" -ge "$CPU_SECONDS" ] && [ "$st" -eq 72 ] && st=0
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  findings=$(grep -c -E '^==[0-9]+==ERROR|runtime error:|^SUMMARY: libFuzzer' "$log")
  what=none
  if [ "$st" -ne 0 ] || [ "$findings" -gt 0 ]; then
    what="exit $st: $(grep -m 1 -E '^==[0-9]+==ERROR|runtime error:|^SUMMARY' "$log" | cut -c 1-100) (see $log)"
    status=1
  elif [ "${rate:-0}" -lt 1000 ]; then
    what="none; slower than 1,000 exec/s"
  fi
  printf '%-14s %12s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$took" "$what"
done
exit $status
