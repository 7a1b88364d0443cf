// SPDX-License-Identifier: GPL-2.0
/*
 * benchtrace report RUN_DIR...: the HTML page and the stdout summary of
 * runs that report_load.c read.  One job, kept whole on purpose: the page's
 * sections (charts, function tables, the comparison of runs) and the
 * summary share one set of formatting and ordering helpers (fmt(),
 * func_order(), hist_pct(), outcome_text()), and the page is written
 * top to bottom in one pass; the pieces with their own state live beside
 * it (svg.c charts, spans.c call lanes, loops.c benchtrace.h loops,
 * merge.c --merge, report_load.c input).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/loops.h"
#include "report/merge.h"
#include "report/procs.h"
#include "report/report.h"
#include "report/report_load.h"
#include "report/sides.h"
#include "report/spans.h"
#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/fscred.h"
#include "rundir/jsonread.h"
#include "rundir/out.h"
#include "util/log.h"

#define DETAIL_FUNCS 12 /* functions with a histogram and a by-index chart */
#define FEW_CALLS    5	/* fewer calls get no charts */
#define MAX_LANES    16
#define ERRLEN	     512

/* ---- formatting ------------------------------------------------------------- */

static const char *fmt(char *buf, size_t len, double v, enum svg_unit unit)
{
	svg_format(buf, len, v, unit);
	return buf;
}

/* Names for a terminal: control characters (escape sequences) become '?'. */
static void term_str(FILE *f, const char *s, int width)
{
	char buf[128]; /* long names are cut: a table, not a listing */
	int n;

	term_escape(buf, sizeof(buf), s);
	n = fprintf(f, "%s", buf);
	for (; n < width; n++)
		fputc(' ', f);
}

static void outcome_text(const struct run *r, char *buf, size_t len, const char **cls)
{
	const char *o = r->outcome;

	*cls = "bad";
	if (!strcmp(o, "completed")) {
		*cls = "ok";
		snprintf(buf, len, "completed (exit code %ld)",
			 r->exit_code < 0 ? 0 : r->exit_code);
	} else if (!strcmp(o, "failed")) {
		snprintf(buf, len, "failed: exit code %ld", r->exit_code);
	} else if (!strcmp(o, "killed")) {
		const char *abbrev = r->signal > 0 ? sigabbrev_np((int)r->signal) : NULL;

		snprintf(buf, len, "killed by signal %ld%s%s", r->signal, abbrev ? " SIG" : "",
			 abbrev ? abbrev : "");
	} else if (!strcmp(o, "oom_killed")) {
		snprintf(buf, len, "killed by the OOM killer (out of memory)");
	} else if (!strcmp(o, "detached")) {
		*cls = "warn";
		snprintf(buf, len, "detached: tracing stopped while the target ran on");
	} else if (!strcmp(o, "tracer_error")) {
		snprintf(buf, len, "tracer error%s%.200s", r->error ? ": " : "",
			 r->error ? r->error : "");
	} else if (!strcmp(o, "running")) {
		*cls = "warn";
		snprintf(buf, len, "incomplete: the run was cut off");
	} else {
		*cls = "warn";
		snprintf(buf, len, "outcome '%.60s'", o);
	}
}

/* Functions in order of total time, most first (indices into r->funcs). */
static double func_total(const struct func *f)
{
	return f->have_stats ? (double)f->total_ns : f->sum_ns;
}

static double func_calls(const struct func *f)
{
	return f->have_stats ? (double)f->calls : (double)f->n;
}

static double func_mean(const struct func *f)
{
	double n = func_calls(f);

	return n > 0 ? func_total(f) / n : NAN;
}

static const struct run *sort_run;

