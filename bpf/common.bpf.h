/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maps, configuration and small helpers shared by every benchtrace BPF
 * program.  maps.bpf.c defines them (BT_DEFINE_GLOBALS); every other file
 * sees extern declarations that the BPF static linker resolves, so there is
 * exactly one definition and the linker checks that the rest agree.
 */
#ifndef BT_COMMON_BPF_H
#define BT_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bt_abi.h"

#ifdef BT_DEFINE_GLOBALS
#define BT_EXTERN
#define BT_INIT(v) = v
#else
#define BT_EXTERN extern
#define BT_INIT(v)
#endif

/* configuration, set by the loader before load */
BT_EXTERN const volatile bool targ_follow_children BT_INIT(true);
BT_EXTERN const volatile __u32 targ_ncpus BT_INIT(0); /* possible CPUs; 0: no exact RSS */
BT_EXTERN const volatile bool targ_calls BT_INIT(false); /* --uprobe: function tracing on */
BT_EXTERN const volatile __u64 targ_min_dur_ns BT_INIT(0); /* --min-duration */
BT_EXTERN const volatile __u64 targ_calls_wake BT_INIT(0); /* bytes queued that wake the reader */
BT_EXTERN const volatile __u64 targ_events_wake BT_INIT(0); /* the same for events */
/* -u py:SPEC: Python functions get func indices from targ_py_base on */
BT_EXTERN const volatile __u32 targ_py_base BT_INIT(0);
BT_EXTERN const volatile __u32 targ_py_slots BT_INIT(0);

/* written by user space through the mmaped .bss */
BT_EXTERN volatile __u64 bt_epoch BT_INIT(0); /* sampling interval number */
BT_EXTERN volatile __u64 bt_pass BT_INIT(0); /* iterator pass number, from 1 */
BT_EXTERN volatile __u32 bt_priming BT_INIT(0); /* iterator sets baselines only */
BT_EXTERN volatile __u32 bt_pcpu_ready BT_INIT(0); /* pcpu_offset[] is filled in */
BT_EXTERN __u32 bt_py_next BT_INIT(0); /* Python function slots handed out */
/* set while user space sleeps through ticks in which no traced thread ran:
 * the next switch into or out of one clears it, stamps bt_idle_woke_ns and
 * wakes the reader (see idle_wake()) */
BT_EXTERN volatile __u32 bt_idle_watch BT_INIT(0);
BT_EXTERN volatile __u64 bt_idle_woke_ns BT_INIT(0);
/* a fork must wake the reader at once: it attaches library probes to each
 * new process (run.c, on_fork) */
BT_EXTERN volatile __u32 bt_fork_wake BT_INIT(0);
/* processes added to `procs` (followed children; the loader counts its
 * own too): while it holds still, the reader looks up the keys it knows
 * instead of walking every bucket of the map */
BT_EXTERN __u64 bt_procs_added BT_INIT(0);
/* the children's keys, by the count they were added at: slot n % size
 * holds (n + 1) << 32 | tgid, written in one store, so the reader can
 * tell a slot written for n from one not written yet or written over */
BT_EXTERN volatile __u64 bt_added_log[BT_ADDED_LOG] BT_INIT({0});
/* set while the walk of every task copies each traced process it visits
 * into `snap` (bt_snap_n of them; bt_snap_full if it had no room left) */
BT_EXTERN volatile __u32 bt_snap_on BT_INIT(0);
BT_EXTERN __u32 bt_snap_n BT_INIT(0);
BT_EXTERN __u32 bt_snap_full BT_INIT(0);

/* traced processes, keyed by tgid; max_entries set from the command line */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct bt_proc);
} procs SEC(".maps");

/* see bt_snap_on; as many entries as `procs` up to 65536, by the loader */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct bt_snap);
} snap SEC(".maps");

/* per-thread baselines of the kernel's counters, keyed by tid */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct bt_thread);
} threads SEC(".maps");

#define BT_MAX_CPUS 1024

/* See pcpu_offsets_init() in sched.bpf.c. */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pcpu_probe SEC(".maps");

BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BT_MAX_CPUS + 1); /* one per CPU, then a scratch slot */
	__type(key, __u32);
	__type(value, __u64);
} pcpu_offset SEC(".maps");

BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* function tracing: each thread's open calls (see bt_abi.h) */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct bt_callstack);
} callstacks SEC(".maps");

/* completed calls for calls.csv; apart from `events` so that a flood of
 * calls cannot crowd out exits and forks; size set by the loader */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} calls_rb SEC(".maps");

/* completed calls waiting for the ring buffer (bt_abi.h), per CPU */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bt_stage);
} calls_stage SEC(".maps");

/* per-function totals, indexed by the probe's cookie; sized by the loader */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bt_func_stats);
} func_stats SEC(".maps");

/* -u py:SPEC: a Python function's ID (bt_abi.h) to its func index */
BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BT_PY_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} py_ids SEC(".maps");

