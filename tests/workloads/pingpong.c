// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong ITER
 *
 * Two threads pass one byte back and forth over two pipes, ITER round
 * trips, and print the elapsed wall time in nanoseconds on stdout.  Every
 * round trip is two wake-ups and two context switches: the benchmark uses
 * it to measure what tracing scheduler events costs.
 */
#include <pthread.h>
#include "report.h"

static int ping[2], pong[2];
static long iter;

static void *responder(void *arg)
{
	char c;
	long i;

	(void)arg;
	for (i = 0; i < iter; i++) {
		if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) {
			perror("responder");
			exit(1);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long t0, elapsed;
	char c = 'x', extra[64];
	pthread_t tid;
	long i;

	if (argc != 2) {
		fprintf(stderr, "usage: pingpong ITER\n");
		return 2;
	}
	iter = arg_num(argv[1], "ITER");
	if (pipe(ping) || pipe(pong)) {
		perror("pipe");
		return 1;
	}
	if (pthread_create(&tid, NULL, responder, NULL)) {
		fprintf(stderr, "pthread_create failed\n");
		return 1;
	}
	t0 = ts_ns(CLOCK_MONOTONIC);
	for (i = 0; i < iter; i++) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			perror("pingpong");
			return 1;
		}
	}
	elapsed = ts_ns(CLOCK_MONOTONIC) - t0;
	pthread_join(tid, NULL);
	printf("%llu\n", elapsed);
	fflush(stdout);
	snprintf(extra, sizeof(extra), "elapsed_ns %llu\n", elapsed);
	report_write(0, extra);
	return 0;
}
