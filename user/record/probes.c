// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bt_abi.h"
#include "elf/exits.h"
#include "elf/libpath.h"
#include "elf/symtab.h"
#include "record/loader.h"
#include "record/probes.h"
#include "record/probespec.h"
#include "util/log.h"

/* symbol tables loaded so far, one per binary */
struct symcache {
	struct symtab **st;
	int n;
};

static struct symtab *symcache__get(struct symcache *c, const char *path, char *err, size_t errlen)
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

/*
 * Where a call of function t ends, when a uretprobe is unsafe: disassembly
 * needs the function's size and its neighbours (tail calls), from the
 * symbol table.
 */
static int find_exits(struct probe *p, const struct probe_target *t, struct symcache *cache,
		      char *err, size_t errlen)
{
	const struct bt_sym *sym;
	struct symtab *st;
	int n;

	st = symcache__get(cache, t->binary, err, errlen);
	if (!st)
		return -ENOENT;
	sym = symtab__at(st, t->addr);
	if (!sym || sym->addr != t->addr) {
		snprintf(err, errlen, "%.4000s: no symbol at 0x%llx", t->shown,
			 (unsigned long long)t->addr);
		return -ENOENT;
	}
	n = exits__find(st, sym, &p->exits, err, errlen);
	if (n < 0)
		return n;
	if (n == 0) {
		snprintf(err, errlen,
			 "%.1000s (%.4000s) has no return instruction: it never returns normally "
			 "(it exits, or leaves by a jump), so it cannot be timed",
			 t->func, t->shown);
		return -ENOEXEC;
	}
	p->nexits = n;
	return 0;
}

/*
 * Functions that never return to their caller: a return probe on them
 * would rewrite what the kernel takes for a return address -- on the ELF
 * entry point, argc (a C program saw argc = -8192; CPython aborted).
 */
static bool never_returns(const struct probe_target *t)
{
	static const char *const noreturn[] = {
	    "_start",	     "__libc_start_main", "exit",	 "_exit",	"_Exit",
	    "abort",	     "__assert_fail",	  "longjmp",	 "siglongjmp",	"_longjmp",
	    "__longjmp_chk", "__stack_chk_fail",  "__chk_fail", "__fortify_fail",
	    "pthread_exit",  "__cxa_throw",	  "__cxa_rethrow", "_Unwind_Resume",
	    "__libc_fatal",  "err",		  "errx",	 "verr",	"verrx",
	};
	Elf64_Ehdr eh;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(noreturn) / sizeof(noreturn[0]); i++)
		if (!strcmp(t->func, noreturn[i]))
			return true;
	fd = open(t->binary, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	i = pread(fd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh) &&
	    !memcmp(eh.e_ident, ELFMAG, SELFMAG) && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
	    (eh.e_type == ET_EXEC || eh.e_type == ET_DYN) && eh.e_entry && eh.e_entry == t->addr;
	close(fd);
	return i;
}

/* Whether t's code jumps to its own entry (exits.h); unreadable: no. */
static bool loops_to_entry(const struct probe_target *t, struct symcache *cache)
{
	const struct bt_sym *sym;
	struct symtab *st;
	char err[256];

	st = symcache__get(cache, t->binary, err, sizeof(err));
	if (!st)
		return false;
	sym = symtab__at(st, t->addr);
	return sym && sym->addr == t->addr && exits__jumps_to_entry(st, sym) == 1;
}

