// SPDX-License-Identifier: GPL-2.0
/*
 * Loader: skeleton lifecycle in the order open → configure (rodata, map
 * sizes, which flavour of each program) → load → attach.  Every tracepoint
 * program exists as tp_btf (typed, cheaper) and raw_tp; we probe once and
 * load one flavour.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "benchtrace.skel.h"
#include "record/kbtf.h"
#include "record/kfeat.h"
#include "record/loader.h"
#include "util/log.h"

/*
 * A tick reads every traced thread's counters with the task iterator.
 * Walking all tasks of the machine costs ~0.5 us a task (pid lookups), the
 * bulk of an idle tick; since v6.1 an iterator link can be limited to one
 * process, so with a few traced processes each gets its own link and a tick
 * costs what is traced, not what runs on the machine.  Past this many,
 * one walk of everything is cheaper than that many iterator reads.  Since
 * v6.7 that walk is one program run (iter_walk, on a link limited to our
 * own process) following the task list, not a PID lookup per task.
 */
#define PER_PROCESS_ITERS TRACER_PER_PROCESS_ITERS

/* processes the walk of all tasks copies for the reader, at most */
#define SNAP_MAX 65536

struct proc_iter {
	__u32 pid;
	struct bpf_link *link;
};

/* A uprobe attachment: a libbpf perf-event link, or a uprobe_multi link's fd. */
struct ulink {
	struct bpf_link *link;
	int fd;
};

/* uapi values from v6.6, newer than the headers libbpf 1.1 builds with */
#define BT_TRACE_UPROBE_MULTI	 48
#define BT_F_UPROBE_MULTI_RETURN 1U

struct tracer {
	struct benchtrace_bpf *skel;
	struct ulink *ulinks; /* uprobes and uretprobes */
	int nulinks;
	struct bpf_link *iter_link; /* all tasks */
	struct bpf_link *walk_link; /* all tasks in one run (iter_walk), or NULL */
	const struct bt_snap *snap; /* the `snap` array, mmaped; NULL without the walk */
	size_t snap_len;
	bool snap_failed; /* mmap() refused: read the map */
	struct proc_iter piters[PER_PROCESS_ITERS];
	int npiters;
	struct tracer_features feat;
	int ncpus;
};

static int open_and_load(struct tracer *t, const struct tracer_opts *o, bool tp_btf)
{
	struct benchtrace_bpf *s;
	struct bpf_program *prog;
	const char *sec;
	bool keep;
	int err;

	s = benchtrace_bpf__open();
	if (!s)
		return -errno;
	s->rodata->targ_follow_children = o->follow_children;
	if (t->feat.rss_exact && libbpf_num_possible_cpus() <= 1024)
		s->rodata->targ_ncpus = libbpf_num_possible_cpus();
	bpf_map__set_max_entries(s->maps.procs, o->max_procs);
	bpf_map__set_max_entries(s->maps.threads, o->max_threads);
	/* preallocated (an mmapable array): a tick with more processes reads
	 * the map instead (tracer__snapshot() says -ENOSPC) */
	bpf_map__set_max_entries(s->maps.snap, !t->feat.task_walk	  ? 1
					       : o->max_procs < SNAP_MAX ? o->max_procs
									 : SNAP_MAX);
	s->rodata->targ_calls = o->nfuncs + o->npy_slots > 0;
	s->rodata->targ_min_dur_ns = o->min_dur_ns;
	s->rodata->targ_py_base = o->nfuncs;
	s->rodata->targ_py_slots = o->npy_slots;
	bpf_map__set_max_entries(s->maps.func_stats,
				 o->nfuncs + o->npy_slots ? o->nfuncs + o->npy_slots : 1);
	if (o->nfuncs + o->npy_slots && o->calls_rb_bytes)
		bpf_map__set_max_entries(s->maps.calls_rb, o->calls_rb_bytes);
	s->rodata->targ_calls_wake = bpf_map__max_entries(s->maps.calls_rb) / 8;
	s->rodata->targ_events_wake = bpf_map__max_entries(s->maps.events) / 8;
	bpf_program__set_autoload(s->progs.handle_mark, o->usdt);
	bpf_program__set_autoload(s->progs.handle_usdt, o->usdt);
	bpf_program__set_autoload(s->progs.handle_uprobe, o->nfuncs > 0);
	bpf_program__set_autoload(s->progs.handle_uretprobe, o->nfuncs > 0);
	bpf_program__set_autoload(s->progs.handle_uprobe_exit, o->nfuncs > 0);
	bpf_program__set_autoload(s->progs.iter_walk, t->feat.task_walk);
	bpf_program__set_autoattach(s->progs.iter_walk, false); /* see tracer__attach */
	if (t->feat.uprobe_multi) {
		bpf_program__set_expected_attach_type(s->progs.handle_uprobe, BT_TRACE_UPROBE_MULTI);
		bpf_program__set_expected_attach_type(s->progs.handle_uretprobe,
						      BT_TRACE_UPROBE_MULTI);
		bpf_program__set_expected_attach_type(s->progs.handle_uprobe_exit,
						      BT_TRACE_UPROBE_MULTI);
	}

	/* every tracepoint program comes in both flavours (BT_TRACEPOINT) */
	bpf_object__for_each_program(prog, s->obj) {
		sec = bpf_program__section_name(prog);
		if (!strncmp(sec, "tp_btf/", 7))
			keep = tp_btf;
		else if (!strncmp(sec, "raw_tp/", 7))
			keep = !tp_btf;
		else
			continue;
		if (strstr(sec, "/mark_victim"))
			keep = keep && t->feat.oom_tracepoint;
		/* every system call of the machine: only when it is asked for */
		if (strstr(sec, "/sys_enter"))
			keep = keep && o->npy_slots > 0;
		bpf_program__set_autoload(prog, keep);
	}

	err = benchtrace_bpf__load(s);
	if (err) {
		benchtrace_bpf__destroy(s);
		return err;
	}
	t->skel = s;
	return 0;
}