static int func_cmp(const void *a, const void *b)
{
	const struct func *x = &sort_run->funcs[*(const int *)a];
	const struct func *y = &sort_run->funcs[*(const int *)b];

	if (func_total(x) != func_total(y))
		return func_total(x) < func_total(y) ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int *func_order(const struct run *r)
{
	int *idx = malloc(sizeof(int) * (size_t)(r->nfuncs + 1)), i;

	if (!idx)
		return NULL;
	for (i = 0; i < r->nfuncs; i++)
		idx[i] = i;
	sort_run = r;
	qsort(idx, (size_t)r->nfuncs, sizeof(int), func_cmp);
	return idx;
}

/* Approximate percentile from the log histogram (functions.csv has the kernel's). */
static double hist_pct(const struct func *f, double q)
{
	__u64 want = (__u64)ceil(q * (double)f->n), seen = 0;
	int b;

	for (b = 0; b < HIST_BINS; b++) {
		seen += f->hist[b];
		if (seen >= want && f->hist[b])
			return pow(10, (b + 0.5) / HIST_PER_DEC);
	}
	return f->max_dur;
}

/* ---- stdout summary -------------------------------------------------------- */

static void summary_print(FILE *s, struct run *runs, int n)
{
	char a[32], b[32], c[32], d[32], e[32], oc[256];
	const char *cls;
	int i, k;

	fprintf(s, "%-24s %10s %10s %11s %11s %11s  %s\n", "RUN", "WALL", "CPU", "PEAK RSS", "READ",
		"WRITE", "OUTCOME");
	for (i = 0; i < n; i++) {
		struct run *r = &runs[i];
		const char *base = strrchr(r->dir, '/');

		base = base && base[1] ? base + 1 : r->dir;
		outcome_text(r, oc, sizeof(oc), &cls);
		term_str(s, base, 24);
		fprintf(
		    s, " %10s %10s %11s %11s %11s  ", fmt(a, sizeof(a), r->wall_s * 1e9, SVG_NS),
		    fmt(b, sizeof(b), r->cpu_ns, SVG_NS), fmt(c, sizeof(c), r->peak_rss, SVG_BYTES),
		    fmt(d, sizeof(d), r->read_bytes, SVG_BYTES),
		    fmt(e, sizeof(e), r->write_bytes, SVG_BYTES));
		term_str(s, oc, 0);
		if (r->lost)
			fprintf(s, ", %llu events lost", (unsigned long long)r->lost);
		fputc('\n', s);
	}
	/* Several runs: each against the first. */
	for (i = 1; i < n; i++) {
		const struct run *r = &runs[i], *b0 = &runs[0];
		const double v[] = {r->wall_s, r->cpu_ns, r->peak_rss, r->read_bytes,
				    r->write_bytes};
		const double base[] = {b0->wall_s, b0->cpu_ns, b0->peak_rss, b0->read_bytes,
				       b0->write_bytes};
		static const char *const names[] = {"wall", "CPU", "peak RSS", "read", "write"};

		fprintf(s, "%srun %d vs run 1:", i == 1 ? "\n" : "", i + 1);
		for (k = 0; k < 5; k++) {
			if (base[k] > 0)
				fprintf(s, " %s x%.2f", names[k], v[k] / base[k]);
			else
				fprintf(s, " %s -", names[k]);
			fputc(k < 4 ? ',' : '\n', s);
		}
	}
	for (i = 0; i < n; i++) {
		struct run *r = &runs[i];
		int *idx;

		if (!r->nfuncs)
			continue;
		idx = func_order(r);
		if (!idx)
			continue;
		fprintf(s, "\n");
		if (n > 1) {
			fprintf(s, "run %d: ", i + 1);
			term_str(s, r->dir, 0);
			fputc('\n', s);
		}
		fprintf(s, "%-32s %12s %11s %11s %11s %11s\n", "FUNCTION", "CALLS", "TOTAL", "MEAN",
			"P99", "MAX");
		for (k = 0; k < r->nfuncs && k < 10; k++) {
			const struct func *f = &r->funcs[idx[k]];

			term_str(s, f->name, 32);
			fprintf(s, " %12.0f %11s %11s %11s %11s\n", func_calls(f),
				fmt(a, sizeof(a), func_total(f), SVG_NS),
				fmt(b, sizeof(b), func_mean(f), SVG_NS),
				fmt(c, sizeof(c),
				    f->have_stats ? (double)f->p99_ns : hist_pct(f, 0.99), SVG_NS),
				fmt(d, sizeof(d), f->have_stats ? (double)f->max_ns : f->max_dur,
				    SVG_NS));
		}
		free(idx);
	}
}

/* ---- the page -------------------------------------------------------------- */

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:24px auto;max-width:1140px;color:#222;background:#fff;font-size:14px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:2px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}"
    ".sub{color:#666;margin:0 0 12px}code{font-family:'DejaVu Sans Mono',monospace;"
    "font-size:12.5px;word-break:break-all}"
    ".banner{padding:8px 12px;border-radius:5px;margin:8px 0;font-weight:600}"
    ".banner.ok{background:#e6f4ea;color:#1e6b34;border:1px solid #b7dfc2}"
    ".banner.bad{background:#fdecea;color:#a4231b;border:1px solid #f3b9b4}"
    ".banner.warn{background:#fff5e0;color:#8a5a00;border:1px solid #f0d49a}"
    "table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}"
    "th,td{padding:3px 10px;border-bottom:1px solid #e6e6e6;text-align:right;white-space:nowrap}"
    "th{background:#f5f5f5;font-weight:600}td.l,th.l{text-align:left}"
    "td.name{text-align:left;font-family:'DejaVu Sans Mono',monospace;max-width:360px;"
    "overflow:hidden;text-overflow:ellipsis}"
    ".range{color:#777;font-size:90%}.up{color:#b3261e}.down{color:#1e6b34}"
    "summary{cursor:pointer}summary h2{display:inline-block;border:none}"
    ".sw{display:inline-block;width:10px;height:10px;"
    "border-radius:2px;margin-right:6px;vertical-align:middle}"
    ".figs td{text-align:left}.figs td.v{text-align:right;font-weight:600}"
    ".figs tr{display:flex;flex-wrap:wrap}"
    "svg.chart{display:block;margin:4px 0 10px}"
    "svg .ctitle{font-size:13px;font-weight:600;fill:#222}"
    "svg .legend{font-size:11.5px;fill:#333}svg .tick{font-size:10.5px;fill:#555}"
    "svg .axis{font-size:11px;fill:#444}"
    "svg .plot{fill:#fcfcfc;stroke:none}"
    "svg .frame{fill:none;stroke:#bbb;stroke-width:1;shape-rendering:crispEdges}"
    "svg .grid{stroke:#e8e8e8;stroke-width:1;shape-rendering:crispEdges}"
    "svg .hover rect{fill:#000;fill-opacity:0}svg .hover rect:hover{fill-opacity:0.05}"
    "svg .span:hover{stroke:#000;stroke-width:1}svg .bar:hover{fill-opacity:0.7}"
    "footer{color:#888;font-size:12px;margin-top:30px}";

void html_td_num(struct out *o, double v, enum svg_unit unit)
{
	ratio_cell(o, v, 0, unit);
}

#define TAG_ROWS 3

/* Whether p is drawn as a line of its own. */
static bool drawn_alone(const struct run *r, long pid)
{
	const struct proc *p = report_run__proc(r, pid);

	return p && p->slot >= 0 && (!r->grouped || r->group_n[p->slot] == 1);
}

/*
 * r's events on the time axis: failures, OOM kills and lost events, and
 * the exec, fork and exit of each process drawn alone; each tagged in
 * writing where a text row has room, else only on hover.
 */
static void add_markers(struct svg_chart *ch, const struct run *r)
{
	static const char *const colors[] = {"#b3261e", "#b3261e", "#e08a00", "#999"};
	/* the text already written on each row, as [from, to] px */
	double used[TAG_ROWS][2 * MAX_MARKERS][2];
	int nused[TAG_ROWS] = {0}, i, j, k, pass;
	/* the failures first, so they get the text rows */
	for (pass = 0; pass < 2; pass++) {
		const struct marker *ms = pass ? r->life : r->markers;
		int n = pass ? r->nlife : r->nmarkers;

		for (i = 0; i < n; i++) {
			const struct marker *m = &ms[i];
			double px = svg_chart__px(ch, m->t);
			int row = -1;

			if (m->kind == 3 && !drawn_alone(r, m->pid))
				continue;
			double from = px, to = px + 4 + svg_tag_width(m->tag);

			if (to > SVG_LEFT + SVG_PLOT_W) { /* written before the line */
				from = px - 4 - svg_tag_width(m->tag);
				to = px;
			}

			for (k = 0; k < TAG_ROWS && row < 0; k++) {
				for (j = 0; j < nused[k]; j++)
					if (from < used[k][j][1] && to > used[k][j][0])
						break;
				if (j == nused[k])
					row = k;
			}
			if (row >= 0) {
				used[row][nused[row]][0] = from;
				used[row][nused[row]++][1] = to;
			}
			/* a process's life events are ticks, failures lines */
			svg_chart__marker(ch, m->t, colors[m->kind], m->label,
					  row >= 0 ? m->tag : NULL, row >= 0 ? row : 0, m->kind != 3);
		}
	}
}

static void proc_name(const struct run *r, int slot, const char *suffix, char *buf, size_t len)
{
	const struct proc *p = &r->procs[r->drawn[slot]];

	if (r->grouped && r->group_n[slot] > 1)
		snprintf(buf, len, "%s \xc3\x97%d%s", r->group_comm[slot], r->group_n[slot], suffix);
	else
		snprintf(buf, len, "%s [%ld]%s", p->comm, p->pid, suffix);
}

static void chart_time(struct svg_chart *ch, struct out *o, const char *title, double t_end,
		       enum svg_unit yunit, const char *ylabel)
{
	memset(ch, 0, sizeof(*ch));
	ch->o = o;
	ch->title = title;
	ch->x0 = 0;
	ch->x1 = t_end;
	ch->xunit = SVG_TIME;
	ch->xlabel = "time since start";
	ch->yunit = yunit;
	ch->ylabel = ylabel;
}

/* Draw every series added so far as steps: rates over each interval. */
static void steps(struct svg_chart *ch)
{
	for (int i = 0; i < ch->nseries; i++)
		ch->series[i].step = true;
}

static double top_of(const struct svg_chart *ch)
{
	double top = 0, v;
	int i;

	for (i = 0; i < ch->nseries; i++) {
		v = mmcols__top(ch->series[i].mm);
		if (v > top)
			top = v;
	}
	return top > 0 ? top : 1;
}

/* y from 0 to the data's top; the lines, r's event markers (r may be NULL), hover areas. */
static void finish_chart(struct svg_chart *ch, const struct run *r)
{
	ch->y0 = 0;
	ch->y1 = top_of(ch);
	svg_chart__begin(ch);
	svg_chart__lines(ch);
	if (r)
		add_markers(ch, r);
	svg_chart__hover(ch, 8);
	svg_chart__end(ch);
}

static void run_charts(struct out *o, const struct run *r)
{
	char names[TOP_PROCS * 2][96];
	struct svg_chart ch;
	int i;

	/* CPU */
	chart_time(&ch, o, "CPU", r->t_end, SVG_PCT, "CPU, % of one CPU");
	if (r->ndrawn != 1)
		svg_chart__add(&ch, &r->cpu_total, "all processes", SVG_TOTAL_COLOR, false, true);
	for (i = 0; i < r->ndrawn; i++) {
		proc_name(r, i, "", names[i], sizeof(names[i]));
		svg_chart__add(&ch, &r->cpu[i], names[i], svg_color(i), false, r->ndrawn == 1);
	}
	steps(&ch);
	finish_chart(&ch, r);

	/* RSS with the peaks inside each interval */
	chart_time(&ch, o, "Memory (RSS; dashed: peak inside each interval)", r->t_end, SVG_BYTES,
		   "RSS");
	if (r->ndrawn != 1)
		svg_chart__add(&ch, &r->rss_total, "all processes", SVG_TOTAL_COLOR, false, true);
	for (i = 0; i < r->ndrawn && i < 5; i++) {
		proc_name(r, i, "", names[2 * i], sizeof(names[0]));
		proc_name(r, i, " peak", names[2 * i + 1], sizeof(names[0]));
		svg_chart__add(&ch, &r->rss[i], names[2 * i], svg_color(i), false, r->ndrawn == 1);
		svg_chart__add(&ch, &r->peak[i], names[2 * i + 1], svg_color(i), true, false);
	}
	finish_chart(&ch, r);

	chart_time(&ch, o, "Page faults", r->t_end, SVG_RATE, "faults");
	svg_chart__add(&ch, &r->minflt, "minor faults/s", svg_color(0), false, false);
	svg_chart__add(&ch, &r->majflt, "major faults/s", svg_color(3), false, false);
	steps(&ch);
	finish_chart(&ch, r);

	chart_time(&ch, o, "Storage I/O caused", r->t_end, SVG_BYTES_RATE, "I/O");
	svg_chart__add(&ch, &r->rd, "read", svg_color(0), false, false);
	svg_chart__add(&ch, &r->wr, "write", svg_color(1), false, false);
	steps(&ch);
	finish_chart(&ch, r);

	if (!r->have_waits)
		return;
	/* where the time went besides running: a CPU, storage */
	chart_time(&ch, o, "Waiting (all processes, % of one CPU)", r->t_end, SVG_PCT,
		   "waiting");
	svg_chart__add(&ch, &r->runq, "for a CPU (run queue)", svg_color(3), false, false);
	svg_chart__add(&ch, &r->iowait, "for storage (I/O wait)", svg_color(1), false, false);
	steps(&ch);
	finish_chart(&ch, r);

	chart_time(&ch, o, "Context switches (all processes)", r->t_end, SVG_RATE,
		   "switches");
	svg_chart__add(&ch, &r->cs, "context switches/s", svg_color(0), false, false);
	steps(&ch);
	finish_chart(&ch, r);

	chart_time(&ch, o, "Threads (all processes)", r->t_end, SVG_COUNT, "threads");
	svg_chart__add(&ch, &r->threads, "threads", svg_color(2), false, false);
	finish_chart(&ch, r);
}

/*
 * Where a function's time went, over its calls in calls.csv: on a CPU,
 * runnable but waiting for one, blocked (sleep, I/O, locks), as shares of
 * their durations and a bar.
 */
static void time_split(struct out *o, const struct func *f)
{
	double part[3] = {f->split_cpu, f->split_runq, f->split_blocked};
	static const char *const color[3] = {"#1f77b4", "#d62728", "#bbb"};

	out__puts(o, "<td class=\"l\">");
	split_bar(o, part, color, 3, 120);
	out__puts(o, "</td>");
}

static void func_table(struct out *o, const struct run *r, const int *idx)
{
	bool kernel = false;
	int k;

	for (k = 0; k < r->nfuncs; k++)
		kernel |= r->funcs[k].have_stats;
	out__puts(o, "<table class=\"funcs\"><tr><th class=\"l\">function</th><th>calls</th>"
		     "<th>total</th><th>mean</th><th>min</th><th>p50</th><th>p90</th>"
		     "<th>p99</th><th>max</th><th>CPU</th><th>faults</th><th>read</th>"
		     "<th>write</th><th class=\"l\">time: on CPU / waiting for a CPU / blocked"
		     "</th></tr>\n");
	for (k = 0; k < r->nfuncs; k++) {
		const struct func *f = &r->funcs[idx[k]];
		char buf[48];

		out__printf(o,
			    "<tr><td class=\"name\"><span class=\"sw\" style=\"background:%s\">"
			    "</span>",
			    svg_color(idx[k]));
		out__html_str(o, f->name);
		out__puts(o, "</td>");
		snprintf(buf, sizeof(buf), "%.0f", func_calls(f));
		out__printf(o, "<td>%s</td>", buf);
		if (f->have_stats) {
			html_td_num(o, (double)f->total_ns, SVG_NS);
			html_td_num(o, (double)f->mean_ns, SVG_NS);
			html_td_num(o, (double)f->min_ns, SVG_NS);
			html_td_num(o, (double)f->p50_ns, SVG_NS);
			html_td_num(o, (double)f->p90_ns, SVG_NS);
			html_td_num(o, (double)f->p99_ns, SVG_NS);
			html_td_num(o, (double)f->max_ns, SVG_NS);
			html_td_num(o, (double)f->cpu_ns, SVG_NS);
			html_td_num(o, (double)(f->minflt + f->majflt), SVG_COUNT);
			html_td_num(o, (double)f->read_bytes, SVG_BYTES);
			html_td_num(o, (double)f->write_bytes, SVG_BYTES);
		} else {
			html_td_num(o, f->sum_ns, SVG_NS);
			html_td_num(o, func_mean(f), SVG_NS);
			html_td_num(o, f->n ? f->min_dur : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.5) : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.9) : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.99) : NAN, SVG_NS);
			html_td_num(o, f->n ? f->max_dur : NAN, SVG_NS);
			html_td_num(o, f->sum_cpu, SVG_NS);
			html_td_num(o, f->sum_flt, SVG_COUNT);
			html_td_num(o, f->sum_read, SVG_BYTES);
			html_td_num(o, f->sum_write, SVG_BYTES);
		}
		time_split(o, f);
		out__puts(o, "</tr>\n");
	}
	out__puts(o, "</table>\n");
	if (!kernel)
		out__puts(o,
			  "<p class=\"sub\">No functions.csv (run cut off?): statistics computed "
			  "from calls.csv; percentiles approximate (within 3%).</p>\n");
	else
		out__puts(o, "<p class=\"sub\">Statistics over every call, from functions.csv "
			     "(percentiles from the kernel's histogram, within 3%).</p>\n");
}

