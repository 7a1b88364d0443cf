// SPDX-License-Identifier: GPL-2.0
/*
 * --uprobe SPEC: "FUNC", "BINARY:FUNC" or "LIB:FUNC" (e.g. "libc:malloc"),
 * FUNC a name or a glob.  Finding LIB's file is in libpath.h.
 */
#ifndef BT_PROBESPEC_H
#define BT_PROBESPEC_H

#include <stdbool.h>
#include <stddef.h>
#include "libpath.h"

struct probe_spec {
	char
	    where[4096]; /* "": the target's executable; a path (contains '/'); or a library name */
	bool is_lib;	 /* where is a library name like "libc", "libz", "libc.so.6" */
	char func[1024]; /* name or glob */
};

/*
 * Split at the first ':' that is neither part of "::" nor inside a glob's
 * "[...]", so "ns::f", "libfoo:ns::f" and "[[:upper:]]*" work.  -EINVAL for
 * malformed specs (empty, empty FUNC, empty BINARY before ':', too long),
 * with one line in @err.
 */
int probe_spec__parse(const char *s, struct probe_spec *ps, char *err, size_t errlen);

#endif /* BT_PROBESPEC_H */
