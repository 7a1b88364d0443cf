// SPDX-License-Identifier: GPL-2.0
/*
 * user/elf/exits.c on the ELF fixtures: which files need return-instruction
 * probes, and that the instructions found really are returns or jumps, read
 * back from the file at the offsets exits__find() gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "elf/exits.h"
#include "elf/symtab.h"
#include "testutil.h"

static void test_which_files_need_them(void **state)
{
	(void)state;
	assert_true(exits__needed(bt_elf_fixture("cxx")));	   /* links libstdc++ */
	assert_true(exits__needed(bt_elf_fixture("prog_gofake"))); /* a Go program */
	assert_true(exits__is_go(bt_elf_fixture("prog_gofake")));
	assert_false(exits__is_go(bt_elf_fixture("prog_pie")));
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

#ifdef __x86_64__
/*
 * A function whose code is 256 KiB of ret instructions (a planted binary):
 * every one found once, in linear time (it was a scan per instruction:
 * 3e10 comparisons).
 */
static void test_all_returns(void **state)
{
	char dir[] = "/tmp/test_exits.XXXXXX", path[64], err[512];
	const struct bt_sym *sym;
	struct bt_sym big;
	struct symtab *st;
	unsigned char *rets;
	__u64 *offs;
	clock_t cpu, small_cpu = 0;
	int fd, n, i;
	size_t len;
	char *img;

	(void)state;
	img = bt_read_file(bt_elf_fixture("prog_static"), &len);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/prog", dir);
	bt_write_file(path, img, len);
	free(img);
	assert_int_equal(symtab__load(path, &st, err, sizeof(err)), 0);
	assert_int_equal(symtab__find(st, "train_step", &sym, 1), 1);
	rets = malloc(256 * 1024);
	assert_non_null(rets);
	memset(rets, 0xc3, 256 * 1024);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, rets, 256 * 1024, sym->offset), 256 * 1024);
	close(fd);
	free(rets);
	/*
	 * Linear, not quadratic: 32 KiB of returns first (the least of three
	 * runs), then all of them: eight times the returns take about eight
	 * times the CPU, not 64 (a ratio in this process, so a slow machine or
	 * valgrind changes both alike).
	 */
	big = *sym;
	big.size = 32 * 1024;
	for (i = 0; i < 3; i++) {
		cpu = clock();
		n = exits__find(st, &big, &offs, err, sizeof(err));
		cpu = clock() - cpu;
		if (n < 0)
			fail_msg("%s", err);
		assert_true(n >= 32 * 1024 - 1);
		free(offs);
		if (!i || cpu < small_cpu)
			small_cpu = cpu;
	}
	big.size = 1 << 30; /* as far as the code segment goes (prog_static has 256 KiB more) */
	cpu = clock();
	n = exits__find(st, &big, &offs, err, sizeof(err));
	cpu = clock() - cpu;
	if (n < 0)
		fail_msg("%s", err);
	print_message("32 KiB of returns: %.3f s of CPU, 256 KiB: %.3f s\n",
		      (double)small_cpu / CLOCKS_PER_SEC, (double)cpu / CLOCKS_PER_SEC);
	assert_true(cpu < 24 * (small_cpu + CLOCKS_PER_SEC / 100));
	assert_true(n >= 256 * 1024 - 1); /* all but the entry */
	for (i = 1; i < n; i++)
		assert_true(offs[i] > offs[i - 1]);
	free(offs);

	/* and none at all: code that is not an instruction (fuzz_symtab) */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\xff\xff\xff\xff", 4, sym->offset), 4);
	close(fd);
	offs = NULL;
	assert_int_equal(exits__find(st, &big, &offs, err, sizeof(err)), 0);
	free(offs);
	symtab__free(st);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}
#endif

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_which_files_need_them),
	    cmocka_unit_test(test_exits_are_returns),
#ifdef __x86_64__
	    cmocka_unit_test(test_all_returns),
#endif
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
