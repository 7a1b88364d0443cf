// SPDX-License-Identifier: GPL-2.0
/*
 * Escaping names for CSV, JSON, HTML and terminals (out.h): the formats a
 * name from the traced program is written in.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rundir/escape.h"
#include "rundir/out.h"

/*
 * Escaping.  All three formats share one walk over the bytes that copies runs
 * of safe bytes in one go, replaces ill-formed UTF-8 and asks the format what
 * to do with each ASCII byte.
 */

struct sink {
	struct out *o; /* stream, or NULL to fill dst */
	char *dst;
	size_t len;    /* size of dst */
	size_t pos;    /* bytes the full result needs so far */
	size_t copied; /* bytes actually in dst */
	bool full;
	bool cut_text; /* a text run that does not fit is cut (between characters) */
};

static void sink_put(struct sink *k, const char *p, size_t n)
{
	if (k->o) {
		out__write(k->o, p, n);
		return;
	}
	if (!k->full && k->pos + n < k->len) {
		memcpy(k->dst + k->pos, p, n);
		k->copied = k->pos + n;
	} else {
		k->full = true; /* never resume after a piece that did not fit */
	}
	k->pos += n;
}

/* Text as it is (valid UTF-8): when cut_text, as much of it as fits. */
static void sink_text(struct sink *k, const char *p, size_t n)
{
	size_t room;

	if (k->o || !k->cut_text || k->full || k->pos + n < k->len) {
		sink_put(k, p, n);
		return;
	}
	room = k->len > k->pos ? k->len - k->pos - 1 : 0;
	/* back to the start of a character */
	while (room && room < n && ((unsigned char)p[room] & 0xc0) == 0x80)
		room--;
	if (room) {
		memcpy(k->dst + k->pos, p, room);
		k->copied = k->pos + room;
	}
	k->full = true;
	k->pos += n;
}

enum escape_mode {
	ESC_CSV,
	ESC_JSON,
	ESC_HTML,
	ESC_TERM,
	ESC_PROM,
};

static const char replacement_char[] = "\xef\xbf\xbd"; /* U+FFFD */

/*
 * Length of the well-formed UTF-8 sequence at s (2..4 bytes, lead >= 0x80),
 * or 0 with *bad set to the length of its maximal ill-formed subpart.
 */
static size_t utf8_seq_len(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return need;
}

/* NULL when c is written as it is; tmp holds at least 7 bytes. */
static const char *escape_ascii(enum escape_mode mode, unsigned char c, char *tmp)
{
	bool control = c < 0x20 || c == 0x7f;

	switch (mode) {
	case ESC_CSV:
		if (c == '"')
			return "\"\"";
		/* CR and LF too: each line of a benchtrace CSV file is one row */
		if (control && c != '\t')
			return replacement_char;
		return NULL;
	case ESC_HTML:
		switch (c) {
		case '&':
			return "&amp;";
		case '<':
			return "&lt;";
		case '>':
			return "&gt;";
		case '"':
			return "&quot;";
		case '\'':
			return "&#39;";
		}
		if (control && c != '\t' && c != '\n' && c != '\r')
			return replacement_char;
		return NULL;
	case ESC_JSON:
		switch (c) {
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '\b':
			return "\\b";
		case '\f':
			return "\\f";
		case '\n':
			return "\\n";
		case '\r':
			return "\\r";
		case '\t':
			return "\\t";
		}
		if (control) {
			snprintf(tmp, 7, "\\u%04x", c);
			return tmp;
		}
		return NULL;
	case ESC_PROM:
		switch (c) {
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '\n':
			return "\\n";
		}
		if (control && c != '\t')
			return replacement_char;
		return NULL;
	case ESC_TERM:
		if (control) {
			snprintf(tmp, 7, "\\x%02x", c);
			return tmp;
		}
		return NULL;
	}
	return NULL;
}

/*
 * Terminal: a well-formed character that still acts on the display -- a C1
 * control (U+0080..U+009F: 0x9b is CSI to many terminals) or a bidi
 * override or isolate that reorders the rest of the line -- as \uXXXX.
 */
