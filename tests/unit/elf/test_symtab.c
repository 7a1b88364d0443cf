// SPDX-License-Identifier: GPL-2.0
/*
 * symtab on the fixtures in tests/fixtures/elf/.  Offsets are checked
 * against what the dynamic loader really mapped (the fixtures print their
 * functions' bytes from memory; the shared library is dlopen()ed here),
 * addresses against nm(1).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "elf/symtab.h"
#include "testutil.h"

static struct symtab *load(const char *path)
{
	struct symtab *st = NULL;
	char err[512];
	int ret = symtab__load(path, &st, err, sizeof(err));

	if (ret)
		fail_msg("symtab__load(%s) = %d: %s", path, ret, err);
	assert_non_null(st);
	return st;
}

/* The one function @name matches; fails unless exactly one does. */
static const struct bt_sym *find1(const struct symtab *st, const char *name)
{
	const struct bt_sym *out[8];
	int n = symtab__find(st, name, out, 8);

	if (n != 1)
		fail_msg("symtab__find(%s, '%s') = %d, want 1", symtab__path(st), name, n);
	return out[0];
}

/* Hex of @n bytes of @path at file offset @off. */
static void file_hex(const char *path, __u64 off, size_t n, char *hex)
{
	unsigned char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t i;

	assert_true(fd >= 0);
	assert_true(n <= sizeof(buf));
	assert_int_equal(pread(fd, buf, n, off), (ssize_t)n);
	close(fd);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", buf[i]);
}

static void mem_hex(const void *p, size_t n, char *hex)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", b[i]);
}

/*
 * Run "FIXTURE dump" and check every function it printed: its bytes in
 * memory equal the file's bytes at the offset symtab computed.  Returns how
 * many it checked; *bias is the load address minus the symbol's address.
 */
static void load_err(const char *path, int want, const char *needle);

static int check_dump(const char *path, const struct symtab *st, bool absolute)
{
	char cmd[PATH_MAX + 16], line[1024];
	long long bias = 0;
	bool have_bias = false;
	int n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' dump", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *bytes, *addr, want[64], got[64];
		const struct bt_sym *s;
		unsigned long a;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		bytes = strrchr(line, ' ');
		assert_non_null(bytes);
		*bytes++ = '\0';
		addr = strrchr(line, ' ');
		assert_non_null(addr);
		*addr++ = '\0';
		a = strtoul(addr, NULL, 16);
		s = find1(st, line);
		assert_string_equal(s->name, line);
		assert_true(s->size > 0);
		len = s->size < 16 ? s->size : 16;
		file_hex(path, s->offset, len, got);
		snprintf(want, sizeof(want), "%.*s", (int)(2 * len), bytes);
		if (strcmp(want, got))
			fail_msg("%s in %s: file bytes at offset %#llx are %s, memory has %s", line,
				 path, (unsigned long long)s->offset, got, want);
		if (absolute && a != s->addr)
			fail_msg("%s: runs at %#lx, symbol says %#llx", line, a,
				 (unsigned long long)s->addr);
		/* PIE: one load bias for all, page-aligned. */
		if (!have_bias) {
			bias = (long long)a - (long long)s->addr;
			have_bias = true;
		}
		assert_int_equal((long long)a - (long long)s->addr, bias);
		assert_int_equal(bias & 4095, 0);
		n++;
	}
	assert_int_equal(pclose(p), 0);
	return n;
}

static void test_offsets_nopie(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_nopie"));

	(void)state;
	assert_false(symtab__stripped(st));
	assert_int_equal(check_dump(bt_elf_fixture("prog_nopie"), st, true), 6);
	symtab__free(st);
}

static void test_offsets_pie(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_pie"));

	(void)state;
	assert_int_equal(check_dump(bt_elf_fixture("prog_pie"), st, false), 6);
	symtab__free(st);
}

