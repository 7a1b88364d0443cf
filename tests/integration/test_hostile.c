// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input and a hostile disk (issue 5, SPEC "When things go wrong").
 *
 * Names: the oddsym workload, whose traced function's symbol is
 * "</script><b>=cmd|' /C calc'!A0,x", is copied under names that are a
 * spreadsheet formula, an HTML end-of-script, and one with a quote, a comma,
 * a tab, a line break, an invalid UTF-8 byte and a terminal escape; it gets
 * arguments like them.  benchtrace traces it with --uprobe and --perfetto
 * and `report` renders the run: every CSV parses to the header's columns
 * with the names read back as documented (CSV: control characters but TAB
 * and ill-formed UTF-8 become U+FFFD; a leading = + - @ is written with a
 * ' that csvread takes off), meta.json and trace.json parse strictly with
 * the names in them, report.html has them only escaped (and Chromium's DOM
 * of it no injected element), and no terminal escape reaches stderr.
 *
 * Disk: a 256 KiB tmpfs as the output filesystem fills up while tracing:
 * exit 1 with one line naming the file and "No space left on device",
 * meta.json complete and saying so, every CSV (and .csv.gz, which must be
 * a complete gzip stream) ending on a whole row, the command left running
 * and finishing normally.  With no room for the run's files at all, the run
 * is refused before the command starts.
 *
 * Needs root and BPF (and Chromium for the DOM check): skips otherwise,
 * fails when CI is set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "testutil.h"
#include "tracecheck.h"

#define T(fn)	      cmocka_unit_test_setup_teardown(fn, bt_ctx_setup, hostile_teardown)
#define RUN_TIMEOUT_S 60.0
#define ODD_SYMBOL    "</script><b>=cmd|' /C calc'!A0,x"
#define ODD_CALLS     "50"
#define COMM_LEN      15 /* the kernel keeps this much of a program's name */
#define PATHBUF	      (BT_PATH_MAX + 64)

static char mounted[BT_PATH_MAX]; /* a tmpfs of ours, unmounted in teardown */
static char meta_error[512];	  /* meta.json's "error" of the last disk_full() */

static int hostile_teardown(void **state)
{
	if (mounted[0]) {
		if (umount2(mounted, MNT_DETACH))
			fprintf(stderr, "cannot unmount %s: %s\n", mounted, strerror(errno));
		mounted[0] = '\0';
	}
	return bt_ctx_teardown(state);
}

/* Length of a 2-byte UTF-8 sequence at s (the only kind the names here have), or 0. */
static int utf8_2(const unsigned char *s)
{
	return s[0] >= 0xc2 && s[0] <= 0xdf && s[1] >= 0x80 && s[1] <= 0xbf ? 2 : 0;
}

/*
 * s as CSV carries it (out.h): C0 controls but TAB, DEL and ill-formed
 * UTF-8 become U+FFFD.
 */
static char *csv_text(const char *s)
{
	char *d = malloc(strlen(s) * 3 + 1), *p = d;

	assert_non_null(d);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (utf8_2((const unsigned char *)s)) {
			*p++ = *s++;
			*p++ = *s;
		} else if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return d;
}

/* s as JSON carries it: exact but for ill-formed UTF-8, U+FFFD. */
static char *json_text(const char *s)
{
	char *d = malloc(strlen(s) * 3 + 1), *p = d;

	assert_non_null(d);
	for (; *s; s++) {
		if (utf8_2((const unsigned char *)s)) {
			*p++ = *s++;
			*p++ = *s;
		} else if ((unsigned char)*s >= 0x80) {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return d;
}

static struct csv_table *load_csv(struct bt_ctx *c, const char *name, int cols)
{
	struct csv_opts opts = {.require_newline = true};
	char path[PATHBUF], err[512];
	struct csv_table *t;

	snprintf(path, sizeof(path), "%s/%s", c->tmp.run_dir, name);
	t = csv_table__load_opts(path, &opts, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	/* csvread refuses a row with another number of fields than the header */
	assert_int_equal(csv_table__cols(t), cols);
	if (csv_table__truncated(t))
		fail_msg("%s: the last row is cut off", name);
	return t;
}

static struct json_doc *load_json(struct bt_ctx *c, const char *name)
{
	struct json_opts strict = {.strict = true};
	char path[PATHBUF], err[512];
	struct json_doc *doc;

	snprintf(path, sizeof(path), "%s/%s", c->tmp.run_dir, name);
	doc = json_doc__load(path, &strict, err, sizeof(err));
	if (!doc)
		fail_msg("%s", err);
	return doc;
}

static const char *jstr(const struct json_value *root, const char *path)
{
	const char *s = json_value__str(json_value__path(root, path));

	if (!s)
		fail_msg("meta.json: no string %s", path);
	return s;
}

/* Nothing a terminal would obey, and no byte that is not text. */
static void expect_terminal_safe(const char *what, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch < 0x20 && ch != '\n') || ch == 0x7f || ch == 0x9b || ch == 0xff)
			fail_msg("%s: raw byte 0x%02x reaches the terminal", what, ch);
	}
}

/*
 * Chromium's DOM of the page (scripts would have run): no element the
 * names could have injected, and the name shown as text.
 */
static void expect_dom_clean(struct bt_ctx *c, const char *html)
{
	const char *chromium = access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
	char cmd[4 * PATHBUF], dom_path[BT_PATH_MAX], profile[BT_PATH_MAX];
	char *dom;

	if (!chromium) {
		if (bt_in_ci())
			fail_msg("chromium is required in CI (tests/install-deps installs it)");
		print_message("SKIP the DOM check: no /usr/bin/chromium\n");
		return;
	}
	bt_tmp_path(&c->tmp, "dom.html", dom_path);
	bt_tmp_path(&c->tmp, "chromium-profile", profile);
	/* mkdtemp paths: no quote in them */
	snprintf(cmd, sizeof(cmd),
		 "timeout 120 %s --headless --no-sandbox --disable-gpu "
		 "--disable-background-networking --disable-component-update --disable-sync "
		 "--no-first-run --user-data-dir='%s' --dump-dom 'file://%s' >'%s' 2>/dev/null "
		 "</dev/null",
		 chromium, profile, html, dom_path);
	assert_int_equal(system(cmd), 0);
	dom = bt_read_file(dom_path, NULL);
	assert_non_null(dom);
	assert_non_null(strstr(dom, "<svg")); /* the page was read */
	if (strstr(dom, "<b>") || strstr(dom, "<b "))
		fail_msg("a <b> element was injected into the report's DOM");
	if (strstr(dom, "<script"))
		fail_msg("the report's DOM has a script element");
	/* the function's name is there, as text */
	assert_non_null(strstr(dom, "&lt;/script&gt;&lt;b&gt;=cmd|' /C calc'!A0,x"));
	free(dom);
}

/*
 * Copy oddsym to DIR/NAME (a '/' in NAME makes directories: the path then
 * holds NAME whole), have it name itself NAME (its first 15 bytes, as the
 * kernel keeps them), trace it with ARGS, write the report, and check
 * every file for the names.
 */
static void trace_hostile(struct bt_ctx *c, const char *name, const char *const args[], bool dom)
{
	char exe[PATHBUF], wl[BT_PATH_MAX], cmdline[2 * PATHBUF], comm[COMM_LEN + 1];
	char exec_comm[COMM_LEN + 1], html_path[PATHBUF], *want, *want_exec, *html, *raw;
	const char *argv[32] = {"--perfetto", "-o", c->tmp.run_dir, "-u", "*calc*",
				"--",	      exe,  ODD_CALLS};
	const struct json_value *root, *jargv, *evs;
	struct csv_table *s, *e, *calls, *f;
	struct json_doc *meta, *trace;
	unsigned long long pid;
	int n = 8, i, r, rows, renamed;
	char sys[2 * PATHBUF];
	const char *got;

	bt_require_bpf();
	snprintf(exe, sizeof(exe), "%s/%s", c->tmp.dir, name);
	/* the paths go through the environment: no quoting of hostile names */
	snprintf(sys, sizeof(sys), "mkdir -p \"$(dirname \"$BT_EXE\")\" && cp '%s' \"$BT_EXE\"",
		 bt_workload(wl, "oddsym"));
	setenv("BT_EXE", exe, 1);
	assert_int_equal(system(sys), 0);
	unsetenv("BT_EXE");
	snprintf(cmdline, sizeof(cmdline), "%s %s", exe, ODD_CALLS);
	for (i = 0; args[i]; i++) {
		argv[n++] = args[i];
		strcat(cmdline, " ");
		strcat(cmdline, args[i]);
	}
	argv[n] = NULL;
	snprintf(comm, sizeof(comm), "%.*s", COMM_LEN, name);
	snprintf(exec_comm, sizeof(exec_comm), "%.*s", COMM_LEN, strrchr(exe, '/') + 1);

	/* not -q: the summary on stderr shows the command's name */
	setenv("ODDSYM_COMM", comm, 1);
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, argv);
	unsetenv("ODDSYM_COMM");
	if (c->res.status != 0) {
		show_stderr(&c->res);
		fail_msg("benchtrace: exit %d", c->res.status);
	}
	expect_terminal_safe("benchtrace's stderr", c->res.err);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "pid", &pid), 0);

	/*
	 * CSV: each file to the header's columns, the names as documented.
	 * samples.csv has the name the process gave itself (the exec'd file's
	 * before that), events.csv the exec'd one.
	 */
	want = csv_text(comm);
	want_exec = csv_text(exec_comm);
	s = load_csv(c, "samples.csv", 25);
	rows = renamed = 0;
	for (r = 0; r < csv_table__rows(s); r++) {
		if (csv_table__u64(s, r, csv_table__col(s, "pid")) != pid)
			continue;
		rows++;
		got = csv_table__get(s, r, csv_table__col(s, "comm"));
		if (strcmp(got, want) && strcmp(got, want_exec))
			fail_msg("samples.csv: comm [%s], want [%s]", got, want);
		renamed += !strcmp(got, want);
	}
	assert_true(rows >= 1);
	assert_true(renamed >= 1); /* the last row at least */
	e = load_csv(c, "events.csv", 5);
	for (r = 0, rows = 0; r < csv_table__rows(e); r++)
		if (!strcmp(csv_table__get(e, r, 3), "exec") && csv_table__u64(e, r, 1) == pid) {
			assert_string_equal(csv_table__get(e, r, 4), want_exec);
			rows++;
		}
	assert_int_equal(rows, 1);
	/* processes.csv: the exec'd name, path and arguments, as given */
	{
		struct csv_table *pt = load_csv(c, "processes.csv", 8);

		for (r = 0, rows = 0; r < csv_table__rows(pt); r++) {
			if (csv_table__u64(pt, r, 0) != pid)
				continue;
			rows++;
			assert_string_equal(csv_table__get(pt, r, 4), want_exec);
			raw = csv_text(exe);
			if (strlen(exe) < 255)
				assert_string_equal(csv_table__get(pt, r, 5), raw);
			free(raw);
			raw = csv_text(cmdline);
			if (strlen(cmdline) < 512)
				assert_string_equal(csv_table__get(pt, r, 6), raw);
			free(raw);
		}
		assert_int_equal(rows, 1);
		csv_table__free(pt);
	}
	calls = load_csv(c, "calls.csv", 15);
	assert_int_equal(csv_table__rows(calls), atoi(ODD_CALLS));
	for (r = 0; r < csv_table__rows(calls); r++)
		assert_string_equal(csv_table__get(calls, r, csv_table__col(calls, "func")),
				    ODD_SYMBOL);
	f = load_csv(c, "functions.csv", 16);
	assert_int_equal(csv_table__rows(f), 1);
	assert_string_equal(csv_table__get(f, 0, 0), ODD_SYMBOL);
	raw = csv_text(exe);
	assert_string_equal(csv_table__get(f, 0, 1), raw);
	free(raw);
	/* for pandas and spreadsheets: a formula is written defused, in quotes */
	if (strchr("=+-@", comm[0])) {
		char defused[64];

		raw = bt_read_file(bt_tmp_path(&c->tmp, "run/samples.csv", sys), NULL);
		snprintf(defused, sizeof(defused), ",\"'%c", comm[0]);
		assert_non_null(strstr(raw, defused));
		free(raw);
	}

	/* meta.json and trace.json: strict JSON, the names in them */
	meta = load_json(c, "meta.json");
	root = json_doc__root(meta);
	jargv = json_value__path(root, "target.argv");
	assert_int_equal(json_value__len(jargv), 2 + (size_t)(n - 8));
	raw = json_text(exe);
	assert_string_equal(json_value__str(json_value__at(jargv, 0)), raw);
	free(raw);
	for (i = 0; args[i]; i++) {
		raw = json_text(args[i]);
		assert_string_equal(json_value__str(json_value__at(jargv, 2 + i)), raw);
		free(raw);
	}
	{
		const struct json_value *p0 =
		    json_value__at(json_value__path(root, "target.processes"), 0);

		raw = json_text(exec_comm); /* what the command is exec'd as */
		assert_string_equal(jstr(p0, "comm"), raw);
		free(raw);
		raw = json_text(cmdline);
		assert_string_equal(jstr(p0, "cmdline"), raw);
		free(raw);
	}
	assert_string_equal(jstr(json_value__at(json_value__member(root, "probes"), 0), "func"),
			    ODD_SYMBOL);
	assert_string_equal(jstr(root, "outcome"), "completed");
	json_doc__free(meta);

	trace = load_json(c, "trace.json");
	{
		char err[256];

		if (trace_check(json_doc__root(trace), err, sizeof(err)))
			fail_msg("trace.json: %s", err);
	}
	evs = trace_events(json_doc__root(trace));
	/* trace.json is made from samples.csv */
	got = trace_str(trace_meta(evs, "process_name", (long)pid, (long)pid), "name");
	assert_non_null(got);
	if (strcmp(got, want) && strcmp(got, want_exec))
		fail_msg("trace.json: process name [%s], want [%s]", got, want);
	assert_int_equal(trace_count(evs, "X", ODD_SYMBOL, (long)pid), atoi(ODD_CALLS));
	json_doc__free(trace);

	/* report.html: the names only escaped */
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "report", c->tmp.run_dir, NULL);
	if (c->res.status != 0) {
		show_stderr(&c->res);
		fail_msg("report: exit %d", c->res.status);
	}
	expect_terminal_safe("report's stdout", c->res.out);
	snprintf(html_path, sizeof(html_path), "%s/report.html", c->tmp.run_dir);
	html = bt_read_file(html_path, NULL);
	assert_non_null(html);
	if (strstr(html, "</script>") || strstr(html, "<b>") || strstr(html, "<script"))
		fail_msg("report.html has a raw </script>, <script or <b> from a name");
	if (strchr(html, '\x1b') || strchr(html, '\xff'))
		fail_msg("report.html has a raw control or invalid byte from a name");
	assert_non_null(strstr(html, "&lt;/script&gt;&lt;b&gt;=cmd|&#39; /C calc&#39;!A0,x"));
	free(html);
	if (dom)
		expect_dom_clean(c, html_path);

	free(want);
	free(want_exec);
	csv_table__free(s);
	csv_table__free(e);
	csv_table__free(calls);
	csv_table__free(f);
}

