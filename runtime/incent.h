/* incent.h: the public interface of libincent, the incent runtime.
 *
 * Ownership: every object is opaque and created by an incent_*_load or
 * incent_*_new function and released by the matching incent_*_free; inputs
 * are copied, never kept; strings returned by the library belong to the
 * object they came from and live as long as it.  The library never prints and
 * never exits: it reports through return codes and, where a function takes
 * one, a caller's buffer or callback. */
#ifndef INCENT_H
#define INCENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define INCENT_TABLE_FORMAT 1

typedef enum incent_status {
  INCENT_OK = 0,
  INCENT_ENOMEM,   /* out of memory */
  INCENT_EFORMAT,  /* not a rule table, or a damaged one */
  INCENT_EVERSION, /* a rule table of another format version */
  INCENT_EHASH     /* the content does not match its hash */
} incent_status;

/* A compiled program (a rule table), loaded and verified. */
typedef struct incent_table incent_table;

/* Verifies and loads a rule table from len bytes (copied).  On failure,
 * writes a one-line reason into why (if not NULL) and returns the status. */
incent_status incent_table_load(const void *data, size_t len, incent_table **out, char *why,
                                size_t whylen);
void incent_table_free(incent_table *t);

/* The program's content hash as 64 lowercase hex digits and a NUL. */
void incent_table_hash(const incent_table *t, char out[65]);
/* The program's name (its gettext text domain). */
const char *incent_table_program(const incent_table *t);

/* Receives text written by the library. */
typedef void incent_write_fn(void *ud, const char *text, size_t len);
/* A readable listing of the table: program, declarations, rules with their
 * disassembled bytecode, messages and constants. */
incent_status incent_table_dump(const incent_table *t, incent_write_fn *write, void *ud);

/* The library's version, like "0.1.0". */
const char *incent_version(void);

#ifdef __cplusplus
}
#endif

#endif
