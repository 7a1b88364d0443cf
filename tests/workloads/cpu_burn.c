// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_burn SECONDS [THREADS]
 *
 * Each of THREADS threads (default 1, the main thread included) spins until
 * it has used SECONDS of CPU time by its own CLOCK_THREAD_CPUTIME_ID, so the
 * process uses SECONDS * THREADS of CPU whatever else the machine is doing.
 * Tests compare the traced cpu_ns with the BT_REPORT utime_ns + stime_ns.
 */
#include <pthread.h>
#include "report.h"

static unsigned long long burn_ns;

static void *burner(void *arg)
{
	(void)arg;
	burn_cpu_ns(burn_ns);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[256];
	long i, nthreads = 1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: cpu_burn SECONDS [THREADS]\n");
		return 2;
	}
	burn_ns = arg_num(argv[1], "SECONDS") * 1e9;
	if (argc == 3)
		nthreads = arg_num(argv[2], "THREADS");
	if (nthreads < 1 || nthreads > 256) {
		fprintf(stderr, "THREADS must be 1..256\n");
		return 2;
	}
	for (i = 1; i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, burner, NULL)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	burner(NULL);
	for (i = 1; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	report_write(0, NULL);
	return 0;
}
