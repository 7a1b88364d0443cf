// SPDX-License-Identifier: GPL-2.0
/* Label values of --metrics: the exposition formats' escapes, and UTF-8 only
 * (Prometheus rejects a whole scrape for one byte that is not). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"
#include "record/metrics.h"

#include <string.h>

#define FFFD "\xef\xbf\xbd"

static void test_escapes_quote_backslash_newline(void **state)
{
	char buf[64];

	(void)state;
	metrics__escape(buf, sizeof(buf), "a\"b\\c\nd");
	assert_string_equal(buf, "a\\\"b\\\\c\\nd");
	metrics__escape(buf, sizeof(buf), "tab\tcr\r");
	assert_string_equal(buf, "tab\tcr\r");
}

static void test_utf8_kept_bytes_not_utf8_replaced(void **state)
{
	char buf[64];

	(void)state;
	metrics__escape(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(buf, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* a stray byte, a lone continuation, an overlong '/', a surrogate, past U+10FFFF */
	metrics__escape(buf, sizeof(buf), "a\xff" "b\x80" "c\xc0\xaf" "d\xed\xa0\x80" "e\xf4\x90\x80\x80");
	assert_string_equal(buf, "a" FFFD "b" FFFD "c" FFFD FFFD "d" FFFD FFFD FFFD "e" FFFD FFFD
				 FFFD FFFD);
	/* a sequence cut by the end of the name (comm is cut at 15 bytes) */
	metrics__escape(buf, sizeof(buf), "x\xe2\x82");
	assert_string_equal(buf, "x" FFFD FFFD);
}

static void test_cut_at_a_whole_character(void **state)
{
	char buf[6];

	(void)state;
	/* 3 + 2 bytes fit with the NUL, the next escape does not */
	metrics__escape(buf, sizeof(buf), "\xe2\x82\xac\\\\\\");
	assert_string_equal(buf, "\xe2\x82\xac\\\\");
	metrics__escape(buf, sizeof(buf), "ab\xe2\x82\xac\xe2\x82\xac");
	assert_string_equal(buf, "ab\xe2\x82\xac");
	metrics__escape(buf, sizeof(buf), "abc\"");
	assert_string_equal(buf, "abc\\\"");
	metrics__escape(buf, sizeof(buf), "abcd\"");
	assert_string_equal(buf, "abcd");
	metrics__escape(buf, 1, "abc");
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_quote_backslash_newline),
		cmocka_unit_test(test_utf8_kept_bytes_not_utf8_replaced),
		cmocka_unit_test(test_cut_at_a_whole_character),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
