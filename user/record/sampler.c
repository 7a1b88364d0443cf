// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "bt_abi.h"
#include "record/loader.h"
#include "record/metrics.h"
#include "record/proctable.h"
#include "record/sampler.h"
#include "rundir/escape.h"
#include "rundir/out.h"

const char *const samples_header =
	"t_s,pid,comm,cpu_ns,cpu_pct,runq_ns,vol_cs,invol_cs,minflt,majflt,rss_bytes,"
	"rss_peak_bytes,rss_anon_bytes,rss_file_bytes,rss_shmem_bytes,swap_bytes,read_bytes,"
	"write_bytes,io_ops,io_wait_ns,threads,rchar,wchar,syscr,syscw";

/* What the previous tick saw of one process: deltas are taken against it. */
struct prev {
	__u32 tgid;
	__u64 cpu_clock; /* its CPU clock when last collected */
	__u64 kread_ns; /* bt_proc.read_ns last seen */
	__u64 at_ns; /* when the counters of its last row were read */
	__u64 seen; /* sampler.ticks when the walk's copies last had it */
	struct bt_proc p;
};

struct sampler {
	struct tracer *tracer;
	struct out *out;
	__u64 start_ns, last_ns;
	long page_size;
	struct prev *prev; /* sorted by tgid */
	size_t nprev, cap;
	__u32 *ran; /* those that ran since the last tick */
	size_t nran, ran_cap;
	__u32 *dead; /* keys to delete after a pass */
	size_t ndead, dead_cap;
	/* every traced process after the iterator pass: keys and values */
	__u32 *rkeys;
	struct bt_proc *rvals;
	size_t nread, read_cap;
	__u64 *order; /* key << 32 | index into rkeys, sorted: rows in PID order */
	size_t order_cap;
	size_t hint; /* where in prev the last lookup ended */
	bool no_batch; /* the kernel has no batch lookups of hash maps */
	bool idle; /* the last tick read few processes, and none had run */
	__u64 added_seen; /* tracer__procs_added() at the last full read */
	__u64 ticks; /* read_snapshot() calls: prev.seen marks */
	struct run_stats st;
	struct proctable *ptab;
	struct metrics *metrics;
};

struct sampler *sampler__new(struct tracer *t, struct out *samples, __u64 start_ns,
			     long page_size)
{
	struct sampler *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->tracer = t;
	s->out = samples;
	s->start_ns = s->last_ns = start_ns;
	s->page_size = page_size;
	return s;
}

static struct prev *prev_find(struct sampler *s, __u32 tgid, bool create)
{
	size_t lo = 0, hi = s->nprev, mid;
	struct prev *n;

	/* a tick asks in PID order: the answer is mostly the next entry */
	if (s->hint < s->nprev && s->prev[s->hint].tgid == tgid)
		return &s->prev[s->hint];
	if (s->hint + 1 < s->nprev && s->prev[s->hint + 1].tgid == tgid)
		return &s->prev[++s->hint];

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->prev[mid].tgid == tgid) {
			s->hint = mid;
			return &s->prev[mid];
		}
		if (s->prev[mid].tgid < tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!create)
		return NULL;
	if (s->nprev == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		n = realloc(s->prev, cap * sizeof(*n));
		if (!n)
			return NULL;
		s->prev = n;
		s->cap = cap;
	}
	memmove(&s->prev[lo + 1], &s->prev[lo], (s->nprev - lo) * sizeof(*s->prev));
	s->nprev++;
	memset(&s->prev[lo], 0, sizeof(*s->prev));
	s->prev[lo].tgid = tgid;
	s->hint = lo;
	s->st.procs_seen++;
	return &s->prev[lo];
}

static void prev_remove(struct sampler *s, __u32 tgid)
{
	struct prev *p = prev_find(s, tgid, false);

	if (!p)
		return;
	memmove(p, p + 1, (s->nprev - (p - s->prev) - 1) * sizeof(*p));
	s->nprev--;
}

