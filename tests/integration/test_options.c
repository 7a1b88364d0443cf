// SPDX-License-Identifier: GPL-2.0
/*
 * Integration tests of the options and modes around the core accounting:
 * the auto interval, -z, --user under sudo, --no-children, several -p
 * targets, -q, and the start-up refusals that need a real process (a
 * zombie target, a kernel thread).  Real BPF, real workloads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "rundir/csvread.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60.0
#define T(fn) cmocka_unit_test_setup_teardown(fn, bt_ctx_setup, bt_ctx_teardown)


static void expect_status(struct bt_ctx *c, int want, const char *what)
{
	if (c->res.timed_out || c->res.status != want)
		fail_msg("%s: benchtrace exit %d, want %d; stderr: %s", what, c->res.status, want,
			 c->res.err);
}

static void load_run(struct bt_ctx *c)
{
	char err[1024];

	if (bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err)))
		fail_msg("run directory: %s (stderr: %s)", err, c->res.err);
}

static pid_t start_sleeper(const char *seconds)
{
	char wl[BT_PATH_MAX];
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl(bt_workload(wl, "sleeper"), "sleeper", seconds, (char *)NULL);
		_exit(127);
	}
	bt_sleep_ms(50); /* let it exec, so /proc shows the sleeper */
	return pid;
}

/* Default interval: 10 ms doubling after 1000 samples, each change logged. */
static void test_auto_interval_doubles_after_1000_samples(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], detail[64] = "";
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "sleeper"), "12",
			      NULL};
	int col, i, rows, pid = -1, before = 0, after = 0;
	double t_change = -1, t, t_last = 0, want;

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	expect_status(c, 0, "auto interval");
	load_run(c);

	assert_int_equal(bt_events_count(&c->rd, -1, "interval", NULL), 1);
	bt_events_detail(&c->rd, -1, "interval", detail, sizeof(detail));
	assert_string_equal(detail, "20ms");
	col = csv_table__col(c->rd.events, "event");
	for (i = 0; i < csv_table__rows(c->rd.events); i++)
		if (!strcmp(csv_table__get(c->rd.events, i, col), "interval"))
			t_change = csv_table__f64(c->rd.events, i, 0);
	/* 1000 samples at 10 ms: the change comes after ~10 s (timer slack
	 * and a loaded machine only make it later) */
	print_message("interval: changed to %s at t=%.3f s\n", detail, t_change);
	assert_true(t_change >= 9.99);

	rows = csv_table__rows(c->rd.samples);
	pid = csv_table__u64(c->rd.samples, 0, csv_table__col(c->rd.samples, "pid"));
	for (i = 0; i < rows; i++) {
		t = csv_table__f64(c->rd.samples, i, 0);
		if (t <= t_change)
			before++;
		else
			after++;
		if (t > t_last)
			t_last = t;
	}
	/* what is left after the change, at 20 ms: never the twice as many
	 * rows that 10 ms would give (late ticks only give fewer) */
	want = (t_last - t_change) / 0.020;
	print_message("samples: %d rows up to the change, %d after in %.3f s (20 ms: %.0f; pid "
		      "%d)\n",
		      before, after, t_last - t_change, want, pid);
	assert_int_equal(before, 1000);
	assert_true(after >= 1);
	assert_true(after <= want * 1.25 + 3);
}

