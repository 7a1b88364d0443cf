/* SPDX-License-Identifier: GPL-2.0 */
/* Percentiles out of the kernel's log-linear duration histogram (bt_hist.h). */
#ifndef BT_HIST_USER_H
#define BT_HIST_USER_H

#include <linux/types.h>
#include "bt_abi.h"

/*
 * The q-quantile (0 < q <= 1) of the `calls` values counted in hist: the
 * ceil(q * calls)-th smallest value, estimated as the middle of its bucket
 * narrowed to [min, max] (the exact extremes the kernel also keeps), so
 * within 1.6% of the true value; the smallest and largest ranks are min and
 * max exactly.  0 when calls is 0.
 */
__u64 hist__quantile(const __u32 *hist, __u64 calls, double q, __u64 min, __u64 max);

#endif /* BT_HIST_USER_H */
