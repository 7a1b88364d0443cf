/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one ABI shared by the BPF programs (bpf/) and the loader (user/):
 * map values and ring-buffer records.  Fixed-width fields, explicit
 * padding, a leading `type` on every ring-buffer record.
 */
#ifndef BT_ABI_H
#define BT_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define BT_COMM_LEN 16

/* bt_proc.flags */
#define BT_PROC_VERIFIED (1U << 0) /* identity (pid + start time) checked in the kernel */
#define BT_PROC_DEAD	 (1U << 1) /* the whole thread group has exited */
#define BT_PROC_GONE	 (1U << 2) /* -p target was not the process we were asked for */
#define BT_PROC_OOM	 (1U << 3) /* chosen as an OOM victim */
#define BT_PROC_ROOT	 (1U << 4) /* named on the command line (not a followed child) */

/* bt_proc.exiting: added by the thread whose exit ends the group */
#define BT_EXIT_GROUP (1ULL << 32)

/*
 * Value of the `procs` hash map, keyed by tgid: everything the kernel side
 * accumulates for one traced process.  Counters are cumulative since the
 * process became traced; user space computes interval deltas.  Sizes of
 * memory are in pages.
 */
struct bt_proc {
	/* identity of a -p target: its start time in clock ticks as
	 * /proc/PID/stat field 22 showed it, checked by the iterator */
	__u64 start_ticks;
	__u64 clk_tck;

	/* cumulative counters (signed deltas are added; totals telescope) */
	__s64 cpu_ns;
	__s64 runq_ns;
	__s64 vol_cs;
	__s64 invol_cs;
	__s64 minflt;
	__s64 majflt;
	__s64 read_bytes;
	__s64 write_bytes;
	__u64 io_ops;
	__u64 io_wait_ns;
	/* logical I/O, what /proc/PID/io shows besides the storage bytes */
	__s64 rchar;
	__s64 wchar;
	__s64 syscr;
	__s64 syscw;

	/* RSS levels at the last reading, in pages */
	__u64 rss_file;
	__u64 rss_anon;
	__u64 rss_swap;
	__u64 rss_shmem;
	/* highest RSS (file+anon+shmem, pages) per sampling epoch, two slots
	 * indexed by epoch parity so user space can read one while the kernel
	 * fills the other */
	__u64 peak[2];
	__u64 peak_epoch[2];
	__u64 rss_pass; /* bt_pass of the iterator pass that last read RSS */
	__u64 read_ns; /* ktime of the iterator's last reading of a thread */
	/* VmHWM at the last reading (pages): max(mm->hiwater_rss, RSS); a
	 * peak is never above what the kernel itself could have seen */
	__u64 hwm;

	/*
	 * Exits in progress: the threads that passed sched_process_exit but
	 * have not yet left the CPU for the last time, plus BT_EXIT_GROUP
	 * once the group's last thread passed it.  One word, so the final
	 * switch that brings it to exactly BT_EXIT_GROUP knows it is the last
	 * and may declare the process dead with complete counters.
	 */
	__u64 exiting;

	__s32 exit_code; /* wait(2)-style status of the group */
	__u32 flags;
	__u32 threads;
	__u32 snap_slot; /* its slot in `snap` in pass snap_pass */
	__u64 snap_pass;
	char comm[BT_COMM_LEN];
};

/* children's keys the kernel logs for the reader (bt_added_log), a power of 2 */
#define BT_ADDED_LOG 1024

/*
 * A process as the walk of every task left it (the `snap` array, read by
 * user space through mmap instead of walking the `procs` hash map).
 */
struct bt_snap {
	__u32 tgid;
	__u32 pad;
	struct bt_proc p;
};

/*
 * Value of the `threads` hash map, keyed by tid: the last values of the
 * kernel's own per-task counters that were folded into the process, so that
 * the next reading adds only the difference.
 */
struct bt_thread {
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 minflt;
	__u64 majflt;
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 rchar;
	__u64 wchar;
	__u64 syscr;
	__u64 syscw;
	__u64 iowait_start; /* ktime when the thread blocked in I/O wait, 0 if not */
	__u32 exiting; /* passed sched_process_exit, counted in bt_proc.exiting */
	__u32 pad;
};

