// SPDX-License-Identifier: GPL-2.0
/*
 * --btf's file checks (kbtf.h), on BTF made here: what parses as BTF (raw,
 * or an ELF file's .BTF section), what does not, and which two BTF objects
 * are the same.  Showing the file to libbpf needs root: test_btf.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"
#include <bpf/btf.h>

#include "record/kbtf.h"
#include "testutil.h"

/* Raw BTF with an int and a struct of @nfields ints, written to @name. */
static const char *write_btf(const char *name, int nfields)
{
	const void *raw;
	struct btf *btf;
	char field[16];
	int i, id;
	__u32 len;

	btf = btf__new_empty();
	assert_non_null(btf);
	id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	assert_true(id > 0);
	assert_true(btf__add_struct(btf, "task", 4 * nfields) > 0);
	for (i = 0; i < nfields; i++) {
		snprintf(field, sizeof(field), "f%d", i);
		assert_int_equal(btf__add_field(btf, field, id, 32 * i, 0), 0);
	}
	raw = btf__raw_data(btf, &len);
	assert_non_null(raw);
	bt_write_file(bt_scratch_path(name), raw, len);
	btf__free(btf);
	return bt_scratch_path(name);
}

static void expect_not_btf(const char *path, const char *msg)
{
	char err[512] = "";

	assert_null(kbtf__load_file(path, err, sizeof(err)));
	if (!strstr(err, msg))
		fail_msg("%s: error '%s' lacks '%s'", path, err, msg);
}

static void test_load_raw_and_compare(void **state)
{
	struct btf *a, *a2, *b;
	char err[512] = "";

	(void)state;
	a = kbtf__load_file(write_btf("a.btf", 3), err, sizeof(err));
	a2 = kbtf__load_file(write_btf("a2.btf", 3), err, sizeof(err));
	/* the same types, one field moved: what gives CO-RE wrong offsets */
	b = kbtf__load_file(write_btf("b.btf", 4), err, sizeof(err));
	assert_non_null(a);
	assert_non_null(a2);
	assert_non_null(b);
	assert_int_equal(btf__type_cnt(a), btf__type_cnt(b));
	assert_true(kbtf__same(a, a2));
	assert_false(kbtf__same(a, b));
	assert_false(kbtf__same(b, a));
	btf__free(a);
	btf__free(a2);
	btf__free(b);
}

static void test_not_btf(void **state)
{
	char *raw;
	size_t len;

	(void)state;
	bt_write_text(bt_scratch_dir(), "text", "root:x:0:0:root:/root:/bin/bash\n");
	expect_not_btf(bt_scratch_path("text"), "text: not a BTF file");
	bt_write_text(bt_scratch_dir(), "empty", "");
	expect_not_btf(bt_scratch_path("empty"), "empty: not a BTF file");
	/* raw BTF whose string section is cut off */
	raw = bt_read_file(write_btf("whole.btf", 8), &len);
	bt_write_file(bt_scratch_path("cut.btf"), raw, len - 10);
	free(raw);
	expect_not_btf(bt_scratch_path("cut.btf"), "cut.btf: not a BTF file");
	/* an ELF file without .BTF */
	expect_not_btf("/bin/sh", "/bin/sh: not a BTF file");
	expect_not_btf(bt_scratch_path("nothing-here"), "--btf: cannot open");
	expect_not_btf(bt_scratch_dir(), "--btf: ");
}

/* A symlink the user named is followed: root gave the path. */
static void test_symlink_followed(void **state)
{
	struct btf *btf;
	char err[512] = "";

	(void)state;
	write_btf("target.btf", 2);
	assert_int_equal(symlink(bt_scratch_path("target.btf"), bt_scratch_path("link.btf")), 0);
	btf = kbtf__load_file(bt_scratch_path("link.btf"), err, sizeof(err));
	if (!btf)
		fail_msg("%s", err);
	assert_int_equal(btf__type_cnt(btf), 3);
	btf__free(btf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_raw_and_compare),
	    cmocka_unit_test(test_not_btf),
	    cmocka_unit_test(test_symlink_followed),
	};

	bt_test_filter();
	return cmocka_run_group_tests(tests, bt_scratch_setup, bt_scratch_teardown);
}
