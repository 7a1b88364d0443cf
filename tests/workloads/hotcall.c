// SPDX-License-Identifier: GPL-2.0
/*
 * hotcall N [push|nop5]
 *
 * Calls a tiny function N times and prints the loop's own elapsed time
 * (CLOCK_MONOTONIC ns) as its last line, so a tracer's start-up is not in
 * the figure: what a uprobe on that function costs per call is
 * (traced time - untraced time) / N.  Before it, a line "cpu_ns NS": the
 * loop's thread CPU time, which has the probes' cost (the trap and the BPF
 * programs run in this thread) but not the time other processes took this
 * CPU away, as they do on a shared machine.
 *
 * The kernel handles a uprobe on x86 in one of two ways, 10x apart: it
 * emulates a few instructions (push, nop, jumps) in the trap handler, and
 * single-steps every other one out of line.  Since 6.16 it also rewrites a
 * probed 5-byte nop into a call to a trampoline, with no trap at all after
 * the first hit.  So which instruction a function starts with decides what
 * a probe on it costs, and the two functions here are written in assembly
 * to pin that down (a compiler omits the frame of a leaf function whatever
 * it is asked, and GCC 12 pads patchable_function_entry with one-byte nops):
 *
 *   hot_fn       push %rbp; mov %rsp,%rbp; ...  (emulated push)
 *   hot_fn_nop5  nopl 0(%rax,%rax,1); ...       (5-byte nop: optimizable)
 *
 * Both return their argument plus one, so a return probe sees a value.
 * Elsewhere than x86-64 they are plain C functions.
 */
#include "report.h"

long hot_fn(long x);
long hot_fn_nop5(long x);

#ifdef __x86_64__
asm(".text\n"
    ".globl hot_fn\n"
    ".type hot_fn, @function\n"
    ".p2align 4\n"
    "hot_fn:\n"
    "	push %rbp\n"
    "	mov %rsp, %rbp\n"
    "	lea 1(%rdi), %rax\n"
    "	pop %rbp\n"
    "	ret\n"
    ".size hot_fn, .-hot_fn\n"
    ".globl hot_fn_nop5\n"
    ".type hot_fn_nop5, @function\n"
    ".p2align 4\n"
    "hot_fn_nop5:\n"
    "	.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
    "	lea 1(%rdi), %rax\n"
    "	ret\n"
    ".size hot_fn_nop5, .-hot_fn_nop5\n");
#else
__attribute__((noinline, noipa)) long hot_fn(long x)
{
	asm volatile("" ::: "memory");
	return x + 1;
}

__attribute__((noinline, noipa)) long hot_fn_nop5(long x)
{
	asm volatile("" ::: "memory");
	return x + 1;
}
#endif

int main(int argc, char **argv)
{
	long (*fn)(long) = hot_fn;
	unsigned long long n, i, t0, t1, c0, c1;
	char extra[128];
	/* volatile: the calls' results are used, the loop is not folded away */
	volatile long acc = 0;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "push") && strcmp(argv[2], "nop5"))) {
		fprintf(stderr, "usage: hotcall N [push|nop5]\n");
		return 2;
	}
	n = arg_num(argv[1], "N");
	if (argc == 3 && !strcmp(argv[2], "nop5"))
		fn = hot_fn_nop5;
	c0 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
	t0 = ts_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++)
		acc = fn(acc);
	t1 = ts_ns(CLOCK_MONOTONIC);
	c1 = ts_ns(CLOCK_THREAD_CPUTIME_ID);
	if ((unsigned long long)acc != n) {
		fprintf(stderr, "hotcall: %lld calls counted, %llu made\n", (long long)acc, n);
		return 1;
	}
	snprintf(extra, sizeof(extra), "calls %llu\nloop_ns %llu\nloop_cpu_ns %llu\n", n, t1 - t0,
		 c1 - c0);
	report_write(0, extra);
	printf("cpu_ns %llu\n%llu\n", c1 - c0, t1 - t0);
	return 0;
}
