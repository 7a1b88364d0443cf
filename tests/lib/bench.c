// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the benchmarks in tests/bench/; see bench.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>

#include "bench.h"
#include "util/parse.h"

#define me program_invocation_short_name

__u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * BENCH_NSEC + ts.tv_nsec;
}

char *bench_pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, BT_PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= BT_PATH_MAX) {
		fprintf(stderr, "%s: path '%s...' too long\n", me, buf);
		exit(1);
	}
	return buf;
}

/* ---- figures ---- */

struct figure {
	char name[64];
	char value[32];
	char target[32];
	bool over;
};

static struct figure figures[32];
static int nfigures;
static int unmeasured;

void bench_figure_add(const char *name, bool over, const char *target, const char *fmt, ...)
{
	struct figure *f;
	va_list ap;

	if (nfigures == (int)(sizeof(figures) / sizeof(figures[0])))
		return;
	f = &figures[nfigures++];
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->target, sizeof(f->target), "%s", target);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
	f->over = over;
}

void bench_figure_missing(const char *name, const char *target)
{
	bench_figure_add(name, false, target, "not measured");
	unmeasured++;
}

const char *bench_verdict(bool over)
{
	return over ? "OVER TARGET" : "PASS";
}

void bench_print_figures(void)
{
	int i;

	printf("  %-40s %14s %16s  %s\n", "figure", "measured", "target", "result");
	for (i = 0; i < nfigures; i++)
		printf("  %-40s %14s %16s  %s\n", figures[i].name, figures[i].value,
		       figures[i].target,
		       !strcmp(figures[i].value, "not measured") ? "NOT MEASURED"
		       : !strcmp(figures[i].target, "-")	 ? "(for information)"
								 : bench_verdict(figures[i].over));
}

int bench_conclude(void)
{
	int i, over = 0;

	for (i = 0; i < nfigures; i++)
		over += figures[i].over;
	if (unmeasured)
		printf("%s: %d of %d figures could not be measured\n", me, unmeasured, nfigures);
	else if (over)
		printf("%s: %d of %d figures OVER TARGET\n", me, over, nfigures);
	else
		printf("%s: all %d figures within target\n", me, nfigures);
	return unmeasured ? 1 : 0;
}

/* ---- processes ---- */

static const char *out_dir = "/tmp";
static unsigned nfiles;
int bench_pin_cpu = -1;
cpu_set_t bench_all_cpus;

void bench_setup(const char *dir)
{
	int i;

	out_dir = dir;
	CPU_ZERO(&bench_all_cpus);
	if (!sched_getaffinity(0, sizeof(bench_all_cpus), &bench_all_cpus) &&
	    CPU_COUNT(&bench_all_cpus) >= 2) {
		for (i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &bench_all_cpus))
				bench_pin_cpu = i;
	}
}

int bench_spawn(struct bench_child *c, const char *const argv[], int cpu)
{
	int out, err, devnull;
	cpu_set_t one;

	nfiles++;
	bench_pathf(c->out, "%s/%u.out", out_dir, nfiles);
	bench_pathf(c->err, "%s/%u.err", out_dir, nfiles);
	out = open(c->out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	err = open(c->err, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0 || err < 0) {
		fprintf(stderr, "%s: cannot create %s: %s\n", me, c->out, strerror(errno));
		if (out >= 0)
			close(out);
		if (err >= 0)
			close(err);
		return -1;
	}
	c->fork_ns = bench_now_ns();
	c->pid = fork();
	if (c->pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", me, strerror(errno));
		close(out);
		close(err);
		return -1;
	}
	if (c->pid == 0) {
		setpgid(0, 0);
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out, 1);
		dup2(err, 2);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		if (cpu >= 0) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
		}
		execv(argv[0], (char *const *)argv);
		dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(c->pid, c->pid);
	close(out);
	close(err);
	c->pidfd = syscall(SYS_pidfd_open, c->pid, 0);
	return 0;
}

void bench_reap(struct bench_child *c, double timeout_s, struct bench_ended *e)
{
	__u64 deadline = bench_now_ns() + (__u64)(timeout_s * BENCH_NSEC);
	struct pollfd pfd = {.fd = c->pidfd, .events = POLLIN};
	bool killed = false;
	int status = 0, ms;
	pid_t w = 0;

	memset(e, 0, sizeof(*e));
	/* a pidfd turns readable at exit: no polling loop to disturb the runs */
	while (c->pidfd >= 0 && bench_now_ns() < deadline) {
		ms = (int)((deadline - bench_now_ns()) / BENCH_MSEC) + 1;
		if (poll(&pfd, 1, ms) > 0)
			break;
	}
	while (c->pidfd < 0 && bench_now_ns() < deadline) {
		w = wait4(c->pid, &status, WNOHANG, &e->ru);
		if (w == c->pid || (w < 0 && errno != EINTR))
			break;
		bt_sleep_ms(5);
	}
	if (w != c->pid) {
		if (c->pidfd >= 0 ? !(pfd.revents & POLLIN) : w == 0) {
			kill(-c->pid, SIGKILL);
			kill(c->pid, SIGKILL);
			killed = true;
		}
		do
			w = wait4(c->pid, &status, 0, &e->ru);
		while (w < 0 && errno == EINTR);
	}
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
	if (killed || w != c->pid)
		e->status = -1;
	else if (WIFEXITED(status))
		e->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		e->status = 128 + WTERMSIG(status);
	else
		e->status = -1;
}

