// SPDX-License-Identifier: GPL-2.0
/* Python functions (-u py:SPEC): the hook and the functions it names (python.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "record/calls.h"
#include "record/probes.h"
#include "elf/libpath.h"
#include "elf/symtab.h"
#include "record/python.h"
#include "rundir/escape.h"
#include "rundir/rundir.h"
#include "util/log.h"

#define HOOK_DIR  ".python"
#define HOOK_FILE "sitecustomize.py"
#define EVAL_SO	  "_btpyeval.so"

/* user/record/pyhook.py, as the Makefile turned it into a C string */
static const char pyhook_src[] =
#include "pyhook.inc"
	;

/* user/record/python/btpyeval.c, built as a shared object (3.9-3.11) */
static const unsigned char btpyeval_so[] = {
#include "btpyeval.inc"
};

int python__init(struct python *py, char *const *specs, int n)
{
	size_t len = 0;
	int i;

	memset(py, 0, sizeof(*py));
	py->hook_dirfd = -1;
	py->run_dirfd = -1;
	for (i = 0; i < n; i++)
		if (python__is_spec(specs[i]))
			len += strlen(specs[i]) + 1;
	if (!len)
		return 0;
	py->specs = calloc(1, len + 1);
	if (!py->specs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!python__is_spec(specs[i]))
			continue;
		strcat(py->specs, specs[i] + strlen(PY_SPEC_PREFIX));
		strcat(py->specs, "\n");
		py->nspecs++;
	}
	return py->nspecs;
}

static int write_file(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	ssize_t w;
	int ret;

	if (fd < 0)
		return -errno;
	w = write(fd, data, len);
	ret = w == (ssize_t)len ? 0 : w < 0 ? -errno : -ENOSPC;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

int python__prepare(struct python *py, struct rundir *rd, char *err, size_t errlen)
{
	const char *old = getenv("PYTHONPATH");
	char dir[4096], *path = NULL;
	int ret;

	if (!py->nspecs)
		return 0;
	py->run_dirfd = rundir__dirfd(rd);
	py->hook_dirfd = rundir__mkdir(rd, HOOK_DIR);
	if (py->hook_dirfd < 0) {
		ret = py->hook_dirfd;
		snprintf(err, errlen, "cannot create %s/%s for the Python hook: %s",
			 rundir__path(rd), HOOK_DIR, strerror(-ret));
		return ret;
	}
	ret = write_file(py->hook_dirfd, HOOK_FILE, pyhook_src, sizeof(pyhook_src) - 1, 0444);
	if (!ret)
		ret = write_file(py->hook_dirfd, EVAL_SO, btpyeval_so, sizeof(btpyeval_so), 0555);
	if (ret)
		goto fail;
	/* no bytecode cache beside it: only root could write there (0555) */
	fchmod(py->hook_dirfd, 0555);
	if (!realpath(rundir__path(rd), dir) ||
	    asprintf(&path, "%s/%s%s%s", dir, HOOK_DIR, old && *old ? ":" : "",
		     old && *old ? old : "") < 0) {
		ret = -ENOMEM;
		path = NULL;
		goto fail;
	}
	if (setenv("PYTHONPATH", path, 1) || setenv("BENCHTRACE_PY", py->specs, 1)) {
		ret = -errno;
		goto fail;
	}
	free(path);
	return 0;
fail:
	free(path);
	snprintf(err, errlen, "cannot write the Python hook into %s/%s: %s", rundir__path(rd),
		 HOOK_DIR, strerror(-ret));
	return ret;
}

/* Whether the ELF file at path defines name (-1: not readable as ELF). */
static int defines(const char *path, const char *name)
{
	struct symtab *st;
	char err[256];
	int n;

	if (symtab__load(path, &st, err, sizeof(err)))
		return -1;
	n = symtab__find(st, name, NULL, 0);
	symtab__free(st);
	return n > 0;
}

int python__check_command(const struct python *py, const char *exe, char *err, size_t errlen)
{
	static const char *const old[] = {"libpython2.7", "libpython3.5m", "libpython3.6m",
					  "libpython3.7m", "libpython3.6", "libpython3.7"};
	const char *base = strrchr(exe, '/'), *what = NULL;
	char lib[4096], why[512];
	size_t i;

	base = base ? base + 1 : exe;
	if (!py->nspecs)
		return 0;
	if (!strncmp(base, "pypy", 4))
		what = "PyPy";
	/* a CPython that links its libpython: the library's name says its version */
	for (i = 0; !what && i < sizeof(old) / sizeof(old[0]); i++)
		if (!lib__find_for_exe(exe, old[i], lib, sizeof(lib), why, sizeof(why)))
			what = "a CPython older than 3.8";
	/* one that has it built in: Py_BytesMain came with 3.8 */
	if (!what && defines(exe, "Py_Main") == 1 && defines(exe, "Py_BytesMain") != 1)
		what = "a CPython older than 3.8";
	if (!what)
		return 0; /* 3.8+, or not an interpreter itself (a shell, mpirun): said later */
	snprintf(err, errlen,
		 "-u py:%.*s: %s is %s: Python functions can be timed in CPython 3.8 or later",
		 (int)strcspn(py->specs, "\n"), py->specs, exe, what);
	return -ENOTSUP;
}

/* "NAME\tFILE\tLINE\tMECHANISM" from the hook; fields past the end stay "". */
static void split(char *s, char **f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		f[i] = s;
		s = s ? strchr(s, '\t') : NULL;
		if (s)
			*s++ = 0;
		if (!f[i])
			f[i] = "";
	}
}

