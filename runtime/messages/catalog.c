/* catalog.c: reading compiled gettext catalogs (.mo, as the gettext manual's
 * "The Format of GNU MO Files" gives it) and looking texts up in them.  A
 * catalog in another charset than UTF-8 (its header's Content-Type) has its
 * translations converted with iconv when it is loaded: every text the
 * runtime hands out is UTF-8. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/messages/catalog.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/messages/plural.h"
#include "runtime/base/readfile.h"

struct catalog {
  unsigned char *data;
  size_t len;
  bool swap;                 /* written on a machine of the other byte order */
  uint32_t n, orig, trans;   /* number of strings, offsets of the two tables */
  plural_expr *plural;
  unsigned long nplurals;
  char *plural_forms;
};

static uint32_t u32(const catalog *c, size_t off) {
  uint32_t v;
  memcpy(&v, c->data + off, 4);
  return c->swap ? __builtin_bswap32(v) : v;
}

/* String i of the table at off: its bytes and length (without the NUL). */
static const char *str(const catalog *c, uint32_t table, uint32_t i, size_t *len) {
  *len = u32(c, table + 8 * (size_t)i);
  return (const char *)c->data + u32(c, table + 8 * (size_t)i + 4);
}

static bool valid(const catalog *c) {
  if (c->len < 28) return false;
  uint32_t major = u32(c, 4) >> 16;
  if (major > 1) return false;
  uint64_t tables_end = (uint64_t)c->n * 8;
  if ((uint64_t)c->orig + tables_end > c->len || (uint64_t)c->trans + tables_end > c->len) return false;
  for (uint32_t t = 0; t < 2; t++) {
    uint32_t table = t ? c->trans : c->orig;
    for (uint32_t i = 0; i < c->n; i++) {
      uint64_t l = u32(c, table + 8 * (size_t)i), o = u32(c, table + 8 * (size_t)i + 4);
      if (o + l >= c->len || c->data[o + l] != '\0') return false; /* every string ends in a NUL inside the file */
    }
  }
  /* the originals are sorted, which the binary search relies on */
  for (uint32_t i = 1; i < c->n; i++) {
    size_t la, lb;
    const char *a = str(c, c->orig, i - 1, &la), *b = str(c, c->orig, i, &lb);
    if (strcmp(a, b) >= 0) return false;
  }
  return true;
}

static void put32(catalog *c, size_t off, uint32_t v) {
  if (c->swap) v = __builtin_bswap32(v);
  memcpy(c->data + off, &v, 4);
}

/* The header's charset (from "Content-Type: ...; charset=X"), into out;
 * false when the header names none. */
static bool header_charset(const char *header, char *out, size_t size) {
  const char *at = strstr(header, "charset=");
  if (!at) return false;
  at += 8;
  size_t n = strcspn(at, " \t\n;\"");
  if (!n || n >= size) return false;
  memcpy(out, at, n);
  out[n] = '\0';
  return true;
}

static bool is_utf8_name(const char *cs) {
  char low[16];
  size_t n = strlen(cs);
  if (n >= sizeof low) return false;
  for (size_t i = 0; i <= n; i++) low[i] = (char)(cs[i] >= 'A' && cs[i] <= 'Z' ? cs[i] | 0x20 : cs[i]);
  return strcmp(low, "utf-8") == 0 || strcmp(low, "utf8") == 0 || strcmp(low, "us-ascii") == 0 ||
         strcmp(low, "ascii") == 0;
}

/* Converts every translation from charset to UTF-8: the converted texts go
 * after the file's bytes, and the translation table points to them. */
static bool to_utf8(catalog *c, const char *charset, const char *path, char *why, size_t whylen) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == (iconv_t)-1)
    return rt_fail(why, whylen, "%s: its charset %s cannot be converted to UTF-8; convert the catalog with "
                                "msgconv --to-code=UTF-8, then compile it with msgfmt", path, charset);
  size_t cap = c->len, len = c->len;
  for (uint32_t i = 0; i < c->n; i++) cap += 4 * (size_t)u32(c, c->trans + 8 * (size_t)i) + 1;
  unsigned char *data = rt_realloc(c->data, cap);
  bool ok = data != NULL;
  if (ok) c->data = data;
  else rt_fail(why, whylen, "out of memory");
  for (uint32_t i = 0; ok && i < c->n; i++) {
    size_t sl;
    char *in = (char *)c->data + u32(c, c->trans + 8 * (size_t)i + 4);
    sl = u32(c, c->trans + 8 * (size_t)i);
    char *out = (char *)c->data + len;
    size_t left = cap - len - 1, inleft = sl;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &in, &inleft, &out, &left) == (size_t)-1) {
      size_t ol;
      ok = rt_fail(why, whylen, "%s: the translation of \"%.60s\" is not valid %s (%s); fix it, or convert the "
                                "catalog with msgconv --to-code=UTF-8", path, str(c, c->orig, i, &ol), charset,
                   strerror(errno));
      break;
    }
    size_t made = (size_t)(out - ((char *)c->data + len));
    c->data[len + made] = '\0';
    put32(c, c->trans + 8 * (size_t)i, (uint32_t)made);
    put32(c, c->trans + 8 * (size_t)i + 4, (uint32_t)len);
    len += made + 1;
  }
  iconv_close(cd);
  c->len = len;
  return ok;
}

