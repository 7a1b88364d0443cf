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

/* Set by -v: info() prints only when non-zero. */
extern int log_verbose;

/* "benchtrace: <msg>\n" on stderr; a trailing newline in fmt is not doubled. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Same as warn(), but only when log_verbose is set. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BT_LOG_H */
