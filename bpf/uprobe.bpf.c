// SPDX-License-Identifier: GPL-2.0
/*
 * Function tracing: a uprobe and a uretprobe on every traced function, told
 * apart by their attach cookie (the function's index).  Entry pushes a frame
 * with the thread's own kernel counters on the thread's stack of open calls;
 * the return pops it and charges the difference to the call: duration,
 * on-CPU time, run-queue wait, faults, storage I/O, and the process's RSS
 * change and peak.  Totals per function (functions.csv) are kept here,
 * exact; each call also goes to the calls ring buffer (calls.csv), which
 * may drop rows under a flood but never makes the traced thread wait.
 *
 * Pairing is by stack pointer, which survives recursion, many threads in
 * one function, and calls that never return: a call abandoned by longjmp()
 * or a C++ exception leaves a frame deeper in the stack than the next
 * call's entry or return, and is dropped there (counted as unwound).
 */
#include "calls.bpf.h"
#include <bpf/usdt.bpf.h>

/* x86: `ret` pops the return address that was on top of the stack at entry */
#if defined(__TARGET_ARCH_x86)
#define RET_SP_ADJ 8
#else
#define RET_SP_ADJ 0
#endif

#define FRAME(cs, i) (&(cs)->f[(i) & (BT_MAX_DEPTH - 1)])

/*
 * Drop the open calls whose frames lie below `sp` (entered with a lower
 * stack pointer): calls the thread left without returning.  Rare, and a
 * loop: a global function, so the verifier checks it once on its own
 * rather than once for every state of its callers.  Returns the new depth.
 */
__noinline int drop_abandoned(struct bt_callstack *cs, __u64 sp)
{
	__u32 d, i;

	if (!cs)
		return 0;
	d = cs->depth;
	for (i = 0; i < BT_MAX_DEPTH && d > 0 && d <= BT_MAX_DEPTH; i++) {
		if (FRAME(cs, d - 1)->sp >= sp)
			break;
		d--;
		stat_inc(BT_STAT_UNWOUND);
	}
	cs->depth = d;
	return d;
}

/* The thread's stack of open calls, made on its first traced call if ours to trace. */
static __always_inline struct bt_callstack *callstack_get(struct task_struct *task)
{
	struct bt_callstack *cs = bpf_task_storage_get(&callstacks, task, 0, 0);

	if (cs)
		return cs;
	if (!proc_live(task->tgid))
		return NULL;
	cs = bpf_task_storage_get(&callstacks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!cs)
		stat_inc(BT_STAT_STORAGE_FULL);
	return cs;
}

/* Open a call of func at depth d: the thread's counters as they are now. */
static __always_inline void frame_push(struct task_struct *task, struct bt_callstack *cs, __u32 d,
				       __u64 sp, __u32 func)
{
	struct mm_struct *mm;
	struct bt_frame *f;
	__u64 now;

	f = FRAME(cs, d);
	f->sp = sp;
	f->func = func;
	f->runq_ns = bpf_core_field_exists(task->sched_info) ? task->sched_info.run_delay : 0;
	f->minflt = task->min_flt;
	f->majflt = task->maj_flt;
	if (bpf_core_field_exists(task->ioac)) {
		f->read_bytes = task->ioac.read_bytes;
		f->write_bytes = task->ioac.write_bytes;
	}
	mm = task->mm;
	f->rss = mm ? rss_total_btf(mm) : 0;
	f->peak = f->rss;
	f->hiwater = mm ? rss_hiwater_btf(mm, f->rss) : 0;
	cs->depth = d + 1;
	/* last, so that the time spent here is not charged to the call */
	now = bpf_ktime_get_ns();
	f->cpu_ns = cpu_now(task, now);
	f->start_ns = now;
}

static long vma_anonymous(struct task_struct *task, struct vm_area_struct *vma, void *ctx)
{
	*(bool *)ctx = !vma->vm_file;
	return 0;
}

/*
 * Entered at the very stack pointer of an open call: either that call
 * jumped here (a tail call; it is still live, and its uretprobe has put
 * the kernel's return trampoline where its return address was), or it was
 * left by longjmp() and this is a new call from the same place, whose
 * return address a call instruction just pushed.  The trampoline is in
 * the kernel's [uprobes] mapping, which has no file; a return address is
 * in a program's or a library's text.
 */
