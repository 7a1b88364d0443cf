// SPDX-License-Identifier: GPL-2.0
/*
 * A small defensive JSON reader (RFC 8259) for meta.json, and for the tests
 * that check what benchtrace writes: the whole document is parsed into a
 * tree, with bounds on input size and nesting depth so a planted file cannot
 * exhaust memory or the stack.  Errors name the file and line:
 * "run/meta.json:12: expected ',' or '}' in an object".
 *
 * Refused always: anything RFC 8259 does not allow (NaN, trailing commas,
 * leading zeros, "+1", ".5", "1.", control characters in strings, text after
 * the value), NUL bytes, and duplicate keys in an object (readers disagree
 * on which one counts, and benchtrace never writes them).
 *
 * Strings are decoded (escapes, surrogate pairs) to NUL-terminated UTF-8; a
 * "\u0000" escape becomes U+FFFD, so C strings are never cut short, and so
 * does a lone surrogate unless the reading is strict.  Numbers keep their
 * text and a double.
 */
#ifndef BT_JSONREAD_H
#define BT_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>

#define JSONREAD_MAX_BYTES (16U << 20) /* meta.json is a few KiB */
#define JSONREAD_MAX_DEPTH 64

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_doc;
struct json_value;

/* How to read; NULL stands for all defaults (zeroes). */
struct json_opts {
	/*
	 * Refuse also what a conforming reader may refuse: invalid UTF-8 and
	 * lone surrogates in strings, numbers beyond a double's range, a byte
	 * order mark.  For checking what benchtrace writes.
	 */
	bool strict;
	size_t max_bytes; /* 0: JSONREAD_MAX_BYTES */
};

/*
 * Parse text[0..len) (need not be NUL-terminated); name is used in messages.
 * NULL on error with "NAME:LINE: what" in err.
 */
struct json_doc *json_doc__parse(const char *text, size_t len, const char *name,
				 const struct json_opts *opts, char *err, size_t errlen);
/* Read and parse a file: refuses symlinks and non-regular files (safefile.h). */
struct json_doc *json_doc__load(const char *path, const struct json_opts *opts, char *err,
				size_t errlen);
void json_doc__free(struct json_doc *doc);
const struct json_value *json_doc__root(const struct json_doc *doc);

/* All accessors accept NULL and then return "nothing" (NULL, 0, false). */
enum json_type json_value__type(const struct json_value *v);
/* Members and elements: count, and the i-th (NULL out of range). */
size_t json_value__len(const struct json_value *v);
const struct json_value *json_value__at(const struct json_value *v, size_t i);
const char *json_value__key_at(const struct json_value *v, size_t i);
/* The member with this key of an object; NULL if none or not an object. */
const struct json_value *json_value__member(const struct json_value *v, const char *key);
/* Dotted path of object members: "target.executable". */
const struct json_value *json_value__path(const struct json_value *v, const char *path);
/* The string, or NULL if v is not a string. */
const char *json_value__str(const struct json_value *v);
/* 0 and the number, or -1 if v is not a number. */
int json_value__num(const struct json_value *v, double *out);
/* A number's text as written ("0.500"), or NULL if v is not a number. */
const char *json_value__text(const struct json_value *v);
/* 0 and the value if v is an integer in range (no fraction, no exponent), else -1. */
int json_value__u64(const struct json_value *v, unsigned long long *out);
/* 0 and the value, or -1 if v is not true or false. */
int json_value__bool(const struct json_value *v, bool *out);

#endif /* BT_JSONREAD_H */
