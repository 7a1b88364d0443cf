// SPDX-License-Identifier: GPL-2.0
/*
 * overhead BUILD_DIR
 *
 * What tracing costs the traced program, and what benchtrace costs itself,
 * measured against a baseline taken in the same run of this program (never
 * an absolute time, which would flake from one machine to the next):
 *
 *  1. pingpong (two context switches per round trip) traced vs untraced,
 *  2. faulter (minor page faults) traced vs untraced: for each, PAIRS
 *     alternating runs (untraced, traced, untraced, ...) sized to about a
 *     second each, timed by the workload itself (so benchtrace's start-up
 *     is not in the figure), and the ratio of the medians;
 *  3. benchtrace's own CPU while its target sleeps (-p on an idle process,
 *     with -i auto and -i 10ms), read from its CPU clock over a window that
 *     starts once it is tracing; the wait4() total with start-up is shown too;
 *  4. benchtrace's maximum RSS (wait4's ru_maxrss) in those runs;
 *  5. the first sample's latency: from fork+exec of benchtrace to the first
 *     samples.csv row (the run start in meta.json minus our fork time, plus
 *     the row's t_s).
 *
 * Then, with BPF run-time statistics enabled (BPF_ENABLE_STATS, released when
 * this program exits), the cost of each of benchtrace's BPF programs per
 * call and per unit of work of each workload.
 *
 * Prints each figure with its target and PASS or OVER TARGET, then one
 * plain closing line.  Exits 0 when everything was measured, over target or
 * not (a benchmark reports, it does not fail the build); 1 when something
 * could not be measured.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>

#include "bench.h"
#include "rundir/csvread.h"
#include "testutil.h"
#include "util/parse.h"

#define NSEC	    1000000000ULL
#define MSEC	    1000000ULL
#define PAIRS	    9	 /* alternating untraced/traced runs per workload */
#define DIAG_PAIRS  5	 /* the same with -i 1s, when a ratio is over target */
#define RUN_NS	    NSEC /* what one workload run should take */
#define RUN_TIMEOUT 60.0 /* seconds, for anything we start */
#define IDLE_WINDOW 10.0 /* seconds of benchtrace CPU measured per interval */
#define LAT_RUNS    5	 /* first-sample latency: command mode */
#define LAT_P_RUNS  3	 /* first-sample latency: -p mode */
#define DIAG_WINDOW 2.0	 /* seconds of BPF statistics per scenario */
#define MAX_PROGS   64

/* ---- processes ---- */

static struct bt_tmp tmp;
/* runs during which someone else's benchtrace programs were loaded */
static int shared_runs, checked_runs;

/* Wait until benchtrace has written meta.json (it is tracing then), or it died. */
static int wait_tracing(const struct bench_child *bt, const char *run_dir, double timeout_s)
{
	char meta[BT_PATH_MAX];
	__u64 deadline = bench_now_ns() + (__u64)(timeout_s * NSEC);

	bench_pathf(meta, "%s/meta.json", run_dir);
	while (bench_now_ns() < deadline) {
		if (!access(meta, R_OK))
			return 0;
		if (!bt_pid_alive(bt->pid))
			return -1;
		bt_sleep_ms(2);
	}
	return -1;
}

/* Wait until @pid runs @path (it has exec'd), so -p sees the workload itself. */
static int wait_exec(pid_t pid, const char *path)
{
	char link[64], exe[BT_PATH_MAX];
	ssize_t n;
	int i;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	for (i = 0; i < 2000; i++) {
		n = readlink(link, exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = 0;
			if (!strcmp(exe, path))
				return 0;
		}
		bt_sleep_ms(1);
	}
	fprintf(stderr, "overhead: %s (pid %d) did not start\n", path, (int)pid);
	return -1;
}

