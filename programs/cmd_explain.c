/* cmd_explain.c: `incent explain`: every rule tried for an event, and why. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent explain --ledger DB --event ID\n"
           "Every rule tried for an event, in order: whether it applied and why not, and the\n"
           "arithmetic from raw points to the points granted.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --event ID         the event's id\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "Exit status: 0 explained; 1 the ledger has no such event; 2 bad usage or an\n"
           "unreadable ledger.\n"));
}

static void write_out(void *ud, const char *text, size_t len) { fwrite(text, 1, len, ud); }

int cmd_explain(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'}, {"event", required_argument, NULL, 'e'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL, *event = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'e': event = optarg; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("explain", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("explain", _("unexpected argument '%s'"), argv[optind]);
  if (!ledger_path || !event) return cli_usage_error("explain", _("--ledger and --event are required"));
  incent_ledger *l = cli_open_ledger(ledger_path);
  if (!l) return EXIT_USAGE;
  char why[512];
  int status = EXIT_OK;
  incent_status st = incent_ledger_explain(l, event, write_out, stdout, why, sizeof why);
  if (st != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = st == INCENT_EFORMAT ? EXIT_FAILED : EXIT_USAGE; /* no such event; a ledger that cannot be read */
  }
  incent_ledger_close(l, NULL, 0);
  return status;
}
