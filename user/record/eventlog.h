/* SPDX-License-Identifier: GPL-2.0 */
/* events.csv: process and run events (exec, fork, exit, oom_kill, lost,
 * interval). */
#ifndef BT_EVENTLOG_H
#define BT_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct bt_pyfunc;
struct out;
struct proctable;
struct usdtrun;

struct eventlog {
	struct out *out;
	__u64 start_ns; /* CLOCK_MONOTONIC of t_s = 0 */
	__u64 count;
	__u64 oom_kills;
	/* the processes whose exit ends the run: seeing one exit asks the
	 * loop for a final sample at once rather than at the next tick */
	__u32 roots[64];
	int nroots;
	bool root_exit_seen;
	/* BT_EV_PYFUNC records (-u py:): the handler names the function and
	 * fills in the event's detail; NULL: none expected */
	int (*on_pyfunc)(void *ctx, const struct bt_pyfunc *e, char *detail, size_t len);
	void *pyfunc_ctx;
	struct proctable *procs; /* told of forks, execs and exits; may be NULL */
	/* a traced process forked (not a thread); NULL: nothing to do */
	void (*on_fork)(void *ctx, __u32 pid);
	void *fork_ctx;
	const struct usdtrun *usdt; /* names the --usdt probes; may be NULL */
};

extern const char *const events_header;

void eventlog__add_root(struct eventlog *el, __u32 pid);
void eventlog__write(struct eventlog *el, __u64 ts_ns, __u32 pid, __u32 tid, const char *event,
		     const char *detail);
/* ring_buffer__new() callback for struct bt_event records. */
int eventlog__handle(void *ctx, void *data, size_t len);
/* "code=N", "signal=N" or "signal=N core" for a wait(2)-style status. */
void eventlog__status_str(int status, char *buf, size_t len);

#endif /* BT_EVENTLOG_H */
