/* messages.c: a program's texts in each partner's language: catalogs and
 * formatters loaded once per language, notifications rendered in one pass
 * (template.h), and every fallback to the source language counted. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "runtime/messages/catalog.h"
#include "runtime/base/civil.h"
#include "runtime/messages/contexts.h"
#include "runtime/messages/messages.h"
#include "runtime/engine/table.h"
#include "runtime/messages/plural.h"
#include "runtime/messages/template.h"
#include "runtime/base/text.h"
#include "runtime/base/util.h"

/* A program text of one language, looked up and checked once, when the
 * catalogs are loaded: the translation (for a message's text, all its
 * plural forms), or why the source text is used instead. */
typedef struct mtext {
  const char *s, *why;
  size_t len;
} mtext;

typedef struct mlang {
  const char *code;  /* from the table */
  mtext *subjects, *texts, *rules, *tiers; /* per message, rule and tier, for a language with a catalog */
  mtext *values;                           /* per enumeration value, for one with a title */
  mtext program;                           /* the program's title */
  catalog *cat;      /* the program's texts; NULL for the source language or when missing */
  catalog *labels;   /* the library's own labels; NULL when missing */
  formatter *fmt;
  char *missing;     /* why cat is NULL for a language that needs one */
  char *no_labels;   /* why labels is NULL for a language that needs them */
  bool rtl;
} mlang;

typedef struct fallback {
  char *language, *reason;
  long count;
} fallback;

struct incent_messages {
  const incent_table *t;
  mlang *langs;          /* the declared languages, the source language first */
  uint32_t nlangs;
  int channel_attr;      /* the partner attribute `channel`, or -1 */
  fallback *falls;
  size_t nfalls, capfalls;
  /* scratch of the rendering under way */
  textbuf subject, text, value, reason, ctx;
  char **whys;           /* the reasons of mtexts */
  size_t nwhys, capwhys;
  char *first_reason;    /* the first fallback of the message being rendered */
  char **warnings;       /* what is wrong with a catalog that is used all the same */
  size_t nwarnings, capwarnings;
};

/* Loads dir/LANG/LC_MESSAGES/domain.mo: NULL with *missing set when there
 * is none; false when there is one that cannot be read. */
static bool load_catalog(const char *dir, const char *lang, const char *domain, catalog **out, char **missing,
                         char *why, size_t whylen) {
  *out = NULL;
  *missing = NULL;
  textbuf path = {0};
  text_printf(&path, "%s/%s/LC_MESSAGES/%s.mo", dir, lang, domain);
  FILE *f = path.oom ? NULL : fopen(text_str(&path), "rb");
  if (!f) {
    textbuf r = {0};
    text_printf(&r, "there is no catalog %s", text_str(&path));
    text_free(&path);
    if (r.oom) return rt_fail(why, whylen, "out of memory");
    *missing = r.s;
    return true;
  }
  fclose(f);
  *out = catalog_load(text_str(&path), why, whylen);
  text_free(&path);
  return *out != NULL;
}

/* Keeps a reason for as long as m lives. */
static const char *keep(incent_messages *m, const textbuf *b) {
  if (!rt_grow((void **)&m->whys, &m->capwhys, m->nwhys + 1, sizeof *m->whys)) return NULL;
  char *copy = b->oom ? NULL : rt_strdup(text_str(b));
  if (copy) m->whys[m->nwhys++] = copy;
  return copy;
}

/* Looks up the text of context prefix+name+suffix in L's catalog into x:
 * what of it says why it cannot be used ("its subject"), NULL for a title. */
static bool look_up(incent_messages *m, mlang *L, const char *prefix, const char *name, const char *suffix,
                    const char *source, const char *what, mtext *x) {
  text_clear(&m->ctx);
  text_printf(&m->ctx, "%s%s%s", prefix, name, suffix);
  x->s = catalog_find(L->cat, text_str(&m->ctx), source, &x->len);
  x->why = NULL;
  bool found = x->s && x->len && x->s[0];
  /* a subject becomes an e-mail header, and a title can go into a subject: both are one line of text */
  unsigned long c = 0;
  bool control = found && (!what || strcmp(what, "subject") == 0) && text_control(x->s, x->len, &c);
  if (found && !control && !text_bidi_control(x->s, x->len)) return true;
  x->s = NULL;
  text_clear(&m->reason);
  if (what && !found) text_printf(&m->reason, "message %s has no %s translation of its %s", name, L->code, what);
  else if (what && control)
    text_printf(&m->reason, "the %s translation of message %s holds the control character U+%04lX in its %s", L->code,
                name, c, what);
  else if (what) text_printf(&m->reason, "the %s translation of message %s holds a bidi control character", L->code, name);
  else if (!found) text_printf(&m->reason, "\"%s\" (%s) has no %s translation", source, text_str(&m->ctx), L->code);
  else if (control)
    text_printf(&m->reason, "the %s translation of \"%s\" (%s) holds the control character U+%04lX", L->code, source,
                text_str(&m->ctx), c);
  else text_printf(&m->reason, "the %s translation of \"%s\" (%s) holds a bidi control character", L->code, source,
                   text_str(&m->ctx));
  return (x->why = keep(m, &m->reason)) != NULL;
}

