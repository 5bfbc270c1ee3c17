#!/bin/sh
# shim.sh: fails the Nth allocation of the whole process (tests/fault/failmalloc.c,
# preloaded: SQLite, ICU, libcsv, json-c and libc included) for N from FROM to
# TO by STEP, over `incent check` and `incent run` of tests/messages, and
# counts crashes, hangs, false diagnostics, wrong exit-0 results and ledgers
# that a clean rerun cannot repair.  Not part of make check: see RESULTS.md.
# Usage: tests/fault/shim.sh BUILDDIR [FROM [TO [STEP]]]   (default 1 10000 1)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?give the build folder}" && pwd)
from=${2:-1} to=${3:-10000} step=${4:-1}
shim=$build/tests/fault/.libs/libfailmalloc.so
[ -f "$shim" ] || { echo "shim.sh: build it first: make -C $build tests/fault/libfailmalloc.la" >&2; exit 2; }
incent=$build/programs/.libs/incent
[ -x "$incent" ] || incent=$build/programs/incent
export LD_LIBRARY_PATH=$build/runtime/.libs INCENT_LOCALEDIR=$build/share/locale LC_ALL=C.UTF-8 LANGUAGE=
src=$top/tests/messages
work=$(mktemp -d "${TMPDIR:-/tmp}/incent-shim.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
for l in de pl ja ar; do
  mkdir -p "loc/$l/LC_MESSAGES"
  msgfmt -o "loc/$l/LC_MESSAGES/shop.mo" "$src/po/$l.po" || exit 2
done
dump() {
  sqlite3 "$1" "SELECT * FROM events ORDER BY id; SELECT * FROM entries ORDER BY seq; SELECT * FROM rejects ORDER BY hash;
                SELECT * FROM outbox ORDER BY seq; SELECT * FROM tier_changes ORDER BY seq; SELECT * FROM partners ORDER BY id;" 2>&1
}
check_cmd() { "$incent" check "$src/shop.incent"; }
run_cmd() { "$incent" run "$src/shop.incent" --partners "$src/partners.csv" --events "$src/events.csv" --ledger "$1" --locale-dir loc; }
faulted() { # N COMMAND...
  n=$1
  shift
  timeout 30 env LD_PRELOAD="$shim" INCENT_FAIL_MALLOC="$n" "$@" # only incent is preloaded
}

check_cmd > check.want 2>&1 || { echo "shim.sh: check fails without a fault" >&2; exit 2; }
run_cmd ref.db > /dev/null 2>&1
dump ref.db > ref.dump
kc=$(env LD_PRELOAD="$shim" INCENT_FAIL_MALLOC=count "$incent" check "$src/shop.incent" 2>&1 >/dev/null | sed -n 's/^failmalloc: //p')
kr=$(rm -f k.db*; env LD_PRELOAD="$shim" INCENT_FAIL_MALLOC=count "$incent" run "$src/shop.incent" --partners "$src/partners.csv" \
       --events "$src/events.csv" --ledger k.db --locale-dir loc 2>&1 >/dev/null | sed -n 's/^failmalloc: //p')
echo "allocations of the whole process: check $kc, run $kr"

# check: exit 2 with a reason is clean; 0 or 1 must give exactly the output of a clean check
c_tried=0 c_crash=0 c_hang=0 c_false=0 c_clean=0 c_same=0
r_tried=0 r_crash=0 r_hang=0 r_false=0 r_wrong0=0 r_clean=0 r_same=0 r_unrepaired=0
n=$from
while [ "$n" -le "$to" ]; do
  if [ "$n" -le "${kc%% *}" ]; then
    c_tried=$((c_tried + 1))
    faulted "$n" "$incent" check "$src/shop.incent" > got 2>&1
    st=$?
    case $st in
      2) c_clean=$((c_clean + 1)) ;;
      124) c_hang=$((c_hang + 1)); echo "check N=$n: hang" ;;
      0 | 1) if cmp -s got check.want; then c_same=$((c_same + 1)); else c_false=$((c_false + 1)); echo "check N=$n: exit $st, $(head -c 160 got | tr '\n' ' ')"; fi ;;
      *) c_crash=$((c_crash + 1)); echo "check N=$n: exit $st (crash)" ;;
    esac
  fi
  if [ "$n" -le "${kr%% *}" ]; then
    r_tried=$((r_tried + 1))
    rm -f w.db w.db-wal w.db-shm
    faulted "$n" "$incent" run "$src/shop.incent" --partners "$src/partners.csv" --events "$src/events.csv" --ledger w.db \
      --locale-dir loc > got 2>&1
    st=$?
    case $st in
      2) r_clean=$((r_clean + 1)) ;;
      124) r_hang=$((r_hang + 1)); echo "run N=$n: hang" ;;
      0) if [ "$(dump w.db)" = "$(cat ref.dump)" ]; then r_same=$((r_same + 1)); else r_wrong0=$((r_wrong0 + 1)); echo "run N=$n: exit 0 with another ledger"; fi ;;
      1) r_false=$((r_false + 1)); echo "run N=$n: exit 1 (a false reject): $(head -c 160 got | tr '\n' ' ')" ;;
      *) r_crash=$((r_crash + 1)); echo "run N=$n: exit $st (crash)" ;;
    esac
    run_cmd w.db > /dev/null 2>&1
    [ "$(dump w.db)" = "$(cat ref.dump)" ] || { r_unrepaired=$((r_unrepaired + 1)); echo "run N=$n: the rerun does not repair the ledger"; }
  fi
  n=$((n + step))
done
echo "check: $c_tried tried: $c_clean exit 2, $c_same the normal result, $c_crash crashes, $c_hang hangs, $c_false false diagnostics or exit 0 with other output"
echo "run: $r_tried tried: $r_clean exit 2, $r_same exit 0 with the right ledger, $r_crash crashes, $r_hang hangs, $r_false false rejects (exit 1), $r_wrong0 exit 0 with a wrong ledger, $r_unrepaired ledgers a rerun cannot repair"
