// SPDX-License-Identifier: GPL-2.0
/*
 * Process lifecycle: following children at fork (before their first
 * instruction), exec, exit (with the final counter readings and the exit
 * status) and OOM kills.
 */
#include "calls.bpf.h"

static __always_inline void on_fork(struct task_struct *parent, struct task_struct *child)
{
	struct bt_proc *pp, np = {};
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 pid = BPF_CORE_READ(child, pid);
	__u32 tgid = BPF_CORE_READ(child, tgid);

	if (!targ_follow_children || pid != tgid) /* a new thread: already covered */
		return;
	pp = proc_live(ptgid);
	if (!pp)
		return;
	np.flags = BT_PROC_VERIFIED; /* forked while we watched: no PID reuse */
	np.threads = 1;
	/* the child shares the parent's memory image until it writes to it */
	np.rss_file = pp->rss_file;
	np.rss_anon = pp->rss_anon;
	np.rss_shmem = pp->rss_shmem;
	BPF_CORE_READ_STR_INTO(&np.comm, child, comm);
	if (bpf_map_update_elem(&procs, &tgid, &np, BPF_ANY)) {
		stat_inc(BT_STAT_PROCS_FULL);
		return;
	}
	emit(BT_EV_FORK, tgid, pid, ptgid, 0, 0, np.comm);
}

static __always_inline void on_exec(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct bt_proc *p = proc_live(tgid);
	struct bt_callstack *cs;

	if (!p)
		return;
	/* the calls open before exec never return into the new image */
	if (targ_calls) {
		cs = callstack_self();
		if (cs)
			cs->depth = 0;
	}
	BPF_CORE_READ_STR_INTO(&p->comm, task, comm);
	emit(BT_EV_EXEC, tgid, BPF_CORE_READ(task, pid), 0, 0, 0, p->comm);
}

static __always_inline void on_exit(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	struct bt_thread *t;
	struct bt_proc *p;

	p = bpf_map_lookup_elem(&procs, &tgid);
	/* fold even when DEAD is set: sibling threads may finish do_exit()
	 * after the one that dropped signal->live to zero */
	if (!p || (p->flags & BT_PROC_GONE))
		return;
	t = thread_get(tid);
	if (t) {
		fold_thread(task, p, t, false);
		bpf_map_delete_elem(&threads, &tid);
	}
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return;
	if (proc_mark_dead(task, p))
		emit(BT_EV_EXIT, tgid, tid, 0, p->exit_code, p->flags, p->comm);
}

static __always_inline void on_oom_victim(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct bt_proc *p = proc_live(tgid);

	if (!p)
		return;
	p->flags |= BT_PROC_OOM;
	emit(BT_EV_OOM, tgid, BPF_CORE_READ(task, pid), 0, 0, p->flags, p->comm);
}

BT_TRACEPOINT(sched_process_fork, on_fork(parent, child), struct task_struct *parent,
	      struct task_struct *child)
BT_TRACEPOINT(sched_process_exec, on_exec(task), struct task_struct *task)
BT_TRACEPOINT(sched_process_exit, on_exit(task), struct task_struct *task)

/*
 * mark_victim's argument became the task in v6.8 (it was the pid before);
 * the loader enables these only where BTF shows the task form.  Exit-time
 * detection through signal->oom_mm covers older kernels.
 */
BT_TRACEPOINT(mark_victim, on_oom_victim(task), struct task_struct *task)