static int load(struct tracer *t, const struct tracer_opts *o, char *err, size_t errlen)
{
	int ret;

	ret = open_and_load(t, o, t->feat.tp_btf);
	if (ret && t->feat.task_walk) {
		info("loading the one-run task walk failed (%s); walking with the task iterator",
		     strerror(-ret));
		t->feat.task_walk = false;
		ret = open_and_load(t, o, t->feat.tp_btf);
	}
	if (ret && t->feat.tp_btf) {
		info("loading tp_btf programs failed (%s); trying raw_tp", strerror(-ret));
		t->feat.tp_btf = false;
		ret = open_and_load(t, o, false);
	}
	if (ret)
		/*
		 * EPERM with CAP_BPF and CAP_PERFMON (run__main checked them):
		 * libbpf looks for kernel types that vmlinux lacks (mm_rss_stat
		 * since v6.2) in module BTF, and listing BTF objects takes
		 * CAP_SYS_ADMIN.
		 */
		snprintf(err, errlen, "cannot load the BPF programs: %s%s", strerror(-ret),
			 ret == -EPERM ? " (libbpf also needs CAP_SYS_ADMIN here, to search kernel "
					 "module BTF: run as root with all capabilities; -v for "
					 "details)"
				       : " (run with -v for the verifier's log)");
	return ret;
}

int tracer__open(struct tracer **out, const struct tracer_opts *o, char *err, size_t errlen)
{
	struct kbtf_ns ns;
	struct tracer *t;
	struct btf *vmlinux;
	bool hidden;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	kfeat__heap_hold(true);
	vmlinux = kfeat__find_vmlinux(o->btf_path, &hidden, err, errlen);
	if (!vmlinux) {
		kfeat__heap_hold(false);
		free(t);
		return -ENOENT;
	}
	kfeat__probe(&t->feat, vmlinux);
	info("features: tp_btf=%d task_iter=%d task_walk=%d sched_info=%d io_accounting=%d "
	     "oom_tracepoint=%d rss_percpu=%d rss_exact=%d uprobe_multi=%d",
	     t->feat.tp_btf, t->feat.task_iter, t->feat.task_walk, t->feat.sched_info,
	     t->feat.io_accounting, t->feat.oom_tracepoint, t->feat.rss_percpu, t->feat.rss_exact,
	     t->feat.uprobe_multi);

	/*
	 * Loading is all that needs the BTF; output files, /proc and the
	 * command stay in the user's mount namespace.
	 */
	ret = hidden ? kbtf__expose(&ns, vmlinux, err, errlen) : 0;
	btf__free(vmlinux);
	if (!ret) {
		if (hidden)
			info("the kernel's BTF (checked against --btf %s) is at "
			     "/sys/kernel/btf/vmlinux in a private mount namespace while loading",
			     o->btf_path);
		ret = load(t, o, err, errlen);
		if (hidden && kbtf__restore(&ns, ret ? NULL : err, ret ? 0 : errlen) && !ret)
			ret = -EIO;
	}
	kfeat__heap_hold(false);
	if (ret) {
		if (t->skel)
			benchtrace_bpf__destroy(t->skel);
		free(t);
		return ret;
	}
	t->ncpus = libbpf_num_possible_cpus();
	*out = t;
	return 0;
}

