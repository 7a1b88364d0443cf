// SPDX-License-Identifier: GPL-2.0
/*
 * Function tracing (--uprobe), for real: benchtrace attaches to functions of
 * the workloads in tests/workloads/ (and of programs and libraries nobody
 * here wrote) and what calls.csv and functions.csv say is compared with what
 * the programs did: exact call counts, nesting depth, and each call's CPU
 * time, blocked time, faults and RSS against the workload's own figures.
 *
 * Usage: test_uprobe [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60.0
#define MiB	      (1024.0 * 1024.0)

#define CALLS_HEADER                                                                               \
	"t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,majflt,rss_delta_bytes,"   \
	"rss_peak_bytes,read_bytes,write_bytes"
#define FUNCTIONS_HEADER                                                                           \
	"func,binary,calls,total_ns,mean_ns,min_ns,p50_ns,p90_ns,p99_ns,max_ns,cpu_ns,minflt,"     \
	"majflt,read_bytes,write_bytes,probe_ns"

struct calls_run {
	struct csv_table *calls, *funcs;
};

static void calls_run_free(struct calls_run *cr)
{
	csv_table__free(cr->calls);
	csv_table__free(cr->funcs);
	cr->calls = cr->funcs = NULL;
}

static struct csv_table *load_checked(const char *dir, const char *name, const char *header)
{
	char path[BT_PATH_MAX], err[512], line[512];
	struct csv_table *t;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		fail_msg("no %s in the run directory", path);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line, header))
		fail_msg("%s header is\n  %s\nwant\n  %s", name, line, header);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	if (csv_table__truncated(t))
		fail_msg("%s is cut off", path);
	return t;
}

/*
 * benchtrace -q -o RUN ARGS... (ARGS include the probes and -- COMMAND);
 * expect @want_status, then load calls.csv and functions.csv.
 */
static void trace(struct bt_ctx *c, struct calls_run *cr, int want_status, ...)
{
	const char *args[64] = {"-q", "-o", c->tmp.run_dir};
	int n = 3;
	va_list ap;

	va_start(ap, want_status);
	while (n < 63 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	unlink(c->tmp.report);
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, args);
	if (c->res.timed_out || c->res.status != want_status) {
		show_stderr(&c->res);
		fail_msg("benchtrace: exit status %d, want %d%s", c->res.status, want_status,
			 c->res.timed_out ? " (timed out)" : "");
	}
	cr->calls = load_checked(c->tmp.run_dir, "calls.csv", CALLS_HEADER);
	cr->funcs = load_checked(c->tmp.run_dir, "functions.csv", FUNCTIONS_HEADER);
}

/* functions.csv: the row of @func (-1 if none). */
static int func_row(const struct calls_run *cr, const char *func)
{
	int col = csv_table__col(cr->funcs, "func"), i;

	for (i = 0; i < csv_table__rows(cr->funcs); i++)
		if (!strcmp(csv_table__get(cr->funcs, i, col), func))
			return i;
	return -1;
}

static unsigned long long func_val(const struct calls_run *cr, const char *func, const char *col)
{
	int row = func_row(cr, func), c = csv_table__col(cr->funcs, col);

	if (row < 0)
		fail_msg("functions.csv has no row for %s", func);
	return csv_table__u64(cr->funcs, row, c);
}

/* calls.csv rows of @func (NULL: all). */
static int call_rows(const struct calls_run *cr, const char *func)
{
	int col = csv_table__col(cr->calls, "func"), i, n = 0;

	for (i = 0; i < csv_table__rows(cr->calls); i++)
		n += !func || !strcmp(csv_table__get(cr->calls, i, col), func);
	return n;
}

static unsigned long long call_val(const struct calls_run *cr, int row, const char *col)
{
	return csv_table__u64(cr->calls, row, csv_table__col(cr->calls, col));
}

/* A number in meta.json's "calls" or "lost_events" object. */
static long long meta_nested(struct bt_ctx *c, const char *obj, const char *key)
{
	char raw[2048], pat[64], *p;

	if (bt_json_get(c->rd.meta, obj, raw, sizeof(raw)))
		fail_msg("meta.json has no \"%s\"", obj);
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(raw, pat);
	if (!p)
		fail_msg("meta.json \"%s\" has no \"%s\": %s", obj, key, raw);
	return strtoll(p + strlen(pat), NULL, 10);
}

static void load_meta(struct bt_ctx *c)
{
	if (snprintf(c->rd.meta, sizeof(c->rd.meta), "%.4000s/meta.json", c->tmp.run_dir) >=
	    (int)sizeof(c->rd.meta))
		fail_msg("path too long");
}

/* ---- exact counts ---- */

static void test_recursion_exact_count_and_depth(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	unsigned long long depth, maxdepth = 0, outer_dur = 0;
	int i, outer = 0;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "fib", "--", bt_workload(w, "calls"), "fib", "20", NULL);
	/* naive fib(20): C(n) = C(n-1) + C(n-2) + 1, C(0) = C(1) = 1 */
	print_message("fib(20): %llu calls in functions.csv, %d rows in calls.csv\n",
		      func_val(&cr, "fib", "calls"), call_rows(&cr, "fib"));
	assert_int_equal(func_val(&cr, "fib", "calls"), 21891);
	assert_int_equal(call_rows(&cr, "fib"), 21891);
	for (i = 0; i < csv_table__rows(cr.calls); i++) {
		depth = call_val(&cr, i, "depth");
		if (depth > maxdepth)
			maxdepth = depth;
		if (depth == 0) {
			outer++;
			outer_dur = call_val(&cr, i, "dur_ns");
		} else if (call_val(&cr, i, "dur_ns") > outer_dur && outer) {
			fail_msg("an inner call (row %d) outlasts the outermost one", i);
		}
	}
	print_message("max depth %llu, %d outermost call(s) of %.3f ms\n", maxdepth, outer,
		      outer_dur / 1e6);
	assert_int_equal(maxdepth, 19);
	assert_int_equal(outer, 1);
	/* the outermost call contains all others: its duration is the total's
	 * largest part, and the sum of depth-1 durations is below it */
	assert_true(outer_dur == func_val(&cr, "fib", "max_ns"));
	calls_run_free(&cr);
}

