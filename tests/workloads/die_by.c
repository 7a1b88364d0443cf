// SPDX-License-Identifier: GPL-2.0
/*
 * die_by SIGNAL
 *
 * Dies by signal number SIGNAL with its default action: SIGSEGV by really
 * dereferencing NULL, any other by raise().  Core dumps are disabled
 * (RLIMIT_CORE 0) so a crash does not leave files or wait on a dump helper.
 * Exits 125 if the signal's default action does not kill (e.g. SIGCHLD).
 */
#include <signal.h>
#include "report.h"

int main(int argc, char **argv)
{
	struct rlimit nocore = {0, 0};
	volatile int *volatile null = NULL;
	sigset_t set;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: die_by SIGNAL\n");
		return 2;
	}
	sig = arg_num(argv[1], "SIGNAL");
	if (sig < 1 || sig >= NSIG) {
		fprintf(stderr, "SIGNAL must be 1..%d\n", NSIG - 1);
		return 2;
	}
	setrlimit(RLIMIT_CORE, &nocore);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	report_write(0, NULL);

	if (sig == SIGSEGV)
		return *null;
	raise(sig);
	fprintf(stderr, "die_by: still alive after signal %d\n", sig);
	return 125;
}
