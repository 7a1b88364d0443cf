/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BT_SPANS_H
#define BT_SPANS_H

#include <linux/types.h>

struct out;

/*
 * Traced calls as spans in lanes: per lane (thread) and depth, per pixel
 * column, the function with the most time in that column.  Adjacent
 * columns with the same function merge into one rectangle, so the drawing
 * is bounded by lanes x depths x columns whatever the number of calls.
 */
#define SPAN_MAX_DEPTH 4
#define SPAN_MAX_LANES 256 /* threads kept: 160 KiB each (depths x columns cells) */

struct span_cell {
	int func;	/* -1: idle */
	double best;	/* the func's time in this column, s */
	double busy;	/* all calls' time in this column, s */
	__u32 calls;	/* calls that started in this column */
	double max_dur; /* longest call starting here, s */
};

struct span_lane {
	long key; /* tid */
	int depths;
	struct span_cell *cell; /* [SPAN_MAX_DEPTH][n] */
	double busy;
};

struct span_grid {
	int n; /* columns */
	double x0, x1;
	int nlanes, cap;
	int last;	     /* lane of the previous call: threads call in bursts */
	int *slots;	     /* key -> lane index + 1 */
	unsigned int nslots; /* power of two */
	__u64 dropped;	     /* calls on threads past SPAN_MAX_LANES */
	struct span_lane *lanes;
};

int span_grid__init(struct span_grid *g, int n, double x0, double x1);
void span_grid__free(struct span_grid *g);
/* A call of func (an index into the caller's names) on lane key; -ENOMEM. */
int span_grid__add(struct span_grid *g, long key, int depth, int func, double t, double dur);
/* Sort lanes by busy time (most first); no span_grid__add() after this. */
void span_grid__sort(struct span_grid *g);
/*
 * One chart of the first max_lanes lanes, on the same x axis as the other
 * charts; names[func] label the spans (escaped), coloured svg_color(func).
 * lane_label(key) names a lane ("tid 123"); may be NULL.
 */
void svg_spans(struct out *o, const struct span_grid *g, int max_lanes, const char *title,
	       const char *const *names, int nnames);

#endif /* BT_SPANS_H */