static void test_threads_exact_count(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	long long dropped;
	int i, ntids = 0, tids[16];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "work_item", "--", bt_workload(w, "calls"), "threads", "4", "100000",
	      NULL);
	load_meta(c);
	dropped = meta_nested(c, "lost_events", "calls_ringbuf");
	print_message("4 threads x 100000 calls: functions.csv %llu, calls.csv %d rows, %lld "
		      "dropped\n",
		      func_val(&cr, "work_item", "calls"), call_rows(&cr, NULL), dropped);
	assert_int_equal(func_val(&cr, "work_item", "calls"), 400000);
	assert_int_equal(call_rows(&cr, NULL) + dropped, 400000);
	for (i = 0; i < csv_table__rows(cr.calls) && ntids < 16; i++) {
		int tid = call_val(&cr, i, "tid"), j;

		for (j = 0; j < ntids && tids[j] != tid; j++)
			;
		if (j == ntids)
			tids[ntids++] = tid;
	}
	assert_int_equal(ntids, 4);
	calls_run_free(&cr);
}

/* ---- libraries ---- */

static void test_library_built_here(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	const char *binary;
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "libbtwork:btwork_step", "--", bt_workload(w, "uselib"), "5000",
	      NULL);
	assert_int_equal(func_val(&cr, "btwork_step", "calls"), 5000);
	binary = csv_table__get(cr.funcs, func_row(&cr, "btwork_step"),
				csv_table__col(cr.funcs, "binary"));
	print_message("btwork_step: 5000 calls in %s\n", binary);
	assert_non_null(strstr(binary, "/lib/libbtwork.so"));
	calls_run_free(&cr);
}

/* libc's write() called by dd: a library and a program nobody here wrote. */
static void test_libc_in_foreign_program(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	unsigned long long n;

	bt_require_bpf();
	if (access("/bin/dd", X_OK))
		fail_msg("/bin/dd (coreutils) is missing");
	trace(c, &cr, 0, "-u", "libc:write", "--", "/bin/dd", "if=/dev/zero", "of=/dev/null",
	      "bs=512", "count=2000", "status=none", NULL);
	n = func_val(&cr, "write", "calls");
	print_message("dd count=2000: %llu calls of libc write()\n", n);
	/* one write per block; nothing else with status=none */
	assert_int_equal(n, 2000);
	assert_int_equal(call_rows(&cr, "write"), 2000);
	calls_run_free(&cr);
}

/* The first byte of libc's malloc() in process @pid: 0xcc when a
 * breakpoint is there; -1 if it cannot be read. */
static int libc_malloc_byte(pid_t pid)
{
	static unsigned long off;
	char path[64], line[512];
	unsigned long base = 0, lo;
	unsigned char b;
	FILE *f;
	int fd;

	if (!off) {
		void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
		void *m = h ? dlsym(h, "malloc") : NULL;
		unsigned long self = 0;

		f = fopen("/proc/self/maps", "re");
		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "/libc.so.6") && strstr(line, " 00000000 ") &&
			    sscanf(line, "%lx-", &lo) == 1 && !self)
				self = lo;
		if (f)
			fclose(f);
		if (!m || !self)
			return -1;
		off = (unsigned long)m - self;
	}
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "/libc.so.6") && strstr(line, " 00000000 ") &&
		    sscanf(line, "%lx-", &lo) == 1 && !base)
			base = lo;
	if (f)
		fclose(f);
	if (!base)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pread(fd, &b, 1, base + off) != 1)
		b = 0;
	close(fd);
	return b;
}

