// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe BUILD_DIR
 *
 * What benchtrace's function tracing (--uprobe) costs per call of a hot
 * function, against the least any uprobe+uretprobe pair can cost on the
 * same function: an empty pair of our own (empty_probe.bpf.c, attached by
 * this program), and, where bpftrace is installed, bpftrace timing the same
 * calls (entry timestamp per thread, a histogram of durations).
 *
 * The workload, hotcall, calls a tiny function N times and times the loop
 * itself (start-up and attach excluded), by its thread's CPU time and by
 * the wall clock.  For each function, ROUNDS rounds of alternating runs
 * (untraced, empty pair, benchtrace, bpftrace), the workload pinned to one
 * CPU and the tracers free to run on the others; per-call cost =
 * (median traced time - median untraced time) / N, and a tracer's ratio to
 * the empty pair is the median of those ratios within each round.  The
 * figures are by CPU time (see enum clk); the wall clock's are shown too.
 * N is sized so that a run under the empty pair takes about a second.
 *
 * What a probe costs depends on the instruction it sits on (the kernel
 * emulates push and nop, single-steps most others, and since 6.16 turns a
 * probed 5-byte nop into a call), so the first bytes of each function are
 * read from the ELF file and classified, and the bytes at the probe site
 * are read from the running process under the empty pair: a call there
 * means the kernel optimized the probe.
 *
 * Then, with BPF run-time statistics on, the BPF programs of each tracer:
 * calls (which should be N each) and time per call.
 *
 * Prints each figure with its target and PASS or OVER TARGET; exits 0 when
 * everything was measured, 1 when something could not be (bpftrace missing
 * is not a failure: it is only a comparison).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "bench.h"
#include "elf/symtab.h"
#include "rundir/csvread.h"
#include "tests/bench/empty_probe.skel.h"
#include "testutil.h"
#include "util/parse.h"

#define ROUNDS	    9	   /* alternating runs of every mode per function */
#define RUN_NS	    1e9	   /* a run under the empty pair should take this long */
#define PROBE_CALLS 100000 /* calls in the calibration runs */
#define MIN_CALLS   10000
#define MAX_CALLS   100000000
#define RUN_TIMEOUT 120.0 /* seconds, for anything we start */
#define TARGET	    1.15  /* benchtrace's per-call cost / the empty pair's */
#define MAX_PROGS   16

enum mode { UNTRACED, EMPTY, BENCHTRACE, BPFTRACE, NMODES };

static const char *const mode_name[NMODES] = {"untraced", "empty pair", "benchtrace", "bpftrace"};

/*
 * hotcall's two timings of its loop.  The figures come from its thread's
 * CPU time: the probes run in that thread, so it has all their cost, while
 * the wall clock also has whatever else ran on that CPU meanwhile, which on
 * a shared machine is more than the effect measured.
 */
enum clk { CPU, WALL, NCLOCKS };

static const char *const clk_name[NCLOCKS] = {"thread CPU time", "wall clock"};

struct variant {
	const char *arg;  /* hotcall's second argument */
	const char *func; /* the function it calls */
	long offset;	  /* of func in the file, for the uprobe */
	unsigned char insn[8];
	const char *kind;
	unsigned long n; /* calls per run */
	/* the loop's times (ms) by each clock, their medians, the cost per call */
	double ms[NCLOCKS][NMODES][ROUNDS];
	double median[NCLOCKS][NMODES], per_call_ns[NCLOCKS][NMODES];
	double ratio[NCLOCKS][NMODES];	 /* a tracer's per-call cost / the empty pair's */
	double tracer_s[NMODES][ROUNDS]; /* the tracer process's own CPU time */
	bool measured[NMODES]; /* in the runs: a tracer that is missing or failed is not */
};

static struct bt_tmp tmp;
static char hotcall[BT_PATH_MAX];
static char bpftrace[BT_PATH_MAX]; /* "" when not installed */
static struct empty_probe_bpf *skel;

