// SPDX-License-Identifier: GPL-2.0
/*
 * benchtrace report on the run directories in tests/fixtures/runs/ (made by
 * generate.py there, which also says what each one is) and on synthetic
 * ones written here: which charts and series the page has, how many points
 * each series kept, the numbers in the tables, escaping, and the errors for
 * truncated, malformed and hostile inputs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "report/merge.h"
#include "report/report.h"
#include "report/report_load.h"
#include "report/svg.h"
#include "rundir/csvread.h"
#include "testutil.h"

static char fixtures[PATH_MAX];
static char errbuf[512];
static char *summary;
static char *html;

static int setup(void **state)
{
	const char *f = getenv("BT_FIXTURES");

	(void)state;
	snprintf(fixtures, sizeof(fixtures), "%s", f ? f : "tests/fixtures/runs");
	return bt_scratch_setup(state);
}

static int teardown(void **state)
{
	free(summary);
	free(html);
	return bt_scratch_teardown(state);
}

static const char *fixture(const char *name)
{
	static char path[4][PATH_MAX + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", fixtures, name);
	return path[i];
}

/* Run the report on dirs into out.html in the scratch directory; 0 or -1 (errbuf). */
static int report(int n, const char *const *dirs)
{
	struct report_opts o = {.dirs = dirs, .ndirs = n, .output = bt_scratch_path("out.html")};
	size_t len;
	FILE *s;
	int ret;

	free(summary);
	free(html);
	summary = html = NULL;
	errbuf[0] = '\0';
	unlink(o.output);
	s = open_memstream(&summary, &len);
	assert_non_null(s);
	ret = report__generate(&o, s, errbuf, sizeof(errbuf));
	fclose(s);
	if (!ret)
		html = bt_read_file(o.output, NULL);
	else
		assert_int_equal(access(o.output, F_OK), -1); /* nothing half-written */
	return ret;
}

static void must_report(int n, const char *const *dirs)
{
	if (report(n, dirs))
		fail_msg("report failed: %s", errbuf);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while (s && (s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* The <svg> ... </svg> of the chart titled `title` (a static copy), or NULL. */
static char *chart(const char *title)
{
	static char *buf;
	char key[256];
	const char *t, *start, *end;

	snprintf(key, sizeof(key), ">%s</text>", title);
	t = strstr(html, key);
	if (!t)
		return NULL;
	for (start = t; start > html && strncmp(start, "<svg ", 5); start--)
		;
	end = strstr(t, "</svg>");
	assert_non_null(end);
	free(buf);
	buf = strndup(start, (size_t)(end - start + 6));
	return buf;
}

/* data-points of the series whose <title> is `name` inside svg; -1 if none. */
static int series_points(const char *svg, const char *name)
{
	char key[256];
	const char *t, *p;

	snprintf(key, sizeof(key), "\"><title>%s</title></path>", name);
	t = strstr(svg, key);
	if (!t)
		return -1;
	for (p = t; p > svg && strncmp(p, "<path class=\"series\"", 20); p--)
		;
	p = strstr(p, "data-points=\"");
	assert_non_null(p);
	return atoi(p + 13);
}

/* The summary line that starts with `name`. */
static const char *summary_line(const char *name)
{
	static char line[512];
	const char *p = summary;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (!strncmp(p, name, strlen(name)) && p[strlen(name)] == ' ') {
			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			return line;
		}
		p = nl ? nl + 1 : NULL;
	}
	fail_msg("no summary line for '%s' in:\n%s", name, summary);
	return NULL;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("'%s' not found", needle);
}

/* Self-contained: no scripts, nothing fetched. */
static void assert_self_contained(void)
{
	const char *p = html;

	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "url("));
	while ((p = strstr(p, "http:"))) {
		/* Only the SVG namespace, which is a name, not a fetch. */
		assert_int_equal(strncmp(p, "http://www.w3.org/2000/svg\"", 27), 0);
		p += 5;
	}
	assert_contains(html, "Content-Security-Policy\" content=\"default-src 'none'");
}

static void test_train(void **state)
{
	const char *dirs[] = {fixture("train")};
	const char *line;
	char *c;

	(void)state;
	must_report(1, dirs);
	assert_self_contained();
	/* Summary: figures of the run, then the top functions by total time. */
	line = summary_line("train");
	assert_contains(line, "20.0 s");   /* wall_s 20.01 */
	assert_contains(line, "25.6 s");   /* sum of cpu_ns */
	assert_contains(line, "376 MiB");  /* max rss_peak_bytes */
	assert_contains(line, "1.76 GiB"); /* sum of read_bytes */
	assert_contains(line, "130 MiB");
	assert_contains(line, "completed (exit code 0)");
	line = summary_line("train_step");
	assert_contains(line, "  99 ");
	assert_contains(line, "18.2 s");
	assert_contains(line, "184 ms");
	assert_contains(line, "214 ms");
	assert_true(strstr(summary, "train_step") < strstr(summary, "backward"));
	assert_true(strstr(summary, "load_batch") < strstr(summary, "save_checkpoint"));

	/* The charts, on one time axis (CPU, memory, faults, I/O, waits,
	 * switches, threads); two per function, but for the one with only 3
	 * calls */
	assert_int_equal(count(html, "<svg "), 7 + 1 + 2 * 4);
	c = chart("Waiting (all processes, % of one CPU)");
	assert_non_null(c);
	assert_contains(c, "for a CPU (run queue)");
	assert_contains(c, "for storage (I/O wait)");
	assert_non_null(chart("Context switches (all processes)"));
	c = chart("Threads (all processes)");
	assert_non_null(c);
	/* a count's axis is whole numbers: 0, 1, 2 threads, never 1.5 */
	assert_contains(c, "text-anchor=\"end\">1</text>");
	assert_null(strstr(c, ">1.5</text>"));
	assert_contains(html, "data-outcome=\"completed\"");
	assert_null(strstr(html, "Warning:"));
	c = chart("CPU");
	assert_non_null(c);
	/* One process: its series only, 400 samples, each in its own pixel column. */
	assert_int_equal(series_points(c, "train [4242]"), 400);
	assert_int_equal(series_points(c, "all processes"), -1);
	assert_contains(c, "CPU, % of one CPU (%)");
	assert_contains(c, "time since start (s)");
	c = chart("Memory (RSS; dashed: peak inside each interval)");
	assert_non_null(c);
	assert_int_equal(series_points(c, "train [4242]"), 400);
	assert_int_equal(series_points(c, "train [4242] peak"), 400);
	assert_contains(c, "RSS (MiB)");
	c = chart("Page faults");
	assert_non_null(c);
	assert_true(series_points(c, "minor faults/s") > 300);
	assert_true(series_points(c, "major faults/s") > 300);
	c = chart("Storage I/O caused");
	assert_true(series_points(c, "read") > 300);
	assert_true(series_points(c, "write") > 300);
	/* Peak write rate: 32 MiB in one 50 ms interval = 640 MiB/s, kept. */
	assert_contains(c, "write: 640 MiB/s");

	/* Spans: two threads, the main one with nesting. */
	c = chart("Traced calls per thread (rows: nesting depth)");
	assert_non_null(c);
	assert_contains(c, ">4242</text>");
	assert_contains(c, ">4243</text>");
	assert_true(count(c, "class=\"span\"") > 50);
	assert_contains(c, "save_checkpoint (tid 4242, depth 0)");
	assert_contains(c, "forward (tid 4242, depth 1)");

	/* Function table, from functions.csv. */
	assert_contains(html, "train_step</td><td>99</td><td>18.2 s</td><td>184 ms</td>"
			      "<td>153 ms</td><td>186 ms</td><td>209 ms</td><td>214 ms</td>"
			      "<td>214 ms</td>");
	assert_contains(html, "save_checkpoint</td><td>3</td><td>750 ms</td>");
	/* where each function's time went, from calls.csv's cpu, runq and
	 * blocked columns: checkpoints mostly wait, backward only runs */
	assert_contains(html, "time: on CPU / waiting for a CPU / blocked");
	assert_contains(html, "></span> 33% / 0% / 67%</td>");
	assert_contains(html, "></span> 100% / 0% / 0%</td>");
	assert_contains(html, "from functions.csv");
	/* Per function: a histogram that counts every call, a by-index chart. */
	assert_int_equal(count(html, "Duration histogram (99 calls in calls.csv"), 4);
	/* save_checkpoint's 3 calls: the table row, no charts */
	assert_int_equal(count(html, "Duration histogram (3 calls in calls.csv"), 0);
	assert_contains(html, "<p class=\"sub\">3 calls: see the table above.</p>");
	c = chart("Duration by call index (min and max per pixel column)");
	assert_int_equal(series_points(c, "train_step"), 99);
}

