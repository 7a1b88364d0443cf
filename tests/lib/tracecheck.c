// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonparse.h"
#include "tracecheck.h"

static int __attribute__((format(printf, 3, 4))) bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const struct jv *trace_events(const struct jv *root)
{
	const struct jv *evs = jv_get(root, "traceEvents");

	return evs && evs->type == JV_ARR ? evs : NULL;
}

static int check_event(const struct jv *e, size_t i, char *err, size_t errlen)
{
	const char *ph = jv_str(e, "ph");
	const struct jv *args = jv_get(e, "args");
	double v;

	if (e->type != JV_OBJ)
		return bad(err, errlen, "event %zu is not an object", i);
	if (!ph || strlen(ph) != 1 || !strchr("XCiM", ph[0]))
		return bad(err, errlen, "event %zu: ph '%s'", i, ph ? ph : "(none)");
	if (e->n < 2 || strcmp(e->keys[1], "ts"))
		return bad(err, errlen, "event %zu: ts is not its second key", i);
	v = jv_num(e, "ts");
	if (!isfinite(v) || v < 0)
		return bad(err, errlen, "event %zu: ts is not a non-negative number", i);
	if (!(jv_num(e, "pid") > 0) || !(jv_num(e, "tid") > 0))
		return bad(err, errlen, "event %zu: pid or tid is not a positive number", i);
	if (!jv_str(e, "name"))
		return bad(err, errlen, "event %zu: no name", i);
	if (!args || args->type != JV_OBJ)
		return bad(err, errlen, "event %zu: args is not an object", i);
	switch (ph[0]) {
	case 'X':
		v = jv_num(e, "dur");
		if (!isfinite(v) || v < 0)
			return bad(err, errlen, "event %zu: dur is not a non-negative number", i);
		if (!jv_str(e, "cat") || strcmp(jv_str(e, "cat"), "call"))
			return bad(err, errlen, "event %zu: cat is not \"call\"", i);
		break;
	case 'C':
		/* one series per counter: Chrome stacks several into one track */
		if (args->n != 1 || args->items[0].type != JV_NUM)
			return bad(err, errlen, "event %zu: counter without exactly one number", i);
		break;
	case 'i':
		if (!jv_str(e, "s") || strcmp(jv_str(e, "s"), "p"))
			return bad(err, errlen, "event %zu: instant not process-scoped", i);
		break;
	}
	return 0;
}

int trace_check(const struct jv *root, char *err, size_t errlen)
{
	const struct jv *evs = trace_events(root), *meta = jv_get(root, "metadata");
	size_t i;

	if (!root || root->type != JV_OBJ)
		return bad(err, errlen, "the top level is not an object");
	if (root->n < 1 || strcmp(root->keys[0], "displayTimeUnit") ||
	    !jv_str(root, "displayTimeUnit") || strcmp(jv_str(root, "displayTimeUnit"), "ms"))
		return bad(err, errlen, "displayTimeUnit \"ms\" is not the first key");
	if (!evs)
		return bad(err, errlen, "no traceEvents array");
	if (!meta || meta->type != JV_OBJ)
		return bad(err, errlen, "no metadata object");
	for (i = 0; i < evs->n; i++)
		if (check_event(&evs->items[i], i, err, errlen))
			return -1;
	return 0;
}

static int matches(const struct jv *e, const char *ph, const char *name, long pid)
{
	const char *p = jv_str(e, "ph"), *n = jv_str(e, "name");

	return p && !strcmp(p, ph) && (!name || (n && !strcmp(n, name))) &&
	       (pid < 0 || jv_num(e, "pid") == (double)pid);
}

size_t trace_count(const struct jv *evs, const char *ph, const char *name, long pid)
{
	size_t i, n = 0;

	for (i = 0; evs && i < evs->n; i++)
		n += matches(&evs->items[i], ph, name, pid);
	return n;
}

const struct jv *trace_nth(const struct jv *evs, const char *ph, const char *name, long pid,
			   size_t n)
{
	size_t i;

	for (i = 0; evs && i < evs->n; i++)
		if (matches(&evs->items[i], ph, name, pid) && n-- == 0)
			return &evs->items[i];
	return NULL;
}

const struct jv *trace_meta(const struct jv *evs, const char *name, long pid, long tid)
{
	size_t i;

	for (i = 0; evs && i < evs->n; i++) {
		const struct jv *e = &evs->items[i];

		if (matches(e, "M", name, pid) && jv_num(e, "tid") == (double)tid)
			return jv_get(e, "args");
	}
	return NULL;
}
