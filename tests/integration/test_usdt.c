// SPDX-License-Identifier: GPL-2.0
/*
 * benchtrace.h marks and --usdt: marked loops, steps and spans timed like
 * function calls (C, C++, threads, a stripped binary), the USDT probes of a
 * program nobody here wrote (Debian's python3.11, whose probes have
 * semaphores), an unknown probe, and `functions --usdt`.
 *
 * Usage: test_usdt [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
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
#define PYTHON	      "/usr/bin/python3.11"

static struct csv_table *load(struct bt_ctx *c, const char *name)
{
	char path[BT_PATH_MAX + 64], err[512];
	struct csv_table *t;

	snprintf(path, sizeof(path), "%s/%s", c->tmp.run_dir, name);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s: %s", name, err);
	return t;
}

static void run_ok(struct bt_ctx *c, const char *const args[])
{
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, args);
	if (c->res.timed_out || c->res.status != 0)
		fail_msg("benchtrace: exit %d%s; stderr: %s", c->res.status,
			 c->res.timed_out ? " (timed out)" : "", c->res.err);
}

/* functions.csv's @col for @func; -1 if it has no row. */
static long long func_col(const struct csv_table *f, const char *func, const char *col)
{
	int i;

	for (i = 0; i < csv_table__rows(f); i++)
		if (!strcmp(csv_table__get(f, i, 0), func))
			return (long long)csv_table__u64(f, i, csv_table__col(f, col));
	return -1;
}

/* calls.csv rows of @func: how many, at which depths (a bit each), how
 * many threads, their total duration and run-queue wait. */
struct rows {
	int n, threads;
	unsigned depths;
	double dur_ns, runq_ns;
};

static struct rows call_rows(const struct csv_table *t, const char *func)
{
	int fc = csv_table__col(t, "func"), dc = csv_table__col(t, "depth");
	int tc = csv_table__col(t, "tid"), du = csv_table__col(t, "dur_ns");
	int rq = csv_table__col(t, "runq_ns");
	unsigned long long tids[64];
	struct rows r = {};
	int i, j;

	for (i = 0; i < csv_table__rows(t); i++) {
		unsigned long long tid;

		if (strcmp(csv_table__get(t, i, fc), func))
			continue;
		r.n++;
		r.depths |= 1u << (csv_table__u64(t, i, dc) & 31);
		r.dur_ns += csv_table__u64(t, i, du);
		r.runq_ns += csv_table__u64(t, i, rq);
		tid = csv_table__u64(t, i, tc);
		for (j = 0; j < r.threads && tids[j] != tid; j++)
			;
		if (j == r.threads && r.threads < 64)
			tids[r.threads++] = tid;
	}
	return r;
}

/* Marks in a C program: every kind, nested, on 3 threads, exact. */
static void test_marks_timed_like_calls(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "markers"), "30",
			      "3", NULL};
	struct csv_table *calls, *funcs;
	struct rows it, load_r, comp, inner, save;
	unsigned long long own_load, own_compute;

	bt_require_bpf();
	run_ok(c, args);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "load_ns", &own_load), 0);
	assert_int_equal(bt_report_get(&c->rep, "compute_ns", &own_compute), 0);
	funcs = load(c, "functions.csv");
	calls = load(c, "calls.csv");
	assert_int_equal(func_col(funcs, "iter:train", "calls"), 90);
	assert_int_equal(func_col(funcs, "step:train/load", "calls"), 90);
	assert_int_equal(func_col(funcs, "step:train/compute", "calls"), 90);
	assert_int_equal(func_col(funcs, "span:inner", "calls"), 90);
	assert_int_equal(func_col(funcs, "span:save", "calls"), 1);
	it = call_rows(calls, "iter:train");
	load_r = call_rows(calls, "step:train/load");
	comp = call_rows(calls, "step:train/compute");
	inner = call_rows(calls, "span:inner");
	save = call_rows(calls, "span:save");
	print_message("iterations %d on %d threads; load %.1f ms (own clock %.1f), compute %.1f ms "
		      "(own %.1f)\n",
		      it.n, it.threads, load_r.dur_ns / 1e6, own_load / 1e6, comp.dur_ns / 1e6,
		      own_compute / 1e6);
	assert_int_equal(it.threads, 3);
	assert_int_equal(it.depths, 1u << 0); /* outermost */
	assert_int_equal(load_r.depths, 1u << 1); /* in their iteration */
	assert_int_equal(comp.depths, 1u << 1);
	assert_int_equal(inner.depths, 1u << 2); /* in the step */
	assert_int_equal(save.depths, 1u << 0);
	/* each step against the workload's own clock around it: the marks
	 * sit just inside the clock reads, so the traced steps are a little
	 * shorter, by at most what each pair of marks costs (a trap each).
	 * A thread preempted between load's last clock read and compute's
	 * mark waits in the run queue inside the traced load step, and out
	 * of the workload's (6.5 ms in all, once, with the CPUs saturated
	 * beside it): the two steps together keep the time. */
	assert_true(load_r.dur_ns <= own_load * 1.01 + 1e6 + load_r.runq_ns);
	assert_true(load_r.dur_ns + comp.dur_ns <= (own_load + own_compute) * 1.01 + 1e6);
	assert_true(load_r.dur_ns >= own_load * 0.9 - 90 * 200e3);
	assert_true(comp.dur_ns <= own_compute * 1.01 + 1e6 + 90 * 200e3);
	assert_true(comp.dur_ns >= own_compute * 0.9 - 90 * 200e3);
	/* and the CPU of a step is its own: compute burns 1 ms, load sleeps */
	assert_true(func_col(funcs, "step:train/compute", "cpu_ns") >= 90 * 1000000LL);
	assert_true(func_col(funcs, "step:train/load", "cpu_ns") <
		    func_col(funcs, "step:train/compute", "cpu_ns") / 2);
	csv_table__free(calls);
	csv_table__free(funcs);
}

