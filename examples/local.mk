## examples/local.mk: complete example programs, shipped and tested.
EXTRA_DIST += examples/partner-rewards/partner-rewards.incent examples/partner-rewards/partners.csv \
	examples/partner-rewards/events.csv examples/README.md doc/LANGUAGE-NOTES.md doc/LEDGER.md \
	grammar/README.md compiler/README.md tests/README.md
