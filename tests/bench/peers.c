// SPDX-License-Identifier: GPL-2.0
/*
 * peers BUILD_DIR
 *
 * benchtrace beside the tools its users know, on workloads nobody here
 * wrote, as ratios against untraced runs made in the same rounds:
 *
 *  1. perf bench sched messaging, perf bench sched pipe, stress-ng --vm and
 *     stress-ng --fork, each timed by itself (its own "Total time", or
 *     stress-ng's bogo-ops over its rate), so no tool's start-up is in the
 *     figure: untraced, under benchtrace (-i auto), pidstat at 1 s, perf
 *     stat, and a bpftrace script counting switches, faults, I/O and forks.
 *     Rounds of every tool once in turn, each round starting one tool
 *     later; a tool's ratio in a round is its time over the untraced time
 *     of that round (so a machine that drifts between rounds moves both),
 *     and its figure the median of those ratios, with a 95% confidence
 *     interval of the median from the order statistics: identical
 *     untraced runs differ by up to 10% here, and a single median ratio
 *     moved by 3-4% between bench runs.  A peer that is not installed is
 *     left out (sysstat, bpftrace, linux-perf: `make bench` installs them).
 *  2. -a at scale: benchtrace -a -i 100ms beside 1000 and 4000 sleeping
 *     processes, its CPU and rows over a window after start-up: the cost
 *     per process per tick, the share of a core, its peak RSS; pidstat -p
 *     ALL at 1 s over the same processes for comparison.
 *
 * Prints each figure with its target and verdict.  Exits 0 when everything
 * was measured, over target or not; 1 when something could not be.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bench.h"
#include "testutil.h"

#define MAX_ROUNDS 64
#define RUN_TIMEOUT 120.0
#define SCALE_WAIT  3.0 /* s of -a start-up left out */
#define SCALE_WIN   6.0 /* s measured */

static struct bt_tmp tmp;
static bool mounted_tracefs;

enum tool { T_NONE, T_BT, T_PIDSTAT, T_PERF, T_BPFTRACE, NTOOLS };

static const char *const tool_name[NTOOLS] = {"untraced", "benchtrace", "pidstat 1 s",
					      "perf stat", "bpftrace"};
static bool tool_ok[NTOOLS];

/* What the bpftrace peer counts: about what benchtrace's kernel side does. */
static const char bpftrace_script[] =
	"tracepoint:sched:sched_switch { @cs[args->prev_pid] = count(); } "
	"tracepoint:exceptions:page_fault_user { @pf[pid] = count(); } "
	"tracepoint:block:block_rq_issue { @io[pid] = count(); } "
	"tracepoint:sched:sched_process_fork { @fork[args->parent_pid] = count(); }";

struct workload {
	const char *name;
	const char *argv[12]; /* the command; argv[0] a path */
	const char *stressor; /* stress-ng's metrics line to read, or NULL: perf bench */
	double target;	      /* benchtrace's ratio */
	int rounds;	      /* more for the short ones */
	double secs[MAX_ROUNDS][NTOOLS]; /* 0: that run failed */
};

static bool have(const char *path)
{
	return !access(path, X_OK);
}

/*
 * The time the workload printed, in seconds: perf bench's "Total time: X
 * [sec]", or stress-ng's bogo ops over its real-time rate (more digits
 * than its seconds column).  Looked for in both output files.
 */
static int workload_secs(const struct workload *w, const struct bench_child *c, double *s)
{
	const char *files[] = {c->out, c->err};
	char *line = NULL, name[64];
	size_t cap = 0;
	double ops, real, usr, sys, rate;
	int i, found = -1;
	FILE *f;

	for (i = 0; i < 2 && found; i++) {
		f = fopen(files[i], "r");
		if (!f)
			continue;
		while (found && getline(&line, &cap, f) > 0) {
			char *p;

			if (!w->stressor) {
				p = strstr(line, "Total time:");
				if (p && sscanf(p, "Total time: %lf", s) == 1 && *s > 0)
					found = 0;
				continue;
			}
			p = strstr(line, "metrc:");
			p = p ? strchr(p, ']') : NULL;
			if (p && sscanf(p + 1, "%63s %lf %lf %lf %lf %lf", name, &ops, &real, &usr,
					&sys, &rate) == 6 &&
			    !strcmp(name, w->stressor) && rate > 0) {
				*s = ops / rate;
				found = 0;
			}
		}
		fclose(f);
	}
	free(line);
	return found;
}

