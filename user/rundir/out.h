// SPDX-License-Identifier: GPL-2.0
/*
 * Buffered output stream for the run-directory files, with CSV, JSON and
 * HTML escaping on top.
 *
 * Errors are sticky: the first failed write (ENOSPC, EIO, ...) is kept, every
 * later write is dropped, and out__flush(), out__error() and out__close()
 * report it as a negative errno.  Writers can therefore emit a whole row
 * without checking each call and check once per flush.
 *
 * A failed write also cuts a regular file back to its last whole line, so a
 * disk that fills up mid-row leaves only complete rows.  A gzip file is cut
 * back to its last sync point and still ends as a complete gzip stream
 * (gzip -t passes).  A sync point is made at each out__flush() and each
 * time the 64 KiB buffer is handed on (after its last whole line): a sync
 * flush, then the 10-byte end of the stream written after it, which later
 * data overwrites, so cutting back to it needs no new disk block.  Costs
 * about 0.2% of compression.
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
#ifndef BT_OUT_H
#define BT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define OUT_BUF_SIZE   (64 * 1024)
#define JSON_MAX_DEPTH 16

struct out;

/*
 * Takes ownership of fd on success (out__close() closes it); on failure
 * returns NULL with errno set and the caller still owns fd.  With gzip the
 * stream is a gzip member, written through zlib.
 */
struct out *out__open_fd(int fd, bool gzip);

/*
 * Hand everything buffered to the kernel.  With gzip this is a Z_SYNC_FLUSH,
 * so a crash after it still leaves a file that decompresses up to here.
 * Costs a few bytes of compression each time: call it about once a second.
 */
int out__flush(struct out *o);

/* out__flush() and fsync(): survives a power loss. */
int out__sync(struct out *o);

/*
 * Flush and end the stream (the gzip trailer); nothing is written after it.
 * 0 or the sticky error.  out__close() does it if it was not done.
 */
int out__finish(struct out *o);

/*
 * Complete lines that reached the fd (gzip: went into the compressed stream)
 * -- after a failed write, those the file was cut back to.  After
 * out__finish(), the lines in the file.
 */
__u64 out__lines(const struct out *o);

/* out__finish(), close the fd, free; returns the sticky error. */
int out__close(struct out *o);

/* 0 or the first error as a negative errno. */
int out__error(const struct out *o);

void out__write(struct out *o, const void *data, size_t len);
void out__putc(struct out *o, char c);
void out__puts(struct out *o, const char *s);
void out__printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out__u64(struct out *o, __u64 v);
void out__s64(struct out *o, __s64 v);

/*
 * Fixed-point decimal without floating point: value is a number with
 * `scale` implied decimals, printed with `decimals` decimals, rounded half
 * up when decimals < scale.  out__fixed(o, 1234567890, 9, 6) prints
 * "1.234568".  scale and decimals are at most 19.
 */
void out__fixed(struct out *o, __u64 value, unsigned int scale, unsigned int decimals);

/*
 * The t_s column: ns as seconds with microsecond precision, rounded to the
 * nearest microsecond (half up): 1234567890 -> "1.234568", 999999500 ->
 * "1.000000".  Exact, from integers.
 */
void out__time_s(struct out *o, __u64 ns);

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

/* A JSON string, quoted and escaped as json__str() writes it (escape.c, for the JSON writer). */
void out__json_quoted(struct out *o, const char *s, size_t len);

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

#endif /* BT_OUT_H */
