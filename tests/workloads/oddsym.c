// SPDX-License-Identifier: GPL-2.0
/*
 * oddsym N [ARGS...]
 *
 * Calls a function N times whose symbol is a hostile name, for the escaping
 * tests: it closes an HTML script and opens a bold element, is a spreadsheet
 * formula after its first character and has a comma.  Extra arguments are
 * ignored (the tests pass hostile ones, for the command line).  With
 * ODDSYM_COMM set, the process names itself that (PR_SET_NAME takes any
 * bytes, '/' included, which a file name cannot have) and then sleeps
 * 30 ms so that a sample sees the name.
 */
#include <sys/prctl.h>
#include "report.h"

#define ODD_SYMBOL "</script><b>=cmd|' /C calc'!A0,x"

/* GNU as takes a quoted symbol name with any byte but the quote itself. */
__attribute__((noinline, used)) long odd(long x) __asm__("\"" ODD_SYMBOL "\"");

__attribute__((noinline, used)) long odd(long x)
{
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

int main(int argc, char **argv)
{
	char extra[64];
	long i, n, sum = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: oddsym N [ARGS...]\n");
		return 2;
	}
	n = (long)arg_num(argv[1], "N");
	if (getenv("ODDSYM_COMM")) {
		prctl(PR_SET_NAME, getenv("ODDSYM_COMM"));
		sleep_ns(30 * 1000000ull);
	}
	for (i = 0; i < n; i++)
		sum += odd(i);
	snprintf(extra, sizeof(extra), "odd_sum %ld\n", sum);
	report_write(0, extra);
	return 0;
}
