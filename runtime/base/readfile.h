/* readfile.h: a whole file read into memory, for the command, the catalog
 * loader and the catalog checks alike. */
#ifndef INCENT_READFILE_H
#define INCENT_READFILE_H

#include <stddef.h>
#include <stdio.h>

typedef enum read_status { READ_OK, READ_ERROR, READ_TOO_LARGE, READ_NOMEM } read_status;

/* Reads f to its end into *data (malloc'd, NUL-terminated, owned by the
 * caller; *len excludes the NUL).  More than max bytes is READ_TOO_LARGE;
 * READ_ERROR leaves errno as the read left it.  Nothing is kept on failure. */
read_status read_whole(FILE *f, size_t max, char **data, size_t *len);

#endif