/* ---- the function's first instruction ---- */

/*
 * The file offset of function @name in ELF file @path (benchtrace's own
 * symbol table reader, so both probe the same spot), and its first bytes.
 */
static int elf_func(const char *path, const char *name, long *offset, unsigned char *bytes,
		    size_t len)
{
	const struct bt_sym *sym;
	struct symtab *st;
	char err[512];
	int fd, ret = -1;

	if (symtab__load(path, &st, err, sizeof(err))) {
		fprintf(stderr, "uprobe: %s\n", err);
		return -1;
	}
	if (symtab__find(st, name, &sym, 1) == 1) {
		*offset = sym->offset;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && pread(fd, bytes, len, *offset) == (ssize_t)len)
			ret = 0;
		if (fd >= 0)
			close(fd);
	}
	symtab__free(st);
	return ret;
}

/* What the kernel's x86 uprobe code does with the instruction at @b. */
static const char *insn_kind(const unsigned char *b)
{
#ifdef __x86_64__
	static const unsigned char nop5[] = {0x0f, 0x1f, 0x44, 0x00, 0x00};

	if (!memcmp(b, nop5, sizeof(nop5)))
		return "nop5: emulated, optimized to a call since Linux 6.16";
	if (b[0] == 0x55)
		return "push %rbp: emulated";
	if (b[0] >= 0x50 && b[0] <= 0x57)
		return "push: emulated";
	if (b[0] == 0x41 && b[1] >= 0x50 && b[1] <= 0x57)
		return "push %r8-15: emulated";
	if (b[0] == 0x90)
		return "nop: emulated";
	if (b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x1e && b[3] == 0xfa)
		return "endbr64: other, single-stepped";
	return "other: most likely single-stepped";
#else
	(void)b;
	return "not x86-64: not classified";
#endif
}

static void hex(const unsigned char *b, size_t n, char *buf)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(buf + 3 * i, "%02x%s", b[i], i + 1 < n ? " " : "");
}

/*
 * The bytes at the probe site in the running process @pid: after the first
 * hit, an optimized probe is a call (e8) to the kernel's trampoline, a plain
 * one an int3 (cc).  Found through /proc/PID/maps: the mapping of hotcall
 * that holds the file offset.
 */
static int live_bytes(pid_t pid, long offset, unsigned char *b, size_t len)
{
	unsigned long start, end, pgoff;
	char path[64], line[BT_PATH_MAX + 128], file[BT_PATH_MAX];
	int fd, ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %4095s", &start, &end, &pgoff, file) !=
			4 ||
		    strcmp(file, hotcall) || (unsigned long)offset < pgoff ||
		    (unsigned long)offset >= pgoff + (end - start))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && pread(fd, b, len, start + (offset - pgoff)) == (ssize_t)len)
			ret = 0;
		if (fd >= 0)
			close(fd);
	}
	fclose(f);
	return ret;
}

/* ---- the empty pair ---- */

static int empty_attach(const struct variant *v, struct bpf_link **in, struct bpf_link **out)
{
	/* pid -1: every process that maps hotcall, the one we are about to start */
	*in = bpf_program__attach_uprobe(skel->progs.empty_uprobe, false, -1, hotcall, v->offset);
	*out =
	    bpf_program__attach_uprobe(skel->progs.empty_uretprobe, true, -1, hotcall, v->offset);
	if (*in && *out)
		return 0;
	fprintf(stderr, "uprobe: cannot attach the empty pair to %s:%s: %s\n", hotcall, v->func,
		strerror(errno));
	bpf_link__destroy(*in);
	bpf_link__destroy(*out);
	*in = *out = NULL;
	return -1;
}

/* ---- runs ---- */