/* A process's CPU time so far (ns), through its CPU clock; 0 if gone. */
static __u64 proc_cpu_ns(pid_t pid)
{
	struct timespec ts;
	clockid_t cid;

	if (clock_getcpuclockid(pid, &cid) || clock_gettime(cid, &ts))
		return 0;
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

static double ru_cpu_s(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 + ru->ru_stime.tv_sec +
	       ru->ru_stime.tv_usec / 1e6;
}

/* ---- 1, 2: traced vs untraced ---- */

struct workload {
	const char *name;
	const char *title;
	const char *unit;    /* what the size argument counts */
	const char *fixed;   /* an argument before the size (faulter's MB), or NULL */
	double target;	     /* highest acceptable traced/untraced ratio */
	unsigned long probe; /* size for the calibration runs */
	unsigned long min, max;
	char path[BT_PATH_MAX];
	/* chosen so that one run takes about RUN_NS */
	unsigned long size;
	/* the workload's own times (ms), their medians, and traced/untraced */
	double untraced[PAIRS], traced[PAIRS];
	double median_u, median_t, ratio;
};

/*
 * Before an untraced run: the previous traced run's programs go away a
 * little after benchtrace exits (RCU), so wait for that; programs still
 * loaded after that belong to some other tracer on a shared machine.
 */
static void check_alone(void)
{
	int i;

	checked_runs++;
	for (i = 0; i < 100 && bt_bpf_prog_count(bt_tracer_prog_prefixes) > 0; i++)
		bt_sleep_ms(5);
	if (i == 100)
		shared_runs++;
}

/*
 * One run of the workload, under benchtrace (with -i @interval if given)
 * when @traced; *ms is the time the workload printed.  A traced run also
 * has to have produced a complete run directory with samples.
 */
static int workload_run(struct workload *w, unsigned long size, bool traced, const char *interval,
			double *ms)
{
	char sz[32], run_dir[BT_PATH_MAX], err[512];
	const char *argv[16];
	struct bt_rundir rd;
	struct bench_child c;
	struct bench_ended e;
	__u64 ns;
	int n = 0;

	snprintf(sz, sizeof(sz), "%lu", size);
	if (traced) {
		argv[n++] = bt_benchtrace();
		argv[n++] = "-q";
		argv[n++] = "-o";
		argv[n++] = bench_next_run_dir(run_dir);
		if (interval) {
			argv[n++] = "-i";
			argv[n++] = interval;
		}
		argv[n++] = "--";
	}
	argv[n++] = w->path;
	if (w->fixed)
		argv[n++] = w->fixed;
	argv[n++] = sz;
	argv[n] = NULL;

	if (!traced)
		check_alone();
	if (bench_spawn(&c, argv, bench_pin_cpu))
		return -1;
	if (traced && bench_pin_cpu >= 0 && bench_release_tracer(c.pid)) {
		bench_stop(&c);
		bench_show_stderr(&c, "benchtrace", -1);
		return -1;
	}
	bench_reap(&c, RUN_TIMEOUT, &e);
	if (e.status) {
		bench_show_stderr(&c, traced ? "benchtrace" : w->name, e.status);
		return -1;
	}
	if (bench_last_number(c.out, &ns)) {
		fprintf(stderr, "overhead: %s printed no elapsed time\n", w->name);
		return -1;
	}
	*ms = ns / 1e6;
	if (!traced)
		return 0;
	if (bt_rundir_load(&rd, run_dir, err, sizeof(err))) {
		fprintf(stderr, "overhead: the traced %s run left a bad run directory: %s\n",
			w->name, err);
		return -1;
	}
	n = bt_samples_rows(&rd, -1);
	bt_rundir_free(&rd);
	bench_rm_tree(run_dir);
	if (n < 1) {
		fprintf(stderr, "overhead: the traced %s run recorded no samples\n", w->name);
		return -1;
	}
	return 0;
}

/* Size the runs: the faster of two probe runs (the first also warms caches). */
static int calibrate(struct workload *w)
{
	double a, b, size;

	if (workload_run(w, w->probe, false, NULL, &a) ||
	    workload_run(w, w->probe, false, NULL, &b))
		return -1;
	if (b > a)
		b = a;
	size = w->probe * (RUN_NS / 1e6) / (b > 0.001 ? b : 0.001);
	w->size = size < w->min ? w->min : size > w->max ? w->max : (unsigned long)size;
	return 0;
}

/* Alternating untraced/traced runs; the two medians and their ratio. */
static int compare(struct workload *w, const char *interval, int pairs, double *untraced,
		   double *traced, double *ratio)
{
	int i;

	for (i = 0; i < pairs; i++) {
		if (workload_run(w, w->size, false, NULL, &untraced[i]) ||
		    workload_run(w, w->size, true, interval, &traced[i]))
			return -1;
	}
	*ratio = bench_median(traced, pairs) / bench_median(untraced, pairs);
	return 0;
}

static void print_runs(const double *untraced, const double *traced, int pairs, const char *label)
{
	int i;

	printf("  %-6s %12s %12s %8s\n", "run", "untraced ms", label, "ratio");
	for (i = 0; i < pairs; i++)
		printf("  %-6d %12.1f %12.1f %7.3fx\n", i + 1, untraced[i], traced[i],
		       traced[i] / untraced[i]);
	printf("  %-6s %12.1f %12.1f %7.3fx  (ratio of medians)\n", "median",
	       bench_median(untraced, pairs), bench_median(traced, pairs),
	       bench_median(traced, pairs) / bench_median(untraced, pairs));
	printf("  %-6s %12.1f %12.1f %7.3fx  (ratio of the least disturbed runs)\n", "min",
	       bench_minimum(untraced, pairs), bench_minimum(traced, pairs),
	       bench_minimum(traced, pairs) / bench_minimum(untraced, pairs));
	/* how far apart identical untraced runs are: the resolution of the ratio */
	printf("  noise: untraced runs span %.1f%% of their median\n",
	       100.0 * (bench_maximum(untraced, pairs) - bench_minimum(untraced, pairs)) /
		   bench_median(untraced, pairs));
}

static int bench_workload(struct workload *w, int num)
{
	char name[64], target[32];

	bt_workload(w->path, w->name);
	snprintf(name, sizeof(name), "%s traced/untraced", w->name);
	snprintf(target, sizeof(target), "<= %.2fx", w->target);
	printf("\n== %d. %s: %s ==\n", num, w->title, w->name);
	if (calibrate(w)) {
		bench_figure_missing(name, target);
		return -1;
	}
	printf("  %s %s%s%lu (%s), %d alternating pairs, default interval (auto)\n", w->name,
	       w->fixed ? w->fixed : "", w->fixed ? " " : "", w->size, w->unit, PAIRS);
	if (compare(w, NULL, PAIRS, w->untraced, w->traced, &w->ratio)) {
		bench_figure_missing(name, target);
		return -1;
	}
	w->median_u = bench_median(w->untraced, PAIRS);
	w->median_t = bench_median(w->traced, PAIRS);
	print_runs(w->untraced, w->traced, PAIRS, "traced ms");
	printf("  %s: %.3fx, target %s: %s\n", name, w->ratio, target,
	       bench_verdict(w->ratio > w->target));
	bench_figure_add(name, w->ratio > w->target, target, "%.3fx", w->ratio);
	return 0;
}

/* Over target: is it the sampling tick or the per-event hooks?  Retry with -i 1s. */
static void slow_tick_check(struct workload *w)
{
	double u[DIAG_PAIRS], t[DIAG_PAIRS], ratio;

	printf("\n  %s over target: %d more pairs traced with -i 1s (sampling 100x rarer)\n",
	       w->name, DIAG_PAIRS);
	if (compare(w, "1s", DIAG_PAIRS, u, t, &ratio)) {
		printf("  (could not run them)\n");
		return;
	}
	print_runs(u, t, DIAG_PAIRS, "-i 1s ms");
	printf("  %s with -i 1s: %.3fx (with -i auto: %.3fx)\n", w->name, ratio, w->ratio);
}

/* ---- 3, 4: benchtrace on an idle target ---- */

struct idle_result {
	double cpu_pct; /* over the window, of one CPU */
	double window_s;
	double total_cpu_s; /* wait4: start-up to exit */
	double total_wall_s;
	long maxrss_kb;
	int samples;
};

static int idle_cost(const char *interval, double window_s, struct idle_result *res)
{
	char sleeper[BT_PATH_MAX], pid[16], run_dir[BT_PATH_MAX], err[512];
	const char *sargv[] = {bt_workload(sleeper, "sleeper"), "3600", NULL};
	const char *bargv[12];
	struct bench_child s, bt;
	struct bt_rundir rd;
	struct bench_ended e;
	__u64 c0, c1, t0, t1;
	int n = 0, ret = -1;

	if (bench_spawn(&s, sargv, -1))
		return -1;
	if (wait_exec(s.pid, sleeper))
		goto out_sleeper;
	snprintf(pid, sizeof(pid), "%d", (int)s.pid);
	bargv[n++] = bt_benchtrace();
	bargv[n++] = "-q";
	bargv[n++] = "-o";
	bargv[n++] = bench_next_run_dir(run_dir);
	if (interval) {
		bargv[n++] = "-i";
		bargv[n++] = interval;
	}
	bargv[n++] = "-p";
	bargv[n++] = pid;
	bargv[n] = NULL;
	if (bench_spawn(&bt, bargv, -1))
		goto out_sleeper;
	if (wait_tracing(&bt, run_dir, 30)) {
		bench_reap(&bt, 5, &e);
		bench_show_stderr(&bt, "benchtrace -p", e.status);
		goto out_sleeper;
	}
	bt_sleep_ms(300); /* past start-up and the first ticks */
	t0 = bench_now_ns();
	c0 = proc_cpu_ns(bt.pid);
	bt_sleep_ms(window_s * 1000);
	c1 = proc_cpu_ns(bt.pid);
	t1 = bench_now_ns();
	kill(bt.pid, SIGINT);
	bench_reap(&bt, 30, &e);
	if (e.status || !c0 || !c1) {
		bench_show_stderr(&bt, "benchtrace -p", e.status);
		goto out_sleeper;
	}
	res->window_s = (t1 - t0) / 1e9;
	res->cpu_pct = 100.0 * (c1 - c0) / (t1 - t0);
	res->total_cpu_s = ru_cpu_s(&e.ru);
	res->total_wall_s = (bench_now_ns() - bt.fork_ns) / 1e9;
	res->maxrss_kb = e.ru.ru_maxrss;
	if (bt_rundir_load(&rd, run_dir, err, sizeof(err))) {
		fprintf(stderr, "overhead: benchtrace -p left a bad run directory: %s\n", err);
		goto out_sleeper;
	}
	res->samples = bt_samples_rows(&rd, s.pid);
	bt_rundir_free(&rd);
	bench_rm_tree(run_dir);
	ret = res->samples > 0 ? 0 : -1;
	if (ret)
		fprintf(stderr, "overhead: benchtrace -p recorded no samples of the sleeper\n");
out_sleeper:
	bench_stop(&s);
	return ret;
}

static long bench_idle(int num)
{
	static const struct {
		const char *label, *interval;
	} runs[] = {{"-i auto", NULL}, {"-i 10ms", "10ms"}};
	struct idle_result r;
	char name[64];
	long maxrss = -1;
	size_t i;

	printf("\n== %d. benchtrace's own CPU and memory, target asleep (-p on sleeper) ==\n", num);
	printf("  %-8s %10s %10s %14s %12s %8s\n", "interval", "window s", "CPU %", "total CPU s",
	       "total wall s", "max RSS");
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		snprintf(name, sizeof(name), "benchtrace CPU, idle, %s", runs[i].label);
		if (idle_cost(runs[i].interval, IDLE_WINDOW, &r)) {
			printf("  %-8s could not be measured\n", runs[i].label);
			bench_figure_missing(name, "<= 0.1% of a CPU");
			continue;
		}
		printf("  %-8s %10.2f %9.3f%% %14.3f %12.2f %5.1f MiB  (%d rows)\n", runs[i].label,
		       r.window_s, r.cpu_pct, r.total_cpu_s, r.total_wall_s, r.maxrss_kb / 1024.0,
		       r.samples);
		bench_figure_add(name, r.cpu_pct > 0.1, "<= 0.1% of a CPU", "%.3f%%", r.cpu_pct);
		if (r.maxrss_kb > maxrss)
			maxrss = r.maxrss_kb;
	}
	printf("  (CPU %%: benchtrace's CPU clock over the window, start-up excluded; total: "
	       "wait4 from exec to exit;\n   auto starts at 10ms and doubles after 1000 rows, "
	       "so over 10 s it samples as -i 10ms does)\n");
	return maxrss;
}

