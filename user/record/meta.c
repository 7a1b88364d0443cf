// SPDX-License-Identifier: GPL-2.0
/* meta.json: what was traced, where, how, and how it ended. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "record/loader.h"
#include "record/calibrate.h"
#include "record/meta.h"
#include "record/runstate.h"
#include "record/sampler.h"
#include "report/perfetto.h"
#include "rundir/json.h"
#include "rundir/out.h"
#include "rundir/rundir.h"
#include "util/parse.h"

static void kv_str(struct out *o, const char *k, const char *v)
{
	json__key(o, k);
	json__str(o, v);
}

static void kv_u64(struct out *o, const char *k, __u64 v)
{
	json__key(o, k);
	json__u64(o, v);
}

static void kv_bool(struct out *o, const char *k, bool v)
{
	json__key(o, k);
	json__bool(o, v);
}

/*
 * An argument vector, at most ARGV_BUDGET bytes of it: ARG_MAX allows 2 MiB
 * of control characters, 12 MiB once JSON-escaped, and meta.json is written
 * twice and read back by `report`.  Says whether it was cut.
 */
#define ARGV_BUDGET (64 * 1024)

static bool write_argv(struct out *o, char *const *argv, int argc)
{
	size_t left = ARGV_BUDGET, len;
	int i;

	json__begin_array(o);
	for (i = 0; (argc < 0 || i < argc) && argv[i]; i++) {
		len = strlen(argv[i]);
		if (len > left)
			break;
		json__strn(o, argv[i], len);
		left -= len;
	}
	json__end_array(o);
	return (argc < 0 || i < argc) && argv[i];
}

static void write_target(struct out *o, const struct run *r)
{
	static const char *const modes[] = { "none", "command", "pids", "all" };
	int i;

	json__key(o, "target");
	json__begin_object(o);
	kv_str(o, "mode", modes[r->opts->mode]);
	if (r->opts->mode == BT_MODE_COMMAND) {
		kv_str(o, "executable", r->cmd_path);
		json__key(o, "argv");
		if (write_argv(o, r->opts->cmd, -1))
			kv_bool(o, "argv_truncated", true);
		if (r->run_as.drop)
			kv_u64(o, "uid", r->run_as.uid);
	}
	kv_bool(o, "follow_children", !r->opts->no_children);
	json__key(o, "processes");
	json__begin_array(o);
	for (i = 0; i < r->nprocs && (r->opts->mode != BT_MODE_ALL || i < 0); i++) {
		json__begin_object(o);
		kv_u64(o, "pid", r->procs[i].pid);
		kv_u64(o, "ppid", r->procs[i].ppid);
		kv_str(o, "comm", r->procs[i].comm);
		json__key(o, "cmdline");
		if (r->procs[i].cmdline && strlen(r->procs[i].cmdline) > ARGV_BUDGET) {
			json__strn(o, r->procs[i].cmdline, ARGV_BUDGET); /* as write_argv() */
			kv_bool(o, "cmdline_truncated", true);
		} else {
			json__str(o, r->procs[i].cmdline);
		}
		kv_str(o, "exe", r->procs[i].exe);
		json__end_object(o);
	}
	json__end_array(o);
	if (r->opts->mode == BT_MODE_ALL)
		kv_u64(o, "processes_at_start", r->nprocs);
	json__end_object(o);
}

static void write_host(struct out *o)
{
	struct utsname u;
	struct sysinfo si;
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	sysinfo(&si);
	json__key(o, "host");
	json__begin_object(o);
	kv_str(o, "hostname", host);
	kv_str(o, "kernel", u.release);
	kv_str(o, "machine", u.machine);
	kv_u64(o, "cpus", sysconf(_SC_NPROCESSORS_ONLN));
	kv_u64(o, "memory_bytes", (__u64)si.totalram * si.mem_unit);
	kv_u64(o, "page_size", sysconf(_SC_PAGESIZE));
	kv_u64(o, "clk_tck", sysconf(_SC_CLK_TCK));
	json__end_object(o);
}

