/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log-linear duration histogram shared by the BPF side (which counts)
 * and user space (which reads percentiles out of it).
 *
 * Values below 2^BT_HIST_SUB_BITS+1 ns get a bucket each; above, every
 * power of two is split into 2^BT_HIST_SUB_BITS equal buckets, so a bucket
 * is at most 1/32 of its lower bound wide and its midpoint is within 1.6%
 * of any value in it (the spec asks for 3%).  The last bucket takes
 * everything from 2^BT_HIST_MAX_LOG2 ns (78 hours) up.
 */
#ifndef BT_HIST_H
#define BT_HIST_H

#define BT_HIST_SUB_BITS 5
#define BT_HIST_SUB	 (1U << BT_HIST_SUB_BITS)
#define BT_HIST_LINEAR	 (2 * BT_HIST_SUB) /* values 0..63 exactly */
#define BT_HIST_MAX_LOG2 48
#define BT_HIST_BUCKETS                                                                            \
	(BT_HIST_LINEAR + (BT_HIST_MAX_LOG2 - BT_HIST_SUB_BITS - 1) * BT_HIST_SUB + 1)

/* floor(log2(v)) for v > 0, in a fixed number of steps (no loop for BPF) */
static inline __attribute__((always_inline)) unsigned int bt_log2(__u64 v)
{
	unsigned int r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

static inline __attribute__((always_inline)) unsigned int bt_hist_bucket(__u64 v)
{
	unsigned int e, b;

	if (v < BT_HIST_LINEAR)
		return (unsigned int)v;
	e = bt_log2(v); /* >= SUB_BITS + 1 */
	if (e >= BT_HIST_MAX_LOG2)
		return BT_HIST_BUCKETS - 1;
	b = BT_HIST_LINEAR + (e - BT_HIST_SUB_BITS - 1) * BT_HIST_SUB +
	    (unsigned int)((v >> (e - BT_HIST_SUB_BITS)) & (BT_HIST_SUB - 1));
	return b;
}

/* The smallest value that falls in bucket b. */
static inline __u64 bt_hist_lower(unsigned int b)
{
	unsigned int e;

	if (b < BT_HIST_LINEAR)
		return b;
	e = (b - BT_HIST_LINEAR) / BT_HIST_SUB + BT_HIST_SUB_BITS + 1;
	return ((__u64)BT_HIST_SUB + (b - BT_HIST_LINEAR) % BT_HIST_SUB) << (e - BT_HIST_SUB_BITS);
}

#endif /* BT_HIST_H */