/* A running process whose parent is @ppid and whose comm is @comm; 0 if none. */
static pid_t child_named(pid_t ppid, const char *comm)
{
	char path[320], buf[512];
	struct dirent *d;
	pid_t found = 0;
	DIR *dir = opendir("/proc");
	int pp;

	while (dir && !found && (d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && strstr(buf, comm) &&
		    sscanf(strrchr(buf, ')') + 2, "%*c %d", &pp) == 1 && pp == ppid)
			found = atoi(d->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

/*
 * -u libc:malloc puts breakpoints in the traced processes only: a child
 * the command forks and execs has them, a process nobody traces does not
 * (it would trap on every malloc).
 */
static void test_library_probes_only_in_traced_processes(void **state)
{
	struct bt_ctx *c = *state;
	const char *const bystander[] = {"/bin/sleep", "30", NULL};
	const char *const argv[] = {bt_benchtrace(), "-q", "-o", c->tmp.run_dir, "-u", "libc:malloc",
				    "--", "/bin/sh", "-c", "/bin/sleep 4; true", NULL};
	struct bt_proc other, bt;
	struct bt_result res;
	pid_t sh = 0, child = 0;
	int traced = -1, untraced;
	double t0;

	bt_require_bpf();
	assert_int_equal(bt_spawn(&other, NULL, bystander), 0);
	assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	/* benchtrace -> sh -> sleep; wait for the sleep to carry the probes */
	for (t0 = bt_now(); bt_now() - t0 < 20 && traced != 0xcc; bt_sleep_ms(20)) {
		if (!sh)
			sh = child_named(bt.pid, "(sh)");
		if (sh && !child)
			child = child_named(sh, "(sleep)");
		if (child)
			traced = libc_malloc_byte(child);
	}
	untraced = libc_malloc_byte(other.pid);
	print_message("malloc's first byte: traced child 0x%x, untraced process 0x%x\n", traced,
		      untraced);
	kill(other.pid, SIGKILL);
	bt_wait(&other, &res, 5);
	bt_wait(&bt, &res, 60);
	assert_int_equal(res.status, 0);
	if (traced != 0xcc)
		fail_msg("the traced child (pid %d) has no breakpoint in malloc", (int)child);
	assert_true(untraced >= 0);
	assert_int_not_equal(untraced, 0xcc);
}

/*
 * The probe pair's own cost, measured at start-up, is in meta.json and
 * functions.csv, and a function whose median call is under 10x it is
 * named on stderr; one whose calls are long is not.
 */
static void test_probe_cost_measured_and_short_calls_noted(void **state)
{
	struct bt_ctx *c = *state;
	char w[BT_PATH_MAX], err[512], meta[BT_PATH_MAX], funcs[BT_PATH_MAX], obj[256] = "";
	long long cost;
	struct csv_table *t;
	unsigned long long probe_ns;

	bt_require_bpf();
	bt_workload(w, "calls");
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-o", c->tmp.run_dir, "-u", "fib", "--", w, "fib",
	       "12", NULL);
	assert_int_equal(c->res.status, 0);
	bt_tmp_path(&c->tmp, "run/meta.json", meta);
	if (bt_json_get(meta, "probe_cost_ns", obj, sizeof(obj)) || !strstr(obj, "\"uretprobe\"") ||
	    sscanf(strstr(obj, "\"uretprobe\"") + 11, " : %lld", &cost) != 1)
		fail_msg("meta.json has no probe_cost_ns.uretprobe: %s", obj);
	t = csv_table__load(bt_tmp_path(&c->tmp, "run/functions.csv", funcs), err, sizeof(err));
	if (!t)
		fail_msg("functions.csv: %s", err);
	assert_int_equal(csv_table__get_u64(t, 0, csv_table__col(t, "probe_ns"), &probe_ns), 0);
	print_message("a uprobe+uretprobe pair costs %lld ns here; fib's p50 %llu ns\n", cost,
		      csv_table__u64(t, 0, csv_table__col(t, "p50_ns")));
	assert_true(cost > 0);
	assert_int_equal(probe_ns, cost);
	/* fib(1) does nothing: its calls are all probe */
	assert_true(csv_table__u64(t, 0, csv_table__col(t, "p50_ns")) < 10 * probe_ns);
	csv_table__free(t);
	if (!strstr(c->res.err, "note: fib: its median call"))
		fail_msg("no note about fib's short calls on stderr: %s", c->res.err);

	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-o", c->tmp.run_dir, "-u", "burn_cpu", "--", w,
	       "burn", "50", "2", NULL);
	assert_int_equal(c->res.status, 0);
	if (strstr(c->res.err, "its median call"))
		fail_msg("a note about burn_cpu's 50 ms calls: %s", c->res.err);
}

/* ---- resources per call ---- */

static void test_cpu_of_a_burning_call(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	unsigned long long own;
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "burn_cpu", "--", bt_workload(w, "calls"), "burn", "50", NULL);
	assert_int_equal(call_rows(&cr, "burn_cpu"), 1);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "call_cpu_ns", &own), 0);
	expect_close("burn_cpu cpu_ns", "50 ms", "ms", 1e6, call_val(&cr, 0, "cpu_ns"), 50e6, 0.05,
		     0);
	expect_close("burn_cpu cpu_ns", "the thread's own CPU clock", "ms", 1e6,
		     call_val(&cr, 0, "cpu_ns"), own, 0.05, 0);
	assert_true(call_val(&cr, 0, "dur_ns") + 1000 >= call_val(&cr, 0, "cpu_ns"));
	assert_true(call_val(&cr, 0, "blocked_ns") < 5000000);
	calls_run_free(&cr);
}

/*
 * Calls far shorter than a scheduler tick (4 ms at HZ=250) that make no
 * system call: without the correction for the time since the scheduler
 * last updated the thread's runtime, each would read as 0 or a whole tick
 * (checked by disabling it: 0.000 to 4.005 ms).
 */