static __always_inline bool tail_call(struct task_struct *task, __u64 sp)
{
	__u64 ra = 0;
	bool anon = false;

	if (bpf_probe_read_user(&ra, sizeof(ra), (void *)sp))
		return false;
	if (bpf_find_vma(task, ra, vma_anonymous, &anon, 0))
		return false;
	return anon;
}

SEC("uprobe")
int handle_uprobe(struct pt_regs *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bt_callstack *cs;
	__u64 sp = PT_REGS_SP(ctx);
	__u32 d;

	cs = callstack_get(task);
	if (!cs)
		return 0;
	/* a frame at or below this entry's stack pointer can no longer be
	 * live: its call was left by longjmp() or an exception -- unless this
	 * is a tail call from it */
	d = cs->depth;
	if (d > 0 && d <= BT_MAX_DEPTH && FRAME(cs, d - 1)->sp <= sp &&
	    !(FRAME(cs, d - 1)->sp == sp && tail_call(task, sp)))
		d = drop_abandoned(cs, sp + 1);
	if (d >= BT_MAX_DEPTH) {
		cs->depth = d;
		stat_inc(BT_STAT_DEPTH_FULL);
		return 0;
	}
	frame_push(task, cs, d, sp, (__u32)bpf_get_attach_cookie(ctx));
	return 0;
}

static __always_inline void func_account(struct bt_call *c)
{
	struct bt_func_stats *st = bpf_map_lookup_elem(&func_stats, &c->func);
	__u32 b = bt_hist_bucket(c->dur_ns);

	if (!st)
		return;
	/*
	 * Per CPU, and a uprobe program keeps its CPU (migration is off), so
	 * plain adds suffice -- except that on a fully preemptible kernel a
	 * task preempted inside one of these adds by another task that runs
	 * this same code on the same CPU could lose one update.  The count is
	 * what users compare, so it alone pays for an atomic add (6 ns); the
	 * other seven would cost 40 ns a call.
	 */
	__sync_fetch_and_add(&st->calls, 1);
	st->total_ns += c->dur_ns;
	st->cpu_ns += c->cpu_ns;
	st->minflt += c->minflt;
	st->majflt += c->majflt;
	st->read_bytes += c->read_bytes;
	st->write_bytes += c->write_bytes;
	if (b < BT_HIST_BUCKETS)
		st->hist[b]++;
	if (!st->min_ns || c->dur_ns < st->min_ns)
		st->min_ns = c->dur_ns ? c->dur_ns : 1;
	if (c->dur_ns > st->max_ns)
		st->max_ns = c->dur_ns;
}

/*
 * A completed call into the totals and the ring buffer.  A global function
 * is verified once, on its own: inlined after the frame search, the
 * verifier walked it once for every depth the search could end at (200 ms
 * of loading time per program).
 */
__noinline int call_record(struct bt_call *c)
{
	struct bt_stage *st;
	__u32 zero = 0, i, n;
	__u64 now;

	if (!c)
		return 0;
	func_account(c);
	if (c->dur_ns < targ_min_dur_ns)
		return 0;
	st = bpf_map_lookup_elem(&calls_stage, &zero);
	if (!st)
		return 0;
	n = st->n;
	if (n >= BT_STAGE_ROWS)
		return 0; /* cannot be: a full batch is sent at once */
	now = c->start_ns + c->dur_ns;
	if (n == 0)
		st->first_ns = now;
	st->n = n + 1; /* the slot is ours before it is filled */
	st->rows[n] = *c;
	if (n + 1 < BT_STAGE_ROWS && now - st->first_ns < BT_STAGE_MAX_NS)
		return 0;
	n++;
	/*
	 * Waking the reader costs the traced thread an irq_work: let it read on
	 * its own schedule (at least every second) until the buffer fills up,
	 * then wake it.  A full buffer drops the batch, never waits.
	 */
	if (bpf_ringbuf_output(&calls_rb, st->rows, n * sizeof(struct bt_call),
			       bpf_ringbuf_query(&calls_rb, BPF_RB_AVAIL_DATA) > targ_calls_wake
				   ? BPF_RB_FORCE_WAKEUP
				   : BPF_RB_NO_WAKEUP))
		stat_add(BT_STAT_CALL_DROPS, n);
	for (i = 0; i < BT_STAGE_ROWS; i++)
		st->rows[i].type = 0;
	st->n = 0;
	return 0;
}

