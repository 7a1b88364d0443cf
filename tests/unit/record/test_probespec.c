// SPDX-License-Identifier: GPL-2.0
/*
 * --uprobe SPEC parsing, and library names to files: in this process's own
 * mappings (checked against what dladdr() says is loaded), and as ld.so
 * would find them for the fixtures in tests/fixtures/elf/ (RUNPATH and
 * RPATH with $ORIGIN, LD_LIBRARY_PATH, ld.so.cache checked against
 * ldconfig -p).
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

#include "record/probespec.h"

#include "testutil.h"

static void parse_ok(const char *s, const char *where, bool is_lib, const char *func)
{
	struct probe_spec ps;
	char err[256] = "";
	int ret = probe_spec__parse(s, &ps, err, sizeof(err));

	if (ret)
		fail_msg("probe_spec__parse('%s') = %d: %s", s, ret, err);
	if (strcmp(ps.where, where) || ps.is_lib != is_lib || strcmp(ps.func, func))
		fail_msg("'%s' -> where '%s' lib %d func '%s'; want '%s' %d '%s'", s, ps.where,
			 ps.is_lib, ps.func, where, is_lib, func);
}

static void parse_bad(const char *s, const char *needle)
{
	struct probe_spec ps;
	char err[256] = "";
	int ret = probe_spec__parse(s, &ps, err, sizeof(err));

	if (ret != -EINVAL)
		fail_msg("probe_spec__parse('%s') = %d, want -EINVAL", s, ret);
	if (!strstr(err, needle))
		fail_msg("error for '%s' is '%s', lacks '%s'", s, err, needle);
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("train_step", "", false, "train_step");
	parse_ok("train_*", "", false, "train_*");
	parse_ok("libc:malloc", "libc", true, "malloc");
	parse_ok("libc.so.6:malloc", "libc.so.6", true, "malloc");
	parse_ok("libz:deflate*", "libz", true, "deflate*");
	parse_ok("./train:train_step", "./train", false, "train_step");
	parse_ok("/usr/lib/x86_64-linux-gnu/libz.so.1:deflate",
		 "/usr/lib/x86_64-linux-gnu/libz.so.1", false, "deflate");
	/* C++: "::" is part of the name, wherever it is. */
	parse_ok("ns::Cls::step", "", false, "ns::Cls::step");
	parse_ok("libfoo:ns::f", "libfoo", true, "ns::f");
	parse_ok("./a:ns::Cls::step(int)", "./a", false, "ns::Cls::step(int)");
	parse_ok("ns::Vec::operator[](int) const", "", false, "ns::Vec::operator[](int) const");
	/* ':' inside brackets: an ABI tag, a glob character class. */
	parse_ok("f[abi:cxx11]()", "", false, "f[abi:cxx11]()");
	parse_ok("prog:f[abi:cxx11]()", "prog", true, "f[abi:cxx11]()");
	parse_ok("[[:upper:]]*", "", false, "[[:upper:]]*");
	parse_ok("libc:[[:lower:]]alloc", "libc", true, "[[:lower:]]alloc");
	parse_ok("[]:]x", "", false, "[]:]x");
	/* Only the first separator splits. */
	parse_ok("a:b:c", "a", true, "b:c");

	parse_bad("", "empty");
	parse_bad(":malloc", "nothing before ':'");
	parse_bad(":", "nothing before ':'");
	parse_bad("libc:", "no function after ':'");
	parse_bad("./prog:", "no function after ':'");
}

