// SPDX-License-Identifier: GPL-2.0
/*
 * `benchtrace functions` on the ELF fixtures and on a running workload:
 * what it lists, that every listed name is one --uprobe takes back, and its
 * errors.  No BPF needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#define RUN_TIMEOUT_S 30.0

static struct bt_result res;

static void run(int want, const char *a1, const char *a2, const char *a3)
{
	const char *args[] = {"functions", a1, a2, a3, NULL};

	bt_runv(&res, NULL, RUN_TIMEOUT_S, args);
	if (res.timed_out || res.status != want)
		fail_msg("benchtrace functions %s %s %s: exit %d, want %d; stderr: %s",
			 a1 ? a1 : "", a2 ? a2 : "", a3 ? a3 : "", res.status, want, res.err);
}

/* The whole stdout of `benchtrace functions -p PID` (bt_run keeps only BT_OUT_MAX). */
static char *run_pid_all(const char *pid)
{
	char cmd[PATH_MAX + 64], *buf = NULL;
	size_t len = 0;
	FILE *p, *m = open_memstream(&buf, &len);
	int c;

	assert_non_null(m);
	snprintf(cmd, sizeof(cmd), "'%s' functions -p %s", bt_benchtrace(), pid);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = getc(p)) != EOF)
		putc(c, m);
	assert_int_equal(pclose(p), 0);
	fclose(m);
	return buf;
}

static bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);
	const char *p = out;

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
		p++;
	}
	return false;
}

/* Sorted, no line twice, no empty line. */
static void assert_sorted_unique(const char *out)
{
	const char *prev = NULL, *p = out;

	while (*p) {
		const char *nl = strchr(p, '\n');

		assert_non_null(nl);
		assert_true(nl > p);
		if (prev) {
			size_t lp = strchr(prev, '\n') - prev, lc = nl - p;
			int c = strncmp(prev, p, lp < lc ? lp : lc);

			if (c > 0 || (c == 0 && lp >= lc))
				fail_msg("not sorted and unique: '%.*s' then '%.*s'", (int)lp, prev,
					 (int)lc, p);
		}
		prev = p;
		p = nl + 1;
	}
}

static void test_lists_binary(void **state)
{
	(void)state;
	run(0, bt_elf_fixture("prog_pie"), NULL, NULL);
	assert_sorted_unique(res.out);
	assert_true(has_line(res.out, "train_step"));
	assert_true(has_line(res.out, "local_helper"));
	assert_true(has_line(res.out, "my_alloc"));
	assert_true(has_line(res.out, "__my_alloc"));
	assert_false(has_line(res.out, "fast"));	    /* an IFUNC */
	assert_false(has_line(res.out, "train_step.cold")); /* a fragment */
	assert_string_equal(res.err, "");

	run(0, bt_elf_fixture("prog_nopie"), "train_*", NULL);
	assert_string_equal(res.out, "train_begin\ntrain_step\ntrain_stop\n");
}

/* Each name listed for the C++ fixture, given back as GLOB, lists exactly itself. */
static void test_cxx_names_round_trip(void **state)
{
	char out[BT_OUT_MAX], *line, *save = NULL;
	int n = 0;

	(void)state;
	run(0, bt_elf_fixture("cxx"), NULL, NULL);
	assert_true(has_line(res.out, "ns::Cls::step(int)"));
	assert_true(has_line(res.out, "ns::Vec::operator[](int) const"));
	assert_true(has_line(res.out, "int ns::pick<int>(int)"));
	snprintf(out, sizeof(out), "%s", res.out);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char want[1024];

		run(0, bt_elf_fixture("cxx"), line, NULL);
		snprintf(want, sizeof(want), "%s\n", line);
		assert_string_equal(res.out, want);
		n++;
	}
	assert_true(n >= 10);
	run(0, bt_elf_fixture("cxx"), "ns::Cls::step", NULL);
	assert_string_equal(res.out, "ns::Cls::step(double)\nns::Cls::step(int)\n");
}

