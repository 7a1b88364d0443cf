// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rundir/rundir.h"

#define RUNDIR_MAX_SUFFIX 99

struct rundir {
	char *path;
	int dirfd;
	uid_t uid;
	gid_t gid;
	bool created; /* by rundir__create(), not found empty */
	char **names; /* files created through this rundir, for discard */
	size_t nnames, names_cap;
	/* rundir__reserve(): the temporary file the next replace of reserve_for fills */
	int reserve_fd;
	char reserve_tmp[NAME_MAX + 1];
	char reserve_for[NAME_MAX + 1];
};

static bool rundir_chowns(const struct rundir *rd)
{
	return rd->uid != (uid_t)-1 || rd->gid != (gid_t)-1;
}

static const char *mkdir_hint(int err, uid_t uid)
{
	static char hint[128];

	switch (err) {
	case ENOENT:
		return " (create the parent directory first)";
	case EACCES:
	case EPERM:
		/* the caller acts as the user who will own the files (fscred.h) */
		if (uid != (uid_t)-1 && uid != 0) {
			snprintf(hint, sizeof(hint),
				 " (as uid %u, who will own the run: choose a place they may "
				 "write with -o)",
				 (unsigned int)uid);
			return hint;
		}
		return " (choose a writable location with -o)";
	case EROFS:
		return " (choose a writable location with -o)";
	default:
		return "";
	}
}

/* 1: empty, 0: not, negative errno on error. */
static int dir_is_empty(int dirfd)
{
	struct dirent *de;
	int fd, ret = 1;
	DIR *d;

	/* A new open file description, so that dirfd's position is not disturbed. */
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		ret = -errno;
		close(fd);
		return ret;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			ret = 0;
			break;
		}
	}
	if (ret == 1 && errno)
		ret = -errno;
	closedir(d);
	return ret;
}

/* Explain why path could not be opened as a directory. */
static void describe_open_failure(const char *path, int err, char *errbuf, size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			/* one planted by another user would send root's writes anywhere */
			snprintf(errbuf, errlen,
				 "'%s' is a symlink (refusing to follow it: give the directory "
				 "itself with -o)",
				 path);
			return;
		}
		if (S_ISREG(st.st_mode)) {
			snprintf(errbuf, errlen,
				 "'%s' is a file, not a directory (choose another -o)", path);
			return;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(errbuf, errlen, "'%s' is not a directory (choose another -o)",
				 path);
			return;
		}
	}
	snprintf(errbuf, errlen, "cannot open '%s': %s", path, strerror(err));
}

/* path exists now (created says whether we made it): open, check, chown. */
static struct rundir *rundir_finish(const char *path, bool created, bool full_ok, uid_t uid,
				    gid_t gid, char *err, size_t errlen)
{
	struct rundir *rd;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		describe_open_failure(path, errno, err, errlen);
		return NULL;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "cannot stat '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (created) {
		/*
		 * In a shared parent (/tmp) another user could swap our fresh
		 * directory for theirs between mkdir() and open(): it would not be
		 * ours.  Ours is owned by whom we act as on files (fscred.h).
		 */
		if (st.st_uid != (uid_t)setfsuid((uid_t)-1)) {
			snprintf(err, errlen,
				 "'%s' was replaced by another user's directory while being "
				 "created (use a private location for -o)",
				 path);
			goto fail;
		}
	} else if (!full_ok) {
		ret = dir_is_empty(fd);
		if (ret < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-ret));
			goto fail;
		}
		if (ret == 0) {
			snprintf(
			    err, errlen,
			    "output directory '%s' exists and is not empty (choose another -o)",
			    path);
			goto fail;
		}
		/* AT_EACCESS: as the file-system uid in force, not the real uid */
		if (faccessat(fd, ".", W_OK | X_OK, AT_EACCESS)) {
			snprintf(err, errlen, "output directory '%s' is not writable: %s%s", path,
				 strerror(errno), mkdir_hint(errno, uid));
			goto fail;
		}
	}
	if (created && (uid != (uid_t)-1 || gid != (gid_t)-1) && fchown(fd, uid, gid)) {
		snprintf(err, errlen, "cannot give '%s' to user %d, group %d: %s", path, (int)uid,
			 (int)gid, strerror(errno));
		goto fail_rmdir;
	}

	rd = calloc(1, sizeof(*rd));
	if (!rd || !(rd->path = strdup(path))) {
		free(rd);
		snprintf(err, errlen, "cannot create '%s': %s", path, strerror(ENOMEM));
		goto fail_rmdir;
	}
	rd->dirfd = fd;
	rd->reserve_fd = -1;
	rd->uid = uid;
	rd->gid = gid;
	rd->created = created;
	return rd;