static void test_parse_lengths(void **state)
{
	struct probe_spec ps;
	char s[5200], err[256];

	(void)state;
	memset(s, 'a', 4095);
	strcpy(s + 4095, ":f");
	assert_int_equal(probe_spec__parse(s, &ps, err, sizeof(err)), 0);
	assert_int_equal(strlen(ps.where), 4095);
	memset(s, 'a', 4096);
	strcpy(s + 4096, ":f");
	assert_int_equal(probe_spec__parse(s, &ps, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too long"));
	memset(s, 'f', 1023);
	s[1023] = '\0';
	assert_int_equal(probe_spec__parse(s, &ps, err, sizeof(err)), 0);
	memset(s, 'f', 1024);
	s[1024] = '\0';
	assert_int_equal(probe_spec__parse(s, &ps, err, sizeof(err)), -EINVAL);
}

static void test_name_matches(void **state)
{
	(void)state;
	assert_true(lib__name_matches("libc", "libc.so.6"));
	assert_true(lib__name_matches("libc", "libc-2.31.so"));
	assert_true(lib__name_matches("libc", "libc.so"));
	assert_true(lib__name_matches("libc.so.6", "libc.so.6"));
	assert_true(lib__name_matches("libc.so", "libc.so.6"));
	assert_true(lib__name_matches("libz", "libz.so.1.2.13"));
	assert_true(lib__name_matches("libstdc++", "libstdc++.so.6"));
	assert_true(lib__name_matches("train", "train")); /* exact basename */
	assert_false(lib__name_matches("libc", "libcap.so.2"));
	assert_false(lib__name_matches("libc", "libc_malloc_debug.so.0"));
	assert_false(lib__name_matches("libz", "libzstd.so.1"));
	assert_false(lib__name_matches("libc", "libc-foo"));
	assert_false(lib__name_matches("libc.so.6", "libc.so.7"));
	assert_false(lib__name_matches("libc.so.6", "libc.so.61"));
	assert_false(lib__name_matches("", "libc.so.6"));
	assert_false(lib__name_matches("libc.so.6.1", "libc.so.6"));
}

/* The file this process really runs @sym from, resolved. */
static void loaded_file(const void *sym, char *real)
{
	Dl_info di;

	assert_true(dladdr(sym, &di));
	assert_non_null(di.dli_fname);
	assert_non_null(realpath(di.dli_fname, real));
}

static void assert_same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	assert_non_null(realpath(a, ra));
	assert_non_null(realpath(b, rb));
	assert_string_equal(ra, rb);
}

static void test_find_mapped_self(void **state)
{
	char path[PATH_MAX], err[1024], libc[PATH_MAX], pidstr[32];
	void *h;
	int ret;

	(void)state;
	loaded_file((const void *)gnu_get_libc_version, libc);
	ret = lib__find_mapped(getpid(), "libc", path, sizeof(path), err, sizeof(err));
	if (ret)
		fail_msg("lib__find_mapped(self, libc) = %d: %s", ret, err);
	assert_same_file(path, libc);
	assert_int_equal(
	    lib__find_mapped(getpid(), "libc.so.6", path, sizeof(path), err, sizeof(err)), 0);
	assert_same_file(path, libc);

	/* Not mapped: the error lists what is. */
	ret = lib__find_mapped(getpid(), "libbtfix", path, sizeof(path), err, sizeof(err));
	assert_int_equal(ret, -ENOENT);
	snprintf(pidstr, sizeof(pidstr), "PID %d", (int)getpid());
	assert_non_null(strstr(err, "library 'libbtfix' is not mapped in"));
	assert_non_null(strstr(err, pidstr));
	assert_non_null(strstr(err, "libc.so.6"));

	/* Once dlopen()ed, it is. */
	h = dlopen(bt_elf_fixture("lib/libbtfix.so.1"), RTLD_NOW | RTLD_LOCAL);
	assert_non_null(h);
	ret = lib__find_mapped(getpid(), "libbtfix", path, sizeof(path), err, sizeof(err));
	if (ret)
		fail_msg("after dlopen: %d: %s", ret, err);
	assert_same_file(path, bt_elf_fixture("lib/libbtfix.so.1"));
	dlclose(h);
}

static void test_find_mapped_errors(void **state)
{
	char path[PATH_MAX], err[1024];
	pid_t pid = bt_unused_pid();

	(void)state;
	assert_true(pid > 0);
	assert_int_equal(lib__find_mapped(pid, "libc", path, sizeof(path), err, sizeof(err)),
			 -ESRCH);
	assert_non_null(strstr(err, "no process"));
	/* The path must fit. */
	assert_int_equal(lib__find_mapped(getpid(), "libc", path, 4, err, sizeof(err)),
			 -ENAMETOOLONG);
}

static void test_mapped_files(void **state)
{
	struct mapped_file *f;
	char err[256], exe[PATH_MAX];
	int n, i, found_exe = 0;

	(void)state;
	assert_non_null(realpath("/proc/self/exe", exe));
	n = lib__mapped_files(getpid(), &f, err, sizeof(err));
	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(f[i].name[0], '/');
		found_exe += !strcmp(f[i].name, exe);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(f[i].name, f[j].name);
	}
	assert_int_equal(found_exe, 1);
	mapped_files__free(f, n);
}

