// SPDX-License-Identifier: GPL-2.0
/*
 * io_rw PATH MB
 *
 * Writes MB MiB to PATH through the page cache and fsyncs it, drops the
 * file's cached pages (posix_fadvise DONTNEED), reads the whole file back
 * with O_DIRECT so every byte comes from the device, and unlinks PATH.
 * PATH must be on a real block device (not tmpfs, which has no O_DIRECT and
 * no storage I/O).  /proc/self/io then shows ~MB MiB written and ~MB MiB
 * read; tests compare the traced write_bytes/read_bytes with it.
 */
#include <sys/stat.h>
#include "report.h"

#define CHUNK (1024 * 1024)

int main(int argc, char **argv)
{
	size_t total, done;
	char *buf;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: io_rw PATH MB\n");
		return 2;
	}
	total = (size_t)arg_num(argv[2], "MB") * CHUNK;
	/* O_DIRECT wants the buffer, offset and length aligned to the block size. */
	if (posix_memalign((void **)&buf, 4096, CHUNK)) {
		fprintf(stderr, "posix_memalign failed\n");
		return 1;
	}
	memset(buf, 'x', CHUNK);

	fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "io_rw: cannot create %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (done = 0; done < total; done += n) {
		n = write(fd, buf, CHUNK);
		if (n <= 0) {
			perror("write");
			return 1;
		}
	}
	if (fsync(fd)) {
		perror("fsync");
		return 1;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);

	fd = open(argv[1], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "io_rw: cannot open %s with O_DIRECT: %s\n", argv[1],
			strerror(errno));
		unlink(argv[1]);
		return 1;
	}
	for (done = 0; done < total; done += n) {
		n = read(fd, buf, CHUNK);
		if (n <= 0) {
			perror("read");
			return 1;
		}
	}
	close(fd);
	unlink(argv[1]);
	free(buf);
	report_write(0, NULL);
	return 0;
}
