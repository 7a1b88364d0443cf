/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The USDT probes an ELF file carries: its SystemTap SDT notes
 * (.note.stapsdt), as <sys/sdt.h> and include/benchtrace.h write them.
 */
#ifndef BT_ELF_USDT_H
#define BT_ELF_USDT_H

#include <stddef.h>
#include <linux/types.h>

struct usdt_note {
	char provider[64];
	char name[64];
	char args[256]; /* "8@%rdi -4@$5": size@location each */
	__u64 pc, base, semaphore;
};

/*
 * Read @path's probes into *out (malloc'ed, free() it), sorted by provider
 * and name.  Returns how many (0: none), or -errno with one line in @err.
 */
int usdt__read(const char *path, struct usdt_note **out, char *err, size_t errlen);

/* Probes of @n matching the PROVIDER and NAME globs; their indices into @idx
 * (at most @max).  Returns how many matched. */
int usdt__match(const struct usdt_note *n, int count, const char *provider, const char *name,
		int *idx, int max);

/* The arguments of an SDT note's @args ("8@%rdi -4@$5") that may be
 * pointers, pointer-sized and unsigned ("8@..."), a bit each (bit 0: the
 * first).  <sys/sdt.h> and benchtrace.h give a pointer that spec; a
 * uint64_t gets it as well. */
unsigned usdt__ptr_args(const char *args);

#endif /* BT_ELF_USDT_H */