/* benchtrace's functions.csv: how many calls of @func it recorded, or -1. */
static long long recorded_calls(const char *run_dir, const char *func)
{
	char path[BT_PATH_MAX], err[256];
	struct csv_table *t;
	int fcol, ccol, i;
	long long calls = -1;
	__u64 v;

	t = csv_table__load(bench_pathf(path, "%s/functions.csv", run_dir), err, sizeof(err));
	if (!t) {
		fprintf(stderr, "uprobe: %s\n", err);
		return -1;
	}
	fcol = csv_table__col(t, "func");
	ccol = csv_table__col(t, "calls");
	for (i = 0; fcol >= 0 && ccol >= 0 && i < csv_table__rows(t); i++) {
		if (!strcmp(csv_table__get(t, i, fcol), func) &&
		    !csv_table__get_u64(t, i, ccol, &v))
			calls = v;
	}
	csv_table__free(t);
	return calls;
}

/*
 * What a tracer holds while it runs: the fds of its BPF programs whose
 * names start with @prefix ("" for all), kept open so their statistics can
 * still be read once it has exited.
 */
struct held {
	int fd[MAX_PROGS];
	unsigned int id[MAX_PROGS];
	int n;
};

static void hold_progs(pid_t pid, const char *prefix, struct held *h)
{
	struct bpf_prog_info info;
	unsigned int ids[64];
	int i, j, n, fd;
	__u32 len;

	n = bt_proc_bpf_progs(pid, ids, 64);
	for (i = 0; i < n && h->n < MAX_PROGS; i++) {
		for (j = 0; j < h->n && h->id[j] != ids[i]; j++)
			;
		if (j < h->n || (fd = bpf_prog_get_fd_by_id(ids[i])) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    strncmp(info.name, prefix, strlen(prefix))) {
			close(fd);
			continue;
		}
		h->id[h->n] = ids[i];
		h->fd[h->n++] = fd;
	}
}

struct run_opts {
	bool stats;	     /* hold the tracer's BPF programs (BPF statistics are on) */
	struct held *held;   /* then: they land here */
	unsigned char *live; /* the probe site's bytes in the process, 8 of them (empty pair) */
	bool *live_ok;
};

/* hotcall's "KEY N" line in its output @path. */
static int key_number(const char *path, const char *key, __u64 *v)
{
	char buf[BT_OUT_MAX], *line, *save = NULL;
	size_t len = strlen(key);
	int found = -ENOENT;

	if (bench_slurp(path, buf, sizeof(buf)))
		return -ENOENT;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, len) && line[len] == ' ' &&
		    !parse_u64(line + len + 1, 0, UINT64_MAX, v))
			found = 0;
	return found;
}

/*
 * One run of hotcall under @m; ms[] are the loop's times it printed, by
 * each clock, and *tracer_s (if not NULL) the tracer's own CPU time: its
 * wait4() rusage, which has hotcall's too (it waited for it), less the
 * loop's (hotcall's start-up, a millisecond, stays in).
 */
