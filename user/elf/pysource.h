/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Python functions a script defines, for `benchtrace functions
 * SCRIPT.py` and `-p PID py:GLOB` (pysource.c): read by the interpreter's
 * own parser (ast), never run.
 */
#ifndef BT_PYSOURCE_H
#define BT_PYSOURCE_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether the functions subcommand should read path as Python source. */
bool pysource__is_script(const char *path);
/*
 * Print "py:QUALNAME" for each function and method defined in script,
 * sorted, those matching glob (with or without "py:"; NULL: all).  The
 * exit status: 0 if something was listed, 1 on an error (said on stderr).
 */
int pysource__list(const char *script, const char *glob);
/* The script a running interpreter was started with, as a path we can open. */
int pysource__script_of(pid_t pid, char *buf, size_t len);

#endif /* BT_PYSOURCE_H */
