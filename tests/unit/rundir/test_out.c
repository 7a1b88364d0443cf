// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/escape.h"
#include "rundir/json.h"
#include "rundir/out.h"

/*
 * Each test writes through a struct out into a memfd, closes the stream and
 * reads back what reached the "file".
 */
struct capture {
	int fd; /* our end; the stream owns a dup */
	struct out *o;
};

static void capture_open(struct capture *c, bool gzip)
{
	int dupfd;

	c->fd = memfd_create("test_out", MFD_CLOEXEC);
	assert_true(c->fd >= 0);
	dupfd = dup(c->fd);
	assert_true(dupfd >= 0);
	c->o = out__open_fd(dupfd, gzip);
	assert_non_null(c->o);
}

/* Raw bytes of the file; caller frees.  NUL-terminated for convenience. */
static char *capture_read(int fd, size_t *lenp)
{
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf;

	assert_true(size >= 0);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)size, 0), size);
	buf[size] = '\0';
	if (lenp)
		*lenp = (size_t)size;
	return buf;
}

/* Close the stream (expecting success) and return the file's contents. */
static char *capture_close(struct capture *c, size_t *lenp)
{
	char *buf;

	assert_int_equal(out__close(c->o), 0);
	c->o = NULL;
	buf = capture_read(c->fd, lenp);
	close(c->fd);
	return buf;
}

/* Close the stream expecting error @err and return the file's contents. */
static char *capture_close_err(struct capture *c, int err)
{
	char *buf;

	assert_int_equal(out__close(c->o), err);
	c->o = NULL;
	buf = capture_read(c->fd, NULL);
	close(c->fd);
	return buf;
}

/* Lines in s ('\n'-terminated ones). */
static int bt_count(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_output(struct capture *c, const char *want)
{
	char *got = capture_close(c, NULL);

	assert_string_equal(got, want);
	free(got);
}

static void test_numbers(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	out__u64(c.o, 0);
	out__putc(c.o, ' ');
	out__u64(c.o, UINT64_MAX);
	out__putc(c.o, ' ');
	out__s64(c.o, INT64_MIN);
	out__putc(c.o, ' ');
	out__s64(c.o, INT64_MAX);
	out__putc(c.o, ' ');
	out__s64(c.o, -1);
	out__putc(c.o, ' ');
	out__s64(c.o, 0);
	expect_output(&c, "0 18446744073709551615 -9223372036854775808 9223372036854775807 -1 0");
}

static void test_fixed_and_time(void **state)
{
	static const struct {
		__u64 v;
		unsigned int scale, dec;
		const char *want;
	} cases[] = {
	    {1234567890, 9, 6, "1.234568"}, /* rounds up */
	    {1234567490, 9, 6, "1.234567"}, /* rounds down */
	    {1234567500, 9, 6, "1.234568"}, /* half up */
	    {999999500, 9, 6, "1.000000"},  /* carry into the integer part */
	    {999999499, 9, 6, "0.999999"},
	    {0, 9, 6, "0.000000"},
	    {1000, 9, 6, "0.000001"},
	    {5, 9, 6, "0.000000"},
	    {UINT64_MAX, 9, 6, "18446744073.709552"},
	    {UINT64_MAX, 0, 0, "18446744073709551615"},
	    {UINT64_MAX, 19, 19, "1.8446744073709551615"},
	    {UINT64_MAX, 19, 0, "2"},
	    {255, 1, 1, "25.5"},
	    {255, 1, 3, "25.500"}, /* padding when more decimals than scale */
	    {7, 0, 2, "7.00"},
	    {25, 1, 0, "3"},
	    {24, 1, 0, "2"},
	    {5, 3, 3, "0.005"},
	};
	struct capture c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got;

		capture_open(&c, false);
		out__fixed(c.o, cases[i].v, cases[i].scale, cases[i].dec);
		got = capture_close(&c, NULL);
		if (strcmp(got, cases[i].want))
			fail_msg("out__fixed(%llu, %u, %u) = \"%s\", want \"%s\"",
				 (unsigned long long)cases[i].v, cases[i].scale, cases[i].dec, got,
				 cases[i].want);
		free(got);
	}

	capture_open(&c, false);
	out__time_s(c.o, 3600123456789ULL);
	out__putc(c.o, ',');
	out__time_s(c.o, 1);
	expect_output(&c, "3600.123457,0.000000");

	capture_open(&c, false);
	out__fixed(c.o, 1, 20, 2);
	assert_int_equal(out__error(c.o), -EINVAL);
	assert_int_equal(out__close(c.o), -EINVAL);
	close(c.fd);
}

