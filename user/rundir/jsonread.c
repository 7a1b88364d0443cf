// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rundir/jsonread.h"
#include "rundir/safefile.h"
#include "util/log.h"
#include "util/parse.h"

struct json_value {
	enum json_type type;
	bool b;
	double num;
	char *str; /* string value, or a number's text */
	size_t n, cap;
	char **keys; /* objects: n keys */
	struct json_value *items;
};

struct json_doc {
	struct json_value root;
};

struct jparser {
	const char *s, *end;
	const char *name;
	unsigned long line;
	char *err;
	size_t errlen;
	bool strict;
	bool failed;
};

static void __attribute__((format(printf, 2, 3))) jerror(struct jparser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_error_at(p->err, p->errlen, &p->failed, p->name, p->line, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct jparser *p)
{
	while (p->s < p->end) {
		char c = *p->s;

		if (c == '\n')
			p->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			return;
		p->s++;
	}
}

static void value_free(struct json_value *v)
{
	size_t i;

	free(v->str);
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		value_free(&v->items[i]);
	}
	free(v->keys);
	free(v->items);
}

static void put_utf8(char *dst, size_t *n, unsigned int cp)
{
	if (cp < 0x80) {
		dst[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		dst[(*n)++] = (char)(0xc0 | cp >> 6);
		dst[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		dst[(*n)++] = (char)(0xe0 | cp >> 12);
		dst[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		dst[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		dst[(*n)++] = (char)(0xf0 | cp >> 18);
		dst[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		dst[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		dst[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(const char *s, const char *end)
{
	int v = 0, i;

	if (end - s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode table 3-7: no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0.  Not out.c's
 * check on purpose: tests read what out.c writes with this reader.
 */
static size_t utf8_len(const unsigned char *s, const unsigned char *end)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (end - s < (ptrdiff_t)need || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need;
}

/* At the opening quote; returns a malloc'ed decoded string. */
static char *parse_string(struct jparser *p)
{
	const char *s = p->s + 1, *q;
	size_t n = 0;
	char *out;

	/* Decoded text is never longer than the source (\uXXXX: 6 bytes -> at most 4). */
	for (q = s; q < p->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < p->end)
			q++;
	if (q >= p->end) {
		jerror(p, "unterminated string");
		return NULL;
	}
	out = malloc((size_t)(q - s) + 1);
	if (!out) {
		jerror(p, "out of memory");
		return NULL;
	}
	while (s < q) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20) {
			jerror(p, "control character in a string (escape it)");
			free(out);
			return NULL;
		}
		if (c >= 0x80 && p->strict) {
			size_t len = utf8_len((const unsigned char *)s, (const unsigned char *)q);

			if (!len) {
				jerror(p, "invalid UTF-8 in a string");
				free(out);
				return NULL;
			}
			memcpy(out + n, s, len);
			n += len;
			s += len;
			continue;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			out[n++] = *s++;
			break;
		case 'b':
			out[n++] = '\b', s++;
			break;
		case 'f':
			out[n++] = '\f', s++;
			break;
		case 'n':
			out[n++] = '\n', s++;
			break;
		case 'r':
			out[n++] = '\r', s++;
			break;
		case 't':
			out[n++] = '\t', s++;
			break;
		case 'u': {
			int cp = hex4(s + 1, q), lo;

			if (cp < 0) {
				jerror(p, "bad \\u escape in a string");
				free(out);
				return NULL;
			}
			s += 5;
			if (cp >= 0xd800 && cp < 0xdc00 && q - s >= 6 && s[0] == '\\' &&
			    s[1] == 'u' && (lo = hex4(s + 2, q)) >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				if (p->strict) {
					jerror(p, "lone surrogate \\u%04x in a string", cp);
					free(out);
					return NULL;
				}
				cp = 0xfffd;
			}
			if (cp == 0)
				cp = 0xfffd; /* keep C strings whole */
			put_utf8(out, &n, (unsigned int)cp);
			break;
		}
		default:
			jerror(p, "bad escape '\\%c' in a string", *s >= 0x20 ? *s : '?');
			free(out);
			return NULL;
		}
	}
	out[n] = '\0';
	p->s = q + 1;
	return out;
}

static bool parse_number(struct jparser *p, struct json_value *v)
{
	const char *s = p->s, *start = s;
	char *end;

	if (s < p->end && *s == '-')
		s++;
	if (s < p->end && *s == '0') {
		s++;
	} else if (s < p->end && *s >= '1' && *s <= '9') {
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	} else {
		jerror(p, "unexpected character '%c'",
		       *start >= 0x20 && *start < 0x7f ? *start : '?');
		return false;
	}
	if (s < p->end && *s == '.') {
		s++;
		if (s >= p->end || *s < '0' || *s > '9') {
			jerror(p, "bad number (digit expected after '.')");
			return false;
		}
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < p->end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < p->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= p->end || *s < '0' || *s > '9') {
			jerror(p, "bad number (digit expected in the exponent)");
			return false;
		}
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	}
	v->type = JSON_NUMBER;
	v->str = strndup(start, (size_t)(s - start));
	if (!v->str) {
		jerror(p, "out of memory");
		return false;
	}
	v->num = strtod(v->str, &end);
	if (p->strict && !isfinite(v->num)) {
		jerror(p, "number out of range: %.40s", v->str);
		return false;
	}
	p->s = s;
	return true;
}

static bool literal(struct jparser *p, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n)) {
		jerror(p, "unexpected text (expected a value)");
		return false;
	}
	p->s += n;
	return true;
}

static bool add_item(struct jparser *p, struct json_value *v, char *key)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		struct json_value *items = realloc(v->items, cap * sizeof(*items));

		if (!items)
			goto oom;
		v->items = items;
		if (v->type == JSON_OBJECT) {
			char **keys = realloc(v->keys, cap * sizeof(*keys));

			if (!keys)
				goto oom;
			v->keys = keys;
		}
		v->cap = cap;
	}
	memset(&v->items[v->n], 0, sizeof(v->items[v->n]));
	if (v->type == JSON_OBJECT)
		v->keys[v->n] = key;
	v->n++;
	return true;
oom:
	free(key);
	jerror(p, "out of memory");
	return false;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Sorted copies: a planted object with a million keys costs n log n, not n^2. */
static bool keys_unique(struct jparser *p, const struct json_value *v)
{
	char **keys;
	size_t i;

	if (v->n < 2)
		return true;
	keys = malloc(v->n * sizeof(*keys));
	if (!keys) {
		jerror(p, "out of memory");
		return false;
	}
	memcpy(keys, v->keys, v->n * sizeof(*keys));
	qsort(keys, v->n, sizeof(*keys), key_cmp);
	for (i = 1; i < v->n && strcmp(keys[i - 1], keys[i]); i++)
		;
	if (i < v->n && printable(keys[i]))
		jerror(p, "duplicate key \"%.40s\" in the object that ends here", keys[i]);
	else if (i < v->n)
		jerror(p, "duplicate key in the object that ends here");
	free(keys);
	return i >= v->n;
}

static bool parse_value(struct jparser *p, struct json_value *v, int depth);

static bool parse_container(struct jparser *p, struct json_value *v, int depth)
{
	bool obj = *p->s == '{';
	char close = obj ? '}' : ']';

	if (depth >= JSONREAD_MAX_DEPTH) {
		jerror(p, "nested deeper than %d levels", JSONREAD_MAX_DEPTH);
		return false;
	}
	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return true;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(p);
		if (obj) {
			if (p->s >= p->end || *p->s != '"') {
				jerror(p, "expected a string key in an object");
				return false;
			}
			key = parse_string(p);
			if (!key)
				return false;
			skip_ws(p);
			if (p->s >= p->end || *p->s != ':') {
				free(key);
				jerror(p, "expected ':' after an object key");
				return false;
			}
			p->s++;
		}
		if (!add_item(p, v, key))
			return false;
		if (!parse_value(p, &v->items[v->n - 1], depth + 1))
			return false;
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			return !obj || keys_unique(p, v);
		}
		if (p->s >= p->end)
			jerror(p, "unexpected end of input (cut off?)");
		else
			jerror(p, "expected ',' or '%c' in %s", close,
			       obj ? "an object" : "an array");
		return false;
	}
}

static bool parse_value(struct jparser *p, struct json_value *v, int depth)
{
	skip_ws(p);
	if (p->s >= p->end) {
		jerror(p, "unexpected end of input (cut off?)");
		return false;
	}
	switch (*p->s) {
	case '{':
	case '[':
		return parse_container(p, v, depth);
	case '"':
		v->type = JSON_STRING;
		v->str = parse_string(p);
		return v->str != NULL;
	case 't':
		v->type = JSON_BOOL;
		v->b = true;
		return literal(p, "true");
	case 'f':
		v->type = JSON_BOOL;
		return literal(p, "false");
	case 'n':
		v->type = JSON_NULL;
		return literal(p, "null");
	default:
		return parse_number(p, v);
	}
}

static size_t max_bytes(const struct json_opts *opts)
{
	return opts && opts->max_bytes ? opts->max_bytes : JSONREAD_MAX_BYTES;
}

struct json_doc *json_doc__parse(const char *text, size_t len, const char *name,
				 const struct json_opts *opts, char *err, size_t errlen)
{
	struct jparser p = {
	    .s = text,
	    .end = text + len,
	    .name = name ? name : "json",
	    .line = 1,
	    .err = err,
	    .errlen = errlen,
	    .strict = opts && opts->strict,
	};
	struct json_doc *doc;

	if (len > max_bytes(opts)) {
		jerror(&p, "more than %zu bytes", max_bytes(opts));
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		p.line = 1;
		jerror(&p, "NUL byte (not a JSON text file?)");
		return NULL;
	}
	doc = calloc(1, sizeof(*doc));
	if (!doc) {
		jerror(&p, "out of memory");
		return NULL;
	}
	/* RFC 8259: a reader may ignore a byte order mark; a writer must not add one. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 && !p.strict)
		p.s += 3;
	if (parse_value(&p, &doc->root, 0)) {
		skip_ws(&p);
		if (p.s < p.end)
			jerror(&p, "text after the end of the JSON value");
	}
	if (p.failed) {
		json_doc__free(doc);
		return NULL;
	}
	return doc;
}

struct json_doc *json_doc__load(const char *path, const struct json_opts *opts, char *err,
				size_t errlen)
{
	struct json_doc *doc;
	char *buf;
	size_t len;

	/* SIZE_MAX: as large as memory allows (safefile's 0) */
	if (safefile__read(path, 0, max_bytes(opts) > INT64_MAX ? 0 : (off_t)max_bytes(opts), &buf,
			   &len, err, errlen))
		return NULL;
	doc = json_doc__parse(buf, len, path, opts, err, errlen);
	free(buf);
	return doc;
}

void json_doc__free(struct json_doc *doc)
{
	if (!doc)
		return;
	value_free(&doc->root);
	free(doc);
}

const struct json_value *json_doc__root(const struct json_doc *doc)
{
	return doc ? &doc->root : NULL;
}

enum json_type json_value__type(const struct json_value *v)
{
	return v ? v->type : JSON_NULL;
}

size_t json_value__len(const struct json_value *v)
{
	return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) ? v->n : 0;
}

const struct json_value *json_value__at(const struct json_value *v, size_t i)
{
	return i < json_value__len(v) ? &v->items[i] : NULL;
}

const char *json_value__key_at(const struct json_value *v, size_t i)
{
	return v && v->type == JSON_OBJECT && i < v->n ? v->keys[i] : NULL;
}

const struct json_value *json_value__member(const struct json_value *v, const char *key)
{
	size_t i;

	if (!v || v->type != JSON_OBJECT || !key)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

const struct json_value *json_value__path(const struct json_value *v, const char *path)
{
	char key[128];

	while (v && path && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_value__member(v, key);
		path = dot ? dot + 1 : NULL;
	}
	return v;
}

const char *json_value__str(const struct json_value *v)
{
	return v && v->type == JSON_STRING ? v->str : NULL;
}

int json_value__num(const struct json_value *v, double *out)
{
	if (!v || v->type != JSON_NUMBER)
		return -1;
	*out = v->num;
	return 0;
}

const char *json_value__text(const struct json_value *v)
{
	return v && v->type == JSON_NUMBER ? v->str : NULL;
}

int json_value__u64(const struct json_value *v, unsigned long long *out)
{
	__u64 x;

	if (!v || v->type != JSON_NUMBER || parse_u64(v->str, 0, UINT64_MAX, &x))
		return -1;
	*out = x;
	return 0;
}

int json_value__bool(const struct json_value *v, bool *out)
{
	if (!v || v->type != JSON_BOOL)
		return -1;
	*out = v->b;
	return 0;
}