static void test_cpu_of_short_calls(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	unsigned long long v, d, lo = ~0ULL, hi = 0, sum = 0, own, worst_over = 0;
	double t, prev_end = -1, gaps = 0;
	int i, rows, over = 0;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "busy_wait", "--", bt_workload(w, "calls"), "busy", "0.5", "200",
	      NULL);
	rows = call_rows(&cr, "busy_wait");
	assert_int_equal(rows, 200);
	for (i = 0; i < rows; i++) {
		v = call_val(&cr, i, "cpu_ns");
		d = call_val(&cr, i, "dur_ns");
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
		if (v > d + 100000) {
			over++;
			worst_over = v - d > worst_over ? v - d : worst_over;
		}
		t = csv_table__f64(cr.calls, i, csv_table__col(cr.calls, "t_s")) * 1e9;
		if (prev_end >= 0 && t > prev_end)
			gaps += t - prev_end;
		prev_end = t + d;
	}
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "call_cpu_ns", &own), 0);
	print_message("200 calls spinning 0.5 ms each: cpu_ns from %.3f to %.3f ms; %d above their "
		      "own duration (by %.3f ms at most)\n",
		      lo / 1e6, hi / 1e6, over, worst_over / 1e6);
	/*
	 * A call's CPU time does not exceed its own duration by more than
	 * 0.1 ms, but for a rare few under heavy load, and never by a tick:
	 * the task clock's offset is measured once a jiffy per CPU, and IRQ
	 * and steal time since move it (24 us seen under ASan in CI; once,
	 * under ASan with the CPUs saturated beside it, one call of 200 by
	 * 0.7 ms).  Without the correction a call crossing a tick would read
	 * a whole 4 ms in its 0.5 ms, one call in eight.  A loaded machine
	 * otherwise only makes calls longer (preempted, or the hypervisor's
	 * steal time, which the scheduler's clock counts as running: seen up
	 * to 0.5 ms here).  Together the calls hold the thread's CPU time.
	 */
	assert_true(over <= rows / 50);
	assert_true(worst_over < 2000000);
	/*
	 * The thread's CPU clock also counts what runs between the calls: the
	 * loop and the probes' own traps (1-8 us a pair on this VM, more under
	 * load).  So the calls hold at most the thread's CPU, and at least the
	 * thread's CPU less the wall time between calls (199 gaps, plus one
	 * for before the first and after the last), 2% and 0.2 ms for rounding.
	 */
	gaps = gaps * rows / (rows - 1);
	print_message("thread CPU %.3f ms, calls %.3f ms, %.3f ms of wall time between calls\n",
		      own / 1e6, sum / 1e6, gaps / 1e6);
	assert_true(sum <= own * 1.02 + 200000);
	assert_true(sum + gaps + own * 0.02 + 200000 >= own);
	calls_run_free(&cr);
}

static void test_sleeping_call_is_blocked(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "sleep_in", "--", bt_workload(w, "calls"), "sleep", "50", NULL);
	assert_int_equal(call_rows(&cr, "sleep_in"), 1);
	print_message("sleep_in(50 ms): dur %.3f ms, cpu %.3f ms, blocked %.3f ms\n",
		      call_val(&cr, 0, "dur_ns") / 1e6, call_val(&cr, 0, "cpu_ns") / 1e6,
		      call_val(&cr, 0, "blocked_ns") / 1e6);
	assert_true(call_val(&cr, 0, "cpu_ns") < 2000000);
	expect_close("sleep_in blocked_ns", "50 ms", "ms", 1e6, call_val(&cr, 0, "blocked_ns"),
		     50e6, 0.10, 0);
	assert_true(call_val(&cr, 0, "dur_ns") >= 50000000);
	calls_run_free(&cr);
}

static void test_touching_call_faults_and_grows(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	long long delta;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "touch_mem", "--", bt_workload(w, "calls"), "touch", "64", NULL);
	assert_int_equal(call_rows(&cr, "touch_mem"), 1);
	delta = strtoll(csv_table__get(cr.calls, 0, csv_table__col(cr.calls, "rss_delta_bytes")),
			NULL, 10);
	print_message("touch_mem(64 MiB): %llu minor faults, RSS %+.2f MiB, peak %.2f MiB\n",
		      call_val(&cr, 0, "minflt"), delta / MiB,
		      call_val(&cr, 0, "rss_peak_bytes") / MiB);
	/* one fault a page (no huge pages for a private mapping touched a page at a time) */
	assert_true(call_val(&cr, 0, "minflt") >= 16384 && call_val(&cr, 0, "minflt") < 16384 + 64);
	/* the RSS counters' per-CPU batching can hide up to ~1 MiB on this size of machine */
	expect_close("touch_mem rss_delta_bytes", "64 MiB", "MiB", MiB, delta, 64 * MiB, 0.03, 0);
	assert_true(call_val(&cr, 0, "rss_peak_bytes") >= (unsigned long long)delta);
	assert_int_equal(func_val(&cr, "touch_mem", "minflt"), call_val(&cr, 0, "minflt"));
	calls_run_free(&cr);
}

/*
 * inner() raised the RSS by 1 MiB and gave it back: its peak is that much
 * above what the process had before (VmRSS, reported by the workload), less
 * what the RSS counters' per-CPU batching can hide (128 KiB a CPU here).
 */
static void expect_peak_above_start(struct bt_ctx *c, unsigned long long peak)
{
	unsigned long long before;

	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "rss_before_bytes", &before), 0);
	print_message("RSS before %.2f MiB, peak inside inner() %.2f MiB\n", before / MiB,
		      peak / MiB);
	if (peak + 256 * 1024 < before + 1024 * 1024)
		fail_msg("peak %llu is not 1 MiB above the starting RSS %llu", peak, before);
}

/* The RSS reached inside a call is its peak even if freed before return. */
static void test_peak_inside_nested_calls(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	int i, fcol;
	unsigned long long outer_peak = 0, inner_peak = 0;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "outer", "-u", "inner", "--", bt_workload(w, "calls"), "nested",
	      "10", NULL);
	assert_int_equal(func_val(&cr, "inner", "calls"), 10);
	assert_int_equal(func_val(&cr, "outer", "calls"), 1);
	fcol = csv_table__col(cr.calls, "func");
	for (i = 0; i < csv_table__rows(cr.calls); i++) {
		const char *f = csv_table__get(cr.calls, i, fcol);

		if (!strcmp(f, "outer")) {
			outer_peak = call_val(&cr, i, "rss_peak_bytes");
			assert_int_equal(call_val(&cr, i, "depth"), 0);
		} else if (call_val(&cr, i, "rss_peak_bytes") > inner_peak) {
			inner_peak = call_val(&cr, i, "rss_peak_bytes");
			assert_int_equal(call_val(&cr, i, "depth"), 1);
		}
	}
	print_message("inner() maps, touches and frees 1 MiB: inner peak %.2f MiB, outer peak "
		      "%.2f MiB\n",
		      inner_peak / MiB, outer_peak / MiB);
	/* the outer call's window holds every inner peak */
	assert_true(outer_peak >= inner_peak);
	expect_peak_above_start(c, inner_peak);
	calls_run_free(&cr);
}

