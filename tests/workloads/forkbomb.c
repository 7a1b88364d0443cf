// SPDX-License-Identifier: GPL-2.0
/*
 * forkbomb N CONCURRENT HOLD_MS
 *
 * Forks N children in all, keeping up to CONCURRENT of them alive at once:
 * child i sleeps HOLD_MS ms and exits with code i % 7.  Too many children
 * for a report line each, so it reports what identifies them as a set:
 * `children N`, `child_pid_sum`, `child_pid_sumsq` (of their squares) and
 * `max_alive` (how many were alive together at most).
 */
#include <sys/wait.h>
#include "report.h"

int main(int argc, char **argv)
{
	unsigned long long sum = 0, sumsq = 0, hold_ns;
	long i, n, conc, alive = 0, max_alive = 0;
	char extra[256];
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: forkbomb N CONCURRENT HOLD_MS\n");
		return 2;
	}
	n = arg_num(argv[1], "N");
	conc = arg_num(argv[2], "CONCURRENT");
	hold_ns = arg_num(argv[3], "HOLD_MS") * 1e6;
	if (conc < 1) {
		fprintf(stderr, "CONCURRENT must be at least 1\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (alive == conc) {
			if (wait(NULL) < 0) {
				perror("wait");
				return 1;
			}
			alive--;
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			if (hold_ns)
				sleep_ns(hold_ns);
			_exit(i % 7);
		}
		sum += pid;
		sumsq += (unsigned long long)pid * pid;
		if (++alive > max_alive)
			max_alive = alive;
	}
	while (alive > 0) {
		if (wait(NULL) < 0) {
			perror("wait");
			return 1;
		}
		alive--;
	}
	snprintf(extra, sizeof(extra),
		 "children %ld\nchild_pid_sum %llu\nchild_pid_sumsq %llu\nmax_alive %ld\n", n, sum,
		 sumsq, max_alive);
	report_write(0, extra);
	return 0;
}