static void find_exe_ok(const char *exe, const char *lib, const char *want)
{
	char path[PATH_MAX], err[1024];
	int ret = lib__find_for_exe(exe, lib, path, sizeof(path), err, sizeof(err));

	if (ret)
		fail_msg("lib__find_for_exe(%s, %s) = %d: %s", exe, lib, ret, err);
	assert_same_file(path, want);
}

static void test_find_for_exe_origin(void **state)
{
	(void)state;
	/* lib/ next to the program, reachable only through $ORIGIN/lib. */
	find_exe_ok(bt_elf_fixture("uselib"), "libbtfix", bt_elf_fixture("lib/libbtfix.so.1"));
	find_exe_ok(bt_elf_fixture("uselib"), "libbtfix.so.1", bt_elf_fixture("lib/libbtfix.so.1"));
	find_exe_ok(bt_elf_fixture("uselib_rpath"), "libbtfix",
		    bt_elf_fixture("lib/libbtfix.so.1"));
}

static void test_find_for_exe_libc(void **state)
{
	char libc[PATH_MAX], interp[PATH_MAX], cmd[PATH_MAX + 64], cxxlib[PATH_MAX], ld[PATH_MAX];
	void *cxx;
	FILE *p;

	(void)state;
	/* The fixtures run with the same libc as this test. */
	loaded_file((const void *)gnu_get_libc_version, libc);
	find_exe_ok(bt_elf_fixture("uselib"), "libc", libc);
	find_exe_ok(bt_elf_fixture("prog_pie"), "libc.so.6", libc);
	/* libstdc++ as benchtrace loads it (for __cxa_demangle) */
	cxx = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_LOCAL);
	assert_non_null(cxx);
	loaded_file(dlsym(cxx, "__cxa_demangle"), cxxlib);
	find_exe_ok(bt_elf_fixture("cxx"), "libstdc++", cxxlib);
	dlclose(cxx);
	/* The dynamic loader is always loaded, from PT_INTERP. */
	snprintf(cmd, sizeof(cmd), "readelf -lW '%s' | sed -n 's/.*interpreter: \\(.*\\)]$/\\1/p'",
		 bt_elf_fixture("prog_pie"));
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(interp, sizeof(interp), p));
	pclose(p);
	interp[strcspn(interp, "\n")] = '\0';
	/* "ld-linux-x86-64" for "/lib64/ld-linux-x86-64.so.2" */
	snprintf(ld, sizeof(ld), "%s", strrchr(interp, '/') + 1);
	*strstr(ld, ".so") = '\0';
	find_exe_ok(bt_elf_fixture("prog_pie"), ld, interp);
}

static void test_find_for_exe_ld_library_path(void **state)
{
	char path[PATH_MAX], err[1024], dir[PATH_MAX];
	const char *old = getenv("LD_LIBRARY_PATH");
	char *saved = old ? strdup(old) : NULL;
	int ret;

	(void)state;
	unsetenv("LD_LIBRARY_PATH");
	ret = lib__find_for_exe(bt_elf_fixture("uselib_norpath"), "libbtfix", path, sizeof(path),
				err, sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(err, "not found: libbtfix.so.1"));
	assert_non_null(strstr(err, "libc.so.6"));
	snprintf(dir, sizeof(dir), "/nonexistent:%s", bt_elf_fixture("lib"));
	setenv("LD_LIBRARY_PATH", dir, 1);
	ret = lib__find_for_exe(bt_elf_fixture("uselib_norpath"), "libbtfix", path, sizeof(path),
				err, sizeof(err));
	if (saved)
		setenv("LD_LIBRARY_PATH", saved, 1);
	else
		unsetenv("LD_LIBRARY_PATH");
	free(saved);
	if (ret)
		fail_msg("with LD_LIBRARY_PATH: %d: %s", ret, err);
	assert_same_file(path, bt_elf_fixture("lib/libbtfix.so.1"));
}

