// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input, the whole matrix (SPEC "When things go wrong"): for each case
 * benchtrace is run for real and must exit 2 (usage) or 1 (anything else)
 * with exactly one line on stderr that says what is wrong, no libbpf noise,
 * and leave nothing behind: no run directory, and whatever was already at
 * the output path exactly as it was.
 *
 * Then privilege hygiene under sudo: the command runs as the invoking user
 * with that user's groups, --user root is root, the run directory and every
 * file in it belong to the user (root's with --no-chown), and files are
 * made only where the user could make them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/btf.h>

#include "expect.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60.0
#define NOBODY	      "65534"

/* How benchtrace is started. */
enum wrap {
	AS_ROOT,
	AS_NOBODY,    /* setpriv: uid and gid 65534, no groups, no capabilities */
	NO_CAPS,      /* root, with CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN dropped */
	NO_SYS_ADMIN, /* root with CAP_BPF and CAP_PERFMON, without CAP_SYS_ADMIN */
	NO_BTF,	      /* in a mount namespace where /sys/kernel/btf is an empty tmpfs */
	READ_ONLY,    /* in a mount namespace where the test directory is read-only */
	SUDO_NOBODY,  /* root with SUDO_UID/SUDO_GID=65534, as sudo leaves them */
};

/* What is at the output path before the run (it must be there, unchanged, after). */
enum setup {
	NOTHING,
	NONEMPTY_DIR, /* a directory holding keep.txt */
	EMPTY_DIR,
	REGULAR_FILE,
	SYMLINK, /* to an empty directory */
};

struct bad_case {
	const char *name;
	int want;	    /* exit status: 2 usage, 1 anything else */
	const char *needle; /* stderr must say this */
	enum wrap wrap;
	enum setup setup;
	const char *out; /* the output path, "@T/..."; NULL: "@T/run" */
	/*
	 * benchtrace's arguments.  "@OUT" is the output path, "@T/x" a file
	 * in the test directory, "@W/x" a workload, "@FIX/x" a run fixture,
	 * "@NOPID" a PID nobody has, "@KTHREAD" a kernel thread's PID, "@TID"
	 * a thread of this test process other than its main thread.
	 */
	const char *args[12];
};

/*
 * Prepared in the test directory: trunc100 and trunchalf (the calls
 * workload cut to 100 bytes and to half), noexec (a script without x
 * bits), rootonly/ (root's, 0755), linktarget/ (empty); for --btf,
 * vmlinux-half (the kernel's BTF cut in half), proc.bpf.o (a BPF object
 * of the build, ELF with a .BTF section) and small.btf (raw BTF, one int).
 * One case a line or two: a table, not clang-format's one field a line.
 */
/* clang-format off */
static const struct bad_case cases[] = {
	/* privileges and kernel */
	{ "not root", 1, "try: sudo", AS_NOBODY, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "root without CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN", 1, "missing CAP_BPF and CAP_PERFMON",
	  NO_CAPS, NOTHING, NULL, { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "root with CAP_BPF+CAP_PERFMON, without CAP_SYS_ADMIN", 1,
	  "libbpf also needs CAP_SYS_ADMIN", NO_SYS_ADMIN, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "kernel BTF not visible", 1, "give a copy of it taken on this kernel with --btf FILE",
	  NO_BTF, NOTHING, NULL, { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	/* --btf FILE (it working where BTF is hidden: test_btf.c) */
	{ "--btf ''", 2, "empty --btf file name", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--btf", "", "--", "@W/exit_with", "0" } },
	{ "--btf file does not exist", 1, "--btf: cannot open", NO_BTF, NOTHING, NULL,
	  { "-o", "@OUT", "--btf", "@T/no-such.btf", "--", "@W/exit_with", "0" } },
	{ "--btf not BTF", 1, "--btf /etc/passwd: not a BTF file", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--btf", "/etc/passwd", "--", "@W/exit_with", "0" } },
	{ "--btf not BTF, kernel BTF hidden", 1, "--btf /etc/passwd: not a BTF file", NO_BTF,
	  NOTHING, NULL, { "-o", "@OUT", "--btf", "/etc/passwd", "--", "@W/exit_with", "0" } },
	{ "--btf ELF without .BTF", 1, "--btf /usr/bin/true: not a BTF file", NO_BTF, NOTHING, NULL,
	  { "-o", "@OUT", "--btf", "/usr/bin/true", "--", "@W/exit_with", "0" } },
	{ "--btf kernel BTF cut in half", 1, "vmlinux-half: not a BTF file", NO_BTF, NOTHING, NULL,
	  { "-o", "@OUT", "--btf", "@T/vmlinux-half", "--", "@W/exit_with", "0" } },
	{ "--btf a BPF object's BTF (ELF)", 1, "proc.bpf.o: not this kernel's BTF", NO_BTF, NOTHING,
	  NULL, { "-o", "@OUT", "--btf", "@T/proc.bpf.o", "--", "@W/exit_with", "0" } },
	{ "--btf a one-type BTF", 1, "small.btf: not this kernel's BTF (1 type,", AS_ROOT, NOTHING,
	  NULL, { "-o", "@OUT", "--btf", "@T/small.btf", "--", "@W/exit_with", "0" } },
	{ "--btf a one-type BTF, kernel BTF hidden", 1, "small.btf: not this kernel's BTF", NO_BTF,
	  NOTHING, NULL, { "-o", "@OUT", "--btf", "@T/small.btf", "--", "@W/exit_with", "0" } },
	/* PIDs */
	{ "-p PID that does not exist", 1, "no process with PID", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "@NOPID" } },
	{ "-p kernel thread", 1, "is a kernel thread", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "@KTHREAD" } },
	{ "-p a thread, not a process", 1, "is a thread of process", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "@TID" } },
	{ "-p 0", 2, "PIDs are whole numbers from 1", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "0" } },
	{ "-p -5", 2, "invalid PID list '-5'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "-5" } },
	{ "-p 12abc", 2, "invalid PID list '12abc'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "12abc" } },
	{ "-p 1,,2", 2, "invalid PID list '1,,2'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-p", "1,,2" } },
	/* durations */
	{ "-d 0", 2, "-d 0: the duration must be more than 0", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-d", "0", "--", "@W/exit_with", "0" } },
	{ "-d -1s", 2, "invalid -d duration '-1s'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-d", "-1s", "--", "@W/exit_with", "0" } },
	{ "-d 10parsecs", 2, "invalid -d duration '10parsecs'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-d", "10parsecs", "--", "@W/exit_with", "0" } },
	{ "-i 0", 2, "-i 0: the duration must be more than 0", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-i", "0", "--", "@W/exit_with", "0" } },
	{ "-i -1s", 2, "invalid -i duration '-1s'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-i", "-1s", "--", "@W/exit_with", "0" } },
	{ "-i 10parsecs", 2, "invalid -i duration '10parsecs'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-i", "10parsecs", "--", "@W/exit_with", "0" } },
	{ "-i 50us", 2, "below the 100us minimum", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-i", "50us", "--", "@W/exit_with", "0" } },
	{ "--min-duration -1s", 2, "invalid --min-duration duration '-1s'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "fib", "--min-duration", "-1s", "--", "@W/calls", "fib", "3" } },
	{ "--min-duration 10parsecs", 2, "invalid --min-duration duration '10parsecs'",
	  AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "fib", "--min-duration", "10parsecs", "--", "@W/calls", "fib", "3" } },
	/* the command */
	{ "no command after --", 2, "no command after '--'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--" } },
	{ "empty command name", 2, "empty command name", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--", "" } },
	{ "command not in PATH", 1, "command not found: benchtrace-no-such-command",
	  AS_ROOT, NOTHING, NULL, { "-o", "@OUT", "--", "benchtrace-no-such-command" } },
	{ "command path does not exist", 1, "No such file or directory", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@T/no-such-program" } },
	{ "command without execute permission", 1, "no execute permission", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@T/noexec" } },
	{ "command is a directory", 1, "it is a directory", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@T/linktarget" } },
	/* the output directory */
	{ "-o exists and is not empty", 1, "exists and is not empty", AS_ROOT, NONEMPTY_DIR, NULL,
	  { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o is a regular file", 1, "is a file, not a directory", AS_ROOT, REGULAR_FILE, NULL,
	  { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o is a symlink to an empty directory", 1,
	  "is a symlink (refusing to follow it: give the directory",
	  AS_ROOT, SYMLINK, NULL, { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o on a read-only mount", 1, "Read-only file system", READ_ONLY, NOTHING, NULL,
	  { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o empty directory on a read-only mount", 1, "is not writable",
	  READ_ONLY, EMPTY_DIR, NULL, { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o where the sudo user may not write", 1, "Permission denied (as uid 65534",
	  SUDO_NOBODY, NOTHING, "@T/rootonly/run", { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	{ "-o empty directory the sudo user may not write", 1,
	  "not writable: Permission denied (as uid 65534",
	  SUDO_NOBODY, EMPTY_DIR, "@T/rootonly/run", { "-o", "@OUT", "--", "@W/exit_with", "0" } },
	/* functions and binaries */
	{ "-u function not found", 1, "did you mean 'fib'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "fibb", "--", "@W/calls", "fib", "3" } },
	{ "-u glob matching nothing", 1, "matches 'zz*'", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "zz*", "--", "@W/calls", "fib", "3" } },
	{ "-u stripped binary", 1, "stripped binary", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "/usr/bin/true:main", "--", "@W/calls", "fib", "3" } },
	{ "-u library not found", 1, "library 'libnosuch' is not linked", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "libnosuch:foo", "--", "@W/calls", "fib", "3" } },
	{ "-u binary not ELF", 1, "/etc/passwd: not an ELF file", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "/etc/passwd:main", "--", "@W/calls", "fib", "3" } },
	{ "-u binary does not exist", 1, "no-such-binary", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "@T/no-such-binary:main", "--", "@W/calls", "fib", "3" } },
	{ "-u ELF cut to 100 bytes", 1, "truncated or corrupt ELF", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "@T/trunc100:fib", "--", "@W/calls", "fib", "3" } },
	{ "-u ELF cut in half", 1, "truncated or corrupt ELF", AS_ROOT, NOTHING, NULL,
	  { "-o", "@OUT", "-u", "@T/trunchalf:fib", "--", "@W/calls", "fib", "3" } },
	{ "functions: not ELF", 1, "/etc/passwd: not an ELF file", AS_ROOT, NOTHING, NULL,
	  { "functions", "/etc/passwd" } },
	{ "functions: ELF cut to 100 bytes", 1, "truncated or corrupt ELF", AS_ROOT, NOTHING, NULL,
	  { "functions", "@T/trunc100" } },
	{ "functions: ELF cut in half", 1, "truncated or corrupt ELF", AS_ROOT, NOTHING, NULL,
	  { "functions", "@T/trunchalf" } },
	/* report -o */
	{ "report -o is a symlink", 1, "is a symlink (refusing to replace it",
	  AS_ROOT, SYMLINK, "@T/report.html", { "report", "-o", "@OUT", "@FIX/train" } },
	{ "report -o is a directory", 1, "is a directory (refusing to replace it",
	  AS_ROOT, EMPTY_DIR, "@T/report.html", { "report", "-o", "@OUT", "@FIX/train" } },
	{ "report -o where the sudo user may not write", 1, "Permission denied",
	  SUDO_NOBODY, NOTHING, "@T/rootonly/report.html",
	  { "report", "-o", "@OUT", "@FIX/train" } },
};
/* clang-format on */

/* A thread of this process that is not its main one, started on first use. */
static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static pid_t helper_tid(void)
{
	static pid_t tid;
	static pthread_t th;
	char path[64];
	DIR *d;
	struct dirent *de;

	if (tid)
		return tid;
	assert_int_equal(pthread_create(&th, NULL, idle_thread, NULL), 0);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)getpid());
	while (!tid) {
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d)))
			if (atoi(de->d_name) > 0 && atoi(de->d_name) != getpid())
				tid = atoi(de->d_name);
		closedir(d);
	}
	return tid;
}

/* A kernel thread's PID: kthreadd is 2, but in a PID namespace it is not there. */
static pid_t kthread_pid(void)
{
	char path[300], buf[1024], *p;
	unsigned long flags;
	struct dirent *de;
	pid_t pid = -1;
	DIR *d = opendir("/proc");
	FILE *f;
	int i;

	while (d && pid < 0 && (de = readdir(d))) {
		if (atoi(de->d_name) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/* after ") ": state ppid pgrp session tty tpgid flags */
		for (i = 0; p && i < 7; i++)
			p = strchr(p + 1, ' ');
		if (p && sscanf(p, "%lu", &flags) == 1 && (flags & 0x00200000)) /* PF_KTHREAD */
			pid = atoi(de->d_name);
	}
	if (d)
		closedir(d);
	return pid;
}

static void expand(struct bt_ctx *c, const char *arg, const char *out, char *buf, size_t len)
{
	static pid_t kthread;
	char fix[BT_PATH_MAX - 64], *slash;

	if (!strcmp(arg, "@OUT")) {
		expand(c, out, NULL, buf, len);
	} else if (!strncmp(arg, "@T/", 3)) {
		snprintf(buf, len, "%.3000s/%.1000s", c->tmp.dir, arg + 3);
	} else if (!strncmp(arg, "@W/", 3)) {
		snprintf(buf, len, "%s/tests/workloads/%s", bt_build_dir(), arg + 3);
	} else if (!strncmp(arg, "@FIX/", 5)) {
		/* the source tree holds the build directory */
		snprintf(fix, sizeof(fix), "%s", bt_build_dir());
		slash = strrchr(fix, '/');
		if (slash)
			*slash = '\0';
		snprintf(buf, len, "%s/tests/fixtures/runs/%s", fix, arg + 5);
	} else if (!strcmp(arg, "@NOPID")) {
		snprintf(buf, len, "%d", (int)bt_unused_pid());
	} else if (!strcmp(arg, "@KTHREAD")) {
		if (!kthread)
			kthread = kthread_pid();
		snprintf(buf, len, "%d", (int)kthread);
	} else if (!strcmp(arg, "@TID")) {
		snprintf(buf, len, "%d", (int)helper_tid());
	} else {
		snprintf(buf, len, "%s", arg);
	}
}

/* printf to the end of the string in buf, cut off at len */
static void __attribute__((format(printf, 3, 4)))
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t at = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
}

/*
 * What is at @path, in enough detail to see any change: type, mode, size,
 * modification time, a symlink's target and a directory's entries.
 */
static void describe(const char *path, char *buf, size_t len)
{
	struct dirent **names;
	char sub[BT_PATH_MAX + 300], target[BT_PATH_MAX];
	struct stat st;
	ssize_t n;
	int i, k;

	if (lstat(path, &st)) {
		snprintf(buf, len, "absent");
		return;
	}
	snprintf(buf, len, "mode %o size %lld mtime %lld.%09ld", st.st_mode, (long long)st.st_size,
		 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		append(buf, len, " -> %s: ", target);
		describe(target, buf + strlen(buf), len - strlen(buf));
	} else if (S_ISDIR(st.st_mode)) {
		k = scandir(path, &names, NULL, alphasort);
		for (i = 0; i < k; i++) {
			if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
				snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
				append(buf, len, " [%s ", names[i]->d_name);
				describe(sub, buf + strlen(buf), len - strlen(buf));
				append(buf, len, "]");
			}
			free(names[i]);
		}
		if (k >= 0)
			free(names);
	}
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	bt_write_file(path, text, strlen(text));
	assert_int_equal(chmod(path, mode), 0);
}

static void prepare_btf_files(struct bt_ctx *c)
{
	char path[BT_PATH_MAX], obj[BT_PATH_MAX];
	const void *raw;
	struct btf *btf;
	char *data;
	size_t len;
	__u32 n;

	data = bt_read_file("/sys/kernel/btf/vmlinux", &len);
	assert_true(len > 1000);
	bt_write_file(bt_tmp_path(&c->tmp, "vmlinux-half", path), data, len / 2);
	free(data);
	snprintf(obj, sizeof(obj), "%s/bpf/proc.bpf.o", bt_build_dir());
	data = bt_read_file(obj, &len);
	bt_write_file(bt_tmp_path(&c->tmp, "proc.bpf.o", path), data, len);
	free(data);
	btf = btf__new_empty();
	assert_non_null(btf);
	assert_true(btf__add_int(btf, "int", 4, BTF_INT_SIGNED) > 0);
	raw = btf__raw_data(btf, &n);
	assert_non_null(raw);
	bt_write_file(bt_tmp_path(&c->tmp, "small.btf", path), raw, n);
	btf__free(btf);
}

static void prepare_files(struct bt_ctx *c)
{
	char wl[BT_PATH_MAX], path[BT_PATH_MAX], *elf;
	size_t len;

	elf = bt_read_file(bt_workload(wl, "calls"), &len);
	assert_non_null(elf);
	assert_true(len > 1000);
	bt_write_file(bt_tmp_path(&c->tmp, "trunc100", path), elf, 100);
	bt_write_file(bt_tmp_path(&c->tmp, "trunchalf", path), elf, len / 2);
	free(elf);
	write_text(bt_tmp_path(&c->tmp, "noexec", path), "#!/bin/sh\nexit 0\n", 0644);
	prepare_btf_files(c);
	assert_int_equal(mkdir(bt_tmp_path(&c->tmp, "rootonly", path), 0755), 0);
	assert_int_equal(chown(path, 0, 0), 0);
	assert_int_equal(mkdir(bt_tmp_path(&c->tmp, "linktarget", path), 0755), 0);
	/* others may look in (sudo cases: only rootonly/ stands in the way) */
	assert_int_equal(chmod(c->tmp.dir, 0755), 0);
}

static void set_up(const struct bad_case *k, const char *out, const char *linktarget)
{
	char keep[BT_PATH_MAX + 16];

	switch (k->setup) {
	case NOTHING:
		break;
	case NONEMPTY_DIR:
		assert_int_equal(mkdir(out, 0755), 0);
		snprintf(keep, sizeof(keep), "%s/keep.txt", out);
		write_text(keep, "precious\n", 0644);
		break;
	case EMPTY_DIR:
		assert_int_equal(mkdir(out, 0755), 0);
		break;
	case REGULAR_FILE:
		write_text(out, "precious\n", 0644);
		break;
	case SYMLINK:
		assert_int_equal(symlink(linktarget, out), 0);
		break;
	}
}

static void remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		char cmd[BT_PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
		assert_int_equal(system(cmd), 0);
	} else {
		assert_int_equal(unlink(path), 0);
	}
}

/* Set an environment variable, or unset it for NULL. */
static void put_env(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/* Run one case; returns 0 if it behaved, else 1 after saying why. */
static int run_case(struct bt_ctx *c, const struct bad_case *k)
{
	static char argbuf[24][BT_PATH_MAX];
	char out[BT_PATH_MAX], link[BT_PATH_MAX], script[BT_PATH_MAX + 200];
	char *before = malloc(BT_OUT_MAX), *after = malloc(BT_OUT_MAX);
	char *sudo_uid = getenv("SUDO_UID") ? strdup(getenv("SUDO_UID")) : NULL;
	char *sudo_gid = getenv("SUDO_GID") ? strdup(getenv("SUDO_GID")) : NULL;
	const char *argv[40];
	int n = 0, i, bad = 0;
	struct bt_proc p;

	assert_non_null(before);
	assert_non_null(after);
	expand(c, k->out ? k->out : "@T/run", NULL, out, sizeof(out));
	bt_tmp_path(&c->tmp, "linktarget", link);
	set_up(k, out, link);
	describe(out, before, BT_OUT_MAX);

	switch (k->wrap) {
	case AS_ROOT:
	case SUDO_NOBODY:
		break;
	case AS_NOBODY:
		argv[n++] = "/usr/bin/setpriv";
		argv[n++] = "--reuid=" NOBODY;
		argv[n++] = "--regid=" NOBODY;
		argv[n++] = "--clear-groups";
		break;
	case NO_CAPS:
		argv[n++] = "/usr/bin/setpriv";
		argv[n++] = "--inh-caps=-all";
		argv[n++] = "--bounding-set=-bpf,-perfmon,-sys_admin";
		break;
	case NO_SYS_ADMIN:
		argv[n++] = "/usr/bin/setpriv";
		argv[n++] = "--inh-caps=-all";
		argv[n++] = "--bounding-set=-sys_admin";
		break;
	case NO_BTF:
	case READ_ONLY:
		if (k->wrap == NO_BTF)
			snprintf(
			    script, sizeof(script),
			    "mount -t tmpfs -o ro,size=4k none /sys/kernel/btf && exec \"$@\"");
		else
			snprintf(script, sizeof(script),
				 "mount --bind '%s' '%s' && mount -o remount,bind,ro '%s' && "
				 "exec \"$@\"",
				 c->tmp.dir, c->tmp.dir, c->tmp.dir);
		/* private: nothing mounted here is seen outside, and it ends with the process */
		argv[n++] = "/usr/bin/unshare";
		argv[n++] = "--mount";
		argv[n++] = "--propagation=private";
		argv[n++] = "/bin/sh";
		argv[n++] = "-c";
		argv[n++] = script;
		argv[n++] = "sh";
		break;
	}
	argv[n++] = bt_benchtrace();
	for (i = 0; i < 12 && k->args[i]; i++) {
		expand(c, k->args[i], k->out ? k->out : "@T/run", argbuf[i], BT_PATH_MAX);
		argv[n++] = argbuf[i];
	}
	argv[n] = NULL;

	if (k->wrap == SUDO_NOBODY) {
		setenv("SUDO_UID", NOBODY, 1);
		setenv("SUDO_GID", NOBODY, 1);
	}
	assert_int_equal(bt_spawn(&p, NULL, argv), 0);
	assert_int_equal(bt_wait(&p, &c->res, RUN_TIMEOUT_S), 0);
	put_env("SUDO_UID", sudo_uid);
	put_env("SUDO_GID", sudo_gid);

	describe(out, after, BT_OUT_MAX);
	print_message("%-48s exit %d  %s", k->name, c->res.status,
		      c->res.err[0] ? c->res.err : "(no stderr)\n");
	if (c->res.timed_out || c->res.status != k->want) {
		print_message("  FAIL: exit status %d, want %d\n", c->res.status, k->want);
		bad = 1;
	}
	if (bt_count_lines(c->res.err) != 1 || strncmp(c->res.err, "benchtrace: ", 12)) {
		print_message("  FAIL: want one line starting 'benchtrace: ' on stderr\n");
		bad = 1;
	}
	if (!strstr(c->res.err, k->needle)) {
		print_message("  FAIL: stderr does not say '%s'\n", k->needle);
		bad = 1;
	}
	if (strcmp(before, after)) {
		print_message("  FAIL: %s changed:\n    before: %s\n    after:  %s\n", out, before,
			      after);
		bad = 1;
	}
	remove_path(out);
	free(before);
	free(after);
	free(sudo_uid);
	free(sudo_gid);
	return bad;
}

static void test_bad_input_matrix(void **state)
{
	struct bt_ctx *c = *state;
	size_t i, failed = 0;

	bt_require_bpf();
	if (access("/usr/bin/setpriv", X_OK) || access("/usr/bin/unshare", X_OK))
		fail_msg(
		    "util-linux's setpriv and unshare are needed (apt-get install util-linux)");
	prepare_files(c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += run_case(c, &cases[i]);
	if (failed)
		fail_msg("%zu of %zu bad-input cases misbehaved (see above)", failed,
			 sizeof(cases) / sizeof(cases[0]));
}

/* --min-duration 0 is every call, like no --min-duration: not an error. */
static void test_min_duration_zero_is_every_call(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], path[BT_PATH_MAX + 16], *csv;
	const char *args[] = {"-q", "-o", c->tmp.run_dir,	    "-u",  "fib", "--min-duration",
			      "0",  "--", bt_workload(wl, "calls"), "fib", "5",	  NULL};

	bt_require_bpf();
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	show_stderr(&c->res);
	assert_int_equal(c->res.status, 0);
	snprintf(path, sizeof(path), "%s/calls.csv", c->tmp.run_dir);
	csv = bt_read_file(path, NULL);
	assert_non_null(csv);
	/* fib(5) makes 15 calls: a header and one row each */
	assert_int_equal(bt_count_lines(csv), 1 + 15);
	free(csv);
}

/* ---- privilege hygiene under sudo ---- */

/* Run benchtrace as sudo would leave it: root with SUDO_UID/SUDO_GID. */
static void run_as_sudo(struct bt_ctx *c, uid_t uid, gid_t gid, const char *const args[])
{
	char *su = getenv("SUDO_UID") ? strdup(getenv("SUDO_UID")) : NULL;
	char *sg = getenv("SUDO_GID") ? strdup(getenv("SUDO_GID")) : NULL;
	char u[16], g[16];

	snprintf(u, sizeof(u), "%u", (unsigned int)uid);
	snprintf(g, sizeof(g), "%u", (unsigned int)gid);
	setenv("SUDO_UID", u, 1);
	setenv("SUDO_GID", g, 1);
	bt_runv(&c->res, NULL, RUN_TIMEOUT_S, args);
	put_env("SUDO_UID", su);
	put_env("SUDO_GID", sg);
	free(su);
	free(sg);
	show_stderr(&c->res);
}

/* "Groups:" of /proc/self/status as printed by the command: sorted gids. */
static int parse_groups(const char *out, gid_t *gids, int max)
{
	const char *p = strstr(out, "Groups:");
	char *end;
	int n = 0;

	assert_non_null(p);
	p += 7;
	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;
		gids[n++] = (gid_t)strtoul(p, &end, 10);
		p = end;
	}
	return n;
}

static bool has_gid(const gid_t *gids, int n, gid_t g)
{
	int i;

	for (i = 0; i < n; i++)
		if (gids[i] == g)
			return true;
	return false;
}

/* A user other than root who is a member of some group besides their own. */
static bool user_with_groups(uid_t *uid, gid_t *gid, gid_t *extra)
{
	struct passwd *pw;
	struct group *gr;
	bool found = false;
	char **m;

	setgrent();
	while (!found && (gr = getgrent())) {
		for (m = gr->gr_mem; *m && !found; m++) {
			pw = getpwnam(*m);
			if (pw && pw->pw_uid && pw->pw_gid != gr->gr_gid) {
				*uid = pw->pw_uid;
				*gid = pw->pw_gid;
				*extra = gr->gr_gid;
				found = true;
			}
		}
	}
	endgrent();
	return found;
}

#define SHOW_IDS                                                                                   \
	"echo uid=$(id -u) gid=$(id -g); echo user=$USER logname=$LOGNAME home=$HOME; "            \
	"grep '^Groups:' /proc/self/status"

/*
 * Under sudo the command runs with the invoking user's uid, gid and
 * supplementary groups (initgroups), none of root's.
 */
static void test_sudo_command_has_user_ids_and_groups(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q", "-o", c->tmp.run_dir, "--", "/bin/sh", "-c", SHOW_IDS, NULL};
	uid_t uid = 65534;
	gid_t gid = 65534, extra = 65534, gids[64];
	char want[BT_PATH_MAX + 16];
	struct passwd *pw;
	int n;

	bt_require_bpf();
	assert_int_equal(chmod(c->tmp.dir, 0777), 0);
	if (!user_with_groups(&uid, &gid, &extra))
		print_message("no user with supplementary groups here: checking nobody\n");
	run_as_sudo(c, uid, gid, args);
	assert_int_equal(c->res.status, 0);
	print_message("uid %u: %s", (unsigned int)uid, c->res.out);
	snprintf(want, sizeof(want), "uid=%u gid=%u\n", (unsigned int)uid, (unsigned int)gid);
	assert_non_null(strstr(c->res.out, want));
	/* and its name and home, not root's that sudo left in the environment */
	pw = getpwuid(uid);
	assert_non_null(pw);
	snprintf(want, sizeof(want), "user=%s logname=%s home=%s\n", pw->pw_name, pw->pw_name,
		 pw->pw_dir);
	assert_non_null(strstr(c->res.out, want));
	n = parse_groups(c->res.out, gids, 64);
	assert_true(has_gid(gids, n, gid));
	assert_true(has_gid(gids, n, extra));
	if (gid != 0 && extra != 0)
		assert_false(has_gid(gids, n, 0)); /* not root's group */

	/* a uid with no passwd entry: its gid alone */
	snprintf(want, sizeof(want), "rm -rf '%s'", c->tmp.run_dir);
	assert_int_equal(system(want), 0);
	assert_null(getpwuid(54321));
	run_as_sudo(c, 54321, 54322, args);
	assert_int_equal(c->res.status, 0);
	print_message("uid 54321: %s", c->res.out);
	assert_non_null(strstr(c->res.out, "uid=54321 gid=54322\n"));
	n = parse_groups(c->res.out, gids, 64);
	assert_int_equal(n, 1);
	assert_int_equal(gids[0], 54322);
}

/* --user root is root, with root's groups, even under sudo. */
static void test_sudo_user_root_runs_as_root(void **state)
{
	struct bt_ctx *c = *state;
	const char *args[] = {"-q", "--user",  "root", "-o",	 c->tmp.run_dir,
			      "--", "/bin/sh", "-c",   SHOW_IDS, NULL};

	bt_require_bpf();
	assert_int_equal(chmod(c->tmp.dir, 0777), 0);
	run_as_sudo(c, 65534, 65534, args);
	assert_int_equal(c->res.status, 0);
	print_message("--user root: %s", c->res.out);
	assert_non_null(strstr(c->res.out, "uid=0 gid=0\n"));
}

/*
 * Every entry of @dir is owned by uid/gid, and none is a leftover temporary
 * or reserve file (a name starting with '.').  Returns how many were checked.
 */
static int expect_owned(const char *dir, uid_t uid, gid_t gid)
{
	char path[BT_PATH_MAX + 300];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	assert_int_equal(fstat(dirfd(d), &st), 0);
	assert_int_equal(st.st_uid, uid);
	assert_int_equal(st.st_gid, gid);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_name[0] == '.')
			fail_msg("%s/%s left behind", dir, de->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(lstat(path, &st), 0);
		print_message("  %-16s uid %u gid %u\n", de->d_name, st.st_uid, st.st_gid);
		if (!S_ISREG(st.st_mode) || st.st_uid != uid || st.st_gid != gid)
			fail_msg("%s: mode %o, uid %u, gid %u; want a regular file of %u:%u", path,
				 st.st_mode, st.st_uid, st.st_gid, uid, gid);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * The run directory and every file in it (all kinds: logs, calls,
 * functions, trace.json, meta.json rewritten at the end, report.html)
 * belong to the sudo user; with --no-chown, to root.
 */
static void test_sudo_files_belong_to_user(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], other[BT_PATH_MAX];
	const char *args[] = {
	    "-q",  "--perfetto", "-u", "fib", "-o", c->tmp.run_dir, "--", bt_workload(wl, "calls"),
	    "fib", "5",		 NULL};
	const char *report[] = {"report", c->tmp.run_dir, NULL};
	const char *nochown[] = {"-q",
				 "--no-chown",
				 "--perfetto",
				 "-u",
				 "fib",
				 "-o",
				 bt_tmp_path(&c->tmp, "root-run", other),
				 "--",
				 wl,
				 "fib",
				 "5",
				 NULL};

	bt_require_bpf();
	assert_int_equal(chmod(c->tmp.dir, 0777), 0);
	run_as_sudo(c, 65534, 65534, args);
	assert_int_equal(c->res.status, 0);
	run_as_sudo(c, 65534, 65534, report);
	assert_int_equal(c->res.status, 0);
	print_message("%s:\n", c->tmp.run_dir);
	/* meta, samples, events, processes, calls, functions, trace.json,
	 * report.html */
	assert_int_equal(expect_owned(c->tmp.run_dir, 65534, 65534), 8);

	run_as_sudo(c, 65534, 65534, nochown);
	assert_int_equal(c->res.status, 0);
	print_message("%s (--no-chown):\n", other);
	assert_int_equal(expect_owned(other, 0, 0), 7);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_bad_input_matrix),
	    T(test_min_duration_zero_is_every_call),
	    T(test_sudo_command_has_user_ids_and_groups),
	    T(test_sudo_user_root_runs_as_root),
	    T(test_sudo_files_belong_to_user),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