static int add_probe(struct probes *ps, const char *spec, const struct probe_target *t,
		     bool ret_exits, struct symcache *cache, char *err, size_t errlen)
{
	struct probe *n, *p;
	int i;

	for (i = 0; i < ps->n; i++) /* named twice, by two specs */
		if (ps->p[i].offset == t->offset && !strcmp(ps->p[i].binary, t->shown))
			return 0;
	if (ps->n == BT_MAX_FUNCS)
		return -E2BIG;
	n = realloc(ps->p, (ps->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ps->p = n;
	p = &ps->p[ps->n];
	memset(p, 0, sizeof(*p));
	p->spec = strdup(spec);
	p->func = strdup(t->func);
	p->path = strdup(t->binary);
	p->binary = strdup(t->shown);
	p->addr = t->addr;
	p->offset = t->offset;
	ps->n++; /* freed with the rest from here on */
	if (!p->spec || !p->func || !p->path || !p->binary)
		return -ENOMEM;
	return ret_exits ? find_exits(p, t, cache, err, errlen) : 0;
}

/* Undo the last add_probe() (its function cannot be timed). */
static void probe_drop_last(struct probes *ps)
{
	struct probe *p = &ps->p[--ps->n];

	free(p->spec);
	free(p->func);
	free(p->path);
	free(p->binary);
	free(p->exits);
	free(p->python);
}

#define SKIPPED_SHOWN 8

/* The functions a glob matched that cannot be timed, for one line. */
struct skipped {
	int n;
	char names[512];
};

static void note_skipped(struct skipped *sk, const char *func)
{
	size_t len = strlen(sk->names);

	if (sk->n++ < SKIPPED_SHOWN && len < sizeof(sk->names) - 2)
		snprintf(sk->names + len, sizeof(sk->names) - len, "%s%s", len ? ", " : "", func);
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

static int resolve_one(struct probes *ps, struct symcache *cache, const char *spec, const char *exe,
		       pid_t pid, bool cxx, char *err, size_t errlen)
{
	struct probe_target *t = NULL;
	struct skipped skipped = {}, loops = {};
	struct probe_spec s;
	char why[6144];
	int n, i, ret;

	ret = probe_spec__parse(spec, &s, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "--uprobe '%s': %s", spec, why);
		return ret;
	}
	if (!s.where[0] && !exe && pid <= 0) {
		snprintf(err, errlen,
			 "--uprobe '%s': with -a there is no default binary; write BINARY:FUNC "
			 "or LIB:FUNC",
			 spec);
		return -EINVAL;
	}
	n = probe_spec__resolve(&s, pid, exe, BT_MAX_FUNCS - ps->n, &t, err, errlen);
	if (n < 0)
		return n;
	/*
	 * A goroutine that blocks (a sleep, a channel) parks, and resumes on
	 * whichever thread is free: its return is seen on another thread than
	 * its entry, and calls are paired per thread, so counts came out wrong
	 * (800 calls of a sleeping function gave 139-216).  Refused, never
	 * wrong in silence, until calls are paired per goroutine.
	 */
	if (exits__is_go(t[0].binary)) {
		snprintf(err, errlen,
			 "--uprobe '%s': %s is a Go program: a goroutine that blocks resumes on "
			 "another thread, and benchtrace pairs calls per thread, so it would count "
			 "them wrong; Go functions cannot be timed in this version",
			 spec, t[0].shown);
		free(t);
		return -ENOTSUP;
	}
	cxx = cxx || exits__needed(t[0].binary);
	for (i = 0, ret = 0; i < n && !ret; i++) {
		if (never_returns(&t[i])) {
			if (n == 1) {
				snprintf(why, sizeof(why),
					 "%s never returns to its caller (the program's entry "
					 "point, or a function that exits or jumps away), so it "
					 "cannot be timed",
					 t[i].func);
				ret = -ENOEXEC;
			} else {
				note_skipped(&skipped, t[i].func);
			}
			continue;
		}
		if (loops_to_entry(&t[i], cache)) {
			if (n == 1) {
				snprintf(why, sizeof(why),
					 "%s jumps back to its own first instruction (a loop starts "
					 "there), where the entry probe would fire once per "
					 "iteration, not once per call: it cannot be timed; time its "
					 "caller",
					 t[i].func);
				ret = -ENOEXEC;
			} else {
				note_skipped(&loops, t[i].func);
			}
			continue;
		}
		ret = add_probe(ps, spec, &t[i], cxx, cache, why, sizeof(why));
		if (ret == -ENOEXEC && n > 1) {
			/* a glob: leave out what cannot be timed, time the rest */
			probe_drop_last(ps);
			note_skipped(&skipped, t[i].func);
			ret = 0;
		}
	}
	if (!ret && loops.n)
		warn("--uprobe '%s': %d function%s left out, which jump%s back to %s first "
		     "instruction (an entry probe would count iterations): %s%s",
		     spec, loops.n, loops.n == 1 ? "" : "s", loops.n == 1 ? "s" : "",
		     loops.n == 1 ? "its" : "their", loops.names, loops.n > SKIPPED_SHOWN ? ", ..." : "");
	if (!ret && skipped.n)
		warn("--uprobe '%s': %d function%s left out, which never return%s normally: %s%s",
		     spec, skipped.n, skipped.n == 1 ? "" : "s", skipped.n == 1 ? "s" : "",
		     skipped.names, skipped.n > SKIPPED_SHOWN ? ", ..." : "");
	if (ret == -E2BIG)
		snprintf(err, errlen,
			 "--uprobe '%s': more than %d functions to trace; narrow the "
			 "pattern",
			 spec, BT_MAX_FUNCS);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "--uprobe '%s': out of memory", spec);
	else if (ret)
		snprintf(err, errlen, "--uprobe '%s': %s", spec, why);
	else if (n > BT_PROBES_MANY)
		warn("--uprobe '%s' matches %d functions in %s; attaching all of them", spec, n,
		     t[0].shown);
	free(t);
	return ret;
}

bool probes__target_cxx(const char *exe, pid_t pid)
{
	static const char *const runtimes[] = {"libstdc++", "libc++"};
	char path[4096], err[512];
	size_t i;

	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if (pid > 0 &&
		    !lib__find_mapped(pid, runtimes[i], path, sizeof(path), err, sizeof(err)))
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

int probes__set_python(struct probes *ps, int idx, const char *name, const char *file,
		       unsigned int line, const char *mechanism)
{
	struct probe *p, *grown;
	char ph[32];
	int i;

	if (idx < 0)
		return -EINVAL;
	if (idx >= ps->n) {
		grown = realloc(ps->p, (idx + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		ps->p = grown;
		for (i = ps->n; i <= idx; i++) {
			memset(&ps->p[i], 0, sizeof(ps->p[i]));
			snprintf(ph, sizeof(ph), "py#%d", i);
			ps->p[i].func = strdup(ph);
			ps->p[i].spec = strdup("py:");
			ps->p[i].binary = strdup("");
			ps->p[i].python = strdup("");
			ps->n = i + 1;
			if (!ps->p[i].func || !ps->p[i].spec || !ps->p[i].binary || !ps->p[i].python)
				return -ENOMEM;
		}
	}
	p = &ps->p[idx];
	free(p->func);
	free(p->binary);
	free(p->python);
	p->func = strdup(name);
	p->binary = strdup(file);
	p->python = strdup(mechanism);
	p->line = line;
	return p->func && p->binary && p->python ? 0 : -ENOMEM;
}

void probes__free(struct probes *ps)
{
	int i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].python);
		free(ps->p[i].spec);
		free(ps->p[i].func);
		free(ps->p[i].binary);
		free(ps->p[i].path);
		free(ps->p[i].exits);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

/* Whether probe i's file came with an earlier probe (and was attached with it). */
static bool file_attached_before(const struct probes *ps, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (!strcmp(ps->p[j].path, ps->p[i].path))
			return true;
	return false;
}

/* Whether probe i is in the target's own program, not a library others use. */
static bool is_target_program(const struct probes *ps, int i, const char *target_exe)
{
	const char *bin = ps->p[i].binary;

	if (target_exe && !strcmp(bin, target_exe))
		return true;
	return !strstr(bin, ".so");
}

static bool contains(const __u64 *v, int n, __u64 x)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

bool probes__any_shared(const struct probes *ps, const char *target_exe)
{
	int i;

	for (i = 0; i < ps->n; i++)
		if (!is_target_program(ps, i, target_exe))
			return true;
	return false;
}

int probes__attach(const struct probes *ps, struct tracer *t, pid_t pid, const char *target_exe,
		   enum probe_files which, bool note)
{
	const struct probe *p;
	__u64 *offs[3], *cookies[3];
	int n[3], i, j, k, e, ret = 0;
	size_t nexits;
	char err[1024];

	for (i = 0, nexits = 0; i < ps->n; i++)
		nexits += ps->p[i].nexits;
	for (k = 0; k < 3; k++) {
		size_t room = (k == BT_PROBE_EXIT ? nexits : (size_t)ps->n) + 1;

		offs[k] = calloc(room, sizeof(__u64));
		cookies[k] = calloc(room, sizeof(__u64));
		if (!offs[k] || !cookies[k])
			ret = -ENOMEM;
	}
	/* one set of links per file: every probe whose file is the first one
	 * not yet attached */
	for (i = 0; i < ps->n && !ret; i++) {
		if (file_attached_before(ps, i))
			continue; /* its file was done with an earlier probe's */
		if ((which == PROBE_FILES_PROGRAM && !is_target_program(ps, i, target_exe)) ||
		    (which == PROBE_FILES_SHARED && is_target_program(ps, i, target_exe)))
			continue;
		if (note && !is_target_program(ps, i, target_exe))
			warn("note: %s is shared: with more than %d traced processes its probes "
			     "fire in every process that uses it (only the traced ones' calls "
			     "are kept, but the others pay for a trap a call)",
			     ps->p[i].binary, PROBES_PER_PROCESS_MAX);
		memset(n, 0, sizeof(n));
		for (j = i; j < ps->n; j++) {
			p = &ps->p[j];
			if (strcmp(p->path, ps->p[i].path))
				continue;
			offs[BT_PROBE_ENTRY][n[BT_PROBE_ENTRY]] = p->offset;
			cookies[BT_PROBE_ENTRY][n[BT_PROBE_ENTRY]++] = j;
			if (!p->nexits) {
				offs[BT_PROBE_RETURN][n[BT_PROBE_RETURN]] = p->offset;
				cookies[BT_PROBE_RETURN][n[BT_PROBE_RETURN]++] = j;
			}
			/* exits pair by stack pointer: each instruction once */
			for (e = 0; e < p->nexits; e++)
				if (!contains(offs[BT_PROBE_EXIT], n[BT_PROBE_EXIT], p->exits[e])) {
					offs[BT_PROBE_EXIT][n[BT_PROBE_EXIT]] = p->exits[e];
					cookies[BT_PROBE_EXIT][n[BT_PROBE_EXIT]++] = j;
				}
		}
		for (k = 0; k < 3 && !ret; k++)
			ret = tracer__attach_probes(t, k, ps->p[i].path, offs[k], cookies[k], n[k],
						    pid, err, sizeof(err));
		if (ret == -ESRCH && pid > 0) {
			ret = 0; /* the process is gone already */
			break;
		}
		if (ret)
			warn("%s", err);
	}
	if (ret == -ENOMEM)
		warn("out of memory attaching the probes");
	for (k = 0; k < 3; k++) {
		free(offs[k]);
		free(cookies[k]);
	}
	return ret;
}
