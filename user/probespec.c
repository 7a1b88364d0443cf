// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probespec.h"

#define SPEC_FORMS "FUNC, BINARY:FUNC or LIB:FUNC, e.g. train_step, ./train:train_*, libc:malloc"

/* Index of the ':' separating BINARY/LIB from FUNC, or -1 if there is none. */
static int find_separator(const char *s)
{
	int i, bracket = 0;

	for (i = 0; s[i]; i++) {
		if (bracket) {
			/* "[[:alpha:]]": a class inside a glob bracket expression */
			if (s[i] == '[' && s[i + 1] == ':') {
				const char *end = strstr(s + i + 2, ":]");

				if (end) {
					i = end + 1 - s;
					continue;
				}
			}
			if (s[i] == ']')
				bracket = 0;
			continue;
		}
		if (s[i] == '[') {
			bracket = 1;
			if (s[i + 1] == '!' || s[i + 1] == '^')
				i++;
			if (s[i + 1] == ']') /* "[]x]": a leading ']' is literal */
				i++;
			continue;
		}
		if (s[i] != ':')
			continue;
		if (s[i + 1] == ':') {
			i++; /* "::" belongs to a C++ name */
			continue;
		}
		return i;
	}
	return -1;
}

int probe_spec__parse(const char *s, struct probe_spec *ps, char *err, size_t errlen)
{
	size_t wlen, flen;
	const char *func;
	int sep;

	memset(ps, 0, sizeof(*ps));
	if (errlen)
		err[0] = '\0';
	if (!s || !*s) {
		snprintf(err, errlen, "empty --uprobe spec; use " SPEC_FORMS);
		return -EINVAL;
	}
	sep = find_separator(s);
	if (sep == 0) {
		snprintf(err, errlen, "--uprobe '%s': nothing before ':'; use " SPEC_FORMS, s);
		return -EINVAL;
	}
	wlen = sep < 0 ? 0 : (size_t)sep;
	func = sep < 0 ? s : s + sep + 1;
	flen = strlen(func);
	if (!flen) {
		snprintf(err, errlen, "--uprobe '%s': no function after ':'; use " SPEC_FORMS, s);
		return -EINVAL;
	}
	if (wlen >= sizeof(ps->where) || flen >= sizeof(ps->func)) {
		snprintf(err, errlen, "--uprobe '%.64s...': %s too long (at most %zu bytes)", s,
			 wlen >= sizeof(ps->where) ? "path" : "function name",
			 (wlen >= sizeof(ps->where) ? sizeof(ps->where) : sizeof(ps->func)) - 1);
		return -EINVAL;
	}
	memcpy(ps->where, s, wlen);
	memcpy(ps->func, func, flen);
	ps->is_lib = wlen && !memchr(s, '/', wlen);
	return 0;
}
