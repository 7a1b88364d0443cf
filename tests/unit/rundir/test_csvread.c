// SPDX-License-Identifier: GPL-2.0
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
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/csvread.h"
#include "rundir/escape.h"
#include "rundir/out.h"
#include "testutil.h"

static char errbuf[512];

/* NAME in the scratch directory, written; returns its path. */
static const char *write_file(const char *name, const void *data, size_t len)
{
	return bt_write_file(bt_scratch_path(name), data, len);
}

static struct csv_table *load_str(const char *text)
{
	return csv_table__load(write_file("t.csv", text, strlen(text)), errbuf, sizeof(errbuf));
}

static struct csv_table *must_load_str(const char *text)
{
	struct csv_table *t = load_str(text);

	if (!t)
		fail_msg("load failed: %s", errbuf);
	return t;
}

/* The error message with the temporary directory cut off the front. */
static const char *err_tail(void)
{
	size_t n = strlen(bt_scratch_dir());

	if (strncmp(errbuf, bt_scratch_dir(), n) == 0 && errbuf[n] == '/')
		return errbuf + n + 1;
	return errbuf;
}

static void expect_error(const char *text, const char *want)
{
	struct csv_table *t;

	errbuf[0] = '\0';
	t = load_str(text);
	if (t) {
		csv_table__free(t);
		fail_msg("loaded, want error \"%s\"", want);
	}
	if (strcmp(err_tail(), want))
		fail_msg("error \"%s\", want \"%s\"", err_tail(), want);
}

static void test_basic(void **state)
{
	struct csv_table *t;
	__u64 v;

	(void)state;
	t = must_load_str("t_s,pid,comm,rss_bytes\n"
			  "0.010000,42,train,18446744073709551615\n"
			  "0.020000,43,,7\n");
	assert_int_equal(csv_table__rows(t), 2);
	assert_int_equal(csv_table__cols(t), 4);
	assert_int_equal(csv_table__truncated(t), 0);
	assert_int_equal(csv_table__col(t, "pid"), 1);
	assert_int_equal(csv_table__col(t, "rss_bytes"), 3);
	assert_int_equal(csv_table__col(t, "nope"), -1);
	assert_int_equal(csv_table__col(t, "PID"), -1);
	assert_string_equal(csv_table__header(t, 2), "comm");
	assert_null(csv_table__header(t, 4));
	assert_null(csv_table__header(t, -1));
	assert_string_equal(csv_table__get(t, 0, 2), "train");
	assert_string_equal(csv_table__get(t, 1, 2), "");
	assert_null(csv_table__get(t, 2, 0));
	assert_null(csv_table__get(t, -1, 0));
	assert_null(csv_table__get(t, 0, 4));
	assert_true(csv_table__u64(t, 0, 3) == UINT64_MAX);
	assert_int_equal(csv_table__u64(t, 1, 1), 43);
	assert_true(csv_table__f64(t, 1, 0) == 0.02);
	assert_int_equal(csv_table__get_u64(t, 1, 3, &v), 0);
	assert_int_equal(v, 7);
	csv_table__free(t);
	csv_table__free(NULL);
}

/* An empty first field ends before any text was stored (fuzz_csv: NULL + 0). */
static void test_empty_first_field(void **state)
{
	struct csv_table *t;

	(void)state;
	t = must_load_str(",\"b\"\n1,2\n");
	assert_int_equal(csv_table__cols(t), 2);
	assert_string_equal(csv_table__header(t, 0), "");
	assert_string_equal(csv_table__header(t, 1), "b");
	assert_string_equal(csv_table__get(t, 0, 0), "1");
	csv_table__free(t);
	t = must_load_str(",");
	assert_int_equal(csv_table__cols(t), 2);
	assert_int_equal(csv_table__rows(t), 0);
	csv_table__free(t);
}

