// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/out.h"


/* ---- min/max per column ---------------------------------------------- */

static int mmcols_alloc(struct mmcols *c, int n)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	if (n < 1)
		n = 1;
	c->n = n;
	c->min = malloc((size_t)n * sizeof(double));
	c->max = malloc((size_t)n * sizeof(double));
	c->xmin = malloc((size_t)n * sizeof(double));
	c->xmax = malloc((size_t)n * sizeof(double));
	c->count = calloc((size_t)n, sizeof(__u64));
	if (!c->min || !c->max || !c->xmin || !c->xmax || !c->count) {
		mmcols__free(c);
		return -ENOMEM;
	}
	for (i = 0; i < (size_t)n; i++)
		c->min[i] = c->max[i] = c->xmin[i] = c->xmax[i] = NAN;
	return 0;
}

int mmcols__init(struct mmcols *c, int n, double x0, double x1)
{
	int err = mmcols_alloc(c, n);

	if (err)
		return err;
	c->x0 = x0;
	c->x1 = x1 > x0 ? x1 : x0 + 1;
	return 0;
}

int mmcols__init_grow(struct mmcols *c, int n)
{
	int err = mmcols_alloc(c, n);

	if (err)
		return err;
	c->x0 = 0;
	c->x1 = c->n;
	c->grow = true;
	return 0;
}

void mmcols__free(struct mmcols *c)
{
	free(c->min);
	free(c->max);
	free(c->xmin);
	free(c->xmax);
	free(c->count);
	memset(c, 0, sizeof(*c));
}

static void col_merge(struct mmcols *c, int dst, int src)
{
	if (!c->count[src])
		return;
	if (!c->count[dst] || c->min[src] < c->min[dst]) {
		c->min[dst] = c->min[src];
		c->xmin[dst] = c->xmin[src];
	}
	if (!c->count[dst] || c->max[src] > c->max[dst]) {
		c->max[dst] = c->max[src];
		c->xmax[dst] = c->xmax[src];
	}
	c->count[dst] += c->count[src];
}

/* Double the x range: columns 2i and 2i+1 become column i. */
static void mmcols_fold(struct mmcols *c)
{
	int i, half = (c->n + 1) / 2;

	/* Ascending i reads 2i and 2i+1, which no earlier step has written. */
	for (i = 0; i < half; i++) {
		int a = 2 * i, b = 2 * i + 1;

		if (a != i) {
			c->min[i] = c->min[a];
			c->max[i] = c->max[a];
			c->xmin[i] = c->xmin[a];
			c->xmax[i] = c->xmax[a];
			c->count[i] = c->count[a];
		}
		if (b < c->n)
			col_merge(c, i, b);
	}
	for (i = half; i < c->n; i++)
		c->count[i] = 0;
	c->x1 = c->x0 + 2 * (c->x1 - c->x0);
}

void mmcols__add(struct mmcols *c, double x, double v)
{
	double w;
	int i;

	if (isnan(v) || isnan(x) || !c->n)
		return;
	while (c->grow && x >= c->x1)
		mmcols_fold(c);
	w = c->x1 - c->x0;
	i = svg_col_clamp(floor((x - c->x0) / w * c->n), c->n);
	if (!c->count[i] || v < c->min[i]) {
		c->min[i] = v;
		c->xmin[i] = x;
	}
	if (!c->count[i] || v > c->max[i]) {
		c->max[i] = v;
		c->xmax[i] = x;
	}
	c->count[i]++;
}

int mmcols__used(const struct mmcols *c)
{
	int i, n = 0;

	for (i = 0; i < c->n; i++)
		n += c->count[i] > 0;
	return n;
}

double mmcols__top(const struct mmcols *c)
{
	double top = NAN;
	int i;

	for (i = 0; i < c->n; i++)
		if (c->count[i] && (isnan(top) || c->max[i] > top))
			top = c->max[i];
	return top;
}

