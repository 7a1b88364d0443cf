// SPDX-License-Identifier: GPL-2.0
/*
 * soak BUILD_DIR [SECONDS]
 *
 * `make soak` (not in CI: an hour by default).  Traces
 * tests/workloads/soak_busy (CPU, sleeps, page faults, RSS peaks, block I/O
 * and a short-lived child every 5 s, for SECONDS) with the auto interval
 * and --uprobe soak_step, and checks what a long run must keep:
 *
 *  1. benchtrace's memory is flat: its anonymous RSS (heap and stacks,
 *     /proc/PID/status RssAnon) read every 10 s grows by at most 1 MiB
 *     after the first 10 minutes (or the first sixth of a shorter run).
 *     Its total VmRSS is shown too: it also counts the ring buffers' pages,
 *     which the kernel maps in as they are first written, so it rises
 *     until they have all been used once and stays within their size;
 *  2. the log size is what the auto interval predicts: the main process's
 *     rows in samples.csv match the ticks the interval policy gives for the
 *     run's length (user/record/interval.c, simulated here) within 3%;
 *  3. every call made is counted (functions.csv count == the steps the
 *     workload reports), and the run ends `completed`.
 *
 * Prints a table of figures and exits 0 when all hold, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "record/interval.h"
#include "rundir/csvread.h"
#include "testutil.h"

#define MIB    (1024.0 * 1024.0)
#define POLL_S 10

struct mem {
	double t_s;
	long rss_kib, anon_kib;
};

static long status_kib(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static int read_mem(pid_t pid, struct mem *m)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (bench_slurp(path, buf, sizeof(buf)))
		return -1;
	m->rss_kib = status_kib(buf, "VmRSS:");
	m->anon_kib = status_kib(buf, "RssAnon:");
	return m->rss_kib < 0 || m->anon_kib < 0 ? -1 : 0;
}

/* The ticks the auto interval gives in @secs: what samples.csv should hold per busy process. */
static unsigned long predicted_ticks(double secs)
{
	struct interval iv;
	unsigned long ticks = 0;
	double t = 0;

	interval__init(&iv, 0);
	for (;;) {
		t += iv.ns / 1e9;
		if (t > secs)
			return ticks;
		ticks++;
		interval__tick(&iv);
	}
}

