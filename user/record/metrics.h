/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --metrics ADDR: the run's figures for Prometheus to scrape, served by
 * libmicrohttpd from a thread of its own.  The sampler hands each tick's
 * figures over; they are turned into the exposition text once a tick and
 * swapped in under a lock, so a scrape only copies the last text and a
 * slow client never holds up tracing.
 */
#ifndef BT_METRICS_H
#define BT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct bt_proc;
struct bt_func_stats;
struct metrics;

/* How long an exited process's last figures stay in /metrics. */
#define METRICS_KEEP_EXITED_NS (300ULL * 1000000000ULL)

/*
 * Serve on ADDR ("HOST:PORT", "PORT" for 127.0.0.1, "[::1]:PORT").  @host
 * and @run label every series.  Returns 0 or -errno with one line in err.
 */
int metrics__start(struct metrics **out, const char *addr, const char *host, const char *run,
		   char *err, size_t errlen);
/* The listening port (for ADDR with port 0). */
int metrics__port(const struct metrics *m);

/* One process at a tick: its cumulative counters and levels. */
struct metrics_proc {
	__u32 pid, ppid;
	const char *comm;
	__u64 cpu_ns, runq_ns, vol_cs, invol_cs, minflt, majflt;
	__u64 read_bytes, write_bytes, rchar, wchar;
	__u64 rss_bytes, peak_bytes; /* now; highest in the interval */
	__u32 threads;
	bool exited;
};
void metrics__proc(struct metrics *m, const struct metrics_proc *p, __u64 now_ns);
/* One traced function's totals at a tick. */
void metrics__func(struct metrics *m, const char *func, const char *binary,
		   const struct bt_func_stats *s);
/* The tick is complete: render and publish it.  @t_s is the run's clock. */
void metrics__publish(struct metrics *m, double t_s, __u64 lost, __u64 now_ns);
void metrics__stop(struct metrics *m);

#endif /* BT_METRICS_H */
