// SPDX-License-Identifier: GPL-2.0
/*
 * Integration tests: run the real build/benchtrace on the workload programs
 * (tests/workloads/) and compare what it recorded with the kernel's own
 * accounting of the same process, which each workload writes to its
 * BT_REPORT file just before it exits (getrusage, /proc/self/io, VmHWM).
 *
 * Tolerances (SPEC targets):
 *   CPU time             5% of utime + stime
 *   peak RSS             3% of VmHWM
 *   read/write bytes     5% of /proc/PID/io
 *   faults, ctx switches 5% of getrusage, or 20 if that is more (small counts:
 *                        the workload's exit after its report, and a thread's
 *                        final switch, are seen by the tracer, not by rusage)
 *
 * Needs root and working BPF: skips with "SKIP: reason" otherwise, but fails
 * when CI is set.  Usage-error tests need neither and always run.
 *
 * Usage: test_trace [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "rundir/safefile.h"
#include "testutil.h"

#define MiB (1024.0 * 1024.0)

/* Generous: a traced run of the longest workload takes ~3 s. */
#define RUN_TIMEOUT_S 60.0


/* ---- helpers ---- */

static unsigned long long report(struct bt_ctx *c, const char *key)
{
	unsigned long long v = 0;

	if (bt_report_get(&c->rep, key, &v))
		fail_msg("workload report %s has no '%s'", c->tmp.report, key);
	return v;
}

/*
 * benchtrace -q -o RUN -i INTERVAL -- WORKLOAD ARGS...: expect exit status
 * @want_status, then load the workload's report and the run directory.
 */
static void trace_workload(struct bt_ctx *c, const char *interval, int want_status,
			   const char *workload, ...)
{
	const char *args[64] = {"-q", "-o", c->tmp.run_dir, "-i", interval, "--"};
	char path[BT_PATH_MAX], err[1024];
	int n = 6, rc;
	va_list ap;

	args[n++] = bt_workload(path, workload);
	va_start(ap, workload);
	while (n < 63 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;

	unlink(c->tmp.report);
	bt_rundir_free(&c->rd);
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, args);
	if (c->res.timed_out || c->res.status != want_status) {
		show_stderr(&c->res);
		fail_msg("benchtrace ... -- %s: exit status %d, want %d%s", workload, c->res.status,
			 want_status, c->res.timed_out ? " (timed out)" : "");
	}
	rc = bt_report_load(&c->rep, c->tmp.report);
	if (rc)
		fail_msg("workload %s wrote no report %s: %s", workload, c->tmp.report,
			 strerror(-rc));
	c->pid = report(c, "pid");
	if (bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err))) {
		show_stderr(&c->res);
		fail_msg("run directory: %s", err);
	}
	if (bt_samples_rows(&c->rd, c->pid) < 1)
		fail_msg("samples.csv has no row for the workload (pid %d)", c->pid);
}

/* After a bt_run() of benchtrace: its status, the run directory loaded;
 * returns the first traced pid (the command's). */
static int load_run(struct bt_ctx *c, int want_status)
{
	char err[1024];

	if (c->res.timed_out || c->res.status != want_status) {
		show_stderr(&c->res);
		fail_msg("benchtrace: exit status %d, want %d", c->res.status, want_status);
	}
	bt_rundir_free(&c->rd);
	if (bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err)))
		fail_msg("run directory: %s", err);
	if (bt_samples_rows(&c->rd, -1) < 1)
		fail_msg("samples.csv has no rows");
	return (int)csv_table__u64(c->rd.samples, 0, csv_table__col(c->rd.samples, "pid"));
}

static void expect_meta_str(struct bt_ctx *c, const char *key, const char *want)
{
	char got[256];
	int rc = bt_json_get(c->rd.meta, key, got, sizeof(got));

	if (rc)
		fail_msg("meta.json has no \"%s\" (%s)", key, strerror(-rc));
	if (strcmp(got, want))
		fail_msg("meta.json \"%s\" is \"%s\", want \"%s\"", key, got, want);
}

static void expect_meta_ll(struct bt_ctx *c, const char *key, long long want)
{
	long long got;
	int rc = bt_json_get_ll(c->rd.meta, key, &got);

	if (rc)
		fail_msg("meta.json \"%s\" is missing or not a number (%s)", key, strerror(-rc));
	if (got != want)
		fail_msg("meta.json \"%s\" is %lld, want %lld", key, got, want);
}

static void expect_exit_event(struct bt_ctx *c, int pid, const char *want)
{
	char detail[128] = "";

	if (bt_events_count(&c->rd, pid, "exit", want) != 1) {
		bt_events_detail(&c->rd, pid, "exit", detail, sizeof(detail));
		fail_msg("events.csv: want one 'exit' event for pid %d with detail '%s'; "
			 "first one has '%s', %d in all",
			 pid, want, detail, bt_events_count(&c->rd, pid, "exit", NULL));
	}
}

static const char *const outcomes[] = {"completed", "failed",	    "killed", "oom_killed",
				       "detached",  "tracer_error", NULL};

/*
 * A run stopped by a signal to benchtrace: meta.json has a known outcome,
 * and the exit status goes with it (SPEC: the command's status in command
 * mode, 0 otherwise).  Returns the outcome.
 */
static const char *expect_finalised(struct bt_ctx *c, int command_mode)
{
	static char outcome[64];
	long long code, sig;
	char err[1024];
	int i;

	if (bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err))) {
		show_stderr(&c->res);
		fail_msg("run directory not finalised: %s", err);
	}
	if (bt_json_get(c->rd.meta, "outcome", outcome, sizeof(outcome)))
		fail_msg("meta.json has no \"outcome\" after the run was stopped");
	for (i = 0; outcomes[i] && strcmp(outcomes[i], outcome); i++)
		;
	if (!outcomes[i])
		fail_msg("meta.json outcome \"%s\" is not one SPEC.md lists", outcome);
	print_message("stopped run: outcome %s, exit status %d, %.2f s, %d samples rows\n", outcome,
		      c->res.status, c->res.wall_s, bt_samples_rows(&c->rd, -1));
	if (!command_mode || !strcmp(outcome, "completed") || !strcmp(outcome, "detached")) {
		assert_int_equal(c->res.status, 0);
	} else if (!strcmp(outcome, "failed")) {
		if (bt_json_get_ll(c->rd.meta, "exit_code", &code))
			fail_msg("outcome failed but no numeric exit_code in meta.json");
		assert_int_equal(c->res.status, code);
	} else if (!strcmp(outcome, "killed")) {
		if (bt_json_get_ll(c->rd.meta, "signal", &sig))
			fail_msg("outcome killed but no numeric signal in meta.json");
		assert_int_equal(c->res.status, 128 + sig);
	}
	return outcome;
}

