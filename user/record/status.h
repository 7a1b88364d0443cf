/* SPDX-License-Identifier: GPL-2.0 */
/* The live status line (stderr, when it is a terminal) and the summary. */
#ifndef BT_STATUS_H
#define BT_STATUS_H

#include <stdbool.h>
#include <linux/types.h>

struct run;
struct run_stats;
struct status;

struct status *status__new(bool quiet, bool calls);
/* calls: calls seen so far (for calls/s); lost: events lost so far */
void status__update(struct status *s, __u64 elapsed_ns, const struct run_stats *st, __u64 calls,
		    __u64 lost);
void status__clear(struct status *s);
/* From a signal handler about to _exit(): give the terminal's last row
 * back (async-signal-safe). */
void status__abandon(void);
void status__summary(struct status *s, const struct run *r, const struct run_stats *st);
void status__free(struct status *s);
/* "1.5 MiB", "512 B": for people, not for files */
void status__bytes(char *buf, size_t len, double bytes);

#endif /* BT_STATUS_H */
