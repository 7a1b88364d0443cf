/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's BTF, found, parsed and probed for features (see kfeat.c).
 */
#ifndef BT_KFEAT_H
#define BT_KFEAT_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/* What the kernel offered, found by probing at start (meta.json, -v). */
struct tracer_features {
	bool tp_btf; /* tp_btf programs (else raw_tp) */
	bool task_iter;
	bool sched_info; /* run-queue wait from sched_info.run_delay */
	bool io_accounting; /* per-task storage I/O bytes (ioac) */
	bool oom_tracepoint; /* oom:mark_victim with a task argument */
	bool rss_percpu; /* v6.2+ percpu RSS counters */
	bool iter_per_process; /* v6.1+ task iterator limited to one process */
	bool task_walk; /* v6.7+ all tasks walked in one program run */
	bool rss_exact; /* v5.19+: per-CPU parts of the RSS counters summed */
	bool uprobe_multi; /* v6.6+: a binary's uprobes in one link */
};

/*
 * The kernel's BTF, for probing features, and whether libbpf cannot find it
 * (*hidden), in which case --btf @btf_path must be a copy of it (checked);
 * NULL with a message in err otherwise.
 */
struct btf *kfeat__find_vmlinux(const char *btf_path, bool *hidden, char *err, size_t errlen);
/* What the kernel offers, from its BTF. */
void kfeat__probe(struct tracer_features *f, const struct btf *vmlinux);
/* Around parsing and loading (on, then off): keep freed blocks for reuse
 * and grow the heap in huge pages where it can be; then give it back. */
void kfeat__heap_hold(bool on);

#endif /* BT_KFEAT_H */
