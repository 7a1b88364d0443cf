// SPDX-License-Identifier: GPL-2.0
/*
 * --usdt events' detail: which SDT arguments may be pointers (from the
 * note's "size@location" specs), and a firing's arguments as numbers or,
 * where the argument may be a pointer to printable text, as that text;
 * which probes pair into spans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <stdio.h>
#include <string.h>
#include "bt_abi.h"
#include "elf/usdt.h"
#include "record/usdtrun.h"

static void test_pointer_sized_unsigned_args(void **state)
{
	(void)state;
	/* python3.11's function__entry, gc__start, audit; libc's memory_sbrk_more */
	assert_int_equal(usdt__ptr_args("8@%rbp 8@%r12 -4@%eax"), 0x3);
	assert_int_equal(usdt__ptr_args("-4@112(%rsp)"), 0);
	assert_int_equal(usdt__ptr_args("  -8@%r12  8@%r15 "), 0x2);
	assert_int_equal(usdt__ptr_args("4@%eax 8@$0 -8@8(%rax,%rbx,2)"), 0x2);
	assert_int_equal(usdt__ptr_args(""), 0);
}

static struct bt_usdt_event firing(void)
{
	struct bt_usdt_event u;

	memset(&u, 0, sizeof(u));
	u.type = BT_EV_USDT;
	u.nargs = 3;
	u.args[0] = 0x7f0000001000;
	u.args[1] = 0x7f0000002000;
	u.args[2] = -5;
	strcpy(u.str[0], "say \"hi\" \\ there");
	strcpy(u.str[1], "tab\there");
	u.strs = 0x3;
	return u;
}

static void test_strings_where_args_may_be_pointers(void **state)
{
	struct usdt_site s = {.provider = "python", .name = "function__entry", .ptrs = 0x3};
	struct bt_usdt_event u = firing();
	char buf[512];

	(void)state;
	/* a non-printable string is shown as the number it was read at */
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_string_equal(buf, "python:function__entry \"say \\\"hi\\\" \\\\ there\" "
				 "139637976735744 -5");
	/* a signed or 4-byte argument is a number even if it read as text */
	s.ptrs = 0x2;
	u.str[1][3] = '_';
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_string_equal(buf, "python:function__entry 139637976731648 \"tab_here\" -5");
	/* bytes of a struct that happen to decode as UTF-8 (a CPython tuple's
	 * refcount, seen as python:audit's second argument) are not text */
	strcpy(u.str[1], "F\xca\x9a;");
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_string_equal(buf, "python:function__entry 139637976731648 139637976735744 -5");
	/* nothing read (not a user address, a fault, an empty string) */
	u.strs = 0;
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_string_equal(buf, "python:function__entry 139637976731648 139637976735744 -5");
}

static void test_cut_strings_and_small_buffers(void **state)
{
	struct usdt_site s = {.provider = "p", .name = "n", .ptrs = 0x1};
	struct bt_usdt_event u = firing();
	char buf[512];

	(void)state;
	u.nargs = 1;
	memset(u.str[0], 'x', BT_USDT_STR - 1);
	u.str[0][BT_USDT_STR - 1] = 0;
	u.trunc = 0x1;
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_int_equal(strlen(buf), strlen("p:n \"\"...") + BT_USDT_STR - 1);
	assert_string_equal(buf + strlen(buf) - 5, "x\"...");
	/* an unterminated buffer is not trusted */
	u.str[0][BT_USDT_STR - 1] = 'x';
	usdtrun__format(&s, &u, buf, sizeof(buf));
	assert_string_equal(buf, "p:n 139637976731648");
	/* too little room: cut, always terminated */
	usdtrun__format(&s, &u, buf, 8);
	assert_string_equal(buf, "p:n 139");
	usdtrun__format(NULL, &u, buf, sizeof(buf));
	assert_string_equal(buf, "?:? 139637976731648");
}

static void site(struct usdtrun *u, const char *path, const char *prov, const char *name)
{
	struct usdt_site *s = &u->s[u->n++];

	memset(s, 0, sizeof(*s));
	s->path = (char *)path;
	snprintf(s->provider, sizeof(s->provider), "%s", prov);
	snprintf(s->name, sizeof(s->name), "%s", name);
}

static void test_pairs_by_name(void **state)
{
	struct usdt_site sites[10];
	static struct usdtrun u;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.s = sites;
	site(&u, "/py", "python", "gc__done");
	site(&u, "/py", "python", "gc__start");
	site(&u, "/py", "python", "function__entry");
	site(&u, "/py", "python", "function__return");
	site(&u, "/py", "python", "import__find__load__start"); /* no __done asked for */
	site(&u, "/py", "other", "gc__done");			/* another provider */
	site(&u, "/lib", "python", "gc__start");		/* another file */
	site(&u, "/py", "python", "x__start");
	site(&u, "/py", "python", "x__return"); /* __start goes with __done */
	assert_int_equal(usdtrun__pair(&u), 2);
	assert_string_equal(u.pairs[0], "usdt:python:gc");
	assert_string_equal(u.pairs[1], "usdt:python:function");
	assert_int_equal(sites[1].span, 1);
	assert_false(sites[1].span_end);
	assert_int_equal(sites[0].span, 1);
	assert_true(sites[0].span_end);
	assert_int_equal(sites[2].span, 2);
	assert_int_equal(sites[3].span, 2);
	assert_true(sites[3].span_end);
	for (int i = 4; i < 9; i++)
		assert_int_equal(sites[i].span, 0);
	assert_true(u.marks);
	/* pairing again pairs nothing more */
	assert_int_equal(usdtrun__pair(&u), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pointer_sized_unsigned_args),
	    cmocka_unit_test(test_strings_where_args_may_be_pointers),
	    cmocka_unit_test(test_cut_strings_and_small_buffers),
	    cmocka_unit_test(test_pairs_by_name),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
