// SPDX-License-Identifier: GPL-2.0
/*
 * -u py:FUNC on real interpreters: Debian's python3.11 always, and every
 * pyenv CPython present (3.8 and later), running tests/workloads/py/pywork.py.
 * Call counts are exact against what the program counted itself; CPU,
 * blocked time and memory of a call are checked against the program's own
 * clocks and sizes, with margins from the run, not from the wall clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 120.0
#define DEBIAN_PY     "/usr/bin/python3.11"
#define MiB	      (1024.0 * 1024.0)

struct pyrun {
	struct csv_table *calls, *funcs;
	struct json_doc *meta;
};

static void pyrun_free(struct pyrun *pr)
{
	csv_table__free(pr->calls);
	csv_table__free(pr->funcs);
	json_doc__free(pr->meta);
	memset(pr, 0, sizeof(*pr));
}

/*
 * benchtrace -q -o RUN [-u SPEC]... -- PYTHON pywork.py ARGS...: exit 0 of
 * both, then calls.csv, functions.csv and meta.json loaded.  args ends with
 * NULL; the specs come first, up to "--".
 */
static void py_trace(struct bt_ctx *c, struct pyrun *pr, const char *python, const char *const *args)
{
	const char *argv[40] = {"-q", "-o", c->tmp.run_dir};
	char wl[BT_PATH_MAX], path[BT_PATH_MAX + 32], err[256];
	int n = 3, i;

	bt_workload(wl, "py/pywork.py");
	for (i = 0; args[i] && strcmp(args[i], "--"); i++)
		argv[n++] = args[i];
	argv[n++] = "--";
	argv[n++] = python;
	argv[n++] = wl;
	for (i++; args[i - 1] && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, argv);
	if (c->res.timed_out || c->res.status) {
		show_stderr(&c->res);
		fail_msg("%s: benchtrace exit status %d", python, c->res.status);
	}
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	snprintf(path, sizeof(path), "%s/calls.csv", c->tmp.run_dir);
	pr->calls = csv_table__load(path, err, sizeof(err));
	if (!pr->calls)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/functions.csv", c->tmp.run_dir);
	pr->funcs = csv_table__load(path, err, sizeof(err));
	if (!pr->funcs)
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/meta.json", c->tmp.run_dir);
	pr->meta = json_doc__load(path, &(struct json_opts){.strict = true}, err, sizeof(err));
	if (!pr->meta)
		fail_msg("%s", err);
	/* the hook leaves nothing behind in the run directory */
	snprintf(path, sizeof(path), "%s/.python", c->tmp.run_dir);
	assert_int_not_equal(access(path, F_OK), 0);
}

/* functions.csv's `calls` of func, or -1 if it has no row. */
static long long func_calls(const struct pyrun *pr, const char *func)
{
	int i, fc = csv_table__col(pr->funcs, "func"), cc = csv_table__col(pr->funcs, "calls");

	for (i = 0; i < csv_table__rows(pr->funcs); i++)
		if (!strcmp(csv_table__get(pr->funcs, i, fc), func))
			return csv_table__u64(pr->funcs, i, cc);
	return -1;
}

static int call_rows(const struct pyrun *pr, const char *func)
{
	int i, n = 0, fc = csv_table__col(pr->calls, "func");

	for (i = 0; i < csv_table__rows(pr->calls); i++)
		n += !strcmp(csv_table__get(pr->calls, i, fc), func);
	return n;
}

static unsigned long long call_val(const struct pyrun *pr, int row, const char *col)
{
	return csv_table__u64(pr->calls, row, csv_table__col(pr->calls, col));
}

static unsigned long long report(struct bt_ctx *c, const char *key)
{
	unsigned long long v = 0;

	if (bt_report_get(&c->rep, key, &v))
		fail_msg("workload report has no '%s'", key);
	return v;
}

