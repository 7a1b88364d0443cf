// SPDX-License-Identifier: GPL-2.0
/*
 * --btf: where /sys/kernel/btf is hidden (an empty tmpfs over it in a
 * private mount namespace, as a container does), a copy of the kernel's BTF
 * given with --btf lets benchtrace load, and what it records is as right as
 * anywhere.  The mount namespace it ran in keeps its mount table, and the
 * command runs there, not in the namespace benchtrace loads in.  Refusals
 * (no file, not BTF, another BTF) are rows of test_badinput.c's matrix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60.0

/*
 * Run in `unshare --mount` with the test directory as $1: hide the kernel's
 * BTF, note the mount table and namespace, run benchtrace ("$@", from the
 * test directory, so relative paths must still work after benchtrace came
 * back from its loading namespace), then note the mount table again.
 */
#define HIDE_BTF                                                                                   \
	"cd \"$1\" && shift && mount -t tmpfs -o ro,size=4k none /sys/kernel/btf || exit 99; "     \
	"cat /proc/self/mountinfo > mounts.before; readlink /proc/self/ns/mnt > ns.before; "       \
	"\"$@\"; s=$?; cat /proc/self/mountinfo > mounts.after; ls -A /sys/kernel/btf > "          \
	"btf.after; "                                                                              \
	"exit $s"

/* benchtrace ARGS... where /sys/kernel/btf is hidden; @report as for bt_spawn(). */
static void run_hidden(struct bt_ctx *c, const char *report, const char *const args[])
{
	const char *argv[48] = {"/usr/bin/unshare",
				"--mount",
				"--propagation=private",
				"/bin/sh",
				"-c",
				HIDE_BTF,
				"sh",
				c->tmp.dir,
				bt_benchtrace()};
	struct bt_proc p;
	int n = 9, i;

	for (i = 0; args[i] && n < 47; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(bt_spawn(&p, report, argv), 0);
	assert_int_equal(bt_wait(&p, &c->res, RUN_TIMEOUT_S), 0);
	show_stderr(&c->res);
	if (c->res.timed_out || c->res.status != 0)
		fail_msg("benchtrace --btf where BTF is hidden: exit %d, want 0", c->res.status);
}

/* A file of the test directory, NUL-terminated ("" for an empty file). */
static char *tmp_file(struct bt_ctx *c, const char *name)
{
	char path[BT_PATH_MAX];

	return bt_read_file(bt_tmp_path(&c->tmp, name, path), NULL);
}

/* The copy of the kernel's BTF a user would bring into a container. */
static void copy_kernel_btf(struct bt_ctx *c)
{
	char path[BT_PATH_MAX], *btf;
	size_t len;

	btf = bt_read_file("/sys/kernel/btf/vmlinux", &len);
	assert_true(len > 1000);
	bt_write_file(bt_tmp_path(&c->tmp, "vmlinux.btf", path), btf, len);
	free(btf);
}

/* The mount table before and after are the same, and BTF stayed hidden. */
static void expect_mounts_unchanged(struct bt_ctx *c)
{
	char *before = tmp_file(c, "mounts.before"), *after = tmp_file(c, "mounts.after");
	char *btf = tmp_file(c, "btf.after");

	print_message("mount table: %d lines before, %d after; /sys/kernel/btf after: '%s'\n",
		      bt_count_lines(before), bt_count_lines(after), btf);
	assert_true(bt_count_lines(before) > 3);
	assert_string_equal(before, after);
	assert_string_equal(btf, ""); /* the private copy never showed here */
	free(before);
	free(after);
	free(btf);
}

/* This process's mount table (a /proc file: its size says 0, read to EOF). */
static char *own_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	size_t len = 0, cap = 1 << 16, n;
	char *buf = malloc(cap);

	assert_non_null(f);
	assert_non_null(buf);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[len] = '\0';
	assert_true(bt_count_lines(buf) > 3);
	return buf;
}

/* cpu_burn's CPU time, traced with the BTF from a file, is its rusage. */
static void test_btf_file_traces_cpu_time(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], err[1024], *mounts = own_mounts(), *now;
	unsigned long long pid, utime, stime;
	const char *args[] = {"-q",  "--btf", "vmlinux.btf",
			      "-i",  "50ms",  "-o",
			      "run", "--",    bt_workload(wl, "cpu_burn"),
			      "0.5", NULL};

	bt_require_bpf();
	copy_kernel_btf(c);
	run_hidden(c, c->tmp.report, args);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "pid", &pid), 0);
	assert_int_equal(bt_report_get(&c->rep, "utime_ns", &utime), 0);
	assert_int_equal(bt_report_get(&c->rep, "stime_ns", &stime), 0);
	if (bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err)))
		fail_msg("run directory %s: %s", c->tmp.run_dir, err);
	assert_true(utime + stime >= 0.45e9);
	expect_close("cpu", "rusage", "s", 1e9, bt_samples_sum(&c->rd, pid, "cpu_ns"),
		     utime + stime, 0.05, 0);
	expect_mounts_unchanged(c);
	now = own_mounts();
	assert_string_equal(mounts, now);
	free(mounts);
	free(now);
}

/*
 * -u with the BTF from a file: every call counted.  The command runs in
 * the namespace benchtrace was started in (where BTF is hidden), not in
 * the one it loaded in.
 */
static void test_btf_file_counts_calls(void **state)
{
	struct bt_ctx *c = *state;
	char calls[BT_PATH_MAX], spec[BT_PATH_MAX + 8], cmd[BT_PATH_MAX + 200], err[1024];
	char path[BT_PATH_MAX + 32], *ns_before, *ns_cmd, *btf_cmd;
	const char *args[] = {"-q",  "--btf", "vmlinux.btf", "-u", spec, "-o",
			      "run", "--",    "/bin/sh",     "-c", cmd,	 NULL};
	struct csv_table *t;
	int i, row = -1;

	bt_require_bpf();
	copy_kernel_btf(c);
	bt_workload(calls, "calls");
	snprintf(spec, sizeof(spec), "%s:fib", calls);
	snprintf(cmd, sizeof(cmd),
		 "readlink /proc/self/ns/mnt > ns.cmd; ls -A /sys/kernel/btf > btf.cmd; "
		 "exec '%s' fib 20",
		 calls);
	run_hidden(c, NULL, args);

	snprintf(path, sizeof(path), "%s/functions.csv", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s: %s", path, err);
	for (i = 0; i < csv_table__rows(t); i++)
		if (!strcmp(csv_table__get(t, i, csv_table__col(t, "func")), "fib"))
			row = i;
	assert_true(row >= 0);
	/* naive fib(20): C(n) = C(n-1) + C(n-2) + 1, C(0) = C(1) = 1 */
	print_message("fib(20): %llu calls\n",
		      (unsigned long long)csv_table__u64(t, row, csv_table__col(t, "calls")));
	assert_int_equal(csv_table__u64(t, row, csv_table__col(t, "calls")), 21891);
	csv_table__free(t);

	ns_before = tmp_file(c, "ns.before");
	ns_cmd = tmp_file(c, "ns.cmd");
	btf_cmd = tmp_file(c, "btf.cmd");
	print_message("namespace: shell %.*s, command %s", (int)strcspn(ns_before, "\n"), ns_before,
		      ns_cmd);
	assert_true(strlen(ns_before) > 4);
	assert_string_equal(ns_before, ns_cmd);
	assert_string_equal(btf_cmd, "");
	free(ns_before);
	free(ns_cmd);
	free(btf_cmd);
	expect_mounts_unchanged(c);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_btf_file_traces_cpu_time),
	    T(test_btf_file_counts_calls),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
