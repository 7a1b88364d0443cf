// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for tests that run the real benchtrace on the workload programs
 * in tests/workloads/ and compare what it recorded with the workloads' own
 * kernel accounting (their BT_REPORT files).
 *
 * Nothing in testutil.c depends on cmocka, so benchmarks can link it too;
 * bt_require_bpf() is a macro for cmocka tests only.
 */
#ifndef BT_TESTUTIL_H
#define BT_TESTUTIL_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#define BT_PATH_MAX 4096
#define BT_OUT_MAX  16384

/* The columns of the run-directory files, as SPEC.md fixes them. */
#define BT_SAMPLES_HEADER                                                                          \
	"t_s,pid,comm,cpu_ns,cpu_pct,runq_ns,vol_cs,invol_cs,minflt,majflt,rss_bytes,"             \
	"rss_peak_bytes,rss_anon_bytes,rss_file_bytes,rss_shmem_bytes,swap_bytes,read_bytes,"      \
	"write_bytes,io_ops,io_wait_ns,threads,rchar,wchar,syscr,syscw"
#define BT_EVENTS_HEADER "t_s,pid,tid,event,detail"

/*
 * Call first in main(argc, argv).  The build directory is argv[1] if given,
 * else $BT_BUILD, else "build"; it is made absolute.  Also makes this process
 * a child subreaper, so whatever a test leaves running is reparented to it
 * and bt_reap_strays() can clean up.  Returns 0, or -1 with a message.
 */
int bt_init(int argc, char **argv);
const char *bt_build_dir(void);
/* Absolute path of build/benchtrace. */
const char *bt_benchtrace(void);
/* Absolute path of build/tests/workloads/NAME, into @buf (BT_PATH_MAX). */
char *bt_workload(char *buf, const char *name);

/* True when $CI is set to something other than "", "0" or "false". */
int bt_in_ci(void);

/*
 * A private directory for one test: mkdtemp under /var/tmp (a real disk,
 * unlike /tmp on many systems, so O_DIRECT and storage I/O work there).
 */
struct bt_tmp {
	char dir[BT_PATH_MAX];
	char run_dir[BT_PATH_MAX]; /* dir/run: does not exist yet, for -o */
	char report[BT_PATH_MAX];  /* dir/report: for BT_REPORT */
};
int bt_tmp_init(struct bt_tmp *t);
/* A "Name: N kB" field of /proc/PID/status (VmRSS, VmHWM) in KiB; -1 if gone. */
long bt_status_kib(pid_t pid, const char *field);
/* dir/NAME into @buf (BT_PATH_MAX). */
char *bt_tmp_path(const struct bt_tmp *t, const char *name, char *buf);
/* Remove the directory and everything in it. */
void bt_tmp_cleanup(struct bt_tmp *t);

/*
 * For unit tests: one scratch directory per test program, /tmp/PROG.XXXXXX,
 * made by bt_scratch_setup() and removed with all in it by
 * bt_scratch_teardown() (cmocka group setup and teardown functions).
 */
int bt_scratch_setup(void **state);
int bt_scratch_teardown(void **state);
const char *bt_scratch_dir(void);
/* bt_scratch_dir()/NAME, in one of 8 static buffers used in turn. */
const char *bt_scratch_path(const char *name);

/*
 * Write @len bytes to @path (created or truncated, mode 0644); returns @path.
 * A test's own files that cannot be written are a broken machine, not a
 * failed test: both abort() with a message.
 */
const char *bt_write_file(const char *path, const void *data, size_t len);
/* DIR/NAME holding the string @text; same as bt_write_file(). */
void bt_write_text(const char *dir, const char *name, const char *text);
/* The whole file, malloc'ed and NUL-terminated; its length in *len (may be NULL). */
char *bt_read_file(const char *path, size_t *len);
/* BUILD/tests/fixtures/elf/NAME (bt_build_dir()), in one of 8 static buffers used in turn. */
const char *bt_elf_fixture(const char *name);

/* A process started by bt_spawn(), its stdout and stderr captured. */
struct bt_proc {
	pid_t pid; /* also its process group */
	int out_fd, err_fd;
	double t0;
};

struct bt_result {
	int status;    /* as the shell's $?: exit code, or 128+N if killed by signal N */
	int timed_out; /* killed by bt_wait() after the timeout; status is then -1 */
	double wall_s;
	struct rusage ru; /* its own, and its children's that it waited for */
	char out[BT_OUT_MAX]; /* captured stdout, NUL-terminated, truncated if long */
	char err[BT_OUT_MAX]; /* captured stderr */
};

/*
 * Start argv[0] (a path, no PATH search) with argv, in its own process group,
 * stdin from /dev/null, with BT_REPORT=@report in its environment (unset if
 * @report is NULL).  Returns 0 or -errno.
 */
int bt_spawn(struct bt_proc *p, const char *report, const char *const argv[]);
/*
 * Wait for @p to exit, collecting its output.  After @timeout_s the whole
 * process group is killed and r->timed_out set.  Output is read until the
 * process exits, not until EOF: a detached child may keep the pipes open.
 */
int bt_wait(struct bt_proc *p, struct bt_result *r, double timeout_s);
/* Run benchtrace with the NULL-terminated arguments; bt_spawn + bt_wait. */
int bt_run(struct bt_result *r, const char *report, double timeout_s, ...)
    __attribute__((sentinel));
/* bt_run with an argument vector (benchtrace's own path is prepended). */
int bt_runv(struct bt_result *r, const char *report, double timeout_s, const char *const args[]);

/* Number of lines in @s (a last line without '\n' counts). */
int bt_count_lines(const char *s);

