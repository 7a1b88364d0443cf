// SPDX-License-Identifier: GPL-2.0
/*
 * trace.json from run directories made by hand (tests/fixtures/perfetto/),
 * read back with the JSON reader at its strictest (tests/lib/tracecheck.c) and compared
 * value by value with the CSV files it came from.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "filter.h"

#include "report/perfetto.h"
#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "rundir/out.h"
#include "rundir/rundir.h"
#include "testutil.h"
#include "tracecheck.h"
#include "util/parse.h"

static char errbuf[512];

/* The source tree's fixture directory, from the cwd or the binary's path. */
static const char *fixture_dir(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "tests/fixtures/perfetto/run");
	if (access(path, R_OK) == 0)
		return path;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../../../tests/fixtures/perfetto/run", dirname(exe));
	if (access(path, R_OK))
		fail_msg("fixture directory not found (run from the source tree)");
	return path;
}

/* A fresh directory in the scratch directory; its path stays valid for the whole run. */
static const char *new_dir(const char *name)
{
	static char dirs[16][PATH_MAX];
	static int n;
	char *p = dirs[n++ % 16];

	snprintf(p, PATH_MAX, "%s", bt_scratch_path(name));
	assert_int_equal(mkdir(p, 0755), 0);
	return p;
}

/* Convert DIR into OUT_NAME in the scratch directory; returns perfetto__convert()'s value. */
static int convert(const char *dir, const char *out_name)
{
	struct out *o;
	int fd, ret;

	fd = open(bt_scratch_path(out_name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	o = out__open_fd(fd, false);
	assert_non_null(o);
	errbuf[0] = '\0';
	ret = perfetto__convert(dir, o, errbuf, sizeof(errbuf));
	if (!ret)
		ret = out__close(o);
	else
		out__close(o);
	return ret;
}

static struct json_doc *convert_parse(const char *dir, const char *out_name)
{
	char perr[256];
	struct json_doc *doc;

	if (convert(dir, out_name))
		fail_msg("conversion failed: %s", errbuf);
	doc = trace_load(bt_scratch_path(out_name), perr, sizeof(perr));
	if (!doc)
		fail_msg("%s is not valid JSON: %s", out_name, perr);
	return doc;
}

/* t_s text to ns, exactly. */
static __u64 csv_ns(const char *s)
{
	__u64 ns;

	if (parse_fixed(s, 9, &ns))
		fail_msg("t_s '%s' is not seconds with at most 9 decimals", s);
	return ns;
}

/* The event's "ts" (or another µs field) in ns, exactly as written. */
static __u64 ev_ns(const struct json_value *ev, const char *key)
{
	__u64 ns;

	if (parse_fixed(json_value__text(json_value__member(ev, key)), 3, &ns))
		fail_msg("%s is not a non-negative µs number with at most 3 decimals", key);
	return ns;
}

static const struct json_value *check_structure(const struct json_value *root)
{
	char why[256];

	if (trace_check(root, why, sizeof(why)))
		fail_msg("not a loadable trace: %s", why);
	return trace_events(root);
}

static size_t count_ph(const struct json_value *evs, const char *ph)
{
	return trace_count(evs, ph, NULL, -1);
}

/* Counter events NAME of pid, in file order. */
static size_t counters(const struct json_value *evs, const char *name, int pid,
		       const struct json_value **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i);

		if (!strcmp(trace_str(e, "ph"), "C") && !strcmp(trace_str(e, "name"), name) &&
		    trace_num(e, "pid") == pid && n < max)
			out[n++] = e;
	}
	return n;
}

static double counter_val(const struct json_value *e, const char *key)
{
	return trace_num(json_value__member(e, "args"), key);
}

static struct csv_table *load_fixture(const char *name)
{
	char path[2 * PATH_MAX];
	struct csv_table *t;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir(), name);
	t = csv_table__load(path, errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	return t;
}

