// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz.h"

static char dir[256];

/* The files of a run directory that fuzz_rundir() writes. */
static const char *const run_files[] = {
    "meta.json",     "samples.csv",	 "samples.csv.gz", "events.csv",   "events.csv.gz",
    "functions.csv", "functions.csv.gz", "calls.csv",	   "calls.csv.gz",
};
#define NRUN_FILES (sizeof(run_files) / sizeof(run_files[0]))

/* What the harnesses write besides: removed at exit too. */
static const char *const other_files[] = {"input", "trace.json", "report.html"};

static void cleanup(void)
{
	size_t i;

	if (!dir[0])
		return;
	for (i = 0; i < NRUN_FILES; i++)
		fuzz_unlink(run_files[i]);
	for (i = 0; i < sizeof(other_files) / sizeof(other_files[0]); i++)
		fuzz_unlink(other_files[i]);
	if (rmdir(dir))
		fprintf(stderr, "fuzz: cannot remove %s: %s\n", dir, strerror(errno));
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	/* tmpfs if there is one: thousands of small writes a second */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/bt-fuzz-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "fuzz: mkdtemp %s: %s\n", dir, strerror(errno));
		abort();
	}
	atexit(cleanup);
	return dir;
}

void fuzz_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", fuzz_dir(), name);
}

void fuzz_unlink(const char *name)
{
	char path[512];

	fuzz_path(path, sizeof(path), name);
	if (unlink(path) && errno != ENOENT) {
		fprintf(stderr, "fuzz: unlink %s: %s\n", path, strerror(errno));
		abort();
	}
}

static void write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			perror("fuzz: write");
			abort();
		}
		p += w;
		len -= (size_t)w;
	}
}

/* A complete gzip stream (header, deflate, trailer) of data. */
static void *gzip(const void *data, size_t len, size_t *outlen)
{
	z_stream z = {0};
	size_t cap = len + len / 8 + 64;
	unsigned char *out = malloc(cap);

	if (!out || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

void fuzz_write(const char *name, const void *data, size_t len, bool gz)
{
	char path[512];
	void *packed = NULL;
	int fd;

	if (gz) {
		packed = gzip(data, len, &len);
		data = packed;
	}
	fuzz_path(path, sizeof(path), name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "fuzz: open %s: %s\n", path, strerror(errno));
		abort();
	}
	write_all(fd, data, len);
	close(fd);
	free(packed);
}

char *fuzz_str(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

static bool is_gz(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && !strcmp(name + n - 3, ".gz");
}

const char *fuzz_rundir(const uint8_t *data, size_t len)
{
	const char *p = (const char *)data, *end = p + len;
	size_t i;

	for (i = 0; i < NRUN_FILES; i++)
		fuzz_unlink(run_files[i]);
	/* Text before the first section is ignored. */
	while (p < end) {
		const char *hdr = NULL, *nl, *body, *next;
		char name[32];
		size_t nlen;

		if (end - p >= 3 && !memcmp(p, "@@ ", 3))
			hdr = p;
		else if ((next = memmem(p, (size_t)(end - p), "\n@@ ", 4)))
			hdr = next + 1;
		if (!hdr)
			break;
		nl = memchr(hdr, '\n', (size_t)(end - hdr));
		if (!nl)
			break;
		body = nl + 1;
		next = memmem(body, (size_t)(end - body), "\n@@ ", 4);
		nlen = (size_t)(nl - (hdr + 3));
		p = next ? next + 1 : end;
		if (nlen >= sizeof(name))
			continue;
		memcpy(name, hdr + 3, nlen);
		name[nlen] = '\0';
		for (i = 0; i < NRUN_FILES; i++)
			if (!strcmp(name, run_files[i]))
				break;
		if (i < NRUN_FILES)
			fuzz_write(name, body, (size_t)((next ? next + 1 : end) - body),
				   is_gz(name));
	}
	return fuzz_dir();
}