/*
 * The peak a call sees includes what other threads of the process do
 * during it: here the calling thread only waits while another one maps,
 * touches and frees 64 MiB.  (A new high for the process: the kernel's
 * high-water mark shows it; rss_stat alone feeds the calling thread's.)
 */
static void test_peak_made_by_another_thread(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	unsigned long long before, peak;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "wait_for_allocator", "--", bt_workload(w, "calls"), "crossthread",
	      "64", NULL);
	assert_int_equal(call_rows(&cr, "wait_for_allocator"), 1);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "rss_before_bytes", &before), 0);
	peak = call_val(&cr, 0, "rss_peak_bytes");
	print_message("RSS before %.2f MiB; peak during the waiting call %.2f MiB\n", before / MiB,
		      peak / MiB);
	/* 64 MiB above where it started, less the counters' per-CPU slack */
	assert_true(peak + 1024 * 1024 >= before + 64 * 1024 * 1024);
	calls_run_free(&cr);
}

/* ---- calls that do not return, C++ ---- */

static void test_longjmp_leaves_no_stale_frames(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "jump_out", "-u", "leaf", "--", bt_workload(w, "calls"), "jump",
	      "1000", NULL);
	load_meta(c);
	print_message("1000 calls left by longjmp: %lld unwound; leaf() afterwards: %llu call(s) "
		      "at depth %llu\n",
		      meta_nested(c, "calls", "unwound"), func_val(&cr, "leaf", "calls"),
		      call_val(&cr, 0, "depth"));
	assert_int_equal(meta_nested(c, "calls", "unwound"), 1000);
	assert_int_equal(func_val(&cr, "jump_out", "calls"), 0);
	assert_int_equal(func_val(&cr, "leaf", "calls"), 1);
	assert_int_equal(call_val(&cr, 0, "depth"), 0);
	calls_run_free(&cr);
}

/* Rows of @func in calls.csv at depth @depth. */
static int calls_at_depth(const struct calls_run *cr, const char *func, unsigned long long depth)
{
	int col = csv_table__col(cr->calls, "func"), i, n = 0;

	for (i = 0; i < csv_table__rows(cr->calls); i++)
		n += !strcmp(csv_table__get(cr->calls, i, col), func) &&
		     call_val(cr, i, "depth") == depth;
	return n;
}

/*
 * A tail call (a jump into another traced function, which then returns
 * for both): each call counts, the callee nested in its caller; two in a
 * row too.  Nothing is taken for abandoned.
 */
static void test_tail_calls_count_both(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "tail_caller", "-u", "leafy", "-u", "chain_a", "-u", "chain_b", "--",
	      bt_workload(w, "tailcall"), "200", NULL);
	load_meta(c);
	print_message("tail_caller %llu, chain_a %llu, chain_b %llu, leafy %llu calls; %lld "
		      "unwound\n",
		      func_val(&cr, "tail_caller", "calls"), func_val(&cr, "chain_a", "calls"),
		      func_val(&cr, "chain_b", "calls"), func_val(&cr, "leafy", "calls"),
		      meta_nested(c, "calls", "unwound"));
	assert_int_equal(func_val(&cr, "tail_caller", "calls"), 200);
	assert_int_equal(func_val(&cr, "chain_a", "calls"), 200);
	assert_int_equal(func_val(&cr, "chain_b", "calls"), 200);
	assert_int_equal(func_val(&cr, "leafy", "calls"), 400);
	assert_int_equal(meta_nested(c, "calls", "unwound"), 0);
	assert_int_equal(calls_at_depth(&cr, "leafy", 1), 200); /* in tail_caller */
	assert_int_equal(calls_at_depth(&cr, "leafy", 2), 200); /* in chain_a, chain_b */
	assert_int_equal(calls_at_depth(&cr, "chain_b", 1), 200);
	calls_run_free(&cr);
}

/* A uretprobe would make every throw through a traced frame std::terminate(). */
static void test_cxx_exceptions_and_names(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "bt::Trainer::step", "-u", "bt::scale", "--",
	      bt_workload(w, "cxx_calls"), "1000", NULL);
	load_meta(c);
	print_message("C++: step %llu returned, %lld left by an exception; scale(int) %llu, "
		      "scale(double) %llu\n",
		      func_val(&cr, "bt::Trainer::step(int)", "calls"),
		      meta_nested(c, "calls", "unwound"), func_val(&cr, "bt::scale(int)", "calls"),
		      func_val(&cr, "bt::scale(double)", "calls"));
	assert_non_null(strstr(c->res.out, "steps 1000 thrown 100"));
	assert_int_equal(func_val(&cr, "bt::Trainer::step(int)", "calls"), 900);
	assert_int_equal(meta_nested(c, "calls", "unwound"), 100);
	assert_int_equal(func_val(&cr, "bt::scale(int)", "calls"), 1000);
	assert_int_equal(func_val(&cr, "bt::scale(double)", "calls"), 1000);
	calls_run_free(&cr);
}

