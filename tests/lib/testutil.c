// SPDX-License-Identifier: GPL-2.0
/* Helpers for integration tests and benchmarks; see testutil.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "rundir/csvread.h"
#include "rundir/safefile.h"
#include "testutil.h"

static char build_dir[BT_PATH_MAX] = "build";
static char benchtrace_path[BT_PATH_MAX];

/* snprintf that treats truncation as the setup error it is. */
__attribute__((format(printf, 3, 4))) static void fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, len, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "testutil: '%s...' is too long for its %zu-byte buffer\n", buf,
			len);
		abort();
	}
}

int bt_init(int argc, char **argv)
{
	const char *dir = getenv("BT_BUILD");
	char abs[BT_PATH_MAX];

	/* Line-buffered, so figures and cmocka's stderr lines interleave in order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && argv[1][0])
		dir = argv[1];
	if (!dir || !*dir)
		dir = "build";
	if (!realpath(dir, abs)) {
		fprintf(stderr, "build directory '%s': %s (pass it as argv[1] or BT_BUILD)\n", dir,
			strerror(errno));
		return -1;
	}
	fmt(build_dir, sizeof(build_dir), "%s", abs);
	fmt(benchtrace_path, sizeof(benchtrace_path), "%s/benchtrace", build_dir);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		fprintf(stderr, "warning: cannot become a child subreaper: %s\n", strerror(errno));
	return 0;
}

const char *bt_build_dir(void)
{
	return build_dir;
}

const char *bt_benchtrace(void)
{
	if (!benchtrace_path[0])
		fmt(benchtrace_path, sizeof(benchtrace_path), "%s/benchtrace", build_dir);
	return benchtrace_path;
}

char *bt_workload(char *buf, const char *name)
{
	fmt(buf, BT_PATH_MAX, "%s/tests/workloads/%s", build_dir, name);
	return buf;
}

int bt_in_ci(void)
{
	const char *ci = getenv("CI");

	return ci && *ci && strcmp(ci, "0") && strcasecmp(ci, "false");
}

double bt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void bt_sleep_ms(double ms)
{
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
			      .tv_nsec = (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6)};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---- temporary directories ---- */

long bt_status_kib(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':' && sscanf(line + n + 1, "%ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

int bt_tmp_init(struct bt_tmp *t)
{
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");

	snprintf(t->dir, sizeof(t->dir), "/var/tmp/benchtrace-test-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	/*
	 * Under sudo benchtrace runs the command as the invoking user, who must
	 * be able to write the report and the workload's files here.
	 */
	if (uid && gid && chown(t->dir, atoi(uid), atoi(gid)))
		fprintf(stderr, "warning: chown %s: %s\n", t->dir, strerror(errno));
	bt_tmp_path(t, "run", t->run_dir);
	bt_tmp_path(t, "report", t->report);
	return 0;
}

char *bt_tmp_path(const struct bt_tmp *t, const char *name, char *buf)
{
	fmt(buf, BT_PATH_MAX, "%s/%s", t->dir, name);
	return buf;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

void bt_tmp_cleanup(struct bt_tmp *t)
{
	if (t->dir[0] && nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "warning: cannot remove %s: %s\n", t->dir, strerror(errno));
	t->dir[0] = 0;
}

/* ---- files for unit tests ---- */

static char scratch_dir[BT_PATH_MAX];

int bt_scratch_setup(void **state)
{
	(void)state;
	fmt(scratch_dir, sizeof(scratch_dir), "/tmp/%s.XXXXXX", program_invocation_short_name);
	return mkdtemp(scratch_dir) ? 0 : -1;
}

int bt_scratch_teardown(void **state)
{
	(void)state;
	return nftw(scratch_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

const char *bt_scratch_dir(void)
{
	return scratch_dir;
}

static char *next_buf(void)
{
	static char bufs[8][BT_PATH_MAX];
	static unsigned int next;

	return bufs[next++ % 8];
}

const char *bt_scratch_path(const char *name)
{
	char *p = next_buf();

	fmt(p, BT_PATH_MAX, "%s/%s", scratch_dir, name);
	return p;
}

const char *bt_elf_fixture(const char *name)
{
	char *p = next_buf();

	fmt(p, BT_PATH_MAX, "%s/tests/fixtures/elf/%s", bt_build_dir(), name);
	return p;
}

static void __attribute__((noreturn)) broken(const char *what, const char *path)
{
	fprintf(stderr, "testutil: cannot %s %s: %s\n", what, path, strerror(errno));
	abort();
}

const char *bt_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t done = 0;

	if (fd < 0)
		broken("create", path);
	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			broken("write", path);
		done += (size_t)n;
	}
	if (close(fd))
		broken("write", path);
	return path;
}

void bt_write_text(const char *dir, const char *name, const char *text)
{
	char path[BT_PATH_MAX];

	fmt(path, sizeof(path), "%s/%s", dir, name);
	bt_write_file(path, text, strlen(text));
}

char *bt_read_file(const char *path, size_t *len)
{
	char *buf, err[BT_PATH_MAX + 64];
	size_t n;

	if (safefile__read(path, SAFEFILE_FOLLOW, 0, &buf, &n, err, sizeof(err))) {
		fprintf(stderr, "testutil: %s\n", err);
		abort();
	}
	if (len)
		*len = n;
	return buf;
}

/* ---- running processes ---- */

int bt_spawn(struct bt_proc *p, const char *report, const char *const argv[])
{
	int out[2], err[2], devnull;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		int e = errno;

		close(out[0]);
		close(out[1]);
		return -e;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return -e;
	}
	if (pid == 0) {
		setpgid(0, 0);
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (report)
			setenv("BT_REPORT", report, 1);
		else
			unsetenv("BT_REPORT");
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], (char *const *)argv);
		dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* Also here, so a signal sent to the group right away reaches it. */
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	p->pid = pid;
	p->out_fd = out[0];
	p->err_fd = err[0];
	p->t0 = bt_now();
	return 0;
}

/* Append what @fd has now to @buf (holding *@len bytes); -1 at EOF. */
static int drain(int fd, char *buf, size_t *len)
{
	char tmp[4096];
	ssize_t n;
	size_t room;

	for (;;) {
		n = read(fd, tmp, sizeof(tmp));
		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EINTR ? 0 : (errno == EAGAIN ? 0 : -1);
		room = BT_OUT_MAX - 1 - *len;
		if ((size_t)n > room)
			n = room;
		memcpy(buf + *len, tmp, n);
		*len += n;
		buf[*len] = 0;
	}
}

int bt_wait(struct bt_proc *p, struct bt_result *r, double timeout_s)
{
	size_t out_len = 0, err_len = 0;
	int status = 0, out_open = 1, err_open = 1, reaped = 0;
	struct pollfd fds[2];
	pid_t w;

	memset(r, 0, sizeof(*r));
	for (;;) {
		w = wait4(p->pid, &status, WNOHANG, &r->ru);
		if (w == p->pid) {
			reaped = 1;
			break;
		}
		if (w < 0 && errno != EINTR)
			break;
		if (bt_now() - p->t0 > timeout_s) {
			kill(-p->pid, SIGKILL);
			kill(p->pid, SIGKILL);
			reaped = wait4(p->pid, &status, 0, &r->ru) == p->pid;
			r->timed_out = 1;
			break;
		}
		fds[0] = (struct pollfd){.fd = out_open ? p->out_fd : -1, .events = POLLIN};
		fds[1] = (struct pollfd){.fd = err_open ? p->err_fd : -1, .events = POLLIN};
		poll(fds, 2, 20);
		if (out_open && drain(p->out_fd, r->out, &out_len))
			out_open = 0;
		if (err_open && drain(p->err_fd, r->err, &err_len))
			err_open = 0;
	}
	r->wall_s = bt_now() - p->t0;
	/* It has exited: take what is buffered, without waiting for EOF. */
	drain(p->out_fd, r->out, &out_len);
	drain(p->err_fd, r->err, &err_len);
	close(p->out_fd);
	close(p->err_fd);
	p->out_fd = p->err_fd = -1;
	if (r->timed_out || !reaped)
		r->status = -1;
	else if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->status = 128 + WTERMSIG(status);
	else
		r->status = -1;
	return 0;
}

int bt_runv(struct bt_result *r, const char *report, double timeout_s, const char *const args[])
{
	const char *argv[128];
	struct bt_proc p;
	int i, err;

	argv[0] = bt_benchtrace();
	for (i = 0; args[i] && i < 126; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	err = bt_spawn(&p, report, argv);
	if (err) {
		memset(r, 0, sizeof(*r));
		r->status = -1;
		snprintf(r->err, sizeof(r->err), "spawn: %s\n", strerror(-err));
		return err;
	}
	return bt_wait(&p, r, timeout_s);
}

int bt_run(struct bt_result *r, const char *report, double timeout_s, ...)
{
	const char *args[127];
	va_list ap;
	int n = 0;

	va_start(ap, timeout_s);
	while (n < 126 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	return bt_runv(r, report, timeout_s, args);
}

int bt_count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++) {
		if (*s == '\n' || !s[1])
			n++;
	}
	return n;
}

int bt_pid_alive(pid_t pid)
{
	char path[64], state = 0, buf[512], *rp;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
		state = rp[2];
	fclose(f);
	return state && state != 'Z' && state != 'X';
}

static pid_t ppid_of(const char *pid)
{
	char path[64], buf[512], *rp;
	pid_t ppid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses. */
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
		sscanf(rp + 2, "%*c %d", &ppid);
	fclose(f);
	return ppid;
}

/* SIGKILL every child of ours; returns how many there were. */
static int kill_children(void)
{
	pid_t self = getpid();
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (isdigit((unsigned char)de->d_name[0]) && ppid_of(de->d_name) == self) {
			kill(atoi(de->d_name), SIGKILL);
			n++;
		}
	}
	closedir(d);
	return n;
}

int bt_reap_strays(void)
{
	int i, n, total = 0;

	/* Rounds: as a subreaper we inherit the grandchildren of those we kill. */
	for (i = 0; i < 100; i++) {
		n = kill_children();
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!n)
			break;
		total += n;
		bt_sleep_ms(10);
	}
	return total;
}

pid_t bt_unused_pid(void)
{
	long max = 32768;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	pid_t pid;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 32768;
		fclose(f);
	}
	/* From the top down: the least likely to be handed out meanwhile. */
	for (pid = max - 1; pid > 300; pid--) {
		if (kill(pid, 0) && errno == ESRCH)
			return pid;
	}
	return -1;
}