/*
 * Whether benchtrace leaves BPF programs behind.  Other tracers (or other
 * benchtrace runs) may load and unload programs meanwhile, so counting them
 * is not enough: note the programs benchtrace itself holds while it traces
 * (its /proc/PID/fdinfo), and after it exits check that none of those is
 * still loaded, and that no new handle_* / iter_* program is left that no
 * process holds (pinned, or leaked some other way).
 */
struct bpf_watch {
	unsigned int before[1024]; /* handle_* / iter_* programs loaded before */
	int nbefore;
	unsigned int ours[256]; /* held by benchtrace while it traced */
	int nours;
};

static void bpf_watch_start(struct bpf_watch *w)
{
	w->nbefore = bt_bpf_prog_ids(bt_tracer_prog_prefixes, w->before, 1024);
	w->nours = 0;
}

static int id_in(unsigned int id, const unsigned int *ids, int n)
{
	while (n-- > 0) {
		if (ids[n] == id)
			return 1;
	}
	return 0;
}

/* Programs of ours still loaded, plus new unowned handle_* / iter_* ones. */
static int bpf_leftovers(const struct bpf_watch *w, char *names, size_t len)
{
	unsigned int now[1024];
	int i, n, left = 0;
	size_t off = 0;

	for (i = 0; i < w->nours; i++)
		left += bt_bpf_prog_loaded(w->ours[i]);
	n = bt_bpf_prog_ids(bt_tracer_prog_prefixes, now, 1024);
	for (i = 0; i < n; i++) {
		if (id_in(now[i], w->before, w->nbefore))
			continue;
		if (id_in(now[i], w->ours, w->nours) || !bt_bpf_prog_held(now[i])) {
			left += !id_in(now[i], w->ours, w->nours);
			if (off < len)
				off += snprintf(names + off, len - off, " %u", now[i]);
		}
	}
	return left;
}

/* BPF programs are freed asynchronously after the last reference goes: retry. */
static void expect_bpf_unloaded(const struct bpf_watch *w)
{
	char ids[256] = "";
	int i, left = 0;

	for (i = 0; i < 50; i++) {
		ids[0] = 0;
		left = bpf_leftovers(w, ids, sizeof(ids));
		if (!left)
			break;
		bt_sleep_ms(100);
	}
	print_message("BPF: benchtrace held %d programs while tracing; %d left after it exited\n",
		      w->nours, left);
	if (!w->nours)
		fail_msg("found no BPF programs held by benchtrace while it traced");
	if (left)
		fail_msg("%d BPF programs left after benchtrace exited (ids:%s)", left, ids);
}

/*
 * Wait until benchtrace holds BPF programs and has written meta.json, then
 * note its programs in @w.
 */
static void wait_tracing(struct bt_ctx *c, const struct bt_proc *p, struct bpf_watch *w)
{
	char meta[BT_PATH_MAX];
	double t0 = bt_now();

	bt_tmp_path(&c->tmp, "run/meta.json", meta);
	for (;;) {
		w->nours = bt_proc_bpf_progs(p->pid, w->ours, 256);
		if (w->nours > 0 && !access(meta, F_OK))
			break;
		if (!bt_pid_alive(p->pid))
			fail_msg("benchtrace exited before it started tracing");
		if (bt_now() - t0 > 15)
			fail_msg("benchtrace has not loaded its BPF programs and written "
				 "meta.json after 15 s");
		bt_sleep_ms(20);
	}
}

/* bad input (usage errors, refusals at start): tests/integration/test_badinput.c */

/* ---- accuracy against the kernel's own accounting ---- */

static void test_cpu_time_matches_rusage(void **state)
{
	struct bt_ctx *c = *state;
	double truth;

	bt_require_bpf();
	/* Two threads, 1 s of CPU each. */
	trace_workload(c, "100ms", 0, "cpu_burn", "1", "2", NULL);
	truth = report(c, "utime_ns") + report(c, "stime_ns");
	assert_true(truth >= 1.9e9); /* the workload did burn 2 s */
	expect_close("cpu", "rusage", "s", 1e9, bt_samples_sum(&c->rd, c->pid, "cpu_ns"), truth,
		     0.05, 0);
	print_message("threads: max %llu (want 2)\n", bt_samples_max(&c->rd, c->pid, "threads"));
	assert_int_equal(bt_samples_max(&c->rd, c->pid, "threads"), 2);
}

/*
 * A running thread's CPU clock read at 10 ms ticks: no row shows more CPU
 * than its one thread can use (the kernel's clock of a running thread
 * catches up in jumps), and cpu_ns still sums to the kernel's figure.
 */
static void test_cpu_rate_never_above_threads(void **state)
{
	struct bt_ctx *c = *state;
	int i, rows = 0, pc, cc;
	double truth, pct, max = 0;

	bt_require_bpf();
	trace_workload(c, "10ms", 0, "cpu_burn", "1", "1", NULL);
	pc = csv_table__col(c->rd.samples, "pid");
	cc = csv_table__col(c->rd.samples, "cpu_pct");
	for (i = 0; i < csv_table__rows(c->rd.samples); i++) {
		if ((int)csv_table__u64(c->rd.samples, i, pc) != c->pid)
			continue;
		pct = csv_table__f64(c->rd.samples, i, cc);
		rows++;
		if (pct > max)
			max = pct;
	}
	print_message("%d rows at 10 ms: cpu_pct at most %.1f\n", rows, max);
	assert_true(rows >= 20);
	assert_true(max <= 100.0);
	assert_true(max >= 50.0); /* it did run flat out */
	truth = report(c, "utime_ns") + report(c, "stime_ns");
	expect_close("cpu", "rusage", "s", 1e9, bt_samples_sum(&c->rd, c->pid, "cpu_ns"), truth,
		     0.01, 2e6);
}