const struct tracer_features *tracer__features(const struct tracer *t)
{
	return &t->feat;
}

int tracer__add_proc(struct tracer *t, pid_t pid, __u64 start_ticks, long clk_tck)
{
	struct bt_proc p = {};
	__u32 key = pid;

	p.start_ticks = start_ticks;
	p.clk_tck = clk_tck;
	p.flags = BT_PROC_ROOT;
	p.threads = 1;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &key, &p, BPF_ANY))
		return -errno;
	/* the sampler's cue that the map holds keys it has not read yet */
	__atomic_add_fetch(&t->skel->bss->bt_procs_added, 1, __ATOMIC_RELEASE);
	return 0;
}

int tracer__proc_flags(const struct tracer *t, pid_t pid, __u32 *flags)
{
	struct bt_proc p;
	__u32 key = pid;

	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.procs), &key, &p))
		return -ENOENT;
	*flags = p.flags;
	return 0;
}

/*
 * iter_walk's link, limited to this process so the program runs once a
 * pass (it walks every task itself); without it, the all-task iterator.
 */
static void attach_walk(struct tracer *t)
{
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info linfo = {};

	linfo.task.pid = getpid();
	opts.link_info = &linfo;
	opts.link_info_len = sizeof(linfo);
	t->walk_link = bpf_program__attach_iter(t->skel->progs.iter_walk, &opts);
	if (!t->walk_link) {
		info("the one-run task walk cannot be attached (%s): walking with the task iterator",
		     strerror(errno));
		t->feat.task_walk = false;
	}
}

/* The walk's copies, mapped on first use (1.1 MiB of RSS at 4096 processes,
 * which a run of a few processes never needs); false if they cannot be. */
static bool snap_map(struct tracer *t)
{
	const struct bpf_map *m = t->skel->maps.snap;
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)bpf_map__max_entries(m) * bpf_map__value_size(m);
	void *mem;

	if (t->snap || t->snap_failed)
		return t->snap;
	len = (len + page - 1) / page * page;
	mem = mmap(NULL, len, PROT_READ, MAP_SHARED, bpf_map__fd(m), 0);
	if (mem == MAP_FAILED) {
		info("cannot map the walk's copies (%s): reading the map instead", strerror(errno));
		t->snap_failed = true;
		return false;
	}
	t->snap = mem;
	t->snap_len = len;
	return true;
}

int tracer__attach(struct tracer *t, char *err, size_t errlen)
{
	int ret = benchtrace_bpf__attach(t->skel);

	if (ret) {
		snprintf(err, errlen, "cannot attach the BPF programs: %s", strerror(-ret));
		return ret;
	}
	t->iter_link = t->skel->links.iter_task; /* owned by the skeleton */
	if (!t->iter_link) {
		snprintf(err, errlen, "cannot create the task iterator");
		return -ENOENT;
	}
	if (t->feat.task_walk)
		attach_walk(t);
	return 0;
}