/* A stripped program whose .symtab is in a separate debug file. */
static void test_debug_file(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_dbglink"));
	const char *df = symtab__debug_file(st);
	struct symtab *full = load(bt_elf_fixture("prog_pie"));

	(void)state;
	assert_false(symtab__stripped(st));
	assert_non_null(df);
	assert_string_equal(strrchr(df, '/'), "/prog_dbglink.debug");
	/* The stripped program really runs these bytes at these offsets. */
	assert_int_equal(check_dump(bt_elf_fixture("prog_dbglink"), st, false), 6);
	/* The same functions as the unstripped build. */
	assert_int_equal(symtab__count(st), symtab__count(full));
	for (int i = 0; i < symtab__count(st); i++) {
		assert_string_equal(symtab__get(st, i)->name, symtab__get(full, i)->name);
		assert_int_equal(symtab__get(st, i)->offset, symtab__get(full, i)->offset);
	}
	assert_null(symtab__debug_file(full));
	symtab__free(full);
	symtab__free(st);
	/* A debug file of another build is not used: CRC mismatch, so stripped. */
	load_err(bt_elf_fixture("prog_dbgwrong"), -ENODATA, "stripped");
}

/*
 * A .gnu_debuglink holding a path ("../x.debug") is refused: objcopy writes
 * a file name, and a planted binary must not point root at any file.
 */