/* Rows of @pid sampled inside [t0_ns, t1_ns] (CLOCK_MONOTONIC), by meta.json's clock base. */
static int rows_between(struct bt_ctx *c, int pid, unsigned long long t0_ns,
			unsigned long long t1_ns)
{
	unsigned long long base = 0, t;
	struct json_doc *doc;
	char err[256];
	int i, n = 0, pc = csv_table__col(c->rd.samples, "pid");

	doc = json_doc__load(c->rd.meta, &(struct json_opts){.strict = true}, err, sizeof(err));
	if (!doc)
		fail_msg("%s", err);
	if (json_value__u64(json_value__path(json_doc__root(doc), "start.monotonic_ns"), &base))
		fail_msg("meta.json has no start.monotonic_ns");
	json_doc__free(doc);
	for (i = 0; i < csv_table__rows(c->rd.samples); i++) {
		if ((int)csv_table__u64(c->rd.samples, i, pc) != pid)
			continue;
		t = base + (unsigned long long)(csv_table__f64(c->rd.samples, i, 0) * 1e9);
		n += t + 1000 >= t0_ns && t <= t1_ns + 1000; /* t_s is rounded to the us */
	}
	return n;
}

static void test_rss_spike_between_samples_matches_vmhwm(void **state)
{
	struct bt_ctx *c = *state;
	double hwm, levels;
	int inside;

	bt_require_bpf();
	/*
	 * 128 MiB touched at 1.5 s, held 20 ms, unmapped; exit at ~2.2 s.  With
	 * 1 s intervals, samples fall at ~1 s and ~2 s: none sees the spike.
	 */
	trace_workload(c, "1s", 0, "rss_spike", "128", "20", "1500", "700", NULL);
	hwm = report(c, "vmhwm_bytes");
	assert_true(hwm >= 128 * MiB);
	/* what the kernel saw, within the per-CPU parts of the counters (a
	 * batch of max(32, 2 x CPUs) pages per CPU, for file, anon and
	 * shmem): below it where the hot path cannot sum them, and above it
	 * by as much where VmHWM itself was taken from the counters' global
	 * values (24 pages above once, with stress-ng beside the suite) */
	{
		long ncpu = sysconf(_SC_NPROCESSORS_CONF);
		double batch = (ncpu * 2 > 32 ? ncpu * 2 : 32) * 4096.0;
		double peak = bt_samples_max(&c->rd, c->pid, "rss_peak_bytes");

		print_message("rss peak %.0f bytes, VmHWM %.0f (allowed %.0f below)\n", peak, hwm,
			      3 * ncpu * batch);
		assert_true(peak <= hwm + 3 * ncpu * batch);
		assert_true(peak >= hwm - 3 * ncpu * batch);
	}
	/*
	 * rss_bytes is the level at the end of each interval: the spike must not
	 * show there (if it did, the peak above proved nothing).  On a loaded
	 * machine the workload's sleeps can stretch until a sample falls inside
	 * the spike; the rows say whether one did, and then a level may see it.
	 */
	inside = rows_between(c, c->pid, report(c, "spike_start_ns"), report(c, "spike_end_ns"));
	levels = bt_samples_max(&c->rd, c->pid, "rss_bytes");
	print_message("rss level: max %.1f MiB at interval ends (spike %.1f MiB, %d samples "
		      "inside it)\n",
		      levels / MiB, hwm / MiB, inside);
	if (!inside && levels > hwm / 2)
		fail_msg(
		    "rss_bytes reached %.1f MiB at an interval end: the 20 ms spike should fall "
		    "between samples",
		    levels / MiB);
}

/* A directory on a real disk (O_DIRECT, storage I/O): /var/tmp, else the build dir. */
static char *disk_path(struct bt_ctx *c, const char *name, char *buf)
{
	struct statfs sfs;

	if (!statfs(c->tmp.dir, &sfs) && sfs.f_type != TMPFS_MAGIC)
		return bt_tmp_path(&c->tmp, name, buf);
	snprintf(buf, BT_PATH_MAX, "%s/tests/%s.%d", bt_build_dir(), name, (int)getpid());
	return buf;
}

static void test_io_bytes_match_proc_io(void **state)
{
	struct bt_ctx *c = *state;
	char data[BT_PATH_MAX];
	double rd, wr;

	bt_require_bpf();
	/* 64 MiB buffered write + fsync, cache dropped, 64 MiB O_DIRECT read. */
	trace_workload(c, "100ms", 0, "io_rw", disk_path(c, "io_rw.data", data), "64", NULL);
	rd = report(c, "read_bytes");
	wr = report(c, "write_bytes");
	assert_true(wr >= 64 * MiB && rd >= 64 * MiB);
	expect_close("write", "/proc/PID/io", "MiB", MiB,
		     bt_samples_sum(&c->rd, c->pid, "write_bytes"), wr, 0.05, 0);
	expect_close("read", "/proc/PID/io", "MiB", MiB,
		     bt_samples_sum(&c->rd, c->pid, "read_bytes"), rd, 0.05, 0);
	/* the system calls' view: the same bytes, through read() and write() */
	assert_true(report(c, "rchar") >= 64 * MiB && report(c, "wchar") >= 64 * MiB);
	expect_close("rchar", "/proc/PID/io", "MiB", MiB, bt_samples_sum(&c->rd, c->pid, "rchar"),
		     report(c, "rchar"), 0.01, 0);
	expect_close("wchar", "/proc/PID/io", "MiB", MiB, bt_samples_sum(&c->rd, c->pid, "wchar"),
		     report(c, "wchar"), 0.01, 0);
	expect_close("syscr", "/proc/PID/io", "calls", 1, bt_samples_sum(&c->rd, c->pid, "syscr"),
		     report(c, "syscr"), 0.01, 10);
	expect_close("syscw", "/proc/PID/io", "calls", 1, bt_samples_sum(&c->rd, c->pid, "syscw"),
		     report(c, "syscw"), 0.01, 10);
}

/*
 * A file read from the page cache causes no storage I/O, but it is I/O the
 * program did: cat (a program nobody here wrote) of a file just written
 * shows its size in rchar and wchar, and no read_bytes.
 */
