/* SPDX-License-Identifier: GPL-2.0 */
/* The report's processes (procs.c): their time split and their tables. */
#ifndef BT_REPORT_PROCS_H
#define BT_REPORT_PROCS_H

struct out;
struct run;

/* The split's colours: on a CPU, waiting for one, for storage, otherwise blocked. */
extern const char *const split_color[4];

/* A bar of @n parts of @width px, and their shares; nothing if they sum to 0. */
void split_bar(struct out *o, const double *part, const char *const *color, int n, int width);
/* The four parts of @thread_s of thread time (ns; the rest is blocked otherwise). */
void proc_split(double thread_s, double cpu_ns, double runq_ns, double io_ns, double *part);
/* The run's time split, under its figures. */
void run_split(struct out *o, const struct run *r);
/* The processes' tables: by command (when grouped), then the busiest. */
void proc_section(struct out *o, const struct run *r);

#endif /* BT_REPORT_PROCS_H */