/* ring-buffer records */
enum bt_event_type {
	BT_EV_FORK = 1,
	BT_EV_EXEC = 2,
	BT_EV_EXIT = 3,
	BT_EV_OOM = 4,
	BT_EV_CALL = 5,
	BT_EV_PYFUNC = 6, /* struct bt_pyfunc */
	BT_EV_MARK = 7,	  /* struct bt_pyfunc: a benchtrace.h mark's name */
	BT_EV_USDT = 8,	  /* struct bt_usdt_event */
	BT_EV_WAKE = 9,	  /* a __u32 alone: a traced thread ran (bt_idle_watch) */
};

/* --usdt: one firing of a probe, with its arguments, and for each the
 * string it points to if it points to one (the notes carry no types: user
 * space shows a string only for a pointer-sized unsigned argument) */
#define BT_USDT_ARGS 6
#define BT_USDT_STR  48
struct bt_usdt_event {
	__u32 type; /* BT_EV_USDT */
	__u32 pid;
	__u32 tid;
	__u32 probe; /* index into the loader's table of --usdt probes */
	__u64 ts_ns;
	__u32 nargs;
	__u16 strs;  /* bit i: str[i] holds a string read at args[i] */
	__u16 trunc; /* bit i: ... cut at BT_USDT_STR - 1 bytes */
	__s64 args[BT_USDT_ARGS];
	char str[BT_USDT_ARGS][BT_USDT_STR];
};

/* benchtrace.h marks (include/benchtrace.h): the usdt cookie of each kind */
enum bt_mark_kind {
	BT_MARK_ITER_BEGIN = 1,
	BT_MARK_ITER_END,
	BT_MARK_STEP,
	BT_MARK_SPAN_BEGIN,
	BT_MARK_SPAN_END,
	/* --usdt pairs (PROVIDER:X__start and X__done, or __entry and __return):
	 * the cookie's bits above 8 index the span's name in usdt_spans */
	BT_MARK_USDT_BEGIN,
	BT_MARK_USDT_END,
};
#define BT_USDT_SPANS	  64
#define BT_USDT_SPAN_NAME 144 /* "usdt:PROVIDER:X" */
/* a mark's Python-style ID carries this bit (the hook's IDs never do) */
#define BT_MARK_ID_BIT (1U << 31)

struct bt_event {
	__u32 type;
	__u32 pid; /* tgid the event is about */
	__u32 tid;
	__u32 aux; /* fork: parent tgid */
	__u64 ts_ns; /* bpf_ktime_get_ns() */
	__s32 exit_code; /* exit: wait(2)-style status */
	__u32 flags; /* exit: BT_PROC_* of the process */
	char comm[BT_COMM_LEN];
};

/* BT_EV_EXEC: the event, then what processes.csv names the new image by */
#define BT_EXE_LEN  256
#define BT_ARGS_LEN 512
struct bt_exec_event {
	struct bt_event e;
	__u32 args_len; /* bytes of args used: NUL-separated argv, maybe cut */
	__u32 pad;
	char exe[BT_EXE_LEN]; /* the path given to execve (bprm->filename) */
	char args[BT_ARGS_LEN];
};

/*
 * Function tracing (--uprobe).  Each thread keeps a stack of its open
 * traced calls in task-local storage: the kernel frees it with the thread,
 * so a thread that exits inside a call leaks nothing.
 */
#define BT_MAX_DEPTH 32 /* open traced calls per thread; deeper ones are counted, not timed */
#define BT_MAX_FUNCS 4096 /* distinct traced functions */

struct bt_frame {
	__u64 sp; /* stack pointer at entry: pairs the return with this frame */
	__u64 start_ns;
	/* the thread's own counters at entry */
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 minflt;
	__u64 majflt;
	__u64 read_bytes;
	__u64 write_bytes;
	/* the process's RSS (pages) at entry, and the highest since */
	__u64 rss;
	__u64 peak;
	__u64 hiwater; /* the process's highest RSS so far, at entry */
	__u32 func;
	__u32 pad;
};

struct bt_callstack {
	__u32 depth;   /* frames in use */
	__u32 py_skip; /* Python calls entered past BT_MAX_DEPTH, not yet returned */
	struct bt_frame f[BT_MAX_DEPTH];
};

