// SPDX-License-Identifier: GPL-2.0
/*
 * tailcall N
 *
 * N calls of tail_caller(), which adds one to its argument and ends with a
 * jump into leafy() (a tail call: no frame of its own is left on the
 * stack, so leafy() returns straight to tail_caller()'s caller), and N
 * calls of chain_a(), which tail-calls chain_b(), which tail-calls
 * leafy(): two tail calls in a row.  Written in assembly, so that no
 * compiler setting turns the jumps back into calls.  Reports `sum`.
 */
#include "report.h"

unsigned long leafy(unsigned long x);
unsigned long tail_caller(unsigned long x);
unsigned long chain_a(unsigned long x);
unsigned long chain_b(unsigned long x);

__attribute__((noinline)) unsigned long leafy(unsigned long x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 2;
}

#if defined(__x86_64__)
__asm__(".text\n"
	".globl tail_caller\n"
	".type tail_caller, @function\n"
	"tail_caller:\n"
	"	push %rbx\n"
	"	lea 1(%rdi), %rbx\n"
	"	mov %rbx, %rdi\n"
	"	pop %rbx\n"
	"	jmp leafy\n"
	".size tail_caller, .-tail_caller\n"
	".globl chain_a\n"
	".type chain_a, @function\n"
	"chain_a:\n"
	"	push %rbx\n"
	"	pop %rbx\n"
	"	jmp chain_b\n"
	".size chain_a, .-chain_a\n"
	".globl chain_b\n"
	".type chain_b, @function\n"
	"chain_b:\n"
	"	push %rbx\n"
	"	pop %rbx\n"
	"	jmp leafy\n"
	".size chain_b, .-chain_b\n");
#else
unsigned long tail_caller(unsigned long x)
{
	return leafy(x + 1);
}

unsigned long chain_b(unsigned long x)
{
	return leafy(x);
}

unsigned long chain_a(unsigned long x)
{
	return chain_b(x);
}
#endif

int main(int argc, char **argv)
{
	unsigned long (*volatile tc)(unsigned long) = tail_caller;
	unsigned long (*volatile ca)(unsigned long) = chain_a;
	unsigned long sum = 0, i, n;
	char extra[64];

	if (argc != 2) {
		fprintf(stderr, "usage: tailcall N\n");
		return 2;
	}
	n = arg_num(argv[1], "N");
	for (i = 0; i < n; i++)
		sum += tc(i) + ca(i);
	snprintf(extra, sizeof(extra), "sum %lu\n", sum);
	report_write(0, extra);
	return 0;
}
