/* SPDX-License-Identifier: GPL-2.0 */
/* JSON documents (meta.json, trace.json) written to an out stream (json.c). */
#ifndef BT_JSON_H
#define BT_JSON_H

#include <stdbool.h>
#include <linux/types.h>

struct out;

/*
 * JSON writer: pretty-printed, 2-space indent, commas and nesting handled.
 * Inside an object, call json__key() before each value.  Misuse (a value
 * without a key, a key in an array, unbalanced ends, nesting deeper than
 * JSON_MAX_DEPTH) sets the sticky error -EINVAL.  Each complete top-level
 * value is followed by a newline.  Strings are escaped per RFC 8259 with
 * invalid UTF-8 replaced, so the output is always valid JSON.
 */
void json__begin_object(struct out *o);
void json__end_object(struct out *o);
void json__begin_array(struct out *o);
void json__end_array(struct out *o);
void json__key(struct out *o, const char *name);
void json__str(struct out *o, const char *s); /* NULL writes null */
void json__strn(struct out *o, const char *s, size_t len);
void json__u64(struct out *o, __u64 v);
void json__s64(struct out *o, __s64 v);
/* A number in out__fixed()'s form: json__fixed(o, 1234567, 3, 3) writes 1234.567. */
void json__fixed(struct out *o, __u64 value, unsigned int scale, unsigned int decimals);
/*
 * Containers nested deeper than depth (the top-level value is depth 1) are
 * written on one line, without spaces: trace.json puts each of its possibly
 * millions of events on one line instead of twenty.  0 (the default): none.
 */
void json__flat_below(struct out *o, int depth);
/* Shortest form that reads back to the same double; NaN and inf become null. */
void json__double(struct out *o, double v);
void json__bool(struct out *o, bool v);
void json__null(struct out *o);

#endif /* BT_JSON_H */
