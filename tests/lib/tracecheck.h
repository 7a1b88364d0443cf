/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a trace.json must be for Chrome's JSON trace format and Perfetto's
 * importer, checked on the file as user/rundir/jsonread.h reads it strictly.  No
 * cmocka here, so any test or tool can link it.
 */
#ifndef BT_TRACECHECK_H
#define BT_TRACECHECK_H

#include <stddef.h>

struct json_doc;
struct json_value;

/*
 * Read and parse @path strictly (struct json_opts.strict, no size bound
 * but memory): NULL with the reason in err.
 */
struct json_doc *trace_load(const char *path, char *err, size_t errlen);
struct json_doc *trace_parse(const char *text, char *err, size_t errlen);

/*
 * An object whose first key is displayTimeUnit "ms" (Perfetto reads it only
 * at the start), with a traceEvents array and a metadata object; every
 * event an object with ph one of X C i M, "ts" as its second key (where
 * Perfetto's tokenizer looks first), finite non-negative ts, positive pid
 * and tid, a name and an args object; X events a finite dur and cat
 * "call"; C events exactly one numeric series; i events scope "p".
 * 0, or -1 with what is wrong (and which event) in err.
 */
int trace_check(const struct json_value *root, char *err, size_t errlen);

/* The member KEY's string (NULL unless a string) and number (NAN unless a number). */
const char *trace_str(const struct json_value *v, const char *key);
double trace_num(const struct json_value *v, const char *key);

/* The traceEvents array (NULL if none). */
const struct json_value *trace_events(const struct json_value *root);
/* Events with phase ph (and name, and pid, when not NULL / not -1). */
size_t trace_count(const struct json_value *evs, const char *ph, const char *name, long pid);
/* The n-th such event (0-based), or NULL. */
const struct json_value *trace_nth(const struct json_value *evs, const char *ph, const char *name,
				   long pid, size_t n);
/* args of the M event NAME for pid/tid, or NULL. */
const struct json_value *trace_meta(const struct json_value *evs, const char *name, long pid,
				    long tid);

#endif /* BT_TRACECHECK_H */