static void test_numbers(void **state)
{
	struct csv_table *t;
	__u64 v = 99;

	(void)state;
	t = must_load_str("a,b,c,d,e,f\n,-3, 1,1.5,12abc,18446744073709551616\n");
	/* empty */
	assert_int_equal(csv_table__get_u64(t, 0, 0, &v), -EINVAL);
	assert_int_equal(csv_table__u64(t, 0, 0), 0);
	assert_true(isnan(csv_table__f64(t, 0, 0)));
	/* negative */
	assert_int_equal(csv_table__get_u64(t, 0, 1, &v), -EINVAL);
	assert_true(csv_table__f64(t, 0, 1) == -3.0);
	/* leading space */
	assert_int_equal(csv_table__get_u64(t, 0, 2, &v), -EINVAL);
	assert_true(isnan(csv_table__f64(t, 0, 2)));
	/* fractional */
	assert_int_equal(csv_table__get_u64(t, 0, 3, &v), -EINVAL);
	assert_true(csv_table__f64(t, 0, 3) == 1.5);
	/* junk */
	assert_int_equal(csv_table__u64(t, 0, 4), 0);
	assert_true(isnan(csv_table__f64(t, 0, 4)));
	/* overflow */
	assert_int_equal(csv_table__get_u64(t, 0, 5, &v), -ERANGE);
	assert_int_equal(v, 99);
	/* out of range */
	assert_int_equal(csv_table__get_u64(t, 1, 0, &v), -EINVAL);
	assert_true(isnan(csv_table__f64(t, 0, 6)));
	csv_table__free(t);
}

static void test_rfc4180_quoting(void **state)
{
	struct csv_table *t;

	(void)state;
	t = must_load_str("name,note\r\n"
			  "\"a,b\",\"say \"\"hi\"\"\"\r\n"
			  "\"two\nlines\",\"\"\r\n"
			  "\"cr\r\nlf\",\"\"\"\"\n"
			  "\" sp \",x\r"      /* lone CR ends a line too */
			  "last,no newline"); /* complete: kept */
	assert_int_equal(csv_table__rows(t), 5);
	assert_string_equal(csv_table__get(t, 0, 0), "a,b");
	assert_string_equal(csv_table__get(t, 0, 1), "say \"hi\"");
	assert_string_equal(csv_table__get(t, 1, 0), "two\nlines");
	assert_string_equal(csv_table__get(t, 1, 1), "");
	assert_string_equal(csv_table__get(t, 2, 0), "cr\r\nlf");
	assert_string_equal(csv_table__get(t, 2, 1), "\"");
	assert_string_equal(csv_table__get(t, 3, 0), " sp ");
	assert_string_equal(csv_table__get(t, 3, 1), "x");
	assert_string_equal(csv_table__get(t, 4, 1), "no newline");
	assert_int_equal(csv_table__truncated(t), 0);
	csv_table__free(t);
}

static void test_blank_lines_and_bom(void **state)
{
	struct csv_table *t;

	(void)state;
	t = must_load_str("\xef\xbb\xbf"
			  "a,b\n\n1,2\r\n\r\n\n3,4\n\n");
	assert_int_equal(csv_table__rows(t), 2);
	assert_string_equal(csv_table__header(t, 0), "a"); /* BOM gone */
	assert_string_equal(csv_table__get(t, 1, 1), "4");
	csv_table__free(t);

	/* Header only, with and without newline. */
	t = must_load_str("a,b\n");
	assert_int_equal(csv_table__rows(t), 0);
	assert_int_equal(csv_table__cols(t), 2);
	csv_table__free(t);
	t = must_load_str("a,b");
	assert_int_equal(csv_table__rows(t), 0);
	assert_int_equal(csv_table__cols(t), 2);
	csv_table__free(t);

	/* Trailing empty field. */
	t = must_load_str("a,b\n1,\n");
	assert_string_equal(csv_table__get(t, 0, 1), "");
	csv_table__free(t);
}

