// SPDX-License-Identifier: GPL-2.0
/* The JSON writer (json.h) on top of an out stream, with escape.c's strings. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rundir/escape.h"
#include "rundir/json.h"
#include "rundir/out.h"


static void json_misuse(struct out *o)
{
	out__set_error(o, EINVAL);
}

/* Whether a container opened at this depth (1: top level) is on one line. */
static bool json_flat(struct out *o, int depth)
{
	struct out_json *j = out__json(o);

	return j->flat_depth && depth > j->flat_depth;
}

static void json_newline(struct out *o)
{
	struct out_json *j = out__json(o);
	static const char spaces[] = "                                ";
	size_t n = (size_t)j->depth * 2;

	if (json_flat(o, j->depth))
		return;
	out__putc(o, '\n');
	while (n) {
		size_t chunk = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		out__write(o, spaces, chunk);
		n -= chunk;
	}
}

/* Commas, indentation and the key/value discipline before any value. */
static bool json_before_value(struct out *o)
{
	struct out_json *j = out__json(o);
	int d = j->depth - 1;

	if (out__error(o))
		return false;
	if (j->depth == 0)
		return true;
	if (j->is_object[d]) {
		if (!j->have_key) {
			json_misuse(o);
			return false;
		}
		j->have_key = false;
		return true;
	}
	if (j->has_items[d])
		out__putc(o, ',');
	j->has_items[d] = true;
	json_newline(o);
	return true;
}

static void json_after_value(struct out *o)
{
	struct out_json *j = out__json(o);

	if (j->depth == 0)
		out__putc(o, '\n');
}

static void json_begin(struct out *o, bool object)
{
	struct out_json *j = out__json(o);

	if (!json_before_value(o))
		return;
	if (j->depth >= JSON_MAX_DEPTH) {
		json_misuse(o);
		return;
	}
	out__putc(o, object ? '{' : '[');
	j->is_object[j->depth] = object;
	j->has_items[j->depth] = false;
	j->depth++;
}

static void json_end(struct out *o, bool object)
{
	struct out_json *j = out__json(o);
	int d = j->depth - 1;

	if (out__error(o))
		return;
	if (j->depth == 0 || j->is_object[d] != object || j->have_key) {
		json_misuse(o);
		return;
	}
	j->depth--;
	if (j->has_items[d] && !json_flat(o, d + 1))
		json_newline(o);
	out__putc(o, object ? '}' : ']');
	json_after_value(o);
}

void json__begin_object(struct out *o)
{
	json_begin(o, true);
}

void json__end_object(struct out *o)
{
	json_end(o, true);
}

void json__begin_array(struct out *o)
{
	json_begin(o, false);
}

void json__end_array(struct out *o)
{
	json_end(o, false);
}

void json__key(struct out *o, const char *name)
{
	struct out_json *j = out__json(o);
	int d = j->depth - 1;

	if (out__error(o))
		return;
	if (j->depth == 0 || !j->is_object[d] || j->have_key || !name) {
		json_misuse(o);
		return;
	}
	if (j->has_items[d])
		out__putc(o, ',');
	j->has_items[d] = true;
	json_newline(o);
	out__json_quoted(o, name, strlen(name));
	if (json_flat(o, j->depth))
		out__putc(o, ':');
	else
		out__write(o, ": ", 2);
	j->have_key = true;
}

void json__strn(struct out *o, const char *s, size_t len)
{
	if (!s) {
		json__null(o);
		return;
	}
	if (!json_before_value(o))
		return;
	out__json_quoted(o, s, len);
	json_after_value(o);
}

void json__str(struct out *o, const char *s)
{
	json__strn(o, s, s ? strlen(s) : 0);
}

static void json_literal(struct out *o, const char *text)
{
	if (!json_before_value(o))
		return;
	out__puts(o, text);
	json_after_value(o);
}

void json__null(struct out *o)
{
	json_literal(o, "null");
}

void json__bool(struct out *o, bool v)
{
	json_literal(o, v ? "true" : "false");
}

void json__u64(struct out *o, __u64 v)
{
	if (!json_before_value(o))
		return;
	out__u64(o, v);
	json_after_value(o);
}

void json__s64(struct out *o, __s64 v)
{
	if (!json_before_value(o))
		return;
	out__s64(o, v);
	json_after_value(o);
}

void json__flat_below(struct out *o, int depth)
{
	struct out_json *j = out__json(o);

	j->flat_depth = depth > 0 ? depth : 0;
}

void json__fixed(struct out *o, __u64 value, unsigned int scale, unsigned int decimals)
{
	if (!json_before_value(o))
		return;
	out__fixed(o, value, scale, decimals);
	json_after_value(o);
}

void json__double(struct out *o, double v)
{
	char buf[32];
	int prec;

	if (!isfinite(v)) {
		json__null(o); /* JSON has no NaN or Infinity */
		return;
	}
	/* %g with 17 digits always reads back; stop at the first that does. */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	json_literal(o, buf);
}
