// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "record/eventlog.h"
#include "record/runstate.h"
#include "record/sampler.h"
#include "record/status.h"
#include "rundir/escape.h"
#include "rundir/out.h"
#include "rundir/rundir.h"

/*
 * The live line keeps to the terminal's last row, as apt's progress bar
 * does: a scroll region of the rows above it holds everything else (the
 * command's own output scrolls there), so the two never share a line.
 * Where the terminal's size is unknown, the line is redrawn in place
 * with a carriage return instead.
 */
struct status {
	bool live; /* a status line is drawn */
	bool drawn;
	int rows; /* the scroll region is rows 1..rows-1; 0: none set */
	bool calls; /* functions are traced: show calls/s */
	__u64 last_elapsed, last_cpu, last_read, last_write, last_calls;
};

struct status *status__new(bool quiet, bool calls)
{
	struct status *s = calloc(1, sizeof(*s));

	if (s) {
		s->live = !quiet && isatty(STDERR_FILENO);
		s->calls = calls;
	}
	return s;
}

void status__bytes(char *buf, size_t len, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* What gives the terminal back, for status__abandon() in a signal handler. */
static char reset_seq[64];
static volatile sig_atomic_t reset_len;

void status__abandon(void)
{
	if (reset_len > 0 && write(STDERR_FILENO, reset_seq, reset_len) < 0)
		return;
}

/* One write(): the command's output never lands inside a sequence. */
static void put(const char *buf, int n)
{
	if (n > 0 && write(STDERR_FILENO, buf, n) < 0)
		return; /* a status line is not worth an error */
}

static int term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) || ws.ws_row < 3 || ws.ws_col < 20)
		return 0;
	return ws.ws_row;
}

/* Give the last row back: the whole screen scrolls again. */
static int region_reset(const struct status *s, char *buf, size_t len)
{
	/* save the cursor, clear the status row, full-screen region (which
	 * homes the cursor), restore it */
	return snprintf(buf, len, "\0337\033[%d;1H\033[2K\033[r\0338", s->rows);
}

