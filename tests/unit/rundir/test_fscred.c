// SPDX-License-Identifier: GPL-2.0
/*
 * fscred: as root, files are made with the user's permissions and owner,
 * and root's come back after; without root, switching is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/fscred.h"
#include "testutil.h"

#define NOBODY 65534

static char err[256];

static void test_sudo_user(void **state)
{
	uid_t uid = 1;
	gid_t gid = 1;

	(void)state;
	setenv("SUDO_UID", "1000", 1);
	setenv("SUDO_GID", "1001", 1);
	assert_int_equal(fscred__sudo_user(&uid, &gid), geteuid() == 0);
	if (geteuid() == 0) {
		assert_int_equal(uid, 1000);
		assert_int_equal(gid, 1001);
	}
	setenv("SUDO_UID", "12abc", 1);
	assert_false(fscred__sudo_user(&uid, &gid));
	unsetenv("SUDO_GID");
	setenv("SUDO_UID", "1000", 1);
	assert_false(fscred__sudo_user(&uid, &gid));
	unsetenv("SUDO_UID");
	assert_false(fscred__sudo_user(&uid, &gid));
}

static void test_enter_and_leave(void **state)
{
	struct fscred fc;
	struct stat st;
	const char *closed = bt_scratch_path("closed"), *open_ = bt_scratch_path("open");
	char path[BT_PATH_MAX];
	int fd;

	(void)state;
	if (geteuid() != 0) {
		/* only root can take another user's credentials */
		assert_int_equal(fscred__enter(&fc, NOBODY, NOBODY, err, sizeof(err)), -EPERM);
		assert_false(fc.active);
		assert_non_null(strstr(err, "65534"));
		return;
	}
	assert_int_equal(mkdir(closed, 0755), 0);
	assert_int_equal(mkdir(open_, 0777), 0);
	assert_int_equal(chmod(open_, 0777), 0);
	assert_int_equal(chmod(bt_scratch_dir(), 0755), 0);

	assert_int_equal(fscred__enter(&fc, NOBODY, NOBODY, err, sizeof(err)), 0);
	assert_true(fc.active);
	/* root's own directory: refused as the user would be */
	snprintf(path, sizeof(path), "%s/x", closed);
	assert_int_equal(mkdir(path, 0755), -1);
	assert_int_equal(errno, EACCES);
	/* a directory the user may write: theirs from the start */
	snprintf(path, sizeof(path), "%s/x", open_);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	assert_int_equal(st.st_uid, NOBODY);
	assert_int_equal(st.st_gid, NOBODY);
	fscred__leave(&fc);
	assert_false(fc.active);

	/* root again, with root's groups */
	snprintf(path, sizeof(path), "%s/y", closed);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_gid, getegid());
	fscred__leave(&fc); /* twice: harmless */

	/* uid 0 is a no-op */
	assert_int_equal(fscred__enter(&fc, 0, 0, err, sizeof(err)), 0);
	assert_false(fc.active);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sudo_user),
	    cmocka_unit_test(test_enter_and_leave),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("fscred", tests, bt_scratch_setup, bt_scratch_teardown);
}