static int run_iter(struct bpf_link *link)
{
	char buf[64];
	int fd, ret = 0;
	ssize_t n;

	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -errno;
	/* the program writes nothing: reading to EOF runs it over the tasks */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* The iterator link limited to `pid`, made on first use; NULL if it cannot be. */
static struct bpf_link *proc_iter(struct tracer *t, __u32 pid)
{
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	union bpf_iter_link_info linfo = {};
	struct bpf_link *link;
	int i;

	for (i = 0; i < t->npiters; i++)
		if (t->piters[i].pid == pid)
			return t->piters[i].link;
	if (t->npiters == PER_PROCESS_ITERS)
		return NULL;
	linfo.task.pid = pid;
	opts.link_info = &linfo;
	opts.link_info_len = sizeof(linfo);
	link = bpf_program__attach_iter(t->skel->progs.iter_task, &opts);
	if (!link) {
		/* EINVAL: a kernel before v6.1; ESRCH: it just exited */
		if (errno == EINVAL || errno == E2BIG || errno == EOPNOTSUPP) {
			info("per-process task iterators unavailable (%s): walking all tasks",
			     strerror(errno));
			t->feat.iter_per_process = false;
		}
		return NULL;
	}
	t->piters[t->npiters].pid = pid;
	t->piters[t->npiters++].link = link;
	return link;
}

void tracer__forget(struct tracer *t, __u32 pid)
{
	int i;

	for (i = 0; i < t->npiters; i++) {
		if (t->piters[i].pid != pid)
			continue;
		bpf_link__destroy(t->piters[i].link);
		t->piters[i] = t->piters[--t->npiters];
		return;
	}
}

int tracer__collect(struct tracer *t, const __u32 *pids, int n, bool prime)
{
	struct bpf_link *link;
	int i, ret = 0;

	t->skel->bss->bt_priming = prime;
	t->skel->bss->bt_pass++;
	if (pids && n <= PER_PROCESS_ITERS && t->feat.iter_per_process) {
		for (i = 0; i < n && !ret; i++) {
			link = proc_iter(t, pids[i]);
			if (link)
				ret = run_iter(link);
			else if (!t->feat.iter_per_process || t->npiters == PER_PROCESS_ITERS)
				break; /* unsupported, or too many: walk everything */
		}
		if (i == n || ret)
			goto out;
	}
	ret = run_iter(t->walk_link ? t->walk_link : t->iter_link);
out:
	t->skel->bss->bt_priming = 0;
	return ret;
}

bool tracer__can_snapshot(const struct tracer *t)
{
	return t->walk_link && !t->snap_failed;
}

int tracer__snapshot(struct tracer *t, const struct bt_snap **rows, __u32 *n)
{
	int ret;

	if (!tracer__can_snapshot(t) || !snap_map(t))
		return -EOPNOTSUPP;
	t->skel->bss->bt_snap_n = 0;
	t->skel->bss->bt_snap_full = 0;
	__atomic_store_n(&t->skel->bss->bt_snap_on, 1, __ATOMIC_SEQ_CST);
	ret = tracer__collect(t, NULL, 0, false);
	__atomic_store_n(&t->skel->bss->bt_snap_on, 0, __ATOMIC_SEQ_CST);
	if (ret)
		return ret;
	if (t->skel->bss->bt_snap_full)
		return -ENOSPC;
	*rows = t->snap;
	*n = t->skel->bss->bt_snap_n;
	return 0;
}

int tracer__added_key(const struct tracer *t, __u64 n, __u32 *key)
{
	__u64 v = __atomic_load_n(&t->skel->bss->bt_added_log[n & (BT_ADDED_LOG - 1)],
				  __ATOMIC_ACQUIRE);

	if (v >> 32 != ((n + 1) & 0xffffffffULL))
		return -ENOENT;
	*key = (__u32)v;
	return 0;
}

__u64 tracer__procs_added(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->bt_procs_added, __ATOMIC_ACQUIRE);
}

void tracer__fork_wake(struct tracer *t, bool on)
{
	__atomic_store_n(&t->skel->bss->bt_fork_wake, on, __ATOMIC_RELEASE);
}