static void test_page_cache_reads_show_as_rchar(void **state)
{
	struct bt_ctx *c = *state;
	const size_t size = 32 << 20;
	char data[BT_PATH_MAX];
	unsigned long long rchar, wchar, rd, syscr;
	char *buf = calloc(1, size);
	int pid;

	bt_require_bpf();
	assert_non_null(buf);
	bt_write_file(disk_path(c, "cached.data", data), buf, size);
	free(buf);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "--", "/bin/sh", "-c",
	       "exec cat \"$0\" >/dev/null", data, NULL);
	unlink(data);
	pid = load_run(c, 0);
	rchar = bt_samples_sum(&c->rd, pid, "rchar");
	wchar = bt_samples_sum(&c->rd, pid, "wchar");
	syscr = bt_samples_sum(&c->rd, pid, "syscr");
	rd = bt_samples_sum(&c->rd, pid, "read_bytes");
	print_message("cat of a cached 32 MiB file: rchar %llu, wchar %llu, syscr %llu, "
		      "read_bytes %llu\n", rchar, wchar, syscr, rd);
	/* plus what the shell and the loader read (ld.so.cache is mapped) */
	assert_true(rchar >= size && rchar < size + (1 << 20));
	assert_true(wchar >= size && wchar < size + (1 << 20));
	assert_true(syscr >= size / (1 << 20) && syscr < size / 512);
	assert_true(rd < size / 4);
}

static void test_page_faults_match_rusage(void **state)
{
	struct bt_ctx *c = *state;
	char data[BT_PATH_MAX];
	double minflt, majflt;

	bt_require_bpf();
	/* 20 x 8 MiB of anonymous minor faults, then 8 MiB of file major faults. */
	trace_workload(c, "100ms", 0, "faulter", "8", "20", disk_path(c, "faulter.data", data),
		       NULL);
	minflt = report(c, "minflt");
	majflt = report(c, "majflt");
	assert_true(minflt >= 20 * 8 * 256);
	assert_true(majflt >= 8 * 256 / 2);
	expect_close("minflt", "rusage", "faults", 1, bt_samples_sum(&c->rd, c->pid, "minflt"),
		     minflt, 0.05, 20);
	expect_close("majflt", "rusage", "faults", 1, bt_samples_sum(&c->rd, c->pid, "majflt"),
		     majflt, 0.05, 20);
}

static void test_context_switches_match_rusage(void **state)
{
	struct bt_ctx *c = *state;
	double vol, invol;

	bt_require_bpf();
	/* 1000 sleeps, and two spinning threads pinned to each CPU. */
	trace_workload(c, "100ms", 0, "ctxsw", "1000", NULL);
	vol = report(c, "nvcsw");
	invol = report(c, "nivcsw");
	assert_true(vol >= 1000 && invol >= 50);
	expect_close("vol_cs", "rusage", "switches", 1, bt_samples_sum(&c->rd, c->pid, "vol_cs"),
		     vol, 0.05, 20);
	expect_close("invol_cs", "rusage", "switches", 1,
		     bt_samples_sum(&c->rd, c->pid, "invol_cs"), invol, 0.05, 20);
}

/* ---- totals where processes and threads come and go ---- */

/*
 * The whole traced tree against the kernel's accounting of it: the
 * workload's own rusage plus RUSAGE_CHILDREN (everything it waited for).
 * What the kernel cannot have counted yet is the workload's own exit after
 * its report: a few microseconds and a switch or two, in the slack.  Each
 * thread other than a leader also uses a few microseconds of CPU after the
 * kernel folded it into its group (docs/spec.md; 2-3 us here): @threads of
 * them may add up to 5 us each.
 */
static void expect_tree_totals(struct bt_ctx *c, double threads)
{
	double cpu = report(c, "utime_ns") + report(c, "stime_ns") +
		     report(c, "children_utime_ns") + report(c, "children_stime_ns");
	double vol = report(c, "nvcsw") + report(c, "children_nvcsw");
	double invol = report(c, "nivcsw") + report(c, "children_nivcsw");
	double minflt = report(c, "minflt") + report(c, "children_minflt");
	double tcpu = bt_samples_sum(&c->rd, -1, "cpu_ns");
	double lo = cpu * 0.99 - 5e6, hi = cpu * 1.01 + 5e6 + threads * 5e3;

	print_message("tree: %d processes\n", bt_events_count(&c->rd, -1, "exit", NULL));
	print_message("cpu: traced %.3f ms vs rusage %.3f ms (%+.2f%%; allowed %.3f..%.3f)\n",
		      tcpu / 1e6, cpu / 1e6, 100 * (tcpu - cpu) / cpu, lo / 1e6, hi / 1e6);
	if (tcpu < lo || tcpu > hi)
		fail_msg("cpu: traced %.0f ns, rusage %.0f ns: outside %.0f..%.0f", tcpu, cpu, lo,
			 hi);
	expect_close("vol_cs", "rusage", "switches", 1, bt_samples_sum(&c->rd, -1, "vol_cs"),
		     vol, 0.01, 10);
	expect_close("invol_cs", "rusage", "switches", 1,
		     bt_samples_sum(&c->rd, -1, "invol_cs"), invol, 0.01, 10);
	expect_close("minflt", "rusage", "faults", 1, bt_samples_sum(&c->rd, -1, "minflt"),
		     minflt, 0.01, 50);
}

/* stress-ng's fork stressor: thousands of processes, each exiting while
 * the next is born; every one's exit work is in the totals */
static void test_fork_storm_totals_match_rusage(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	trace_workload(c, "100ms", 0, "rusage_of", "stress-ng", "-q", "--fork", "2",
		       "--fork-ops", "1000", NULL);
	assert_true(bt_events_count(&c->rd, -1, "exit", NULL) >= 1000);
	expect_tree_totals(c, 0);
}

/* stress-ng's pthread stressor: threads created and ended all the time */
static void test_thread_churn_totals_match_rusage(void **state)
{
	struct bt_ctx *c = *state;
	double ops;

	bt_require_bpf();
	trace_workload(c, "100ms", 0, "rusage_of", "stress-ng", "-q", "--pthread", "2",
		       "--pthread-ops", "2000", NULL);
	/* each bogo op is one thread started and ended */
	ops = 2 * 2000;
	expect_tree_totals(c, ops);
}

/* Whether the kernel has the v6.7 open-coded task iterator (the one-run
 * walk of every task): its kfunc is named in the kernel's BTF. */