/* The titles of the values of field f if it is a `one of`, in the context
 * of f (owner: its event type's name, or INCENT_CTX_ENUM_PARTNER).  Each
 * enumeration is looked up once, for the first field that has it: the
 * compiler gives every field its own. */
static bool look_up_values(incent_messages *m, mlang *L, bool *done, const char *owner, const irt_field *f) {
  const incent_table *t = m->t;
  if (f->type != IRT_T_ENUM || done[f->enum_id]) return true;
  done[f->enum_id] = true;
  const rt_enum *e = &t->enums[f->enum_id];
  textbuf prefix = {0};
  text_printf(&prefix, "%s%s.%s.", INCENT_CTX_ENUM, owner, rt_string(t, f->name));
  bool ok = !prefix.oom;
  for (uint32_t k = 0; ok && k < e->count; k++) {
    const irt_enum_value *v = &t->enum_values[e->first + k];
    if (v->title != IRT_NONE)
      ok = look_up(m, L, text_str(&prefix), rt_string(t, v->name), "", rt_string(t, v->title), NULL,
                   &L->values[e->first + k]);
  }
  text_free(&prefix);
  return ok;
}

static bool look_up_all(incent_messages *m, mlang *L) {
  const incent_table *t = m->t;
  L->subjects = rt_calloc(t->nmessages + 1, sizeof *L->subjects);
  L->texts = rt_calloc(t->nmessages + 1, sizeof *L->texts);
  L->rules = rt_calloc(t->nrules + 1, sizeof *L->rules);
  L->tiers = rt_calloc(t->tiers_head->ntiers + 1, sizeof *L->tiers);
  L->values = rt_calloc(t->nenum_values + 1, sizeof *L->values);
  bool *done = rt_calloc(t->nenums + 1, sizeof *done);
  bool ok = L->subjects && L->texts && L->rules && L->tiers && L->values && done;
  for (uint32_t i = 0; ok && i < t->nattrs; i++) ok = look_up_values(m, L, done, INCENT_CTX_ENUM_PARTNER, &t->attrs[i]);
  for (uint32_t i = 0; ok && i < t->nevents; i++)
    for (uint32_t k = 0; ok && k < t->events[i].nfields; k++)
      ok = look_up_values(m, L, done, rt_string(t, t->events[i].name), &t->event_fields[t->events[i].fields + k]);
  free(done);
  if (!ok) return false;
  for (uint32_t i = 0; i < t->nmessages; i++) {
    const irt_message *msg = &t->messages[i];
    const char *name = rt_string(t, msg->name);
    if (!look_up(m, L, "", name, INCENT_CTX_SUBJECT, rt_string(t, msg->subject), "subject", &L->subjects[i]) ||
        !look_up(m, L, "", name, INCENT_CTX_TEXT, rt_string(t, msg->text), "text", &L->texts[i]))
      return false;
  }
  if (!look_up(m, L, INCENT_CTX_PROGRAM, "", "", rt_string(t, t->program->title), NULL, &L->program)) return false;
  for (uint32_t i = 0; i < t->nrules; i++)
    if (!look_up(m, L, INCENT_CTX_RULE, rt_string(t, t->rules[i].name), "", rt_string(t, t->rules[i].title), NULL,
                 &L->rules[i]))
      return false;
  for (uint32_t i = 0; i < t->tiers_head->ntiers; i++)
    if (!look_up(m, L, INCENT_CTX_TIER, rt_string(t, t->tiers[i].name), "", rt_string(t, t->tiers[i].title), NULL,
                 &L->tiers[i]))
      return false;
  return true;
}

static incent_status load(const incent_table *t, const char *locale_dir, const char *own_locale_dir,
                          incent_messages **out, char *why, size_t whylen);