static void test_debuglink_with_path(void **state)
{
	char dir[] = "/tmp/test_symtab.XXXXXX", sub[64], prog[64], dbg[64], *link;
	size_t len, dlen;
	char *img, *debug;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(prog, sizeof(prog), "%s/sub/prog", dir);
	snprintf(dbg, sizeof(dbg), "%s/g_dbglink.debug", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	img = bt_read_file(bt_elf_fixture("prog_dbglink"), &len);
	link = memmem(img, len, "prog_dbglink.debug", 19);
	assert_non_null(link);
	memcpy(link, "../g_dbglink.debug", 18); /* same length: the CRC stays where it was */
	bt_write_file(prog, img, len);
	debug = bt_read_file(bt_elf_fixture("prog_dbglink.debug"), &dlen);
	bt_write_file(dbg, debug, dlen);
	free(img);
	free(debug);
	load_err(prog, -ENODATA, "stripped");
	assert_int_equal(unlink(prog), 0);
	assert_int_equal(unlink(dbg), 0);
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_offsets_cxx(void **state)
{
	struct symtab *st = load(bt_elf_fixture("cxx"));

	(void)state;
	assert_int_equal(check_dump(bt_elf_fixture("cxx"), st, false), 7);
	symtab__free(st);
}

/* A library mapped by this very process: symbol bytes in memory vs the file at the offset. */
static void check_lib_symbol(const struct symtab *st, const char *path, const void *mem,
			     const char *name)
{
	const struct bt_sym *s = find1(st, name);
	char want[64], got[64];
	size_t len = s->size < 16 ? s->size : 16;

	assert_non_null(mem);
	assert_true(len > 0);
	mem_hex(mem, len, want);
	file_hex(path, s->offset, len, got);
	if (strcmp(want, got))
		fail_msg("%s: file bytes %s at %#llx, memory %s", name, got,
			 (unsigned long long)s->offset, want);
}

static void test_offsets_shared_lib(void **state)
{
	const char *path = bt_elf_fixture("lib/libbtfix.so.1");
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	struct symtab *st, *sst;
	Dl_info di;

	(void)state;
	if (!h)
		fail_msg("dlopen %s: %s", path, dlerror());
	st = load(path);
	check_lib_symbol(st, path, dlsym(h, "bt_fix_add"), "bt_fix_add");
	check_lib_symbol(st, path, dlsym(h, "bt_fix_mul"), "bt_fix_mul");
	check_lib_symbol(st, path, dlvsym(h, "bt_fix_old", "BTFIX_2"), "bt_fix_old");
	/* The same symbols from the stripped copy, through .dynsym alone. */
	sst = load(bt_elf_fixture("libbtfix_stripped.so"));
	assert_true(symtab__stripped(sst));
	check_lib_symbol(sst, path, dlsym(h, "bt_fix_add"), "bt_fix_add");
	check_lib_symbol(sst, path, dlvsym(h, "bt_fix_old", "BTFIX_1"), "bt_fix_old@BTFIX_1");
	check_lib_symbol(sst, path, dlvsym(h, "bt_fix_old", "BTFIX_2"), "bt_fix_old");
	/* The two versions are different functions. */
	assert_true(find1(sst, "bt_fix_old")->addr != find1(sst, "bt_fix_old@BTFIX_1")->addr);
	/* Offset against the load base too: st_value + base is where it runs. */
	assert_true(dladdr(dlsym(h, "bt_fix_mul"), &di));
	assert_ptr_equal((char *)di.dli_fbase + find1(st, "bt_fix_mul")->addr,
			 dlsym(h, "bt_fix_mul"));
	/* A hidden function is in .symtab only. */
	find1(st, "bt_fix_hidden");
	assert_int_equal(symtab__find(sst, "bt_fix_hidden", NULL, 0), 0);
	symtab__free(sst);
	symtab__free(st);
	dlclose(h);
}

/* Every text symbol nm(1) lists is there, at nm's address. */
static void check_nm(const char *path)
{
	char cmd[PATH_MAX + 64], line[4096];
	struct symtab *st = load(path);
	int checked = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm --defined-only '%s'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		unsigned long long addr;
		char type, name[4000];
		const struct bt_sym *out[16];
		int n, i;

		if (sscanf(line, "%llx %c %3999s", &addr, &type, name) != 3)
			continue;
		if (type == 'i') { /* IFUNC: deliberately absent */
			assert_int_equal(symtab__find(st, name, NULL, 0), 0);
			assert_true(symtab__is_ifunc(st, name));
			continue;
		}
		if ((type != 'T' && type != 't') || strstr(name, ".cold"))
			continue;
		n = symtab__find_names(st, name, out, 16);
		for (i = 0; i < n && i < 16; i++)
			if (!strcmp(out[i]->raw, name) && out[i]->addr == addr)
				break;
		if (i == n || i == 16)
			fail_msg("%s: nm has %s at %#llx, symtab does not", path, name, addr);
		checked++;
	}
	assert_int_equal(pclose(p), 0);
	assert_true(checked >= 8);
	/* And nothing more: every entry's raw name is one nm has (checked the other way). */
	symtab__free(st);
}

static void test_addresses_match_nm(void **state)
{
	(void)state;
	check_nm(bt_elf_fixture("prog_nopie"));
	check_nm(bt_elf_fixture("prog_pie"));
	check_nm(bt_elf_fixture("cxx"));
	check_nm(bt_elf_fixture("lib/libbtfix.so.1"));
}

static void test_sorted_unique(void **state)
{
	struct symtab *st = load(bt_elf_fixture("cxx"));
	int i;

	(void)state;
	assert_true(symtab__count(st) > 10);
	for (i = 1; i < symtab__count(st); i++) {
		const struct bt_sym *a = symtab__get(st, i - 1), *b = symtab__get(st, i);

		assert_true(strcmp(a->name, b->name) <= 0);
		assert_false(!strcmp(a->name, b->name) && !strcmp(a->raw, b->raw) &&
			     a->addr == b->addr);
	}
	assert_null(symtab__get(st, symtab__count(st)));
	assert_null(symtab__get(st, -1));
	assert_string_equal(symtab__path(st), bt_elf_fixture("cxx"));
	symtab__free(st);
}

static void test_cxx_matching(void **state)
{
	struct symtab *st = load(bt_elf_fixture("cxx"));
	const struct bt_sym *out[8], *s;
	int n;

	(void)state;
	/* Without the parameter list: both overloads. */
	n = symtab__find(st, "ns::Cls::step", out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0]->name, "ns::Cls::step(double)");
	assert_string_equal(out[1]->name, "ns::Cls::step(int)");
	/* With it: one. */
	s = find1(st, "ns::Cls::step(int)");
	assert_string_equal(s->raw, "_ZN2ns3Cls4stepEi");
	assert_string_equal(symtab__short_name(s), "ns::Cls::step");
	/* By the mangled name. */
	assert_ptr_equal(find1(st, "_ZN2ns3Cls4stepEd"), out[0]);
	/* Globs over demangled names. */
	assert_int_equal(symtab__find(st, "ns::Cls::*", NULL, 0), 3);
	assert_int_equal(symtab__find(st, "ns::*", NULL, 0), 6);
	assert_int_equal(symtab__find(st, "*step(int)", NULL, 0), 1);
	/* '[' and ']' would be a glob bracket: the exact name still works. */
	s = find1(st, "ns::Vec::operator[](int) const");
	assert_string_equal(symtab__short_name(s), "ns::Vec::operator[]");
	assert_ptr_equal(find1(st, "ns::Vec::operator[]"), s);
	/* A template function: its return type is not part of the short name. */
	s = find1(st, "ns::pick<int>");
	assert_string_equal(s->name, "int ns::pick<int>(int)");
	/* extern "C" stays as it is. */
	assert_string_equal(find1(st, "c_linkage")->raw, "c_linkage");
	symtab__free(st);
}