static __always_inline __u64 sub0(__u64 a, __u64 b)
{
	return a > b ? a - b : 0;
}

/*
 * A call ends: the frame whose entry saw stack pointer `target` is popped
 * and charged.  The probe's cookie is not needed: the stack pointer says
 * which call this is, so an exit probe reached by another function's
 * return matches no frame.
 */
/* Close the open call at depth d - 1 and charge it what the thread used since. */
static __always_inline void frame_pop(struct task_struct *task, struct bt_callstack *cs, __u32 d,
				      __u64 now)
{
	__u64 rss, hiwater;
	struct mm_struct *mm;
	struct bt_frame *f, *parent;
	struct bt_call c = {};

	f = FRAME(cs, d - 1);
	cs->depth = d - 1;

	c.type = BT_EV_CALL;
	c.func = f->func;
	c.pid = task->tgid;
	c.tid = task->pid;
	c.depth = d - 1;
	c.start_ns = f->start_ns;
	c.dur_ns = sub0(now, f->start_ns);
	c.cpu_ns = sub0(cpu_now(task, now), f->cpu_ns);
	if (bpf_core_field_exists(task->sched_info))
		c.runq_ns = sub0(task->sched_info.run_delay, f->runq_ns);
	c.minflt = sub0(task->min_flt, f->minflt);
	c.majflt = sub0(task->maj_flt, f->majflt);
	if (bpf_core_field_exists(task->ioac)) {
		c.read_bytes = sub0(task->ioac.read_bytes, f->read_bytes);
		c.write_bytes = sub0(task->ioac.write_bytes, f->write_bytes);
	}
	mm = task->mm;
	rss = mm ? rss_total_btf(mm) : 0;
	c.rss_delta = (__s64)rss - (__s64)f->rss;
	c.rss_peak = f->peak > rss ? f->peak : rss;
	/* a new high for the process since the entry was reached during the
	 * call, whichever thread made it (rss_stat raised f->peak only for
	 * this thread's own changes) */
	hiwater = mm ? rss_hiwater_btf(mm, rss) : 0;
	if (hiwater > f->hiwater && hiwater > c.rss_peak)
		c.rss_peak = hiwater;
	/* the caller's window contains this call's */
	if (d >= 2) {
		parent = FRAME(cs, d - 2);
		if (c.rss_peak > parent->peak)
			parent->peak = c.rss_peak;
	}

	call_record(&c);
}

static __always_inline int call_return(__u64 target)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 now = bpf_ktime_get_ns();
	struct bt_callstack *cs;
	__u32 d;

	cs = bpf_task_storage_get(&callstacks, task, 0, 0);
	if (!cs)
		return 0;
	/* frames deeper than the returning call's were abandoned */
	d = cs->depth;
	if (d > 0 && d <= BT_MAX_DEPTH && FRAME(cs, d - 1)->sp < target)
		d = drop_abandoned(cs, target);
	if (d == 0 || d > BT_MAX_DEPTH || FRAME(cs, d - 1)->sp != target) {
		/* not a call we timed (it began before tracing, or too deep) */
		cs->depth = d;
		return 0;
	}
	frame_pop(task, cs, d, now);
	return 0;
}

SEC("uretprobe")
int handle_uretprobe(struct pt_regs *ctx)
{
	/* after the return: the return address is popped */
	return call_return(PT_REGS_SP(ctx) - RET_SP_ADJ);
}

/* At a return instruction (or a jump leaving the function for good), the
 * stack pointer is the one the entry saw (exits.h says why these exist). */
SEC("uprobe")
int handle_uprobe_exit(struct pt_regs *ctx)
{
	return call_return(PT_REGS_SP(ctx));
}

/*
 * Python functions (-u py:SPEC): the hook's markers (bt_abi.h), seen at
 * the system call's entry.  Every system call of the machine passes
 * here while -u py: is in use; all but the three access calls leave at the
 * first comparison.  A Python call's frame has no stack pointer to pair
 * by: its end pops the innermost open Python call of the same function,
 * dropping native calls left open inside it (an exception through C code).
 */