/*
 * Called from several processes (MPI ranks, workers): call N of one is not
 * call N of another, so each gets its own series by its own call number,
 * with the median of all calls dashed across.
 */
static void by_process(struct svg_chart *ch, const struct run *r, const struct func *f)
{
	char names[FUNC_PROCS][96];
	struct mmcols median = {0};
	double top = 0, p50;
	int j;

	for (j = 0; j < f->npid; j++)
		if ((double)f->pn[j] > top)
			top = (double)f->pn[j];
	ch->title = f->npid == FUNC_PROCS ? "Duration by call index, first 6 processes (dashed: "
					     "median of all calls)"
					   : "Duration by call index, per process (dashed: median "
					     "of all calls)";
	ch->x1 = top;
	ch->xlabel = "call number in its process";
	for (j = 0; j < f->npid; j++) {
		const struct proc *p = report_run__proc(r, f->pid[j]);

		snprintf(names[j], sizeof(names[j]), "%s [%ld]", p ? p->comm : "pid", f->pid[j]);
		svg_chart__add(ch, &f->byproc[j], names[j], svg_color(j), false, false);
	}
	p50 = f->have_stats ? (double)f->p50_ns : hist_pct(f, 0.5);
	if (!mmcols__init(&median, 2, 0, top > 0 ? top : 1)) {
		mmcols__add(&median, 0, p50);
		mmcols__add(&median, top, p50);
		svg_chart__add(ch, &median, "median", SVG_TOTAL_COLOR, true, false);
	}
	finish_chart(ch, NULL);
	mmcols__free(&median);
}

