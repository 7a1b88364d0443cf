// SPDX-License-Identifier: GPL-2.0
/*
 * calls MODE ARGS...: functions for --uprobe tests, each non-inlined and
 * with a plain name.  What the program itself measured goes to BT_REPORT.
 *
 *   fib N              naive recursive fib(N): fib(20) is 21891 calls, 19 deep
 *   threads T N        T threads (main included) each call work_item() N times
 *   burn MS [COUNT]    COUNT calls (default 1) of burn_cpu(), which uses MS ms
 *                      of CPU (thread CPU clock)
 *   sleep MS [COUNT]   COUNT calls of sleep_in(), which sleeps MS ms
 *   busy MS COUNT      COUNT calls of busy_wait(), which spins MS ms of wall
 *                      time without a system call
 *   touch MB           touch_mem() maps and writes MB MiB, keeps them mapped
 *   jump N             N calls of jump_out() leave by longjmp(); then one
 *                      call of leaf() that returns normally
 *   nested N           outer() calls inner() N times; inner() maps, touches and
 *                      unmaps 1 MiB; reports `rss_before_bytes` (VmRSS before)
 *   exec PATH ARGS     call leaf() once, then exec PATH (the test checks calls
 *                      after exec are still seen)
 *   crossthread MB     wait_for_allocator() waits while another thread maps,
 *                      touches and unmaps MB MiB; reports `rss_before_bytes`
 *   spin S             call work_item() every 100 us for S seconds (for -p);
 *                      reports `calls N`
 *   fork N             N children, each calls leaf() once and exits
 *   flood S T [GO]     T threads (0: one per online CPU) call work_item() as
 *                      fast as they can for S seconds; with GO, a file whose
 *                      appearance starts them (so tracers can attach first).
 *                      Every 256 calls a thread reads the clock: reports
 *                      `calls N`, `max_gap_ns` (the longest time a thread
 *                      went without making progress) and `max_gap_at_ns`
 *                      (when that began, since the start); and for the
 *                      first 8 gaps over 50 ms of each thread,
 *                      `long_gap_at_ns` and `long_gap_ns` lines
 *
 * Each timed call's own figures (thread CPU ns around the call) are reported
 * as `call_cpu_ns` lines for burn and sleep.
 */
#include <pthread.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "report.h"

#define NOINLINE __attribute__((noinline))

static volatile unsigned long long sink;

static void usage(void);

NOINLINE unsigned long fib(unsigned int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/*
 * Starts with push %rbx (a callee-saved register it uses): the kernel
 * emulates a push at a uprobe instead of single-stepping it, so 400000
 * calls stay quick.
 */
NOINLINE void work_item(unsigned long i)
{
#ifdef __x86_64__
	register unsigned long x __asm__("rbx") = i;

	__asm__ volatile("" : "+r"(x));
	sink += x;
#else
	sink += i;
#endif
}

NOINLINE void burn_cpu(unsigned long long ns)
{
	burn_cpu_ns(ns);
}

/*
 * Spin for ns of wall time by the vDSO's CLOCK_MONOTONIC: no system call,
 * so nothing brings the scheduler's runtime of this thread up to date
 * (CLOCK_THREAD_CPUTIME_ID would: burn_cpu() cannot test that).
 */
NOINLINE void busy_wait(unsigned long long ns)
{
	unsigned long long end = ts_ns(CLOCK_MONOTONIC) + ns;

	while (ts_ns(CLOCK_MONOTONIC) < end)
		;
}

NOINLINE void sleep_in(unsigned long long ns)
{
	sleep_ns(ns);
}

NOINLINE void *touch_mem(size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (p == MAP_FAILED)
		return NULL;
	for (i = 0; i < bytes; i += 4096)
		p[i] = 1;
	return p;
}

static jmp_buf jb;

NOINLINE void jump_out(int i)
{
	sink += i;
	longjmp(jb, 1);
}

NOINLINE void leaf(void)
{
	sink++;
}

NOINLINE void inner(void)
{
	size_t sz = 1 << 20, i;
	char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (i = 0; i < sz; i += 4096)
		p[i] = 1;
	munmap(p, sz);
}

NOINLINE void outer(long n)
{
	long i;

	for (i = 0; i < n; i++)
		inner();
}

static void jumps(long n)
{
	volatile long i;

	for (i = 0; i < n; i++)
		if (!setjmp(jb))
			jump_out(i);
	leaf();
}

static size_t alloc_bytes;

static void *allocator(void *arg)
{
	(void)arg;
	munmap(touch_mem(alloc_bytes), alloc_bytes);
	return NULL;
}

/* Another thread makes the RSS peak while this call waits for it. */
NOINLINE void wait_for_allocator(void)
{
	pthread_t t;

	if (!pthread_create(&t, NULL, allocator, NULL))
		pthread_join(t, NULL);
}

static long per_thread;

static void *worker(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < per_thread; i++)
		work_item(i);
	return NULL;
}

