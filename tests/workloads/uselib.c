// SPDX-License-Identifier: GPL-2.0
/*
 * uselib N: calls btwork_step() of libbtwork.so (found through its
 * RUNPATH, $ORIGIN/lib) N times.
 */
#include <stdio.h>
#include <stdlib.h>

unsigned long btwork_step(unsigned long i);

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100, i;
	unsigned long v = 0;

	for (i = 0; i < n; i++)
		v = btwork_step(i);
	printf("uselib: %ld calls, %lu\n", n, v);
	return 0;
}