static void test_errors(void **state)
{
	(void)state;
	run(1, bt_elf_fixture("prog_pie"), "trian_step", NULL);
	assert_non_null(strstr(res.err, "no function named 'trian_step'"));
	assert_non_null(strstr(res.err, "did you mean 'train_step'"));
	assert_string_equal(res.out, "");
	assert_int_equal(bt_count_lines(res.err), 1);

	run(1, bt_elf_fixture("prog_stripped"), NULL, NULL);
	assert_non_null(strstr(res.err, "stripped"));
	run(1, bt_elf_fixture("notelf"), NULL, NULL);
	assert_non_null(strstr(res.err, "not an ELF file"));
	run(1, bt_elf_fixture("truncated"), NULL, NULL);
	assert_non_null(strstr(res.err, "truncated or corrupt"));
	run(1, bt_elf_fixture("nosuch"), NULL, NULL);
	assert_non_null(strstr(res.err, "no such file"));
	run(1, bt_elf_fixture("prog_pie"), "fast", NULL);
	assert_non_null(strstr(res.err, "IFUNC"));

	run(2, NULL, NULL, NULL);
	run(2, bt_elf_fixture("prog_pie"), "a", "b");
	run(2, "-p", "12abc", NULL);
	run(2, "--bogus", NULL, NULL);
	run(0, "--help", NULL, NULL);
	assert_non_null(strstr(res.out, "Usage: benchtrace functions"));
}

/* A stripped library: its exported functions, with a note saying so. */
static void test_stripped_library(void **state)
{
	(void)state;
	run(0, bt_elf_fixture("libbtfix_stripped.so"), NULL, NULL);
	assert_string_equal(res.out, "bt_fix_add\nbt_fix_mul\nbt_fix_mul_alias\nbt_fix_old\n"
				     "bt_fix_old@BTFIX_1\n");
	assert_non_null(strstr(res.err, "stripped"));
}

static void test_pid(void **state)
{
	char wl[BT_PATH_MAX], pidstr[32], *p, *all;
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(bt_workload(wl, "sleeper"), "sleeper", "30", (char *)NULL);
		_exit(127);
	}
	bt_sleep_ms(100); /* let it exec and map its libraries */
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);

	all = run_pid_all(pidstr);
	assert_sorted_unique(all);
	assert_true(has_line(all, "main"));		/* the executable: bare */
	assert_true(has_line(all, "libc.so.6:malloc")); /* libraries: LIB:NAME */
	assert_false(has_line(all, "malloc"));
	assert_true(bt_count_lines(all) > 1000);
	free(all);

	run(0, "-p", pidstr, "libc:mall*");
	for (p = res.out; *p; p = strchr(p, '\n') + 1)
		assert_int_equal(strncmp(p, "libc.so.6:mall", 14), 0);
	assert_true(has_line(res.out, "libc.so.6:malloc"));

	run(0, "-p", pidstr, "main");
	assert_string_equal(res.out, "main\n");

	run(1, "-p", pidstr, "libc:mallco");
	assert_non_null(strstr(res.err, "'libc.so.6:malloc'"));

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	run(1, "-p", pidstr, NULL);
	assert_non_null(strstr(res.err, "no process"));
}

/* Reading a binary needs no privileges: run as nobody, from copies nobody can read. */
static void test_no_root_needed(void **state)
{
	char dir[] = "/tmp/test_functions.XXXXXX", cmd[7 * PATH_MAX], bin[PATH_MAX], prog[PATH_MAX];
	int status;
	pid_t pid;

	(void)state;
	if (getuid() != 0) {
		run(0, bt_elf_fixture("prog_pie"), "train_step", NULL);
		assert_string_equal(res.out, "train_step\n");
		return;
	}
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(bin, sizeof(bin), "%s/benchtrace", dir);
	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && cp '%s' '%s' && chmod 755 '%s' '%s'",
		 bt_benchtrace(), bin, bt_elf_fixture("prog_pie"), prog, bin, prog);
	assert_int_equal(system(cmd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		dup2(fd, 1);
		execl(bin, "benchtrace", "functions", prog, "train_step", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists_binary), cmocka_unit_test(test_cxx_names_round_trip),
	    cmocka_unit_test(test_errors),	 cmocka_unit_test(test_stripped_library),
	    cmocka_unit_test(test_pid),		 cmocka_unit_test(test_no_root_needed),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