/* meta.json: the mechanism the hook used for func ("sys.settrace 3.11"). */
static const char *mechanism(const struct pyrun *pr, const char *func)
{
	const struct json_value *probes = json_value__path(json_doc__root(pr->meta), "probes"), *p;
	size_t i;

	for (i = 0; i < json_value__len(probes); i++) {
		p = json_value__at(probes, i);
		if (!strcmp(json_value__str(json_value__member(p, "func")) ?: "", func))
			return json_value__str(json_value__member(p, "mechanism"));
	}
	return NULL;
}

/* A method, a generator, exceptions and four threads, on Debian's python3.11. */
static void test_counts_methods_generators_threads(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u",	 "py:Trainer.step", "-u", "py:batches", "-u",
			      "py:fails", "-u",		    "py:shared", "--", "mixed",
			      NULL};
	int i, fc, tc, tids = 0;
	unsigned long long seen[8] = {0}, tid;

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	print_message("step %lld, batches %lld, fails %lld, shared %lld\n",
		      func_calls(&pr, "pywork.Trainer.step"), func_calls(&pr, "pywork.batches"),
		      func_calls(&pr, "pywork.fails"), func_calls(&pr, "pywork.shared"));
	assert_int_equal(func_calls(&pr, "pywork.Trainer.step"), report(c, "steps"));
	/* a generator is timed per run: 7 items yielded, then the end */
	assert_int_equal(func_calls(&pr, "pywork.batches"), report(c, "items") + 1);
	assert_int_equal(func_calls(&pr, "pywork.fails"), 3); /* each left by an exception */
	assert_int_equal(func_calls(&pr, "pywork.shared"), 4 * 25);
	assert_int_equal(call_rows(&pr, "pywork.shared"), 100);
	/* shared() ran on four threads, none the main one */
	fc = csv_table__col(pr.calls, "func");
	tc = csv_table__col(pr.calls, "tid");
	for (i = 0; i < csv_table__rows(pr.calls); i++) {
		int k;

		if (strcmp(csv_table__get(pr.calls, i, fc), "pywork.shared"))
			continue;
		tid = csv_table__u64(pr.calls, i, tc);
		assert_int_not_equal(tid, report(c, "pid"));
		for (k = 0; k < tids && seen[k] != tid; k++)
			;
		if (k == tids && tids < 8)
			seen[tids++] = tid;
	}
	assert_int_equal(tids, 4);
	assert_non_null(mechanism(&pr, "pywork.shared"));
	assert_string_equal(mechanism(&pr, "pywork.shared"), "eval-frame 3.11");
	pyrun_free(&pr);
}

/* Recursion: every call, each at its own depth. */
static void test_recursion_exact_with_depth(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:fib", "--", "fib", "12", NULL};
	unsigned long long maxd = 0;
	int i;

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(func_calls(&pr, "pywork.fib"), report(c, "fib_calls"));
	assert_int_equal(call_rows(&pr, "pywork.fib"), report(c, "fib_calls"));
	for (i = 0; i < csv_table__rows(pr.calls); i++)
		if (call_val(&pr, i, "depth") > maxd)
			maxd = call_val(&pr, i, "depth");
	assert_int_equal(maxd, 11); /* fib(12) down to fib(1) */
	pyrun_free(&pr);
}

/* 50 ms of CPU per call, against the program's own thread CPU clock. */
static void test_cpu_of_burning_calls(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:burn", "--", "burn", "50", "4", NULL};
	unsigned long long sum = 0, v;
	int i;

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(call_rows(&pr, "pywork.burn"), 4);
	for (i = 0; i < 4; i++) {
		v = call_val(&pr, i, "cpu_ns");
		/* CPU never exceeds the call's own duration */
		assert_true(v <= call_val(&pr, i, "dur_ns") + 100000);
		sum += v;
	}
	expect_close("4 burn() calls' cpu_ns", "the thread's own CPU clock", "ms", 1e6, sum,
		     report(c, "burn_cpu_ns_sum"), 0.05, 0);
	pyrun_free(&pr);
}