int python__event(struct python *py, const struct bt_pyfunc *e, struct probes *ps,
		  struct calls *calls, char *detail, size_t len)
{
	char text[BT_PY_NAME_LEN + 1], *f[4];
	int ret;

	memcpy(text, e->name, BT_PY_NAME_LEN);
	text[BT_PY_NAME_LEN] = 0;
	if (e->type == BT_EV_MARK) {
		/* a benchtrace.h mark: "iter:LOOP", "step:LOOP/STEP", "span:NAME";
		 * a --usdt pair: "usdt:PROVIDER:X" */
		ret = probes__set_python(ps, e->slot, text,
					 strncmp(text, "usdt:", 5) ? "benchtrace.h" : "usdt", 0, "mark");
		if (!ret)
			ret = calls__name_changed(calls, e->slot);
		snprintf(detail, len, "%s", text);
		return ret;
	}
	if (e->slot == BT_PY_NO_SLOT) {
		if (!py->unsupported++)
			snprintf(py->unsupported_what, sizeof(py->unsupported_what), "%s", text);
		snprintf(detail, len, "unsupported %s", text);
		return 0;
	}
	split(text, f, 4);
	py->registered++;
	ret = probes__set_python(ps, e->slot, f[0], f[1], (unsigned int)strtoul(f[2], NULL, 10),
				 f[3]);
	if (!ret)
		ret = calls__name_changed(calls, e->slot);
	snprintf(detail, len, "%s %s:%s %s", f[0], f[1], f[2], f[3]);
	return ret;
}

/* __pycache__/sitecustomize.*.pyc: only an interpreter run as root could write it. */
static void remove_cache(int dirfd)
{
	struct dirent *de;
	DIR *d;
	int fd = openat(dirfd, "__pycache__", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "sitecustomize.", 14))
			unlinkat(fd, de->d_name, 0);
	closedir(d);
	unlinkat(dirfd, "__pycache__", AT_REMOVEDIR);
}

void python__finish(struct python *py, bool report)
{
	char what[256];

	char specs[256], *nl;

	if (py->hook_dirfd >= 0) {
		fchmod(py->hook_dirfd, 0755);
		remove_cache(py->hook_dirfd);
		unlinkat(py->hook_dirfd, HOOK_FILE, 0);
		unlinkat(py->hook_dirfd, EVAL_SO, 0);
		close(py->hook_dirfd);
		py->hook_dirfd = -1;
		if (unlinkat(py->run_dirfd, HOOK_DIR, AT_REMOVEDIR))
			info("cannot remove %s: %s", HOOK_DIR, strerror(errno));
	}
	if (!py->nspecs || !report)
		return;
	snprintf(specs, sizeof(specs), "%s", py->specs);
	while ((nl = strchr(specs, '\n')))
		*nl = nl[1] ? ' ' : 0;
	if (py->unsupported) {
		term_escape(what, sizeof(what), py->unsupported_what);
		warn("-u py:%s: %llu interpreter%s could not be traced (%s): Python functions "
		     "need CPython 3.8 or later",
		     specs, (unsigned long long)py->unsupported, py->unsupported == 1 ? "" : "s",
		     what);
	}
	if (!py->registered && !py->unsupported)
		warn("-u py:%s: no Python function of that name ran: check the name%s, and that "
		     "the command runs CPython 3.8 or later without -I, -E or -S",
		     specs, py->nspecs == 1 ? "" : "s");
}

void python__free(struct python *py)
{
	free(py->specs);
	py->specs = NULL;
}