static void write_start(struct out *o, const struct run *r)
{
	char iso[64], buf[DURATION_STRLEN];
	time_t secs = r->start_real_ns / 1000000000ULL;
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02d.%06lluZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned long long)(r->start_real_ns % 1000000000ULL / 1000));
	json__key(o, "start");
	json__begin_object(o);
	kv_str(o, "time", iso);
	kv_u64(o, "unix_ns", r->start_real_ns);
	kv_u64(o, "monotonic_ns", r->start_mono_ns);
	json__end_object(o);

	json__key(o, "interval");
	json__begin_object(o);
	kv_str(o, "policy", r->opts->interval_ns ? "fixed" : "auto");
	format_duration(r->opts->interval_ns ? r->opts->interval_ns : BT_AUTO_FIRST_NS, buf,
			sizeof(buf));
	kv_str(o, "initial", buf);
	if (!r->opts->interval_ns) {
		format_duration(BT_AUTO_MAX_NS, buf, sizeof(buf));
		kv_str(o, "max", buf);
		kv_u64(o, "samples_per_level", BT_AUTO_PER_LEVEL);
	}
	format_duration(r->interval.ns, buf, sizeof(buf));
	kv_str(o, "current", buf);
	json__end_object(o);
}

static void write_features(struct out *o, const struct run *r)
{
	const struct tracer_features *f = tracer__features(r->tracer);

	const struct probe *p;
	char addr[32];
	int i;

	json__key(o, "probes");
	json__begin_array(o);
	for (i = 0; i < r->probes.n; i++) {
		p = &r->probes.p[i];
		json__begin_object(o);
		kv_str(o, "spec", p->spec);
		kv_str(o, "func", p->func);
		kv_str(o, "binary", p->binary);
		if (p->python) {
			/* named by its interpreter's hook as it was first called */
			kv_u64(o, "line", p->line);
			kv_str(o, "mechanism", p->python);
			json__end_object(o);
			continue;
		}
		snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)p->addr);
		kv_str(o, "address", addr);
		snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)p->offset);
		kv_str(o, "offset", addr);
		/* how calls end: a uretprobe, or probes on the return instructions
		 * where a uretprobe would break C++ exceptions (exits.h) */
		kv_str(o, "exit", p->nexits ? "return_instructions" : "uretprobe");
		if (p->nexits)
			kv_u64(o, "exit_probes", p->nexits);
		kv_u64(o, "probe_cost_ns", calibrate__cost_of(&r->probe_cost, &r->probes, i));
		json__end_object(o);
	}
	json__end_array(o);
	if (r->probe_cost.uretprobe_ns || r->probe_cost.exit_ns) {
		/* measured at start-up on a function of benchtrace's own */
		json__key(o, "probe_cost_ns");
		json__begin_object(o);
		if (r->probe_cost.uretprobe_ns)
			kv_u64(o, "uretprobe", r->probe_cost.uretprobe_ns);
		if (r->probe_cost.exit_ns)
			kv_u64(o, "return_instructions", r->probe_cost.exit_ns);
		json__end_object(o);
	}
	json__key(o, "kernel_features");
	json__begin_object(o);
	kv_str(o, "tracepoints", f->tp_btf ? "tp_btf" : "raw_tp");
	kv_bool(o, "task_iterator", f->task_iter);
	kv_bool(o, "task_iterator_per_process", f->iter_per_process);
	kv_bool(o, "task_walk_one_run", f->task_walk);
	kv_bool(o, "sched_info_run_delay", f->sched_info);
	kv_bool(o, "task_io_accounting", f->io_accounting);
	kv_bool(o, "oom_mark_victim_tracepoint", f->oom_tracepoint);
	kv_bool(o, "rss_percpu_counters", f->rss_percpu);
	kv_bool(o, "rss_exact_levels", f->rss_exact);
	kv_bool(o, "uprobe_multi", f->uprobe_multi);
	json__end_object(o);
}