static bool kernel_has_task_walk(void)
{
	static const char name[] = "bpf_iter_task_new";
	bool found = false;
	char *buf;
	size_t len;

	if (safefile__read("/sys/kernel/btf/vmlinux", SAFEFILE_FOLLOW, 0, &buf, &len, NULL, 0))
		return false;
	found = memmem(buf, len, name, sizeof(name)) != NULL; /* with its NUL */
	free(buf);
	return found;
}

/* "true" or "false": kernel_features.task_walk_one_run in meta.json */
static const char *task_walk_used(struct bt_ctx *c)
{
	char feat[1024] = "";

	assert_int_equal(bt_json_get(c->rd.meta, "kernel_features", feat, sizeof(feat)), 0);
	return strstr(feat, "\"task_walk_one_run\": true") ? "true" : "false";
}

/* 500 processes with 2 MiB each, all told to exit at once: their
 * teardown runs together, after each one's exit began.  More than 16
 * processes: each tick walks every task, in one program run that copies
 * the processes for the reader where the kernel can (v6.7+), and those
 * that ended are looked up. */
static void test_exit_storm_totals_match_rusage(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	trace_workload(c, "100ms", 0, "exit_storm", "500", "2", NULL);
	print_message("one-run task walk: %s\n", task_walk_used(c));
	if (kernel_has_task_walk())
		assert_string_equal(task_walk_used(c), "true");
	assert_int_equal(bt_events_count(&c->rd, -1, "exit", "code=0"), 501);
	expect_tree_totals(c, 0);
}

/* Forks all the time beside more than 16 processes: each tick reads the
 * walk's copies and looks up the children the kernel logged since the
 * last one (or the whole map, when the log cannot say); every child is
 * counted once, with its exit */
static void test_fork_storm_beside_many_processes(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	trace_workload(c, "50ms", 0, "rusage_of", "stress-ng", "-q", "--fork", "20",
		       "--fork-ops", "2000", NULL);
	print_message("one-run task walk: %s\n", task_walk_used(c));
	if (kernel_has_task_walk())
		assert_string_equal(task_walk_used(c), "true");
	assert_true(bt_events_count(&c->rd, -1, "exit", NULL) >= 2000);
	assert_int_equal(bt_events_count(&c->rd, -1, "exit", NULL),
			 bt_events_count(&c->rd, -1, "fork", NULL) + 1);
	expect_tree_totals(c, 0);
}

/* The same through the task iterator and the map's batch reads (kernels
 * before v6.7) */
static void test_exit_storm_without_task_walk(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	setenv("BENCHTRACE_NO_TASK_WALK", "1", 1);
	trace_workload(c, "100ms", 0, "exit_storm", "200", "2", NULL);
	unsetenv("BENCHTRACE_NO_TASK_WALK");
	assert_string_equal(task_walk_used(c), "false");
	assert_int_equal(bt_events_count(&c->rd, -1, "exit", "code=0"), 201);
	expect_tree_totals(c, 0);
}

/* One process with 256 MiB resident exits: the time to free it is system
 * time it spends after its exit began, and its exit is stamped after it */
static void test_big_exit_counts_its_teardown(void **state)
{
	struct bt_ctx *c = *state;
	double child_cpu;
	int child;

	bt_require_bpf();
	trace_workload(c, "100ms", 0, "exit_storm", "1", "256", NULL);
	child = report(c, "child_pid");
	child_cpu = report(c, "children_utime_ns") + report(c, "children_stime_ns");
	expect_close("child cpu", "rusage", "ms", 1e6, bt_samples_sum(&c->rd, child, "cpu_ns"),
		     child_cpu, 0.01, 2e6);
	expect_tree_totals(c, 0);
	/* the child's exit comes before its parent's report, which the
	 * parent wrote after wait() returned */
	assert_true(bt_events_time(&c->rd, child, "exit") <=
		    bt_events_time(&c->rd, c->pid, "exit"));
}

/* ---- processes ---- */

static void test_forked_children_get_rows_and_exit_events(void **state)
{
	struct bt_ctx *c = *state;
	unsigned long long kids[8];
	double cpu = 0, truth;
	char want[32];
	int i, n;

	bt_require_bpf();
	/* 5 children of ~20 ms each, far shorter than the 1 s interval. */
	trace_workload(c, "1s", 0, "forker", "5", NULL);
	n = bt_report_all(&c->rep, "child_pid", kids, 8);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		int rows = bt_samples_rows(&c->rd, kids[i]);

		print_message("child %d (pid %llu): %d row(s), cpu %.1f ms\n", i, kids[i], rows,
			      bt_samples_sum(&c->rd, kids[i], "cpu_ns") / 1e6);
		if (rows < 1)
			fail_msg("child pid %llu has no samples.csv row", kids[i]);
		if (bt_events_count(&c->rd, kids[i], "fork", NULL) < 1)
			fail_msg("events.csv has no fork event for child pid %llu", kids[i]);
		snprintf(want, sizeof(want), "code=%d", i % 7);
		expect_exit_event(c, kids[i], want);
		cpu += bt_samples_sum(&c->rd, kids[i], "cpu_ns");
	}
	expect_exit_event(c, c->pid, "code=0");
	truth = report(c, "children_utime_ns") + report(c, "children_stime_ns");
	expect_close("children cpu", "rusage", "ms", 1e6, cpu, truth, 0.05, 0);
}

/* The row of @pid in processes.csv (the newest, if the PID was reused). */
static int process_row(const struct csv_table *t, int pid)
{
	int i, col = csv_table__col(t, "pid"), row = -1;

	for (i = 0; i < csv_table__rows(t); i++)
		if ((int)csv_table__u64(t, i, col) == pid)
			row = i;
	if (row < 0)
		fail_msg("processes.csv has no row for pid %d", pid);
	return row;
}

static const char *process_field(const struct csv_table *t, int pid, const char *col)
{
	return csv_table__get(t, process_row(t, pid), csv_table__col(t, col));
}

/*
 * On-CPU time, run-queue wait and I/O wait never overlap: dd writing with
 * O_DSYNC (one thread, a program nobody here wrote) waits for storage at
 * every block, and the three together stay within its lifetime as
 * processes.csv states it.  I/O wait measured until the thread runs again
 * counted the run-queue wait after each wake-up twice: with the CPUs busy
 * beside it, the sum was 32 and 61 ms over dd's lifetime.
 */
