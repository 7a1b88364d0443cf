/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Function tracing output: calls.csv (one row per completed call, from the
 * calls ring buffer) and functions.csv (per-function totals and
 * percentiles, from the kernel's per-function statistics at the end).
 */
#ifndef BT_CALLS_H
#define BT_CALLS_H

#include <stddef.h>
#include <linux/types.h>
#include "bt_abi.h"

struct out;
struct probes;
struct tracer;

/* One function's statistics over the whole run, as functions.csv has them. */
struct func_summary {
	const char *func, *binary;
	__u64 calls, total_ns, mean_ns, min_ns, p50_ns, p90_ns, p99_ns, max_ns;
	__u64 cpu_ns, minflt, majflt, read_bytes, write_bytes;
	__u64 probe_ns; /* what its entry and return probes cost a call here; 0: unknown */
};

struct calls {
	struct out *out; /* calls.csv */
	const struct probes *probes;
	char **names; /* each function's name as a CSV field, escaped once */
	size_t *name_lens;
	int nnames;
	__u64 start_ns; /* CLOCK_MONOTONIC of t_s = 0 */
	long page_size;
	__u64 rows; /* calls.csv rows written */
	__u64 seen; /* ring-buffer records, for the calls/s status */
	__u64 bad;  /* records that were not a call of a known function */
};

extern const char *const calls_header;
extern const char *const functions_header;

int calls__init(struct calls *c, struct out *out, const struct probes *p, __u64 start_ns,
		long page_size);
void calls__free(struct calls *c);
/* The probe table grew or function idx was renamed (Python functions). 0 or -ENOMEM. */
int calls__name_changed(struct calls *c, int idx);

/* ring_buffer callback for batches of struct bt_call rows (ctx: struct calls);
 * also takes the batches left staged at the end (tracer__calls_staged()). */
int calls__handle(void *ctx, void *data, size_t len);

/*
 * Read every function's totals from the kernel into sums[0..probes->n),
 * sorted by total time, largest first.  0 or -errno.
 */
int calls__summarise(const struct probes *p, struct tracer *t, struct func_summary *sums);
/* functions.csv rows for n summaries, in the order given. */
void calls__write_functions(struct out *o, const struct func_summary *sums, int n);

#endif /* BT_CALLS_H */