void bench_stop(struct bench_child *c)
{
	struct bench_ended e;

	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
	bench_reap(c, 10, &e);
}

int bench_slurp(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = 0;
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

void bench_show_stderr(const struct bench_child *c, const char *what, int status)
{
	char buf[2048];

	bench_slurp(c->err, buf, sizeof(buf));
	fprintf(stderr, "%s: %s exited with status %d%s%s", me, what, status,
		buf[0] ? "; its stderr:\n" : "\n", buf);
}

int bench_release_tracer(pid_t tracer)
{
	__u64 deadline = bench_now_ns() + 30 * BENCH_NSEC;
	char path[64], buf[256];
	cpu_set_t set;
	pid_t child;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)tracer, (int)tracer);
	while (bench_now_ns() < deadline) {
		if (!bench_slurp(path, buf, sizeof(buf)) && (child = atoi(buf)) > 0) {
			if (sched_getaffinity(child, sizeof(set), &set) || CPU_COUNT(&set) != 1 ||
			    !CPU_ISSET(bench_pin_cpu, &set)) {
				fprintf(stderr, "%s: the traced command is not on CPU %d only\n",
					me, bench_pin_cpu);
				return -1;
			}
			if (sched_setaffinity(tracer, sizeof(bench_all_cpus), &bench_all_cpus)) {
				fprintf(stderr, "%s: cannot unpin the tracer: %s\n", me,
					strerror(errno));
				return -1;
			}
			return 0;
		}
		if (!bt_pid_alive(tracer))
			return -1;
		bt_sleep_ms(1);
	}
	fprintf(stderr, "%s: the tracer started no command within 30 s\n", me);
	return -1;
}

int bench_last_number(const char *path, __u64 *v)
{
	char buf[BT_OUT_MAX], *line, *save = NULL;
	int found = -ENOENT;

	if (bench_slurp(path, buf, sizeof(buf)))
		return -ENOENT;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!parse_u64(line, 0, UINT64_MAX, v))
			found = 0;
	return found;
}

char *bench_next_run_dir(char *buf)
{
	nfiles++;
	return bench_pathf(buf, "%s/run-%u", out_dir, nfiles);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

void bench_rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(const double *v, int n)
{
	double s[64];

	if (n > 64)
		n = 64;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

void bench_median_ci(const double *v, int n, double *lo, double *hi)
{
	double s[64], p = 0, term;
	int k = 0, i;

	if (n > 64)
		n = 64;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	/* P(Bin(n, 1/2) <= i), term by term: C(n, i) / 2^n */
	term = 1;
	for (i = 0; i < n; i++)
		term /= 2;
	for (i = 0; i < n / 2; i++) {
		p += term;
		if (2 * p > 0.05)
			break;
		k = i + 1;
		term = term * (n - i) / (i + 1);
	}
	if (k < 1)
		k = 1;
	*lo = s[k - 1];
	*hi = s[n - k];
}

double bench_minimum(const double *v, int n)
{
	double m = v[0];
	int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

double bench_maximum(const double *v, int n)
{
	double m = v[0];
	int i;

	for (i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/* ---- BPF programs ---- */

void bench_prog_name(int fd, const struct bpf_prog_info *info, char *buf, size_t len)
{
	struct bpf_func_info finfo = {};
	struct bpf_prog_info i2 = {};
	__u32 len2 = sizeof(i2);
	const struct btf_type *t;
	struct btf *btf;

	snprintf(buf, len, "%s", info->name);
	if (!info->btf_id || !info->nr_func_info)
		return;
	i2.nr_func_info = 1;
	i2.func_info_rec_size = sizeof(finfo);
	i2.func_info = (__u64)(unsigned long)&finfo;
	if (bpf_obj_get_info_by_fd(fd, &i2, &len2))
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, finfo.type_id);
	if (t)
		snprintf(buf, len, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
}

int bench_stats_begin(void)
{
	int fd;

	printf("\n== diagnostics: BPF program cost (BPF_ENABLE_STATS on; it adds ~2 clock "
	       "reads per call) ==\n");
	fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (fd < 0)
		printf("  BPF run-time statistics unavailable: %s\n", strerror(errno));
	return fd;
}
