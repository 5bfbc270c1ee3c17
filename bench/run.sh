#!/bin/sh
# run.sh: the benchmark of incent run: 10,000 partners and 1,000,000 mixed
# events (fixed seed) against a program; prints events per second and peak
# memory for a run into a fresh ledger, for a replay of the same file, and for
# the same events under new ids into the ledger that now holds them; then how
# fast incent verify reads the ledger's chain back, how long opening the
# full ledger takes for `balance --partner` and `explain`, and statements per
# second of `statement --all` for a quarter in text, HTML and JSON.
#   INCENT=... GEN=... [LOCALE_DIR=...] [ACCOUNT=1] sh bench/run.sh PROGRAM [EVENTS]
# ACCOUNT=1: about 2 % of the events are redemptions and 3 % refunds
# (incent-gen account; the program must declare redeem and refund).
# LOCALE_DIR is the program's catalogs (incent run --locale-dir): every
# message the run queues is rendered in its partner's language.
set -eu
program=$1
events=${2:-1000000}
: "${INCENT:?INCENT must name the incent binary}" "${GEN:?GEN must name incent-gen}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/incent-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$GEN" 10000 "$events" 42 "$dir/partners.csv" "$dir/events.csv" ${ACCOUNT:+account}
"$INCENT" build "$program" -o "$dir/program.irt"
measure() {
  label=$1 file=${2:-$dir/events.csv}
  /usr/bin/time -f "%e %M" -o "$dir/time" "$INCENT" run "$dir/program.irt" ${LOCALE_DIR:+--locale-dir "$LOCALE_DIR"} \
    --partners "$dir/partners.csv" --events "$file" --ledger "$dir/ledger.db" > "$dir/summary" || true
  tail -n 1 "$dir/time" | { read -r secs kb; echo "$secs $kb"; } > "$dir/t1"; read -r secs kb < "$dir/t1"
  awk -v l="$label" -v n="$events" -v s="$secs" -v kb="$kb" -v sum="$(cat "$dir/summary")" \
    'BEGIN { printf "%-22s %9d events %7.2f s %9.0f events/s  peak %6.1f MiB  (%s)\n", l, n, s, n / s, kb / 1024, sum }'
}
echo "incent run: $(basename "$program"), 10000 partners, seed 42, $(nproc) cores${ACCOUNT:+, with redemptions and refunds}"
measure "into a fresh ledger"
measure "replay (all duplicates)"
# the same events under new ids: each is looked up in a ledger that holds a million
sed 's/^e/n/' "$dir/events.csv" > "$dir/more.csv"
measure "new ids, full ledger" "$dir/more.csv"
# verify reads the whole ledger back: every entry's chain and every event's digest
/usr/bin/time -f "%e %M" -o "$dir/time" "$INCENT" verify --ledger "$dir/ledger.db" --format json > "$dir/verify" || true
read -r secs kb < "$dir/time"
entries=$(sed -n 's/.*"entries": \([0-9]*\).*/\1/p' "$dir/verify")
intact=$(sed -n 's/.*"intact": \([a-z]*\).*/\1/p' "$dir/verify")
evs=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$dir/verify")
awk -v n="${entries:-0}" -v e="${evs:-0}" -v s="$secs" -v kb="$kb" -v ok="$intact" \
  'BEGIN { printf "%-22s %9d entries %6.2f s %9.0f entries/s  peak %6.1f MiB  (and %d events; intact: %s)\n", "verify", n, s, n / s, kb / 1024, e, ok }'
ls -l "$dir/ledger.db" | awk '{ printf "ledger size: %.1f MiB\n", $5 / 1048576 }'
echo "notifications rendered: $(sqlite3 "$dir/ledger.db" "SELECT COUNT(*) FROM outbox" 2>/dev/null || echo '?')"
# opening the full ledger to read one partner or one event: the best of five,
# of the program itself (in a build tree, programs/incent is libtool's
# wrapper script, which costs about 100 ms of its own)
bin=$INCENT
build=$(dirname "$INCENT")/..
if [ -x "$(dirname "$INCENT")/.libs/incent" ]; then
  bin=$(dirname "$INCENT")/.libs/incent
  LD_LIBRARY_PATH=$build/runtime/.libs:$build/compiler/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  export LD_LIBRARY_PATH
fi
opened() {
  label=$1
  shift
  best=
  for i in 1 2 3 4 5; do
    a=$(date +%s%N)
    "$bin" "$@" > /dev/null 2>&1 || true
    b=$(date +%s%N)
    t=$(( (b - a) / 1000000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  printf '%-22s %6d ms (best of 5)\n' "$label" "$best"
}
opened "balance --partner" balance --ledger "$dir/ledger.db" --partner p000001
opened "explain --event" explain --ledger "$dir/ledger.db" --event "$(sed -n '$s/,.*//p' "$dir/events.csv")"
# statements of every partner for a quarter, in each format: statements per
# second of the whole command (opening the ledger, reading it, writing them all)
partners=$(sqlite3 "$dir/ledger.db" "SELECT COUNT(*) FROM partners" 2>/dev/null || echo 0)
for format in text html json; do
  /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" statement --ledger "$dir/ledger.db" --all --period 2027-Q1 \
    ${LOCALE_DIR:+--locale-dir "$LOCALE_DIR"} --format "$format" > "$dir/statements" 2> /dev/null || true
  read -r secs kb < "$dir/time"
  awk -v f="$format" -v n="$partners" -v s="$secs" -v kb="$kb" -v b="$(wc -c < "$dir/statements")" \
    'BEGIN { printf "statement --all (%-4s) %6d partners %5.2f s %9.0f statements/s  peak %6.1f MiB  (%.1f MiB written)\n", f, n, s, n / s, kb / 1024, b / 1048576 }'
done
