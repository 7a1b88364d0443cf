// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "record/target.h"
#include "util/log.h"
#include "util/parse.h"

static ssize_t read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

int proc_info__read(pid_t pid, struct proc_info *pi, char *err, size_t errlen)
{
	char path[64], buf[4096], *p, *end;
	unsigned long flags;
	ssize_t n, i;

	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	n = read_file(path, buf, sizeof(buf));
	if (n < 0) {
		snprintf(err, errlen, "no process with PID %d", pid);
		return -ESRCH;
	}
	/* comm may hold spaces and parentheses: it ends at the last ')' */
	p = strchr(buf, '(');
	end = strrchr(buf, ')');
	if (!p || !end || end < p) {
		snprintf(err, errlen, "cannot parse /proc/%d/stat", pid);
		return -EINVAL;
	}
	snprintf(pi->comm, sizeof(pi->comm), "%.*s", (int)(end - p - 1), p + 1);
	/* fields from 3 on: state ppid pgrp session tty tpgid flags ... 22 starttime */
	p = end + 2;
	for (i = 3; i <= 22 && *p; i++) {
		if (i == 4)
			pi->ppid = strtol(p, NULL, 10);
		if (i == 9) {
			flags = strtoul(p, NULL, 10);
			pi->kthread = flags & 0x00200000; /* PF_KTHREAD */
		}
		if (i == 22)
			pi->start_ticks = strtoull(p, NULL, 10);
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	if (i <= 22) {
		snprintf(err, errlen, "cannot parse /proc/%d/stat", pid);
		return -EINVAL;
	}

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_file(path, buf, sizeof(buf));
	if (n > 0) {
		for (i = 0; i < n - 1; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		pi->cmdline = strdup(buf);
	} else {
		pi->cmdline = strdup(pi->comm);
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		pi->exe = strdup(buf);
	}
	return 0;
}

void proc_info__free(struct proc_info *pi)
{
	free(pi->cmdline);
	free(pi->exe);
	pi->cmdline = pi->exe = NULL;
}

int run_as__resolve(struct run_as *ra, const char *user, char *err, size_t errlen)
{
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_gid = getenv("SUDO_GID");
	struct passwd *pw = NULL;
	__u64 v;

	memset(ra, 0, sizeof(*ra));
	if (user) {
		pw = getpwnam(user);
		if (!pw && !parse_u64(user, 0, UINT32_MAX - 1, &v))
			pw = getpwuid(v);
		if (!pw) {
			snprintf(err, errlen, "no such user '%s' (for --user)", user);
			return -ENOENT;
		}
	} else if (geteuid() == 0 && sudo_uid && !parse_u64(sudo_uid, 0, UINT32_MAX - 1, &v)) {
		pw = getpwuid(v);
		if (!pw) {
			/* a uid with no passwd entry: still drop to it */
			ra->drop = true;
			ra->uid = v;
			ra->gid = sudo_gid && !parse_u64(sudo_gid, 0, UINT32_MAX - 1, &v) ? v
										   : ra->uid;
			snprintf(ra->name, sizeof(ra->name), "%u", ra->uid);
			return 0;
		}
	} else {
		return 0; /* run as ourselves */
	}
	ra->drop = true;
	ra->has_passwd = true;
	ra->uid = pw->pw_uid;
	ra->gid = pw->pw_gid;
	snprintf(ra->name, sizeof(ra->name), "%s", pw->pw_name);
	if (strlen(pw->pw_dir) < sizeof(ra->home))
		snprintf(ra->home, sizeof(ra->home), "%s", pw->pw_dir);
	return 0;
}

static int check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	if (access(path, X_OK))
		return -EACCES;
	return 0;
}

static const char *exec_problem(int err)
{
	switch (err) {
	case -EISDIR:
		return "it is a directory";
	case -ENOEXEC:
		return "not a regular file";
	case -EACCES:
		return "no execute permission";
	default:
		return strerror(-err);
	}
}

int command__resolve(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	const char *dirs, *d, *colon;
	int ret, first = -ENOENT;

	if (!*name) {
		snprintf(err, errlen, "empty command name");
		return -ENOENT;
	}
	if (strchr(name, '/')) {
		ret = check_exec(name);
		if (ret) {
			snprintf(err, errlen, "cannot run '%s': %s", name, exec_problem(ret));
			return ret;
		}
		snprintf(path, len, "%s", name);
		return 0;
	}
	dirs = getenv("PATH");
	if (!dirs || !*dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (d = dirs; d; d = colon ? colon + 1 : NULL) {
		colon = strchr(d, ':');
		int dlen = colon ? (int)(colon - d) : (int)strlen(d);

		if ((size_t)snprintf(path, len, "%.*s/%s", dlen, dlen ? d : ".", name) >= len)
			continue;
		ret = check_exec(path);
		if (!ret)
			return 0;
		if (ret != -ENOENT && first == -ENOENT)
			first = ret;
	}
	if (first == -ENOENT)
		snprintf(err, errlen, "command not found: %s (not in PATH)", name);
	else
		snprintf(err, errlen, "cannot run '%s': %s", name, exec_problem(first));
	return first;
}

/* A plain run failed at 40 open files and ran at 48; uprobes and children take more. */
#define NOFILE_NEEDED 48
#define NOFILE_ENOUGH 256
#define NOFILE_WANTED 65536
/* With --uprobe, start-up failed at 40 MB of address space and ran at 60 MB. */
#define AS_NEEDED (96ULL << 20)

/* As high as allowed: the hard limit too where CAP_SYS_RESOURCE allows, up to want. */
static void raise_limit(int resource, const struct rlimit *saved, rlim_t want)
{
	struct rlimit rl = *saved;

	if (rl.rlim_cur != RLIM_INFINITY && (want == RLIM_INFINITY || rl.rlim_cur < want)) {
		rl.rlim_cur = want;
		if (rl.rlim_max != RLIM_INFINITY && (want == RLIM_INFINITY || rl.rlim_max < want))
			rl.rlim_max = want;
		if (setrlimit(resource, &rl)) {
			rl = *saved;
			rl.rlim_cur = rl.rlim_max;
			if (want != RLIM_INFINITY && rl.rlim_cur > want)
				rl.rlim_cur = want;
			setrlimit(resource, &rl);
		}
	}
}

int limits__raise(struct child *c)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &c->nofile) || getrlimit(RLIMIT_AS, &c->as))
		return 0; /* cannot tell: try */
	c->limits_set = true;
	raise_limit(RLIMIT_NOFILE, &c->nofile, NOFILE_WANTED);
	raise_limit(RLIMIT_AS, &c->as, RLIM_INFINITY);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < NOFILE_NEEDED) {
		warn("benchtrace needs %d open files, and the limit is %llu (hard %llu): raise it "
		     "with ulimit -n %d",
		     NOFILE_NEEDED, (unsigned long long)rl.rlim_cur,
		     (unsigned long long)rl.rlim_max, 4 * NOFILE_ENOUGH);
		return -1;
	}
	if (rl.rlim_cur < NOFILE_ENOUGH)
		warn("the open-file limit is %llu: with many functions or children benchtrace may "
		     "run out; raise it with ulimit -n %d",
		     (unsigned long long)rl.rlim_cur, 4 * NOFILE_ENOUGH);
	if (!getrlimit(RLIMIT_AS, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < AS_NEEDED) {
		warn("benchtrace needs %llu MiB of address space, and the limit is %llu MiB: raise "
		     "it with ulimit -v %llu (KiB), or ulimit -v unlimited",
		     AS_NEEDED >> 20, (unsigned long long)rl.rlim_cur >> 20,
		     (2 * AS_NEEDED) >> 10);
		return -1;
	}
	return 0;
}