static long long file_size(const char *dir, const char *name)
{
	char path[BT_PATH_MAX];
	struct stat st;

	return stat(bench_pathf(path, "%s/%s", dir, name), &st) ? -1 : (long long)st.st_size;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* The most rows any one pid has in samples.csv (the long-lived process's), and the total. */
static int busiest_rows(const char *dir, int *rows, int *total)
{
	char path[BT_PATH_MAX], err[256];
	struct csv_table *t =
	    csv_table__load(bench_pathf(path, "%s/samples.csv", dir), err, sizeof(err));
	int r, n = 0, col, run = 0;
	__u64 *pids;

	if (!t) {
		fprintf(stderr, "soak: %s\n", err);
		return -1;
	}
	col = csv_table__col(t, "pid");
	pids = calloc(csv_table__rows(t) + 1, sizeof(*pids));
	if (!pids || col < 0) {
		csv_table__free(t);
		free(pids);
		return -1;
	}
	for (r = 0; r < csv_table__rows(t); r++)
		if (!csv_table__get_u64(t, r, col, &pids[n]))
			n++;
	qsort(pids, n, sizeof(*pids), cmp_u64);
	*rows = 0;
	for (r = 0; r < n; r++) {
		run = r && pids[r] == pids[r - 1] ? run + 1 : 1;
		if (run > *rows)
			*rows = run;
	}
	*total = csv_table__rows(t);
	csv_table__free(t);
	free(pids);
	return 0;
}

static int calls_counted(const char *dir, __u64 *count)
{
	char path[BT_PATH_MAX], err[256];
	struct csv_table *t =
	    csv_table__load(bench_pathf(path, "%s/functions.csv", dir), err, sizeof(err));
	int r, fcol, ccol, found = -1;

	if (!t) {
		fprintf(stderr, "soak: %s\n", err);
		return -1;
	}
	fcol = csv_table__col(t, "func");
	ccol = csv_table__col(t, "calls");
	for (r = 0; r < csv_table__rows(t); r++)
		if (fcol >= 0 && ccol >= 0 && !strcmp(csv_table__get(t, r, fcol), "soak_step"))
			found = csv_table__get_u64(t, r, ccol, count);
	csv_table__free(t);
	return found;
}

int main(int argc, char **argv)
{
	char tmpl[] = "/var/tmp/benchtrace-soak.XXXXXX", bt[BT_PATH_MAX], work[BT_PATH_MAX];
	char run[BT_PATH_MAX], secs_arg[32], outcome[64] = "";
	double secs = argc > 2 ? atof(argv[2]) : 3600, t0, warm_s, el;
	struct mem *mem;
	int nmem = 0, i, rows, total, ok = 1, warm_i = -1;
	long anon_max = 0, rss_max = 0;
	unsigned long ticks;
	struct bench_child c;
	struct bench_ended e;
	__u64 steps = 0, counted = 0;

	if (argc < 2 || argc > 3 || secs < 60) {
		fprintf(stderr, "usage: soak BUILD_DIR [SECONDS (>= 60, default 3600)]\n");
		return 2;
	}
	if (!mkdtemp(tmpl)) {
		perror("soak: mkdtemp");
		return 1;
	}
	bench_setup(tmpl);
	bench_pathf(bt, "%s/benchtrace", argv[1]);
	bench_pathf(work, "%s/tests/workloads/soak_busy", argv[1]);
	bench_next_run_dir(run);
	snprintf(secs_arg, sizeof(secs_arg), "%.0f", secs);
	mem = calloc(secs / POLL_S + 16, sizeof(*mem));
	if (!mem)
		return 1;

	printf("soak: tracing soak_busy for %.0f s (auto interval, --uprobe soak_step) into %s\n",
	       secs, run);
	{
		const char *argv_bt[] = {bt,	      "-q", "-o", run,	    "-u",
					 "soak_step", "--", work, secs_arg, NULL};

		t0 = bt_now();
		if (bench_spawn(&c, argv_bt, -1))
			return 1;
	}
	warm_s = secs >= 3600 ? 600 : secs / 6;
	while (bt_pid_alive(c.pid) && nmem < secs / POLL_S + 15) {
		bt_sleep_ms(POLL_S * 1000);
		if (read_mem(c.pid, &mem[nmem]))
			break;
		mem[nmem].t_s = bt_now() - t0;
		if (warm_i < 0 && mem[nmem].t_s >= warm_s)
			warm_i = nmem;
		nmem++;
	}
	bench_reap(&c, secs + 120, &e);
	el = bt_now() - t0;
	if (e.status) {
		bench_show_stderr(&c, "benchtrace", e.status);
		ok = 0;
	}

	/* 1. memory */
	for (i = warm_i < 0 ? nmem : warm_i; i < nmem; i++) {
		if (mem[i].anon_kib > anon_max)
			anon_max = mem[i].anon_kib;
		if (mem[i].rss_kib > rss_max)
			rss_max = mem[i].rss_kib;
	}
	printf("\nbenchtrace memory every %d s (KiB):\n  %8s %10s %10s\n", POLL_S, "t_s", "VmRSS",
	       "RssAnon");
	for (i = 0; i<nmem; i += nmem> 40 ? nmem / 20 : 1)
		printf("  %8.0f %10ld %10ld\n", mem[i].t_s, mem[i].rss_kib, mem[i].anon_kib);
	if (nmem)
		printf("  %8.0f %10ld %10ld  (last)\n", mem[nmem - 1].t_s, mem[nmem - 1].rss_kib,
		       mem[nmem - 1].anon_kib);
	if (warm_i < 0 || nmem - warm_i < 3) {
		bench_figure_missing("RssAnon growth after warm-up", "<= 1.0 MiB");
		ok = 0;
	} else {
		double growth = (anon_max - mem[warm_i].anon_kib) / 1024.0;

		bench_figure_add("RssAnon growth after warm-up", growth > 1.0, "<= 1.0 MiB",
				 "%.2f MiB", growth);
		bench_figure_add("RssAnon at warm-up", false, "-", "%.1f MiB",
				 mem[warm_i].anon_kib / 1024.0);
		bench_figure_add("VmRSS max after warm-up", false, "-", "%.1f MiB",
				 rss_max / 1024.0);
		ok &= growth <= 1.0;
	}

	/* 2. log size, for the run's own length */
	{
		char meta[BT_PATH_MAX], wall[64];

		if (!bt_json_get(bench_pathf(meta, "%s/meta.json", run), "wall_s", wall,
				 sizeof(wall)))
			el = atof(wall);
	}
	ticks = predicted_ticks(el);
	if (busiest_rows(run, &rows, &total)) {
		bench_figure_missing("main process rows / predicted", "0.97-1.03");
		ok = 0;
	} else {
		double ratio = (double)rows / ticks;
		long long size = file_size(run, "samples.csv");

		bench_figure_add("main process rows / predicted", ratio < 0.97 || ratio > 1.03,
				 "0.97-1.03", "%d / %lu", rows, ticks);
		bench_figure_add("samples.csv rows (all processes)", false, "-", "%d", total);
		bench_figure_add("samples.csv size", false, "-", "%.1f MiB", size / MIB);
		bench_figure_add("calls.csv size", false, "-", "%.1f MiB",
				 file_size(run, "calls.csv") / MIB);
		ok &= ratio >= 0.97 && ratio <= 1.03;
	}

	/* 3. calls and outcome */
	if (bench_last_number(c.out, &steps) || calls_counted(run, &counted)) {
		bench_figure_missing("soak_step calls counted / made", "equal");
		ok = 0;
	} else {
		bench_figure_add("soak_step calls counted / made", counted != steps, "equal",
				 "%llu / %llu", (unsigned long long)counted,
				 (unsigned long long)steps);
		ok &= counted == steps;
	}
	{
		char meta[BT_PATH_MAX];

		bt_json_get(bench_pathf(meta, "%s/meta.json", run), "outcome", outcome,
			    sizeof(outcome));
		bench_figure_add("outcome", strcmp(outcome, "completed"), "completed", "%s",
				 outcome[0] ? outcome : "(none)");
		ok &= !strcmp(outcome, "completed");
	}
	bench_figure_add("elapsed", false, "-", "%.0f s", el);

	printf("\n");
	bench_print_figures();
	bench_conclude();
	printf("soak: %s; run directory kept: %s\n", ok ? "PASS" : "FAIL", run);
	free(mem);
	return ok ? 0 : 1;
}
