/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping names for CSV, JSON, HTML and terminals (escape.c), into an out
 * stream or a buffer.
 *
 * Text from traced programs (process names, command lines, function names)
 * is untrusted.  Every escaper below keeps its output valid UTF-8: each
 * ill-formed UTF-8 sequence (maximal subpart, as Unicode recommends) becomes
 * U+FFFD, and so does every C0 control character and DEL the format cannot
 * carry as it is (HTML keeps TAB, LF and CR, CSV only TAB, so that each line
 * of a CSV file is one row, as line tools and gnuplot assume, and a file cut
 * back to its last line ends on a whole row; JSON escapes them all).
 * U+FFFD rather than "\xNN" text keeps CSV, JSON and HTML consistent and
 * avoids making a literal backslash ambiguous.
 */
#ifndef BT_ESCAPE_H
#define BT_ESCAPE_H

#include <stddef.h>

struct out;

/*
 * One RFC 4180 field (no separator).  Quoted when it contains a comma, a
 * quote or TAB, or starts or ends with a space; inner quotes doubled; CR, LF
 * and the other control characters but TAB become U+FFFD (never a line
 * break inside a field).  Against spreadsheet formula injection (OWASP), a
 * field starting with = + - @ TAB is quoted and gets a leading '
 * ("=1+1" -> "'=1+1"), and so does one starting with ' itself, so that
 * csvread can undo it exactly.  Numbers are never written through here:
 * a negative number in a numeric column stays as it is.
 * NULL writes an empty field.  Lines end with "\n" (the caller writes it):
 * pandas and gnuplot prefer it to CRLF, and csvread takes both.
 */
void out__csv_str(struct out *o, const char *s);
void out__csv_strn(struct out *o, const char *s, size_t len);
/* The same field into a buffer, as html_escape() below does it. */
size_t csv_escape(char *dst, size_t len, const char *src);

/* Text escaped for HTML element content and quoted attributes: & < > " '. */
void out__html_str(struct out *o, const char *s);

/*
 * The same into a buffer: returns the length the full result needs (without
 * the NUL), like snprintf.  dst is always NUL-terminated when len > 0, and
 * is cut only between characters and entities, never inside one (what fits
 * of a long name is kept, up to the first entity that does not fit).
 */
size_t html_escape(char *dst, size_t len, const char *src);

/*
 * Text for a terminal (stderr messages, summaries), in html_escape()'s
 * buffer form: C0 controls, DEL and ill-formed UTF-8 bytes as \xNN, C1
 * controls and bidi overrides and isolates as \uXXXX, so a process or
 * function name cannot move the cursor, rewrite the screen, change the
 * terminal's title or reorder the line it is printed in.
 */
size_t term_escape(char *dst, size_t len, const char *src);

/*
 * A label value of the Prometheus and OpenMetrics text formats, in
 * html_escape()'s buffer form: \\, \" and \n escaped, the other control
 * characters but TAB as U+FFFD (and ill-formed UTF-8, for which Prometheus
 * would drop the whole scrape).
 */
size_t prom_escape(char *dst, size_t len, const char *src);

/* A JSON string, quoted and escaped as json__str() writes it (for the JSON writer, json.c). */
void out__json_quoted(struct out *o, const char *s, size_t len);

#endif /* BT_ESCAPE_H */
