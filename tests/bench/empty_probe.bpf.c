// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline of the uprobe benchmark: a uprobe and a uretprobe that do
 * nothing, so what they cost is the kernel's probe machinery alone (the
 * trap or trampoline, the return-address hijack, the BPF dispatch).  Named
 * empty_*, not handle_*, so they are never taken for benchtrace's programs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("uprobe")
int empty_uprobe(void *ctx)
{
	return 0;
}

SEC("uretprobe")
int empty_uretprobe(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