/* A 50 ms sleep: blocked, not on a CPU. */
static void test_sleeping_call_is_blocked(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:nap", "--", "sleep", "50", NULL};

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(call_rows(&pr, "pywork.nap"), 1);
	print_message("nap(50 ms): dur %.3f ms, cpu %.3f ms, blocked %.3f ms\n",
		      call_val(&pr, 0, "dur_ns") / 1e6, call_val(&pr, 0, "cpu_ns") / 1e6,
		      call_val(&pr, 0, "blocked_ns") / 1e6);
	assert_true(call_val(&pr, 0, "dur_ns") >= 50000000);
	assert_true(call_val(&pr, 0, "cpu_ns") < 5000000);
	/* blocked is what is neither CPU nor run-queue wait: the sleep, and at
	 * most the little left of the call around it */
	assert_true(call_val(&pr, 0, "blocked_ns") >= 49000000);
	assert_true(call_val(&pr, 0, "blocked_ns") <= call_val(&pr, 0, "dur_ns"));
	pyrun_free(&pr);
}

/* 64 MiB allocated and touched inside the call: its faults and RSS peak. */
static void test_allocating_call_peak(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:grow", "--", "alloc", "64", NULL};

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(call_rows(&pr, "pywork.grow"), 1);
	print_message("grow(64 MiB): %llu minor faults, RSS delta %.1f MiB, peak %.1f MiB\n",
		      call_val(&pr, 0, "minflt"), (double)(long long)call_val(&pr, 0, "rss_delta_bytes") / MiB,
		      call_val(&pr, 0, "rss_peak_bytes") / MiB);
	assert_true(call_val(&pr, 0, "minflt") >= 64 * 256); /* a fault per 4 KiB page */
	assert_true(call_val(&pr, 0, "rss_peak_bytes") >= 64 * MiB);
	pyrun_free(&pr);
}

/* multiprocessing workers, forked and spawned: every call, in every worker. */
static void test_multiprocessing_workers(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:work", "--", "pool", "12", NULL};
	int i, pc = 0, npids = 0;
	unsigned long long pids[16], pid;

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	/* fork and spawn workers name the script's function alike */
	assert_int_equal(func_calls(&pr, "pywork.work"), 2 * 12);
	pc = csv_table__col(pr.calls, "pid");
	for (i = 0; i < csv_table__rows(pr.calls); i++) {
		int k;

		pid = csv_table__u64(pr.calls, i, pc);
		for (k = 0; k < npids && pids[k] != pid; k++)
			;
		if (k == npids && npids < 16)
			pids[npids++] = pid;
	}
	print_message("work(): %lld calls in %d worker processes\n",
		      func_calls(&pr, "pywork.work"), npids);
	assert_true(npids >= 2); /* at least one worker of each pool */
	for (i = 0; i < npids; i++)
		assert_int_not_equal(pids[i], report(c, "pid"));
	pyrun_free(&pr);
}

/* Python and native functions in one run: depth counts both. */
static void test_native_inside_python(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:native_caller", "-u", "libc:getpid", "--", "native", NULL};
	int i, fc, inside = 0;

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(func_calls(&pr, "pywork.native_caller"), 2);
	fc = csv_table__col(pr.calls, "func");
	for (i = 0; i < csv_table__rows(pr.calls); i++) {
		if (!strcmp(csv_table__get(pr.calls, i, fc), "pywork.native_caller"))
			assert_int_equal(call_val(&pr, i, "depth"), 0);
		else if (!strcmp(csv_table__get(pr.calls, i, fc), "getpid") &&
			 call_val(&pr, i, "depth") == 1)
			inside++;
	}
	print_message("getpid: %d calls inside native_caller (depth 1)\n", inside);
	assert_int_equal(inside, 2 * 3);
	pyrun_free(&pr);
}

