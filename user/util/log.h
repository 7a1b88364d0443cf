// SPDX-License-Identifier: GPL-2.0
/*
 * The one warn/info helper.  Library code reports and returns an error; only
 * main() decides to exit, so there is deliberately no die().
 *
 * Each message is formatted first and written with a single write(2), so a
 * line is never interleaved with another thread's output.
 */
#ifndef BT_LOG_H
#define BT_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Set by -v: info() prints only when non-zero. */
extern int log_verbose;

/* "benchtrace: <msg>\n" on stderr; a trailing newline in fmt is not doubled. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Same as warn(), but only when log_verbose is set. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * For readers of files, which report rather than print: "NAME:LINE: <msg>"
 * into err (nothing if err is NULL or errlen 0).  Only the first error of a
 * read is said: the call sets *failed and does nothing once it is set.
 */
void log_error_at(char *err, size_t errlen, bool *failed, const char *name, unsigned long line,
		  const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

#endif /* BT_LOG_H */