/* ---- process tree ---- */

static void test_children_and_exec(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	int i, j, npids = 0, pids[64];

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "leaf", "--", bt_workload(w, "calls"), "fork", "50", NULL);
	assert_int_equal(func_val(&cr, "leaf", "calls"), 50);
	for (i = 0; i < csv_table__rows(cr.calls); i++) {
		int pid = call_val(&cr, i, "pid");

		for (j = 0; j < npids && pids[j] != pid; j++)
			;
		if (j == npids && npids < 64)
			pids[npids++] = pid;
	}
	print_message("50 forked children: leaf() seen in %d distinct processes\n", npids);
	assert_int_equal(npids, 50);
	calls_run_free(&cr);

	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	trace(c, &cr, 0, "--no-children", "-u", "leaf", "--", w, "fork", "50", NULL);
	assert_int_equal(func_val(&cr, "leaf", "calls"), 0);
	calls_run_free(&cr);

	/* calls of the program it execs (the same binary, a new image) */
	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	trace(c, &cr, 0, "-u", "leaf", "-u", "fib", "--", w, "exec", w, "fib", "5", NULL);
	assert_int_equal(func_val(&cr, "leaf", "calls"), 1);
	assert_int_equal(func_val(&cr, "fib", "calls"), 15);
	calls_run_free(&cr);
}

static void test_pid_mode(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	const char *argv[] = {NULL, "spin", "4", NULL};
	char w[BT_PATH_MAX], pid[16];
	unsigned long long own, seen;
	struct bt_proc wl;
	struct bt_result wr;
	int i;

	bt_require_bpf();
	argv[0] = bt_workload(w, "calls");
	assert_int_equal(bt_spawn(&wl, c->tmp.report, argv), 0);
	bt_sleep_ms(300);
	snprintf(pid, sizeof(pid), "%d", wl.pid);
	trace(c, &cr, 0, "-d", "1s", "-u", "work_item", "-p", pid, NULL);
	bt_wait(&wl, &wr, 30);
	assert_int_equal(wr.status, 0);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "calls", &own), 0);
	seen = func_val(&cr, "work_item", "calls");
	print_message("-p for 1 s of a 4 s run: %llu of the %llu calls\n", seen, own);
	/* a quarter, whenever in the run the second fell */
	assert_true(seen > own / 8 && seen < own / 2);
	assert_int_equal(call_rows(&cr, "work_item"), seen);
	for (i = 0; i < csv_table__rows(cr.calls); i++)
		assert_int_equal(call_val(&cr, i, "pid"), wl.pid);
	calls_run_free(&cr);
}

/* -a: no default program, BINARY:FUNC names it; every process running it counts. */
static void test_all_mode(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	const char *argv[] = {NULL, "spin", "4", NULL};
	char w[BT_PATH_MAX], spec[BT_PATH_MAX + 16];
	struct bt_proc wl;
	struct bt_result wr;
	unsigned long long own, seen;

	bt_require_bpf();
	argv[0] = bt_workload(w, "calls");
	snprintf(spec, sizeof(spec), "%s:work_item", w);
	assert_int_equal(bt_spawn(&wl, c->tmp.report, argv), 0);
	trace(c, &cr, 0, "-a", "-d", "1s", "-u", spec, NULL);
	bt_wait(&wl, &wr, 30);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "calls", &own), 0);
	seen = func_val(&cr, "work_item", "calls");
	print_message("-a for 1 s of a 4 s run: %llu of the %llu calls\n", seen, own);
	assert_true(seen > own / 8 && seen < own / 2);
	calls_run_free(&cr);
	/* a bare FUNC has no program to look in */
	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-a", "-d", "1s", "-o", c->tmp.run_dir, "-u",
	       "work_item", NULL);
	expect_refusal(&c->res, 1, 1, "-a with a bare FUNC");
	assert_non_null(strstr(c->res.err, "BINARY:FUNC"));
}

/* ---- options ---- */

static void test_min_duration_keeps_stats_exact(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	int i, rows;

	bt_require_bpf();
	trace(c, &cr, 0, "--min-duration", "100us", "-u", "fib", "--", bt_workload(w, "calls"),
	      "fib", "20", NULL);
	rows = call_rows(&cr, "fib");
	print_message("--min-duration 100us: %d of 21891 calls written\n", rows);
	assert_int_equal(func_val(&cr, "fib", "calls"), 21891);
	assert_true(rows > 0 && rows < 21891);
	for (i = 0; i < rows; i++)
		assert_true(call_val(&cr, i, "dur_ns") >= 100000);
	calls_run_free(&cr);
}

