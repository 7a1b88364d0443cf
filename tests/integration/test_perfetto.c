// SPDX-License-Identifier: GPL-2.0
/*
 * --perfetto on real runs: benchtrace traces a workload with the real BPF
 * programs and writes trace.json, which must parse (strictly), have the
 * structure Chrome and Perfetto load, and carry the workload's processes,
 * counter tracks and events as samples.csv and events.csv recorded them.
 *
 * Needs root and working BPF: skips otherwise, but fails when CI is set.
 *
 * Usage: test_perfetto [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "testutil.h"
#include "tracecheck.h"

#define RUN_TIMEOUT_S 60.0

static void show_stderr(const struct bt_result *r)
{
	if (r->err[0])
		print_message("benchtrace stderr:\n%s\n", r->err);
}

/* benchtrace -q --perfetto -o RUN ARGS... -- WORKLOAD WARGS...; exit 0 expected. */
static void run_traced(struct bt_ctx *c, const char *const opts[], const char *const cmd[])
{
	const char *args[64] = {"-q", "--perfetto", "-o", c->tmp.run_dir};
	char path[BT_PATH_MAX];
	unsigned long long pid;
	int n = 4, i, rc;

	for (i = 0; opts[i]; i++)
		args[n++] = opts[i];
	args[n++] = "--";
	args[n++] = bt_workload(path, cmd[0]);
	for (i = 1; cmd[i]; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	unlink(c->tmp.report);
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, args);
	if (c->res.timed_out || c->res.status != 0) {
		show_stderr(&c->res);
		fail_msg("benchtrace --perfetto -- %s: exit status %d%s", cmd[0], c->res.status,
			 c->res.timed_out ? " (timed out)" : "");
	}
	rc = bt_report_load(&c->rep, c->tmp.report);
	if (rc)
		fail_msg("workload %s wrote no report: %s", cmd[0], strerror(-rc));
	if (bt_report_get(&c->rep, "pid", &pid))
		fail_msg("workload report has no pid");
	c->pid = (int)pid;
}

/* run/trace.json's top-level value; *doc to free. */
static const struct json_value *load_trace(struct bt_ctx *c, struct json_doc **doc)
{
	char path[BT_PATH_MAX], err[256];

	*doc = trace_load(bt_tmp_path(&c->tmp, "run/trace.json", path), err, sizeof(err));
	if (!*doc)
		fail_msg("trace.json: %s", err);
	if (trace_check(json_doc__root(*doc), err, sizeof(err)))
		fail_msg("trace.json is not a loadable trace: %s", err);
	return json_doc__root(*doc);
}

static struct csv_table *load_csv(struct bt_ctx *c, const char *name)
{
	char path[BT_PATH_MAX], err[512];
	struct csv_table *t;

