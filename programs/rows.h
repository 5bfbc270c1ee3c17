/* rows.h: the rows of partner and event files (as input.c reads them) turned into the runtime's partners and events. */
#ifndef INCENT_ROWS_H
#define INCENT_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "incent.h"
#include "programs/input.h"

/* The most attributes or fields an event or partner of a table may have here. */
#define ROWS_MAX_VALUES 256

/* Where a CSV header holds what a table needs: partners' attributes, or
 * events' head columns and every event type's fields. */
typedef struct rows_map rows_map;

/* NULL, with the reason (naming the file and row 1) in why, when the header
 * lacks a column the file needs, or out of memory. */
rows_map *rows_map_new(const incent_table *t, bool partners, const char *name, const char *const *header,
                       size_t nheader, char *why, size_t whylen);
void rows_map_free(rows_map *m);

/* A CSV row as a partner's attribute values (pointing into the row); their count. */
int rows_partner(const rows_map *m, const input_row *r, const char *values[ROWS_MAX_VALUES]);
/* A CSV row as an event (pointing into the row). */
void rows_event_csv(const rows_map *m, const input_row *r, incent_event *ev, const char *values[ROWS_MAX_VALUES]);

/* A JSON Lines row as an event: 1, with the event pointing into *hold
 * (release it with rows_json_release); 0 when the row is not an event, the
 * reason in why and what id it has in ev->id; -1 out of memory. */
int rows_event_json(const incent_table *t, const input_row *r, incent_event *ev, const char *values[ROWS_MAX_VALUES],
                    void **hold, char *why, size_t whylen);
void rows_json_release(void *hold);

#endif