static int run_once(struct variant *v, enum mode m, unsigned long n, double ms[NCLOCKS],
		    double *tracer_s, const struct run_opts *o)
{
	char sz[32], run_dir[BT_PATH_MAX], prog[3 * BT_PATH_MAX], cmd[BT_PATH_MAX + 64];
	struct bpf_link *in = NULL, *out = NULL;
	const char *argv[16];
	struct bench_child c;
	struct bench_ended e;
	long long calls;
	int k = 0, ret = -1;
	__u64 ns, cpu_ns;

	snprintf(sz, sizeof(sz), "%lu", n);
	if (m == BENCHTRACE) {
		argv[k++] = bt_benchtrace();
		argv[k++] = "-q";
		argv[k++] = "-o";
		argv[k++] = bench_next_run_dir(run_dir);
		argv[k++] = "--uprobe";
		argv[k++] = v->func;
		argv[k++] = "--";
	} else if (m == BPFTRACE) {
		/* the same timing benchtrace does: entry time per thread, duration at return */
		snprintf(prog, sizeof(prog),
			 "uprobe:%s:%s { @s[tid] = nsecs; } "
			 "uretprobe:%s:%s /@s[tid]/ { @h = hist(nsecs - @s[tid]); "
			 "delete(@s[tid]); }",
			 hotcall, v->func, hotcall, v->func);
		snprintf(cmd, sizeof(cmd), "%s %s %s", hotcall, sz, v->arg);
		argv[k++] = bpftrace;
		argv[k++] = "-e";
		argv[k++] = prog;
		argv[k++] = "-c";
		argv[k++] = cmd;
	}
	if (m != BPFTRACE) {
		argv[k++] = hotcall;
		argv[k++] = sz;
		argv[k++] = v->arg;
	}
	argv[k] = NULL;

	if (m == EMPTY && empty_attach(v, &in, &out))
		return -1;
	if (bench_spawn(&c, argv, bench_pin_cpu))
		goto out;
	if ((m == BENCHTRACE || m == BPFTRACE) && bench_pin_cpu >= 0 &&
	    bench_release_tracer(c.pid)) {
		/* most likely it stopped before starting hotcall: say why */
		if (bt_pid_alive(c.pid))
			kill(-c.pid, SIGKILL);
		bench_reap(&c, 10, &e);
		bench_show_stderr(&c, mode_name[m], e.status);
		goto out;
	}
	if (o && o->stats && o->held) {
		/*
		 * Until it exits, as a tracer may load some programs late;
		 * benchtrace's function probes are handle_uprobe*, handle_uretprobe*.
		 */
		while (bt_pid_alive(c.pid)) {
			hold_progs(c.pid, m == BENCHTRACE ? "handle_u" : "", o->held);
			bt_sleep_ms(5);
		}
	}
	if (o && o->live) {
		bt_sleep_ms(200); /* well into the loop */
		*o->live_ok = !live_bytes(c.pid, v->offset, o->live, 8);
	}
	bench_reap(&c, RUN_TIMEOUT, &e);
	if (e.status) {
		bench_show_stderr(&c, mode_name[m], e.status);
		goto out;
	}
	if (bench_last_number(c.out, &ns) || key_number(c.out, "cpu_ns", &cpu_ns)) {
		fprintf(stderr, "uprobe: hotcall printed no elapsed time (%s)\n", mode_name[m]);
		goto out;
	}
	ms[WALL] = ns / 1e6;
	ms[CPU] = cpu_ns / 1e6;
	if (tracer_s)
		*tracer_s = e.ru.ru_utime.tv_sec + e.ru.ru_utime.tv_usec / 1e6 +
			    e.ru.ru_stime.tv_sec + e.ru.ru_stime.tv_usec / 1e6 - cpu_ns / 1e9;
	ret = 0;
	if (m == BENCHTRACE) {
		calls = recorded_calls(run_dir, v->func);
		if (calls != (long long)n) {
			fprintf(stderr, "uprobe: benchtrace recorded %lld calls of %s, not %lu\n",
				calls, v->func, n);
			ret = -1;
		}
	}
out:
	if (m == BENCHTRACE)
		bench_rm_tree(run_dir);
	bpf_link__destroy(in);
	bpf_link__destroy(out);
	return ret;
}

/* Size the runs: the faster of two runs under the empty pair (the first warms up). */
static int calibrate(struct variant *v)
{
	double a[NCLOCKS], b[NCLOCKS], n;

	if (run_once(v, EMPTY, PROBE_CALLS, a, NULL, NULL) ||
	    run_once(v, EMPTY, PROBE_CALLS, b, NULL, NULL))
		return -1;
	if (b[WALL] > a[WALL])
		b[WALL] = a[WALL];
	n = PROBE_CALLS * (RUN_NS / 1e6) / (b[WALL] > 0.001 ? b[WALL] : 0.001);
	v->n = n < MIN_CALLS ? MIN_CALLS : n > MAX_CALLS ? MAX_CALLS : (unsigned long)n;
	return 0;
}

/* Per-call cost (ns) of @m in round @r, over the untraced median. */
static double round_cost(const struct variant *v, int k, int m, int r)
{
	return (v->ms[k][m][r] - v->median[k][UNTRACED]) * 1e6 / v->n;
}