static int push(__u32 **arr, size_t *n, size_t *cap, __u32 v)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		__u32 *a = realloc(*arr, ncap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		*arr = a;
		*cap = ncap;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

/* Growth of a cumulative counter; a transiently lower reading (see fold()
 * in the BPF side) counts as no growth and keeps the old baseline. */
static __u64 grow(__s64 *prev, __s64 cur)
{
	__u64 d;

	if (cur <= *prev)
		return 0;
	d = cur - *prev;
	*prev = cur;
	return d;
}

static __u64 max3(__u64 a, __u64 b, __u64 c)
{
	__u64 m = a > b ? a : b;

	return m > c ? m : c;
}

static void row(struct sampler *s, __u32 tgid, struct prev *pv, const struct bt_proc *cur,
		__u64 closed_epoch, __u64 now_ns, __u64 dt)
{
	struct bt_proc *pp = &pv->p;
	__u64 ps = s->page_size, slot = closed_epoch & 1;
	__u64 cpu, runq, vcs, ics, minf, majf, rd, wr, ops, iow, rch, wch, scr, scw;
	__u64 rss_prev, rss_now, peak, t_read, pct, nthr;
	struct out *o = s->out;
	struct bt_proc lv;

	cpu = grow(&pp->cpu_ns, cur->cpu_ns);
	runq = grow(&pp->runq_ns, cur->runq_ns);
	vcs = grow(&pp->vol_cs, cur->vol_cs);
	ics = grow(&pp->invol_cs, cur->invol_cs);
	minf = grow(&pp->minflt, cur->minflt);
	majf = grow(&pp->majflt, cur->majflt);
	rd = grow(&pp->read_bytes, cur->read_bytes);
	wr = grow(&pp->write_bytes, cur->write_bytes);
	rch = grow(&pp->rchar, cur->rchar);
	wch = grow(&pp->wchar, cur->wchar);
	scr = grow(&pp->syscr, cur->syscr);
	scw = grow(&pp->syscw, cur->syscw);
	ops = cur->io_ops - pp->io_ops;
	iow = cur->io_wait_ns - pp->io_wait_ns;
	pp->io_ops = cur->io_ops;
	pp->io_wait_ns = cur->io_wait_ns;

	rss_prev = pp->rss_file + pp->rss_anon + pp->rss_shmem;
	/* levels at the end of the interval: nothing is resident once the
	 * process has exited (the peak still holds what it reached) */
	lv = *cur;
	if (cur->flags & BT_PROC_DEAD)
		lv.rss_file = lv.rss_anon = lv.rss_shmem = lv.rss_swap = 0;
	rss_now = lv.rss_file + lv.rss_anon + lv.rss_shmem;
	peak = cur->peak_epoch[slot] == closed_epoch ? cur->peak[slot] : 0;
	/* the rss_stat hot path reads the counters' global values, which
	 * can overshoot by the per-CPU parts not folded in yet: never above
	 * the VmHWM the kernel reports */
	if (cur->hwm && peak > cur->hwm)
		peak = cur->hwm;
	/* the interval began at the previous level and ended at this one */
	peak = max3(peak, rss_prev, rss_now);
	pp->rss_file = lv.rss_file;
	pp->rss_anon = lv.rss_anon;
	pp->rss_shmem = lv.rss_shmem;

	__u64 cols[] = { runq, vcs, ics, minf, majf, rss_now * ps, peak * ps, lv.rss_anon * ps,
			 lv.rss_file * ps, lv.rss_shmem * ps, lv.rss_swap * ps, rd, wr, ops,
			 iow, (cur->flags & BT_PROC_DEAD) ? 0 : cur->threads, rch, wch, scr, scw };
	size_t i;

	/* cpu_pct over the time between the two readings of this process's
	 * clock, which the tick's own length misses by the iterator's
	 * scheduling (tens of us: 100.6% of a single thread at -i 10ms).  A
	 * process the tick did not read (it did not run) or that died is as
	 * of now. */
	t_read = now_ns;
	if (cur->read_ns && cur->read_ns != pv->kread_ns && !(cur->flags & BT_PROC_DEAD))
		t_read = cur->read_ns;
	if (pv->at_ns && t_read > pv->at_ns)
		dt = t_read - pv->at_ns;
	pv->at_ns = t_read;
	pv->kread_ns = cur->read_ns;

	out__time_s(o, now_ns - s->start_ns);
	out__putc(o, ',');
	out__u64(o, tgid);
	out__putc(o, ',');
	out__csv_strn(o, cur->comm, strnlen(cur->comm, sizeof(cur->comm)));
	out__putc(o, ',');
	out__u64(o, cpu);
	out__putc(o, ',');
	/* percent of one CPU, one decimal, from integers; never more than
	 * its threads could run (cpu_ns is left as the kernel counted it) */
	pct = dt ? (cpu * 1000 + dt / 2) / dt : 0;
	nthr = cur->threads > pp->threads ? cur->threads : pp->threads;
	if (nthr && pct > nthr * 1000ULL)
		pct = nthr * 1000ULL;
	pp->threads = cur->threads;
	out__fixed(o, pct, 1, 1);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		out__putc(o, ',');
		out__u64(o, cols[i]);
	}
	out__putc(o, '\n');

	if (s->metrics) {
		struct metrics_proc mp = {
		    .pid = tgid,
		    .ppid = proctable__ppid(s->ptab, tgid),
		    .comm = lv.comm,
		    .cpu_ns = pp->cpu_ns,
		    .runq_ns = pp->runq_ns,
		    .vol_cs = pp->vol_cs,
		    .invol_cs = pp->invol_cs,
		    .minflt = pp->minflt,
		    .majflt = pp->majflt,
		    .read_bytes = pp->read_bytes,
		    .write_bytes = pp->write_bytes,
		    .rchar = pp->rchar,
		    .wchar = pp->wchar,
		    .rss_bytes = rss_now * ps,
		    .peak_bytes = peak * ps,
		    .threads = (cur->flags & BT_PROC_DEAD) ? 0 : cur->threads,
		    .exited = cur->flags & BT_PROC_DEAD,
		};

		metrics__proc(s->metrics, &mp, now_ns);
	}
	s->st.cpu_ns += cpu;
	s->st.runq_ns += runq;
	s->st.vol_cs += vcs;
	s->st.invol_cs += ics;
	s->st.minflt += minf;
	s->st.majflt += majf;
	s->st.read_bytes += rd;
	s->st.write_bytes += wr;
	s->st.rchar += rch;
	s->st.wchar += wch;
	s->st.syscr += scr;
	s->st.syscw += scw;
	s->st.io_ops += ops;
	s->st.io_wait_ns += iow;
	if (peak * ps > s->st.peak_rss_bytes)
		s->st.peak_rss_bytes = peak * ps;
	s->st.last_rss_bytes += rss_now * ps;
	s->st.rows++;
}

