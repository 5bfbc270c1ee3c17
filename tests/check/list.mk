## tests/check/list.mk: the stanza tests; tests/listed.tap checks that every file is here.
dist_stanza_tests = \
	tests/check/E001-missing-operand.test \
	tests/check/E001-reserved-word.test \
	tests/check/E001-syntax-eof.test \
	tests/check/E001-syntax-several.test \
	tests/check/E002-bad-char.test \
	tests/check/E002-non-ascii-name.test \
	tests/check/E005-unterminated.test \
	tests/check/E006-bad-escape.test \
	tests/check/E010-number-range.test \
	tests/check/E100-no-program.test \
	tests/check/E101-missing-items.test \
	tests/check/E102-duplicate-items.test \
	tests/check/E110-unknown-in-tests.test \
	tests/check/E110-unknown-names.test \
	tests/check/E111-duplicate-names.test \
	tests/check/E112-reserved-names.test \
	tests/check/E120-type-mismatch.test \
	tests/check/E121-currency.test \
	tests/check/E121-no-currency.test \
	tests/check/E130-impossible-dates.test \
	tests/check/E131-reversed-ranges.test \
	tests/check/E140-placeholder-context.test \
	tests/check/E141-plural.test \
	tests/check/E142-bad-placeholders.test \
	tests/check/E150-to-not-partner.test \
	tests/check/E160-tiers-order.test \
	tests/check/E170-timezone.test \
	tests/check/E171-languages.test \
	tests/check/E172-bad-values.test \
	tests/check/E173-constant-fails.test \
	tests/check/W001-unbounded.test \
	tests/check/W002-never-applies.test \
	tests/check/W003-unused-message.test \
	tests/check/caret-utf8.test \
	tests/check/expressions-fold.test \
	tests/check/format-json-clean.test \
	tests/check/format-json.test \
	tests/check/format-sarif.test \
	tests/check/language-example.test \
	tests/check/one-line-program.test \
	tests/check/regress-code-ends-table.test \
	tests/check/strict-makes-warnings-errors.test \
	tests/check/tests-duplicate-event-ids.test
TESTS += $(dist_stanza_tests)
