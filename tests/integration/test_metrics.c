// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics against the real thing: Debian's Prometheus server scrapes a
 * traced workload every second, and its HTTP API is asked for the series
 * afterwards, which must agree with samples.csv and functions.csv.  The
 * exposition text passes Prometheus's own promtool, hostile names are
 * escaped, and slow or oversized requests neither stop tracing nor grow
 * benchtrace's memory.
 *
 * Usage: test_metrics [BUILD_DIR]   (or BT_BUILD=BUILD_DIR; default "build")
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "expect.h"
#include "rundir/csvread.h"
#include "testutil.h"

#define RUN_TIMEOUT_S 60.0

/* A TCP port free on loopback now. */
static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int dial(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* GET path with optional extra header lines; the whole response (malloc'ed),
 * NULL if nothing answered. */
static char *http_get(int port, const char *path, const char *headers)
{
	char req[1024], *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = dial(port);

	if (fd < 0)
		return NULL;
	snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n", path,
		 headers ? headers : "");
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[len] = 0;
	return buf;
}

/* The line of series @name (followed by '{') that contains @needle, or NULL. */
static const char *find_series(const char *text, const char *name, const char *needle)
{
	size_t len = strlen(name);
	const char *line, *nl, *hit;

	for (line = text; *line; line = nl + 1) {
		nl = strchrnul(line, '\n');
		hit = strstr(line, needle);
		if (!strncmp(line, name, len) && line[len] == '{' && hit && hit < nl)
			return line;
		if (!*nl)
			break;
	}
	return NULL;
}

/* Wait until benchtrace serves /metrics (it listens before the command runs). */
static char *wait_metrics(int port, pid_t bt)
{
	double t0 = bt_now();
	char *r, last[64] = "nothing";

	while (bt_now() - t0 < 20) {
		r = http_get(port, "/metrics", NULL);
		if (r && strstr(r, " 200 "))
			return r;
		if (r)
			snprintf(last, sizeof(last), "%.*s", (int)strcspn(r, "\r\n"), r);
		free(r);
		if (!bt_pid_alive(bt))
			break;
		bt_sleep_ms(50);
	}
	fail_msg("benchtrace never served /metrics on port %d (%.1f s; last answer: %s; %s)", port,
		 bt_now() - t0, last, bt_pid_alive(bt) ? "running" : "exited");
	return NULL;
}

/* The query's value; NAN if Prometheus has none (yet), when @quiet. */
static double prom_query(int wport, const char *query, bool quiet)
{
	char path[1024], *r, *v;
	size_t i, k = 0;
	double val;

	/* the query, URL-encoded enough for these */
	k = snprintf(path, sizeof(path), "/api/v1/query?query=");
	for (i = 0; query[i] && k + 4 < sizeof(path); i++) {
		unsigned char ch = query[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '_')
			path[k++] = ch;
		else
			k += snprintf(path + k, sizeof(path) - k, "%%%02X", ch);
	}
	path[k] = 0;
	r = http_get(wport, path, NULL);
	if (!r) {
		if (quiet)
			return NAN;
		fail_msg("Prometheus did not answer %s", query);
	}
	/* "value":[1733400000.123,"42"] */
	v = strstr(r, "\"value\":[");
	if (!v || !(v = strchr(v, ',')) || sscanf(v + 2, "%lf", &val) != 1) {
		if (quiet) {
			free(r);
			return NAN;
		}
		fail_msg("Prometheus has no value for %s: %s", query, strstr(r, "\r\n\r\n"));
	}
	free(r);
	return val;
}

static double prom_value(int wport, const char *query)
{
	return prom_query(wport, query, false);
}

static void test_prometheus_scrapes_what_the_files_say(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], spec[BT_PATH_MAX + 64], cmd[2 * BT_PATH_MAX], addr[64];
	char cfg[BT_PATH_MAX + 32], data[BT_PATH_MAX + 64], listen[64], q[256], err[512];
	char fpath[BT_PATH_MAX + 64];
	int port = free_port(), wport = free_port(), i, pid = 0, pc, cc;
	const char *prom_argv[8];
	struct bt_proc prom, bt;
	struct bt_result res;
	struct csv_table *f;
	double calls, count, cpu, t_s, file_cpu = 0;
	char *text;

	bt_require_bpf();
	if (access("/usr/bin/prometheus", X_OK))
		fail_msg("/usr/bin/prometheus is missing (tests/install-deps installs it)");
	bt_workload(wl, "calls");
	snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", c->tmp.dir);
	snprintf(cmd, sizeof(cmd),
		 "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
		 "  - job_name: benchtrace\n    static_configs:\n"
		 "      - targets: ['127.0.0.1:%d']\n",
		 port);
	bt_write_file(cfg, cmd, strlen(cmd));
	snprintf(data, sizeof(data), "--storage.tsdb.path=%s/data", c->tmp.dir);
	snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d", wport);
	snprintf(spec, sizeof(spec), "--config.file=%s", cfg);
	prom_argv[0] = "/usr/bin/prometheus";
	prom_argv[1] = spec;
	prom_argv[2] = data;
	prom_argv[3] = listen;
	prom_argv[4] = NULL;
	assert_int_equal(bt_spawn(&prom, NULL, prom_argv), 0);

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	snprintf(spec, sizeof(spec), "%s:work_item", wl);
	/* calls for 2 s, then 4 s of quiet: the last scrapes see the totals */
	snprintf(cmd, sizeof(cmd), "'%s' spin 2; sleep 4", wl);
	{
		const char *argv[] = {bt_benchtrace(), "-q", "-o", c->tmp.run_dir, "--metrics", addr,
				      "-i", "200ms", "-u", spec, "--", "/bin/sh", "-c", cmd, NULL};

		assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	}
	text = wait_metrics(port, bt.pid);
	free(text);
	bt_wait(&bt, &res, RUN_TIMEOUT_S);
	if (res.status)
		fail_msg("benchtrace: exit %d: %s", res.status, res.err);

	assert_int_equal(bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err)), 0);
	snprintf(fpath, sizeof(fpath), "%s/functions.csv", c->tmp.run_dir);
	f = csv_table__load(fpath, err, sizeof(err));
	assert_non_null(f);
	calls = csv_table__f64(f, 0, csv_table__col(f, "calls"));
	csv_table__free(f);
	/* the spinning process: "calls" in samples.csv */
	pc = csv_table__col(c->rd.samples, "pid");
	cc = csv_table__col(c->rd.samples, "comm");
	for (i = 0; i < csv_table__rows(c->rd.samples) && !pid; i++)
		if (!strcmp(csv_table__get(c->rd.samples, i, cc), "calls"))
			pid = (int)csv_table__u64(c->rd.samples, i, pc);
	assert_true(pid > 0);

	/* ask until the last scrapes are in (they are, once the count is) */
	snprintf(q, sizeof(q), "max_over_time(benchtrace_function_calls_total[5m])");
	double got_calls = NAN, t_ask = bt_now();

	while (bt_now() - t_ask < 30 && !(got_calls == calls)) {
		got_calls = prom_query(wport, q, true);
		if (!(got_calls == calls))
			bt_sleep_ms(200);
	}
	snprintf(q, sizeof(q), "max_over_time(benchtrace_function_duration_seconds_count[5m])");
	count = prom_value(wport, q);
	snprintf(q, sizeof(q), "max_over_time(benchtrace_process_cpu_seconds_total{pid=\"%d\"}[5m])",
		 pid);
	cpu = prom_value(wport, q);
	snprintf(q, sizeof(q), "max_over_time(benchtrace_sample_time_seconds[5m])");
	t_s = prom_value(wport, q);
	for (i = 0; i < csv_table__rows(c->rd.samples); i++)
		if ((int)csv_table__u64(c->rd.samples, i, pc) == pid &&
		    csv_table__f64(c->rd.samples, i, 0) <= t_s + 1e-6)
			file_cpu += csv_table__f64(c->rd.samples, i, csv_table__col(c->rd.samples,
										  "cpu_ns"));
	kill(prom.pid, SIGTERM);
	bt_wait(&prom, &res, 30);
	print_message("Prometheus: %.0f calls (functions.csv %.0f), histogram count %.0f; cpu of "
		      "pid %d %.6f s at t_s %.3f (samples.csv %.6f s)\n",
		      got_calls, calls, count, pid, cpu, t_s, file_cpu / 1e9);
	assert_true(calls > 1000);
	assert_true(got_calls == calls);
	assert_true(count == calls);
	expect_close("cpu", "samples.csv", "ms", 1e6, cpu * 1e9, file_cpu, 0.01, 0);
}

