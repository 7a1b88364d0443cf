// SPDX-License-Identifier: GPL-2.0
/*
 * ctxsw ITER
 *
 * Makes both kinds of context switch in numbers worth comparing:
 *  - voluntary: the main thread sleeps 100 us, ITER times;
 *  - involuntary: meanwhile two CPU-bound threads are pinned to each CPU the
 *    process may use, so the scheduler keeps preempting one for the other
 *    (and for the waking main thread).  They spin until the main thread is
 *    done, and for at least 50 ms of CPU each.
 * Tests compare vol_cs/invol_cs with the BT_REPORT nvcsw/nivcsw.
 */
#include <pthread.h>
#include <sched.h>
#include "report.h"

#define MAX_SPINNERS 512

static volatile int done;

static void *spinner(void *arg)
{
	unsigned long long min_end = ts_ns(CLOCK_THREAD_CPUTIME_ID) + 50 * 1000000ull;

	(void)arg;
	while (!done || ts_ns(CLOCK_THREAD_CPUTIME_ID) < min_end)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[MAX_SPINNERS];
	int cpu, i, n = 0;
	long iter, k;
	cpu_set_t allowed, one;
	pthread_attr_t attr;

	if (argc != 2) {
		fprintf(stderr, "usage: ctxsw ITER\n");
		return 2;
	}
	iter = arg_num(argv[1], "ITER");
	if (sched_getaffinity(0, sizeof(allowed), &allowed)) {
		perror("sched_getaffinity");
		return 1;
	}
	for (cpu = 0; cpu < CPU_SETSIZE && n + 2 <= MAX_SPINNERS; cpu++) {
		if (!CPU_ISSET(cpu, &allowed))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
		for (i = 0; i < 2; i++) {
			if (pthread_create(&tids[n++], &attr, spinner, NULL)) {
				fprintf(stderr, "pthread_create failed\n");
				return 1;
			}
		}
		pthread_attr_destroy(&attr);
	}
	for (k = 0; k < iter; k++)
		sleep_ns(100000);
	done = 1;
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	report_write(0, NULL);
	return 0;
}
