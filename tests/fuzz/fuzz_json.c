// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON reader (user/rundir/jsonread.c): meta.json of a run directory, read
 * as root by `benchtrace report`.  The whole tree is walked through the
 * accessors after a successful parse.
 *
 * Input: one flag byte (0x01: strict; 0x02: a 64-byte max_bytes), then the
 * text, which is handed over without a terminating NUL so that a read past
 * its end is caught.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rundir/jsonread.h"

static volatile double sink;

static void walk(const struct json_value *v, int depth)
{
	unsigned long long u;
	const char *k;
	double d;
	bool b;
	size_t i, n;

	if (depth > JSONREAD_MAX_DEPTH + 1)
		abort();
	switch (json_value__type(v)) {
	case JSON_NULL:
		break;
	case JSON_BOOL:
		if (json_value__bool(v, &b))
			abort();
		break;
	case JSON_NUMBER:
		if (json_value__num(v, &d) || !json_value__text(v))
			abort();
		sink += d + strlen(json_value__text(v));
		if (!json_value__u64(v, &u))
			sink += (double)u;
		break;
	case JSON_STRING:
		if (!json_value__str(v))
			abort();
		sink += strlen(json_value__str(v));
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		n = json_value__len(v);
		for (i = 0; i < n; i++) {
			if (!json_value__at(v, i))
				abort();
			walk(json_value__at(v, i), depth + 1);
			k = json_value__key_at(v, i);
			if (json_value__type(v) == JSON_OBJECT) {
				/* keys are unique: the lookup finds this very member */
				if (!k || json_value__member(v, k) != json_value__at(v, i))
					abort();
				if (*k && strlen(k) < 128 && !strchr(k, '.') &&
				    json_value__path(v, k) != json_value__at(v, i))
					abort();
			} else if (k) {
				abort();
			}
		}
		if (json_value__at(v, n))
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_opts o = {0};
	struct json_doc *doc;
	char err[256] = "";
	char *text;

	if (!size)
		return 0;
	o.strict = data[0] & 0x01;
	if (data[0] & 0x02)
		o.max_bytes = 64;
	/* An exact-size copy: no NUL after it. */
	text = malloc(size - 1 ? size - 1 : 1);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	doc = json_doc__parse(text, size - 1, "meta.json", &o, err, sizeof(err));
	if (!doc) {
		if (strncmp(err, "meta.json:", 10))
			abort();
	} else {
		walk(json_doc__root(doc), 0);
		sink += json_value__path(json_doc__root(doc), "target.executable") != NULL;
		json_doc__free(doc);
	}
	free(text);
	return 0;
}