static void test_calls_become_complete_events(void **state)
{
	struct json_doc *doc = convert_parse(fixture_dir(), "calls.json");
	const struct json_value *root = json_doc__root(doc), *evs = check_structure(root);
	struct csv_table *calls = load_fixture("calls.csv");
	int rows = csv_table__rows(calls), cols = csv_table__cols(calls), r = 0, c;
	size_t i;

	(void)state;
	assert_int_equal(rows, 5);
	assert_int_equal(count_ph(evs, "X"), (size_t)rows);
	/* in calls.csv's order, every value carried over exactly */
	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i),
					*args = json_value__member(e, "args");
		unsigned long long dur;

		if (strcmp(trace_str(e, "ph"), "X"))
			continue;
		assert_int_equal(ev_ns(e, "ts"),
				 csv_ns(csv_table__get(calls, r, csv_table__col(calls, "t_s"))));
		dur = csv_table__u64(calls, r, csv_table__col(calls, "dur_ns"));
		assert_int_equal(ev_ns(e, "dur"), dur);
		assert_true(trace_num(e, "pid") ==
			    csv_table__u64(calls, r, csv_table__col(calls, "pid")));
		assert_true(trace_num(e, "tid") ==
			    csv_table__u64(calls, r, csv_table__col(calls, "tid")));
		assert_string_equal(trace_str(e, "name"),
				    csv_table__get(calls, r, csv_table__col(calls, "func")));
		/* the resources and depth, nothing else */
		assert_int_equal(json_value__len(args), (size_t)cols - 5);
		for (c = 0; c < cols; c++) {
			const char *h = csv_table__header(calls, c);
			const struct json_value *a = json_value__member(args, h);

			if (!strcmp(h, "t_s") || !strcmp(h, "dur_ns") || !strcmp(h, "pid") ||
			    !strcmp(h, "tid") || !strcmp(h, "func")) {
				assert_null(a);
				continue;
			}
			if (json_value__type(a) != JSON_NUMBER)
				fail_msg("call %d: no numeric args.%s", r, h);
			assert_string_equal(json_value__text(a), csv_table__get(calls, r, c));
		}
		r++;
	}
	/* spot checks against the fixture's text */
	for (i = 0; i < json_value__len(evs); i++)
		if (!strcmp(trace_str(json_value__at(evs, i), "name"), "weird, name"))
			break;
	assert_true(i < json_value__len(evs));
	assert_string_equal(json_value__text(json_value__member(json_value__at(evs, i), "dur")),
			    "0.500");
	assert_true(trace_num(json_value__at(evs, i), "tid") == 102);
	assert_true(trace_num(json_value__member(root, "metadata"), "calls") == 5);
	csv_table__free(calls);
	json_doc__free(doc);
}

static void test_counters_follow_samples(void **state)
{
	struct json_doc *doc = convert_parse(fixture_dir(), "counters.json");
	const struct json_value *evs = check_structure(json_doc__root(doc)), *ev[16];
	struct csv_table *s = load_fixture("samples.csv");
	int ct = csv_table__col(s, "t_s"), cpid = csv_table__col(s, "pid");
	int crss = csv_table__col(s, "rss_bytes"), cpct = csv_table__col(s, "cpu_pct");
	unsigned long long prev_t = 0;
	size_t n, k = 0;
	int r;

	(void)state;
	/* RSS is a level at t_s: one value per row, at the row's time */
	n = counters(evs, "RSS", 100, ev, 16);
	assert_int_equal(n, 5);
	for (r = 0; r < csv_table__rows(s); r++) {
		if (csv_table__u64(s, r, cpid) != 100)
			continue;
		assert_int_equal(ev_ns(ev[k], "ts"), csv_ns(csv_table__get(s, r, ct)));
		assert_true(counter_val(ev[k], "bytes") == (double)csv_table__u64(s, r, crss));
		k++;
	}
	/* CPU % is over the interval: drawn from its start, then 0 after the last */
	n = counters(evs, "CPU", 100, ev, 16);
	assert_int_equal(n, 6);
	k = 0;
	for (r = 0; r < csv_table__rows(s); r++) {
		if (csv_table__u64(s, r, cpid) != 100)
			continue;
		assert_int_equal(ev_ns(ev[k], "ts"), prev_t);
		assert_true(counter_val(ev[k], "%") == csv_table__f64(s, r, cpct));
		prev_t = csv_ns(csv_table__get(s, r, ct));
		k++;
	}
	assert_int_equal(ev_ns(ev[5], "ts"), 40000000);
	assert_true(counter_val(ev[5], "%") == 0);

	/* 1 MiB read between 10 and 20 ms: 100 MiB/s from 10 ms */
	n = counters(evs, "Read", 100, ev, 16);
	assert_int_equal(n, 6);
	assert_int_equal(ev_ns(ev[1], "ts"), 10000000);
	assert_true(counter_val(ev[1], "bytes/s") == 104857600.0);
	assert_true(counter_val(ev[0], "bytes/s") == 0);
	n = counters(evs, "Write", 100, ev, 16);
	assert_true(counter_val(ev[0], "bytes/s") == 409600.0); /* 4 KiB in the first 10 ms */
	assert_true(counter_val(ev[2], "bytes/s") == 209715200.0);
	/* the peak inside 10..20 ms, above both levels around it */
	n = counters(evs, "RSS peak", 100, ev, 16);
	assert_int_equal(ev_ns(ev[1], "ts"), 10000000);
	assert_true(counter_val(ev[1], "bytes") == 3330048);

	/* the child's first interval began at the tick before its first row */
	n = counters(evs, "CPU", 101, ev, 16);
	assert_int_equal(n, 4);
	assert_int_equal(ev_ns(ev[0], "ts"), 10000000);
	assert_true(counter_val(ev[0], "%") == 25.0);
	assert_int_equal(ev_ns(ev[3], "ts"), 35000000);
	assert_int_equal(counters(evs, "RSS", 101, ev, 16), 3);
	assert_true(counter_val(ev[2], "bytes") == 0); /* exited */
	csv_table__free(s);
	json_doc__free(doc);
}

