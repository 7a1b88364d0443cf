// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler side: the sampling iterator that reads every traced thread's
 * kernel counters at each tick (see task_counters.bpf.h for why), and the
 * sched_switch hook that takes each thread's final reading and times I/O
 * waits.
 */
#include "calls.bpf.h"

/*
 * Exact RSS needs each CPU's per-CPU offset (percpu_counter_sum() adds every
 * CPU's unfolded part).  BPF can reach __per_cpu_offset only through data
 * symbols in kallsyms (CONFIG_KALLSYMS_ALL), which many kernels lack, so we
 * measure the offsets on a per-CPU map of our own: the address
 * bpf_map_lookup_percpu_elem() (v5.19) returns for a CPU, minus the map's
 * __percpu base pointer, is that CPU's offset.  Both addresses pass through
 * a map slot to become plain numbers (the verifier forbids arithmetic on map
 * pointers; storing one in a map is allowed for privileged programs).
 */
static __noinline int pcpu_offsets_init(void)
{
	__u32 zero = 0, scratch = BT_MAX_CPUS, cpu;
	__u64 *slot = bpf_map_lookup_elem(&pcpu_offset, &scratch);
	struct bpf_array *arr;
	__u64 base;
	void *p;

	if (!slot)
		return 0;
	*slot = (__u64)(void *)&pcpu_probe;
	arr = (void *)*(volatile __u64 *)slot;
	base = (__u64)BPF_CORE_READ(arr, pptrs[0]);
	if (!base)
		return 0;
#pragma clang loop unroll(disable)
	for (cpu = 0; cpu < BT_MAX_CPUS && cpu < targ_ncpus; cpu++) {
		p = bpf_map_lookup_percpu_elem(&pcpu_probe, &zero, cpu);
		slot = bpf_map_lookup_elem(&pcpu_offset, &cpu);
		if (!p || !slot)
			return 0;
		*slot = (__u64)p;
		*slot = *(volatile __u64 *)slot - base;
	}
	bt_pcpu_ready = 1;
	return 0;
}

/* percpu_counter_sum(): the global count plus every CPU's unfolded part. */
static __always_inline long pcpu_sum(struct percpu_counter *fbc)
{
	long sum = fbc->count; /* direct loads: fbc is inside a BTF mm pointer */
	char *counters = (char *)fbc->counters;
	__u64 *off;
	__s32 v;
	__u32 cpu;

#pragma clang loop unroll(disable)
	for (cpu = 0; cpu < BT_MAX_CPUS && cpu < targ_ncpus; cpu++) {
		off = bpf_map_lookup_elem(&pcpu_offset, &cpu);
		if (!off)
			break;
		v = 0;
		bpf_probe_read_kernel(&v, sizeof(v), counters + *off);
		sum += v;
	}
	return sum;
}

/*
 * Store the RSS levels (pages) and return file+anon+shmem: exact, as
 * /proc/PID/status shows them since v6.16, where the per-CPU offsets are
 * known; otherwise the counters' global values.
 */
static __always_inline __u64 read_rss(struct mm_struct *mm, struct bt_proc *p)
{
	bool exact = bt_pcpu_ready && !bpf_core_type_exists(struct mm_rss_stat);
	long v[4];
	int i;

#pragma unroll
	for (i = 0; i < 4; i++)
		v[i] = exact ? pcpu_sum(&mm->rss_stat[i]) : rss_counter(mm, i);
	p->rss_file = clamp_pages(v[0]);
	p->rss_anon = clamp_pages(v[1]);
	p->rss_swap = clamp_pages(v[2]);
	p->rss_shmem = clamp_pages(v[3]);
	return p->rss_file + p->rss_anon + p->rss_shmem;
}

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
	return start / tick_ns == p->start_ticks;
}

/*
 * A thread's CPU time as /proc/PID/stat reads it (task_sched_runtime()):
 * se.sum_exec_runtime is brought up to date only at ticks and scheduler
 * events, and on a VM a running thread's can lag by tens of milliseconds
 * and then jump, which would put more CPU time in one interval than it
 * has.  For a thread on a CPU, add the time since exec_start in that CPU's
 * task clock: ktime minus the offset clock_calibrate() measured there.
 */