void tracer__idle_arm(struct tracer *t)
{
	t->skel->bss->bt_idle_woke_ns = 0;
	/* a full barrier: the caller's next look at the processes comes after
	 * every CPU can see the flag (and the kernel's switch has its own) */
	__atomic_store_n(&t->skel->bss->bt_idle_watch, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The kernel cleared the flag and stamps the time just after: a few
 * instructions on the CPU that won. */
static __u64 idle_stamp(struct tracer *t, __u64 now_ns)
{
	unsigned int spin;
	__u64 ns;

	for (spin = 0; spin < 1000000; spin++) {
		ns = __atomic_load_n(&t->skel->bss->bt_idle_woke_ns, __ATOMIC_ACQUIRE);
		if (ns)
			return ns;
	}
	return now_ns;
}

__u64 tracer__idle_woke(struct tracer *t, __u64 now_ns)
{
	if (__atomic_load_n(&t->skel->bss->bt_idle_watch, __ATOMIC_ACQUIRE))
		return 0;
	return idle_stamp(t, now_ns);
}

__u64 tracer__idle_disarm(struct tracer *t, __u64 now_ns)
{
	if (__atomic_exchange_n(&t->skel->bss->bt_idle_watch, 0, __ATOMIC_SEQ_CST))
		return 0;
	return idle_stamp(t, now_ns);
}

__u64 tracer__next_epoch(struct tracer *t)
{
	__u64 old = t->skel->bss->bt_epoch;

	__atomic_store_n(&t->skel->bss->bt_epoch, old + 1, __ATOMIC_SEQ_CST);
	return old;
}

static int ulink_add(struct tracer *t, struct bpf_link *link, int fd)
{
	struct ulink *n = realloc(t->ulinks, (t->nulinks + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	t->ulinks = n;
	t->ulinks[t->nulinks].link = link;
	t->ulinks[t->nulinks++].fd = fd;
	return 0;
}

static void ulink_close(struct ulink *u)
{
	if (u->link)
		bpf_link__destroy(u->link);
	else
		close(u->fd);
}

static const char *const kind_names[] = {
	[BT_PROBE_ENTRY] = "uprobe",
	[BT_PROBE_RETURN] = "uretprobe",
	[BT_PROBE_EXIT] = "exit uprobe",
};

static struct bpf_program *kind_prog(struct tracer *t, enum bt_probe_kind kind)
{
	return kind == BT_PROBE_ENTRY	 ? t->skel->progs.handle_uprobe
	       : kind == BT_PROBE_RETURN ? t->skel->progs.handle_uretprobe
					 : t->skel->progs.handle_uprobe_exit;
}

/* union bpf_attr's link_create for a uprobe_multi link (v6.6), which the
 * Debian libbpf 1.1 and its headers predate */
struct link_create_uprobe_multi {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u64 path;
	__u64 offsets;
	__u64 ref_ctr_offsets;
	__u64 cookies;
	__u32 cnt;
	__u32 multi_flags;
	__u32 pid;
	__u32 pad;
};


static int attach_multi(struct tracer *t, enum bt_probe_kind kind, const char *path,
			const __u64 *offs, const __u64 *cookies, int n, pid_t pid)
{
	struct link_create_uprobe_multi attr = {};
	int fd;

	attr.prog_fd = bpf_program__fd(kind_prog(t, kind));
	attr.attach_type = BT_TRACE_UPROBE_MULTI;
	attr.path = (__u64)(unsigned long)path;
	attr.offsets = (__u64)(unsigned long)offs;
	attr.cookies = (__u64)(unsigned long)cookies;
	attr.cnt = n;
	attr.multi_flags = kind == BT_PROBE_RETURN ? BT_F_UPROBE_MULTI_RETURN : 0;
	attr.pid = pid > 0 ? pid : 0;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	if (ulink_add(t, NULL, fd)) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

int tracer__attach_usdt(struct tracer *t, bool mark, const char *path, const char *provider,
			const char *name, __u64 cookie, pid_t pid, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_usdt_opts, uo, .usdt_cookie = cookie);
	struct bpf_link *link;
	int ret;

	link = bpf_program__attach_usdt(mark ? t->skel->progs.handle_mark : t->skel->progs.handle_usdt,
					pid > 0 ? pid : -1, path, provider, name, &uo);
	ret = link ? ulink_add(t, link, -1) : -errno;
	if (ret) {
		bpf_link__destroy(link);
		snprintf(err, errlen, "cannot attach the USDT probe %s:%s in %s: %s", provider, name,
			 path, strerror(-ret));
	}
	return ret;
}

int tracer__set_usdt_span(struct tracer *t, __u32 i, const char *name)
{
	char v[BT_USDT_SPAN_NAME] = {};

	snprintf(v, sizeof(v), "%s", name);
	return bpf_map__update_elem(t->skel->maps.usdt_spans, &i, sizeof(i), v, sizeof(v), 0) ?
		       -errno :
		       0;
}

int tracer__attach_probes(struct tracer *t, enum bt_probe_kind kind, const char *path,
			  const __u64 *offs, const __u64 *cookies, int n, pid_t pid, char *err,
			  size_t errlen)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .retprobe = kind == BT_PROBE_RETURN);
	struct bpf_link *link;
	int i, ret;

	if (!n)
		return 0;
	if (t->feat.uprobe_multi) {
		ret = attach_multi(t, kind, path, offs, cookies, n, pid);
		if (ret)
			snprintf(err, errlen, "cannot attach %d %s%s to %s: %s", n, kind_names[kind],
				 n == 1 ? "" : "s", path, strerror(-ret));
		return ret;
	}
	for (i = 0; i < n; i++) {
		uo.bpf_cookie = cookies[i];
		link = bpf_program__attach_uprobe_opts(kind_prog(t, kind), pid, path, offs[i], &uo);
		ret = link ? ulink_add(t, link, -1) : -errno;
		if (ret) {
			bpf_link__destroy(link);
			snprintf(err, errlen, "cannot attach a %s to %s at offset 0x%llx: %s",
				 kind_names[kind], path, (unsigned long long)offs[i],
				 strerror(-ret));
			return ret;
		}
	}
	return 0;
}

#define DETACH_THREADS 32

struct detach_slice {
	struct ulink *links;
	int n;
};

static void *detach_slice(void *arg)
{
	struct detach_slice *s = arg;
	int i;

	for (i = 0; i < s->n; i++)
		ulink_close(&s->links[i]);
	return NULL;
}

/*
 * Unregistering uprobes waits for a tasks-trace RCU grace period (so that
 * no handler still runs), 100-200 ms here, per link: a uprobe_multi link
 * takes all of a binary's probes of one kind.  Closed from several threads
 * at once, the links' grace periods overlap.  (Perf-event uprobes, the
 * fallback before v6.6, are unregistered one at a time by the kernel
 * whatever we do.)
 */
void tracer__detach_funcs(struct tracer *t)
{
	struct detach_slice slices[DETACH_THREADS];
	pthread_t tids[DETACH_THREADS];
	bool started[DETACH_THREADS] = {};
	int nt = t->nulinks < DETACH_THREADS ? t->nulinks : DETACH_THREADS, i, per, at = 0;

	if (!t->nulinks)
		return;
	per = (t->nulinks + nt - 1) / nt;
	for (i = 0; i < nt && at < t->nulinks; i++) {
		slices[i].links = t->ulinks + at;
		slices[i].n = at + per <= t->nulinks ? per : t->nulinks - at;
		at += slices[i].n;
		started[i] = !pthread_create(&tids[i], NULL, detach_slice, &slices[i]);
		if (!started[i])
			detach_slice(&slices[i]); /* no thread: do it here */
	}
	for (i = 0; i < nt; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
	t->nulinks = 0;
}

int tracer__calls_staged(struct tracer *t, int (*fn)(void *ctx, void *data, size_t len), void *ctx)
{
	int i, n = t->ncpus > 0 ? t->ncpus : 1;
	struct bt_stage *v = calloc(n, sizeof(*v));
	__u32 key = 0;

	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.calls_stage), &key, v)) {
		free(v);
		return -errno;
	}
	for (i = 0; i < n; i++)
		if (v[i].n && v[i].n <= BT_STAGE_ROWS)
			fn(ctx, v[i].rows, v[i].n * sizeof(v[i].rows[0]));
	free(v);
	return 0;
}