static void test_errors_with_line_numbers(void **state)
{
	(void)state;
	expect_error("a,b,c\n1,2,3\n\"x\ny\",2\n", "t.csv:3: 2 fields, header has 3");
	expect_error("a,b,c\n1\n", "t.csv:2: 1 field, header has 3");
	expect_error("a,b\n1,2,3\n", "t.csv:2: more fields than the header's 2");
	/* Line numbers count lines inside quoted fields, CRLF and blank lines. */
	expect_error("a,b\r\n\"1\r\n2\",3\r\n\r\n1,2,3\r\n",
		     "t.csv:5: more fields than the header's 2");
	/* A lone CR inside a quoted field is a line end too. */
	expect_error("a,b\n\"x\ry\",1\n1,2,3\n", "t.csv:4: more fields than the header's 2");
	expect_error("a,b\n1,x\"y\n", "t.csv:2: quote inside an unquoted field");
	expect_error("a,b\n1,\"x\"y\n", "t.csv:2: text after the closing quote of a field");
	expect_error("a,b\n1,\"open\nstill open\nand more", "t.csv:2: unterminated quoted field");
	expect_error("a,b\n1,\"open\n", "t.csv:2: unterminated quoted field");
	expect_error("", "t.csv: empty file (no header line)");
	expect_error("\n\r\n\n", "t.csv: empty file (no header line)");
}

static void test_nul_byte(void **state)
{
	struct csv_table *t;

	(void)state;
	t = csv_table__load(write_file("nul.csv", "a,b\n1,2\0\n", 9), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(), "nul.csv:2: NUL byte (not a CSV text file?)");
}

static void test_truncated_last_row(void **state)
{
	struct csv_opts opts = {.require_newline = true};
	struct csv_table *t;
	const char *path;

	(void)state;
	t = must_load_str("a,b,c\n1,2,3\n4,5");
	assert_int_equal(csv_table__rows(t), 1);
	assert_int_equal(csv_table__truncated(t), 1);
	assert_string_equal(csv_table__get(t, 0, 2), "3");
	csv_table__free(t);

	/* Cut after a comma: "4," has two fields, one short. */
	t = must_load_str("a,b,c\n1,2,3\n4,");
	assert_int_equal(csv_table__rows(t), 1);
	assert_int_equal(csv_table__truncated(t), 1);
	csv_table__free(t);

	/* Cut inside a quoted field on the last line. */
	t = must_load_str("a,b,c\n1,2,3\n4,\"na");
	assert_int_equal(csv_table__rows(t), 1);
	assert_int_equal(csv_table__truncated(t), 1);
	csv_table__free(t);

	/* A short row that does end with a newline is corrupt, not cut. */
	expect_error("a,b,c\n4,5\n1,2,3\n", "t.csv:2: 2 fields, header has 3");

	/* Cut inside the last field: all fields present; only require_newline catches it. */
	path = write_file("cut.csv", "a,b\n1,2\n3,4", 11);
	t = csv_table__load(path, errbuf, sizeof(errbuf));
	assert_non_null(t);
	assert_int_equal(csv_table__rows(t), 2);
	csv_table__free(t);
	t = csv_table__load_opts(path, &opts, errbuf, sizeof(errbuf));
	assert_non_null(t);
	assert_int_equal(csv_table__rows(t), 1);
	assert_int_equal(csv_table__truncated(t), 1);
	/* The dropped row left nothing behind. */
	assert_null(csv_table__get(t, 1, 0));
	assert_string_equal(csv_table__get(t, 0, 1), "2");
	csv_table__free(t);
}

static void test_limits(void **state)
{
	struct csv_opts opts = {.max_field = 8};
	struct csv_table *t;
	const char *path;
	char *big;
	size_t i, len;

	(void)state;
	path = write_file("f.csv", "a,b\n12345678,1\n123456789,2\n", 27);
	t = csv_table__load_opts(path, &opts, errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(), "f.csv:3: field longer than 8 bytes");
	opts.max_field = 9;
	t = csv_table__load_opts(path, &opts, errbuf, sizeof(errbuf));
	assert_non_null(t);
	csv_table__free(t);

	opts = (struct csv_opts){.max_bytes = 26};
	t = csv_table__load_opts(path, &opts, errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(), "f.csv: more than 26 bytes of CSV text (the limit)");
	opts.max_bytes = 27;
	t = csv_table__load_opts(path, &opts, errbuf, sizeof(errbuf));
	assert_non_null(t);
	csv_table__free(t);

	/* The default field limit applies to quoted fields and headers as well. */
	len = CSV_DEFAULT_MAX_FIELD + 16;
	big = malloc(len);
	assert_non_null(big);
	big[0] = '"';
	for (i = 1; i < len - 2; i++)
		big[i] = 'x';
	big[len - 2] = '"';
	big[len - 1] = '\n';
	t = csv_table__load(write_file("big.csv", big, len), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(), "big.csv:1: field longer than 1048576 bytes");

	/* Too many columns. */
	len = (CSV_MAX_COLS + 1) * 2;
	big = realloc(big, len);
	assert_non_null(big);
	for (i = 0; i < len; i += 2) {
		big[i] = 'c';
		big[i + 1] = ',';
	}
	big[len - 1] = '\n';
	t = csv_table__load(write_file("wide.csv", big, len), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(), "wide.csv:1: more than 4096 columns in the header");
	free(big);
}