/* ---- 5: first sample ---- */

/* The run's start (CLOCK_MONOTONIC ns) from meta.json, and the first row's t_s. */
static int first_row(const char *run_dir, __u64 *start_ns, double *t_s)
{
	char path[BT_PATH_MAX], start[1024], err[256], *p;
	struct csv_table *t;
	int col;

	bench_pathf(path, "%s/meta.json", run_dir);
	if (bt_json_get(path, "start", start, sizeof(start)) ||
	    !(p = strstr(start, "\"monotonic_ns\"")) || !(p = strchr(p, ':'))) {
		fprintf(stderr, "overhead: no start.monotonic_ns in %s\n", path);
		return -1;
	}
	*start_ns = strtoull(p + 1, NULL, 10);
	bench_pathf(path, "%s/samples.csv", run_dir);
	t = csv_table__load(path, err, sizeof(err));
	if (!t) {
		fprintf(stderr, "overhead: %s\n", err);
		return -1;
	}
	col = csv_table__col(t, "t_s");
	if (col < 0 || csv_table__rows(t) < 1) {
		fprintf(stderr, "overhead: %s has no data row\n", path);
		csv_table__free(t);
		return -1;
	}
	*t_s = csv_table__f64(t, 0, col);
	csv_table__free(t);
	return 0;
}

