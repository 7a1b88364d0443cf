// SPDX-License-Identifier: GPL-2.0
/*
 * The command line (user/record/opts.c): every option's argument goes through
 * parse.h (-p PID lists, -i DUR or auto, -d, --min-duration, --max-procs),
 * in any order and combination.  What opts__parse() accepts must hold
 * together: a mode, PIDs in range, an interval of 0 (auto) or >= 100us.
 *
 * Input: the arguments after "benchtrace", separated by NUL bytes.
 * Usage errors go to stderr: run with -close_fd_mask=3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "record/opts.h"
#include "util/parse.h"

#define MAX_ARGS 64

static struct opts o;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size), *argv[MAX_ARGS + 2], *p = buf;
	int argc = 0, ret, i;

	argv[argc++] = "benchtrace";
	while (p < buf + size && argc <= MAX_ARGS) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	ret = opts__parse(&o, argc, argv);
	if (ret == 0) {
		if (o.mode == BT_MODE_NONE)
			abort();
		if (o.mode == BT_MODE_PIDS && (o.npids < 1 || o.npids > BT_MAX_PIDS))
			abort();
		for (i = 0; i < o.npids; i++)
			if (o.pids[i] < 1 || o.pids[i] > BT_PID_MAX)
				abort();
		if (o.interval_ns && o.interval_ns < 100000)
			abort();
		if (o.mode == BT_MODE_COMMAND && (!o.cmd || !o.cmd[0]))
			abort();
		if (o.nuprobes < 0 || o.nuprobes > BT_MAX_UPROBES)
			abort();
		if (!o.max_procs || !o.max_threads)
			abort();
	} else if (ret != 2 && ret != -1) {
		abort();
	}
	free(buf);
	return 0;
}
