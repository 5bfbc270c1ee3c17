## examples/local.mk: complete example programs, shipped and tested.
EXTRA_DIST += examples/partner-rewards/partner-rewards.incent examples/README.md doc/LANGUAGE-NOTES.md \
	grammar/README.md compiler/README.md tests/README.md
