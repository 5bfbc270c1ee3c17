/* civil.h: calendar dates and ISO 8601 times as whole numbers (internal). */
#ifndef INCENT_CIVIL_H
#define INCENT_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date; no validation. */
int32_t civil_days(int y, int m, int d);
void civil_from_days(int32_t days, int *y, int *m, int *d);
bool civil_valid(int y, int m, int d);

/* Parses "YYYY-MM-DD"; false if malformed or impossible. */
bool civil_parse_date(const char *s, size_t len, int32_t *days);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with an optional "Z" or
 * "+HH:MM"/"-HH:MM".  Sets *has_zone; when it is set, *seconds is the UTC
 * time since the epoch, otherwise the wall-clock time as if it were UTC. */
bool civil_parse_time(const char *s, size_t len, int64_t *seconds, bool *has_zone);

/* "YYYY-MM-DD"; buf needs 16 bytes. */
char *civil_format_date(int32_t days, char *buf);

#endif
