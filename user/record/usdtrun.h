/* SPDX-License-Identifier: GPL-2.0 */
/*
 * USDT in a recording: the benchtrace.h marks of the traced program (found
 * by themselves) and the --usdt probes asked for, resolved before anything
 * runs and attached with the other probes.
 */
#ifndef BT_USDTRUN_H
#define BT_USDTRUN_H

#include <stdbool.h>
#include "bt_abi.h"
#include <stddef.h>
#include <sys/types.h>

struct tracer;
struct usdt_note;

struct usdt_site {
	char *path; /* the file, as attached */
	char provider[64], name[64];
	bool mark; /* a benchtrace.h mark: timed, not an event */
	int kind; /* its bt_mark_kind */
	unsigned ptrs; /* arguments that may be pointers (usdt__ptr_args), at every site */
	int span; /* 1 + its --usdt pair (usdtrun__pair) in pairs[]; 0: none */
	bool span_end; /* the pair's __done or __return */
};

struct usdtrun {
	struct usdt_site *s;
	int n;
	bool marks; /* some are marks or pairs: they need function slots */
	char pairs[BT_USDT_SPANS][BT_USDT_SPAN_NAME]; /* "usdt:PROVIDER:X" */
	int npairs;
};

/*
 * Resolve @specs ([BINARY:]PROVIDER:NAME, globs in PROVIDER and NAME) and
 * the marks of @exe (the target's program; NULL with -a).  @pid > 0 looks
 * libraries up in that process.  An unknown probe is an error listing the
 * ones the file has.  Returns 0 or -errno with one line in @err.
 */
int usdtrun__resolve(struct usdtrun *u, char *const *specs, int nspecs, const char *exe, pid_t pid,
		     char *err, size_t errlen);
/*
 * Pair the --usdt probes PROVIDER:X__start and X__done (or X__entry and
 * X__return) of one file, both asked for, to be timed as span
 * "usdt:PROVIDER:X" (at most BT_USDT_SPANS).  Returns how many pairs.
 */
int usdtrun__pair(struct usdtrun *u);
/* Attach them all (in process @pid alone if > 0). */
int usdtrun__attach(const struct usdtrun *u, struct tracer *t, pid_t pid, char *err,
		    size_t errlen);
/* "PROVIDER:NAME" of --usdt probe @i, or NULL. */
const struct usdt_site *usdtrun__site(const struct usdtrun *u, unsigned int i);
void usdtrun__free(struct usdtrun *u);

struct bt_usdt_event;
/*
 * events.csv's detail of a firing of @s (NULL: unknown probe) into @buf:
 * "PROVIDER:NAME ARG...", each argument a signed number or, where it may be
 * a pointer and points to printable ASCII, that text in double quotes
 * (\" and \\ escaped; "..." after it when cut).
 */
void usdtrun__format(const struct usdt_site *s, const struct bt_usdt_event *u, char *buf,
		     size_t len);

/* The kind of a benchtrace.h mark named @name, 0 if none. */
int usdtrun__mark_kind(const char *name);

#endif /* BT_USDTRUN_H */
