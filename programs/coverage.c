/* coverage.c: what a program's tests exercised: rules applied, condition operands seen true and false, messages sent. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/i18n.h"
#include "programs/coverage.h"
#include "runtime/base/util.h"

bool coverage_init(coverage *c, const char *file, const char *src, size_t len, const compile_unit *u,
                   emit_probe *probes, uint32_t nprobes) {
  const c_program *p = &u->prog;
  *c = (coverage){file, src, len, p, probes, nprobes, NULL, NULL, NULL};
  c->applied = rt_calloc(p->nrules + 1, sizeof *c->applied);
  c->seen = rt_calloc(nprobes + 1, sizeof *c->seen);
  c->sent = rt_calloc(p->nmessages + 1, sizeof *c->sent);
  return c->applied && c->seen && c->sent;
}

void coverage_free(coverage *c) {
  free(c->applied), free(c->seen), free(c->sent), free(c->probes);
  *c = (coverage){0};
}

static void on_probe(void *ud, int rule, int operand, int value) {
  coverage *c = ud;
  (void)rule;
  if (operand >= 0 && (uint32_t)operand < c->nprobes) c->seen[operand][value != 0]++;
}

void coverage_attach(coverage *c, incent_engine *e) { incent_engine_set_probe(e, on_probe, c); }

static void message_sent(coverage *c, const char *name) {
  int32_t m = name ? program_lookup(&c->p->message_index, name) : -1;
  if (m >= 0) c->sent[m]++;
}

void coverage_entry(coverage *c, const incent_entry *en) {
  int32_t r = en->rule ? program_lookup(&c->p->rule_index, en->rule) : -1;
  if (r >= 0) c->applied[r]++;
  if (en->granted != 0) message_sent(c, en->message); /* a message goes out only when the account changed */
}

void coverage_tier(coverage *c, const char *message) { message_sent(c, message); }

/* ---- what is shown ---- */

static int line_of(const ast *n) { return n ? n->loc.first_line : 0; }

/* The operand's source text when it is on one line (at most size - 1 bytes), else "". */
static const char *operand_text(const coverage *c, const ast *n, char *buf, size_t size) {
  buf[0] = '\0';
  if (n->loc.first_line != n->loc.last_line) return buf;
  const char *s = c->src, *end = c->src + c->len;
  for (int line = 1; line < n->loc.first_line && s < end; s++)
    if (*s == '\n') line++;
  const char *from = s + n->loc.first_column - 1, *to = s + n->loc.last_column - 1;
  if (from < s || to > end || to <= from || (size_t)(to - from) >= size || memchr(from, '\n', (size_t)(to - from)))
    return buf;
  memcpy(buf, from, (size_t)(to - from));
  buf[to - from] = '\0';
  return buf;
}

typedef struct counts {
  uint32_t rules, rules_hit, operands, operands_both, branches, branches_hit, messages, messages_hit;
} counts;

static counts count(const coverage *c) {
  counts n = {0};
  n.rules = c->p->nrules;
  for (uint32_t i = 0; i < c->p->nrules; i++) n.rules_hit += c->applied[i] > 0;
  n.operands = c->nprobes, n.branches = 2 * c->nprobes;
  for (uint32_t k = 0; k < c->nprobes; k++) {
    n.operands_both += c->seen[k][0] && c->seen[k][1];
    n.branches_hit += (c->seen[k][0] > 0) + (c->seen[k][1] > 0);
  }
  n.messages = c->p->nmessages;
  for (uint32_t m = 0; m < c->p->nmessages; m++) n.messages_hit += c->sent[m] > 0;
  return n;
}

void coverage_text(const coverage *c, FILE *out) {
  counts n = count(c);
  char text[128];
  fprintf(out, _("coverage of %s:\n"), c->file);
  fprintf(out, _("  rules applied by a test: %u of %u\n"), n.rules_hit, n.rules);
  for (uint32_t i = 0; i < c->p->nrules; i++)
    if (!c->applied[i])
      fprintf(out, _("    never applied: %s (line %d)\n"), c->p->rules[i].name, line_of(c->p->rules[i].node));
  fprintf(out, _("  condition operands seen both true and false: %u of %u\n"), n.operands_both, n.operands);
  for (uint32_t k = 0; k < c->nprobes; k++) {
    if (c->seen[k][0] && c->seen[k][1]) continue;
    const ast *node = c->probes[k].node;
    const char *what = !c->seen[k][0] && !c->seen[k][1] ? _("never evaluated")
                       : !c->seen[k][0]                 ? _("never false")
                                                        : _("never true");
    /* TRANSLATORS: the rule, the operand's line and column, its text, and never true/false/evaluated */
    fprintf(out, _("    %s, line %d column %d: '%s' %s\n"), c->p->rules[c->probes[k].rule].name, node->loc.first_line,
            node->loc.first_column, operand_text(c, node, text, sizeof text), what);
  }
  fprintf(out, _("  messages sent by a test: %u of %u\n"), n.messages_hit, n.messages);
  for (uint32_t m = 0; m < c->p->nmessages; m++)
    if (!c->sent[m])
      fprintf(out, _("    never sent: %s (line %d)\n"), c->p->messages[m].name, line_of(c->p->messages[m].node));
}

