// SPDX-License-Identifier: GPL-2.0
/*
 * What the benchmarks in tests/bench/ share: figures with targets and a
 * verdict, child processes pinned to one CPU with their output in files,
 * medians, and the BPF programs a process holds with their run-time stats.
 * Messages name the benchmark (program_invocation_short_name).
 */
#ifndef BT_BENCH_H
#define BT_BENCH_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <linux/types.h>

#include "testutil.h"

#define BENCH_NSEC 1000000000ULL
#define BENCH_MSEC 1000000ULL

__u64 bench_now_ns(void);
/* snprintf into a BT_PATH_MAX buffer; truncation is a setup error (exits). */
__attribute__((format(printf, 2, 3))) char *bench_pathf(char *buf, const char *fmt, ...);

/*
 * ---- figures: each with its target, printed with PASS / OVER TARGET ----
 * A figure with the target "-" is for information: it has no verdict.
 */

__attribute__((format(printf, 4, 5))) void
bench_figure_add(const char *name, bool over, const char *target, const char *fmt, ...);
/* A figure that could not be measured: the summary says so, the exit code is 1. */
void bench_figure_missing(const char *name, const char *target);
const char *bench_verdict(bool over);
/* The summary table of all figures. */
void bench_print_figures(void);
/* The closing line ("NAME: all N figures within target"...); the exit code (1 if unmeasured). */
int bench_conclude(void);

/* ---- processes ---- */

/*
 * Where bench_spawn() puts its children's output (a directory of ours),
 * and the CPU the workloads run on (-1: any), with the set of all CPUs:
 * on a machine with 2 or more, the last one.
 */
void bench_setup(const char *dir);
extern int bench_pin_cpu;
extern cpu_set_t bench_all_cpus;

struct bench_child {
	pid_t pid;
	int pidfd;
	__u64 fork_ns; /* CLOCK_MONOTONIC just before fork() */
	char out[BT_PATH_MAX], err[BT_PATH_MAX];
};

struct bench_ended {
	int status; /* as the shell's $?; -1 when we had to kill it */
	struct rusage ru;
};

/*
 * Start argv[0] in its own process group, stdin /dev/null, stdout and
 * stderr into files of the bench_setup() directory (so nothing needs
 * draining while we wait); on CPU @cpu only, unless it is -1.
 */
int bench_spawn(struct bench_child *c, const char *const argv[], int cpu);
/* Wait for @c to exit, killing its process group after @timeout_s. */
void bench_reap(struct bench_child *c, double timeout_s, struct bench_ended *e);
void bench_stop(struct bench_child *c);
/* Show what a process that failed us said on stderr. */
void bench_show_stderr(const struct bench_child *c, const char *what, int status);
/*
 * A tracer started on bench_pin_cpu only, so that the command it forks is
 * pinned there: once that child exists, let the tracer run anywhere.
 */
int bench_release_tracer(pid_t tracer);

/* Read a small file whole; 0 or -errno. */
int bench_slurp(const char *path, char *buf, size_t len);
/* The last line of the file that is a plain decimal number. */
int bench_last_number(const char *path, __u64 *v);
/* A new path for a run directory (not created) in the bench_setup() directory. */
char *bench_next_run_dir(char *buf);
void bench_rm_tree(const char *dir);

/* ---- statistics ---- */

double bench_median(const double *v, int n);
/*
 * A 95% confidence interval of the median of what v[] samples, from the
 * order statistics alone (no assumption about the distribution): the
 * k-th smallest and k-th largest, k the largest with 2 P(Bin(n, 1/2) < k)
 * <= 5%.  With fewer than 6 values, the smallest and largest.
 */
void bench_median_ci(const double *v, int n, double *lo, double *hi);
double bench_minimum(const double *v, int n);
double bench_maximum(const double *v, int n);

/* ---- BPF programs ---- */

/* The full function name from the program's BTF (info.name stops at 15 chars). */
struct bpf_prog_info;
void bench_prog_name(int fd, const struct bpf_prog_info *info, char *buf, size_t len);
/*
 * Print the diagnostics heading and turn BPF run-time statistics on (they
 * stay on while the returned fd is open); -1, with a line saying so, when
 * the kernel will not.
 */
int bench_stats_begin(void);

#endif /* BT_BENCH_H */
