## examples/local.mk: complete example programs, shipped and tested.
EXTRA_DIST += examples/partner-rewards/partner-rewards.incent examples/partner-rewards/partners.csv \
	examples/partner-rewards/events.csv examples/README.md doc/LANGUAGE-NOTES.md doc/LEDGER.md \
	doc/statement-de.png doc/statement-ja.png doc/statement-ar.png programs/history.h \
	grammar/README.md compiler/README.md tests/README.md

# The example's catalogs, checked and compiled by `make` into gettext's usual
# layout under the build tree: examples/partner-rewards/locale/LANG/LC_MESSAGES/
# partner_rewards.mo (the domain is the program's name), for --locale-dir.
example_languages = de fr es it pt_BR nl pl ru ja zh_CN ko
example_po = $(example_languages:%=examples/partner-rewards/po/%.po)
example_mo = $(example_languages:%=examples/partner-rewards/locale/%/LC_MESSAGES/partner_rewards.mo)
noinst_DATA += $(example_mo)
CLEANFILES += $(example_mo)
EXTRA_DIST += $(example_po)
examples/partner-rewards/locale/%/LC_MESSAGES/partner_rewards.mo: examples/partner-rewards/po/%.po
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(MSGFMT) --check -o $@ $<
