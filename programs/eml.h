/* eml.h: notifications as e-mail messages (RFC 5322, MIME), one file each,
 * for `incent outbox --format eml`. */
#ifndef INCENT_EML_H
#define INCENT_EML_H

#include "incent.h"

typedef struct eml_writer eml_writer;

/* A writer of messages from address from into folder dir (made when
 * missing); NULL, having said why on standard error, when from is not an
 * address or dir cannot be made. */
eml_writer *eml_open(const char *from, const char *dir);
/* An incent_outbox_fn (ud: the writer): writes DIR/SEQ.eml, or says on
 * standard error why the notification cannot be sent (its partner has no
 * email attribute). */
void eml_write(void *ud, const incent_notification *n);
/* Frees w (NULL: nothing); the exit status: 0 every message written, 1 some
 * could not be, 2 a file could not be written. */
int eml_close(eml_writer *w);

#endif
