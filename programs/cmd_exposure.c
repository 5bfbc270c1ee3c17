/* cmd_exposure.c: `incent exposure`: the most one partner can receive from each rule and from the whole program, per period, and what the budgets leave of it for N partners. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
#include "compiler/exposure.h"
#include "compiler/i18n.h"
#include "runtime/base/civil.h"
#include "programs/cli.h"
#include "runtime/base/util.h"

static void help(void) {
  printf(_("Usage: incent exposure PROGRAM.incent [--partners N] [--format text|json]\n"
           "The most one partner can receive per day, week, month, quarter, year and over the whole\n"
           "program, from each rule and from all of them, found from the program alone (its caps,\n"
           "limits, constant awards and highest tier multiplier); every rule without a bound, and\n"
           "why.  With --partners N, what the rules' and the program's budgets leave of that for N\n"
           "partners over the whole program.\n\n"
           "      --partners N       the number of partners (default: no such section)\n"
           "      --format FORMAT    text (default) or json\n"
           "  -h, --help             show this help and exit\n"
           "  -V, --version          show the version and exit\n\n"
           "Exit status: 0 every figure has a bound; 1 some rule or the program has none (the\n"
           "figures that have one are still given); 2 bad usage, an unreadable file or a program\n"
           "with errors.\n"));
}

static const char *const period_names[EXPOSURE_PERIODS] = {N_("day"), N_("week"), N_("month"), N_("quarter"),
                                                            N_("year"), N_("program")};

/* a += b over figures: no bound when either has none or on overflow */
static void add(exp_figure *a, exp_figure b) {
  if (!a->bounded || !b.bounded || dec_add(a->v, b.v, &a->v) != DEC_OK) a->bounded = false;
}

static const char *shown(exp_figure f, char buf[DEC_STRING_MAX]) {
  return f.bounded ? dec_to_string(f.v, buf) : _("no bound");
}

static void json_figure(exp_figure f) {
  char n[DEC_STRING_MAX];
  if (f.bounded) printf("%s", dec_to_string(f.v, n));
  else printf("null");
}

/* The figures of a group of rules (a `first of` group, or the whole program): per event the most of
 * one member (a group) or nothing (the program), per period the sum (each member fires on its own events). */
typedef struct total {
  exp_figure per_event, most[EXPOSURE_PERIODS];
} total;

static void text_row(const char *label, const exp_figure *per_event, const exp_figure most[EXPOSURE_PERIODS]) {
  char n[DEC_STRING_MAX];
  printf("%-28s %12s", label, per_event ? shown(*per_event, n) : "");
  for (int k = 0; k < EXPOSURE_PERIODS; k++) printf(" %12s", shown(most[k], n));
  putchar('\n');
}

