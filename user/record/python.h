/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Python functions (-u py:SPEC), timed from the kernel: the hook
 * (pyhook.py, built into benchtrace) that marks their starts and ends in
 * the interpreters the command starts, and the functions it names as they
 * are first called.  docs/python.md says why it works this way.
 */
#ifndef BT_PYTHON_H
#define BT_PYTHON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
#include "bt_abi.h"

struct calls;
struct probes;
struct rundir;

#define PY_SPEC_PREFIX "py:"

struct python {
	char *specs;   /* the py: specs without the prefix, one a line (BENCHTRACE_PY) */
	int nspecs;
	int hook_dirfd; /* RUN_DIR/.python, holding sitecustomize.py; -1 if none */
	int run_dirfd;
	__u64 registered;  /* functions named by the interpreters */
	__u64 unsupported; /* interpreters that could not be traced */
	char unsupported_what[BT_PY_NAME_LEN + 1];
};

static inline bool python__is_spec(const char *spec)
{
	return spec && !strncmp(spec, PY_SPEC_PREFIX, sizeof(PY_SPEC_PREFIX) - 1);
}

/*
 * Keep the py: specs of specs[0..n) (others are native).  Returns how many
 * there were, or -ENOMEM.
 */
int python__init(struct python *py, char *const *specs, int n);
/*
 * Before the command starts: exe, if it is a CPython interpreter (or links
 * one), must be 3.8 or later, and not PyPy.  0, or -ENOTSUP with err set.
 * A command that is not an interpreter itself (a shell, mpirun) is not
 * checked here: its interpreters say so when they start.
 */
int python__check_command(const struct python *py, const char *exe, char *err, size_t errlen);
/*
 * Write the hook into the run directory and point the command's
 * interpreters at it (PYTHONPATH, BENCHTRACE_PY in this process's
 * environment, which the command inherits).  0, or -errno with err set.
 */
int python__prepare(struct python *py, struct rundir *rd, char *err, size_t errlen);
/*
 * A BT_EV_PYFUNC record: name the function in the probe table and the
 * calls writer.  detail gets the events.csv detail for it.  0 or -ENOMEM.
 */
int python__event(struct python *py, const struct bt_pyfunc *e, struct probes *ps,
		  struct calls *calls, char *detail, size_t len);
/*
 * Remove the hook from the run directory; with report, say on stderr what
 * could not be traced (even under -q: the fix is the user's to make).
 */
void python__finish(struct python *py, bool report);
void python__free(struct python *py);

#endif /* BT_PYTHON_H */