/*
 * The figures.  A tracer's ratio to the empty pair is the median of the
 * ratios within each round: runs made one after the other share the
 * machine's state of the moment (another tenant, a hot host), which two
 * medians of the whole series do not cancel.
 */
static void compute_variant(struct variant *v)
{
	double ratios[ROUNDS];
	int k, m, r;

	for (k = 0; k < NCLOCKS; k++) {
		for (m = 0; m < NMODES; m++) {
			if (!v->measured[m])
				continue;
			v->median[k][m] = bench_median(v->ms[k][m], ROUNDS);
			v->per_call_ns[k][m] =
			    (v->median[k][m] - v->median[k][UNTRACED]) * 1e6 / v->n;
		}
		for (m = BENCHTRACE; m < NMODES; m++) {
			if (!v->measured[m])
				continue;
			for (r = 0; r < ROUNDS; r++)
				ratios[r] = round_cost(v, k, m, r) / round_cost(v, k, EMPTY, r);
			v->ratio[k][m] = bench_median(ratios, ROUNDS);
		}
	}
}

static void print_variant(const struct variant *v, int k)
{
	int m, r;

	printf("  %s:\n  %-7s", clk_name[k], "round");
	for (m = 0; m < NMODES; m++)
		if (v->measured[m])
			printf(" %12s", mode_name[m]);
	for (m = BENCHTRACE; m < NMODES; m++)
		if (v->measured[m])
			printf(" %12s", m == BENCHTRACE ? "bt/empty" : "bpft/empty");
	printf("   (ms, of the loop; per-call ratios)\n");
	for (r = 0; r < ROUNDS; r++) {
		printf("  %-7d", r + 1);
		for (m = 0; m < NMODES; m++)
			if (v->measured[m])
				printf(" %12.1f", v->ms[k][m][r]);
		for (m = BENCHTRACE; m < NMODES; m++)
			if (v->measured[m])
				printf(" %11.3fx",
				       round_cost(v, k, m, r) / round_cost(v, k, EMPTY, r));
		printf("\n");
	}
	printf("  %-7s", "median");
	for (m = 0; m < NMODES; m++)
		if (v->measured[m])
			printf(" %12.1f", v->median[k][m]);
	for (m = BENCHTRACE; m < NMODES; m++)
		if (v->measured[m])
			printf(" %11.3fx", v->ratio[k][m]);
	printf("\n  %-7s", "min");
	for (m = 0; m < NMODES; m++)
		if (v->measured[m])
			printf(" %12.1f", bench_minimum(v->ms[k][m], ROUNDS));
	printf("   (the least disturbed runs)\n  %-7s", "ns/call");
	for (m = 0; m < NMODES; m++)
		if (v->measured[m])
			printf(" %12.1f",
			       m == UNTRACED ? v->median[k][m] * 1e6 / v->n : v->per_call_ns[k][m]);
	printf("   (medians; untraced: the whole call, others: what the probes add)\n");
	printf("  %-7s", "spread");
	for (m = 0; m < NMODES; m++)
		if (v->measured[m])
			printf(" %11.1f%%", 100.0 *
						(bench_maximum(v->ms[k][m], ROUNDS) -
						 bench_minimum(v->ms[k][m], ROUNDS)) /
						v->median[k][m]);
	printf("   (max - min of the runs, of their median)\n");
}