catalog *catalog_load(const char *path, char *why, size_t whylen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, whylen, "cannot read %s", path);
    return NULL;
  }
  catalog *c = rt_calloc(1, sizeof *c);
  char *data = NULL;
  bool read_ok = c && read_whole(f, (size_t)1 << 30, &data, &c->len) == READ_OK;
  fclose(f);
  if (!read_ok) {
    snprintf(why, whylen, "cannot read %s", path);
    free(c);
    return NULL;
  }
  c->data = (unsigned char *)data;
  uint32_t magic = c->len >= 4 ? u32(c, 0) : 0;
  c->swap = magic == 0xde120495u;
  if (magic == 0x950412deu || c->swap) c->n = u32(c, 8), c->orig = u32(c, 12), c->trans = u32(c, 16);
  if ((magic != 0x950412deu && !c->swap) || !valid(c)) {
    snprintf(why, whylen, "%s is not a compiled gettext catalog (.mo); compile it with msgfmt", path);
    catalog_free(c);
    return NULL;
  }
  /* the header is the translation of the empty msgid, the first original */
  size_t hl, ol;
  const char *header = c->n && str(c, c->orig, 0, &ol)[0] == '\0' ? str(c, c->trans, 0, &hl) : "";
  char charset[64];
  if (header_charset(header, charset, sizeof charset) && !is_utf8_name(charset)) {
    if (c->len > UINT32_MAX / 8 || !to_utf8(c, charset, path, why, whylen)) {
      if (c->len > UINT32_MAX / 8) rt_fail(why, whylen, "%s is too large to convert to UTF-8", path);
      catalog_free(c);
      return NULL;
    }
    header = c->n && str(c, c->orig, 0, &ol)[0] == '\0' ? str(c, c->trans, 0, &hl) : "";
  }
  const char *pf = strstr(header, "Plural-Forms:");
  if (pf) {
    pf += 13;
    size_t l = strcspn(pf, "\n");
    c->plural_forms = rt_malloc(l + 1);
    if (c->plural_forms) memcpy(c->plural_forms, pf, l), c->plural_forms[l] = '\0';
  }
  char err[160];
  /* without a usable Plural-Forms, gettext's default: two forms, the first for one */
  if (!c->plural_forms || !plural_parse(c->plural_forms, &c->plural, &c->nplurals, err, sizeof err)) {
    if (c->plural_forms && strstr(c->plural_forms, "plural=")) {
      snprintf(why, whylen, "%s: its Plural-Forms cannot be read: %s", path, err);
      catalog_free(c);
      return NULL;
    }
    plural_parse("nplurals=2; plural=n != 1;", &c->plural, &c->nplurals, err, sizeof err);
  }
  return c;
}

void catalog_free(catalog *c) {
  if (!c) return;
  plural_free(c->plural);
  free(c->plural_forms);
  free(c->data);
  free(c);
}

const char *catalog_plural_forms(const catalog *c) { return c->plural_forms; }

const plural_expr *catalog_plural(const catalog *c, unsigned long *nplurals) {
  *nplurals = c->nplurals;
  return c->plural;
}

/* Compares the original key "ctx\004msgid" with s without building it. */
static int key_cmp(const char *ctx, const char *msgid, const char *s) {
  if (ctx) {
    size_t cl = strlen(ctx);
    int d = strncmp(ctx, s, cl);
    if (d) return d;
    s += cl;
    if ((unsigned char)*s != 4) return 4 - (unsigned char)*s;
    s++;
  }
  return strcmp(msgid, s);
}

const char *catalog_find(const catalog *c, const char *ctx, const char *msgid, size_t *len) {
  uint32_t lo = 0, hi = c->n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    size_t ol;
    int d = key_cmp(ctx, msgid, str(c, c->orig, mid, &ol));
    if (d == 0) return str(c, c->trans, mid, len);
    if (d < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

const char *catalog_form(const catalog *c, const char *block, size_t len, bool plural, unsigned long n, size_t *flen) {
  const char *t = block, *end = block + len;
  if (plural) {
    /* as gettext: a form the expression names beyond nplurals is form 0;
     * one the translation does not have is no translation */
    unsigned long form = plural_eval(c->plural, n);
    if (form >= c->nplurals) form = 0;
    while (form-- > 0) {
      t += strlen(t) + 1;
      if (t >= end) return NULL;
    }
  }
  *flen = strlen(t);
  return *flen ? t : NULL;
}

const char *catalog_get(const catalog *c, const char *ctx, const char *msgid, const char *msgid_plural,
                        unsigned long n, size_t *len) {
  size_t bl;
  const char *block = catalog_find(c, ctx, msgid, &bl);
  return block ? catalog_form(c, block, bl, msgid_plural != NULL, n, len) : NULL;
}