int tracer__func_stats(const struct tracer *t, __u32 func, struct bt_func_stats *sum)
{
	struct bt_func_stats *v;
	int i, n = t->ncpus > 0 ? t->ncpus : 1;
	unsigned int b;

	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.func_stats), &func, v)) {
		free(v);
		return -errno;
	}
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < n; i++) {
		if (!v[i].calls)
			continue;
		if (!sum->calls || v[i].min_ns < sum->min_ns)
			sum->min_ns = v[i].min_ns;
		if (v[i].max_ns > sum->max_ns)
			sum->max_ns = v[i].max_ns;
		sum->calls += v[i].calls;
		sum->total_ns += v[i].total_ns;
		sum->cpu_ns += v[i].cpu_ns;
		sum->minflt += v[i].minflt;
		sum->majflt += v[i].majflt;
		sum->read_bytes += v[i].read_bytes;
		sum->write_bytes += v[i].write_bytes;
		for (b = 0; b < BT_HIST_BUCKETS; b++)
			sum->hist[b] += v[i].hist[b];
	}
	free(v);
	return 0;
}

int tracer__calls_fd(const struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.calls_rb);
}

int tracer__procs_fd(const struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.procs);
}

int tracer__events_fd(const struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.events);
}

__u64 tracer__stat(const struct tracer *t, enum bt_stat idx)
{
	__u64 vals[t->ncpus > 0 ? t->ncpus : 1];
	__u32 key = idx;
	__u64 sum = 0;
	int i;

	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.stats), &key, vals))
		return 0;
	for (i = 0; i < t->ncpus; i++)
		sum += vals[i];
	return sum;
}

void tracer__destroy(struct tracer *t)
{
	if (!t)
		return;
	while (t->npiters)
		tracer__forget(t, t->piters[0].pid);
	bpf_link__destroy(t->walk_link);
	if (t->snap)
		munmap((void *)t->snap, t->snap_len);
	tracer__detach_funcs(t);
	free(t->ulinks);
	benchtrace_bpf__destroy(t->skel);
	free(t);
}
