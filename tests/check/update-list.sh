#!/bin/sh
# update-list.sh: rewrites list.mk from the *.test files beside it (run after adding one).
cd "$(dirname "$0")" || exit 1
{
  echo "## tests/check/list.mk: the stanza tests; tests/listed.tap checks that every file is here."
  echo "dist_stanza_tests = \\"
  ls *.test | sed 's|^|\ttests/check/|; s|$| \\|' | sed '$ s/ \\$//'
  echo "TESTS += \$(dist_stanza_tests)"
} > list.mk
