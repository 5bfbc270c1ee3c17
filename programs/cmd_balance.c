/* cmd_balance.c: `incent balance`: points per partner, rule and period, from a ledger. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent balance --ledger DB [--partner ID] [--period KEY] [--as-of DATE] [--format text|json|csv]\n"
           "Points per partner (with their tier and what of them is available, pending and expired)\n"
           "and per rule, from a ledger.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --partner ID       only this partner\n"
           "      --period KEY       only this period: 2027-02-01, 2027-W05, 2027-02, 2027-Q1, 2027 or program\n"
           "      --as-of DATE       the account at the end of DATE (default: of the latest day with an entry);\n"
           "                         available, pending and expired are the account's, whatever --period\n"
           "      --format FORMAT    text (default), json or csv\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n"));
}

typedef struct out {
  int format; /* 0 text, 1 json, 2 csv */
  incent_ledger *l;
  const char *at; /* the day the account figures are of */
} out;

/* The partner's account: what it can spend, what is pending, what lapsed. */
static incent_account account(const out *o, const char *partner) {
  incent_account a;
  if (incent_ledger_account(o->l, partner, o->at, &a, NULL, 0) != INCENT_OK) a = (incent_account){0};
  return a;
}

static void row(void *ud, const char *partner, const char *rule, long long points, const char *tier) {
  out *o = ud;
  if (o->format == 2) {
    cli_csv_cell(partner);
    putchar(',');
    cli_csv_cell(rule ? rule : "");
    printf(",%lld,", points);
    cli_csv_cell(tier ? tier : "");
    if (!rule) {
      incent_account a = account(o, partner);
      printf(",%lld,%lld,%lld", a.available, a.pending, a.expired);
    } else {
      printf(",,,");
    }
    putchar('\n');
    return;
  }
  if (rule) {
    printf("  %-24s %12lld\n", cli_shown(rule), points);
    return;
  }
  printf("%-26s %12lld %s\n", cli_shown(partner), points, tier ? tier : "");
  incent_account a = account(o, partner);
  printf(_("  available %lld, pending %lld, expired %lld\n"), a.available, a.pending, a.expired);
}

/* JSON: one object per partner, its rules in a nested object. */
typedef struct json_state {
  int partners, rules;
  out *o;
} json_state;

static void json_row(void *ud, const char *partner, const char *rule, long long points, const char *tier) {
  json_state *j = ud;
  if (!rule) {
    printf(j->partners++ ? "}},\n  {\"id\": " : "\n  {\"id\": ");
    json_write_string(stdout, partner);
    incent_account a = account(j->o, partner);
    printf(", \"points\": %lld, \"available\": %lld, \"pending\": %lld, \"expired\": %lld, \"tier\": ", points,
           a.available, a.pending, a.expired);
    if (tier) json_write_string(stdout, tier);
    else printf("null");
    printf(", \"rules\": {");
    j->rules = 0;
    return;
  }
  if (j->rules++) printf(", ");
  json_write_string(stdout, rule);
  printf(": %lld", points);
}

int cmd_balance(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'}, {"partner", required_argument, NULL, 'p'},
    {"period", required_argument, NULL, 'P'}, {"format", required_argument, NULL, 'f'},
    {"as-of", required_argument, NULL, 'A'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL, *partner = NULL, *period = NULL, *as_of = NULL;
  out o = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'p': partner = optarg; break;
    case 'P': period = optarg; break;
    case 'A': as_of = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") == 0) o.format = 0;
      else if (strcmp(optarg, "json") == 0) o.format = 1;
      else if (strcmp(optarg, "csv") == 0) o.format = 2;
      else return cli_usage_error("balance", _("unknown format '%s'; use text, json or csv"), optarg);
      break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("balance", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("balance", _("unexpected argument '%s'"), argv[optind]);
  if (!ledger_path) return cli_usage_error("balance", _("--ledger is required"));
  incent_ledger *l = cli_open_ledger(ledger_path);
  if (!l) return EXIT_USAGE;
  char why[512];
  int status = EXIT_OK;
  incent_status st;
  o.l = l;
  char latest[40] = "";
  if (as_of && incent_ledger_as_of(l, as_of, why, sizeof why) != INCENT_OK) {
    incent_ledger_close(l, NULL, 0);
    return cli_usage_error("balance", _("--as-of: %s"), why);
  }
  /* the account at the end of --as-of, else of the latest day with an entry */
  if (!as_of && incent_ledger_latest_day(l, latest) != INCENT_OK) latest[0] = '\0';
  o.at = as_of ? as_of : latest[0] ? latest : "9999-12-31";
  if (o.format == 1) {
    json_state j = {0, 0, &o};
    printf("{\"partners\": [");
    st = incent_ledger_balances(l, partner, period, json_row, &j, why, sizeof why);
    printf(j.partners ? "}}\n]}\n" : "]}\n");
  } else {
    if (o.format == 2) printf("partner,rule,points,tier,available,pending,expired\n");
    st = incent_ledger_balances(l, partner, period, row, &o, why, sizeof why);
  }
  if (st != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  incent_ledger_close(l, NULL, 0);
  return status;
}