/* Whatever the code below did with an allocation that failed (a catalog
 * missing, a fallback reason lost), the texts are not to be trusted. */
incent_status incent_messages_load(const incent_table *t, const char *locale_dir, const char *own_locale_dir,
                                   incent_messages **out, char *why, size_t whylen) {
  long failures = rt_alloc_failures();
  incent_status st = load(t, locale_dir, own_locale_dir, out, why, whylen);
  if (rt_alloc_failures() == failures) return st;
  incent_messages_free(*out);
  *out = NULL;
  rt_fail(why, whylen, "out of memory");
  return INCENT_ENOMEM;
}

static incent_status load(const incent_table *t, const char *locale_dir, const char *own_locale_dir,
                          incent_messages **out, char *why, size_t whylen) {
  *out = NULL;
  incent_messages *m = rt_calloc(1, sizeof *m);
  uint32_t n = t->program->nlanguages ? t->program->nlanguages : 1;
  if (!m || !(m->langs = rt_calloc(n, sizeof *m->langs))) {
    free(m);
    return INCENT_ENOMEM;
  }
  m->t = t;
  m->nlangs = n;
  m->channel_attr = -1;
  for (int i = IRT_ATTR_DECLARED; i < incent_table_nattrs(t); i++)
    if (strcmp(incent_table_attr_name(t, i), "channel") == 0) m->channel_attr = i;
  const char *currency = rt_string(t, t->program->currency);
  for (uint32_t i = 0; i < n; i++) {
    mlang *L = &m->langs[i];
    L->code = i < t->program->nlanguages ? rt_string(t, t->languages[i]) : "en";
    L->rtl = text_rtl_language(L->code);
    if (!(L->fmt = fmt_open(L->code, currency, why, whylen))) goto failed;
    if (i > 0 && locale_dir && !load_catalog(locale_dir, L->code, incent_table_program(t), &L->cat, &L->missing, why, whylen))
      goto failed;
    if (L->cat && !look_up_all(m, L)) goto nomem;
    /* a Plural-Forms that does not suit the language still chooses the forms
     * (as gettext would), so a partner may read "88 punkt": said at load */
    unsigned long nforms;
    const plural_expr *rule = L->cat ? catalog_plural(L->cat, &nforms) : NULL;
    if (rule && catalog_plural_forms(L->cat) && !plural_suits(L->code, rule, nforms)) {
      textbuf w = {0};
      text_printf(&w, "%s/%s/LC_MESSAGES/%s.mo: its Plural-Forms (%s) does not suit '%s', and it chooses the plural "
                      "forms partners read; write \"Plural-Forms: %s\" in %s.po (incent check --po finds it)",
                  locale_dir, L->code, incent_table_program(t), catalog_plural_forms(L->cat), L->code,
                  plural_expected(L->code), L->code);
      if (w.oom || !rt_grow((void **)&m->warnings, &m->capwarnings, m->nwarnings + 1, sizeof *m->warnings)) {
        text_free(&w);
        goto nomem;
      }
      m->warnings[m->nwarnings++] = w.s;
    }
    if (i > 0 && !locale_dir) {
      if (!(L->missing = rt_strdup("no --locale-dir was given"))) goto nomem;
    }
    /* the labels' source texts are English */
    bool english = strncmp(L->code, "en", 2) == 0 && (!L->code[2] || L->code[2] == '_');
    char bad[300];
    /* the labels serve statements only: a damaged catalog of them is a fallback, not a failure */
    if (!english && own_locale_dir &&
        !load_catalog(own_locale_dir, L->code, "incent", &L->labels, &L->no_labels, bad, sizeof bad) &&
        !(L->no_labels = rt_strdup(bad)))
      goto nomem;
    if (!english && !own_locale_dir && !(L->no_labels = rt_strdup("the library's own catalogs were not found"))) goto nomem;
  }
  *out = m;
  return INCENT_OK;
nomem:
  rt_fail(why, whylen, "out of memory");
failed:
  incent_messages_free(m);
  return INCENT_EFORMAT;
}

