// SPDX-License-Identifier: GPL-2.0
/*
 * python BUILD_DIR
 *
 * What -u py: costs a Python program, per interpreter present (Debian's
 * python3.11 and every pyenv CPython 3.8+), on a call-heavy workload:
 * recursive fib(22), 57313 calls, timed by the program itself (perf_counter
 * around the call, so interpreter and tracer start-up are not in it).
 * ROUNDS alternating rounds of four runs each, medians:
 *
 *   untraced              the baseline, ns per call;
 *   -u py:unrelated       what the functions NOT asked for pay: the ratio to
 *                         the baseline (target <= 1.10 on 3.12+, where
 *                         sys.monitoring stops calling the hook for them);
 *   -u py:fib             every call traced: ns added per traced call;
 *   in-process profiler   a sys.setprofile timer of fib, as profiling
 *                         libraries do it: ns added per call, for comparison.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "testutil.h"

#define ROUNDS 5
#define FIB_N  "22"

enum { UNTRACED, OTHER, TRACED, SETPROFILE, NKINDS };

/* wall_ns the program reported for one run, or -1. */
static double one_run(const char *python, int kind)
{
	char wl[BT_PATH_MAX], rep[BT_PATH_MAX], dir[BT_PATH_MAX];
	const char *mode = kind == SETPROFILE ? "setprofile" : "other";
	const char *direct[] = {python, wl, mode, FIB_N, NULL};
	const char *traced[] = {"-q", "-o", dir, "-u", kind == TRACED ? "py:fib" : "py:unrelated",
				"--", python, wl, mode, FIB_N, NULL};
	struct bt_result r;
	struct bt_report br;
	struct bt_proc p;
	unsigned long long v;

	bt_workload(wl, "py/pywork.py");
	bench_pathf(rep, "%s/python-report.%d", bt_build_dir(), (int)getpid());
	unlink(rep);
	if (kind == OTHER || kind == TRACED) {
		bench_next_run_dir(dir);
		bt_runv(&r, rep, 120, traced);
		bench_rm_tree(dir);
	} else {
		if (bt_spawn(&p, rep, direct))
			return -1;
		bt_wait(&p, &r, 120);
	}
	if (r.status || bt_report_load(&br, rep) || bt_report_get(&br, "wall_ns", &v)) {
		fprintf(stderr, "python: %s %s run failed (exit %d): %s", python, mode, r.status,
			r.err);
		return -1;
	}
	unlink(rep);
	return (double)v;
}

static int bench_python(const char *label, const char *python, int minor)
{
	double t[NKINDS][ROUNDS], m[NKINDS], calls = 57313;
	char name[128];
	int k, i;

	for (i = 0; i < ROUNDS; i++)
		for (k = 0; k < NKINDS; k++)
			if ((t[k][i] = one_run(python, k)) < 0)
				return -1;
	for (k = 0; k < NKINDS; k++)
		m[k] = bench_median(t[k], ROUNDS);
	printf("%-14s untraced %6.0f ns/call | other functions x%.2f | traced +%6.0f ns/call "
	       "(x%.1f) | setprofile timer +%5.0f ns/call\n",
	       label, m[UNTRACED] / calls, m[OTHER] / m[UNTRACED],
	       (m[TRACED] - m[UNTRACED]) / calls, m[TRACED] / m[UNTRACED],
	       (m[SETPROFILE] - m[UNTRACED]) / calls);
	snprintf(name, sizeof(name), "python %s: calls not asked for, traced/untraced", label);
	if (minor >= 12)
		bench_figure_add(name, m[OTHER] / m[UNTRACED] > 1.10, "<= 1.10", "%.2fx",
				 m[OTHER] / m[UNTRACED]);
	else
		bench_figure_add(name, false, "-", "%.2fx", m[OTHER] / m[UNTRACED]);
	snprintf(name, sizeof(name), "python %s: added per traced call", label);
	bench_figure_add(name, false, "-", "%.0f ns", (m[TRACED] - m[UNTRACED]) / calls);
	return 0;
}

int main(int argc, char **argv)
{
	const char *pyenv = getenv("PYENV_ROOT");
	char root[PATH_MAX], py[PATH_MAX + 512];
	struct dirent *de;
	int major, minor;
	DIR *d;

	if (bt_init(argc, argv))
		return 1;
	bench_setup(bt_build_dir());
	printf("python: fib(%s), %d rounds, medians\n", FIB_N, ROUNDS);
	if (bench_python("debian 3.11", "/usr/bin/python3.11", 11))
		bench_figure_missing("python debian 3.11", "-");
	snprintf(root, sizeof(root), "%s/versions", pyenv && *pyenv ? pyenv : "/root/.pyenv");
	d = opendir(root);
	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "%d.%d", &major, &minor) != 2 || major != 3 || minor < 8)
			continue;
		snprintf(py, sizeof(py), "%s/%s/bin/python%d.%d", root, de->d_name, major, minor);
		if (!access(py, X_OK) && bench_python(de->d_name, py, minor))
			bench_figure_missing(de->d_name, "-");
	}
	if (d)
		closedir(d);
	bench_print_figures();
	return bench_conclude();
}
