/* cmd_check.c: `incent check`: parse and check programs, print diagnostics. */
#include "config.h"
#include "runtime/base/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/check_po.h"
#include "compiler/compile.h"
#include "compiler/i18n.h"
#include "programs/cli.h"

static void help(void) {
  printf(_("Usage: incent check [OPTION]... PROGRAM.incent...\n"
           "Parse and check incentive programs and report every error and warning.\n\n"
           "  --po DIR           check the translation catalogs DIR/LANG.po too\n"
           "  --strict           treat warnings as errors; every declared language but the\n"
           "                     first then needs a complete catalog\n"
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
    {"po", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'},   {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};
  bool strict = false;
  const char *po_dir = NULL;
  diag_format format = DIAG_TEXT;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 's': strict = true; break;
    case 'p': po_dir = optarg; break;
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
  long failures = rt_alloc_failures(); /* a diagnostic built without an allocation is not shown */
  compile_unit *units = rt_calloc((size_t)nfiles, sizeof *units);
  char **sources = rt_calloc((size_t)nfiles, sizeof *sources);
  diag_sink **sinks = rt_calloc((size_t)nfiles, sizeof *sinks);
  po_report *reports = rt_calloc((size_t)nfiles, sizeof *reports);
  if (!units || !sources || !sinks || !reports) {
    free(units); free(sources); free(sinks); free(reports);
    fprintf(stderr, _("incent: out of memory\n"));
    return EXIT_USAGE;
  }
  int status = EXIT_OK, nsinks = 0;
  bool oom = false;
  for (int i = 0; i < nfiles && !oom; i++) {
    const char *file = argv[optind + i];
    size_t len;
    if (!cli_read_file(file, &sources[i], &len)) {
      status = EXIT_USAGE;
      continue;
    }
    diag_sink *d = &units[i].diag;
    if (compile_check(&units[i], file, sources[i], len) && (po_dir || strict)) {
      if (!check_po(&units[i].prog, po_dir, strict, &reports[i])) {
        fprintf(stderr, _("incent: cannot read the catalog folder %s: %s\n"), po_dir, strerror(errno));
        status = EXIT_USAGE;
      }
      diag_sort(d);
    }
    if ((oom = rt_alloc_failures() != failures)) break;
    sinks[nsinks++] = d;
    if (format == DIAG_TEXT) diag_render_text(d, strict, stderr);
    for (size_t k = 0; k < reports[i].nsinks; k++) {
      diag_sink **more = rt_realloc(sinks, ((size_t)nsinks + 1) * sizeof *sinks);
      if (!more) {
        oom = true;
        break;
      }
      sinks = more;
      sinks[nsinks++] = reports[i].sinks[k];
      if (format == DIAG_TEXT) diag_render_text(reports[i].sinks[k], strict, stderr);
    }
  }
  for (int k = 0; k < nsinks; k++)
    if ((sinks[k]->errors || (strict && sinks[k]->warnings)) && status == EXIT_OK) status = EXIT_FAILED;
  char *extra = NULL;
  size_t extralen = 0;
  FILE *x = po_dir && !oom ? open_memstream(&extra, &extralen) : NULL;
  if (po_dir && !x) oom = true;
  for (int i = 0; i < nfiles && po_dir && !oom; i++) {
    for (size_t k = 0; k < reports[i].nlangs; k++) {
      const po_counts *c = &reports[i].langs[k];
      if (format == DIAG_TEXT) {
        if (!c->file && k == 0) printf(_("%s: %s: the source language\n"), argv[optind + i], c->language);
        else if (!c->file) printf(_("%s: %s: no catalog\n"), argv[optind + i], c->language);
        else if (!c->read) printf(_("%s: %s: %s cannot be read\n"), argv[optind + i], c->language, c->file);
        else
          printf(_("%s: %s: %u translated, %u fuzzy, %u missing (%s)\n"), argv[optind + i], c->language,
                 c->translated, c->fuzzy, c->missing, c->file);
      } else if (x) {
        fputs(ftell(x) ? ",\n  {\"program\": " : ", \"catalogs\": [\n  {\"program\": ", x);
        json_write_string(x, argv[optind + i]);
        fputs(", \"language\": ", x);
        json_write_string(x, c->language);
        fputs(", \"file\": ", x);
        if (c->file) json_write_string(x, c->file);
        else fputs("null", x);
        fprintf(x, ", \"read\": %s, \"translated\": %u, \"fuzzy\": %u, \"missing\": %u, \"obsolete\": %u, \"unknown\": %u}",
                c->read ? "true" : "false", c->translated, c->fuzzy, c->missing, c->obsolete, c->unknown);
      }
    }
  }
  if (x) {
    if (ftell(x)) fputs("\n]", x);
    else fputs(", \"catalogs\": []", x);
    if (fclose(x) != 0) oom = true;
  }
  if (oom) status = cli_out_of_memory();
  else if (format == DIAG_JSON) diag_render_json(sinks, (size_t)nsinks, strict, extra, stdout);
  else if (format == DIAG_SARIF) diag_render_sarif(sinks, (size_t)nsinks, strict, stdout);
  if (!oom && rt_alloc_failures() != failures) status = cli_out_of_memory(); /* while rendering */
  free(extra);
  for (int i = 0; i < nfiles; i++) {
    po_report_free(&reports[i]);
    compile_unit_free(&units[i]);
    free(sources[i]);
  }
  free(reports);
  free(units);
  free(sources);
  free(sinks);
  return status;
}
