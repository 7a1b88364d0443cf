// SPDX-License-Identifier: GPL-2.0
/*
 * markers ITERS THREADS
 *
 * Uses every mark of include/benchtrace.h.  Each of THREADS threads runs
 * ITERS iterations of the loop "train": step "load" sleeps 2 ms, step
 * "compute" burns 1 ms of CPU; inside "compute", a span "inner" around
 * nothing.  Then the main thread wraps a 5 ms sleep in the span "save".
 * Reports each step's own total (CLOCK_MONOTONIC) as load_ns and
 * compute_ns, summed over threads.
 */
#include <pthread.h>
#include "benchtrace.h"
#include "report.h"

static unsigned long iters;
static unsigned long long load_ns, compute_ns;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *loop(void *arg)
{
	unsigned long long t0, t1, t2, load = 0, compute = 0;
	unsigned long i;

	(void)arg;
	for (i = 0; i < iters; i++) {
		BT_ITER_BEGIN("train");
		t0 = ts_ns(CLOCK_MONOTONIC);
		BT_STEP("train", "load");
		sleep_ns(2000000);
		t1 = ts_ns(CLOCK_MONOTONIC);
		BT_STEP("train", "compute");
		burn_cpu_ns(1000000);
		BT_SPAN_BEGIN("inner");
		BT_SPAN_END("inner");
		t2 = ts_ns(CLOCK_MONOTONIC);
		BT_ITER_END("train");
		load += t1 - t0;
		compute += t2 - t1;
	}
	pthread_mutex_lock(&lock);
	load_ns += load;
	compute_ns += compute;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th[16];
	char extra[128];
	long i, n;

	if (argc != 3) {
		fprintf(stderr, "usage: markers ITERS THREADS\n");
		return 2;
	}
	iters = arg_num(argv[1], "ITERS");
	n = arg_num(argv[2], "THREADS");
	if (n < 1 || n > 16) {
		fprintf(stderr, "THREADS must be 1..16\n");
		return 2;
	}
	for (i = 1; i < n; i++)
		pthread_create(&th[i], NULL, loop, NULL);
	loop(NULL);
	for (i = 1; i < n; i++)
		pthread_join(th[i], NULL);
	BT_SPAN_BEGIN("save");
	sleep_ns(5000000);
	BT_SPAN_END("save");
	snprintf(extra, sizeof(extra), "load_ns %llu\ncompute_ns %llu\n", load_ns, compute_ns);
	report_write(0, extra);
	return 0;
}