/* One run of @w under @t; its time into *secs. */
static int run_once(const struct workload *w, enum tool t, double *secs)
{
	char run_dir[BT_PATH_MAX], cmd[1024] = "";
	const char *argv[40];
	struct bench_child c;
	struct bench_ended e;
	double s;
	int n = 0, i;

	switch (t) {
	case T_NONE:
		break;
	case T_BT:
		argv[n++] = bt_benchtrace();
		argv[n++] = "-q";
		argv[n++] = "-o";
		argv[n++] = bench_next_run_dir(run_dir);
		argv[n++] = "--";
		break;
	case T_PIDSTAT:
		argv[n++] = "/usr/bin/pidstat";
		argv[n++] = "-h";
		argv[n++] = "-u";
		argv[n++] = "-r";
		argv[n++] = "-d";
		argv[n++] = "-w";
		argv[n++] = "1";
		argv[n++] = "-e";
		break;
	case T_PERF:
		argv[n++] = "/usr/bin/perf";
		argv[n++] = "stat";
		argv[n++] = "-o";
		argv[n++] = "/dev/null";
		argv[n++] = "--";
		break;
	case T_BPFTRACE:
		argv[n++] = "/usr/bin/bpftrace";
		argv[n++] = "-e";
		argv[n++] = bpftrace_script;
		argv[n++] = "-c";
		for (i = 0; w->argv[i]; i++) {
			strncat(cmd, w->argv[i], sizeof(cmd) - strlen(cmd) - 2);
			strncat(cmd, w->argv[i + 1] ? " " : "", sizeof(cmd) - strlen(cmd) - 1);
		}
		argv[n++] = cmd;
		break;
	default:
		return -1;
	}
	if (t != T_BPFTRACE)
		for (i = 0; w->argv[i]; i++)
			argv[n++] = w->argv[i];
	argv[n] = NULL;
	if (bench_spawn(&c, argv, -1))
		return -1;
	bench_reap(&c, RUN_TIMEOUT, &e);
	if (e.status || workload_secs(w, &c, &s)) {
		bench_show_stderr(&c, tool_name[t], e.status);
		return -1;
	}
	if (t == T_BT)
		bench_rm_tree(run_dir);
	*secs = s;
	return 0;
}

/* Tool t's ratios to untraced, one a round where both ran; how many. */
static int ratios(const struct workload *w, enum tool t, double *r)
{
	int i, n = 0;

	for (i = 0; i < w->rounds; i++)
		if (w->secs[i][T_NONE] > 0 && w->secs[i][t] > 0)
			r[n++] = w->secs[i][t] / w->secs[i][T_NONE];
	return n;
}

static void bench_workload(struct workload *w)
{
	double r[MAX_ROUNDS], base[MAX_ROUNDS], m, lo[NTOOLS] = {0}, hi[NTOOLS] = {0};
	char name[64], tgt[32] = "-";
	int i, k, n, t;

	printf("\n%-10s", w->name);
	fflush(stdout);
	for (i = 0; i < w->rounds; i++)
		for (k = 0; k < NTOOLS; k++) {
			t = (i + k) % NTOOLS;
			if (tool_ok[t] && run_once(w, t, &w->secs[i][t]))
				fprintf(stderr, "peers: %s under %s failed\n", w->name, tool_name[t]);
		}
	for (n = 0, i = 0; i < w->rounds; i++)
		if (w->secs[i][T_NONE] > 0)
			base[n++] = w->secs[i][T_NONE];
	for (t = 0; t < NTOOLS; t++) {
		if (t == T_NONE) {
			if (n)
				printf(" %12.3fs", bench_median(base, n));
			else
				printf(" %14s", "failed");
			continue;
		}
		k = tool_ok[t] ? ratios(w, t, r) : 0;
		if (!k) {
			printf(" %14s", tool_ok[t] ? "failed" : "-");
			continue;
		}
		bench_median_ci(r, k, &lo[t], &hi[t]);
		printf(" %13.3fx", bench_median(r, k));
	}
	printf("\n%-10s", "  95% CI");
	for (t = 0; t < NTOOLS; t++) {
		char ci[32];

		snprintf(ci, sizeof(ci), "%.3f-%.3f", lo[t], hi[t]);
		printf(" %14s", t != T_NONE && hi[t] > 0 ? ci : "");
	}
	snprintf(name, sizeof(name), "%s, traced/untraced (95%% CI)", w->name);
	k = ratios(w, T_BT, r);
	if (!k) {
		bench_figure_missing(name, "-");
		return;
	}
	m = bench_median(r, k);
	if (w->target > 0)
		snprintf(tgt, sizeof(tgt), "<= %.2fx", w->target);
	bench_figure_add(name, w->target > 0 && m > w->target, tgt,
			 "%.3fx (%.3f-%.3f)", m, lo[T_BT], hi[T_BT]);
}