fail_rmdir:
	if (created)
		rmdir(path);
fail:
	close(fd);
	return NULL;
}

struct rundir *rundir__create(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char dummy[1], name[64], base[48];
	struct tm tm;
	time_t now;
	int i;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (path) {
		if (!*path) {
			snprintf(err, errlen, "output directory name is empty");
			return NULL;
		}
		if (mkdir(path, 0755) == 0)
			return rundir_finish(path, true, false, uid, gid, err, errlen);
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%s': %s%s", path, strerror(errno),
				 mkdir_hint(errno, uid));
			return NULL;
		}
		return rundir_finish(path, false, false, uid, gid, err, errlen);
	}

	now = time(NULL);
	if (!localtime_r(&now, &tm) ||
	    !strftime(base, sizeof(base), "benchtrace-%Y%m%d-%H%M%S", &tm)) {
		snprintf(err, errlen, "cannot format the time for the run directory name (use -o)");
		return NULL;
	}
	for (i = 1; i <= RUNDIR_MAX_SUFFIX; i++) {
		if (i == 1)
			snprintf(name, sizeof(name), "%s", base);
		else
			snprintf(name, sizeof(name), "%s-%d", base, i);
		if (mkdir(name, 0755) == 0)
			return rundir_finish(name, true, false, uid, gid, err, errlen);
		if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create '%s': %s%s", name, strerror(errno),
				 mkdir_hint(errno, uid));
			return NULL;
		}
	}
	snprintf(err, errlen, "'%s' to '%s-%d' all exist (choose a name with -o)", base, base,
		 RUNDIR_MAX_SUFFIX);
	return NULL;
}

struct rundir *rundir__open_existing(const char *path, uid_t uid, gid_t gid, char *err,
				     size_t errlen)
{
	return rundir_finish(path, false, true, uid, gid, err, errlen);
}

static bool valid_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int rundir_remember(struct rundir *rd, const char *name)
{
	size_t i;
	char *copy;

	for (i = 0; i < rd->nnames; i++)
		if (strcmp(rd->names[i], name) == 0)
			return 0;
	if (rd->nnames == rd->names_cap) {
		size_t cap = rd->names_cap ? rd->names_cap * 2 : 16;
		char **names = realloc(rd->names, cap * sizeof(*names));

		if (!names)
			return -ENOMEM;
		rd->names = names;
		rd->names_cap = cap;
	}
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	rd->names[rd->nnames++] = copy;
	return 0;
}

int rundir__open(struct rundir *rd, const char *name, int extra_flags)
{
	int fd, err;

	if (!valid_name(name))
		return -EINVAL;
	fd = openat(rd->dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | extra_flags, 0644);
	if (fd < 0)
		return -errno;
	if (rundir_chowns(rd) && fchown(fd, rd->uid, rd->gid)) {
		err = -errno;
		goto fail;
	}
	err = rundir_remember(rd, name);
	if (err)
		goto fail;
	return fd;
fail:
	close(fd);
	unlinkat(rd->dirfd, name, 0);
	return err;
}