static __always_inline __u64 task_runtime(struct task_struct *task)
{
	__u64 sum = task->se.sum_exec_runtime;
	__s64 start = task->se.exec_start, clk;
	struct bt_clock_off *c;
	__u32 zero = 0, cpu;

	if (!task->on_cpu || !bpf_core_field_exists(task->thread_info.cpu))
		return sum;
	cpu = BPF_CORE_READ(task, thread_info.cpu);
	c = bpf_map_lookup_percpu_elem(&clock_off, &zero, cpu);
	/* the offset drifts by that CPU's IRQ and steal time since it was
	 * measured: use it only while it is fresh */
	if (!c || !c->jiffies || bpf_jiffies64() - c->jiffies > 2)
		return sum;
	clk = (__s64)bpf_ktime_get_ns() - c->off;
	return clk > start ? sum + (clk - start) : sum;
}

/*
 * The walk of every task copies each traced process into `snap` as it
 * leaves it, so user space reads the tick from memory instead of the hash
 * map.  A process's threads come one after another, its leader first:
 * the copy is taken at its first thread and again after each thread that
 * ran.  A process the walk does not see (it ended, its tasks are gone)
 * is looked up by user space.
 */
static __always_inline void snap_copy(struct bt_proc *p, __u32 tgid, bool ran)
{
	struct bt_snap *s;
	__u32 slot;

	if (p->snap_pass != bt_pass) {
		slot = bt_snap_n;
		s = bpf_map_lookup_elem(&snap, &slot);
		if (!s) {
			bt_snap_full = 1;
			return;
		}
		bt_snap_n = slot + 1;
		p->snap_slot = slot;
		p->snap_pass = bt_pass;
		s->tgid = tgid;
	} else if (ran) {
		slot = p->snap_slot;
		s = bpf_map_lookup_elem(&snap, &slot);
		if (!s)
			return;
	} else {
		return;
	}
	__builtin_memcpy(&s->p, p, sizeof(*p));
}

/* One task's reading at a tick (see task_counters.bpf.h). */
static __always_inline void visit_task(struct task_struct *task)
{
	struct bt_thread *t;
	struct bt_proc *p;
	struct mm_struct *mm;
	__u32 tgid, tid;
	bool ran;

	tgid = task->tgid;
	p = proc_live(tgid);
	if (!p)
		return;
	if (!(p->flags & BT_PROC_VERIFIED)) {
		if (!proc_verify(task, p)) {
			p->flags |= BT_PROC_GONE;
			return;
		}
		p->flags |= BT_PROC_VERIFIED;
	}
	tid = task->pid;
	/* a thread past exit_notify() may have left the CPU for good, its
	 * final reading taken and its state deleted: never start it anew */
	if (task->exit_state)
		t = bpf_map_lookup_elem(&threads, &tid);
	else
		t = thread_get(tid);
	/*
	 * A thread off the CPU whose CPU time has not moved since its last
	 * reading has not run since, and every counter folded here grows
	 * only while its thread runs (run_delay too, but for a migration
	 * while queued, which the next reading picks up): nothing to fold.
	 * Most threads of a big -a run sleep through most ticks.
	 */
	ran = !t || bt_priming || task->on_cpu || task->se.sum_exec_runtime != t->cpu_ns;
	if (t && ran) {
		fold_thread_at(task, p, t, task_runtime(task), bt_priming, true);
		p->read_ns = bpf_ktime_get_ns();
	}
	/* the threads share one mm: read it once a pass, through the first
	 * thread that has it (the leader may have exited before the others)
	 * and ran since its last reading: the RSS moves with the process's
	 * own faults and unmaps, so a process none of whose threads ran
	 * keeps its last levels (memory reclaimed from it while it sleeps
	 * shows when it runs again), and the per-CPU sums are skipped */
	mm = task->mm;
	if (mm && p->rss_pass != bt_pass && (ran || !p->rss_pass)) {
		__u64 rss = read_rss(mm, p), hw = mm->hiwater_rss;

		p->rss_pass = bt_pass;
		p->hwm = hw > rss ? hw : rss;
		peak_raise(p, rss);
	}
	if (tid == tgid && task->exit_state && !(__u32)p->exiting &&
	    BPF_CORE_READ(task, signal, live.counter) == 0) {
		/* a zombie with no exit in progress: it died before attach,
		 * or its threads are reaped by a ptracer (see on_thread_dead) */
		if (proc_mark_dead(task, p))
			emit(BT_EV_EXIT, tgid, tid, 0, p->exit_code, p->flags, p->comm);
		return;
	}
	if (tid == tgid) {
		p->threads = task->signal->nr_threads;
		/* direct loads, as the comm is a fixed array in the task */
		__builtin_memcpy(p->comm, task->comm, sizeof(p->comm));
	}
	if (bt_snap_on)
		snap_copy(p, tgid, ran);
}