#if defined(__TARGET_ARCH_x86)
#define BT_NR_ACCESS	 21
#define BT_NR_FACCESSAT	 269
#define BT_NR_FACCESSAT2 439
#else /* the generic table (arm64, riscv): no access(2) */
#define BT_NR_ACCESS	 -1
#define BT_NR_FACCESSAT	 48
#define BT_NR_FACCESSAT2 439
#endif

/*
 * A BT_EV_PYFUNC record (a Python function's name with its slot, or an
 * interpreter's) or a BT_EV_MARK one (a benchtrace.h mark's): the name is
 * in the process's memory, or (@kernel) in a buffer of ours.
 */
static __always_inline void name_event(struct task_struct *task, __u32 type, __u32 slot,
				       __u32 fid, const char *text, bool kernel)
{
	struct bt_pyfunc *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	long n;

	if (!e) {
		stat_inc(BT_STAT_RB_DROPS);
		return;
	}
	e->type = type;
	e->pid = task->tgid;
	e->tid = task->pid;
	e->slot = slot;
	e->id = fid;
	e->pad = 0;
	e->ts_ns = bpf_ktime_get_ns();
	n = kernel ? bpf_probe_read_kernel_str(e->name, sizeof(e->name), text)
		   : bpf_probe_read_user_str(e->name, sizeof(e->name), text);
	if (n < 0)
		e->name[0] = 0;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void py_event(struct task_struct *task, __u32 slot, __u32 fid,
				     const char *text)
{
	name_event(task, BT_EV_PYFUNC, slot, fid, text, false);
}

static __always_inline void py_register(struct task_struct *task, __u32 fid, const char *name)
{
	__u32 n, slot;

	if (bpf_map_lookup_elem(&py_ids, &fid))
		return; /* another process (a worker) registered it */
	n = __sync_fetch_and_add(&bt_py_next, 1);
	if (n >= targ_py_slots) {
		stat_inc(BT_STAT_PY_FULL);
		return;
	}
	slot = targ_py_base + n;
	if (bpf_map_update_elem(&py_ids, &fid, &slot, BPF_NOEXIST))
		return; /* a racing registration won: its slot is used */
	py_event(task, slot, fid, name);
}

static __always_inline void py_enter(struct task_struct *task, __u32 slot)
{
	struct bt_callstack *cs = callstack_get(task);
	__u32 d;

	if (!cs)
		return;
	d = cs->depth;
	if (d >= BT_MAX_DEPTH) {
		cs->py_skip++;
		stat_inc(BT_STAT_DEPTH_FULL);
		return;
	}
	frame_push(task, cs, d, BT_FRAME_PY, slot);
}

/* How far below the top an exit looks for its call: native calls left open */
#define PY_EXIT_SEARCH 4

static __always_inline void py_exit(struct task_struct *task, __u32 slot)
{
	struct bt_callstack *cs = bpf_task_storage_get(&callstacks, task, 0, 0);
	__u64 now = bpf_ktime_get_ns();
	struct bt_frame *f;
	__u32 d, i;

	if (!cs)
		return;
	if (cs->py_skip) {
		/* the innermost open calls were too deep to time: this is one */
		cs->py_skip--;
		return;
	}
	d = cs->depth;
	for (i = 0; i < PY_EXIT_SEARCH; i++) {
		if (d <= i || d - i > BT_MAX_DEPTH)
			return;
		f = FRAME(cs, d - 1 - i);
		if (f->sp != BT_FRAME_PY)
			continue; /* a native call left open inside this one */
		if (f->func != slot)
			return; /* another Python call is innermost: not ours to end */
		if (i)
			stat_add(BT_STAT_UNWOUND, i);
		frame_pop(task, cs, d - i, now);
		return;
	}
}

static __always_inline void py_marker(struct pt_regs *regs, long nr)
{
	struct task_struct *task;
	unsigned long fd, path, mode;
	__u32 *slot, fid;

	if (nr == BT_NR_FACCESSAT2 || nr == BT_NR_FACCESSAT) {
		mode = PT_REGS_PARM3_CORE_SYSCALL(regs);
		if ((__u32)(mode & ~BT_PY_OP_MASK) != BT_PY_MAGIC)
			return;
		fd = PT_REGS_PARM1_CORE_SYSCALL(regs);
		path = PT_REGS_PARM2_CORE_SYSCALL(regs);
	} else if (nr == BT_NR_ACCESS) {
		mode = PT_REGS_PARM2_CORE_SYSCALL(regs);
		if ((__u32)(mode & ~BT_PY_OP_MASK) != BT_PY_MAGIC)
			return;
		fd = 0;
		path = PT_REGS_PARM1_CORE_SYSCALL(regs);
	} else {
		return;
	}
	task = bpf_get_current_task_btf();
	if (!proc_live(task->tgid))
		return;
	fid = (__u32)fd;
	switch (mode & BT_PY_OP_MASK) {
	case BT_PY_REGISTER:
		py_register(task, fid, (const char *)path);
		return;
	case BT_PY_UNSUPPORTED:
		py_event(task, BT_PY_NO_SLOT, 0, (const char *)path);
		return;
	}
	slot = bpf_map_lookup_elem(&py_ids, &fid);
	if (!slot)
		return;
	if ((mode & BT_PY_OP_MASK) == BT_PY_ENTER)
		py_enter(task, *slot);
	else if ((mode & BT_PY_OP_MASK) == BT_PY_EXIT)
		py_exit(task, *slot);
}

BT_TRACEPOINT(sys_enter, py_marker(regs, id), struct pt_regs *regs, long id)

/*
 * benchtrace.h marks (include/benchtrace.h): USDT probes whose arguments
 * name a loop, a step or a span.  Each name is a function slot of its own,
 * registered like a Python function's (a 32-bit hash of "iter:LOOP",
 * "step:LOOP/STEP" or "span:NAME" as its ID), and timed as a Python call
 * is: a frame paired by slot, not by stack pointer.
 */
#define MARK_TEXT 64 /* of each name */

struct mark_key {
	char s[256]; /* "step:" LOOP "/" STEP, at offsets masked to 127 */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mark_key);
} mark_scratch SEC(".maps");