/* The text as Prometheus's own tool reads it, with hostile names escaped. */
/* Both programs of the hostile-names run are marked exited in @text. */
static bool exited_twice(const char *text)
{
	const char *p = text;
	int n = 0;

	while ((p = strstr(p, "\nbenchtrace_process_exited{"))) {
		const char *end = strchr(p + 1, '\n');

		static const char a[] = "comm=\"a\\\"", q[] = "comm=\"q\xef\xbf\xbd";

		if (end && end[-1] == '1' && end[-2] == ' ' &&
		    (memmem(p, end - p, a, sizeof(a) - 1) || memmem(p, end - p, q, sizeof(q) - 1)))
			n++;
		p++;
	}
	return n >= 2;
}

static void test_promtool_and_hostile_names(void **state)
{
	struct bt_ctx *c = *state;
	static const char comm[] = "a\"b\\c\nd";
	char wl[BT_PATH_MAX], addr[64], path[2 * BT_PATH_MAX + 64], copy[BT_PATH_MAX + 64];
	char copy2[BT_PATH_MAX + 64];
	int port = free_port(), st;
	struct bt_proc bt;
	struct bt_result res;
	char *text, *body;
	int odd_pid = 0;
	double odd_cpu = 0, t0;
	unsigned long long file_cpu;
	FILE *p;

	bt_require_bpf();
	if (access("/usr/bin/promtool", X_OK))
		fail_msg("/usr/bin/promtool is missing (tests/install-deps installs prometheus)");
	snprintf(addr, sizeof(addr), "%d", port);
	/* the program's file named so: its name after exec, set in the kernel */
	snprintf(copy, sizeof(copy), "%s/%s", c->tmp.dir, comm);
	snprintf(path, sizeof(path), "cp '%s' \"$BT_COPY\"", bt_workload(wl, "oddsym"));
	setenv("BT_COPY", copy, 1);
	assert_int_equal(system(path), 0);
	/* and one whose name is not UTF-8 */
	snprintf(copy2, sizeof(copy2), "%s/q\377r", c->tmp.dir);
	setenv("BT_COPY2", copy2, 1);
	assert_int_equal(system("cp \"$BT_COPY\" \"$BT_COPY2\""), 0);
	unsetenv("BT_COPY2");
	unsetenv("BT_COPY");
	{
		const char *argv[] = {bt_benchtrace(), "-q", "-o", c->tmp.run_dir, "--metrics", addr,
				      "-i", "100ms", "--", "/bin/sh", "-c",
				      "\"$0\" 1; \"$1\" 1; sleep 2", copy, copy2, NULL};

		assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	}
	free(wait_metrics(port, bt.pid));
	/* scrape until a tick has seen both programs exit (or 20 s) */
	for (t0 = bt_now();; bt_sleep_ms(100)) {
		text = http_get(port, "/metrics", NULL);
		assert_non_null(text);
		if ((strstr(text, "comm=\"q\xef\xbf\xbdr\"") &&
		     strstr(text, "comm=\"a\\\"b\\\\c\\nd\"") && exited_twice(text)) ||
		    bt_now() - t0 > 20)
			break;
		free(text);
	}
	body = strstr(text, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	assert_non_null(strstr(text, "text/plain; version=0.0.4"));
	assert_non_null(strstr(body, "comm=\"a\\\"b\\\\c\\nd\""));
	/* a name that is not UTF-8 (which would fail the whole scrape) gets U+FFFD */
	assert_non_null(strstr(body, "comm=\"q\xef\xbf\xbdr\""));
	snprintf(path, sizeof(path), "%s/scrape.txt", c->tmp.dir);
	bt_write_file(path, body, strlen(body));
	/* the hostile program ran once and exited before this scrape: its series
	 * stay, marked exited, with its final CPU total */
	{
		const char *e = find_series(body, "benchtrace_process_exited",
					    "comm=\"a\\\"b\\\\c\\nd\"");
		char *end;

		assert_non_null(e);
		e = strstr(e, "pid=\"");
		assert_non_null(e);
		odd_pid = (int)strtol(e + 5, &end, 10);
		assert_true(odd_pid > 0 && *end == '"');
		end = strchr(e, '\n');
		assert_non_null(end);
		assert_true(end[-1] == '1' && end[-2] == ' ');
		snprintf(copy, sizeof(copy), ",pid=\"%d\"", odd_pid); /* not ppid= */
		e = find_series(body, "benchtrace_process_cpu_seconds_total", copy);
		assert_non_null(e);
		e = strchr(e, '}');
		assert_non_null(e);
		odd_cpu = strtod(e + 1, NULL);
	}
	free(text);
	snprintf(path, sizeof(path), "promtool check metrics < '%s/scrape.txt' 2>&1", c->tmp.dir);
	p = popen(path, "r");
	assert_non_null(p);
	{
		char out[4096] = "";
		size_t n = fread(out, 1, sizeof(out) - 1, p);

		out[n] = 0;
		st = pclose(p);
		if (st)
			fail_msg("promtool check metrics: %s", out);
	}
	/* OpenMetrics when asked for, ending in # EOF */
	text = http_get(port, "/metrics", "Accept: application/openmetrics-text; version=1.0.0\r\n");
	assert_non_null(text);
	assert_non_null(strstr(text, "application/openmetrics-text"));
	assert_non_null(strstr(text, "\n# EOF\n"));
	assert_non_null(strstr(text, "# TYPE benchtrace_process_cpu_seconds counter"));
	free(text);
	/* nothing but GET of /metrics and / */
	text = http_get(port, "/etc/passwd", NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, " 404 "));
	free(text);
	bt_wait(&bt, &res, RUN_TIMEOUT_S);
	assert_int_equal(res.status, 0);
	/* the exited process's figure is the sum of its rows, to the nanosecond */
	assert_int_equal(bt_rundir_load(&c->rd, c->tmp.run_dir, path, sizeof(path)), 0);
	file_cpu = bt_samples_sum(&c->rd, odd_pid, "cpu_ns");
	print_message("exited pid %d: /metrics %.9f s, samples.csv %llu ns\n", odd_pid, odd_cpu,
		      file_cpu);
	assert_true(file_cpu > 0);
	assert_int_equal(llround(odd_cpu * 1e9), file_cpu);
}

