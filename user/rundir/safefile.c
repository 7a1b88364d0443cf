// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rundir/safefile.h"

/*
 * Open what the O_PATH descriptor @pfd (a regular file) refers to, for
 * reading.  Through /proc/self/fd: the very inode checked, even if the path
 * was replaced meanwhile.  Without /proc, the path again, and the same
 * inode or nothing.
 */
static int reopen(int pfd, const char *path, int oflags, const struct stat *want)
{
	char self[64];
	struct stat st;
	int fd;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, oflags & ~O_NOFOLLOW);
	if (fd >= 0 || (errno != ENOENT && errno != ENOTDIR))
		return fd < 0 ? -errno : fd;
	fd = open(path, oflags);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		close(fd);
		return -EAGAIN; /* replaced between the check and the open */
	}
	return fd;
}

int safefile__open(const char *path, unsigned int flags, off_t max_bytes, off_t *size, char *err,
		   size_t errlen)
{
	int oflags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	struct stat st;
	int pfd, fd = -1, ret;

	if (!(flags & SAFEFILE_FOLLOW))
		oflags |= O_NOFOLLOW;
	/*
	 * Look before opening: open(2) of a device runs its driver (a
	 * watchdog arms, a tape rewinds) even when nothing is read, and root
	 * may be led to one by a symlink, an RPATH or a debug link.  An O_PATH
	 * descriptor opens nothing; with O_NOFOLLOW it is the symlink itself.
	 */
	pfd = open(path, O_PATH | O_CLOEXEC | (oflags & O_NOFOLLOW));
	if (pfd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(pfd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-ret));
		goto fail;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "'%s' is a symlink (refusing to follow it)", path);
		ret = -ELOOP;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto fail;
	}
	/* O_NONBLOCK only so that a FIFO swapped in cannot hang open(); cleared below. */
	fd = reopen(pfd, path, oflags, &st);
	if (fd < 0) {
		ret = fd;
		fd = -1;
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(-ret));
		goto fail;
	}
	close(pfd);
	pfd = -1;
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-ret));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto fail;
	}
	if (max_bytes > 0 && st.st_size > max_bytes) {
		snprintf(err, errlen, "%s: more than %lld bytes", path, (long long)max_bytes);
		ret = -EFBIG;
		goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		ret = -errno;
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-ret));
		goto fail;
	}
	if (size)
		*size = st.st_size;
	return fd;
fail:
	if (pfd >= 0)
		close(pfd);
	if (fd >= 0)
		close(fd);
	return ret;
}

int safefile__read(const char *path, unsigned int flags, off_t max_bytes, char **buf, size_t *len,
		   char *err, size_t errlen)
{
	size_t n = 0;
	off_t size;
	char *b;
	int fd, ret = 0;

	fd = safefile__open(path, flags, max_bytes, &size, err, errlen);
	if (fd < 0)
		return fd;
	/* What fstat() said: a file that grows meanwhile is read up to there. */
	b = malloc((size_t)size + 1);
	if (!b) {
		snprintf(err, errlen, "%s: out of memory", path);
		ret = -ENOMEM;
	}
	while (b && n < (size_t)size) {
		ssize_t r = read(fd, b + n, (size_t)size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-ret));
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (ret) {
		free(b);
		return ret;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}
