#!/bin/sh
# ab.sh: two builds of incent side by side on the benchmark's input, in
# turns (A B A B ...): wall seconds, user and system CPU seconds and peak KiB
# of a run into a fresh ledger and of its replay.
#   sh bench/ab.sh BUILD_A BUILD_B [PAIRS]   (each BUILD a configured build folder)
# PROGRAM (default: the example program of this tree) is run by both, so
# that two builds of different versions can run the same program; with
# ACCOUNT=1 the events include redemptions and refunds (incent-gen account).
set -u
a=$1 b=$2 pairs=${3:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d "${TMPDIR:-/tmp}/incent-ab.XXXXXX")
trap 'rm -rf "$d"' EXIT
"$b/bench/incent-gen" 10000 1000000 42 $d/partners.csv $d/events.csv ${ACCOUNT:+account}
P=${PROGRAM:-$top/examples/partner-rewards/partner-rewards.incent}
echo "side case wall user sys peak-KiB"
for i in $(seq "$pairs"); do
  for side in A B; do
    if [ $side = A ]; then build=$a; else build=$b; fi
    I=$build/programs/incent L=$build/examples/partner-rewards/locale
    $I build $P -o $d/p$side.irt 2>/dev/null
    rm -f $d/l.db*
    /usr/bin/time -f "%e %U %S %M" -o $d/t $I run $d/p$side.irt --locale-dir $L --partners $d/partners.csv --events $d/events.csv --ledger $d/l.db > /dev/null 2>&1
    echo "$side fresh $(cat $d/t)"
    /usr/bin/time -f "%e %U %S %M" -o $d/t $I run $d/p$side.irt --locale-dir $L --partners $d/partners.csv --events $d/events.csv --ledger $d/l.db > /dev/null 2>&1
    echo "$side replay $(cat $d/t)"
  done
done