static void test_formula_name(void **state)
{
	const char *const args[] = {"=cmd|' /C calc'!A0", "+1+1", "-5", "@SUM(A1)", NULL};

	trace_hostile(*state, "=cmd|' /C calc'!A0", args, false);
}

static void test_script_name(void **state)
{
	const char *const args[] = {"</script><b>", "<img src=x onerror=alert(1)>", NULL};

	trace_hostile(*state, "</script><b>", args, true);
}

static void test_control_name(void **state)
{
	const char *const args[] = {"q\"c,t\tn\nx\xff\x1b[2J\xc2\x9b", "'", "", NULL};

	/* 15 bytes: the kernel keeps it all as the comm, without a rename */
	trace_hostile(*state, "-q\"c,t\tn\nx\xff\x1b[2J", args, true);
}

/*
 * 200000 control bytes as arguments were 33 MB of meta.json once escaped
 * (written twice, and more than `report` reads): each argument vector is
 * kept to 64 KiB and says it was cut, and report reads the run.
 */
static void test_huge_control_arguments(void **state)
{
	struct bt_ctx *c = *state;
	char *arg = malloc(100001), meta[BT_PATH_MAX + 16];
	/* two arguments: one may be at most 128 KiB (MAX_ARG_STRLEN) */
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", "/bin/true", arg, arg, NULL};
	struct stat st;

	assert_non_null(arg);
	memset(arg, 1, 100000);
	arg[100000] = 0;
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	free(arg);
	assert_int_equal(c->res.status, 0);
	snprintf(meta, sizeof(meta), "%s/meta.json", c->tmp.run_dir);
	assert_int_equal(stat(meta, &st), 0);
	print_message("meta.json: %lld bytes\n", (long long)st.st_size);
	assert_true(st.st_size < 2 * 1024 * 1024);
	assert_int_equal(bt_json_get(meta, "command_line_truncated", (char[16]){0}, 16), 0);
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "report", c->tmp.run_dir, NULL);
	assert_int_equal(c->res.status, 0);
}

