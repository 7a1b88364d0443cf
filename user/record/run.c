// SPDX-License-Identifier: GPL-2.0
/*
 * One tracing run: check everything that can be checked before anything is
 * created, load the BPF programs, create the run directory, start or find
 * the targets, attach, then sample until the targets end, the duration
 * runs out or a signal asks us to stop; finalise the files whatever happens.
 * One job, kept whole (1100 lines): the steps share struct run and its
 * unwinding on failure (discard/cleanup); what each step does at length
 * lives beside it (target, loader, probes, usdtrun, metrics, runfiles).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "record/detach.h"
#include "record/eventlog.h"
#include "record/interval.h"
#include "record/loader.h"
#include "record/meta.h"
#include "record/metrics.h"
#include "record/proctable.h"
#include "record/run.h"
#include "record/runfiles.h"
#include "record/runstate.h"
#include "record/sampler.h"
#include "record/status.h"
#include "report/perfetto.h"
#include "rundir/out.h"
#include "rundir/rundir.h"
#include "util/log.h"
#include "util/parse.h"

#define NSEC 1000000000ULL
#define FLUSH_NS NSEC
/* after Ctrl-C, how long the command (which got the same SIGINT from the
 * terminal) may take to exit before we leave it running */
#define CHILD_GRACE_NS (NSEC / 2)
/* --kill-command: from SIGTERM to SIGKILL */
#define KILL_GRACE_NS (2 * NSEC)
/* calls.csv rows in flight: 16 MiB holds about 160000 calls */
#define CALLS_RB_BYTES (16U << 20)
/* kernel memory for per-function statistics, all CPUs together */
#define FUNC_STATS_MAX (512ULL << 20)

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t child_changed;
static struct timespec stop_at; /* when the first stop signal came */

/*
 * The first SIGINT, SIGTERM or SIGHUP stops tracing cleanly.  A second one
 * exits at once -- if it comes a second or more after the first: one of
 * the same burst (timeout(1) signals benchtrace and then its process group;
 * a terminal's Ctrl-C reaches every process of the job) is the same stop.
 */
static void on_stop(int sig)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (stop_signal) {
		if (now.tv_sec - stop_at.tv_sec > 1 ||
		    (now.tv_sec - stop_at.tv_sec == 1 && now.tv_nsec >= stop_at.tv_nsec)) {
			status__abandon();
			_exit(128 + sig); /* the kernel detaches every BPF program */
		}
		return;
	}
	stop_at = now;
	stop_signal = sig;
}

static void on_chld(int sig)
{
	(void)sig;
	child_changed = 1;
}

static void install_signals(void)
{
	struct sigaction sa = {};

	sa.sa_handler = on_stop; /* no SA_RESTART: interrupt the poll */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL); /* a closed terminal or ssh session: stop cleanly too */
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/*
 * CAP_BPF and CAP_PERFMON (v5.8+), or CAP_SYS_ADMIN, which implies both.
 * Root is not enough by itself: a container or capsh may have dropped them.
 */
static int check_privileges(void)
{
	const unsigned long long sys_admin = 1ULL << 21, perfmon = 1ULL << 38, bpf = 1ULL << 39;
	unsigned long long caps = 0;
	char line[256];
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "CapEff: %llx", &caps) == 1)
				break;
		fclose(f);
	}
	if ((caps & sys_admin) || ((caps & bpf) && (caps & perfmon)))
		return 0;
	if (geteuid() == 0)
		warn("missing CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN): this root process had "
		     "them dropped (by a container, capsh or setpriv?), and tracing needs them");
	else
		warn("tracing needs root or the CAP_BPF and CAP_PERFMON capabilities (try: sudo "
		     "benchtrace ...)");
	return -EPERM;
}

static int add_proc_info(struct run *r, pid_t pid, char *err, size_t errlen)
{
	struct proc_info *n = realloc(r->procs, (r->nprocs + 1) * sizeof(*n));
	int ret;

	if (!n)
		return -ENOMEM;
	r->procs = n;
	ret = proc_info__read(pid, &r->procs[r->nprocs], err, errlen);
	if (ret)
		return ret;
	r->nprocs++;
	return 0;
}

/* The process a task ID belongs to (/proc/ID/status Tgid), or -1. */
static pid_t tgid_of(pid_t pid)
{
	char path[64], line[128];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/* Still there and not a zombie. */
static bool proc_alive(pid_t pid)
{
	char st = proc__state(pid);

	return st && st != 'Z' && st != 'X';
}

/* -a: every process that exists now; children of any of them follow. */
static int find_all(struct run *r)
{
	char err[128];
	struct dirent *de;
	DIR *d = opendir("/proc");
	pid_t pid;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!parse_pid(de->d_name, &pid) && pid != getpid())
			add_proc_info(r, pid, err, sizeof(err)); /* gone already: skip */
	closedir(d);
	return 0;
}