static void report_variant(const struct variant *v, const char *target)
{
	const double *c = v->per_call_ns[CPU], *ratio = v->ratio[CPU];
	char name[64];
	int m;

	snprintf(name, sizeof(name), "%s: empty pair", v->func);
	bench_figure_add(name, false, "-", "%.0f ns/call", c[EMPTY]);
	for (m = BENCHTRACE; m < NMODES; m++) {
		snprintf(name, sizeof(name), "%s: %s/empty", v->func, mode_name[m]);
		if (!v->measured[m]) {
			if (m == BENCHTRACE)
				bench_figure_missing(name, target);
			continue;
		}
		printf("  %s: %.0f ns/call, %.3fx the empty pair's %.0f ns (ratio of medians "
		       "%.3fx; by the wall clock %.0f ns/call, %.3fx)",
		       mode_name[m], c[m], ratio[m], c[EMPTY], c[m] / c[EMPTY],
		       v->per_call_ns[WALL][m], v->ratio[WALL][m]);
		if (m == BENCHTRACE)
			printf(", target %s: %s", target, bench_verdict(ratio[m] > TARGET));
		printf("\n    and %s's own process: %.0f ns of CPU per call (start-up included)\n",
		       mode_name[m], bench_median(v->tracer_s[m], ROUNDS) * 1e9 / v->n);
		bench_figure_add(name, m == BENCHTRACE && ratio[m] > TARGET,
				 m == BENCHTRACE ? target : "-", "%.3fx", ratio[m]);
		snprintf(name, sizeof(name), "%s: %s", v->func, mode_name[m]);
		bench_figure_add(name, false, "-", "%.0f ns/call", c[m]);
	}
}

static void bench_variant(struct variant *v, int num)
{
	char name[64], bytes[32], target[32];
	double ms[NCLOCKS];
	int r, m, k;

	hex(v->insn, 5, bytes);
	printf("\n== %d. %s (hotcall N %s): first bytes %s, %s ==\n", num, v->func, v->arg, bytes,
	       v->kind);
	snprintf(target, sizeof(target), "<= %.2fx", TARGET);
	if (calibrate(v)) {
		snprintf(name, sizeof(name), "%s: benchtrace/empty", v->func);
		bench_figure_missing(name, target);
		return;
	}
	for (m = 0; m < NMODES; m++)
		v->measured[m] = m != BPFTRACE || bpftrace[0];
	printf("  N = %lu calls per run (about 1 s under the empty pair), %d rounds\n", v->n,
	       ROUNDS);
	for (r = 0; r < ROUNDS; r++) {
		for (m = 0; m < NMODES; m++) {
			if (!v->measured[m])
				continue;
			if (run_once(v, m, v->n, ms, &v->tracer_s[m][r], NULL)) {
				if (m == BENCHTRACE || m == BPFTRACE) {
					/* say it once, then leave the tracer out */
					printf("  %s failed (see above): left out\n", mode_name[m]);
					v->measured[m] = false;
				} else {
					snprintf(name, sizeof(name), "%s: benchtrace/empty",
						 v->func);
					bench_figure_missing(name, target);
					memset(v->measured, 0, sizeof(v->measured));
					return;
				}
			}
			for (k = 0; k < NCLOCKS; k++)
				v->ms[k][m][r] = ms[k];
		}
	}
	compute_variant(v);
	print_variant(v, CPU);
	print_variant(v, WALL);
	report_variant(v, target);
}

/* ---- diagnostics: BPF run-time statistics ---- */

struct prog_stat {
	char name[64];
	__u64 cnt, ns;
};

static int prog_stat_get(int fd, struct prog_stat *ps)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -1;
	ps->cnt = info.run_cnt;
	ps->ns = info.run_time_ns;
	bench_prog_name(fd, &info, ps->name, sizeof(ps->name));
	return 0;
}

static void print_stat(const char *who, const struct prog_stat *ps, unsigned long n)
{
	printf("    %-12s %-28s %12llu %10.2f %10.1f\n", who, ps->name, (unsigned long long)ps->cnt,
	       (double)ps->cnt / n, ps->cnt ? (double)ps->ns / ps->cnt : 0.0);
}

