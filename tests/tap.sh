# tap.sh: helpers for the shell tests that speak TAP (sourced, not run).
tap_n=0
tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: passes when the one command succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_all DESCRIPTION 'CONDITION': passes when the whole shell condition
# holds (a list joined by && is one condition here, never split from check)
check_all() { d=$1; shift; if eval "$1"; then ok "$d"; else not_ok "$d"; fi; }
# same DESCRIPTION WANT GOT: passes when the two files are equal, else shows the diff
# (the first 40 lines of it: dumps can be long)
same() { if diff -u "$2" "$3" > "$work/same.diff"; then ok "$1"; else not_ok "$1"; head -n 40 "$work/same.diff" | sed 's/^/# /'; fi; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
: "${INCENT:?INCENT must name the incent binary}"
work=$(mktemp -d "${TMPDIR:-/tmp}/incent-test.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
