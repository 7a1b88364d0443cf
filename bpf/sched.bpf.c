// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler side: the sampling iterator that reads every traced thread's
 * kernel counters at each tick (see task_counters.bpf.h for why), and the
 * sched_switch hook that times I/O waits.
 */
#include "task_counters.bpf.h"

/*
 * Identity check for -p targets: the loader stored the start time
 * /proc/PID/stat showed; a different process with the same PID (the target
 * exited and the number was reused) must not be traced.
 */
static __always_inline bool proc_verify(struct task_struct *task, struct bt_proc *p)
{
	__u64 start = BPF_CORE_READ(task, group_leader, start_boottime);
	__u64 tick_ns;

	if (!p->clk_tck)
		return false;
	tick_ns = 1000000000ULL / p->clk_tck;
	if (start / tick_ns != p->start_ticks)
		return false;
	p->start_boottime = start;
	return true;
}

SEC("iter/task")
int iter_task(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct bt_thread *t;
	struct bt_proc *p;
	struct mm_struct *mm;
	__u32 tgid, tid;

	if (!task)
		return 0;
	tgid = task->tgid;
	p = proc_live(tgid);
	if (!p)
		return 0;
	if (!(p->flags & BT_PROC_VERIFIED)) {
		if (!proc_verify(task, p)) {
			p->flags |= BT_PROC_GONE;
			return 0;
		}
		p->flags |= BT_PROC_VERIFIED;
	}
	tid = task->pid;
	t = thread_get(tid);
	if (t)
		fold_thread(task, p, t, bt_priming);
	mm = task->mm;
	if (mm)
		peak_raise(p, read_rss(mm, p));
	if (tid == tgid && BPF_CORE_READ(task, exit_state) &&
	    BPF_CORE_READ(task, signal, live.counter) == 0) {
		/* a zombie whose exit we never saw: it died before attach */
		if (proc_mark_dead(task, p))
			emit(BT_EV_EXIT, tgid, tid, 0, p->exit_code, p->flags, p->comm);
		return 0;
	}
	if (tid == tgid) {
		p->threads = BPF_CORE_READ(task, signal, nr_threads);
		bpf_probe_read_kernel_str(p->comm, sizeof(p->comm), task->comm);
	}
	return 0;
}

/*
 * I/O wait: a thread that leaves the CPU with in_iowait set (io_schedule())
 * is waiting for storage; the time until it runs again is its I/O wait.
 * This runs on every context switch of the machine, so the common case
 * touches no map: in_iowait is still set when the waiter is switched back
 * in (io_schedule_finish() clears it after schedule() returns), so only
 * switches into or out of an I/O wait look further.
 */
static __always_inline void on_switch(struct task_struct *prev, struct task_struct *next,
				      bool btf)
{
	struct bt_thread *t;
	struct bt_proc *p;
	__u32 tid;

	if (BT_READ_BITFIELD(btf, prev, in_iowait) && proc_live(BT_READ(btf, prev, tgid))) {
		t = thread_get(BT_READ(btf, prev, pid));
		if (t)
			t->iowait_start = bpf_ktime_get_ns();
	}
	if (!BT_READ_BITFIELD(btf, next, in_iowait))
		return;
	tid = BT_READ(btf, next, pid);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (t && t->iowait_start) {
		p = proc_live(BT_READ(btf, next, tgid));
		if (p)
			__sync_fetch_and_add(&p->io_wait_ns, bpf_ktime_get_ns() - t->iowait_start);
		t->iowait_start = 0;
	}
}

BT_TRACEPOINT(sched_switch, on_switch(prev, next, btf), bool preempt, struct task_struct *prev,
	      struct task_struct *next)