static void test_names_and_instants(void **state)
{
	struct json_doc *doc = convert_parse(fixture_dir(), "names.json");
	const struct json_value *root = json_doc__root(doc), *evs = check_structure(root), *a;
	size_t i, n = 0;

	(void)state;
	/* the latest comm names a process: 101 exec'd "worker" */
	assert_string_equal(trace_str(trace_meta(evs, "process_name", 100, 100), "name"), "train");
	assert_string_equal(trace_str(trace_meta(evs, "process_name", 101, 101), "name"), "worker");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", 100, 100), "name"), "train");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", 101, 101), "name"), "worker");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", 100, 102), "name"),
			    "thread 102");
	a = trace_meta(evs, "process_sort_index", 100, 100);
	assert_true(trace_num(a, "sort_index") == 0);
	a = trace_meta(evs, "process_sort_index", 101, 101);
	assert_true(trace_num(a, "sort_index") == 1);
	assert_int_equal(count_ph(evs, "M"), 2 * 2 + 3);

	/* process events only: not the run's interval and lost rows */
	assert_int_equal(count_ph(evs, "i"), 5);
	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i);

		if (strcmp(trace_str(e, "ph"), "i"))
			continue;
		assert_true(strcmp(trace_str(e, "name"), "lost") &&
			    strcmp(trace_str(e, "name"), "interval"));
		if (!strcmp(trace_str(e, "name"), "fork")) {
			assert_int_equal(ev_ns(e, "ts"), 12000000);
			assert_true(trace_num(e, "pid") == 101);
			assert_string_equal(trace_str(json_value__member(e, "args"), "detail"),
					    "parent=100");
			n++;
		}
		if (!strcmp(trace_str(e, "name"), "exit") && trace_num(e, "pid") == 100) {
			assert_string_equal(trace_str(json_value__member(e, "args"), "detail"),
					    "signal=9");
			n++;
		}
	}
	assert_int_equal(n, 2);
	assert_true(trace_num(json_value__member(root, "metadata"), "processes") == 2);
	json_doc__free(doc);
}

static void gzip_copy(const char *from_dir, const char *to_dir, const char *name)
{
	char path[2 * PATH_MAX];
	size_t len;
	char *data;
	gzFile gz;

	snprintf(path, sizeof(path), "%s/%s", from_dir, name);
	data = bt_read_file(path, &len);
	snprintf(path, sizeof(path), "%s/%s.gz", to_dir, name);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, data, len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
	free(data);
}

static void test_gzip_inputs_same_trace(void **state)
{
	const char *dir = new_dir("gz");
	char *a, *b;
	size_t alen, blen;

	(void)state;
	gzip_copy(fixture_dir(), dir, "samples.csv");
	gzip_copy(fixture_dir(), dir, "events.csv");
	gzip_copy(fixture_dir(), dir, "calls.csv");
	assert_int_equal(convert(fixture_dir(), "plain.json"), 0);
	if (convert(dir, "gz.json"))
		fail_msg("%s", errbuf);
	a = bt_read_file(bt_scratch_path("plain.json"), &alen);
	b = bt_read_file(bt_scratch_path("gz.json"), &blen);
	assert_true(alen > 1000);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
}

