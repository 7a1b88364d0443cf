// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"

#include "util/suggest.h"

static const char *suggest_all(const char *want, const char *const *cands, const char *prefix)
{
	static char buf[1024];
	struct suggest sg;

	suggest__init(&sg, want);
	for (; *cands; cands++)
		suggest__add(&sg, *cands, prefix);
	suggest__format(&sg, buf, sizeof(buf));
	return buf;
}

static void test_closest_first(void **state)
{
	const char *c[] = {"train_stop", "zebra", "train_step", "rain_step", "train_steps", NULL};

	(void)state;
	/* A swap of neighbours is one edit: train_step first. */
	assert_string_equal(suggest_all("trian_step", c, NULL),
			    "'train_step', 'rain_step', 'train_stop'");
	/* Case does not count. */
	assert_string_equal(suggest_all("TRAIN_STEP", c, NULL),
			    "'train_step', 'rain_step', 'train_stop'");
}

static void test_threshold(void **state)
{
	const char *c[] = {"bar", "baz", "foo", "malloc", NULL};

	(void)state;
	/* Short names: one edit at most. */
	assert_string_equal(suggest_all("fop", c, NULL), "'foo'");
	assert_string_equal(suggest_all("qux", c, NULL), "");
	assert_string_equal(suggest_all("mallco", c, NULL), "'malloc'");
	assert_string_equal(suggest_all("xxxxxx", c, NULL), "");
}

static void test_globs_and_substrings(void **state)
{
	const char *c[] = {"train_step", "train_stop", "eval_step", "local_helper", NULL};

	(void)state;
	/* '*' costs nothing: "trian_*" is two edits from "train_" plus anything. */
	assert_string_equal(suggest_all("trian_*", c, NULL), "'train_step', 'train_stop'");
	/* A name typed without its prefix. */
	assert_string_equal(suggest_all("helper", c, NULL), "'local_helper'");
	/* C++: only the last component's length sets the threshold. */
	{
		const char *cx[] = {"ns::Cls::step", "ns::Cls::make", NULL};

		assert_string_equal(suggest_all("ns::Cls::stpe", cx, NULL), "'ns::Cls::step'");
	}
}

static void test_prefix_and_dupes(void **state)
{
	const char *c[] = {"malloc", "malloc", "calloc", NULL};

	(void)state;
	assert_string_equal(suggest_all("mallco", c, "libc.so.6:"),
			    "'libc.so.6:malloc', 'libc.so.6:calloc'");
}

static void test_format_whole_names(void **state)
{
	const char *c[] = {"train_step", "train_stop", NULL};
	struct suggest sg;
	char buf[20];

	(void)state;
	suggest__init(&sg, "train_stxp");
	for (int i = 0; c[i]; i++)
		suggest__add(&sg, c[i], NULL);
	assert_int_equal(suggest__format(&sg, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "'train_step'");
	assert_int_equal(suggest__format(&sg, buf, 5), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_closest_first),	 cmocka_unit_test(test_threshold),
	    cmocka_unit_test(test_globs_and_substrings), cmocka_unit_test(test_prefix_and_dupes),
	    cmocka_unit_test(test_format_whole_names),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
