// SPDX-License-Identifier: GPL-2.0
/*
 * What a user meets before tracing anything: --help, `benchtrace help`,
 * the man page, bash completion and `make install`.  The option lists of
 * --help, docs/spec.md and docs/benchtrace.8 must agree, option by option
 * (as bpftool checks its docs).  No root and no BPF needed.
 *
 * Usage: test_docs [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <ctype.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testutil.h"

#define MAX_OPTS 64
#define OUT_MAX	 (256 * 1024)

struct optset {
	char name[MAX_OPTS][32];
	int n;
};

/* The source tree: the build directory's parent (build/, build-asan/). */
static const char *src_dir(void)
{
	static char dir[BT_PATH_MAX];
	char tmp[BT_PATH_MAX];

	if (!dir[0]) {
		snprintf(tmp, sizeof(tmp), "%s", bt_build_dir());
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	}
	return dir;
}

static char *src_file(const char *name)
{
	static char path[BT_PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", src_dir(), name);
	return path;
}

/* Run a shell command, its stdout and stderr into a static buffer; the
 * exit status in *status.  make's own variables are kept out of it. */
static const char *sh(int *status, const char *fmt, ...)
{
	static char out[OUT_MAX];
	char cmd[3 * BT_PATH_MAX];
	size_t n = 0, r;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	unsetenv("MAKEFLAGS");
	unsetenv("MAKELEVEL");
	unsetenv("MFLAGS");
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = 0;
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

static void add(struct optset *s, const char *p, size_t len)
{
	int i;

	if (len == 0 || len >= sizeof(s->name[0]))
		return;
	for (i = 0; i < s->n; i++)
		if (strlen(s->name[i]) == len && !strncmp(s->name[i], p, len))
			return;
	assert_true(s->n < MAX_OPTS);
	memcpy(s->name[s->n], p, len);
	s->name[s->n++][len] = 0;
}

/* Every "--name" (or the man page's "\-\-name") in @text, between the
 * lines that start with @from and @to (NULL: to the end). */
static void long_opts(struct optset *s, const char *text, const char *from, const char *to,
		      const char *dashes)
{
	const char *p = strstr(text, from), *end = to && p ? strstr(p, to) : NULL, *q;
	size_t dl = strlen(dashes);

	assert_non_null(p);
	if (!end)
		end = p + strlen(p);
	for (q = strstr(p, dashes); q && q < end; q = strstr(q + dl, dashes)) {
		const char *e = q + dl;

		while (*e && (isalnum((unsigned char)*e) || *e == '-' ||
			      (*e == '\\' && e[1] == '-')))
			e += *e == '\\' ? 2 : 1;
		if (e > q + dl && isalpha((unsigned char)q[dl])) {
			char name[32];
			size_t i, k = 0;

			for (i = 0; q + dl + i < e && k < sizeof(name) - 1; i++)
				if (q[dl + i] != '\\')
					name[k++] = q[dl + i];
			add(s, name, k);
		}
	}
}

static bool has(const struct optset *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return true;
	return false;
}

static void expect_same(const struct optset *a, const char *an, const struct optset *b,
			const char *bn)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (!has(b, a->name[i]))
			fail_msg("--%s is in %s but not in %s", a->name[i], an, bn);
	for (i = 0; i < b->n; i++)
		if (!has(a, b->name[i]))
			fail_msg("--%s is in %s but not in %s", b->name[i], bn, an);
}

/* docs/spec.md's option table, less the rows marked "(not yet)". */
static void spec_opts(struct optset *s)
{
	char *spec = bt_read_file(src_file("docs/spec.md"), NULL), *line, *save = NULL;
	char *table;

	assert_non_null(spec);
	table = strstr(spec, "| option | meaning |");
	assert_non_null(table);
	for (line = strtok_r(table, "\n", &save); line && line[0] == '|';
	     line = strtok_r(NULL, "\n", &save)) {
		char *cell_end = strchr(line + 1, '|');

		if (!cell_end || strstr(line, "*(not yet)*"))
			continue;
		*cell_end = 0;
		long_opts(s, line, "|", NULL, "--");
	}
	free(spec);
}

static void test_help_spec_and_man_page_list_the_same_options(void **state)
{
	struct optset help = {}, spec = {}, man = {};
	char *page;
	int st;

	(void)state;
	long_opts(&help, sh(&st, "'%s' --help", bt_benchtrace()), "Options:", "\nDUR is", "--");
	assert_int_equal(st, 0);
	spec_opts(&spec);
	page = bt_read_file(src_file("docs/benchtrace.8"), NULL);
	assert_non_null(page);
	long_opts(&man, page, ".SH OPTIONS", ".SH STOPPING", "\\-\\-");
	free(page);
	print_message("options: --help %d, docs/spec.md %d, benchtrace.8 %d\n", help.n, spec.n,
		      man.n);
	assert_true(help.n >= 20);
	assert_true(has(&help, "pid") && has(&help, "all"));
	expect_same(&help, "--help", &spec, "docs/spec.md");
	expect_same(&help, "--help", &man, "benchtrace.8");
}

static void test_man_page_renders_without_warnings(void **state)
{
	const char *out;
	int st;

	(void)state;
	out = sh(&st, "groff -man -ww -z '%s' 2>&1", src_file("docs/benchtrace.8"));
	if (st || out[0])
		fail_msg("groff -man -ww: exit %d: %s", st, out);
	out = sh(&st, "MANWIDTH=80 man -l '%s' 2>&1", src_file("docs/benchtrace.8"));
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "EXAMPLES"));
	assert_non_null(strstr(out, "EXIT STATUS"));
	assert_non_null(strstr(out, "SEE ALSO"));
	assert_non_null(strstr(out, "processes.csv")); /* FILES names the run's files */
	assert_non_null(strstr(out, "pidstat(1)"));
}