/* One run; *startup_ms: fork to run start, *first_ms: fork to the first row. */
static int latency_run(bool pid_mode, double *startup_ms, double *first_ms)
{
	char sleeper[BT_PATH_MAX], pid[16], run_dir[BT_PATH_MAX];
	const char *sargv[] = {bt_workload(sleeper, "sleeper"), "3600", NULL};
	const char *bargv[12];
	struct bench_child s = {.pid = -1}, bt;
	struct bench_ended e;
	__u64 start;
	double t_s;
	int n = 0, ret = -1;

	bargv[n++] = bt_benchtrace();
	bargv[n++] = "-q";
	bargv[n++] = "-o";
	bargv[n++] = bench_next_run_dir(run_dir);
	if (pid_mode) {
		if (bench_spawn(&s, sargv, -1) || wait_exec(s.pid, sleeper))
			goto out;
		snprintf(pid, sizeof(pid), "%d", (int)s.pid);
		bargv[n++] = "-d";
		bargv[n++] = "300ms";
		bargv[n++] = "-p";
		bargv[n++] = pid;
	} else {
		bargv[n++] = "--";
		bargv[n++] = sleeper;
		bargv[n++] = "0.3";
	}
	bargv[n] = NULL;
	if (bench_spawn(&bt, bargv, -1))
		goto out;
	bench_reap(&bt, RUN_TIMEOUT, &e);
	if (e.status) {
		bench_show_stderr(&bt, "benchtrace", e.status);
		goto out;
	}
	if (first_row(run_dir, &start, &t_s))
		goto out;
	*startup_ms = ((double)start - (double)bt.fork_ns) / 1e6;
	*first_ms = *startup_ms + t_s * 1e3;
	bench_rm_tree(run_dir);
	ret = 0;
out:
	if (s.pid > 0)
		bench_stop(&s);
	return ret;
}

