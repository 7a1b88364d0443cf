// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rundir/escape.h"
#include "rundir/out.h"
#include "util/log.h"

int log_verbose;

static void __attribute__((format(printf, 1, 0))) log_vprint(const char *fmt, va_list ap)
{
	static const char prefix[] = "benchtrace: ";
	char msg[4096], buf[4 * sizeof(msg) + sizeof(prefix) + 1];
	size_t len = sizeof(prefix) - 1, mlen;
	int saved_errno = errno;
	ssize_t w;
	size_t off = 0;
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	mlen = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	msg[mlen] = '\0';
	if (mlen && msg[mlen - 1] == '\n')
		msg[--mlen] = '\0';
	/*
	 * Messages carry names from the traced program and its files: shown,
	 * never obeyed by the terminal (and a line break in one cannot start
	 * a line that looks like another message).
	 */
	memcpy(buf, prefix, len);
	term_escape(buf + len, sizeof(buf) - len - 1, msg);
	len += strlen(buf + len);
	buf[len++] = '\n';

	while (off < len) {
		w = write(STDERR_FILENO, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	/* Callers often warn() and then return -errno: keep errno intact. */
	errno = saved_errno;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void log_error_at(char *err, size_t errlen, bool *failed, const char *name, unsigned long line,
		  const char *fmt, va_list ap)
{
	size_t n;

	if (*failed)
		return;
	*failed = true;
	if (!err || !errlen)
		return;
	n = (size_t)snprintf(err, errlen, "%s:%lu: ", name, line);
	if (n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
}