static void root_ended(struct sampler *s, const struct bt_proc *cur)
{
	if (s->st.root_exited)
		return;
	s->st.root_exited = true;
	s->st.root_status = cur->exit_code;
	s->st.root_flags = cur->flags;
}

/*
 * Whether the process may have changed since the last tick.  CPU time,
 * faults, context switches and I/O all grow only while a thread runs, and
 * the process's CPU clock says in one cheap call whether any did, so an
 * idle process needs no iterator pass.  (The figures still come from the
 * kernel side; this only skips work.)  Unknown means yes.
 */
static bool ran_since(struct sampler *s, __u32 tgid)
{
	struct prev *pv = prev_find(s, tgid, false);
	struct timespec ts;
	clockid_t clk;
	__u64 now;

	/* clock_getcpuclockid() would ask clock_getres() first: one more
	 * system call a process a tick.  The process's CPU clock, as the
	 * kernel numbers it (MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)); a
	 * process that is gone fails the read, and counts as having run. */
	clk = (clockid_t)((~(unsigned int)tgid << 3) | 2);
	if (!pv || clock_gettime(clk, &ts))
		return true;
	now = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (now == pv->cpu_clock)
		return false;
	pv->cpu_clock = now;
	return true;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Room for n more keys and values in the read arrays. */
static int read_room(struct sampler *s, size_t n)
{
	size_t cap;
	__u32 *k;
	struct bt_proc *v;

	if (s->nread + n <= s->read_cap)
		return 0;
	cap = (s->nread + n) * 2;
	k = realloc(s->rkeys, cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	s->rkeys = k;
	v = realloc(s->rvals, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->rvals = v;
	s->read_cap = cap;
	return 0;
}

/*
 * Every traced process's values, in a few system calls (batch lookups,
 * v5.6+) rather than two a process; one by one where the kernel has no
 * batches.
 */
static int read_procs(struct sampler *s, int fd)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	__u32 in = 0, out = 0, n, key, next, *kp = NULL;
	bool first = true;
	int ret;

	s->nread = 0;
	while (!s->no_batch) {
		if (read_room(s, 256))
			return -ENOMEM;
		n = 256;
		ret = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, s->rkeys + s->nread,
					   s->rvals + s->nread, &n, &bo);
		if (ret && errno != ENOENT) {
			if (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP)
				return -errno;
			s->no_batch = true; /* read one by one below */
			s->nread = 0;
			break;
		}
		s->nread += n;
		if (ret) /* ENOENT: that was the last of them */
			return 0;
		in = out;
		first = false;
	}
	while (bpf_map_get_next_key(fd, kp, &next) == 0) {
		key = next;
		kp = &key;
		if (read_room(s, 1))
			return -ENOMEM;
		if (bpf_map_lookup_elem(fd, &key, &s->rvals[s->nread]))
			continue; /* deleted under us */
		s->rkeys[s->nread++] = key;
	}
	return 0;
}

/*
 * The processes of the last tick again, one lookup each: the batch reads
 * walk every bucket of the map (4096 by default, a lock each), tens of
 * microseconds a tick whatever few processes it holds.  Those gone since
 * drop out.
 */
static int read_known(struct sampler *s, int fd)
{
	size_t i, n = 0;

	for (i = 0; i < s->nread; i++)
		if (!bpf_map_lookup_elem(fd, &s->rkeys[i], &s->rvals[n]))
			s->rkeys[n++] = s->rkeys[i];
	s->nread = n;
	return 0;
}

/*
 * Every traced process from the copies the walk of all tasks made of them
 * (tracer__snapshot): no system call but the walk's own, where the batch
 * reads lock each of the map's buckets in turn.  A process of the last
 * tick that the walk did not see (it ended and its tasks are gone) is
 * looked up by its key; the children added since, by read_added().
 */
static int read_snapshot(struct sampler *s, int fd, const struct bt_snap *rows, __u32 n)
{
	struct prev *pv;
	size_t i;

	s->nread = 0;
	if (read_room(s, n))
		return -ENOMEM;
	s->ticks++;
	for (i = 0; i < n; i++) {
		s->rkeys[i] = rows[i].tgid;
		s->rvals[i] = rows[i].p;
		pv = prev_find(s, rows[i].tgid, false);
		if (pv)
			pv->seen = s->ticks;
	}
	s->nread = n;
	for (i = 0; i < s->nprev; i++) {
		if (s->prev[i].seen == s->ticks)
			continue;
		if (read_room(s, 1))
			return -ENOMEM;
		if (!bpf_map_lookup_elem(fd, &s->prev[i].tgid, &s->rvals[s->nread]))
			s->rkeys[s->nread++] = s->prev[i].tgid;
	}
	return 0;
}

/*
 * The children the kernel added since the last tick (tracer__procs_added()
 * counts them), by the keys it logged: each one the walk may have missed
 * (it ended before, or was added after the walk passed) is looked up; one
 * the walk copied too is left to sampler__tick(), which keeps the first of
 * two rows of the same key.  -ENOENT when the log cannot say (more than it
 * holds, or a key the loader added): read the whole map.
 */
static int read_added(struct sampler *s, int fd, __u64 added)
{
	__u64 n;
	__u32 key;

	if (added - s->added_seen > BT_ADDED_LOG)
		return -ENOENT;
	for (n = s->added_seen; n < added; n++) {
		if (tracer__added_key(s->tracer, n, &key))
			return -ENOENT;
		if (prev_find(s, key, false))
			continue; /* in `prev` (a PID used again): read_snapshot() has it */
		if (read_room(s, 1))
			return -ENOMEM;
		if (!bpf_map_lookup_elem(fd, &key, &s->rvals[s->nread]))
			s->rkeys[s->nread++] = key;
	}
	return 0;
}

/*
 * Processes the map holds that no tick has seen yet (children, the first
 * tick's targets): one iterator pass for them, then their values again.
 * One that has already ended needs none: its threads' last readings, at
 * their final switches, are in (a fork storm's children mostly are).
 * *nnew says how many there were.
 */
static int read_new(struct sampler *s, int fd, size_t *nnew)
{
	size_t i;
	int ret;

	s->nran = 0;
	*nnew = 0;
	for (i = 0; i < s->nread; i++) {
		if (prev_find(s, s->rkeys[i], false))
			continue;
		++*nnew;
		if (!(s->rvals[i].flags & BT_PROC_DEAD) &&
		    push(&s->ran, &s->nran, &s->ran_cap, s->rkeys[i]))
			return -ENOMEM;
	}
	if (!s->nran)
		return 0;
	ret = tracer__collect(s->tracer, s->nran <= TRACER_PER_PROCESS_ITERS ? s->ran : NULL,
			      s->nran, false);
	if (ret)
		return ret;
	/* (a failed lookup leaves the batch's values) */
	for (i = 0; i < s->nread; i++)
		if (!prev_find(s, s->rkeys[i], false) && !(s->rvals[i].flags & BT_PROC_DEAD))
			(void)bpf_map_lookup_elem(fd, &s->rkeys[i], &s->rvals[i]);
	return 0;
}

/* The ended processes out of the map: one batch (v5.6+), not a system
 * call each (a fork storm ends hundreds a tick). */
static void delete_dead(struct sampler *s, int fd)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo);
	__u32 n = (__u32)s->ndead;
	size_t i;

	if (!n || (!s->no_batch && !bpf_map_delete_batch(fd, s->dead, &n, &bo)))
		return;
	/* a key deleted under us stops the batch (ENOENT): one by one */
	for (i = 0; i < s->ndead; i++)
		bpf_map_delete_elem(fd, &s->dead[i]);
}