static void test_cpu_runq_and_io_wait_split_the_time(void **state)
{
	struct bt_ctx *c = *state;
	char data[BT_PATH_MAX], path[BT_PATH_MAX], err[512], of[BT_PATH_MAX + 8];
	double cpu, runq, iow, life;
	struct csv_table *t;
	int pid;

	bt_require_bpf();
	snprintf(of, sizeof(of), "of=%s", disk_path(c, "dd.data", data));
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-i", "100ms", "-o", c->tmp.run_dir, "--",
	       "dd", "if=/dev/zero", of, "bs=64k", "count=200", "oflag=dsync", "status=none",
	       NULL);
	unlink(data);
	pid = load_run(c, 0);
	bt_tmp_path(&c->tmp, "run/processes.csv", path);
	t = csv_table__load(path, err, sizeof(err));
	if (!t)
		fail_msg("processes.csv: %s", err);
	life = (atof(process_field(t, pid, "end_s")) - atof(process_field(t, pid, "start_s"))) *
	       1e9;
	csv_table__free(t);
	cpu = bt_samples_sum(&c->rd, pid, "cpu_ns");
	runq = bt_samples_sum(&c->rd, pid, "runq_ns");
	iow = bt_samples_sum(&c->rd, pid, "io_wait_ns");
	print_message("dd: lifetime %.1f ms = CPU %.1f + run queue %.1f + I/O wait %.1f + "
		      "other %.1f ms\n",
		      life / 1e6, cpu / 1e6, runq / 1e6, iow / 1e6, (life - cpu - runq - iow) / 1e6);
	assert_true(iow > 0);
	assert_true(cpu > 0);
	/* start_s and end_s are stamped at fork and at the final switch, the
	 * span the counters cover */
	assert_true(cpu + runq + iow <= life * 1.001 + 1e6);
}

/*
 * processes.csv names every process: a shell that runs forker (an exec),
 * which forks 5 children (no exec: they run forker's program), each with
 * its own outcome; pids join samples.csv.
 */
static void test_processes_csv_names_each_process(void **state)
{
	struct bt_ctx *c = *state;
	unsigned long long kids[8];
	char path[BT_PATH_MAX], err[512], want[BT_PATH_MAX + 16];
	struct csv_table *t;
	int i, n, sh;

	bt_require_bpf();
	bt_workload(path, "forker");
	bt_run(&c->res, c->tmp.report, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "--", "/bin/sh",
	       "-c", "\"$0\" 5; exit 4", path, NULL);
	load_run(c, 4);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	c->pid = report(c, "pid");
	n = bt_report_all(&c->rep, "child_pid", kids, 8);
	assert_int_equal(n, 5);
	bt_tmp_path(&c->tmp, "run/processes.csv", want);
	t = csv_table__load(want, err, sizeof(err));
	if (!t)
		fail_msg("processes.csv: %s", err);
	assert_string_equal(csv_table__header(t, 0), "pid");
	assert_int_equal(csv_table__cols(t), 8);
	/* one row per process that has samples, and no more */
	assert_int_equal(csv_table__rows(t), 7);
	sh = atoi(process_field(t, c->pid, "ppid"));
	assert_string_equal(process_field(t, sh, "comm"), "sh");
	assert_string_equal(process_field(t, sh, "outcome"), "code=4");
	assert_true(bt_samples_rows(&c->rd, sh) >= 1);
	assert_string_equal(process_field(t, c->pid, "comm"), "forker");
	assert_string_equal(process_field(t, c->pid, "exe"), path);
	snprintf(want, sizeof(want), "%s 5", path);
	assert_string_equal(process_field(t, c->pid, "cmdline"), want);
	assert_string_equal(process_field(t, c->pid, "outcome"), "code=0");
	for (i = 0; i < n; i++) {
		assert_int_equal(atoi(process_field(t, kids[i], "ppid")), c->pid);
		assert_string_equal(process_field(t, kids[i], "exe"), path);
		snprintf(want, sizeof(want), "code=%d", i % 7);
		assert_string_equal(process_field(t, kids[i], "outcome"), want);
		/* born and ended inside the run, after their parent started */
		assert_true(atof(process_field(t, kids[i], "start_s")) >=
			    atof(process_field(t, c->pid, "start_s")));
		assert_true(atof(process_field(t, kids[i], "end_s")) >=
			    atof(process_field(t, kids[i], "start_s")));
		assert_true(bt_samples_rows(&c->rd, kids[i]) >= 1);
	}
	csv_table__free(t);
}

/*
 * One row per process per interval, also while it sleeps: a shell waiting
 * for a busy child has a row at every tick the child has one.
 */
static void test_sleeping_process_has_a_row_every_tick(void **state)
{
	struct bt_ctx *c = *state;
	char path[BT_PATH_MAX];
	int i, j, pc, sh = 0, child = 0, rows = 0, missing = 0;
	const struct csv_table *t;

	bt_require_bpf();
	bt_workload(path, "cpu_burn");
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "-i", "20ms", "--",
	       "/bin/sh", "-c", "\"$0\" 0.5; exit 0", path, NULL);
	load_run(c, 0);
	t = c->rd.samples;
	pc = csv_table__col(t, "pid");
	for (i = 0; i < csv_table__rows(t); i++) {
		const char *comm = csv_table__get(t, i, csv_table__col(t, "comm"));

		if (!strcmp(comm, "sh") && !sh)
			sh = (int)csv_table__u64(t, i, pc);
		else if (!strcmp(comm, "cpu_burn") && !child)
			child = (int)csv_table__u64(t, i, pc);
	}
	assert_true(sh > 0 && child > 0);
	for (i = 0; i < csv_table__rows(t); i++) {
		double ts = csv_table__f64(t, i, 0);
		int found = 0;

		if ((int)csv_table__u64(t, i, pc) != child)
			continue;
		rows++;
		for (j = 0; j < csv_table__rows(t) && !found; j++)
			found = (int)csv_table__u64(t, j, pc) == sh && csv_table__f64(t, j, 0) == ts;
		missing += !found;
	}
	print_message("busy child: %d rows; the waiting shell lacks a row at %d of those ticks\n",
		      rows, missing);
	assert_true(rows >= 10);
	assert_int_equal(missing, 0);
}

