/* main.c: the incent command: sets up the tool's translations and dispatches
 * to a subcommand. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
  {"check", cmd_check, N_("parse and check programs")},
  {"build", cmd_build, N_("compile a program to a rule table (.irt)")},
  {"test", cmd_test, N_("run the test blocks of programs")},
  {"pot", cmd_pot, N_("write the gettext template of a program's texts")},
  {"run", cmd_run, N_("apply partner activity to a ledger")},
  {"balance", cmd_balance, N_("points per partner, rule and period from a ledger")},
  {"explain", cmd_explain, N_("every rule tried for an event, and why")},
  {"statement", cmd_statement, N_("partners' statements, each in the partner's language")},
  {"outbox", cmd_outbox, N_("the rendered notifications waiting to be sent")},
  {"verify", cmd_verify, N_("check that nobody changed a ledger's entries or events")},
  {"expire", cmd_expire, N_("write the lapses of every partner's points up to a date")},
  {"fmt", cmd_fmt, N_("write programs in the canonical layout, comments kept")},
  {"exposure", cmd_exposure, N_("the most a partner can receive, per rule and period, found from the program")},
  {"simulate", cmd_simulate, N_("what a new program would grant against an old one, on the same data")},
};

static void usage(FILE *out) {
  fprintf(out, _("Usage: incent COMMAND [OPTION]... [FILE]...\n"
                 "Write, check and run channel incentive programs.\n\nCommands:\n"));
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf(out, _("\nRun 'incent COMMAND --help' for a command's options.\n"
                 "Exit status: 0 success; 1 the program has errors or a test failed; 2 bad usage or\nan unreadable file.\n"));
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  bindtextdomain(PACKAGE, cli_localedir());
  bind_textdomain_codeset(PACKAGE, "UTF-8");
  textdomain(PACKAGE);
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    cli_print_version();
    return EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, _("incent: unknown command '%s'\nTry 'incent --help'.\n"), cmd);
  return EXIT_USAGE;
}
