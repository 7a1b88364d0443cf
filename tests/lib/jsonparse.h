/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict RFC 8259 JSON parser for tests: it checks what benchtrace
 * writes, so it accepts nothing a conforming reader might reject.  Refused:
 * NaN and Infinity, trailing commas, leading zeros, "+1", ".5", "1.",
 * control characters and invalid UTF-8 in strings, lone surrogates,
 * duplicate keys in an object, anything after the top-level value, and
 * nesting deeper than JV_MAX_DEPTH.
 *
 * Independent of user/out.c on purpose: a test that parsed the writer's
 * output with the writer's own rules would prove nothing.
 */
#ifndef BT_JSONPARSE_H
#define BT_JSONPARSE_H

#include <stdbool.h>
#include <stddef.h>

#define JV_MAX_DEPTH 64

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	bool b;
	double num;	  /* JV_NUM: the value, via strtod */
	char *text;	  /* JV_NUM: the number as written; JV_STR: decoded UTF-8, NUL-terminated */
	size_t len;	  /* JV_STR: bytes in text (a string may hold \u0000) */
	struct jv *items; /* JV_ARR: elements; JV_OBJ: values */
	char **keys;	  /* JV_OBJ: decoded keys */
	size_t n;
};

/* NULL on error with "offset N: what" in err. */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
struct jv *jv_parse_file(const char *path, char *err, size_t errlen);
void jv_free(struct jv *v);

/* The member's value; NULL if v is not an object or has no such key. */
const struct jv *jv_get(const struct jv *v, const char *key);
/* The member's string (NULL unless a JV_STR) and number (NAN unless a JV_NUM). */
const char *jv_str(const struct jv *v, const char *key);
double jv_num(const struct jv *v, const char *key);

/*
 * A JSON number written with at most @decimals decimals, scaled by
 * 10^decimals, exactly: "1234.567" with 3 -> 1234567.  For comparing
 * microsecond timestamps with nanosecond inputs without rounding.
 * 0, or -1 if the text is not such a non-negative number.
 */
int jv_fixed(const struct jv *v, unsigned int decimals, unsigned long long *out);

#endif /* BT_JSONPARSE_H */
