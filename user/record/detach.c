// SPDX-License-Identifier: GPL-2.0
/* Leaving a command that runs on untraced without harming it (detach.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "record/detach.h"

bool detach__is_stopped(pid_t pid)
{
	char path[64], buf[512], *paren;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "PID (comm) S ...": comm may hold spaces and parentheses */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && (paren[2] == 'T' || paren[2] == 't');
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
