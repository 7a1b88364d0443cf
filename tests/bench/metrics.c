// SPDX-License-Identifier: GPL-2.0
/*
 * metrics BUILD_DIR
 *
 * What --metrics costs the tracer:
 *   per scrape     benchtrace's CPU for 40 back-to-back scrapes of 1000
 *                  traced processes and 100 traced functions, less its CPU
 *                  over as long a quiet stretch just before, per scrape;
 *   idle           benchtrace's CPU over 4 s of an idle target at 100 ms
 *                  ticks, with --metrics (never scraped) and without.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "bench.h"
#include "testutil.h"

#define SCRAPES 40

static double cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static size_t scrape(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	static const char req[] = "GET /metrics HTTP/1.0\r\n\r\n";
	char buf[65536];
	size_t total = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	return total;
}

static int start(struct bt_proc *p, const char *const argv[], int port)
{
	double t0 = bt_now();

	if (bt_spawn(p, NULL, argv))
		return -1;
	while (port && bt_now() - t0 < 30) {
		if (scrape(port) > 1000)
			return 0;
		bt_sleep_ms(100);
	}
	return port ? -1 : 0;
}

int main(int argc, char **argv)
{
	char many[BT_PATH_MAX], spec[BT_PATH_MAX + 16], dir[BT_PATH_MAX], addr[32], sl[BT_PATH_MAX];
	double c0, c1, c2, quiet, busy, with, without, t0, t1;
	struct bt_result r;
	struct bt_proc p;
	size_t bytes = 0;
	int port = 19464, i;

	if (bt_init(argc, argv))
		return 1;
	bench_setup(bt_build_dir());
	signal(SIGPIPE, SIG_IGN);
	snprintf(addr, sizeof(addr), "%d", port);
	snprintf(spec, sizeof(spec), "%s:fn_0*", bt_workload(many, "many"));
	{
		const char *a[] = {bt_benchtrace(), "-q", "-o", bench_next_run_dir(dir), "-i", "1s",
				   "--metrics", addr, "-u", spec, "--", "/bin/sh", "-c",
				   "i=0; while [ $i -lt 1000 ]; do sleep 20 & i=$((i+1)); done; wait",
				   NULL};

		if (start(&p, a, port))
			return 1;
	}
	bt_sleep_ms(3000); /* the 1000 are up and have rows */
	t0 = bt_now();
	c0 = cpu_s(p.pid);
	bt_sleep_ms(2000);
	c1 = cpu_s(p.pid);
	t1 = bt_now();
	for (i = 0; i < SCRAPES; i++)
		bytes += scrape(port);
	c2 = cpu_s(p.pid);
	quiet = (c1 - c0) / (t1 - t0); /* CPU seconds per second, ticking */
	busy = c2 - c1 - quiet * (bt_now() - t1);
	kill(-p.pid, SIGKILL);
	bt_wait(&p, &r, 10);
	bench_rm_tree(dir);
	printf("metrics: %d scrapes of %zu bytes each (1000 processes, 100 functions): %.2f ms of "
	       "tracer CPU a scrape\n",
	       SCRAPES, bytes / SCRAPES, busy * 1e3 / SCRAPES);
	bench_figure_add("--metrics: tracer CPU per scrape, 1000 procs x 100 funcs", false, "-",
			 "%.2f ms", busy * 1e3 / SCRAPES);

	/* idle: a sleeping target, 100 ms ticks, with and without --metrics */
	for (i = 0; i < 2; i++) {
		const char *a[] = {bt_benchtrace(), "-q", "-o", bench_next_run_dir(dir), "-i", "100ms",
				   i ? "--metrics" : "--", i ? addr : bt_workload(sl, "sleeper"),
				   i ? "--" : "6", i ? bt_workload(sl, "sleeper") : NULL,
				   i ? "6" : NULL, NULL};

		if (start(&p, a, i ? port : 0))
			return 1;
		bt_sleep_ms(1000);
		c0 = cpu_s(p.pid);
		bt_sleep_ms(4000);
		c1 = cpu_s(p.pid);
		bt_wait(&p, &r, 30);
		bench_rm_tree(dir);
		if (i)
			with = (c1 - c0) / 4 * 100;
		else
			without = (c1 - c0) / 4 * 100;
	}
	printf("metrics: idle target at 100 ms ticks: tracer %.2f%% of a CPU with --metrics, "
	       "%.2f%% without\n",
	       with, without);
	bench_figure_add("--metrics: idle tracer CPU, with", false, "-", "%.2f%%", with);
	bench_figure_add("--metrics: idle tracer CPU, without", false, "-", "%.2f%%", without);
	bench_print_figures();
	return bench_conclude();
}
