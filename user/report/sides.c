// SPDX-License-Identifier: GPL-2.0
/*
 * Repeated runs compared (`benchtrace report A1 A2 A3 -- B1 B2 B3`): each
 * side's mean and range (min to max over its runs) of every key figure and
 * of each function's mean, p50 and p99, the ratio of the means, and whether
 * the difference is beyond the run-to-run noise: it is when the two sides'
 * ranges do not overlap.  With one run on a side the noise is unknown and
 * the page says so rather than guess.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/loops.h"
#include "report/procs.h"
#include "report/report_load.h"
#include "report/sides.h"
#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/out.h"

#define SIDE_FUNCS 30 /* functions of the first run compared */

struct range {
	double mean, min, max;
	int n; /* runs with a value */
};

static void range_of(const double *v, int n, struct range *r)
{
	double sum = 0;
	int i;

	r->n = 0;
	r->min = INFINITY;
	r->max = -INFINITY;
	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		sum += v[i];
		r->n++;
		if (v[i] < r->min)
			r->min = v[i];
		if (v[i] > r->max)
			r->max = v[i];
	}
	r->mean = r->n ? sum / r->n : NAN;
}

static void range_cell(struct out *o, const struct range *r, enum svg_unit unit)
{
	char buf[48];

	out__puts(o, "<td>");
	if (!r->n) {
		out__puts(o, "-</td>");
		return;
	}
	svg_format(buf, sizeof(buf), r->mean, unit);
	out__html_str(o, buf);
	if (r->n > 1) {
		out__puts(o, " <span class=\"range\">(");
		svg_format(buf, sizeof(buf), r->min, unit);
		out__html_str(o, buf);
		out__puts(o, " &ndash; ");
		svg_format(buf, sizeof(buf), r->max, unit);
		out__html_str(o, buf);
		out__puts(o, ")</span>");
	}
	out__puts(o, "</td>");
}

/* One row: @va of side A's @na runs against @vb of side B's @nb. */
static void side_row(struct out *o, const char *name, bool code, const double *va, int na,
		     const double *vb, int nb, enum svg_unit unit)
{
	struct range a, b;
	const char *verdict, *cls;

	range_of(va, na, &a);
	range_of(vb, nb, &b);
	out__puts(o, "<tr><td class=\"l\">");
	if (code)
		out__puts(o, "<code>");
	out__html_str(o, name);
	if (code)
		out__puts(o, "</code>");
	out__puts(o, "</td>");
	range_cell(o, &a, unit);
	range_cell(o, &b, unit);
	if (a.n && b.n && a.mean > 0)
		out__printf(o, "<td>×%.2f</td>", b.mean / a.mean);
	else
		out__puts(o, "<td>-</td>");
	if (!a.n || !b.n) {
		verdict = "";
		cls = "same";
	} else if (a.n < 2 && b.n < 2) {
		verdict = "noise unknown (one run a side)";
		cls = "same";
	} else if (b.min > a.max) {
		verdict = "higher, beyond the noise";
		cls = "up";
	} else if (b.max < a.min) {
		verdict = "lower, beyond the noise";
		cls = "down";
	} else {
		verdict = "within the noise";
		cls = "same";
	}
	out__printf(o, "<td class=\"l\"><span class=\"%s\">%s</span></td></tr>\n", cls, verdict);
}

static const struct func *func_named(const struct run *r, const char *name)
{
	int j;

	for (j = 0; j < r->nfuncs; j++)
		if (!strcmp(r->funcs[j].name, name))
			return &r->funcs[j];
	return NULL;
}

void sides_section(struct out *o, const struct run *runs, int na, int n)
{
	static const char *const fig[] = {"wall",		 "CPU time",
					  "peak RSS of one process", "read",
					  "write",		 "on a CPU",
					  "waiting for a CPU",	 "waiting for storage",
					  "blocked otherwise"};
	static const enum svg_unit fig_unit[] = {SVG_NS,    SVG_NS, SVG_BYTES, SVG_BYTES, SVG_BYTES,
						 SVG_NS,    SVG_NS, SVG_NS,    SVG_NS};
	static const char *const stat[] = {"mean", "p50", "p99"};
	double v[MAX_RUNS];
	char name[300];
	int i, k, q;

	out__printf(o, "<section id=\"sides\"><h2>A against B</h2>\n<p class=\"sub\">A: %d run%s, "
		       "B: %d run%s. Each side's mean, and its range over its runs; a "
		       "difference is beyond the noise when the two ranges do not overlap.</p>\n",
		    na, na == 1 ? "" : "s", n - na, n - na == 1 ? "" : "s");
	out__puts(o, "<table class=\"compare sides\"><tr><th class=\"l\"></th><th>A</th>"
		     "<th>B</th><th>B / A</th><th class=\"l\"></th></tr>\n");
	for (k = 0; k < (int)(sizeof(fig) / sizeof(fig[0])); k++) {
		if (k >= 5 && !runs[0].have_waits)
			break;
		for (i = 0; i < n; i++) {
			const struct run *r = &runs[i];
			double part[4];

			proc_split(r->thread_s, r->cpu_ns, r->runq_ns, r->iowait_ns, part);
			v[i] = k == 0	? r->wall_s * 1e9
			       : k == 1 ? r->cpu_ns
			       : k == 2 ? r->peak_rss
			       : k == 3 ? r->read_bytes
			       : k == 4 ? r->write_bytes
					: part[k - 5];
		}
		side_row(o, fig[k], false, v, na, v + na, n - na, fig_unit[k]);
	}
	for (k = 0; k < runs[0].nfuncs && k < SIDE_FUNCS; k++) {
		const char *fn = runs[0].funcs[k].name;

		for (q = 0; q < 3; q++) {
			for (i = 0; i < n; i++) {
				const struct func *f = func_named(&runs[i], fn);

				v[i] = f ? func_stat(f, q) : NAN;
			}
			snprintf(name, sizeof(name), "%s %s", stat[q], fn);
			side_row(o, name, false, v, na, v + na, n - na, SVG_NS);
		}
	}
	out__puts(o, "</table>\n</section>\n");
}
