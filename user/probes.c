// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bt_abi.h"
#include "exits.h"
#include "libpath.h"
#include "log.h"
#include "probes.h"
#include "probespec.h"
#include "symtab.h"

/* symbol tables loaded so far, one per binary */
struct symcache {
	struct symtab **st;
	int n;
};

static struct symtab *symcache__get(struct symcache *c, const char *path, char *err,
				    size_t errlen)
{
	struct symtab *st, **n;
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(symtab__path(c->st[i]), path))
			return c->st[i];
	if (symtab__load(path, &st, err, errlen))
		return NULL;
	n = realloc(c->st, (c->n + 1) * sizeof(*n));
	if (!n) {
		symtab__free(st);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->st = n;
	c->st[c->n++] = st;
	return st;
}

static void symcache__free(struct symcache *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		symtab__free(c->st[i]);
	free(c->st);
}

static bool is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int add_probe(struct probes *ps, const char *spec, const struct symtab *st,
		     const struct bt_sym *sym, bool ret_exits, char *err, size_t errlen)
{
	const char *binary = symtab__path(st);
	struct probe *n, *p;
	int i, ret;

	for (i = 0; i < ps->n; i++) /* named twice, by two specs */
		if (ps->p[i].offset == sym->offset && !strcmp(ps->p[i].binary, binary))
			return 0;
	if (ps->n == BT_MAX_FUNCS)
		return -E2BIG;
	n = realloc(ps->p, (ps->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ps->p = n;
	p = &ps->p[ps->n];
	p->spec = strdup(spec);
	p->func = strdup(sym->name);
	p->binary = strdup(binary);
	p->addr = sym->addr;
	p->offset = sym->offset;
	p->exits = NULL;
	p->nexits = 0;
	if (!p->spec || !p->func || !p->binary) {
		free(p->spec);
		free(p->func);
		free(p->binary);
		return -ENOMEM;
	}
	ps->n++;
	if (!ret_exits)
		return 0;
	ret = exits__find(st, sym, &p->exits, err, errlen);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		snprintf(err, errlen,
			 "no return instruction found in %s (%s): it cannot be timed safely in a "
			 "program that uses C++ exceptions",
			 sym->name, binary);
		return -ENOENT;
	}
	p->nexits = ret;
	return 0;
}

/*
 * Two functions with one name (static functions of two files, or the same
 * name in two binaries) would share calls.csv rows: name them apart.
 */
static int disambiguate(struct probes *ps)
{
	char *name;
	int i, j;
	bool dup;

	for (i = 0; i < ps->n; i++) {
		dup = false;
		for (j = 0; j < ps->n && !dup; j++)
			dup = j != i && !strcmp(ps->p[i].func, ps->p[j].func);
		if (!dup)
			continue;
		if (asprintf(&name, "%s@%s+0x%llx", ps->p[i].func,
			     strrchr(ps->p[i].binary, '/') ? strrchr(ps->p[i].binary, '/') + 1
							   : ps->p[i].binary,
			     (unsigned long long)ps->p[i].addr) < 0)
			return -ENOMEM;
		free(ps->p[i].func);
		ps->p[i].func = name;
	}
	return 0;
}

static int resolve_binary(const struct probe_spec *s, const char *spec, const char *exe, pid_t pid,
			  char *path, size_t len, char *err, size_t errlen)
{
	if (s->is_lib)
		return pid > 0 ? lib__find_mapped(pid, s->where, path, len, err, errlen)
			       : lib__find_for_exe(exe, s->where, path, len, err, errlen);
	if (s->where[0]) {
		snprintf(path, len, "%s", s->where);
		return 0;
	}
	if (!exe) {
		snprintf(err, errlen,
			 "--uprobe '%s': with -a there is no default binary; write BINARY:FUNC "
			 "or LIB:FUNC",
			 spec);
		return -EINVAL;
	}
	snprintf(path, len, "%s", exe);
	return 0;
}

static int resolve_one(struct probes *ps, struct symcache *cache, const char *spec,
		       const char *exe, pid_t pid, bool cxx, char *err, size_t errlen)
{
	const struct bt_sym **match = NULL;
	char path[4096], why[1024], near[512];
	struct probe_spec s;
	struct symtab *st;
	int n, i, ret;

	ret = probe_spec__parse(spec, &s, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "--uprobe '%s': %s", spec, why);
		return ret;
	}
	ret = resolve_binary(&s, spec, exe, pid, path, sizeof(path), why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s", why);
		return ret;
	}
	st = symcache__get(cache, path, why, sizeof(why));
	if (!st) {
		snprintf(err, errlen, "--uprobe '%s': %s", spec, why);
		return -ENOENT;
	}
	n = symtab__find(st, s.func, NULL, 0);
	if (n == 0) {
		if (is_glob(s.func)) {
			snprintf(err, errlen, "--uprobe '%s': no function in %s matches '%s' (list "
				 "them with: benchtrace functions %s)",
				 spec, path, s.func, path);
		} else if (symtab__suggest(st, s.func, near, sizeof(near)) > 0) {
			snprintf(err, errlen, "no function '%s' in %s (did you mean %s?)", s.func,
				 path, near);
		} else {
			snprintf(err, errlen, "no function '%s' in %s%s", s.func, path,
				 symtab__stripped(st) ? " (the binary is stripped: only its "
							"exported functions are known)"
						      : "");
		}
		return -ENOENT;
	}
	match = calloc(n, sizeof(*match));
	if (!match)
		return -ENOMEM;
	symtab__find(st, s.func, match, n);
	cxx = cxx || exits__has_eh_tables(path);
	for (i = 0; i < n && !ret; i++)
		ret = add_probe(ps, spec, st, match[i], cxx, why, sizeof(why));
	free(match);
	if (ret == -E2BIG)
		snprintf(err, errlen, "--uprobe '%s': more than %d functions to trace; narrow the "
			 "glob",
			 spec, BT_MAX_FUNCS);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "--uprobe '%s': %s", spec, strerror(-ret));
	else if (ret)
		snprintf(err, errlen, "--uprobe '%s': %s", spec, why);
	else if (n > BT_PROBES_MANY)
		warn("--uprobe '%s' matches %d functions in %s; attaching all of them", spec, n,
		     path);
	return ret;
}

bool probes__target_cxx(const char *exe, pid_t pid)
{
	static const char *const runtimes[] = { "libstdc++", "libc++" };
	char path[4096], err[512];
	size_t i;

	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if (pid > 0 && !lib__find_mapped(pid, runtimes[i], path, sizeof(path), err,
						 sizeof(err)))
			return true;
		if (pid <= 0 && exe &&
		    !lib__find_for_exe(exe, runtimes[i], path, sizeof(path), err, sizeof(err)))
			return true;
	}
	return pid <= 0 && !exe; /* -a: anything may run */
}

int probes__resolve(struct probes *ps, char *const *specs, int nspecs, const char *exe, pid_t pid,
		    bool cxx, char *err, size_t errlen)
{
	struct symcache cache = {};
	int i, ret = 0;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < nspecs && !ret; i++)
		ret = resolve_one(ps, &cache, specs[i], exe, pid, cxx, err, errlen);
	if (!ret && disambiguate(ps))
		ret = -ENOMEM;
	symcache__free(&cache);
	if (ret)
		probes__free(ps);
	return ret;
}

void probes__free(struct probes *ps)
{
	int i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].spec);
		free(ps->p[i].func);
		free(ps->p[i].binary);
		free(ps->p[i].exits);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}
