#!/bin/sh
# simulate.sh: incent simulate against incent run on the same data: 10,000
# partners and EVENTS mixed events (fixed seed, with redemptions and refunds)
# for the example program; prints events per second and peak memory of a run
# into a fresh ledger (messages rendered, as operations run it), of simulate
# OLD NEW (the example against a copy with Gold's multiplier raised: two
# engines, nothing written), and of simulate NEW --ledger on that ledger.
#   INCENT=... GEN=... LOCALE_DIR=... sh bench/simulate.sh PROGRAM [EVENTS]
set -eu
program=$1
events=${2:-1000000}
: "${INCENT:?INCENT must name the incent binary}" "${GEN:?GEN must name incent-gen}" "${LOCALE_DIR:?LOCALE_DIR must name the catalogs of the program}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/incent-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$GEN" 10000 "$events" 42 "$dir/partners.csv" "$dir/events.csv" account
sed 's/multiplier 1.25/multiplier 1.5/' "$program" > "$dir/new.incent"
"$INCENT" build "$program" -o "$dir/old.irt"
"$INCENT" build "$dir/new.incent" -o "$dir/new.irt"
measure() { # LABEL COMMAND...
  label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" > "$dir/out" 2> "$dir/err" || true
  tail -n 1 "$dir/time" > "$dir/t1" # time says first when the command exited non-zero (rejected rows)
  read -r secs kb < "$dir/t1"
  awk -v l="$label" -v n="$events" -v s="$secs" -v kb="$kb" \
    'BEGIN { printf "%-26s %9d events %7.2f s %9.0f events/s  peak %6.1f MiB\n", l, n, s, n / s, kb / 1024 }'
}
echo "incent simulate and run: $(basename "$program"), 10000 partners, seed 42, $(nproc) cores, with redemptions and refunds"
measure "run, a fresh ledger" "$INCENT" run "$dir/old.irt" --locale-dir "$LOCALE_DIR" --partners "$dir/partners.csv" \
  --events "$dir/events.csv" --ledger "$dir/ledger.db"
measure "simulate OLD NEW" "$INCENT" simulate "$dir/old.irt" "$dir/new.irt" --partners "$dir/partners.csv" \
  --events "$dir/events.csv" --format json
sed -n 's/^ "events": \([0-9]*\).*/  (simulated events: \1)/p' "$dir/out"
measure "simulate NEW --ledger" "$INCENT" simulate "$dir/new.irt" --ledger "$dir/ledger.db" --format json