/*
 * --uprobe specs to (binary, offset) pairs, before anything starts: a
 * function that cannot be found is an error while nothing has run yet.
 */
static int resolve_probes(struct run *r)
{
	const struct opts *o = r->opts;
	char err[1024], exe[4096];
	char *native[BT_MAX_UPROBES];
	const char *base = NULL;
	pid_t pid = 0;
	int ret, ncpus, n = 0, i;

	ret = python__init(&r->py, o->uprobes, o->nuprobes);
	if (ret < 0) {
		warn("out of memory");
		return ret;
	}
	for (i = 0; i < o->nuprobes; i++)
		if (!python__is_spec(o->uprobes[i]))
			native[n++] = o->uprobes[i];
	if (o->mode == BT_MODE_COMMAND &&
	    python__check_command(&r->py, realpath(r->cmd_path, exe) ? exe : r->cmd_path, err,
				  sizeof(err))) {
		warn("%s", err);
		return -ENOTSUP;
	}
	r->tracing_calls = o->nuprobes > 0;
	if (!n)
		return 0;
	if (o->mode == BT_MODE_COMMAND) {
		base = realpath(r->cmd_path, exe) ? exe : r->cmd_path;
	} else if (o->mode == BT_MODE_PIDS) {
		base = r->procs[0].exe;
		pid = r->procs[0].pid;
		if (!base) {
			warn("cannot read the executable of PID %d (/proc/%d/exe) to find --uprobe "
			     "functions in; write BINARY:FUNC",
			     pid, pid);
			return -ENOENT;
		}
	}
	ret = probes__resolve(&r->probes, native, n, base, pid,
			      probes__target_cxx(base, pid), err, sizeof(err));
	if (ret) {
		warn("%s", err);
		return ret;
	}
	/* each function's totals and histogram are kept per CPU (5.6 KiB) */
	ncpus = libbpf_num_possible_cpus();
	if (ncpus > 0 && (__u64)r->probes.n * ncpus * sizeof(struct bt_func_stats) > FUNC_STATS_MAX) {
		warn("--uprobe: %d functions need %llu MiB of per-CPU statistics on %d CPUs, more "
		     "than %llu MiB; narrow the pattern to at most %llu functions",
		     r->probes.n,
		     (unsigned long long)((__u64)r->probes.n * ncpus * sizeof(struct bt_func_stats) >>
					  20),
		     ncpus, FUNC_STATS_MAX >> 20,
		     (unsigned long long)(FUNC_STATS_MAX / ncpus / sizeof(struct bt_func_stats)));
		return -E2BIG;
	}
	info("--uprobe: %d function%s to trace", r->probes.n, r->probes.n == 1 ? "" : "s");
	return 0;
}

static int check_target_procs(struct run *r)
{
	const struct opts *o = r->opts;
	char err[512];
	int i, ret;

	switch (o->mode) {
	case BT_MODE_COMMAND:
		ret = command__resolve(o->cmd[0], r->cmd_path, sizeof(r->cmd_path), err,
				       sizeof(err));
		if (!ret)
			ret = run_as__resolve(&r->run_as, o->user, err, sizeof(err));
		if (ret) {
			warn("%s", err);
			return ret;
		}
		return 0;
	case BT_MODE_PIDS:
		for (i = 0; i < o->npids; i++) {
			pid_t tgid = tgid_of(o->pids[i]);

			if (tgid > 0 && tgid != o->pids[i]) {
				warn("PID %d is a thread of process %d: give -p %d to trace the "
				     "process with all its threads",
				     o->pids[i], tgid, tgid);
				return -EINVAL;
			}
			ret = add_proc_info(r, o->pids[i], err, sizeof(err));
			if (ret) {
				warn("%s (check the PID with ps)", err);
				return ret;
			}
			if (r->procs[r->nprocs - 1].kthread) {
				warn("PID %d is a kernel thread (%s): benchtrace traces user "
				     "processes",
				     o->pids[i], r->procs[r->nprocs - 1].comm);
				return -EINVAL;
			}
			if (o->pids[i] == getpid()) {
				warn("PID %d is benchtrace itself", o->pids[i]);
				return -EINVAL;
			}
		}
		return 0;
	case BT_MODE_ALL:
		return find_all(r);
	default:
		return -EINVAL;
	}
}

/* --usdt specs, and the program's own benchtrace.h marks. */
static int resolve_usdt(struct run *r)
{
	const struct opts *o = r->opts;
	char err[1024], exe[4096];
	const char *base = NULL;
	pid_t pid = 0;
	int ret;

	if (o->mode == BT_MODE_COMMAND)
		base = realpath(r->cmd_path, exe) ? exe : r->cmd_path;
	else if (o->mode == BT_MODE_PIDS) {
		base = r->procs[0].exe;
		pid = r->procs[0].pid;
	}
	ret = usdtrun__resolve(&r->usdt, o->usdts, o->nusdts, base, pid, err, sizeof(err));
	if (ret) {
		warn("%s", err);
		return ret;
	}
	if (r->usdt.marks)
		r->tracing_calls = true;
	if (r->usdt.n)
		info("USDT: %d probe%s to attach", r->usdt.n, r->usdt.n == 1 ? "" : "s");
	return 0;
}