static void test_globs(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_pie"));
	const struct bt_sym *out[8];
	int n;

	(void)state;
	n = symtab__find(st, "train_*", out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0]->name, "train_begin");
	assert_string_equal(out[1]->name, "train_step");
	assert_string_equal(out[2]->name, "train_stop");
	/* The total even when @max is smaller. */
	out[1] = NULL;
	assert_int_equal(symtab__find(st, "train_*", out, 1), 3);
	assert_null(out[1]);
	assert_int_equal(symtab__find(st, "train_st?p", NULL, 0), 2);
	assert_int_equal(symtab__find(st, "train_st[eo]p", NULL, 0), 2);
	assert_int_equal(symtab__find(st, "train_step", NULL, 0), 1);
	assert_int_equal(symtab__find(st, "Train_step", NULL, 0), 0);
	assert_int_equal(symtab__find(st, "nothing*", NULL, 0), 0);
	/* Static functions are in .symtab too. */
	assert_int_equal(symtab__find(st, "local_helper", NULL, 0), 1);
	symtab__free(st);
}

static void test_alias_dedupe(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_nopie"));
	const struct bt_sym *out[8];

	(void)state;
	/* Two names, one address: one match, under the name asked for. */
	assert_int_equal(symtab__find(st, "*my_alloc", out, 8), 1);
	assert_string_equal(out[0]->name, "my_alloc");
	assert_int_equal(symtab__find(st, "__my_alloc", out, 8), 1);
	assert_string_equal(out[0]->name, "__my_alloc");
	assert_int_equal(symtab__find(st, "my_alloc", out, 8), 1);
	assert_string_equal(out[0]->name, "my_alloc");
	/* Listing names keeps both. */
	assert_int_equal(symtab__find_names(st, "*my_alloc", out, 8), 2);
	assert_int_equal(out[0]->addr, out[1]->addr);
	symtab__free(st);
}