static void bench_latency(int num)
{
	static const struct {
		const char *label;
		bool pid_mode;
		int runs;
		double target_ms;
		const char *target;
	} modes[] = {{"-- sleeper 0.3", false, LAT_RUNS, 100, "<= 100 ms"},
		     {"-p (-d 300ms)", true, LAT_P_RUNS, 200, "<= 200 ms"}};
	double startup[LAT_RUNS], first[LAT_RUNS];
	char name[64];
	size_t m;
	int i;

	printf("\n== %d. first sample: from exec of benchtrace to its first samples.csv row ==\n",
	       num);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		snprintf(name, sizeof(name), "first sample, %s (median)", modes[m].label);
		printf("  %s:\n  %-6s %14s %14s\n", modes[m].label, "run", "start-up ms",
		       "first row ms");
		for (i = 0; i < modes[m].runs; i++) {
			if (latency_run(modes[m].pid_mode, &startup[i], &first[i]))
				break;
			printf("  %-6d %14.1f %14.1f\n", i + 1, startup[i], first[i]);
		}
		if (i < modes[m].runs) {
			bench_figure_missing(name, modes[m].target);
			continue;
		}
		printf("  %-6s %14.1f %14.1f\n", "median", bench_median(startup, i),
		       bench_median(first, i));
		bench_figure_add(name, bench_median(first, i) > modes[m].target_ms, modes[m].target,
				 "%.1f ms", bench_median(first, i));
	}
	printf("  (start-up: fork+exec to the run start in meta.json; first row: plus its t_s)\n");
}

/* ---- diagnostics: what each BPF program costs ---- */

struct prog_stat {
	__u32 id;
	char name[64];
	__u64 cnt, ns;
};