/* A client that never finishes its request, and one that sends 100 MB:
 * tracing goes on, other scrapes are answered, memory stays put. */
static void test_slow_and_huge_requests(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], addr[64], *chunk, *text;
	int port = free_port(), slow[4], big, i;
	long before, after;
	struct bt_proc bt;
	struct bt_result res;
	size_t sent = 0;

	bt_require_bpf();
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	{
		const char *argv[] = {bt_benchtrace(), "-q", "-o", c->tmp.run_dir, "--metrics", addr,
				      "-i", "100ms", "--", bt_workload(wl, "sleeper"), "6", NULL};

		assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	}
	free(wait_metrics(port, bt.pid));
	before = bt_status_kib(bt.pid, "VmRSS");
	/* slowloris: half a request line each, never finished */
	for (i = 0; i < 4; i++) {
		slow[i] = dial(port);
		assert_true(slow[i] >= 0);
		assert_int_equal(write(slow[i], "GET /metr", 9), 9);
	}
	/* 100 MB of header: the server gives up long before */
	big = dial(port);
	assert_true(big >= 0);
	signal(SIGPIPE, SIG_IGN);
	chunk = malloc(1 << 20);
	assert_non_null(chunk);
	memset(chunk, 'a', 1 << 20);
	assert_int_equal(write(big, "GET /metrics HTTP/1.1\r\nX-Big: ", 30), 30);
	for (i = 0; i < 100; i++) {
		ssize_t n = write(big, chunk, 1 << 20);

		if (n <= 0)
			break;
		sent += n;
	}
	free(chunk);
	close(big);
	/* a proper scrape still works meanwhile */
	text = http_get(port, "/metrics", NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, " 200 "));
	free(text);
	after = bt_status_kib(bt.pid, "VmRSS");
	print_message("100 MB request: %zu bytes taken before the server hung up; benchtrace RSS "
		      "%ld -> %ld KiB\n",
		      sent, before, after);
	assert_true(sent < 100u << 20);
	assert_true(after - before < 8 * 1024);
	for (i = 0; i < 4; i++)
		close(slow[i]);
	bt_wait(&bt, &res, RUN_TIMEOUT_S);
	assert_int_equal(res.status, 0);
	/* tracing went on: rows at 100 ms all along the 6 s */
	assert_int_equal(bt_rundir_load(&c->rd, c->tmp.run_dir, text = malloc(512), 512), 0);
	free(text);
	assert_true(bt_samples_rows(&c->rd, -1) >= 30);
}

