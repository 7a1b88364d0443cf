// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: every change of a traced process's RSS counters passes through
 * the rss_stat tracepoint, so the highest RSS of each sampling interval is
 * seen however briefly it lasted.
 */
#include "task_counters.bpf.h"

/*
 * Runs on every page fault of the machine: the filter comes first, and in
 * tp_btf programs the four counters are direct loads.
 */
static __always_inline void on_rss_stat(struct mm_struct *mm, bool btf)
{
	struct task_struct *task = current_task(btf);
	struct bt_proc *p;

	/* only the task's own address space: a change made from outside
	 * (reclaim, the final teardown) cannot raise the peak */
	if (BT_READ(btf, task, mm) != mm)
		return;
	p = proc_live(BT_READ(btf, task, tgid));
	if (!p)
		return;
	if (btf && !bpf_core_type_exists(struct mm_rss_stat)) {
		__u64 file = clamp_pages(mm->rss_stat[0].count);
		__u64 anon = clamp_pages(mm->rss_stat[1].count);
		__u64 shmem = clamp_pages(mm->rss_stat[3].count);

		p->rss_file = file;
		p->rss_anon = anon;
		p->rss_swap = clamp_pages(mm->rss_stat[2].count);
		p->rss_shmem = shmem;
		peak_raise(p, file + anon + shmem);
		return;
	}
	peak_raise(p, read_rss(mm, p));
}

BT_TRACEPOINT(rss_stat, on_rss_stat(mm, btf), struct mm_struct *mm)