static int u64_cmp(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

int sampler__tick(struct sampler *s, __u64 *read_ns)
{
	int fd = tracer__procs_fd(s->tracer), ret;
	const struct bt_snap *rows = NULL;
	__u32 nrows = 0;
	bool small, snap;
	__u32 key;
	__u64 closed, dt, now_ns, added;
	struct bt_proc *cur;
	struct prev *pv;
	size_t i;

	/*
	 * Which processes ran since the last tick, so that only they are
	 * read: worth it while a few are traced (an iterator each); with
	 * more, the iterator walks every task anyway, and asking each
	 * process's CPU clock would cost more than it saves.  The candidates
	 * are the processes the last tick read; one that is new since (a
	 * child) is read once the map shows it, below.
	 */
	small = s->nread <= TRACER_PER_PROCESS_ITERS;
	s->nran = 0;
	for (i = 0; small && i < s->nread; i++)
		/* (one without a previous row has ended since: it was removed) */
		if (prev_find(s, s->rkeys[i], false) && ran_since(s, s->rkeys[i]) &&
		    push(&s->ran, &s->nran, &s->ran_cap, s->rkeys[i]))
			return -ENOMEM;
	now_ns = mono_ns();
	dt = now_ns - s->last_ns;
	if (read_ns)
		*read_ns = now_ns;
	snap = !small && tracer__can_snapshot(s->tracer);
	if (snap) {
		/* the peaks' epoch closes before the walk copies them: a peak
		 * raised after this belongs to the next interval */
		closed = tracer__next_epoch(s->tracer);
		ret = tracer__snapshot(s->tracer, &rows, &nrows);
		snap = !ret;
		if (ret == -EOPNOTSUPP) /* the copies cannot be mapped */
			ret = tracer__collect(s->tracer, NULL, 0, false);
		else if (ret == -ENOSPC) /* no room for them all: read the map */
			ret = 0;
		if (ret)
			return ret;
	} else {
		if (s->nran || !small) {
			ret = tracer__collect(s->tracer, s->nran ? s->ran : NULL, s->nran, false);
			if (ret)
				return ret;
		}
		closed = tracer__next_epoch(s->tracer);
	}
	s->idle = small && !s->nran && s->nread;
	/* no child added since the last full read (read before reading, so
	 * one added meanwhile shows at the next tick): the known keys do */
	added = tracer__procs_added(s->tracer);
	if (small && s->nread && added == s->added_seen) {
		ret = read_known(s, fd);
	} else {
		/* the walk's copies and the children logged since, or else
		 * the whole map */
		ret = snap ? read_snapshot(s, fd, rows, nrows) : -ENOENT;
		if (!ret)
			ret = read_added(s, fd, added);
		if (ret == -ENOENT)
			ret = read_procs(s, fd);
		s->added_seen = added;
	}
	if (ret)
		return ret;
	if (small) {
		size_t nnew;

		ret = read_new(s, fd, &nnew);
		if (ret)
			return ret;
		if (nnew)
			s->idle = false; /* children, or the first tick's targets */
	} else {
		s->idle = false;
	}

	s->st.last_rss_bytes = 0;
	s->st.roots_alive = 0;
	s->ndead = 0;
	if (s->nread > s->order_cap) {
		__u64 *o = realloc(s->order, s->nread * sizeof(*o));

		if (!o)
			return -ENOMEM;
		s->order = o;
		s->order_cap = s->nread;
	}
	for (i = 0; i < s->nread; i++)
		s->order[i] = (__u64)s->rkeys[i] << 32 | i;
	/* the walk follows the task list, oldest first: mostly PID order */
	for (i = 1; i < s->nread && s->order[i - 1] < s->order[i]; i++)
		;
	if (i < s->nread)
		qsort(s->order, s->nread, sizeof(*s->order), u64_cmp);
	for (size_t k = 0; k < s->nread; k++) {
		i = (__u32)s->order[k];
		key = s->rkeys[i];
		if (k && key == s->order[k - 1] >> 32)
			continue; /* copied by the walk and looked up as a child */
		cur = &s->rvals[i];
		if (cur->flags & BT_PROC_GONE) {
			/* a -p target whose PID now names another process */
			push(&s->dead, &s->ndead, &s->dead_cap, key);
			continue;
		}
		pv = prev_find(s, key, true);
		if (!pv)
			return -ENOMEM;
		if (!pv->at_ns)
			proctable__seen(s->ptab, key, now_ns);
		row(s, key, pv, cur, closed, now_ns, dt);
		if (cur->flags & BT_PROC_DEAD) {
			if (cur->flags & BT_PROC_ROOT)
				root_ended(s, cur);
			push(&s->dead, &s->ndead, &s->dead_cap, key);
		} else if (cur->flags & BT_PROC_ROOT) {
			s->st.roots_alive++;
		}
	}
	if (s->ndead)
		s->idle = false;
	delete_dead(s, fd);
	for (i = 0; i < s->ndead; i++) {
		prev_remove(s, s->dead[i]);
		tracer__forget(s->tracer, s->dead[i]);
	}
	s->last_ns = now_ns;
	return out__error(s->out);
}

/* Whether any thread of the process is running or runnable now. */
static bool threads_running(__u32 tgid)
{
	char path[64], buf[512], *p;
	struct dirent *de;
	bool running = false;
	ssize_t n;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/task", tgid);
	d = opendir(path);
	if (!d)
		return true; /* gone: unknown counts as yes */
	while (!running && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%u/task/%.16s/stat", tgid, de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; /* a thread that just exited */
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		/* "tid (comm) S ...": the comm may hold ')' itself */
		p = strrchr(buf, ')');
		running = !p || p[1] != ' ' || p[2] == 'R';
	}
	closedir(d);
	return running;
}

bool sampler__idle(const struct sampler *s)
{
	return s->idle;
}

bool sampler__still_idle(struct sampler *s)
{
	size_t i;

	if (!s->idle)
		return false;
	for (i = 0; i < s->nread; i++)
		if (ran_since(s, s->rkeys[i]) || threads_running(s->rkeys[i]))
			return s->idle = false;
	return true;
}

int sampler__repeat(struct sampler *s, __u64 now_ns)
{
	struct prev *pv;
	size_t k, i;

	s->st.last_rss_bytes = 0;
	for (k = 0; k < s->nread; k++) {
		i = (__u32)s->order[k];
		pv = prev_find(s, s->rkeys[i], false);
		if (!pv)
			continue;
		/* no epoch closes: the peak is the level, which did not move */
		row(s, s->rkeys[i], pv, &s->rvals[i], ~0ULL, now_ns, now_ns - s->last_ns);
	}
	s->last_ns = now_ns;
	return out__error(s->out);
}

void sampler__set_metrics(struct sampler *s, struct metrics *m)
{
	if (s)
		s->metrics = m;
}

void sampler__set_proctable(struct sampler *s, struct proctable *t)
{
	if (s)
		s->ptab = t;
}

const struct run_stats *sampler__stats(const struct sampler *s)
{
	return &s->st;
}

void sampler__free(struct sampler *s)
{
	if (!s)
		return;
	free(s->prev);
	free(s->ran);
	free(s->dead);
	free(s->rkeys);
	free(s->rvals);
	free(s->order);
	free(s);
}