/* A Python started by subprocess from the traced one is traced too. */
static void test_subprocess_child(void **state)
{
	struct bt_ctx *c = *state;
	struct pyrun pr = {};
	const char *args[] = {"-u", "py:fib", "-u", "py:child", "--", "subprocess", NULL};

	bt_require_bpf();
	py_trace(c, &pr, DEBIAN_PY, args);
	assert_int_equal(func_calls(&pr, "pywork.child"), 1);
	assert_int_equal(func_calls(&pr, "pywork.fib"), 15); /* fib(5) in the child */
	pyrun_free(&pr);
}

/* mpirun's ranks: each is an interpreter the command started. */
static void test_mpi_ranks(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], path[BT_PATH_MAX + 32], err[256];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-u", "py:rank_step", "--", "/usr/bin/mpirun",
			      "--allow-run-as-root", "--oversubscribe", "-np", "3", DEBIAN_PY, wl,
			      "rank", "5", NULL};
	struct pyrun pr = {};
	unsigned long long pids[4] = {0}, pid;
	int i, k, npids = 0, pc;

	bt_require_bpf();
	assert_int_equal(access("/usr/bin/mpirun", X_OK), 0); /* tests/install-deps: openmpi-bin */
	bt_workload(wl, "py/pywork.py");
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	if (c->res.timed_out || c->res.status) {
		show_stderr(&c->res);
		fail_msg("mpirun: benchtrace exit status %d", c->res.status);
	}
	snprintf(path, sizeof(path), "%s/functions.csv", c->tmp.run_dir);
	pr.funcs = csv_table__load(path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/calls.csv", c->tmp.run_dir);
	pr.calls = csv_table__load(path, err, sizeof(err));
	assert_non_null(pr.funcs);
	assert_non_null(pr.calls);
	assert_int_equal(func_calls(&pr, "pywork.rank_step"), 3 * 5);
	pc = csv_table__col(pr.calls, "pid");
	for (i = 0; i < csv_table__rows(pr.calls); i++) {
		pid = csv_table__u64(pr.calls, i, pc);
		for (k = 0; k < npids && pids[k] != pid; k++)
			;
		if (k == npids && npids < 4)
			pids[npids++] = pid;
	}
	print_message("rank_step: %lld calls in %d ranks\n", func_calls(&pr, "pywork.rank_step"),
		      npids);
	assert_int_equal(npids, 3);
	pyrun_free(&pr);
}

/* Every pyenv CPython 3.8+ present: exact counts, and the mechanism used. */
static void test_every_cpython_present(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-u", "py:fib", "--", "fib", "10", NULL};
	char root[PATH_MAX], py[PATH_MAX + 512], name[64];
	const char *pyenv = getenv("PYENV_ROOT");
	struct dirent *de;
	int major, minor, tried = 0;
	DIR *d;

	bt_require_bpf();
	snprintf(root, sizeof(root), "%s/versions", pyenv && *pyenv ? pyenv : "/root/.pyenv");
	d = opendir(root);
	if (!d) {
		print_message("no pyenv CPythons under %s: Debian's python3.11 only\n", root);
		return;
	}
	while ((de = readdir(d))) {
		struct pyrun pr = {};
		const char *mech;

		if (sscanf(de->d_name, "%d.%d", &major, &minor) != 2 || major != 3 || minor < 8)
			continue;
		snprintf(py, sizeof(py), "%s/%s/bin/python%d.%d", root, de->d_name, major, minor);
		if (access(py, X_OK))
			continue;
		bt_rundir_free(&c->rd);
		bt_tmp_cleanup(&c->tmp);
		assert_int_equal(bt_tmp_init(&c->tmp), 0);
		py_trace(c, &pr, py, args);
		mech = mechanism(&pr, "pywork.fib");
		print_message("%s: fib %lld calls (program: %llu), %s\n", de->d_name,
			      func_calls(&pr, "pywork.fib"), report(c, "fib_calls"), mech ?: "?");
		assert_int_equal(func_calls(&pr, "pywork.fib"), report(c, "fib_calls"));
		snprintf(name, sizeof(name), "%s %d.%d",
			 minor >= 12  ? "sys.monitoring"
			 : minor >= 9 ? "eval-frame"
				      : "sys.settrace",
			 major, minor);
		assert_non_null(mech);
		assert_string_equal(mech, name);
		pyrun_free(&pr);
		tried++;
	}
	closedir(d);
	print_message("%d pyenv CPythons traced\n", tried);
}

