/* SPDX-License-Identifier: GPL-2.0 */
/* Leaving a command that runs on untraced without harming it (detach.c). */
#ifndef BT_RECORD_DETACH_H
#define BT_RECORD_DETACH_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether /proc says PID is stopped (state T: SIGSTOP, SIGTSTP...). */
bool detach__is_stopped(pid_t pid);

/*
 * Return once PID is no longer stopped (or gone).  benchtrace's exit would
 * orphan the command's process group, and the kernel hangs up (SIGHUP) an
 * orphaned group that holds a stopped process: waiting is what keeps a
 * command that stopped itself alive.  Says so on stderr unless QUIET.
 */
void detach__wait_stopped(pid_t pid, bool quiet);

#endif