/* --usdt pairs' names ("usdt:PROVIDER:X"), set by user space */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BT_USDT_SPANS);
	__type(key, __u32);
	__type(value, char[BT_USDT_SPAN_NAME]);
} usdt_spans SEC(".maps");

/* The slot of the mark named by k (its first n bytes), registered if new. */
static __always_inline __u32 mark_slot(struct task_struct *task, struct mark_key *k, __u32 n)
{
	__u32 h = 2166136261U, i, slot, *got;

	for (i = 0; i < sizeof(k->s) && i < n; i++)
		h = (h ^ (__u8)k->s[i]) * 16777619U;
	h |= BT_MARK_ID_BIT;
	got = bpf_map_lookup_elem(&py_ids, &h);
	if (got)
		return *got;
	i = __sync_fetch_and_add(&bt_py_next, 1);
	if (i >= targ_py_slots) {
		stat_inc(BT_STAT_PY_FULL);
		return BT_PY_NO_SLOT;
	}
	slot = targ_py_base + i;
	if (bpf_map_update_elem(&py_ids, &h, &slot, BPF_NOEXIST)) {
		got = bpf_map_lookup_elem(&py_ids, &h); /* a racing thread won */
		return got ? *got : BT_PY_NO_SLOT;
	}
	name_event(task, BT_EV_MARK, slot, h, k->s, true);
	return slot;
}

/* End the innermost open call if it is a step. */
static __always_inline void step_end(struct task_struct *task)
{
	struct bt_callstack *cs = bpf_task_storage_get(&callstacks, task, 0, 0);
	__u32 d;

	if (!cs)
		return;
	d = cs->depth;
	if (d > 0 && d <= BT_MAX_DEPTH && FRAME(cs, d - 1)->sp == BT_FRAME_STEP)
		frame_pop(task, cs, d, bpf_ktime_get_ns());
}