/*
 * An error about a hostile file is still one line, and obeys nothing: the
 * line break, quote and escape in the name are shown escaped.
 */
static void test_error_line_escaped(void **state)
{
	static const char name[] = "x\nbenchtrace: fake\x1b]0;title\x07\x1b[2J\xc2\x9b";
	struct bt_ctx *c = *state;
	char exe[PATHBUF], wl[BT_PATH_MAX], sys[2 * PATHBUF];

	bt_require_bpf();
	snprintf(exe, sizeof(exe), "%s/%s", c->tmp.dir, name);
	snprintf(sys, sizeof(sys), "cp '%s' \"$BT_EXE\"", bt_workload(wl, "oddsym"));
	setenv("BT_EXE", exe, 1);
	assert_int_equal(system(sys), 0);
	unsetenv("BT_EXE");
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-o", c->tmp.run_dir, "-u", "no_such_function", "--",
	       exe, "1", NULL);
	expect_refusal(&c->res, 1, 2, "--uprobe on a hostile file name");
	expect_terminal_safe("benchtrace's stderr", c->res.err);
	assert_non_null(
	    strstr(c->res.err, "x\\x0abenchtrace: fake\\x1b]0;title\\x07\\x1b[2J\\u009b"));
	expect_no_run_dir(c, "--uprobe on a hostile file name");
}

