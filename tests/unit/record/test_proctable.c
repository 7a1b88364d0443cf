// SPDX-License-Identifier: GPL-2.0
/* processes.csv rows from fork, exec and exit events (record/proctable.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bt_abi.h"
#include "record/proctable.h"
#include "rundir/out.h"

#define MS 1000000ULL

/* The rows proctable__write() gives, with start_ns 1000 ms. */
static char *write_rows(const struct proctable *t)
{
	static char buf[65536];
	FILE *f = tmpfile();
	struct out *o;
	size_t n;

	assert_non_null(f);
	o = out__open_fd(dup(fileno(f)), false);
	assert_non_null(o);
	proctable__write(t, o, 1000 * MS);
	assert_int_equal(out__close(o), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void exec_event(struct proctable *t, __u32 pid, const char *comm, const char *exe,
		       const char *args, size_t args_len)
{
	struct bt_exec_event x = {};

	x.e.type = BT_EV_EXEC;
	x.e.pid = x.e.tid = pid;
	x.e.ts_ns = 1500 * MS;
	snprintf(x.e.comm, sizeof(x.e.comm), "%s", comm);
	snprintf(x.exe, sizeof(x.exe), "%s", exe);
	memcpy(x.args, args, args_len);
	x.args_len = args_len;
	proctable__exec(t, &x);
}

static void test_fork_exec_exit_make_one_row_each(void **state)
{
	struct proctable *t = proctable__new();

	(void)state;
	proctable__fork(t, 10, 1, 1100 * MS, "bash");
	exec_event(t, 10, "mpirun", "/usr/bin/mpirun", "mpirun\0-n\0002\0./a,b\0", 18);
	proctable__fork(t, 11, 10, 1200 * MS, "mpirun");
	exec_event(t, 11, "rank", "./rank", "./rank\0\"q\"\0", 11);
	proctable__fork(t, 12, 11, 1300 * MS, "rank");
	proctable__exit(t, 12, 1400 * MS, 9, false);
	proctable__exit(t, 11, 1600 * MS, 3 << 8, false);
	assert_int_equal(proctable__count(t), 3);
	assert_string_equal(write_rows(t),
			    "10,1,0.100000,,mpirun,/usr/bin/mpirun,\"mpirun -n 2 ./a,b\",running\n"
			    "11,10,0.200000,0.600000,rank,./rank,\"./rank \"\"q\"\"\",code=3\n"
			    /* forked, no exec: its parent's program */
			    "12,11,0.300000,0.400000,rank,./rank,\"./rank \"\"q\"\"\",signal=9\n");
	proctable__free(t);
}

static void test_reused_pid_gets_a_new_row(void **state)
{
	struct proctable *t = proctable__new();
	char *rows;

	(void)state;
	proctable__fork(t, 20, 1, 1100 * MS, "a");
	proctable__exit(t, 20, 1200 * MS, 0, true);
	proctable__fork(t, 20, 1, 1300 * MS, "b");
	proctable__exit(t, 20, 1400 * MS, 0, false);
	/* an exit with no row is ignored; the second exit of one row too */
	proctable__exit(t, 21, 1400 * MS, 0, false);
	proctable__exit(t, 20, 1900 * MS, 9, false);
	rows = write_rows(t);
	assert_string_equal(rows, "20,1,0.100000,0.200000,a,,,oom_killed\n"
				  "20,1,0.300000,0.400000,b,,,code=0\n");
	proctable__free(t);
}

static void test_fork_after_sampler_saw_it_keeps_one_row(void **state)
{
	struct proctable *t = proctable__new();
	int i;

	(void)state;
	/* the sampler may list a process before its fork event is read;
	 * /proc has nothing for this PID, so the row is bare until then */
	proctable__seen(t, 4000000, 1000 * MS);
	proctable__fork(t, 4000000, 30, 1050 * MS, "w");
	assert_int_equal(proctable__count(t), 1);
	assert_string_equal(write_rows(t), "4000000,30,0.050000,,w,,,running\n");
	/* many processes: the index grows */
	for (i = 0; i < 5000; i++)
		proctable__fork(t, 100 + i, 30, 1100 * MS, "x");
	for (i = 0; i < 5000; i += 7)
		proctable__exit(t, 100 + i, 1200 * MS, 0, false);
	assert_int_equal(proctable__count(t), 5001);
	assert_non_null(strstr(write_rows(t), "\n107,30,0.100000,0.200000,x,,,code=0\n"));
	proctable__free(t);
}

static void test_args_line(void **state)
{
	char buf[8];

	(void)state;
	proctable__args_line("a\0b\0", 4, buf, sizeof(buf));
	assert_string_equal(buf, "a b");
	/* cut to the buffer, not past it */
	proctable__args_line("abcdefghij", 10, buf, sizeof(buf));
	assert_string_equal(buf, "abcdefg");
	proctable__args_line("", 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fork_exec_exit_make_one_row_each),
	    cmocka_unit_test(test_reused_pid_gets_a_new_row),
	    cmocka_unit_test(test_fork_after_sampler_saw_it_keeps_one_row),
	    cmocka_unit_test(test_args_line),
	};

	bt_test_filter();
	return cmocka_run_group_tests_name("proctable", tests, NULL, NULL);
}
