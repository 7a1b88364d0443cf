// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"

#include "util/parse.h"

static void dur_ok(const char *s, __u64 want)
{
	__u64 ns = 0xdeadbeef;
	int err = parse_duration(s, &ns);

	if (err || ns != want)
		fail_msg("parse_duration(\"%s\") = %d, %llu; want 0, %llu", s, err,
			 (unsigned long long)ns, (unsigned long long)want);
}

static void dur_bad(const char *s, int want_err)
{
	__u64 ns = 12345;
	int err = parse_duration(s, &ns);

	if (err != want_err)
		fail_msg("parse_duration(\"%s\") = %d, want %d", s, err, want_err);
	assert_int_equal(ns, 12345); /* untouched on error */
}

static void test_duration_suffixes(void **state)
{
	(void)state;
	dur_ok("250ns", 250);
	dur_ok("500us", 500000);
	dur_ok("10ms", 10000000);
	dur_ok("1s", 1000000000ULL);
	dur_ok("2m", 120000000000ULL);
	dur_ok("1h", 3600000000000ULL);
	dur_ok("3", 3000000000ULL);
	dur_ok("007ms", 7000000);
}

static void test_duration_fractions_exact(void **state)
{
	(void)state;
	dur_ok("1.5s", 1500000000ULL);
	dur_ok("0.5ms", 500000);
	dur_ok("2.5", 2500000000ULL);
	/* The float trap: 1.1 * 1e9 is 1100000000.0000002 in double. */
	dur_ok("1.1s", 1100000000ULL);
	dur_ok("0.3s", 300000000ULL);
	dur_ok("4.35s", 4350000000ULL);
	dur_ok("0.1h", 360000000000ULL);
	dur_ok("1.25m", 75000000000ULL);
	dur_ok("0.001us", 1);
	dur_ok("0.000000001", 1);
	dur_ok("1.500000000000000000000000000s", 1500000000ULL);
	dur_ok("2.000ns", 2);
	dur_ok("0.00025h", 900000000ULL);
	dur_ok("0.0000000000025h", 9); /* 13 fraction digits, still exact */
}

static void test_duration_limits(void **state)
{
	(void)state;
	dur_ok("18446744073709551615ns", UINT64_MAX);
	dur_ok("18446744073.709551615s", UINT64_MAX);
	dur_bad("18446744073709551616ns", -ERANGE);
	dur_bad("18446744073.709551616s", -ERANGE);
	dur_bad("18446744074s", -ERANGE);
	dur_bad("5124096h", -ERANGE);
	dur_bad("99999999999999999999999999999999h", -ERANGE);
	dur_bad("0", -ERANGE);
	dur_bad("0ms", -ERANGE);
	dur_bad("0.0s", -ERANGE);
	dur_bad("000ns", -ERANGE);
}