static void draw(struct status *s, const char *line)
{
	char buf[512];
	int rows = term_rows(), n = 0, w;
	struct winsize ws;

	if (rows != s->rows && s->rows) /* resized: set up again */
		n = region_reset(s, buf, sizeof(buf));
	if (rows && rows != s->rows)
		/* make room below the cursor, keep the last row out of the
		 * region, and put the cursor back on the line it was on */
		n += snprintf(buf + n, sizeof(buf) - n, "\n\0337\033[1;%dr\0338\033[1A", rows - 1);
	s->rows = rows;
	reset_len = 0;
	if (rows)
		reset_len = region_reset(s, reset_seq, sizeof(reset_seq));
	w = !ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1 ? ws.ws_col - 1 : 79;
	if (rows)
		n += snprintf(buf + n, sizeof(buf) - n, "\0337\033[%d;1H\033[2K%.*s\0338", rows, w,
			      line);
	else
		n += snprintf(buf + n, sizeof(buf) - n, "\r\033[K%.*s", w, line);
	put(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

void status__update(struct status *s, __u64 elapsed_ns, const struct run_stats *st, __u64 calls,
		    __u64 lost)
{
	char callrate[48] = "";
	char rss[32], rd[32], wr[32], line[256];
	double dt;

	if (!s || !s->live)
		return;
	dt = (elapsed_ns - s->last_elapsed) / 1e9;
	if (dt <= 0)
		return;
	status__bytes(rss, sizeof(rss), st->last_rss_bytes);
	status__bytes(rd, sizeof(rd), (st->read_bytes - s->last_read) / dt);
	status__bytes(wr, sizeof(wr), (st->write_bytes - s->last_write) / dt);
	if (s->calls)
		snprintf(callrate, sizeof(callrate), "  calls %.0f/s", (calls - s->last_calls) / dt);
	snprintf(line, sizeof(line),
		 "benchtrace %7.1fs  cpu %6.1f%%  rss %s  read %s/s  write %s/s%s  lost %llu",
		 elapsed_ns / 1e9, 100.0 * (st->cpu_ns - s->last_cpu) / (dt * 1e9), rss, rd, wr,
		 callrate, (unsigned long long)lost);
	draw(s, line);
	s->last_calls = calls;
	s->drawn = true;
	s->last_elapsed = elapsed_ns;
	s->last_cpu = st->cpu_ns;
	s->last_read = st->read_bytes;
	s->last_write = st->write_bytes;
}

void status__clear(struct status *s)
{
	char buf[64];

	if (!s || !s->drawn)
		return;
	if (s->rows)
		put(buf, region_reset(s, buf, sizeof(buf)));
	else
		put("\r\033[K", 4);
	s->rows = 0;
	reset_len = 0;
	s->drawn = false;
}

static void describe_outcome(const struct run *r, char *buf, size_t len)
{
	switch (r->outcome) {
	case BT_COMPLETED:
		snprintf(buf, len, "completed (exit code 0)");
		break;
	case BT_FAILED:
		snprintf(buf, len, "failed (exit code %d)", r->exit_code);
		break;
	case BT_KILLED:
		snprintf(buf, len, "killed by signal %d (%s)", r->signal, strsignal(r->signal));
		break;
	case BT_OOM_KILLED:
		snprintf(buf, len, "killed by the OOM killer");
		break;
	case BT_DETACHED:
		snprintf(buf, len, "still running (tracing detached)");
		break;
	default:
		snprintf(buf, len, "%s", outcome_name(r->outcome));
	}
}

/* "1.234 ms": a duration for people */
static void human_ns(char *buf, size_t len, double ns)
{
	if (ns >= 1e9)
		snprintf(buf, len, "%.3f s", ns / 1e9);
	else if (ns >= 1e6)
		snprintf(buf, len, "%.3f ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, len, "%.3f us", ns / 1e3);
	else
		snprintf(buf, len, "%.0f ns", ns);
}

#define SUMMARY_TOP_FUNCS 5

/* The top functions by total time (r->funcs is sorted so). */
static void summary_functions(const struct run *r)
{
	char total[32], mean[32], p99[32], name[128];
	int i;

	fprintf(stderr, "  calls    %llu row%s in calls.csv; top functions by total time:\n",
		(unsigned long long)r->calls.rows, r->calls.rows == 1 ? "" : "s");
	for (i = 0; i < r->probes.n && i < SUMMARY_TOP_FUNCS; i++) {
		const struct func_summary *f = &r->funcs[i];

		human_ns(total, sizeof(total), f->total_ns);
		human_ns(mean, sizeof(mean), f->mean_ns);
		human_ns(p99, sizeof(p99), f->p99_ns);
		term_escape(name, sizeof(name), f->func);
		fprintf(stderr, "    %-28.28s %10llu call%s total %11s  mean %11s  p99 %11s\n",
			name, (unsigned long long)f->calls, f->calls == 1 ? " " : "s", total, mean,
			p99);
	}
	if (r->probes.n > SUMMARY_TOP_FUNCS)
		fprintf(stderr, "    ... %d more in functions.csv\n", r->probes.n - SUMMARY_TOP_FUNCS);
}

void status__summary(struct status *s, const struct run *r, const struct run_stats *st)
{
	double wall = (r->end_mono_ns - r->start_mono_ns) / 1e9;
	char what[128], peak[32], rd[32], wr[32], name[512];
	__u64 lost = run__lost_total(r);
	int i, shown;

	(void)s;
	describe_outcome(r, what, sizeof(what));
	status__bytes(peak, sizeof(peak), st->peak_rss_bytes);
	status__bytes(rd, sizeof(rd), st->read_bytes);
	status__bytes(wr, sizeof(wr), st->write_bytes);
	/* the command's name is the traced program's: shown, never obeyed */
	term_escape(name, sizeof(name),
		    r->opts->mode == BT_MODE_COMMAND ? r->opts->cmd[0]
		    : r->opts->mode == BT_MODE_ALL   ? "system"
						     : "target");
	fprintf(stderr, "benchtrace: %s %s after %.3f s\n", name, what, wall);
	fprintf(stderr, "  cpu      %.3f s (%.1f%% of one CPU), run-queue wait %.3f s\n",
		st->cpu_ns / 1e9, wall > 0 ? 100.0 * st->cpu_ns / 1e9 / wall : 0.0,
		st->runq_ns / 1e9);
	fprintf(stderr, "  memory   peak RSS %s, %llu minor + %llu major faults\n", peak,
		(unsigned long long)st->minflt, (unsigned long long)st->majflt);
	fprintf(stderr, "  storage  read %s, write %s, %llu block request%s, %.3f s in I/O wait\n",
		rd, wr, (unsigned long long)st->io_ops, st->io_ops == 1 ? "" : "s",
		st->io_wait_ns / 1e9);
	fprintf(stderr, "  switches %llu voluntary, %llu involuntary; %llu process%s\n",
		(unsigned long long)st->vol_cs, (unsigned long long)st->invol_cs,
		(unsigned long long)st->procs_seen, st->procs_seen == 1 ? "" : "es");
	if (r->probes.n && r->funcs)
		summary_functions(r);
	if (lost) {
		fprintf(stderr, "  LOST     %llu events (", (unsigned long long)lost);
		for (i = 0, shown = 0; i < BT_STAT_MAX; i++) {
			if (!lost_source_name(i) || !r->lost[i])
				continue;
			fprintf(stderr, "%s%s %llu", shown++ ? ", " : "", lost_source_name(i),
				(unsigned long long)r->lost[i]);
		}
		fprintf(stderr, ")\n");
	}
	if (r->opts->no_logs) {
		fprintf(stderr, "  logs     none (--no-logs)\n");
		return;
	}
	term_escape(name, sizeof(name), rundir__path(r->rd));
	fprintf(stderr, "  logs     %s/\n", name);
}

void status__free(struct status *s)
{
	free(s);
}
