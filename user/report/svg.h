// SPDX-License-Identifier: GPL-2.0
/*
 * Chart primitives for `benchtrace report`: inline SVG written through
 * struct out, no scripts, hover values through <title> elements.
 *
 * Series of any length are reduced to the chart's pixel width before they
 * are drawn: struct mmcols keeps, per pixel column, the minimum and the
 * maximum (and which came first), so a one-sample RSS spike in a week-long
 * run still reaches the top of its column.  A week of 10 ms samples and a
 * second of them give charts of the same size.
 */
#ifndef BT_SVG_H
#define BT_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct out;

/* Min/max per column over x in [x0, x1). */
struct mmcols {
	int n;
	double x0, x1;
	bool grow; /* x1 doubles (columns pairwise merged) when x reaches it */
	double *min, *max;
	double *xmin, *xmax; /* where each extreme was, to draw them in order */
	__u64 *count;
};

/* 0 or -ENOMEM.  x1 <= x0 is widened to x0 + 1. */
int mmcols__init(struct mmcols *c, int n, double x0, double x1);
/*
 * For an x range not known in advance (call index): starts as [0, n) and
 * doubles whenever an x at or past the end arrives, merging columns in pairs.
 */
int mmcols__init_grow(struct mmcols *c, int n);
void mmcols__free(struct mmcols *c);
/* NaN values are ignored; x outside [x0, x1) is clamped (unless grow). */
void mmcols__add(struct mmcols *c, double x, double v);
/* Columns that received a value. */
int mmcols__used(const struct mmcols *c);
/* Largest max over all columns (NaN if none). */
double mmcols__top(const struct mmcols *c);
/* Polyline points the series draws as: 1 per column with one value, else 2. */
int mmcols__points(const struct mmcols *c);

/* What the numbers on an axis are. */
enum svg_unit {
	SVG_PCT,	/* CPU %: 0..N*100 */
	SVG_BYTES,	/* B, KiB, MiB, GiB */
	SVG_BYTES_RATE, /* B/s ... */
	SVG_RATE,	/* events per second */
	SVG_NS,		/* durations: ns .. s */
	SVG_COUNT,	/* plain counts */
	SVG_TIME,	/* seconds since start, shown in s, min or h */
};

/* Human-readable value with unit: "12.3 MiB", "45 %", "1.50 ms", "3.2k/s". */
void svg_format(char *buf, size_t len, double v, enum svg_unit unit);

#define SVG_WIDTH      1100 /* whole chart, px */
#define SVG_LEFT       78   /* room for y tick labels */
#define SVG_RIGHT      18
#define SVG_PLOT_W     (SVG_WIDTH - SVG_LEFT - SVG_RIGHT)
#define SVG_MAX_SERIES 12

/* Series colours: consistent between charts (process i has colour i). */
const char *svg_color(int i);
#define SVG_TOTAL_COLOR "#222"

struct svg_series {
	const struct mmcols *mm;
	const char *name; /* untrusted: escaped */
	const char *color;
	bool dashed;
	bool fill; /* area under the line, lightly */
	/* a rate over each interval (up to its point): drawn flat across the
	 * interval, not as a slope from the previous one */
	bool step;
};

struct svg_chart {
	struct out *o;
	const char *title;
	double x0, x1, y0, y1;
	enum svg_unit xunit, yunit;
	const char *xlabel, *ylabel;
	bool xlog;  /* x is log10 of the value (histograms of durations) */
	int plot_h; /* plot area height, px */
	int top;    /* plot area top, px (after title and legend) */
	int nseries;
	struct svg_series series[SVG_MAX_SERIES];
};

/*
 * Begin a chart: <svg>, title, legend (from the series set so far), grid,
 * axes with tick labels.  Set x0/x1/y0/y1 first; y1 is rounded up to a
 * tick.  Series are then drawn with svg_chart__lines() etc.
 */
void svg_chart__begin(struct svg_chart *ch);
/* Add a series to draw (before begin, so the legend shows it). */
int svg_chart__add(struct svg_chart *ch, const struct mmcols *mm, const char *name,
		   const char *color, bool dashed, bool fill);
/* Draw every series added. */
void svg_chart__lines(struct svg_chart *ch);
/*
 * Transparent hover bands of `band` px over the plot: each has a <title>
 * with the x range and every series' max (and min) there.
 */
void svg_chart__hover(struct svg_chart *ch, int band);
/*
 * Vertical marker at x (events: exit, oom_kill), with a hover title, and
 * @tag (may be NULL) written beside its top on text row @row (0..2); the
 * plot's full height, or (!@full) a tick down to the tag's row.
 */
void svg_chart__marker(struct svg_chart *ch, double x, const char *color, const char *label,
		       const char *tag, int row, bool full);
/* About how wide a marker's tag is written, px (10 px text). */
double svg_tag_width(const char *tag);
/* A bar from x to x2 with height v (histograms); title is escaped. */
void svg_chart__bar(struct svg_chart *ch, double x, double x2, double v, const char *color,
		    const char *title);
/* A bar from x to x2 between heights lo and hi (one part of a stack). */
void svg_chart__stack(struct svg_chart *ch, double x, double x2, double lo, double hi,
		      const char *color, const char *title);
void svg_chart__end(struct svg_chart *ch);

/* x in data units to px (inside the plot). */
double svg_chart__px(const struct svg_chart *ch, double x);
double svg_chart__py(const struct svg_chart *ch, double y);

/*
 * Chart layout shared with spans.c, which draws on the same x axis: rows
 * from the top of a chart, and the height below the plot.
 */
#define TITLE_Y	 16
#define LEGEND_Y 33
#define PLOT_TOP 44
#define BOTTOM	 36 /* below the plot: tick labels and the x label */

/*
 * floor(v) as a column index in [0, n): clamped while still a double, since
 * converting one beyond int's range (a call of 2^64 ns on a 1 us axis) is
 * undefined behaviour.  NaN is column 0.
 */
static inline int svg_col_clamp(double v, int n)
{
	if (!(v > 0))
		return 0;
	return v >= n ? n - 1 : (int)v;
}

/* Tick labels along x, with vertical grid lines from top to bottom. */
void svg_x_axis(struct out *o, const struct svg_chart *ch, int top, int bottom);

#endif /* BT_SVG_H */
