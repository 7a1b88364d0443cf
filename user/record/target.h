/* SPDX-License-Identifier: GPL-2.0 */
/* The traced processes: identity from /proc at start, and the command
 * benchtrace starts itself. */
#ifndef BT_TARGET_H
#define BT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <linux/types.h>

struct proc_info {
	pid_t pid;
	pid_t ppid;
	__u64 start_ticks; /* /proc/PID/stat field 22 */
	bool kthread;
	char comm[16];
	char *cmdline; /* arguments joined by spaces, malloc'd */
	char *exe; /* resolved executable, malloc'd, may be NULL */
};

/* 0, or -ESRCH when there is no such process (err says so). */
int proc_info__read(pid_t pid, struct proc_info *pi, char *err, size_t errlen);
void proc_info__free(struct proc_info *pi);

/* Who the command runs as. */
struct run_as {
	bool drop; /* false: keep benchtrace's own credentials */
	bool has_passwd; /* name is a passwd entry (for initgroups) */
	uid_t uid;
	gid_t gid;
	char name[64];
	char home[256]; /* the passwd entry's, for $HOME; "" without one */
};

/* --user NAME|UID, else SUDO_UID/SUDO_GID when run through sudo as root. */
int run_as__resolve(struct run_as *ra, const char *user, char *err, size_t errlen);

/* Find `name` as execvp(3) would, checking it is an executable file. */
int command__resolve(const char *name, char *path, size_t len, char *err, size_t errlen);

/*
 * A command started stopped: it is forked, takes its credentials, and then
 * waits until child__go() so that tracing covers it from its first
 * instruction (perf's go-pipe).
 */
struct child {
	pid_t pid;
	int go_fd; /* write end: a byte on it releases the child, EOF kills it */
	int err_fd; /* read end of a CLOEXEC pipe carrying exec's errno */
	/* the open-file and address-space limits benchtrace was given, which
	 * the command gets back (benchtrace raises its own: limits__raise()) */
	struct rlimit nofile, as;
	bool limits_set;
};

/*
 * benchtrace's open files (one a map, program and link, more for uprobes
 * and children) and address space (the ring buffers are mapped twice):
 * raise both limits (the hard ones too, as root may), keeping the ones it
 * was given in c for the command, and refuse limits below what start-up
 * needs before anything starts.  0, or -1 after one line on stderr that
 * names the limit and the ulimit option that raises it.
 */
int limits__raise(struct child *c);

/* A process's state letter in /proc/PID/stat ('R', 'S', 'T', 'Z'...), 0 if it is gone. */
char proc__state(pid_t pid);

int child__spawn(struct child *c, const char *path, char *const argv[], const struct run_as *ra,
		 char *err, size_t errlen);
/* Release the child; 0 once it has exec'd, else -errno of the failed exec. */
int child__go(struct child *c);
/* Kill a child that never got to run its command, and reap it. */
void child__abort(struct child *c);

#endif /* BT_TARGET_H */
