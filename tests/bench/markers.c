// SPDX-License-Identifier: GPL-2.0
/*
 * markers BUILD_DIR
 *
 * What a benchtrace.h mark costs (tests/workloads/markloop), timed by the
 * program itself, ROUNDS alternating rounds, medians:
 *
 *   untraced        ns per mark: the 5-byte nop and the name's loads;
 *   traced          ns per mark when benchtrace times the spans (a USDT
 *                   probe on the nop; Linux 6.16+ turns it into a call);
 *   uprobe pair     for comparison, ns per call of an empty function traced
 *                   with -u (an entry uprobe and a uretprobe: two traps).
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"
#include "testutil.h"

#define ROUNDS 5
#define N      "20000"

enum { UNTRACED, TRACED, UPROBE, NKINDS };

static double one_run(int kind)
{
	char wl[BT_PATH_MAX], rep[BT_PATH_MAX], dir[BT_PATH_MAX];
	const char *mode = kind == UPROBE ? "calls" : "marks";
	const char *direct[] = {wl, mode, kind == UNTRACED ? "10000000" : N, NULL};
	const char *traced[] = {"-q", "-o", dir, "--", wl, mode, N, NULL};
	const char *uprobe[] = {"-q", "-o", dir, "-u", "empty_call", "--", wl, mode, N, NULL};
	struct bt_result r;
	struct bt_report br;
	struct bt_proc p;
	unsigned long long v;

	bt_workload(wl, "markloop");
	bench_pathf(rep, "%s/markers-report.%d", bt_build_dir(), (int)getpid());
	unlink(rep);
	if (kind == UNTRACED) {
		if (bt_spawn(&p, rep, direct))
			return -1;
		bt_wait(&p, &r, 120);
	} else {
		bench_next_run_dir(dir);
		bt_runv(&r, rep, 120, kind == TRACED ? traced : uprobe);
		bench_rm_tree(dir);
	}
	if (r.status || bt_report_load(&br, rep) || bt_report_get(&br, "wall_ns", &v)) {
		fprintf(stderr, "markers: run %d failed (exit %d): %s", kind, r.status, r.err);
		return -1;
	}
	unlink(rep);
	/* per mark (two a loop turn), per call */
	return kind == UPROBE ? (double)v / 20000 : (double)v / (2.0 * (kind == UNTRACED ? 1e7 : 20000));
}

int main(int argc, char **argv)
{
	double t[NKINDS][ROUNDS], m[NKINDS];
	int k, i;

	if (bt_init(argc, argv))
		return 1;
	bench_setup(bt_build_dir());
	for (i = 0; i < ROUNDS; i++)
		for (k = 0; k < NKINDS; k++)
			if ((t[k][i] = one_run(k)) < 0)
				return 1;
	for (k = 0; k < NKINDS; k++)
		m[k] = bench_median(t[k], ROUNDS);
	printf("markers: untraced %.2f ns/mark | traced %.0f ns/mark | empty function with -u "
	       "%.0f ns/call\n",
	       m[UNTRACED], m[TRACED], m[UPROBE]);
	bench_figure_add("benchtrace.h mark, untraced", false, "-", "%.2f ns", m[UNTRACED]);
	bench_figure_add("benchtrace.h mark, traced", false, "-", "%.0f ns", m[TRACED]);
	bench_figure_add("empty function with -u (uprobe+uretprobe)", false, "-", "%.0f ns",
			 m[UPROBE]);
	bench_print_figures();
	return bench_conclude();
}