/* ---- workload reports ---- */

int bt_report_load(struct bt_report *rep, const char *path)
{
	char line[256], key[64];
	unsigned long long v;
	FILE *f;

	rep->n = 0;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && rep->n < BT_REPORT_MAX) {
		if (sscanf(line, "%63s %llu", key, &v) != 2)
			continue;
		if (strlen(key) >= sizeof(rep->key[0]))
			continue;
		strcpy(rep->key[rep->n], key);
		rep->val[rep->n++] = v;
	}
	fclose(f);
	return rep->n ? 0 : -ENODATA;
}

int bt_report_get(const struct bt_report *rep, const char *key, unsigned long long *val)
{
	return bt_report_all(rep, key, val, 1) ? 0 : -ENOENT;
}

int bt_report_all(const struct bt_report *rep, const char *key, unsigned long long *vals, int max)
{
	int i, n = 0;

	for (i = 0; i < rep->n && n < max; i++) {
		if (!strcmp(rep->key[i], key))
			vals[n++] = rep->val[i];
	}
	return n;
}

/* ---- meta.json ---- */

/* Past the JSON string starting at the quote @s. */
static const char *skip_string(const char *s)
{
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1])
			s++;
	}
	return *s ? s + 1 : s;
}

/* Past the JSON value starting at @s (no validation: enough for our files). */
static const char *skip_value(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '"') {
			s = skip_string(s) - 1;
			if (!depth)
				return s + 1;
		} else if (*s == '{' || *s == '[') {
			depth++;
		} else if (*s == '}' || *s == ']') {
			if (!depth)
				return s;
			if (!--depth)
				return s + 1;
		} else if (!depth && (*s == ',' || isspace((unsigned char)*s))) {
			return s;
		}
	}
	return s;
}

