/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a function's calls end, for code in which a uretprobe is unsafe.
 *
 * A uretprobe replaces the return address on the stack with the address of
 * the kernel's trampoline.  A C++ exception that unwinds through such a
 * frame finds no unwind information for the trampoline, and the program
 * dies in std::terminate().  In C++ programs benchtrace therefore probes
 * the function's return instructions instead, found by disassembling it.
 */
#ifndef BT_EXITS_H
#define BT_EXITS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct bt_sym;
struct symtab;

/*
 * Whether a uretprobe is unsafe in the ELF file: it has C++ exception
 * tables (.gcc_except_table) or links a C++ runtime, or it is a Go program
 * (.go.buildinfo, .gopclntab), whose runtime moves goroutine stacks.
 */
bool exits__needed(const char *path);
/*
 * Whether sym's own code jumps back to its first instruction (gcc -O2 makes
 * a loop of a self tail call so): an entry probe there fires once per
 * iteration, not per call.  1, 0, or -errno.
 */
int exits__jumps_to_entry(const struct symtab *st, const struct bt_sym *sym);
/* A Go program (.go.buildinfo, .gopclntab): its goroutines move between threads. */
bool exits__is_go(const char *path);

/*
 * File offsets of the instructions where a call of @sym in @st's binary
 * ends: its returns; the returns of functions it tail-calls and of the
 * .cold part GCC splits off, followed a few jumps deep; and jumps it leaves
 * by that cannot be followed (into the PLT).  Returns how many (*offs to
 * free), 0 if none were found, or -errno with @err.
 */
int exits__find(const struct symtab *st, const struct bt_sym *sym, __u64 **offs, char *err,
		size_t errlen);

#endif /* BT_EXITS_H */