/* ---- a full disk ---------------------------------------------------------- */

/* A tmpfs of SIZE on DIR/out; c->tmp.run_dir moves into it. */
static void mount_small(struct bt_ctx *c, const char *size)
{
	char opts[64], dir[BT_PATH_MAX];

	bt_tmp_path(&c->tmp, "out", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts))
		fail_msg("cannot mount a tmpfs on %s: %s", dir, strerror(errno));
	snprintf(mounted, sizeof(mounted), "%s", dir);
	if (snprintf(c->tmp.run_dir, sizeof(c->tmp.run_dir), "%s/run", dir) >=
	    (int)sizeof(c->tmp.run_dir))
		fail_msg("path too long");
}

/* No file benchtrace uses on the way (reserves, temporaries) is left. */
static void expect_no_hidden_files(struct bt_ctx *c)
{
	DIR *d = opendir(c->tmp.run_dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			fail_msg("%s left in the run directory", de->d_name);
	closedir(d);
}

/* The whole .gz decompresses and its trailer checks out (as gzip -t). */
static void expect_gzip_complete(struct bt_ctx *c, const char *name)
{
	char path[PATHBUF], buf[65536];
	struct bt_result *r = calloc(1, sizeof(*r));
	gzFile gz;
	int n;

	assert_non_null(r);
	snprintf(path, sizeof(path), "%s/%s", c->tmp.run_dir, name);
	gz = gzopen(path, "rb");
	assert_non_null(gz);
	while ((n = gzread(gz, buf, sizeof(buf))) > 0)
		;
	assert_int_equal(n, 0);
	if (gzclose(gz) != Z_OK)
		fail_msg("%s is not a complete gzip stream", name);
	{
		struct bt_proc p;
		const char *const argv[] = {"/bin/gzip", "-t", path, NULL};

		assert_int_equal(bt_spawn(&p, NULL, argv), 0);
		bt_wait(&p, r, 30);
		if (r->status != 0)
			fail_msg("gzip -t %s: %s", name, r->err);
	}
	free(r);
}

/*
 * Trace until the 256 KiB output filesystem is full; check what is left.
 * Returns the command's PID.
 */
static long disk_full(struct bt_ctx *c, bool gzip, const char *const cmd[])
{
	const char *args[32] = {"-q", "-o", NULL, "-u", NULL};
	const char *ext = gzip ? ".gz" : "";
	char wl[BT_PATH_MAX], name[64];
	const struct json_value *root;
	unsigned long long pid, kept;
	struct json_doc *meta;
	struct csv_table *t;
	int n = 5, i;

	bt_require_bpf();
	mount_small(c, "256k");
	args[2] = c->tmp.run_dir;
	args[4] = cmd[0];
	if (gzip)
		args[n++] = "-z";
	args[n++] = "--";
	args[n++] = bt_workload(wl, cmd[1]);
	for (i = 2; cmd[i]; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	unlink(c->tmp.report);
	bt_runv(&c->res, c->tmp.report, RUN_TIMEOUT_S, (const char *const *)args);
	print_message("exit %d, stderr: %s", c->res.status, c->res.err);
	/* one line naming the file and the reason; exit 1 */
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "No space left on device"));
	assert_non_null(strstr(c->res.err, c->tmp.run_dir));
	assert_non_null(strstr(c->res.err, gzip ? ".csv.gz: " : ".csv: "));

	/* meta.json is complete and says what happened */
	meta = load_json(c, "meta.json");
	root = json_doc__root(meta);
	assert_string_equal(jstr(root, "outcome"), "tracer_error");
	assert_non_null(strstr(jstr(root, "error"), "No space left on device"));
	snprintf(meta_error, sizeof(meta_error), "%s", jstr(root, "error"));
	assert_int_equal(
	    json_value__u64(
		json_value__member(json_value__at(json_value__path(root, "target.processes"), 0),
				   "pid"),
		&pid),
	    0);

	/* every log ends on a whole row, and meta.json counts what is there */
	snprintf(name, sizeof(name), "samples.csv%s", ext);
	t = load_csv(c, name, 25);
	assert_int_equal(json_value__u64(json_value__path(root, "totals.sample_rows"), &kept), 0);
	assert_int_equal(csv_table__rows(t), kept);
	csv_table__free(t);
	snprintf(name, sizeof(name), "events.csv%s", ext);
	csv_table__free(load_csv(c, name, 5));
	snprintf(name, sizeof(name), "processes.csv%s", ext);
	csv_table__free(load_csv(c, name, 8));
	snprintf(name, sizeof(name), "calls.csv%s", ext);
	t = load_csv(c, name, 15);
	assert_int_equal(json_value__u64(json_value__path(root, "calls.rows"), &kept), 0);
	assert_int_equal(csv_table__rows(t), kept);
	print_message("%s kept %d rows\n", name, csv_table__rows(t));
	assert_true(csv_table__rows(t) > 100); /* it was written until the disk was full */
	csv_table__free(t);
	snprintf(name, sizeof(name), "functions.csv%s", ext);
	t = load_csv(c, name, 16);
	assert_int_equal(csv_table__rows(t), 1); /* from the space kept for it */
	csv_table__free(t);
	if (gzip) {
		expect_gzip_complete(c, "samples.csv.gz");
		expect_gzip_complete(c, "events.csv.gz");
		expect_gzip_complete(c, "calls.csv.gz");
		expect_gzip_complete(c, "functions.csv.gz");
	}
	expect_no_hidden_files(c);
	json_doc__free(meta);
	return (long)pid;
}