SEC("iter/task")
int iter_task(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (!task)
		return 0;
	if (targ_ncpus && !bt_pcpu_ready)
		pcpu_offsets_init();
	visit_task(task);
	return 0;
}

/*
 * The same over every task of the machine in one program run (v6.7
 * open-coded task iterator): the loader limits this program's link to its
 * own process, so it runs once a tick and walks the task list under RCU
 * itself.  The task iterator above finds each task by PID (an IDR walk,
 * a reference taken and dropped, the PID translated): following the list
 * instead costs about as much (its cache misses are the tasks'); what one
 * run buys is the copies into `snap` (snap_copy()).
 */
struct bpf_iter_task___bt {
	__u64 opaque[3];
} __attribute__((aligned(8)));

extern int bpf_iter_task_new(struct bpf_iter_task___bt *it, struct task_struct *task,
			     unsigned int flags) __weak __ksym;
extern struct task_struct *bpf_iter_task_next(struct bpf_iter_task___bt *it) __weak __ksym;
extern void bpf_iter_task_destroy(struct bpf_iter_task___bt *it) __weak __ksym;

/* v6.3; the verifier turns it into a register move */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __weak __ksym;

#define BT_TASK_ITER_ALL_THREADS 1 /* enum bpf_iter_task_type, v6.7 */

SEC("iter/task")
int iter_walk(struct bpf_iter__task *ctx)
{
	struct bpf_iter_task___bt it;
	struct task_struct *task;

	if (!ctx->task)
		return 0;
	if (targ_ncpus && !bt_pcpu_ready)
		pcpu_offsets_init();
	bpf_iter_task_new(&it, NULL, BT_TASK_ITER_ALL_THREADS);
	/*
	 * Read through an untrusted pointer: the loads are the same, but each
	 * load of a pointer field from a trusted one makes the verifier
	 * search the kernel's BTF for "<type>__safe_trusted" and three more
	 * names, a linear scan each: 38 ms of start-up for this program
	 * (see docs/costs.md).
	 */
	while ((task = bpf_iter_task_next(&it)))
		visit_task(bpf_rdonly_cast(task, bpf_core_type_id_kernel(struct task_struct)));
	bpf_iter_task_destroy(&it);
	return 0;
}

/* task_struct.state before v5.14 */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

#define BT_TASK_DEAD 0x80 /* include/linux/sched.h, stable */

static __always_inline bool task_dead(struct task_struct *t, bool btf)
{
	if (bpf_core_field_exists(t->__state))
		return BT_READ(btf, t, __state) & BT_TASK_DEAD;
	return BPF_CORE_READ((struct task_struct___pre514 *)t, state) & BT_TASK_DEAD;
}

/*
 * A thread leaves the CPU for the last time (do_task_dead()): everything
 * do_exit() did is in its counters, and they can no longer change.  Take
 * the final reading.  The process is over when its last exiting thread
 * gets here after the group's last one began to exit (bt_proc.exiting),
 * with no other thread left to release (a thread that began to exit but
 * has not reached sched_process_exit yet is still counted in nr_threads,
 * the leader until it is a zombie).  Under a ptracer, threads are released
 * only when it reaps them: the iterator's zombie check ends those.
 */