/*
 * While no traced thread runs, benchtrace sleeps through the ticks (the
 * kernel wakes it at the next switch of one) and writes their rows from the
 * last values; the work after the wake-up must land in the ticks it ran in.
 * A Python that sleeps 2 s, spins 0.4 s of CPU and sleeps 2 s again, at
 * 10 ms ticks (one process, no fork or exec to wake the tracer otherwise):
 * a row every tick, no row with more CPU than its interval allowed (a
 * missed wake-up would put the whole spin in one row), and benchtrace
 * blocked far fewer times than there were ticks.
 */
static void test_idle_ticks_are_slept_through(void **state)
{
	struct bt_ctx *c = *state;
	int i, pc, cc, tc, pid = 0, rows = 0, busy = 0, ticks;
	double last_t = 0, over = 0, cpu_sum = 0;
	const struct csv_table *t;

	bt_require_bpf();
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "-i", "10ms", "--",
	       "/usr/bin/python3.11", "-c",
	       "import time\n"
	       "time.sleep(2)\n"
	       "t = time.process_time()\n"
	       "while time.process_time() - t < 0.4: pass\n"
	       "time.sleep(2)\n",
	       NULL);
	load_run(c, 0);
	t = c->rd.samples;
	pc = csv_table__col(t, "pid");
	cc = csv_table__col(t, "cpu_ns");
	tc = csv_table__col(t, "threads");
	for (i = 0; i < csv_table__rows(t); i++) {
		double ts = csv_table__f64(t, i, 0), cpu = csv_table__u64(t, i, cc) / 1e9;
		double thr = (double)csv_table__u64(t, i, tc);

		if (!pid)
			pid = (int)csv_table__u64(t, i, pc);
		assert_int_equal((int)csv_table__u64(t, i, pc), pid);
		rows++;
		busy += cpu > 0;
		cpu_sum += cpu;
		/* a row's CPU fits in the time since the last row, give or
		 * take the tracer's own delay in reading it */
		if (last_t > 0 && cpu - (ts - last_t) * (thr > 0 ? thr : 1) > over)
			over = cpu - (ts - last_t) * (thr > 0 ? thr : 1);
		last_t = ts;
	}
	ticks = (int)(last_t / 0.010);
	print_message("%d rows over %d ticks, %d with CPU; %.3f s of CPU; most CPU over a row's "
		      "interval %.1f ms; benchtrace blocked %ld times\n",
		      rows, ticks, busy, cpu_sum, over * 1e3, c->res.ru.ru_nvcsw);
	/* the 4 s of sleep alone are 400 ticks, each with its row */
	assert_true(rows >= 400);
	assert_true(cpu_sum >= 0.4);
	/* the spin lumped into one row would be ~400 ms over */
	assert_true(over < 0.1);
	/* asleep through the idle ticks: awake for the ticks with CPU in
	 * them, once a second for the files and at start-up; ticking
	 * through, it would block at least once a row */
	assert_true(c->res.ru.ru_nvcsw < busy + (rows - busy) / 2);
}

static void test_short_lived_process_gets_row(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	/* ~1 ms of work under a 1 s interval. */
	trace_workload(c, "1s", 0, "short_lived", NULL);
	print_message("short_lived: %d row(s), cpu traced %.3f ms vs rusage %.3f ms\n",
		      bt_samples_rows(&c->rd, c->pid),
		      bt_samples_sum(&c->rd, c->pid, "cpu_ns") / 1e6,
		      (report(c, "utime_ns") + report(c, "stime_ns")) / 1e6);
	assert_true(bt_samples_sum(&c->rd, c->pid, "cpu_ns") > 0);
	if (bt_events_count(&c->rd, c->pid, "exec", NULL) < 1)
		fail_msg("events.csv has no exec event for the command (pid %d)", c->pid);
	expect_exit_event(c, c->pid, "code=0");
	expect_meta_str(c, "outcome", "completed");
	expect_meta_ll(c, "exit_code", 0);
}

static void test_exit_code_is_passed_through(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	trace_workload(c, "100ms", 3, "exit_with", "3", NULL);
	expect_meta_str(c, "outcome", "failed");
	expect_meta_ll(c, "exit_code", 3);
	expect_exit_event(c, c->pid, "code=3");
}

/*
 * Benchmarks load the machine.  A command that exits within milliseconds,
 * while every CPU is busy, is where the tracer's view of the exit and the
 * parent's wait() race: its status must still come through, every time.
 */
static void test_exit_code_is_passed_through_under_load(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], nthreads[16], name[16];
	const char *hog_argv[] = {bt_workload(wl, "cpu_burn"), "60", nthreads, NULL};
	struct bt_proc hog;
	int i, runs = 5;

	bt_require_bpf();
	snprintf(nthreads, sizeof(nthreads), "%ld", 2 * sysconf(_SC_NPROCESSORS_ONLN));
	assert_int_equal(bt_spawn(&hog, NULL, hog_argv), 0);
	close(hog.out_fd); /* bt_reap_strays() ends it */
	close(hog.err_fd);
	for (i = 0; i < runs; i++) {
		snprintf(name, sizeof(name), "run%d", i);
		bt_tmp_path(&c->tmp, name, c->tmp.run_dir);
		trace_workload(c, "100ms", 3, "exit_with", "3", NULL);
		expect_meta_str(c, "outcome", "failed");
		expect_meta_ll(c, "exit_code", 3);
	}
	print_message("exit status under load: %d/%d runs gave 3 and outcome failed\n", i, runs);
}

static void expect_killed_by(struct bt_ctx *c, int sig)
{
	char sigstr[8], detail[32];

	snprintf(sigstr, sizeof(sigstr), "%d", sig);
	snprintf(detail, sizeof(detail), "signal=%d", sig);
	trace_workload(c, "100ms", 128 + sig, "die_by", sigstr, NULL);
	expect_meta_str(c, "outcome", "killed");
	expect_meta_ll(c, "signal", sig);
	expect_exit_event(c, c->pid, detail);
}

static void test_segfault_is_reported_as_killed(void **state)
{
	bt_require_bpf();
	expect_killed_by(*state, SIGSEGV);
}

static void test_sigkill_death_is_reported_as_killed(void **state)
{
	bt_require_bpf();
	expect_killed_by(*state, SIGKILL);
}

static void test_sigterm_death_is_reported_as_killed(void **state)
{
	bt_require_bpf();
	expect_killed_by(*state, SIGTERM);
}