/* What traced programs name themselves is text, never markup or JSON. */
static void test_hostile_names(void **state)
{
	const char *dir = new_dir("hostile");
	struct json_doc *doc;
	const struct json_value *evs;
	size_t i, len, nx = 0;
	char *raw;

	(void)state;
	bt_write_text(
	    dir, "samples.csv",
	    BT_SAMPLES_HEADER
	    "\n"
	    "0.010000,7,\"</script><b>\"\"\\\",1,0.0,0,0,0,0,0,4096,4096,0,4096,0,0,0,0,0,0,1,0,0,0,0\n");
	bt_write_text(dir, "events.csv",
		      "t_s,pid,tid,event,detail\n"
		      "0.001000,7,7,exec,\"</script><b>\"\"\\\"\n"
		      "0.002000,8,8,exec,\"a\x01\x1b[2J\xc3\x28\"\n");
	bt_write_text(dir, "calls.csv",
		      "t_s,dur_ns,pid,tid,func,depth\n"
		      "0.001000,10,7,7,\"f\xff\xfeg\",0\n"
		      "0.002000,10,7,7,\"\"\"},{\"\"ph\"\":\"\"X\",0\n"
		      "0.003000,10,7,7,caf\xc3\xa9\\u0000,0\n");
	doc = convert_parse(dir, "hostile.json");
	evs = check_structure(json_doc__root(doc));
	raw = bt_read_file(bt_scratch_path("hostile.json"), &len);
	/* invalid UTF-8 never reaches the file (the strict parser checked too) */
	assert_null(memchr(raw, '\xff', len));
	free(raw);
	assert_string_equal(trace_str(trace_meta(evs, "process_name", 7, 7), "name"),
			    "</script><b>\"\\");
	/* 8 has no samples: named by what it exec'd; controls escaped, bad UTF-8 replaced */
	assert_string_equal(trace_str(trace_meta(evs, "process_name", 8, 8), "name"),
			    "a\x01\x1b[2J\xef\xbf\xbd(");
	for (i = 0; i < json_value__len(evs); i++) {
		const char *name = trace_str(json_value__at(evs, i), "name");

		if (strcmp(trace_str(json_value__at(evs, i), "ph"), "X"))
			continue;
		if (nx == 0)
			assert_string_equal(name, "f\xef\xbf\xbd\xef\xbf\xbdg");
		if (nx == 1)
			assert_string_equal(name, "\"},{\"ph\":\"X");
		if (nx == 2)
			assert_string_equal(name, "caf\xc3\xa9\\u0000");
		nx++;
	}
	/* an injected event would show as a fourth X */
	assert_int_equal(nx, 3);
	json_doc__free(doc);
}

static const char samples_hdr[] = BT_SAMPLES_HEADER "\n";

/* The X event of the n-th call named func on tid. */
static const struct json_value *call_on(const struct json_value *evs, const char *func, int tid,
					size_t n)
{
	const struct json_value *e;
	size_t i;

	for (i = 0; (e = trace_nth(evs, "X", func, -1, i)); i++)
		if (trace_num(e, "tid") == tid && n-- == 0)
			return e;
	fail_msg("no call %s on tid %d", func, tid);
	return NULL;
}

static void expect_drawn(const struct json_value *evs, const char *func, int tid, size_t n,
			 const char *ts, const char *dur, bool moved, bool stretched)
{
	const struct json_value *e = call_on(evs, func, tid, n),
				*args = json_value__member(e, "args");

	if (strcmp(json_value__text(json_value__member(e, "ts")), ts) ||
	    strcmp(json_value__text(json_value__member(e, "dur")), dur))
		fail_msg("%s on tid %d drawn at %s for %s, want %s for %s", func, tid,
			 json_value__text(json_value__member(e, "ts")),
			 json_value__text(json_value__member(e, "dur")), ts, dur);
	/* what was recorded stays in args when the drawing differs */
	assert_int_equal(json_value__member(args, "t_s") != NULL, moved);
	assert_int_equal(json_value__member(args, "dur_ns") != NULL, stretched);
}

/*
 * t_s rounded to the microsecond makes properly nested calls seem not to
 * nest, which trace viewers would draw wrongly: calls are moved by at most
 * about a microsecond so that they nest again, what was recorded kept in
 * args; anything more is not rounding and is drawn as recorded.
 */