/* ---- 2: -a at scale ---- */

static __u64 cpu_ns_of(pid_t pid)
{
	struct timespec ts;
	clockid_t cid;

	if (clock_getcpuclockid(pid, &cid) || clock_gettime(cid, &ts))
		return 0;
	return ts.tv_sec * BENCH_NSEC + ts.tv_nsec;
}

/*
 * Rows of samples.csv stamped inside [a_ns, b_ns) of CLOCK_MONOTONIC (the
 * run's start is in meta.json): the rows a window's ticks wrote, whenever
 * they reached the file (counting lines at the window's ends would be off
 * by up to a second's flush of rows).  -1 if unreadable.
 */
static long rows_between(const char *run_dir, __u64 a_ns, __u64 b_ns)
{
	char path[BT_PATH_MAX], start[1024], *p, *line = NULL;
	double a, b, t;
	__u64 start_ns;
	size_t cap = 0;
	long n = 0;
	FILE *f;

	bench_pathf(path, "%s/meta.json", run_dir);
	if (bt_json_get(path, "start", start, sizeof(start)) ||
	    !(p = strstr(start, "\"monotonic_ns\"")) || !(p = strchr(p, ':')))
		return -1;
	start_ns = strtoull(p + 1, NULL, 10);
	if (!start_ns || a_ns < start_ns)
		return -1;
	a = (a_ns - start_ns) / 1e9;
	b = (b_ns - start_ns) / 1e9;
	f = fopen(bench_pathf(path, "%s/samples.csv", run_dir), "r");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0)
		if (sscanf(line, "%lf,", &t) == 1 && t >= a && t < b)
			n++;
	free(line);
	fclose(f);
	return n;
}

/* @n sleeping processes, their PIDs into @pids; how many started. */
static int spawn_sleepers(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			break;
		if (!pids[i]) {
			execl("/bin/sleep", "sleep", "3600", (char *)NULL);
			_exit(127);
		}
	}
	return i;
}

static void stop_sleepers(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

static void bench_scale(int nproc)
{
	char run_dir[BT_PATH_MAX], name[64];
	const char *bargv[] = {bt_benchtrace(), "-a", "-q", "-i", "100ms", "-o",
			       bench_next_run_dir(run_dir), NULL};
	const char *pargv[] = {"/usr/bin/pidstat", "-h", "-p", "ALL", "-u", "-r", "1", NULL};
	struct bench_child bt, ps;
	struct bench_ended e;
	pid_t *pids = calloc(nproc, sizeof(*pids));
	__u64 c0, c1, t0, t1, p0 = 0, p1 = 0;
	long rows, hwm;
	double us, pct, ppct = -1;
	int started;

	if (!pids)
		return;
	started = spawn_sleepers(pids, nproc);
	if (started < nproc) {
		fprintf(stderr, "peers: started %d of %d sleeping processes\n", started, nproc);
		goto out;
	}
	if (bench_spawn(&bt, bargv, -1))
		goto out;
	if (!tool_ok[T_PIDSTAT] || bench_spawn(&ps, pargv, -1))
		ps.pid = -1; /* not installed, or would not start: no comparison */
	bt_sleep_ms(SCALE_WAIT * 1000);
	t0 = bench_now_ns();
	c0 = cpu_ns_of(bt.pid);
	if (ps.pid > 0)
		p0 = cpu_ns_of(ps.pid);
	bt_sleep_ms(SCALE_WIN * 1000);
	c1 = cpu_ns_of(bt.pid);
	if (ps.pid > 0)
		p1 = cpu_ns_of(ps.pid);
	t1 = bench_now_ns();
	hwm = bt_status_kib(bt.pid, "VmHWM");
	if (ps.pid > 0)
		bench_stop(&ps);
	kill(bt.pid, SIGINT);
	bench_reap(&bt, 60, &e);
	rows = rows_between(run_dir, t0, t1);
	bench_rm_tree(run_dir);
	if (e.status || !c0 || !c1 || rows <= 0 || hwm < 0) {
		bench_show_stderr(&bt, "benchtrace -a", e.status);
		snprintf(name, sizeof(name), "-a, %d processes: us a process a tick", nproc);
		bench_figure_missing(name, "<= 2 us");
		goto out;
	}
	us = (c1 - c0) / 1e3 / (double)rows;
	pct = 100.0 * (c1 - c0) / (double)(t1 - t0);
	if (ps.pid > 0 && p0 && p1)
		ppct = 100.0 * (p1 - p0) / (double)(t1 - t0);
	printf("  %5d processes: %.2f us a row (process a tick), %.2f%% of a core, %ld rows, "
	       "peak RSS %.1f MiB; pidstat -p ALL 1 s: ",
	       nproc, us, pct, rows, hwm / 1024.0);
	if (ppct >= 0)
		printf("%.2f%% of a core\n", ppct);
	else
		printf("-\n");
	snprintf(name, sizeof(name), "-a, %d processes: us a process a tick", nproc);
	bench_figure_add(name, us > 2.0, "<= 2 us", "%.2f us", us);
	snprintf(name, sizeof(name), "-a, %d processes, 100 ms: CPU", nproc);
	bench_figure_add(name, nproc >= 4000 && pct > 10.0, nproc >= 4000 ? "<= 10%" : "-",
			 "%.2f%%", pct);
	snprintf(name, sizeof(name), "-a, %d processes: peak RSS", nproc);
	bench_figure_add(name, hwm > 20 * 1024, "< 20 MiB", "%.1f MiB", hwm / 1024.0);
	if (ppct >= 0) {
		snprintf(name, sizeof(name), "pidstat -p ALL 1 s, %d processes: CPU", nproc);
		bench_figure_add(name, false, "-", "%.2f%%", ppct);
	}
out:
	stop_sleepers(pids, started);
	free(pids);
}

/* bpftrace's tracepoints need tracefs, which a fresh machine has not mounted. */
static void need_tracefs(void)
{
	struct stat st;

	if (!stat("/sys/kernel/tracing/events", &st))
		return;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		fprintf(stderr, "peers: cannot mount tracefs (%s): bpftrace left out\n",
			strerror(errno));
		tool_ok[T_BPFTRACE] = false;
		return;
	}
	mounted_tracefs = true;
}

