// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "report/spans.h"
#include "report/svg.h"
#include "rundir/out.h"

static void test_mmcols_reduce(void **state)
{
	struct mmcols c;
	__u64 total = 0;
	int i;

	(void)state;
	assert_int_equal(mmcols__init(&c, 100, 0, 1000), 0);
	/* 100000 points, one spike: 100 columns, at most 2 points each, the spike kept. */
	for (i = 0; i < 100000; i++)
		mmcols__add(&c, i / 100.0, i == 51234 ? 1e6 : (double)(i % 7));
	mmcols__add(&c, 5, NAN); /* ignored */
	assert_int_equal(mmcols__used(&c), 100);
	assert_int_equal(mmcols__points(&c), 200);
	assert_true(mmcols__top(&c) == 1e6);
	assert_true(c.max[51] == 1e6);
	assert_true(c.min[51] == 0);
	for (i = 0; i < c.n; i++)
		total += c.count[i];
	assert_int_equal(total, 100000);
	/* Out of range x is clamped into the first or last column. */
	mmcols__add(&c, -5, 42);
	mmcols__add(&c, 5000, 43);
	assert_true(c.max[0] == 42);
	assert_true(c.max[99] == 43);

	/* Far beyond int's range of columns (fuzz_report): still the last one. */
	total = c.count[0];
	mmcols__add(&c, 1e300, 44);
	mmcols__add(&c, -1e300, 41);
	assert_true(c.max[99] == 44);
	assert_int_equal(c.count[0], total + 1);
	mmcols__free(&c);

	/* A constant series draws one point per column. */
	assert_int_equal(mmcols__init(&c, 10, 0, 10), 0);
	for (i = 0; i < 50; i++)
		mmcols__add(&c, i / 5.0, 3);
	assert_int_equal(mmcols__points(&c), 10);
	mmcols__free(&c);
}

static void test_mmcols_grow(void **state)
{
	struct mmcols c;
	__u64 total = 0;
	int i;

	(void)state;
	assert_int_equal(mmcols__init_grow(&c, 100), 0);
	for (i = 0; i < 1000; i++)
		mmcols__add(&c, i, i == 777 ? 5000 : (double)i);
	/* 1000 points: the range doubled from 100 to 1600 (4 folds). */
	assert_true(c.x1 == 1600);
	for (i = 0; i < c.n; i++)
		total += c.count[i];
	assert_int_equal(total, 1000);
	assert_true(mmcols__top(&c) == 5000);
	/* Column 0 covers calls 0..15; column 62 holds 992..999 only. */
	assert_true(c.min[0] == 0 && c.max[0] == 15);
	assert_int_equal(c.count[0], 16);
	assert_int_equal(c.count[62], 8);
	assert_int_equal(c.count[63], 0);
	assert_int_equal(mmcols__used(&c), 63);
	mmcols__free(&c);
}

static void test_format(void **state)
{
	char b[64];

	(void)state;
	svg_format(b, sizeof(b), 0, SVG_BYTES);
	assert_string_equal(b, "0 B");
	svg_format(b, sizeof(b), 1000, SVG_BYTES);
	assert_string_equal(b, "1000 B");
	svg_format(b, sizeof(b), 1536, SVG_BYTES);
	assert_string_equal(b, "1.50 KiB");
	svg_format(b, sizeof(b), 257.2 * 1048576, SVG_BYTES);
	assert_string_equal(b, "257 MiB");
	svg_format(b, sizeof(b), 3 * 1048576.0, SVG_BYTES_RATE);
	assert_string_equal(b, "3.00 MiB/s");
	svg_format(b, sizeof(b), 1.5e6, SVG_NS);
	assert_string_equal(b, "1.50 ms");
	svg_format(b, sizeof(b), 184310367, SVG_NS);
	assert_string_equal(b, "184 ms");
	svg_format(b, sizeof(b), 20.01e9, SVG_NS);
	assert_string_equal(b, "20.0 s");
	svg_format(b, sizeof(b), 604800e9, SVG_NS);
	assert_string_equal(b, "7.00 d");
	svg_format(b, sizeof(b), 3 * 3600e9, SVG_NS);
	assert_string_equal(b, "3.00 h");
	svg_format(b, sizeof(b), 150e9, SVG_NS);
	assert_string_equal(b, "2.50 min");
	svg_format(b, sizeof(b), 45, SVG_PCT);
	assert_string_equal(b, "45%");
	svg_format(b, sizeof(b), 12345, SVG_RATE);
	assert_string_equal(b, "12.3 k/s");
	svg_format(b, sizeof(b), 99, SVG_COUNT);
	assert_string_equal(b, "99");
	svg_format(b, sizeof(b), NAN, SVG_NS);
	assert_string_equal(b, "-");
	/* Palette: stable, wraps around. */
	assert_string_equal(svg_color(0), svg_color(10));
	assert_string_not_equal(svg_color(0), svg_color(1));
}

