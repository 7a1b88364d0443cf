// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O: bytes are the kernel's per-task I/O accounting (see
 * task_counters.bpf.h), which charges a buffered write to the task that
 * dirtied the page rather than to the flusher thread.  Here we count the
 * block requests (bios) a traced process submits itself: reads, direct
 * I/O and the writeback it forces with fsync().
 */
#include "common.bpf.h"

static __always_inline void on_bio_queue(void)
{
	struct bt_proc *p = proc_live(bpf_get_current_pid_tgid() >> 32);

	if (p)
		__sync_fetch_and_add(&p->io_ops, 1);
}

BT_TRACEPOINT(block_bio_queue, on_bio_queue(), struct bio *bio)
