// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonparse.h"

struct jp {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	bool failed;
};

static bool __attribute__((format(printf, 2, 3))) jp_fail(struct jp *p, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (p->failed)
		return false;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "offset %zu: %s", p->pos, msg);
	return false;
}

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int peek(struct jp *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

struct buf {
	char *d;
	size_t n, cap;
};

static bool buf_put(struct buf *b, const char *src, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		char *d;

		while (cap < b->n + n + 1)
			cap *= 2;
		d = realloc(b->d, cap);
		if (!d)
			return false;
		b->d = d;
		b->cap = cap;
	}
	memcpy(b->d + b->n, src, n);
	b->n += n;
	b->d[b->n] = '\0';
	return true;
}

static size_t utf8_encode(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Length of the well-formed UTF-8 sequence at s (Unicode table 3-7), or 0. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < need + 1)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need + 1;
}

static bool hex4(struct jp *p, unsigned int *cp)
{
	unsigned int v = 0;
	int i;

	if (p->pos + 4 > p->len)
		return jp_fail(p, "short \\u escape");
	for (i = 0; i < 4; i++) {
		char c = p->s[p->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return jp_fail(p, "bad \\u escape");
	}
	p->pos += 4;
	*cp = v;
	return true;
}

/* At the opening quote; decoded into b. */
static bool parse_string(struct jp *p, struct buf *b)
{
	char enc[4];

	p->pos++;
	if (!buf_put(b, "", 0))
		return jp_fail(p, "out of memory");
	for (;;) {
		int c = peek(p);
		size_t n;

		if (c < 0)
			return jp_fail(p, "unterminated string");
		if (c == '"') {
			p->pos++;
			return true;
		}
		if (c < 0x20)
			return jp_fail(p, "control character 0x%02x in a string", c);
		if (c == '\\') {
			unsigned int cp, lo;
			char e;

			p->pos++;
			if (p->pos >= p->len)
				return jp_fail(p, "unterminated escape");
			e = p->s[p->pos++];
			switch (e) {
			case '"':
			case '\\':
			case '/':
				enc[0] = e;
				n = 1;
				break;
			case 'b':
				enc[0] = '\b';
				n = 1;
				break;
			case 'f':
				enc[0] = '\f';
				n = 1;
				break;
			case 'n':
				enc[0] = '\n';
				n = 1;
				break;
			case 'r':
				enc[0] = '\r';
				n = 1;
				break;
			case 't':
				enc[0] = '\t';
				n = 1;
				break;
			case 'u':
				if (!hex4(p, &cp))
					return false;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return jp_fail(p, "lone low surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (p->pos + 2 > p->len || p->s[p->pos] != '\\' ||
					    p->s[p->pos + 1] != 'u')
						return jp_fail(p, "lone high surrogate");
					p->pos += 2;
					if (!hex4(p, &lo))
						return false;
					if (lo < 0xdc00 || lo > 0xdfff)
						return jp_fail(p, "bad surrogate pair");
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				n = utf8_encode(cp, enc);
				break;
			default:
				return jp_fail(p, "bad escape '\\%c'", e);
			}
			if (!buf_put(b, enc, n))
				return jp_fail(p, "out of memory");
			continue;
		}
		n = utf8_valid((const unsigned char *)p->s + p->pos, p->len - p->pos);
		if (!n)
			return jp_fail(p, "invalid UTF-8 in a string");
		if (!buf_put(b, p->s + p->pos, n))
			return jp_fail(p, "out of memory");
		p->pos += n;
	}
}

static bool digits(struct jp *p)
{
	size_t start = p->pos;

	while (peek(p) >= '0' && peek(p) <= '9')
		p->pos++;
	return p->pos > start;
}

static bool parse_number(struct jp *p, struct jv *v)
{
	size_t start = p->pos;
	char *end;

	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (peek(p) >= '0' && peek(p) <= '9')
			return jp_fail(p, "leading zero");
	} else if (!digits(p)) {
		return jp_fail(p, "bad number");
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!digits(p))
			return jp_fail(p, "no digit after '.'");
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!digits(p))
			return jp_fail(p, "bad exponent");
	}
	v->type = JV_NUM;
	v->text = strndup(p->s + start, p->pos - start);
	if (!v->text)
		return jp_fail(p, "out of memory");
	v->num = strtod(v->text, &end);
	if (*end || !isfinite(v->num))
		return jp_fail(p, "number out of range");
	return true;
}

static bool literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return jp_fail(p, "unexpected character '%c'", p->s[p->pos]);
	p->pos += n;
	return true;
}

static bool push_item(struct jp *p, struct jv *v, char *key)
{
	struct jv *items = realloc(v->items, (v->n + 1) * sizeof(*items));

	if (!items)
		return jp_fail(p, "out of memory");
	v->items = items;
	memset(&v->items[v->n], 0, sizeof(*v->items));
	if (v->type == JV_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));

		if (!keys)
			return jp_fail(p, "out of memory");
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->n++;
	return true;
}

