/* SPDX-License-Identifier: GPL-2.0 */
/* The BPF side's lifecycle: open, configure, load, attach, read, destroy. */
#ifndef BT_LOADER_H
#define BT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bt_abi.h"

struct tracer;

struct tracer_opts {
	bool follow_children;
	__u32 max_procs;
	__u32 max_threads;
	/* function tracing (--uprobe): nfuncs > 0 loads the uprobe programs */
	__u32 nfuncs;
	__u64 min_dur_ns; /* calls shorter than this get no calls.csv row */
	__u32 calls_rb_bytes; /* calls ring buffer, a power of two */
};

/* What the kernel offered, found by probing at start (meta.json, -v). */
struct tracer_features {
	bool tp_btf; /* tp_btf programs (else raw_tp) */
	bool task_iter;
	bool sched_info; /* run-queue wait from sched_info.run_delay */
	bool io_accounting; /* per-task storage I/O bytes (ioac) */
	bool oom_tracepoint; /* oom:mark_victim with a task argument */
	bool rss_percpu; /* v6.2+ percpu RSS counters */
	bool iter_per_process; /* v6.1+ task iterator limited to one process */
	bool rss_exact; /* v5.19+: per-CPU parts of the RSS counters summed */
};

int tracer__open(struct tracer **out, const struct tracer_opts *o, char *err, size_t errlen);
const struct tracer_features *tracer__features(const struct tracer *t);
/* Track a process; start_ticks is /proc/PID/stat field 22, clk_tck its unit. */
int tracer__add_proc(struct tracer *t, pid_t pid, __u64 start_ticks, long clk_tck);
/* BT_PROC_* flags of a tracked process; -ENOENT if it is not tracked. */
int tracer__proc_flags(const struct tracer *t, pid_t pid, __u32 *flags);
int tracer__attach(struct tracer *t, char *err, size_t errlen);
/*
 * Run the task iterator over the traced processes `pids` (NULL: all of
 * them): fold their threads' counters; with prime, only set baselines.
 */
int tracer__collect(struct tracer *t, const __u32 *pids, int n, bool prime);
/* The process is no longer traced: drop what collecting it kept. */
void tracer__forget(struct tracer *t, __u32 pid);
/* Advance the RSS-peak epoch; returns the epoch that just closed. */
__u64 tracer__next_epoch(struct tracer *t);
/*
 * Time calls of the function at file offset `offset` of `binary` as function
 * number `func` (< nfuncs): in process pid only, or in every process (-1),
 * the kernel keeping only the traced ones.  Calls end at a uretprobe, or
 * with nexits > 0 at the instructions at those file offsets (exits.h).
 */
int tracer__attach_func(struct tracer *t, __u32 func, const char *binary, __u64 offset,
			const __u64 *exits, int nexits, pid_t pid, char *err, size_t errlen);
/* Stop timing calls: once it returns no uprobe program runs any more. */
void tracer__detach_funcs(struct tracer *t);
/* Function `func`'s totals summed over CPUs (min over CPUs that saw a call). */
int tracer__func_stats(const struct tracer *t, __u32 func, struct bt_func_stats *sum);
int tracer__calls_fd(const struct tracer *t);
int tracer__procs_fd(const struct tracer *t);
int tracer__events_fd(const struct tracer *t);
/* Sum of a BT_STAT_* counter over CPUs. */
__u64 tracer__stat(const struct tracer *t, enum bt_stat idx);
void tracer__destroy(struct tracer *t);

#endif /* BT_LOADER_H */
