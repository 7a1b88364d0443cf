/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The functions --uprobe names: each SPEC resolved, before anything runs,
 * to the (binary, file offset) pairs the kernel attaches to.
 */
#ifndef BT_PROBES_H
#define BT_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/* A glob matching more than this many functions is attached, with a note. */
#define BT_PROBES_MANY 100
/*
 * Shared libraries get their probes per traced process (a pid-filtered
 * link each), so that other processes never trap in them; past this many
 * processes, one set of links in every process instead (closing a link
 * waits for an RCU grace period, so each set costs time at the end).
 */
#define PROBES_PER_PROCESS_MAX 256

struct probe {
	char *spec;   /* as the user wrote it */
	char *func;   /* the name calls.csv and functions.csv use */
	char *path;   /* the file to attach to ("/proc/PID/exe" for a -p target's program) */
	char *binary; /* its real path, for people and the files */
	__u64 addr;   /* the symbol's value in the ELF file */
	__u64 offset; /* file offset of its first instruction */
	/* where its calls end, when a uretprobe is unsafe (exits.h); NULL:
	 * a uretprobe times its returns */
	__u64 *exits;
	int nexits;
	/* a Python function (-u py:SPEC): how its interpreter marks it
	 * ("sys.monitoring 3.12"); binary is its file, line its first line,
	 * and there is nothing to attach */
	char *python;
	unsigned int line;
};

struct probes {
	struct probe *p;
	int n;
};

/*
 * Resolve specs.  exe is the default binary (the command, or the first -p
 * target's executable; NULL with -a); pid > 0 looks libraries up in that
 * process's mappings, else as the dynamic loader would for exe.  On error,
 * one line in err naming the spec, the binary and what to do; -errno.
 * Functions of binaries with C++ exception tables, and every function when
 * cxx says the target runs C++ code, get exit probes instead of uretprobes.
 */
int probes__resolve(struct probes *ps, char *const *specs, int nspecs, const char *exe, pid_t pid,
		    bool cxx, char *err, size_t errlen);
struct tracer;

/* Which of the probes' files probes__attach() takes. */
enum probe_files {
	PROBE_FILES_ALL,
	PROBE_FILES_PROGRAM, /* the target's own program (and any non-.so file) */
	PROBE_FILES_SHARED, /* shared libraries, which other programs map too */
};

/*
 * Attach the probes of @which files through t: in process pid alone (> 0),
 * or in every process that maps its file (-1), the BPF side keeping the
 * traced ones.  One set of links per file.  With note, say so once for
 * each shared library attached in every process.  Errors are printed;
 * returns 0 or -errno.
 */
int probes__attach(const struct probes *ps, struct tracer *t, pid_t pid, const char *target_exe,
		   enum probe_files which, bool note);
/* Whether any probe is in a shared library (not target_exe's program). */
bool probes__any_shared(const struct probes *ps, const char *target_exe);
/* Whether the target can throw C++ exceptions: it links a C++ runtime. */
bool probes__target_cxx(const char *exe, pid_t pid);
/*
 * Python function number idx (its func index in the kernel) is NAME, defined
 * at FILE:LINE, marked by MECHANISM: the table grows to idx + 1, with
 * placeholders ("py#N") for indices not named yet.  0 or -ENOMEM.
 */
int probes__set_python(struct probes *ps, int idx, const char *name, const char *file,
		       unsigned int line, const char *mechanism);
void probes__free(struct probes *ps);

#endif /* BT_PROBES_H */