static void diag_variant(struct variant *v)
{
	struct prog_stat s0[2], s1[2];
	unsigned char live[8];
	bool live_ok = false;
	struct run_opts o;
	char bytes[32];
	struct held h;
	int fds[2] = {bpf_program__fd(skel->progs.empty_uprobe),
		      bpf_program__fd(skel->progs.empty_uretprobe)};
	double ms[NCLOCKS], bpf_ns[NMODES] = {0};
	int m, i;

	printf("\n  %s, N = %lu:\n", v->func, v->n);
	printf("    %-12s %-28s %12s %10s %10s\n", "tracer", "BPF program", "calls", "calls/N",
	       "ns/call");
	for (i = 0; i < 2; i++)
		prog_stat_get(fds[i], &s0[i]);
	o = (struct run_opts){.live = live, .live_ok = &live_ok};
	if (run_once(v, EMPTY, v->n, ms, NULL, &o)) {
		printf("    (empty pair: could not run)\n");
	} else {
		for (i = 0; i < 2; i++) {
			prog_stat_get(fds[i], &s1[i]);
			s1[i].cnt -= s0[i].cnt;
			s1[i].ns -= s0[i].ns;
			print_stat(mode_name[EMPTY], &s1[i], v->n);
			bpf_ns[EMPTY] += (double)s1[i].ns / v->n;
		}
	}
	for (m = BENCHTRACE; m <= BPFTRACE; m++) {
		if (!v->measured[m])
			continue;
		memset(&h, 0, sizeof(h));
		o = (struct run_opts){.stats = true, .held = &h};
		if (run_once(v, m, v->n, ms, NULL, &o))
			printf("    (%s: could not run)\n", mode_name[m]);
		if (!h.n)
			printf("    (%s: no BPF programs found%s)\n", mode_name[m],
			       m == BENCHTRACE ? " named handle_u*" : "");
		for (i = 0; i < h.n; i++) {
			if (!prog_stat_get(h.fd[i], &s1[0]) && s1[0].cnt) {
				print_stat(mode_name[m], &s1[0], v->n);
				bpf_ns[m] += (double)s1[0].ns / v->n;
			}
			close(h.fd[i]);
		}
	}
	if (live_ok) {
		hex(live, 5, bytes);
		printf("    probe site in the running process: %s (%s)\n", bytes,
		       live[0] == 0xe8	 ? "a call: the kernel optimized the probe"
		       : live[0] == 0xcc ? "int3: a trapping probe"
					 : "neither int3 nor a call");
	}
	/*
	 * Both tracers run the same probe machinery as the empty pair, plus
	 * their programs' work: that extra BPF time over the empty pair's
	 * per-call cost is the ratio the programs alone account for, with
	 * none of the runs' noise.
	 */
	for (m = BENCHTRACE; m <= BPFTRACE; m++)
		if (bpf_ns[m] > 0 && bpf_ns[EMPTY] > 0 && v->per_call_ns[CPU][EMPTY] > 0)
			printf("    %s: %.0f ns of BPF per call (the empty pair: %.0f ns): "
			       "accounts for %.3fx the empty pair's %.0f ns\n",
			       mode_name[m], bpf_ns[m], bpf_ns[EMPTY],
			       1 + (bpf_ns[m] - bpf_ns[EMPTY]) / v->per_call_ns[CPU][EMPTY],
			       v->per_call_ns[CPU][EMPTY]);
}

static void bench_diagnostics(struct variant *vs, int nv)
{
	int fd, i;

	fd = bench_stats_begin();
	if (fd < 0)
		return;
	for (i = 0; i < nv; i++)
		if (vs[i].n)
			diag_variant(&vs[i]);
	close(fd);
}

/* ---- main ---- */

/* Per function, one line with everything the closing note of a change needs. */
static void summary_line(const struct variant *v)
{
	const double *c = v->per_call_ns[CPU];

	printf("  %s (%s): ", v->func, v->kind);
	if (!v->measured[EMPTY]) {
		printf("not measured\n");
		return;
	}
	printf("empty pair %.0f ns/call", c[EMPTY]);
	if (v->measured[BENCHTRACE])
		printf(", benchtrace %.0f ns/call (%.2fx)", c[BENCHTRACE],
		       v->ratio[CPU][BENCHTRACE]);
	else
		printf(", benchtrace not measured");
	if (v->measured[BPFTRACE])
		printf(", bpftrace %.0f ns/call (%.2fx)", c[BPFTRACE], v->ratio[CPU][BPFTRACE]);
	printf("\n");
}