SEC("usdt")
int handle_mark(struct pt_regs *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long cookie = bpf_usdt_cookie(ctx), kind = cookie & 0xff, a0 = 0, a1 = 0, n;
	struct bt_callstack *cs;
	struct mark_key *k;
	__u32 zero = 0, len, slot, pair;
	const char *name;

	if (!proc_live(task->tgid))
		return 0;
	k = bpf_map_lookup_elem(&mark_scratch, &zero);
	if (!k)
		return 0;
	if (kind == BT_MARK_USDT_BEGIN || kind == BT_MARK_USDT_END) {
		/* a --usdt pair: named by the probes, not by an argument */
		pair = (__u32)(cookie >> 8);
		name = bpf_map_lookup_elem(&usdt_spans, &pair);
		if (!name)
			return 0;
		n = bpf_probe_read_kernel_str(k->s, BT_USDT_SPAN_NAME, name);
		if (n <= 1)
			return 0;
		slot = mark_slot(task, k, (__u32)(n - 1));
		if (slot == BT_PY_NO_SLOT)
			return 0;
		if (kind == BT_MARK_USDT_BEGIN)
			py_enter(task, slot);
		else
			py_exit(task, slot);
		return 0;
	}
	if (bpf_usdt_arg(ctx, 0, &a0))
		return 0;
	if (kind == BT_MARK_ITER_BEGIN || kind == BT_MARK_ITER_END)
		__builtin_memcpy(k->s, "iter:", 5);
	else if (kind == BT_MARK_STEP)
		__builtin_memcpy(k->s, "step:", 5);
	else
		__builtin_memcpy(k->s, "span:", 5);
	n = bpf_probe_read_user_str(&k->s[5], MARK_TEXT, (const void *)a0);
	if (n <= 0)
		return 0;
	len = 5 + (n - 1); /* without the NUL */
	if (kind == BT_MARK_STEP) {
		if (bpf_usdt_arg(ctx, 1, &a1) || len >= 5 + MARK_TEXT)
			return 0;
		k->s[len & 127] = '/';
		len = (len + 1) & 127;
		n = bpf_probe_read_user_str(&k->s[len], MARK_TEXT, (const void *)a1);
		if (n <= 0)
			return 0;
		len += n - 1;
	}
	slot = mark_slot(task, k, len);
	if (slot == BT_PY_NO_SLOT)
		return 0;
	switch (kind) {
	case BT_MARK_ITER_BEGIN:
	case BT_MARK_SPAN_BEGIN:
		py_enter(task, slot);
		break;
	case BT_MARK_ITER_END:
		step_end(task);
		py_exit(task, slot);
		break;
	case BT_MARK_SPAN_END:
		py_exit(task, slot);
		break;
	case BT_MARK_STEP:
		step_end(task);
		cs = callstack_get(task);
		if (cs && cs->depth < BT_MAX_DEPTH)
			frame_push(task, cs, cs->depth, BT_FRAME_STEP, slot);
		break;
	}
	return 0;
}

/* --usdt: a probe's firing and its arguments, as an event; an argument
 * that could be a user address is also read as a string */
SEC("usdt")
int handle_usdt(struct pt_regs *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bt_usdt_event *e;
	long v, len;
	int i, n;

	if (!proc_live(task->tgid))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_inc(BT_STAT_RB_DROPS);
		return 0;
	}
	e->type = BT_EV_USDT;
	e->pid = task->tgid;
	e->tid = task->pid;
	e->probe = (__u32)bpf_usdt_cookie(ctx);
	e->ts_ns = bpf_ktime_get_ns();
	e->strs = 0;
	e->trunc = 0;
	n = bpf_usdt_arg_cnt(ctx);
	e->nargs = n > 0 ? (n < BT_USDT_ARGS ? n : BT_USDT_ARGS) : 0;
	for (i = 0; i < BT_USDT_ARGS; i++) {
		v = 0;
		if (i < n)
			bpf_usdt_arg(ctx, i, &v);
		e->args[i] = v;
		e->str[i][0] = 0;
		if ((unsigned long)v < 4096 || (unsigned long)v >= (1UL << 47))
			continue;
		len = bpf_probe_read_user_str(e->str[i], BT_USDT_STR, (void *)v);
		if (len > 1)
			e->strs |= 1 << i;
		if (len == BT_USDT_STR)
			e->trunc |= 1 << i;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}
