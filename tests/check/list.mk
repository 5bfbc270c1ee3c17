## tests/check/list.mk: the stanza tests; tests/listed.sh checks that every file is here.
dist_stanza_tests =
TESTS += $(dist_stanza_tests)
