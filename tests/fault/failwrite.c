/* failwrite.c: an LD_PRELOAD shim that makes writes to regular files fail, as
 * a full disk or a failing one would: once INCENT_FAIL_WRITE_AFTER bytes have
 * been written to regular files, write, pwrite, pwrite64 and fallocate fail
 * with ENOSPC (or EIO with INCENT_FAIL_WRITE_ERRNO=EIO).  fault.tap uses it
 * where it cannot mount a small tmpfs, and for SQLite's I/O errors.  With
 * INCENT_KILL_WRITE_AT=K the process instead kills itself with SIGKILL just
 * before its K-th write to a regular file, as a crash or kill -9 would at
 * that moment (crash_writes.tap tries every K in turn). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_long written, writes;

/* Whether a write of n bytes to fd must fail; sets errno when it must. */
static int refuse(int fd, size_t n) {
  const char *after = getenv("INCENT_FAIL_WRITE_AFTER");
  const char *kill_at = getenv("INCENT_KILL_WRITE_AT");
  struct stat st;
  if ((!after || !*after) && (!kill_at || !*kill_at)) return 0;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  if (kill_at && *kill_at && atomic_fetch_add(&writes, 1) + 1 >= strtol(kill_at, NULL, 10)) raise(SIGKILL);
  if (!after || !*after) return 0;
  long limit = strtol(after, NULL, 10);
  if (atomic_fetch_add(&written, (long)n) + (long)n <= limit) return 0;
  const char *e = getenv("INCENT_FAIL_WRITE_ERRNO");
  errno = e && strcmp(e, "EIO") == 0 ? EIO : ENOSPC;
  return 1;
}

/* The next definition of name: libc's. */
#define REAL(name)                                                  \
  static __typeof__(name) *real_##name;                             \
  if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
  REAL(write);
  return refuse(fd, n) ? -1 : real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t at) {
  REAL(pwrite);
  return refuse(fd, n) ? -1 : real_pwrite(fd, buf, n, at);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t at) {
  REAL(pwrite64);
  return refuse(fd, n) ? -1 : real_pwrite64(fd, buf, n, at);
}

ssize_t writev(int fd, const struct iovec *v, int nv) {
  REAL(writev);
  size_t n = 0;
  for (int i = 0; i < nv; i++) n += v[i].iov_len;
  return refuse(fd, n) ? -1 : real_writev(fd, v, nv);
}

int fallocate(int fd, int mode, off_t at, off_t len) {
  REAL(fallocate);
  return refuse(fd, (size_t)len) ? -1 : real_fallocate(fd, mode, at, len);
}

int posix_fallocate(int fd, off_t at, off_t len) {
  REAL(posix_fallocate);
  if (refuse(fd, (size_t)len)) return errno;
  return real_posix_fallocate(fd, at, len);
}
