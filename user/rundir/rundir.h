// SPDX-License-Identifier: GPL-2.0
/*
 * The run directory: created safely, filled with files that never follow a
 * symlink or clobber anything, handed to the invoking user under sudo.
 *
 * Rules (SPEC "The run directory", "When things go wrong"):
 * - An explicit path is created with mkdir(2).  If it already exists, only a
 *   real, empty directory is accepted; a non-empty one, a file or a symlink
 *   (even one to an empty directory) is refused with a message that says so.
 * - With path NULL the name is benchtrace-YYYYmmdd-HHMMSS (local time) in
 *   the current directory.  Since the user did not choose that name, a
 *   clash (two runs in the same second) takes the next of -2, -3, ... -99
 *   instead of failing; an existing directory of that name is never reused.
 * - uid/gid other than (uid_t)-1/(gid_t)-1: the directory, if this call
 *   created it, and every file created through it are fchown()ed to them.
 *   An existing empty directory keeps its owner.
 * - All files are opened relative to the directory's fd, so renaming or
 *   replacing the path while tracing cannot redirect writes.
 */
#ifndef BT_RUNDIR_H
#define BT_RUNDIR_H

#include <stddef.h>
#include <sys/types.h>

struct rundir;

/* NULL on error with a one-line message in err. */
struct rundir *rundir__create(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen);

/* A run directory that exists, to add files to (benchtrace perfetto). */
struct rundir *rundir__open_existing(const char *path, uid_t uid, gid_t gid, char *err,
				     size_t errlen);

/*
 * Create NAME (a plain file name, no '/') in the directory with
 * O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC|extra_flags, mode 0644.
 * Returns the fd or a negative errno (-EEXIST if it exists, -EINVAL for a
 * bad name).
 */
int rundir__open(struct rundir *rd, const char *name, int extra_flags);

/*
 * Atomically (re)write a small file: data goes to ".NAME.tmp.XXXXXX"
 * (O_EXCL), is fsync()ed, renamed over NAME and the directory fsync()ed, so
 * readers and crashes see the old or the new content, never a mix.
 * Returns 0 or a negative errno; on failure no temporary file is left.
 */
int rundir__replace(struct rundir *rd, const char *name, const char *data, size_t len);

/*
 * Set @bytes of disk aside now for the next rundir__replace() of NAME, so it
 * succeeds on a disk that has filled up since (meta.json at the end of a
 * run): its temporary file is created and allocated here and filled then.
 * One reservation at a time (-EBUSY); 0 or a negative errno (-ENOSPC).
 * Closing or discarding the directory drops an unused one.
 */
int rundir__reserve(struct rundir *rd, const char *name, off_t bytes);

/*
 * A subdirectory NAME of the run directory, made like its files (owner,
 * O_NOFOLLOW-safe) and removed by rundir__discard() with them; returns a
 * descriptor of it, or -errno.
 */
int rundir__mkdir(struct rundir *rd, const char *name);
const char *rundir__path(const struct rundir *rd);
int rundir__dirfd(const struct rundir *rd);

/* Close the directory fd and free; the files stay. */
void rundir__close(struct rundir *rd);

/*
 * For a run that failed before it recorded anything: remove the files
 * created through rd and, if rundir__create() made it, the directory
 * (only if then empty), and free rd.
 */
void rundir__discard(struct rundir *rd);

#endif /* BT_RUNDIR_H */
