/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Acting on the file system as the invoking user.  Under sudo benchtrace is
 * root, but the files it makes for the user must be made only where the
 * user could make them: `sudo benchtrace -o /etc/systemd/system/x.d` or
 * `report -o /etc/ld.so.preload` would otherwise hand the user a file or
 * directory in a place only root may write, which is root for anyone
 * allowed to sudo benchtrace alone.  Switching the file-system uid, gid and
 * supplementary groups lets the kernel apply the user's own permission
 * checks (DAC, sticky directories, read-only mounts) and owner.
 */
#ifndef BT_FSCRED_H
#define BT_FSCRED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FSCRED_MAX_GROUPS 256

struct fscred {
	bool active;
	int ngroups; /* the caller's own groups, restored by fscred__leave() */
	gid_t groups[FSCRED_MAX_GROUPS];
};

/*
 * The invoking user under sudo: SUDO_UID/SUDO_GID when benchtrace runs as
 * root and they parse, else false.
 */
bool fscred__sudo_user(uid_t *uid, gid_t *gid);

/*
 * From now on, create and check files as uid/gid with the user's
 * supplementary groups (from the passwd entry, or gid alone).  0, or
 * -errno with a message in err (nothing changed then).  A no-op that
 * returns 0 for uid 0.
 */
int fscred__enter(struct fscred *s, uid_t uid, gid_t gid, char *err, size_t errlen);

/* Back to root's file-system credentials and groups. */
void fscred__leave(struct fscred *s);

#endif /* BT_FSCRED_H */
