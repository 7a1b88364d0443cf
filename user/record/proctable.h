/* SPDX-License-Identifier: GPL-2.0 */
/*
 * processes.csv: one row per traced process, so that MPI ranks, workers and
 * a build's compilers can be told apart and joined to samples.csv by pid
 * without reading events.  Fed by the fork, exec and exit events and by the
 * processes traced from the start (read from /proc); written at the end.
 */
#ifndef BT_PROCTABLE_H
#define BT_PROCTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct out;
struct bt_exec_event;
struct proctable;

extern const char *const processes_header;

struct proctable *proctable__new(void);
void proctable__free(struct proctable *t);
/* A process traced from the start, or first seen by the sampler: from
 * /proc, unless it is known already.  @now_ns: CLOCK_MONOTONIC now. */
void proctable__seen(struct proctable *t, __u32 pid, __u64 now_ns);
void proctable__fork(struct proctable *t, __u32 pid, __u32 ppid, __u64 ts_ns, const char *comm);
void proctable__exec(struct proctable *t, const struct bt_exec_event *x);
/* @status: wait(2)-style; @oom: chosen by the OOM killer */
void proctable__exit(struct proctable *t, __u32 pid, __u64 ts_ns, int status, bool oom);
/* Every row, in order of first sight; times relative to @start_ns. */
void proctable__write(const struct proctable *t, struct out *o, __u64 start_ns);
size_t proctable__count(const struct proctable *t);
/* The parent of @pid's newest row; 0 if unknown. */
__u32 proctable__ppid(const struct proctable *t, __u32 pid);

/* argv as execve got it (NUL-separated, maybe cut) as one line: NULs
 * become spaces, a trailing NUL is dropped.  Into @buf (@len > 0). */
void proctable__args_line(const char *args, size_t n, char *buf, size_t len);

#endif /* BT_PROCTABLE_H */
