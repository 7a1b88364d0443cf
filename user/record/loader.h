/* SPDX-License-Identifier: GPL-2.0 */
/* The BPF side's lifecycle: open, configure, load, attach, read, destroy. */
#ifndef BT_LOADER_H
#define BT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "bt_abi.h"
#include "record/kfeat.h"

struct tracer;

/* Up to this many processes, tracer__collect() reads each with an iterator
 * of its own; past it, one iterator walks every task. */
#define TRACER_PER_PROCESS_ITERS 16

struct tracer_opts {
	bool follow_children;
	__u32 max_procs;
	__u32 max_threads;
	/* function tracing (--uprobe): nfuncs > 0 loads the uprobe programs */
	__u32 nfuncs;
	/* -u py:SPEC: func indices nfuncs.. nfuncs + npy_slots - 1 for Python functions */
	__u32 npy_slots;
	__u64 min_dur_ns; /* calls shorter than this get no calls.csv row */
	__u32 calls_rb_bytes; /* calls ring buffer, a power of two */
	const char *btf_path; /* --btf: the kernel's BTF as a file, or NULL */
	bool usdt; /* benchtrace.h marks or --usdt probes: load their programs */
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
/* How many processes have been added to the procs map so far. */
__u64 tracer__procs_added(const struct tracer *t);
/* The key of the n-th process the kernel side added (n from 0); -ENOENT
 * when its log no longer (or does not) hold it: added by the loader, or
 * written over since. */
int tracer__added_key(const struct tracer *t, __u64 n, __u32 *key);
/* Whether a fork (and an exec) wakes the reader at once; other events
 * wait for the next tick or flush, or an eighth of the ring buffer. */
void tracer__fork_wake(struct tracer *t, bool on);
/* Ask the kernel to say when a traced thread next runs (switches in or
 * out): a wake-up on the events ring buffer. */
void tracer__idle_arm(struct tracer *t);
/* 0 while no traced thread ran since tracer__idle_arm() (still armed),
 * else when the first one did (CLOCK_MONOTONIC ns; now_ns if the stamp is
 * late); the kernel disarmed it. */
__u64 tracer__idle_woke(struct tracer *t, __u64 now_ns);
/* The same, and disarmed in any case. */
__u64 tracer__idle_disarm(struct tracer *t, __u64 now_ns);
/* Advance the RSS-peak epoch; returns the epoch that just closed. */
__u64 tracer__next_epoch(struct tracer *t);
/*
 * Where the kernel walks every task in one program run (v6.7+): read
 * every traced process the walk saw, copied into *rows (n of them, valid
 * until the next call) by the walk itself.  -ENOSPC if they did not fit,
 * -EOPNOTSUPP without the one-run walk.
 */
int tracer__snapshot(struct tracer *t, const struct bt_snap **rows, __u32 *n);
bool tracer__can_snapshot(const struct tracer *t);
/* What a uprobe does for function tracing. */
enum bt_probe_kind {
	BT_PROBE_ENTRY, /* a call begins */
	BT_PROBE_RETURN, /* uretprobe: a call returns */
	BT_PROBE_EXIT, /* at an instruction where a call ends (exits.h) */
};

/*
 * Attach n probes of one kind in the file at path, at file offsets offs[],
 * each with a cookie (the function's index, < nfuncs): in process pid only,
 * or in every process that maps the file (-1), the BPF side keeping the
 * traced ones.  One uprobe_multi link where the kernel has them.
 */
/*
 * Attach a USDT probe (every site of PROVIDER:NAME in the file at path):
 * as a benchtrace.h mark (@mark, cookie a bt_mark_kind) or as a --usdt
 * probe (cookie its index).  pid as for tracer__attach_probes().
 */
int tracer__attach_usdt(struct tracer *t, bool mark, const char *path, const char *provider,
			const char *name, __u64 cookie, pid_t pid, char *err, size_t errlen);
/* Name --usdt pair @i (< BT_USDT_SPANS) "usdt:PROVIDER:X". */
int tracer__set_usdt_span(struct tracer *t, __u32 i, const char *name);

int tracer__attach_probes(struct tracer *t, enum bt_probe_kind kind, const char *path,
			  const __u64 *offs, const __u64 *cookies, int n, pid_t pid, char *err,
			  size_t errlen);
/*
 * Hand the calls still staged in the kernel (bt_abi.h, struct bt_stage) to
 * fn as ring-buffer batches: once the probes are detached, nothing else
 * will send them.
 */
int tracer__calls_staged(struct tracer *t, int (*fn)(void *ctx, void *data, size_t len), void *ctx);
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