static void test_find_for_exe_errors(void **state)
{
	char path[PATH_MAX], err[1024];
	int ret;

	(void)state;
	ret = lib__find_for_exe(bt_elf_fixture("uselib"), "libnothere", path, sizeof(path), err,
				sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(err, "library 'libnothere' is not linked by"));
	assert_non_null(strstr(err, "it links: "));
	assert_non_null(strstr(err, "libbtfix.so.1"));
	assert_non_null(strstr(err, "libc.so.6"));
	assert_null(strstr(err, "not found:"));

	ret = lib__find_for_exe(bt_elf_fixture("prog_static"), "libc", path, sizeof(path), err,
				sizeof(err));
	assert_int_equal(ret, -ENOENT);
	assert_non_null(strstr(err, "statically linked"));

	assert_int_equal(lib__find_for_exe(bt_elf_fixture("notelf"), "libc", path, sizeof(path),
					   err, sizeof(err)),
			 -ENOEXEC);
	assert_int_equal(lib__find_for_exe(bt_elf_fixture("nosuch"), "libc", path, sizeof(path),
					   err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "no such file"));
}

/* ld.so.cache read by hand agrees with ldconfig -p for libc.so.6. */
static void test_ld_cache(void **state)
{
	char path[PATH_MAX], line[PATH_MAX + 128], want[PATH_MAX] = "";
	FILE *p;

	(void)state;
	p = popen("ldconfig -p 2>/dev/null || /sbin/ldconfig -p", "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *arrow = strstr(line, " => ");

		/* "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6" */
		if (!*want && arrow && !strncmp(line, "\tlibc.so.6 (", 12) &&
		    (sizeof(void *) == 4 || strstr(line, "64"))) {
			snprintf(want, sizeof(want), "%s", arrow + 4);
			want[strcspn(want, "\n")] = '\0';
		}
	}
	pclose(p);
	assert_true(*want);
	assert_int_equal(lib__cache_lookup("/etc/ld.so.cache", "libc.so.6", path, sizeof(path)), 0);
	assert_string_equal(path, want);
	assert_int_equal(
	    lib__cache_lookup("/etc/ld.so.cache", "libnothere.so.9", path, sizeof(path)), -ENOENT);
	assert_int_equal(lib__cache_lookup("/nonexistent", "libc.so.6", path, sizeof(path)),
			 -ENOENT);
}

static unsigned char *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "re");
	unsigned char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), (size_t)*len);
	fclose(f);
	return buf;
}

static void spit(const char *path, const unsigned char *buf, long len)
{
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), (size_t)len);
	assert_int_equal(fclose(f), 0);
}

/*
 * Damaged inputs (an executable's dynamic section, an ld.so.cache) give an
 * answer or an error, never a crash or a read outside the file (the ASan
 * build runs this too).
 */
static void test_damaged_inputs(void **state)
{
	char dir[] = "/tmp/test_probespec.XXXXXX", exe[PATH_MAX], cache[PATH_MAX], path[PATH_MAX],
	     err[1024], cmd[PATH_MAX + 16];
	unsigned int seed = 4321;
	unsigned char *img, *copy;
	long len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(exe, sizeof(exe), "%s/uselib", dir);
	snprintf(cache, sizeof(cache), "%s/ld.so.cache", dir);

	img = slurp(bt_elf_fixture("uselib"), &len);
	copy = malloc(len);
	assert_non_null(copy);
	for (int round = 0; round < 200; round++) {
		int ret;

		memcpy(copy, img, len);
		for (int b = 0; b < 8; b++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % (round & 1 ? (unsigned long)len : 1024)] = seed >> 20;
		}
		spit(exe, copy, round % 5 ? len : (long)((seed >> 4) % len));
		ret = lib__find_for_exe(exe, "libc", path, sizeof(path), err, sizeof(err));
		if (ret)
			assert_true(*err);
	}
	free(copy);
	free(img);

	img = slurp("/etc/ld.so.cache", &len);
	copy = malloc(len);
	assert_non_null(copy);
	for (int round = 0; round < 200; round++) {
		memcpy(copy, img, len);
		for (int b = 0; b < 8; b++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % (round & 1 ? (unsigned long)len : 128)] = seed >> 20;
		}
		spit(cache, copy, round % 5 ? len : (long)((seed >> 4) % len));
		lib__cache_lookup(cache, "libc.so.6", path, sizeof(path));
	}
	free(copy);
	free(img);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Two PT_INTERP headers: the first counts, as for the kernel (fuzz_symtab found a leak). */
