// SPDX-License-Identifier: GPL-2.0
/*
 * The run model of `benchtrace report`, private to user/report*.c: one run
 * directory read into memory (outcome, totals, series already reduced to
 * pixel columns, markers, functions). report_load.c reads it from the files;
 * report.c turns it into the page and the summary without reading files.
 *
 * This struct run is not the tracer's (user/record/runstate.h): the two headers are
 * never included together.
 */
#ifndef BT_REPORT_LOAD_H
#define BT_REPORT_LOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "report/spans.h"
#include "report/svg.h"

struct json_doc;

#define MAX_FUNCS    1024		 /* distinct names kept apart; the rest are "(other)" */
#define FUNC_SLOTS   4096		 /* hash table, > 2 * MAX_FUNCS */
#define OTHER_FUNCS  "(other functions)" /* funcs has room for it past MAX_FUNCS */
#define TOP_PROCS    6			 /* processes drawn on their own in each chart */
#define MAX_MARKERS  100
#define MAX_WARNINGS 8
#define HIST_PER_DEC 40			 /* log-scale duration bins per decade */
#define HIST_BINS    (13 * HIST_PER_DEC) /* 1 ns .. 10^13 ns */

struct proc {
	long pid;
	char comm[64];
	double cpu_ns, peak;
	double runq_ns, iowait_ns, read_bytes, write_bytes;
	int slot; /* index in the drawn processes, or -1 */
	/* processes.csv, when the run has one */
	bool have_info;
	long ppid;
	double start_s, end_s; /* end_s < 0: still running at the end */
	char cmdline[96]; /* cut */
	char outcome[24];
	/*
	 * Its threads' time alive (thread-seconds): each interval between two
	 * rows counts the mean of the two rows' thread counts, the first from
	 * its start (processes.csv) or the tick before, the last (threads 0:
	 * it exited) until its end.  Exact while the count holds still.
	 */
	double thread_s;
	int rows;
	double first_t, pre_t, first_thr, last_t, last_thr, dead_from, dead_to, dead_thr;
};

#define FUNC_PROCS 6

struct func {
	char *name;
	/* functions.csv */
	bool have_stats;
	char *binary;
	__u64 calls, total_ns, mean_ns, min_ns, p50_ns, p90_ns, p99_ns, max_ns, cpu_ns, minflt,
	    majflt, read_bytes, write_bytes;
	/* calls.csv */
	__u64 n;
	double sum_ns, min_dur, max_dur, sum_cpu, sum_flt, sum_read, sum_write;
	double split_cpu, split_runq, split_blocked; /* of the calls in calls.csv */
	__u64 hist[HIST_BINS];
	struct mmcols byidx;
	/* duration by call index per process (MPI ranks, workers): each its
	 * own iterations; the first FUNC_PROCS processes that call it */
	long pid[FUNC_PROCS];
	__u64 pn[FUNC_PROCS];
	struct mmcols byproc[FUNC_PROCS];
	int npid;
};

/*
 * A benchtrace.h loop (iter:LOOP in calls.csv): each iteration's time split
 * into its steps (step:LOOP/STEP rows of the same thread, which come just
 * before their iteration's row), averaged over the iterations that share a
 * pixel column.
 */
#define LOOP_STEPS   8 /* steps drawn; the rest count as "other" */
#define LOOP_MAX     4 /* loops drawn */
#define LOOP_THREADS 64 /* threads whose open iteration is followed */
#define LOOP_COLS    SVG_PLOT_W

struct loop_thread {
	long tid;
	double acc[LOOP_STEPS];
};

struct loop {
	char name[64];
	int nsteps;
	char step[LOOP_STEPS][64];
	__u64 iters;
	__u64 per_col; /* iterations per column: doubles as the run goes on */
	int ncols;
	double sum[LOOP_COLS][LOOP_STEPS + 1]; /* steps, then "other" */
	__u64 count[LOOP_COLS];
	struct loop_thread th[LOOP_THREADS];
	int nth;
};

struct marker {
	double t;
	int kind; /* 0 exit by signal or error, 1 oom kill, 2 lost events, 3 exec, fork or exit 0 */
	long pid;
	char label[160]; /* the hover text */
	char tag[40];	 /* written on the chart where there is room */
};

struct run {
	char *dir; /* as the user named it */
	char *at;  /* where its files are opened: dir, or a held descriptor's /proc path */
	struct json_doc *meta;
	const char *outcome;
	long exit_code, signal;
	const char *error;
	double wall_s, t_end;
	bool wall_known;
	__u64 lost;
	char warn[MAX_WARNINGS][256];
	int nwarn;

	/* samples.csv */
	char samples_path[PATH_MAX];
	int nproc, proc_cap;
	struct proc *procs;
	int *pid_slots; /* index + 1, 0 free */
	unsigned int pid_cap;
	int ndrawn;
	struct mmcols cpu_total, rss_total, minflt, majflt, rd, wr;
	struct mmcols runq, iowait, cs, threads; /* all processes together */
	bool have_waits; /* samples.csv has runq_ns etc. */
	bool have_procs; /* processes.csv */
	struct mmcols cpu[TOP_PROCS], rss[TOP_PROCS], peak[TOP_PROCS];
	int drawn[TOP_PROCS]; /* proc index per slot */
	/* more processes than lines: each line is one command (comm), the sum
	 * of its processes, the busiest commands first */
	bool grouped;
	char group_comm[TOP_PROCS][64];
	int group_n[TOP_PROCS];
	double cpu_ns, peak_rss, read_bytes, write_bytes, minflt_total, majflt_total;
	double runq_ns, iowait_ns, thread_s; /* all processes: the time split */
	long sample_rows;

	/* events.csv */
	struct marker markers[MAX_MARKERS];
	int nmarkers, markers_dropped;
	/* kind 3, marked for the processes drawn on their own */
	struct marker life[MAX_MARKERS];
	int nlife;

	/* calls.csv, functions.csv */
	bool have_calls, have_funcs;
	int nfuncs;
	struct func *funcs;
	int slots[FUNC_SLOTS];
	__u64 ncalls, calls_late;
	struct span_grid spans;
	struct loop *loops; /* LOOP_MAX, allocated on the first iter: row */
	int nloops;
};

/*
 * Read run directory DIR into r, which the caller zeroed: 0, or -1 with a
 * one-line message in err. Call report_run__free() on r either way.
 */
int report_run__load(struct run *r, const char *dir, char *err, size_t errlen);
/* The same, opening its files under at (e.g. /proc/self/fd/N of dir, held open). */
int report_run__load_at(struct run *r, const char *dir, const char *at, char *err, size_t errlen);
void report_run__free(struct run *r);
/* The process of samples.csv with that PID, NULL if none. */
const struct proc *report_run__proc(const struct run *r, long pid);

#endif /* BT_REPORT_LOAD_H */