/* Lines written around and across the buffer boundary arrive intact and in order. */
static void test_buffer_boundaries(void **state)
{
	struct capture c;
	char *big, *got, *want, *p;
	size_t biglen = OUT_BUF_SIZE * 2 + 17, len, i;

	(void)state;
	big = malloc(biglen + 1);
	assert_non_null(big);
	for (i = 0; i < biglen; i++)
		big[i] = (char)('a' + i % 26);
	big[biglen] = '\0';

	capture_open(&c, false);
	for (i = 0; i < 5000; i++)
		out__printf(c.o, "%zu,%s\n", i, "row"); /* crosses the boundary mid-printf */
	out__puts(c.o, big);				/* larger than the buffer */
	out__printf(c.o, "<%s>", big);			/* printf larger than the buffer */
	out__write(c.o, "", 0);
	out__putc(c.o, '!');
	got = capture_close(&c, &len);

	want = malloc(5000 * 16 + 2 * biglen + 8);
	assert_non_null(want);
	p = want;
	for (i = 0; i < 5000; i++)
		p += sprintf(p, "%zu,row\n", i);
	p += sprintf(p, "%s<%s>!", big, big);
	assert_int_equal(len, (size_t)(p - want));
	assert_memory_equal(got, want, len);
	free(big);
	free(got);
	free(want);
}

/*
 * What reaches the file while rows are still being written ends with a
 * whole row: a tracer killed at any moment leaves no half row behind.
 */
static void test_file_ends_with_whole_rows(void **state)
{
	struct capture c;
	size_t len, seen = 0, drains = 0;
	char *got;
	int i;

	(void)state;
	capture_open(&c, false);
	for (i = 0; i < 20000; i++) {
		/* a row in pieces, as calls.csv and samples.csv are written */
		out__u64(c.o, i);
		out__putc(c.o, ',');
		out__puts(c.o, "work_item");
		out__putc(c.o, ',');
		if (i % 3)
			out__printf(c.o, "%d", i * 7);
		else
			out__u64(c.o, (__u64)i * 7);
		got = capture_read(c.fd, &len);
		if (len && got[len - 1] != '\n')
			fail_msg("after %d rows and part of one, the file ends mid-row", i);
		drains += len != seen;
		seen = len;
		free(got);
		out__putc(c.o, '\n');
	}
	print_message("%zu writes to the file, each ending with a whole row\n", drains);
	assert_true(drains >= 4);
	got = capture_close(&c, &len);
	assert_int_equal(got[len - 1], '\n');
	free(got);
}

static void test_sticky_error(void **state)
{
	bool gzip;

	(void)state;
	for (gzip = false;; gzip = true) {
		int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
		struct out *o;
		int i;

		assert_true(fd >= 0);
		o = out__open_fd(fd, gzip);
		assert_non_null(o);
		out__puts(o, "hello\n");
		assert_int_equal(out__error(o), 0); /* still buffered */
		assert_int_equal(out__flush(o), -ENOSPC);
		assert_int_equal(out__error(o), -ENOSPC);
		/* Later writes are dropped quietly, the first error is kept. */
		for (i = 0; i < 100000; i++)
			out__printf(o, "%d\n", i);
		assert_int_equal(out__flush(o), -ENOSPC);
		assert_int_equal(out__sync(o), -ENOSPC);
		assert_int_equal(out__close(o), -ENOSPC);
		if (gzip)
			break;
	}
}

static void test_open_errors(void **state)
{
	(void)state;
	errno = 0;
	assert_null(out__open_fd(-1, false));
	assert_int_equal(errno, EBADF);
	assert_int_equal(out__close(NULL), 0);
}

static void test_gzip_round_trip_and_sync_flush(void **state)
{
	struct capture c;
	char buf[256], *raw;
	size_t rawlen;
	gzFile gz;
	int n;

	(void)state;
	capture_open(&c, true);
	out__puts(c.o, "t_s,pid\n0.010000,42\n");
	assert_int_equal(out__flush(c.o), 0);

	/* A crash now: what was flushed reads back, as a complete stream. */
	raw = capture_read(c.fd, &rawlen);
	assert_true(rawlen > 2);
	assert_int_equal((unsigned char)raw[0], 0x1f); /* gzip magic */
	assert_int_equal((unsigned char)raw[1], 0x8b);
	free(raw);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", c.fd);
	gz = gzopen(buf, "rb");
	assert_non_null(gz);
	n = gzread(gz, buf, sizeof(buf) - 1);
	assert_int_equal(n, strlen("t_s,pid\n0.010000,42\n"));
	buf[n] = '\0';
	assert_string_equal(buf, "t_s,pid\n0.010000,42\n");
	assert_int_equal(gzclose(gz), Z_OK); /* trailer and CRC check */

	out__puts(c.o, "0.020000,43\n");
	assert_int_equal(out__close(c.o), 0);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", c.fd);
	gz = gzopen(buf, "rb");
	assert_non_null(gz);
	n = gzread(gz, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "t_s,pid\n0.010000,42\n0.020000,43\n");
	assert_int_equal(gzclose(gz), Z_OK); /* complete stream: trailer and CRC check */
	close(c.fd);
}

