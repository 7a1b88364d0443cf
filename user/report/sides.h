/* SPDX-License-Identifier: GPL-2.0 */
/* Repeated runs of two sides compared against their noise (sides.c). */
#ifndef BT_REPORT_SIDES_H
#define BT_REPORT_SIDES_H

struct out;
struct run;

/* runs[0..na) are side A, runs[na..n) side B. */
void sides_section(struct out *o, const struct run *runs, int na, int n);

#endif /* BT_REPORT_SIDES_H */
