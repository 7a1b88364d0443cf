// SPDX-License-Identifier: GPL-2.0
/*
 * report_scale BUILD_DIR [CALLS]
 *
 * How `benchtrace report` scales: writes a run directory for a week-long run
 * (604800 s; samples.csv as -i auto leaves it, about 66000 rows) with CALLS
 * (default 10 million) rows in calls.csv on 8 threads, under /var/tmp, then
 * times `benchtrace report` on it (median of 3) and checks the report's size.  Targets
 * (issue 4): under 5 s and under 5 MB.  Then the same with the CSVs
 * gzip-compressed (BT_SCALE_GZIP=0 skips that).  The run directory is
 * removed afterwards: nothing large is ever kept.
 *
 * Exits 0 when everything was measured, over target or not (a benchmark
 * reports, it does not fail the build); 1 when something could not be run.
 *
 * BT_SCALE_WRITE=DIR only writes the plain run directory DIR (for profiling)
 * and keeps it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rundir/fscred.h"
#include "rundir/out.h"
#include "testutil.h"
#include "util/parse.h"

#define WEEK_S	     604800.0
#define TARGET_S     5.0
#define TARGET_BYTES (5 * 1000 * 1000)
#define RUNS	     3

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static const char *const funcs[] = {"train_step", "forward", "backward", "load_batch",
				    "optimizer_step"};

static struct out *create(const char *dir, const char *name, bool gz)
{
	char path[BT_PATH_MAX + 64];
	int fd;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, gz ? ".gz" : "");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	return fd < 0 ? NULL : out__open_fd(fd, gz);
}

static int write_run(const char *dir, unsigned long ncalls, bool gz)
{
	struct out *o;
	double t = 0, iv = 0.01;
	unsigned long i, rows = 0;
	__u64 rnd = 88172645463325252ULL;
	FILE *m;
	char path[BT_PATH_MAX + 32];
	uid_t uid;
	gid_t gid;

	if (mkdir(dir, 0755))
		return -1;
	/* under sudo, report writes report.html here as the invoking user (fscred.h) */
	if (fscred__sudo_user(&uid, &gid) && chown(dir, uid, gid))
		return -1;
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	m = fopen(path, "w");
	if (!m)
		return -1;
	fprintf(m,
		"{\"tool\":\"benchtrace\",\"outcome\":\"completed\",\"exit_code\":0,"
		"\"signal\":null,\"wall_s\":%.1f,\"lost_events\":{\"ringbuf\":0},"
		"\"target\":{\"argv\":[\"./train\"]}}\n",
		WEEK_S);
	fclose(m);

	/* samples.csv as -i auto writes it: the interval doubles every 1000 rows, up to 10 s. */
	o = create(dir, "samples.csv", gz);
	if (!o)
		return -1;
	out__puts(o, BT_SAMPLES_HEADER "\n");
	while (t < WEEK_S) {
		t += iv;
		if (++rows % 1000 == 0 && iv < 10)
			iv = iv * 2 > 10 ? 10 : iv * 2;
		rnd ^= rnd << 13, rnd ^= rnd >> 7, rnd ^= rnd << 17;
		out__time_s(o, (__u64)(t * 1e9));
		out__printf(
		    o, ",4242,train,%llu,%.1f,0,1,0,%llu,0,%llu,%llu,0,0,0,0,%llu,%llu,1,0,8\n",
		    (unsigned long long)(iv * 1e9 * 0.9), 90.0 + (double)(rnd % 200) / 10,
		    (unsigned long long)(rnd % 500), (unsigned long long)((200 + rnd % 64) << 20),
		    (unsigned long long)((200 + rnd % 80) << 20),
		    (unsigned long long)(rnd % 4096) << 10, (unsigned long long)(rnd % 1024) << 10);
	}
	if (out__close(o))
		return -1;

	o = create(dir, "events.csv", gz);
	if (!o)
		return -1;
	out__puts(o, BT_EVENTS_HEADER "\n0.000100,4242,4242,exec,train\n");
	out__printf(o, "%.6f,4242,4242,exit,code=0\n", WEEK_S - 0.5);
	if (out__close(o))
		return -1;

	o = create(dir, "calls.csv", gz);
	if (!o)
		return -1;
	out__puts(o, "t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,majflt,"
		     "rss_delta_bytes,rss_peak_bytes,read_bytes,write_bytes\n");
	for (i = 0; i < ncalls; i++) {
		double ts = WEEK_S * (double)i / (double)ncalls;
		unsigned int f = (unsigned int)(i % 5);
		__u64 dur;

		rnd ^= rnd << 13, rnd ^= rnd >> 7, rnd ^= rnd << 17;
		dur = 1000000 + rnd % 40000000 + i / 10;
		out__time_s(o, (__u64)(ts * 1e9));
		out__putc(o, ',');
		out__u64(o, dur);
		out__puts(o, ",4242,");
		out__u64(o, 4242 + i % 8);
		out__putc(o, ',');
		out__puts(o, funcs[f]);
		out__puts(o, f == 1 || f == 2 ? ",1," : ",0,");
		out__u64(o, dur * 9 / 10);
		out__puts(o, ",0,");
		out__u64(o, dur / 10);
		out__puts(o, ",3,0,0,0,0,0\n");
	}
	return out__close(o) ? -1 : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int measure(struct bt_tmp *tmp, unsigned long ncalls, bool gz)
{
	char dir[BT_PATH_MAX + 16], out[BT_PATH_MAX + 32], calls[BT_PATH_MAX + 32];
	struct bt_result *res = calloc(1, sizeof(*res));
	struct stat st, cs;
	double t0, gen, t[RUNS];
	int ret = 1, i;

	if (!res)
		return 1;
	snprintf(dir, sizeof(dir), "%s/run-%s", tmp->dir, gz ? "gz" : "csv");
	snprintf(out, sizeof(out), "%s/report.html", dir);
	snprintf(calls, sizeof(calls), "%s/calls.csv%s", dir, gz ? ".gz" : "");
	t0 = now();
	if (write_run(dir, ncalls, gz)) {
		fprintf(stderr, "report_scale: cannot write %s: %s\n", dir, strerror(errno));
		goto out;
	}
	gen = now() - t0;
	if (stat(calls, &cs))
		goto out;
	/* The report's time, not the write-back of what was just written. */
	sync();
	for (i = 0; i < RUNS; i++) {
		bt_run(res, NULL, 600, "report", dir, NULL);
		if (res->status != 0 || stat(out, &st)) {
			fprintf(stderr, "report_scale: report failed (status %d): %s\n",
				res->status, res->err);
			goto out;
		}
		t[i] = res->wall_s;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("report of a week-long run, %lu calls, calls.csv%s %.0f MB (written in %.1f s):\n"
	       "  time %.2f s (median of %d) (target < %.0f s: %s), report.html %.2f MB (target < "
	       "%.0f MB: %s)\n",
	       ncalls, gz ? ".gz" : "", (double)cs.st_size / 1e6, gen, t[RUNS / 2], RUNS, TARGET_S,
	       t[RUNS / 2] < TARGET_S ? "PASS" : "OVER TARGET", (double)st.st_size / 1e6,
	       TARGET_BYTES / 1e6, st.st_size < TARGET_BYTES ? "PASS" : "OVER TARGET");
	ret = 0;
out:
	free(res);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long ncalls = 10000000;
	struct bt_tmp tmp;
	const char *gz = getenv("BT_SCALE_GZIP");
	int ret;

	if (bt_init(argc > 1 ? 2 : argc, argv))
		return 1;
	if (argc > 2)
		ncalls = strtoul(argv[2], NULL, 10);
	if (getenv("BT_SCALE_WRITE"))
		return write_run(getenv("BT_SCALE_WRITE"), ncalls, false) ? 1 : 0;
	if (bt_tmp_init(&tmp))
		return 1;
	ret = measure(&tmp, ncalls, false);
	if (!ret && !(gz && !strcmp(gz, "0")))
		ret = measure(&tmp, ncalls, true);
	bt_tmp_cleanup(&tmp);
	printf("report_scale: %s\n", ret ? "could not measure" : "measured");
	return ret;
}