static void copy_value(const char *v, const char *end, char *out, size_t len)
{
	size_t n = 0;

	if (*v == '"') {
		for (v++; v < end - 1 && n + 1 < len; v++) {
			if (*v == '\\' && v + 1 < end - 1) {
				v++;
				out[n++] = *v == 'n' ? '\n' : *v == 't' ? '\t' : *v;
			} else {
				out[n++] = *v;
			}
		}
	} else {
		for (; v < end && n + 1 < len; v++)
			out[n++] = *v;
	}
	out[n] = 0;
}

int bt_json_get(const char *path, const char *key, char *out, size_t len)
{
	const char *s, *k, *v, *end;
	size_t klen = strlen(key), buflen;
	char *buf;
	int err;

	err = safefile__read(path, SAFEFILE_FOLLOW, 0, &buf, &buflen, NULL, 0);
	if (err)
		return err;
	err = -ENOENT;
	s = strchr(buf, '{');
	while (s && *s && *s != '}') {
		/* s is at '{' or ',' before a member of the top-level object. */
		s++;
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '"')
			break;
		k = s + 1;
		s = skip_string(s);
		while (isspace((unsigned char)*s) || *s == ':')
			s++;
		v = s;
		end = skip_value(v);
		if ((size_t)(s - k) > klen && !strncmp(k, key, klen) && k[klen] == '"') {
			copy_value(v, end, out, len);
			err = 0;
			break;
		}
		s = end;
		while (isspace((unsigned char)*s))
			s++;
	}
	free(buf);
	return err;
}