int mmcols__points(const struct mmcols *c)
{
	int i, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->count[i])
			n += c->min[i] == c->max[i] ? 1 : 2;
	return n;
}

/* ---- numbers and units ----------------------------------------------- */

struct scale {
	double div;
	const char *suffix;
};

static struct scale unit_scale(double v, enum svg_unit unit)
{
	static const char *const bytes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	static const char *const rates[] = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s", "PiB/s"};
	struct scale s = {1, ""};
	int k = 0;

	v = fabs(v);
	switch (unit) {
	case SVG_BYTES:
	case SVG_BYTES_RATE:
		while (v >= 1024 && k < 5) {
			v /= 1024;
			s.div *= 1024;
			k++;
		}
		s.suffix = unit == SVG_BYTES ? bytes[k] : rates[k];
		break;
	case SVG_PCT:
		s.suffix = "%";
		break;
	case SVG_RATE:
		s.suffix = v >= 1e6 ? "M/s" : v >= 1e3 ? "k/s" : "/s";
		s.div = v >= 1e6 ? 1e6 : v >= 1e3 ? 1e3 : 1;
		break;
	case SVG_COUNT:
		s.suffix = v >= 1e6 ? "M" : v >= 1e4 ? "k" : "";
		s.div = v >= 1e6 ? 1e6 : v >= 1e4 ? 1e3 : 1;
		break;
	case SVG_NS:
		/* Runs of days read better in hours and days than in seconds. */
		if (v >= 2 * 86400e9) {
			s.suffix = "d";
			s.div = 86400e9;
		} else if (v >= 2 * 3600e9) {
			s.suffix = "h";
			s.div = 3600e9;
		} else if (v >= 120e9) {
			s.suffix = "min";
			s.div = 60e9;
		} else {
			s.suffix = v >= 1e9 ? "s" : v >= 1e6 ? "ms" : v >= 1e3 ? "µs" : "ns";
			s.div = v >= 1e9 ? 1e9 : v >= 1e6 ? 1e6 : v >= 1e3 ? 1e3 : 1;
		}
		break;
	case SVG_TIME:
		s.suffix = v >= 36000 ? "h" : v >= 600 ? "min" : "s";
		s.div = v >= 36000 ? 3600 : v >= 600 ? 60 : 1;
		break;
	}
	return s;
}

void svg_format(char *buf, size_t len, double v, enum svg_unit unit)
{
	struct scale s = unit_scale(v, unit);
	double x = v / s.div;
	int dec = fabs(x) >= 100 ? 0 : fabs(x) >= 10 ? 1 : 2;

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	/* Whole bytes and counts have no decimals; 0 is "0", not "0.00". */
	if (x == floor(x) && (s.div == 1 || x == 0) && unit != SVG_NS && unit != SVG_TIME)
		dec = 0;
	if (x == 0)
		dec = 0;
	snprintf(buf, len, "%.*f%s%s", dec, x, unit == SVG_PCT || !s.suffix[0] ? "" : " ",
		 s.suffix);
}

