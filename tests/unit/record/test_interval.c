// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"
#include "record/interval.h"

static void test_fixed_never_changes(void **state)
{
	struct interval iv;
	int i;

	(void)state;
	interval__init(&iv, 250000000ULL);
	for (i = 0; i < 5000; i++)
		assert_false(interval__tick(&iv));
	assert_int_equal(iv.ns, 250000000ULL);
}

static void test_auto_doubles_every_1000_samples(void **state)
{
	struct interval iv;
	int i;

	(void)state;
	interval__init(&iv, 0);
	assert_int_equal(iv.ns, 10000000ULL);
	for (i = 1; i < 1000; i++)
		assert_false(interval__tick(&iv));
	assert_true(interval__tick(&iv)); /* the 1000th sample */
	assert_int_equal(iv.ns, 20000000ULL);
	for (i = 1; i < 1000; i++)
		assert_false(interval__tick(&iv));
	assert_true(interval__tick(&iv));
	assert_int_equal(iv.ns, 40000000ULL);
}

static void test_auto_caps_at_10s(void **state)
{
	struct interval iv;
	unsigned long samples = 0, changes = 0;

	(void)state;
	interval__init(&iv, 0);
	while (samples < 100000) {
		changes += interval__tick(&iv);
		samples++;
	}
	/* 10ms doubled 10 times is 10.24s: the tenth step is clamped to 10s */
	assert_int_equal(changes, 10);
	assert_int_equal(iv.ns, 10000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_never_changes),
		cmocka_unit_test(test_auto_doubles_every_1000_samples),
		cmocka_unit_test(test_auto_caps_at_10s),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