static void test_gzip_bomb_is_bounded(void **state)
{
	struct csv_opts opts = {.max_bytes = 1 << 20};
	struct csv_table *t;
	char zeros[4096];
	gzFile gz;
	int i;

	(void)state;
	/* 8 MiB of "0,0\n" compresses to a few KiB. */
	gz = gzopen(bt_scratch_path("bomb.csv.gz"), "wb9");
	assert_non_null(gz);
	gzputs(gz, "a,b\n");
	for (i = 0; i < (int)sizeof(zeros); i += 4)
		memcpy(zeros + i, "0,0\n", 4);
	for (i = 0; i < 2048; i++)
		assert_int_equal(gzwrite(gz, zeros, sizeof(zeros)), sizeof(zeros));
	assert_int_equal(gzclose(gz), Z_OK);

	t = csv_table__load_opts(bt_scratch_path("bomb.csv.gz"), &opts, errbuf, sizeof(errbuf));
	assert_null(t);
	assert_string_equal(err_tail(),
			    "bomb.csv.gz: more than 1048576 bytes of CSV text (the limit)");
	/* Under the default limit it loads. */
	t = csv_table__load(bt_scratch_path("bomb.csv.gz"), errbuf, sizeof(errbuf));
	assert_non_null(t);
	assert_int_equal(csv_table__rows(t), 2048 * 1024);
	assert_string_equal(csv_table__get(t, 2048 * 1024 - 1, 1), "0");
	csv_table__free(t);
}