void coverage_json(const coverage *c, FILE *out) {
  counts n = count(c);
  char text[128];
  fprintf(out, "{\"program\": ");
  json_write_string(out, c->file);
  fprintf(out, ", \"rules\": [");
  for (uint32_t i = 0; i < c->p->nrules; i++) {
    fprintf(out, "%s{\"rule\": ", i ? ", " : "");
    json_write_string(out, c->p->rules[i].name);
    fprintf(out, ", \"line\": %d, \"applied\": %ld}", line_of(c->p->rules[i].node), c->applied[i]);
  }
  fprintf(out, "], \"operands\": [");
  for (uint32_t k = 0; k < c->nprobes; k++) {
    const ast *node = c->probes[k].node;
    fprintf(out, "%s{\"rule\": ", k ? ", " : "");
    json_write_string(out, c->p->rules[c->probes[k].rule].name);
    fprintf(out, ", \"line\": %d, \"column\": %d, \"text\": ", node->loc.first_line, node->loc.first_column);
    json_write_string(out, operand_text(c, node, text, sizeof text));
    fprintf(out, ", \"true\": %ld, \"false\": %ld}", c->seen[k][1], c->seen[k][0]);
  }
  fprintf(out, "], \"messages\": [");
  for (uint32_t m = 0; m < c->p->nmessages; m++) {
    fprintf(out, "%s{\"message\": ", m ? ", " : "");
    json_write_string(out, c->p->messages[m].name);
    fprintf(out, ", \"line\": %d, \"sent\": %ld}", line_of(c->p->messages[m].node), c->sent[m]);
  }
  fprintf(out, "], \"rules_applied\": %u, \"operands_both\": %u, \"messages_sent\": %u}", n.rules_hit, n.operands_both,
          n.messages_hit);
}

void coverage_lcov(const coverage *c, FILE *out) {
  counts n = count(c);
  fprintf(out, "TN:\nSF:%s\n", c->file);
  for (uint32_t i = 0; i < c->p->nrules; i++)
    fprintf(out, "FN:%d,%s\n", line_of(c->p->rules[i].node), c->p->rules[i].name);
  for (uint32_t i = 0; i < c->p->nrules; i++) fprintf(out, "FNDA:%ld,%s\n", c->applied[i], c->p->rules[i].name);
  fprintf(out, "FNF:%u\nFNH:%u\n", n.rules, n.rules_hit);
  /* each operand a block of two branches, true then false; "-": its condition never ran */
  for (uint32_t k = 0; k < c->nprobes; k++) {
    int line = c->probes[k].node->loc.first_line;
    bool ran = c->seen[k][0] || c->seen[k][1];
    for (int b = 0; b < 2; b++) {
      if (ran) fprintf(out, "BRDA:%d,%u,%d,%ld\n", line, k, b, c->seen[k][!b]);
      else fprintf(out, "BRDA:%d,%u,%d,-\n", line, k, b);
    }
  }
  fprintf(out, "BRF:%u\nBRH:%u\n", n.branches, n.branches_hit);
  /* lines: each rule's and each message's first line, merged in order (both are in source order); a line
   * both hold counts once, with the larger count */
  uint32_t lines = 0, hit = 0, i = 0, m = 0;
  int last = 0;
  long at_last = 0;
  while (i < c->p->nrules || m < c->p->nmessages) {
    int li = i < c->p->nrules ? line_of(c->p->rules[i].node) : 0;
    int lm = m < c->p->nmessages ? line_of(c->p->messages[m].node) : 0;
    bool rule = i < c->p->nrules && (m >= c->p->nmessages || li <= lm);
    int line = rule ? li : lm;
    long v = rule ? c->applied[i++] : c->sent[m++];
    if (line == last && last) {
      if (v > at_last) at_last = v;
      continue;
    }
    if (last) fprintf(out, "DA:%d,%ld\n", last, at_last), lines++, hit += at_last > 0;
    last = line, at_last = v;
  }
  if (last) fprintf(out, "DA:%d,%ld\n", last, at_last), lines++, hit += at_last > 0;
  fprintf(out, "LF:%u\nLH:%u\nend_of_record\n", lines, hit);
}
