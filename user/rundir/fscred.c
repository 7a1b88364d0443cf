// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "rundir/fscred.h"
#include "util/parse.h"

bool fscred__sudo_user(uid_t *uid, gid_t *gid)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	__u64 u, g;

	if (geteuid() != 0 || !su || !sg || parse_u64(su, 0, UINT32_MAX - 1, &u) ||
	    parse_u64(sg, 0, UINT32_MAX - 1, &g))
		return false;
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return true;
}

int fscred__enter(struct fscred *s, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	gid_t groups[FSCRED_MAX_GROUPS];
	int n = FSCRED_MAX_GROUPS, ret;
	struct passwd *pw;

	memset(s, 0, sizeof(*s));
	if (uid == 0)
		return 0;
	s->ngroups = getgroups(FSCRED_MAX_GROUPS, s->groups);
	if (s->ngroups < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot read benchtrace's groups: %s", strerror(-ret));
		return ret;
	}
	pw = getpwuid(uid);
	if (!pw || getgrouplist(pw->pw_name, gid, groups, &n) < 0) {
		/* no passwd entry (or too many groups to be sure): the gid alone */
		groups[0] = gid;
		n = 1;
	}
	/* groups first: setfsuid() away from 0 drops what setgroups() needs */
	if (setgroups(n, groups)) {
		ret = -errno;
		snprintf(err, errlen, "cannot take the groups of uid %u: %s", (unsigned int)uid,
			 strerror(-ret));
		return ret;
	}
	setfsgid(gid);
	setfsuid(uid);
	/* setfsuid() reports no errors: read back what is in force */
	if ((uid_t)setfsuid((uid_t)-1) != uid || (gid_t)setfsgid((gid_t)-1) != gid) {
		s->active = true;
		fscred__leave(s);
		snprintf(err, errlen, "cannot act as uid %u, gid %u on files", (unsigned int)uid,
			 (unsigned int)gid);
		return -EPERM;
	}
	s->active = true;
	return 0;
}

void fscred__leave(struct fscred *s)
{
	if (!s->active)
		return;
	setfsuid(geteuid());
	setfsgid(getegid());
	if (setgroups(s->ngroups, s->groups)) {
		/* root's DAC override does not look at groups: harmless */
	}
	s->active = false;
}
