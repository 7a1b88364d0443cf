// SPDX-License-Identifier: GPL-2.0
/*
 * The report's benchtrace.h loops: each loop's iterations stacked by step,
 * with the steps' statistics (loop_section), and across runs, each step's
 * mean per iteration side by side (compare_loops).  From report.c, which
 * writes the rest of the page.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/loops.h"
#include "report/report_load.h"
#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/out.h"

static const char *svg_fmt(char *buf, size_t len, double v, enum svg_unit unit)
{
	svg_format(buf, len, v, unit);
	return buf;
}

/* The function (calls.csv) of a step, for its statistics; NULL if none. */
static const struct func *step_func(const struct run *r, const struct loop *l, int s)
{
	char name[160];
	int k;

	snprintf(name, sizeof(name), "step:%s/%s", l->name, l->step[s]);
	for (k = 0; k < r->nfuncs; k++)
		if (!strcmp(r->funcs[k].name, name))
			return &r->funcs[k];
	return NULL;
}

/* Begin a chart of durations stacked by step, @x0..@x1 along @xlabel, up to @top. */
static void stack_chart(struct svg_chart *ch, struct out *o, const char *title, double x0,
			double x1, const char *xlabel, double top)
{
	memset(ch, 0, sizeof(*ch));
	ch->o = o;
	ch->title = title;
	ch->x0 = x0;
	ch->x1 = x1;
	ch->xunit = SVG_COUNT;
	ch->xlabel = xlabel;
	ch->yunit = SVG_NS;
	ch->ylabel = "duration";
	ch->y0 = 0;
	ch->y1 = top > 0 ? top : 1;
	ch->plot_h = 140;
	svg_chart__begin(ch);
}

/*
 * A benchtrace.h loop: each iteration's time stacked by step (porter_bench's
 * bars), averaged per pixel column, and the steps' statistics.
 */
void loop_section(struct out *o, const struct run *r, const struct loop *l)
{
	char title[256], tip[512], a[32];
	double top = 0, y, share, total = 0, part[LOOP_STEPS + 1] = {0};
	struct svg_chart ch;
	const struct func *f;
	int c, s;

	for (c = 0; c < l->ncols; c++) {
		double h = 0;

		for (s = 0; s <= LOOP_STEPS; s++)
			h += l->count[c] ? l->sum[c][s] / l->count[c] : 0;
		if (h > top)
			top = h;
		for (s = 0; s <= LOOP_STEPS; s++) {
			part[s] += l->sum[c][s];
			total += l->sum[c][s];
		}
	}
	out__puts(o, "<h3>Iterations of <code>");
	out__html_str(o, l->name);
	out__printf(o, "</code></h3>\n<p class=\"sub\">");
	for (s = 0; s <= l->nsteps; s++) {
		if (s == l->nsteps && !part[LOOP_STEPS])
			break;
		out__printf(o, "<span class=\"sw\" style=\"background:%s\"></span> ",
			    s < l->nsteps ? svg_color(s) : "#bbb");
		out__html_str(o, s < l->nsteps ? l->step[s] : "outside any step");
		out__puts(o, " &nbsp; ");
	}
	out__puts(o, "</p>\n");
	snprintf(title, sizeof(title), "Time per iteration by step (%llu iteration%s%s)",
		 (unsigned long long)l->iters, l->iters == 1 ? "" : "s",
		 l->per_col > 1 ? "; each bar the mean of its pixel column" : "");
	stack_chart(&ch, o, title, 0, (double)l->ncols * (double)l->per_col, "iteration", top);
	for (c = 0; c < l->ncols; c++) {
		if (!l->count[c])
			continue;
		y = 0;
		for (s = 0; s <= LOOP_STEPS; s++) {
			double v = l->sum[c][s] / l->count[c];

			if (v <= 0 || (s >= l->nsteps && s < LOOP_STEPS))
				continue;
			snprintf(tip, sizeof(tip), "iteration %llu%s: %s %s",
				 (unsigned long long)(c * l->per_col),
				 l->per_col > 1 ? " and on (mean)" : "",
				 s < l->nsteps ? l->step[s] : "outside steps",
				 svg_fmt(a, sizeof(a), v, SVG_NS));
			svg_chart__stack(&ch, (double)c * l->per_col, (double)(c + 1) * l->per_col,
					 y, y + v, s < l->nsteps ? svg_color(s) : "#bbb", tip);
			y += v;
		}
	}
	svg_chart__end(&ch);
	out__puts(o, "<table class=\"funcs\"><tr><th>step</th><th>calls</th><th>mean</th>"
		     "<th>p50</th><th>p99</th><th>max</th><th>share of the iterations</th></tr>\n");
	for (s = 0; s < l->nsteps; s++) {
		f = step_func(r, l, s);
		share = total > 0 ? 100 * part[s] / total : 0;
		out__puts(o, "<tr><td><code>");
		out__html_str(o, l->step[s]);
		out__puts(o, "</code></td>");
		if (f && f->have_stats) {
			html_td_num(o, (double)f->calls, SVG_COUNT);
			html_td_num(o, (double)f->mean_ns, SVG_NS);
			html_td_num(o, (double)f->p50_ns, SVG_NS);
			html_td_num(o, (double)f->p99_ns, SVG_NS);
			html_td_num(o, (double)f->max_ns, SVG_NS);
		} else {
			out__puts(o, "<td></td><td></td><td></td><td></td><td></td>");
		}
		out__printf(o, "<td class=\"v\">%.1f%%</td></tr>\n", share);
	}
	if (part[LOOP_STEPS] > 0)
		out__printf(o,
			    "<tr><td>outside any step</td><td></td><td></td><td></td><td></td><td>"
			    "</td><td class=\"v\">%.1f%%</td></tr>\n",
			    total > 0 ? 100 * part[LOOP_STEPS] / total : 0);
	out__puts(o, "</table>\n");
}

