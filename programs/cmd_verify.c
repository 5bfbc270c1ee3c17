/* cmd_verify.c: `incent verify`: recomputes a ledger's chain of entries and digest of events, read-only, and names the first row that disagrees. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent verify --ledger DB [--format text|json]\n"
           "Checks that nobody changed a ledger outside incent: recomputes the SHA-256 chain of its\n"
           "entries and the digest of its events, and names the first entry that disagrees (its\n"
           "content changed, it is missing, it was added, or the chain is broken there).  The\n"
           "ledger is only read.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --format FORMAT    text (default) or json\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "Exit status: 0 intact; 1 tampered; 2 bad usage or an unreadable ledger.\n"));
}

/* The stable names of the JSON output, in the order of incent_tamper. */
static const char *const codes[] = {NULL, "content_changed", "row_missing", "row_inserted", "chain_broken",
                                    "events_changed", "record_changed", "state_changed"};

static void as_text(const incent_verdict *v) {
  switch (v->what) {
  case INCENT_INTACT:
    printf(_("intact: entries %lld, events %lld, as the last commit recorded them\n"), v->entries, v->events);
    if (v->head[0]) printf(_("chain head %s\n"), v->head);
    return;
  case INCENT_CONTENT_CHANGED: printf(_("tampered: entry %lld: its content was changed\n"), v->seq); return;
  case INCENT_ROW_MISSING: printf(_("tampered: entry %lld is missing\n"), v->seq); return;
  case INCENT_ROW_INSERTED: printf(_("tampered: entry %lld was added outside incent\n"), v->seq); return;
  case INCENT_CHAIN_BROKEN:
    printf(_("tampered: entry %lld: the chain is broken there (its chain value does not follow from the "
             "entries before it)\n"),
           v->seq);
    return;
  case INCENT_EVENTS_CHANGED:
    printf(_("tampered: an event was changed, added or removed (events %lld, recorded %lld)\n"), v->events,
           v->recorded_events);
    return;
  case INCENT_RECORD_CHANGED:
    printf(_("tampered: the record of the last commit is missing or malformed\n"));
    return;
  case INCENT_STATE_CHANGED:
    printf(_("tampered: the account state disagrees with the entries: %s\n"), v->detail);
    return;
  }
}

static void as_json(const char *path, const incent_verdict *v) {
  fputs("{\"ledger\": ", stdout);
  json_write_string(stdout, path);
  printf(", \"intact\": %s, \"problem\": ", v->what == INCENT_INTACT ? "true" : "false");
  if (v->what == INCENT_INTACT) fputs("null", stdout);
  else json_write_string(stdout, codes[v->what]);
  if (v->seq) printf(", \"seq\": %lld", v->seq);
  else fputs(", \"seq\": null", stdout);
  printf(", \"entries\": %lld, \"events\": %lld, \"recorded_entries\": %lld, \"recorded_events\": %lld, \"head\": ",
         v->entries, v->events, v->recorded_entries, v->recorded_events);
  if (v->head[0]) json_write_string(stdout, v->head);
  else fputs("null", stdout);
  fputs("}\n", stdout);
}

int cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL;
  bool json = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") == 0) json = false;
      else if (strcmp(optarg, "json") == 0) json = true;
      else return cli_usage_error("verify", _("unknown format '%s'; use text or json"), optarg);
      break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("verify", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("verify", _("unexpected argument '%s'"), argv[optind]);
  if (!ledger_path) return cli_usage_error("verify", _("--ledger is required"));
  incent_verdict v;
  char why[512];
  if (incent_ledger_verify(ledger_path, &v, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    return EXIT_USAGE;
  }
  if (json) as_json(ledger_path, &v);
  else as_text(&v);
  return v.what == INCENT_INTACT ? EXIT_OK : EXIT_FAILED;
}