/* Kill (SIGKILL) and reap every child of this process still around. */
int bt_reap_strays(void);
void bt_sleep_ms(double ms);
double bt_now(void);
int bt_pid_alive(pid_t pid);
/* A PID that no process has right now, or -1. */
pid_t bt_unused_pid(void);

/* A workload's BT_REPORT file: `key value` lines, values unsigned. */
#define BT_REPORT_MAX 512
struct bt_report {
	int n;
	char key[BT_REPORT_MAX][32];
	unsigned long long val[BT_REPORT_MAX];
};
int bt_report_load(struct bt_report *rep, const char *path);
/* 0 and *val, or -ENOENT. */
int bt_report_get(const struct bt_report *rep, const char *key, unsigned long long *val);
/* All values of a repeated key, in file order; returns how many (up to @max). */
int bt_report_all(const struct bt_report *rep, const char *key, unsigned long long *vals, int max);

/*
 * A top-level field of a JSON file: strings without their quotes (simple
 * escapes decoded), other values as written (numbers, true, false, null;
 * objects and arrays as their raw text).  0, -ENOENT, or -errno.
 */
int bt_json_get(const char *path, const char *key, char *out, size_t len);
/* A top-level integer field; -ENODATA if it is null, -EINVAL if not a number. */
int bt_json_get_ll(const char *path, const char *key, long long *val);

/* A recorded run directory: samples.csv and events.csv loaded. */
struct csv_table;
struct bt_rundir {
	struct csv_table *samples;
	struct csv_table *events;
	char meta[BT_PATH_MAX]; /* path of meta.json */
};
/*
 * Load DIR's samples.csv and events.csv, checking that their header lines
 * are exactly the specified ones, that they are not cut off, and that
 * meta.json exists.  0, or -1 with @err filled in.
 */
int bt_rundir_load(struct bt_rundir *rd, const char *dir, char *err, size_t errlen);
void bt_rundir_free(struct bt_rundir *rd);
/* samples.csv: over the rows of @pid (-1: all rows). */
int bt_samples_rows(const struct bt_rundir *rd, int pid);
unsigned long long bt_samples_sum(const struct bt_rundir *rd, int pid, const char *col);
unsigned long long bt_samples_max(const struct bt_rundir *rd, int pid, const char *col);
/* events.csv: rows with @event for @pid (-1: any), @detail exact (NULL: any). */
int bt_events_count(const struct bt_rundir *rd, int pid, const char *event, const char *detail);
/* Detail of the first @event row for @pid into @buf, or -ENOENT. */
int bt_events_detail(const struct bt_rundir *rd, int pid, const char *event, char *buf, size_t len);
/* t_s of the first @event row for @pid (-1: any), or -1 if there is none. */
double bt_events_time(const struct bt_rundir *rd, int pid, const char *event);

/*
 * What one integration test holds: its private temporary directory, the
 * last benchtrace run, the workload's report and the run directory.
 * bt_ctx_setup/bt_ctx_teardown are cmocka group-less setup/teardown
 * functions (state is a struct bt_ctx *).
 */
struct bt_ctx {
	struct bt_tmp tmp;
	struct bt_result res;
	struct bt_report rep;
	struct bt_rundir rd;
	int pid; /* the workload's pid, from its report */
};
int bt_ctx_setup(void **state);
int bt_ctx_teardown(void **state);

/*
 * A memory cgroup of its own (v1 or v2, whichever this machine mounts)
 * limited to @limit_bytes; its directory into @dir (BT_PATH_MAX).  Put a
 * process in it by writing its PID to DIR/cgroup.procs.  0, or -1 when
 * there is no memory controller to use.
 */
int bt_memcg_make(char *dir, size_t len, unsigned long long limit_bytes);
/* Remove it, waiting up to 2 s for its last task to be reaped; 0 or -errno. */
int bt_memcg_remove(const char *dir);

/*
 * BPF programs currently loaded whose names start with one of @prefixes
 * (NULL-terminated; NULL means count all).
 */
int bt_bpf_prog_count(const char *const prefixes[]);
/* Names the tracer's programs start with (hook-named, STYLE.md). */
extern const char *const bt_tracer_prog_prefixes[];

/*
 * IDs of the BPF programs process @pid holds, through program or link file
 * descriptors (from /proc/PID/fdinfo); returns how many (up to @max).
 */
int bt_proc_bpf_progs(pid_t pid, unsigned int *ids, int max);
/* IDs of the loaded BPF programs named with one of @prefixes (NULL: all); @ids may be NULL. */
int bt_bpf_prog_ids(const char *const prefixes[], unsigned int *ids, int max);
/* Whether a BPF program with this ID is still loaded. */
int bt_bpf_prog_loaded(unsigned int id);
/* Whether any live process holds the BPF program with this ID. */
int bt_bpf_prog_held(unsigned int id);

/*
 * 0 if we are root and the kernel loads a BPF program and has BTF, else -1
 * with the reason in @why.
 */
int bt_bpf_check(char *why, size_t len);

/*
 * For cmocka tests that need BPF: skip with "SKIP: reason" when it is not
 * available -- except in CI, where BPF tests never skip: they fail.
 */
#define bt_require_bpf()                                                                           \
	do {                                                                                       \
		char why_[256];                                                                    \
		if (bt_bpf_check(why_, sizeof(why_))) {                                            \
			if (bt_in_ci())                                                            \
				fail_msg("BPF is required in CI but unavailable: %s", why_);       \
			print_message("SKIP: %s\n", why_);                                         \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

#endif /* BT_TESTUTIL_H */
