/* pot.c: the gettext template (.pot) of a checked program's partner-facing
 * texts: titles (of the program, tiers, rules and `one of` values), message
 * subjects and texts, in source order. */
#include "config.h"
#include "runtime/base/util.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/pot.h"
#include "compiler/template.h"
#include "runtime/messages/contexts.h"

static int by_position(const void *a, const void *b) {
  const pot_entry *x = a, *y = b;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  return x->column < y->column ? -1 : x->column > y->column;
}

/* One PO string: quoted and escaped, split after each newline as xgettext
 * does, so a text of several lines reads as several lines. */
static void po_string(FILE *out, const char *keyword, const char *s, size_t len) {
  fputs(keyword, out);
  bool split = len && memchr(s, '\n', len - 1) != NULL; /* a newline before the last byte */
  if (split) fputs(" \"\"\n", out);
  else fputc(' ', out);
  fputc('"', out);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    case '\n':
      fputs("\\n", out);
      if (i + 1 < len) fputs("\"\n\"", out);
      break;
    default: fputc(c, out);
    }
  }
  fputs("\"\n", out);
}

static void count_one(void *ud, const char *text, size_t len, size_t offset) {
  (void)text, (void)len, (void)offset;
  ++*(int *)ud;
}

static bool has_placeholder(const ast *s) {
  int n = 0;
  if (s) template_scan(s->s, s->slen, count_one, NULL, &n);
  return n > 0;
}

static void add(pot_entry *e, size_t *n, const ast *msgid, const ast *plural, const ast *note, const char *ctx1,
                const char *ctx2, const char *ctx3) {
  if (!msgid) return;
  pot_entry *x = &e[(*n)++];
  x->line = msgid->loc.first_line;
  x->column = msgid->loc.first_column;
  snprintf(x->ctx, sizeof x->ctx, "%s%s%s", ctx1, ctx2, ctx3);
  x->msgid = msgid, x->plural = plural, x->note = note;
}

/* The titles of the values of `one of` field f, of event type `owner` or of
 * the partner (INCENT_CTX_ENUM_PARTNER). */
static void add_titles(const c_program *p, pot_entry *e, size_t *n, const char *owner, const c_field *f) {
  if (f->type.t != IRT_T_ENUM || !f->node) return;
  AST_EACH(v, p->enums[f->type.en].values) {
    if (!v->b) continue;
    char ctx[sizeof e->ctx];
    snprintf(ctx, sizeof ctx, "%s%s.%s.", INCENT_CTX_ENUM, owner, f->name);
    add(e, n, v->b, NULL, NULL, ctx, v->a->s, "");
  }
}

pot_entry *pot_entries(const c_program *p, size_t *count) {
  size_t cap = 1 + p->ntiers + p->nrules + 2 * (size_t)p->nmessages, n = 0;
  for (uint32_t i = 0; i < p->nenums; i++) AST_EACH(v, p->enums[i].values) cap += v->b != NULL;
  pot_entry *e = rt_calloc(cap, sizeof *e);
  *count = 0;
  if (!e) return NULL;
  for (uint32_t i = 0; i < p->nattrs; i++) add_titles(p, e, &n, INCENT_CTX_ENUM_PARTNER, &p->attrs[i]);
  for (uint32_t i = 0; i < p->nevents; i++)
    for (uint32_t k = 0; k < p->events[i].nfields; k++) add_titles(p, e, &n, p->events[i].name, &p->events[i].fields[k]);
  add(e, &n, p->program ? p->program->b : NULL, NULL, NULL, INCENT_CTX_PROGRAM, "", "");
  for (uint32_t i = 0; i < p->ntiers; i++)
    add(e, &n, p->tiers[i].node->b, NULL, NULL, INCENT_CTX_TIER, p->tiers[i].name, "");
  for (uint32_t i = 0; i < p->nrules; i++)
    add(e, &n, p->rules[i].node->b, NULL, NULL, INCENT_CTX_RULE, p->rules[i].name, "");
  for (uint32_t i = 0; i < p->nmessages; i++) {
    const c_message *m = &p->messages[i];
    add(e, &n, m->subject, NULL, m->note, m->name, INCENT_CTX_SUBJECT, "");
    add(e, &n, m->text, m->text_plural, m->note, m->name, INCENT_CTX_TEXT, "");
  }
  qsort(e, n, sizeof *e, by_position);
  *count = n;
  return e;
}

bool pot_write(const c_program *p, FILE *out) {
  size_t n;
  pot_entry *e = pot_entries(p, &n);
  if (!e) return false;
  const char *base = strrchr(p->file, '/');
  base = base ? base + 1 : p->file;
  fprintf(out,
          "# Partner-facing texts of the incentive program %s.\n"
          "# Written by incent pot: translate a copy per language (msginit), merge with msgmerge.\n"
          "#\n"
          "#, fuzzy\n"
          "msgid \"\"\n"
          "msgstr \"\"\n"
          "\"Project-Id-Version: %s\\n\"\n"
          "\"Report-Msgid-Bugs-To: \\n\"\n"
          "\"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n\"\n"
          "\"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n\"\n"
          "\"Language-Team: LANGUAGE <LL@li.org>\\n\"\n"
          "\"Language: \\n\"\n"
          "\"MIME-Version: 1.0\\n\"\n"
          "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
          "\"Content-Transfer-Encoding: 8bit\\n\"\n"
          "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n",
          p->name, p->name);
  for (size_t i = 0; i < n; i++) {
    const pot_entry *x = &e[i];
    fputc('\n', out);
    if (x->note) { /* the designer's note, a comment line per line */
      fputs("#. ", out);
      for (size_t k = 0; k < x->note->slen; k++) {
        if (x->note->s[k] == '\n') fputs(k + 1 < x->note->slen ? "\n#. " : "", out);
        else fputc(x->note->s[k], out);
      }
      fputc('\n', out);
    }
    fprintf(out, "#: %s:%d\n", base, x->line);
    if (has_placeholder(x->msgid) || has_placeholder(x->plural)) fputs("#, python-brace-format\n", out);
    po_string(out, "msgctxt", x->ctx, strlen(x->ctx));
    po_string(out, "msgid", x->msgid->s, x->msgid->slen);
    if (x->plural) {
      po_string(out, "msgid_plural", x->plural->s, x->plural->slen);
      fputs("msgstr[0] \"\"\nmsgstr[1] \"\"\n", out);
    } else {
      fputs("msgstr \"\"\n", out);
    }
  }
  free(e);
  return !ferror(out);
}
