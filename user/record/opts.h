/* SPDX-License-Identifier: GPL-2.0 */
/* The command line of `benchtrace [OPTIONS] (-p PID | -a | -- COMMAND)`. */
#ifndef BT_OPTS_H
#define BT_OPTS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/types.h>

#define BT_MAX_PIDS 1024
#define BT_MAX_UPROBES 256 /* --uprobe options */

enum bt_mode {
	BT_MODE_NONE,
	BT_MODE_COMMAND,
	BT_MODE_PIDS,
	BT_MODE_ALL,
};

struct opts {
	enum bt_mode mode;
	const char *output;
	__u64 interval_ns; /* 0: auto */
	__u64 duration_ns; /* 0: until the target ends or Ctrl-C */
	pid_t pids[BT_MAX_PIDS];
	int npids;
	char **cmd; /* argv of COMMAND, NULL-terminated */
	const char *user;
	const char *btf; /* --btf FILE */
	bool gzip, quiet, no_children, no_chown, perfetto;
	bool kill_command; /* --kill-command: the command ends with the tracing */
	char *uprobes[BT_MAX_UPROBES]; /* --uprobe SPECs, in order */
	int nuprobes;
	const char *metrics; /* --metrics ADDR, or NULL */
	bool no_logs; /* --no-logs: the run directory is a scratch one, logs discarded */
	char *usdts[BT_MAX_UPROBES]; /* --usdt SPECs */
	int nusdts;
	__u64 min_duration_ns; /* --min-duration: calls.csv rows only for calls this long */
	__u32 max_procs, max_threads;
	int argc; /* the whole command line, for meta.json */
	char **argv;
};

/* Parse argv.  Returns 0 to run, -1 when --help/--version was printed
 * (exit 0), or 2 after printing a usage error. */
int opts__parse(struct opts *o, int argc, char **argv);
void opts__usage(FILE *f);

#endif /* BT_OPTS_H */
