// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bt_abi.h"
#include "record/eventlog.h"
#include "record/proctable.h"
#include "rundir/escape.h"
#include "rundir/out.h"

const char *const processes_header = "pid,ppid,start_s,end_s,comm,exe,cmdline,outcome";

#define CMDLINE_LEN (BT_ARGS_LEN + 1)

struct prow {
	__u32 pid, ppid;
	__s64 start_ns; /* CLOCK_MONOTONIC; INT64_MIN: unknown */
	__u64 end_ns; /* 0: still running at the end */
	char comm[BT_COMM_LEN + 1];
	char outcome[24];
	char *exe, *cmdline; /* malloc'ed, may be NULL */
};

struct proctable {
	struct prow *v;
	size_t n, cap;
	/* open addressing: pid -> index + 1 of its newest row (PIDs are reused) */
	__u32 *slot_pid, *slot_idx;
	size_t nslots;
};

struct proctable *proctable__new(void)
{
	return calloc(1, sizeof(struct proctable));
}

void proctable__free(struct proctable *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].exe);
		free(t->v[i].cmdline);
	}
	free(t->v);
	free(t->slot_pid);
	free(t->slot_idx);
	free(t);
}

size_t proctable__count(const struct proctable *t)
{
	return t ? t->n : 0;
}

static size_t hash(__u32 pid, size_t nslots)
{
	return (pid * 2654435761u) & (nslots - 1);
}

static struct prow *find(const struct proctable *t, __u32 pid)
{
	size_t h;

	if (!t->nslots)
		return NULL;
	for (h = hash(pid, t->nslots); t->slot_idx[h]; h = (h + 1) & (t->nslots - 1))
		if (t->slot_pid[h] == pid)
			return &t->v[t->slot_idx[h] - 1];
	return NULL;
}

static void slot_set(__u32 *pids, __u32 *idx, size_t nslots, __u32 pid, __u32 i)
{
	size_t h;

	for (h = hash(pid, nslots); idx[h] && pids[h] != pid; h = (h + 1) & (nslots - 1))
		;
	pids[h] = pid;
	idx[h] = i;
}

static int rehash(struct proctable *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 256, i;
	__u32 *pids = calloc(n, sizeof(*pids)), *idx = calloc(n, sizeof(*idx));

	if (!pids || !idx) {
		free(pids);
		free(idx);
		return -ENOMEM;
	}
	for (i = 0; i < t->nslots; i++)
		if (t->slot_idx[i])
			slot_set(pids, idx, n, t->slot_pid[i], t->slot_idx[i]);
	free(t->slot_pid);
	free(t->slot_idx);
	t->slot_pid = pids;
	t->slot_idx = idx;
	t->nslots = n;
	return 0;
}

/* A new row for @pid (a new process, or the PID reused); NULL if out of memory. */
static struct prow *add(struct proctable *t, __u32 pid)
{
	struct prow *v;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 > t->nslots && rehash(t))
		return NULL;
	v = &t->v[t->n++];
	memset(v, 0, sizeof(*v));
	v->pid = pid;
	v->start_ns = INT64_MIN;
	slot_set(t->slot_pid, t->slot_idx, t->nslots, pid, t->n);
	return v;
}

static char *read_small(const char *path, size_t max, size_t *len)
{
	char *buf = malloc(max + 1);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, max);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

void proctable__args_line(const char *args, size_t n, char *buf, size_t len)
{
	size_t i;

	if (n && !args[n - 1])
		n--;
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = args[i] ? args[i] : ' ';
	buf[n] = 0;
}

/* ppid, start time and comm from /proc/PID/stat; false if it is gone */
static bool read_stat(struct prow *p, __u64 now_ns)
{
	char path[64], *buf, *rp;
	unsigned long long start_ticks;
	struct timespec bt;
	size_t len;
	int ppid;
	long hz = sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof(path), "/proc/%u/stat", p->pid);
	buf = read_small(path, 1024, &len);
	if (!buf)
		return false;
	/* comm may hold anything, ')' too: the last ')' ends it */
	rp = strrchr(buf, ')');
	if (rp && strchr(buf, '(') && rp > strchr(buf, '(')) {
		char *lp = strchr(buf, '(') + 1;
		size_t n = rp - lp < BT_COMM_LEN ? (size_t)(rp - lp) : BT_COMM_LEN;

		memcpy(p->comm, lp, n);
		p->comm[n] = 0;
		/* fields 3.. after ") ": state ppid ... starttime is field 22 */
		if (sscanf(rp + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
				   "%*d %*d %llu",
			   &ppid, &start_ticks) == 2) {
			p->ppid = ppid;
			/* start time since boot, to CLOCK_MONOTONIC via BOOTTIME */
			if (hz > 0 && !clock_gettime(CLOCK_BOOTTIME, &bt)) {
				__s64 boot_now = bt.tv_sec * 1000000000LL + bt.tv_nsec;

				p->start_ns = (__s64)now_ns - boot_now +
					      (__s64)(start_ticks * (1000000000ULL / hz));
			}
		}
	}
	free(buf);
	return true;
}