int rundir__mkdir(struct rundir *rd, const char *name)
{
	int fd, err;

	if (!valid_name(name))
		return -EINVAL;
	if (mkdirat(rd->dirfd, name, 0755))
		return -errno;
	fd = openat(rd->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	if (rundir_chowns(rd) && fchown(fd, rd->uid, rd->gid)) {
		err = -errno;
		goto fail;
	}
	err = rundir_remember(rd, name);
	if (err)
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(rd->dirfd, name, AT_REMOVEDIR);
	return err;
}

static unsigned int random_u32(void)
{
	static unsigned int counter;
	unsigned int r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == sizeof(r))
		return r;
	return (unsigned int)getpid() * 2654435761U ^ (unsigned int)time(NULL) ^ ++counter;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new ".NAME.tmp.XXXXXX" for NAME's next content: the fd, or -errno. */
static int open_tmp(struct rundir *rd, const char *name, char tmp[NAME_MAX + 1])
{
	int fd = -1, tries;

	if (!valid_name(name))
		return -EINVAL;
	for (tries = 0; tries < 100; tries++) {
		if ((size_t)snprintf(tmp, NAME_MAX + 1, ".%s.tmp.%06x", name,
				     random_u32() & 0xffffff) >= NAME_MAX + 1)
			return -ENAMETOOLONG;
		fd = openat(rd->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	return fd >= 0 ? fd : -errno;
}

static void drop_reserve(struct rundir *rd)
{
	if (rd->reserve_fd < 0)
		return;
	close(rd->reserve_fd);
	unlinkat(rd->dirfd, rd->reserve_tmp, 0);
	rd->reserve_fd = -1;
}

int rundir__reserve(struct rundir *rd, const char *name, off_t bytes)
{
	int fd, err;

	if (rd->reserve_fd >= 0)
		return -EBUSY;
	fd = open_tmp(rd, name, rd->reserve_tmp);
	if (fd < 0)
		return fd;
	err = posix_fallocate(fd, 0, bytes);
	if (err) {
		close(fd);
		unlinkat(rd->dirfd, rd->reserve_tmp, 0);
		return -err;
	}
	rd->reserve_fd = fd;
	snprintf(rd->reserve_for, sizeof(rd->reserve_for), "%s", name);
	return 0;
}

int rundir__replace(struct rundir *rd, const char *name, const char *data, size_t len)
{
	char tmp[NAME_MAX + 1];
	int fd, err;

	if (rd->reserve_fd >= 0 && !strcmp(rd->reserve_for, name)) {
		/* into the blocks set aside: no new space needed up to the reserve */
		fd = rd->reserve_fd;
		rd->reserve_fd = -1;
		memcpy(tmp, rd->reserve_tmp, sizeof(tmp));
		err = write_all(fd, data, len);
		if (!err && ftruncate(fd, (off_t)len))
			err = -errno;
	} else {
		fd = open_tmp(rd, name, tmp);
		if (fd < 0)
			return fd;
		err = write_all(fd, data, len);
	}
	if (!err && rundir_chowns(rd) && fchown(fd, rd->uid, rd->gid))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err && errno != EINTR)
		err = -errno;
	if (!err && renameat(rd->dirfd, tmp, rd->dirfd, name))
		err = -errno;
	if (err) {
		unlinkat(rd->dirfd, tmp, 0);
		return err;
	}
	/* The rename itself must reach the disk for the new content to be found. */
	if (fsync(rd->dirfd))
		return -errno;
	return rundir_remember(rd, name);
}

const char *rundir__path(const struct rundir *rd)
{
	return rd->path;
}

int rundir__dirfd(const struct rundir *rd)
{
	return rd->dirfd;
}

void rundir__close(struct rundir *rd)
{
	size_t i;

	if (!rd)
		return;
	drop_reserve(rd);
	close(rd->dirfd);
	for (i = 0; i < rd->nnames; i++)
		free(rd->names[i]);
	free(rd->names);
	free(rd->path);
	free(rd);
}

void rundir__discard(struct rundir *rd)
{
	size_t i;

	if (!rd)
		return;
	drop_reserve(rd);
	for (i = 0; i < rd->nnames; i++)
		if (unlinkat(rd->dirfd, rd->names[i], 0) && errno == EISDIR)
			unlinkat(rd->dirfd, rd->names[i], AT_REMOVEDIR); /* rundir__mkdir(), empty */
	/* rmdir() removes only an empty directory: never someone's files. */
	if (rd->created)
		rmdir(rd->path);
	rundir__close(rd);
}