static void test_two_interps(void **state)
{
	char dir[] = "/tmp/test_probespec.XXXXXX", exe[PATH_MAX], path[PATH_MAX], err[1024];
	Elf64_Phdr *ph, *interp = NULL;
	unsigned char *img;
	Elf64_Ehdr *eh;
	long len;
	int i;

	(void)state;
	img = slurp(bt_elf_fixture("uselib"), &len);
	eh = (Elf64_Ehdr *)img;
	assert_int_equal(img[EI_CLASS], ELFCLASS64);
	ph = (Elf64_Phdr *)(img + eh->e_phoff);
	for (i = 0; i < eh->e_phnum && !interp; i++)
		if (ph[i].p_type == PT_INTERP)
			interp = &ph[i];
	assert_non_null(interp);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_GNU_STACK) {
			ph[i] = *interp;
			break;
		}
	}
	assert_true(i < eh->e_phnum);
	assert_non_null(mkdtemp(dir));
	snprintf(exe, sizeof(exe), "%s/two-interps", dir);
	spit(exe, img, len);
	free(img);
	assert_int_equal(lib__find_for_exe(exe, "libc", path, sizeof(path), err, sizeof(err)), 0);
	assert_non_null(strstr(path, "libc"));
	assert_int_equal(unlink(exe), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void spec(const char *s, struct probe_spec *ps)
{
	char err[256];

	if (probe_spec__parse(s, ps, err, sizeof(err)))
		fail_msg("parse '%s': %s", s, err);
}

/* Bytes at @off in @path equal @n bytes of this process's memory at @mem. */
static void assert_file_bytes(const char *path, __u64 off, const void *mem, size_t n)
{
	unsigned char buf[16];
	FILE *f = fopen(path, "re");

	assert_non_null(f);
	assert_true(n <= sizeof(buf));
	assert_int_equal(fseek(f, (long)off, SEEK_SET), 0);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	assert_memory_equal(buf, mem, n);
}

static void test_resolve_command(void **state)
{
	struct probe_spec ps;
	struct probe_target *t;
	char err[2048];
	int n;

	(void)state;
	spec("train_*", &ps);
	n = probe_spec__resolve(&ps, 0, bt_elf_fixture("prog_pie"), 100, &t, err, sizeof(err));
	if (n != 3)
		fail_msg("resolve train_* = %d: %s", n, err);
	assert_string_equal(t[0].func, "train_begin");
	assert_string_equal(t[2].func, "train_stop");
	assert_string_equal(t[1].binary, bt_elf_fixture("prog_pie"));
	assert_same_file(t[1].shown, bt_elf_fixture("prog_pie"));
	assert_true(t[0].offset != t[1].offset && t[1].offset != t[2].offset);
	free(t);

	/* A library of the command, found through RUNPATH $ORIGIN; offset checked in memory. */
	spec("libbtfix:bt_fix_mul", &ps);
	n = probe_spec__resolve(&ps, 0, bt_elf_fixture("uselib"), 100, &t, err, sizeof(err));
	if (n != 1)
		fail_msg("resolve libbtfix:bt_fix_mul = %d: %s", n, err);
	assert_same_file(t[0].binary, bt_elf_fixture("lib/libbtfix.so.1"));
	{
		void *h = dlopen(bt_elf_fixture("lib/libbtfix.so.1"), RTLD_NOW | RTLD_LOCAL);

		assert_non_null(h);
		assert_file_bytes(t[0].binary, t[0].offset, dlsym(h, "bt_fix_mul"), 16);
		dlclose(h);
	}
	free(t);
}

static void test_resolve_pid(void **state)
{
	struct probe_spec ps;
	struct probe_target *t;
	char err[2048], self[64], real[PATH_MAX];
	int n;

	(void)state;
	/* This process's own executable, by default. */
	spec("test_resolve_pid", &ps);
	n = probe_spec__resolve(&ps, getpid(), NULL, 10, &t, err, sizeof(err));
	if (n != 1)
		fail_msg("resolve test_resolve_pid in self = %d: %s", n, err);
	snprintf(self, sizeof(self), "/proc/%d/exe", (int)getpid());
	assert_string_equal(t[0].binary, self);
	assert_non_null(realpath("/proc/self/exe", real));
	assert_string_equal(t[0].shown, real);
	assert_file_bytes(t[0].binary, t[0].offset, (const void *)test_resolve_pid, 16);
	free(t);

	/* A library it has mapped. */
	spec("libc:gnu_get_libc_version", &ps);
	n = probe_spec__resolve(&ps, getpid(), NULL, 10, &t, err, sizeof(err));
	if (n != 1)
		fail_msg("resolve libc:gnu_get_libc_version in self = %d: %s", n, err);
	assert_string_equal(t[0].func, "gnu_get_libc_version");
	assert_file_bytes(t[0].binary, t[0].offset, (const void *)gnu_get_libc_version, 8);
	free(t);
}

static void resolve_err(const char *s, pid_t pid, const char *exe, int max, int want,
			const char *needle)
{
	struct probe_spec ps;
	struct probe_target *t = (struct probe_target *)1;
	char err[2048] = "";
	int ret;

	spec(s, &ps);
	ret = probe_spec__resolve(&ps, pid, exe, max, &t, err, sizeof(err));
	if (ret != want || !strstr(err, needle))
		fail_msg("resolve '%s' = %d '%s'; want %d and '%s'", s, ret, err, want, needle);
	assert_null(t);
	assert_null(strchr(err, '\n'));
}

static void test_resolve_errors(void **state)
{
	char cwd[PATH_MAX], dir[PATH_MAX];

	(void)state;
	resolve_err("trian_step", 0, bt_elf_fixture("prog_pie"), 10, -ENOENT,
		    "no function named 'trian_step' in ");
	resolve_err("trian_step", 0, bt_elf_fixture("prog_pie"), 10, -ENOENT,
		    "did you mean 'train_step'");
	resolve_err("train_*", 0, bt_elf_fixture("prog_pie"), 2, -E2BIG, "matches 3 functions");
	resolve_err("main", 0, bt_elf_fixture("prog_stripped"), 10, -ENODATA, "stripped");
	resolve_err("main", 0, bt_elf_fixture("notelf"), 10, -ENOEXEC, "not an ELF file");
	resolve_err("libnothere:f", 0, bt_elf_fixture("uselib"), 10, -ENOENT, "it links: ");
	resolve_err("libnothere:f", getpid(), NULL, 10, -ENOENT, "is not mapped in PID");
	resolve_err("f", bt_unused_pid(), NULL, 10, -ESRCH, "no process with PID");
	/* A kernel thread, where there is one to see (not in a PID namespace). */
	{
		char comm[32] = "";
		FILE *f = fopen("/proc/2/comm", "re");

		if (f) {
			if (!fgets(comm, sizeof(comm), f))
				comm[0] = '\0';
			fclose(f);
		}
		if (!strcmp(comm, "kthreadd\n"))
			resolve_err("f", 2, NULL, 10, -ENOEXEC, "kernel thread");
	}
	/* "prog_pie:main" read as a library name, with prog_pie right here */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(dir, sizeof(dir), "%s", bt_elf_fixture(""));
	assert_int_equal(chdir(dir), 0);
	resolve_err("prog_pie:main", 0, bt_elf_fixture("uselib"), 10, -ENOENT,
		    "write './prog_pie:main'");
	assert_int_equal(chdir(cwd), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_lengths),
	    cmocka_unit_test(test_name_matches),
	    cmocka_unit_test(test_find_mapped_self),
	    cmocka_unit_test(test_find_mapped_errors),
	    cmocka_unit_test(test_mapped_files),
	    cmocka_unit_test(test_find_for_exe_origin),
	    cmocka_unit_test(test_find_for_exe_libc),
	    cmocka_unit_test(test_find_for_exe_ld_library_path),
	    cmocka_unit_test(test_find_for_exe_errors),
	    cmocka_unit_test(test_ld_cache),
	    cmocka_unit_test(test_resolve_command),
	    cmocka_unit_test(test_resolve_pid),
	    cmocka_unit_test(test_resolve_errors),
	    cmocka_unit_test(test_damaged_inputs),
	    cmocka_unit_test(test_two_interps),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