static void test_percentiles_bracket_the_calls(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	unsigned long long *d, p50, p90, p99, v;
	int i, j, n;

	bt_require_bpf();
	trace(c, &cr, 0, "-u", "fib", "--", bt_workload(w, "calls"), "fib", "16", NULL);
	n = call_rows(&cr, "fib");
	d = calloc(n, sizeof(*d));
	assert_non_null(d);
	/* insertion sort of the durations: n is a few thousand */
	for (i = 0; i < n; i++) {
		v = call_val(&cr, i, "dur_ns");
		for (j = i; j > 0 && d[j - 1] > v; j--)
			d[j] = d[j - 1];
		d[j] = v;
	}
	p50 = func_val(&cr, "fib", "p50_ns");
	p90 = func_val(&cr, "fib", "p90_ns");
	p99 = func_val(&cr, "fib", "p99_ns");
	print_message(
	    "fib(16), %d calls: p50 %llu (exact %llu), p90 %llu (%llu), p99 %llu (%llu)\n", n, p50,
	    d[(n + 1) / 2 - 1], p90, d[(9 * n + 9) / 10 - 1], p99, d[(99 * n + 99) / 100 - 1]);
	/* log-linear buckets: within 1/64 of the exact order statistic, +1 ns */
	expect_close("p50", "calls.csv", "ns", 1, p50, d[(n + 1) / 2 - 1], 0.016, 1);
	expect_close("p90", "calls.csv", "ns", 1, p90, d[(9 * n + 9) / 10 - 1], 0.016, 1);
	expect_close("p99", "calls.csv", "ns", 1, p99, d[(99 * n + 99) / 100 - 1], 0.016, 1);
	assert_int_equal(func_val(&cr, "fib", "min_ns"), d[0]);
	assert_int_equal(func_val(&cr, "fib", "max_ns"), d[n - 1]);
	free(d);
	calls_run_free(&cr);
}

static void test_glob_matching_many(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];
	int i, col;

	bt_require_bpf();
	/* not -q: the note about how many is the point */
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-o", c->tmp.run_dir, "-u", "fn_*", "--",
	       bt_workload(w, "many"), "3", NULL);
	assert_int_equal(c->res.status, 0);
	print_message("stderr: %.200s\n", c->res.err);
	assert_non_null(strstr(c->res.err, "matches 160 functions"));
	cr.funcs = load_checked(c->tmp.run_dir, "functions.csv", FUNCTIONS_HEADER);
	assert_int_equal(csv_table__rows(cr.funcs), 160);
	col = csv_table__col(cr.funcs, "calls");
	for (i = 0; i < 160; i++)
		assert_int_equal(csv_table__u64(cr.funcs, i, col), 3);
	calls_run_free(&cr);
}

/* The raw_tp fallback keeps per-call RSS peaks too (rss_stat feeds them). */
static void test_raw_tp_flavour(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX];

	bt_require_bpf();
	setenv("BENCHTRACE_RAW_TP", "1", 1);
	trace(c, &cr, 0, "-u", "inner", "--", bt_workload(w, "calls"), "nested", "3", NULL);
	unsetenv("BENCHTRACE_RAW_TP");
	assert_int_equal(func_val(&cr, "inner", "calls"), 3);
	print_message("raw_tp: inner() peak %.2f MiB, RSS change %s bytes\n",
		      call_val(&cr, 0, "rss_peak_bytes") / MiB,
		      csv_table__get(cr.calls, 0, csv_table__col(cr.calls, "rss_delta_bytes")));
	expect_peak_above_start(c, call_val(&cr, 0, "rss_peak_bytes"));
	calls_run_free(&cr);
}

/*
 * Kernels before v6.6 have no uprobe_multi links: one perf-event uprobe per
 * probe instead.  Same counts, exits and C++ safety.
 */
static void test_perf_event_uprobes_fallback(void **state)
{
	struct bt_ctx *c = *state;
	struct calls_run cr = {};
	char w[BT_PATH_MAX], multi[16];

	bt_require_bpf();
	setenv("BENCHTRACE_NO_UPROBE_MULTI", "1", 1);
	trace(c, &cr, 0, "-u", "bt::Trainer::step", "--", bt_workload(w, "cxx_calls"), "100", NULL);
	unsetenv("BENCHTRACE_NO_UPROBE_MULTI");
	load_meta(c);
	assert_int_equal(bt_json_get(c->rd.meta, "kernel_features", w, sizeof(w)), 0);
	snprintf(multi, sizeof(multi), "%s", strstr(w, "\"uprobe_multi\": false") ? "off" : "on");
	print_message("perf-event uprobes (uprobe_multi %s): step %llu returned, %lld unwound\n",
		      multi, func_val(&cr, "bt::Trainer::step(int)", "calls"),
		      meta_nested(c, "calls", "unwound"));
	assert_string_equal(multi, "off");
	assert_int_equal(func_val(&cr, "bt::Trainer::step(int)", "calls"), 90);
	/* the 10th throw is the program's last call of step(): nothing after it
	 * shows that its frame was abandoned */
	assert_int_equal(meta_nested(c, "calls", "unwound"), 9);
	calls_run_free(&cr);

	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	setenv("BENCHTRACE_NO_UPROBE_MULTI", "1", 1);
	trace(c, &cr, 0, "-u", "fib", "--", bt_workload(w, "calls"), "fib", "15", NULL);
	unsetenv("BENCHTRACE_NO_UPROBE_MULTI");
	assert_int_equal(func_val(&cr, "fib", "calls"), 1973);
	calls_run_free(&cr);
}

/* ---- errors: one line, exit 1, no run directory ---- */

/* -p: a library is looked up in what the process has mapped. */
static void test_library_not_mapped(void **state)
{
	struct bt_ctx *c = *state;
	const char *argv[] = {NULL, "spin", "3", NULL};
	char w[BT_PATH_MAX], pid[16];
	struct bt_proc wl;
	struct bt_result wr;

	bt_require_bpf();
	argv[0] = bt_workload(w, "calls");
	assert_int_equal(bt_spawn(&wl, NULL, argv), 0);
	bt_sleep_ms(200);
	snprintf(pid, sizeof(pid), "%d", wl.pid);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "-u", "libz:deflate", "-p",
	       pid, NULL);
	expect_refusal(&c->res, 1, 1, "library not mapped");
	if (!strstr(c->res.err, "not mapped"))
		fail_msg("stderr does not say the library is not mapped");
	expect_no_run_dir(c, "library not mapped");
	kill(wl.pid, SIGKILL);
	bt_wait(&wl, &wr, 10);
}

