/* SPDX-License-Identifier: GPL-2.0 */
/* One tracing run, from checks to the finalised run directory (run.c). */
#ifndef BT_RUN_H
#define BT_RUN_H

struct opts;

/* Trace as the options say; returns benchtrace's exit status. */
int run__main(const struct opts *o);

#endif /* BT_RUN_H */
