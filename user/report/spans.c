// SPDX-License-Identifier: GPL-2.0
/* Traced calls drawn as spans in lanes (spans.h), on svg.c's time axis. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/spans.h"
#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/out.h"

int span_grid__init(struct span_grid *g, int n, double x0, double x1)
{
	memset(g, 0, sizeof(*g));
	g->n = n > 0 ? n : 1;
	g->x0 = x0;
	g->x1 = x1 > x0 ? x1 : x0 + 1;
	return 0;
}

void span_grid__free(struct span_grid *g)
{
	int i;

	for (i = 0; i < g->nlanes; i++)
		free(g->lanes[i].cell);
	free(g->lanes);
	free(g->slots);
	memset(g, 0, sizeof(*g));
}

static unsigned int key_hash(long key, unsigned int cap)
{
	return ((unsigned int)key * 2654435761U) & (cap - 1);
}

/* key -> lane through an open-addressing table: thousands of threads stay fast. */
static struct span_lane *lane_get(struct span_grid *g, long key)
{
	static const struct span_cell idle = {.func = -1};
	size_t i, ncell = (size_t)SPAN_MAX_DEPTH * (size_t)g->n;
	struct span_lane *l;
	unsigned int h;

	if (g->nslots)
		for (h = key_hash(key, g->nslots); g->slots[h]; h = (h + 1) & (g->nslots - 1))
			if (g->lanes[g->slots[h] - 1].key == key)
				return &g->lanes[g->slots[h] - 1];
	if (g->nlanes >= SPAN_MAX_LANES)
		return NULL;
	if ((unsigned int)g->nlanes * 2 >= g->nslots) {
		unsigned int cap = g->nslots ? g->nslots * 2 : 64;
		int *slots = calloc(cap, sizeof(*slots)), k;

		if (!slots)
			return NULL;
		for (k = 0; k < g->nlanes; k++) {
			for (h = key_hash(g->lanes[k].key, cap); slots[h]; h = (h + 1) & (cap - 1))
				;
			slots[h] = k + 1;
		}
		free(g->slots);
		g->slots = slots;
		g->nslots = cap;
	}
	if (g->nlanes == g->cap) {
		int cap = g->cap ? g->cap * 2 : 8;
		struct span_lane *lanes = realloc(g->lanes, (size_t)cap * sizeof(*lanes));

		if (!lanes)
			return NULL;
		g->lanes = lanes;
		g->cap = cap;
	}
	l = &g->lanes[g->nlanes];
	memset(l, 0, sizeof(*l));
	l->key = key;
	l->cell = malloc(ncell * sizeof(*l->cell));
	if (!l->cell)
		return NULL;
	for (i = 0; i < ncell; i++)
		l->cell[i] = idle;
	for (h = key_hash(key, g->nslots); g->slots[h]; h = (h + 1) & (g->nslots - 1))
		;
	g->slots[h] = ++g->nlanes;
	return l;
}

int span_grid__add(struct span_grid *g, long key, int depth, int func, double t, double dur)
{
	double w = (g->x1 - g->x0) / g->n, end = t + dur;
	struct span_lane *l = NULL;
	struct span_cell *row;
	int c, c0, c1;

	if (g->last < g->nlanes && g->lanes[g->last].key == key)
		l = &g->lanes[g->last];
	if (!l)
		l = lane_get(g, key);
	if (!l) {
		if (g->nlanes < SPAN_MAX_LANES)
			return -ENOMEM;
		g->dropped++; /* more threads than we keep lanes for */
		return 0;
	}
	g->last = (int)(l - g->lanes);
	if (depth < 0)
		depth = 0;
	if (depth >= SPAN_MAX_DEPTH)
		depth = SPAN_MAX_DEPTH - 1;
	if (depth + 1 > l->depths)
		l->depths = depth + 1;
	if (!(dur >= 0))
		dur = 0;
	l->busy += depth == 0 ? dur : 0;
	row = l->cell + (size_t)depth * (size_t)g->n;
	/* A call that ends exactly on a column boundary does not reach into the next. */
	c0 = svg_col_clamp(floor((t - g->x0) / w + 1e-9), g->n);
	c1 = svg_col_clamp(floor((end - g->x0) / w - 1e-9), g->n);
	if (c1 < c0)
		c1 = c0;
	row[c0].calls++;
	if (dur > row[c0].max_dur)
		row[c0].max_dur = dur;
	for (c = c0; c <= c1; c++) {
		double a = g->x0 + c * w, b = a + w;
		double in = (end < b ? end : b) - (t > a ? t : a);

		if (in < 0)
			in = 0;
		row[c].busy += in;
		/* The function with the longest single overlap names the column. */
		if ((row[c].func < 0 && (in > 0 || c == c0)) || in > row[c].best) {
			row[c].func = func;
			row[c].best = in;
		}
	}
	return 0;
}