/* More slow clients than the server takes (16 connections, 8 per address),
 * each trickling a byte a second so the idle timeout never ends it: tracing
 * goes on at every tick, memory stays put, and once they hang up scrapes
 * are answered again.  A client that stops sending is dropped by the
 * server's idle timeout (5 s) on its own. */
static void test_slowloris_beyond_the_limit(void **state)
{
	struct bt_ctx *c = *state;
	enum { NSLOW = 40 };
	char wl[BT_PATH_MAX], addr[64], err[512];
	int port = free_port(), slow[NSLOW], idle, i, round, open_n = 0, rows, kept;
	long before, after;
	struct bt_proc bt;
	struct bt_result res;
	struct pollfd pfd;
	char buf[64];
	double t0, max_gap = 0;
	ssize_t n;

	bt_require_bpf();
	signal(SIGPIPE, SIG_IGN);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	{
		const char *argv[] = {bt_benchtrace(), "-q", "-o", c->tmp.run_dir, "--metrics", addr,
				      "-i", "100ms", "--", bt_workload(wl, "sleeper"), "8", NULL};

		assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	}
	free(wait_metrics(port, bt.pid));
	before = bt_status_kib(bt.pid, "VmRSS");
	for (i = 0; i < NSLOW; i++) {
		slow[i] = dial(port);
		if (slow[i] >= 0 && write(slow[i], "GET /metr", 9) == 9)
			open_n++;
	}
	assert_true(open_n > 16); /* the kernel's backlog takes them before the server */
	/* 4 s of a byte a second on every connection the server kept */
	for (round = 0; round < 4; round++) {
		bt_sleep_ms(1000);
		for (i = 0; i < NSLOW; i++)
			if (slow[i] >= 0 && write(slow[i], "i", 1) != 1) {
				close(slow[i]);
				slow[i] = -1;
			}
	}
	after = bt_status_kib(bt.pid, "VmRSS");
	assert_true(bt_pid_alive(bt.pid));
	for (i = 0, kept = 0; i < NSLOW; i++)
		if (slow[i] >= 0) {
			close(slow[i]);
			kept++;
		}
	/* the server held no more than its per-address limit, and hung up on the rest */
	assert_true(kept >= 1 && kept <= 8);
	/* the slots come free: a scrape is answered again */
	free(wait_metrics(port, bt.pid));
	/* a client that goes quiet mid-request is dropped by the server */
	idle = dial(port);
	assert_true(idle >= 0);
	assert_int_equal(write(idle, "GET /metr", 9), 9);
	pfd = (struct pollfd){.fd = idle, .events = POLLIN};
	t0 = bt_now();
	n = 1;
	while (bt_now() - t0 < 30 && n > 0)
		if (poll(&pfd, 1, 1000) > 0)
			n = read(idle, buf, sizeof(buf));
	close(idle);
	print_message("%d slow clients (%d kept by the server): benchtrace RSS %ld -> %ld KiB; "
		      "a quiet client dropped after %.1f s\n",
		      open_n, kept, before, after, bt_now() - t0);
	assert_true(n <= 0);
	assert_true(after - before < 8 * 1024);
	bt_wait(&bt, &res, RUN_TIMEOUT_S);
	assert_int_equal(res.status, 0);
	assert_int_equal(bt_rundir_load(&c->rd, c->tmp.run_dir, err, sizeof(err)), 0);
	/* the sleeper has a row at every tick, slow clients or not: no stall of
	 * tracing near the 4 s they held the server (ticks are 100 ms) */
	rows = csv_table__rows(c->rd.samples);
	for (i = 1; i < rows; i++) {
		double gap = csv_table__f64(c->rd.samples, i, 0) -
			     csv_table__f64(c->rd.samples, i - 1, 0);

		if (gap > max_gap)
			max_gap = gap;
	}
	print_message("%d sample rows over 8 s at 100 ms, longest gap %.3f s\n", rows, max_gap);
	assert_true(rows >= 40);
	assert_true(max_gap < 2.0);
}

