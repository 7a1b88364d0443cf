/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * benchtrace.h: mark the loops and spans of a C or C++ program so that
 * benchtrace times them, with the CPU, waits, faults, memory and I/O each
 * one used, as it does function calls.  No library to link; the marks are
 * USDT probes (SystemTap SDT notes, provider "benchtrace"), which cost a
 * 5-byte nop each, a load of each name's address and of its first byte,
 * when nothing traces the program.  MIT-licensed as well as
 * GPL-2.0, so any program may include it.
 *
 *   #include <benchtrace.h>
 *
 *   for (epoch = 0; epoch < n; epoch++) {
 *           BT_ITER_BEGIN("train");
 *           BT_STEP("train", "load");
 *           load_batch();
 *           BT_STEP("train", "compute");
 *           compute();
 *           BT_ITER_END("train");
 *   }
 *   BT_SPAN_BEGIN("checkpoint");
 *   save();
 *   BT_SPAN_END("checkpoint");
 *
 * `sudo benchtrace -- ./prog` picks the marks up in the traced program by
 * itself (`--usdt BINARY:benchtrace:*` for a library's).  An iteration is
 * timed from BT_ITER_BEGIN to BT_ITER_END of the same loop on the same
 * thread; a step from its BT_STEP to the loop's next BT_STEP or
 * BT_ITER_END; a span from BT_SPAN_BEGIN to the BT_SPAN_END of the same
 * name.  calls.csv and functions.csv name them iter:LOOP, step:LOOP/STEP
 * and span:NAME.  Names are string literals (or strings that outlive the
 * mark), at most 63 bytes.
 *
 * Define BT_NO_MARKERS to compile the marks out altogether.
 */
#ifndef BENCHTRACE_H
#define BENCHTRACE_H

#if defined(BT_NO_MARKERS) || !(defined(__x86_64__) || defined(__aarch64__))
#define BT_ITER_BEGIN(loop)	   ((void)(loop))
#define BT_ITER_END(loop)	   ((void)(loop))
#define BT_STEP(loop, step)	   ((void)(loop), (void)(step))
#define BT_SPAN_BEGIN(name)	   ((void)(name))
#define BT_SPAN_END(name)	   ((void)(name))
#define BT_MARKERS_ENABLED	   0
#else

/* The probe site: a 5-byte nop on x86-64 (Linux 6.16+ turns a uprobe on
 * it into a call instead of a trap), a nop on arm64. */
#if defined(__x86_64__)
#define BT__NOP ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00"
#define BT__ADDR ".8byte"
#else
#define BT__NOP "nop"
#define BT__ADDR ".8byte"
#endif

/*
 * One SDT note: where the probe is, the base for prelink adjustments, no
 * semaphore, the provider and name, and the arguments' locations
 * (size@operand), as <sys/sdt.h> lays them out.
 */
#define BT__PROBE(name, args, ...)                                                                \
	__asm__ __volatile__("990: " BT__NOP "\n"                                                 \
			     ".pushsection .note.stapsdt,\"?\",\"note\"\n"                        \
			     ".balign 4\n"                                                        \
			     ".4byte 992f-991f, 994f-993f, 3\n"                                   \
			     "991: .asciz \"stapsdt\"\n"                                          \
			     "992: .balign 4\n"                                                   \
			     "993: " BT__ADDR " 990b\n" BT__ADDR " _.stapsdt.base\n" BT__ADDR   \
			     " 0\n"                                                               \
			     ".asciz \"benchtrace\"\n"                                            \
			     ".asciz \"" name "\"\n"                                              \
			     ".asciz \"" args "\"\n"                                              \
			     "994: .balign 4\n"                                                   \
			     ".popsection\n"                                                      \
			     ".ifndef _.stapsdt.base\n"                                           \
			     ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n" \
			     ".weak _.stapsdt.base\n"                                             \
			     ".hidden _.stapsdt.base\n"                                           \
			     "_.stapsdt.base: .space 1\n"                                         \
			     ".size _.stapsdt.base, 1\n"                                          \
			     ".popsection\n"                                                      \
			     ".endif\n"                                                           \
			     :                                                                    \
			     : __VA_ARGS__)

/*
 * The names go in registers (a symbol's address as an immediate would not
 * be a location a tracer can read), and each name's first byte is read
 * just before the probe: a tracer cannot fault in a page of the program's
 * own, and a string nothing else reads may sit on one never touched.
 */
#define BT__TOUCH(a) ((void)*(const volatile char *)(a))
#define BT__P1(name, a)                                                                           \
	do {                                                                                      \
		BT__TOUCH(a);                                                                     \
		BT__PROBE(name, "8@%0", "r"((const char *)(a)));                                 \
	} while (0)
#define BT__P2(name, a, b)                                                                        \
	do {                                                                                      \
		BT__TOUCH(a);                                                                     \
		BT__TOUCH(b);                                                                     \
		BT__PROBE(name, "8@%0 8@%1", "r"((const char *)(a)), "r"((const char *)(b)));    \
	} while (0)

#define BT_ITER_BEGIN(loop)	   BT__P1("iter_begin", loop)
#define BT_ITER_END(loop)	   BT__P1("iter_end", loop)
#define BT_STEP(loop, step)	   BT__P2("step", loop, step)
#define BT_SPAN_BEGIN(name)	   BT__P1("span_begin", name)
#define BT_SPAN_END(name)	   BT__P1("span_end", name)
#define BT_MARKERS_ENABLED	   1

#endif /* markers */
#endif /* BENCHTRACE_H */