static void write_end(struct out *o, const struct run *r, bool final)
{
	const struct run_stats *st = final ? sampler__stats(r->sampler) : NULL;
	int i;

	kv_str(o, "outcome", final ? outcome_name(r->outcome) : "running");
	json__key(o, "exit_code");
	if (final && r->exit_code >= 0)
		json__s64(o, r->exit_code);
	else
		json__null(o);
	json__key(o, "signal");
	if (final && r->signal)
		json__s64(o, r->signal);
	else
		json__null(o);
	if (!final)
		return;
	if (r->error[0])
		kv_str(o, "error", r->error);
	if (r->trace_written)
		kv_str(o, "perfetto_trace", PERFETTO_FILE);
	json__key(o, "wall_s");
	json__double(o, (r->end_mono_ns - r->start_mono_ns) / 1e9);
	json__key(o, "lost_events");
	json__begin_object(o);
	for (i = 0; i < BT_STAT_MAX; i++)
		if (lost_source_name(i))
			kv_u64(o, lost_source_name(i), r->lost[i]);
	json__end_object(o);
	if (r->tracing_calls) {
		json__key(o, "calls");
		json__begin_object(o);
		kv_u64(o, "rows", r->calls.rows);
		kv_u64(o, "min_duration_ns", r->opts->min_duration_ns);
		/* left by longjmp() or an exception: counted, not timed */
		kv_u64(o, "unwound", r->lost[BT_STAT_UNWOUND]);
		/* ring-buffer records that were not a call of a traced function */
		kv_u64(o, "malformed_rows", r->calls.bad);
		json__end_object(o);
	}
	json__key(o, "totals");
	json__begin_object(o);
	kv_u64(o, "cpu_ns", st->cpu_ns);
	kv_u64(o, "runq_ns", st->runq_ns);
	kv_u64(o, "vol_cs", st->vol_cs);
	kv_u64(o, "invol_cs", st->invol_cs);
	kv_u64(o, "minflt", st->minflt);
	kv_u64(o, "majflt", st->majflt);
	kv_u64(o, "rss_peak_bytes", st->peak_rss_bytes);
	kv_u64(o, "read_bytes", st->read_bytes);
	kv_u64(o, "write_bytes", st->write_bytes);
	kv_u64(o, "io_ops", st->io_ops);
	kv_u64(o, "rchar", st->rchar);
	kv_u64(o, "wchar", st->wchar);
	kv_u64(o, "syscr", st->syscr);
	kv_u64(o, "syscw", st->syscw);
	kv_u64(o, "io_wait_ns", st->io_wait_ns);
	kv_u64(o, "processes", st->procs_seen);
	/* after a failed write, the rows the file kept */
	kv_u64(o, "sample_rows", r->sample_rows >= 0 ? (__u64)r->sample_rows : st->rows);
	json__end_object(o);
}

int meta__write(const struct run *r, bool final)
{
	int fd = memfd_create("meta.json", MFD_CLOEXEC), ret;
	struct out *o;
	char *buf;
	off_t len;

	if (fd < 0)
		return -errno;
	o = out__open_fd(dup(fd), false);
	if (!o) {
		close(fd);
		return -ENOMEM;
	}
	json__begin_object(o);
	kv_str(o, "tool", "benchtrace");
	kv_str(o, "version", BT_VERSION);
	json__key(o, "command_line");
	if (write_argv(o, r->opts->argv, r->opts->argc))
		kv_bool(o, "command_line_truncated", true);
	write_target(o, r);
	write_host(o);
	write_start(o, r);
	write_features(o, r);
	write_end(o, r, final);
	json__end_object(o);
	ret = out__close(o);
	len = lseek(fd, 0, SEEK_END);
	if (ret || len <= 0) {
		close(fd);
		return ret ? ret : -EIO;
	}
	buf = malloc(len);
	if (!buf || pread(fd, buf, len, 0) != len) {
		free(buf);
		close(fd);
		return -EIO;
	}
	close(fd);
	ret = rundir__replace(r->rd, "meta.json", buf, len);
	free(buf);
	return ret;
}
