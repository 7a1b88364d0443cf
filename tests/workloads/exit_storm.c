// SPDX-License-Identifier: GPL-2.0
/*
 * exit_storm N MB
 *
 * Forks N children; each touches MB MiB of its own memory (0 for none),
 * burns ~1 ms of CPU and blocks reading a pipe.  When all are up, the
 * parent closes the pipe, so all N exit at once and tear down their memory
 * together; it waits for them and reports RUSAGE_CHILDREN and their pids.
 * With N = 1 and a large MB it is a big exit: most of the child's system
 * time is the teardown that runs after its exit began.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "report.h"

int main(int argc, char **argv)
{
	static char extra[16384];
	long i, nchild, mb;
	size_t n = 0, len, off;
	int fds[2], up[2];
	char *mem, c;
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: exit_storm N MB\n");
		return 2;
	}
	nchild = arg_num(argv[1], "N");
	mb = arg_num(argv[2], "MB");
	if (nchild < 1 || nchild > 2000) {
		fprintf(stderr, "N must be 1..2000\n");
		return 2;
	}
	if (pipe(fds) || pipe(up)) {
		perror("pipe");
		return 1;
	}
	for (i = 0; i < nchild; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			close(fds[1]);
			len = (size_t)mb << 20;
			if (len) {
				mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (mem == MAP_FAILED)
					_exit(1);
				for (off = 0; off < len; off += 4096)
					mem[off] = 1;
			}
			burn_cpu_ns(1000000ull);
			if (write(up[1], "u", 1) != 1)
				_exit(1);
			/* EOF when the parent closes its end: everyone exits */
			while (read(fds[0], &c, 1) > 0)
				;
			_exit(0);
		}
		if (n < sizeof(extra) - 32)
			n += snprintf(extra + n, sizeof(extra) - n, "child_pid %d\n", (int)pid);
	}
	close(fds[0]);
	for (i = 0; i < nchild; i++)
		if (read(up[0], &c, 1) != 1) {
			perror("read");
			return 1;
		}
	close(fds[1]);
	while (wait(NULL) > 0)
		;
	report_write(1, extra);
	return 0;
}
