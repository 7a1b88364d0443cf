/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How benchtrace counts CPU time, run-queue wait, context switches, page
 * faults, storage I/O and RSS: it does not re-derive them from events, it
 * reads the counters the kernel itself keeps per task (the ones getrusage(2),
 * /proc/PID/stat, /proc/PID/schedstat and /proc/PID/io report) and folds
 * their growth into the process's accumulators.  Readings happen in the
 * task iterator at every sampling tick and at each thread's last switch
 * off the CPU (when its counters can no longer change, after do_exit()
 * freed its memory and files), so the totals match the kernel's
 * accounting exactly, and a thread that lives between two ticks is still
 * counted.
 */
#ifndef BT_TASK_COUNTERS_BPF_H
#define BT_TASK_COUNTERS_BPF_H

#include "common.bpf.h"

/* include/linux/sched/signal.h; stable since 2.6 */
#define BT_SIGNAL_GROUP_EXIT 0x00000004

/* mm_struct before v6.2 (f1a7941243c1 "mm: convert mm's rss stats into
 * percpu_counter"): an array of atomic_long_t */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));
struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

/*
 * Fold the growth of one counter into the process.  xchg makes concurrent
 * readers of the same thread (iterator vs. exit) safe: each adds
 * now - previous-baseline, possibly negative, and the sum telescopes to
 * final - first whatever the interleaving.
 */
static __always_inline void fold(__u64 *last, __u64 now, __s64 *acc, bool prime)
{
	__u64 old = __sync_lock_test_and_set(last, now);

	if (!prime)
		__sync_fetch_and_add(acc, (__s64)(now - old));
}

/*
 * Fold a thread's counters; @runtime is its CPU time (se.sum_exec_runtime,
 * or more for a running thread: task_runtime() in sched.bpf.c).
 */
/*
 * @btf: task is a BTF pointer (the iterator, tp_btf programs), so its
 * fields are direct loads rather than a helper call each.
 */
static __always_inline void fold_thread_at(struct task_struct *task, struct bt_proc *p,
					   struct bt_thread *t, __u64 runtime, bool prime, bool btf)
{
	fold(&t->cpu_ns, runtime, &p->cpu_ns, prime);
	if (bpf_core_field_exists(task->sched_info)) /* CONFIG_SCHED_INFO */
		fold(&t->runq_ns, BT_READ(btf, task, sched_info.run_delay), &p->runq_ns, prime);
	fold(&t->nvcsw, BT_READ(btf, task, nvcsw), &p->vol_cs, prime);
	fold(&t->nivcsw, BT_READ(btf, task, nivcsw), &p->invol_cs, prime);
	fold(&t->minflt, BT_READ(btf, task, min_flt), &p->minflt, prime);
	fold(&t->majflt, BT_READ(btf, task, maj_flt), &p->majflt, prime);
	if (bpf_core_field_exists(task->ioac)) { /* CONFIG_TASK_IO_ACCOUNTING */
		fold(&t->read_bytes, BT_READ(btf, task, ioac.read_bytes), &p->read_bytes, prime);
		fold(&t->write_bytes, BT_READ(btf, task, ioac.write_bytes), &p->write_bytes,
		     prime);
		fold(&t->rchar, BT_READ(btf, task, ioac.rchar), &p->rchar, prime);
		fold(&t->wchar, BT_READ(btf, task, ioac.wchar), &p->wchar, prime);
		fold(&t->syscr, BT_READ(btf, task, ioac.syscr), &p->syscr, prime);
		fold(&t->syscw, BT_READ(btf, task, ioac.syscw), &p->syscw, prime);
	}
}

/* The same for a thread that is not running (or is the current one at a
 * scheduler event): its CPU time is up to date. */
static __always_inline void fold_thread(struct task_struct *task, struct bt_proc *p,
					struct bt_thread *t, bool prime, bool btf)
{
	fold_thread_at(task, p, t, BT_READ(btf, task, se.sum_exec_runtime), prime, btf);
}

static __always_inline __u64 clamp_pages(long v)
{
	return v > 0 ? (__u64)v : 0;
}

/*
 * The address space's RSS counters (pages): the percpu counters' global
 * values, which lag the exact sum by less than the per-CPU batch
 * (max(32, 2*CPUs) pages) per CPU and counter -- what /proc/PID/status
 * showed before v6.16.  read_rss() in sched.bpf.c adds the per-CPU
 * parts.  Before v6.2 the counters were exact atomics.
 */
static __always_inline long rss_counter(struct mm_struct *mm, int i)
{
	if (bpf_core_type_exists(struct mm_rss_stat)) {
		struct mm_struct___old *old = (void *)mm;

		return BPF_CORE_READ(old, rss_stat.count[i].counter);
	}
	return BPF_CORE_READ(mm, rss_stat[i].count);
}

/* file + anon + shmem (swap entries are not resident) */
static __always_inline __u64 rss_total(struct mm_struct *mm)
{
	return clamp_pages(rss_counter(mm, 0)) + clamp_pages(rss_counter(mm, 1)) +
	       clamp_pages(rss_counter(mm, 3));
}

/*
 * The same through a BTF pointer (tp_btf programs, bpf_get_current_task_btf()):
 * direct loads, a few ns each instead of a helper call.
 */
static __always_inline __u64 rss_total_btf(struct mm_struct *mm)
{
	if (bpf_core_type_exists(struct mm_rss_stat))
		return rss_total(mm);
	return clamp_pages(mm->rss_stat[0].count) + clamp_pages(mm->rss_stat[1].count) +
	       clamp_pages(mm->rss_stat[3].count);
}

/*
 * The highest RSS the process has had, given its RSS now: the kernel keeps
 * mm->hiwater_rss (VmHWM) up to date only when the RSS is about to fall,
 * so the current RSS may be above it.
 */
static __always_inline __u64 rss_hiwater_btf(struct mm_struct *mm, __u64 rss)
{
	__u64 hw = mm->hiwater_rss;

	return hw > rss ? hw : rss;
}

/*
 * The thread group is ending: record the status wait(2) will report (as
 * wait_task_zombie() computes it) and whether the OOM killer chose it.
 */
static __always_inline void proc_exit_status(struct task_struct *task, struct bt_proc *p)
{
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	struct task_struct *leader;
	__s32 code;

	if (BPF_CORE_READ(sig, flags) & BT_SIGNAL_GROUP_EXIT) {
		code = BPF_CORE_READ(sig, group_exit_code);
	} else {
		leader = BPF_CORE_READ(task, group_leader);
		code = BPF_CORE_READ(leader, exit_code);
	}
	if (BPF_CORE_READ(sig, oom_mm))
		__sync_fetch_and_or(&p->flags, BT_PROC_OOM);
	p->exit_code = code;
}

/* The group is gone; false if another CPU declared it first. */
static __always_inline bool proc_set_dead(struct bt_proc *p)
{
	return !(__sync_fetch_and_or(&p->flags, BT_PROC_DEAD) & BT_PROC_DEAD);
}

/* proc_exit_status() and proc_set_dead() at once: a group that ended
 * before we could watch it exit */
static __always_inline bool proc_mark_dead(struct task_struct *task, struct bt_proc *p)
{
	if (p->flags & BT_PROC_DEAD)
		return false;
	proc_exit_status(task, p);
	return proc_set_dead(p);
}

#endif /* BT_TASK_COUNTERS_BPF_H */
