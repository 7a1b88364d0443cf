// SPDX-License-Identifier: GPL-2.0
/*
 * Assertions shared by the integration tests (cmocka; include after
 * <cmocka.h>).  Header-only: testutil.c stays free of cmocka
 * so the benchmarks can link it.
 */
#ifndef BT_EXPECT_H
#define BT_EXPECT_H

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static inline void show_stderr(const struct bt_result *r)
{
	if (r->err[0])
		print_message("benchtrace stderr:\n%s%s", r->err,
			      r->err[strlen(r->err) - 1] == '\n' ? "" : "\n");
}

/*
 * Print "WHAT: traced X UNIT vs SOURCE Y UNIT (+d%)" and fail if
 * |traced - truth| > max(rel * truth, abs_slack).
 */
static inline void expect_close(const char *what, const char *source, const char *unit,
				double scale, double traced, double truth, double rel,
				double abs_slack)
{
	double diff = traced - truth, tol = fmax(rel * truth, abs_slack);
	double pct = truth ? 100.0 * diff / truth : 0;
	int prec = scale == 1 ? 0 : 3; /* counts are whole */
	char slack[32] = "";

	if (abs_slack)
		snprintf(slack, sizeof(slack), " or +-%.0f", abs_slack);
	print_message("%s: traced %.*f %s vs %s %.*f %s (%+.1f%%; allowed +-%.0f%%%s)\n", what,
		      prec, traced / scale, unit, source, prec, truth / scale, unit, pct, rel * 100,
		      slack);
	if (fabs(diff) > tol)
		fail_msg("%s: traced %.0f, kernel says %.0f: off by %.0f (%.1f%%), more than %.0f",
			 what, traced, truth, diff, pct, tol);
}

/* One line on stderr, and the exit status of a refused run. */
static inline void expect_refusal(const struct bt_result *r, int want_lo, int want_hi,
				  const char *what)
{
	print_message("%s: exit %d, stderr: %s", what, r->status, r->err[0] ? r->err : "(empty)\n");
	if (r->status < want_lo || r->status > want_hi) {
		if (want_lo == want_hi)
			fail_msg("%s: exit status %d, want %d", what, r->status, want_lo);
		fail_msg("%s: exit status %d, want %d..%d", what, r->status, want_lo, want_hi);
	}
	if (bt_count_lines(r->err) != 1)
		fail_msg("%s: want exactly one line on stderr, got %d", what,
			 bt_count_lines(r->err));
}

static inline void expect_no_run_dir(struct bt_ctx *c, const char *what)
{
	struct stat st;

	if (!lstat(c->tmp.run_dir, &st))
		fail_msg("%s: left a run directory %s behind", what, c->tmp.run_dir);
}

#endif /* BT_EXPECT_H */