/*
 * Per CPU: bpf_ktime_get_ns() minus the scheduler's task clock, measured at
 * a context switch (clock_calibrate() in calls.bpf.h), so that a uprobe can
 * tell how much CPU time the running thread used since the scheduler last
 * updated se.sum_exec_runtime.
 */
struct bt_clock_off {
	__s64 off;
	__u64 jiffies; /* when it was measured */
	/* the thread this CPU last switched in from an I/O wait (0: none),
	 * whose wait is settled when it next leaves this CPU (on_switch()) */
	__u32 iow_tid;
	__u32 iow_tgid;
	__u64 iow_ns;	  /* from blocking to running */
	__u64 iow_delay; /* its sched_info.run_delay when it was switched in */
};

BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bt_clock_off);
} clock_off SEC(".maps");

BT_EXTERN struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BT_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/*
 * One tracepoint handler in both flavours: tp_btf (typed arguments) and
 * raw_tp (the fallback).  The loader keeps one flavour by the section
 * prefix.  In the body, `btf` is a compile-time constant telling which:
 * hot paths pass it to BT_READ so tp_btf programs load fields directly
 * (a few ns) where raw_tp ones must call bpf_probe_read_kernel (~50 ns
 * each); the compiler drops the other branch.
 */
#define BT_TRACEPOINT(tp, call, args...)                                                          \
	SEC("tp_btf/" #tp)                                                                         \
	int BPF_PROG(handle_##tp, args)                                                           \
	{                                                                                          \
		const bool btf = true;                                                             \
		(void)btf;                                                                         \
		call;                                                                              \
		return 0;                                                                          \
	}                                                                                          \
	SEC("raw_tp/" #tp)                                                                         \
	int BPF_PROG(handle_##tp##_raw, args)                                                     \
	{                                                                                          \
		const bool btf = false;                                                            \
		(void)btf;                                                                         \
		call;                                                                              \
		return 0;                                                                          \
	}

#define BT_READ(btf, p, field) ((btf) ? (p)->field : BPF_CORE_READ(p, field))
#define BT_READ_BITFIELD(btf, p, field)                                                           \
	((btf) ? BPF_CORE_READ_BITFIELD(p, field) : BPF_CORE_READ_BITFIELD_PROBED(p, field))

static __always_inline struct task_struct *current_task(bool btf)
{
	return btf ? bpf_get_current_task_btf() : (struct task_struct *)bpf_get_current_task();
}

static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += n;
}

static __always_inline void stat_inc(__u32 idx)
{
	stat_add(idx, 1);
}

/* The process if it is traced and still alive; NULL otherwise. */
static __always_inline struct bt_proc *proc_live(__u32 tgid)
{
	struct bt_proc *p = bpf_map_lookup_elem(&procs, &tgid);

	if (!p || (p->flags & (BT_PROC_DEAD | BT_PROC_GONE)))
		return NULL;
	return p;
}

static __always_inline struct bt_thread *thread_get(__u32 tid)
{
	static const struct bt_thread zero;
	struct bt_thread *t = bpf_map_lookup_elem(&threads, &tid);

	if (t)
		return t;
	/* EEXIST from a racing creator is fine: look it up again */
	bpf_map_update_elem(&threads, &tid, &zero, BPF_NOEXIST);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		stat_inc(BT_STAT_THREADS_FULL);
	return t;
}

/*
 * Whether an event wakes the reader: a fork storm's fork and exit events,
 * one wake-up each, cost the tracer more CPU than all the rest of it.  The
 * reader takes them at its next tick or flush anyway (at most a second
 * later; their times are the kernel's); a named process's exit, an OOM
 * kill and (bt_fork_wake) a fork wake it at once, and so does a ring
 * buffer an eighth full.
 */
static __always_inline __u64 events_wake(bool now)
{
	if (now || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > targ_events_wake)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void emit(__u32 type, __u32 pid, __u32 tid, __u32 aux, __s32 code,
				 __u32 flags, const char *comm)
{
	struct bt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		/* never wait for the reader: count the loss and move on */
		stat_inc(BT_STAT_RB_DROPS);
		return;
	}
	e->type = type;
	e->pid = pid;
	e->tid = tid;
	e->aux = aux;
	e->ts_ns = bpf_ktime_get_ns();
	e->exit_code = code;
	e->flags = flags;
	bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), comm);
	bpf_ringbuf_submit(e, events_wake(type == BT_EV_OOM ||
					  (type == BT_EV_EXIT && (flags & BT_PROC_ROOT)) ||
					  (type == BT_EV_FORK && bt_fork_wake)));
}

/* Raise the peak of the current sampling epoch to `rss` pages. */
static __always_inline void peak_raise(struct bt_proc *p, __u64 rss)
{
	__u64 ep = bt_epoch;
	__u32 slot = ep & 1;
	__u64 old;

	if (p->peak_epoch[slot] != ep) {
		p->peak[slot] = rss;
		p->peak_epoch[slot] = ep;
		return;
	}
	old = p->peak[slot];
	if (rss > old)
		__sync_val_compare_and_swap(&p->peak[slot], old, rss);
}

#endif /* BT_COMMON_BPF_H */
