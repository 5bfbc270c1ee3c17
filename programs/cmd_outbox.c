/* cmd_outbox.c: `incent outbox`: the notifications a run rendered, in the
 * order they were queued. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent outbox --ledger DB [--format text|jsonl]\n"
           "The notifications incent run rendered, each in its partner's language, in the order\n"
           "they were queued.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --format FORMAT    text (default) or jsonl: one JSON object per line with event,\n"
           "                         partner, language, message, channel, subject, text and\n"
           "                         fallback (why a text is in the source language, or null)\n"
           "      --locale-dir DIR   accepted for symmetry with run and statement; notifications\n"
           "                         were rendered when they were queued\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "Exit status: 0 listed; 2 bad usage or an unreadable ledger.\n"));
}

static void member(const char *name, const char *value) {
  printf(", \"%s\": ", name);
  if (value) json_write_string(stdout, value);
  else fputs("null", stdout);
}

static void as_jsonl(void *ud, const incent_notification *n) {
  (void)ud;
  fputs("{\"event\": ", stdout);
  json_write_string(stdout, n->event);
  member("partner", n->partner);
  member("language", n->language);
  member("message", n->message);
  member("channel", n->channel);
  member("subject", n->subject);
  member("text", n->text);
  member("fallback", n->fallback);
  fputs("}\n", stdout);
}

static void as_text(void *ud, const incent_notification *n) {
  (void)ud;
  printf("%s %s %s %s %s\n  %s\n  %s\n", cli_shown(n->event), cli_shown(n->partner), n->language, n->channel, n->message,
         cli_shown(n->subject), n->text);
  if (n->fallback) printf(_("  (in the source language: %s)\n"), n->fallback);
  putchar('\n');
}

int cmd_outbox(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
    {"locale-dir", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL;
  bool jsonl = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") != 0 && strcmp(optarg, "jsonl") != 0)
        return cli_usage_error("outbox", _("unknown format '%s'; use text or jsonl"), optarg);
      jsonl = strcmp(optarg, "jsonl") == 0;
      break;
    case 'L': break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("outbox", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("outbox", _("unexpected argument '%s'"), argv[optind]);
  if (!ledger_path) return cli_usage_error("outbox", _("--ledger is required"));
  incent_ledger *l = cli_open_ledger(ledger_path);
  if (!l) return EXIT_USAGE;
  char why[512];
  int status = EXIT_OK;
  if (incent_ledger_outbox(l, jsonl ? as_jsonl : as_text, NULL, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  incent_ledger_close(l, NULL, 0);
  return status;
}