/*
 * Python 2: named as the command, refused before it starts, in one line;
 * started by another program (a shell here), it runs as it would untraced
 * and the end of the run says, in one line, that it could not be traced.
 */
static void test_python2_said_unsupported(void **state)
{
	struct bt_ctx *c = *state;
	const char *pyenv = getenv("PYENV_ROOT");
	char py[PATH_MAX], script[PATH_MAX + 64];
	const char *direct[] = {"-q", "-o", c->tmp.run_dir, "-u", "py:fib", "--", py, "-c",
				"print(6 * 7)", NULL};
	const char *shell[] = {"-q", "-o", c->tmp.run_dir, "-u", "py:fib", "--", "/bin/sh", "-c",
			       script, NULL};

	bt_require_bpf();
	snprintf(py, sizeof(py), "%s/versions/2.7.18/bin/python2.7",
		 pyenv && *pyenv ? pyenv : "/root/.pyenv");
	if (access(py, X_OK)) {
		print_message("no Python 2.7 here\n");
		return;
	}
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, direct);
	print_message("python2.7: exit %d, stderr %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 1);
	assert_string_equal(c->res.out, ""); /* it never ran */
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "older than 3.8"));
	assert_int_not_equal(access(c->tmp.run_dir, F_OK), 0);

	snprintf(script, sizeof(script), "'%s' -c 'print(6 * 7)'", py);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, shell);
	print_message("sh -c python2.7: exit %d, stdout %s, stderr %s", c->res.status, c->res.out,
		      c->res.err);
	assert_int_equal(c->res.status, 0);
	assert_string_equal(c->res.out, "42\n"); /* nothing added to its output */
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "CPython 3.8 or later"));
}

/* -p cannot load the hook into a running interpreter: a usage error, one line. */
static void test_pid_mode_refused(void **state)
{
	struct bt_ctx *c = *state;
	char pid[32];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-u", "py:train_step", "-p", pid, NULL};

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	assert_int_equal(c->res.status, 2);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "restart the program under benchtrace"));
	assert_int_not_equal(access(c->tmp.run_dir, F_OK), 0);
}

/* `benchtrace functions SCRIPT.py [py:GLOB]`: what -u py: takes, read, not run. */
static void test_functions_lists_a_script(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *all[] = {"functions", wl, NULL};
	const char *some[] = {"functions", wl, "py:Trainer.*", NULL};

	bt_workload(wl, "py/pywork.py");
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, all);
	assert_int_equal(c->res.status, 0);
	assert_non_null(strstr(c->res.out, "py:fib\n"));
	assert_non_null(strstr(c->res.out, "py:Trainer.step\n"));
	assert_non_null(strstr(c->res.out, "py:main.<locals>.prof\n"));
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, some);
	assert_int_equal(c->res.status, 0);
	assert_string_equal(c->res.out, "py:Trainer.__init__\npy:Trainer.step\n");
}

/* A native name on an interpreter: the error says how to name a Python function. */
static void test_native_miss_on_python_suggests_py(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-u", "train_step", "--", DEBIAN_PY,
			      "-c", "pass", NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "-u py:train_step"));
}

int main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_counts_methods_generators_threads),
	    T(test_recursion_exact_with_depth),
	    T(test_cpu_of_burning_calls),
	    T(test_sleeping_call_is_blocked),
	    T(test_allocating_call_peak),
	    T(test_multiprocessing_workers),
	    T(test_mpi_ranks),
	    T(test_native_inside_python),
	    T(test_subprocess_child),
	    T(test_every_cpython_present),
	    T(test_python2_said_unsupported),
	    T(test_pid_mode_refused),
	    T(test_functions_lists_a_script),
	    T(test_native_miss_on_python_suggests_py),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
