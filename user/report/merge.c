// SPDX-License-Identifier: GPL-2.0
/*
 * report --merge: run directories recorded on several hosts at once (an MPI
 * job, one directory per node) as one run.  Their files are rewritten into
 * one directory the report then reads as any other: times on the earliest
 * run's clock (by each run's start.unix_ns), PIDs made unique per host
 * (HOST_INDEX x 10^7 + PID; Linux PIDs stay below 2^22), and each
 * process's name prefixed with its host ("node2:train"), so every series
 * is per host and per rank.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "report/merge.h"
#include "rundir/csvread.h"
#include "rundir/escape.h"
#include "rundir/jsonread.h"
#include "rundir/out.h"

#define PID_STRIDE 10000000ULL

struct src {
	const char *dir;
	char host[128];
	double offset; /* its t_s = 0 on the merged clock */
	double wall_s;
	const char *outcome;
	struct json_doc *meta;
};

static bool find(const char *dir, const char *name, char *path, size_t len)
{
	struct stat st;

	snprintf(path, len, "%s/%s.csv", dir, name);
	if (!stat(path, &st))
		return true;
	snprintf(path, len, "%s/%s.csv.gz", dir, name);
	return !stat(path, &st);
}

/* A new file NAME in dir, as a stream; NULL with one line in err. */
static struct out *create(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct out *o;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	o = fd >= 0 ? out__open_fd(fd, false) : NULL;
	if (!o) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return o;
}

/* What to do with a column: copy, shift a time, map a PID, prefix a name. */
enum col_kind { COPY, TIME, PID, NAME };

static enum col_kind kind_of(const char *file, const char *col)
{
	if (!strcmp(col, "t_s") || !strcmp(col, "start_s") || !strcmp(col, "end_s"))
		return TIME;
	if (!strcmp(col, "pid") || !strcmp(col, "tid") || !strcmp(col, "ppid"))
		return PID;
	if (!strcmp(col, "comm") && strcmp(file, "events"))
		return NAME;
	return COPY;
}

/* One file of every run into @out, with the first run's header. */
static int merge_file(struct src *s, int n, const char *name, const char *out_dir, char *err,
		      size_t errlen)
{
	struct csv_table *t[MERGE_MAX] = {0}, *h = NULL;
	char path[PATH_MAX], cell[512];
	int i, c, row, cols, map[64], ret = -1;
	struct out *o;

	for (i = 0; i < n; i++) {
		if (!find(s[i].dir, name, path, sizeof(path)))
			continue;
		t[i] = csv_table__load(path, err, errlen);
		if (!t[i])
			goto out;
		if (!h)
			h = t[i];
	}
	if (!h)
		return 0; /* no run has it */
	snprintf(path, sizeof(path), "%s.csv", name);
	o = create(out_dir, path, err, errlen);
	if (!o)
		goto out;
	cols = csv_table__cols(h) < 64 ? csv_table__cols(h) : 64;
	for (c = 0; c < cols; c++) {
		out__puts(o, c ? "," : "");
		out__csv_str(o, csv_table__header(h, c));
	}
	out__putc(o, '\n');
	for (i = 0; i < n; i++) {
		if (!t[i])
			continue;
		for (c = 0; c < cols; c++)
			map[c] = csv_table__col(t[i], csv_table__header(h, c));
		for (row = 0; row < csv_table__rows(t[i]); row++) {
			for (c = 0; c < cols; c++) {
				const char *v = map[c] >= 0 ? csv_table__get(t[i], row, map[c]) : "";
				enum col_kind k = kind_of(name, csv_table__header(h, c));

				out__puts(o, c ? "," : "");
				if (!v[0]) {
					continue;
				} else if (k == TIME) {
					out__printf(o, "%.6f", strtod(v, NULL) + s[i].offset);
				} else if (k == PID) {
					unsigned long long p = strtoull(v, NULL, 10);

					out__u64(o, p ? p + i * PID_STRIDE : 0);
				} else if (k == NAME) {
					snprintf(cell, sizeof(cell), "%s:%s", s[i].host, v);
					out__csv_str(o, cell);
				} else {
					out__csv_str(o, v);
				}
			}
			out__putc(o, '\n');
		}
	}
	ret = out__close(o);
	if (ret)
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
out:
	for (i = 0; i < n; i++)
		csv_table__free(t[i]);
	return ret;
}

