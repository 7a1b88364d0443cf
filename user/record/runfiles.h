/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's files (runfiles.c): the run directory and its logs, from creation
 * to the last whole row, disk-full included.
 */
#ifndef BT_RUNFILES_H
#define BT_RUNFILES_H

struct run;

/*
 * Create the run directory (as the sudo user, fscred.h) and the logs with
 * their headers on disk, and set disk space aside for the end.  0, or
 * -errno after one line on stderr.
 */
int runfiles__setup(struct run *r);
/*
 * After the first meta.json: room for the last one however full the disk
 * gets.  0, or -errno (no room: a refusal, said on stderr); a file system
 * that cannot reserve at all only loses the guarantee.
 */
int runfiles__reserve_meta(struct run *r);
/* Flush every log; -EIO with r->error set if a write failed. */
int runfiles__flush(struct run *r);
/* A write already failed (disk full)?  -EIO with r->error set, else 0. */
int runfiles__check(struct run *r);
/* Free the space set aside for the end: functions.csv and the logs' last rows. */
void runfiles__release_space(struct run *r);
/* End and close every log; a failed write sets r->error and the outcome. */
void runfiles__finish(struct run *r);
/* Nothing started: remove the run directory and everything in it. */
void runfiles__discard(struct run *r);

#endif /* BT_RUNFILES_H */