int cmd_exposure(int argc, char **argv) {
  static const struct option opts[] = {{"partners", required_argument, NULL, 'p'},
                                       {"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"version", no_argument, NULL, 'V'},
                                       {NULL, 0, NULL, 0}};
  long partners = -1;
  bool json = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
    switch (c) {
    case 'p': {
      char *end;
      partners = strtol(optarg, &end, 10);
      if (*end || end == optarg || partners < 1 || partners > 1000000000)
        return cli_usage_error("exposure", _("--partners takes a number of partners, 1 to 1000000000"));
      break;
    }
    case 'f':
      if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
        return cli_usage_error("exposure", _("unknown format '%s'; use text or json"), optarg);
      json = strcmp(optarg, "json") == 0;
      break;
    case 'h': help(); return EXIT_OK;
    case 'V': cli_print_version(); return EXIT_OK;
    default: return cli_usage_error("exposure", _("unknown option"));
    }
  }
  if (optind != argc - 1) return cli_usage_error("exposure", _("give exactly one program"));
  const char *path = argv[optind];
  char *src;
  size_t len;
  if (!cli_read_file(path, &src, &len)) return EXIT_USAGE;
  if (len >= 8 && memcmp(src, "INCENTRT", 8) == 0) {
    free(src);
    fprintf(stderr, _("incent: %s: exposure reads a program's source (.incent), not a rule table\n"), path);
    return EXIT_USAGE;
  }
  compile_unit u;
  bool ok = compile_check(&u, path, src, len);
  if (u.oom) {
    compile_unit_free(&u);
    free(src);
    return cli_out_of_memory();
  }
  if (!ok) {
    diag_render_text(&u.diag, false, stderr);
    compile_unit_free(&u);
    free(src);
    return EXIT_USAGE;
  }
  const c_program *p = &u.prog;
  exp_rule *x = rt_calloc(p->nrules + 1, sizeof *x);
  total *groups = rt_calloc(p->ngroups + 1, sizeof *groups);
  if (!x || !groups) {
    free(x), free(groups), compile_unit_free(&u), free(src);
    return cli_out_of_memory();
  }
  exposure_rules(p, x);
  total all = {{true, dec_from_int(0)}, {{true, dec_from_int(0)}}};
  for (int k = 0; k < EXPOSURE_PERIODS; k++) all.most[k] = (exp_figure){true, dec_from_int(0)};
  for (uint32_t g = 0; g < p->ngroups; g++) groups[g] = all;
  bool unbounded = false;
  for (uint32_t i = 0; i < p->nrules; i++) {
    const c_rule *r = &p->rules[i];
    for (int k = 0; k < EXPOSURE_PERIODS; k++) {
      add(&all.most[k], x[i].most[k]);
      if (r->group >= 0) add(&groups[r->group].most[k], x[i].most[k]);
      unbounded |= !x[i].most[k].bounded;
    }
    if (r->group >= 0) {
      exp_figure *pe = &groups[r->group].per_event;
      if (!x[i].per_event.bounded) pe->bounded = false;
      else if (pe->bounded && dec_cmp(x[i].per_event.v, pe->v) > 0) pe->v = x[i].per_event.v;
    }
  }
  /* N partners over the whole program: each rule's most for N, within its budget; all of them within the program's */
  exp_figure *leaves = partners > 0 ? rt_calloc(p->nrules + 1, sizeof *leaves) : NULL;
  exp_figure program_leaves = {true, dec_from_int(0)};
  if (partners > 0 && !leaves) {
    free(x), free(groups), compile_unit_free(&u), free(src);
    return cli_out_of_memory();
  }
  for (uint32_t i = 0; partners > 0 && i < p->nrules; i++) {
    exp_figure f = x[i].most[PER_PROGRAM];
    if (f.bounded && dec_mul(f.v, dec_from_int(partners), &f.v) != DEC_OK) f.bounded = false;
    if (p->rules[i].has_budget && (!f.bounded || dec_cmp(p->rules[i].budget, f.v) < 0))
      f = (exp_figure){true, p->rules[i].budget};
    leaves[i] = f;
    add(&program_leaves, f);
  }
  if (partners > 0 && p->has_budget && (!program_leaves.bounded || dec_cmp(p->budget, program_leaves.v) < 0))
    program_leaves = (exp_figure){true, p->budget};
  char n[DEC_STRING_MAX], why[256], from[16], to[16];
  if (json) {
    printf("{\"program\": ");
    json_write_string(stdout, p->name);
    printf(", \"rules\": [");
    for (uint32_t i = 0; i < p->nrules; i++) {
      printf("%s\n  {\"rule\": ", i ? "," : "");
      json_write_string(stdout, p->rules[i].name);
      printf(", \"action\": \"%s\", \"per_event\": ", p->rules[i].action == IRT_ACT_AWARD    ? "award"
                                                     : p->rules[i].action == IRT_ACT_DEDUCT ? "deduct"
                                                                                            : "reverse");
      json_figure(x[i].per_event);
      for (int k = 0; k < EXPOSURE_PERIODS; k++) printf(", \"%s\": ", period_names[k]), json_figure(x[i].most[k]);
      if (!x[i].most[PER_DAY].bounded)
        printf(", \"reason\": "), json_write_string(stdout, exposure_reason(p, i, &x[i], PER_DAY, why, sizeof why));
      if (leaves) printf(", \"for_partners\": "), json_figure(leaves[i]);
      printf("}");
    }
    printf("],\n \"groups\": [");
    for (uint32_t g = 0; g < p->ngroups; g++) {
      printf("%s\n  {\"group\": ", g ? "," : "");
      json_write_string(stdout, p->groups[g].name);
      printf(", \"per_event\": "), json_figure(groups[g].per_event);
      for (int k = 0; k < EXPOSURE_PERIODS; k++) printf(", \"%s\": ", period_names[k]), json_figure(groups[g].most[k]);
      printf("}");
    }
    printf("],\n \"all\": {");
    for (int k = 0; k < EXPOSURE_PERIODS; k++) printf("%s\"%s\": ", k ? ", " : "", period_names[k]), json_figure(all.most[k]);
    printf("}");
    if (partners > 0) {
      printf(",\n \"partners\": %ld, \"budget\": ", partners);
      json_figure((exp_figure){p->has_budget, p->budget});
      printf(", \"for_partners\": "), json_figure(program_leaves);
    }
    printf("}\n");
  } else {
    printf(_("%s \"%s\": the most one partner can receive\n"), p->name, p->title ? p->title : "");
    if (p->has_runs)
      printf(_("(the program runs from %s to %s; awards only: deductions and reversals take points back)\n"),
             civil_format_date(p->runs_from, from), civil_format_date(p->runs_to, to));
    printf("\n%-28s %12s", _("rule"), _("per event"));
    for (int k = 0; k < EXPOSURE_PERIODS; k++) printf(" %12s", _(period_names[k]));
    putchar('\n');
    for (uint32_t i = 0; i < p->nrules; i++)
      if (p->rules[i].action == IRT_ACT_AWARD) text_row(cli_shown(p->rules[i].name), &x[i].per_event, x[i].most);
    for (uint32_t g = 0; g < p->ngroups; g++) {
      char label[256];
      snprintf(label, sizeof label, _("first of %s"), p->groups[g].name);
      text_row(label, &groups[g].per_event, groups[g].most);
    }
    text_row(_("all rules"), NULL, all.most);
    if (unbounded) {
      printf("\n%s\n", _("no bound:"));
      for (uint32_t i = 0; i < p->nrules; i++)
        for (int k = 0; k < EXPOSURE_PERIODS; k++)
          if (!x[i].most[k].bounded) {
            /* TRANSLATORS: a rule, the first period (day, week...) it has no bound for, and why */
            printf(_("  %s (per %s): %s\n"), cli_shown(p->rules[i].name), _(period_names[k]),
                   exposure_reason(p, i, &x[i], k, why, sizeof why));
            break;
          }
    }
    if (partners > 0) {
      printf("\n");
      printf(P_("for %ld partner, over the whole program, within the budgets:\n",
                "for %ld partners, over the whole program, within the budgets:\n", (unsigned long)partners),
             partners);
      for (uint32_t i = 0; i < p->nrules; i++) {
        if (p->rules[i].action != IRT_ACT_AWARD) continue;
        printf("  %-26s %14s", cli_shown(p->rules[i].name), shown(leaves[i], n));
        if (p->rules[i].has_budget) printf(_("  (budget %s)"), dec_to_string(p->rules[i].budget, why));
        putchar('\n');
      }
      printf("  %-26s %14s", _("all rules"), shown(program_leaves, n));
      if (p->has_budget) printf(_("  (budget %s)"), dec_to_string(p->budget, why));
      putchar('\n');
    }
  }
  int status = unbounded ? EXIT_FAILED : EXIT_OK;
  free(leaves);
  free(x);
  free(groups);
  compile_unit_free(&u);
  free(src);
  return status;
}
