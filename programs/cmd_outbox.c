/* cmd_outbox.c: `incent outbox`: the notifications a run rendered, in the
 * order they were queued. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/cli.h"
#include "programs/eml.h"

static void help(void) {
  printf(_("Usage: incent outbox --ledger DB [--after SEQ] [--format text|jsonl|eml --from ADDR --output DIR]\n"
           "The notifications incent run rendered, each in its partner's language, in the order\n"
           "they were queued, each with its sequence number.\n\n"
           "      --ledger DB        the ledger that incent run wrote\n"
           "      --after SEQ        only those after sequence number SEQ (where a sender resumes)\n"
           "      --format FORMAT    text (default); jsonl: one JSON object per line with seq,\n"
           "                         event, partner, language, message, channel, subject, text and\n"
           "                         fallback (why a text is in the source language, or null); eml:\n"
           "                         each as an e-mail message (RFC 5322, MIME, text and HTML) in\n"
           "                         DIR/SEQ.eml, To: the partner's email attribute\n"
           "      --from ADDR        the sender of eml messages\n"
           "      --output DIR       the folder of eml messages (made when missing)\n"
           "      --locale-dir DIR   accepted for symmetry with run and statement; notifications\n"
           "                         were rendered when they were queued\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "Exit status: 0 listed; 1 a notification could not be written as e-mail (its partner\n"
           "has no email attribute); 2 bad usage or an unreadable ledger.\n"));
}

static void member(const char *name, const char *value) {
  printf(", \"%s\": ", name);
  if (value) json_write_string(stdout, value);
  else fputs("null", stdout);
}

static void as_jsonl(void *ud, const incent_notification *n) {
  (void)ud;
  printf("{\"seq\": %lld", n->seq);
  member("event", n->event);
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
  printf("%lld %s %s %s %s %s\n  %s\n  %s\n", n->seq, n->event ? cli_shown(n->event) : "-", cli_shown(n->partner),
         n->language, n->channel, n->message, cli_shown(n->subject), n->text);
  if (n->fallback) printf(_("  (in the source language: %s)\n"), n->fallback);
  putchar('\n');
}

int cmd_outbox(int argc, char **argv) {
  static const struct option opts[] = {
    {"ledger", required_argument, NULL, 'l'},     {"format", required_argument, NULL, 'f'},
    {"after", required_argument, NULL, 'a'},      {"from", required_argument, NULL, 'F'},
    {"output", required_argument, NULL, 'o'},     {"locale-dir", required_argument, NULL, 'L'},
    {"help", no_argument, NULL, 'h'},             {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  const char *ledger_path = NULL, *format = "text", *from = NULL, *output = NULL;
  long long after = 0;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'l': ledger_path = optarg; break;
    case 'f':
      if (strcmp(optarg, "text") != 0 && strcmp(optarg, "jsonl") != 0 && strcmp(optarg, "eml") != 0)
        return cli_usage_error("outbox", _("unknown format '%s'; use text, jsonl or eml"), optarg);
      format = optarg;
      break;
    case 'a': {
      char *end;
      errno = 0;
      after = strtoll(optarg, &end, 10);
      if (errno || end == optarg || *end || after < 0)
        return cli_usage_error("outbox", _("--after takes a sequence number (0 or more), not '%s'"), optarg);
      break;
    }
    case 'F': from = optarg; break;
    case 'o': output = optarg; break;
    case 'L': break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("outbox", _("unknown option"));
    }
  }
  if (optind != argc) return cli_usage_error("outbox", _("unexpected argument '%s'"), argv[optind]);
  if (!ledger_path) return cli_usage_error("outbox", _("--ledger is required"));
  bool eml = strcmp(format, "eml") == 0;
  if (eml && (!from || !output)) return cli_usage_error("outbox", _("--format eml needs --from ADDR and --output DIR"));
  if (!eml && (from || output)) return cli_usage_error("outbox", _("--from and --output go with --format eml"));
  eml_writer *w = NULL;
  if (eml && !(w = eml_open(from, output))) return EXIT_USAGE;
  incent_ledger *l = cli_open_ledger(ledger_path);
  if (!l) {
    eml_close(w);
    return EXIT_USAGE;
  }
  char why[512];
  int status = EXIT_OK;
  incent_outbox_fn *fn = eml ? eml_write : strcmp(format, "jsonl") == 0 ? as_jsonl : as_text;
  if (incent_ledger_outbox_after(l, after, fn, w, why, sizeof why) != INCENT_OK) {
    fprintf(stderr, "incent: %s\n", why);
    status = EXIT_USAGE;
  }
  if (w && status == EXIT_OK) status = eml_close(w);
  else eml_close(w);
  incent_ledger_close(l, NULL, 0);
  return status;
}