static __always_inline void on_thread_dead(struct task_struct *task, bool btf)
{
	__u32 tgid = BT_READ(btf, task, tgid), tid = BT_READ(btf, task, pid);
	struct task_struct *leader;
	struct bt_thread *t;
	struct bt_proc *p;
	bool counted;

	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p || (p->flags & BT_PROC_GONE))
		return;
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t) {
		if (p->flags & BT_PROC_DEAD)
			return;
		t = thread_get(tid); /* born and gone between two readings */
		if (!t)
			return;
	}
	fold_thread(task, p, t, false, btf);
	/* this switch is voluntary (nvcsw), but a thread other than the
	 * leader was added into its group's totals by __exit_signal() before
	 * it: getrusage() and /proc never count it, so neither do we */
	if (tid != tgid)
		__sync_fetch_and_add(&p->vol_cs, -1);
	counted = t->exiting;
	bpf_map_delete_elem(&threads, &tid);
	if (!counted || __sync_fetch_and_add(&p->exiting, -1) != BT_EXIT_GROUP + 1)
		return;
	if (BPF_CORE_READ(task, signal, nr_threads) > 1)
		return;
	leader = BT_READ(btf, task, group_leader);
	if (leader != task && !BPF_CORE_READ(leader, exit_state))
		return;
	if (proc_set_dead(p))
		emit(BT_EV_EXIT, tgid, tid, 0, p->exit_code, p->flags, p->comm);
}

/*
 * I/O wait: a thread that leaves the CPU with in_iowait set (io_schedule())
 * is waiting for storage until it is woken, and then for a CPU until it
 * runs.  run_delay counts the second part (runq_ns), so it is taken off
 * and the two never overlap: with CPU time they split the thread's time.
 * The kernel adds that wait to run_delay just after this tracepoint, so the
 * wait is settled at the thread's next switch off this CPU, which is the
 * next switch here.  This runs on every context switch of the machine, so
 * the common case touches only the per-CPU clock slot: in_iowait is still
 * set when the waiter is switched back in (io_schedule_finish() clears it
 * after schedule() returns), so only switches into or out of an I/O wait
 * look further.
 */
static __always_inline void iowait_settle(struct bt_clock_off *c, struct task_struct *prev,
					  bool btf)
{
	__u64 q = 0, d = c->iow_ns;
	struct bt_proc *p;

	c->iow_tid = 0;
	if (bpf_core_field_exists(prev->sched_info)) {
		q = BT_READ(btf, prev, sched_info.run_delay);
		q = q > c->iow_delay ? q - c->iow_delay : 0;
	}
	p = proc_live(c->iow_tgid);
	if (p && d > q)
		__sync_fetch_and_add(&p->io_wait_ns, d - q);
}

/*
 * User space sleeps through ticks while no traced thread runs (it writes
 * rows with nothing changed for them): the first switch into or out of a
 * traced thread after it set bt_idle_watch wakes it, with the time, so the
 * ticks from then on are read from the kernel again.  Out of, too: a
 * thread switched in just before the flag was set is caught when it
 * leaves.  Only while the flag is set does a switch look up its tasks.
 */
static __always_inline void idle_wake(struct task_struct *prev, struct task_struct *next,
				      bool btf)
{
	__u32 ev = BT_EV_WAKE;

	if (!proc_live(BT_READ(btf, next, tgid)) && !proc_live(BT_READ(btf, prev, tgid)))
		return;
	if (!__sync_lock_test_and_set(&bt_idle_watch, 0))
		return; /* another CPU woke it first */
	bt_idle_woke_ns = bpf_ktime_get_ns();
	if (bpf_ringbuf_output(&events, &ev, sizeof(ev), BPF_RB_FORCE_WAKEUP))
		stat_inc(BT_STAT_RB_DROPS);
}

static __always_inline void on_switch(struct task_struct *prev, struct task_struct *next,
				      bool btf)
{
	struct bt_clock_off *c;
	struct bt_thread *t;
	__u32 tid, zero = 0;

	if (bt_idle_watch)
		idle_wake(prev, next, btf);
	c = bpf_map_lookup_elem(&clock_off, &zero);
	if (!c)
		return;
	if (c->iow_tid && c->iow_tid == BT_READ(btf, prev, pid))
		iowait_settle(c, prev, btf);
	clock_calibrate(c, next, btf);
	if (task_dead(prev, btf))
		on_thread_dead(prev, btf);
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
		c->iow_tid = tid;
		c->iow_tgid = BT_READ(btf, next, tgid);
		c->iow_ns = bpf_ktime_get_ns() - t->iowait_start;
		c->iow_delay = bpf_core_field_exists(next->sched_info)
				   ? BT_READ(btf, next, sched_info.run_delay)
				   : 0;
		t->iowait_start = 0;
	}
}

BT_TRACEPOINT(sched_switch, on_switch(prev, next, btf), bool preempt, struct task_struct *prev,
	      struct task_struct *next)
