// SPDX-License-Identifier: GPL-2.0
/*
 * Process lifecycle: following children at fork (before their first
 * instruction), exec, the start of an exit (the status; the final readings
 * come at the thread's last switch, in sched.bpf.c) and OOM kills.
 */
#include "calls.bpf.h"

static __always_inline void on_fork(struct task_struct *parent, struct task_struct *child)
{
	struct bt_proc *pp, np = {};
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 pid = BPF_CORE_READ(child, pid);
	__u32 tgid = BPF_CORE_READ(child, tgid);
	__u64 n;

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
	n = __sync_fetch_and_add(&bt_procs_added, 1);
	bt_added_log[n & (BT_ADDED_LOG - 1)] = (n + 1) << 32 | tgid;
	emit(BT_EV_FORK, tgid, pid, ptgid, 0, 0, np.comm);
}

static __always_inline void on_exec(struct task_struct *task, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct bt_proc *p = proc_live(tgid);
	struct bt_callstack *cs;
	struct bt_exec_event *x;
	unsigned long start, end;
	__u64 len;

	if (!p)
		return;
	/* the calls open before exec never return into the new image */
	if (targ_calls) {
		cs = callstack_self();
		if (cs)
			cs->depth = 0;
	}
	BPF_CORE_READ_STR_INTO(&p->comm, task, comm);
	x = bpf_ringbuf_reserve(&events, sizeof(*x), 0);
	if (!x) {
		stat_inc(BT_STAT_RB_DROPS);
		return;
	}
	x->e.type = BT_EV_EXEC;
	x->e.pid = tgid;
	x->e.tid = BPF_CORE_READ(task, pid);
	x->e.aux = 0;
	x->e.ts_ns = bpf_ktime_get_ns();
	x->e.exit_code = 0;
	x->e.flags = 0;
	__builtin_memcpy(x->e.comm, p->comm, sizeof(x->e.comm));
	x->exe[0] = 0;
	bpf_probe_read_kernel_str(x->exe, sizeof(x->exe), BPF_CORE_READ(bprm, filename));
	/* the new image's argv, as /proc/PID/cmdline shows it: this runs in
	 * the process itself, its stack already set up */
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > sizeof(x->args))
		len = sizeof(x->args);
	x->args_len = 0;
	if (len && !bpf_probe_read_user(x->args, len & (sizeof(x->args) - 1) ?: sizeof(x->args),
					(void *)start))
		x->args_len = len;
	bpf_ringbuf_submit(x, events_wake(bt_fork_wake));
}

/*
 * A thread begins to exit.  Its counters still grow after this (do_exit()
 * frees its memory and files later, 0.3 s of CPU for 4 GiB resident), so
 * the final reading is taken at its last switch off the CPU
 * (on_thread_dead() in sched.bpf.c); here it is counted as exiting, and
 * the thread that ends the group records the status wait(2) will report.
 */
static __always_inline void on_exit(struct task_struct *task, bool btf)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	bool group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	struct mm_struct *mm;
	__u64 rss, hw;
	struct bt_thread *t;
	struct bt_proc *p;
	__u64 old, add;
	int i;

	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p || (p->flags & BT_PROC_GONE))
		return;
	if (group_dead) {
		proc_exit_status(task, p);
		/* since v6.16 the memory is still there: the final VmHWM */
		mm = BPF_CORE_READ(task, mm);
		if (mm) {
			rss = rss_total(mm);
			hw = BPF_CORE_READ(mm, hiwater_rss);
			p->hwm = hw > rss ? hw : rss;
		}
	}
	t = thread_get(tid);
	if (t) {
		fold_thread(task, p, t, false, btf);
		if (!t->exiting) {
			t->exiting = 1;
			/* count + 1, and the group bit set once however many
			 * threads see live at zero */
			for (i = 0; i < 8; i++) {
				old = p->exiting;
				add = (old + 1) | (group_dead ? BT_EXIT_GROUP : 0);
				if (__sync_val_compare_and_swap(&p->exiting, old, add) == old)
					return;
			}
			t->exiting = 0; /* not counted: its final switch must not uncount */
		}
	}
	/* no thread state to finish with later: the group ends now */
	if (group_dead && proc_set_dead(p))
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
BT_TRACEPOINT(sched_process_exec, on_exec(task, bprm), struct task_struct *task, pid_t old_pid,
	      struct linux_binprm *bprm)
BT_TRACEPOINT(sched_process_exit, on_exit(task, btf), struct task_struct *task)

/*
 * mark_victim's argument became the task in v6.8 (it was the pid before);
 * the loader enables these only where BTF shows the task form.  Exit-time
 * detection through signal->oom_mm covers older kernels.
 */
BT_TRACEPOINT(mark_victim, on_oom_victim(task), struct task_struct *task)
