// SPDX-License-Identifier: GPL-2.0
/*
 * --uprobe SPEC: "FUNC", "BINARY:FUNC" or "LIB:FUNC" (e.g. "libc:malloc"),
 * FUNC a name or a glob.  Finding LIB's file is in libpath.h.
 */
#ifndef BT_PROBESPEC_H
#define BT_PROBESPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>
#include "elf/libpath.h"

struct probe_spec {
	/* "": the target's executable; a path (contains '/'); or a library name */
	char where[4096];
	/* where is a library name like "libc", "libz", "libc.so.6" */
	bool is_lib;
	/* name or glob */
	char func[1024];
};

/*
 * Split at the first ':' that is neither part of "::" nor inside a glob's
 * "[...]", so "ns::f", "libfoo:ns::f" and "[[:upper:]]*" work.  -EINVAL for
 * malformed specs (empty, empty FUNC, empty BINARY before ':', too long),
 * with one line in @err.
 */
int probe_spec__parse(const char *s, struct probe_spec *ps, char *err, size_t errlen);

/* One function to attach a uprobe to. */
struct probe_target {
	/* The file to attach to, as this process reaches it ("/proc/PID/exe" in -p mode). */
	char binary[4096];
	/* The same file for people and meta.json: its real path. */
	char shown[4096];
	/* Demangled name, as matched (an alias under the name asked for). */
	char func[1024];
	__u64 offset; /* file offset: what the uprobe attaches at */
	__u64 addr;   /* st_value, for meta.json */
};

/*
 * Everything @ps names, for a target that is either process @pid (pid > 0:
 * default binary /proc/PID/exe, LIB looked up in its mappings) or the
 * command @exe about to run (pid == 0; LIB as ld.so would find it).  At
 * most @max functions: a glob matching more is -E2BIG ("narrow it").
 * Returns how many (>= 1), *out to free(); or -errno with one line in @err
 * naming the spec and the fix: no such file, not ELF, stripped, library not
 * found (listing what is there), no function matched (suggesting names).
 */
int probe_spec__resolve(const struct probe_spec *ps, pid_t pid, const char *exe, int max,
			struct probe_target **out, char *err, size_t errlen);

#endif /* BT_PROBESPEC_H */
