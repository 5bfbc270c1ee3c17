/* check_po.c: `incent check --po DIR`: the translation catalogs of a checked
 * program, read with libgettextpo, checked against the program's texts. */
#include "config.h"
#include "runtime/base/util.h"
#include "compiler/check_po.h"

#include <dirent.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/i18n.h"
#include "compiler/pot.h"
#include "runtime/messages/contexts.h"
#include "runtime/messages/plural.h"
#include "runtime/base/readfile.h"
#include "runtime/base/strmap.h"
#include "runtime/messages/template.h"
#include "runtime/base/text.h"

/* ---- Where things are in a PO file ----
 * libgettextpo gives no line for a message, so the file is scanned: in a
 * catalog that reads without errors, the messages come in file order, each
 * with one line starting "msgid " (or "#~ msgid " when obsolete). */
#define MAX_FORMS 8
typedef struct po_lines { int msgid, msgstr[MAX_FORMS]; } po_lines;

static po_lines *scan_lines(const char *text, size_t len, size_t *count, int *plural_forms_line) {
  size_t n = 0, cap = 64;
  po_lines *v = rt_calloc(cap, sizeof *v);
  *plural_forms_line = 1;
  *count = 0;
  int line = 1;
  for (size_t i = 0; v && i < len; line++) {
    const char *s = text + i, *nl = memchr(s, '\n', len - i);
    size_t l = nl ? (size_t)(nl - s) : len - i;
    i = nl ? (size_t)(nl - text) + 1 : len;
    if (l >= 3 && strncmp(s, "#~ ", 3) == 0) s += 3, l -= 3;
    if (l > 6 && strncmp(s, "msgid ", 6) == 0) {
      if (n == cap) {
        po_lines *w = rt_realloc(v, (cap *= 2) * sizeof *v);
        if (!w) break;
        v = w;
      }
      v[n].msgid = line;
      for (int k = 0; k < MAX_FORMS; k++) v[n].msgstr[k] = line;
      n++;
    } else if (n && l > 7 && strncmp(s, "msgstr", 6) == 0) {
      int form = s[6] == '[' ? atoi(s + 7) : 0;
      if (form >= 0 && form < MAX_FORMS) v[n - 1].msgstr[form] = line;
    } else if (n == 1 && l > 14 && strncmp(s, "\"Plural-Forms:", 14) == 0) {
      *plural_forms_line = line;
    }
  }
  *count = n;
  return v;
}

/* ---- Reading with libgettextpo ----
 * Its handler must not return from a fatal error; reading never reports one
 * (every error is reported and reading goes on), so a fatal one jumps back
 * to po_read, which then refuses the file. */
typedef struct reading { diag_sink *d; jmp_buf fatal; } reading;
static reading *current; /* the handler has no user pointer; one file is read at a time */

static void report(int severity, size_t line, size_t column, const char *text) {
  src_loc loc = {line == (size_t)-1 ? 1 : (int)line, column == (size_t)-1 ? 1 : (int)column + 1, 0, 0};
  loc.last_line = loc.first_line, loc.last_column = loc.first_column;
  if (severity != PO_SEVERITY_WARNING)
    diag_at(current->d, &loc, D_PO_SYNTAX, _("%s; correct the catalog (msgfmt --check shows the same)"), text);
}

static void xerror(int severity, po_message_t m, const char *file, size_t line, size_t column, int multiline,
                   const char *text) {
  (void)m, (void)multiline, (void)file;
  report(severity, line, column, text);
  if (severity == PO_SEVERITY_FATAL_ERROR) longjmp(current->fatal, 1);
}

static void xerror2(int severity, po_message_t m1, const char *file1, size_t line1, size_t column1, int ml1,
                    const char *text1, po_message_t m2, const char *file2, size_t line2, size_t column2, int ml2,
                    const char *text2) {
  (void)m1, (void)file1, (void)ml1, (void)m2, (void)file2, (void)line2, (void)column2, (void)ml2, (void)text2;
  report(severity, line1, column1, text1);
  if (severity == PO_SEVERITY_FATAL_ERROR) longjmp(current->fatal, 1);
}

static po_file_t po_read(const char *path, diag_sink *d) {
  static const struct po_xerror_handler handler = {xerror, xerror2};
  reading r;
  r.d = d;
  current = &r;
  po_file_t volatile f = NULL;
  if (setjmp(r.fatal) == 0) f = po_file_read(path, &handler);
  current = NULL;
  if (f && d->errors) {
    po_file_free(f);
    f = NULL;
  }
  return f;
}

/* ---- Checking one translation ---- */

typedef struct names { const char *s[64]; size_t len[64]; int n; } names;

