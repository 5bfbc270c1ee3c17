/* cmd_statement.c: `incent statement`: partners' statements for a period,
 * each in the partner's language. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent statement --ledger DB --partner ID|--all --period KEY [OPTION]...\n"
           "Partners' statements for a period, each in the partner's language: name, period,\n"
           "date of issue, opening balance, a line per rule (title, times applied, points)\n"
           "under its category, what was spent, reversed and expired, the closing balance,\n"
           "pending points, the next lapse, tier and the points still needed for the next.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --partner ID       one partner's statement\n"
           "      --all              every partner's, by id\n"
           "      --period KEY       2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027 or program\n"
           "      --locale-dir DIR   the program's compiled catalogs, DIR/LANG/LC_MESSAGES/NAME.mo;\n"
           "                         needed when the program declares more than one language\n"
           "      --format FORMAT    text (default), html or json\n"
           "      --detail           every entry of the period too, with its arithmetic\n"
           "      --issued DATE      the date of issue (default: today in the program's time zone)\n"
           "      --fragment         with html: the statements alone, an <article> each, for a page\n"
           "                         to embed (no document around them)\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "A statement goes out whole in one language: when the partner's language lacks a\n"
           "word of it, the statement is written in the source language, and the command\n"
           "says so on standard error.\n\n"
           "Exit status: 0 written; 1 the ledger has no such partner; 2 bad usage, a malformed\n"
           "period or an unreadable ledger or catalog.\n"));
}

static void write_out(void *ud, const char *text, size_t len) { fwrite(text, 1, len, ud); }

int cmd_statement(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'},     {"partner", required_argument, NULL, 'p'},
    {"all", no_argument, NULL, 'a'},              {"period", required_argument, NULL, 'P'},
    {"locale-dir", required_argument, NULL, 'L'}, {"format", required_argument, NULL, 'f'},
    {"fragment", no_argument, NULL, 'F'},         {"detail", no_argument, NULL, 'D'},
    {"issued", required_argument, NULL, 'I'},     {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},          {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL, *partner = NULL, *period = NULL, *locale_dir = NULL, *issued = NULL;
  bool all = false, fragment = false, detail = false;
  incent_format format = INCENT_FORMAT_TEXT;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'p': partner = optarg; break;
    case 'a': all = true; break;
    case 'P': period = optarg; break;
    case 'L': locale_dir = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") == 0) format = INCENT_FORMAT_TEXT;
      else if (strcmp(optarg, "html") == 0) format = INCENT_FORMAT_HTML;
      else if (strcmp(optarg, "json") == 0) format = INCENT_FORMAT_JSON;
      else return cli_usage_error("statement", _("unknown format '%s'; use text, html or json"), optarg);
      break;
    case 'F': fragment = true; break;
    case 'D': detail = true; break;
    case 'I': issued = optarg; break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("statement", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("statement", _("unexpected argument '%s'"), argv[optind]);
  if (fragment && format != INCENT_FORMAT_HTML) return cli_usage_error("statement", _("--fragment goes with --format html"));
  if (fragment) format = INCENT_FORMAT_HTML_FRAGMENT;
  if (!ledger_path || !period || (!partner) == (!all))
    return cli_usage_error("statement", _("--ledger, --period and one of --partner ID or --all are required"));
  incent_ledger *l = cli_open_ledger(ledger_path);
  if (!l) return EXIT_USAGE;
  incent_messages *m = cli_load_messages("statement", incent_ledger_table(l), locale_dir);
  int status = m ? EXIT_OK : EXIT_USAGE;
  char why[512];
  incent_statement_options o = {partner, period, format, issued, detail};
  incent_status st = m ? incent_ledger_statements(l, m, &o, write_out, stdout, why, sizeof why) : INCENT_OK;
  if (st != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = st == INCENT_ENOENT ? EXIT_FAILED : EXIT_USAGE;
  }
  if (m && st == INCENT_OK) cli_report_fallbacks(m);
  incent_messages_free(m);
  incent_ledger_close(l, NULL, 0);
  return status;
}