/*
 * The programs process @pid holds (prog_id in the fdinfo of its program
 * and link fds), with the tracer's names: exactly this benchtrace's, even
 * when another one runs on the machine at the same time.
 */
static int prog_snapshot(struct prog_stat *ps, pid_t pid)
{
	char dir[64], path[BT_PATH_MAX], buf[4096], *p;
	struct bpf_prog_info info;
	struct dirent *de;
	int fd, i, n = 0;
	bool dup, ours;
	__u32 id, len;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while (n < MAX_PROGS && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    bench_slurp(bench_pathf(path, "%s/%s", dir, de->d_name), buf, sizeof(buf)) ||
		    !(p = strstr(buf, "prog_id:")))
			continue;
		id = strtoul(p + strlen("prog_id:"), NULL, 10);
		for (dup = false, i = 0; i < n && !dup; i++)
			dup = ps[i].id == id;
		fd = dup ? -1 : bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			for (ours = false, i = 0; bt_tracer_prog_prefixes[i] && !ours; i++)
				ours = !strncmp(info.name, bt_tracer_prog_prefixes[i],
						strlen(bt_tracer_prog_prefixes[i]));
			if (ours) {
				ps[n].id = id;
				ps[n].cnt = info.run_cnt;
				ps[n].ns = info.run_time_ns;
				bench_prog_name(fd, &info, ps[n].name, sizeof(ps[n].name));
				n++;
			}
		}
		close(fd);
	}
	closedir(d);
	return n;
}

/* Sum of a "Key:\tN" line over the threads of @pid. */
static __u64 threads_sum(pid_t pid, const char *key)
{
	char path[64], buf[4096], *p;
	__u64 sum = 0;
	int tid;

	/* pingpong has two threads, tid pid and the next ones: enough to look at a few */
	for (tid = pid; tid < pid + 8; tid++) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, tid);
		if (bench_slurp(path, buf, sizeof(buf)))
			continue;
		p = strstr(buf, key);
		if (p)
			sum += strtoull(p + strlen(key), NULL, 10);
	}
	return sum;
}

/* Minor faults of the whole process (field 10 of /proc/PID/stat). */
static __u64 proc_minflt(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (bench_slurp(path, buf, sizeof(buf)) || !(p = strrchr(buf, ')')))
		return 0;
	sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %llu", &v);
	return v;
}

enum work { WORK_NONE, WORK_ROUND_TRIPS, WORK_FAULTS };

static __u64 work_done(pid_t pid, enum work w)
{
	switch (w) {
	case WORK_ROUND_TRIPS:
		/* each round trip blocks each thread once in read() */
		return threads_sum(pid, "voluntary_ctxt_switches:") / 2;
	case WORK_FAULTS:
		return proc_minflt(pid);
	default:
		return 0;
	}
}

/*
 * Trace @argv (started untraced, then -p) for DIAG_WINDOW seconds with the
 * BPF statistics on; print each program's calls, cost per call and share
 * of a CPU, and the BPF time per unit of the workload's work.  Returns the
 * BPF ns per unit (0 if not applicable), or -1.
 */