/* @l's mean time per iteration in each step of @names (run 1's), the rest
 * (other steps, time outside any) in @mean[nnames]; false if no iteration. */
static bool loop_means(const struct loop *l, const char (*names)[64], int nnames, double *mean)
{
	__u64 iters = 0;
	int c, s, k;

	memset(mean, 0, (LOOP_STEPS + 1) * sizeof(*mean));
	for (c = 0; c < l->ncols; c++)
		iters += l->count[c];
	if (!iters)
		return false;
	for (s = 0; s <= LOOP_STEPS; s++) {
		double sum = 0;

		if (s >= l->nsteps && s < LOOP_STEPS)
			continue;
		for (c = 0; c < l->ncols; c++)
			sum += l->sum[c][s];
		for (k = 0; k < nnames && (s == LOOP_STEPS || strcmp(names[k], l->step[s])); k++)
			;
		mean[k] += sum / (double)iters;
	}
	return true;
}

static const struct loop *find_loop(const struct run *r, const char *name)
{
	int k;

	for (k = 0; k < r->nloops; k++)
		if (!strcmp(r->loops[k].name, name))
			return &r->loops[k];
	return NULL;
}

/*
 * Run 1's benchtrace.h loops in every run: the mean iteration stacked by
 * step, a bar per run, and each step's mean per iteration as a ratio.
 */
void compare_loops(struct out *o, const struct run *runs, int n)
{
	double mean[MAX_RUNS][LOOP_STEPS + 1], top, y;
	bool have[MAX_RUNS];
	char title[160], tip[256], a[32];
	struct svg_chart ch;
	int k, i, s;

	for (k = 0; k < runs[0].nloops; k++) {
		const struct loop *l0 = &runs[0].loops[k];

		top = 0;
		for (i = 0; i < n && i < MAX_RUNS; i++) {
			const struct loop *l = find_loop(&runs[i], l0->name);

			have[i] = l && loop_means(l, l0->step, l0->nsteps, mean[i]);
			for (y = 0, s = 0; have[i] && s <= l0->nsteps; s++)
				y += mean[i][s];
			if (y > top)
				top = y;
		}
		out__puts(o, "<h3>Iterations of <code>");
		out__html_str(o, l0->name);
		out__puts(o, "</code> per run</h3>\n<table class=\"compare\">");
		for (s = 0; s <= l0->nsteps; s++) {
			out__puts(o, "<tr><td class=\"l\">");
			if (s < l0->nsteps) {
				out__printf(o, "<span class=\"sw\" style=\"background:%s\"></span> "
					       "<code>", svg_color(s));
				out__html_str(o, l0->step[s]);
				out__puts(o, "</code>");
			} else {
				out__puts(o, "other steps and outside any");
			}
			out__puts(o, " per iteration</td>");
			for (i = 0; i < n && i < MAX_RUNS; i++) {
				if (!have[i]) {
					out__puts(o, "<td>-</td>");
					continue;
				}
				ratio_cell(o, mean[i][s], i && have[0] ? mean[0][s] : 0, SVG_NS);
			}
			out__puts(o, "</tr>\n");
		}
		out__puts(o, "</table>\n");
		snprintf(title, sizeof(title), "Mean iteration of %s by step, per run", l0->name);
		stack_chart(&ch, o, title, 0.5, n + 0.5, "run", top);
		for (i = 0; i < n && i < MAX_RUNS; i++) {
			for (y = 0, s = 0; have[i] && s <= l0->nsteps; s++) {
				if (mean[i][s] <= 0)
					continue;
				snprintf(tip, sizeof(tip), "run %d: %s %s", i + 1,
					 s < l0->nsteps ? l0->step[s] : "other",
					 svg_fmt(a, sizeof(a), mean[i][s], SVG_NS));
				svg_chart__stack(&ch, i + 0.65, i + 1.35, y, y + mean[i][s],
						 s < l0->nsteps ? svg_color(s) : "#bbb", tip);
				y += mean[i][s];
			}
		}
		svg_chart__end(&ch);
	}
}