	t = csv_table__load(bt_tmp_path(&c->tmp, name, path), err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	return t;
}

static int rows_of(const struct csv_table *t, long pid)
{
	int r, n = 0, pc = csv_table__col(t, "pid");

	for (r = 0; r < csv_table__rows(t); r++)
		n += (long)csv_table__u64(t, r, pc) == pid;
	return n;
}

/*
 * The process's counter tracks: RSS once per samples.csv row, with the
 * row's value; the interval counters once per row plus their final 0.
 */
static void expect_counters(const struct json_value *evs, const struct csv_table *s, long pid)
{
	static const char *const per_interval[] = {"CPU", "RSS peak", "Read", "Write"};
	int rows = rows_of(s, pid), r, k = 0;
	int pc = csv_table__col(s, "pid"), rc = csv_table__col(s, "rss_bytes");
	size_t i;

	if (rows < 1)
		fail_msg("samples.csv has no row for pid %ld", pid);
	assert_int_equal(trace_count(evs, "C", "RSS", pid), (size_t)rows);
	for (i = 0; i < sizeof(per_interval) / sizeof(per_interval[0]); i++)
		if (trace_count(evs, "C", per_interval[i], pid) != (size_t)rows + 1)
			fail_msg("pid %ld: %zu '%s' counter events for %d samples.csv rows", pid,
				 trace_count(evs, "C", per_interval[i], pid), per_interval[i],
				 rows);
	for (r = 0; r < csv_table__rows(s); r++) {
		const struct json_value *e;

		if ((long)csv_table__u64(s, r, pc) != pid)
			continue;
		e = trace_nth(evs, "C", "RSS", pid, k++);
		assert_true(trace_num(json_value__member(e, "args"), "bytes") ==
			    (double)csv_table__u64(s, r, rc));
	}
}

/*
 * The CPU % track drawn over time holds the CPU time samples.csv counted:
 * each value times the span until the next one.
 */
static void expect_cpu_integral(const struct json_value *evs, const struct csv_table *s, long pid)
{
	size_t n = trace_count(evs, "C", "CPU", pid), i;
	double area = 0, cpu = 0;
	int r, pc = csv_table__col(s, "pid"), cc = csv_table__col(s, "cpu_ns");

	for (i = 0; i + 1 < n; i++) {
		const struct json_value *a = trace_nth(evs, "C", "CPU", pid, i);
		const struct json_value *b = trace_nth(evs, "C", "CPU", pid, i + 1);

		area += trace_num(json_value__member(a, "args"), "%") / 100 *
			(trace_num(b, "ts") - trace_num(a, "ts")) * 1000; /* ns */
	}
	for (r = 0; r < csv_table__rows(s); r++)
		if ((long)csv_table__u64(s, r, pc) == pid)
			cpu += csv_table__u64(s, r, cc);
	print_message("pid %ld: CPU track holds %.1f ms, samples.csv %.1f ms\n", pid, area / 1e6,
		      cpu / 1e6);
	/* cpu_pct has one decimal: 0.05% of each interval at most */
	if (fabs(area - cpu) > 0.01 * cpu + 1e6)
		fail_msg("CPU track area %.0f ns vs samples.csv %.0f ns", area, cpu);
}

static int count_events(const struct csv_table *ev, const char *name)
{
	int r, n = 0, col = csv_table__col(ev, "event");

	for (r = 0; r < csv_table__rows(ev); r++)
		n += !strcmp(csv_table__get(ev, r, col), name);
	return n;
}

static void test_cpu_burn_trace(void **state)
{
	struct bt_ctx *c = *state;
	const char *const opts[] = {"-i", "10ms", NULL};
	const char *const cmd[] = {"cpu_burn", "0.3", "2", NULL};
	char meta[BT_PATH_MAX], val[64];
	const struct json_value *root, *evs, *e;
	struct csv_table *s;
	struct json_doc *doc;

	bt_require_bpf();
	run_traced(c, opts, cmd);
	root = load_trace(c, &doc);
	evs = trace_events(root);
	s = load_csv(c, "run/samples.csv");
	expect_counters(evs, s, c->pid);
	expect_cpu_integral(evs, s, c->pid);
	/* two threads busy: the track goes well above one CPU */
	assert_true(trace_count(evs, "C", "CPU", c->pid) > 10);

	assert_string_equal(trace_str(trace_meta(evs, "process_name", c->pid, c->pid), "name"),
			    "cpu_burn");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", c->pid, c->pid), "name"),
			    "cpu_burn");
	/* exec and exit as instants, with what events.csv says */
	e = trace_nth(evs, "i", "exit", c->pid, 0);
	assert_non_null(e);
	assert_string_equal(trace_str(json_value__member(e, "args"), "detail"), "code=0");
	assert_non_null(trace_nth(evs, "i", "exec", c->pid, 0));
	assert_int_equal(trace_count(evs, "X", NULL, -1), 0); /* no --uprobe */
	assert_true(trace_num(json_value__member(root, "metadata"), "sample_rows") ==
		    csv_table__rows(s));

	/* meta.json points at it */
	assert_int_equal(bt_json_get(bt_tmp_path(&c->tmp, "run/meta.json", meta), "perfetto_trace",
				     val, sizeof(val)),
			 0);
	assert_string_equal(val, "trace.json");
	csv_table__free(s);
	json_doc__free(doc);
}

/* With -z the inputs are .csv.gz; the trace is the same kind of file. */
static void test_gzip_run_with_children(void **state)
{
	struct bt_ctx *c = *state;
	const char *const opts[] = {"-z", "-i", "20ms", NULL};
	const char *const cmd[] = {"forker", "3", NULL};
	unsigned long long kids[8];
	const struct json_value *evs, *e;
	struct csv_table *s, *ev;
	struct json_doc *doc;
	int n, i;

	bt_require_bpf();
	run_traced(c, opts, cmd);
	evs = trace_events(load_trace(c, &doc));
	s = load_csv(c, "run/samples.csv.gz");
	ev = load_csv(c, "run/events.csv.gz");
	expect_counters(evs, s, c->pid);
	n = bt_report_all(&c->rep, "child_pid", kids, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		expect_counters(evs, s, (long)kids[i]);
		e = trace_nth(evs, "i", "fork", (long)kids[i], 0);
		assert_non_null(e);
		e = trace_nth(evs, "i", "exit", (long)kids[i], 0);
		assert_non_null(e);
		assert_non_null(trace_meta(evs, "process_name", (long)kids[i], (long)kids[i]));
	}
	/* every exec, fork, exit and oom_kill row, and nothing else */
	assert_int_equal(trace_count(evs, "i", NULL, -1),
			 (size_t)(count_events(ev, "exec") + count_events(ev, "fork") +
				  count_events(ev, "exit") + count_events(ev, "oom_kill")));
	csv_table__free(s);
	csv_table__free(ev);
	json_doc__free(doc);
}

