// SPDX-License-Identifier: GPL-2.0
/* The log-linear duration histogram (include/bt_hist.h) and its percentiles (user/util/hist.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/hist.h"

static void test_buckets_hold_their_values(void **state)
{
	__u64 v, lo, hi;
	unsigned int b, prev = 0;
	int shift;

	(void)state;
	/* below 2 * BT_HIST_SUB every value has its own bucket */
	for (v = 0; v < BT_HIST_LINEAR; v++) {
		assert_int_equal(bt_hist_bucket(v), v);
		assert_int_equal(bt_hist_lower(v), v);
	}
	/* every power of two and its neighbours, and a sweep of odd values */
	for (shift = 6; shift < 64; shift++) {
		__u64 p = 1ULL << shift, probes[] = {p - 1, p, p + 1, p + p / 3};

		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			v = probes[i];
			b = bt_hist_bucket(v);
			assert_true(b < BT_HIST_BUCKETS);
			lo = bt_hist_lower(b);
			assert_true(lo <= v);
			if (b + 1 < BT_HIST_BUCKETS) {
				hi = bt_hist_lower(b + 1);
				assert_true(v < hi);
				/* a bucket is at most 1/32 of its lower bound wide */
				assert_true((hi - lo) * 32 <= lo || lo < BT_HIST_LINEAR);
			} else {
				assert_true(v >= (1ULL << BT_HIST_MAX_LOG2));
			}
		}
	}
	/* monotonic over a sweep */
	for (v = 1; v < (1ULL << 40); v = v * 17 / 16 + 1) {
		b = bt_hist_bucket(v);
		assert_true(b >= prev);
		prev = b;
	}
	assert_int_equal(bt_hist_bucket(~0ULL), BT_HIST_BUCKETS - 1);
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Percentiles from the histogram against the sorted values themselves. */
static void test_quantiles_within_1_6_percent(void **state)
{
	static __u32 hist[BT_HIST_BUCKETS];
	static __u64 vals[20000];
	const double qs[] = {0.5, 0.9, 0.99, 0.999, 1.0};
	__u64 n = sizeof(vals) / sizeof(vals[0]), i, exact, got;
	unsigned int seed = 42;
	size_t k;

	(void)state;
	memset(hist, 0, sizeof(hist));
	for (i = 0; i < n; i++) {
		/* log-uniform from 100 ns to ~100 ms */
		vals[i] = (__u64)(100.0 * pow(10, 6.0 * rand_r(&seed) / RAND_MAX));
		hist[bt_hist_bucket(vals[i])]++;
	}
	qsort(vals, n, sizeof(vals[0]), cmp_u64);
	for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		__u64 rank = (__u64)ceil(qs[k] * n);

		exact = vals[rank - 1];
		got = hist__quantile(hist, n, qs[k], vals[0], vals[n - 1]);
		print_message("q=%.3f: exact %llu, histogram %llu\n", qs[k],
			      (unsigned long long)exact, (unsigned long long)got);
		assert_true(fabs((double)got - (double)exact) <= exact / 64.0 + 1);
	}
	/* the extremes are the exact min and max */
	assert_int_equal(hist__quantile(hist, n, 1.0, vals[0], vals[n - 1]), vals[n - 1]);
	assert_int_equal(hist__quantile(hist, n, 1e-9, vals[0], vals[n - 1]), vals[0]);
}

static void test_quantile_edges(void **state)
{
	static __u32 hist[BT_HIST_BUCKETS];

	(void)state;
	memset(hist, 0, sizeof(hist));
	assert_int_equal(hist__quantile(hist, 0, 0.5, 0, 0), 0);
	/* one value: every quantile is it */
	hist[bt_hist_bucket(12345)] = 1;
	assert_int_equal(hist__quantile(hist, 1, 0.5, 12345, 12345), 12345);
	assert_int_equal(hist__quantile(hist, 1, 0.99, 12345, 12345), 12345);
	/* exact values below 64 */
	memset(hist, 0, sizeof(hist));
	hist[3] = 2;
	hist[7] = 2;
	assert_int_equal(hist__quantile(hist, 4, 0.5, 3, 7), 3);
	assert_int_equal(hist__quantile(hist, 4, 0.75, 3, 7), 7);
	/* a histogram holding fewer calls than claimed answers the max */
	assert_int_equal(hist__quantile(hist, 10, 0.99, 3, 7), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buckets_hold_their_values),
	    cmocka_unit_test(test_quantiles_within_1_6_percent),
	    cmocka_unit_test(test_quantile_edges),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