static double bpf_costs(const char *label, const char *const argv[], int cpu, enum work w,
			const char *unit, double untraced_ns_per_unit)
{
	struct prog_stat s0[MAX_PROGS], s1[MAX_PROGS];
	char pid[16], run_dir[BT_PATH_MAX];
	const char *bargv[8];
	int n0, n1, i, j;
	__u64 t0, t1, w0, w1, c0, c1, units, total = 0;
	struct bench_child tgt, bt;
	struct bench_ended e;
	double secs, per_unit = 0;

	if (bench_spawn(&tgt, argv, cpu))
		return -1;
	if (wait_exec(tgt.pid, argv[0]))
		goto fail_tgt;
	bt_sleep_ms(100); /* pingpong: both threads running */
	snprintf(pid, sizeof(pid), "%d", (int)tgt.pid);
	bargv[0] = bt_benchtrace();
	bargv[1] = "-q";
	bargv[2] = "-o";
	bargv[3] = bench_next_run_dir(run_dir);
	bargv[4] = "-p";
	bargv[5] = pid;
	bargv[6] = NULL;
	if (bench_spawn(&bt, bargv, -1))
		goto fail_tgt;
	if (wait_tracing(&bt, run_dir, 30)) {
		bench_reap(&bt, 5, &e);
		bench_show_stderr(&bt, "benchtrace -p", e.status);
		goto fail_tgt;
	}
	bt_sleep_ms(200);
	t0 = bench_now_ns();
	w0 = work_done(tgt.pid, w);
	c0 = proc_cpu_ns(bt.pid);
	n0 = prog_snapshot(s0, bt.pid);
	bt_sleep_ms(DIAG_WINDOW * 1000);
	n1 = prog_snapshot(s1, bt.pid);
	c1 = proc_cpu_ns(bt.pid);
	w1 = work_done(tgt.pid, w);
	t1 = bench_now_ns();
	kill(bt.pid, SIGINT);
	bench_reap(&bt, 30, &e);
	bench_stop(&tgt);
	bench_rm_tree(run_dir);
	if (e.status || !n1) {
		bench_show_stderr(&bt, "benchtrace -p", e.status);
		return -1;
	}
	secs = (t1 - t0) / 1e9;
	units = w != WORK_NONE && w1 > w0 ? w1 - w0 : 0;

	printf("\n  %s, %.1f s window:\n", label, secs);
	printf("    %-32s %12s %10s %10s", "BPF program", "calls/s", "ns/call", "% of CPU");
	if (units)
		printf(" %10s", "calls per");
	printf("\n");
	for (i = 0; i < n1; i++) {
		__u64 cnt = s1[i].cnt, ns = s1[i].ns;

		for (j = 0; j < n0; j++) {
			if (s0[j].id == s1[i].id) {
				cnt -= s0[j].cnt;
				ns -= s0[j].ns;
			}
		}
		if (!cnt)
			continue;
		total += ns;
		printf("    %-32s %12.0f %10.1f %9.3f%%", s1[i].name, cnt / secs, (double)ns / cnt,
		       100.0 * ns / (t1 - t0));
		if (units)
			printf(" %10.2f  %s", (double)cnt / units, unit);
		printf("\n");
	}
	printf("    %-32s %12s %10s %9.3f%%\n", "all BPF programs", "", "",
	       100.0 * total / (t1 - t0));
	printf("    %-32s %12s %10s %9.3f%%  (includes iter_task)\n", "benchtrace process CPU", "",
	       "", 100.0 * (c1 - c0) / (t1 - t0));
	if (units) {
		per_unit = (double)total / units;
		printf("    %.0f %s/s traced; BPF time per %s (all CPUs): %.0f ns", units / secs,
		       unit, unit, per_unit);
		if (untraced_ns_per_unit > 0)
			printf(" = %.1f%% of an untraced %s (%.0f ns)",
			       100.0 * per_unit / untraced_ns_per_unit, unit, untraced_ns_per_unit);
		printf("\n");
	}
	return per_unit;

fail_tgt:
	bench_stop(&tgt);
	return -1;
}

/* BPF time per unit of work as a share of an untraced unit (0: not measured). */
static double bpf_share_trip, bpf_share_fault;