static void test_rounded_calls_nest(void **state)
{
	const char *dir = new_dir("overhang");
	const struct json_value *evs;
	struct json_doc *doc;

	(void)state;
	bt_write_text(dir, "samples.csv", samples_hdr);
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(dir, "calls.csv",
		      "t_s,dur_ns,pid,tid,func,depth\n"
		      /* tid 1: inner ends 600 ns after mid, mid 400 ns after outer,
		       * and outer starts with mid: outer must come first */
		      "0.000011,1600,1,1,inner,2\n"
		      "0.000010,2000,1,1,mid,1\n"
		      "0.000010,1600,1,1,outer,0\n"
		      /* tid 2: 5 us over is not rounding */
		      "0.000011,6000,1,2,inner,1\n"
		      "0.000010,2000,1,2,outer,0\n"
		      /* tid 3: early, a callee that began before first, is not
		       * first's; properly nested ones stay as they are */
		      "0.000001,2500,1,3,early,1\n"
		      "0.000002,1000,1,3,first,0\n"
		      "0.000011,500,1,3,inner,1\n"
		      "0.000010,2000,1,3,outer,0\n"
		      /* tid 4: two short calls in the same microsecond, and their
		       * caller, all rounded to 20 us; then the next caller */
		      "0.000020,300,1,4,a,1\n"
		      "0.000020,300,1,4,b,1\n"
		      "0.000020,900,1,4,p,0\n"
		      "0.000021,100,1,4,c,1\n"
		      "0.000021,200,1,4,q,0\n");
	doc = convert_parse(dir, "overhang.json");
	evs = check_structure(json_doc__root(doc));
	/* only in calls.csv: no name recorded, the pid stands in */
	assert_string_equal(trace_str(trace_meta(evs, "process_name", 1, 1), "name"), "pid 1");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", 1, 1), "name"), "pid 1");
	assert_string_equal(trace_str(trace_meta(evs, "thread_name", 1, 2), "name"), "thread 2");

	expect_drawn(evs, "inner", 1, 0, "11.000", "1.600", false, false);
	expect_drawn(evs, "mid", 1, 0, "10.000", "2.600", false, true);
	expect_drawn(evs, "outer", 1, 0, "9.998", "2.602", true, true);
	assert_true(trace_num(json_value__member(call_on(evs, "outer", 1, 0), "args"), "dur_ns") ==
		    1600);
	assert_string_equal(json_value__text(json_value__member(
				json_value__member(call_on(evs, "outer", 1, 0), "args"), "t_s")),
			    "0.000010000");

	expect_drawn(evs, "inner", 2, 0, "11.000", "6.000", false, false);
	expect_drawn(evs, "outer", 2, 0, "10.000", "2.000", false, false);

	expect_drawn(evs, "early", 3, 0, "1.000", "2.500", false, false);
	expect_drawn(evs, "first", 3, 0, "2.000", "1.000", false, false);
	expect_drawn(evs, "inner", 3, 0, "11.000", "0.500", false, false);
	expect_drawn(evs, "outer", 3, 0, "10.000", "2.000", false, false);

	/* b after a, p before both and over them, q after p, c after p too */
	expect_drawn(evs, "a", 4, 0, "20.000", "0.300", false, false);
	expect_drawn(evs, "b", 4, 0, "20.300", "0.300", true, false);
	expect_drawn(evs, "p", 4, 0, "19.998", "0.900", true, false);
	expect_drawn(evs, "c", 4, 0, "21.000", "0.100", false, false);
	expect_drawn(evs, "q", 4, 0, "20.998", "0.200", true, false);
	json_doc__free(doc);
}

/* ---- random call trees, rounded as calls.csv rounds them ---- */

struct gen {
	FILE *f;
	unsigned long long seed;
	int tid, rows;
};

static unsigned int rnd(struct gen *g, unsigned int n)
{
	g->seed = g->seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(g->seed >> 33) % n;
}

/* One call at depth starting at ns; its callees; its row after theirs.
 * Returns its end.  Gaps of 20..300 ns stand for the probes' own cost. */
static unsigned long long gen_call(struct gen *g, int depth, unsigned long long ns)
{
	unsigned long long t = ns + 20 + rnd(g, 280), end, us;
	int kids = depth < 4 ? (int)rnd(g, 4) : 0, i;

	for (i = 0; i < kids; i++)
		t = gen_call(g, depth + 1, t) + 20 + rnd(g, 280);
	end = t + rnd(g, 3000);
	/* out__time_s(): to the microsecond, half up */
	us = (ns + 500) / 1000;
	fprintf(g->f, "%llu.%06llu,%llu,1,%d,f%d,%d\n", us / 1000000, us % 1000000, end - ns,
		g->tid, depth, depth);
	g->rows++;
	return end;
}

/*
 * What a stack-based viewer does with one thread's X events: sorted by ts
 * (file order for equal ts), each must start inside the innermost open
 * slice and end within it, or start after it ended.
 */
static void expect_stackable(const struct json_value *evs, int tid)
{
	unsigned long long ts[4096], end[4096], open_end[64];
	size_t n = 0, i, j, depth = 0;

	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i);

		if (strcmp(trace_str(e, "ph"), "X") || trace_num(e, "tid") != tid)
			continue;
		assert_true(n < 4096);
		ts[n] = ev_ns(e, "ts");
		end[n] = ts[n] + ev_ns(e, "dur");
		n++;
	}
	assert_true(n > 10);
	/* stable insertion sort by ts */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
			unsigned long long a = ts[j], b = end[j];

			ts[j] = ts[j - 1];
			end[j] = end[j - 1];
			ts[j - 1] = a;
			end[j - 1] = b;
		}
	for (i = 0; i < n; i++) {
		while (depth && ts[i] >= open_end[depth - 1])
			depth--;
		if (depth && end[i] > open_end[depth - 1])
			fail_msg("tid %d: [%llu, %llu] crosses the end of its caller at %llu", tid,
				 ts[i], end[i], open_end[depth - 1]);
		assert_true(depth < 64);
		open_end[depth++] = end[i];
	}
}