static void test_gzip_same_as_plain(void **state)
{
	const char *plain[] = {fixture("train")}, *gz[] = {fixture("train-gz")};
	char *html_plain, line[512];

	(void)state;
	must_report(1, plain);
	html_plain = html;
	html = NULL;
	snprintf(line, sizeof(line), "%s", summary_line("train") + 24);
	must_report(1, gz);
	/* Same numbers: only the run's name differs. */
	assert_string_equal(summary_line("train-gz") + 24, line);
	assert_contains(summary_line("train_step"), "18.2 s");
	assert_int_equal(count(html, "class=\"series\""), count(html_plain, "class=\"series\""));
	assert_int_equal(count(html, "class=\"span\""), count(html_plain, "class=\"span\""));
	assert_int_equal(count(html, "class=\"bar\""), count(html_plain, "class=\"bar\""));
	free(html_plain);
}

static void test_truncated(void **state)
{
	const char *dirs[] = {fixture("truncated")};
	char *c;

	(void)state;
	must_report(1, dirs);
	assert_contains(html, "data-outcome=\"running\"");
	assert_contains(html, "banner warn\" data-outcome");
	assert_contains(html, "Warning: This run was cut off");
	assert_contains(html, "samples.csv: the last line was cut off (dropped).");
	assert_contains(html, "calls.csv: the last line was cut off (dropped).");
	/* No functions.csv: statistics from calls.csv. */
	assert_contains(html, "statistics computed from calls.csv");
	assert_contains(summary_line("truncated"), "incomplete: the run was cut off");
	/* 199 whole rows of samples.csv (the 200th was cut). */
	c = chart("CPU");
	assert_int_equal(series_points(c, "train [4242]"), 199);
	/* The time axis ends with the data: 199 * 50 ms. */
	assert_contains(summary_line("truncated"), "9.95 s");
}

/* FROM_DIR/NAME copied to DIR/NAME. */
static void copy_file(const char *from_dir, const char *dir, const char *name)
{
	char from[PATH_MAX + 128], to[PATH_MAX + 128];
	size_t len;
	char *data;

	snprintf(from, sizeof(from), "%s/%s", from_dir, name);
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	data = bt_read_file(from, &len);
	bt_write_file(to, data, len);
	free(data);
}