/*
 * Python functions (-u py:SPEC).  The hook benchtrace loads into the
 * interpreters it starts (user/record/pyhook.py) marks where an asked-for
 * function starts and ends with a system call that fails at once:
 * faccessat2(ID, PATH, BT_PY_MAGIC | op, 0).  No valid mode has these
 * bits, so the kernel returns EINVAL before it looks at PATH or ID, and
 * the sys_enter handler (uprobe.bpf.c) reads the traced thread's counters
 * there as a uprobe would.  ID names the function (a CRC of its name, file
 * and line, the same in every process); PATH carries "NAME\tFILE\tLINE\t
 * MECHANISM" with BT_PY_REGISTER, once per process and function.  An
 * interpreter the hook cannot serve says so with access("IMPL VERSION",
 * BT_PY_MAGIC | BT_PY_UNSUPPORTED) (Python 2 has no dir_fd).
 */
#define BT_PY_MAGIC	0x42540000U
#define BT_PY_OP_MASK	0xffU
#define BT_PY_ENTER	1
#define BT_PY_EXIT	2
#define BT_PY_REGISTER	3
#define BT_PY_UNSUPPORTED 4
#define BT_PY_SLOTS	256 /* distinct Python functions in one run, at most */
#define BT_PY_NAME_LEN	240
/* bt_frame.sp of a Python call: above every real stack pointer, so the
 * native pairing by stack pointer never takes it for one of its own */
#define BT_FRAME_PY (~0ULL)
/* a benchtrace.h step: ends at the next step or the end of its iteration */
#define BT_FRAME_STEP (~0ULL - 1)

/* ring-buffer record: a Python function's first registration, or (slot
 * BT_PY_NO_SLOT) an interpreter the hook cannot serve */
#define BT_PY_NO_SLOT 0xffffffffU
struct bt_pyfunc {
	__u32 type; /* BT_EV_PYFUNC */
	__u32 pid;
	__u32 tid;
	__u32 slot; /* the func index of its calls */
	__u32 id;
	__u32 pad;
	__u64 ts_ns;
	char name[BT_PY_NAME_LEN];
};

/* ring-buffer record of one completed call (calls.csv) */
struct bt_call {
	__u32 type; /* BT_EV_CALL */
	__u32 func; /* index into the loader's probe table */
	__u32 pid;
	__u32 tid;
	__u32 depth; /* 0: outermost traced call on the thread */
	__u32 pad;
	__u64 start_ns; /* bpf_ktime_get_ns() at entry */
	__u64 dur_ns;
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 minflt;
	__u64 majflt;
	__s64 rss_delta; /* pages */
	__u64 rss_peak; /* pages */
	__u64 read_bytes;
	__u64 write_bytes;
};

/*
 * Completed calls are staged per CPU and handed to the ring buffer BT_STAGE_ROWS
 * at a time (or when the oldest is BT_STAGE_MAX_NS old): one reservation per
 * batch instead of per call, and the rows are written into memory that stays
 * in the CPU's cache.  A row whose type is not BT_EV_CALL is not a call (a
 * slot cleared after its batch went out).
 */
#define BT_STAGE_ROWS	32
#define BT_STAGE_MAX_NS 100000000ULL /* 100 ms */

struct bt_stage {
	__u32 n; /* rows in use */
	__u32 pad;
	__u64 first_ns; /* when the oldest staged row was added */
	struct bt_call rows[BT_STAGE_ROWS];
};

/*
 * Per-function totals over the whole run, per CPU (functions.csv): exact
 * whatever the ring buffer drops.  The duration histogram is log-linear
 * (bt_hist.h).
 */
#include "bt_hist.h"

struct bt_func_stats {
	__u64 calls;
	__u64 total_ns;
	__u64 min_ns;
	__u64 max_ns;
	__u64 cpu_ns;
	__u64 minflt;
	__u64 majflt;
	__u64 read_bytes;
	__u64 write_bytes;
	__u32 hist[BT_HIST_BUCKETS];
};

/* indices into the `stats` array map: the tracer's own health counters */
enum bt_stat {
	BT_STAT_RB_DROPS = 0, /* ring-buffer reservations that failed */
	BT_STAT_PROCS_FULL, /* a followed child not tracked: procs map full */
	BT_STAT_THREADS_FULL, /* per-thread state not kept: threads map full */
	BT_STAT_CALL_DROPS, /* calls.csv rows lost: calls ring buffer full */
	BT_STAT_DEPTH_FULL, /* calls not timed: more than BT_MAX_DEPTH open on a thread */
	BT_STAT_UNWOUND, /* calls left without a return (longjmp, exceptions) */
	BT_STAT_STORAGE_FULL, /* a thread's call stack could not be allocated */
	BT_STAT_PY_FULL, /* Python functions past BT_PY_SLOTS, not timed */
	BT_STAT_MAX,
};

#endif /* BT_ABI_H */