static void test_help_subcommand(void **state)
{
	char want[OUT_MAX];
	const char *out;
	int st;

	(void)state;
	snprintf(want, sizeof(want), "%s", sh(&st, "'%s' --help", bt_benchtrace()));
	assert_string_equal(sh(&st, "'%s' help", bt_benchtrace()), want);
	assert_int_equal(st, 0);
	assert_non_null(strstr(want, "Examples:"));
	snprintf(want, sizeof(want), "%s", sh(&st, "'%s' report --help", bt_benchtrace()));
	assert_string_equal(sh(&st, "'%s' help report", bt_benchtrace()), want);
	snprintf(want, sizeof(want), "%s", sh(&st, "'%s' functions --help", bt_benchtrace()));
	assert_string_equal(sh(&st, "'%s' help functions", bt_benchtrace()), want);
	out = sh(&st, "'%s' help nosuch 2>&1", bt_benchtrace());
	assert_int_equal(st, 2);
	assert_int_equal(bt_count_lines(out), 1);
}

/* COMPREPLY for the words, the cursor on word @cword, as bash would ask. */
static const char *complete(int cword, const char *words)
{
	int st;
	const char *out =
	    sh(&st,
	       "PATH='%s':\"$PATH\" bash -c 'source \"%s\"; COMP_WORDS=(%s); COMP_CWORD=%d; "
	       "_benchtrace; printf \"%%s\\n\" \"${COMPREPLY[@]}\"' 2>&1",
	       bt_build_dir(), src_file("completions/benchtrace.bash"), words, cword);

	assert_int_equal(st, 0);
	return out;
}