static void test_random_rounded_trees_nest(void **state)
{
	const char *dir = new_dir("trees");
	char path[2 * PATH_MAX];
	struct gen g = {.seed = 42};
	unsigned long long t;
	struct json_doc *doc;
	const struct json_value *evs;
	size_t i;
	int k;

	(void)state;
	bt_write_text(dir, "samples.csv", samples_hdr);
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	g.f = fopen(path, "we");
	assert_non_null(g.f);
	fputs("t_s,dur_ns,pid,tid,func,depth\n", g.f);
	for (g.tid = 1; g.tid <= 8; g.tid++)
		for (t = 1000, k = 0; k < 60; k++)
			t = gen_call(&g, 0, t) + 20 + rnd(&g, 280);
	assert_int_equal(fclose(g.f), 0);
	doc = convert_parse(dir, "trees.json");
	evs = check_structure(json_doc__root(doc));
	assert_int_equal(count_ph(evs, "X"), (size_t)g.rows);
	for (k = 1; k <= 8; k++)
		expect_stackable(evs, k);
	/* moved by about a microsecond at most, never shortened */
	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i),
					*args = json_value__member(e, "args");
		__u64 rec_ts, drawn = ev_ns(e, "ts");

		if (strcmp(trace_str(e, "ph"), "X"))
			continue;
		if (parse_fixed(json_value__text(json_value__member(args, "t_s")), 9, &rec_ts))
			rec_ts = drawn;
		assert_true(drawn + 1600 > rec_ts && rec_ts + 1600 > drawn);
		if (json_value__member(args, "dur_ns"))
			assert_true(ev_ns(e, "dur") >= trace_num(args, "dur_ns"));
	}
	json_doc__free(doc);
}

static void test_without_calls(void **state)
{
	const char *dir = new_dir("nocalls");
	char path[2 * PATH_MAX];
	const struct json_value *root;
	struct json_doc *doc;
	size_t len;
	char *data;

	(void)state;
	snprintf(path, sizeof(path), "%s/samples.csv", fixture_dir());
	data = bt_read_file(path, &len);
	bt_write_text(dir, "samples.csv", data);
	free(data);
	snprintf(path, sizeof(path), "%s/events.csv", fixture_dir());
	data = bt_read_file(path, &len);
	bt_write_text(dir, "events.csv", data);
	free(data);
	doc = convert_parse(dir, "nocalls.json");
	root = json_doc__root(doc);
	assert_int_equal(count_ph(check_structure(root), "X"), 0);
	assert_true(count_ph(json_value__member(root, "traceEvents"), "C") > 20);
	assert_true(trace_num(json_value__member(root, "metadata"), "calls") == 0);
	json_doc__free(doc);
}

/* A planted calls.csv with a new thread on each of @n rows, in descending order. */
static const char *many_threads_dir(const char *name, size_t n)
{
	const char *dir = new_dir(name);
	char path[PATH_MAX + 32];
	size_t i;
	FILE *f;

	bt_write_text(dir, "samples.csv",
		      "t_s,pid,comm,cpu_ns,cpu_pct,minflt,majflt,rss_bytes,rss_peak_bytes,"
		      "read_bytes,write_bytes\n0.1,1,a,1,1,1,1,1,1,1,1\n");
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("t_s,dur_ns,pid,tid,func,depth\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "0.%06zu,10,1,%zu,f,0\n", i, 2 * n - i);
	assert_int_equal(fclose(f), 0);
	return dir;
}

/*
 * Each new thread is one hash insert, not a memmove() of a sorted array
 * (that took 40 s of CPU for 200000 rows): five times the threads take
 * about five times the CPU, not 25 (measured against the smaller run in
 * this process, so a slow machine or valgrind changes both alike); and
 * the trace still names them in key order.  Only the conversion is timed:
 * reading 100000 threads' events back as a JSON tree (the test's check,
 * not the product) is a malloc per value and grew 11-13x.
 */
static void test_many_threads(void **state)
{
	const char *small = many_threads_dir("threads-small", 20000);
	const char *big = many_threads_dir("threads", 100000);
	const struct json_value *evs, *e;
	long prev = -1, named = 0;
	struct json_doc *doc;
	char perr[256];
	clock_t cpu, small_cpu = 0;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) { /* the least of three: the small run is short */
		char name[32];

		snprintf(name, sizeof(name), "threads-small-%zu.json", i);
		cpu = clock();
		if (convert(small, name))
			fail_msg("conversion failed: %s", errbuf);
		cpu = clock() - cpu;
		if (!i || cpu < small_cpu)
			small_cpu = cpu;
	}
	/* the conversion alone: reading the result back is the test's own cost */
	cpu = clock();
	if (convert(big, "threads.json"))
		fail_msg("conversion failed: %s", errbuf);
	cpu = clock() - cpu;
	print_message("20000 threads: %.3f s of CPU, 100000: %.3f s (%.1fx)\n",
		      (double)small_cpu / CLOCKS_PER_SEC, (double)cpu / CLOCKS_PER_SEC,
		      (double)cpu / (small_cpu ? small_cpu : 1));
	assert_true(cpu < 12 * (small_cpu + CLOCKS_PER_SEC / 100));
	doc = trace_load(bt_scratch_path("threads.json"), perr, sizeof(perr));
	if (!doc)
		fail_msg("threads.json is not valid JSON: %s", perr);
	evs = json_value__member(json_doc__root(doc), "traceEvents");
	for (i = 0; i < json_value__len(evs); i++) {
		double tid;

		e = json_value__at(evs, i);
		if (strcmp(json_value__str(json_value__member(e, "name")) ?: "", "thread_name") ||
		    json_value__num(json_value__member(e, "tid"), &tid))
			continue;
		assert_true((long)tid > prev);
		prev = (long)tid;
		named++;
	}
	assert_int_equal(named, 100001); /* and the main thread, 1 */
	json_doc__free(doc);
}

