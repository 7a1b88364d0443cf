// SPDX-License-Identifier: GPL-2.0
/*
 * Which file a library name ("libc", "libz", "libc.so.6") means: the one a
 * running process has mapped, or the one the dynamic loader would load for
 * an executable.
 */
#ifndef BT_LIBPATH_H
#define BT_LIBPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Whether file name @base is library @lib: equal, or @lib followed by ".so"
 * or "-" ("libc" is "libc.so.6" and "libc-2.31.so", not "libcap.so.2"), or
 * @lib already holding ".so" followed by a version ("libc.so" is "libc.so.6").
 */
bool lib__name_matches(const char *lib, const char *base);

/*
 * -p mode: LIB mapped in process @pid (/proc/PID/maps), its path into @path,
 * as seen from this process (through /proc/PID/root when the process lives
 * in another mount namespace).  -ENOENT with @err "library 'libfoo' is not
 * mapped in PID 123 (mapped: libc.so.6, libm.so.6)"; -ENOTUNIQ when two
 * different files match; -ESRCH no such process; -EACCES.
 */
int lib__find_mapped(pid_t pid, const char *lib, char *path, size_t len, char *err, size_t errlen);

/*
 * Command mode: LIB as the dynamic loader would find it for @exe: the
 * DT_NEEDED closure of @exe (and its PT_INTERP loader), each searched like
 * ld.so does: DT_RPATH (when no DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH,
 * /etc/ld.so.cache, the default directories; $ORIGIN expanded; files of
 * another ELF class or machine skipped.  -ENOENT with @err listing what
 * @exe does link; errors of reading @exe as symtab__load() gives them.
 */
int lib__find_for_exe(const char *exe, const char *lib, char *path, size_t len, char *err,
		      size_t errlen);

/*
 * @name ("libc.so.6") in ld.so.cache file @cache_file: the first entry of
 * this process's ELF class and machine.  0, or -ENOENT.
 */
int lib__cache_lookup(const char *cache_file, const char *name, char *path, size_t len);

/*
 * The executable of process @pid (/proc/PID/exe's target, " (deleted)" taken
 * off) into @real.  -ESRCH no such process; -ENOEXEC a kernel thread or a
 * zombie; -EACCES; each with one line in @err.
 */
int lib__proc_exe(pid_t pid, char *real, size_t len, char *err, size_t errlen);

/* A file mapped executable in a process. */
struct mapped_file {
	char *path;   /* as seen from this process (see lib__find_mapped) */
	char *name;   /* as /proc/PID/maps shows it */
	bool deleted; /* replaced or removed since it was mapped */
};

/*
 * The distinct files process @pid has mapped executable, in address order.
 * Returns how many (*out to free with mapped_files__free), or -errno with @err.
 */
int lib__mapped_files(pid_t pid, struct mapped_file **out, char *err, size_t errlen);
void mapped_files__free(struct mapped_file *f, int n);

#endif /* BT_LIBPATH_H */