void incent_messages_free(incent_messages *m) {
  if (!m) return;
  for (uint32_t i = 0; i < m->nlangs; i++) {
    catalog_free(m->langs[i].cat);
    catalog_free(m->langs[i].labels);
    fmt_close(m->langs[i].fmt);
    free(m->langs[i].missing);
    free(m->langs[i].no_labels);
    free(m->langs[i].subjects);
    free(m->langs[i].texts);
    free(m->langs[i].rules);
    free(m->langs[i].tiers);
    free(m->langs[i].values);
  }
  for (size_t i = 0; i < m->nwhys; i++) free(m->whys[i]);
  free(m->whys);
  for (size_t i = 0; i < m->nwarnings; i++) free(m->warnings[i]);
  free(m->warnings);
  free(m->langs);
  for (size_t i = 0; i < m->nfalls; i++) {
    free(m->falls[i].language);
    free(m->falls[i].reason);
  }
  free(m->falls);
  text_free(&m->subject);
  text_free(&m->text);
  text_free(&m->value);
  text_free(&m->reason);
  text_free(&m->ctx);
  free(m);
}

void incent_messages_warnings(const incent_messages *m, incent_warning_fn *fn, void *ud) {
  for (size_t i = 0; i < m->nwarnings; i++) fn(ud, m->warnings[i]);
}

void incent_messages_fallbacks(const incent_messages *m, incent_fallback_fn *fn, void *ud) {
  for (size_t i = 0; i < m->nfalls; i++) fn(ud, m->falls[i].language, m->falls[i].reason, m->falls[i].count);
}

/* Counts one text of language `asked` that went out in the source language. */
static void fell_back(incent_messages *m, const char *asked, const char *reason) {
  size_t i = 0;
  while (i < m->nfalls && !(strcmp(m->falls[i].language, asked) == 0 && strcmp(m->falls[i].reason, reason) == 0)) i++;
  if (i == m->nfalls) {
    if (!rt_grow((void **)&m->falls, &m->capfalls, m->nfalls + 1, sizeof *m->falls))
      return; /* the count is lost, the text still goes out */
    fallback f = {rt_strdup(asked), rt_strdup(reason), 0};
    if (!f.language || !f.reason) {
      free(f.language);
      free(f.reason);
      return;
    }
    m->falls[m->nfalls++] = f;
  }
  m->falls[i].count++;
  if (!m->first_reason) m->first_reason = m->falls[i].reason;
}

/* ---- languages ---- */

/* The declared language for asked: itself, then with '-' read as '_' and
 * any case, then its base language (de for de_AT), as gettext looks for a
 * catalog; -1 when none is declared. */
static int find_lang(const incent_messages *m, const char *asked) {
  size_t len = strlen(asked);
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t i = 0; i < m->nlangs; i++) {
      const char *c = m->langs[i].code;
      size_t cl = strlen(c), k = 0;
      if (pass == 1) { /* the base language */
        size_t base = strcspn(asked, "_-@.");
        if (base == len || cl != base) continue;
        len = base;
      }
      if (cl != len) continue;
      for (; k < len; k++) {
        char a = asked[k] == '-' ? '_' : asked[k], b = c[k];
        if ((a | 0x20) != (b | 0x20)) break;
      }
      if (k == len) return (int)i;
      len = strlen(asked);
    }
  }
  return -1;
}

/* A language code with ICU's likely subtags added (pt: pt_Latn_BR,
 * zh-Hans-CN and zh_CN: zh_Hans_CN), cut at the script (level 1) or whole
 * (level 2); false when ICU cannot read it. */
static bool likely(const char *code, int level, char *out, size_t size) {
  char canon[ULOC_FULLNAME_CAPACITY], max[ULOC_FULLNAME_CAPACITY];
  UErrorCode st = U_ZERO_ERROR;
  uloc_forLanguageTag(code, canon, sizeof canon, NULL, &st); /* zh-Hans-CN as BCP 47 */
  if (U_FAILURE(st) || !canon[0]) {
    st = U_ZERO_ERROR;
    uloc_canonicalize(code, canon, sizeof canon, &st);
  }
  if (U_SUCCESS(st)) uloc_addLikelySubtags(canon, max, sizeof max, &st);
  char lang[16], script[16], region[16];
  if (U_SUCCESS(st)) uloc_getLanguage(max, lang, sizeof lang, &st);
  if (U_SUCCESS(st)) uloc_getScript(max, script, sizeof script, &st);
  if (U_SUCCESS(st)) uloc_getCountry(max, region, sizeof region, &st);
  if (U_FAILURE(st) || !lang[0]) return false;
  snprintf(out, size, "%s_%s%s%s", lang, script, level == 2 ? "_" : "", level == 2 ? region : "");
  return true;
}

/* The declared language that ICU's likely subtags make the same as asked:
 * the same language, script and region (pt and pt_BR, zh-Hans-CN and
 * zh_CN), else the same language and script (pt_PT and pt_BR; never zh_TW,
 * written in Traditional characters, and zh_CN, in Simplified); -1 when
 * none is. */