static void read_exe(struct prow *p)
{
	char path[64], buf[BT_EXE_LEN], line[CMDLINE_LEN], *args;
	ssize_t n;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%u/exe", p->pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		free(p->exe);
		p->exe = strdup(buf);
	}
	snprintf(path, sizeof(path), "/proc/%u/cmdline", p->pid);
	args = read_small(path, BT_ARGS_LEN, &len);
	if (args) {
		proctable__args_line(args, len, line, sizeof(line));
		free(p->cmdline);
		p->cmdline = strdup(line);
		free(args);
	}
}

__u32 proctable__ppid(const struct proctable *t, __u32 pid)
{
	const struct prow *p = t ? find(t, pid) : NULL;

	return p ? p->ppid : 0;
}

void proctable__seen(struct proctable *t, __u32 pid, __u64 now_ns)
{
	struct prow *p;

	if (!t || find(t, pid))
		return;
	p = add(t, pid);
	if (p && read_stat(p, now_ns))
		read_exe(p);
}

void proctable__fork(struct proctable *t, __u32 pid, __u32 ppid, __u64 ts_ns, const char *comm)
{
	struct prow *parent, *p;

	if (!t)
		return;
	/* the sampler may have seen it (from /proc) before this event */
	p = find(t, pid);
	if (!p || p->end_ns) {
		p = add(t, pid);
		if (!p)
			return;
	}
	p->ppid = ppid;
	p->start_ns = (__s64)ts_ns;
	snprintf(p->comm, sizeof(p->comm), "%.*s", BT_COMM_LEN, comm);
	/* until it execs, it runs its parent's program */
	parent = find(t, ppid);
	if (parent && !p->exe && !p->cmdline) {
		p->exe = parent->exe ? strdup(parent->exe) : NULL;
		p->cmdline = parent->cmdline ? strdup(parent->cmdline) : NULL;
	}
}

void proctable__exec(struct proctable *t, const struct bt_exec_event *x)
{
	char line[CMDLINE_LEN];
	struct prow *p;
	size_t n;

	if (!t)
		return;
	p = find(t, x->e.pid);
	if (!p) {
		p = add(t, x->e.pid);
		if (!p)
			return;
		read_stat(p, x->e.ts_ns);
	}
	snprintf(p->comm, sizeof(p->comm), "%.*s", BT_COMM_LEN, x->e.comm);
	free(p->exe);
	p->exe = strndup(x->exe, strnlen(x->exe, sizeof(x->exe)));
	n = x->args_len < sizeof(x->args) ? x->args_len : sizeof(x->args);
	proctable__args_line(x->args, n, line, sizeof(line));
	free(p->cmdline);
	p->cmdline = strdup(line);
}

void proctable__exit(struct proctable *t, __u32 pid, __u64 ts_ns, int status, bool oom)
{
	struct prow *p;

	if (!t)
		return;
	p = find(t, pid);
	if (!p || p->end_ns)
		return;
	p->end_ns = ts_ns;
	if (oom)
		snprintf(p->outcome, sizeof(p->outcome), "oom_killed");
	else
		eventlog__status_str(status, p->outcome, sizeof(p->outcome));
}

static void time_col(struct out *o, __s64 t)
{
	if (t < 0) {
		out__putc(o, '-');
		out__time_s(o, (__u64)-t);
	} else {
		out__time_s(o, (__u64)t);
	}
}

void proctable__write(const struct proctable *t, struct out *o, __u64 start_ns)
{
	const struct prow *p;
	size_t i;

	for (i = 0; t && i < t->n; i++) {
		p = &t->v[i];
		out__u64(o, p->pid);
		out__putc(o, ',');
		out__u64(o, p->ppid);
		out__putc(o, ',');
		if (p->start_ns != INT64_MIN)
			time_col(o, p->start_ns - (__s64)start_ns);
		out__putc(o, ',');
		if (p->end_ns)
			time_col(o, (__s64)p->end_ns - (__s64)start_ns);
		out__putc(o, ',');
		out__csv_str(o, p->comm);
		out__putc(o, ',');
		out__csv_str(o, p->exe ? p->exe : "");
		out__putc(o, ',');
		out__csv_str(o, p->cmdline ? p->cmdline : "");
		out__putc(o, ',');
		out__puts(o, p->end_ns ? p->outcome : "running");
		out__putc(o, '\n');
	}
}