static void bench_diagnostics(const struct workload *pp, const struct workload *fl)
{
	char pingpong[BT_PATH_MAX], faulter[BT_PATH_MAX], sleeper[BT_PATH_MAX];
	const char *pargv[] = {bt_workload(pingpong, "pingpong"), "1000000000", NULL};
	const char *fargv[] = {bt_workload(faulter, "faulter"), "64", "1000000000", NULL};
	const char *sargv[] = {bt_workload(sleeper, "sleeper"), "3600", NULL};
	double fault_ns = 0, trip_ns = 0, v;
	int fd;

	fd = bench_stats_begin();
	if (fd < 0)
		return;
	if (pp->size && pp->median_u > 0)
		trip_ns = pp->median_u * 1e6 / pp->size;
	if (fl->size && fl->median_u > 0)
		fault_ns = fl->median_u * 1e6 / (64.0 * 1024 * 1024 / getpagesize() * fl->size);
	v = bpf_costs("pingpong (-p, auto interval)", pargv, bench_pin_cpu, WORK_ROUND_TRIPS,
		      "round trip", trip_ns);
	if (v > 0 && trip_ns > 0)
		bpf_share_trip = v / trip_ns;
	v = bpf_costs("faulter 64 MiB rounds (-p, auto interval)", fargv, bench_pin_cpu,
		      WORK_FAULTS, "fault", fault_ns);
	if (v > 0 && fault_ns > 0)
		bpf_share_fault = v / fault_ns;
	bpf_costs("sleeper, idle system (-p, auto interval)", sargv, -1, WORK_NONE, NULL, 0);
	close(fd);
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct workload pingpong = {
	    .name = "pingpong",
	    .title = "context-switch heavy",
	    .unit = "round trips",
	    .target = 1.05,
	    .probe = 20000,
	    .min = 1000,
	    .max = 10000000,
	};
	struct workload faulter = {
	    .name = "faulter",
	    .title = "page-fault heavy",
	    .unit = "rounds of 64 MiB",
	    .fixed = "64",
	    .target = 1.10,
	    .probe = 3,
	    .min = 1,
	    .max = 10000,
	};
	char why[256], path[BT_PATH_MAX];
	const char *needed[] = {"pingpong", "faulter", "sleeper"};
	__u64 t_start = bench_now_ns();
	long maxrss;
	int i;

	if (bt_init(argc, argv))
		return 1;
	if (bt_bpf_check(why, sizeof(why))) {
		fprintf(stderr, "overhead: cannot measure: %s\n", why);
		return 1;
	}
	if (access(bt_benchtrace(), X_OK)) {
		fprintf(stderr, "overhead: %s: %s (run make first)\n", bt_benchtrace(),
			strerror(errno));
		return 1;
	}
	for (i = 0; i < 3; i++) {
		if (access(bt_workload(path, needed[i]), X_OK)) {
			fprintf(stderr, "overhead: %s: %s (make %s)\n", path, strerror(errno),
				path);
			return 1;
		}
	}
	if (bt_tmp_init(&tmp)) {
		fprintf(stderr, "overhead: cannot create a directory in /var/tmp: %s\n",
			strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Two threads ping-ponging across CPUs take 10x longer whenever the
	 * scheduler happens to put them on different CPUs that go idle in
	 * between (the wake-up from idle dominates): identical runs differ
	 * from 0.7 s to 7 s.  On one CPU every switch is a direct one, so the
	 * timing is steady and the tracer's per-switch cost is entirely on the
	 * critical path; benchtrace itself runs anywhere.
	 */
	bench_setup(tmp.dir);
	printf("benchtrace overhead benchmark: %d CPUs, workloads on ", CPU_COUNT(&bench_all_cpus));
	if (bench_pin_cpu >= 0)
		printf("CPU %d only", bench_pin_cpu);
	else
		printf("any CPU");
	printf(", benchtrace on any CPU; ratios against untraced runs made in between\n");

	bench_workload(&pingpong, 1);
	bench_workload(&faulter, 2);
	maxrss = bench_idle(3);
	if (maxrss < 0) {
		bench_figure_missing("benchtrace max RSS (-p, idle)", "<= 32 MiB");
	} else {
		printf("\n== 4. benchtrace max RSS: %.1f MiB (largest ru_maxrss of the runs "
		       "above) ==\n",
		       maxrss / 1024.0);
		bench_figure_add("benchtrace max RSS (-p, idle)", maxrss > 32 * 1024, "<= 32 MiB",
				 "%.1f MiB", maxrss / 1024.0);
	}
	bench_latency(5);

	if (pingpong.ratio > pingpong.target)
		slow_tick_check(&pingpong);
	if (faulter.ratio > faulter.target)
		slow_tick_check(&faulter);
	bench_diagnostics(&pingpong, &faulter);

	printf("\n== summary (%.0f s) ==\n", (bench_now_ns() - t_start) / 1e9);
	bench_print_figures();
	if (bpf_share_trip > 0 || bpf_share_fault > 0)
		printf(
		    "  BPF run time alone (diagnostics, stats on): %.1f%% of an untraced pingpong "
		    "round trip, %.1f%% of an untraced fault\n",
		    100 * bpf_share_trip, 100 * bpf_share_fault);
	if (shared_runs)
		printf("  note: another tracer's BPF programs were loaded before %d of %d untraced "
		       "runs:\n  the machine is shared and these figures are noisier than "
		       "usual\n",
		       shared_runs, checked_runs);
	bt_reap_strays();
	bt_tmp_cleanup(&tmp);
	return bench_conclude();
}