/* Everything about the targets that can fail, before anything is made. */
static int check_targets(struct run *r)
{
	int ret = check_target_procs(r);

	if (!ret)
		ret = resolve_probes(r);
	return ret ? ret : resolve_usdt(r);
}

/*
 * /proc shows the command's child as a copy of benchtrace until it execs:
 * describe it by what it will exec instead (its identity, the start time,
 * is the fork's and stays).
 */
static void describe_command(struct run *r, struct proc_info *pi)
{
	const char *base = strrchr(r->cmd_path, '/');
	char real[4096], *cmdline;
	size_t len = 1;
	int i;

	for (i = 0; r->opts->cmd[i]; i++)
		len += strlen(r->opts->cmd[i]) + 1;
	cmdline = malloc(len);
	if (cmdline) {
		cmdline[0] = '\0';
		for (i = 0; r->opts->cmd[i]; i++) {
			if (i)
				strcat(cmdline, " ");
			strcat(cmdline, r->opts->cmd[i]);
		}
		free(pi->cmdline);
		pi->cmdline = cmdline;
	}
	/* what the kernel will show: the first 15 bytes of the file name */
	snprintf(pi->comm, sizeof(pi->comm), "%.15s", base ? base + 1 : r->cmd_path);
	free(pi->exe);
	pi->exe = realpath(r->cmd_path, real) ? strdup(real) : strdup(r->cmd_path);
}