static void test_spans(void **state)
{
	struct span_grid g;
	int i;

	(void)state;
	assert_int_equal(span_grid__init(&g, 100, 0, 10), 0);
	/* Thread 7: one long call over columns 10..29; thread 9: many short ones. */
	assert_int_equal(span_grid__add(&g, 7, 0, 0, 1.0, 2.0), 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(span_grid__add(&g, 9, 0, 1, 5 + i * 0.02, 0.01), 0);
	/* Nested under the long call, deeper than drawn: clamped to the last row. */
	assert_int_equal(span_grid__add(&g, 7, 9, 2, 1.5, 0.1), 0);
	assert_int_equal(g.nlanes, 2);
	assert_int_equal(g.lanes[0].key, 7);
	assert_int_equal(g.lanes[0].depths, SPAN_MAX_DEPTH);
	for (i = 10; i < 30; i++)
		assert_int_equal(g.lanes[0].cell[i].func, 0);
	assert_int_equal(g.lanes[0].cell[9].func, -1);
	assert_int_equal(g.lanes[0].cell[30].func, -1);
	assert_int_equal(g.lanes[0].cell[10].calls, 1);
	assert_int_equal(g.lanes[1].cell[50].calls, 5);
	assert_true(fabs(g.lanes[1].cell[50].busy - 0.05) < 1e-9);
	/* A call of 2^64 ns on this 10 s axis runs to the last column (fuzz_report). */
	assert_int_equal(span_grid__add(&g, 11, 0, 3, 9.5, 18446744073709551615.0 / 1e9), 0);
	assert_int_equal(g.lanes[2].cell[95].func, 3);
	assert_int_equal(g.lanes[2].cell[99].func, 3);
	assert_int_equal(g.lanes[2].cell[94].func, -1);
	/* Sorted by busy time: thread 11 (huge), thread 7 (2 s), thread 9 (0.5 s). */
	span_grid__sort(&g);
	assert_int_equal(g.lanes[0].key, 11);
	assert_int_equal(g.lanes[1].key, 7);
	assert_true(fabs(g.lanes[2].busy - 0.5) < 1e-9);
	span_grid__free(&g);

	/* Many threads: found through the key table, bounded in number. */
	assert_int_equal(span_grid__init(&g, 10, 0, 10), 0);
	for (i = 0; i < 3 * SPAN_MAX_LANES; i++)
		assert_int_equal(span_grid__add(&g, 1000 + (i * 7919) % (SPAN_MAX_LANES + 44), 0, 0,
						i % 10, 0.5),
				 0);
	assert_int_equal(g.nlanes, SPAN_MAX_LANES);
	assert_true(g.dropped > 0);
	for (i = 0; i < g.nlanes; i++)
		assert_int_equal(g.lanes[i].cell[0].func == 0 || g.lanes[i].busy > 0, 1);
	span_grid__free(&g);
}

/* Render through a memfd and return the text (caller frees). */
static char *render(void (*fn)(struct out *o, void *arg), void *arg)
{
	int fd = memfd_create("svg", 0), d = dup(fd);
	struct out *o = out__open_fd(d, false);
	char *buf;
	off_t len;

	assert_non_null(o);
	fn(o, arg);
	assert_int_equal(out__close(o), 0);
	len = lseek(fd, 0, SEEK_END);
	buf = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fd, buf, (size_t)len, 0), len);
	close(fd);
	return buf;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void draw_chart(struct out *o, void *arg)
{
	struct mmcols *mm = arg;
	struct svg_chart ch = {
	    .o = o,
	    .title = "CPU <all>",
	    .x0 = 0,
	    .x1 = 10,
	    .y0 = 0,
	    .y1 = 87,
	    .xunit = SVG_TIME,
	    .yunit = SVG_PCT,
	    .xlabel = "time since start",
	    .ylabel = "CPU",
	};

	assert_int_equal(svg_chart__add(&ch, &mm[0], "a&b", "#123456", false, true), 0);
	assert_int_equal(svg_chart__add(&ch, &mm[1], "</title><script>", "#654321", true, false),
			 0);
	svg_chart__begin(&ch);
	/* The top is rounded up to a tick: 87 -> 100 with steps of 20 or 25. */
	assert_true(ch.y1 >= 87 && ch.y1 <= 100);
	svg_chart__lines(&ch);
	svg_chart__marker(&ch, 5, "#f00", "oom_kill <pid>", "<b>exit 9", 1, true);
	svg_chart__hover(&ch, 10);
	svg_chart__end(&ch);
}

