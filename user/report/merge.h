/* SPDX-License-Identifier: GPL-2.0 */
/* report --merge: run directories of several hosts as one run (merge.c). */
#ifndef BT_MERGE_H
#define BT_MERGE_H

#include <stddef.h>

#define MERGE_MAX 64

/*
 * Write into @out_dir (which exists and is empty) one run made of the @n
 * run directories: its samples, events, calls and processes on one clock,
 * PIDs unique per host, names prefixed with the host, and a meta.json.
 * Returns 0, or -1 with one line in err.
 */
int merge__runs(const char *const *dirs, int n, const char *out_dir, char *err, size_t errlen);

#endif /* BT_MERGE_H */
