// SPDX-License-Identifier: GPL-2.0
/*
 * faulter MB ROUNDS [FILE]
 *
 * ROUNDS times: map MB MiB of anonymous memory (huge pages off), write every
 * page, unmap: MB*256*ROUNDS minor faults with 4 KiB pages.  Prints the
 * elapsed wall time of those rounds in nanoseconds on stdout (the benchmark
 * uses it to measure what tracing page faults costs).
 *
 * With FILE (on a real disk, not tmpfs), then also makes major faults:
 * writes MB MiB to FILE, fsyncs, drops it from the page cache, maps it with
 * MADV_RANDOM (no readahead) and reads one byte per page, so each page is a
 * major fault; FILE is unlinked.  This phase is not in the printed time.
 */
#include <sys/mman.h>
#include "report.h"

static int major_faults(const char *path, size_t len, size_t page)
{
	static char buf[1 << 20];
	volatile char sink = 0;
	size_t off, chunk;
	char *p;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "faulter: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(buf, 'f', sizeof(buf));
	for (off = 0; off < len; off += chunk) {
		chunk = len - off < sizeof(buf) ? len - off : sizeof(buf);
		if (write(fd, buf, chunk) != (ssize_t)chunk) {
			perror("write");
			goto fail;
		}
	}
	if (fsync(fd)) {
		perror("fsync");
		goto fail;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		goto fail;
	}
	madvise(p, len, MADV_RANDOM);
	for (off = 0; off < len; off += page)
		sink += p[off];
	munmap(p, len);
	close(fd);
	unlink(path);
	return 0;
fail:
	close(fd);
	unlink(path);
	return -1;
}

int main(int argc, char **argv)
{
	size_t len, off, page = sysconf(_SC_PAGESIZE);
	unsigned long long t0, elapsed;
	long r, rounds;
	char extra[64];
	char *p;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: faulter MB ROUNDS [FILE]\n");
		return 2;
	}
	len = (size_t)(arg_num(argv[1], "MB") * 1024 * 1024);
	rounds = arg_num(argv[2], "ROUNDS");

	t0 = ts_ns(CLOCK_MONOTONIC);
	for (r = 0; r < rounds; r++) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		madvise(p, len, MADV_NOHUGEPAGE);
		for (off = 0; off < len; off += page)
			p[off] = 1;
		munmap(p, len);
	}
	elapsed = ts_ns(CLOCK_MONOTONIC) - t0;
	printf("%llu\n", elapsed);
	fflush(stdout);

	if (argc == 4 && major_faults(argv[3], len, page))
		return 1;
	snprintf(extra, sizeof(extra), "elapsed_ns %llu\n", elapsed);
	report_write(0, extra);
	return 0;
}
