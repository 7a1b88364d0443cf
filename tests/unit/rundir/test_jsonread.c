// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "rundir/jsonread.h"

static char errbuf[256];

static struct json_doc *parse(const char *s)
{
	errbuf[0] = '\0';
	return json_doc__parse(s, strlen(s), "t.json", NULL, errbuf, sizeof(errbuf));
}

static const struct json_opts strict = {.strict = true};

static struct json_doc *parse_strict(const char *s)
{
	errbuf[0] = '\0';
	return json_doc__parse(s, strlen(s), "t.json", &strict, errbuf, sizeof(errbuf));
}

static void test_values(void **state)
{
	struct json_doc *d = parse("{\"a\": 1, \"b\": [true, false, null, \"x\\ty\"],\n"
				   " \"c\": {\"d\": -2.5e1, \"big\": 18446744073709551615},"
				   " \"e\": 0.500}");
	const struct json_value *root, *b;
	unsigned long long u;
	double v;
	bool flag;

	(void)state;
	assert_non_null(d);
	root = json_doc__root(d);
	assert_int_equal(json_value__type(root), JSON_OBJECT);
	assert_int_equal(json_value__len(root), 4);
	assert_int_equal(json_value__u64(json_value__member(root, "a"), &u), 0);
	assert_int_equal(u, 1);
	b = json_value__member(root, "b");
	assert_int_equal(json_value__len(b), 4);
	assert_int_equal(json_value__bool(json_value__at(b, 0), &flag), 0);
	assert_true(flag);
	assert_int_equal(json_value__bool(json_value__at(b, 1), &flag), 0);
	assert_false(flag);
	assert_int_equal(json_value__type(json_value__at(b, 2)), JSON_NULL);
	assert_string_equal(json_value__str(json_value__at(b, 3)), "x\ty");
	assert_null(json_value__at(b, 4));
	assert_int_equal(json_value__num(json_value__path(root, "c.d"), &v), 0);
	assert_true(v == -25.0);
	/* -25 is a number but not an unsigned integer; neither is 1.5. */
	assert_int_equal(json_value__u64(json_value__path(root, "c.d"), &u), -1);
	assert_int_equal(json_value__u64(json_value__path(root, "c.big"), &u), 0);
	assert_true(u == 18446744073709551615ULL);
	assert_null(json_value__path(root, "c.nope"));
	assert_null(json_value__str(json_value__member(root, "a")));
	assert_string_equal(json_value__key_at(root, 2), "c");
	/* A number's text as written, for exact comparisons. */
	assert_string_equal(json_value__text(json_value__member(root, "e")), "0.500");
	assert_string_equal(json_value__text(json_value__path(root, "c.d")), "-2.5e1");
	assert_null(json_value__text(json_value__at(b, 3)));
	/* NULL-safe accessors. */
	assert_null(json_value__member(NULL, "a"));
	assert_int_equal(json_value__len(NULL), 0);
	json_doc__free(d);
}

static void test_strings(void **state)
{
	struct json_doc *d;

	(void)state;
	/* \u escapes, a surrogate pair, a lone surrogate and \u0000 (U+FFFD, never a cut). */
	d = parse("[\"\\u00e9\\u20ac\", \"\\ud83d\\ude00\", \"a\\ud800b\", \"x\\u0000y\", "
		  "\"\\\"\\\\\\/\\b\\f\\n\\r\"]");
	assert_non_null(d);
	assert_string_equal(json_value__str(json_value__at(json_doc__root(d), 0)),
			    "\xc3\xa9\xe2\x82\xac");
	assert_string_equal(json_value__str(json_value__at(json_doc__root(d), 1)),
			    "\xf0\x9f\x98\x80");
	assert_string_equal(json_value__str(json_value__at(json_doc__root(d), 2)), "a\xef\xbf\xbd"
										   "b");
	assert_string_equal(json_value__str(json_value__at(json_doc__root(d), 3)),
			    "x\xef\xbf\xbdy");
	assert_string_equal(json_value__str(json_value__at(json_doc__root(d), 4)), "\"\\/\b\f\n\r");
	json_doc__free(d);
}

static void expect_error(const char *text, const char *msg)
{
	struct json_doc *d = parse(text);

	if (d)
		fail_msg("parsed: %s", text);
	if (!strstr(errbuf, msg))
		fail_msg("error '%s' lacks '%s'", errbuf, msg);
}

