// SPDX-License-Identifier: GPL-2.0
/* Leaving a command that runs on untraced without harming it (detach.h). */
#include <stdio.h>
#include <time.h>

#include "record/detach.h"
#include "record/target.h"

bool detach__is_stopped(pid_t pid)
{
	char st = proc__state(pid);

	return st == 'T' || st == 't';
}

void detach__wait_stopped(pid_t pid, bool quiet)
{
	const struct timespec tick = {.tv_nsec = 100 * 1000 * 1000};

	if (pid <= 0 || !detach__is_stopped(pid))
		return;
	if (!quiet)
		fprintf(stderr,
			"benchtrace: the command (PID %d) is stopped; benchtrace waits until it "
			"continues (fg, kill -CONT %d), since exiting now would make the kernel "
			"hang it up\n",
			(int)pid, (int)pid);
	while (detach__is_stopped(pid))
		nanosleep(&tick, NULL);
}
