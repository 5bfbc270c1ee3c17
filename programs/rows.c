/* rows.c: the rows of partner and event files turned into the runtime's partners and events: CSV columns by name, JSON Lines through json-c. */
#include "config.h"
#include "runtime/base/util.h"
#include "programs/rows.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "compiler/i18n.h"

struct rows_map {
  const incent_table *t;
  bool partners;
  int attr[ROWS_MAX_VALUES];  /* partners: per attribute, its column or -1 */
  int id, type, partner, time; /* events: the head columns */
  int ntypes;
  int (*fields)[ROWS_MAX_VALUES]; /* events: per type, per field, its column or -1 */
};

static int column(const char *const *header, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(header[i], name) == 0) return (int)i;
  return -1;
}

rows_map *rows_map_new(const incent_table *t, bool partners, const char *name, const char *const *header,
                       size_t nheader, char *why, size_t whylen) {
  rows_map *m = rt_calloc(1, sizeof *m);
  if (!m) return rt_fail(why, whylen, "%s", _("out of memory")), NULL;
  m->t = t;
  m->partners = partners;
  if (partners) {
    int n = incent_table_nattrs(t);
    for (int i = 0; i < n && i < ROWS_MAX_VALUES; i++) m->attr[i] = column(header, nheader, incent_table_attr_name(t, i));
    if (m->attr[0] < 0) {
      rt_fail(why, whylen, _("%s:1: the header has no 'id' column"), name);
      rows_map_free(m);
      return NULL;
    }
    return m;
  }
  m->id = column(header, nheader, "id");
  m->type = column(header, nheader, "type");
  m->partner = column(header, nheader, "partner");
  m->time = column(header, nheader, "time");
  if (m->id < 0 || m->type < 0 || m->partner < 0 || m->time < 0) {
    rt_fail(why, whylen, _("%s:1: the header needs the columns id, type, partner and time"), name);
    rows_map_free(m);
    return NULL;
  }
  m->ntypes = incent_table_nevents(t);
  if (!(m->fields = rt_calloc((size_t)m->ntypes + 1, sizeof *m->fields))) {
    rows_map_free(m);
    return rt_fail(why, whylen, "%s", _("out of memory")), NULL;
  }
  for (int k = 0; k < m->ntypes; k++) {
    int nf = incent_table_event_nfields(t, k);
    for (int f = 0; f < nf && f < ROWS_MAX_VALUES; f++)
      m->fields[k][f] = column(header, nheader, incent_table_event_field_name(t, k, f));
  }
  return m;
}

void rows_map_free(rows_map *m) {
  if (!m) return;
  free(m->fields);
  free(m);
}

static const char *cell(const input_row *r, int col) { return col >= 0 && (size_t)col < r->n ? r->fields[col] : NULL; }

int rows_partner(const rows_map *m, const input_row *r, const char *values[ROWS_MAX_VALUES]) {
  int n = incent_table_nattrs(m->t);
  if (n > ROWS_MAX_VALUES) n = ROWS_MAX_VALUES;
  for (int i = 0; i < n; i++) values[i] = cell(r, m->attr[i]);
  return n;
}

void rows_event_csv(const rows_map *m, const input_row *r, incent_event *ev, const char *values[ROWS_MAX_VALUES]) {
  const char *type = cell(r, m->type);
  int t = type ? incent_table_event_type(m->t, type) : -1;
  int nf = t >= 0 ? incent_table_event_nfields(m->t, t) : 0;
  if (nf > ROWS_MAX_VALUES) nf = ROWS_MAX_VALUES;
  for (int f = 0; f < nf; f++) values[f] = cell(r, m->fields[t][f]);
  *ev = (incent_event){cell(r, m->id), type, cell(r, m->partner), cell(r, m->time), values, nf};
}

int rows_event_json(const incent_table *t, const input_row *r, incent_event *ev, const char *values[ROWS_MAX_VALUES],
                    void **hold, char *why, size_t whylen) {
  *hold = NULL;
  *ev = (incent_event){NULL, NULL, NULL, NULL, values, 0};
  char problem[160];
  const char *strict = r->problem ? r->problem : input_json_problem(r->line, r->len, problem, sizeof problem);
  if (strict) return rt_fail(why, whylen, "%s", strict), 0;
  json_tokener *tok = json_tokener_new();
  if (!tok) return -1;
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
  json_object *o = json_tokener_parse_ex(tok, r->line, (int)r->len);
  bool complete = json_tokener_get_error(tok) == json_tokener_success;
  if (complete) /* one object per line, and nothing after it but white space */
    for (size_t i = json_tokener_get_parse_end(tok); i < r->len; i++)
      if (r->line[i] != ' ' && r->line[i] != '\t') complete = false;
  json_tokener_free(tok);
  if (!o || !complete || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    return rt_fail(why, whylen, "%s", _("not a JSON object")), 0;
  }
  const char *head[4] = {NULL};
  static const char *const keys[4] = {"id", "type", "partner", "time"};
  const char *bad = NULL;
  bool out_of_range = false, nul = false;
  for (int i = 0; i < 4; i++) {
    json_object *v;
    if (json_object_object_get_ex(o, keys[i], &v) && json_object_is_type(v, json_type_string)) {
      head[i] = json_object_get_string(v);
      if ((size_t)json_object_get_string_len(v) != strlen(head[i])) bad = keys[i], nul = true, head[i] = NULL;
    }
  }
  int type = head[1] ? incent_table_event_type(t, head[1]) : -1;
  int nf = type >= 0 ? incent_table_event_nfields(t, type) : 0;
  if (nf > ROWS_MAX_VALUES) nf = ROWS_MAX_VALUES;
  for (int f = 0; f < nf; f++) values[f] = NULL;
  for (int f = 0; f < nf && !bad; f++) {
    json_object *v;
    const char *name = incent_table_event_field_name(t, type, f);
    if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null)) continue;
    switch (json_object_get_type(v)) {
    case json_type_string: case json_type_double: /* json-c keeps a number's own digits */
      values[f] = json_object_get_string(v);
      if (json_object_is_type(v, json_type_string) && (size_t)json_object_get_string_len(v) != strlen(values[f]))
        bad = name, nul = true;
      break;
    case json_type_int: /* json-c saturates whole numbers beyond 64 bits */
      if (json_object_get_int64(v) == INT64_MAX || json_object_get_int64(v) == INT64_MIN) bad = name, out_of_range = true;
      else values[f] = json_object_get_string(v);
      break;
    case json_type_boolean:
      values[f] = json_object_get_boolean(v) ? "true" : "false";
      break;
    default:
      bad = name;
    }
  }
  *ev = (incent_event){head[0], head[1], head[2], head[3], values, nf};
  *hold = o;
  if (!bad) return 1;
  if (out_of_range) rt_fail(why, whylen, _("'%s' is a number out of range"), bad);
  else if (nul) rt_fail(why, whylen, _("'%s' holds a NUL character (\\u0000)"), bad);
  else rt_fail(why, whylen, _("'%s' must be a string, a number, true or false"), bad);
  return 0;
}

void rows_json_release(void *hold) { json_object_put(hold); }
