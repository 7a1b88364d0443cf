/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one tracing run, shared by the run loop (run.c) and the parts
 * that write its files and summary (meta.c, runfiles.c, status.c).
 */
#ifndef BT_RUNSTATE_H
#define BT_RUNSTATE_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bt_abi.h"
#include "record/calls.h"
#include "record/interval.h"
#include "record/opts.h"
#include "record/calibrate.h"
#include "record/probes.h"
#include "record/usdtrun.h"
#include "record/python.h"
#include "record/target.h"

struct out;
struct proctable;
struct metrics;
struct rundir;
struct sampler;
struct tracer;

enum bt_outcome {
	BT_RUNNING,
	BT_COMPLETED,
	BT_FAILED,
	BT_KILLED,
	BT_OOM_KILLED,
	BT_DETACHED,
	BT_TRACER_ERROR,
};

struct run {
	const struct opts *opts;
	struct tracer *tracer;
	struct sampler *sampler;
	struct rundir *rd;
	struct out *samples, *events;
	struct out *processes_out; /* processes.csv, written at the end */
	struct proctable *ptab; /* its rows */
	/* library probes placed per traced process (run.c on_fork()) */
	bool libs_per_process;
	int lib_procs;
	struct out *calls_out, *functions_out; /* with --uprobe */
	struct probes probes;
	struct probe_cost probe_cost; /* measured at start-up (calibrate.h) */
	struct python py; /* -u py:SPEC; its functions join probes as they are named */
	struct usdtrun usdt; /* benchtrace.h marks and --usdt probes */
	struct metrics *metrics; /* --metrics */
	char scratch[256], scratch_run[272]; /* --no-logs: where the run directory is */
	bool tracing_calls; /* --uprobe: native or Python functions */
	struct calls calls;
	struct func_summary *funcs; /* at the end, by total time */
	struct proc_info *procs; /* the targets as /proc showed them at start */
	int nprocs;
	char cmd_path[4096];
	struct run_as run_as;
	struct child child;

	__u64 start_mono_ns, start_real_ns, end_mono_ns;
	struct interval interval;
	__u64 lost[BT_STAT_MAX]; /* the kernel side's BT_STAT_* counters, as last read */

	enum bt_outcome outcome;
	int exit_code; /* -1 if none */
	int signal; /* 0 if none */
	bool reaped;
	bool trace_written; /* trace.json (--perfetto) */
	__s64 sample_rows; /* rows left in samples.csv after a failed write; else -1 */
	char error[256]; /* tracer_error: what went wrong */
};

const char *outcome_name(enum bt_outcome o);
/* The name of a BT_STAT_* counter in meta.json and events.csv; NULL for
 * counters that are not lost data. */
const char *lost_source_name(enum bt_stat idx);
/* Events lost over the run, all sources. */
__u64 run__lost_total(const struct run *r);

#endif /* BT_RUNSTATE_H */