static void collect(void *ud, const char *name, size_t len, size_t offset) {
  (void)offset;
  names *x = ud;
  for (int i = 0; i < x->n; i++)
    if (x->len[i] == len && memcmp(x->s[i], name, len) == 0) return;
  if (x->n < 64) x->s[x->n] = name, x->len[x->n++] = len;
}

static bool has(const names *x, const char *name, size_t len) {
  for (int i = 0; i < x->n; i++)
    if (x->len[i] == len && memcmp(x->s[i], name, len) == 0) return true;
  return false;
}

/* What one scan of a translation's form gathers: its placeholders, and the
 * first malformed one, reported. */
typedef struct form_scan { names got; diag_sink *d; src_loc loc; const char *form; bool bad; } form_scan;

static void form_placeholder(void *ud, const char *name, size_t len, size_t offset) {
  collect(&((form_scan *)ud)->got, name, len, offset);
}

static void form_bad(void *ud, const char *text, size_t len, size_t offset) {
  (void)offset;
  form_scan *b = ud;
  if (b->bad) return; /* one per form is enough to send the translator back */
  b->bad = true;
  diag_at(b->d, &b->loc, D_PO_TEMPLATE,
          _("%s has '%.*s', which is not a placeholder; placeholders are {name}, and braces are written {{ and }}"),
          b->form, (int)(len > 60 ? 60 : len), text);
}

/* one_line: a subject (which becomes an e-mail header) or a title (which a
 * subject can hold), where a control character has no place. */
static void check_form(diag_sink *d, int line, const char *form, const char *text, const names *source,
                       bool one_line) {
  src_loc loc = {line, 1, line, 1};
  form_scan scan = {{{0}, {0}, 0}, d, loc, form, false};
  template_scan(text, strlen(text), form_placeholder, form_bad, &scan);
  const names *got = &scan.got;
  for (int i = 0; i < source->n; i++)
    if (!has(got, source->s[i], source->len[i]))
      diag_at(d, &loc, D_PO_PLACEHOLDER, _("%s lost the placeholder {%.*s}; every form must keep each placeholder of the source text"),
              form, (int)source->len[i], source->s[i]);
  for (int i = 0; i < got->n; i++)
    if (!has(source, got->s[i], got->len[i]))
      diag_at(d, &loc, D_PO_PLACEHOLDER, _("%s has {%.*s}, which the source text does not have; placeholders are never translated"),
              form, (int)got->len[i], got->s[i]);
  unsigned long c = text_bidi_control(text, strlen(text));
  if (c)
    diag_at(d, &loc, D_PO_BIDI,
            _("%s contains the bidi control character U+%04lX, which can reorder what partners read; remove it "
              "(statements isolate values themselves)"), form, c);
  if (one_line && text_control(text, strlen(text), &c))
    diag_at(d, &loc, D_PO_CONTROL,
            _("%s contains the control character U+%04lX; a subject or title is one line of plain text "
              "(a subject becomes an e-mail header), so remove it"), form, c);
}

/* ---- One catalog ---- */