/* A 1-2-5 step giving about `target` intervals over range. */
static double nice_step(double range, int target)
{
	double raw = range / target, mag, norm;

	if (!(raw > 0))
		return 1;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

static int step_decimals(double step)
{
	/* in double until clamped: a step of 0 or inf (values near DBL_MAX) is +-inf here */
	double d = ceil(-log10(step) - 1e-9);

	return !(d > 0) ? 0 : d > 6 ? 6 : (int)d;
}

static const char *const palette[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
};

const char *svg_color(int i)
{
	if (i < 0)
		i = -i;
	return palette[i % (int)(sizeof(palette) / sizeof(palette[0]))];
}

/* ---- charts ------------------------------------------------------------ */

double svg_chart__px(const struct svg_chart *ch, double x)
{
	double w = ch->x1 - ch->x0;

	return SVG_LEFT + (w > 0 ? (x - ch->x0) / w : 0) * SVG_PLOT_W;
}

double svg_chart__py(const struct svg_chart *ch, double y)
{
	double h = ch->y1 - ch->y0;
	double f = h > 0 ? (y - ch->y0) / h : 0;

	if (f < 0)
		f = 0;
	if (f > 1.02)
		f = 1.02;
	return ch->top + ch->plot_h * (1 - f);
}

int svg_chart__add(struct svg_chart *ch, const struct mmcols *mm, const char *name,
		   const char *color, bool dashed, bool fill)
{
	struct svg_series *s;

	if (ch->nseries >= SVG_MAX_SERIES)
		return -E2BIG;
	s = &ch->series[ch->nseries++];
	s->mm = mm;
	s->name = name;
	s->color = color;
	s->dashed = dashed;
	s->fill = fill;
	return 0;
}

void svg_x_axis(struct out *o, const struct svg_chart *ch, int top, int bottom)
{
	double range = ch->x1 - ch->x0, step, x;
	struct scale s;
	char buf[64];
	int dec, n = 0;

	if (ch->xlog) {
		/* Decades, and 2 and 5 within them when the range is short. */
		static const double sub[] = {1, 2, 5};
		bool fine = ch->x1 - ch->x0 <= 3;

		for (x = floor(ch->x0); x <= ch->x1 + 1e-9 && n < 60; x += 1) {
			int k;

			for (k = 0; k < (fine ? 3 : 1); k++) {
				double lx = x + log10(sub[k]), px;

				if (lx < ch->x0 - 1e-9 || lx > ch->x1 + 1e-9)
					continue;
				px = svg_chart__px(ch, lx);
				svg_format(buf, sizeof(buf), pow(10, lx), SVG_NS);
				out__printf(
				    o,
				    "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
				    "y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"%d\" "
				    "text-anchor=\"middle\">%s</text>\n",
				    px, top, px, bottom, px, bottom + 14, buf);
				n++;
			}
		}
	} else {
		s = unit_scale(ch->x1, ch->xunit);
		step = nice_step(range / s.div, 8);
		dec = step_decimals(step);
		for (x = ceil(ch->x0 / s.div / step) * step;
		     x <= ch->x1 / s.div + step * 1e-6 && n < 40; x += step, n++) {
			double px = svg_chart__px(ch, x * s.div);

			if (fabs(x) < step * 1e-6)
				x = 0;
			out__printf(o,
				    "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
				    "y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"%d\" "
				    "text-anchor=\"middle\">%.*f</text>\n",
				    px, top, px, bottom, px, bottom + 14, dec, x);
		}
	}
	out__printf(o, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		    SVG_LEFT + SVG_PLOT_W / 2, bottom + 30);
	out__html_str(o, ch->xlabel ? ch->xlabel : "");
	if (!ch->xlog && ch->xunit != SVG_COUNT) {
		s = unit_scale(ch->x1, ch->xunit);
		out__printf(o, " (%s)", s.suffix);
	} else if (ch->xunit == SVG_COUNT && unit_scale(ch->x1, SVG_COUNT).suffix[0]) {
		out__printf(o, " (%s)", unit_scale(ch->x1, SVG_COUNT).suffix);
	}
	out__puts(o, "</text>\n");
}

void svg_chart__begin(struct svg_chart *ch)
{
	struct out *o = ch->o;
	struct scale s;
	double step, y, top;
	int height, dec, i, n = 0, lx;

	if (!ch->plot_h)
		ch->plot_h = 170;
	ch->top = PLOT_TOP;
	height = ch->top + ch->plot_h + BOTTOM + 4;
	if (!(ch->x1 > ch->x0))
		ch->x1 = ch->x0 + 1;
	if (!(ch->y1 > ch->y0))
		ch->y1 = ch->y0 + 1;
	/* Round the top up to a tick in the axis's display unit. */
	s = unit_scale(ch->y1, ch->yunit);
	step = nice_step((ch->y1 - ch->y0) / s.div, 4);
	/* counts (calls, threads) are whole: no 1.5 on their axis */
	if (ch->yunit == SVG_COUNT && s.div == 1 && step < 1)
		step = 1;
	top = ceil(ch->y1 / s.div / step - 1e-9) * step;
	ch->y1 = top * s.div;
	dec = step_decimals(step);

	out__printf(o,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
		    SVG_WIDTH, height, SVG_WIDTH, height);
	out__printf(o, "<text class=\"ctitle\" x=\"%d\" y=\"%d\">", SVG_LEFT, TITLE_Y);
	out__html_str(o, ch->title);
	out__puts(o, "</text>\n");

	/* Legend: a swatch and the name per series, left to right. */
	lx = SVG_LEFT;
	for (i = 0; i < ch->nseries; i++) {
		const struct svg_series *se = &ch->series[i];
		size_t len = strlen(se->name);

		if (lx > SVG_WIDTH - 120) {
			out__puts(o, "<text class=\"legend\" y=\""
				     "33"
				     "\" x=\"");
			out__printf(o, "%d\">…</text>\n", lx);
			break;
		}
		out__printf(o,
			    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			    "stroke-width=\"2.5\"%s/><text class=\"legend\" x=\"%d\" y=\"%d\">",
			    lx, LEGEND_Y - 4, lx + 16, LEGEND_Y - 4, se->color,
			    se->dashed ? " stroke-dasharray=\"4 3\"" : "", lx + 20, LEGEND_Y);
		out__html_str(o, se->name);
		out__puts(o, "</text>\n");
		lx += 20 + (int)(len > 40 ? 40 : len) * 7 + 18;
	}

	out__printf(o, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    SVG_LEFT, ch->top, SVG_PLOT_W, ch->plot_h);
	for (y = ceil(ch->y0 / s.div / step - 1e-9) * step; y <= top + step * 1e-6 && n < 20;
	     y += step, n++) {
		double py = svg_chart__py(ch, y * s.div);

		if (fabs(y) < step * 1e-6)
			y = 0; /* not "-0" from rounding */

		out__printf(
		    o,
		    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
		    "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n",
		    SVG_LEFT, py, SVG_LEFT + SVG_PLOT_W, py, SVG_LEFT - 6, py + 4, dec, y);
	}
	out__printf(o,
		    "<text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" "
		    "text-anchor=\"middle\">",
		    ch->top + ch->plot_h / 2);
	out__html_str(o, ch->ylabel ? ch->ylabel : "");
	if (s.suffix[0])
		out__printf(o, " (%s)", s.suffix);
	out__puts(o, "</text>\n");
	svg_x_axis(o, ch, ch->top, ch->top + ch->plot_h);
	/* The frame over the grid lines that end on it. */
	out__printf(o, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
		    SVG_LEFT, ch->top, SVG_PLOT_W, ch->plot_h);
}

/* Data x of a column's centre. */
static double col_x(const struct mmcols *c, int i)
{
	return c->x0 + (i + 0.5) * (c->x1 - c->x0) / c->n;
}

static void series_path(struct out *o, const struct svg_chart *ch, const struct mmcols *c,
			bool step)
{
	bool first = true;
	int i;

	for (i = 0; i < c->n; i++) {
		double px, a, b;

		if (!c->count[i])
			continue;
		px = svg_chart__px(ch, col_x(c, i));
		/* In the order they happened, so the line's shape is right. */
		if (c->xmin[i] <= c->xmax[i])
			a = c->min[i], b = c->max[i];
		else
			a = c->max[i], b = c->min[i];
		if (step && !first)
			/* up or down at the interval's start, flat to its end */
			out__printf(o, "V%.1fH%.1f", svg_chart__py(ch, a), px);
		else
			out__printf(o, "%s%.1f %.1f", first ? "M" : "L", px, svg_chart__py(ch, a));
		if (a != b)
			out__printf(o, "L%.1f %.1f", px, svg_chart__py(ch, b));
		first = false;
	}
}

static void series_ends(const struct mmcols *c, int *lo, int *hi)
{
	*lo = -1;
	*hi = -1;
	for (int i = 0; i < c->n; i++) {
		if (!c->count[i])
			continue;
		if (*lo < 0)
			*lo = i;
		*hi = i;
	}
}

void svg_chart__lines(struct svg_chart *ch)
{
	struct out *o = ch->o;
	int i;

	/* Fills first, so no area hides another series' line. */
	for (i = 0; i < ch->nseries; i++) {
		const struct svg_series *s = &ch->series[i];
		int lo, hi;

		if (!s->fill)
			continue;
		series_ends(s->mm, &lo, &hi);
		if (lo < 0)
			continue;
		out__printf(o, "<path fill=\"%s\" fill-opacity=\"0.13\" stroke=\"none\" d=\"",
			    s->color);
		series_path(o, ch, s->mm, s->step);
		out__printf(o, "L%.1f %.1fL%.1f %.1fZ\"/>\n", svg_chart__px(ch, col_x(s->mm, hi)),
			    svg_chart__py(ch, ch->y0), svg_chart__px(ch, col_x(s->mm, lo)),
			    svg_chart__py(ch, ch->y0));
	}
	for (i = 0; i < ch->nseries; i++) {
		const struct svg_series *s = &ch->series[i];

		if (!mmcols__used(s->mm))
			continue;
		out__printf(o,
			    "<path class=\"series\" data-points=\"%d\" fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"%s\" stroke-linejoin=\"round\"%s d=\"",
			    mmcols__points(s->mm), s->color, s->dashed ? "1.2" : "1.6",
			    s->dashed ? " stroke-dasharray=\"4 3\"" : "");
		series_path(o, ch, s->mm, s->step);
		out__puts(o, "\"><title>");
		out__html_str(o, s->name);
		out__puts(o, "</title></path>\n");
	}
}

void svg_chart__hover(struct svg_chart *ch, int band)
{
	struct out *o = ch->o;
	int nb, b, i, k;
	double *lo, *hi;

	if (band < 2)
		band = 2;
	nb = (SVG_PLOT_W + band - 1) / band;
	lo = malloc(sizeof(double) * (size_t)nb * SVG_MAX_SERIES);
	hi = malloc(sizeof(double) * (size_t)nb * SVG_MAX_SERIES);
	if (!lo || !hi)
		goto out;
	for (i = 0; i < nb * SVG_MAX_SERIES; i++)
		lo[i] = hi[i] = NAN;
	for (k = 0; k < ch->nseries; k++) {
		const struct mmcols *c = ch->series[k].mm;

		for (i = 0; i < c->n; i++) {
			double px;

			if (!c->count[i])
				continue;
			px = svg_chart__px(ch, col_x(c, i)) - SVG_LEFT;
			b = (int)(px / band);
			if (b < 0 || b >= nb)
				continue;
			b = b * SVG_MAX_SERIES + k;
			if (isnan(lo[b]) || c->min[i] < lo[b])
				lo[b] = c->min[i];
			if (isnan(hi[b]) || c->max[i] > hi[b])
				hi[b] = c->max[i];
		}
	}
	out__puts(o, "<g class=\"hover\">\n");
	for (b = 0; b < nb; b++) {
		double xa = ch->x0 + (ch->x1 - ch->x0) * b * band / SVG_PLOT_W;
		double xb = ch->x0 + (ch->x1 - ch->x0) * (b + 1) * band / SVG_PLOT_W;
		char s1[48], s2[48];
		bool any = false;

		for (k = 0; k < ch->nseries; k++)
			any |= !isnan(hi[b * SVG_MAX_SERIES + k]);
		if (!any)
			continue;
		out__printf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>",
			    SVG_LEFT + b * band, ch->top, band, ch->plot_h);
		if (ch->xlog) {
			svg_format(s1, sizeof(s1), pow(10, xa), SVG_NS);
			svg_format(s2, sizeof(s2), pow(10, xb), SVG_NS);
		} else if (ch->xunit == SVG_TIME) {
			snprintf(s1, sizeof(s1), "t %.3f", xa);
			snprintf(s2, sizeof(s2), "%.3f s", xb);
		} else {
			snprintf(s1, sizeof(s1), "#%.0f", ceil(xa));
			snprintf(s2, sizeof(s2), "%.0f", ceil(xb) - 1);
		}
		out__html_str(o, s1);
		out__puts(o, " – ");
		out__html_str(o, s2);
		for (k = 0; k < ch->nseries; k++) {
			double l = lo[b * SVG_MAX_SERIES + k], h = hi[b * SVG_MAX_SERIES + k];

			if (isnan(h))
				continue;
			out__puts(o, "&#10;");
			out__html_str(o, ch->series[k].name);
			svg_format(s1, sizeof(s1), h, ch->yunit);
			out__puts(o, ": ");
			out__html_str(o, s1);
			if (l != h) {
				svg_format(s2, sizeof(s2), l, ch->yunit);
				out__puts(o, " (min ");
				out__html_str(o, s2);
				out__puts(o, ")");
			}
		}
		out__puts(o, "</title></rect>\n");
	}
	out__puts(o, "</g>\n");
out:
	free(lo);
	free(hi);
}