static void test_errors(void **state)
{
	char deep[400];
	int i;

	(void)state;
	expect_error("{\n  \"a\": 1\n  \"b\": 2\n}", "t.json:3: expected ',' or '}' in an object");
	expect_error("[1, 2", "t.json:1: unexpected end of input");
	expect_error("", "t.json:1: unexpected end of input");
	expect_error("{\"a\" 1}", "expected ':'");
	expect_error("{a: 1}", "expected a string key");
	expect_error("[1] x", "text after the end");
	expect_error("[01]", "expected ',' or ']'");
	expect_error("[1.]", "digit expected after '.'");
	expect_error("[1e]", "digit expected in the exponent");
	expect_error("[tru]", "unexpected text");
	expect_error("[\"a\nb\"]", "control character");
	expect_error("[\"\\x\"]", "bad escape");
	expect_error("[\"\\u12g4\"]", "bad \\u escape");
	expect_error("[\"abc", "unterminated string");
	expect_error("[\"abc\\", "unterminated string");
	/* Readers disagree on which of two equal keys counts: neither does. */
	expect_error("{\"a\": 1,\n \"b\": {\"x\": 1, \"y\": 2, \"x\": 3}}",
		     "t.json:2: duplicate key \"x\" in the object that ends here");
	expect_error("{\"\\n\": 1, \"\\n\": 2}", "t.json:1: duplicate key in the object");
	assert_null(json_doc__parse("[1,\0 2]", 7, "t.json", NULL, errbuf, sizeof(errbuf)));
	assert_non_null(strstr(errbuf, "NUL byte"));
	/* Nesting is bounded: no stack exhaustion from a planted file. */
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[100] = '\0';
	expect_error(deep, "nested deeper than 64 levels");
	/* 64 levels are fine. */
	for (i = 0; i < 63; i++)
		deep[i] = '[';
	for (i = 0; i < 63; i++)
		deep[63 + i] = ']';
	deep[126] = '\0';
	json_doc__free(parse(deep));
	assert_string_equal(errbuf, "");
}

/*
 * Strict: what a conforming reader may refuse, for checking what benchtrace
 * writes.  Refused by both unless marked lenient-ok.
 */
static void test_strict(void **state)
{
	static const struct {
		const char *text;
		bool lenient_ok;
	} bad[] = {
	    {"{\"a\":NaN}"},
	    {"{\"a\":Infinity}"},
	    {"[1,]"},
	    {"{\"a\":1,}"},
	    {"{\"a\":01}"},
	    {"{\"a\":.5}"},
	    {"{\"a\":1.}"},
	    {"{\"a\":+1}"},
	    {"{\"a\":1,\"a\":2}"},
	    {"\"\x01\""},
	    {"\"\xff\"", true},
	    {"\"\xed\xa0\x80\"", true},
	    {"\"\\ud800\"", true},
	    {"[\"\\udc00x\"]", true},
	    {"[1e999]", true},
	    {"\xef\xbb\xbf[1]", true},
	    {"{} x"},
	    {"{\"a\" 1}"},
	    {"[\"\\x\"]"},
	    {""},
	};
	struct json_doc *d;
	const struct json_value *a;
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = parse_strict(bad[i].text);
		if (d)
			fail_msg("strict: accepted bad JSON %zu: %s", i, bad[i].text);
		assert_true(errbuf[0] != '\0');
		d = parse(bad[i].text);
		if (!d != !bad[i].lenient_ok)
			fail_msg("lenient: case %zu %s", i, d ? "accepted" : "refused");
		json_doc__free(d);
	}
	assert_null(parse_strict("[\"ok\", \"\xc3\x28\"]"));
	assert_non_null(strstr(errbuf, "t.json:1: invalid UTF-8 in a string"));
	assert_null(parse_strict("[\"\\ud800\"]"));
	assert_non_null(strstr(errbuf, "lone surrogate \\ud800"));
	assert_null(parse_strict("[1,\n1e400]"));
	assert_non_null(strstr(errbuf, "t.json:2: number out of range"));

	/* Well-formed UTF-8 of every length, escaped or not, passes. */
	d = parse_strict(" {\"a\": [1, -2.5e3, \"\\u00e9\\ud83d\\ude00\\n\", true, null, "
			 "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]} ");
	if (!d)
		fail_msg("%s", errbuf);
	a = json_value__member(json_doc__root(d), "a");
	assert_int_equal(json_value__len(a), 6);
	assert_int_equal(json_value__num(json_value__at(a, 1), &v), 0);
	assert_true(v == -2500);
	assert_string_equal(json_value__text(json_value__at(a, 1)), "-2.5e3");
	assert_string_equal(json_value__str(json_value__at(a, 2)), "\xc3\xa9\xf0\x9f\x98\x80\n");
	assert_string_equal(json_value__str(json_value__at(a, 5)),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	json_doc__free(d);
}

static void test_load(void **state)
{
	static const struct json_opts tiny = {.max_bytes = 10};
	char dir[] = "/tmp/test_jsonread.XXXXXX", path[PATH_MAX], link[PATH_MAX + 8];
	struct json_doc *d;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"outcome\": \"completed\"}\n", f);
	fclose(f);
	d = json_doc__load(path, NULL, errbuf, sizeof(errbuf));
	assert_non_null(d);
	assert_string_equal(json_value__str(json_value__member(json_doc__root(d), "outcome")),
			    "completed");
	json_doc__free(d);
	/* Bounded: a planted file cannot exhaust memory. */
	assert_null(json_doc__load(path, &tiny, errbuf, sizeof(errbuf)));
	assert_non_null(strstr(errbuf, "meta.json: more than 10 bytes"));
	/* Report runs as root on other users' files: a symlink is refused. */
	assert_int_equal(symlink(path, link), 0);
	assert_null(json_doc__load(link, NULL, errbuf, sizeof(errbuf)));
	assert_non_null(strstr(errbuf, "is a symlink"));
	assert_null(json_doc__load(dir, NULL, errbuf, sizeof(errbuf)));
	assert_non_null(strstr(errbuf, "not a regular file"));
	unlink(link);
	unlink(path);
	assert_null(json_doc__load(path, NULL, errbuf, sizeof(errbuf)));
	assert_non_null(strstr(errbuf, "cannot open"));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values), cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_errors), cmocka_unit_test(test_strict),
	    cmocka_unit_test(test_load),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
