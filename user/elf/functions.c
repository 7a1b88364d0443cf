// SPDX-License-Identifier: GPL-2.0
/*
 * benchtrace functions BINARY|-p PID [GLOB]: the names --uprobe can attach
 * to, one per line, each written the way --uprobe takes it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "elf/functions.h"
#include "elf/libpath.h"
#include "elf/pysource.h"
#include "elf/symtab.h"
#include "record/probespec.h"
#include "record/target.h"
#include "elf/usdt.h"
#include "rundir/escape.h"
#include "rundir/out.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/suggest.h"

static void functions__usage(FILE *f)
{
	fprintf(f, "Usage: benchtrace functions BINARY [GLOB]\n"
		   "       benchtrace functions -p PID [[LIB:]GLOB]\n"
		   "       benchtrace functions SCRIPT.py [py:GLOB]\n"
		   "       benchtrace functions -p PID py:GLOB\n"
		   "       benchtrace functions --usdt BINARY [PROVIDER:NAME]\n"
		   "\n"
		   "Lists the functions --uprobe can attach to, one per line, sorted, in the\n"
		   "form --uprobe takes: bare names for BINARY (or the process's executable),\n"
		   "LIB:NAME (e.g. libc.so.6:malloc) for each library process PID has mapped.\n"
		   "C++ names are demangled; --uprobe matches them with or without their\n"
		   "parameter list. GLOB filters (fnmatch: *, ?, [...]), e.g. 'train_*'.\n"
		   "BINARY without a '/' that is not a file here is looked up in PATH.\n"
		   "A SCRIPT.py (or, with -p and py:GLOB, the script a running python3\n"
		   "was started with) lists its Python functions as -u takes them\n"
		   "(py:Trainer.step), read by python3's parser, never run.\n"
		   "\n"
		   "Options:\n"
		   "  -p, --pid PID   the running process's executable and mapped libraries\n"
		   "      --usdt      the USDT probes BINARY carries, as --usdt takes them\n"
		   "                  (PROVIDER:NAME, globs), with their arguments' locations\n"
		   "  -h, --help      this help\n"
		   "\n"
		   "Exit status: 0 if something was listed, 1 on an error (no such file, not\n"
		   "ELF, stripped, nothing matches GLOB), 2 on a usage error.\n");
}

struct names {
	char **v;
	size_t n, cap;
};

static int names__add(struct names *ns, const char *prefix, const char *name)
{
	char *s;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 1024;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->cap = cap;
	}
	if (asprintf(&s, "%s%s%s", prefix ? prefix : "", prefix ? ":" : "", name) < 0)
		return -ENOMEM;
	ns->v[ns->n++] = s;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names__free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int names__print(struct names *ns)
{
	/* the names as they are into a pipe; a terminal must not obey them */
	bool tty = isatty(STDOUT_FILENO);
	char buf[4096];
	size_t i;

	qsort(ns->v, ns->n, sizeof(*ns->v), str_cmp);
	for (i = 0; i < ns->n; i++) {
		if (i && !strcmp(ns->v[i], ns->v[i - 1]))
			continue;
		if (tty)
			term_escape(buf, sizeof(buf), ns->v[i]);
		if (puts(tty ? buf : ns->v[i]) == EOF)
			break;
	}
	if (fflush(stdout) || ferror(stdout)) {
		warn("cannot write the list: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* @st's names matching @glob (all if NULL), as "PREFIX:NAME" when @prefix is set. */
static int add_matches(struct names *ns, const struct symtab *st, const char *prefix,
		       const char *glob)
{
	const struct bt_sym **m;
	int n, i, ret = 0;

	if (!glob) {
		for (i = 0; i < symtab__count(st) && !ret; i++)
			ret = names__add(ns, prefix, symtab__get(st, i)->name);
		return ret ? ret : symtab__count(st);
	}
	n = symtab__find_names(st, glob, NULL, 0);
	if (n <= 0)
		return n;
	m = calloc(n, sizeof(*m));
	if (!m)
		return -ENOMEM;
	n = symtab__find_names(st, glob, m, n);
	for (i = 0; i < n && !ret; i++)
		ret = names__add(ns, prefix, m[i]->name);
	free(m);
	return ret ? ret : n;
}

/* --usdt: PROVIDER:NAME  ARGS, a line a probe (several sites: once). */
static int list_usdt(const char *arg, const char *glob)
{
	char path[PATH_MAX], err[1024], prov[64] = "*", name[64] = "*";
	struct usdt_note *notes;
	const char *colon;
	int n, i, shown = 0;

	if (!strchr(arg, '/') && access(arg, F_OK)) {
		if (command__resolve(arg, path, sizeof(path), err, sizeof(err))) {
			warn("%s: no such file, and no command of that name in PATH", arg);
			return 1;
		}
		arg = path;
	}
	if (glob) {
		colon = strchr(glob, ':');
		if (colon) {
			snprintf(prov, sizeof(prov), "%.*s", (int)(colon - glob), glob);
			snprintf(name, sizeof(name), "%s", colon + 1);
		} else {
			snprintf(name, sizeof(name), "%s", glob);
		}
	}
	n = usdt__read(arg, &notes, err, sizeof(err));
	if (n < 0) {
		warn("%s", err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (fnmatch(prov, notes[i].provider, 0) || fnmatch(name, notes[i].name, 0) ||
		    (i && !strcmp(notes[i].provider, notes[i - 1].provider) &&
		     !strcmp(notes[i].name, notes[i - 1].name)))
			continue;
		printf("%s:%s\t%s\n", notes[i].provider, notes[i].name, notes[i].args);
		shown++;
	}
	free(notes);
	if (!shown)
		warn("%s: %s", arg, n ? "no USDT probe matches" : "carries no USDT probes");
	return shown ? 0 : 1;
}

static int list_binary(const char *arg, const char *glob)
{
	char path[PATH_MAX], err[1024];
	struct names ns = {};
	struct symtab *st;
	int n, ret = 1;

	/* "ls" means ./ls only when there is one, else the ls in PATH, as a shell would. */
	if (!strchr(arg, '/') && access(arg, F_OK)) {
		if (command__resolve(arg, path, sizeof(path), err, sizeof(err))) {
			warn("%s: no such file, and no command of that name in PATH", arg);
			return 1;
		}
		arg = path;
	}
	if (symtab__load(arg, &st, err, sizeof(err))) {
		warn("%s", err);
		return 1;
	}
	n = add_matches(&ns, st, NULL, glob);
	if (n == -ENOMEM) {
		warn("out of memory listing %s", arg);
	} else if (n == 0) {
		symtab__explain_miss(st, glob, arg, err, sizeof(err));
		warn("%s", err);
	} else {
		if (symtab__stripped(st))
			warn("note: %s is stripped: only the functions it exports are listed", arg);
		ret = names__print(&ns);
	}
	names__free(&ns);
	symtab__free(st);
	return ret;
}

/* Whether two mapped files share a base name: they are then listed by path. */
static bool base_clash(const struct mapped_file *f, int n, int k)
{
	const char *b = strrchr(f[k].name, '/') + 1;
	int i;

	for (i = 0; i < n; i++)
		if (i != k && !strcmp(strrchr(f[i].name, '/') + 1, b))
			return true;
	return false;
}

static int list_pid(pid_t pid, const char *arg)
{
	char exe[64], err[512], sugg[768], exe_real[PATH_MAX];
	struct probe_spec ps = {};
	struct mapped_file *f = NULL;
	struct names ns = {};
	struct suggest sg = {};
	struct symtab *st;
	const char *glob = NULL;
	int nf, i, n, total = 0, ret = 1;

	if (arg) {
		if (probe_spec__parse(arg, &ps, err, sizeof(err))) {
			warn("%s", err);
			return 2;
		}
		glob = ps.func;
		suggest__init(&sg, glob);
	}
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (lib__proc_exe(pid, exe_real, sizeof(exe_real), err, sizeof(err))) {
		warn("%s", err);
		return 1;
	}
	nf = lib__mapped_files(pid, &f, err, sizeof(err));
	if (nf < 0) {
		warn("%s", err);
		return 1;
	}
	/* The executable: bare names, unless GLOB names a library or another file. */
	if (!ps.where[0] || (!ps.is_lib && !strcmp(ps.where, exe_real))) {
		ret = symtab__load(exe, &st, err, sizeof(err));
		if (ret == -ENODATA) {
			warn("note: the executable of PID %d, %s, is stripped: listing the "
			     "functions of its libraries only",
			     (int)pid, exe_real);
		} else if (ret) {
			warn("%s (PID %d's executable is %s)", err, (int)pid, exe_real);
			goto out;
		} else {
			n = add_matches(&ns, st, NULL, glob);
			if (n < 0)
				goto oom;
			total += n;
			for (i = 0; glob && !n && i < symtab__count(st); i++)
				suggest__add(&sg, symtab__short_name(symtab__get(st, i)), NULL);
			symtab__free(st);
		}
	}
	for (int k = 0; k < nf; k++) {
		const char *b = strrchr(f[k].name, '/') + 1;
		char prefix[PATH_MAX + 1];

		if (!strcmp(f[k].name, exe_real))
			continue;
		if (ps.where[0] &&
		    (ps.is_lib ? !lib__name_matches(ps.where, b) : strcmp(ps.where, f[k].name)))
			continue;
		/* Not ELF (a JIT's file), or a library without symbols: nothing to list. */
		if (symtab__load(f[k].path, &st, err, sizeof(err))) {
			info("%s", err);
			continue;
		}
		snprintf(prefix, sizeof(prefix), "%s", base_clash(f, nf, k) ? f[k].name : b);
		n = add_matches(&ns, st, prefix, glob);
		if (n < 0) {
			symtab__free(st);
			goto oom;
		}
		total += n;
		if (glob && !n) {
			strcat(prefix, ":");
			for (i = 0; i < symtab__count(st); i++)
				suggest__add(&sg, symtab__short_name(symtab__get(st, i)), prefix);
		}
		symtab__free(st);
	}
	ret = 1;
	if (total) {
		ret = names__print(&ns);
	} else if (glob) {
		if (suggest__format(&sg, sugg, sizeof(sugg)))
			warn("no function matches '%s' in PID %d (did you mean %s?)", arg, (int)pid,
			     sugg);
		else
			warn("no function matches '%s' in PID %d or its libraries", arg, (int)pid);
	} else {
		warn("no function symbols in PID %d or its libraries", (int)pid);
	}
	goto out;
oom:
	warn("out of memory listing functions of PID %d", (int)pid);
	ret = 1;
out:
	names__free(&ns);
	mapped_files__free(f, nf);
	return ret;
}

int functions__main(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"pid", required_argument, NULL, 'p'},
	    {"usdt", no_argument, NULL, 'U'},
	    {"help", no_argument, NULL, 'h'},
	    {},
	};
	const char *pid_arg = NULL;
	bool usdt = false;
	pid_t pid = 0;
	int c, npos;

	optind = 0; /* a full reset of getopt (see opts.c) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			pid_arg = optarg;
			break;
		case 'U':
			usdt = true;
			break;
		case 'h':
			functions__usage(stdout);
			return 0;
		case ':':
			warn("option '%s' needs an argument (see 'benchtrace functions --help')",
			     argv[optind - 1]);
			return 2;
		default:
			warn("unknown option '%s' (see 'benchtrace functions --help')",
			     argv[optind - 1]);
			return 2;
		}
	}
	npos = argc - optind;
	if (usdt) {
		if (pid_arg || npos < 1 || npos > 2) {
			warn("usage: benchtrace functions --usdt BINARY [PROVIDER:NAME]");
			return 2;
		}
		return list_usdt(argv[optind], npos == 2 ? argv[optind + 1] : NULL);
	}
	if (pid_arg) {
		int r = parse_pid(pid_arg, &pid);

		if (r) {
			warn("bad PID '%s' for -p (a process ID, e.g. 1234)", pid_arg);
			return 2;
		}
		if (npos > 1) {
			warn("too many arguments: with -p, give at most one GLOB "
			     "(see 'benchtrace functions --help')");
			return 2;
		}
		if (npos && !strncmp(argv[optind], "py:", 3)) {
			char script[PATH_MAX];

			if (pysource__script_of(pid, script, sizeof(script))) {
				warn("PID %d: no Python script (*.py) on its command line", (int)pid);
				return 1;
			}
			return pysource__list(script, argv[optind]);
		}
		return list_pid(pid, npos ? argv[optind] : NULL);
	}
	if (npos < 1 || npos > 2) {
		warn("%s (usage: benchtrace functions BINARY|-p PID [GLOB])",
		     npos < 1 ? "give a BINARY or -p PID" : "too many arguments");
		return 2;
	}
	if (pysource__is_script(argv[optind]))
		return pysource__list(argv[optind], npos == 2 ? argv[optind + 1] : NULL);
	return list_binary(argv[optind], npos == 2 ? argv[optind + 1] : NULL);
}