double svg_tag_width(const char *tag)
{
	return 6.0 * (double)strlen(tag);
}

void svg_chart__marker(struct svg_chart *ch, double x, const char *color, const char *label,
		       const char *tag, int row, bool full)
{
	double px = svg_chart__px(ch, x);
	int bottom = full ? ch->top + ch->plot_h : ch->top + 13 + 11 * row;

	if (tag && *tag) {
		/* beside the line, or before it where it would run past the plot */
		bool left = px + 4 + svg_tag_width(tag) > SVG_LEFT + SVG_PLOT_W;

		out__printf(ch->o,
			    "<text class=\"tag\" x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"%s\"%s>",
			    left ? px - 3 : px + 3, ch->top + 10 + 11 * row, color,
			    left ? " text-anchor=\"end\"" : "");
		out__html_str(ch->o, tag);
		out__puts(ch->o, "</text>\n");
	}
	out__printf(ch->o,
		    "<g class=\"marker\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"%s\" stroke-width=\"1.2\" stroke-dasharray=\"2 2\"/>"
		    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"transparent\" "
		    "stroke-width=\"7\"><title>",
		    px, ch->top, px, bottom, color, px, ch->top, px, bottom);
	out__html_str(ch->o, label);
	out__puts(ch->o, "</title></line></g>\n");
}

void svg_chart__stack(struct svg_chart *ch, double x, double x2, double lo, double hi,
		      const char *color, const char *title)
{
	double a = svg_chart__px(ch, x), b = svg_chart__px(ch, x2);
	double y = svg_chart__py(ch, hi), base = svg_chart__py(ch, lo);

	out__printf(ch->o,
		    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		    "fill=\"%s\"><title>",
		    a + 0.5, y, b - a > 1.5 ? b - a - 1 : 0.5, base - y > 0 ? base - y : 0, color);
	out__html_str(ch->o, title);
	out__puts(ch->o, "</title></rect>\n");
}

void svg_chart__bar(struct svg_chart *ch, double x, double x2, double v, const char *color,
		    const char *title)
{
	svg_chart__stack(ch, x, x2, ch->y0, v, color, title);
}

void svg_chart__end(struct svg_chart *ch)
{
	out__puts(ch->o, "</svg>\n");
}