static int match_likely(const incent_messages *m, const char *asked) {
  for (int level = 2; level >= 1; level--) {
    char a[ULOC_FULLNAME_CAPACITY], d[ULOC_FULLNAME_CAPACITY];
    if (!likely(asked, level, a, sizeof a)) return -1;
    for (uint32_t i = 0; i < m->nlangs; i++)
      if (likely(m->langs[i].code, level, d, sizeof d) && strcmp(a, d) == 0) return (int)i;
  }
  return -1;
}

int rt_lang_for(incent_messages *m, const char *asked) {
  if (!asked || !asked[0]) {
    fell_back(m, "", "the partner data gives no language");
    return 0;
  }
  int i = find_lang(m, asked);
  if (i < 0) i = match_likely(m, asked);
  if (i >= 0) return i;
  text_clear(&m->reason);
  text_printf(&m->reason, "%s is not a language the program declares", asked);
  fell_back(m, asked, text_str(&m->reason));
  return 0;
}

const char *rt_lang_code(const incent_messages *m, int lang) { return m->langs[lang].code; }
bool rt_lang_rtl(const incent_messages *m, int lang) { return m->langs[lang].rtl; }
formatter *rt_lang_formatter(const incent_messages *m, int lang) { return m->langs[lang].fmt; }

typedef struct names_of { const char *src; size_t len; bool ok; } names_of;

static void must_be_in_source(void *ud, const char *name, size_t len, size_t off) {
  names_of *n = ud;
  (void)off;
  if (!template_has(n->src, n->len, name, len)) n->ok = false;
}

/* The translation of a label for count n, when the language's catalog of
 * labels has one that is usable: no bidi control, and only the placeholders
 * its source has; else NULL, with *found telling whether there was one. */
static const char *label_usable(const mlang *L, const char *ctx, const char *one, const char *other, unsigned long n,
                                bool *found) {
  size_t len;
  const char *source = other && n != 1 ? other : one;
  const char *tr = L->labels ? catalog_get(L->labels, ctx, one, other, n, &len) : NULL;
  *found = tr != NULL;
  names_of names = {source, strlen(source), true};
  if (tr && !text_bidi_control(tr, len) && template_scan(tr, len, must_be_in_source, NULL, &names) && names.ok)
    return tr;
  return NULL;
}

const char *rt_label(incent_messages *m, int lang, const char *ctx, const char *one, const char *other,
                     unsigned long n) {
  const mlang *L = &m->langs[lang];
  const char *source = other && n != 1 ? other : one;
  if (!L->labels && !L->no_labels) return source; /* English */
  bool found;
  const char *tr = label_usable(L, ctx, one, other, n, &found);
  if (tr) return tr;
  text_clear(&m->reason);
  if (!L->labels) text_puts(&m->reason, L->no_labels);
  else if (!found) text_printf(&m->reason, "the label \"%s\" has no %s translation", one, L->code);
  else text_printf(&m->reason, "the %s translation of the label \"%s\" is malformed", L->code, one);
  fell_back(m, L->code, text_str(&m->reason));
  return source;
}

const char *rt_label_missing(incent_messages *m, int lang, const char *ctx, const char *one, const char *other) {
  const mlang *L = &m->langs[lang];
  if (!L->labels && !L->no_labels) return NULL; /* English */
  if (!L->labels) return L->no_labels;
  for (unsigned long n = 1; n <= (other ? 5 : 1); n += 4) {
    bool found;
    if (!label_usable(L, ctx, one, other, n, &found)) {
      text_clear(&m->reason);
      text_printf(&m->reason, "the label \"%s\" has no usable %s translation", one, L->code);
      return text_str(&m->reason);
    }
  }
  return NULL;
}

const char *rt_titles_missing(const incent_messages *m, int lang) {
  const mlang *L = &m->langs[lang];
  if (lang == 0) return NULL;
  if (!L->cat) return L->missing;
  if (L->program.why) return L->program.why;
  for (uint32_t i = 0; i < m->t->nrules; i++)
    if (L->rules[i].why) return L->rules[i].why;
  for (uint32_t i = 0; i < m->t->tiers_head->ntiers; i++)
    if (L->tiers[i].why) return L->tiers[i].why;
  return NULL;
}

void rt_fall_back(incent_messages *m, const char *asked, const char *reason) { fell_back(m, asked, reason); }

/* ---- rendering a notification ---- */

typedef struct filling {
  incent_messages *m;
  const rt_msg_ctx *c;
  int lang;
  textbuf *out;
} filling;