int main(int argc, char **argv)
{
	struct workload w[] = {
	    {.name = "messaging",
	     .argv = {"/usr/bin/perf", "bench", "sched", "messaging", "-g", "4", "-l", "200"},
	     .target = 1.03,
	     .rounds = 15},
	    {.name = "pipe",
	     .argv = {"/usr/bin/perf", "bench", "sched", "pipe", "-l", "100000"},
	     .target = 1.02,
	     .rounds = 11},
	    {.name = "vm",
	     .argv = {"/usr/bin/stress-ng", "--vm", "1", "--vm-bytes", "256M", "--vm-ops", "40",
		      "--metrics-brief"},
	     .stressor = "vm",
	     .rounds = 15},
	    {.name = "fork",
	     .argv = {"/usr/bin/stress-ng", "--fork", "1", "--fork-ops", "2000",
		      "--metrics-brief"},
	     .stressor = "fork",
	     .target = 1.05,
	     .rounds = 11},
	};
	size_t i;
	int t;

	if (bt_init(argc, argv))
		return 1;
	if (access(bt_benchtrace(), X_OK)) {
		fprintf(stderr, "peers: %s: %s (run make first)\n", bt_benchtrace(),
			strerror(errno));
		return 1;
	}
	if (bt_tmp_init(&tmp)) {
		fprintf(stderr, "peers: cannot create a directory in /var/tmp: %s\n",
			strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	bench_setup(tmp.dir);
	tool_ok[T_NONE] = tool_ok[T_BT] = true;
	tool_ok[T_PIDSTAT] = have("/usr/bin/pidstat");
	tool_ok[T_PERF] = have("/usr/bin/perf");
	tool_ok[T_BPFTRACE] = have("/usr/bin/bpftrace");
	if (tool_ok[T_BPFTRACE])
		need_tracefs();

	printf("benchtrace beside its peers: each workload timed by itself, rounds of every "
	       "tool in turn; a tool's figure is the median of its ratios to untraced in the "
	       "same round\n");
	printf("\n== 1. traced / untraced ==\n%-10s", "workload");
	for (t = 0; t < NTOOLS; t++)
		printf(" %14s", tool_name[t]);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (!have(w[i].argv[0])) {
			printf("\n%-10s %s is not installed", w[i].name, w[i].argv[0]);
			bench_figure_missing(w[i].name, "-");
			continue;
		}
		bench_workload(&w[i]);
	}
	printf("\n  (untraced: the median time; a tool's column: the median of its "
	       "per-round ratios, 95%% CI below; \"-\": not installed)\n");

	printf("\n== 2. -a at scale: -i 100ms beside sleeping processes, %.0f s after %.0f s "
	       "of start-up ==\n",
	       SCALE_WIN, SCALE_WAIT);
	bench_scale(1000);
	bench_scale(4000);

	if (mounted_tracefs)
		umount("/sys/kernel/tracing");
	bench_print_figures();
	t = bench_conclude();
	bt_tmp_cleanup(&tmp);
	return t;
}