int bt_json_get_ll(const char *path, const char *key, long long *val)
{
	char buf[64], *end;
	int err = bt_json_get(path, key, buf, sizeof(buf));

	if (err)
		return err;
	if (!strcmp(buf, "null"))
		return -ENODATA;
	errno = 0;
	*val = strtoll(buf, &end, 10);
	return errno || end == buf || *end ? -EINVAL : 0;
}

/* ---- run directories ---- */

static int check_header(const char *path, const char *want, char *err, size_t errlen)
{
	char line[1024];
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = 0;
	if (strcmp(line, want)) {
		snprintf(err, errlen, "%s: header is\n  '%s'\nwant\n  '%s'", path, line, want);
		return -1;
	}
	return 0;
}

/*
 * Every field of an integer column is a plain decimal number (SPEC: "numbers
 * are plain decimal"), so the sums below never quietly read a bad field as 0.
 */
static int check_integers(const struct csv_table *t, const char *path, char *err, size_t errlen)
{
	static const char *const not_integer[] = {"t_s",   "comm",   "cpu_pct",
						  "event", "detail", NULL};
	const char *name;
	int row, col, i;
	__u64 v;

	for (col = 0; col < csv_table__cols(t); col++) {
		name = csv_table__header(t, col);
		for (i = 0; not_integer[i] && strcmp(not_integer[i], name); i++)
			;
		if (not_integer[i])
			continue;
		for (row = 0; row < csv_table__rows(t); row++) {
			if (csv_table__get_u64(t, row, col, &v)) {
				snprintf(err, errlen, "%s: row %d: %s is '%s', not an integer",
					 path, row + 2, name, csv_table__get(t, row, col));
				return -1;
			}
		}
	}
	return 0;
}

static struct csv_table *load_csv(const char *dir, const char *name, const char *header, char *err,
				  size_t errlen)
{
	char path[BT_PATH_MAX], why[256] = "";
	struct csv_table *t;

	fmt(path, sizeof(path), "%s/%s", dir, name);
	if (check_header(path, header, err, errlen))
		return NULL;
	/* benchtrace ends every row with a newline: a missing one means a cut. */
	t = csv_table__load_opts(path, &(struct csv_opts){.require_newline = true}, why,
				 sizeof(why));
	if (!t) {
		snprintf(err, errlen, "%s: %s", path, why);
		return NULL;
	}
	if (csv_table__truncated(t)) {
		snprintf(err, errlen, "%s: last row is cut off", path);
		csv_table__free(t);
		return NULL;
	}
	if (check_integers(t, path, err, errlen)) {
		csv_table__free(t);
		return NULL;
	}
	return t;
}