char proc__state(pid_t pid)
{
	char path[64], buf[512], *paren;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "PID (comm) S ...": comm may hold spaces and parentheses */
	paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

int child__spawn(struct child *c, const char *path, char *const argv[], const struct run_as *ra,
		 char *err, size_t errlen)
{
	pid_t pid, parent = getpid();
	int go[2], ex[2];
	ssize_t n;
	char byte;

	if (pipe2(go, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int e = 0;

		close(go[1]);
		close(ex[0]);
		/* the default dispositions, not benchtrace's handlers */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		if (ra->drop) {
			/* supplementary groups first, then gid, then uid */
			if (ra->has_passwd ? initgroups(ra->name, ra->gid)
					   : setgroups(1, &ra->gid))
				e = errno;
			if (!e && (setgid(ra->gid) || setuid(ra->uid)))
				e = errno;
			if (!e && ra->uid != 0 && setuid(0) == 0)
				e = EPERM; /* could regain root: refuse to run */
			/*
			 * sudo left root's HOME, USER and LOGNAME: the command
			 * gets its own user's, as su and login give them.
			 */
			if (!e && ra->has_passwd) {
				if (ra->home[0])
					setenv("HOME", ra->home, 1);
				setenv("USER", ra->name, 1);
				setenv("LOGNAME", ra->name, 1);
			}
		}
		/*
		 * Wait for the tracer's go byte.  EOF without it means the
		 * tracer is gone (killed during start-up): the command must not
		 * run untraced, so it does not run at all.  Until then it also
		 * dies with the tracer (set after the change of user, which
		 * clears it).
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
		/* the command's limits are the ones benchtrace was given */
		if (c->limits_set) {
			setrlimit(RLIMIT_NOFILE, &c->nofile);
			setrlimit(RLIMIT_AS, &c->as);
		}
		while ((n = read(go[0], &byte, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			_exit(127);
		if (prctl(PR_SET_PDEATHSIG, 0))
			e = e ? e : errno;
		if (!e) {
			execv(path, argv);
			e = errno;
		}
		if (write(ex[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ex[1]);
	c->pid = pid;
	c->go_fd = go[1];
	c->err_fd = ex[0];
	return 0;
}

int child__go(struct child *c)
{
	ssize_t n;
	int e = 0;

	char go = 'g';

	/* the one byte that lets the command run (EOF would stop it) */
	if (write(c->go_fd, &go, 1) != 1)
		return -errno;
	close(c->go_fd);
	c->go_fd = -1;
	/* EOF without data: exec succeeded and closed the CLOEXEC pipe */
	do
		n = read(c->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

void child__abort(struct child *c)
{
	if (c->pid <= 0)
		return;
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (c->go_fd >= 0)
		close(c->go_fd);
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->pid = 0;
}
