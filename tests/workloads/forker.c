// SPDX-License-Identifier: GPL-2.0
/*
 * forker N
 *
 * Forks N children one after another; child i burns ~20 ms of CPU and exits
 * with code i % 7.  The parent waits for all of them and reports their pids
 * (`child_pid P`, in order i = 0..N-1) and RUSAGE_CHILDREN.  Each child
 * lives far shorter than a 1 s interval: tests check that every child still
 * gets its own samples.csv rows and its exit event with the right code.
 */
#include <sys/wait.h>
#include "report.h"

int main(int argc, char **argv)
{
	char extra[8192];
	size_t n = 0;
	long i, nchild;
	pid_t pid;
	int status;

	if (argc != 2) {
		fprintf(stderr, "usage: forker N\n");
		return 2;
	}
	nchild = arg_num(argv[1], "N");
	if (nchild > 200) {
		fprintf(stderr, "N must be at most 200\n");
		return 2;
	}
	for (i = 0; i < nchild; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			burn_cpu_ns(20 * 1000000ull);
			_exit(i % 7);
		}
		n += snprintf(extra + n, sizeof(extra) - n, "child_pid %d\n", (int)pid);
	}
	for (i = 0; i < nchild; i++) {
		if (wait(&status) < 0) {
			perror("wait");
			return 1;
		}
	}
	report_write(1, extra);
	return 0;
}
