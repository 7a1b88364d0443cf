// SPDX-License-Identifier: GPL-2.0
/*
 * rusage_of CMD [ARG...]
 *
 * Runs CMD (PATH searched), waits for it and reports RUSAGE_CHILDREN: the
 * kernel's accounting of CMD and every descendant it waited for.  Lets
 * the tests hold benchtrace's totals against the kernel's for programs
 * nobody here wrote (stress-ng).  Exits with CMD's status.
 */
#include <sys/wait.h>
#include "report.h"

int main(int argc, char **argv)
{
	char extra[64];
	pid_t pid;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: rusage_of CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	snprintf(extra, sizeof(extra), "child_pid %d\n", (int)pid);
	report_write(1, extra);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