/*
 * A disk that fills up, played by RLIMIT_FSIZE: writes past @limit bytes
 * fail with EFBIG (a write across it is cut short first), as ENOSPC would.
 */
static struct rlimit saved_fsize;

static void fsize_limit(off_t limit)
{
	struct rlimit rl;

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved_fsize), 0);
	rl.rlim_cur = (rlim_t)limit;
	rl.rlim_max = saved_fsize.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void fsize_unlimit(void)
{
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved_fsize), 0);
}

/* Teardown: a failed test must not leave the limit to the next ones. */
static int fsize_restore(void **state)
{
	(void)state;
	if (saved_fsize.rlim_max)
		setrlimit(RLIMIT_FSIZE, &saved_fsize);
	return 0;
}

/* Rows "ROW n,xxxxxxxx...\n" of different lengths. */
static void put_row(struct out *o, int i)
{
	int k;

	out__printf(o, "%d,", i);
	for (k = 0; k < 10 + i % 37; k++)
		out__putc(o, (char)('a' + (i + k) % 26));
	out__putc(o, '\n');
}

/* The text put_row() writes for rows 0..n-1. */
static char *rows_text(int n)
{
	struct capture c;
	char *text;
	int i;

	capture_open(&c, false);
	for (i = 0; i < n; i++)
		put_row(c.o, i);
	text = capture_close(&c, NULL);
	return text;
}

static void test_full_disk_plain_keeps_whole_rows(void **state)
{
	static const off_t limits[] = {1, 1000, 4096, 65536 + 17, 200000};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		struct capture c;
		char *got, *want;
		int row, err = 0;

		capture_open(&c, false);
		fsize_limit(limits[i]);
		for (row = 0; row < 20000 && !err; row++) {
			put_row(c.o, row);
			if (row % 1000 == 999)
				err = out__flush(c.o);
		}
		if (!err)
			err = out__flush(c.o);
		assert_int_equal(err, -EFBIG);
		assert_int_equal(out__close(c.o), -EFBIG);
		fsize_unlimit();
		got = capture_read(c.fd, &len);
		close(c.fd);
		/* every row that is there is whole, and they are the first ones */
		assert_true((off_t)len <= limits[i]);
		assert_true(len == 0 || got[len - 1] == '\n');
		want = rows_text(bt_count(got));
		assert_string_equal(got, want);
		print_message("limit %lld: %zu bytes, %d rows kept\n", (long long)limits[i], len,
			      bt_count(got));
		free(want);
		free(got);
	}
}

static void test_full_disk_lines(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	fsize_limit(22);
	out__puts(c.o, "one\ntwo\nthree\n");
	assert_int_equal(out__flush(c.o), 0);
	assert_int_equal(out__lines(c.o), 3);
	out__puts(c.o, "four\nfive\nsix\n"); /* "four\n" fits, "five" is cut */
	assert_int_equal(out__flush(c.o), -EFBIG);
	assert_int_equal(out__lines(c.o), 4);
	assert_int_equal(out__finish(c.o), -EFBIG);
	assert_int_equal(out__lines(c.o), 4);
	fsize_unlimit();
	{
		char *got = capture_close_err(&c, -EFBIG);

		assert_string_equal(got, "one\ntwo\nthree\nfour\n");
		free(got);
	}
}

