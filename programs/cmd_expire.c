/* cmd_expire.c: `incent expire`: writes every partner's lapses up to a date into a ledger and queues their messages. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent expire PROGRAM --ledger DB --until DATE [OPTION]...\n"
           "Write the lapses of every partner's points up to DATE (YYYY-MM-DD): the points of credits\n"
           "whose last valid day is before DATE, with the messages they send.  Run again, it writes\n"
           "nothing.  PROGRAM is the .incent source or .irt table that wrote the ledger.\n\n"
           "      --ledger DB            the SQLite ledger\n"
           "      --until DATE           write the lapses up to this day\n"
           "      --locale-dir DIR       the program's compiled catalogs, DIR/LANG/LC_MESSAGES/NAME.mo\n"
           "      --allow-program-change go on with a ledger written by another program\n"
           "  -h, --help                 show this help and exit\n"
           "  -V, --version              show the version and exit\n\n"
           "Exit status: 0 success; 1 the program has errors; 2 bad usage, an unreadable file or ledger.\n"));
}

int cmd_expire(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'}, {"until", required_argument, NULL, 'u'},
    {"locale-dir", required_argument, NULL, 'L'}, {"allow-program-change", no_argument, NULL, 'a'},
    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL, *until = NULL, *locale_dir = NULL;
  bool allow = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'u': until = optarg; break;
    case 'L': locale_dir = optarg; break;
    case 'a': allow = true; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("expire", _("unknown option"));
    }
  }
  if (optind != argc - 1) return cli_usage_error("expire", _("give exactly one program"));
  if (!ledger_path || !until) return cli_usage_error("expire", _("--ledger and --until are required"));
  incent_table *table = NULL;
  int status = cli_load_table(argv[optind], &table);
  incent_messages *messages = NULL;
  incent_ledger *ledger = NULL;
  char why[512];
  long long lapses = 0;
  if (status == EXIT_OK && !(messages = cli_load_messages("expire", table, locale_dir))) status = EXIT_USAGE;
  if (status == EXIT_OK && incent_ledger_open(ledger_path, table, allow, &ledger, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  if (status == EXIT_OK) {
    incent_engine_set_messages(incent_ledger_engine(ledger), messages);
    incent_status st = incent_ledger_expire(ledger, until, &lapses, why, sizeof why);
    if (st == INCENT_EFORMAT) status = cli_usage_error("expire", _("--until: %s"), why);
    else if (st != INCENT_OK) fprintf(stderr, "incent: %s\n", why), status = EXIT_USAGE;
  }
  if (ledger && incent_ledger_close(ledger, why, sizeof why) != INCENT_OK && status == EXIT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  if (status == EXIT_OK) {
    cli_report_fallbacks(messages);
    printf(_("lapses %lld\n"), lapses);
  }
  incent_messages_free(messages);
  incent_table_free(table);
  return status;
}
