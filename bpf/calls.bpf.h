/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function tracing helpers shared by the uprobes (uprobe.bpf.c) and the
 * tracepoints that keep open calls up to date: the scheduler's clock
 * calibration (sched.bpf.c), RSS peaks (mem.bpf.c) and exec (proc.bpf.c).
 */
#ifndef BT_CALLS_BPF_H
#define BT_CALLS_BPF_H

#include "task_counters.bpf.h"

/* The open calls of the current thread, NULL if it has none yet. */
static __always_inline struct bt_callstack *callstack_self(void)
{
	return bpf_task_storage_get(&callstacks, bpf_get_current_task_btf(), 0, 0);
}

/*
 * The running thread's CPU time now.  se.sum_exec_runtime is brought up to
 * date only at scheduler events (a tick every 4 ms at HZ=250), which would
 * put a call's CPU time off by up to a tick at each end; the time since,
 * now - se.exec_start, is in the scheduler's task clock, not ktime.  The
 * two clocks move together on a CPU except for the IRQ and steal time the
 * task clock leaves out, so their offset, measured at a recent context
 * switch on this CPU, converts one into the other to within that.
 */
static __always_inline __u64 cpu_now(struct task_struct *task, __u64 now)
{
	__u64 sum = task->se.sum_exec_runtime;
	__s64 start = task->se.exec_start, clk;
	__u32 zero = 0;
	struct bt_clock_off *c = bpf_map_lookup_elem(&clock_off, &zero);

	if (!c || !c->jiffies)
		return sum;
	clk = (__s64)now - c->off;
	return clk > start ? sum + (clk - start) : sum;
}

/*
 * At a context switch the incoming thread's exec_start is the task clock
 * now.  Measuring costs a ktime read (~70 ns a switch on this VM, on every
 * switch of the machine), so once a jiffy per CPU is enough: the offset
 * drifts only by the IRQ and steal time of that jiffy.
 */
static __always_inline void clock_calibrate(struct bt_clock_off *c, struct task_struct *next,
					    bool btf)
{
	__u64 j = bpf_jiffies64();

	if (c->jiffies == j || BT_READ(btf, next, pid) == 0) /* idle: no exec_start */
		return;
	c->off = (__s64)bpf_ktime_get_ns() - (__s64)BT_READ(btf, next, se.exec_start);
	c->jiffies = j;
}

/* An RSS change by the current thread raises the peak of its innermost open call. */
static __always_inline void call_peak_raise(__u64 rss)
{
	struct bt_callstack *cs = callstack_self();
	__u32 d;

	if (!cs)
		return;
	d = cs->depth;
	if (d == 0 || d > BT_MAX_DEPTH)
		return;
	if (rss > cs->f[d - 1].peak)
		cs->f[d - 1].peak = rss;
}

#endif /* BT_CALLS_BPF_H */
