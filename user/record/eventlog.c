// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include "bt_abi.h"
#include "record/eventlog.h"
#include "record/proctable.h"
#include "record/usdtrun.h"
#include "rundir/escape.h"
#include "rundir/out.h"

const char *const events_header = "t_s,pid,tid,event,detail";

void eventlog__status_str(int status, char *buf, size_t len)
{
	if ((status & 0x7f) == 0)
		snprintf(buf, len, "code=%d", (status >> 8) & 0xff);
	else
		snprintf(buf, len, "signal=%d%s", status & 0x7f, (status & 0x80) ? " core" : "");
}

void eventlog__add_root(struct eventlog *el, __u32 pid)
{
	if (el->nroots < (int)(sizeof(el->roots) / sizeof(el->roots[0])))
		el->roots[el->nroots++] = pid;
}

static bool is_root(const struct eventlog *el, __u32 pid)
{
	int i;

	for (i = 0; i < el->nroots; i++)
		if (el->roots[i] == pid)
			return true;
	return false;
}

void eventlog__write(struct eventlog *el, __u64 ts_ns, __u32 pid, __u32 tid, const char *event,
		     const char *detail)
{
	/* events stamped before the run's zero (set-up) read as 0 */
	out__time_s(el->out, ts_ns > el->start_ns ? ts_ns - el->start_ns : 0);
	out__printf(el->out, ",%u,%u,%s,", pid, tid, event);
	out__csv_str(el->out, detail);
	out__puts(el->out, "\n");
	el->count++;
}

int eventlog__handle(void *ctx, void *data, size_t len)
{
	const struct bt_event *e = data;
	struct eventlog *el = ctx;
	char detail[BT_PY_NAME_LEN + 64];

	if (len >= sizeof(struct bt_pyfunc) && (e->type == BT_EV_PYFUNC || e->type == BT_EV_MARK)) {
		const struct bt_pyfunc *pf = data;

		if (el->on_pyfunc && !el->on_pyfunc(el->pyfunc_ctx, pf, detail, sizeof(detail)))
			eventlog__write(el, pf->ts_ns, pf->pid, pf->tid,
					e->type == BT_EV_MARK ? "mark" : "python", detail);
		return 0;
	}
	if (len >= sizeof(struct bt_usdt_event) && e->type == BT_EV_USDT) {
		const struct bt_usdt_event *u = data;
		const struct usdt_site *s = el->usdt ? usdtrun__site(el->usdt, u->probe) : NULL;
		char line[160 + BT_USDT_ARGS * (2 * BT_USDT_STR + 8)];

		usdtrun__format(s, u, line, sizeof(line));
		eventlog__write(el, u->ts_ns, u->pid, u->tid, "usdt", line);
		return 0;
	}
	if (len < sizeof(*e))
		return 0;
	switch (e->type) {
	case BT_EV_FORK:
		snprintf(detail, sizeof(detail), "parent=%u", e->aux);
		eventlog__write(el, e->ts_ns, e->pid, e->tid, "fork", detail);
		proctable__fork(el->procs, e->pid, e->aux, e->ts_ns, e->comm);
		if (el->on_fork)
			el->on_fork(el->fork_ctx, e->pid);
		break;
	case BT_EV_EXEC:
		snprintf(detail, sizeof(detail), "%.*s", BT_COMM_LEN, e->comm);
		eventlog__write(el, e->ts_ns, e->pid, e->tid, "exec", detail);
		if (len >= sizeof(struct bt_exec_event))
			proctable__exec(el->procs, data);
		break;
	case BT_EV_EXIT:
		eventlog__status_str(e->exit_code, detail, sizeof(detail));
		eventlog__write(el, e->ts_ns, e->pid, e->tid, "exit", detail);
		proctable__exit(el->procs, e->pid, e->ts_ns, e->exit_code, e->flags & BT_PROC_OOM);
		if (is_root(el, e->pid))
			el->root_exit_seen = true;
		break;
	case BT_EV_OOM:
		el->oom_kills++;
		snprintf(detail, sizeof(detail), "%.*s", BT_COMM_LEN, e->comm);
		eventlog__write(el, e->ts_ns, e->pid, e->tid, "oom_kill", detail);
		break;
	}
	return 0;
}
