// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: every change of a traced process's RSS counters passes through
 * the rss_stat tracepoint, so the highest RSS of each sampling interval is
 * seen however briefly it lasted.
 */
#include "calls.bpf.h"

/*
 * Runs on every page fault of the machine: the filter comes first, and in
 * tp_btf programs the counters are direct loads of their global values,
 * which lag the exact sum by less than the per-CPU batch: the bound on a
 * peak seen between two ticks.
 */
static __always_inline void on_rss_stat(struct mm_struct *mm, bool btf)
{
	struct task_struct *task = current_task(btf);
	struct bt_proc *p;
	__u64 rss;

	/* only the task's own address space: a change made from outside
	 * (reclaim, the final teardown) cannot raise the peak */
	if (BT_READ(btf, task, mm) != mm)
		return;
	p = proc_live(BT_READ(btf, task, tgid));
	if (!p)
		return;
	/* only the peak: the levels are the iterator's exact readings */
	rss = btf ? rss_total_btf(mm) : rss_total(mm);
	peak_raise(p, rss);
	if (targ_calls)
		call_peak_raise(rss);
}

BT_TRACEPOINT(rss_stat, on_rss_stat(mm, btf), struct mm_struct *mm)
