/* SPDX-License-Identifier: GPL-2.0 */
/* The report's loops (loops.c) and the page helpers they share with report.c. */
#ifndef BT_REPORT_LOOPS_H
#define BT_REPORT_LOOPS_H

#include "report/svg.h"

#define MAX_RUNS 16 /* runs one report takes */

struct out;
struct run;
struct loop;

/* One loop of run @r: iterations stacked by step, and the steps' table. */
void loop_section(struct out *o, const struct run *r, const struct loop *l);
/* Each loop of the first run, its steps side by side in every run. */
void compare_loops(struct out *o, const struct run *runs, int n);

/* report.c's table cells: a number, a number with its ratio to @base (>0) */
void html_td_num(struct out *o, double v, enum svg_unit unit);
void ratio_cell(struct out *o, double v, double base, enum svg_unit unit);
struct func;
/* A function's mean (q 0), p50 (1) or p99 (2) call time, ns; NaN if none. */
double func_stat(const struct func *f, int q);
/* A run's name in legends: its directory's last part. */
void run_label(const struct run *r, int i, char *buf, size_t len);

#endif /* BT_REPORT_LOOPS_H */
