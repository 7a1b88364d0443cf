// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "util/hist.h"

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
	/* the extremes are known exactly */
	if (rank == calls)
		return max;
	if (rank == 1)
		return min;
	for (b = 0; b < BT_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			break;
	}
	if (b >= BT_HIST_BUCKETS) /* the histogram holds fewer than calls */
		return max;
	if (b < BT_HIST_LINEAR)
		return b; /* one value per bucket: exact */
	/* the middle of what the bucket can hold, knowing min and max */
	lo = bt_hist_lower(b);
	hi = b + 1 < BT_HIST_BUCKETS ? bt_hist_lower(b + 1) - 1 : max;
	if (lo < min)
		lo = min;
	if (hi > max)
		hi = max;
	v = lo + (hi - lo) / 2;
	return v < min ? min : v > max ? max : v;
}