static void test_bash_completion(void **state)
{
	struct bt_tmp tmp;
	char words[BT_PATH_MAX * 2], calls[BT_PATH_MAX], run[BT_PATH_MAX];
	const char *out;

	(void)state;
	assert_non_null(strstr(complete(1, "benchtrace --max"), "--max-procs\n--max-threads\n"));
	assert_string_equal(complete(1, "benchtrace rep"), "report\n");
	assert_string_equal(complete(2, "benchtrace help f"), "functions\n");
	/* PIDs after -p: this process's is one */
	snprintf(words, sizeof(words), "benchtrace -p %d", (int)getpid());
	assert_non_null(strstr(complete(2, words), "\n"));
	snprintf(calls, sizeof(calls), "%d\n", (int)getpid());
	assert_non_null(strstr(complete(2, words), calls));
	/* functions after -u: `benchtrace functions` of the command on the line */
	snprintf(words, sizeof(words), "benchtrace -u fi -- '%s' fib 3", bt_workload(calls, "calls"));
	assert_string_equal(complete(2, words), "fib\n");
	snprintf(words, sizeof(words), "benchtrace -u work_ -- '%s'", calls);
	assert_string_equal(complete(2, words), "work_item\n");
	/* run directories after report: those with a meta.json */
	assert_int_equal(bt_tmp_init(&tmp), 0);
	mkdir(bt_tmp_path(&tmp, "run", run), 0755);
	bt_write_text(run, "meta.json", "{}");
	mkdir(bt_tmp_path(&tmp, "notarun", run), 0755);
	snprintf(words, sizeof(words), "benchtrace report '%s/'", tmp.dir);
	out = complete(2, words);
	print_message("report %s/<TAB>: %s", tmp.dir, out);
	assert_non_null(strstr(out, "/run\n"));
	assert_null(strstr(out, "notarun"));
	bt_tmp_cleanup(&tmp);
}

/* Count regular files under @dir, listing them into @list. */
static int files_under(const char *dir, char *list, size_t len)
{
	int st, n;
	const char *out = sh(&st, "cd '%s' && find . -type f | sort", dir);

	assert_int_equal(st, 0);
	snprintf(list, len, "%s", out);
	n = bt_count_lines(out);
	return out[0] ? n : 0;
}

static void test_make_install_and_uninstall(void **state)
{
	struct bt_tmp tmp;
	char list[4096], path[BT_PATH_MAX + 64];
	const char *out;
	struct stat st;
	int status;

	(void)state;
	assert_int_equal(bt_tmp_init(&tmp), 0);
	/* install-files: what make install does once the build is there;
	 * -o: install what is built, never rebuild it (the ASan stage's
	 * benchtrace was made with flags this make does not know) */
	out = sh(&status,
		 "make -s -C '%s' OUT='%s' -o '%s/benchtrace' install-files DESTDIR='%s' "
		 "PREFIX=/usr 2>&1",
		 src_dir(), bt_build_dir(), bt_build_dir(), tmp.dir);
	if (status)
		fail_msg("make install: exit %d: %s", status, out);
	assert_int_equal(files_under(tmp.dir, list, sizeof(list)), 4);
	print_message("installed:\n%s", list);
	assert_string_equal(list, "./usr/bin/benchtrace\n"
				  "./usr/include/benchtrace.h\n"
				  "./usr/share/bash-completion/completions/benchtrace\n"
				  "./usr/share/man/man8/benchtrace.8\n");
	snprintf(path, sizeof(path), "%s/usr/bin/benchtrace", tmp.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	out = sh(&status, "'%s' --version", path);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "benchtrace"));
	out = sh(&status, "make -s -C '%s' OUT='%s' uninstall DESTDIR='%s' PREFIX=/usr 2>&1",
		 src_dir(), bt_build_dir(), tmp.dir);
	if (status)
		fail_msg("make uninstall: exit %d: %s", status, out);
	assert_int_equal(files_under(tmp.dir, list, sizeof(list)), 0);
	bt_tmp_cleanup(&tmp);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_help_spec_and_man_page_list_the_same_options),
	    cmocka_unit_test(test_man_page_renders_without_warnings),
	    cmocka_unit_test(test_help_subcommand),
	    cmocka_unit_test(test_bash_completion),
	    cmocka_unit_test(test_make_install_and_uninstall),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace docs, completion, install", tests, NULL,
					   NULL);
}