static void test_demo_traces_parent_and_child(void **state)
{
	struct bt_ctx *c = *state;
	int others;

	bt_require_bpf();
	trace_workload(c, "auto", 0, "demo", NULL);
	expect_meta_str(c, "outcome", "completed");
	others = bt_samples_rows(&c->rd, -1) - bt_samples_rows(&c->rd, c->pid);
	print_message("demo: %d rows for the parent, %d for its child; peak rss %.1f MiB\n",
		      bt_samples_rows(&c->rd, c->pid), others,
		      bt_samples_max(&c->rd, -1, "rss_peak_bytes") / MiB);
	assert_true(others >= 1);
	assert_true(bt_events_count(&c->rd, -1, "exit", "code=0") >= 2);
}

/* ---- stopping benchtrace ---- */

/* Start benchtrace in the background with @args; wait until it traces. */
static void start_tracing(struct bt_ctx *c, struct bt_proc *p, const char *const args[],
			  struct bpf_watch *w)
{
	const char *argv[32] = {bt_benchtrace()};
	int i;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	bpf_watch_start(w);
	assert_int_equal(bt_spawn(p, NULL, argv), 0);
	wait_tracing(c, p, w);
}

static void test_sigint_finalises_command_run(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {
	    "-q", "-o", c->tmp.run_dir, "-i", "100ms", "--", bt_workload(wl, "sleeper"),
	    "30", NULL};
	struct bpf_watch w;
	struct bt_proc p;

	bt_require_bpf();
	start_tracing(c, &p, args, &w);
	bt_sleep_ms(500);
	/* What Ctrl-C does: SIGINT to the terminal's foreground process group. */
	kill(-p.pid, SIGINT);
	bt_wait(&p, &c->res, 15);
	if (c->res.timed_out)
		fail_msg("benchtrace still running 15 s after SIGINT");
	expect_finalised(c, 1);
	expect_bpf_unloaded(&w);
}

static void test_sigterm_finalises_pid_run_and_detaches(void **state)
{
	struct bt_ctx *c = *state;
	const char *target_argv[] = {NULL, "30", NULL};
	char wl[BT_PATH_MAX], pidstr[32];
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "-i", "100ms", "-p", pidstr, NULL};
	struct bt_proc target, p;
	struct bpf_watch w;

	bt_require_bpf();
	target_argv[0] = bt_workload(wl, "sleeper");
	assert_int_equal(bt_spawn(&target, NULL, target_argv), 0);
	close(target.out_fd); /* its output is not needed; bt_reap_strays() ends it */
	close(target.err_fd);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)target.pid);
	start_tracing(c, &p, args, &w);
	bt_sleep_ms(1000);
	kill(p.pid, SIGTERM);
	bt_wait(&p, &c->res, 15);
	if (c->res.timed_out)
		fail_msg("benchtrace still running 15 s after SIGTERM");
	assert_string_equal(expect_finalised(c, 0), "detached");
	if (!bt_pid_alive(target.pid))
		fail_msg("the -p target died when benchtrace stopped: it must be left running");
	print_message("-p target: %d row(s) in ~1 s at -i 100ms\n",
		      bt_samples_rows(&c->rd, target.pid));
	assert_true(bt_samples_rows(&c->rd, target.pid) >= 1);
	expect_bpf_unloaded(&w);
}

static void test_duration_limit_detaches_command(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	const char *args[] = {
	    "-q", "-o", c->tmp.run_dir, "-i", "100ms", "-d", "1s", "--", bt_workload(wl, "sleeper"),
	    "10", NULL};
	struct bpf_watch w;
	struct bt_proc p;
	int pid;

	bt_require_bpf();
	start_tracing(c, &p, args, &w);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	print_message("-d 1s: benchtrace exited after %.2f s with status %d\n", c->res.wall_s,
		      c->res.status);
	if (c->res.wall_s > 5)
		fail_msg("-d 1s: benchtrace ran %.1f s", c->res.wall_s);
	assert_string_equal(expect_finalised(c, 1), "detached");
	/* The command is left running (SPEC); its pid is in samples.csv. */
	assert_true(bt_samples_rows(&c->rd, -1) >= 1);
	pid = (int)csv_table__u64(c->rd.samples, 0, csv_table__col(c->rd.samples, "pid"));
	if (!bt_pid_alive(pid))
		fail_msg("-d: the command (pid %d) should still run after tracing stopped", pid);
	expect_bpf_unloaded(&w);
}

#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_cpu_time_matches_rusage),
	    T(test_cpu_rate_never_above_threads),
	    T(test_rss_spike_between_samples_matches_vmhwm),
	    T(test_io_bytes_match_proc_io),
	    T(test_page_cache_reads_show_as_rchar),
	    T(test_page_faults_match_rusage),
	    T(test_context_switches_match_rusage),
	    T(test_fork_storm_totals_match_rusage),
	    T(test_thread_churn_totals_match_rusage),
	    T(test_exit_storm_totals_match_rusage),
	    T(test_exit_storm_without_task_walk),
	    T(test_fork_storm_beside_many_processes),
	    T(test_big_exit_counts_its_teardown),
	    T(test_forked_children_get_rows_and_exit_events),
	    T(test_processes_csv_names_each_process),
	    T(test_cpu_runq_and_io_wait_split_the_time),
	    T(test_sleeping_process_has_a_row_every_tick),
	    T(test_idle_ticks_are_slept_through),
	    T(test_short_lived_process_gets_row),
	    T(test_exit_code_is_passed_through),
	    T(test_exit_code_is_passed_through_under_load),
	    T(test_segfault_is_reported_as_killed),
	    T(test_sigkill_death_is_reported_as_killed),
	    T(test_sigterm_death_is_reported_as_killed),
	    T(test_demo_traces_parent_and_child),
	    T(test_sigint_finalises_command_run),
	    T(test_sigterm_finalises_pid_run_and_detaches),
	    T(test_duration_limit_detaches_command),
	};

	if (bt_init(argc, argv))
		return 1;
	if (access(bt_benchtrace(), X_OK))
		fprintf(stderr, "warning: %s is not built: every test that runs it will fail\n",
			bt_benchtrace());
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace integration (vs kernel accounting)", tests,
					   NULL, NULL);
}