/* The command outlives benchtrace, is not harmed and ends as it would have. */
static void test_disk_full(void **state)
{
	const char *const cmd[] = {"work_item", "calls", "spin", "3", NULL};
	struct bt_ctx *c = *state;
	unsigned long long calls;
	int status;
	long pid;

	pid = disk_full(c, false, cmd);
	/* left running, untraced, as the error line says */
	assert_true(bt_pid_alive((pid_t)pid));
	{
		char says[64];

		snprintf(says, sizeof(says), "runs on untraced (PID %ld)", pid);
		assert_non_null(strstr(c->res.err, says));
		assert_non_null(strstr(meta_error, says)); /* meta.json says so too */
	}
	/* it was benchtrace's child; we are the subreaper it falls back to */
	assert_int_equal(waitpid((pid_t)pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
	assert_int_equal(bt_report_get(&c->rep, "calls", &calls), 0);
	assert_true(calls > 1000);
}

/* gzip: each .csv.gz cut back to a complete stream (gzip -t passes). */
static void test_disk_full_gzip(void **state)
{
	const char *const cmd[] = {"work_item", "calls", "threads", "1", "3000000", NULL};
	struct bt_ctx *c = *state;
	double t0 = bt_now();

	disk_full(c, true, cmd);
	/* the command finishes on its own (its report is written last) */
	while (bt_report_load(&c->rep, c->tmp.report) && bt_now() - t0 < 30)
		bt_sleep_ms(50);
	assert_int_equal(bt_report_load(&c->rep, c->tmp.report), 0);
}

/* No room for the files a run needs: refused before the command starts. */
static void test_no_room_at_start(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX];
	struct stat st;

	bt_require_bpf();
	mount_small(c, "16k");
	unlink(c->tmp.report);
	bt_run(&c->res, c->tmp.report, RUN_TIMEOUT_S, "-q", "-u", "fib", "-o", c->tmp.run_dir, "--",
	       bt_workload(wl, "calls"), "fib", "20", NULL);
	expect_refusal(&c->res, 1, 1, "a 16 KiB output filesystem");
	assert_non_null(strstr(c->res.err, "No space left on device"));
	assert_non_null(strstr(c->res.err, "no room"));
	expect_no_run_dir(c, "a 16 KiB output filesystem");
	/* the command never ran */
	assert_int_equal(stat(c->tmp.report, &st), -1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_formula_name),	T(test_script_name), T(test_control_name),
	    T(test_huge_control_arguments),
	    T(test_error_line_escaped), T(test_disk_full),   T(test_disk_full_gzip),
	    T(test_no_room_at_start),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("hostile names, full disk", tests, NULL, NULL);
}