static void test_refuses_non_regular_files(void **state)
{
	struct csv_table *t;
	char target[PATH_MAX];

	(void)state;
	t = csv_table__load(bt_scratch_path("missing.csv"), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_non_null(strstr(errbuf, "cannot open '"));
	assert_non_null(strstr(errbuf, "missing.csv': No such file or directory"));

	write_file("real.csv", "a\n1\n", 4);
	snprintf(target, sizeof(target), "%s", bt_scratch_path("real.csv"));
	assert_int_equal(symlink(target, bt_scratch_path("link.csv")), 0);
	t = csv_table__load(bt_scratch_path("link.csv"), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_non_null(strstr(errbuf, "link.csv' is a symlink (refusing to follow it)"));

	t = csv_table__load(bt_scratch_dir(), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_non_null(strstr(errbuf, "' is not a regular file"));

	/* A FIFO must neither hang open() nor be read. */
	assert_int_equal(mkfifo(bt_scratch_path("fifo.csv"), 0600), 0);
	t = csv_table__load(bt_scratch_path("fifo.csv"), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_non_null(strstr(errbuf, "fifo.csv' is not a regular file"));

	/* NULL error buffer is allowed. */
	assert_null(csv_table__load(bt_scratch_path("missing.csv"), NULL, 0));
}

static void test_corrupt_gzip(void **state)
{
	static const char bad[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-garbage-garbage";
	struct csv_table *t;

	(void)state;
	t = csv_table__load(write_file("bad.csv.gz", bad, sizeof(bad) - 1), errbuf, sizeof(errbuf));
	assert_null(t);
	assert_non_null(strstr(errbuf, "bad.csv.gz: corrupt gzip data"));
}

/* Strings that must survive out__csv_str() -> csv_table__load() unchanged. */
static const char *const nasty[] = {
    "plain",
    "",
    "a,b",
    "say \"hi\"",
    "two\nlines\r\nand CRLF",
    " padded ",
    "=cmd|' /C calc'!A0",
    "+1",
    "-bash",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading cr",
    "'single",
    "''double",
    "'=already defused",
    "'",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
    "\"",
    ",",
    "trailing,",
};

#define ROUND_TRIP_REPS 1999

/* What out__csv_str() keeps of s: CR and LF become U+FFFD (one row a line). */
static void csv_written_as(char *dst, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 4 < len; s++) {
		if (*s == '\r' || *s == '\n') {
			memcpy(dst + n, "\xef\xbf\xbd", 3);
			n += 3;
		} else {
			dst[n++] = *s;
		}
	}
	dst[n] = '\0';
}

static void round_trip(bool gzip)
{
	const char *name = gzip ? "rt.csv.gz" : "rt.csv";
	size_t n = sizeof(nasty) / sizeof(nasty[0]), i;
	struct csv_table *t;
	struct out *o;
	int fd;

	fd = open(bt_scratch_path(name), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	o = out__open_fd(fd, gzip);
	assert_non_null(o);
	out__puts(o, "i,text,t_s\n");
	/* Enough rows that 64 KiB read chunks split quotes, "" pairs and CRLFs. */
	for (i = 0; i < n * ROUND_TRIP_REPS; i++) {
		out__u64(o, i);
		out__putc(o, ',');
		out__csv_str(o, nasty[i % n]);
		out__putc(o, ',');
		out__time_s(o, i * 1000000001ULL);
		out__putc(o, '\n');
	}
	assert_int_equal(out__close(o), 0);

	t = csv_table__load(bt_scratch_path(name), errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	assert_int_equal(csv_table__rows(t), n * ROUND_TRIP_REPS);
	for (i = 0; i < n * ROUND_TRIP_REPS; i++) {
		const char *got = csv_table__get(t, (int)i, 1);
		char want[256];

		csv_written_as(want, sizeof(want), nasty[i % n]);
		if (strcmp(got, want))
			fail_msg("row %zu: [%s] came back as [%s]", i, nasty[i % n], got);
		assert_int_equal(csv_table__u64(t, (int)i, 0), i);
		assert_true(fabs(csv_table__f64(t, (int)i, 2) - (double)i * 1.000000001) < 1e-6);
	}
	csv_table__free(t);
}

static void test_round_trip_plain(void **state)
{
	(void)state;
	round_trip(false);
}

static void test_round_trip_gzip(void **state)
{
	unsigned char magic[2];
	int fd;

	(void)state;
	round_trip(true);
	fd = open(bt_scratch_path("rt.csv.gz"), O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, magic, 2), 2);
	close(fd);
	assert_int_equal(magic[0], 0x1f); /* really compressed */
	assert_int_equal(magic[1], 0x8b);
}

/*
 * A crash: the writer flushed (Z_SYNC_FLUSH) but never closed, and the file
 * may be cut anywhere after that.  Everything before the cut that forms whole
 * rows reads back; no error.
 */
static void test_gzip_crash_prefix(void **state)
{
	struct csv_table *t;
	struct stat st;
	char *data;
	struct out *o;
	int fd, rows, i;
	off_t cut, header_end;

	(void)state;
	fd = open(bt_scratch_path("crash.csv.gz"), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	o = out__open_fd(dup(fd), true);
	assert_non_null(o);
	out__puts(o, "t_s,pid,comm\n");
	assert_int_equal(out__flush(o), 0);
	assert_int_equal(fstat(fd, &st), 0);
	header_end = st.st_size; /* the header is readable from here on */
	for (i = 0; i < 1000; i++)
		out__printf(o, "%d.000000,%d,\"w,%d\"\n", i, 100 + i, i);
	assert_int_equal(out__flush(o), 0);

	/* As the crash left it: no trailer. */
	t = csv_table__load(bt_scratch_path("crash.csv.gz"), errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	assert_int_equal(csv_table__rows(t), 1000);
	assert_int_equal(csv_table__truncated(t), 0);
	assert_string_equal(csv_table__get(t, 999, 2), "w,999");
	csv_table__free(t);

	/* Cut at many points inside the compressed stream. */
	assert_int_equal(fstat(fd, &st), 0);
	data = malloc((size_t)st.st_size);
	assert_non_null(data);
	assert_int_equal(pread(fd, data, (size_t)st.st_size, 0), st.st_size);
	rows = 0;
	for (cut = header_end; cut < st.st_size; cut += 97) {
		t = csv_table__load(write_file("cut.csv.gz", data, (size_t)cut), errbuf,
				    sizeof(errbuf));
		if (!t)
			fail_msg("cut at %lld of %lld: %s", (long long)cut, (long long)st.st_size,
				 errbuf);
		assert_true(csv_table__rows(t) >= rows); /* longer prefix, no fewer rows */
		rows = csv_table__rows(t);
		assert_true(csv_table__truncated(t) <= 1);
		for (i = 0; i < rows; i++)
			assert_int_equal(csv_table__u64(t, i, 1), 100 + i);
		csv_table__free(t);
	}
	assert_true(rows > 500);
	free(data);
	assert_int_equal(out__close(o), 0);
	close(fd);
}

/* Fixtures live in the source tree; found from the cwd or from the binary's path. */
static const char *fixture(const char *name)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "tests/fixtures/csv/%s", name);
	if (access(path, R_OK) == 0)
		return path;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	/* OUT/tests/unit/test_csvread -> OUT/../tests/fixtures */
	snprintf(path, sizeof(path), "%s/../../../tests/fixtures/csv/%s", dirname(exe), name);
	if (access(path, R_OK))
		fail_msg("fixture %s not found (run from the source tree)", name);
	return path;
}

static void test_fixture_excel_export(void **state)
{
	struct csv_table *t;

	(void)state;
	t = csv_table__load(fixture("excel-export.csv"), errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	assert_int_equal(csv_table__cols(t), 3);
	assert_int_equal(csv_table__rows(t), 3);
	assert_int_equal(csv_table__col(t, "name"), 0);
	assert_string_equal(csv_table__get(t, 0, 0), "Smith, J.");
	assert_string_equal(csv_table__get(t, 0, 1), "said \"hi\"\r\nthen left");
	assert_true(csv_table__f64(t, 0, 2) == 1.5);
	assert_string_equal(csv_table__get(t, 1, 1), "");
	assert_string_equal(csv_table__get(t, 2, 0), "caf\xc3\xa9");
	csv_table__free(t);
}

static void test_fixture_cut_samples(void **state)
{
	struct csv_opts opts = {.require_newline = true};
	struct csv_table *t;

	(void)state;
	/* Cut inside the last field: all five fields, no newline. */
	t = csv_table__load(fixture("samples-cut.csv"), errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	assert_int_equal(csv_table__rows(t), 3);
	assert_string_equal(csv_table__get(t, 2, 2), "-bash"); /* defusing undone */
	csv_table__free(t);

	t = csv_table__load_opts(fixture("samples-cut.csv"), &opts, errbuf, sizeof(errbuf));
	if (!t)
		fail_msg("%s", errbuf);
	assert_int_equal(csv_table__rows(t), 2);
	assert_int_equal(csv_table__truncated(t), 1);
	assert_int_equal(csv_table__u64(t, 1, csv_table__col(t, "rss_bytes")), 104861696);
	csv_table__free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_rfc4180_quoting),
	    cmocka_unit_test(test_blank_lines_and_bom),
	    cmocka_unit_test(test_errors_with_line_numbers),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_truncated_last_row),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_gzip_bomb_is_bounded),
	    cmocka_unit_test(test_refuses_non_regular_files),
	    cmocka_unit_test(test_corrupt_gzip),
	    cmocka_unit_test(test_round_trip_plain),
	    cmocka_unit_test(test_round_trip_gzip),
	    cmocka_unit_test(test_gzip_crash_prefix),
	    cmocka_unit_test(test_fixture_excel_export),
	    cmocka_unit_test(test_fixture_cut_samples),
	    cmocka_unit_test(test_empty_first_field),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("csvread", tests, bt_scratch_setup, bt_scratch_teardown);
}