static void check_catalog(const pot_entry *e, size_t ne, const strmap *by_ctx, const char *path,
                          const char *text, size_t len, diag_sink *d, po_counts *c) {
  po_file_t f = po_read(path, d);
  if (!f) return;
  c->read = true;
  size_t nlines;
  int forms_line;
  po_lines *lines = scan_lines(text, len, &nlines, &forms_line);
  /* the header's Plural-Forms against the language's rule */
  char *header = (char *)po_file_domain_header(f, NULL); /* a malloc'd copy, despite its const */
  char *forms = header ? po_header_field(header, "Plural-Forms") : NULL;
  plural_expr *have = NULL;
  unsigned long nhave = 0;
  char why[200];
  const char *expect = plural_expected(c->language);
  src_loc hl = {forms_line, 1, forms_line, 1};
  if (!forms) {
    diag_at(d, &hl, D_PO_PLURAL_FORMS, _("the catalog has no Plural-Forms header; for '%s' write \"Plural-Forms: %s\""),
            c->language, expect ? expect : "nplurals=2; plural=(n != 1);");
  } else if (strstr(forms, "INTEGER") || strstr(forms, "EXPRESSION")) { /* msginit's placeholder, left as it was */
    diag_at(d, &hl, D_PO_PLURAL_FORMS, _("the Plural-Forms header is still the template's placeholder; for '%s' write "
                                         "\"Plural-Forms: %s\""),
            c->language, expect ? expect : "nplurals=2; plural=(n != 1);");
  } else if (!plural_parse(forms, &have, &nhave, why, sizeof why)) {
    diag_at(d, &hl, D_PO_PLURAL_FORMS, _("the Plural-Forms header cannot be read: %s"), why);
  } else if (!expect) {
    diag_at(d, &hl, D_PO_NO_RULE, _("incent does not know the plural rule of '%s', so its Plural-Forms is not checked"),
            c->language);
  } else if (!plural_suits(c->language, have, nhave)) {
    diag_at(d, &hl, D_PO_PLURAL_FORMS, _("the Plural-Forms header does not suit '%s'; write \"Plural-Forms: %s\""),
            c->language, expect);
  }
  bool *seen = rt_calloc(ne ? ne : 1, sizeof *seen);
  po_message_iterator_t it = po_message_iterator(f, NULL);
  size_t index = 0;
  for (po_message_t m; seen && (m = po_next_message(it)); index++) {
    const po_lines *where = lines && index < nlines ? &lines[index] : NULL;
    const char *msgid = po_message_msgid(m), *ctx = po_message_msgctxt(m);
    if (!msgid[0] && !ctx) continue; /* the header */
    if (po_message_is_obsolete(m)) {
      c->obsolete++;
      continue;
    }
    uint32_t k;
    src_loc at = {where ? where->msgid : 1, 1, where ? where->msgid : 1, 1};
    if (!ctx || !strmap_get(by_ctx, ctx, strlen(ctx), &k) || strcmp(e[k].msgid->s, msgid) != 0) {
      c->unknown++;
      diag_at(d, &at, D_PO_UNKNOWN,
              _("\"%s\" (context \"%s\") is not a text of this program; merge the catalog with the program's "
                "template (incent pot, then msgmerge)"), msgid, ctx ? ctx : "");
      continue;
    }
    seen[k] = true;
    const pot_entry *x = &e[k];
    size_t clen = strlen(x->ctx), tlen = strlen(INCENT_CTX_TEXT);
    bool one_line = !(clen >= tlen && strcmp(x->ctx + clen - tlen, INCENT_CTX_TEXT) == 0);
    if (po_message_is_fuzzy(m)) {
      c->fuzzy++;
      diag_at(d, &at, D_PO_INCOMPLETE, _("\"%.60s\" (context \"%s\") is fuzzy: check its translation, then remove the "
                                         "fuzzy flag"), msgid, ctx);
      continue;
    }
    names source = {0};
    template_scan(x->msgid->s, x->msgid->slen, collect, NULL, &source);
    if (x->plural) template_scan(x->plural->s, x->plural->slen, collect, NULL, &source);
    if (!x->plural || !po_message_msgid_plural(m)) {
      const char *t = po_message_msgstr(m);
      if (!t || !t[0]) {
        c->missing++;
        diag_at(d, &at, D_PO_INCOMPLETE, _("\"%.60s\" (context \"%s\") has no translation"), msgid, ctx);
        continue;
      }
      c->translated++;
      check_form(d, where ? where->msgstr[0] : at.first_line, "msgstr", t, &source, one_line);
      continue;
    }
    int nforms = 0;
    bool empty = false;
    while (po_message_msgstr_plural(m, nforms)) empty |= !po_message_msgstr_plural(m, nforms++)[0];
    if (empty) {
      c->missing++;
      diag_at(d, &at, D_PO_INCOMPLETE, _("\"%.60s\" (context \"%s\") has no translation"), msgid, ctx);
      continue;
    }
    c->translated++;
    if (have && (unsigned long)nforms != nhave)
      diag_at(d, &at, D_PO_FORMS, _("this translation has %d plural forms; the catalog's Plural-Forms says %lu"),
              nforms, nhave);
    for (int i = 0; i < nforms; i++) {
      char form[24];
      snprintf(form, sizeof form, "msgstr[%d]", i);
      check_form(d, where && i < MAX_FORMS ? where->msgstr[i] : at.first_line, form, po_message_msgstr_plural(m, i),
                 &source, one_line);
    }
  }
  src_loc top = {1, 1, 1, 1};
  for (size_t k = 0; seen && k < ne; k++)
    if (!seen[k]) {
      c->missing++;
      diag_at(d, &top, D_PO_INCOMPLETE, _("\"%.60s\" (context \"%s\") is not in the catalog; merge it with the "
                                          "program's template (incent pot, then msgmerge)"), e[k].msgid->s, e[k].ctx);
    }
  po_message_iterator_free(it);
  free(seen);
  free(lines);
  free(forms);
  free(header);
  plural_free(have);
  po_file_free(f);
}

/* The source location of language lang in the program's `languages`. */
static src_loc language_loc(const c_program *p, const char *lang) {
  AST_EACH(it, p->program->c)
    if (it->kind == AST_P_LANGUAGES)
      AST_EACH(l, it->a)
        if (strcmp(l->s, lang) == 0) return l->loc;
  return p->program->loc;
}