static bool parse_value(struct jp *p, struct jv *v, int depth)
{
	int c;

	skip_ws(p);
	c = peek(p);
	if (c < 0)
		return jp_fail(p, "unexpected end of input");
	if (depth > JV_MAX_DEPTH)
		return jp_fail(p, "nested deeper than %d", JV_MAX_DEPTH);
	switch (c) {
	case '{':
	case '[':
		v->type = c == '{' ? JV_OBJ : JV_ARR;
		p->pos++;
		skip_ws(p);
		if (peek(p) == (c == '{' ? '}' : ']')) {
			p->pos++;
			return true;
		}
		for (;;) {
			char *key = NULL;

			skip_ws(p);
			if (v->type == JV_OBJ) {
				struct buf b = {};
				size_t i;

				if (peek(p) != '"')
					return jp_fail(p, "expected a key");
				if (!parse_string(p, &b)) {
					free(b.d);
					return false;
				}
				for (i = 0; i < v->n; i++)
					if (!strcmp(v->keys[i], b.d)) {
						free(b.d);
						return jp_fail(p, "duplicate key \"%s\"",
							       v->keys[i]);
					}
				key = b.d;
				skip_ws(p);
				if (peek(p) != ':') {
					free(key);
					return jp_fail(p, "expected ':'");
				}
				p->pos++;
			}
			if (!push_item(p, v, key)) {
				free(key);
				return false;
			}
			if (!parse_value(p, &v->items[v->n - 1], depth + 1))
				return false;
			skip_ws(p);
			c = peek(p);
			if (c == ',') {
				p->pos++;
				skip_ws(p);
				if (peek(p) == '}' || peek(p) == ']')
					return jp_fail(p, "trailing comma");
				continue;
			}
			if (c == (v->type == JV_OBJ ? '}' : ']')) {
				p->pos++;
				return true;
			}
			return jp_fail(p, "expected ',' or the end of the %s",
				       v->type == JV_OBJ ? "object" : "array");
		}
	case '"': {
		struct buf b = {};

		v->type = JV_STR;
		if (!parse_string(p, &b)) {
			free(b.d);
			return false;
		}
		v->text = b.d;
		v->len = b.n;
		return true;
	}
	case 't':
		v->type = JV_BOOL;
		v->b = true;
		return literal(p, "true");
	case 'f':
		v->type = JV_BOOL;
		return literal(p, "false");
	case 'n':
		v->type = JV_NULL;
		return literal(p, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p, v);
		return jp_fail(p, "unexpected character '%c'", c);
	}
}

static void jv_clear(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	jv_clear(v);
	free(v);
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct jp p = {.s = text, .len = len, .err = err, .errlen = errlen};
	struct jv *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&p, v, 1)) {
		skip_ws(&p);
		if (p.pos != p.len)
			jp_fail(&p, "text after the top-level value");
	}
	if (p.failed) {
		jv_free(v);
		return NULL;
	}
	return v;
}

struct jv *jv_parse_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	struct jv *v;
	char *text;
	long n;

	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "cannot read %s", path);
		fclose(f);
		return NULL;
	}
	text = malloc(n + 1);
	if (!text || fread(text, 1, n, f) != (size_t)n) {
		snprintf(err, errlen, "cannot read %s", path);
		free(text);
		fclose(f);
		return NULL;
	}
	fclose(f);
	v = jv_parse(text, n, err, errlen);
	free(text);
	return v;
}

const struct jv *jv_get(const struct jv *v, const char *key)
{
	size_t i;

	if (!v || v->type != JV_OBJ)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const char *jv_str(const struct jv *v, const char *key)
{
	const struct jv *m = jv_get(v, key);

	return m && m->type == JV_STR ? m->text : NULL;
}

double jv_num(const struct jv *v, const char *key)
{
	const struct jv *m = jv_get(v, key);

	return m && m->type == JV_NUM ? m->num : NAN;
}

int jv_fixed(const struct jv *v, unsigned int decimals, unsigned long long *out)
{
	unsigned long long r = 0;
	unsigned int seen = 0;
	bool frac = false;
	const char *s;

	if (!v || v->type != JV_NUM)
		return -1;
	for (s = v->text; *s; s++) {
		if (*s == '.' && !frac) {
			frac = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (frac && ++seen > decimals)
			return -1;
		if (r > (ULLONG_MAX - 9) / 10)
			return -1;
		r = r * 10 + (*s - '0');
	}
	for (; seen < decimals; seen++) {
		if (r > ULLONG_MAX / 10)
			return -1;
		r *= 10;
	}
	*out = r;
	return 0;
}