static int lane_cmp(const void *a, const void *b)
{
	const struct span_lane *x = a, *y = b;

	if (x->busy != y->busy)
		return x->busy < y->busy ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

void span_grid__sort(struct span_grid *g)
{
	/* Lanes move: the key table is stale, and no call is added after this. */
	free(g->slots);
	g->slots = NULL;
	g->nslots = 0;
	g->last = 0;
	if (g->nlanes > 1)
		qsort(g->lanes, (size_t)g->nlanes, sizeof(*g->lanes), lane_cmp);
}

#define SPAN_ROW_H    12
#define SPAN_GAP      8
#define SPAN_MAX_RUNS 200 /* rectangles per row, at most */

/* Runs of the same function in a row of cells: the rectangles it draws as. */
static int row_runs(const struct span_cell *row, int n)
{
	int c, runs = 0;

	for (c = 0; c < n; c++)
		runs += row[c].func >= 0 && (c == 0 || row[c - 1].func != row[c].func);
	return runs;
}

/*
 * One depth of one lane.  A row where functions alternate column after
 * column would draw a rectangle per pixel; past SPAN_MAX_RUNS it is drawn
 * from buckets of k columns (each named by its longest overlap), which
 * bounds the report's size whatever the calls.
 */
static void span_row(struct out *o, const struct span_grid *g, const struct span_cell *cells,
		     long key, int d, int y, const char *const *names, int nnames,
		     struct span_cell *coarse)
{
	double w = (g->x1 - g->x0) / g->n;
	const struct span_cell *row = cells;
	int n = g->n, k = 1, c, i;
	char buf[64], buf2[64];

	if (row_runs(cells, g->n) > SPAN_MAX_RUNS && coarse) {
		k = (g->n + SPAN_MAX_RUNS - 1) / SPAN_MAX_RUNS;
		n = (g->n + k - 1) / k;
		for (i = 0; i < n; i++) {
			struct span_cell *b = &coarse[i];

			memset(b, 0, sizeof(*b));
			b->func = -1;
			for (c = i * k; c < (i + 1) * k && c < g->n; c++) {
				b->busy += cells[c].busy;
				b->calls += cells[c].calls;
				if (cells[c].max_dur > b->max_dur)
					b->max_dur = cells[c].max_dur;
				if (cells[c].func >= 0 &&
				    (b->func < 0 || cells[c].best > b->best)) {
					b->func = cells[c].func;
					b->best = cells[c].best;
				}
			}
		}
		row = coarse;
		w *= k;
	}
	for (c = 0; c < n;) {
		int f = row[c].func, e = c;
		double busy = 0, maxd = 0, px0, px1, frac;
		__u64 calls = 0;

		if (f < 0) {
			c++;
			continue;
		}
		while (e < n && row[e].func == f) {
			busy += row[e].busy;
			calls += row[e].calls;
			if (row[e].max_dur > maxd)
				maxd = row[e].max_dur;
			e++;
		}
		px0 = SVG_LEFT + (double)c * k * SVG_PLOT_W / g->n;
		px1 = SVG_LEFT + (double)(e * k < g->n ? e * k : g->n) * SVG_PLOT_W / g->n;
		frac = busy / ((e - c) * w);
		if (frac > 1)
			frac = 1;
		out__printf(o,
			    "<rect class=\"span\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			    "height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"><title>",
			    px0, y + 1, px1 - px0 < 1 ? 1 : px1 - px0, SPAN_ROW_H - 2, svg_color(f),
			    0.3 + 0.7 * frac);
		if (f < nnames)
			out__html_str(o, names[f]);
		out__printf(o, " (tid %ld, depth %d)&#10;t %.3f – %.3f s: ", key, d, g->x0 + c * w,
			    g->x0 + e * w);
		svg_format(buf, sizeof(buf), maxd * 1e9, SVG_NS);
		snprintf(buf2, sizeof(buf2), "%.0f%%", frac * 100);
		out__printf(o, "%llu call%s started, longest ", (unsigned long long)calls,
			    calls == 1 ? "" : "s");
		out__html_str(o, buf);
		out__puts(o, ", busy ");
		out__html_str(o, buf2);
		out__puts(o, "</title></rect>\n");
		c = e;
	}
}

void svg_spans(struct out *o, const struct span_grid *g, int max_lanes, const char *title,
	       const char *const *names, int nnames)
{
	struct svg_chart ch = {
	    .o = o,
	    .x0 = g->x0,
	    .x1 = g->x1,
	    .xunit = SVG_TIME,
	    .xlabel = "time since start",
	};
	int nl = g->nlanes < max_lanes ? g->nlanes : max_lanes;
	int i, d, y, h = 0, height, lx = SVG_LEFT;
	/* Scratch for rows drawn coarser; without it they are drawn as they are. */
	struct span_cell *coarse = malloc(sizeof(*coarse) * (size_t)g->n);

	for (i = 0; i < nl; i++)
		h += g->lanes[i].depths * SPAN_ROW_H + SPAN_GAP;
	ch.top = PLOT_TOP;
	ch.plot_h = h;
	height = PLOT_TOP + h + BOTTOM + 4;
	out__printf(o,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart spans\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
		    SVG_WIDTH, height, SVG_WIDTH, height);
	out__printf(o, "<text class=\"ctitle\" x=\"%d\" y=\"%d\">", SVG_LEFT, TITLE_Y);
	out__html_str(o, title);
	out__puts(o, "</text>\n");
	for (i = 0; i < nnames && i < 12; i++) {
		size_t len = strlen(names[i]);

		out__printf(o,
			    "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"9\" fill=\"%s\"/>"
			    "<text class=\"legend\" x=\"%d\" y=\"%d\">",
			    lx, LEGEND_Y - 8, svg_color(i), lx + 18, LEGEND_Y);
		out__html_str(o, names[i]);
		out__puts(o, "</text>\n");
		lx += 18 + (int)(len > 40 ? 40 : len) * 7 + 16;
		if (lx > SVG_WIDTH - 120)
			break;
	}
	out__printf(o, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    SVG_LEFT, ch.top, SVG_PLOT_W, h);
	svg_x_axis(o, &ch, ch.top, ch.top + h);
	out__printf(o, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    SVG_LEFT, ch.top, SVG_PLOT_W, h);

	y = ch.top + SPAN_GAP / 2;
	for (i = 0; i < nl; i++) {
		const struct span_lane *l = &g->lanes[i];

		out__printf(
		    o, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%ld</text>\n",
		    SVG_LEFT - 6, y + SPAN_ROW_H - 2, l->key);
		for (d = 0; d < l->depths; d++, y += SPAN_ROW_H)
			span_row(o, g, l->cell + (size_t)d * (size_t)g->n, l->key, d, y, names,
				 nnames, coarse);
		y += SPAN_GAP;
	}
	out__puts(o, "</svg>\n");
	free(coarse);
}