static bool add_sink(po_report *r, const char *path, char *text, size_t len) {
  diag_sink **s = rt_realloc(r->sinks, (r->nsinks + 1) * sizeof *s);
  char **t = s ? rt_realloc(r->texts, (r->nsinks + 1) * sizeof *t) : NULL;
  if (s) r->sinks = s;
  if (t) r->texts = t;
  diag_sink *d = t ? rt_malloc(sizeof *d) : NULL;
  if (!d) return false;
  diag_init(d, path, text, len);
  r->sinks[r->nsinks] = d;
  r->texts[r->nsinks++] = text;
  return true;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool check_po(c_program *p, const char *dir, bool strict, po_report *r) {
  memset(r, 0, sizeof *r);
  if (!p->program) return true;
  r->langs = rt_calloc(p->nlanguages ? p->nlanguages : 1, sizeof *r->langs);
  if (!r->langs) return false;
  r->nlangs = p->nlanguages;
  for (uint32_t i = 0; i < p->nlanguages; i++) r->langs[i].language = p->languages[i];
  DIR *dp = dir ? opendir(dir) : NULL;
  if (dir && !dp) return false;
  /* the catalogs, in name order so that the report does not depend on the file system */
  char **files = NULL;
  size_t nfiles = 0;
  for (struct dirent *de; dp && (de = readdir(dp));) {
    size_t l = strlen(de->d_name);
    if (l < 4 || strcmp(de->d_name + l - 3, ".po") != 0 || de->d_name[0] == '.') continue;
    char **nf = rt_realloc(files, (nfiles + 1) * sizeof *nf);
    if (!nf) break;
    files = nf;
    files[nfiles++] = rt_strdup(de->d_name);
  }
  if (dp) closedir(dp);
  if (nfiles) qsort(files, nfiles, sizeof *files, by_name);
  size_t ne = 0;
  pot_entry *e = pot_entries(p, &ne);
  strmap by_ctx;
  strmap_init(&by_ctx);
  for (size_t k = 0; e && k < ne; k++) {
    uint32_t had;
    strmap_put(&by_ctx, e[k].ctx, strlen(e[k].ctx), (uint32_t)k, &had);
  }
  for (size_t i = 0; i < nfiles; i++) {
    if (!files[i]) continue;
    size_t need = strlen(dir) + strlen(files[i]) + 2, len = 0;
    char *path = rt_malloc(need);
    if (path) snprintf(path, need, "%s/%s", dir, files[i]);
    FILE *in = path ? fopen(path, "rb") : NULL;
    char *text = NULL;
    if (in) {
      if (read_whole(in, (size_t)1 << 30, &text, &len) != READ_OK) text = NULL;
      fclose(in);
    }
    if (!text || !add_sink(r, path, text, len)) {
      free(text);
      free(path);
      continue;
    }
    diag_sink *d = r->sinks[r->nsinks - 1];
    files[i][strlen(files[i]) - 3] = '\0'; /* the language */
    po_counts *c = NULL;
    for (size_t k = 0; k < r->nlangs; k++)
      if (strcmp(r->langs[k].language, files[i]) == 0) c = &r->langs[k];
    src_loc top = {1, 1, 1, 1};
    if (!c) {
      diag_at(d, &top, D_PO_LANGUAGE,
              _("the program does not declare the language '%s'; add it to 'languages' or remove this catalog"),
              files[i]);
      continue;
    }
    c->file = path;
    check_catalog(e, ne, &by_ctx, path, text, len, d, c);
    if (c->read && (c->missing || c->fuzzy) && c != &r->langs[0])
      diag_at(d, &top, D_PO_INCOMPLETE, _("the '%s' catalog is incomplete: %u missing and %u fuzzy of %zu texts"),
              c->language, c->missing, c->fuzzy, ne);
  }
  /* every declared language but the source language needs a catalog */
  for (size_t k = 1; k < r->nlangs; k++) {
    if (r->langs[k].file || (!dir && !strict)) continue;
    src_loc at = language_loc(p, r->langs[k].language);
    if (dir)
      diag_at(p->diag, &at, D_PO_MISSING, _("language '%s' has no catalog %s/%s.po; start one with msginit"),
              r->langs[k].language, dir, r->langs[k].language);
    else
      diag_at(p->diag, &at, D_PO_MISSING,
              _("language '%s' needs a translation catalog; check the catalogs with --po DIR"), r->langs[k].language);
  }
  for (size_t i = 0; i < nfiles; i++) free(files[i]);
  free(files);
  free(e);
  strmap_free(&by_ctx);
  for (size_t i = 0; i < r->nsinks; i++) diag_sort(r->sinks[i]);
  return true;
}

void po_report_free(po_report *r) {
  for (size_t i = 0; i < r->nsinks; i++) {
    char *path = (char *)r->sinks[i]->file; /* the sink borrows it */
    diag_free(r->sinks[i]);
    free(path);
    free(r->sinks[i]);
    free(r->texts[i]);
  }
  free(r->sinks);
  free(r->texts);
  free(r->langs);
  memset(r, 0, sizeof *r);
}
