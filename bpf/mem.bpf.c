// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: every change of a traced process's RSS counters passes through
 * the rss_stat tracepoint, so the highest RSS of each sampling interval is
 * seen however briefly it lasted.
 */
#include "task_counters.bpf.h"

static __always_inline void on_rss_stat(struct mm_struct *mm)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct bt_proc *p;

	/* only the task's own address space: a change made from outside
	 * (reclaim, the final teardown) cannot raise the peak */
	if (BPF_CORE_READ(task, mm) != mm)
		return;
	p = proc_live(bpf_get_current_pid_tgid() >> 32);
	if (!p)
		return;
	peak_raise(p, read_rss(mm, p));
}

BT_TRACEPOINT(rss_stat, on_rss_stat(mm), struct mm_struct *mm)
