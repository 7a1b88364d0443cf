// SPDX-License-Identifier: GPL-2.0
/*
 * opts__parse() called more than once in a process (the tests do, and so
 * does the fuzzer): each call starts afresh, whatever the previous one left
 * in getopt's state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"

#include "record/opts.h"

static struct opts o;

/* -V returns at once, in the middle of "-Va": the 'a' must not leak into the next call. */
static void test_reparse_after_early_return(void **state)
{
	char a0[] = "benchtrace", a1[] = "-Va", b1[] = "--", b2[] = "true";
	char *first[] = {a0, a1, NULL}, *second[] = {a0, b1, b2, NULL};
	FILE *saved = stdout;

	(void)state;
	stdout = fopen("/dev/null", "w"); /* the version line */
	assert_non_null(stdout);
	assert_int_equal(opts__parse(&o, 2, first), -1);
	fclose(stdout);
	stdout = saved;
	memset(a1, 'x', sizeof(a1) - 1); /* as if that argv were gone */
	assert_int_equal(opts__parse(&o, 3, second), 0);
	assert_int_equal(o.mode, BT_MODE_COMMAND);
	assert_string_equal(o.cmd[0], "true");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reparse_after_early_return),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
