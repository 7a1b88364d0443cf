// SPDX-License-Identifier: GPL-2.0
/*
 * soak_busy SECONDS
 *
 * A long-running program that keeps every part of benchtrace busy, for
 * `make soak` (tests/soak/soak.c): steps of about 10 ms wall time, each one
 * call of soak_step() (for --uprobe), which
 *   - burns 3 ms of CPU and sleeps the rest of the step (context switches,
 *     run-queue wait when the machine is loaded),
 *   - every 50th step maps, touches and unmaps 8 MiB (page faults, an RSS
 *     peak every half second),
 *   - every 100th step writes 256 KiB to an unlinked file in $TMPDIR
 *     (default /var/tmp) and fdatasyncs it (block I/O),
 *   - every 500th step forks a child that burns 20 ms and exits (process
 *     churn: benchtrace's process table must not grow).
 * Prints the number of steps at the end.  Exit status 0.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "report.h"

#define MiB	(1024 * 1024)
#define STEP_NS (10 * 1000000ull)

static int io_fd = -1;
static char io_buf[256 * 1024];

static void io_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/soak_busy.XXXXXX", dir && *dir ? dir : "/var/tmp");
	io_fd = mkstemp(path);
	if (io_fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	unlink(path);
	memset(io_buf, 'x', sizeof(io_buf));
}

static void touch_and_release(size_t len)
{
	size_t off, page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (off = 0; off < len; off += page)
		p[off] = 1;
	munmap(p, len);
}

static void write_some(void)
{
	/* Rewrite the same 256 KiB: real writes, but the file stays small. */
	if (pwrite(io_fd, io_buf, sizeof(io_buf), 0) != (ssize_t)sizeof(io_buf) ||
	    fdatasync(io_fd)) {
		perror("write");
		exit(1);
	}
}

static void fork_short_child(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid) {
		burn_cpu_ns(20 * 1000000ull);
		_exit(0);
	}
}

__attribute__((noinline)) void soak_step(unsigned long i)
{
	burn_cpu_ns(3 * 1000000ull);
	if (i % 50 == 0)
		touch_and_release(8 * MiB);
	if (i % 100 == 0)
		write_some();
	if (i % 500 == 0)
		fork_short_child();
	/* Reap what has exited; never block on a child. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int main(int argc, char **argv)
{
	unsigned long long start, end, next;
	unsigned long i;

	if (argc != 2 || atof(argv[1]) <= 0) {
		fprintf(stderr, "usage: soak_busy SECONDS\n");
		return 2;
	}
	io_open();
	start = ts_ns(CLOCK_MONOTONIC);
	end = start + (unsigned long long)(atof(argv[1]) * 1e9);
	next = start;
	for (i = 0; ts_ns(CLOCK_MONOTONIC) < end; i++) {
		unsigned long long now;

		soak_step(i);
		next += STEP_NS;
		now = ts_ns(CLOCK_MONOTONIC);
		if (next > now)
			sleep_ns(next - now);
		else
			next = now; /* behind (a loaded machine): do not catch up in a burst */
	}
	while (wait(NULL) > 0)
		;
	printf("%lu\n", i);
	return 0;
}
