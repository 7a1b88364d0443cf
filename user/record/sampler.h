/* SPDX-License-Identifier: GPL-2.0 */
/* Sampling: at each tick, read the kernel's per-process accumulators and
 * write one samples.csv row per traced process. */
#ifndef BT_SAMPLER_H
#define BT_SAMPLER_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>

struct out;
struct tracer;
struct sampler;
struct proctable;
struct metrics;

/* Whole-run figures for the status line, the summary and meta.json. */
struct run_stats {
	__u64 cpu_ns, runq_ns, read_bytes, write_bytes, io_ops, io_wait_ns;
	__u64 rchar, wchar, syscr, syscw;
	__u64 minflt, majflt, vol_cs, invol_cs;
	__u64 peak_rss_bytes; /* highest RSS of any single process */
	__u64 procs_seen;
	__u64 rows;
	__u64 last_rss_bytes; /* at the last tick, summed over processes */
	/* processes named on the command line (or the command) */
	int roots_alive;
	bool root_exited; /* the first root that ended */
	__s32 root_status; /* its wait(2)-style status */
	__u32 root_flags; /* its BT_PROC_* flags */
};

struct sampler *sampler__new(struct tracer *t, struct out *samples, __u64 start_ns,
			     long page_size);
/*
 * Collect and write the interval that ends now.  The rows are stamped
 * with the CLOCK_MONOTONIC time the counters were read, taken just before
 * reading them, so that an interval's CPU time never exceeds its length;
 * returns it in *read_ns (may be NULL).
 */
int sampler__tick(struct sampler *s, __u64 *read_ns);
/*
 * Whether the last tick read a few processes (per-process reads) and
 * found that none had run, nor any begun or ended: the run may then sleep
 * through the next ticks (tracer__idle_arm()) and write them with
 * sampler__repeat().
 */
bool sampler__idle(const struct sampler *s);
/* After tracer__idle_arm(): still none ran, and none is running or
 * runnable now (so any that runs later switches in with the flag set). */
bool sampler__still_idle(struct sampler *s);
/* Write the tick that ends at now_ns with the last tick's values: only
 * right while no thread of the processes ran since. */
int sampler__repeat(struct sampler *s, __u64 now_ns);
/* Processes first seen in a tick (-a, or -p threads' groups) are added to @t. */
void sampler__set_proctable(struct sampler *s, struct proctable *t);
/* Each row's process also goes to @m (--metrics). */
void sampler__set_metrics(struct sampler *s, struct metrics *m);
const struct run_stats *sampler__stats(const struct sampler *s);
void sampler__free(struct sampler *s);

extern const char *const samples_header;

#endif /* BT_SAMPLER_H */
