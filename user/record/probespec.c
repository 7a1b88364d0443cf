// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "elf/symtab.h"
#include "record/probespec.h"

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

/* "WHERE:FUNC" fits, whatever their lengths. */
#define SPEC_STRLEN                                                                                \
	(sizeof(((struct probe_spec *)0)->where) + sizeof(((struct probe_spec *)0)->func) + 2)

/* The spec as the user wrote it, for messages. */
static const char *spec_str(const struct probe_spec *ps, char *buf, size_t len)
{
	if (ps->where[0])
		snprintf(buf, len, "%s:%s", ps->where, ps->func);
	else
		snprintf(buf, len, "%s", ps->func);
	return buf;
}

/* The file @ps names, into @bin (attach path) and @shown (for people). */
static int where_file(const struct probe_spec *ps, pid_t pid, const char *exe, char *bin,
		      char *shown, size_t len, char *err, size_t errlen)
{
	char link[64], msg[1024], sp[SPEC_STRLEN];
	int ret;

	if (!ps->where[0] && pid > 0) {
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
		ret = lib__proc_exe(pid, shown, len, msg, sizeof(msg));
		if (ret) {
			snprintf(err, errlen, "--uprobe '%s': %s", spec_str(ps, sp, sizeof(sp)),
				 msg);
			return ret;
		}
		/* /proc/PID/exe reaches the file even if it was deleted or is in a container. */
		snprintf(bin, len, "%s", link);
		return 0;
	}
	if (!ps->where[0] || !ps->is_lib) {
		snprintf(bin, len, "%s", ps->where[0] ? ps->where : exe);
		if (!realpath(bin, shown))
			snprintf(shown, len, "%s", bin);
		return 0;
	}
	if (pid > 0)
		ret = lib__find_mapped(pid, ps->where, bin, len, msg, sizeof(msg));
	else
		ret = lib__find_for_exe(exe, ps->where, bin, len, msg, sizeof(msg));
	if (ret) {
		/* "train:step" for ./train: say how to write a path */
		if (!access(ps->where, F_OK))
			snprintf(err, errlen,
				 "--uprobe '%s:%s': %s; for the file %s here, write "
				 "'./%s:%s'",
				 ps->where, ps->func, msg, ps->where, ps->where, ps->func);
		else
			snprintf(err, errlen, "--uprobe '%s': %s", spec_str(ps, sp, sizeof(sp)),
				 msg);
		return ret;
	}
	if (!realpath(bin, shown))
		snprintf(shown, len, "%s", bin);
	return 0;
}

/* python3.11, python3, libpython3.12.so.1.0: a CPython interpreter. */
static bool is_python(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, "python", 6) || !strncmp(base, "libpython", 9);
}

int probe_spec__resolve(const struct probe_spec *ps, pid_t pid, const char *exe, int max,
			struct probe_target **out, char *err, size_t errlen)
{
	char *bin = NULL, *shown = NULL, msg[1536], sp[SPEC_STRLEN];
	const struct bt_sym **m = NULL;
	struct probe_target *t = NULL;
	struct symtab *st = NULL;
	int n, i, ret;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	bin = malloc(PATH_MAX);
	shown = malloc(PATH_MAX);
	if (!bin || !shown) {
		ret = -ENOMEM;
		goto out;
	}
	ret = where_file(ps, pid, exe, bin, shown, PATH_MAX, err, errlen);
	if (ret)
		goto out;
	ret = symtab__load(bin, &st, msg, sizeof(msg));
	if (ret) {
		/* Name the real file, not /proc/PID/exe. */
		if (strcmp(bin, shown) && !strncmp(msg, bin, strlen(bin)))
			snprintf(err, errlen, "--uprobe '%s': %s%s", spec_str(ps, sp, sizeof(sp)),
				 shown, msg + strlen(bin));
		else
			snprintf(err, errlen, "--uprobe '%s': %s", spec_str(ps, sp, sizeof(sp)),
				 msg);
		goto out;
	}
	n = symtab__find(st, ps->func, NULL, 0);
	if (n == 0) {
		symtab__explain_miss(st, ps->func, shown, msg, sizeof(msg));
		/* the program is an interpreter: the user meant a Python function */
		if (is_python(shown))
			snprintf(err, errlen,
				 "--uprobe '%s': %s; for the Python function, write -u py:%s",
				 spec_str(ps, sp, sizeof(sp)), msg, ps->func);
		else
			snprintf(err, errlen, "--uprobe '%s': %s", spec_str(ps, sp, sizeof(sp)),
				 msg);
		ret = -ENOENT;
		goto out;
	}
	if (n > max) {
		snprintf(err, errlen,
			 "--uprobe '%s' matches %d functions in %s, more than the %d benchtrace "
			 "traces at once; narrow the pattern (list them with 'benchtrace functions "
			 "%s \"%s\"')",
			 spec_str(ps, sp, sizeof(sp)), n, shown, max, shown, ps->func);
		ret = -E2BIG;
		goto out;
	}
	m = calloc(n, sizeof(*m));
	t = calloc(n, sizeof(*t));
	if (!m || !t) {
		ret = -ENOMEM;
		goto out;
	}
	n = symtab__find(st, ps->func, m, n);
	for (i = 0; i < n; i++) {
		snprintf(t[i].binary, sizeof(t[i].binary), "%s", bin);
		snprintf(t[i].shown, sizeof(t[i].shown), "%s", shown);
		snprintf(t[i].func, sizeof(t[i].func), "%s", m[i]->name);
		t[i].offset = m[i]->offset;
		t[i].addr = m[i]->addr;
	}
	*out = t;
	t = NULL;
	ret = n;
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "--uprobe '%s': out of memory", spec_str(ps, sp, sizeof(sp)));
	free(t);
	free(m);
	symtab__free(st);
	free(shown);
	free(bin);
	return ret;
}
