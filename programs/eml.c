/* eml.c: notifications as e-mail messages that a mail transfer agent sends
 * as they are: RFC 5322 headers (encoded words for what is not ASCII),
 * MIME multipart/alternative with the text and an HTML rendering of it,
 * both UTF-8.  GMime writes the MIME (encodings, folding, boundaries); this
 * file only decides what goes in.  The Message-ID is derived from the row
 * (its sequence number and a digest of its content), so a message written
 * again is recognisable as the same one; the Date is now, or
 * SOURCE_DATE_EPOCH when set (reproducible output). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compiler/i18n.h"
#include "programs/eml.h"
#include "runtime/base/text.h"

struct eml_writer {
  char *from, *domain, *dir;
  GDateTime *date;
  int status;
  long written, unsent;
};

eml_writer *eml_open(const char *from, const char *dir) {
  const char *at = strrchr(from, '@');
  if (!at || at == from || !at[1] || strpbrk(from, " <>\"\r\n")) {
    fprintf(stderr, _("incent: outbox: '%s' is not an e-mail address; give --from name@example.com\n"), from);
    return NULL;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, _("incent: outbox: cannot make the folder %s: %s\n"), dir, strerror(errno));
    return NULL;
  }
  eml_writer *w = calloc(1, sizeof *w);
  if (!w || !(w->from = strdup(from)) || !(w->domain = strdup(at + 1)) || !(w->dir = strdup(dir))) {
    fprintf(stderr, "incent: %s\n", _("out of memory"));
    eml_close(w);
    return NULL;
  }
  g_mime_init();
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  w->date = epoch && *epoch ? g_date_time_new_from_unix_utc(strtoll(epoch, NULL, 10)) : g_date_time_new_now_utc();
  return w;
}

int eml_close(eml_writer *w) {
  if (!w) return 0;
  int status = w->status;
  if (w->unsent)
    fprintf(stderr,
            ngettext("incent: outbox: %ld notification was not written: its partner has no email attribute\n",
                     "incent: outbox: %ld notifications were not written: their partners have no email attribute\n",
                     (unsigned long)w->unsent),
            w->unsent);
  if (w->date) g_date_time_unref(w->date);
  free(w->from), free(w->domain), free(w->dir);
  free(w);
  return status;
}

/* A part of type text/SUBTYPE holding UTF-8 bytes as they are; GMime picks
 * its transfer encoding when the message is encoded for 7 bits. */
static GMimeObject *utf8_part(const char *subtype, const char *bytes) {
  GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
  GMimeStream *s = g_mime_stream_mem_new_with_buffer(bytes, strlen(bytes));
  GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content(GMIME_PART(part), content);
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
  g_object_unref(content);
  g_object_unref(s);
  return GMIME_OBJECT(part);
}

/* The text as HTML: its paragraphs, escaped, in the language and direction
 * it is written in. */
static void html_of(const incent_notification *n, textbuf *b) {
  bool rtl = text_rtl_language(n->language);
  text_puts(b, "<!DOCTYPE html>\n<html lang=\"");
  text_bcp47(b, n->language);
  text_printf(b, "\" dir=\"%s\">\n<head><meta charset=\"utf-8\"><title>", rtl ? "rtl" : "ltr");
  text_html(b, n->subject, strlen(n->subject));
  text_puts(b, "</title></head>\n<body style=\"font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1f2933;"
               " max-width: 600px; margin: 0 auto; padding: 16px;\">\n<p>");
  for (const char *p = n->text; *p; p++) {
    if (*p == '\n') text_puts(b, p[1] == '\n' ? "</p>\n<p>" : "<br>\n"), p += p[1] == '\n';
    else text_html(b, p, 1);
  }
  text_puts(b, "</p>\n</body>\n</html>\n");
}

void eml_write(void *ud, const incent_notification *n) {
  eml_writer *w = ud;
  if (w->status == 2) return;
  if (!n->email || !strchr(n->email, '@')) {
    fprintf(stderr, _("incent: outbox: notification %lld (%s to partner %s) not written: the partner has no email "
                      "attribute\n"),
            n->seq, n->message, n->partner);
    w->unsent++;
    if (!w->status) w->status = 1;
    return;
  }
  /* the Message-ID: the row's number and a digest of what it says */
  struct sha256_ctx sha;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&sha);
  const char *parts[] = {n->event ? n->event : "", n->partner, n->language, n->message, n->subject, n->text};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) sha256_update(&sha, strlen(parts[i]) + 1, (const uint8_t *)parts[i]);
  sha256_digest(&sha, sizeof digest, digest);
  char id[300];
  int k = snprintf(id, sizeof id, "incent.%lld.", n->seq);
  for (int i = 0; i < 8; i++) k += snprintf(id + k, sizeof id - (size_t)k, "%02x", digest[i]);
  snprintf(id + k, sizeof id - (size_t)k, "@%s", w->domain);

  GMimeMessage *m = g_mime_message_new(TRUE);
  g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, NULL, w->from);
  g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, n->name && n->name[0] ? n->name : NULL, n->email);
  g_mime_message_set_subject(m, n->subject, "utf-8");
  g_mime_message_set_date(m, w->date);
  g_mime_message_set_message_id(m, id);
  g_mime_object_set_header(GMIME_OBJECT(m), "Content-Language", n->language, NULL);
  textbuf html = {0};
  html_of(n, &html);
  GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
  char boundary[320];
  snprintf(boundary, sizeof boundary, "=-%.*s", k, id); /* not random: the same row, the same bytes */
  g_mime_multipart_set_boundary(alt, boundary);
  GMimeObject *plain = utf8_part("plain", n->text), *rich = utf8_part("html", text_str(&html));
  g_mime_multipart_add(alt, plain);
  g_mime_multipart_add(alt, rich);
  g_object_unref(plain);
  g_object_unref(rich);
  g_mime_message_set_mime_part(m, GMIME_OBJECT(alt));
  g_object_unref(alt);
  g_mime_object_encode(GMIME_OBJECT(m), GMIME_ENCODING_CONSTRAINT_7BIT);
  char path[4096];
  snprintf(path, sizeof path, "%s/%lld.eml", w->dir, n->seq);
  GError *err = NULL;
  GMimeStream *out = g_mime_stream_fs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &err);
  if (!out || g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, out) < 0 || g_mime_stream_flush(out) != 0) {
    fprintf(stderr, _("incent: outbox: cannot write %s: %s\n"), path, err ? err->message : strerror(errno));
    w->status = 2;
  } else {
    w->written++;
  }
  if (err) g_error_free(err);
  if (out) g_object_unref(out);
  text_free(&html);
  g_object_unref(m);
}
