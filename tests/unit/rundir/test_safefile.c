// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/safefile.h"
#include "testutil.h"

static char errbuf[512];

static void expect_open_error(const char *name, unsigned int flags, off_t max, int want,
			      const char *msg)
{
	int fd;

	errbuf[0] = '\0';
	fd = safefile__open(bt_scratch_path(name), flags, max, NULL, errbuf, sizeof(errbuf));
	if (fd >= 0)
		close(fd);
	if (fd != want)
		fail_msg("%s: %d, want %d (%s)", name, fd, want, errbuf);
	if (!strstr(errbuf, msg))
		fail_msg("%s: error '%s' lacks '%s'", name, errbuf, msg);
}

static void test_open(void **state)
{
	off_t size = -1;
	int fd;

	(void)state;
	bt_write_file(bt_scratch_path("f"), "hello", 5);
	fd = safefile__open(bt_scratch_path("f"), 0, 5, &size, errbuf, sizeof(errbuf));
	assert_true(fd >= 0);
	assert_int_equal(size, 5);
	/* an ordinary descriptor: blocking again, closed on exec */
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);

	/* planted symlinks are not followed, unless asked to */
	assert_int_equal(symlink(bt_scratch_path("f"), bt_scratch_path("link")), 0);
	expect_open_error("link", 0, 0, -ELOOP, "link' is a symlink (refusing to follow it)");
	fd = safefile__open(bt_scratch_path("link"), SAFEFILE_FOLLOW, 0, &size, errbuf,
			    sizeof(errbuf));
	assert_true(fd >= 0);
	assert_int_equal(size, 5);
	close(fd);

	assert_int_equal(mkdir(bt_scratch_path("dir"), 0755), 0);
	expect_open_error("dir", 0, 0, -EISDIR, "dir' is not a regular file");
	/* a FIFO neither hangs open() nor is read */
	assert_int_equal(mkfifo(bt_scratch_path("fifo"), 0644), 0);
	expect_open_error("fifo", SAFEFILE_FOLLOW, 0, -EINVAL, "fifo' is not a regular file");
	expect_open_error("f", 0, 4, -EFBIG, "/f: more than 4 bytes");
	expect_open_error("none", 0, 0, -ENOENT, "cannot open '");
}

/* Devices are refused before open(2) runs their driver; failures leak no descriptor. */
static void test_devices(void **state)
{
	int before, after;

	(void)state;
	before = dup(0);
	assert_true(before >= 0);
	close(before);
	assert_int_equal(symlink("/dev/null", bt_scratch_path("null")), 0);
	expect_open_error("null", SAFEFILE_FOLLOW, 0, -EINVAL, "null' is not a regular file");
	expect_open_error("null", 0, 0, -ELOOP, "null' is a symlink (refusing to follow it)");
	assert_int_equal(symlink("null", bt_scratch_path("loop")), 0);
	assert_int_equal(unlink(bt_scratch_path("null")), 0);
	assert_int_equal(symlink("loop", bt_scratch_path("null")), 0);
	expect_open_error("loop", SAFEFILE_FOLLOW, 0, -ELOOP, "cannot open '");
	after = dup(0);
	close(after);
	assert_int_equal(after, before);
}

static void test_read(void **state)
{
	size_t len = 99;
	char *buf = NULL;

	(void)state;
	bt_write_file(bt_scratch_path("nul"), "a\0b", 3);
	assert_int_equal(
	    safefile__read(bt_scratch_path("nul"), 0, 3, &buf, &len, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "a\0b", 4); /* and NUL-terminated */
	free(buf);

	bt_write_file(bt_scratch_path("empty"), "", 0);
	assert_int_equal(
	    safefile__read(bt_scratch_path("empty"), 0, 0, &buf, &len, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);

	buf = NULL;
	assert_int_equal(
	    safefile__read(bt_scratch_path("nul"), 0, 2, &buf, &len, errbuf, sizeof(errbuf)),
	    -EFBIG);
	assert_null(buf);
	assert_int_equal(
	    safefile__read(bt_scratch_path("none"), 0, 0, &buf, &len, errbuf, sizeof(errbuf)),
	    -ENOENT);
	assert_null(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open),
	    cmocka_unit_test(test_devices),
	    cmocka_unit_test(test_read),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, bt_scratch_setup, bt_scratch_teardown);
}