/* --no-logs: a live agent that keeps no file (its scratch directory goes). */
static void test_no_logs_keeps_nothing(void **state)
{
	struct bt_ctx *c = *state;
	char addr[32], scratch[BT_PATH_MAX + 16], *text;
	int port = free_port(), st;
	struct bt_proc bt;
	struct bt_result res;
	FILE *p;
	char out[256] = "";

	bt_require_bpf();
	snprintf(addr, sizeof(addr), "%d", port);
	snprintf(scratch, sizeof(scratch), "%s/tmp", c->tmp.dir);
	assert_int_equal(mkdir(scratch, 0700), 0);
	setenv("TMPDIR", scratch, 1);
	{
		const char *argv[] = {bt_benchtrace(), "-q", "--no-logs", "--metrics", addr, "--",
				      "/bin/sleep", "1.5", NULL};

		assert_int_equal(bt_spawn(&bt, NULL, argv), 0);
	}
	unsetenv("TMPDIR");
	text = wait_metrics(port, bt.pid);
	assert_non_null(strstr(text, "comm=\"sleep\""));
	free(text);
	bt_wait(&bt, &res, RUN_TIMEOUT_S);
	assert_int_equal(res.status, 0);
	snprintf(addr, sizeof(addr), "%s", "");
	{
		char cmd[BT_PATH_MAX + 64];

		snprintf(cmd, sizeof(cmd), "ls -A '%s'", scratch);
		p = popen(cmd, "r");
		assert_non_null(p);
		st = (int)fread(out, 1, sizeof(out) - 1, p);
		out[st > 0 ? st : 0] = 0;
		pclose(p);
	}
	if (out[0])
		fail_msg("--no-logs left %s", out);
}

static void test_bad_metrics_address(void **state)
{
	struct bt_ctx *c = *state;

	bt_require_bpf();
	bt_run(&c->res, NULL, RUN_TIMEOUT_S, "-q", "-o", c->tmp.run_dir, "--metrics", "nowhere:x",
	       "--", "/bin/true", NULL);
	assert_int_equal(c->res.status, 1);
	assert_int_equal(bt_count_lines(c->res.err), 1);
	assert_non_null(strstr(c->res.err, "--metrics 'nowhere:x'"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, bt_ctx_setup, bt_ctx_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_prometheus_scrapes_what_the_files_say),
	    T(test_promtool_and_hostile_names),
	    T(test_slow_and_huge_requests),
	    T(test_slowloris_beyond_the_limit),
	    T(test_no_logs_keeps_nothing),
	    T(test_bad_metrics_address),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests_name("benchtrace --metrics with Prometheus", tests, NULL,
					   NULL);
}