const char *rt_title(incent_messages *m, int lang, rt_title_kind kind, uint32_t i) {
  const incent_table *t = m->t;
  const mlang *L = &m->langs[lang];
  if (kind == RT_TITLE_ENUM && t->enum_values[i].title == IRT_NONE) return rt_string(t, t->enum_values[i].name);
  const char *source = kind == RT_TITLE_PROGRAM ? rt_string(t, t->program->title)
                       : kind == RT_TITLE_RULE  ? rt_string(t, t->rules[i].title)
                       : kind == RT_TITLE_TIER  ? rt_string(t, t->tiers[i].title)
                                                : rt_string(t, t->enum_values[i].title);
  if (lang == 0) return source;
  if (!L->cat) return fell_back(m, L->code, L->missing), source;
  const mtext *x = kind == RT_TITLE_PROGRAM ? &L->program
                   : kind == RT_TITLE_RULE  ? &L->rules[i]
                   : kind == RT_TITLE_TIER  ? &L->tiers[i]
                                            : &L->values[i];
  if (x->why) return fell_back(m, L->code, x->why), source;
  return x->s ? x->s : source; /* a value of an enumeration that no field has (a damaged table) */
}

const char *rt_enum_title(incent_messages *m, int lang, int type, uint32_t field, int64_t value) {
  const incent_table *t = m->t;
  const irt_field *f = NULL;
  if (type == RT_PARTNER_ATTRS && field < t->nattrs) f = &t->attrs[field];
  else if (type >= 0 && (uint32_t)type < t->nevents && field < t->events[type].nfields)
    f = &t->event_fields[t->events[type].fields + field];
  if (!f || f->type != IRT_T_ENUM) return NULL;
  const rt_enum *e = &t->enums[f->enum_id];
  if (value < 0 || (uint64_t)value >= e->count) return NULL;
  return rt_title(m, lang, RT_TITLE_ENUM, e->first + (uint32_t)value);
}

static const char *as_number(filling *f, dec d, bool money) {
  char digits[DEC_STRING_MAX], out[256];
  dec_to_string(d, digits);
  formatter *fmt = f->m->langs[f->lang].fmt;
  text_clear(&f->m->value);
  text_puts(&f->m->value, (money ? fmt_money : fmt_number)(fmt, digits, out, sizeof out) ? out : digits);
  return text_str(&f->m->value);
}

/* Declared or built-in field `name` of the event a rule message is about
 * (not `partner`, which {partner} names), or -1. */
static int field_index(const incent_table *t, const rt_msg_ctx *c, const char *name, size_t len) {
  if (c->rule == IRT_NONE) return -1; /* a tier message offers no event fields */
  const irt_event *et = &t->events[c->type];
  for (uint32_t i = 0; i < et->nfields; i++) {
    const char *fname = rt_string(t, t->event_fields[et->fields + i].name);
    if (i != IRT_FIELD_PARTNER && strlen(fname) == len && memcmp(fname, name, len) == 0) return (int)i;
  }
  return -1;
}

/* The number a numeric placeholder stands for in c, and whether it is
 * money; false for a placeholder that is not a number.  Rendering and the
 * choice of a plural form both read placeholders through here. */
static bool number_of(const incent_table *t, const rt_msg_ctx *c, const char *name, size_t len, dec *d, bool *money) {
#define IS(word) (len == sizeof word - 1 && memcmp(name, word, len) == 0)
  *money = false;
  if (IS("balance")) *d = dec_from_int(c->balance);
  else if (IS("multiplier") && c->rule == IRT_NONE && !c->lapse) *d = c->multiplier;
  else if (IS("points") && (c->rule != IRT_NONE || c->lapse)) *d = dec_from_int(c->points);
  else {
    int i = field_index(t, c, name, len);
    uint8_t type = i >= 0 ? t->event_fields[t->events[c->type].fields + (uint32_t)i].type : IRT_T_TEXT;
    if (type != IRT_T_INT && type != IRT_T_DECIMAL && type != IRT_T_MONEY) return false;
    *d = c->fields[i].d;
    *money = type == IRT_T_MONEY;
  }
  return true;
#undef IS
}

/* The value of placeholder name, written in the language being rendered;
 * NULL for a name the message's context cannot fill. */