static bool term_unsafe(const unsigned char *s, size_t len, char *tmp)
{
	unsigned int cp;

	if (len == 2)
		cp = (s[0] & 0x1fU) << 6 | (s[1] & 0x3fU);
	else if (len == 3)
		cp = (s[0] & 0x0fU) << 12 | (s[1] & 0x3fU) << 6 | (s[2] & 0x3fU);
	else
		return false;
	if (!(cp >= 0x80 && cp <= 0x9f) && !(cp >= 0x202a && cp <= 0x202e) &&
	    !(cp >= 0x2066 && cp <= 0x2069))
		return false;
	snprintf(tmp, 8, "\\u%04x", cp);
	return true;
}

static void escape_text(struct sink *k, const char *str, size_t n, enum escape_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0;
	char tmp[8];

	while (i < n) {
		const char *rep;
		size_t skip = 1;

		if (s[i] < 0x80) {
			rep = escape_ascii(mode, s[i], tmp);
		} else {
			size_t len = utf8_seq_len(s + i, n - i, &skip);

			if (len && !(mode == ESC_TERM && term_unsafe(s + i, len, tmp))) {
				i += len;
				continue;
			}
			if (len) {
				rep = tmp;
				skip = len;
			} else if (mode == ESC_TERM) {
				/* the bytes themselves: a terminal shows them, a reader learns more
				 */
				snprintf(tmp, 7, "\\x%02x", s[i]);
				rep = tmp;
				skip = 1;
			} else {
				rep = replacement_char;
			}
		}
		if (!rep) {
			i++;
			continue;
		}
		if (i > start)
			sink_text(k, str + start, i - start);
		sink_put(k, rep, strlen(rep));
		i += skip;
		start = i;
	}
	if (i > start)
		sink_text(k, str + start, i - start);
}

static void csv_field(struct sink *k, const char *s, size_t len)
{
	bool defuse, quote;
	size_t i;

	if (!s || !len)
		return;
	/*
	 * Spreadsheets run cells starting with these as formulas (and ' is
	 * ours); a leading CR is U+FFFD by then, which starts none.
	 */
	defuse = memchr("=+-@\t'", s[0], 6) != NULL;
	quote = defuse || s[0] == ' ' || s[len - 1] == ' ';
	for (i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\t';
	if (quote)
		sink_put(k, "\"", 1);
	if (defuse)
		sink_put(k, "'", 1);
	escape_text(k, s, len, ESC_CSV);
	if (quote)
		sink_put(k, "\"", 1);
}

void out__csv_strn(struct out *o, const char *s, size_t len)
{
	struct sink k = {.o = o};

	if (!out__error(o))
		csv_field(&k, s, len);
}

size_t csv_escape(char *dst, size_t len, const char *src)
{
	struct sink k = {.dst = dst, .len = len};

	if (src)
		csv_field(&k, src, strlen(src));
	if (len)
		dst[k.copied] = '\0';
	return k.pos;
}

void out__csv_str(struct out *o, const char *s)
{
	if (s)
		out__csv_strn(o, s, strlen(s));
}

void out__html_str(struct out *o, const char *s)
{
	struct sink k = {.o = o};

	if (s)
		escape_text(&k, s, strlen(s), ESC_HTML);
}

/* Into a buffer, cut between characters and escapes (html_escape() in escape.h). */
static size_t escape_buf(char *dst, size_t len, const char *src, enum escape_mode mode)
{
	struct sink k = {.dst = dst, .len = len, .cut_text = true};

	if (src)
		escape_text(&k, src, strlen(src), mode);
	if (len)
		dst[k.copied] = '\0';
	return k.pos;
}

size_t html_escape(char *dst, size_t len, const char *src)
{
	return escape_buf(dst, len, src, ESC_HTML);
}

size_t term_escape(char *dst, size_t len, const char *src)
{
	return escape_buf(dst, len, src, ESC_TERM);
}

size_t prom_escape(char *dst, size_t len, const char *src)
{
	return escape_buf(dst, len, src, ESC_PROM);
}

void out__json_quoted(struct out *o, const char *s, size_t len)
{
	struct sink k = {.o = o};

	out__putc(o, '"');
	escape_text(&k, s, len, ESC_JSON);
	out__putc(o, '"');
}
