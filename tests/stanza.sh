#!/bin/sh
# stanza.sh: runs one stanza test: a program, the incent command to run on it,
# and the exit status and output (standard output and error together) expected.
#
#   # what the test checks
#   %%RUN check --strict        arguments; PROG stands for the program's file
#   %%EXIT 1
#   %%PROGRAM
#   ...the program, saved as prog.incent...
#   %%OUTPUT
#   ...the expected output, exactly...
#
# With BLESS=1 the OUTPUT and EXIT sections are rewritten from what ran.
set -u
test_file=$1
: "${INCENT:?INCENT must name the incent binary}"
work=$(mktemp -d "${TMPDIR:-/tmp}/incent-stanza.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

awk -v dir="$work" '
  /^%%RUN/     { sub(/^%%RUN[ \t]*/, ""); print > (dir "/args"); section = ""; next }
  /^%%EXIT/    { sub(/^%%EXIT[ \t]*/, ""); print > (dir "/exit"); section = ""; next }
  /^%%PROGRAM/ { section = "prog.incent"; printf "" > (dir "/" section); next }
  /^%%OUTPUT/  { section = "expected"; printf "" > (dir "/" section); next }
  section != "" { print > (dir "/" section) }
' "$test_file"

[ -f "$work/prog.incent" ] || { echo "$test_file: no %%PROGRAM section"; exit 99; }
args=$(cat "$work/args" 2>/dev/null || echo check PROG)
want_exit=$(cat "$work/exit" 2>/dev/null || echo 0)
[ -f "$work/expected" ] || : > "$work/expected"

# PROG expands to the program's file name, relative, so outputs are stable.
set -- $(printf '%s\n' "$args" | sed 's/\bPROG\b/prog.incent/g')
(cd "$work" && "$INCENT" "$@" > actual 2>&1)
got_exit=$?

if [ "${BLESS:-0}" = 1 ]; then
  awk -v exitc="$got_exit" '
    /^%%EXIT/ { print "%%EXIT " exitc; next }
    /^%%OUTPUT/ { print; exit }
    { print }
  ' "$test_file" > "$work/new"
  cat "$work/actual" >> "$work/new"
  cp "$work/new" "$test_file"
  echo "blessed $test_file (exit $got_exit)"
  exit 0
fi

status=0
if [ "$got_exit" != "$want_exit" ]; then
  echo "$test_file: exit status $got_exit, expected $want_exit"
  status=1
fi
if ! diff -u "$work/expected" "$work/actual"; then
  echo "$test_file: output differs (above: - expected, + actual)"
  status=1
fi
# A crash or a sanitizer report is never an expected outcome.
if [ "$got_exit" -gt 2 ]; then
  echo "$test_file: incent died with status $got_exit"
  status=1
fi
exit $status
