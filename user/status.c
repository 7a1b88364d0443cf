// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "eventlog.h"
#include "run.h"
#include "rundir.h"
#include "sampler.h"
#include "status.h"

struct status {
	bool live; /* a status line is drawn */
	bool drawn;
	__u64 last_elapsed, last_cpu, last_read, last_write;
};

struct status *status__new(bool quiet)
{
	struct status *s = calloc(1, sizeof(*s));

	if (s)
		s->live = !quiet && isatty(STDERR_FILENO);
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

void status__update(struct status *s, __u64 elapsed_ns, const struct run_stats *st, __u64 lost)
{
	char rss[32], rd[32], wr[32];
	double dt;

	if (!s || !s->live)
		return;
	dt = (elapsed_ns - s->last_elapsed) / 1e9;
	if (dt <= 0)
		return;
	status__bytes(rss, sizeof(rss), st->last_rss_bytes);
	status__bytes(rd, sizeof(rd), (st->read_bytes - s->last_read) / dt);
	status__bytes(wr, sizeof(wr), (st->write_bytes - s->last_write) / dt);
	fprintf(stderr, "\r\033[Kbenchtrace %7.1fs  cpu %6.1f%%  rss %s  read %s/s  write %s/s  lost %llu",
		elapsed_ns / 1e9, 100.0 * (st->cpu_ns - s->last_cpu) / (dt * 1e9), rss, rd, wr,
		(unsigned long long)lost);
	s->drawn = true;
	s->last_elapsed = elapsed_ns;
	s->last_cpu = st->cpu_ns;
	s->last_read = st->read_bytes;
	s->last_write = st->write_bytes;
}

void status__clear(struct status *s)
{
	if (s && s->drawn) {
		fprintf(stderr, "\r\033[K");
		s->drawn = false;
	}
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

void status__summary(struct status *s, const struct run *r, const struct run_stats *st)
{
	double wall = (r->end_mono_ns - r->start_mono_ns) / 1e9;
	char what[128], peak[32], rd[32], wr[32];
	__u64 lost = r->lost_ringbuf + r->lost_procs + r->lost_threads;

	(void)s;
	describe_outcome(r, what, sizeof(what));
	status__bytes(peak, sizeof(peak), st->peak_rss_bytes);
	status__bytes(rd, sizeof(rd), st->read_bytes);
	status__bytes(wr, sizeof(wr), st->write_bytes);
	fprintf(stderr, "benchtrace: %s %s after %.3f s\n",
		r->opts->mode == BT_MODE_COMMAND ? r->opts->cmd[0]
		: r->opts->mode == BT_MODE_ALL	 ? "system"
						 : "target",
		what, wall);
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
	if (lost)
		fprintf(stderr,
			"  LOST     %llu events (ring buffer %llu, process map full %llu, "
			"thread map full %llu)\n",
			(unsigned long long)lost, (unsigned long long)r->lost_ringbuf,
			(unsigned long long)r->lost_procs, (unsigned long long)r->lost_threads);
	fprintf(stderr, "  logs     %s/\n", rundir__path(r->rd));
}

void status__free(struct status *s)
{
	free(s);
}
