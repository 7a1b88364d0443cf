// SPDX-License-Identifier: GPL-2.0
/*
 * user/exits.c on the ELF fixtures: which files need return-instruction
 * probes, and that the instructions found really are returns or jumps, read
 * back from the file at the offsets exits__find() gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "exits.h"
#include "symtab.h"
#include "testutil.h"

static void test_which_files_need_them(void **state)
{
	(void)state;
	assert_true(exits__needed(bt_elf_fixture("cxx")));	   /* links libstdc++ */
	assert_true(exits__needed(bt_elf_fixture("prog_gofake"))); /* a Go program */
	assert_false(exits__needed(bt_elf_fixture("prog_pie")));
	assert_false(exits__needed(bt_elf_fixture("notelf")));
}

/* The bytes at a file offset. */
static void read_at(const char *path, __u64 off, unsigned char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static void check_exits(const char *fixture, const char *func)
{
	const char *path = bt_elf_fixture(fixture);
	const struct bt_sym *sym;
	unsigned char b[2];
	struct symtab *st;
	char err[512];
	__u64 *offs;
	int n, i;

	if (symtab__load(path, &st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(symtab__find(st, func, &sym, 1), 1);
	n = exits__find(st, sym, &offs, err, sizeof(err));
	if (n < 0)
		fail_msg("%s", err);
	print_message("%s in %s: %d exit instruction(s)\n", func, fixture, n);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		/* never the entry: its own probe is there */
		assert_true(offs[i] != sym->offset);
#ifdef __x86_64__
		read_at(path, offs[i], b, sizeof(b));
		/* ret, ret imm16, rep ret, bnd ret, or a jmp leaving the function */
		if (!(b[0] == 0xc3 || b[0] == 0xc2 || (b[0] == 0xf3 && b[1] == 0xc3) ||
		      (b[0] == 0xf2 && b[1] == 0xc3) || b[0] == 0xe9 || b[0] == 0xeb))
			fail_msg("%s exit %d at 0x%llx is %02x %02x, not a return or a jump", func,
				 i, (unsigned long long)offs[i], b[0], b[1]);
#else
		(void)b;
#endif
	}
	free(offs);
	symtab__free(st);
}

static void test_exits_are_returns(void **state)
{
	(void)state;
	check_exits("prog_pie", "train_step"); /* has a .cold part */
	check_exits("prog_pie", "train_stop");
	check_exits("prog_nopie", "my_alloc");
	check_exits("cxx", "main");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_which_files_need_them),
	    cmocka_unit_test(test_exits_are_returns),
	};

	if (bt_init(argc, argv))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