static unsigned long long flood_end;

static unsigned long long flood_start;

struct flooder {
	pthread_t tid;
	unsigned long long calls, max_gap_ns, max_gap_at;
	unsigned long long long_at[8], long_ns[8]; /* the first gaps over 50 ms */
	int nlong;
};

static void *flood_thread(void *arg)
{
	struct flooder *f = arg;
	unsigned long long last = ts_ns(CLOCK_MONOTONIC), now, n = 0;
	int i;

	for (;;) {
		for (i = 0; i < 256; i++)
			work_item(n++);
		now = ts_ns(CLOCK_MONOTONIC);
		if (now - last > f->max_gap_ns) {
			f->max_gap_ns = now - last;
			f->max_gap_at = last - flood_start;
		}
		if (now - last > 50000000 && f->nlong < 8) {
			f->long_at[f->nlong] = last - flood_start;
			f->long_ns[f->nlong++] = now - last;
		}
		last = now;
		if (now >= flood_end)
			break;
	}
	f->calls = n;
	return NULL;
}

static int flood(double secs, long nthreads, const char *go, char *extra, size_t len)
{
	struct flooder f[64] = {};
	unsigned long long calls = 0, gap = 0, gap_at = 0, t0 = ts_ns(CLOCK_MONOTONIC);
	size_t n;
	long i;
	int j;

	if (nthreads == 0)
		nthreads = sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1 || nthreads > 64)
		usage();
	while (go && access(go, F_OK)) {
		if (ts_ns(CLOCK_MONOTONIC) - t0 > 120e9) {
			fprintf(stderr, "calls flood: %s did not appear in 120 s\n", go);
			return 3;
		}
		sleep_ns(10000000); /* 10 ms: next to no CPU before the go */
	}
	flood_start = ts_ns(CLOCK_MONOTONIC);
	flood_end = flood_start + secs * 1e9;
	for (i = 1; i < nthreads; i++)
		if (pthread_create(&f[i].tid, NULL, flood_thread, &f[i]))
			return 1;
	flood_thread(&f[0]);
	for (i = 0; i < nthreads; i++) {
		if (i)
			pthread_join(f[i].tid, NULL);
		calls += f[i].calls;
		if (f[i].max_gap_ns > gap) {
			gap = f[i].max_gap_ns;
			gap_at = f[i].max_gap_at;
		}
	}
	n = snprintf(extra, len, "calls %llu\nmax_gap_ns %llu\nmax_gap_at_ns %llu\nthreads %ld\n",
		     calls, gap, gap_at, nthreads);
	for (i = 0; i < nthreads; i++)
		for (j = 0; j < f[i].nlong && n < len; j++)
			n += snprintf(extra + n, len - n, "long_gap_at_ns %llu\nlong_gap_ns %llu\n",
				      f[i].long_at[j], f[i].long_ns[j]);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: calls fib N | threads T N | burn MS | sleep MS | touch MB | "
			"jump N | nested N | spin S | fork N | flood S T [GO] | exec PATH [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	char extra[2048] = "";
	unsigned long long t0;
	pthread_t tids[64];
	long i, n;

	if (argc < 3)
		usage();
	if (!strcmp(argv[1], "fib")) {
		snprintf(extra, sizeof(extra), "fib %lu\n", fib(arg_num(argv[2], "N")));
	} else if (!strcmp(argv[1], "threads") && argc == 4) {
		n = arg_num(argv[2], "T");
		per_thread = arg_num(argv[3], "N");
		if (n < 1 || n > 64)
			usage();
		for (i = 1; i < n; i++)
			if (pthread_create(&tids[i], NULL, worker, NULL))
				return 1;
		worker(NULL);
		for (i = 1; i < n; i++)
			pthread_join(tids[i], NULL);
	} else if (!strcmp(argv[1], "busy")) {
		unsigned long long ns = arg_num(argv[2], "MS") * 1e6;

		n = argc > 3 ? arg_num(argv[3], "COUNT") : 1;
		t0 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
		for (i = 0; i < n; i++)
			busy_wait(ns);
		snprintf(extra, sizeof(extra), "call_cpu_ns %llu\n",
			 ts_ns(CLOCK_THREAD_CPUTIME_ID) - t0);
	} else if (!strcmp(argv[1], "burn") || !strcmp(argv[1], "sleep")) {
		unsigned long long ns = arg_num(argv[2], "MS") * 1e6;

		n = argc > 3 ? arg_num(argv[3], "COUNT") : 1;
		t0 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
		for (i = 0; i < n; i++) {
			if (argv[1][0] == 'b')
				burn_cpu(ns);
			else
				sleep_in(ns);
		}
		snprintf(extra, sizeof(extra), "call_cpu_ns %llu\n",
			 ts_ns(CLOCK_THREAD_CPUTIME_ID) - t0);
	} else if (!strcmp(argv[1], "touch")) {
		if (!touch_mem((size_t)arg_num(argv[2], "MB") << 20))
			return 1;
	} else if (!strcmp(argv[1], "jump")) {
		jumps(arg_num(argv[2], "N"));
	} else if (!strcmp(argv[1], "nested")) {
		snprintf(extra, sizeof(extra), "rss_before_bytes %llu\n",
			 proc_field("/proc/self/status", "VmRSS:") * 1024ull);
		outer(arg_num(argv[2], "N"));
	} else if (!strcmp(argv[1], "crossthread")) {
		alloc_bytes = (size_t)arg_num(argv[2], "MB") << 20;
		snprintf(extra, sizeof(extra), "rss_before_bytes %llu\n",
			 proc_field("/proc/self/status", "VmRSS:") * 1024ull);
		wait_for_allocator();
	} else if (!strcmp(argv[1], "spin")) {
		unsigned long long end = ts_ns(CLOCK_MONOTONIC) + arg_num(argv[2], "S") * 1e9;

		for (n = 0; ts_ns(CLOCK_MONOTONIC) < end; n++) {
			work_item(n);
			sleep_ns(100000);
		}
		snprintf(extra, sizeof(extra), "calls %ld\n", n);
	} else if (!strcmp(argv[1], "fork")) {
		n = arg_num(argv[2], "N");
		for (i = 0; i < n; i++) {
			pid_t pid = fork();

			if (pid == 0) {
				leaf();
				_exit(0);
			}
			if (pid < 0)
				return 1;
			waitpid(pid, NULL, 0);
		}
	} else if (!strcmp(argv[1], "flood") && (argc == 4 || argc == 5)) {
		int ret = flood(arg_num(argv[2], "S"), arg_num(argv[3], "T"),
				argc == 5 ? argv[4] : NULL, extra, sizeof(extra));

		if (ret)
			return ret;
	} else if (!strcmp(argv[1], "exec")) {
		leaf();
		execv(argv[2], &argv[2]);
		perror("execv");
		return 127;
	} else {
		usage();
	}
	report_write(0, extra);
	return 0;
}