/* errbuf ends with want (it starts with the temporary directory). */
static void expect_err_tail(const char *want)
{
	size_t n = strlen(errbuf), w = strlen(want);

	if (n < w || strcmp(errbuf + n - w, want))
		fail_msg("error '%s' does not end with '%s'", errbuf, want);
}

static void test_bad_inputs(void **state)
{
	const char *d1 = new_dir("bad1"), *d2 = new_dir("bad2"), *d3 = new_dir("bad3");
	const char *d4 = new_dir("bad4");

	(void)state;
	assert_int_equal(convert(d1, "bad1.json"), -EINVAL);
	assert_string_equal(errbuf, "no samples.csv or samples.csv.gz");

	bt_write_text(d2, "samples.csv", samples_hdr);
	bt_write_text(d2, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(d2, "calls.csv", "t_s,dur_ns,pid,tid,func\n0.1,5,1,1,f\n1e3,5,1,1,f\n");
	assert_int_equal(convert(d2, "bad2.json"), -EINVAL);
	expect_err_tail("/bad2/calls.csv:3: bad t_s '1e3'");

	bt_write_text(d3, "samples.csv", samples_hdr);
	bt_write_text(d3, "events.csv", "t_s,pid,tid,event,detail\n");
	bt_write_text(d3, "calls.csv", "t_s,dur_ns,pid,func\n0.1,5,1,f\n");
	assert_int_equal(convert(d3, "bad3.json"), -EINVAL);
	expect_err_tail("/bad3/calls.csv:1: no 'tid' column");

	/* the reader's own message for malformed CSV */
	bt_write_text(d4, "samples.csv", samples_hdr);
	bt_write_text(d4, "events.csv", "t_s,pid,tid,event,detail\n0.1,1,1\n");
	assert_int_equal(convert(d4, "bad4.json"), -EINVAL);
	expect_err_tail("/bad4/events.csv:2: 3 fields, header has 5");
}

/* A full disk stops a long conversion early, with the write error. */
static void test_write_error_stops(void **state)
{
	const char *dir = new_dir("big");
	char path[2 * PATH_MAX];
	int fd, i;
	struct out *o;
	FILE *f;

	(void)state;
	if (access("/dev/full", W_OK))
		fail_msg("/dev/full is needed for this test");
	bt_write_text(dir, "samples.csv", samples_hdr);
	bt_write_text(dir, "events.csv", "t_s,pid,tid,event,detail\n");
	snprintf(path, sizeof(path), "%s/calls.csv", dir);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs("t_s,dur_ns,pid,tid,func,depth\n", f);
	for (i = 0; i < 100000; i++)
		fprintf(f, "%d.%06d,1000,1,1,step,0\n", i / 1000000, i % 1000000);
	assert_int_equal(fclose(f), 0);
	fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	o = out__open_fd(fd, false);
	assert_int_equal(perfetto__convert(dir, o, errbuf, sizeof(errbuf)), -ENOSPC);
	expect_err_tail(strerror(ENOSPC));
	out__close(o);
}

static void copy_into_rundir(struct rundir *rd, const char *name)
{
	char path[2 * PATH_MAX];
	size_t len;
	char *data;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir(), name);
	data = bt_read_file(path, &len);
	fd = rundir__open(rd, name, 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
}

static void test_write_into_rundir(void **state)
{
	struct rundir *rd;
	char path[2 * PATH_MAX], perr[256];
	struct json_doc *doc;
	struct stat st;
	size_t len;
	char *before, *after;
	int fd;

	(void)state;
	rd = rundir__create(bt_scratch_path("rd"), (uid_t)-1, (gid_t)-1, errbuf, sizeof(errbuf));
	assert_non_null(rd);
	copy_into_rundir(rd, "samples.csv");
	copy_into_rundir(rd, "events.csv");
	copy_into_rundir(rd, "calls.csv");
	if (perfetto__write(rd, errbuf, sizeof(errbuf)))
		fail_msg("%s", errbuf);
	snprintf(path, sizeof(path), "%s/trace.json", bt_scratch_path("rd"));
	doc = trace_load(path, perr, sizeof(perr));
	if (!doc)
		fail_msg("%s", perr);
	assert_int_equal(count_ph(check_structure(json_doc__root(doc)), "X"), 5);
	json_doc__free(doc);

	/* never over an existing file */
	before = bt_read_file(path, &len);
	assert_int_equal(perfetto__write(rd, errbuf, sizeof(errbuf)), -EEXIST);
	assert_non_null(strstr(errbuf, "cannot create "));
	assert_non_null(strstr(errbuf, "/rd/trace.json: File exists"));
	after = bt_read_file(path, &len);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* a failed conversion leaves no half-written trace.json behind */
	assert_int_equal(unlink(path), 0);
	fd = openat(rundir__dirfd(rd), "calls.csv", O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x,1,1,1,f,0,0,0,0,0,0,0,0,0,0\n", 30), 30);
	close(fd);
	assert_int_equal(perfetto__write(rd, errbuf, sizeof(errbuf)), -EINVAL);
	assert_non_null(strstr(errbuf, "trace.json: "));
	expect_err_tail("/rd/calls.csv:7: bad t_s 'x'");
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	rundir__close(rd);
}

/* The checker must refuse what Chrome's and Perfetto's readers would (the
 * reader's strictness is tested in test_jsonread.c). */
static void test_trace_check_refuses(void **state)
{
	static const char *const bad[] = {
	    "[]",
	    "{\"traceEvents\":[],\"displayTimeUnit\":\"ms\",\"metadata\":{}}",
	    "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[],\"metadata\":{}}",
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[]}",
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{\"ph\":\"X\",\"ts\":\"1\","
	    "\"pid\":1,\"tid\":1,\"name\":\"f\",\"args\":{},\"dur\":1,\"cat\":\"call\"}],"
	    "\"metadata\":{}}",
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{\"ph\":\"C\",\"ts\":1,"
	    "\"pid\":1,\"tid\":1,\"name\":\"c\",\"args\":{\"a\":1,\"b\":2}}],\"metadata\":{}}",
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{\"ts\":1,\"ph\":\"i\","
	    "\"pid\":1,\"tid\":1,\"name\":\"c\",\"s\":\"p\",\"args\":{}}],\"metadata\":{}}",
	    "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{\"ph\":\"X\",\"ts\":1,"
	    "\"pid\":1,\"tid\":1,\"name\":\"f\",\"args\":{},\"cat\":\"call\"}],\"metadata\":{}}",
	};
	const char *good = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{\"ph\":\"X\",\"ts\":1,"
			   "\"pid\":1,\"tid\":1,\"name\":\"f\",\"args\":{},\"dur\":0.5,"
			   "\"cat\":\"call\"}],\"metadata\":{}}";
	char perr[128], why[256];
	struct json_doc *doc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = trace_parse(bad[i], perr, sizeof(perr));
		if (!doc)
			fail_msg("case %zu: %s", i, perr);
		if (!trace_check(json_doc__root(doc), why, sizeof(why)))
			fail_msg("case %zu passed the check: %s", i, bad[i]);
		json_doc__free(doc);
	}
	doc = trace_parse(good, perr, sizeof(perr));
	assert_non_null(doc);
	if (trace_check(json_doc__root(doc), why, sizeof(why)))
		fail_msg("%s", why);
	json_doc__free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trace_check_refuses),
	    cmocka_unit_test(test_calls_become_complete_events),
	    cmocka_unit_test(test_counters_follow_samples),
	    cmocka_unit_test(test_names_and_instants),
	    cmocka_unit_test(test_gzip_inputs_same_trace),
	    cmocka_unit_test(test_hostile_names),
	    cmocka_unit_test(test_rounded_calls_nest),
	    cmocka_unit_test(test_random_rounded_trees_nest),
	    cmocka_unit_test(test_without_calls),
	    cmocka_unit_test(test_many_threads),
	    cmocka_unit_test(test_bad_inputs),
	    cmocka_unit_test(test_write_error_stops),
	    cmocka_unit_test(test_write_into_rundir),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, bt_scratch_setup, bt_scratch_teardown);
}
