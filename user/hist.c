// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "hist.h"

__u64 hist__quantile(const __u32 *hist, __u64 calls, double q, __u64 min, __u64 max)
{
	__u64 rank, seen = 0, lo, hi, v;
	unsigned int b;

	if (!calls)
		return 0;
	rank = (__u64)ceil(q * (double)calls);
	if (rank < 1)
		rank = 1;
	if (rank > calls)
		rank = calls;
	for (b = 0; b < BT_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			break;
	}
	if (b >= BT_HIST_BUCKETS) /* the histogram holds fewer than calls */
		return max;
	lo = bt_hist_lower(b);
	hi = b + 1 < BT_HIST_BUCKETS ? bt_hist_lower(b + 1) : lo * 2;
	v = lo + (hi - lo) / 2;
	if (b < BT_HIST_LINEAR)
		v = lo; /* one value per bucket: exact */
	if (v < min)
		v = min;
	if (v > max)
		v = max;
	return v;
}
