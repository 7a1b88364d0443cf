/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A shared library loaded on first use, not at start-up: capstone (with
 * libstdc++) only when a function is disassembled, libmicrohttpd (with
 * gnutls and its eight libraries) only with --metrics.  Mapped and
 * relocated at start-up they were 6 MiB of every run's RSS, traced
 * functions or not.  The headers still give the prototypes
 * (__typeof__(cs_open) *), so a call through the loaded pointer is checked
 * as a direct call would be.
 */
#ifndef BT_LAZYLIB_H
#define BT_LAZYLIB_H

#include <stdbool.h>
#include <stddef.h>

struct lazylib {
	const char *soname;  /* e.g. "libcapstone.so.4" */
	const char *package; /* Debian's package for the error line */
	void *handle;
	int state; /* 0 not tried, 1 loaded, -1 failed */
	char err[256];
};

/* dlopen() once: 0, or -1 with l->err saying what is missing. */
int lazylib__open(struct lazylib *l);
/*
 * The symbol into *slot (a function pointer, of the size of a void *):
 * 0, or -1 with l->err (and the library counts as failed).
 */
int lazylib__bind(struct lazylib *l, const char *name, void *slot);

#endif /* BT_LAZYLIB_H */
