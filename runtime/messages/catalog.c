/* catalog.c: reading compiled gettext catalogs (.mo, as the gettext manual's
 * "The Format of GNU MO Files" gives it) and looking texts up in them. */
#include "config.h"
#include "runtime/base/util.h"
#include "runtime/messages/catalog.h"

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