static void test_chart(void **state)
{
	struct mmcols mm[2];
	char *svg, want[64];
	int i;

	(void)state;
	assert_int_equal(mmcols__init(&mm[0], SVG_PLOT_W, 0, 10), 0);
	assert_int_equal(mmcols__init(&mm[1], SVG_PLOT_W, 0, 10), 0);
	for (i = 0; i < 1000; i++) {
		mmcols__add(&mm[0], i / 100.0, i % 2 ? 80 : 20);
		mmcols__add(&mm[1], i / 100.0, 50);
	}
	svg = render(draw_chart, mm);
	assert_int_equal(count(svg, "<svg "), 1);
	assert_int_equal(count(svg, "</svg>"), 1);
	assert_int_equal(count(svg, "class=\"series\""), 2);
	snprintf(want, sizeof(want), "data-points=\"%d\"", 1000);
	assert_int_equal(count(svg, want), 2);
	/* Names are escaped everywhere: legend, path title, hover titles. */
	assert_null(strstr(svg, "<script>"));
	assert_null(strstr(svg, "a&b"));
	assert_non_null(strstr(svg, "a&amp;b"));
	assert_non_null(strstr(svg, "&lt;/title&gt;&lt;script&gt;"));
	assert_non_null(strstr(svg, "CPU &lt;all&gt;"));
	assert_non_null(strstr(svg, "oom_kill &lt;pid&gt;"));
	/* the tag is written on the chart, escaped, on its row */
	assert_non_null(strstr(svg, "&lt;b&gt;exit 9</text>"));
	assert_int_equal(count(svg, "class=\"tag\""), 1);
	assert_non_null(strstr(svg, "stroke-dasharray"));
	/* Hover bands only where there is data: 10 px bands over [0, 10) s. */
	assert_true(count(svg, "<rect x=") > 90);
	assert_non_null(strstr(svg, "a&amp;b: 80%"));
	assert_non_null(strstr(svg, "(min 20%)"));
	/* Axis labels with units. */
	assert_non_null(strstr(svg, "time since start (s)"));
	assert_non_null(strstr(svg, "CPU (%)"));
	free(svg);
	mmcols__free(&mm[0]);
	mmcols__free(&mm[1]);
}

static void draw_steps(struct out *o, void *arg)
{
	struct mmcols *mm = arg;
	struct svg_chart ch = {
	    .o = o, .title = "rate", .x0 = 0, .x1 = 3, .y0 = 0, .y1 = 10,
	    .xunit = SVG_TIME, .yunit = SVG_RATE,
	};

	assert_int_equal(svg_chart__add(&ch, mm, "faults/s", "#123456", false, false), 0);
	ch.series[0].step = true;
	svg_chart__begin(&ch);
	svg_chart__lines(&ch);
	svg_chart__end(&ch);
}

/*
 * A rate over each interval is drawn flat across the interval: the path
 * goes up or down at the interval's start (V) and across to its end (H),
 * never as a slope from the previous point.
 */
static void test_rates_drawn_as_steps(void **state)
{
	struct mmcols mm;
	char *svg, *d;

	(void)state;
	assert_int_equal(mmcols__init(&mm, SVG_PLOT_W, 0, 3), 0);
	mmcols__add(&mm, 1, 2);
	mmcols__add(&mm, 2, 8);
	mmcols__add(&mm, 2.9, 4);
	svg = render(draw_steps, &mm);
	d = strstr(svg, "class=\"series\"");
	assert_non_null(d);
	d = strstr(d, " d=\"M");
	assert_non_null(d);
	d = strndup(d + 4, strcspn(d + 4, "\""));
	assert_non_null(d);
	/* M x0 y0, then V y H x twice, and no L */
	assert_int_equal(count(d, "V"), 2);
	assert_int_equal(count(d, "H"), 2);
	assert_null(strchr(d, 'L'));
	free(d);
	free(svg);
	mmcols__free(&mm);
}

struct spans_arg {
	struct span_grid *g;
	const char *const *names;
};

static void draw_spans(struct out *o, void *arg)
{
	struct spans_arg *a = arg;

	svg_spans(o, a->g, 16, "calls <x>", a->names, 2);
}

static void test_spans_bounded(void **state)
{
	static const char *const names[] = {"f<1>", "g"};
	struct span_grid g;
	struct spans_arg a = {&g, names};
	char *svg;
	int i;

	(void)state;
	/* Functions alternating in every pixel column: drawn coarser, at most 200 rectangles. */
	assert_int_equal(span_grid__init(&g, SVG_PLOT_W, 0, SVG_PLOT_W), 0);
	for (i = 0; i < SVG_PLOT_W; i++)
		assert_int_equal(span_grid__add(&g, 1, 0, i % 2, i + 0.1, 0.2 + 0.1 * (i * 7 % 8)),
				 0);
	/* A second thread with one long call: one rectangle. */
	assert_int_equal(span_grid__add(&g, 2, 0, 1, 10, 500), 0);
	span_grid__sort(&g);
	svg = render(draw_spans, &a);
	assert_true(count(svg, "class=\"span\"") <= 200 + 1);
	/* Still both functions, each bucket named by its longest call. */
	assert_true(count(svg, "f&lt;1&gt; (tid 1") >= 10);
	assert_true(count(svg, "g (tid 1") >= 10);
	assert_int_equal(count(svg, "g (tid 2, depth 0)"), 1);
	assert_non_null(strstr(svg, "f&lt;1&gt; (tid 1, depth 0)"));
	assert_non_null(strstr(svg, "calls &lt;x&gt;"));
	assert_non_null(strstr(svg, ">1</text>"));
	free(svg);
	span_grid__free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mmcols_reduce), cmocka_unit_test(test_mmcols_grow),
	    cmocka_unit_test(test_format),	  cmocka_unit_test(test_spans),
	    cmocka_unit_test(test_chart),
	    cmocka_unit_test(test_rates_drawn_as_steps),	  cmocka_unit_test(test_spans_bounded),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