/* -z: calls.csv.gz and functions.csv.gz, read back like the plain files. */
static void test_gzip_calls(void **state)
{
	struct bt_ctx *c = *state;
	char w[BT_PATH_MAX], path[BT_PATH_MAX + 32], err[256];
	struct csv_table *t;

	bt_require_bpf();
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-z", "-o", c->tmp.run_dir, "-u", "fib", "--",
	       bt_workload(w, "calls"), "fib", "12", NULL);
	assert_int_equal(c->res.status, 0);
	snprintf(path, sizeof(path), "%s/calls.csv.gz", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(csv_table__rows(t), 465); /* fib(12): 465 calls */
	csv_table__free(t);
	snprintf(path, sizeof(path), "%s/functions.csv.gz", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(csv_table__u64(t, 0, csv_table__col(t, "calls")), 465);
	csv_table__free(t);
}

/* functions.csv of the run in c: whether func has a row. */
static bool has_function(struct bt_ctx *c, const char *func)
{
	char path[BT_PATH_MAX + 32], err[256];
	struct csv_table *t;
	bool found = false;
	int i, fc;

	snprintf(path, sizeof(path), "%s/functions.csv", c->tmp.run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	fc = csv_table__col(t, "func");
	for (i = 0; i < csv_table__rows(t) && !found; i++)
		found = !strcmp(csv_table__get(t, i, fc), func);
	csv_table__free(t);
	return found;
}

/*
 * Functions that never return get no return probe: on the ELF entry point
 * one rewrote argc (-u '*' made a C program see argc = -8192).  A glob
 * leaves them out and says so; naming one alone is refused.
 */
static void test_functions_that_never_return(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], sh[] = "/bin/sh";
	const char *all[] = {"-q", "-o", c->tmp.run_dir, "-u", "*", "--",
			     bt_workload(wl, "exit_with"), "3", NULL};
	const char *start[] = {"-q", "-o", c->tmp.run_dir, "-u", "_start", "--", wl, "3", NULL};
	const char *libc[] = {"-q", "-o", c->tmp.run_dir, "-u", "libc:mallo*", "--", sh, "-c",
			      "exit 5", NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, all);
	print_message("-u '*': exit %d, stderr %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 3); /* the program's own exit code, argv intact */
	assert_non_null(strstr(c->res.err, "_start"));
	assert_true(has_function(c, "main"));
	assert_false(has_function(c, "_start"));

	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, start);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "never returns"));

	/* a C library's exception tables ask for return-instruction probes, and
	 * malloc_printerr has no return instruction: left out, malloc timed */
	bt_tmp_cleanup(&c->tmp);
	assert_int_equal(bt_tmp_init(&c->tmp), 0);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, libc);
	print_message("-u 'libc:mallo*': exit %d, stderr %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 5);
	assert_non_null(strstr(c->res.err, "malloc_printerr"));
	assert_true(has_function(c, "malloc"));
}

/*
 * A loop back to the function's first instruction fired the entry probe
 * once per iteration (a 13 ms run took 5 min, 9999990 calls "unwound"):
 * such a function is refused alone and left out of a glob.
 */
static void test_loop_to_entry_refused(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *alone[] = {"-q", "-o", c->tmp.run_dir, "-u", "count_down", "--",
			       bt_workload(wl, "loop_entry"), "100000", NULL};
	const char *glob[] = {"-q", "-o", c->tmp.run_dir, "-u", "count_*", "--", wl, "100000", NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, alone);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "jumps back to its own first instruction"));
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, glob);
	print_message("-u 'count_*': exit %d, %s", c->res.status, c->res.err);
	assert_int_equal(c->res.status, 0);
	assert_string_equal(c->res.out, "0 5\n");
	assert_non_null(strstr(c->res.err, "count_down"));
	assert_true(has_function(c, "count_up"));
	assert_false(has_function(c, "count_down"));
}

/* A Go program's functions: refused in one line, never counted wrong. */
static void test_go_program_refused(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-u", "main", "--",
			      bt_elf_fixture("prog_gofake"), NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "is a Go program"));
	assert_int_not_equal(access(c->tmp.run_dir, F_OK), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_recursion_exact_count_and_depth),
	    T(test_threads_exact_count),
	    T(test_library_built_here),
	    T(test_libc_in_foreign_program),
	    T(test_library_probes_only_in_traced_processes),
	    T(test_probe_cost_measured_and_short_calls_noted),
	    T(test_cpu_of_a_burning_call),
	    T(test_cpu_of_short_calls),
	    T(test_sleeping_call_is_blocked),
	    T(test_touching_call_faults_and_grows),
	    T(test_peak_inside_nested_calls),
	    T(test_peak_made_by_another_thread),
	    T(test_longjmp_leaves_no_stale_frames),
	    T(test_tail_calls_count_both),
	    T(test_cxx_exceptions_and_names),
	    T(test_children_and_exec),
	    T(test_pid_mode),
	    T(test_all_mode),
	    T(test_min_duration_keeps_stats_exact),
	    T(test_percentiles_bracket_the_calls),
	    T(test_glob_matching_many),
	    T(test_raw_tp_flavour),
	    T(test_perf_event_uprobes_fallback),
	    T(test_library_not_mapped),
	    T(test_gzip_calls),
	    T(test_functions_that_never_return),
	    T(test_go_program_refused),
	    T(test_loop_to_entry_refused),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