/* -z: gzip-compressed logs that read back row for row. */
static void test_gzip_logs_read_back(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], path[BT_PATH_MAX + 32], err[256];
	const char *args[] = {"-q", "-z",  "-i", "10ms", "-o", c->tmp.run_dir, "--",
			      bt_workload(wl, "cpu_burn"), "0.3", NULL};
	struct csv_table *t;
	struct stat st;
	__u64 cpu = 0;
	int i, col;

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	expect_status(c, 0, "-z");
	snprintf(path, sizeof(path), "%s/samples.csv", c->tmp.run_dir);
	assert_int_not_equal(stat(path, &st), 0); /* only the .gz */
	snprintf(path, sizeof(path), "%s/samples.csv.gz", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s: %s", path, err);
	assert_int_equal(csv_table__truncated(t), 0);
	assert_true(csv_table__rows(t) >= 20);
	col = csv_table__col(t, "cpu_ns");
	assert_true(col >= 0);
	for (i = 0; i < csv_table__rows(t); i++)
		cpu += csv_table__u64(t, i, col);
	csv_table__free(t);
	print_message("gzip: cpu %.3f s in %s\n", cpu / 1e9, path);
	assert_true(cpu > 250000000ULL && cpu < 400000000ULL);
	snprintf(path, sizeof(path), "%s/events.csv.gz", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s: %s", path, err);
	assert_true(csv_table__rows(t) >= 2); /* exec and exit */
	csv_table__free(t);
}

/* Under sudo the command runs as the invoking user, and the files are theirs. */
static void test_sudo_user_runs_command_and_owns_files(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], report[BT_PATH_MAX], meta[BT_PATH_MAX + 32], target[4096];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "exit_with"), "0",
			      NULL};
	struct stat st;

	bt_require_bpf();
	/* the workload must be able to write its report as that user */
	assert_int_equal(chmod(c->tmp.dir, 0777), 0);
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	bt_runv(&c->res, bt_tmp_path(&c->tmp, "report", report), RUN_TIMEOUT_S, args);
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	expect_status(c, 0, "sudo");

	assert_int_equal(stat(report, &st), 0); /* written by the command itself */
	print_message("command ran as uid %u gid %u\n", st.st_uid, st.st_gid);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
	assert_int_equal(stat(c->tmp.run_dir, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	snprintf(meta, sizeof(meta), "%s/meta.json", c->tmp.run_dir);
	assert_int_equal(stat(meta, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	/* the target is the command, not the benchtrace copy it was forked as */
	assert_int_equal(bt_json_get(meta, "target", target, sizeof(target)), 0);
	assert_non_null(strstr(target, "\"comm\": \"exit_with\""));
	assert_null(strstr(target, "\"comm\": \"benchtrace\""));
}

/*
 * -d leaves the command running untraced (detached); with --kill-command
 * it ends with the tracing: SIGTERM, and that is its recorded outcome.
 */
static void test_kill_command_ends_it_with_the_tracing(void **state)
{
	struct bt_ctx *c = *state;
	char out[64], wl[BT_PATH_MAX];
	const char *args[] = {"-q", "-d", "300ms", "--kill-command", "-o", c->tmp.run_dir, "--",
			      bt_workload(wl, "sleeper"), "30", NULL};
	const char *pid_mode[] = {"-q", "--kill-command", "-o", c->tmp.run_dir, "-p", "1", NULL};
	int pid;

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	expect_status(c, 128 + SIGTERM, "-d --kill-command");
	load_run(c);
	assert_int_equal(bt_json_get(c->rd.meta, "outcome", out, sizeof(out)), 0);
	assert_string_equal(out, "killed");
	pid = csv_table__u64(c->rd.samples, 0, csv_table__col(c->rd.samples, "pid"));
	assert_false(bt_pid_alive(pid));
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, pid_mode);
	assert_int_equal(c->res.status, 2);
	assert_non_null(strstr(c->res.err, "--kill-command applies only"));
}

/*
 * Low open-file and address-space limits: below what start-up needs, one
 * line naming the ulimit option, before anything starts (they were "pipe:
 * Too many open files", "BTF hidden", a ring buffer failing after the
 * command started); above, benchtrace raises its own as far as it may, and
 * the command keeps the limits it was given.
 */
static void test_resource_limits(void **state)
{
	struct bt_ctx *c = *state;
	char script[3 * BT_PATH_MAX], out[BT_PATH_MAX], dir[BT_PATH_MAX], *seen;
	const char *low[] = {"/bin/sh", "-c", script, NULL};
	struct bt_proc p;

	bt_require_bpf();
	snprintf(script, sizeof(script), "ulimit -n 20; exec '%s' -q -o '%s' -- /bin/true",
		 bt_benchtrace(), c->tmp.run_dir);
	assert_int_equal(bt_spawn(&p, NULL, low), 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	print_message("ulimit -n 20: exit %d, %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "ulimit -n"));

	bt_tmp_path(&c->tmp, "limit", out);
	snprintf(script, sizeof(script),
		 "ulimit -n 100; exec '%s' -q -o '%s' -- /bin/sh -c 'ulimit -n > %s'",
		 bt_benchtrace(), c->tmp.run_dir, out);
	assert_int_equal(bt_spawn(&p, NULL, low), 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	print_message("ulimit -n 100: exit %d, %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 0);
	seen = bt_read_file(out, NULL);
	assert_non_null(seen);
	assert_string_equal(seen, "100\n");
	free(seen);

	/* address space: at 40 MB the ring buffer failed after the command
	 * started.  An ASan benchtrace maps terabytes of shadow memory and
	 * cannot start under any such limit: the plain build's run checks it. */
	snprintf(dir, sizeof(dir), "%s/.sanitized", bt_build_dir());
	if (!access(dir, F_OK)) {
		print_message("ASan build: the address-space limit is the plain build's to check\n");
		return;
	}
	bt_tmp_path(&c->tmp, "run-v", dir);
	snprintf(script, sizeof(script), "ulimit -v 40000; exec '%s' -q -o '%s' -- /bin/true",
		 bt_benchtrace(), dir);
	assert_int_equal(bt_spawn(&p, NULL, low), 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	print_message("ulimit -v 40000: exit %d, %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "ulimit -v"));
	assert_int_not_equal(access(dir, F_OK), 0);
	/* a soft limit alone is raised for benchtrace, and kept for the command */
	unlink(out);
	snprintf(script, sizeof(script),
		 "ulimit -Sv 40000; exec '%s' -q -o '%s' -- /bin/sh -c 'ulimit -Sv > %s'",
		 bt_benchtrace(), dir, out);
	assert_int_equal(bt_spawn(&p, NULL, low), 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	assert_int_equal(c->res.status, 0);
	seen = bt_read_file(out, NULL);
	assert_non_null(seen);
	assert_string_equal(seen, "40000\n");
	free(seen);
}

/* --no-children: the forked children get no rows; without it they do. */
static void test_no_children_traces_only_the_command(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {"-q", "--no-children", "-i", "50ms", "-o", c->tmp.run_dir, "--",
			      bt_workload(wl, "forker"), "3", NULL};
	int i, col, pid0, others = 0;

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	expect_status(c, 0, "--no-children");
	load_run(c);
	col = csv_table__col(c->rd.samples, "pid");
	pid0 = csv_table__u64(c->rd.samples, 0, col);
	for (i = 0; i < csv_table__rows(c->rd.samples); i++)
		others += (int)csv_table__u64(c->rd.samples, i, col) != pid0;
	assert_int_equal(others, 0);
	assert_int_equal(bt_events_count(&c->rd, -1, "fork", NULL), 0);
	assert_true(bt_samples_sum(&c->rd, pid0, "cpu_ns") < 40000000ULL); /* not the kids' 60 ms */
}

/* A process that exits once file @go exists (checked every 10 ms). */
static pid_t start_waiter(const char *go)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.01; done", go,
		      (char *)NULL);
		_exit(127);
	}
	bt_sleep_ms(50);
	return pid;
}

/* The last t_s samples.csv (flushed each second) holds for @pid so far, or -1. */
static double last_row(const char *run_dir, int pid)
{
	char path[BT_PATH_MAX + 16], err[256];
	struct csv_table *t;
	double last = -1;
	int i, pc;

	snprintf(path, sizeof(path), "%s/samples.csv", run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		return -1;
	pc = csv_table__col(t, "pid");
	for (i = 0; i < csv_table__rows(t); i++)
		if ((int)csv_table__u64(t, i, pc) == pid)
			last = csv_table__f64(t, i, 0);
	csv_table__free(t);
	return last;
}

/*
 * -p A,B: both traced until the last exits.  The two end when told (a
 * file each), only once benchtrace is tracing them, and B only once a
 * row of its own is on disk after A's end: no start-up, however slow on a
 * loaded machine (an ASan benchtrace under stress-ng took longer than a
 * 0.6 s sleeper lived), and no tick however late, is taken for missing.
 */
static void test_two_pids_traced_until_both_exit(void **state)
{
	struct bt_ctx *c = *state;
	char list[64], go_a[BT_PATH_MAX], go_b[BT_PATH_MAX];
	const char *argv[] = {bt_benchtrace(), "-q", "-i", "100ms", "-o", c->tmp.run_dir, "-p",
			      list, NULL};
	int i, pc, b_ticks_while_a = 0;
	double t_exit_a, t0, t_a;
	struct bt_proc p;
	pid_t a, b;

	bt_require_bpf();
	bt_tmp_path(&c->tmp, "go-a", go_a);
	bt_tmp_path(&c->tmp, "go-b", go_b);
	a = start_waiter(go_a);
	b = start_waiter(go_b);
	snprintf(list, sizeof(list), "%d,%d", a, b);
	assert_int_equal(bt_spawn(&p, NULL, argv), 0);
	t0 = bt_now();
	while ((last_row(c->tmp.run_dir, a) < 0 || last_row(c->tmp.run_dir, b) < 0) &&
	       bt_now() - t0 < 60)
		bt_sleep_ms(50);
	bt_write_text(c->tmp.dir, "go-a", "");
	waitpid(a, NULL, 0);
	t_a = last_row(c->tmp.run_dir, a);
	t0 = bt_now();
	/* a row of B's own after A's end (rows reach the disk each second) */
	while (last_row(c->tmp.run_dir, b) <= t_a + 0.1 && bt_now() - t0 < 60)
		bt_sleep_ms(50);
	bt_write_text(c->tmp.dir, "go-b", "");
	waitpid(b, NULL, 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	expect_status(c, 0, "-p A,B");
	load_run(c);
	t_exit_a = bt_events_time(&c->rd, a, "exit");
	pc = csv_table__col(c->rd.samples, "pid");
	for (i = 0; i < csv_table__rows(c->rd.samples); i++)
		if ((int)csv_table__u64(c->rd.samples, i, pc) == b &&
		    csv_table__f64(c->rd.samples, i, 0) < t_exit_a)
			b_ticks_while_a++;
	print_message("rows: %d for %d (exit at %.3f s), %d for %d; %d ticks while both ran\n",
		      bt_samples_rows(&c->rd, a), a, t_exit_a, bt_samples_rows(&c->rd, b), b,
		      b_ticks_while_a);
	/* as many ticks as the tracer made while both ran, then a's last row
	 * at its exit; b had rows after a's end, and its own last one */
	assert_true(t_exit_a > 0);
	assert_true(bt_samples_rows(&c->rd, a) >= b_ticks_while_a);
	assert_true(bt_samples_rows(&c->rd, a) >= 1);
	assert_true(bt_samples_rows(&c->rd, b) > bt_samples_rows(&c->rd, a));
	assert_int_equal(bt_events_count(&c->rd, a, "exit", "code=0"), 1);
	assert_int_equal(bt_events_count(&c->rd, b, "exit", "code=0"), 1);
}

/* A zombie has already exited: refused like a target that exits during start-up. */
static void test_zombie_target_exited_during_startup(void **state)
{
	struct bt_ctx *c = *state;
	char pidstr[32];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-p", pidstr, NULL};
	pid_t z = fork();

	bt_require_bpf();
	assert_true(z >= 0);
	if (z == 0)
		_exit(3);
	bt_sleep_ms(50); /* now a zombie: exited, not reaped */
	snprintf(pidstr, sizeof(pidstr), "%d", z);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	waitpid(z, NULL, 0);
	print_message("zombie: exit %d, stderr: %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "exited"));
	assert_int_not_equal(access(c->tmp.run_dir, F_OK), 0); /* no run directory left */
}

/* The raw_tp fallback counts the same as tp_btf. */
static void test_raw_tp_fallback_counts_the_same(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], report[BT_PATH_MAX], feat[1024] = "";
	const char *args[] = {"-q", "-i", "50ms", "-o", c->tmp.run_dir, "--",
			      bt_workload(wl, "forker"), "2", NULL};
	struct bt_report rep;
	unsigned long long truth = 0, stime = 0, pid = 0;
	double traced;
	int i, col;

	bt_require_bpf();
	setenv("BENCHTRACE_RAW_TP", "1", 1);
	bt_runv(&c->res, bt_tmp_path(&c->tmp, "report", report), RUN_TIMEOUT_S, args);
	unsetenv("BENCHTRACE_RAW_TP");
	expect_status(c, 0, "raw_tp");
	load_run(c);
	assert_int_equal(bt_json_get(c->rd.meta, "kernel_features", feat, sizeof(feat)), 0);
	assert_non_null(strstr(feat, "\"tracepoints\": \"raw_tp\""));
	assert_int_equal(bt_report_load(&rep, report), 0);
	assert_int_equal(bt_report_get(&rep, "pid", &pid), 0);
	assert_int_equal(bt_report_get(&rep, "children_utime_ns", &truth), 0);
	assert_int_equal(bt_report_get(&rep, "children_stime_ns", &stime), 0);
	truth += stime;
	/* the children were followed (fork handler) and their exits seen */
	assert_int_equal(bt_events_count(&c->rd, -1, "fork", NULL), 2);
	assert_int_equal(bt_events_count(&c->rd, -1, "exit", NULL), 3);
	col = csv_table__col(c->rd.samples, "pid");
	traced = 0;
	for (i = 0; i < csv_table__rows(c->rd.samples); i++)
		if (csv_table__u64(c->rd.samples, i, col) != pid)
			traced += csv_table__u64(c->rd.samples, i,
						 csv_table__col(c->rd.samples, "cpu_ns"));
	print_message("raw_tp: children cpu traced %.3f ms vs rusage %.3f ms\n", traced / 1e6,
		      truth / 1e6);
	assert_true(truth > 30000000ULL);
	assert_true(traced > truth * 0.95 - 4e6 && traced < truth * 1.05 + 4e6);
}

/* OOM-killed inside a memory cgroup: outcome oom_killed, an oom_kill event, 137. */
static void test_oom_kill_is_reported(void **state)
{
	struct bt_ctx *c = *state;
	char cg[BT_PATH_MAX], wl[BT_PATH_MAX], script[2 * BT_PATH_MAX + 64], out[64] = "";
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", "/bin/sh", "-c", script, NULL};

	bt_require_bpf();
	if (bt_memcg_make(cg, sizeof(cg), 64 << 20))
		skip(); /* no memory controller: not a BPF question */
	snprintf(script, sizeof(script), "echo $$ > %s/cgroup.procs && exec %s 256 100 10 10", cg,
		 bt_workload(wl, "rss_spike"));
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	bt_memcg_remove(cg);
	expect_status(c, 128 + SIGKILL, "OOM kill");
	load_run(c);
	assert_int_equal(bt_json_get(c->rd.meta, "outcome", out, sizeof(out)), 0);
	print_message("oom: outcome %s, exit %d\n", out, c->res.status);
	assert_string_equal(out, "oom_killed");
	assert_int_equal(bt_events_count(&c->rd, -1, "oom_kill", NULL), 1);
	assert_int_equal(bt_events_count(&c->rd, -1, "exit", "signal=9"), 1);
}

/*
 * -a: everything, through the all-task walk; a process started after
 * tracing began is followed from its parent and counted in full.
 */
static void test_all_mode_follows_new_processes(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], report[BT_PATH_MAX];
	/* stopped by SIGINT once the workload is done: a -d window could end
	 * before a loaded machine had given the workload its second of CPU */
	const char *args[] = {bt_benchtrace(), "-q", "-a", "-i", "100ms", "-o", c->tmp.run_dir,
			      NULL};
	const char *burn[] = {"cpu_burn", "1", NULL};
	unsigned long long pid = 0, ut = 0, st = 0;
	struct bt_report rep;
	struct bt_proc bt, w;
	int pids = 0, i, col;

	bt_require_bpf();
	assert_int_equal(bt_spawn(&bt, NULL, args), 0);
	/* meta.json is written once everything is attached: tracing has started
	 * (a fixed sleep was too short for the sanitizer build on a busy machine) */
	bt_tmp_path(&c->tmp, "run/meta.json", report);
	for (i = 0; i < 1000 && access(report, F_OK); i++)
		bt_sleep_ms(10);
	assert_int_equal(access(report, F_OK), 0);
	setenv("BT_REPORT", bt_tmp_path(&c->tmp, "report", report), 1);
	bt_workload(wl, "cpu_burn");
	burn[0] = wl;
	w.pid = fork();
	assert_true(w.pid >= 0);
	if (w.pid == 0) {
		execv(wl, (char *const *)burn);
		_exit(127);
	}
	unsetenv("BT_REPORT");
	waitpid(w.pid, NULL, 0);
	bt_sleep_ms(300); /* a few samples after its exit */
	assert_int_equal(kill(bt.pid, SIGINT), 0);
	assert_int_equal(bt_wait(&bt, &c->res, RUN_TIMEOUT_S), 0);
	expect_status(c, 0, "-a");
	load_run(c);
	assert_int_equal(bt_report_load(&rep, report), 0);
	assert_int_equal(bt_report_get(&rep, "pid", &pid), 0);
	assert_int_equal(bt_report_get(&rep, "utime_ns", &ut), 0);
	assert_int_equal(bt_report_get(&rep, "stime_ns", &st), 0);
	col = csv_table__col(c->rd.samples, "pid");
	for (i = 0; i < csv_table__rows(c->rd.samples); i++)
		pids += csv_table__u64(c->rd.samples, i, col) == 1; /* init is traced */
	print_message("-a: cpu_burn traced %.3f s vs rusage %.3f s; %d rows for init\n",
		      bt_samples_sum(&c->rd, pid, "cpu_ns") / 1e9, (ut + st) / 1e9, pids);
	assert_true(pids >= 10);
	assert_true(ut + st > 900000000ULL);
	assert_true(fabs((double)bt_samples_sum(&c->rd, pid, "cpu_ns") - (ut + st)) <
		    0.05 * (ut + st));
	assert_int_equal(bt_events_count(&c->rd, pid, "exit", "code=0"), 1);
}

/* kB of a /proc/PID/status field, or -1 */
static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kb;
}

/*
 * RSS levels are exact: an idle process's rows equal what /proc/PID/status
 * (which sums the per-CPU counter parts since v6.16) says, to the kB.
 */
static void test_rss_levels_match_proc_status(void **state)
{
	struct bt_ctx *c = *state;
	char pidstr[32];
	const char *args[] = {"-q", "-i", "100ms", "-d", "400ms", "-o", c->tmp.run_dir, "-p", pidstr,
			      NULL};
	pid_t s = start_sleeper("3");
	long anon, file, shmem;
	int n;

	bt_require_bpf();
	bt_sleep_ms(200); /* settled: the sleeper touches no memory from now on */
	anon = status_kb(s, "RssAnon");
	file = status_kb(s, "RssFile");
	shmem = status_kb(s, "RssShmem");
	assert_true(anon > 0 && file > 0 && shmem >= 0);
	snprintf(pidstr, sizeof(pidstr), "%d", s);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	kill(s, SIGKILL);
	waitpid(s, NULL, 0);
	expect_status(c, 0, "-p sleeper");
	load_run(c);
	n = bt_samples_rows(&c->rd, s);
	assert_true(n >= 2);
	print_message("rss: anon %llu vs RssAnon %ld kB, file %llu vs RssFile %ld kB\n",
		      bt_samples_max(&c->rd, s, "rss_anon_bytes") / 1024, anon,
		      bt_samples_max(&c->rd, s, "rss_file_bytes") / 1024, file);
	assert_int_equal(bt_samples_max(&c->rd, s, "rss_anon_bytes"), anon * 1024);
	assert_int_equal(bt_samples_max(&c->rd, s, "rss_file_bytes"), file * 1024);
	assert_int_equal(bt_samples_max(&c->rd, s, "rss_shmem_bytes"), shmem * 1024);
	assert_int_equal(bt_samples_max(&c->rd, s, "rss_bytes"), (anon + file + shmem) * 1024);
}

/*
 * The first row is the command's own memory, not that of the benchtrace
 * copy it was forked from (which the priming pass saw before exec).
 */
static void test_first_row_reads_the_command_after_exec(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {"-q", "-i", "10ms", "-o", c->tmp.run_dir, "--",
			      bt_workload(wl, "cpu_burn"), "0.2", NULL};
	unsigned long long first, later = 0;
	int i, col;

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	expect_status(c, 0, "cpu_burn");
	load_run(c);
	col = csv_table__col(c->rd.samples, "rss_anon_bytes");
	assert_true(csv_table__rows(c->rd.samples) >= 10);
	first = csv_table__u64(c->rd.samples, 0, col);
	/* cpu_burn's memory is settled after exec; the exit row reads 0 */
	for (i = 1; i < csv_table__rows(c->rd.samples) - 1; i++)
		if (csv_table__u64(c->rd.samples, i, col) > later)
			later = csv_table__u64(c->rd.samples, i, col);
	print_message("first row anon %llu, later rows at most %llu\n", first, later);
	assert_true(first > 0 && first <= later);
}

/* -q: nothing on stderr; without it, the summary names the outcome. */
/*
 * On a terminal the status line is rewritten every second: a run of about
 * 2.5 s shows it at 1 s and at 2 s (seen on a pseudo-terminal).
 */
/*
 * Everything the program on the pty's other side writes until it closes
 * it, malloc'ed; each chunk also through fn (NULL: none) as it comes.
 */
static char *pty_read_all(int master, size_t *lenp, void (*fn)(void *ctx, const char *p, size_t n),
			  void *ctx)
{
	char buf[4096], *out = NULL;
	size_t len = 0;

	for (;;) {
		struct pollfd pfd = {.fd = master, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, RUN_TIMEOUT_S * 1000) <= 0)
			break;
		n = read(master, buf, sizeof(buf));
		if (n <= 0) /* EIO once the child side is closed */
			break;
		out = realloc(out, len + (size_t)n + 1);
		assert_non_null(out);
		memcpy(out + len, buf, (size_t)n);
		len += (size_t)n;
		out[len] = '\0';
		if (fn)
			fn(ctx, buf, (size_t)n);
	}
	*lenp = len;
	return out;
}

static void test_status_line_updates_on_a_terminal(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], *out = NULL;
	size_t len = 0;
	int master, status = -1;
	pid_t pid;

	bt_require_bpf();
	bt_workload(wl, "sleeper");
	pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(bt_benchtrace(), bt_benchtrace(), "-o", c->tmp.run_dir, "--", wl, "2.5",
		      (char *)NULL);
		_exit(127);
	}
	out = pty_read_all(master, &len, NULL, NULL);
	close(master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_non_null(out);
	print_message("terminal output: %zu bytes\n", len);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* each update starts with "\r", clears the line and names the elapsed time */
	if (!strstr(out, "benchtrace     1.0s") || !strstr(out, "benchtrace     2.0s"))
		fail_msg("no status line at 1 s and at 2 s in:\n%s", out);
	assert_non_null(strstr(out, "completed (exit code 0)"));
	free(out);
}

/*
 * A terminal of ROWS x COLS as far as benchtrace and sh use it: text,
 * CR, LF, save/restore cursor, cursor moves, erase line and a scroll
 * region.  Lines scrolled off the top are kept, in order.
 */
#define ROWS 24
#define COLS 80
struct term {
	char cell[ROWS][COLS + 1];
	int row, col, top, bottom, srow, scol;
	char (*gone)[COLS + 1];
	int ngone;
};

static void term_scroll(struct term *t)
{
	int r;

	if (t->top == 0) {
		t->gone = realloc(t->gone, (t->ngone + 1) * sizeof(*t->gone));
		assert_non_null(t->gone);
		memcpy(t->gone[t->ngone++], t->cell[0], COLS + 1);
	}
	for (r = t->top; r < t->bottom; r++)
		memcpy(t->cell[r], t->cell[r + 1], COLS + 1);
	memset(t->cell[t->bottom], ' ', COLS);
}

static void term_feed(struct term *t, const char *p, size_t n)
{
	const char *end = p + n;
	int a[4], na, r;

	while (p < end) {
		if (*p == '\033' && p + 1 < end && (p[1] == '7' || p[1] == '8')) {
			if (p[1] == '7') {
				t->srow = t->row;
				t->scol = t->col;
			} else {
				t->row = t->srow;
				t->col = t->scol;
			}
			p += 2;
		} else if (*p == '\033' && p + 1 < end && p[1] == '[') {
			p += 2;
			na = 0;
			a[0] = a[1] = 0;
			while (p < end && (isdigit((unsigned char)*p) || *p == ';' || *p == '?')) {
				if (*p == ';' && na < 3)
					a[++na] = 0;
				else if (isdigit((unsigned char)*p))
					a[na] = a[na] * 10 + (*p - '0');
				p++;
			}
			if (p >= end)
				break;
			switch (*p++) {
			case 'A':
				t->row -= a[0] ? a[0] : 1;
				if (t->row < 0)
					t->row = 0;
				break;
			case 'H':
				t->row = (a[0] ? a[0] : 1) - 1;
				t->col = (na && a[1] ? a[1] : 1) - 1;
				break;
			case 'K':
				for (r = a[0] == 2 ? 0 : t->col; r < COLS; r++)
					t->cell[t->row][r] = ' ';
				break;
			case 'r':
				t->top = na ? a[0] - 1 : 0;
				t->bottom = na ? a[1] - 1 : ROWS - 1;
				t->row = t->col = 0;
				break;
			}
		} else if (*p == '\r') {
			t->col = 0;
			p++;
		} else if (*p == '\n') {
			if (t->row == t->bottom)
				term_scroll(t);
			else if (t->row < ROWS - 1)
				t->row++;
			p++;
		} else {
			if (t->col >= COLS) {
				t->col = 0;
				if (t->row == t->bottom)
					term_scroll(t);
				else if (t->row < ROWS - 1)
					t->row++;
			}
			if ((unsigned char)*p >= ' ')
				t->cell[t->row][t->col++] = *p;
			p++;
		}
	}
}

/* Row text without its trailing blanks. */
static const char *term_line(char *buf, const char *cells)
{
	int n = COLS;

	memcpy(buf, cells, COLS);
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	return buf;
}

/*
 * On a terminal of known size the status line keeps to the last row and
 * the command's own output scrolls above it: they never share a line,
 * whatever the timing.
 */
/* pty_read_all() callback: the terminal model, and whether the status
 * row holds the status line each time */
struct feed_ctx {
	struct term *t;
	int statuses;
};

static void feed(void *ctx, const char *p, size_t n)
{
	struct feed_ctx *fc = ctx;
	char line[COLS + 1];

	term_feed(fc->t, p, n);
	term_line(line, fc->t->cell[ROWS - 1]);
	fc->statuses += !strncmp(line, "benchtrace ", 11);
}

static void test_status_line_never_shares_a_line_with_the_command(void **state)
{
	struct bt_ctx *c = *state;
	struct winsize ws = {.ws_row = ROWS, .ws_col = COLS};
	char line[COLS + 1], want[32], *out = NULL;
	struct term t = {.bottom = ROWS - 1};
	struct feed_ctx fc = {.t = &t};
	int master, status = -1, i, r, found;
	size_t len = 0;
	pid_t pid;

	bt_require_bpf();
	for (r = 0; r < ROWS; r++) {
		memset(t.cell[r], ' ', COLS);
		t.cell[r][COLS] = 0;
	}
	pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(bt_benchtrace(), bt_benchtrace(), "-o", c->tmp.run_dir, "--", "/bin/sh", "-c",
		      "i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo line$i; sleep 0.1; done",
		      (char *)NULL);
		_exit(127);
	}
	out = pty_read_all(master, &len, feed, &fc);
	close(master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("%zu bytes; %d lines scrolled off; status row seen drawn %d times\n", len,
		      t.ngone, fc.statuses);
	/* every line the command wrote is whole, on a row of its own */
	for (i = 1; i <= 40; i++) {
		snprintf(want, sizeof(want), "line%d", i);
		found = 0;
		for (r = 0; r < t.ngone && !found; r++)
			found = !strcmp(term_line(line, t.gone[r]), want);
		for (r = 0; r < ROWS && !found; r++)
			found = !strcmp(term_line(line, t.cell[r]), want);
		if (!found)
			fail_msg("'%s' is not alone on any row of the terminal", want);
	}
	for (r = 0; r < ROWS; r++)
		if (strstr(term_line(line, t.cell[r]), "line") &&
		    strstr(term_line(line, t.cell[r]), "benchtrace  "))
			fail_msg("row %d mixes the command's output and the status: %s", r, line);
	assert_true(fc.statuses >= 1);
	assert_non_null(strstr(out, "\033[1;23r")); /* the region above the last row */
	free(t.gone);
	free(out);
}

static void test_quiet_and_summary(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], dir2[BT_PATH_MAX];
	const char *quiet[] = {"-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "exit_with"), "4",
			       NULL};
	const char *loud[] = {"-o", bt_tmp_path(&c->tmp, "run2", dir2), "--", wl, "4", NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, quiet);
	expect_status(c, 4, "-q");
	assert_string_equal(c->res.err, "");
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, loud);
	expect_status(c, 4, "summary");
	print_message("summary:\n%s", c->res.err);
	assert_non_null(strstr(c->res.err, "failed (exit code 4)"));
	assert_non_null(strstr(c->res.err, "peak RSS"));
	assert_non_null(strstr(c->res.err, dir2));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_gzip_logs_read_back),
		T(test_sudo_user_runs_command_and_owns_files),
		T(test_no_children_traces_only_the_command),
		T(test_two_pids_traced_until_both_exit),
		T(test_zombie_target_exited_during_startup),
		T(test_first_row_reads_the_command_after_exec),
		T(test_rss_levels_match_proc_status),
		T(test_all_mode_follows_new_processes),
		T(test_oom_kill_is_reported),
		T(test_raw_tp_fallback_counts_the_same),
		T(test_quiet_and_summary),
		T(test_kill_command_ends_it_with_the_tracing),
		T(test_resource_limits),
		T(test_status_line_updates_on_a_terminal),
		T(test_status_line_never_shares_a_line_with_the_command),
		T(test_auto_interval_doubles_after_1000_samples),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
