// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/rundir.h"
#include "testutil.h"

#define OTHER_ID 12345 /* an id nobody on the test machine is likely to use */

static char errbuf[512];

static int setup(void **state)
{
	umask(022);
	if (bt_scratch_setup(state))
		return -1;
	/* Let an unprivileged child traverse it (the permission test). */
	return chmod(bt_scratch_dir(), 0755);
}

static void make_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static char *read_file(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

/* Entries of a directory other than . and .., joined with '|' in sorted order. */
static const char *list_dir(const char *path)
{
	static char buf[4096];
	struct dirent **ents;
	int n, i;

	n = scandir(path, &ents, NULL, alphasort);
	assert_true(n >= 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, "..")) {
			if (buf[0])
				strcat(buf, "|");
			strcat(buf, ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
	return buf;
}

static void expect_refused(const char *path, const char *want_substr)
{
	struct rundir *rd;

	errbuf[0] = '\0';
	rd = rundir__create(path, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	if (rd) {
		rundir__close(rd);
		fail_msg("'%s' accepted, want \"%s\"", path, want_substr);
	}
	if (!strstr(errbuf, want_substr))
		fail_msg("error \"%s\", want \"%s\"", errbuf, want_substr);
}

static void test_create_new(void **state)
{
	const char *path = bt_scratch_path("run1");
	struct rundir *rd;
	struct stat st;

	(void)state;
	rd = rundir__create(path, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	if (!rd)
		fail_msg("%s", errbuf);
	assert_string_equal(rundir__path(rd), path);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(fstat(rundir__dirfd(rd), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(fcntl(rundir__dirfd(rd), F_GETFD) & FD_CLOEXEC);
	rundir__close(rd);
	/* Second time it exists and is empty: still fine. */
	rd = rundir__create(path, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	rundir__close(rd);
	rundir__close(NULL);
}

static void test_existing_empty_dir(void **state)
{
	const char *path = bt_scratch_path("empty");
	struct rundir *rd;
	int fd;

	(void)state;
	assert_int_equal(mkdir(path, 0700), 0);
	rd = rundir__create(path, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	if (!rd)
		fail_msg("%s", errbuf);
	fd = rundir__open(rd, "samples.csv", 0);
	assert_true(fd >= 0);
	close(fd);
	/* Discard removes our file but not a directory we did not create. */
	rundir__discard(rd);
	assert_int_equal(access(path, F_OK), 0);
	assert_string_equal(list_dir(path), "");
}

static void test_refusals(void **state)
{
	char want[PATH_MAX + 128];

	(void)state;
	assert_int_equal(mkdir(bt_scratch_path("full"), 0755), 0);
	make_file(bt_scratch_path("full/old.csv"), "x\n");
	snprintf(want, sizeof(want),
		 "output directory '%s' exists and is not empty (choose another -o)",
		 bt_scratch_path("full"));
	expect_refused(bt_scratch_path("full"), want);
	assert_string_equal(read_file(bt_scratch_path("full/old.csv")), "x\n");

	/* Hidden files count. */
	assert_int_equal(mkdir(bt_scratch_path("hidden"), 0755), 0);
	make_file(bt_scratch_path("hidden/.x"), "");
	expect_refused(bt_scratch_path("hidden"), "exists and is not empty");

	make_file(bt_scratch_path("afile"), "data");
	snprintf(want, sizeof(want), "'%s' is a file, not a directory", bt_scratch_path("afile"));
	expect_refused(bt_scratch_path("afile"), want);
	assert_string_equal(read_file(bt_scratch_path("afile")), "data");

	/* A symlink, even to an empty directory, is not followed. */
	assert_int_equal(mkdir(bt_scratch_path("target"), 0755), 0);
	assert_int_equal(symlink(bt_scratch_path("target"), bt_scratch_path("link")), 0);
	snprintf(want, sizeof(want),
		 "'%s' is a symlink (refusing to follow it: give the directory itself",
		 bt_scratch_path("link"));
	expect_refused(bt_scratch_path("link"), want);
	assert_int_equal(symlink(bt_scratch_path("nowhere"), bt_scratch_path("dangling")), 0);
	expect_refused(bt_scratch_path("dangling"), "is a symlink (refusing to follow it:");
	assert_int_equal(access(bt_scratch_path("nowhere"), F_OK), -1);

	assert_int_equal(mkfifo(bt_scratch_path("fifo"), 0644), 0);
	expect_refused(bt_scratch_path("fifo"), "is not a directory");

	snprintf(want, sizeof(want),
		 "cannot create '%s': No such file or directory (create the parent directory "
		 "first)",
		 bt_scratch_path("no/such"));
	expect_refused(bt_scratch_path("no/such"), want);
	expect_refused(bt_scratch_path("afile/sub"), "Not a directory");
	expect_refused("", "output directory name is empty");
}

/* As a user who may not write the parent: EACCES, whoever runs the test. */
static void test_permission_denied(void **state)
{
	char want[PATH_MAX + 128];
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_int_equal(mkdir(bt_scratch_path("ro"), 0555), 0);
	assert_int_equal(chmod(bt_scratch_path("ro"), 0555), 0);
	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rundir *rd;

		close(pipefd[0]);
		/* root ignores mode bits: become nobody first. */
		if (geteuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(2);
		rd = rundir__create(bt_scratch_path("ro/run"), (uid_t)-1, (gid_t)-1, errbuf,
				    sizeof(errbuf));
		if (rd)
			_exit(1);
		n = write(pipefd[1], errbuf, strlen(errbuf));
		_exit(n > 0 ? 0 : 3);
	}
	close(pipefd[1]);
	n = read(pipefd[0], errbuf, sizeof(errbuf) - 1);
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(n > 0);
	errbuf[n] = '\0';
	snprintf(want, sizeof(want), "cannot create '%s': Permission denied",
		 bt_scratch_path("ro/run"));
	if (strncmp(errbuf, want, strlen(want)))
		fail_msg("error \"%s\", want \"%s...\"", errbuf, want);
	assert_int_equal(access(bt_scratch_path("ro/run"), F_OK), -1);
}

static void test_open_files(void **state)
{
	struct rundir *rd;
	struct stat st;
	int fd, fd2;

	(void)state;
	rd = rundir__create(bt_scratch_path("files"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	fd = rundir__open(rd, "samples.csv", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a\n", 2), 2);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);

	/* Never clobbers. */
	assert_int_equal(rundir__open(rd, "samples.csv", 0), -EEXIST);
	assert_int_equal(rundir__open(rd, "samples.csv", O_TRUNC), -EEXIST);
	assert_string_equal(read_file(bt_scratch_path("files/samples.csv")), "a\n");

	/* Never follows a planted symlink. */
	make_file(bt_scratch_path("victim"), "precious");
	assert_int_equal(symlink(bt_scratch_path("victim"), bt_scratch_path("files/calls.csv")), 0);
	assert_int_equal(rundir__open(rd, "calls.csv", 0), -EEXIST);
	assert_string_equal(read_file(bt_scratch_path("victim")), "precious");

	assert_int_equal(rundir__open(rd, "../escape", 0), -EINVAL);
	assert_int_equal(rundir__open(rd, "sub/x", 0), -EINVAL);
	assert_int_equal(rundir__open(rd, "", 0), -EINVAL);
	assert_int_equal(rundir__open(rd, ".", 0), -EINVAL);
	assert_int_equal(rundir__open(rd, "..", 0), -EINVAL);
	assert_int_equal(rundir__open(rd, NULL, 0), -EINVAL);
	assert_int_equal(access(bt_scratch_path("escape"), F_OK), -1);

	/* Extra flags are passed on. */
	fd2 = rundir__open(rd, "events.csv", O_APPEND);
	assert_true(fd2 >= 0);
	assert_true(fcntl(fd2, F_GETFL) & O_APPEND);
	close(fd2);

	/* Files follow the directory, not its old name. */
	assert_int_equal(rename(bt_scratch_path("files"), bt_scratch_path("files-moved")), 0);
	fd = rundir__open(rd, "late.csv", 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(access(bt_scratch_path("files-moved/late.csv"), F_OK), 0);
	rundir__close(rd);
}

static void test_replace(void **state)
{
	struct rundir *rd;
	int fd;

	(void)state;
	rd = rundir__create(bt_scratch_path("rep"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(rundir__replace(rd, "meta.json", "{\"v\": 1}\n", 9), 0);
	assert_string_equal(read_file(bt_scratch_path("rep/meta.json")), "{\"v\": 1}\n");
	assert_int_equal(rundir__replace(rd, "meta.json", "{\"v\": 22}\n", 10), 0);
	assert_string_equal(read_file(bt_scratch_path("rep/meta.json")), "{\"v\": 22}\n");
	assert_int_equal(rundir__replace(rd, "empty", "", 0), 0);
	assert_string_equal(read_file(bt_scratch_path("rep/empty")), "");
	assert_string_equal(list_dir(bt_scratch_path("rep")), "empty|meta.json");

	/* Over a file made with rundir__open. */
	fd = rundir__open(rd, "x.json", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "old", 3), 3);
	close(fd);
	assert_int_equal(rundir__replace(rd, "x.json", "new", 3), 0);
	assert_string_equal(read_file(bt_scratch_path("rep/x.json")), "new");

	/* A planted symlink is replaced, its target left alone. */
	make_file(bt_scratch_path("victim2"), "precious");
	assert_int_equal(symlink(bt_scratch_path("victim2"), bt_scratch_path("rep/trap.json")), 0);
	assert_int_equal(rundir__replace(rd, "trap.json", "mine", 4), 0);
	assert_string_equal(read_file(bt_scratch_path("victim2")), "precious");
	assert_string_equal(read_file(bt_scratch_path("rep/trap.json")), "mine");

	/* Failure leaves no temporary file behind. */
	assert_int_equal(mkdirat(rundir__dirfd(rd), "adir", 0755), 0);
	assert_int_equal(rundir__replace(rd, "adir", "x", 1), -EISDIR);
	assert_int_equal(rundir__replace(rd, "a/b", "x", 1), -EINVAL);
	assert_string_equal(list_dir(bt_scratch_path("rep")),
			    "adir|empty|meta.json|trap.json|x.json");
	rundir__close(rd);
}

/* The number of hidden temporary files for NAME in the directory. */
static int count_tmp(const char *dir, const char *name)
{
	char prefix[64];
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	snprintf(prefix, sizeof(prefix), ".%s.tmp.", name);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

static void test_reserve(void **state)
{
	const char *dir = bt_scratch_path("res");
	struct rundir *rd;
	struct stat st;

	(void)state;
	rd = rundir__create(dir, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(rundir__replace(rd, "meta.json", "{\"v\": 1}\n", 9), 0);
	assert_int_equal(rundir__reserve(rd, "meta.json", 65536), 0);
	assert_int_equal(rundir__reserve(rd, "meta.json", 4096), -EBUSY);
	/* the space is taken now, in a hidden file, and meta.json is untouched */
	assert_int_equal(count_tmp(dir, "meta.json"), 1);
	assert_string_equal(read_file(bt_scratch_path("res/meta.json")), "{\"v\": 1}\n");
	/* another file's replace does not use it */
	assert_int_equal(rundir__replace(rd, "other.json", "x", 1), 0);
	assert_int_equal(count_tmp(dir, "meta.json"), 1);
	/* the replace fills it, cut to size, and renames it over meta.json */
	assert_int_equal(rundir__replace(rd, "meta.json", "{\"v\": 2}\n", 9), 0);
	assert_int_equal(count_tmp(dir, "meta.json"), 0);
	assert_string_equal(read_file(bt_scratch_path("res/meta.json")), "{\"v\": 2}\n");
	assert_int_equal(stat(bt_scratch_path("res/meta.json"), &st), 0);
	assert_int_equal(st.st_size, 9);
	/* a later replace works as before */
	assert_int_equal(rundir__replace(rd, "meta.json", "{}", 2), 0);
	assert_string_equal(read_file(bt_scratch_path("res/meta.json")), "{}");
	/* an unused reservation goes with the directory's closing */
	assert_int_equal(rundir__reserve(rd, "meta.json", 4096), 0);
	assert_int_equal(count_tmp(dir, "meta.json"), 1);
	rundir__close(rd);
	assert_int_equal(count_tmp(dir, "meta.json"), 0);
	/* and with a discard, which then finds the directory empty */
	rd = rundir__create(bt_scratch_path("res2"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(rundir__reserve(rd, "meta.json", 4096), 0);
	rundir__discard(rd);
	assert_int_equal(access(bt_scratch_path("res2"), F_OK), -1);
	rd = rundir__create(bt_scratch_path("res3"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(rundir__reserve(rd, "a/b", 4096), -EINVAL);
	rundir__close(rd);
}

static void test_discard(void **state)
{
	struct rundir *rd;
	int fd;

	(void)state;
	rd = rundir__create(bt_scratch_path("gone"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	fd = rundir__open(rd, "samples.csv", 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rundir__replace(rd, "meta.json", "{}", 2), 0);
	rundir__discard(rd);
	assert_int_equal(access(bt_scratch_path("gone"), F_OK), -1);

	/* Files it did not create keep the directory alive. */
	rd = rundir__create(bt_scratch_path("kept"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	fd = rundir__open(rd, "samples.csv", 0);
	assert_true(fd >= 0);
	close(fd);
	make_file(bt_scratch_path("kept/user-notes.txt"), "mine");
	rundir__discard(rd);
	assert_string_equal(list_dir(bt_scratch_path("kept")), "user-notes.txt");
	rundir__discard(NULL);
}

static bool is_default_name(const char *s, const char *suffix)
{
	size_t i;

	if (strncmp(s, "benchtrace-", 11))
		return false;
	for (i = 11; i < 26; i++) {
		if (i == 19 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	}
	return strcmp(s + 26, suffix) == 0;
}

static void test_default_name(void **state)
{
	struct rundir *rd1, *rd2;
	char cwd[PATH_MAX], name[64], first[64];
	time_t t0, t1;
	struct tm tm;
	int i;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(mkdir(bt_scratch_path("default"), 0755), 0);
	assert_int_equal(chdir(bt_scratch_path("default")), 0);

	rd1 = rundir__create(NULL, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	if (!rd1)
		fail_msg("%s", errbuf);
	assert_true(is_default_name(rundir__path(rd1), ""));
	snprintf(first, sizeof(first), "%s", rundir__path(rd1));
	rd2 = rundir__create(NULL, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd2);
	assert_string_not_equal(rundir__path(rd2), first);
	rundir__close(rd1);
	rundir__close(rd2);

	/*
	 * Occupy this second's and the next second's names with files: the
	 * default name then needs a suffix, unless two seconds pass meanwhile.
	 */
	t0 = time(NULL);
	for (i = 0; i < 2; i++) {
		time_t t = t0 + i;

		localtime_r(&t, &tm);
		strftime(name, sizeof(name), "benchtrace-%Y%m%d-%H%M%S", &tm);
		if (access(name, F_OK))
			make_file(name, "");
	}
	rd1 = rundir__create(NULL, (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	t1 = time(NULL);
	if (!rd1)
		fail_msg("%s", errbuf);
	if (t1 - t0 < 2 && !is_default_name(rundir__path(rd1), "-2") &&
	    !is_default_name(rundir__path(rd1), "-3"))
		fail_msg("got '%s', want a -2 or -3 suffix", rundir__path(rd1));
	rundir__close(rd1);

	/* An explicit name that exists is refused, never suffixed. */
	expect_refused(name, "is a file, not a directory");
	assert_int_equal(chdir(cwd), 0);
}

/* Under sudo everything belongs to the invoking user. */
static void test_chown(void **state)
{
	struct rundir *rd;
	struct stat st;
	int fd;

	(void)state;
	if (geteuid() != 0) {
		/* Unprivileged: giving away must fail cleanly and leave nothing. */
		rd = rundir__create(bt_scratch_path("own"), OTHER_ID, OTHER_ID, errbuf,
				    sizeof(errbuf));
		assert_null(rd);
		assert_non_null(strstr(errbuf, "cannot give '"));
		assert_int_equal(access(bt_scratch_path("own"), F_OK), -1);
		return;
	}
	rd = rundir__create(bt_scratch_path("own"), OTHER_ID, OTHER_ID, errbuf, sizeof(errbuf));
	if (!rd)
		fail_msg("%s", errbuf);
	assert_int_equal(stat(bt_scratch_path("own"), &st), 0);
	assert_int_equal(st.st_uid, OTHER_ID);
	assert_int_equal(st.st_gid, OTHER_ID);
	fd = rundir__open(rd, "samples.csv", 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(bt_scratch_path("own/samples.csv"), &st), 0);
	assert_int_equal(st.st_uid, OTHER_ID);
	assert_int_equal(st.st_gid, OTHER_ID);
	assert_int_equal(rundir__replace(rd, "meta.json", "{}", 2), 0);
	assert_int_equal(stat(bt_scratch_path("own/meta.json"), &st), 0);
	assert_int_equal(st.st_uid, OTHER_ID);
	assert_int_equal(st.st_gid, OTHER_ID);
	rundir__close(rd);

	/* Only the uid: the gid stays. */
	rd =
	    rundir__create(bt_scratch_path("own-uid"), OTHER_ID, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(stat(bt_scratch_path("own-uid"), &st), 0);
	assert_int_equal(st.st_uid, OTHER_ID);
	assert_int_equal(st.st_gid, getegid());
	rundir__close(rd);

	/* An existing empty directory keeps its owner; new files are given away. */
	assert_int_equal(mkdir(bt_scratch_path("own-existing"), 0755), 0);
	rd = rundir__create(bt_scratch_path("own-existing"), OTHER_ID, OTHER_ID, errbuf,
			    sizeof(errbuf));
	assert_non_null(rd);
	assert_int_equal(stat(bt_scratch_path("own-existing"), &st), 0);
	assert_int_equal(st.st_uid, 0);
	fd = rundir__open(rd, "a", 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(bt_scratch_path("own-existing/a"), &st), 0);
	assert_int_equal(st.st_uid, OTHER_ID);
	rundir__close(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_new), cmocka_unit_test(test_existing_empty_dir),
	    cmocka_unit_test(test_refusals),   cmocka_unit_test(test_permission_denied),
	    cmocka_unit_test(test_open_files), cmocka_unit_test(test_replace),
	    cmocka_unit_test(test_discard),    cmocka_unit_test(test_default_name),
	    cmocka_unit_test(test_reserve),    cmocka_unit_test(test_chown),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("rundir", tests, setup, bt_scratch_teardown);
}