static const char *value_of(void *ud, const char *name, size_t len, size_t *vlen) {
  filling *f = ud;
  incent_messages *m = f->m;
  const rt_msg_ctx *c = f->c;
  const incent_table *t = m->t;
  const char *v = NULL;
  dec d;
  bool money;
  int i;
#define IS(word) (len == sizeof word - 1 && memcmp(name, word, len) == 0)
  if (IS("partner")) {
    const rt_val *a = &c->attrs[IRT_ATTR_NAME];
    v = a->s && a->slen ? a->s : c->partner;
  } else if (IS("tier") && c->tier >= 0) {
    v = rt_title(m, f->lang, RT_TITLE_TIER, (uint32_t)c->tier);
  } else if (IS("rule") && c->rule != IRT_NONE) {
    v = rt_title(m, f->lang, RT_TITLE_RULE, c->rule);
  } else if (IS("date") && c->lapse) {
    char day[256], iso[16];
    text_clear(&m->value);
    text_puts(&m->value, fmt_date(m->langs[f->lang].fmt, c->day, day, sizeof day) ? day : civil_format_date(c->day, iso));
    v = text_str(&m->value);
  } else if (number_of(t, c, name, len, &d, &money)) {
    v = as_number(f, d, money);
  } else if ((i = field_index(t, c, name, len)) >= 0) {
    const irt_field *fd = &t->event_fields[t->events[c->type].fields + (uint32_t)i];
    const rt_val *x = &c->fields[i];
    int64_t k = 0;
    switch (fd->type) {
    case IRT_T_BOOL: v = dec_is_zero(x->d) ? "false" : "true"; break;
    case IRT_T_ENUM: /* its title, in the partner's language */
      dec_to_i64(x->d, &k);
      if (!(v = rt_enum_title(m, f->lang, c->type, (uint32_t)i, k))) v = "";
      break;
    case IRT_T_TIER: dec_to_i64(x->d, &k); v = rt_string(t, t->tiers[k].name); break;
    case IRT_T_DATE: case IRT_T_TIME: { /* the local date */
      int32_t days = c->day;
      if (fd->type == IRT_T_DATE && dec_to_i64(x->d, &k)) days = (int32_t)k;
      char day[256], iso[16];
      text_clear(&m->value);
      text_puts(&m->value, fmt_date(m->langs[f->lang].fmt, days, day, sizeof day) ? day : civil_format_date(days, iso));
      v = text_str(&m->value);
      break;
    }
    default: v = x->s ? x->s : ""; break;
    }
  }
#undef IS
  if (v) *vlen = strlen(v);
  return v;
}

/* A piece of a rendered template.  In plain text, the template's own text
 * goes out as it is and a value is isolated (U+2068 ... U+2069) where its
 * direction could reorder the text around it; in HTML, both are escaped
 * and every value is isolated in <bdi>. */
static void put_piece(textbuf *out, const char *bytes, size_t len, bool is_value, bool rtl, bool html) {
  if (html) {
    if (is_value) text_puts(out, "<bdi>");
    text_html(out, bytes, len);
    if (is_value) text_puts(out, "</bdi>");
    return;
  }
  bool isolate = is_value && (rtl || text_needs_isolation(bytes, len));
  if (isolate) text_puts(out, "\xE2\x81\xA8");
  text_put(out, bytes, len);
  if (isolate) text_puts(out, "\xE2\x81\xA9");
}

static void emit(void *ud, const char *bytes, size_t len, bool is_value) {
  filling *f = ud;
  put_piece(f->out, bytes, len, is_value, f->m->langs[f->lang].rtl, false);
}

typedef struct fill { textbuf *out; const rt_named *vals; int n; bool rtl, html; } fill;

static const char *named_value(void *ud, const char *name, size_t len, size_t *vlen) {
  const fill *f = ud;
  for (int i = 0; i < f->n; i++)
    if (strlen(f->vals[i].name) == len && memcmp(f->vals[i].name, name, len) == 0)
      return *vlen = strlen(f->vals[i].value), f->vals[i].value;
  return NULL;
}

static void fill_emit(void *ud, const char *bytes, size_t len, bool is_value) {
  const fill *f = ud;
  put_piece(f->out, bytes, len, is_value, f->rtl, f->html);
}

bool rt_fill(textbuf *out, const char *tpl, const rt_named *vals, int n, bool rtl, bool html) {
  fill f = {out, vals, n, rtl, html};
  return template_render(tpl, strlen(tpl), named_value, fill_emit, &f);
}

/* The number that chooses a plural form: the value of the placeholder that
 * `plural` names, as a whole number (gettext counts with unsigned long). */