static void test_duration_rejects(void **state)
{
	static const char *const bad[] = {
	    "",	    "-1s",   "+1s",   " 1s",	"1s ",	"1 s",	 "10parsecs", "12abc", "1s2",
	    "1ss",  "s",     "ms",    ".5s",	"1.s",	"1..5s", "1.5.s",     "nan",   "inf",
	    "NaN",  "1e3",   "1e3ms", "0x10ms", "1S",	"1MS",	 "1sec",      "1min",  "1d",
	    "1,5s", "1_000", "1µs",   "\t1s",	"1s\n", "1.0.0", "--1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		dur_bad(bad[i], -EINVAL);
	/* Sub-nanosecond precision cannot be represented. */
	dur_bad("0.5ns", -EINVAL);
	dur_bad("1.0000000001s", -EINVAL);
	dur_bad("0.00000000001", -EINVAL);
	dur_bad("0.0000000000005h", -EINVAL); /* 1.8 ns */
	dur_bad("0.12345678901234567891h", -EINVAL);
	/* Syntax is checked before range: huge garbage is still -EINVAL. */
	dur_bad("99999999999999999999999x", -EINVAL);
	assert_int_equal(parse_duration(NULL, &(__u64){0}), -EINVAL);
}

static void test_format_duration(void **state)
{
	static const struct {
		__u64 ns;
		const char *s;
	} cases[] = {
	    {10000000, "10ms"},
	    {1500000000ULL, "1500ms"},
	    {2000000000ULL, "2s"},
	    {500000, "500us"},
	    {120000000000ULL, "2m"},
	    {90000000000ULL, "90s"},
	    {7200000000000ULL, "2h"},
	    {1, "1ns"},
	    {1001, "1001ns"},
	    {0, "0s"},
	    {UINT64_MAX, "18446744073709551615ns"},
	};
	char buf[DURATION_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = format_duration(cases[i].ns, buf, sizeof(buf));

		assert_string_equal(buf, cases[i].s);
		assert_int_equal(n, strlen(cases[i].s));
	}
}

static void test_format_duration_small_buffer(void **state)
{
	char buf[5] = "xxxx";

	(void)state;
	assert_int_equal(format_duration(10000000, buf, 5), 4); /* "10ms" fits exactly */
	assert_string_equal(buf, "10ms");
	assert_int_equal(format_duration(500000, buf, 5), -ENOSPC); /* "500us" does not */
	assert_string_equal(buf, "");
	assert_int_equal(format_duration(1, NULL, 0), -ENOSPC);
}

static void test_format_parse_round_trip(void **state)
{
	__u64 v = 1, back;
	char buf[DURATION_STRLEN];
	int i;

	(void)state;
	/* A walk over many magnitudes and odd values. */
	for (i = 0; i < 2000; i++) {
		assert_true(format_duration(v, buf, sizeof(buf)) > 0);
		assert_int_equal(parse_duration(buf, &back), 0);
		if (back != v)
			fail_msg("round trip %llu -> %s -> %llu", (unsigned long long)v, buf,
				 (unsigned long long)back);
		v = v * 3 + (__u64)i;
		if (v == 0 || v > UINT64_MAX / 4)
			v = (__u64)i * 1000000ULL + 1;
	}
}

static void pid_bad(const char *s, int want)
{
	pid_t pid = 77;
	int err = parse_pid(s, &pid);

	if (err != want)
		fail_msg("parse_pid(\"%s\") = %d, want %d", s, err, want);
	assert_int_equal(pid, 77);
}

static void test_pid(void **state)
{
	pid_t pid;

	(void)state;
	assert_int_equal(parse_pid("1", &pid), 0);
	assert_int_equal(pid, 1);
	assert_int_equal(parse_pid("4194304", &pid), 0);
	assert_int_equal(pid, 4194304);
	assert_int_equal(parse_pid("012", &pid), 0); /* decimal, not octal */
	assert_int_equal(pid, 12);

	pid_bad("0", -ERANGE);
	pid_bad("4194305", -ERANGE);
	pid_bad("99999999999999999999999", -ERANGE);
	pid_bad("-3", -EINVAL);
	pid_bad("+12", -EINVAL);
	pid_bad("12abc", -EINVAL);
	pid_bad(" 12", -EINVAL);
	pid_bad("12 ", -EINVAL);
	pid_bad("0x10", -EINVAL);
	pid_bad("", -EINVAL);
	pid_bad("1.0", -EINVAL);
	pid_bad("12,13", -EINVAL);
	pid_bad(NULL, -EINVAL);
}

static void test_pid_list(void **state)
{
	pid_t pids[4] = {0};
	int n = -1;

	(void)state;
	assert_int_equal(parse_pid_list("12", pids, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], 12);

	assert_int_equal(parse_pid_list("12,34,5", pids, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(pids[0], 12);
	assert_int_equal(pids[1], 34);
	assert_int_equal(pids[2], 5);

	/* Duplicates are dropped, first occurrence order kept. */
	assert_int_equal(parse_pid_list("7,8,7,7,9,8", pids, 3, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(pids[0], 7);
	assert_int_equal(pids[1], 8);
	assert_int_equal(pids[2], 9);

	/* Duplicates do not count against max. */
	assert_int_equal(parse_pid_list("1,1,1,1,1,1,1,1", pids, 1, &n), 0);
	assert_int_equal(n, 1);
}

static void test_pid_list_rejects(void **state)
{
	static const struct {
		const char *s;
		int err;
	} cases[] = {
	    {"", -EINVAL},	    {",", -EINVAL},	   {"12,", -EINVAL},
	    {",12", -EINVAL},	    {"12,,3", -EINVAL},	   {"12, 3", -EINVAL},
	    {"12;3", -EINVAL},	    {"12,abc", -EINVAL},   {"12,0", -ERANGE},
	    {"12,-3", -EINVAL},	    {"1,2,3,4,5", -E2BIG}, {"12,4194305", -ERANGE},
	    {"1,2,3,4,5,", -E2BIG},
	};
	pid_t pids[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = -42;
		int err = parse_pid_list(cases[i].s, pids, 4, &n);

		if (err != cases[i].err)
			fail_msg("parse_pid_list(\"%s\") = %d, want %d", cases[i].s, err,
				 cases[i].err);
		assert_int_equal(n, -42);
	}
	assert_int_equal(parse_pid_list("1", pids, 0, &(int){0}), -E2BIG);
}

static void test_u64(void **state)
{
	__u64 v = 0;

	(void)state;
	assert_int_equal(parse_u64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_u64("184467440737095516150", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_u64("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u64("11", 0, 10, &v), -ERANGE);
	assert_int_equal(parse_u64("4", 5, 10, &v), -ERANGE);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u64("", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64("1 ", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64("-0", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64("1e3", 0, 10000, &v), -EINVAL);
	assert_int_equal(parse_u64("٣", 0, 10, &v), -EINVAL); /* Arabic-Indic digit */
}

static void test_fixed(void **state)
{
	__u64 v = 7;

	(void)state;
	assert_int_equal(parse_fixed("1234.567", 3, &v), 0);
	assert_true(v == 1234567);
	assert_int_equal(parse_fixed("0.5", 9, &v), 0);
	assert_true(v == 500000000);
	assert_int_equal(parse_fixed("12", 3, &v), 0);
	assert_true(v == 12000);
	assert_int_equal(parse_fixed("0", 0, &v), 0);
	assert_true(v == 0);
	/* exact where a double is not: 2^53 + 1 */
	assert_int_equal(parse_fixed("9007199.254740993", 9, &v), 0);
	assert_true(v == 9007199254740993ULL);
	assert_int_equal(parse_fixed("18446744073.709551615", 9, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_fixed("1844674407370955161.5", 1, &v), 0);
	assert_true(v == UINT64_MAX);
	v = 7;
	assert_int_equal(parse_fixed("18446744073.709551616", 9, &v), -ERANGE);
	assert_int_equal(parse_fixed("18446744074", 9, &v), -ERANGE);
	assert_int_equal(parse_fixed("99999999999999999999999", 0, &v), -ERANGE);
	assert_int_equal(parse_fixed("1.2345", 3, &v), -EINVAL); /* too fine */
	assert_int_equal(parse_fixed("1.5", 0, &v), -EINVAL);
	assert_int_equal(parse_fixed("1.", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed(".5", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("-1", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("+1", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("1e3", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("1.2.3", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed(" 1", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("1.x", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("99999999999999999999x.5", 3, &v), -EINVAL);
	assert_int_equal(parse_fixed(NULL, 3, &v), -EINVAL);
	assert_int_equal(parse_fixed("1", 20, &v), -EINVAL);
	assert_true(v == 7); /* untouched on error */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration_suffixes),
	    cmocka_unit_test(test_duration_fractions_exact),
	    cmocka_unit_test(test_duration_limits),
	    cmocka_unit_test(test_duration_rejects),
	    cmocka_unit_test(test_format_duration),
	    cmocka_unit_test(test_format_duration_small_buffer),
	    cmocka_unit_test(test_format_parse_round_trip),
	    cmocka_unit_test(test_pid),
	    cmocka_unit_test(test_pid_list),
	    cmocka_unit_test(test_pid_list_rejects),
	    cmocka_unit_test(test_u64),
	    cmocka_unit_test(test_fixed),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