static int start_targets(struct run *r)
{
	long clk_tck = sysconf(_SC_CLK_TCK);
	char err[512];
	int i, ret;

	if (r->opts->mode == BT_MODE_COMMAND) {
		ret = child__spawn(&r->child, r->cmd_path, r->opts->cmd, &r->run_as, err,
				   sizeof(err));
		if (ret) {
			warn("%s", err);
			return ret;
		}
		ret = add_proc_info(r, r->child.pid, err, sizeof(err));
		if (ret) {
			warn("%s", err);
			return ret;
		}
		describe_command(r, &r->procs[r->nprocs - 1]);
	}
	for (i = 0; i < r->nprocs; i++) {
		ret = tracer__add_proc(r->tracer, r->procs[i].pid, r->procs[i].start_ticks, clk_tck);
		if (ret) {
			warn("cannot track PID %d: %s (raise --max-procs?)", r->procs[i].pid,
			     strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* The first reading only sets each thread's baseline. */
static int prime(struct run *r)
{
	__u32 *pids;
	int i, ret;

	if (r->opts->mode == BT_MODE_ALL)
		return tracer__collect(r->tracer, NULL, 0, true);
	pids = calloc(r->nprocs, sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	for (i = 0; i < r->nprocs; i++)
		pids[i] = r->procs[i].pid;
	ret = tracer__collect(r->tracer, pids, r->nprocs, true);
	free(pids);
	return ret;
}

static void check_lost(struct run *r, struct eventlog *el, __u64 now)
{
	char detail[64];
	__u64 n;
	int i;

	for (i = 0; i < BT_STAT_MAX; i++) {
		n = tracer__stat(r->tracer, i);
		if (n <= r->lost[i])
			continue;
		if (lost_source_name(i)) {
			snprintf(detail, sizeof(detail), "source=%s count=%llu",
				 lost_source_name(i), (unsigned long long)(n - r->lost[i]));
			eventlog__write(el, now, 0, 0, "lost", detail);
		}
		r->lost[i] = n;
	}
}

static void reap_child(struct run *r, bool block)
{
	int status;
	pid_t p;

	if (r->opts->mode != BT_MODE_COMMAND || r->reaped || r->child.pid <= 0)
		return;
	do
		p = waitpid(r->child.pid, &status, block ? 0 : WNOHANG);
	while (p < 0 && errno == EINTR);
	if (p != r->child.pid)
		return;
	r->reaped = true;
	if (WIFEXITED(status)) {
		r->exit_code = WEXITSTATUS(status);
		r->outcome = r->exit_code ? BT_FAILED : BT_COMPLETED;
	} else if (WIFSIGNALED(status)) {
		r->signal = WTERMSIG(status);
		r->outcome = BT_KILLED;
	}
}

/* The outcome once tracing has stopped. */
static void decide_outcome(struct run *r, const struct run_stats *st)
{
	int status = st->root_status;

	if (r->opts->mode == BT_MODE_COMMAND) {
		if (!r->reaped) {
			r->outcome = BT_DETACHED;
		} else if (r->outcome == BT_KILLED && st->root_exited &&
			   (st->root_flags & BT_PROC_OOM)) {
			r->outcome = BT_OOM_KILLED;
		}
	} else if (r->opts->mode == BT_MODE_PIDS && st->roots_alive == 0 && st->root_exited) {
		if (st->root_flags & BT_PROC_OOM) {
			r->outcome = BT_OOM_KILLED;
			r->signal = status & 0x7f;
		} else if ((status & 0x7f) == 0) {
			r->exit_code = (status >> 8) & 0xff;
			r->outcome = r->exit_code ? BT_FAILED : BT_COMPLETED;
		} else {
			r->signal = status & 0x7f;
			r->outcome = BT_KILLED;
		}
	} else {
		r->outcome = BT_DETACHED;
	}
	if (r->error[0])
		r->outcome = BT_TRACER_ERROR;
}

/* --metrics: the functions' totals, then the tick's text for scrapers. */
static void publish_metrics(struct run *r, __u64 now)
{
	struct bt_func_stats fs;
	int i;

	if (!r->metrics)
		return;
	for (i = 0; i < r->probes.n; i++)
		if (!tracer__func_stats(r->tracer, i, &fs))
			metrics__func(r->metrics, r->probes.p[i].func, r->probes.p[i].binary, &fs);
	metrics__publish(r->metrics, (now - r->start_mono_ns) / 1e9, run__lost_total(r), now);
}

/* --metrics: listen before the command starts, so no figure is missed. */
static int start_metrics(struct run *r)
{
	char host[256] = "", err[512];
	const char *run, *slash;

	if (!r->opts->metrics)
		return 0;
	gethostname(host, sizeof(host) - 1);
	run = rundir__path(r->rd);
	slash = strrchr(run, '/');
	if (slash && slash[1])
		run = slash + 1;
	if (metrics__start(&r->metrics, r->opts->metrics, host, run, err, sizeof(err))) {
		warn("%s", err);
		return -1;
	}
	if (!r->opts->quiet)
		warn("serving metrics at http://%s%s/metrics (port %d)",
		     strchr(r->opts->metrics, ':') ? "" : "127.0.0.1:", r->opts->metrics,
		     metrics__port(r->metrics));
	sampler__set_metrics(r->sampler, r->metrics);
	return 0;
}

/* -i auto: count the tick, and log a change of interval. */
static void interval_step(struct run *r, struct eventlog *el, __u64 now)
{
	char ivbuf[DURATION_STRLEN];

	if (interval__tick(&r->interval)) {
		format_duration(r->interval.ns, ivbuf, sizeof(ivbuf));
		eventlog__write(el, now, 0, 0, "interval", ivbuf);
	}
}

/* Sleeping through idle ticks (sampler__idle()): how often to try. */
struct idle_state {
	int skip;    /* ticks before the next try */
	int backoff; /* the last wait after a failed try */
};

/*
 * After a tick in which none of the processes ran: arm the kernel's flag
 * and sleep, if they still have not run and none is runnable.  One found
 * runnable (waiting for a CPU on a loaded machine) makes the next try wait
 * twice as long, up to 64 ticks.
 */
static bool idle_try_sleep(struct run *r, struct idle_state *st, __u64 now)
{
	if (st->skip) {
		st->skip--;
		return false;
	}
	if (!sampler__idle(r->sampler))
		return false;
	tracer__idle_arm(r->tracer);
	if (sampler__still_idle(r->sampler)) {
		st->backoff = 0;
		return true;
	}
	tracer__idle_disarm(r->tracer, now);
	st->backoff = st->backoff ? st->backoff * 2 : 1;
	if (st->backoff > 64)
		st->backoff = 64;
	st->skip = st->backoff;
	return false;
}

/*
 * Asleep: the ticks before a traced thread ran again (all that passed, if
 * none did) are written from the last values; *asleep ends when one ran or
 * the run is stopping (@stop disarms the flag).
 */
static int idle_catch_up(struct run *r, struct eventlog *el, __u64 *next_tick, __u64 now,
			 bool stop, bool *asleep)
{
	__u64 woke = stop ? tracer__idle_disarm(r->tracer, now) : tracer__idle_woke(r->tracer, now);
	int ret = 0, n = 0;

	while (!ret && (woke ? *next_tick < woke : *next_tick <= now)) {
		ret = sampler__repeat(r->sampler, *next_tick);
		interval_step(r, el, *next_tick);
		*next_tick += r->interval.ns;
		n++;
	}
	if (ret) {
		runfiles__check(r);
		return ret;
	}
	if (n)
		publish_metrics(r, *next_tick - r->interval.ns);
	if (woke || stop)
		*asleep = false;
	return 0;
}

static int trace_loop(struct run *r, struct eventlog *el, struct status *status)
{
	const struct opts *o = r->opts;
	struct ring_buffer *rb;
	__u64 now, next_tick, next_flush, deadline, wake;
	struct idle_state idle = {0};
	bool last = false, asleep = false;
	int ret = 0, timeout;

	rb = ring_buffer__new(tracer__events_fd(r->tracer), eventlog__handle, el, NULL);
	if (!rb || (r->tracing_calls && ring_buffer__add(rb, tracer__calls_fd(r->tracer),
						       calls__handle, &r->calls))) {
		ret = -errno;
		snprintf(r->error, sizeof(r->error), "cannot open the BPF ring buffer: %s",
			 strerror(-ret));
		ring_buffer__free(rb);
		return ret;
	}
	now = r->start_mono_ns;
	next_tick = now + r->interval.ns;
	next_flush = now + FLUSH_NS;
	deadline = o->duration_ns ? now + o->duration_ns : 0;

	while (!last) {
		wake = next_tick < next_flush && !asleep ? next_tick : next_flush;
		if (deadline && deadline < wake)
			wake = deadline;
		now = clock_ns(CLOCK_MONOTONIC);
		timeout = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		if (!stop_signal && !child_changed && !el->root_exit_seen)
			ring_buffer__poll(rb, timeout);
		ring_buffer__consume(rb);
		now = clock_ns(CLOCK_MONOTONIC);

		if (child_changed) {
			child_changed = 0;
			reap_child(r, false);
		}
		/* stop conditions take one last sample, now; a named process
		 * that exited gets its last row now, and the run ends if it
		 * was the last one */
		if (stop_signal || (deadline && now >= deadline) || r->reaped)
			last = true;
		if (asleep && (ret = idle_catch_up(r, el, &next_tick, now,
						   last || el->root_exit_seen, &asleep)))
			break;
		if (!asleep && (now >= next_tick || last || el->root_exit_seen)) {
			ret = sampler__tick(r->sampler, &now);
			if (!ret)
				publish_metrics(r, now);
			if (ret) {
				if (out__error(r->samples))
					runfiles__check(r);
				else
					snprintf(r->error, sizeof(r->error), "sampling failed: %s",
						 strerror(-ret));
				break;
			}
			el->root_exit_seen = false;
			if (o->mode != BT_MODE_ALL && sampler__stats(r->sampler)->roots_alive == 0)
				last = true;
			interval_step(r, el, now);
			next_tick += r->interval.ns;
			if (next_tick <= now)
				next_tick = now + r->interval.ns;
			/* nothing of the processes ran: sleep until one does (the
			 * kernel wakes us) or the files are due */
			if (!last && o->mode != BT_MODE_ALL)
				asleep = idle_try_sleep(r, &idle, now);
		}
		if (now >= next_flush || last) {
			check_lost(r, el, now);
			ret = runfiles__flush(r);
			if (ret)
				break;
			status__update(status, now - r->start_mono_ns, sampler__stats(r->sampler),
				       r->calls.seen, run__lost_total(r));
			next_flush = now + FLUSH_NS;
		} else if ((ret = runfiles__check(r))) {
			/* a write failed (disk full): stop now, not at the next flush */
			break;
		}
	}
	/* the run ends at its last sample, not after the clean-up below */
	r->end_mono_ns = now;
	/* calls.csv and functions.csv end at the same call: no probe fires
	 * after this, and the rows of the calls before it are read below */
	tracer__detach_funcs(r->tracer);
	ring_buffer__consume(rb);
	if (r->tracing_calls && tracer__calls_staged(r->tracer, calls__handle, &r->calls))
		warn("cannot read the last calls staged in the kernel: calls.csv misses up to %d "
		     "rows a CPU (functions.csv still counts them)",
		     BT_STAGE_ROWS);
	ring_buffer__free(rb);
	return ret;
}

static void cleanup(struct run *r)
{
	int i;

	metrics__stop(r->metrics);
	python__free(&r->py);
	usdtrun__free(&r->usdt);
	proctable__free(r->ptab);
	sampler__free(r->sampler);
	tracer__destroy(r->tracer);
	if (r->rd && r->opts->no_logs)
		rundir__discard(r->rd); /* its files, and the directory */
	else if (r->rd)
		rundir__close(r->rd);
	if (r->scratch[0])
		rmdir(r->scratch);
	for (i = 0; i < r->nprocs; i++)
		proc_info__free(&r->procs[i]);
	free(r->procs);
	calls__free(&r->calls);
	probes__free(&r->probes);
	free(r->funcs);
}

/*
 * Attach the uprobes.  In one process without its children the kernel can
 * place them in that process alone; otherwise they go into every process
 * that maps the binary and the BPF side keeps the traced ones, so children
 * and exec'd programs are covered from their first call.
 */
static const char *target_exe(const struct run *r)
{
	return r->nprocs ? r->procs[0].exe : NULL;
}

static int attach_probes(struct run *r)
{
	const struct opts *o = r->opts;
	pid_t pid = -1;
	int i, ret;

	if (o->no_children && ((o->mode == BT_MODE_COMMAND && r->child.pid > 0) ||
			       (o->mode == BT_MODE_PIDS && r->nprocs == 1)))
		pid = r->procs[0].pid;
	if (pid < 0 && o->mode != BT_MODE_ALL && probes__any_shared(&r->probes, target_exe(r))) {
		/* a library's probes only in the traced processes: a link
		 * filtered by PID for each, the children's as they fork */
		ret = probes__attach(&r->probes, r->tracer, -1, target_exe(r), PROBE_FILES_PROGRAM,
				     false);
		for (i = 0; i < r->nprocs && !ret; i++)
			ret = probes__attach(&r->probes, r->tracer, r->procs[i].pid, target_exe(r),
					     PROBE_FILES_SHARED, false);
		r->lib_procs = r->nprocs;
		r->libs_per_process = !ret;
		tracer__fork_wake(r->tracer, r->libs_per_process);
		return ret;
	}
	return probes__attach(&r->probes, r->tracer, pid, target_exe(r), PROBE_FILES_ALL,
			      pid < 0 && !o->quiet && o->mode != BT_MODE_ALL);
}

/*
 * A traced process forked: its library probes.  It inherits its parent's
 * breakpoints, but a link filtered by PID runs for that PID alone, so its
 * calls into libraries count from here (a fraction of a millisecond after
 * the fork).  Past PROBES_PER_PROCESS_MAX processes, one set of links for
 * every process replaces them (closed first: never two links on a call).
 */
static void on_fork(void *ctx, __u32 pid)
{
	struct run *r = ctx;

	if (!r->libs_per_process)
		return;
	if (r->lib_procs < PROBES_PER_PROCESS_MAX) {
		r->lib_procs++;
		probes__attach(&r->probes, r->tracer, pid, target_exe(r), PROBE_FILES_SHARED,
			       false);
		return;
	}
	r->libs_per_process = false;
	tracer__fork_wake(r->tracer, false);
	tracer__detach_funcs(r->tracer);
	probes__attach(&r->probes, r->tracer, -1, target_exe(r), PROBE_FILES_ALL,
		       !r->opts->quiet);
}

static int attach_usdt(struct run *r)
{
	const struct opts *o = r->opts;
	char err[1024];
	pid_t pid = -1;

	if (o->no_children && ((o->mode == BT_MODE_COMMAND && r->child.pid > 0) ||
			       (o->mode == BT_MODE_PIDS && r->nprocs == 1)))
		pid = r->procs[0].pid;
	if (usdtrun__attach(&r->usdt, r->tracer, pid, err, sizeof(err))) {
		warn("%s", err);
		return -1;
	}
	return 0;
}

/* A Python function named by its interpreter, or one that cannot be traced. */
static int on_pyfunc(void *ctx, const struct bt_pyfunc *e, char *detail, size_t len)
{
	struct run *r = ctx;
	int ret = python__event(&r->py, e, &r->probes, &r->calls, detail, len);

	if (ret)
		warn("naming Python function %u: %s", e->slot, strerror(-ret));
	return ret;
}

/*
 * How many func indices Python functions may take: BT_PY_SLOTS, within the
 * per-CPU statistics' memory (5.6 KiB a function and CPU).
 */
static __u32 py_slots(const struct run *r)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 room;

	if (!r->py.nspecs && !r->usdt.marks)
		return 0;
	room = FUNC_STATS_MAX / (ncpus > 0 ? ncpus : 1) / sizeof(struct bt_func_stats);
	room = room > (__u64)r->probes.n ? room - r->probes.n : 0;
	return room < BT_PY_SLOTS ? room : BT_PY_SLOTS;
}

/*
 * A function whose calls are shorter than ten times its probes' own cost
 * has durations that are mostly probe cost: say so, once per function.
 */
static void note_probe_cost(struct run *r)
{
	struct func_summary *f;
	int i;

	for (i = 0; i < r->probes.n; i++) {
		f = &r->funcs[i];
		f->probe_ns = calibrate__cost_of(&r->probe_cost, &r->probes, i);
		if (!f->probe_ns || !f->calls || f->p50_ns >= 10 * f->probe_ns || r->opts->quiet)
			continue;
		warn("note: %s: its median call (%.1f us) is under 10x what its probes cost a call "
		     "here (%.1f us, partly inside each duration): its durations are mostly probe "
		     "cost; time a caller instead",
		     f->func, f->p50_ns / 1e3, f->probe_ns / 1e3);
	}
}

/* functions.csv, at the end: the kernel's exact totals. */
static void finish_functions(struct run *r)
{
	int ret;

	if (!r->tracing_calls || !r->probes.n)
		return;
	r->funcs = calloc(r->probes.n, sizeof(*r->funcs));
	ret = r->funcs ? calls__summarise(&r->probes, r->tracer, r->funcs) : -ENOMEM;
	if (ret) {
		if (!r->error[0])
			snprintf(r->error, sizeof(r->error), "reading the function statistics: %s",
				 strerror(-ret));
		free(r->funcs);
		r->funcs = NULL;
		return;
	}
	note_probe_cost(r);
	calls__write_functions(r->functions_out, r->funcs, r->probes.n);
}

/* After the loop: in command mode, the command's fate. */
/* --kill-command: the command does not outlive the tracing. */
static void kill_command(struct run *r)
{
	__u64 until = clock_ns(CLOCK_MONOTONIC) + KILL_GRACE_NS;

	kill(r->child.pid, SIGTERM);
	while (!r->reaped && clock_ns(CLOCK_MONOTONIC) < until) {
		reap_child(r, false);
		if (!r->reaped)
			usleep(10000);
	}
	if (!r->reaped) {
		kill(r->child.pid, SIGKILL);
		reap_child(r, true);
	}
}

static void settle_child(struct run *r)
{
	__u64 until;

	if (r->opts->mode != BT_MODE_COMMAND || r->reaped)
		return;
	/* Ctrl-C on a terminal reached the command too: let it finish dying */
	if (stop_signal == SIGINT) {
		until = clock_ns(CLOCK_MONOTONIC) + CHILD_GRACE_NS;
		while (!r->reaped && clock_ns(CLOCK_MONOTONIC) < until) {
			reap_child(r, false);
			if (!r->reaped)
				usleep(10000);
		}
	} else {
		/* the exit tracepoint fires before the child is a zombie: once
		 * the kernel said the command's thread group is gone, wait */
		reap_child(r, sampler__stats(r->sampler)->roots_alive == 0);
	}
	if (!r->reaped && r->opts->kill_command)
		kill_command(r);
}

/*
 * Processes or threads that did not fit are lost for good, and the fix is
 * an option: say so even with -q (which silences the summary only).
 */
static void warn_limits(const struct run *r, const struct tracer_opts *t)
{
	if (r->lost[BT_STAT_PROCS_FULL])
		warn("%llu new processes were not traced: more than --max-procs %u were tracked "
		     "at once (raise --max-procs)",
		     (unsigned long long)r->lost[BT_STAT_PROCS_FULL], t->max_procs);
	if (r->lost[BT_STAT_THREADS_FULL])
		warn("%llu thread readings were lost: more than --max-threads %u threads were "
		     "tracked at once (raise --max-threads)",
		     (unsigned long long)r->lost[BT_STAT_THREADS_FULL], t->max_threads);
}

int run__main(const struct opts *o)
{
	struct tracer_opts topts = {};
	struct eventlog el = {};
	struct status *status = NULL;
	struct run r = {};
	char err[512];
	int ret, exit_status = 1, i;
	size_t cause_len;

	r.opts = o;
	r.exit_code = -1;
	r.sample_rows = -1;
	r.child.pid = -1;
	interval__init(&r.interval, o->interval_ns);

	if (check_privileges())
		return 1;
	if (limits__raise(&r.child))
		return 1;
	if (check_targets(&r))
		goto cleanup;

	topts.follow_children = !o->no_children;
	topts.max_procs = o->max_procs;
	topts.max_threads = o->max_threads;
	topts.nfuncs = r.probes.n;
	topts.npy_slots = py_slots(&r);
	topts.min_dur_ns = o->min_duration_ns;
	topts.calls_rb_bytes = CALLS_RB_BYTES;
	topts.btf_path = o->btf;
	topts.usdt = r.usdt.n > 0;
	if (o->mode == BT_MODE_ALL && topts.max_procs < (unsigned)r.nprocs * 2)
		topts.max_procs = r.nprocs * 2;
	ret = tracer__open(&r.tracer, &topts, err, sizeof(err));
	if (ret) {
		warn("%s", err);
		goto cleanup;
	}
	if (runfiles__setup(&r))
		goto discard;
	if (python__prepare(&r.py, r.rd, err, sizeof(err))) {
		warn("%s", err);
		goto discard;
	}
	install_signals();
	if (start_targets(&r))
		goto discard;
	if (tracer__attach(r.tracer, err, sizeof(err))) {
		warn("%s", err);
		goto discard;
	}
	if (attach_probes(&r) || attach_usdt(&r))
		goto discard;
	if (r.tracing_calls && calibrate__probes(r.tracer, &r.probes, &r.probe_cost))
		warn("note: could not measure what a probe pair costs here (functions.csv "
		     "probe_ns is empty)");
	ret = prime(&r); /* baselines: count from now on */
	if (ret) {
		warn("cannot read the traced processes' counters: %s", strerror(-ret));
		goto discard;
	}
	if (o->mode == BT_MODE_PIDS) {
		__u32 flags;

		/* the priming pass saw each target, and it was the one we named */
		for (i = 0; i < r.nprocs; i++)
			if (tracer__proc_flags(r.tracer, r.procs[i].pid, &flags) ||
			    !(flags & BT_PROC_VERIFIED) || (flags & (BT_PROC_GONE | BT_PROC_DEAD))) {
				if (!proc_alive(r.procs[i].pid) || (flags & BT_PROC_DEAD))
					warn("PID %d exited during start-up; nothing to trace",
					     r.procs[i].pid);
				else
					warn("PID %d is running, but the kernel side could not "
					     "confirm it is the process /proc shows (the same PID "
					     "and start time); nothing traced",
					     r.procs[i].pid);
				goto discard;
			}
	}

	r.start_real_ns = clock_ns(CLOCK_REALTIME);
	r.start_mono_ns = clock_ns(CLOCK_MONOTONIC);
	r.sampler = sampler__new(r.tracer, r.samples, r.start_mono_ns, sysconf(_SC_PAGESIZE));
	el.out = r.events;
	el.start_ns = r.start_mono_ns;
	el.on_pyfunc = on_pyfunc;
	el.pyfunc_ctx = &r;
	el.on_fork = on_fork;
	el.fork_ctx = &r;
	el.usdt = &r.usdt;
	r.ptab = proctable__new();
	el.procs = r.ptab;
	sampler__set_proctable(r.sampler, r.ptab);
	for (i = 0; i < r.nprocs; i++)
		proctable__seen(r.ptab, r.procs[i].pid, r.start_mono_ns);
	if (calls__init(&r.calls, r.calls_out, &r.probes, r.start_mono_ns, sysconf(_SC_PAGESIZE))) {
		warn("out of memory");
		goto discard;
	}
	for (i = 0; i < r.nprocs && o->mode != BT_MODE_ALL; i++)
		eventlog__add_root(&el, r.procs[i].pid);
	if (!r.sampler || (ret = meta__write(&r, false))) {
		warn("cannot write %s/meta.json: %s", rundir__path(r.rd),
		     strerror(r.sampler ? -ret : ENOMEM));
		goto discard;
	}
	if (runfiles__reserve_meta(&r) || start_metrics(&r))
		goto discard;
	if (o->mode == BT_MODE_COMMAND) {
		ret = child__go(&r.child);
		if (ret) {
			warn("cannot run '%s': %s", r.cmd_path, strerror(-ret));
			reap_child(&r, true);
			goto discard;
		}
	}
	status = status__new(o->quiet, r.tracing_calls);
	ret = trace_loop(&r, &el, status);
	status__clear(status);
	if (!r.end_mono_ns)
		r.end_mono_ns = clock_ns(CLOCK_MONOTONIC);

	settle_child(&r);
	decide_outcome(&r, sampler__stats(r.sampler));
	/* room for functions.csv and the logs' last rows, even on a full disk */
	runfiles__release_space(&r);
	finish_functions(&r);
	python__finish(&r.py, true);
	if (r.processes_out)
		proctable__write(r.ptab, r.processes_out, r.start_mono_ns);
	runfiles__finish(&r);
	/* from the closed logs; before meta.json, which says whether it exists */
	if (o->perfetto && !r.error[0]) {
		ret = perfetto__write(r.rd, r.error, sizeof(r.error));
		if (ret)
			r.outcome = BT_TRACER_ERROR;
		r.trace_written = !ret;
	}
	/* like -d, the command is not harmed for our failure: say where it is */
	cause_len = strlen(r.error);
	if (r.error[0] && o->mode == BT_MODE_COMMAND && !r.reaped && r.child.pid > 0)
		snprintf(r.error + cause_len, sizeof(r.error) - cause_len,
			 "; the command runs on untraced (PID %d)", (int)r.child.pid);
	/* into the space reserved at the start */
	ret = meta__write(&r, true);
	if (ret && !r.error[0]) {
		snprintf(r.error, sizeof(r.error), "cannot write %s/meta.json: %s",
			 rundir__path(r.rd), strerror(-ret));
		r.outcome = BT_TRACER_ERROR;
	}
	if (!cause_len) /* meta.json itself failed */
		cause_len = strlen(r.error);
	if (!o->quiet)
		status__summary(status, &r, sampler__stats(r.sampler));
	warn_limits(&r, &topts);
	if (r.error[0]) {
		warn("%.*s; tracing stopped, the run directory holds what was written until then%s",
		     (int)cause_len, r.error, r.error + cause_len);
		exit_status = 1;
	} else if (o->mode == BT_MODE_COMMAND && r.reaped) {
		exit_status = r.signal ? 128 + r.signal : r.exit_code;
	} else {
		exit_status = 0;
	}
	status__free(status);
	if (o->mode == BT_MODE_COMMAND && !r.reaped)
		detach__wait_stopped(r.child.pid, o->quiet);
	goto cleanup;

discard:
	if (o->mode == BT_MODE_COMMAND)
		child__abort(&r.child);
	python__finish(&r.py, false);
	runfiles__discard(&r);
cleanup:
	cleanup(&r);
	return exit_status;
}