static int write_meta(struct src *s, int n, const char *out_dir, double wall, char *err,
		      size_t errlen)
{
	const char *outcome = s[0].outcome ? s[0].outcome : "completed";
	struct out *o;
	int i, ret;

	for (i = 1; i < n; i++)
		if (s[i].outcome && strcmp(s[i].outcome, outcome))
			outcome = "mixed";
	o = create(out_dir, "meta.json", err, errlen);
	if (!o)
		return -1;
	out__puts(o, "{\"outcome\": ");
	out__json_quoted(o, outcome, strlen(outcome));
	out__printf(o, ", \"wall_s\": %.6f, \"merged\": [", wall);
	for (i = 0; i < n; i++) {
		out__puts(o, i ? ", {\"host\": " : "{\"host\": ");
		out__json_quoted(o, s[i].host, strlen(s[i].host));
		out__printf(o, ", \"offset_s\": %.6f}", s[i].offset);
	}
	out__puts(o, "]}\n");
	ret = out__close(o);
	if (ret)
		snprintf(err, errlen, "cannot write %s/meta.json: %s", out_dir, strerror(-ret));
	return ret;
}

int merge__runs(const char *const *dirs, int n, const char *out_dir, char *err, size_t errlen)
{
	static const char *const files[] = {"samples", "events", "calls", "processes"};
	struct src s[MERGE_MAX] = {0};
	double start[MERGE_MAX], first = INFINITY, wall = 0, d;
	char path[PATH_MAX];
	int i, j, ret = -1;

	if (n < 2 || n > MERGE_MAX) {
		snprintf(err, errlen, "--merge takes 2 to %d run directories", MERGE_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct json_value *root;
		const char *h;

		s[i].dir = dirs[i];
		snprintf(path, sizeof(path), "%s/meta.json", dirs[i]);
		s[i].meta = json_doc__load(path, &(struct json_opts){.strict = true}, err, errlen);
		if (!s[i].meta)
			goto out;
		root = json_doc__root(s[i].meta);
		if (json_value__num(json_value__path(root, "start.unix_ns"), &start[i])) {
			snprintf(err, errlen, "%s: no start.unix_ns in meta.json: cannot place it in "
					      "time beside the others",
				 dirs[i]);
			goto out;
		}
		h = json_value__str(json_value__path(root, "host.hostname"));
		snprintf(s[i].host, sizeof(s[i].host), "%s", h && *h ? h : dirs[i]);
		/* two runs of one host: tell them apart by their order */
		for (j = 0; j < i; j++)
			if (!strcmp(s[j].host, s[i].host)) {
				size_t l = strlen(s[i].host);

				snprintf(s[i].host + (l < 100 ? l : 100), 28, "#%d", i + 1);
				break;
			}
		s[i].outcome = json_value__str(json_value__member(root, "outcome"));
		if (json_value__num(json_value__member(root, "wall_s"), &d) || !isfinite(d))
			d = 0;
		s[i].wall_s = d;
		if (start[i] < first)
			first = start[i];
	}
	for (i = 0; i < n; i++) {
		s[i].offset = (start[i] - first) / 1e9;
		if (s[i].offset + s[i].wall_s > wall)
			wall = s[i].offset + s[i].wall_s;
	}
	for (i = 0; i < (int)(sizeof(files) / sizeof(files[0])); i++)
		if (merge_file(s, n, files[i], out_dir, err, errlen))
			goto out;
	ret = write_meta(s, n, out_dir, wall, err, errlen);
out:
	for (i = 0; i < n; i++)
		json_doc__free(s[i].meta);
	return ret;
}