static unsigned long plural_count(const incent_messages *m, const irt_message *msg, const rt_msg_ctx *c) {
  const char *name = rt_string(m->t, msg->plural);
  dec d, whole;
  bool money;
  int64_t n = 0;
  if (number_of(m->t, c, name, strlen(name), &d, &money) && dec_round(d, DEC_DOWN, &whole) == DEC_OK &&
      dec_to_i64(whole, &n) && n < 0)
    n = n == INT64_MIN ? INT64_MAX : -n;
  return (unsigned long)n;
}

/* Renders subject and text in language lang; false, with the reason in
 * m->reason, when a translation cannot be used. */
static bool render_in(incent_messages *m, const irt_message *msg, const rt_msg_ctx *c, int lang, unsigned long n) {
  const incent_table *t = m->t;
  const mlang *L = &m->langs[lang];
  const char *name = rt_string(t, msg->name);
  const char *subject = rt_string(t, msg->subject), *text = rt_string(t, msg->text);
  const char *plural = msg->text_plural != IRT_NONE ? rt_string(t, msg->text_plural) : NULL;
  size_t slen = strlen(subject), tlen = plural && n != 1 ? strlen(plural) : strlen(text);
  const char *s = subject, *x = plural && n != 1 ? plural : text;
  text_clear(&m->reason);
  if (lang > 0) {
    if (!L->cat) return text_puts(&m->reason, L->missing), false; /* then it has no subjects nor texts */
    uint32_t i = (uint32_t)(msg - t->messages);
    const mtext *sx = &L->subjects[i], *tx = &L->texts[i];
    if (sx->why || tx->why) return text_puts(&m->reason, sx->why ? sx->why : tx->why), false;
    s = sx->s, slen = sx->len;
    x = catalog_form(L->cat, tx->s, tx->len, plural != NULL, n, &tlen);
    if (!x) return text_printf(&m->reason, "message %s has no %s translation of its text for %lu", name, L->code, n), false;
  }
  filling f = {m, c, lang, &m->subject};
  text_clear(&m->subject);
  text_clear(&m->text);
  bool ok = template_render(s, slen, value_of, emit, &f);
  f.out = &m->text;
  ok = ok && template_render(x, tlen, value_of, emit, &f);
  if (!ok) {
    text_clear(&m->reason);
    text_printf(&m->reason, "the %s translation of message %s has a placeholder this message cannot fill", L->code,
                name);
  }
  return ok;
}

bool rt_render(incent_messages *m, uint32_t msgi, const rt_msg_ctx *c, incent_notification *out) {
  const incent_table *t = m->t;
  const irt_message *msg = &t->messages[msgi];
  m->first_reason = NULL;
  const rt_val *asked = &c->attrs[IRT_ATTR_LANGUAGE];
  char code[64] = "";
  size_t clen = asked->s ? (asked->slen < sizeof code ? asked->slen : sizeof code - 1) : 0;
  memcpy(code, asked->s ? asked->s : "", clen);
  code[clen] = '\0';
  int lang = rt_lang_for(m, code);
  unsigned long n = msg->plural != IRT_NONE ? plural_count(m, msg, c) : 1;
  if (lang > 0 && !render_in(m, msg, c, lang, n)) {
    m->first_reason = NULL; /* the message's own reason, not that of a title inside it */
    fell_back(m, m->langs[lang].code, text_str(&m->reason));
    lang = 0;
  }
  if (lang == 0) render_in(m, msg, c, 0, n); /* the source texts were checked by the compiler */
  text_clear(&m->value);
  text_puts(&m->value, "email");
  if (m->channel_attr >= 0) { /* a text or a `one of` */
    const rt_val *ch = &c->attrs[m->channel_attr];
    const irt_field *fd = &t->attrs[m->channel_attr];
    int64_t k;
    const char *v = ch->absent ? NULL : ch->s && ch->slen ? ch->s : NULL;
    if (!ch->absent && fd->type == IRT_T_ENUM && dec_to_i64(ch->d, &k))
      v = rt_string(t, t->enum_values[t->enums[fd->enum_id].first + (uint32_t)k].name);
    if (v) {
      text_clear(&m->value);
      text_put(&m->value, v, ch->s && v == ch->s ? ch->slen : strlen(v));
    }
  }
  *out = (incent_notification){c->event, c->partner, m->langs[lang].code, rt_string(t, msg->name), text_str(&m->value),
                               text_str(&m->subject), text_str(&m->text), m->first_reason, 0, NULL, NULL};
  return !m->subject.oom && !m->text.oom && !m->value.oom;
}