/* Decompress the whole file: it must be a complete gzip stream. */
static char *gunzip_fd(int fd, size_t *lenp)
{
	char path[64], *buf = NULL;
	size_t len = 0, cap = 0;
	gzFile gz;
	int n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	gz = gzopen(path, "rb");
	assert_non_null(gz);
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		n = gzread(gz, buf + len, 65536);
		assert_true(n >= 0);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (gzclose(gz) != Z_OK) /* the trailer is there and the CRC matches */
		fail_msg("not a complete gzip stream");
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static void test_full_disk_gzip_stays_complete(void **state)
{
	static const off_t limits[] = {5, 12, 30, 200, 1000, 4096, 20000, 70000};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		struct capture c;
		char *got, *want;
		__u64 lines;
		int row, err = 0;
		off_t size;

		capture_open(&c, true);
		fsize_limit(limits[i]);
		for (row = 0; row < 200000 && !err; row++) {
			put_row(c.o, row);
			if (row % 100 == 99)
				err = out__flush(c.o);
		}
		assert_int_equal(err, -EFBIG);
		lines = out__lines(c.o);
		assert_int_equal(out__close(c.o), -EFBIG);
		fsize_unlimit();
		size = lseek(c.fd, 0, SEEK_END);
		assert_true(size <= limits[i]);
		if (size == 0) { /* not even the gzip header fitted */
			assert_int_equal(lines, 0);
			close(c.fd);
			continue;
		}
		got = gunzip_fd(c.fd, &len);
		close(c.fd);
		/* whole rows, the first ones, as many as out__lines() said */
		assert_int_equal((__u64)bt_count(got), lines);
		want = rows_text(bt_count(got));
		assert_string_equal(got, want);
		print_message("limit %lld: %lld bytes, %d rows kept\n", (long long)limits[i],
			      (long long)size, bt_count(got));
		free(want);
		free(got);
	}
}

/*
 * The disk fills while a full buffer hands over its whole lines and keeps
 * the unfinished one (no flushes here): the write fails inside that, and
 * the buffer must come out empty, the file whole rows, plain and gzip.
 */
static void test_full_disk_while_buffer_full(void **state)
{
	static const off_t limits[] = {100, 40000, 150000};
	size_t i, len;
	int gz;

	(void)state;
	for (gz = 0; gz <= 1; gz++) {
		for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
			struct capture c;
			char *got, *want;
			int row;

			capture_open(&c, gz);
			fsize_limit(limits[i]);
			/* rows of 12-48 bytes: the buffer fills mid-row many times */
			for (row = 0; row < 100000 && !out__error(c.o); row++)
				put_row(c.o, row);
			assert_int_equal(out__error(c.o), -EFBIG);
			assert_int_equal(out__close(c.o), -EFBIG);
			fsize_unlimit();
			if (gz && lseek(c.fd, 0, SEEK_END) == 0) {
				close(c.fd);
				continue;
			}
			got = gz ? gunzip_fd(c.fd, &len) : capture_read(c.fd, &len);
			close(c.fd);
			assert_true(len == 0 || got[len - 1] == '\n');
			want = rows_text(bt_count(got));
			assert_string_equal(got, want);
			print_message("%s, limit %lld: %d rows kept\n", gz ? "gzip" : "plain",
				      (long long)limits[i], bt_count(got));
			free(want);
			free(got);
		}
	}
}

/* Cut short at out__finish() (the trailer does not fit): the last flush stays. */
static void test_full_disk_gzip_at_close(void **state)
{
	struct capture c;
	char *got;
	off_t size;

	(void)state;
	capture_open(&c, true);
	out__puts(c.o, "t_s,pid\n1,2\n");
	assert_int_equal(out__flush(c.o), 0);
	size = lseek(c.fd, 0, SEEK_END);
	fsize_limit(size); /* room for nothing more */
	out__puts(c.o, "3,4\n");
	assert_int_equal(out__close(c.o), -EFBIG);
	fsize_unlimit();
	assert_int_equal(lseek(c.fd, 0, SEEK_END), size);
	got = gunzip_fd(c.fd, NULL);
	close(c.fd);
	assert_string_equal(got, "t_s,pid\n1,2\n");
	free(got);
}

static char *csv_of(const char *s, size_t len)
{
	struct capture c;

	capture_open(&c, false);
	out__csv_strn(c.o, s, len);
	return capture_close(&c, NULL);
}

static void csv_case(const char *in, const char *want)
{
	char *got = csv_of(in, strlen(in)), buf[256];
	size_t n;

	if (strcmp(got, want))
		fail_msg("csv(\"%s\") = [%s], want [%s]", in, got, want);
	free(got);
	/* the buffer form (escaped once, written many times) is the same */
	n = csv_escape(buf, sizeof(buf), in);
	if (strcmp(buf, want) || n != strlen(want))
		fail_msg("csv_escape(\"%s\") = [%s] (%zu), want [%s]", in, buf, n, want);
	assert_int_equal(csv_escape(NULL, 0, in), strlen(want));
}

