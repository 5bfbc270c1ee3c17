/* cmd_check.c: `incent check`: parse and check programs, print diagnostics. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent check [OPTION]... PROGRAM.incent...\n"
           "Parse and check incentive programs and report every error and warning.\n\n"
           "  --strict           treat warnings as errors\n"
           "  --format FORMAT    text (default), json or sarif\n"
           "  -h, --help         show this help and exit\n"
           "  -V, --version      show the version and exit\n\n"
           "Diagnostics read FILE:LINE:COLUMN: SEVERITY: TEXT [CODE].  In text form they go\n"
           "to standard error; json and sarif go to standard output.\n"
           "Exit status: 0 no errors; 1 errors (or warnings with --strict); 2 bad usage or\n"
           "an unreadable file.\n"));
}

int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {
    {"strict", no_argument, NULL, 's'}, {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},   {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  bool strict = false;
  diag_format format = DIAG_TEXT;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 's': strict = true; break;
    case 'f':
      if (strcmp(optarg, "text") == 0) format = DIAG_TEXT;
      else if (strcmp(optarg, "json") == 0) format = DIAG_JSON;
      else if (strcmp(optarg, "sarif") == 0) format = DIAG_SARIF;
      else return cli_usage_error("check", _("unknown format '%s'; use text, json or sarif"), optarg);
      break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("check", _("unknown option"));
    }
  }
  if (optind >= argc) return cli_usage_error("check", _("no program given"));
  int nfiles = argc - optind;
  compile_unit *units = calloc((size_t)nfiles, sizeof *units);
  char **sources = calloc((size_t)nfiles, sizeof *sources);
  diag_sink **sinks = calloc((size_t)nfiles, sizeof *sinks);
  if (!units || !sources || !sinks) {
    free(units); free(sources); free(sinks);
    fprintf(stderr, _("incent: out of memory\n"));
    return EXIT_USAGE;
  }
  int status = EXIT_OK, nsinks = 0;
  for (int i = 0; i < nfiles; i++) {
    const char *file = argv[optind + i];
    size_t len;
    if (!cli_read_file(file, &sources[i], &len)) {
      status = EXIT_USAGE;
      continue;
    }
    compile_check(&units[i], file, sources[i], len);
    diag_sink *d = &units[i].diag;
    if ((d->errors || (strict && d->warnings)) && status == EXIT_OK) status = EXIT_FAILED;
    sinks[nsinks++] = d;
    if (format == DIAG_TEXT) diag_render_text(d, strict, stderr);
  }
  if (format == DIAG_JSON) diag_render_json(sinks, (size_t)nsinks, strict, stdout);
  if (format == DIAG_SARIF) diag_render_sarif(sinks, (size_t)nsinks, strict, stdout);
  for (int i = 0; i < nfiles; i++) {
    compile_unit_free(&units[i]);
    free(sources[i]);
  }
  free(units);
  free(sources);
  free(sinks);
  return status;
}
