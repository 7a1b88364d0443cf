// SPDX-License-Identifier: GPL-2.0
/*
 * sleeper SECONDS
 *
 * Sleeps SECONDS (fractions allowed) and exits 0: an idle target, for
 * measuring what the tracer itself costs and for signal/detach tests.
 */
#include "report.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sleeper SECONDS\n");
		return 2;
	}
	sleep_ns(arg_num(argv[1], "SECONDS") * 1e9);
	report_write(0, NULL);
	return 0;
}