static void test_csv_quoting(void **state)
{
	struct capture c;

	(void)state;
	csv_case("plain", "plain");
	csv_case("", "");
	csv_case("a,b", "\"a,b\"");
	csv_case("say \"hi\"", "\"say \"\"hi\"\"\"");
	csv_case("\"", "\"\"\"\"");
	/* no line break inside a field: each line of the file is one row */
	csv_case("two\nlines", "two\xef\xbf\xbdlines");
	csv_case("cr\rhere", "cr\xef\xbf\xbdhere");
	csv_case("crlf\r\n,", "\"crlf\xef\xbf\xbd\xef\xbf\xbd,\"");
	csv_case("tab\there", "\"tab\there\"");
	csv_case(" lead", "\" lead\"");
	csv_case("trail ", "\"trail \"");
	csv_case("in side", "in side");
	csv_case("python3.11", "python3.11");
	csv_case("a'b", "a'b");

	capture_open(&c, false);
	out__csv_str(c.o, NULL);
	out__putc(c.o, ',');
	out__csv_str(c.o, "x");
	expect_output(&c, ",x");
}

static void test_csv_formula_injection(void **state)
{
	(void)state;
	csv_case("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"");
	csv_case("+1+1", "\"'+1+1\"");
	csv_case("-bash", "\"'-bash\"");
	csv_case("@SUM(A1)", "\"'@SUM(A1)\"");
	csv_case("\tx", "\"'\tx\"");
	csv_case("\rx", "\xef\xbf\xbdx"); /* U+FFFD starts no formula */
	/* Numbers in text fields are text: defused too (numeric columns never come here). */
	csv_case("-5", "\"'-5\"");
	csv_case("=a,\"b\"", "\"'=a,\"\"b\"\"\"");
	/* A leading ' is doubled so that a reader can undo the defusing exactly. */
	csv_case("'quoted", "\"''quoted\"");
	/* Only the first character matters. */
	csv_case("a=b", "a=b");
	csv_case("x-1", "x-1");
}

static void test_csv_utf8_and_controls(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
	    {"caf\xc3\xa9", 5, "caf\xc3\xa9"},		 /* valid 2-byte */
	    {"\xe2\x82\xac", 3, "\xe2\x82\xac"},	 /* euro sign */
	    {"\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"}, /* emoji */
	    {"a\xff"
	     "b",
	     3,
	     "a\xef\xbf\xbd"
	     "b"},							 /* never valid */
	    {"\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd"},		 /* overlong '/' */
	    {"\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* surrogate */
	    {"\xf4\x90\x80\x80", 4,
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
	    /* comm cut inside a character: one U+FFFD for the maximal subpart */
	    {"py\xe2\x82", 4, "py\xef\xbf\xbd"},
	    {"\xe2\x82x", 3, "\xef\xbf\xbdx"},
	    {"\xf0\x9f\x98", 3, "\xef\xbf\xbd"},
	    {"a\x01"
	     "b",
	     3,
	     "a\xef\xbf\xbd"
	     "b"},				   /* control */
	    {"a\x1b[2Jb", 6, "a\xef\xbf\xbd[2Jb"}, /* terminal escape */
	    {"a\x7f", 2, "a\xef\xbf\xbd"},	   /* DEL */
	    {"a\0b", 3,
	     "a\xef\xbf\xbd"
	     "b"}, /* NUL inside a counted string */
	    {"\xff,", 2, "\"\xef\xbf\xbd,\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = csv_of(cases[i].in, cases[i].len);

		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got [%s] want [%s]", i, got, cases[i].want);
		free(got);
	}
}

static void test_json_pretty(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	json__begin_object(c.o);
	json__key(c.o, "version");
	json__str(c.o, "0.1.0");
	json__key(c.o, "pids");
	json__begin_array(c.o);
	json__u64(c.o, 12);
	json__s64(c.o, -3);
	json__end_array(c.o);
	json__key(c.o, "empty_obj");
	json__begin_object(c.o);
	json__end_object(c.o);
	json__key(c.o, "empty_arr");
	json__begin_array(c.o);
	json__end_array(c.o);
	json__key(c.o, "host");
	json__begin_object(c.o);
	json__key(c.o, "cpus");
	json__u64(c.o, 2);
	json__key(c.o, "btf");
	json__bool(c.o, true);
	json__key(c.o, "gpu");
	json__null(c.o);
	json__key(c.o, "nested");
	json__begin_array(c.o);
	json__begin_object(c.o);
	json__key(c.o, "ok");
	json__bool(c.o, false);
	json__end_object(c.o);
	json__str(c.o, NULL);
	json__end_array(c.o);
	json__end_object(c.o);
	json__end_object(c.o);
	expect_output(&c, "{\n"
			  "  \"version\": \"0.1.0\",\n"
			  "  \"pids\": [\n"
			  "    12,\n"
			  "    -3\n"
			  "  ],\n"
			  "  \"empty_obj\": {},\n"
			  "  \"empty_arr\": [],\n"
			  "  \"host\": {\n"
			  "    \"cpus\": 2,\n"
			  "    \"btf\": true,\n"
			  "    \"gpu\": null,\n"
			  "    \"nested\": [\n"
			  "      {\n"
			  "        \"ok\": false\n"
			  "      },\n"
			  "      null\n"
			  "    ]\n"
			  "  }\n"
			  "}\n");
}

static void test_json_flat_and_fixed(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	json__flat_below(c.o, 2);
	json__begin_object(c.o);
	json__key(c.o, "events");
	json__begin_array(c.o);
	json__begin_object(c.o);
	json__key(c.o, "ts");
	json__fixed(c.o, 1234567, 3, 3);
	json__key(c.o, "args");
	json__begin_object(c.o);
	json__key(c.o, "a");
	json__begin_array(c.o);
	json__u64(c.o, 1);
	json__fixed(c.o, 5, 0, 0);
	json__end_array(c.o);
	json__end_object(c.o);
	json__end_object(c.o);
	json__begin_object(c.o);
	json__end_object(c.o);
	json__end_array(c.o);
	json__key(c.o, "n");
	json__fixed(c.o, 7, 3, 3);
	json__end_object(c.o);
	expect_output(&c, "{\n"
			  "  \"events\": [\n"
			  "    {\"ts\":1234.567,\"args\":{\"a\":[1,5]}},\n"
			  "    {}\n"
			  "  ],\n"
			  "  \"n\": 0.007\n"
			  "}\n");
}

static void test_json_strings(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	json__begin_array(c.o);
	json__str(c.o, "q\"b\\s/");
	json__str(c.o, "\b\f\n\r\t\x01\x1f\x7f");
	json__str(c.o, "caf\xc3\xa9 \xe2\x82\xac");
	json__str(c.o, "bad\xff\xfe end\xe2\x82");
	json__strn(c.o, "nul\0in", 6);
	json__str(c.o, "");
	json__end_array(c.o);
	expect_output(&c, "[\n"
			  "  \"q\\\"b\\\\s/\",\n"
			  "  \"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\",\n"
			  "  \"caf\xc3\xa9 \xe2\x82\xac\",\n"
			  "  \"bad\xef\xbf\xbd\xef\xbf\xbd end\xef\xbf\xbd\",\n"
			  "  \"nul\\u0000in\",\n"
			  "  \"\"\n"
			  "]\n");

	/* Keys are escaped too. */
	capture_open(&c, false);
	json__begin_object(c.o);
	json__key(c.o, "a\"b\n");
	json__u64(c.o, 1);
	json__end_object(c.o);
	expect_output(&c, "{\n  \"a\\\"b\\n\": 1\n}\n");
}

static void test_json_double(void **state)
{
	struct capture c;

	(void)state;
	capture_open(&c, false);
	json__begin_array(c.o);
	json__double(c.o, 0.1);
	json__double(c.o, 1.0 / 3.0);
	json__double(c.o, 2.0);
	json__double(c.o, -2.5e-7);
	json__double(c.o, 1e300);
	json__double(c.o, NAN);
	json__double(c.o, INFINITY);
	json__double(c.o, -INFINITY);
	json__end_array(c.o);
	expect_output(&c, "[\n  0.1,\n  0.3333333333333333,\n  2,\n  -2.5e-07,\n  1e+300,\n"
			  "  null,\n  null,\n  null\n]\n");
}

static void json_misuse_case(void (*fn)(struct out *), const char *what)
{
	struct capture c;

	capture_open(&c, false);
	fn(c.o);
	if (out__error(c.o) != -EINVAL)
		fail_msg("%s: error %d, want -EINVAL", what, out__error(c.o));
	assert_int_equal(out__close(c.o), -EINVAL);
	close(c.fd);
}

static void misuse_value_without_key(struct out *o)
{
	json__begin_object(o);
	json__u64(o, 1);
}

static void misuse_key_in_array(struct out *o)
{
	json__begin_array(o);
	json__key(o, "k");
}

static void misuse_key_at_top(struct out *o)
{
	json__key(o, "k");
}

static void misuse_two_keys(struct out *o)
{
	json__begin_object(o);
	json__key(o, "a");
	json__key(o, "b");
}

static void misuse_end_with_pending_key(struct out *o)
{
	json__begin_object(o);
	json__key(o, "a");
	json__end_object(o);
}

static void misuse_wrong_end(struct out *o)
{
	json__begin_object(o);
	json__end_array(o);
}

static void misuse_end_at_top(struct out *o)
{
	json__end_object(o);
}

static void misuse_too_deep(struct out *o)
{
	int i;

	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json__begin_array(o);
}

static void test_json_misuse(void **state)
{
	struct capture c;
	int i;

	(void)state;
	json_misuse_case(misuse_value_without_key, "value without key");
	json_misuse_case(misuse_key_in_array, "key in array");
	json_misuse_case(misuse_key_at_top, "key at top level");
	json_misuse_case(misuse_two_keys, "two keys");
	json_misuse_case(misuse_end_with_pending_key, "end with pending key");
	json_misuse_case(misuse_wrong_end, "wrong end");
	json_misuse_case(misuse_end_at_top, "end at top");
	json_misuse_case(misuse_too_deep, "too deep");

	/* Exactly JSON_MAX_DEPTH levels are fine. */
	capture_open(&c, false);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json__begin_array(c.o);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json__end_array(c.o);
	assert_int_equal(out__error(c.o), 0);
	assert_int_equal(out__close(c.o), 0);
	close(c.fd);
}

static void test_html_escape(void **state)
{
	char buf[64];
	struct capture c;
	size_t n;

	(void)state;
	n = html_escape(buf, sizeof(buf), "<b>\"Tom\" & 'Jerry'</b>");
	assert_string_equal(buf, "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
	assert_int_equal(n, strlen(buf));

	n = html_escape(buf, sizeof(buf), "x\x01y\xff");
	assert_string_equal(buf, "x\xef\xbf\xbdy\xef\xbf\xbd");

	/* Truncation: never half an entity, return value is the full length. */
	memset(buf, 'Z', sizeof(buf));
	n = html_escape(buf, 6, "ab&cd");
	assert_int_equal(n, strlen("ab&amp;cd"));
	assert_string_equal(buf, "ab");
	n = html_escape(buf, 8, "ab&cd");
	assert_string_equal(buf, "ab&amp;");
	n = html_escape(buf, 1, "abc");
	assert_string_equal(buf, "");
	assert_int_equal(n, 3);
	/* a long name is cut, not dropped, and not inside a character */
	n = html_escape(buf, 5, "abcdef");
	assert_string_equal(buf, "abcd");
	assert_int_equal(n, 6);
	n = html_escape(buf, 5, "ab\xc3\xa9\xc3\xa9");
	assert_string_equal(buf, "ab\xc3\xa9");
	n = html_escape(buf, 6, "abc&d");
	assert_string_equal(buf, "abc");
	assert_int_equal(html_escape(NULL, 0, "a<b"), 6);
	assert_int_equal(html_escape(buf, sizeof(buf), NULL), 0);
	assert_string_equal(buf, "");

	capture_open(&c, false);
	out__html_str(c.o, "<script>alert('x')</script>");
	expect_output(&c, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
}

static void term_case(const char *in, const char *want)
{
	char buf[256];
	size_t n = term_escape(buf, sizeof(buf), in);

	if (strcmp(buf, want) || n != strlen(want))
		fail_msg("term_escape(\"%s\") = [%s] (%zu), want [%s]", in, buf, n, want);
	assert_int_equal(term_escape(NULL, 0, in), strlen(want));
}

static void test_term_escape(void **state)
{
	char small[8];

	(void)state;
	term_case("python3", "python3");
	term_case("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"); /* UTF-8 as it is */
	term_case("</script><b>", "</script><b>");			   /* not HTML */
	term_case("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0");
	/* clear the screen, set the title, move the cursor: all shown, none done */
	term_case("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07");
	term_case("a\nb\rc\td", "a\\x0ab\\x0dc\\x09d");
	term_case("del\x7f", "del\\x7f");
	/* C1 CSI, raw (not UTF-8) and as a character */
	term_case("\x9b"
		  "31m",
		  "\\x9b"
		  "31m");
	term_case("\xc2\x9b"
		  "31m",
		  "\\u009b"
		  "31m");
	term_case("\xc2\xa0nbsp", "\xc2\xa0nbsp"); /* U+00A0 is no control */
	/* bidi overrides and isolates reorder what follows */
	term_case("evil\xe2\x80\xaegnp.exe", "evil\\u202egnp.exe");
	term_case("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");
	term_case("\xe2\x80\x94", "\xe2\x80\x94"); /* an em dash stays */
	term_case("cut\xe2\x82", "cut\\xe2\\x82");
	assert_int_equal(term_escape(small, sizeof(small), "\x1b\x1b"), 8);
	assert_string_equal(small, "\\x1b"); /* cut between escapes, never inside */
	/* a long name: what fits (a summary's column), not nothing */
	assert_int_equal(term_escape(small, sizeof(small), "tracer error: writing"), 21);
	assert_string_equal(small, "tracer ");
	assert_int_equal(term_escape(small, sizeof(small), "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"),
			 9);
	assert_string_equal(small, "\xe2\x82\xac\xe2\x82\xac"); /* not inside a character */
	assert_int_equal(term_escape(small, sizeof(small), NULL), 0);
	assert_string_equal(small, "");
}

/* prom_escape(): label values of --metrics. */
#define FFFD "\xef\xbf\xbd"

static void test_prom_escapes_quote_backslash_newline(void **state)
{
	char buf[64];

	(void)state;
	prom_escape(buf, sizeof(buf), "a\"b\\c\nd");
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	/* other control characters but TAB as U+FFFD, like CSV */
	prom_escape(buf, sizeof(buf), "tab\tcr\r\x1b");
	assert_string_equal(buf, "tab\tcr" FFFD FFFD);
}

static void test_prom_utf8_kept_bytes_not_utf8_replaced(void **state)
{
	char buf[64];

	(void)state;
	prom_escape(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(buf, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* a stray byte, a lone continuation, an overlong '/', a surrogate, past U+10FFFF */
	prom_escape(buf, sizeof(buf),
		    "a\xff"
		    "b\x80"
		    "c\xc0\xaf"
		    "d\xed\xa0\x80"
		    "e\xf4\x90\x80\x80");
	assert_string_equal(buf, "a" FFFD "b" FFFD "c" FFFD FFFD "d" FFFD FFFD FFFD
				 "e" FFFD FFFD FFFD FFFD);
	/* Prometheus drops a whole scrape for one byte that is not UTF-8: the
	 * label values of --metrics, see test_metrics */
	/* a sequence cut by the end of the name (comm is cut at 15 bytes) */
	prom_escape(buf, sizeof(buf), "x\xe2\x82");
	assert_string_equal(buf, "x" FFFD); /* one maximal subpart */
}

static void test_prom_cut_at_a_whole_character(void **state)
{
	char buf[6];

	(void)state;
	/* 3 + 2 bytes fit with the NUL, the next escape does not */
	prom_escape(buf, sizeof(buf), "\xe2\x82\xac\\\\\\");
	assert_string_equal(buf, "\xe2\x82\xac\\\\");
	prom_escape(buf, sizeof(buf), "ab\xe2\x82\xac\xe2\x82\xac");
	assert_string_equal(buf, "ab\xe2\x82\xac");
	prom_escape(buf, sizeof(buf), "abc\"");
	assert_string_equal(buf, "abc\\\"");
	prom_escape(buf, sizeof(buf), "abcd\"");
	assert_string_equal(buf, "abcd");
	prom_escape(buf, 1, "abc");
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_prom_escapes_quote_backslash_newline),
	    cmocka_unit_test(test_prom_utf8_kept_bytes_not_utf8_replaced),
	    cmocka_unit_test(test_prom_cut_at_a_whole_character),
	    cmocka_unit_test(test_fixed_and_time),
	    cmocka_unit_test(test_buffer_boundaries),
	    cmocka_unit_test(test_file_ends_with_whole_rows),
	    cmocka_unit_test(test_sticky_error),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_gzip_round_trip_and_sync_flush),
	    cmocka_unit_test_teardown(test_full_disk_plain_keeps_whole_rows, fsize_restore),
	    cmocka_unit_test_teardown(test_full_disk_lines, fsize_restore),
	    cmocka_unit_test_teardown(test_full_disk_gzip_stays_complete, fsize_restore),
	    cmocka_unit_test_teardown(test_full_disk_gzip_at_close, fsize_restore),
	    cmocka_unit_test_teardown(test_full_disk_while_buffer_full, fsize_restore),
	    cmocka_unit_test(test_csv_quoting),
	    cmocka_unit_test(test_csv_formula_injection),
	    cmocka_unit_test(test_csv_utf8_and_controls),
	    cmocka_unit_test(test_json_pretty),
	    cmocka_unit_test(test_json_flat_and_fixed),
	    cmocka_unit_test(test_json_strings),
	    cmocka_unit_test(test_json_double),
	    cmocka_unit_test(test_json_misuse),
	    cmocka_unit_test(test_html_escape),
	    cmocka_unit_test(test_term_escape),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
