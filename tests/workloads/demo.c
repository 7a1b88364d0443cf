// SPDX-License-Identifier: GPL-2.0
/*
 * demo
 *
 * About two seconds of the things benchtrace shows, one after another, each
 * announced on stdout:
 *   1. a CPU burst (0.5 s),
 *   2. a memory spike (256 MiB touched, held 200 ms, released),
 *   3. file I/O: 32 MiB written and fsynced to an unlinked temporary file in
 *      $TMPDIR (default /var/tmp), dropped from the cache and read back,
 *   4. a forked child that burns 0.3 s of CPU while the parent sleeps.
 * Short pauses between the phases keep them apart on a plot.  Each phase is
 * a function of its own (demo_*), for `--uprobe 'demo_*'`.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "report.h"

#define MiB (1024 * 1024)

static void pause_between(void)
{
	sleep_ns(150 * 1000000ull);
}

__attribute__((noinline)) void demo_memory_spike(size_t len)
{
	size_t off, page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (off = 0; off < len; off += page)
		p[off] = 1;
	sleep_ns(200 * 1000000ull);
	munmap(p, len);
}

__attribute__((noinline)) void demo_file_io(size_t len)
{
	const char *dir = getenv("TMPDIR");
	static char buf[MiB];
	char path[4096];
	size_t done;
	int fd;

	snprintf(path, sizeof(path), "%s/benchtrace-demo-XXXXXX", dir && *dir ? dir : "/var/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "demo: cannot create a file in %s: %s\n", path, strerror(errno));
		exit(1);
	}
	unlink(path);
	memset(buf, 'd', sizeof(buf));
	for (done = 0; done < len; done += sizeof(buf)) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("write");
			exit(1);
		}
	}
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	lseek(fd, 0, SEEK_SET);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

__attribute__((noinline)) void demo_cpu_burst(unsigned long long ns)
{
	burn_cpu_ns(ns);
}

__attribute__((noinline)) void demo_child(unsigned long long ns)
{
	burn_cpu_ns(ns);
}

int main(void)
{
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("demo: CPU burst, 0.5 s\n");
	demo_cpu_burst(500 * 1000000ull);
	pause_between();

	printf("demo: memory spike, 256 MiB for 200 ms\n");
	demo_memory_spike(256 * MiB);
	pause_between();

	printf("demo: file I/O, 32 MiB written, fsynced and read back\n");
	demo_file_io(32 * MiB);
	pause_between();

	printf("demo: forked child burns 0.3 s of CPU\n");
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		demo_child(300 * 1000000ull);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	printf("demo: done\n");
	report_write(1, NULL);
	return 0;
}