/* The same header from C++, a span closed by a destructor. */
static void test_marks_in_cxx(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "markers_cxx"), "25",
			      NULL};
	struct csv_table *funcs;

	bt_require_bpf();
	run_ok(c, args);
	funcs = load(c, "functions.csv");
	assert_int_equal(func_col(funcs, "span:scope", "calls"), 25);
	assert_int_equal(func_col(funcs, "iter:epoch", "calls"), 25);
	assert_int_equal(func_col(funcs, "step:epoch/work", "calls"), 25);
	csv_table__free(funcs);
}

/* Notes are not symbols: a stripped program's marks still work. */
static void test_marks_in_a_stripped_binary(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], copy[BT_PATH_MAX], cmd[3 * BT_PATH_MAX];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", copy, "10", "1", NULL};
	struct csv_table *funcs;

	bt_require_bpf();
	bt_tmp_path(&c->tmp, "markers-stripped", copy);
	snprintf(cmd, sizeof(cmd), "strip --strip-all -o '%s' '%s'", copy,
		 bt_workload(wl, "markers"));
	assert_int_equal(system(cmd), 0);
	run_ok(c, args);
	funcs = load(c, "functions.csv");
	assert_int_equal(func_col(funcs, "iter:train", "calls"), 10);
	assert_int_equal(func_col(funcs, "span:save", "calls"), 1);
	csv_table__free(funcs);
}

/* usdt events of @probe in the run */
static int usdt_events(struct bt_ctx *c, const char *probe)
{
	struct csv_table *ev = load(c, "events.csv");
	int i, n = 0, len = strlen(probe);

	for (i = 0; i < csv_table__rows(ev); i++)
		n += !strcmp(csv_table__get(ev, i, 3), "usdt") &&
		     !strncmp(csv_table__get(ev, i, 4), probe, len) &&
		     csv_table__get(ev, i, 4)[len] == ' ';
	csv_table__free(ev);
	return n;
}

/*
 * python3.11's gc__start probe (a semaphore guards it: CPython fires it
 * only while a tracer is attached): N more gc.collect() calls, N more
 * events, each with the generation collected.
 */
static void test_usdt_probe_nobody_here_wrote(void **state)
{
	struct bt_ctx *c = *state;
	const char *base[] = {"-q", "-o", c->tmp.run_dir, "--usdt", "python:gc__start", "--", PYTHON,
			      "-c", "import gc; gc.disable()", NULL};
	const char *more[] = {"-q", "-o", c->tmp.run_dir, "--usdt", "python:gc__start", "--", PYTHON,
			      "-c", "import gc; gc.disable(); [gc.collect() for _ in range(7)]",
			      NULL};
	int n0, n7;

	bt_require_bpf();
	if (access(PYTHON, X_OK))
		fail_msg("%s (Debian's python3.11) is missing", PYTHON);
	run_ok(c, base);
	n0 = usdt_events(c, "python:gc__start");
	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	run_ok(c, more);
	n7 = usdt_events(c, "python:gc__start");
	print_message("python3.11 gc__start: %d events at start-up and exit, %d with 7 "
		      "gc.collect()\n",
		      n0, n7);
	assert_int_equal(n7 - n0, 7);
}

/* events.csv rows "usdt" whose detail is exactly @detail */
static int usdt_rows(struct bt_ctx *c, const char *detail)
{
	struct csv_table *ev = load(c, "events.csv");
	int i, n = 0;

	for (i = 0; i < csv_table__rows(ev); i++)
		n += !strcmp(csv_table__get(ev, i, 3), "usdt") &&
		     !strcmp(csv_table__get(ev, i, 4), detail);
	csv_table__free(ev);
	return n;
}

/* events.csv rows "usdt" whose detail starts with @prefix */
static int usdt_quoted(struct bt_ctx *c, const char *prefix)
{
	struct csv_table *ev = load(c, "events.csv");
	int i, n = 0;

	for (i = 0; i < csv_table__rows(ev); i++)
		n += !strcmp(csv_table__get(ev, i, 3), "usdt") &&
		     !strncmp(csv_table__get(ev, i, 4), prefix, strlen(prefix));
	csv_table__free(ev);
	return n;
}

