// SPDX-License-Identifier: GPL-2.0
/*
 * markloop MODE N
 *
 * For tests/bench/markers.c: N times, either a BT_SPAN_BEGIN/BT_SPAN_END
 * pair around nothing (MODE marks) or a call of the empty function
 * empty_call() (MODE calls, for a uprobe pair on a function's first
 * instruction and a uretprobe).  Reports wall_ns, the loop's own time.
 */
#include "benchtrace.h"
#include "report.h"

__attribute__((noinline)) void empty_call(unsigned long i);

__attribute__((noinline)) void empty_call(unsigned long i)
{
	__asm__ volatile("" : : "r"(i) : "memory");
}

int main(int argc, char **argv)
{
	unsigned long long t0, n, i;
	char extra[64];
	int marks;

	if (argc != 3 || (strcmp(argv[1], "marks") && strcmp(argv[1], "calls"))) {
		fprintf(stderr, "usage: markloop marks|calls N\n");
		return 2;
	}
	marks = !strcmp(argv[1], "marks");
	n = arg_num(argv[2], "N");
	t0 = ts_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		if (marks) {
			BT_SPAN_BEGIN("m");
			BT_SPAN_END("m");
		} else {
			empty_call(i);
		}
	}
	snprintf(extra, sizeof(extra), "wall_ns %llu\n", ts_ns(CLOCK_MONOTONIC) - t0);
	report_write(0, extra);
	return 0;
}