int bt_rundir_load(struct bt_rundir *rd, const char *dir, char *err, size_t errlen)
{
	memset(rd, 0, sizeof(*rd));
	fmt(rd->meta, sizeof(rd->meta), "%s/meta.json", dir);
	if (access(rd->meta, R_OK)) {
		snprintf(err, errlen, "%s: %s", rd->meta, strerror(errno));
		return -1;
	}
	rd->samples = load_csv(dir, "samples.csv", BT_SAMPLES_HEADER, err, errlen);
	if (rd->samples)
		rd->events = load_csv(dir, "events.csv", BT_EVENTS_HEADER, err, errlen);
	if (!rd->events) {
		bt_rundir_free(rd);
		return -1;
	}
	return 0;
}

void bt_rundir_free(struct bt_rundir *rd)
{
	if (rd->samples)
		csv_table__free(rd->samples);
	if (rd->events)
		csv_table__free(rd->events);
	rd->samples = rd->events = NULL;
}

static int row_is_pid(struct csv_table *t, int row, int pid_col, int pid)
{
	return pid < 0 || (int)csv_table__u64(t, row, pid_col) == pid;
}

int bt_samples_rows(const struct bt_rundir *rd, int pid)
{
	int row, n = 0, pc = csv_table__col(rd->samples, "pid");

	for (row = 0; row < csv_table__rows(rd->samples); row++)
		n += row_is_pid(rd->samples, row, pc, pid);
	return n;
}

unsigned long long bt_samples_sum(const struct bt_rundir *rd, int pid, const char *col)
{
	int row, pc = csv_table__col(rd->samples, "pid"), c = csv_table__col(rd->samples, col);
	unsigned long long sum = 0;

	for (row = 0; c >= 0 && row < csv_table__rows(rd->samples); row++) {
		if (row_is_pid(rd->samples, row, pc, pid))
			sum += csv_table__u64(rd->samples, row, c);
	}
	return sum;
}

unsigned long long bt_samples_max(const struct bt_rundir *rd, int pid, const char *col)
{
	int row, pc = csv_table__col(rd->samples, "pid"), c = csv_table__col(rd->samples, col);
	unsigned long long v, max = 0;

	for (row = 0; c >= 0 && row < csv_table__rows(rd->samples); row++) {
		v = csv_table__u64(rd->samples, row, c);
		if (row_is_pid(rd->samples, row, pc, pid) && v > max)
			max = v;
	}
	return max;
}

/* Next row >= @from of @event for @pid, or -1. */
static int find_event(const struct bt_rundir *rd, int from, int pid, const char *event)
{
	struct csv_table *t = rd->events;
	int pc = csv_table__col(t, "pid"), ec = csv_table__col(t, "event");

	for (; from < csv_table__rows(t); from++) {
		if (row_is_pid(t, from, pc, pid) && !strcmp(csv_table__get(t, from, ec), event))
			return from;
	}
	return -1;
}

int bt_events_count(const struct bt_rundir *rd, int pid, const char *event, const char *detail)
{
	int row, n = 0, dc = csv_table__col(rd->events, "detail");

	for (row = find_event(rd, 0, pid, event); row >= 0;
	     row = find_event(rd, row + 1, pid, event))
		n += !detail || !strcmp(csv_table__get(rd->events, row, dc), detail);
	return n;
}

int bt_events_detail(const struct bt_rundir *rd, int pid, const char *event, char *buf, size_t len)
{
	int row = find_event(rd, 0, pid, event);

	if (row < 0)
		return -ENOENT;
	snprintf(buf, len, "%s",
		 csv_table__get(rd->events, row, csv_table__col(rd->events, "detail")));
	return 0;
}

double bt_events_time(const struct bt_rundir *rd, int pid, const char *event)
{
	int row = find_event(rd, 0, pid, event);

	return row < 0 ? -1 : csv_table__f64(rd->events, row, 0);
}

/* ---- memory cgroups ---- */

