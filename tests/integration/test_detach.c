// SPDX-License-Identifier: GPL-2.0
/*
 * Leaving a command that runs on untraced (-d in command mode) must never
 * kill it.  benchtrace's exit orphans the command's process group, and the
 * kernel sends SIGHUP (then SIGCONT) to an orphaned group that holds a
 * stopped process: a command that had stopped itself (SIGTSTP) died.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "filter.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "testutil.h"

#define RUN_TIMEOUT_S 120.0

static int proc_stopped(pid_t pid)
{
	char path[64], buf[512], *paren;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' && paren[2] == 'T';
}

/* -d ends tracing while the command is stopped: it must live on. */
static void test_detach_keeps_stopped_command(void **state)
{
	struct bt_ctx *c = *state;
	char pidfile[BT_PATH_MAX], alive[BT_PATH_MAX], meta[BT_PATH_MAX + 16],
	    script[5 * BT_PATH_MAX];
	char outcome[32] = "";
	const char *argv[] = {bt_benchtrace(), "-q", "-d",   "1", "-o", c->tmp.run_dir, "--",
			      "/bin/sh",       "-c", script, NULL};
	struct bt_proc p;
	pid_t cmd = 0;
	int stopped = 0;
	char *s;
	double t0;

	bt_require_bpf();
	bt_tmp_path(&c->tmp, "pid", pidfile);
	bt_tmp_path(&c->tmp, "alive", alive);
	snprintf(meta, sizeof(meta), "%s/meta.json", c->tmp.run_dir);
	snprintf(script, sizeof(script),
		 "echo $$ > %s.new; mv %s.new %s; kill -TSTP $$; echo yes > %s", pidfile, pidfile,
		 pidfile, alive);
	/*
	 * bt_spawn: its own process group, in this session, as a shell's job.
	 * Not our subreaper (bt_init's): an orphaned command must go to init,
	 * outside this session, as it does under a shell.
	 */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), 0);
	assert_int_equal(bt_spawn(&p, NULL, argv), 0);
	/* the command stopped itself, and tracing has stopped (-d 1) */
	for (t0 = bt_now(); bt_now() - t0 < RUN_TIMEOUT_S; bt_sleep_ms(50)) {
		s = cmd || access(pidfile, F_OK) ? NULL : bt_read_file(pidfile, NULL);
		if (s) {
			cmd = atoi(s);
			free(s);
		}
		if (cmd > 0 && !stopped)
			stopped = proc_stopped(cmd);
		if (stopped && !bt_json_get(meta, "outcome", outcome, sizeof(outcome)) &&
		    strcmp(outcome, "running"))
			break;
	}
	print_message("command %d, outcome %s\n", (int)cmd, outcome);
	assert_true(cmd > 0);
	assert_true(stopped);
	assert_string_equal(outcome, "detached");
	/* give an exiting benchtrace time to orphan the group (the old failure) */
	for (t0 = bt_now(); bt_now() - t0 < 2 && bt_pid_alive(cmd); bt_sleep_ms(50))
		;
	assert_true(bt_pid_alive(cmd));
	assert_int_equal(kill(cmd, SIGCONT), 0);
	bt_wait(&p, &c->res, RUN_TIMEOUT_S);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	assert_false(c->res.timed_out);
	assert_int_equal(c->res.status, 0);
	/* continued, the command finishes its work */
	for (t0 = bt_now(); bt_now() - t0 < RUN_TIMEOUT_S && access(alive, F_OK); bt_sleep_ms(50))
		;
	assert_int_equal(access(alive, F_OK), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_detach_keeps_stopped_command, bt_ctx_setup,
					    bt_ctx_teardown),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace detaching", tests, NULL, NULL);
}
