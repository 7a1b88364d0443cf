// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rundir/jsonread.h"
#include "tracecheck.h"

/* What benchtrace writes must satisfy the strictest reader; any size. */
static const struct json_opts strict = {.strict = true, .max_bytes = SIZE_MAX};

struct json_doc *trace_load(const char *path, char *err, size_t errlen)
{
	return json_doc__load(path, &strict, err, errlen);
}

struct json_doc *trace_parse(const char *text, char *err, size_t errlen)
{
	return json_doc__parse(text, strlen(text), "json", &strict, err, errlen);
}

static int __attribute__((format(printf, 3, 4))) bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *trace_str(const struct json_value *v, const char *key)
{
	return json_value__str(json_value__member(v, key));
}

double trace_num(const struct json_value *v, const char *key)
{
	double d;

	return json_value__num(json_value__member(v, key), &d) ? NAN : d;
}

const struct json_value *trace_events(const struct json_value *root)
{
	const struct json_value *evs = json_value__member(root, "traceEvents");

	return json_value__type(evs) == JSON_ARRAY ? evs : NULL;
}

static int check_event(const struct json_value *e, size_t i, char *err, size_t errlen)
{
	const char *ph = trace_str(e, "ph");
	const struct json_value *args = json_value__member(e, "args");
	double v;

	if (json_value__type(e) != JSON_OBJECT)
		return bad(err, errlen, "event %zu is not an object", i);
	if (!ph || strlen(ph) != 1 || !strchr("XCiM", ph[0]))
		return bad(err, errlen, "event %zu: ph '%s'", i, ph ? ph : "(none)");
	if (json_value__len(e) < 2 || strcmp(json_value__key_at(e, 1), "ts"))
		return bad(err, errlen, "event %zu: ts is not its second key", i);
	v = trace_num(e, "ts");
	if (!isfinite(v) || v < 0)
		return bad(err, errlen, "event %zu: ts is not a non-negative number", i);
	if (!(trace_num(e, "pid") > 0) || !(trace_num(e, "tid") > 0))
		return bad(err, errlen, "event %zu: pid or tid is not a positive number", i);
	if (!trace_str(e, "name"))
		return bad(err, errlen, "event %zu: no name", i);
	if (json_value__type(args) != JSON_OBJECT)
		return bad(err, errlen, "event %zu: args is not an object", i);
	switch (ph[0]) {
	case 'X':
		v = trace_num(e, "dur");
		if (!isfinite(v) || v < 0)
			return bad(err, errlen, "event %zu: dur is not a non-negative number", i);
		if (!trace_str(e, "cat") || strcmp(trace_str(e, "cat"), "call"))
			return bad(err, errlen, "event %zu: cat is not \"call\"", i);
		break;
	case 'C':
		/* one series per counter: Chrome stacks several into one track */
		if (json_value__len(args) != 1 ||
		    json_value__type(json_value__at(args, 0)) != JSON_NUMBER)
			return bad(err, errlen, "event %zu: counter without exactly one number", i);
		break;
	case 'i':
		if (!trace_str(e, "s") || strcmp(trace_str(e, "s"), "p"))
			return bad(err, errlen, "event %zu: instant not process-scoped", i);
		break;
	}
	return 0;
}

int trace_check(const struct json_value *root, char *err, size_t errlen)
{
	const struct json_value *evs = trace_events(root);
	const struct json_value *meta = json_value__member(root, "metadata");
	size_t i;

	if (json_value__type(root) != JSON_OBJECT)
		return bad(err, errlen, "the top level is not an object");
	if (json_value__len(root) < 1 || strcmp(json_value__key_at(root, 0), "displayTimeUnit") ||
	    !trace_str(root, "displayTimeUnit") || strcmp(trace_str(root, "displayTimeUnit"), "ms"))
		return bad(err, errlen, "displayTimeUnit \"ms\" is not the first key");
	if (!evs)
		return bad(err, errlen, "no traceEvents array");
	if (json_value__type(meta) != JSON_OBJECT)
		return bad(err, errlen, "no metadata object");
	for (i = 0; i < json_value__len(evs); i++)
		if (check_event(json_value__at(evs, i), i, err, errlen))
			return -1;
	return 0;
}

static int matches(const struct json_value *e, const char *ph, const char *name, long pid)
{
	const char *p = trace_str(e, "ph"), *n = trace_str(e, "name");

	return p && !strcmp(p, ph) && (!name || (n && !strcmp(n, name))) &&
	       (pid < 0 || trace_num(e, "pid") == (double)pid);
}

size_t trace_count(const struct json_value *evs, const char *ph, const char *name, long pid)
{
	size_t i, n = 0;

	for (i = 0; i < json_value__len(evs); i++)
		n += matches(json_value__at(evs, i), ph, name, pid);
	return n;
}

const struct json_value *trace_nth(const struct json_value *evs, const char *ph, const char *name,
				   long pid, size_t n)
{
	size_t i;

	for (i = 0; i < json_value__len(evs); i++)
		if (matches(json_value__at(evs, i), ph, name, pid) && n-- == 0)
			return json_value__at(evs, i);
	return NULL;
}

const struct json_value *trace_meta(const struct json_value *evs, const char *name, long pid,
				    long tid)
{
	size_t i;

	for (i = 0; i < json_value__len(evs); i++) {
		const struct json_value *e = json_value__at(evs, i);

		if (matches(e, "M", name, pid) && trace_num(e, "tid") == (double)tid)
			return json_value__member(e, "args");
	}
	return NULL;
}