int bt_memcg_make(char *dir, size_t len, unsigned long long limit_bytes)
{
	static const char *const roots[][2] = {
		{"/sys/fs/cgroup/memory", "memory.limit_in_bytes"}, /* v1 */
		{"/sys/fs/cgroup/unified", "memory.max"},	     /* v2 beside v1 */
		{"/sys/fs/cgroup", "memory.max"},		     /* v2 only */
	};
	static unsigned int seq;
	char file[BT_PATH_MAX + 64];
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(dir, len, "%s/benchtrace-test-%d-%u", roots[i][0], (int)getpid(), seq++);
		if (mkdir(dir, 0755) && errno != EEXIST)
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, roots[i][1]);
		f = fopen(file, "w");
		if (f && fprintf(f, "%llu\n", limit_bytes) > 0 && fclose(f) == 0)
			return 0;
		if (f)
			fclose(f);
		rmdir(dir);
	}
	return -1;
}

int bt_memcg_remove(const char *dir)
{
	int i;

	/* the cgroup empties once its last task is reaped */
	for (i = 0; i < 100; i++) {
		if (!rmdir(dir) || errno == ENOENT)
			return 0;
		bt_sleep_ms(20);
	}
	return -errno;
}

/* ---- BPF ---- */

const char *const bt_tracer_prog_prefixes[] = {"handle_", "iter_", NULL};

static int name_matches(const char *name, const char *const prefixes[])
{
	int i;

	for (i = 0; !prefixes || prefixes[i]; i++) {
		if (!prefixes || !strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	}
	return 0;
}

int bt_bpf_prog_ids(const char *const prefixes[], unsigned int *ids, int max)
{
	struct bpf_prog_info info;
	__u32 id = 0, info_len;
	int fd, n = 0;

	while (n < max && !bpf_prog_get_next_id(id, &id)) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue; /* unloaded meanwhile */
		memset(&info, 0, sizeof(info));
		info_len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &info_len) &&
		    name_matches(info.name, prefixes)) {
			if (ids)
				ids[n] = id;
			n++;
		}
		close(fd);
	}
	return n;
}

int bt_bpf_prog_loaded(unsigned int id)
{
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return errno != ENOENT;
	close(fd);
	return 1;
}

int bt_proc_bpf_progs(pid_t pid, unsigned int *ids, int max)
{
	char path[64], line[128];
	struct dirent *de;
	unsigned int id;
	int i, n = 0;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%.16s", (int)pid, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		/* Program fds and link fds both show "prog_id:". */
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "prog_id: %u", &id) != 1)
				continue;
			for (i = 0; i < n && ids[i] != id; i++)
				;
			if (i == n && n < max)
				ids[n++] = id;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

int bt_bpf_prog_held(unsigned int id)
{
	unsigned int ids[256];
	struct dirent *de;
	int i, n, held = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return 1; /* cannot tell: assume someone does */
	while (!held && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		n = bt_proc_bpf_progs(atoi(de->d_name), ids, 256);
		for (i = 0; i < n && !held; i++)
			held = ids[i] == id;
	}
	closedir(d);
	return held;
}

int bt_bpf_prog_count(const char *const prefixes[])
{
	return bt_bpf_prog_ids(prefixes, NULL, INT_MAX);
}

int bt_bpf_check(char *why, size_t len)
{
	/* r0 = 0; exit */
	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd;

	if (geteuid() != 0) {
		snprintf(why, len, "not root (run the integration tests with sudo)");
		return -1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, len, "kernel has no BTF (/sys/kernel/btf/vmlinux: %s)",
			 strerror(errno));
		return -1;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bt_probe", "GPL", insns, 2, NULL);
	if (fd < 0) {
		snprintf(why, len, "cannot load a BPF program: %s", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int bt_ctx_setup(void **state)
{
	struct bt_ctx *c = calloc(1, sizeof(*c));

	if (!c || bt_tmp_init(&c->tmp)) {
		fprintf(stderr, "cannot make a temporary directory under /var/tmp\n");
		free(c);
		return -1;
	}
	*state = c;
	return 0;
}

int bt_ctx_teardown(void **state)
{
	struct bt_ctx *c = *state;

	bt_rundir_free(&c->rd);
	bt_reap_strays();
	bt_tmp_cleanup(&c->tmp);
	free(c);
	return 0;
}
