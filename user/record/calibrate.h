/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a probe pair costs on this machine, measured at start-up: a call
 * shorter than the probes around it gets a duration that is mostly probe
 * cost, and the user is told so.
 */
#ifndef BT_CALIBRATE_H
#define BT_CALIBRATE_H

#include <stdbool.h>
#include <linux/types.h>

struct probes;
struct tracer;

/* ns a call pays for its entry and return probes, by kind; 0: not measured */
struct probe_cost {
	__u64 uretprobe_ns; /* entry uprobe + uretprobe */
	__u64 exit_ns; /* entry uprobe + return-instruction uprobe */
};

/*
 * Time calls of a function of benchtrace's own, without probes and then
 * with a pair of each kind @ps uses (attached in this process alone, where
 * the BPF side records nothing).  Best of several batches: the cost of a
 * pair when nothing else interferes.  Returns 0 or -errno (no cost known).
 */
int calibrate__probes(struct tracer *t, const struct probes *ps, struct probe_cost *pc);

/* The pair cost of probe @i of @ps (0 for Python functions: no probes). */
__u64 calibrate__cost_of(const struct probe_cost *pc, const struct probes *ps, int i);

#endif /* BT_CALIBRATE_H */
