// SPDX-License-Identifier: GPL-2.0
/*
 * Shared by the workload programs (header only: workloads are built one .c
 * each, with no project code, so they stand for "any program").
 *
 * report_write() records the process's own kernel accounting so the
 * integration tests can compare benchtrace's figures with it.  When the
 * environment variable BT_REPORT names a file, it writes `key value` lines:
 *
 *   pid, utime_ns, stime_ns, minflt, majflt, nvcsw, nivcsw  getrusage(RUSAGE_SELF)
 *   read_bytes, write_bytes, rchar, wchar, syscr, syscw     /proc/self/io
 *   vmhwm_bytes                                             /proc/self/status VmHWM
 *   children_utime_ns ... children_nivcsw                   RUSAGE_CHILDREN (if asked)
 *
 * followed by the caller's own lines.  The file is written to a temporary
 * name and renamed, so a reader never sees half of it.  Call it last: what
 * the process does after it (the write itself, exit) is not in the figures.
 */
#ifndef BT_WORKLOAD_REPORT_H
#define BT_WORKLOAD_REPORT_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

static inline unsigned long long ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Spin until this thread has used @ns of CPU time.  The thread CPU clock is
 * a system call, so spin a few microseconds in user space between readings:
 * the burn is mostly user time, like a real CPU-bound program.
 */
static inline void burn_cpu_ns(unsigned long long ns)
{
	unsigned long long end = ts_ns(CLOCK_THREAD_CPUTIME_ID) + ns;
	volatile unsigned int i;

	while (ts_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		for (i = 0; i < 50000; i++)
			;
}

static inline void sleep_ns(unsigned long long ns)
{
	struct timespec ts = {.tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Parse a non-negative number or die with a usage message. */
static inline double arg_num(const char *s, const char *what)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "bad %s '%s': want a non-negative number\n", what, s);
		exit(2);
	}
	return v;
}

/* Value of the line "KEY value" (KEY includes its ':' if any) in a /proc file. */
static inline unsigned long long proc_field(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	unsigned long long v = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n)) {
			v = strtoull(line + n, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static inline int rusage_lines(char *buf, size_t len, int who, const char *prefix)
{
	struct rusage ru;

	getrusage(who, &ru);
	return snprintf(buf, len,
			"%sutime_ns %llu\n%sstime_ns %llu\n%sminflt %ld\n%smajflt %ld\n"
			"%snvcsw %ld\n%snivcsw %ld\n",
			prefix, (ru.ru_utime.tv_sec * 1000000ull + ru.ru_utime.tv_usec) * 1000ull,
			prefix, (ru.ru_stime.tv_sec * 1000000ull + ru.ru_stime.tv_usec) * 1000ull,
			prefix, ru.ru_minflt, prefix, ru.ru_majflt, prefix, ru.ru_nvcsw, prefix,
			ru.ru_nivcsw);
}

/*
 * Write the report if BT_REPORT is set.  @children adds RUSAGE_CHILDREN;
 * @extra (may be NULL) is appended as is: the caller's "key value\n" lines.
 */
static inline void report_write(int children, const char *extra)
{
	const char *path = getenv("BT_REPORT");
	char buf[16384], tmp[4096];
	size_t n = 0;
	int fd;

	if (!path || !*path)
		return;
	/* Take the figures first, before this function does any I/O of its own. */
	n += rusage_lines(buf + n, sizeof(buf) - n, RUSAGE_SELF, "");
	n += snprintf(buf + n, sizeof(buf) - n,
		      "pid %d\nread_bytes %llu\nwrite_bytes %llu\nvmhwm_bytes %llu\n",
		      (int)getpid(), proc_field("/proc/self/io", "read_bytes:"),
		      proc_field("/proc/self/io", "write_bytes:"),
		      proc_field("/proc/self/status", "VmHWM:") * 1024ull);
	n += snprintf(buf + n, sizeof(buf) - n, "rchar %llu\nwchar %llu\nsyscr %llu\nsyscw %llu\n",
		      proc_field("/proc/self/io", "rchar:"), proc_field("/proc/self/io", "wchar:"),
		      proc_field("/proc/self/io", "syscr:"), proc_field("/proc/self/io", "syscw:"));
	if (children)
		n += rusage_lines(buf + n, sizeof(buf) - n, RUSAGE_CHILDREN, "children_");
	if (extra && n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - n, "%s", extra);
	if (n >= sizeof(buf)) {
		fprintf(stderr, "report: too long\n");
		exit(3);
	}

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n || close(fd) || rename(tmp, path)) {
		fprintf(stderr, "report: cannot write %s: %s\n", path, strerror(errno));
		exit(3);
	}
}

#endif /* BT_WORKLOAD_REPORT_H */