/* bpftrace from $BPFTRACE or PATH, into the global; "" when there is none. */
static void find_bpftrace(void)
{
	const char *env = getenv("BPFTRACE"), *path = getenv("PATH");
	char dir[BT_PATH_MAX];
	const char *p, *end;

	bpftrace[0] = 0;
	if (env && *env) {
		if (!access(env, X_OK))
			snprintf(bpftrace, sizeof(bpftrace), "%s", env);
		return;
	}
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(dir, sizeof(dir), "%.*s/bpftrace", (int)(end - p), p);
		if (end > p && !access(dir, X_OK)) {
			snprintf(bpftrace, sizeof(bpftrace), "%s", dir);
			return;
		}
	}
}

int main(int argc, char **argv)
{
	struct variant vs[] = {
	    {.arg = "push", .func = "hot_fn"},
	    {.arg = "nop5", .func = "hot_fn_nop5"},
	};
	int nv = sizeof(vs) / sizeof(vs[0]), i, ret;
	__u64 t_start = bench_now_ns();
	char why[256], bytes[32];
	struct utsname un;

	if (bt_init(argc, argv))
		return 1;
	if (bt_bpf_check(why, sizeof(why))) {
		fprintf(stderr, "uprobe: cannot measure: %s\n", why);
		return 1;
	}
	bt_workload(hotcall, "hotcall");
	if (access(bt_benchtrace(), X_OK) || access(hotcall, X_OK)) {
		fprintf(stderr, "uprobe: %s or %s missing (run make first)\n", bt_benchtrace(),
			hotcall);
		return 1;
	}
	for (i = 0; i < nv; i++) {
		if (elf_func(hotcall, vs[i].func, &vs[i].offset, vs[i].insn, sizeof(vs[i].insn))) {
			fprintf(stderr, "uprobe: no function %s in %s\n", vs[i].func, hotcall);
			return 1;
		}
		vs[i].kind = insn_kind(vs[i].insn);
	}
	if (bt_tmp_init(&tmp)) {
		fprintf(stderr, "uprobe: cannot create a directory in /var/tmp: %s\n",
			strerror(errno));
		return 1;
	}
	skel = empty_probe_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "uprobe: cannot load the empty probe pair: %s\n", strerror(errno));
		bt_tmp_cleanup(&tmp);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	bench_setup(tmp.dir);
	find_bpftrace();
	uname(&un);

	printf("uprobe benchmark: Linux %s, %d CPUs, hotcall on ", un.release,
	       CPU_COUNT(&bench_all_cpus));
	if (bench_pin_cpu >= 0)
		printf("CPU %d only", bench_pin_cpu);
	else
		printf("any CPU");
	printf(", tracers on any CPU\n");
	for (i = 0; i < nv; i++) {
		hex(vs[i].insn, 8, bytes);
		printf("  %-12s at file offset 0x%lx: %s  -> %s\n", vs[i].func, vs[i].offset, bytes,
		       vs[i].kind);
	}
	if (bpftrace[0])
		printf("  bpftrace: %s\n", bpftrace);
	else
		printf("  bpftrace: not installed, not compared (Debian: apt-get install "
		       "bpftrace)\n");

	for (i = 0; i < nv; i++)
		bench_variant(&vs[i], i + 1);
	bench_diagnostics(vs, nv);

	printf("\n== summary (%.0f s) ==\n", (bench_now_ns() - t_start) / 1e9);
	bench_print_figures();
	for (i = 0; i < nv; i++)
		summary_line(&vs[i]);
	empty_probe_bpf__destroy(skel);
	bt_reap_strays();
	bt_tmp_cleanup(&tmp);
	ret = bench_conclude();
	return ret;
}