/* Without the option there is no trace.json and meta.json does not name one. */
/* Every traced call is one slice, with its resources as args. */
static void test_uprobe_calls_become_slices(void **state)
{
	struct bt_ctx *c = *state;
	const char *const opts[] = {"-u", "fib", NULL};
	const char *const cmd[] = {"calls", "fib", "16", NULL};
	int tc, fc, r, rows;
	struct csv_table *calls;
	const struct json_value *root, *evs, *e;
	struct json_doc *doc;

	bt_require_bpf();
	run_traced(c, opts, cmd);
	root = load_trace(c, &doc);
	evs = trace_events(root);
	calls = load_csv(c, "run/calls.csv");
	rows = csv_table__rows(calls);
	print_message("fib(16): %d calls.csv rows, %zu slices\n", rows,
		      trace_count(evs, "X", "fib", c->pid));
	assert_int_equal(rows, 3193); /* fib(16): 3193 calls */
	assert_int_equal(trace_count(evs, "X", "fib", c->pid), (size_t)rows);
	tc = csv_table__col(calls, "tid");
	fc = csv_table__col(calls, "cpu_ns");
	for (r = 0; r < rows; r++) {
		e = trace_nth(evs, "X", "fib", c->pid, r);
		assert_true(trace_num(e, "tid") == (double)csv_table__u64(calls, r, tc));
		assert_true(trace_num(json_value__member(e, "args"), "cpu_ns") ==
			    (double)csv_table__u64(calls, r, fc));
	}
	assert_true(trace_num(json_value__member(root, "metadata"), "calls") == rows);
	csv_table__free(calls);
	json_doc__free(doc);
}

static void test_no_trace_without_option(void **state)
{
	struct bt_ctx *c = *state;
	char path[BT_PATH_MAX], exe[BT_PATH_MAX], val[64];

	bt_require_bpf();
	bt_run(&c->res, c->tmp.report, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "--",
	       bt_workload(exe, "exit_with"), "0", NULL);
	assert_int_equal(c->res.status, 0);
	assert_int_equal(access(bt_tmp_path(&c->tmp, "run/trace.json", path), F_OK), -1);
	assert_int_equal(bt_json_get(bt_tmp_path(&c->tmp, "run/meta.json", path), "perfetto_trace",
				     val, sizeof(val)),
			 -ENOENT);
}

/* `benchtrace perfetto RUN_DIR` after the fact: the same slices, once. */
static void test_perfetto_subcommand_after_the_fact(void **state)
{
	struct bt_ctx *c = *state;
	char exe[BT_PATH_MAX], err[512];
	const struct json_value *root;
	struct csv_table *calls;
	struct json_doc *doc;

	bt_require_bpf();
	bt_run(&c->res, c->tmp.report, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "-u", "fib",
	       "--", bt_workload(exe, "calls"), "fib", "12", NULL);
	assert_int_equal(c->res.status, 0);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "perfetto", c->tmp.run_dir, NULL);
	if (c->res.status)
		fail_msg("benchtrace perfetto: exit %d: %s", c->res.status, c->res.err);
	root = load_trace(c, &doc);
	assert_int_equal(trace_check(root, err, sizeof(err)), 0);
	calls = load_csv(c, "run/calls.csv");
	assert_int_equal(csv_table__rows(calls), 465); /* fib(12) */
	assert_int_equal(trace_count(trace_events(root), "X", "fib", -1), 465);
	csv_table__free(calls);
	json_doc__free(doc);
	/* never over an existing trace */
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "perfetto", c->tmp.run_dir, NULL);
	assert_int_equal(c->res.status, 1);
	assert_non_null(strstr(c->res.err, "exists already"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_cpu_burn_trace),
	    T(test_gzip_run_with_children),
	    T(test_uprobe_calls_become_slices),
	    T(test_no_trace_without_option),
	    T(test_perfetto_subcommand_after_the_fact),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace --perfetto", tests, NULL, NULL);
}
