/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sampling interval policy.  Fixed, or auto: start at 10 ms and double
 * after every 1000 samples at the current interval, up to 10 s, so a run
 * of a second and a run of a week both give a bounded log (about 1000 rows
 * per level per process, then 8640 a day at 10 s).
 */
#ifndef BT_INTERVAL_H
#define BT_INTERVAL_H

#include <stdbool.h>
#include <linux/types.h>

#define BT_AUTO_FIRST_NS (10 * 1000000ULL)
#define BT_AUTO_MAX_NS (10 * 1000000000ULL)
#define BT_AUTO_PER_LEVEL 1000

struct interval {
	__u64 ns; /* the current interval */
	bool fixed;
	unsigned int ticks; /* samples taken at the current interval */
};

/* fixed_ns 0 selects auto. */
void interval__init(struct interval *iv, __u64 fixed_ns);
/* Count one sample; true when the interval has just changed. */
bool interval__tick(struct interval *iv);

#endif /* BT_INTERVAL_H */