/* A new run directory NAME (its path into dir) with the fixture run's files but calls.csv. */
static void run_like(const char *fixture_run, const char *name, char *dir, size_t len)
{
	snprintf(dir, len, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	copy_file(fixture(fixture_run), dir, "meta.json");
	copy_file(fixture(fixture_run), dir, "samples.csv");
	copy_file(fixture(fixture_run), dir, "events.csv");
}

/* Calls after the last sample (the tracer died between them): counted, not drawn. */
static void test_calls_after_last_sample(void **state)
{
	char dir[PATH_MAX + 64];
	const char *dirs[] = {dir};

	(void)state;
	run_like("truncated", "late", dir, sizeof(dir));
	copy_file(fixture("train"), dir, "calls.csv");
	must_report(1, dirs);
	/* samples end at 9.95 s; train's calls run to 19.9 s. */
	assert_contains(html,
			"calls started after the last sample (9.950 s): counted in the tables");
	assert_contains(html, "train_step</td><td>99</td>");
}

static void expect_error(const char *name, const char *msg)
{
	const char *dirs[] = {fixture(name)};

	assert_int_equal(report(1, dirs), -1);
	if (!strstr(errbuf, msg))
		fail_msg("error '%s' lacks '%s'", errbuf, msg);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("bad-header", "bad-header/samples.csv:1: no column 'cpu_pct' in the header");
	expect_error("bad-number", "bad-number/calls.csv:5: bad number '12x' in column dur_ns");
	expect_error("bad-meta", "bad-meta/meta.json:4: expected ',' or '}' in an object");
	expect_error("no-such-run", "no-such-run' is not a run directory");
}

static void test_hostile_names(void **state)
{
	const char *dirs[] = {fixture("hostile")};

	(void)state;
	must_report(1, dirs);
	assert_self_contained();
	assert_null(strstr(html, "</script><b>"));
	assert_null(strstr(html, "<b>x"));
	assert_null(strstr(html, "<i>"));
	assert_null(strstr(html, "<img src"));
	assert_contains(html, "&lt;/script&gt;&lt;b&gt;x [4242]");
	/* out__csv_str()'s defusing is undone: the name is shown as the program has it. */
	assert_contains(html, "=cmd|&#39; /C calc&#39;!A0&lt;i&gt;train_step");
	assert_null(strstr(html, "&#39;=cmd"));
	assert_contains(html, "&lt;img src=x onerror=alert(1)&gt;");
	assert_contains(html, "&amp;amp;");
	assert_contains(html, "data-outcome=\"killed\"");
	assert_contains(html, "exit pid 4242 signal=9 &lt;b&gt;");
	/* The terminal gets the text, never a control character. */
	assert_contains(summary, "=cmd|' /C calc'!A0<i>train_step");
}

static void test_compare(void **state)
{
	const char *dirs[] = {fixture("train"), fixture("train-slow")};
	char *c;

	(void)state;
	must_report(2, dirs);
	assert_contains(html, "<h2>Comparison</h2>");
	/* wall 24.5 / 20.01, peak RSS 428 / 376 MiB; the same CPU time. */
	assert_contains(html, "<td>24.5 s <span class=\"up\">(×1.22)</span></td>");
	assert_contains(html, "<td>428 MiB <span class=\"up\">(×1.14)</span></td>");
	assert_contains(html, "<td>25.6 s <span class=\"same\">(×1.00)</span></td>");
	/* Per-function mean: train_step 223 ms / 184 ms. */
	assert_contains(html, "mean <code>train_step</code></td><td>184 ms</td><td>223 ms "
			      "<span class=\"up\">(×1.21)</span>");
	/* and p50, p99 beside it, from functions.csv */
	assert_contains(html, "p50 <code>train_step</code></td><td>186 ms</td>");
	assert_contains(html, "p99 <code>train_step</code></td><td>214 ms</td>");
	/* the runs are named by their directories */
	c = chart("CPU, all processes, per run");
	assert_int_equal(series_points(c, "train"), 400);
	assert_int_equal(series_points(c, "train-slow"), 400);
	assert_int_equal(count(html, "<section class=\"run\""), 2);
	/* every series of the runs overlaid, one line per run; what no run
	 * had is named, not drawn empty */
	c = chart("Waiting for storage, per run");
	assert_non_null(c);
	assert_true(series_points(c, "train") > 0 && series_points(c, "train-slow") > 0);
	assert_non_null(chart("Threads, per run"));
	assert_non_null(chart("Minor page faults, per run"));
	assert_null(chart("Waiting for a CPU, per run")); /* runq_ns is 0 throughout */
	assert_contains(html, "No run had any waiting for a CPU.");
	/* each run's own charts folded, a click away */
	assert_int_equal(count(html, "<details><summary><h2>Run "), 2);
	assert_int_equal(count(html, "</details></section>"), 2);
	/* Run 2 lost events: warned. */
	assert_contains(html, "17 events were lost");
	assert_contains(summary_line("train-slow"), "17 events lost");
	assert_contains(summary,
			"run 2 vs run 1: wall x1.22, CPU x1.00, peak RSS x1.14, read x1.00, "
			"write x1.00\n");
}

/* A long run: 50000 samples of one process, one RSS spike. */
static void test_reduction(void **state)
{
	char dir[PATH_MAX + 64], path[PATH_MAX + 128];
	const char *dirs[] = {dir};
	FILE *f;
	int i;
	char *c;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", bt_scratch_path("long"));
	assert_int_equal(mkdir(dir, 0755), 0);
	bt_write_text(dirs[0], "meta.json",
		      "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":5000}");
	bt_write_text(dirs[0], "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(path, sizeof(path), "%s/samples.csv", dirs[0]);
	f = fopen(path, "w");
	fputs(BT_SAMPLES_HEADER "\n", f);
	for (i = 1; i <= 50000; i++)
		fprintf(f, "%d.%d00000,7,long,%d,%d.0,0,0,0,0,0,%d,%d,0,0,0,0,0,0,0,0,1,0,0,0,0\n", i / 10,
			i % 10, 100000000, 50 + i % 3, 1 << 20, i == 31234 ? 1 << 30 : 1 << 20);
	fclose(f);
	must_report(1, dirs);
	c = chart("CPU");
	/* 50000 samples, SVG_PLOT_W columns of about 5 s: at most 2 points per column. */
	assert_true(series_points(c, "long [7]") <= 2 * SVG_PLOT_W);
	assert_true(series_points(c, "long [7]") >= SVG_PLOT_W);
	c = chart("Memory (RSS; dashed: peak inside each interval)");
	/* The one 1 GiB peak survives the reduction, as the chart's top and in a hover title. */
	assert_contains(c, "long [7] peak: 1.00 GiB");
	assert_contains(c, "RSS (GiB)");
	assert_contains(summary_line("long"), "1.00 GiB");
	assert_true(strlen(html) < 600 * 1000);
}

/* A run @name of one sample at @dir; its calls.csv open after the header. */
static FILE *calls_run(const char *name, char *dir, size_t len)
{
	char path[PATH_MAX + 128];
	FILE *f;

	snprintf(dir, len, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	bt_write_text(dir, "meta.json", "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":60}");
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(dir, "samples.csv",
		      BT_SAMPLES_HEADER "\n1.000000,7,m,1,0.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,0,0,"
					"1,0,0,0,0\n");
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,majflt,"
	      "rss_delta_bytes,rss_peak_bytes,read_bytes,write_bytes\n",
	      f);
	return f;
}

/*
 * benchtrace.h marks: each iteration of a loop split into its steps, on
 * two threads whose rows interleave, and 5000 iterations reduced to the
 * plot's columns without losing time.
 */
static void test_iterations_by_step(void **state)
{
	char dir[PATH_MAX + 64];
	const char *dirs[] = {dir};
	FILE *f;
	int i, tid;
	char *c;

	(void)state;
	f = calls_run("iters", dir, sizeof(dir));
	/* per iteration: load 3 ms, compute 1 ms, 1 ms outside the steps: 5 ms;
	 * the two threads' rows interleave, each iteration after its steps */
	for (i = 0; i < 5000; i += 2) {
		for (tid = 7; tid <= 8; tid++) {
			fprintf(f, "%d.0,3000000,7,%d,step:train/load,1,0,0,0,0,0,0,0,0,0\n",
				i / 100, tid);
			fprintf(f, "%d.0,1000000,7,%d,step:train/compute,1,0,0,0,0,0,0,0,0,0\n",
				i / 100, tid);
		}
		for (tid = 7; tid <= 8; tid++)
			fprintf(f, "%d.0,5000000,7,%d,iter:train,0,0,0,0,0,0,0,0,0,0\n", i / 100,
				tid);
	}
	fclose(f);
	must_report(1, dirs);
	assert_contains(html, "Iterations of <code>train</code>");
	c = chart("Time per iteration by step (5000 iterations; each bar the mean of its pixel "
		  "column)");
	assert_non_null(c);
	/* every column holds whole iterations: 3 + 1 + 1 ms, as the tips say */
	assert_contains(c, "load 3.00 ms");
	assert_contains(c, "compute 1.00 ms");
	assert_contains(c, "outside steps 1.00 ms");
	assert_int_equal(count(c, "load 3.00 ms"), count(c, "compute 1.00 ms"));
	assert_true(count(c, "load 3.00 ms") <= SVG_PLOT_W);
	/* shares of the loop's time */
	assert_contains(html, "<td class=\"v\">60.0%</td>");
	assert_contains(html, "<td class=\"v\">20.0%</td>");
}

/* One function called by two processes: each its own series, the median dashed. */
static void test_calls_by_process(void **state)
{
	char dir[PATH_MAX + 64], path[PATH_MAX + 128];
	const char *dirs[] = {dir};
	char *c;
	FILE *f;
	int i;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", bt_scratch_path("byproc"));
	assert_int_equal(mkdir(dir, 0755), 0);
	bt_write_text(dir, "meta.json", "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":2}");
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(dir, "samples.csv",
		      BT_SAMPLES_HEADER "\n1.000000,7,rank0,1,0.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,0,0,1,0,"
					"0,0,0\n1.000000,8,rank1,1,0.0,0,0,0,0,0,4096,4096,0,0,0,0,0,"
					"0,0,0,1,0,0,0,0\n");
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	f = fopen(path, "w");
	fputs("t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,majflt,"
	      "rss_delta_bytes,rss_peak_bytes,read_bytes,write_bytes\n",
	      f);
	for (i = 0; i < 150; i++)
		fprintf(f, "%d.%03d,%d,%d,%d,step,0,0,0,0,0,0,0,0,0,0\n", i / 100, i % 1000,
			i % 3 ? 1000000 : 3000000, i % 3 ? 7 : 8, i % 3 ? 7 : 8);
	fclose(f);
	must_report(1, dirs);
	c = chart("Duration by call index, per process (dashed: median of all calls)");
	assert_non_null(c);
	assert_int_equal(series_points(c, "rank0 [7]"), 100);
	assert_int_equal(series_points(c, "rank1 [8]"), 50);
	assert_contains(c, "median");
}

/* A run @name of 100 iterations of loop train: load @load_ms, compute 1 ms,
 * @save_ms in a step save (none if 0), 1 ms outside the steps. */
static void loop_run(const char *name, int load_ms, int save_ms, char *dir, size_t len)
{
	FILE *f = calls_run(name, dir, len);
	int i;

	for (i = 0; i < 100; i++) {
		fprintf(f, "%d.0,%d000000,7,7,step:train/load,1,0,0,0,0,0,0,0,0,0\n", i / 10,
			load_ms);
		fprintf(f, "%d.0,1000000,7,7,step:train/compute,1,0,0,0,0,0,0,0,0,0\n", i / 10);
		if (save_ms)
			fprintf(f, "%d.0,%d000000,7,7,step:train/save,1,0,0,0,0,0,0,0,0,0\n",
				i / 10, save_ms);
		fprintf(f, "%d.0,%d000000,7,7,iter:train,0,0,0,0,0,0,0,0,0,0\n", i / 10,
			load_ms + 1 + save_ms + 1);
	}
	fclose(f);
}

/* Two runs of one marked loop: each step's mean per iteration side by side,
 * a step run 1 lacks counted with the time outside steps. */
static void test_compare_iterations(void **state)
{
	char d1[PATH_MAX + 64], d2[PATH_MAX + 64];
	const char *dirs[] = {d1, d2};
	char *c;

	(void)state;
	loop_run("loop-fast", 3, 0, d1, sizeof(d1));
	loop_run("loop-slow", 6, 2, d2, sizeof(d2));
	must_report(2, dirs);
	assert_contains(html, "Iterations of <code>train</code> per run");
	assert_contains(html, "<code>load</code> per iteration</td><td>3.00 ms</td><td>6.00 ms "
			      "<span class=\"up\">(×2.00)</span>");
	assert_contains(html, "<code>compute</code> per iteration</td><td>1.00 ms</td><td>1.00 ms "
			      "<span class=\"same\">(×1.00)</span>");
	/* run 2's save (2 ms) and 1 ms outside steps, against run 1's 1 ms */
	assert_contains(html, "other steps and outside any per iteration</td><td>1.00 ms</td>"
			      "<td>3.00 ms <span class=\"up\">(×3.00)</span>");
	c = chart("Mean iteration of train by step, per run");
	assert_non_null(c);
	assert_contains(c, "run 1: load 3.00 ms");
	assert_contains(c, "run 2: load 6.00 ms");
	assert_contains(c, "run 2: other 3.00 ms");
	assert_int_equal(count(c, "run 1: "), 3);
	assert_int_equal(count(c, "run 2: "), 3);
}

/* A run directory NAME of host HOST started at START_NS, with one process. */
static void merge_src(const char *name, const char *host, const char *start_ns, int pid,
		      char *dir, size_t len)
{
	char meta[512], rows[1024];

	snprintf(dir, len, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(meta, sizeof(meta),
		 "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":2,"
		 "\"host\":{\"hostname\":\"%s\"},\"start\":{\"unix_ns\":%s}}",
		 host, start_ns);
	bt_write_text(dir, "meta.json", meta);
	snprintf(rows, sizeof(rows),
		 BT_SAMPLES_HEADER "\n1.000000,%d,train,500000000,50.0,0,0,0,0,0,4096,4096,0,0,0,0,"
				   "0,0,0,0,1,0,0,0,0\n",
		 pid);
	bt_write_text(dir, "samples.csv", rows);
	snprintf(rows, sizeof(rows), "t_s,pid,tid,event,detail\n0.500000,%d,%d,exec,train\n", pid,
		 pid);
	bt_write_text(dir, "events.csv", rows);
	snprintf(rows, sizeof(rows),
		 "pid,ppid,start_s,end_s,comm,exe,cmdline,outcome\n"
		 "%d,1,0.100000,1.900000,train,/opt/train,\"./train --rank=%s\",code=0\n",
		 pid, host);
	bt_write_text(dir, "processes.csv", rows);
}

/* report --merge: two hosts' runs as one, on one clock, told apart. */
static void test_merge_hosts(void **state)
{
	char a[PATH_MAX + 64], b[PATH_MAX + 64], out[PATH_MAX + 64], err[512], *txt;
	const char *dirs[] = {a, b}, *one[1] = {out};

	(void)state;
	merge_src("node1", "node1", "1000000000000", 42, a, sizeof(a));
	merge_src("node2", "node2", "1000500000000", 42, b, sizeof(b));
	snprintf(out, sizeof(out), "%s", bt_scratch_path("merged"));
	assert_int_equal(mkdir(out, 0755), 0);
	if (merge__runs(dirs, 2, out, err, sizeof(err)))
		fail_msg("merge: %s", err);
	txt = bt_read_file(bt_scratch_path("merged/samples.csv"), NULL);
	assert_non_null(txt);
	/* node2 started 0.5 s later: its row at 1.5 s; the same PID, told apart */
	assert_non_null(strstr(txt, "\n1.000000,42,node1:train,500000000,"));
	assert_non_null(strstr(txt, "\n1.500000,10000042,node2:train,500000000,"));
	free(txt);
	txt = bt_read_file(bt_scratch_path("merged/events.csv"), NULL);
	assert_non_null(strstr(txt, "\n1.000000,10000042,10000042,exec,train\n"));
	free(txt);
	txt = bt_read_file(bt_scratch_path("merged/meta.json"), NULL);
	assert_non_null(strstr(txt, "\"wall_s\": 2.500000"));
	free(txt);
	must_report(1, one);
	assert_contains(html, "node1:train [42]");
	assert_contains(html, "node2:train [10000042]");
	/* the process table: parent, command line, lifetime and outcome from
	 * processes.csv, the rest from samples.csv */
	assert_contains(html, "<tr><td class=\"l\"><code>node2:train</code> [10000042]</td>"
			      "<td>10000001</td><td class=\"l\"><code>./train --rank=node2</code></td>"
			      "<td>500 ms</td>");
	assert_contains(html, "<td>1.80 s</td><td class=\"l\">code=0</td><td class=\"l\">");
	/* one run's totals: 1 s of CPU */
	assert_contains(summary_line("merged"), "1.00 s");
	(void)dirs;
}

/* -a mode: thousands of processes; the busiest are drawn, all are counted. */
static void test_many_processes(void **state)
{
	char dir[PATH_MAX + 64], path[PATH_MAX + 128];
	const char *dirs[] = {dir};
	FILE *f;
	int i, k;
	char *c;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", bt_scratch_path("many"));
	assert_int_equal(mkdir(dir, 0755), 0);
	bt_write_text(dir, "meta.json", "{\"outcome\":\"detached\",\"wall_s\":10}");
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	f = fopen(path, "w");
	fputs(BT_SAMPLES_HEADER "\n", f);
	/* 3000 processes, 10 ticks; process 2500 is the busiest. */
	for (k = 1; k <= 10; k++)
		for (i = 0; i < 3000; i++)
			fprintf(f,
				"%d.000000,%d,p%d,%d,%d.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,0,0,1,0,0,0,0\n",
				k, 100 + i, i, i == 2500 ? 900000000 : 1000000, i == 2500 ? 90 : 0);
	fclose(f);
	must_report(1, dirs);
	c = chart("CPU");
	assert_int_equal(series_points(c, "p2500 [2600]"), 10);
	assert_int_equal(count(c, "class=\"series\""), 7); /* the total and 6 processes */
	/* The total: 2999 processes at 0% and one at 90%. */
	assert_int_equal(series_points(c, "all processes"), 10);
	assert_contains(html, "<td>processes</td><td class=\"v\">3000</td>");
	/* the header names both peaks: 4 KiB for one, 3000 x 4 KiB together */
	assert_contains(html, "<td>peak RSS of one process</td><td class=\"v\">4.00 KiB</td>");
	assert_contains(html, "<td>peak RSS of all together</td><td class=\"v\">11.7 MiB</td>");
	/* CPU: 10 x (2999 x 1 ms + 900 ms) = 38.99 s. */
	assert_contains(summary_line("many"), "39.0 s");
	assert_contains(summary_line("many"), "detached");
}

/* One samples.csv row: t, pid, comm, CPU, run-queue and I/O wait (ms), threads. */
static void split_row(FILE *f, const char *t, int pid, const char *comm, int cpu, int runq,
		      int iow, int threads)
{
	fprintf(f, "%s,%d,%s,%d000000,0.0,%d000000,0,0,0,0,4096,4096,0,0,0,0,0,0,0,%d000000,%d,0,0,0,0\n",
		t, pid, comm, cpu, runq, iow, threads);
}

/*
 * A completed run directory NAME (into @dir) of @wall_s seconds with
 * events.csv @events; its samples.csv is returned open, the header written.
 */
static FILE *samples_run(const char *name, int wall_s, const char *events, char *dir,
			 size_t len)
{
	char meta[128], path[PATH_MAX + 128];
	FILE *f;

	snprintf(dir, len, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(meta, sizeof(meta), "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":%d}",
		 wall_s);
	bt_write_text(dir, "meta.json", meta);
	bt_write_text(dir, "events.csv", events);
	snprintf(path, sizeof(path), "%s/samples.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(BT_SAMPLES_HEADER "\n", f);
	return f;
}

/*
 * Where the time went: each process's thread time (its threads' time
 * alive, from processes.csv's start and end and each row's thread count)
 * split into CPU, run-queue wait, I/O wait and the rest, for the run, per
 * process, and side by side in a comparison.
 */
static void test_time_split(void **state)
{
	char dir[PATH_MAX + 64];
	const char *dirs[] = {dir, dir};
	FILE *f;
	char *c;

	(void)state;
	f = samples_run("split", 3, "t_s,pid,tid,event,detail\n", dir, sizeof(dir));
	bt_write_text(dir, "processes.csv",
		      "pid,ppid,start_s,end_s,comm,exe,cmdline,outcome\n"
		      "10,1,0.000000,2.500000,a,/a,a,code=0\n"
		      "11,10,1.500000,1.800000,b,/b,b,code=0\n");
	/* a: 1 thread for 1 s, 1 to 3 threads over the next (2 s of thread
	 * time), 3 until its end at 2.5 s (1.5 s): 4.5 s */
	split_row(f, "1.000000", 10, "a", 400, 100, 100, 1);
	split_row(f, "2.000000", 10, "a", 1000, 200, 200, 3);
	/* b: one thread from 1.5 to 1.8 s: 0.3 s */
	split_row(f, "2.000000", 11, "b", 150, 0, 0, 0);
	split_row(f, "3.000000", 10, "a", 300, 0, 100, 0);
	fclose(f);
	must_report(1, dirs);
	/* 4.8 s: CPU 1.85 s, run queue 0.3 s, I/O 0.4 s, the rest 2.25 s */
	assert_contains(html, "Where the time went: 4.80 s of thread time");
	assert_contains(html, "1.6 threads on average");
	assert_contains(html, "39% / 6% / 8% / 47%<br>");
	assert_contains(html, "blocked otherwise 2.25 s");
	/* per process: a 1.7 / 0.3 / 0.4 / 2.1 of 4.5 s; b 0.15 of 0.3 s */
	assert_contains(html, "38% / 7% / 9% / 47%</td></tr>");
	assert_contains(html, "50% / 0% / 0% / 50%</td></tr>");
	/* compared with itself: the parts, and the bar per run */
	must_report(2, dirs);
	assert_contains(html, "waiting for storage</td><td>400 ms</td>");
	c = strstr(html, "where the time went</td>");
	assert_non_null(c);
	assert_int_equal(count(c, "39% / 6% / 8% / 47%</td>"), 2);
}

/* A run directory of one process with wall time @wall_ms and CPU time @cpu_ms. */
static void side_run(const char *name, int wall_ms, int cpu_ms, char *dir, size_t len)
{
	char meta[256], rows[512];

	snprintf(dir, len, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(meta, sizeof(meta),
		 "{\"outcome\":\"completed\",\"exit_code\":0,\"wall_s\":%d.%03d}", wall_ms / 1000,
		 wall_ms % 1000);
	bt_write_text(dir, "meta.json", meta);
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(rows, sizeof(rows),
		 BT_SAMPLES_HEADER "\n0.500000,7,app,%d000000,0.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,"
				   "0,0,1,0,0,0,0\n",
		 cpu_ms);
	bt_write_text(dir, "samples.csv", rows);
}

/*
 * report A1 A2 A3 -- B1 B2: each side's mean and range, the ratio of the
 * means, and beyond the noise only where the sides' ranges do not overlap;
 * with one run a side, the noise is unknown.
 */
static void test_sides_against_noise(void **state)
{
	char d[5][PATH_MAX + 64], *c;
	const char *dirs[] = {d[0], d[1], d[2], d[3], d[4]};
	struct report_opts o = {.dirs = dirs, .ndirs = 5, .nside_a = 3,
				.output = bt_scratch_path("sides.html")};
	FILE *s;
	size_t len;
	char *sum = NULL;

	(void)state;
	/* wall: A 1.0-1.2 s, B 1.15-1.3 s, overlapping; CPU: A 100 ms, B 200 ms */
	side_run("a1", 1000, 100, d[0], sizeof(d[0]));
	side_run("a2", 1100, 100, d[1], sizeof(d[1]));
	side_run("a3", 1200, 100, d[2], sizeof(d[2]));
	side_run("b1", 1150, 200, d[3], sizeof(d[3]));
	side_run("b2", 1300, 200, d[4], sizeof(d[4]));
	s = open_memstream(&sum, &len);
	assert_non_null(s);
	assert_int_equal(report__generate(&o, s, errbuf, sizeof(errbuf)), 0);
	fclose(s);
	free(sum);
	free(html);
	html = bt_read_file(o.output, NULL);
	assert_non_null(html);
	c = strstr(html, "<section id=\"sides\">");
	assert_non_null(c);
	assert_contains(c, "A: 3 runs, B: 2 runs.");
	assert_contains(c, "<td class=\"l\">wall</td><td>1.10 s <span class=\"range\">(1.00 s "
			   "&ndash; 1.20 s)</span></td><td>1.23 s <span class=\"range\">(1.15 s "
			   "&ndash; 1.30 s)</span></td><td>×1.11</td><td class=\"l\"><span "
			   "class=\"same\">within the noise</span>");
	assert_contains(c, "<td class=\"l\">CPU time</td><td>100 ms");
	assert_contains(c, "<td>×2.00</td><td class=\"l\"><span class=\"up\">higher, beyond "
			   "the noise</span>");
	/* one run a side */
	o.ndirs = 2;
	o.nside_a = 1;
	dirs[1] = d[3];
	s = open_memstream(&sum, &len);
	assert_int_equal(report__generate(&o, s, errbuf, sizeof(errbuf)), 0);
	fclose(s);
	free(sum);
	free(html);
	html = bt_read_file(o.output, NULL);
	assert_contains(html, "noise unknown (one run a side)");
}

/*
 * More processes than lines: a line per command (216 compilers under make),
 * the sum of its processes, named with their count; failures and OOM kills
 * tagged on the time axis, and the exec and exit of a process drawn alone.
 */
static void test_grouped_by_command(void **state)
{
	char dir[PATH_MAX + 64], t[32];
	const char *dirs[] = {dir};
	FILE *f;
	int i, k;
	char *c;

	(void)state;
	f = samples_run("grouped", 5,
			"t_s,pid,tid,event,detail\n0.000000,10,10,exec,make\n"
			"2.500000,120,120,oom_kill,\n2.600000,120,120,exit,signal=SIGKILL\n"
			"4.900000,10,10,exit,code=0\n",
			dir, sizeof(dir));
	/* make, and 40 cc1 at 10% each and 20 as at 5%, in every tick */
	for (k = 1; k <= 5; k++) {
		snprintf(t, sizeof(t), "%d.000000", k);
		split_row(f, t, 10, "make", 10, 0, 0, 1);
		for (i = 0; i < 40; i++)
			fprintf(f, "%s,%d,cc1,100000000,10.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,0,0,1,"
				   "0,0,0,0\n", t, 100 + i);
		for (i = 0; i < 20; i++)
			fprintf(f, "%s,%d,as,50000000,5.0,0,0,0,0,0,4096,4096,0,0,0,0,0,0,0,0,1,"
				   "0,0,0,0\n", t, 200 + i);
	}
	fclose(f);
	must_report(1, dirs);
	c = chart("CPU");
	assert_non_null(c);
	/* three lines besides the total: cc1's 40 x 10%, as's 20 x 5%, make */
	assert_int_equal(count(c, "class=\"series\""), 4);
	assert_int_equal(series_points(c, "cc1 \xc3\x97" "40"), 5);
	assert_contains(c, "cc1 \xc3\x97" "40: 400%");
	assert_contains(c, "as \xc3\x97" "20: 100%");
	assert_contains(c, "make [10]");
	/* tagged: the OOM kill and the killed compiler, make's exec and exit */
	assert_contains(c, ">OOM kill cc1</text>");
	assert_contains(c, ">cc1 signal=SIGKILL</text>");
	assert_contains(c, ">exec make</text>");
	assert_contains(c, ">make exit 0</text>");
	/* the commands' table: each command's processes together, busiest first */
	assert_contains(html, "61 processes of 3 commands");
	c = strstr(html, "<h2>Commands</h2>");
	assert_non_null(c);
	assert_contains(c, "<code>cc1</code></td><td>40</td><td>20.0 s</td>");
	assert_true(strstr(c, "<code>cc1</code>") < strstr(c, "<code>as</code>"));
	assert_true(strstr(c, "<code>as</code>") < strstr(c, "<code>make</code>"));
}

/*
 * Numbers beyond what the integers they end up in hold are clamped, not
 * converted with undefined behaviour (fuzz_report, UBSan): 1e300 as an exit
 * code, 2^64 - 1 (2^64 as a double) as a PID or a call count.
 */
static void test_huge_numbers(void **state)
{
	char dir[PATH_MAX + 64], err[512];
	struct run r = {0};

	(void)state;
	snprintf(dir, sizeof(dir), "%s", bt_scratch_path("huge"));
	assert_int_equal(mkdir(dir, 0755), 0);
	bt_write_text(dir, "meta.json",
		      "{\"outcome\":\"exited\",\"exit_code\":1e300,\"signal\":-1e300,"
		      "\"wall_s\":1,\"lost_events\":[1e30,2]}");
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(dir, "samples.csv",
		      BT_SAMPLES_HEADER
		      "\n0.500000,18446744073709551615,x,1,0.0,0,0,0,0,0,4096,4096,"
		      "0,0,0,0,0,0,0,0,1,0,0,0,0\n");
	bt_write_text(dir, "functions.csv",
		      "func,calls,total_ns,mean_ns,min_ns,p50_ns,p90_ns,p99_ns,max_ns\n"
		      "f,18446744073709551615,1,1,1,1,1,1,18446744073709551615\n");
	bt_write_text(dir, "calls.csv",
		      "t_s,dur_ns,tid,func,depth\n0.1,5,18446744073709551615,f,0\n");
	if (report_run__load(&r, dir, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(r.exit_code == LONG_MAX);
	assert_true(r.signal == LONG_MIN);
	assert_true(r.lost == UINT64_MAX); /* saturated, and stays so */
	assert_int_equal(r.nproc, 1);
	assert_true(r.procs[0].pid == LONG_MAX);
	assert_int_equal(r.nfuncs, 1);
	assert_true(r.funcs[0].calls == UINT64_MAX);
	assert_true(r.funcs[0].max_ns == UINT64_MAX);
	assert_int_equal(r.funcs[0].n, 1);
	report_run__free(&r);
}

/* A hostile calls.csv with 1100 function names: 1024 kept apart, the rest lumped. */
static void test_many_functions(void **state)
{
	char dir[PATH_MAX + 64], to[PATH_MAX + 128];
	const char *dirs[] = {dir};
	size_t i;
	FILE *f;

	(void)state;
	run_like("train", "funcs", dir, sizeof(dir));
	snprintf(to, sizeof(to), "%s/calls.csv", dir);
	f = fopen(to, "w");
	assert_non_null(f);
	fputs("t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,majflt,"
	      "rss_delta_bytes,rss_peak_bytes,read_bytes,write_bytes\n",
	      f);
	for (i = 0; i < 1100; i++)
		fprintf(f, "%zu.000000,%zu,1,1,fn%zu,0,0,0,0,0,0,0,0,0,0\n", i / 100, 1000 + i, i);
	fclose(f);
	must_report(1, dirs);
	/* fn0..fn1023 on their own; fn1024..fn1099 (76 calls) together. */
	assert_contains(html, "(other functions)</td><td>76</td>");
	assert_contains(html, "fn1023</td><td>1</td>");
	assert_null(strstr(html, "fn1024<"));
}

static void test_output_file(void **state)
{
	const char *dirs[] = {fixture("train")};
	char target[PATH_MAX + 64], link[PATH_MAX + 64], real[PATH_MAX];
	struct report_opts o = {.dirs = dirs, .ndirs = 1};
	struct stat st;
	char *victim;
	ino_t ino;
	FILE *f;

	(void)state;
	/* A symlink at the output path is refused, never written through or replaced. */
	snprintf(target, sizeof(target), "%s", bt_scratch_path("victim"));
	f = fopen(target, "w");
	fputs("precious", f);
	fclose(f);
	snprintf(link, sizeof(link), "%s", bt_scratch_path("link.html"));
	assert_int_equal(symlink(target, link), 0);
	o.output = link;
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), -1);
	assert_contains(errbuf, "link.html' is a symlink (refusing to replace it");
	victim = bt_read_file(target, NULL);
	assert_string_equal(victim, "precious");
	free(victim);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* So is a directory. */
	o.output = bt_scratch_path("dir.html");
	assert_int_equal(mkdir(o.output, 0755), 0);
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), -1);
	assert_contains(errbuf, "dir.html' is a directory");
	/* A previous report (a regular file) is replaced, through a new inode. */
	o.output = bt_scratch_path("report.html");
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(stat(o.output, &st), 0);
	ino = st.st_ino;
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), 0);
	assert_int_equal(lstat(o.output, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_true(st.st_size > 10000);
	assert_true(st.st_ino != ino);
	/* No temporary files left behind. */
	{
		char cmd[PATH_MAX + 64];

		/* this test's own scratch directory, not every test_report's */
		snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -q tmp", bt_scratch_dir());
		assert_int_equal(system(cmd), 256);
	}
	/* A missing directory is a clear error. */
	o.output = bt_scratch_path("nope/report.html");
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), -1);
	assert_contains(errbuf, "cannot open directory");

	/* meta.json as a symlink (planted by another user) is refused. */
	assert_int_equal(mkdir(bt_scratch_path("sym"), 0755), 0);
	snprintf(link, sizeof(link), "%.4000s/meta.json", bt_scratch_path("sym"));
	snprintf(target, sizeof(target), "%.4000s/meta.json", fixture("train"));
	assert_non_null(realpath(target, real));
	assert_int_equal(symlink(real, link), 0);
	dirs[0] = bt_scratch_path("sym");
	assert_int_equal(report__generate(&o, NULL, errbuf, sizeof(errbuf)), -1);
	assert_contains(errbuf, "meta.json' is a symlink");
}

static void test_main_usage(void **state)
{
	char *noargs[] = {"report", NULL};
	char *bad[] = {"report", "--frobnicate", "x", NULL};
	char *noarg_o[] = {"report", "x", "-o", NULL};
	char *missing[] = {"report", "/nonexistent/run", NULL};
	char *after[] = {"report", "/nonexistent/run", "-o", "/nonexistent/r.html", NULL};

	(void)state;
	assert_int_equal(report__main(1, noargs), 2);
	assert_int_equal(report__main(3, bad), 2);
	assert_int_equal(report__main(3, noarg_o), 2);
	assert_int_equal(report__main(2, missing), 1);
	/* Options after the run directories, as in the usage line. */
	assert_int_equal(report__main(4, after), 1);
	/* two sides: runs on both, and no --merge */
	{
		char *no_b[] = {"report", "x", "--", NULL};
		char *no_a[] = {"report", "--", "x", NULL};
		char *merged[] = {"report", "--merge", "x", "--", "y", NULL};
		char *sides[] = {"report", "/nonexistent/a", "--", "/nonexistent/b", NULL};

		assert_int_equal(report__main(3, no_b), 2);
		assert_int_equal(report__main(3, no_a), 2);
		assert_int_equal(report__main(5, merged), 2);
		/* parsed, then the directories are missing */
		assert_int_equal(report__main(4, sides), 1);
	}
}

/* Streaming reads every fixture exactly as the whole-table reader does. */
struct cmp_ctx {
	struct csv_table *t;
	long rows;
	int header_calls;
};

static int cmp_row(const struct csv_row *row, void *ctx)
{
	struct cmp_ctx *x = ctx;
	int i;

	assert_int_equal(row->cols, csv_table__cols(x->t));
	if (row->row < 0) {
		x->header_calls++;
		for (i = 0; i < row->cols; i++)
			assert_string_equal(row->field[i], csv_table__header(x->t, i));
		return 0;
	}
	assert_int_equal(row->row, x->rows);
	for (i = 0; i < row->cols; i++) {
		assert_string_equal(row->field[i], csv_table__get(x->t, (int)row->row, i));
		assert_string_equal(row->header[i], csv_table__header(x->t, i));
	}
	x->rows++;
	return 0;
}

static void test_stream_matches_table(void **state)
{
	static const char *const files[] = {
	    "train/calls.csv",	     "train/samples.csv",     "train-gz/calls.csv.gz",
	    "truncated/calls.csv",   "truncated/samples.csv", "hostile/calls.csv",
	    "hostile/functions.csv", "train/functions.csv",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct cmp_ctx x = {0};
		int trunc = -1;
		long n;

		x.t = csv_table__load(fixture(files[i]), errbuf, sizeof(errbuf));
		assert_non_null(x.t);
		n = csv_stream__read(fixture(files[i]), NULL, cmp_row, &x, &trunc, errbuf,
				     sizeof(errbuf));
		assert_int_equal(n, csv_table__rows(x.t));
		assert_int_equal(x.rows, n);
		assert_int_equal(x.header_calls, 1);
		assert_int_equal(trunc, csv_table__truncated(x.t));
		csv_table__free(x.t);
	}
}

static int stop_at_3(const struct csv_row *row, void *ctx)
{
	(void)ctx;
	if (row->row == 3) {
		csv_row__error(row, "no %s here", "rows");
		return -1;
	}
	return 0;
}

static int stop_silently(const struct csv_row *row, void *ctx)
{
	(void)ctx;
	return row->row == 1;
}

static void test_stream_errors(void **state)
{
	const char *p = bt_scratch_path("s.csv");
	FILE *f = fopen(p, "w");

	(void)state;
	/* Quoted fields (the byte path) and plain ones (the line path), mixed. */
	fputs("a,b\n1,\"x\ny\"\n2,3\n\n4,\"5\"\"\"\n6,7\n", f);
	fclose(f);
	assert_int_equal(csv_stream__read(p, NULL, stop_at_3, NULL, NULL, errbuf, sizeof(errbuf)),
			 -1);
	/* Row 3 starts on line 7 (a quoted LF and a blank line before it). */
	assert_string_equal(strrchr(errbuf, '/') + 1, "s.csv:7: no rows here");
	assert_int_equal(
	    csv_stream__read(p, NULL, stop_silently, NULL, NULL, errbuf, sizeof(errbuf)), -1);
	assert_string_equal(strrchr(errbuf, '/') + 1, "s.csv:4: stopped");
	f = fopen(p, "w");
	fputs("a,b\n1,2\n1,2,3\n", f);
	fclose(f);
	assert_int_equal(
	    csv_stream__read(p, NULL, stop_silently, NULL, NULL, errbuf, sizeof(errbuf)), -1);
	assert_string_equal(strrchr(errbuf, '/') + 1, "s.csv:3: more fields than the header's 2");
	assert_int_equal(csv_stream__read(p, NULL, NULL, NULL, NULL, errbuf, sizeof(errbuf)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_train),	   cmocka_unit_test(test_gzip_same_as_plain),
	    cmocka_unit_test(test_truncated),	   cmocka_unit_test(test_calls_after_last_sample),
	    cmocka_unit_test(test_malformed),	   cmocka_unit_test(test_hostile_names),
	    cmocka_unit_test(test_compare),	   cmocka_unit_test(test_reduction),
	    cmocka_unit_test(test_many_processes),
	    cmocka_unit_test(test_time_split),
	    cmocka_unit_test(test_sides_against_noise),
	    cmocka_unit_test(test_grouped_by_command), cmocka_unit_test(test_many_functions),
	    cmocka_unit_test(test_iterations_by_step), cmocka_unit_test(test_compare_iterations),
	    cmocka_unit_test(test_merge_hosts),
	    cmocka_unit_test(test_calls_by_process),
	    cmocka_unit_test(test_huge_numbers),   cmocka_unit_test(test_output_file),
	    cmocka_unit_test(test_main_usage),	   cmocka_unit_test(test_stream_matches_table),
	    cmocka_unit_test(test_stream_errors),
	};

	/* `sudo make test`: write as root, not as the user (integration tests cover sudo) */
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	bt_test_filter();
	return cmocka_run_group_tests(tests, setup, teardown);
}
