// SPDX-License-Identifier: GPL-2.0
/* Python functions a script defines (pysource.h). */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "elf/pysource.h"
#include "rundir/escape.h"
#include "util/log.h"

/*
 * Qualified names as Python builds them (Class.method, f.<locals>.g),
 * tab, first line; from `python3 -I -c LISTER SCRIPT`.  ast, not import:
 * the script's code never runs.
 */
static const char lister[] =
	"import ast, sys\n"
	"def walk(body, prefix):\n"
	"    for n in body:\n"
	"        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):\n"
	"            print('%s\\t%d' % (prefix + n.name, n.lineno))\n"
	"            walk(n.body, prefix + n.name + '.<locals>.')\n"
	"        elif isinstance(n, ast.ClassDef):\n"
	"            walk(n.body, prefix + n.name + '.')\n"
	"        else:\n"
	"            for f in ('body', 'orelse', 'finalbody', 'handlers'):\n"
	"                walk(getattr(n, f, None) or [], prefix)\n"
	"with open(sys.argv[1], 'rb') as f:\n"
	"    walk(ast.parse(f.read(), sys.argv[1]).body, '')\n";

bool pysource__is_script(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && !strcmp(path + n - 3, ".py");
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pysource__list(const char *script, const char *glob)
{
	char *line = NULL, **names = NULL, *tab, shown[512];
	size_t cap = 0, n = 0, ncap = 0, i;
	int pfd[2], status, listed = 0;
	FILE *f;
	pid_t pid;

	if (glob && !strncmp(glob, "py:", 3))
		glob += 3;
	term_escape(shown, sizeof(shown), script);
	if (access(script, R_OK)) {
		warn("%s: %s", shown, strerror(errno));
		return 1;
	}
	if (pipe2(pfd, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		dup2(pfd[1], 1);
		execlp("python3", "python3", "-I", "-c", lister, script, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	while (f && getline(&line, &cap, f) > 0) {
		tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		if (glob && fnmatch(glob, line, 0))
			continue;
		if (n == ncap) {
			char **v = realloc(names, (ncap = ncap ? ncap * 2 : 64) * sizeof(*v));

			if (!v)
				break;
			names = v;
		}
		names[n] = strdup(line);
		if (names[n])
			n++;
	}
	free(line);
	if (f)
		fclose(f);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		warn("%s: python3 could not parse it as Python (%s)", shown,
		     WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "no python3 in PATH"
								      : "a syntax error?");
		listed = -1;
	}
	qsort(names, n, sizeof(*names), str_cmp);
	for (i = 0; i < n && listed >= 0; i++) {
		if (!i || strcmp(names[i], names[i - 1])) {
			printf("py:%s\n", names[i]);
			listed++;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (listed == 0)
		warn("%s: no Python function%s%s", shown, glob ? " matches " : "", glob ? glob : "");
	return listed > 0 ? 0 : 1;
}

int pysource__script_of(pid_t pid, char *buf, size_t len)
{
	char path[64], args[4096], *a, *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, args, sizeof(args) - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	args[n] = 0;
	end = args + n;
	/* the first argument after the interpreter's own options that is a .py file */
	for (a = args + strlen(args) + 1; a < end; a += strlen(a) + 1) {
		if (!pysource__is_script(a))
			continue;
		if (a[0] == '/')
			snprintf(buf, len, "%s", a);
		else
			snprintf(buf, len, "/proc/%d/cwd/%s", (int)pid, a);
		return 0;
	}
	return -ENOENT;
}