static void test_ifunc_and_cold_excluded(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_pie"));
	char err[512];
	int i;

	(void)state;
	assert_int_equal(symtab__find(st, "fast", NULL, 0), 0);
	assert_true(symtab__is_ifunc(st, "fast"));
	assert_false(symtab__is_ifunc(st, "train_step"));
	symtab__explain_miss(st, "fast", "./prog", err, sizeof(err));
	assert_non_null(strstr(err, "IFUNC"));
	/* The resolver is an ordinary function. */
	assert_int_equal(symtab__find(st, "fast_resolver", NULL, 0), 1);
	for (i = 0; i < symtab__count(st); i++)
		assert_null(strstr(symtab__get(st, i)->raw, ".cold"));
	/* ... and the fixture does have a .cold part (else this proves nothing). */
	{
		char cmd[PATH_MAX + 64];

		snprintf(cmd, sizeof(cmd), "nm '%s' | grep -q 'train_step\\.cold'",
			 bt_elf_fixture("prog_pie"));
		assert_int_equal(system(cmd), 0);
	}
	symtab__free(st);
}

static void test_suggest(void **state)
{
	struct symtab *st = load(bt_elf_fixture("prog_pie")), *cx = load(bt_elf_fixture("cxx"));
	char buf[256], err[512];

	(void)state;
	assert_true(symtab__suggest(st, "trian_step", buf, sizeof(buf)) >= 1);
	assert_int_equal(strncmp(buf, "'train_step'", 12), 0);
	assert_true(symtab__suggest(st, "TRAIN_STOP", buf, sizeof(buf)) >= 1);
	assert_int_equal(strncmp(buf, "'train_stop'", 12), 0);
	assert_int_equal(symtab__suggest(st, "trian_*", buf, sizeof(buf)), 3);
	assert_non_null(strstr(buf, "'train_begin'"));
	assert_int_equal(symtab__suggest(st, "zzqqxxyy", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* Substrings count for a name typed without its prefix. */
	assert_true(symtab__suggest(st, "helper", buf, sizeof(buf)) >= 1);
	assert_non_null(strstr(buf, "'local_helper'"));
	/* C++: the name without parameters, overloads once. */
	assert_int_equal(symtab__suggest(cx, "ns::Cls::stpe", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "'ns::Cls::step'");
	/* A buffer too small holds whole names only. */
	assert_int_equal(symtab__suggest(st, "train_stxp", buf, 14), 1);
	assert_string_equal(buf, "'train_step'");
	symtab__explain_miss(st, "trian_step", "./prog", err, sizeof(err));
	assert_string_equal(err, "no function named 'trian_step' in ./prog (did you mean "
				 "'train_step', 'train_stop'?)");
	symtab__free(cx);
	symtab__free(st);
}

static void load_err(const char *path, int want, const char *needle)
{
	struct symtab *st = (struct symtab *)1;
	char err[512] = "untouched";
	int ret = symtab__load(path, &st, err, sizeof(err));

	if (ret != want)
		fail_msg("symtab__load(%s) = %d (%s), want %d", path, ret, err, want);
	assert_null(st);
	if (!strstr(err, path) || !strstr(err, needle))
		fail_msg("error for %s: '%s' lacks the path or '%s'", path, err, needle);
	assert_null(strchr(err, '\n'));
}

static void test_errors(void **state)
{
	char dynsyms[64], cmd[PATH_MAX + 128];
	FILE *p;
	int n = -1;

	(void)state;
	load_err(bt_elf_fixture("no-such-file"), -ENOENT, "no such file");
	load_err(bt_elf_fixture("notelf"), -ENOEXEC, "not an ELF file");
	load_err(bt_elf_fixture("truncated"), -ENOEXEC, "truncated or corrupt");
	load_err(bt_elf_fixture("cut"), -ENOEXEC, "truncated or corrupt");
	load_err(bt_elf_fixture("lib"), -EISDIR, "directory");
	load_err(bt_elf_fixture("prog_stripped"), -ENODATA, "stripped");
	/* The message gives the number of dynamic symbols: as readelf counts them. */
	snprintf(cmd, sizeof(cmd), "readelf --dyn-syms -W '%s' | grep -cE '^ +[0-9]+:'",
		 bt_elf_fixture("prog_stripped"));
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	assert_true(n > 1);
	/* readelf also lists entry 0, the null symbol */
	snprintf(dynsyms, sizeof(dynsyms), "its %d dynamic symbols", n - 1);
	load_err(bt_elf_fixture("prog_stripped"), -ENODATA, dynsyms);
}

/* EACCES: root reads anything, so try it as nobody in a child. */
static void test_eacces(void **state)
{
	char dir[] = "/tmp/test_symtab.XXXXXX", path[PATH_MAX];
	int status;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/secret", dir);
	{
		char cmd[3 * PATH_MAX + 64];

		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 600 '%s'",
			 bt_elf_fixture("prog_pie"), path, path);
		assert_int_equal(system(cmd), 0);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct symtab *st;
		char err[512];
		int ret;

		if (getuid() == 0 && (setgid(65534) || setuid(65534)))
			_exit(10);
		ret = symtab__load(path, &st, err, sizeof(err));
		_exit(ret == -EACCES && strstr(err, "permission denied") && strstr(err, path) ? 0
											      : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(path);
	rmdir(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Damaged copies of the fixtures (cut at many lengths, bytes overwritten
 * with pseudo-random ones) load or fail with a message; never crash or read
 * outside the file (the ASan build runs this too).
 */
static void try_damaged(const unsigned char *img, size_t len, const char *path)
{
	struct symtab *st = NULL;
	char err[512] = "";
	FILE *f = fopen(path, "we");
	int ret;

	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	ret = symtab__load(path, &st, err, sizeof(err));
	if (ret == 0) {
		assert_non_null(st);
		for (int i = 0; i < symtab__count(st); i++)
			assert_true(symtab__get(st, i)->offset < len);
		symtab__free(st);
		return;
	}
	assert_null(st);
	if ((ret != -ENOEXEC && ret != -ENODATA) || !strstr(err, path))
		fail_msg("damaged %s: %d '%s'", path, ret, err);
}

static void test_damaged_files(void **state)
{
	const char *srcs[] = {"prog_pie", "lib/libbtfix.so.1", "cxx"};
	char dir[] = "/tmp/test_symtab.XXXXXX", path[PATH_MAX];
	unsigned int seed = 12345;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/damaged", dir);
	for (size_t k = 0; k < sizeof(srcs) / sizeof(srcs[0]); k++) {
		unsigned char *img, *copy;
		FILE *f = fopen(bt_elf_fixture(srcs[k]), "re");
		long len;

		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		img = malloc(len);
		copy = malloc(len);
		assert_non_null(img);
		assert_non_null(copy);
		assert_int_equal(fread(img, 1, len, f), (size_t)len);
		fclose(f);
		for (long cut = 0; cut < len; cut += 211)
			try_damaged(img, cut, path);
		for (int round = 0; round < 150; round++) {
			memcpy(copy, img, len);
			for (int b = 0; b < 6; b++) {
				seed = seed * 1103515245 + 12345;
				/* Half the time in the headers, where damage matters most. */
				long at = (seed >> 8) % (round & 1 ? len : 128);

				seed = seed * 1103515245 + 12345;
				copy[at] = seed >> 16;
			}
			try_damaged(copy, len, path);
		}
		free(copy);
		free(img);
	}
	unlink(path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_offsets_nopie),
	    cmocka_unit_test(test_offsets_pie),
	    cmocka_unit_test(test_offsets_cxx),
	    cmocka_unit_test(test_debug_file),
	    cmocka_unit_test(test_debuglink_with_path),
	    cmocka_unit_test(test_offsets_shared_lib),
	    cmocka_unit_test(test_addresses_match_nm),
	    cmocka_unit_test(test_sorted_unique),
	    cmocka_unit_test(test_cxx_matching),
	    cmocka_unit_test(test_globs),
	    cmocka_unit_test(test_alias_dedupe),
	    cmocka_unit_test(test_ifunc_and_cold_excluded),
	    cmocka_unit_test(test_suggest),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_eacces),
	    cmocka_unit_test(test_damaged_files),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