/*
 * A char * argument shows as its text: python3.11's import probes name the
 * module (8@%rax), the done probe adds whether it was found (a number).
 */
static void test_usdt_string_arguments(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q",
			      "-o",
			      c->tmp.run_dir,
			      "--usdt",
			      "python:import__find__load__*",
			      "--",
			      PYTHON,
			      "-c",
			      "import json, sys; sys.modules.pop('json'); "
			      "[sys.modules.pop(m) for m in list(sys.modules) if m.startswith('json.')]; "
			      "import json",
			      NULL};

	bt_require_bpf();
	run_ok(c, args);
	/* imported twice: two starts and two dones, each naming it */
	assert_int_equal(usdt_rows(c, "python:import__find__load__start \"json\""), 2);
	assert_int_equal(usdt_rows(c, "python:import__find__load__done \"json\" 1"), 2);
	assert_int_equal(usdt_rows(c, "python:import__find__load__start \"json.decoder\""), 2);
	/* every module name read as text: no start shows a bare address */
	assert_int_equal(usdt_events(c, "python:import__find__load__start"),
			 usdt_quoted(c, "python:import__find__load__start \""));
}

/*
 * A --usdt pair, python:gc__start and gc__done, is timed as the span
 * usdt:python:gc: one call a collection, in calls.csv and functions.csv,
 * as many as the probes' events; one of the pair alone is not timed.
 */
static void test_usdt_pairs_timed_as_spans(void **state)
{
	struct bt_ctx *c = *state;
	const char *pair[] = {"-q", "-o", c->tmp.run_dir, "--usdt", "python:gc__*", "--", PYTHON,
			      "-c", "import gc; gc.disable(); [gc.collect() for _ in range(7)]",
			      NULL};
	const char *one[] = {"-q", "-o", c->tmp.run_dir, "--usdt", "python:gc__start", "--",
			     PYTHON, "-c", "import gc; gc.collect()", NULL};
	struct csv_table *calls, *funcs;
	char path[BT_PATH_MAX + 64];
	int starts, dones;
	struct rows r;

	bt_require_bpf();
	run_ok(c, pair);
	starts = usdt_events(c, "python:gc__start");
	dones = usdt_events(c, "python:gc__done");
	calls = load(c, "calls.csv");
	funcs = load(c, "functions.csv");
	r = call_rows(calls, "usdt:python:gc");
	print_message("python3.11: %d gc__start, %d gc__done, %d spans of %.3f ms in all\n",
		      starts, dones, r.n, r.dur_ns / 1e6);
	assert_true(starts >= 7);
	assert_int_equal(dones, starts);
	assert_int_equal(r.n, starts);
	assert_int_equal(func_col(funcs, "usdt:python:gc", "calls"), starts);
	assert_int_equal(r.threads, 1);
	assert_int_equal(r.depths, 1u << 0); /* not nested in one another */
	csv_table__free(calls);
	csv_table__free(funcs);

	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	run_ok(c, one);
	assert_true(usdt_events(c, "python:gc__start") >= 1);
	/* nothing timed: no functions.csv */
	snprintf(path, sizeof(path), "%s/functions.csv", c->tmp.run_dir);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_unknown_usdt_probe_lists_the_ones_there(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--usdt", "python:no_such_probe", "--",
			      PYTHON, "-c", "1", NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "no probe python:no_such_probe"));
	assert_non_null(strstr(c->res.err, "python:gc__start"));
	/* refused before anything ran: no run directory */
	assert_int_not_equal(access(c->tmp.run_dir, F_OK), 0);
}

static void test_functions_lists_usdt_probes(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];

	(void)state;
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "functions", "--usdt", bt_workload(wl, "markers"),
	       NULL);
	assert_int_equal(c->res.status, 0);
	assert_int_equal(bt_count_lines(c->res.out), 5);
	assert_non_null(strstr(c->res.out, "benchtrace:step\t8@"));
	assert_non_null(strstr(c->res.out, "benchtrace:iter_begin\t"));
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "functions", "--usdt", PYTHON, "python:gc*", NULL);
	assert_int_equal(c->res.status, 0);
	assert_string_equal(c->res.out, "python:gc__done\t-8@%r12\npython:gc__start\t-4@112(%rsp)\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_marks_timed_like_calls),
	    T(test_marks_in_cxx),
	    T(test_marks_in_a_stripped_binary),
	    T(test_usdt_probe_nobody_here_wrote),
	    T(test_usdt_string_arguments),
	    T(test_usdt_pairs_timed_as_spans),
	    T(test_unknown_usdt_probe_lists_the_ones_there),
	    T(test_functions_lists_usdt_probes),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace USDT and benchtrace.h marks", tests, NULL,
					   NULL);
}
