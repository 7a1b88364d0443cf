// SPDX-License-Identifier: GPL-2.0
/*
 * loop_entry N
 *
 * count_down() counts *p down to 0 in a loop that starts at its first
 * instruction, the shape gcc gives `while (--*p);` (written in assembly so
 * that no compiler version changes it): an entry probe there would fire N
 * times for one call.  count_up() is an ordinary function beside it.
 */
#include <stdio.h>
#include <stdlib.h>

#if defined(__x86_64__)
__asm__(".text\n"
	".globl count_down\n"
	".type count_down, @function\n"
	"count_down:\n"
	"\tsubq $1, (%rdi)\n"
	"\tjne count_down\n"
	"\tret\n"
	".size count_down, .-count_down\n");
void count_down(volatile long *p);
#else
__attribute__((noinline)) void count_down(volatile long *p)
{
	while (--*p)
		;
}
#endif

__attribute__((noinline)) long count_up(long n)
{
	volatile long i = 0;

	while (i < n)
		i++;
	return i;
}

int main(int argc, char **argv)
{
	volatile long n = argc > 1 ? atol(argv[1]) : 10;

	count_down(&n);
	printf("%ld %ld\n", (long)n, count_up(5));
	return 0;
}