static void func_charts(struct out *o, const struct run *r, int k)
{
	const struct func *f = &r->funcs[k];
	struct svg_chart ch;
	char title[160], tip[200], a[32], b[32];
	int lo = -1, hi = -1, i, group;
	double top = 0;

	if (!f->n)
		return;
	out__puts(o, "<h3><span class=\"sw\" style=\"background:");
	out__puts(o, svg_color(k));
	out__puts(o, "\"></span><code>");
	out__html_str(o, f->name);
	out__puts(o, "</code></h3>\n");
	/* a few calls: the table row says it all, a chart would say less */
	if (f->n < FEW_CALLS) {
		out__printf(o, "<p class=\"sub\">%llu call%s: see the table above.</p>\n",
			    (unsigned long long)f->n, f->n == 1 ? "" : "s");
		return;
	}

	for (i = 0; i < HIST_BINS; i++) {
		if (!f->hist[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
	}
	group = (hi - lo + 1 + 49) / 50;
	for (i = lo - lo % group; i <= hi; i += group) {
		double cnt = 0;
		int j;

		for (j = i; j < i + group && j < HIST_BINS; j++)
			cnt += (double)f->hist[j];
		if (cnt > top)
			top = cnt;
	}
	memset(&ch, 0, sizeof(ch));
	ch.o = o;
	snprintf(title, sizeof(title), "Duration histogram (%llu call%s in calls.csv, log scale)",
		 (unsigned long long)f->n, f->n == 1 ? "" : "s");
	ch.title = title;
	ch.xlog = true;
	/* From a 1-2-5 step below the shortest call to one above the longest. */
	ch.x0 = floor((double)lo / HIST_PER_DEC * 3) / 3;
	ch.x1 = ceil((double)(hi + 1) / HIST_PER_DEC * 3) / 3;
	if (ch.x1 - ch.x0 < 0.5)
		ch.x1 = ch.x0 + 0.5;
	ch.xlabel = "call duration";
	ch.xunit = SVG_NS;
	ch.yunit = SVG_COUNT;
	ch.ylabel = "calls";
	ch.y0 = 0;
	ch.y1 = top;
	ch.plot_h = 120;
	svg_chart__begin(&ch);
	/* About 50 bars over the range actually used, whatever it is. */
	for (i = lo - lo % group; i <= hi; i += group) {
		double x = (double)i / HIST_PER_DEC, x2 = (double)(i + group) / HIST_PER_DEC;
		__u64 cnt = 0;
		int j;

		for (j = i; j < i + group && j < HIST_BINS; j++)
			cnt += f->hist[j];
		if (!cnt)
			continue;
		snprintf(tip, sizeof(tip), "%s – %s: %llu calls",
			 fmt(a, sizeof(a), pow(10, x), SVG_NS),
			 fmt(b, sizeof(b), pow(10, x2), SVG_NS), (unsigned long long)cnt);
		svg_chart__bar(&ch, x, x2, (double)cnt, svg_color(k), tip);
	}
	svg_chart__end(&ch);
	if (f->n < 2)
		return; /* one call: no trend to see */

	memset(&ch, 0, sizeof(ch));
	ch.o = o;
	ch.x0 = 0;
	ch.xunit = SVG_COUNT;
	ch.yunit = SVG_NS;
	ch.ylabel = "duration";
	ch.plot_h = 120;
	if (f->npid < 2) {
		ch.title = "Duration by call index (min and max per pixel column)";
		ch.x1 = (double)f->n;
		ch.xlabel = "call number (in calls.csv order)";
		svg_chart__add(&ch, &f->byidx, f->name, svg_color(k), false, false);
		finish_chart(&ch, NULL);
		return;
	}
	by_process(&ch, r, f);
}

static void figures_table(struct out *o, const struct run *r)
{
	char buf[64];
	double top;

	out__puts(o, "<table class=\"figs\"><tr>");
	out__puts(o, "<td>wall</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->wall_s * 1e9, SVG_NS));
	out__puts(o, "</td><td>CPU</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->cpu_ns, SVG_NS));
	out__puts(o, "</td><td>peak RSS of one process</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->peak_rss, SVG_BYTES));
	/* the total curve can peak far higher (MPI ranks, workers) */
	top = mmcols__top(&r->rss_total);
	if (!isnan(top) && top > r->peak_rss * 1.05) {
		out__puts(o, "</td><td>peak RSS of all together</td><td class=\"v\">");
		out__html_str(o, fmt(buf, sizeof(buf), top, SVG_BYTES));
	}
	out__puts(o, "</td><td>read</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->read_bytes, SVG_BYTES));
	out__puts(o, "</td><td>write</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->write_bytes, SVG_BYTES));
	out__puts(o, "</td><td>faults</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->minflt_total + r->majflt_total, SVG_COUNT));
	out__printf(o, "</td><td>processes</td><td class=\"v\">%d</td>", r->nproc);
	if (r->have_calls) {
		out__puts(o, "<td>calls</td><td class=\"v\">");
		out__html_str(o, fmt(buf, sizeof(buf), (double)r->ncalls, SVG_COUNT));
		out__puts(o, "</td>");
	}
	out__puts(o, "</tr></table>\n");
}

static void command_line(struct out *o, const struct run *r)
{
	const struct json_value *argv = json_value__path(json_doc__root(r->meta), "target.argv");
	const char *start =
	    json_value__str(json_value__path(json_doc__root(r->meta), "start.time"));
	const char *host =
	    json_value__str(json_value__path(json_doc__root(r->meta), "host.hostname"));
	size_t i;

	out__puts(o, "<p class=\"sub\">");
	if (json_value__len(argv)) {
		out__puts(o, "<code>");
		for (i = 0; i < json_value__len(argv) && i < 64; i++) {
			const char *a = json_value__str(json_value__at(argv, i));

			if (i)
				out__putc(o, ' ');
			out__html_str(o, a ? a : "?");
		}
		out__puts(o, "</code>");
	}
	if (start) {
		out__puts(o, " &middot; started ");
		out__html_str(o, start);
	}
	if (host) {
		out__puts(o, " on ");
		out__html_str(o, host);
	}
	out__puts(o, "</p>\n");
}

static void run_section(struct out *o, const struct run *r, int i, int n)
{
	char oc[300];
	const char *cls;
	int *idx, k;

	out__printf(o, "<section class=\"run\" id=\"run%d\">\n", i + 1);
	/* several runs: the comparison overlays them; each run's own charts
	 * are folded away until asked for (no script: <details>) */
	if (n > 1)
		out__printf(o, "<details><summary><h2>Run %d: ", i + 1);
	else
		out__puts(o, "<h2>");
	out__html_str(o, r->dir);
	out__puts(o, n > 1 ? "</h2></summary>\n" : "</h2>\n");
	command_line(o, r);
	outcome_text(r, oc, sizeof(oc), &cls);
	out__printf(o, "<div class=\"banner %s\" data-outcome=\"", cls);
	out__html_str(o, r->outcome);
	out__puts(o, "\">Outcome: ");
	out__html_str(o, oc);
	out__puts(o, "</div>\n");
	for (k = 0; k < r->nwarn; k++) {
		out__puts(o, "<div class=\"banner warn\">Warning: ");
		out__html_str(o, r->warn[k]);
		out__puts(o, "</div>\n");
	}
	figures_table(o, r);
	run_split(o, r);
	run_charts(o, r);
	proc_section(o, r);
	if (r->markers_dropped)
		out__printf(o, "<p class=\"sub\">%d more events not marked.</p>\n",
			    r->markers_dropped);
	if (!r->nfuncs) {
		out__puts(o, n > 1 ? "</details></section>\n" : "</section>\n");
		return;
	}
	idx = func_order(r);
	if (!idx) {
		out__puts(o, n > 1 ? "</details></section>\n" : "</section>\n");
		return;
	}
	if (r->have_calls && r->spans.nlanes) {
		const char **names = calloc((size_t)r->nfuncs, sizeof(*names));
		char title[128];

		if (names) {
			for (k = 0; k < r->nfuncs; k++)
				names[k] = r->funcs[k].name;
			snprintf(title, sizeof(title),
				 "Traced calls per thread (rows: nesting depth)%s",
				 r->spans.nlanes > MAX_LANES ? ", busiest threads" : "");
			svg_spans(o, &r->spans, MAX_LANES, title, names, r->nfuncs);
			free(names);
		}
		if (r->spans.nlanes > MAX_LANES)
			out__printf(
			    o,
			    "<p class=\"sub\">Only the %d busiest of %s%d threads are drawn; "
			    "every call is counted in the tables.</p>\n",
			    MAX_LANES, r->spans.dropped ? "more than " : "", r->spans.nlanes);
	}
	if (r->nloops) {
		out__puts(o, "<h2>Iterations</h2>\n");
		for (k = 0; k < r->nloops; k++)
			loop_section(o, r, &r->loops[k]);
	}
	out__puts(o, "<h2>Functions</h2>\n");
	func_table(o, r, idx);
	for (k = 0; k < r->nfuncs && k < DETAIL_FUNCS; k++)
		func_charts(o, r, idx[k]);
	free(idx);
	out__puts(o, n > 1 ? "</details></section>\n" : "</section>\n");
}

void ratio_cell(struct out *o, double v, double base, enum svg_unit unit)
{
	char buf[48];

	svg_format(buf, sizeof(buf), v, unit);
	out__puts(o, "<td>");
	out__html_str(o, buf);
	if (base > 0 && !isnan(v)) {
		double q = v / base;

		out__printf(o, " <span class=\"%s\">(×%.2f)</span>",
			    q > 1.05   ? "up"
			    : q < 0.95 ? "down"
				       : "same",
			    q);
	}
	out__puts(o, "</td>");
}

/* mean (0), p50 (1) or p99 (2) of a function's calls */
double func_stat(const struct func *f, int q)
{
	if (f->have_stats)
		return q == 0 ? (double)f->mean_ns : q == 1 ? (double)f->p50_ns : (double)f->p99_ns;
	if (!f->n)
		return NAN;
	return q == 0 ? func_mean(f) : hist_pct(f, q == 1 ? 0.5 : 0.99);
}

/* A run's name in legends: its directory's last part ("run N" if none). */
void run_label(const struct run *r, int i, char *buf, size_t len)
{
	const char *d = r->dir, *slash;
	size_t n = d ? strlen(d) : 0;

	while (n > 1 && d[n - 1] == '/')
		n--;
	if (!n) {
		snprintf(buf, len, "run %d", i + 1);
		return;
	}
	for (slash = d + n - 1; slash > d && slash[-1] != '/'; slash--)
		;
	snprintf(buf, len, "%.*s", (int)(d + n - slash), slash);
}

/* The charts a comparison overlays, one series per run. */
static const struct {
	const char *title, *ylabel;
	enum svg_unit unit;
	size_t offset; /* of the struct mmcols in struct run */
	bool step, waits;
} overlay[] = {
    {"CPU, all processes, per run", "CPU, % of one CPU", SVG_PCT, offsetof(struct run, cpu_total),
     true, false},
    {"RSS, all processes, per run", "RSS", SVG_BYTES, offsetof(struct run, rss_total), false,
     false},
    {"Waiting for a CPU, per run", "waiting, % of one CPU", SVG_PCT, offsetof(struct run, runq),
     true, true},
    {"Waiting for storage, per run", "waiting, % of one CPU", SVG_PCT,
     offsetof(struct run, iowait), true, true},
    {"Minor page faults, per run", "faults", SVG_RATE, offsetof(struct run, minflt), true, false},
    {"Storage reads, per run", "read", SVG_BYTES_RATE, offsetof(struct run, rd), true, false},
    {"Storage writes, per run", "write", SVG_BYTES_RATE, offsetof(struct run, wr), true, false},
    {"Context switches, per run", "switches", SVG_RATE, offsetof(struct run, cs), true, true},
    {"Threads, per run", "threads", SVG_COUNT, offsetof(struct run, threads), false, true},
};

static void compare_section(struct out *o, const struct run *runs, int n)
{
	char none[512] = "";
	static const char *const rows[] = {"wall", "CPU time", "peak RSS", "read", "write"};
	static const enum svg_unit units[] = {SVG_NS, SVG_NS, SVG_BYTES, SVG_BYTES, SVG_BYTES};
	struct svg_chart ch;
	char names[MAX_RUNS][32];
	double tmax = 0;
	int i, k, *idx;

	out__puts(o, "<section id=\"compare\"><h2>Comparison</h2>\n<p class=\"sub\">Ratios are "
		     "against run 1.</p>\n<table class=\"compare\"><tr><th class=\"l\"></th>");
	for (i = 0; i < n; i++) {
		out__printf(o, "<th>run %d<br><code>", i + 1);
		out__html_str(o, runs[i].dir);
		out__puts(o, "</code></th>");
	}
	out__puts(o, "</tr>\n");
	for (k = 0; k < 5; k++) {
		out__puts(o, "<tr><td class=\"l\">");
		out__puts(o, rows[k]);
		out__puts(o, "</td>");
		for (i = 0; i < n; i++) {
			const struct run *r = &runs[i];
			double v[] = {r->wall_s * 1e9, r->cpu_ns, r->peak_rss, r->read_bytes,
				      r->write_bytes};
			double b[] = {runs[0].wall_s * 1e9, runs[0].cpu_ns, runs[0].peak_rss,
				      runs[0].read_bytes, runs[0].write_bytes};

			ratio_cell(o, v[k], i ? b[k] : 0, units[k]);
		}
		out__puts(o, "</tr>\n");
	}
	for (k = 0; k < 4; k++) {
		static const char *const name[4] = {"on a CPU", "waiting for a CPU",
						    "waiting for storage", "blocked otherwise"};
		double part[4], base[4];

		if (!runs[0].have_waits)
			break;
		out__printf(o, "<tr><td class=\"l\"><span style=\"color:%s\">&#9632;</span> %s</td>",
			    split_color[k], name[k]);
		proc_split(runs[0].thread_s, runs[0].cpu_ns, runs[0].runq_ns, runs[0].iowait_ns,
			   base);
		for (i = 0; i < n; i++) {
			const struct run *r = &runs[i];

			proc_split(r->thread_s, r->cpu_ns, r->runq_ns, r->iowait_ns, part);
			ratio_cell(o, part[k], i ? base[k] : 0, SVG_NS);
		}
		out__puts(o, "</tr>\n");
	}
	out__puts(o, "<tr><td class=\"l\">where the time went</td>");
	for (i = 0; i < n; i++) {
		double part[4];

		proc_split(runs[i].thread_s, runs[i].cpu_ns, runs[i].runq_ns, runs[i].iowait_ns,
			   part);
		out__puts(o, "<td>");
		if (runs[i].have_waits)
			split_bar(o, part, split_color, 4, 100);
		out__puts(o, "</td>");
	}
	out__puts(o, "</tr>\n");
	out__puts(o, "<tr><td class=\"l\">outcome</td>");
	for (i = 0; i < n; i++) {
		out__puts(o, "<td>");
		out__html_str(o, runs[i].outcome);
		out__puts(o, "</td>");
	}
	out__puts(o, "</tr>\n");
	/* Per function of run 1: mean, p50 and p99 call time in each run. */
	idx = func_order(&runs[0]);
	for (k = 0; idx && k < runs[0].nfuncs && k < 30; k++) {
		static const char *const stat[] = {"mean", "p50", "p99"};
		const struct func *f0 = &runs[0].funcs[idx[k]];
		int q;

		for (q = 0; q < 3; q++) {
			out__printf(o, "<tr><td class=\"l\">%s <code>", stat[q]);
			out__html_str(o, f0->name);
			out__puts(o, "</code></td>");
			for (i = 0; i < n; i++) {
				const struct run *r = &runs[i];
				const struct func *f = NULL;
				int j;

				for (j = 0; j < r->nfuncs; j++)
					if (!strcmp(r->funcs[j].name, f0->name))
						f = &r->funcs[j];
				if (!f) {
					out__puts(o, "<td>-</td>");
					continue;
				}
				ratio_cell(o, func_stat(f, q), i ? func_stat(f0, q) : 0, SVG_NS);
			}
			out__puts(o, "</tr>\n");
		}
	}
	free(idx);
	out__puts(o, "</table>\n");
	compare_loops(o, runs, n);

	/* The runs' totals on one chart each, time from each run's start. */
	for (i = 0; i < n; i++)
		if (runs[i].t_end > tmax)
			tmax = runs[i].t_end;
	for (i = 0; i < n && i < SVG_MAX_SERIES; i++)
		run_label(&runs[i], i, names[i], sizeof(names[i]));
	for (k = 0; k < (int)(sizeof(overlay) / sizeof(overlay[0])); k++) {
		double top = 0;

		if (overlay[k].waits && !runs[0].have_waits)
			continue;
		for (i = 0; i < n; i++) {
			double t = mmcols__top((const struct mmcols *)((const char *)&runs[i] +
									overlay[k].offset));

			if (t > top)
				top = t;
		}
		if (!(top > 0)) { /* all zero: a sentence, not an empty chart */
			/* the title up to its comma, in lower case */
			size_t at = strlen(none);

			snprintf(none + at, sizeof(none) - at, "%s%c%.*s", at ? ", " : "",
				 tolower((unsigned char)overlay[k].title[0]),
				 (int)strcspn(overlay[k].title + 1, ","), overlay[k].title + 1);
			continue;
		}
		chart_time(&ch, o, overlay[k].title, tmax, overlay[k].unit, overlay[k].ylabel);
		for (i = 0; i < n && i < SVG_MAX_SERIES; i++)
			svg_chart__add(&ch,
				       (const struct mmcols *)((const char *)&runs[i] +
							       overlay[k].offset),
				       names[i], svg_color(i), false, false);
		if (overlay[k].step)
			steps(&ch);
		finish_chart(&ch, NULL);
	}
	if (*none)
		out__printf(o, "<p class=\"sub\">No run had any %s.</p>\n", none);
	out__puts(o, "</section>\n");
}

static void page_write(struct out *o, const struct run *runs, int n, int na)
{
	int i;

	out__puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width\">\n<title>benchtrace "
		     "report");
	if (n == 1) {
		out__puts(o, ": ");
		out__html_str(o, runs[0].dir);
	}
	out__puts(o, "</title>\n<style>");
	out__puts(o, css);
	out__puts(o, "</style></head>\n<body>\n<h1>benchtrace report</h1>\n");
	out__printf(o,
		    "<p class=\"sub\">%d run%s. Hover over a chart for values. Charts keep "
		    "the minimum and maximum of each pixel column, so short peaks stay "
		    "visible.</p>\n",
		    n, n == 1 ? "" : "s");
	if (na > 0 && na < n)
		sides_section(o, runs, na, n);
	if (n > 1)
		compare_section(o, runs, n);
	for (i = 0; i < n; i++)
		run_section(o, &runs[i], i, n);
	out__puts(o, "<footer>Generated by benchtrace " BT_VERSION
		     ". Self-contained: no scripts, no network.</footer>\n</body></html>\n");
}

/* ---- output file ----------------------------------------------------------- */

/*
 * Write to a fresh temporary file next to the target (O_EXCL|O_NOFOLLOW: a
 * planted file or symlink is never written through) and rename it over the
 * target, which replaces a previous report atomically.  A symlink or
 * anything but a regular file at the target is refused: the user named a
 * file to write, and a link someone planted there is not it.
 */
static int output_open(const char *path, const char *shown, int *dirfd, char *tmp, size_t tmplen,
		       char *name, size_t namelen, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd = -1, tries;

	const char *base = slash ? slash + 1 : path;

	if (slash) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		if (!dir[0])
			snprintf(dir, sizeof(dir), "/");
	} else {
		snprintf(dir, sizeof(dir), ".");
	}
	if (strlen(base) >= namelen || strlen(base) > 200) {
		snprintf(err, errlen, "report file name '%.60s...' is too long", base);
		return -1;
	}
	memcpy(name, base, strlen(base) + 1);
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(err, errlen, "'%s' is not a file name for the report", shown);
		return -1;
	}
	*dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0) {
		snprintf(err, errlen, "cannot open directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	if (!fstatat(*dirfd, name, &st, AT_SYMLINK_NOFOLLOW) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is %s (refusing to replace it; choose another -o)", shown,
			 S_ISLNK(st.st_mode)   ? "a symlink"
			 : S_ISDIR(st.st_mode) ? "a directory"
					       : "not a regular file");
		close(*dirfd);
		return -1;
	}
	for (tries = 0; tries < 100; tries++) {
		unsigned int rnd = 0;

		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = (unsigned int)getpid() * 2654435761U + (unsigned int)tries;
		snprintf(tmp, tmplen, ".%.200s.tmp.%06x", name, rnd & 0xffffff);
		fd =
		    openat(*dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in '%s': %s (choose another place with -o)",
			 dir, strerror(errno));
		close(*dirfd);
		return -1;
	}
	return fd;
}

int report__generate(const struct report_opts *opts, FILE *summary, char *err, size_t errlen)
{
	char path[PATH_MAX], open_path[PATH_MAX], tmp[NAME_MAX + 1], name[NAME_MAX + 1], at[64];
	int held[MAX_RUNS];
	struct run *runs;
	struct out *o = NULL;
	struct fscred fc = {};
	uid_t uid;
	gid_t gid;
	int i, fd = -1, dirfd = -1, ret = -1, werr;

	for (i = 0; i < MAX_RUNS; i++)
		held[i] = -1;
	if (opts->ndirs < 1 || opts->ndirs > MAX_RUNS) {
		snprintf(err, errlen, "give 1 to %d run directories", MAX_RUNS);
		return -1;
	}
	runs = calloc((size_t)opts->ndirs, sizeof(*runs));
	if (!runs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/*
	 * Each run directory is opened once and read, and the default
	 * report.html written, through that descriptor: swapping a path for
	 * a symlink while root reads or writes must not redirect either.
	 */
	for (i = 0; i < opts->ndirs; i++) {
		held[i] = open(opts->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		snprintf(at, sizeof(at), "/proc/self/fd/%d", held[i]);
		if (report_run__load_at(&runs[i], opts->dirs[i], held[i] >= 0 ? at : opts->dirs[i],
					err, errlen))
			goto out;
	}

	if (opts->output) {
		snprintf(path, sizeof(path), "%s", opts->output);
		snprintf(open_path, sizeof(open_path), "%s", opts->output);
	} else {
		snprintf(path, sizeof(path), "%s/report.html", opts->dirs[0]);
		if (held[0] >= 0)
			snprintf(open_path, sizeof(open_path), "/proc/self/fd/%d/report.html",
				 held[0]);
		else
			snprintf(open_path, sizeof(open_path), "%s", path);
	}
	/*
	 * Under sudo the report belongs to the user who asked for it, and is
	 * written only where that user may write (fscred.h).
	 */
	if (fscred__sudo_user(&uid, &gid) && fscred__enter(&fc, uid, gid, err, errlen))
		goto out;
	fd = output_open(open_path, path, &dirfd, tmp, sizeof(tmp), name, sizeof(name), err, errlen);
	if (fd < 0)
		goto out;
	o = out__open_fd(fd, false);
	if (!o) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		goto out_unlink;
	}
	page_write(o, runs, opts->ndirs, opts->nside_a);
	werr = out__close(o);
	if (werr) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(-werr));
		goto out_unlink;
	}
	if (renameat(dirfd, tmp, dirfd, name)) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		goto out_unlink;
	}
	fscred__leave(&fc);
	if (summary) {
		char shown[4 * sizeof(path)];

		summary_print(summary, runs, opts->ndirs);
		term_escape(shown, sizeof(shown), path);
		fprintf(summary, "\nreport: %s\n", shown);
	}
	ret = 0;
	goto out;
out_unlink:
	unlinkat(dirfd, tmp, 0);
out:
	fscred__leave(&fc);
	if (dirfd >= 0)
		close(dirfd);
	for (i = 0; i < opts->ndirs; i++) {
		report_run__free(&runs[i]);
		if (held[i] >= 0)
			close(held[i]);
	}
	free(runs);
	return ret;
}

/* --merge: the runs rewritten as one into a scratch directory, reported. */
static int report_merged(struct report_opts *ro)
{
	static const char *const files[] = {"samples.csv", "events.csv", "calls.csv",
					    "processes.csv", "meta.json"};
	const char *tmpdir = getenv("TMPDIR");
	char dir[PATH_MAX], out[PATH_MAX], path[PATH_MAX + 32], err[ERRLEN];
	const char *one[1] = {dir};
	size_t i;
	int ret = 1;

	if (ro->ndirs < 2) {
		warn("report: --merge takes two run directories or more");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s/merged-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		warn("report: cannot make a scratch directory: %s", strerror(errno));
		return 1;
	}
	if (!ro->output) {
		snprintf(out, sizeof(out), "%s/report-merged.html", ro->dirs[0]);
		ro->output = out;
	}
	if (merge__runs(ro->dirs, ro->ndirs, dir, err, sizeof(err))) {
		warn("report: --merge: %s", err);
		goto out;
	}
	ro->dirs = one;
	ro->ndirs = 1;
	if (report__generate(ro, stdout, err, sizeof(err)))
		warn("report: %s", err);
	else
		ret = fflush(stdout) ? 1 : 0;
out:
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: benchtrace report [-o FILE] [--merge] RUN_DIR...\n"
		   "       benchtrace report [-o FILE] A_DIR... -- B_DIR...\n"
		   "Write a self-contained HTML report (default RUN_DIR/report.html of the first\n"
		   "run) and print a summary table. With several runs, they are compared\n"
		   "side by side, with ratios against the first. With '--', repeated runs of\n"
		   "two versions: each side's mean and range, and whether each difference is\n"
		   "beyond the run-to-run noise (the ranges do not overlap).\n"
		   "  -o, --output FILE   write the report to FILE\n"
		   "      --merge         the runs were recorded at once on several hosts (an MPI\n"
		   "                      job): show them as one run, processes named HOST:COMM,\n"
		   "                      on one clock (default FILE: report-merged.html in the\n"
		   "                      first run directory)\n"
		   "  -h, --help          this help\n");
}

int report__main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"merge", no_argument, NULL, 'M'},
	    {"help", no_argument, NULL, 'h'},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts ro = {0};
	char err[ERRLEN];
	bool merge = false;
	bool sides = false;
	int c, i, nb = 0;

	/* A... -- B...: two sides of repeated runs; getopt sees the A side */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			nb = argc - i - 1;
			argc = i;
			sides = true;
			break;
		}

	optind = 0; /* a full reset of getopt (see opts.c) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ro.output = optarg;
			break;
		case 'M':
			merge = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			log_verbose = 1;
			break;
		case ':':
			warn("report: option '%s' needs an argument (see benchtrace report -h)",
			     argv[optind - 1]);
			return 2;
		default:
			warn("report: unknown option '%s' (see benchtrace report -h)",
			     argv[optind - 1]);
			return 2;
		}
	}
	if (sides && (!nb || optind >= argc)) {
		warn("report: runs on both sides of '--' (usage: benchtrace report A_DIR... -- "
		     "B_DIR...)");
		return 2;
	}
	if (optind >= argc) {
		warn("report: no run directory given (usage: benchtrace report [-o FILE] "
		     "RUN_DIR...)");
		return 2;
	}
	if (argc - optind + nb > MAX_RUNS) {
		warn("report: at most %d run directories", MAX_RUNS);
		return 2;
	}
	if (nb) {
		/* A then B, contiguous: the A side ends where '--' was */
		memmove(argv + argc, argv + argc + 1, (size_t)nb * sizeof(*argv));
		ro.nside_a = argc - optind;
		if (merge) {
			warn("report: --merge takes one run's directories, not two sides");
			return 2;
		}
	}
	ro.dirs = (const char *const *)argv + optind;
	ro.ndirs = argc - optind + nb;
	if (merge)
		return report_merged(&ro);
	if (report__generate(&ro, stdout, err, sizeof(err))) {
		warn("report: %s", err);
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}
