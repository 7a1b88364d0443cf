/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening files that someone else may have planted: `benchtrace report` and
 * --perfetto may run as root over run directories other users can write, so
 * a symlink must not lead them to another file, a FIFO must not hang them
 * and a huge file must not exhaust memory.  Messages name the file:
 * "'run/meta.json' is a symlink (refusing to follow it)".
 */
#ifndef BT_SAFEFILE_H
#define BT_SAFEFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Follow a symlink: for a file the user named, e.g. a program to trace. */
#define SAFEFILE_FOLLOW (1U << 0)

/*
 * Open @path read-only: not through a symlink (unless SAFEFILE_FOLLOW),
 * never blocking on a FIFO, a regular file only, at most @max_bytes long
 * (0: any size).  Returns the descriptor (O_CLOEXEC, blocking) with the
 * file's size in *size (may be NULL), or -errno with a message in err:
 * -ELOOP a symlink, -EISDIR a directory, -EINVAL another file that is not
 * regular, -EFBIG longer than @max_bytes, else open()'s errno.
 */
int safefile__open(const char *path, unsigned int flags, off_t max_bytes, off_t *size, char *err,
		   size_t errlen);

/*
 * The whole file, with safefile__open()'s checks: a malloc'ed buffer in *buf,
 * NUL-terminated, its length (without the NUL) in *len.  0 or -errno with a
 * message in err.
 */
int safefile__read(const char *path, unsigned int flags, off_t max_bytes, char **buf, size_t *len,
		   char *err, size_t errlen);

#endif /* BT_SAFEFILE_H */
