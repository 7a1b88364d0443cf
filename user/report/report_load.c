// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a run directory for `benchtrace report` (meta.json, samples.csv,
 * processes.csv, events.csv, functions.csv, calls.csv, and from calls.csv
 * the benchtrace.h loops) into struct run: every field checked, errors that
 * name the file and line.  One job, kept whole: the readers share the column mapping, the checked number parsers and
 * the run's one time axis, and each is a screen or two; split per file,
 * each would need those back through a header of its own.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report_load.h"
#include "report/spans.h"
#include "report/svg.h"
#include "rundir/csvread.h"
#include "rundir/jsonread.h"
#include "util/parse.h"

static void __attribute__((format(printf, 2, 3))) run_warn(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarn >= MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->warn[r->nwarn++], sizeof(r->warn[0]), fmt, ap);
	va_end(ap);
}

/* ---- numbers from CSV fields -------------------------------------------- */

#define T_S_MAX 1e9 /* seconds: 31 years */

/*
 * "123.456789" without strtod(): t_s fields are read millions of times.
 * Falls back to strtod() for anything else; the whole field must be a
 * finite, non-negative number.
 */
static int field_f64(const char *s, double *out)
{
	const char *p = s;
	__u64 ip = 0, fp = 0, div = 1;
	char *end;
	double v;

	if (*p >= '0' && *p <= '9') {
		while (*p >= '0' && *p <= '9' && ip < 100000000000000ULL)
			ip = ip * 10 + (__u64)(*p++ - '0');
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9' && div < 1000000000000ULL) {
				fp = fp * 10 + (__u64)(*p++ - '0');
				div *= 10;
			}
		}
		if (!*p && p[-1] != '.') {
			*out = (double)ip + (double)fp / (double)div;
			return 0;
		}
	}
	if (!*s || *s == ' ' || *s == '\t' || *s == '+')
		return -EINVAL;
	v = strtod(s, &end);
	if (*end || !isfinite(v) || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * Back from the doubles the loader sums in to integers, without the
 * undefined behaviour of converting one out of range: a planted file's
 * 18446744073709551615 is 2^64 as a double, one past what __u64 holds.
 */
static __u64 to_u64(double v)
{
	if (!(v > 0))
		return 0;
	return v >= 18446744073709551616.0 ? UINT64_MAX : (__u64)v;
}

static long to_long(double v)
{
	if (v != v)
		return 0;
	if (v >= 9223372036854775808.0)
		return LONG_MAX;
	return v <= -9223372036854775808.0 ? LONG_MIN : (long)v;
}

struct colmap {
	const char *name;
	int idx;
	bool required;
};

/* Find the columns by name; error naming the file and the missing column. */
static int map_columns(const struct csv_row *row, struct colmap *cols, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		cols[i].idx = csv_row__col(row, cols[i].name);
		if (cols[i].idx < 0 && cols[i].required) {
			csv_row__error(row, "no column '%s' in the header (not a benchtrace file?)",
				       cols[i].name);
			return -1;
		}
	}
	return 0;
}

/* Up to 18 digits cannot overflow: the common case, without parse_u64()'s checks. */
static int field_u64(const char *s, __u64 *out)
{
	__u64 v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < 18) {
		v = v * 10 + (__u64)(*s++ - '0');
		n++;
	}
	if (*s || !n)
		return parse_u64(s - n, 0, UINT64_MAX, out);
	*out = v;
	return 0;
}

static int get_u64(const struct csv_row *row, const struct colmap *c, double *out)
{
	__u64 v;

	if (c->idx < 0) {
		*out = 0;
		return 0;
	}
	if (field_u64(row->field[c->idx], &v)) {
		csv_row__error(row, "bad number '%.40s' in column %s", row->field[c->idx], c->name);
		return -1;
	}
	*out = (double)v;
	return 0;
}

static int get_f64(const struct csv_row *row, const struct colmap *c, double *out)
{
	if (c->idx < 0) {
		*out = 0;
		return 0;
	}
	if (field_f64(row->field[c->idx], out)) {
		csv_row__error(row, "bad number '%.40s' in column %s", row->field[c->idx], c->name);
		return -1;
	}
	/* no run lasts 31 years: a planted 1e308 would put inf into the charts */
	if (!strcmp(c->name, "t_s") && *out > T_S_MAX) {
		csv_row__error(row, "t_s %.40s is past any run's end (more than %.0f s)",
			       row->field[c->idx], T_S_MAX);
		return -1;
	}
	return 0;
}

/* DIR/NAME.csv, or DIR/NAME.csv.gz if only that exists; false if neither. */
static bool find_csv(const char *dir, const char *name, char *path, size_t len)
{
	struct stat st;

	snprintf(path, len, "%s/%s.csv", dir, name);
	if (!lstat(path, &st))
		return true;
	snprintf(path, len, "%s/%s.csv.gz", dir, name);
	if (!lstat(path, &st))
		return true;
	snprintf(path, len, "%s/%s.csv", dir, name);
	return false;
}

/* Every row of PATH through fn; a cut-off last line is dropped, with a warning. */
static int read_csv(struct run *r, const char *path, csv_row_fn fn, void *ctx, char *err,
		    size_t errlen)
{
	int trunc = 0;

	if (csv_stream__read(path, NULL, fn, ctx, &trunc, err, errlen) < 0)
		return -1;
	if (trunc)
		run_warn(r, "%s: the last line was cut off (dropped).", path);
	return 0;
}

/* ---- meta.json ------------------------------------------------------------ */

static int load_meta(struct run *r, char *err, size_t errlen)
{
	char path[PATH_MAX];
	const struct json_value *root, *v, *lost;
	double d;
	size_t i;

	snprintf(path, sizeof(path), "%s/meta.json", r->at);
	r->meta = json_doc__load(path, NULL, err, errlen);
	if (!r->meta) {
		if (errno == ENOENT && strstr(err, "cannot open"))
			snprintf(err, errlen,
				 "no meta.json in '%s' (not a benchtrace run directory?)", r->dir);
		return -1;
	}
	root = json_doc__root(r->meta);
	if (json_value__type(root) != JSON_OBJECT) {
		snprintf(err, errlen, "%s: not a JSON object (not a benchtrace meta.json?)", path);
		return -1;
	}
	r->outcome = json_value__str(json_value__member(root, "outcome"));
	if (!r->outcome)
		r->outcome = "running";
	r->exit_code = r->signal = -1;
	if (!json_value__num(json_value__member(root, "exit_code"), &d))
		r->exit_code = to_long(d);
	if (!json_value__num(json_value__member(root, "signal"), &d))
		r->signal = to_long(d);
	r->error = json_value__str(json_value__member(root, "error"));
	if (!json_value__num(json_value__member(root, "wall_s"), &d) && d >= 0 && isfinite(d)) {
		r->wall_s = d;
		r->wall_known = true;
	}
	lost = json_value__member(root, "lost_events");
	for (i = 0; i < json_value__len(lost); i++) {
		v = json_value__at(lost, i);
		if (!json_value__num(v, &d) && d > 0)
			r->lost =
			    r->lost > UINT64_MAX - to_u64(d) ? UINT64_MAX : r->lost + to_u64(d);
	}
	if (!strcmp(r->outcome, "running"))
		run_warn(
		    r, "This run was cut off: the tracer stopped without finalising it (killed?). "
		       "The data shown is what was written before that.");
	if (r->lost)
		run_warn(r,
			 "%llu events were lost (ring buffer full or maps full): counts and spans "
			 "may be incomplete.",
			 (unsigned long long)r->lost);
	return 0;
}

/* ---- samples.csv ---------------------------------------------------------- */

enum {
	S_T,
	S_PID,
	S_COMM,
	S_CPU_NS,
	S_CPU_PCT,
	S_MINFLT,
	S_MAJFLT,
	S_RSS,
	S_PEAK,
	S_READ,
	S_WRITE,
	S_RUNQ, /* the rest may be missing (older runs) */
	S_VCS,
	S_ICS,
	S_IOWAIT,
	S_THREADS,
	S_NCOLS
};

struct samples_ctx {
	struct run *r;
	int pass;
	struct colmap c[S_NCOLS];
	/* the tick being summed: rows with the same t_s */
	char tick_t[32];
	double t, prev_t;
	double cpu_pct, rss, minflt, majflt, rd, wr;
	double runq, cs, iowait, threads;
	double g_cpu[TOP_PROCS], g_rss[TOP_PROCS], g_peak[TOP_PROCS]; /* r->grouped */
	bool in_tick;
	int last_proc;
};

/* pid -> index in r->procs, open addressing: -a mode traces thousands of processes. */
static unsigned int pid_hash(long pid, unsigned int cap)
{
	return ((unsigned int)pid * 2654435761U) & (cap - 1);
}

static struct proc *proc_find(struct run *r, long pid, int *hint)
{
	unsigned int h;

	if (*hint >= 0 && *hint < r->nproc && r->procs[*hint].pid == pid)
		return &r->procs[*hint];
	if (!r->pid_cap)
		return NULL;
	for (h = pid_hash(pid, r->pid_cap); r->pid_slots[h]; h = (h + 1) & (r->pid_cap - 1)) {
		int i = r->pid_slots[h] - 1;

		if (r->procs[i].pid == pid) {
			*hint = i;
			return &r->procs[i];
		}
	}
	return NULL;
}

/* Index procs[i] (already added); -ENOMEM. */
static int proc_index(struct run *r, int i)
{
	unsigned int h, k;

	if ((unsigned int)r->nproc * 2 >= r->pid_cap) {
		unsigned int cap = r->pid_cap ? r->pid_cap * 2 : 64;
		int *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return -ENOMEM;
		free(r->pid_slots);
		r->pid_slots = slots;
		r->pid_cap = cap;
		/* Rehash everything, procs[i] included. */
		for (k = 0; k < (unsigned int)r->nproc; k++) {
			for (h = pid_hash(r->procs[k].pid, cap); slots[h]; h = (h + 1) & (cap - 1))
				;
			slots[h] = (int)k + 1;
		}
		return 0;
	}
	for (h = pid_hash(r->procs[i].pid, r->pid_cap); r->pid_slots[h];
	     h = (h + 1) & (r->pid_cap - 1))
		;
	r->pid_slots[h] = i + 1;
	return 0;
}

static void tick_flush(struct samples_ctx *x)
{
	struct run *r = x->r;
	double dt = x->t - x->prev_t;

	if (!x->in_tick)
		return;
	if (x->pass == 2) {
		mmcols__add(&r->cpu_total, x->t, x->cpu_pct);
		mmcols__add(&r->rss_total, x->t, x->rss);
		/* Rates over the time since the previous tick (the first: since the start). */
		if (dt > 0) {
			mmcols__add(&r->minflt, x->t, x->minflt / dt);
			mmcols__add(&r->majflt, x->t, x->majflt / dt);
			mmcols__add(&r->rd, x->t, x->rd / dt);
			mmcols__add(&r->wr, x->t, x->wr / dt);
			/* waits as % of one CPU's time, like cpu_pct */
			mmcols__add(&r->runq, x->t, x->runq / dt / 1e7);
			mmcols__add(&r->iowait, x->t, x->iowait / dt / 1e7);
			mmcols__add(&r->cs, x->t, x->cs / dt);
		}
		mmcols__add(&r->threads, x->t, x->threads);
		for (int g = 0; r->grouped && g < r->ndrawn; g++) {
			mmcols__add(&r->cpu[g], x->t, x->g_cpu[g]);
			mmcols__add(&r->rss[g], x->t, x->g_rss[g]);
			mmcols__add(&r->peak[g], x->t, x->g_peak[g]);
			x->g_cpu[g] = x->g_rss[g] = x->g_peak[g] = 0;
		}
	}
	x->prev_t = x->t;
	x->runq = x->cs = x->iowait = x->threads = 0;
	x->cpu_pct = x->rss = x->minflt = x->majflt = x->rd = x->wr = 0;
	x->in_tick = false;
}

/* One row's share of p's thread time (struct proc.thread_s); @tick_before: the previous tick. */
static void thread_time(struct proc *p, double t, double thr, double tick_before)
{
	if (!p->rows++) {
		p->first_t = t;
		p->pre_t = tick_before < t ? tick_before : t;
		p->first_thr = thr > 0 ? thr : 1;
	} else if (thr > 0 && p->dead_to > 0) {
		/* a reused PID: a new process since the tick before */
		p->thread_s += (t - (tick_before > p->dead_to ? tick_before : p->dead_to)) * thr;
	} else if (thr > 0) {
		p->thread_s += (t - p->last_t) * (thr + p->last_thr) / 2;
	} else if (!(p->dead_to > 0)) {
		p->dead_from = p->last_t;
		p->dead_to = t;
		p->dead_thr = p->last_thr;
	}
	p->last_t = t;
	if (thr > 0)
		p->last_thr = thr;
}

/* The ends of each process's thread time, once processes.csv said when it started and ended. */
static void thread_time_ends(struct run *r)
{
	int i;

	for (i = 0; i < r->nproc; i++) {
		struct proc *p = &r->procs[i];
		double t0 = p->pre_t, t1 = p->first_t;

		if (!p->rows)
			continue;
		if (p->have_info && p->start_s > t0 && p->start_s < t1)
			t0 = p->start_s;
		if (p->rows == 1 && p->have_info && p->end_s >= t0 && p->end_s < t1)
			t1 = p->end_s;
		p->thread_s += p->first_thr * (t1 - t0);
		if (p->dead_to > 0) {
			t0 = p->dead_from;
			t1 = p->dead_to;
			if (p->have_info && p->end_s >= t0 && p->end_s < t1)
				t1 = p->end_s;
			p->thread_s += p->dead_thr * (t1 - t0);
		}
		r->thread_s += p->thread_s;
		r->runq_ns += p->runq_ns;
		r->iowait_ns += p->iowait_ns;
	}
}

static int samples_row(const struct csv_row *row, void *ctx)
{
	struct samples_ctx *x = ctx;
	struct run *r = x->r;
	double v[S_NCOLS];
	struct proc *p;
	int i;

	if (row->row < 0) {
		int ret = map_columns(row, x->c, S_NCOLS);

		r->have_waits = x->c[S_RUNQ].idx >= 0 && x->c[S_IOWAIT].idx >= 0;
		return ret;
	}
	for (i = 0; i < S_NCOLS; i++) {
		if (i == S_COMM)
			continue;
		if ((i == S_T || i == S_CPU_PCT) ? get_f64(row, &x->c[i], &v[i])
						 : get_u64(row, &x->c[i], &v[i]))
			return -1;
	}
	if (strcmp(row->field[x->c[S_T].idx], x->tick_t)) {
		tick_flush(x);
		snprintf(x->tick_t, sizeof(x->tick_t), "%s", row->field[x->c[S_T].idx]);
	}
	x->in_tick = true;
	x->t = v[S_T];
	x->cpu_pct += v[S_CPU_PCT];
	x->rss += v[S_RSS];
	x->minflt += v[S_MINFLT];
	x->majflt += v[S_MAJFLT];
	x->rd += v[S_READ];
	x->wr += v[S_WRITE];
	x->runq += v[S_RUNQ];
	x->cs += v[S_VCS] + v[S_ICS];
	x->iowait += v[S_IOWAIT];
	x->threads += v[S_THREADS];

	p = proc_find(r, to_long(v[S_PID]), &x->last_proc);
	if (x->pass == 1) {
		if (!p) {
			if (r->nproc == r->proc_cap) {
				int cap = r->proc_cap ? r->proc_cap * 2 : 16;
				struct proc *procs =
				    realloc(r->procs, (size_t)cap * sizeof(*procs));

				if (!procs) {
					csv_row__error(row, "out of memory");
					return -1;
				}
				r->procs = procs;
				r->proc_cap = cap;
			}
			p = &r->procs[r->nproc++];
			memset(p, 0, sizeof(*p));
			p->pid = to_long(v[S_PID]);
			if (proc_index(r, r->nproc - 1)) {
				csv_row__error(row, "out of memory");
				return -1;
			}
			p->slot = -1;
		}
		/* the name after its last exec labels it (an MPI rank is not
		 * "mpirun", the name it had before it exec'd) */
		if (strncmp(p->comm, row->field[x->c[S_COMM].idx], sizeof(p->comm) - 1))
			snprintf(p->comm, sizeof(p->comm), "%s", row->field[x->c[S_COMM].idx]);
		thread_time(p, v[S_T], v[S_THREADS], x->prev_t);
		p->cpu_ns += v[S_CPU_NS];
		p->runq_ns += v[S_RUNQ];
		p->iowait_ns += v[S_IOWAIT];
		p->read_bytes += v[S_READ];
		p->write_bytes += v[S_WRITE];
		if (v[S_PEAK] > p->peak)
			p->peak = v[S_PEAK];
		if (v[S_RSS] > p->peak)
			p->peak = v[S_RSS];
		r->cpu_ns += v[S_CPU_NS];
		r->read_bytes += v[S_READ];
		r->write_bytes += v[S_WRITE];
		r->minflt_total += v[S_MINFLT];
		r->majflt_total += v[S_MAJFLT];
		if (p->peak > r->peak_rss)
			r->peak_rss = p->peak;
		if (v[S_T] > r->t_end)
			r->t_end = v[S_T];
		r->sample_rows++;
	} else if (p && p->slot >= 0 && r->grouped) {
		x->g_cpu[p->slot] += v[S_CPU_PCT];
		x->g_rss[p->slot] += v[S_RSS];
		x->g_peak[p->slot] += v[S_PEAK];
	} else if (p && p->slot >= 0) {
		mmcols__add(&r->cpu[p->slot], v[S_T], v[S_CPU_PCT]);
		mmcols__add(&r->rss[p->slot], v[S_T], v[S_RSS]);
		mmcols__add(&r->peak[p->slot], v[S_T], v[S_PEAK]);
	}
	return 0;
}

static int proc_cmp_cpu(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static const struct colmap samples_cols[S_NCOLS] = {
    {"t_s", -1, true},	      {"pid", -1, true},	 {"comm", -1, true},
    {"cpu_ns", -1, true},     {"cpu_pct", -1, true},	 {"minflt", -1, true},
    {"majflt", -1, true},     {"rss_bytes", -1, true},	 {"rss_peak_bytes", -1, true},
    {"read_bytes", -1, true}, {"write_bytes", -1, true},
    {"runq_ns", -1, false},   {"vol_cs", -1, false},	 {"invol_cs", -1, false},
    {"io_wait_ns", -1, false}, {"threads", -1, false},
};

static int load_samples(struct run *r, char *err, size_t errlen)
{
	struct samples_ctx x = {.r = r};

	if (!find_csv(r->at, "samples", r->samples_path, sizeof(r->samples_path))) {
		snprintf(err, errlen, "no samples.csv or samples.csv.gz in '%s'", r->dir);
		return -1;
	}
	/* Pass 1: check every row, totals per process, the time range. */
	memcpy(x.c, samples_cols, sizeof(samples_cols));
	x.pass = 1;
	x.last_proc = -1;
	if (read_csv(r, r->samples_path, samples_row, &x, err, errlen))
		return -1;
	tick_flush(&x);
	return 0;
}

/* Pass 2, once the time axis is known: the series, reduced to pixel columns. */
static int proc_cmp_comm(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;

	return strcmp(x->comm, y->comm);
}

struct group {
	int first; /* in the comm-sorted order */
	int n;
	double cpu_ns;
};

static int group_cmp_cpu(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	return x->first - y->first;
}

/*
 * More processes than lines (216 compilers under make): a line per
 * command, the busiest TOP_PROCS commands.  Not when every process has a
 * command of its own (the busiest processes are drawn then); -ENOMEM.
 */
static int group_by_command(struct run *r, struct proc **order)
{
	struct group *g;
	int i, k, ng = 0;

	if (r->nproc <= TOP_PROCS)
		return 0;
	qsort(order, (size_t)r->nproc, sizeof(*order), proc_cmp_comm);
	g = calloc((size_t)r->nproc, sizeof(*g));
	if (!g)
		return -ENOMEM;
	for (i = 0; i < r->nproc; i++) {
		if (!i || strcmp(order[i]->comm, order[i - 1]->comm))
			g[ng++].first = i;
		g[ng - 1].n++;
		g[ng - 1].cpu_ns += order[i]->cpu_ns;
	}
	if (ng == r->nproc) {
		free(g);
		return 0;
	}
	qsort(g, (size_t)ng, sizeof(*g), group_cmp_cpu);
	r->grouped = true;
	r->ndrawn = ng < TOP_PROCS ? ng : TOP_PROCS;
	for (k = 0; k < r->ndrawn; k++) {
		r->drawn[k] = (int)(order[g[k].first] - r->procs);
		r->group_n[k] = g[k].n;
		snprintf(r->group_comm[k], sizeof(r->group_comm[k]), "%s", order[g[k].first]->comm);
		for (i = g[k].first; i < g[k].first + g[k].n; i++)
			order[i]->slot = k;
	}
	free(g);
	return 0;
}

static int draw_samples(struct run *r, double t_end, char *err, size_t errlen)
{
	struct samples_ctx x = {.r = r};
	struct proc **order;
	int i, n = SVG_PLOT_W;

	order = malloc(sizeof(*order) * (size_t)(r->nproc ? r->nproc : 1));
	if (!order) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < r->nproc; i++)
		order[i] = &r->procs[i];
	if (group_by_command(r, order)) {
		free(order);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!r->grouped) {
		qsort(order, (size_t)r->nproc, sizeof(*order), proc_cmp_cpu);
		r->ndrawn = r->nproc < TOP_PROCS ? r->nproc : TOP_PROCS;
		for (i = 0; i < r->ndrawn; i++) {
			order[i]->slot = i;
			r->drawn[i] = (int)(order[i] - r->procs);
		}
	}
	free(order);

	if (mmcols__init(&r->cpu_total, n, 0, t_end) || mmcols__init(&r->rss_total, n, 0, t_end) ||
	    mmcols__init(&r->minflt, n, 0, t_end) || mmcols__init(&r->majflt, n, 0, t_end) ||
	    mmcols__init(&r->rd, n, 0, t_end) || mmcols__init(&r->wr, n, 0, t_end) ||
	    mmcols__init(&r->runq, n, 0, t_end) || mmcols__init(&r->iowait, n, 0, t_end) ||
	    mmcols__init(&r->cs, n, 0, t_end) || mmcols__init(&r->threads, n, 0, t_end)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < r->ndrawn; i++)
		if (mmcols__init(&r->cpu[i], n, 0, t_end) ||
		    mmcols__init(&r->rss[i], n, 0, t_end) ||
		    mmcols__init(&r->peak[i], n, 0, t_end)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	memcpy(x.c, samples_cols, sizeof(samples_cols));
	x.pass = 2;
	x.last_proc = -1;
	if (csv_stream__read(r->samples_path, NULL, samples_row, &x, NULL, err, errlen) < 0)
		return -1;
	tick_flush(&x);
	return 0;
}

/* ---- events.csv ----------------------------------------------------------- */

struct events_ctx {
	struct run *r;
	struct colmap c[5];
	int hint;
};

static int events_row(const struct csv_row *row, void *ctx)
{
	struct events_ctx *x = ctx;
	struct run *r = x->r;
	const char *ev, *detail;
	struct marker *m;
	struct proc *p;
	double t, pid;
	int kind;

	if (row->row < 0)
		return map_columns(row, x->c, 5);
	if (get_f64(row, &x->c[0], &t) || get_u64(row, &x->c[1], &pid))
		return -1;
	if (t > r->t_end)
		r->t_end = t;
	ev = row->field[x->c[3].idx];
	detail = row->field[x->c[4].idx];
	if (!strcmp(ev, "oom_kill"))
		kind = 1;
	else if (!strcmp(ev, "lost"))
		kind = 2;
	else if (!strcmp(ev, "exit") && strcmp(detail, "code=0"))
		kind = 0;
	else if (!strcmp(ev, "exec") || !strcmp(ev, "fork") || !strcmp(ev, "exit"))
		kind = 3;
	else
		return 0;
	if (kind == 3) {
		if (r->nlife >= MAX_MARKERS)
			return 0;
		m = &r->life[r->nlife++];
	} else if (r->nmarkers >= MAX_MARKERS) {
		r->markers_dropped++;
		return 0;
	} else {
		m = &r->markers[r->nmarkers++];
	}
	m->t = t;
	m->kind = kind;
	m->pid = to_long(pid);
	p = proc_find(r, m->pid, &x->hint);
	snprintf(m->label, sizeof(m->label), "%s pid %.0f %s at %.3f s", ev, pid, detail, t);
	if (kind == 1)
		snprintf(m->tag, sizeof(m->tag), "OOM kill %.20s", p ? p->comm : "");
	else if (kind == 2)
		snprintf(m->tag, sizeof(m->tag), "lost %.24s", detail);
	else if (!strcmp(ev, "exit") && !strncmp(detail, "code=", 5))
		snprintf(m->tag, sizeof(m->tag), "%.16s exit %.12s", p ? p->comm : "", detail + 5);
	else if (!strcmp(ev, "exit"))
		snprintf(m->tag, sizeof(m->tag), "%.16s %.20s", p ? p->comm : "", detail);
	else
		snprintf(m->tag, sizeof(m->tag), "%s %.20s", ev, p ? p->comm : "");
	return 0;
}

static int load_events(struct run *r, char *err, size_t errlen)
{
	struct events_ctx x = {
	    .r = r,
	    .c = {{"t_s", -1, true},
		  {"pid", -1, true},
		  {"tid", -1, true},
		  {"event", -1, true},
		  {"detail", -1, true}},
	    .hint = -1,
	};
	char path[PATH_MAX];

	if (!find_csv(r->at, "events", path, sizeof(path))) {
		run_warn(r, "No events.csv in this run directory: no process events shown.");
		return 0;
	}
	if (read_csv(r, path, events_row, &x, err, errlen))
		return -1;
	return 0;
}

/* ---- processes.csv ---------------------------------------------------------- */

enum { P_PID, P_PPID, P_START, P_END, P_COMM, P_CMDLINE, P_OUTCOME, P_NCOLS };

struct procs_ctx {
	struct run *r;
	struct colmap c[P_NCOLS];
	int hint;
};

static int procs_row(const struct csv_row *row, void *ctx)
{
	struct procs_ctx *x = ctx;
	double pid, ppid;
	struct proc *p;
	const char *end;

	if (row->row < 0)
		return map_columns(row, x->c, P_NCOLS);
	if (get_u64(row, &x->c[P_PID], &pid) || get_u64(row, &x->c[P_PPID], &ppid))
		return -1;
	p = proc_find(x->r, to_long(pid), &x->hint);
	if (!p || p->have_info) /* no rows, or a reused PID: the first keeps it */
		return 0;
	p->have_info = true;
	p->ppid = to_long(ppid);
	p->start_s = strtod(row->field[x->c[P_START].idx], NULL);
	end = row->field[x->c[P_END].idx];
	p->end_s = *end ? strtod(end, NULL) : -1;
	snprintf(p->cmdline, sizeof(p->cmdline), "%s", row->field[x->c[P_CMDLINE].idx]);
	snprintf(p->outcome, sizeof(p->outcome), "%s", row->field[x->c[P_OUTCOME].idx]);
	/* the name after its last exec */
	snprintf(p->comm, sizeof(p->comm), "%s", row->field[x->c[P_COMM].idx]);
	return 0;
}

static int load_processes(struct run *r, char *err, size_t errlen)
{
	struct procs_ctx x = {
	    .r = r,
	    .c = {{"pid", -1, true},
		  {"ppid", -1, true},
		  {"start_s", -1, true},
		  {"end_s", -1, true},
		  {"comm", -1, true},
		  {"cmdline", -1, true},
		  {"outcome", -1, true}},
	    .hint = -1,
	};
	char path[PATH_MAX];

	if (!find_csv(r->at, "processes", path, sizeof(path)))
		return 0; /* runs before processes.csv: the table has less */
	r->have_procs = true;
	return read_csv(r, path, procs_row, &x, err, errlen);
}

/* ---- functions ------------------------------------------------------------ */

static __u32 name_hash(const char *s)
{
	__u32 h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Index of the function named s, added if new; -1 on out of memory. */
static int func_get(struct run *r, const char *s)
{
	__u32 h = name_hash(s) & (FUNC_SLOTS - 1);
	struct func *f;

	for (;;) {
		int i = r->slots[h] - 1;

		if (i < 0)
			break;
		if (!strcmp(r->funcs[i].name, s))
			return i;
		h = (h + 1) & (FUNC_SLOTS - 1);
	}
	/* Bound memory against a hostile calls.csv: the rest are lumped in one more. */
	if (r->nfuncs >= MAX_FUNCS && strcmp(s, OTHER_FUNCS))
		return func_get(r, OTHER_FUNCS);
	if (!r->funcs) {
		r->funcs = calloc(MAX_FUNCS + 1, sizeof(*r->funcs));
		if (!r->funcs)
			return -1;
	}
	f = &r->funcs[r->nfuncs];
	f->name = strdup(s);
	if (!f->name)
		return -1;
	f->min_dur = INFINITY;
	r->slots[h] = ++r->nfuncs;
	return r->nfuncs - 1;
}

enum {
	F_FUNC,
	F_BINARY,
	F_CALLS,
	F_TOTAL,
	F_MEAN,
	F_MIN,
	F_P50,
	F_P90,
	F_P99,
	F_MAX,
	F_CPU,
	F_MINFLT,
	F_MAJFLT,
	F_READ,
	F_WRITE,
	F_NCOLS
};

struct funcs_ctx {
	struct run *r;
	struct colmap c[F_NCOLS];
};

static int functions_row(const struct csv_row *row, void *ctx)
{
	struct funcs_ctx *x = ctx;
	double v[F_NCOLS];
	struct func *f;
	int i, k;

	if (row->row < 0)
		return map_columns(row, x->c, F_NCOLS);
	for (i = F_CALLS; i < F_NCOLS; i++)
		if (get_u64(row, &x->c[i], &v[i]))
			return -1;
	k = func_get(x->r, row->field[x->c[F_FUNC].idx]);
	if (k < 0) {
		csv_row__error(row, "out of memory");
		return -1;
	}
	f = &x->r->funcs[k];
	f->have_stats = true;
	free(f->binary);
	f->binary = strdup(x->c[F_BINARY].idx >= 0 ? row->field[x->c[F_BINARY].idx] : "");
	f->calls = to_u64(v[F_CALLS]);
	f->total_ns = to_u64(v[F_TOTAL]);
	f->mean_ns = to_u64(v[F_MEAN]);
	f->min_ns = to_u64(v[F_MIN]);
	f->p50_ns = to_u64(v[F_P50]);
	f->p90_ns = to_u64(v[F_P90]);
	f->p99_ns = to_u64(v[F_P99]);
	f->max_ns = to_u64(v[F_MAX]);
	f->cpu_ns = to_u64(v[F_CPU]);
	f->minflt = to_u64(v[F_MINFLT]);
	f->majflt = to_u64(v[F_MAJFLT]);
	f->read_bytes = to_u64(v[F_READ]);
	f->write_bytes = to_u64(v[F_WRITE]);
	return 0;
}

static int load_functions(struct run *r, char *err, size_t errlen)
{
	struct funcs_ctx x = {
	    .r = r,
	    .c = {{"func", -1, true},
		  {"binary", -1, false},
		  {"calls", -1, true},
		  {"total_ns", -1, true},
		  {"mean_ns", -1, true},
		  {"min_ns", -1, true},
		  {"p50_ns", -1, true},
		  {"p90_ns", -1, true},
		  {"p99_ns", -1, true},
		  {"max_ns", -1, true},
		  {"cpu_ns", -1, false},
		  {"minflt", -1, false},
		  {"majflt", -1, false},
		  {"read_bytes", -1, false},
		  {"write_bytes", -1, false}},
	};
	char path[PATH_MAX];

	if (!find_csv(r->at, "functions", path, sizeof(path)))
		return 0;
	r->have_funcs = true;
	if (read_csv(r, path, functions_row, &x, err, errlen))
		return -1;
	return 0;
}

enum {
	C_T,
	C_DUR,
	C_TID,
	C_FUNC,
	C_DEPTH,
	C_CPU,
	C_MINFLT,
	C_MAJFLT,
	C_READ,
	C_WRITE,
	C_RUNQ,
	C_BLOCKED,
	C_PID,
	C_NCOLS
};

struct calls_ctx {
	struct run *r;
	struct colmap c[C_NCOLS];
	int last_func;
	const char *last_name;
};

static int hist_bin(double ns)
{
	int b;

	if (!(ns >= 1))
		return 0;
	b = (int)floor(log10(ns) * HIST_PER_DEC);
	return b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b;
}

/* The loop named (len bytes at) name; NULL when LOOP_MAX are taken. */
static struct loop *loop_get(struct run *r, const char *name, size_t len)
{
	struct loop *l;
	int i;

	if (len >= sizeof(r->loops[0].name))
		len = sizeof(r->loops[0].name) - 1;
	for (i = 0; i < r->nloops; i++)
		if (strlen(r->loops[i].name) == len && !strncmp(r->loops[i].name, name, len))
			return &r->loops[i];
	if (r->nloops == LOOP_MAX)
		return NULL;
	if (!r->loops) {
		r->loops = calloc(LOOP_MAX, sizeof(*r->loops));
		if (!r->loops)
			return NULL;
	}
	l = &r->loops[r->nloops++];
	memcpy(l->name, name, len);
	l->name[len] = 0;
	l->per_col = 1;
	return l;
}

static struct loop_thread *loop_thread(struct loop *l, long tid)
{
	int i;

	for (i = 0; i < l->nth; i++)
		if (l->th[i].tid == tid)
			return &l->th[i];
	if (l->nth == LOOP_THREADS)
		return NULL;
	memset(&l->th[l->nth], 0, sizeof(l->th[0]));
	l->th[l->nth].tid = tid;
	return &l->th[l->nth++];
}

/* step:LOOP/STEP: its time, for the thread's iteration of LOOP to come */
static void loop_step(struct run *r, const char *name, long tid, double dur)
{
	const char *slash = strchr(name, '/');
	struct loop_thread *th;
	struct loop *l;
	int s;

	if (!slash || !(l = loop_get(r, name, slash - name)) || !(th = loop_thread(l, tid)))
		return;
	for (s = 0; s < l->nsteps && strcmp(l->step[s], slash + 1); s++)
		;
	if (s == l->nsteps) {
		if (l->nsteps == LOOP_STEPS)
			return; /* counted in "other" */
		snprintf(l->step[l->nsteps++], sizeof(l->step[0]), "%s", slash + 1);
	}
	th->acc[s] += dur;
}

/* iter:LOOP: one iteration, split into the steps its thread saw since */
static void loop_iter(struct run *r, const char *name, long tid, double dur)
{
	struct loop_thread *th;
	struct loop *l = loop_get(r, name, strlen(name));
	double rest = dur;
	int s, c, k;

	if (!l)
		return;
	th = loop_thread(l, tid);
	c = (int)(l->iters / l->per_col);
	if (c >= LOOP_COLS) {
		/* twice as many iterations a column: merge pairs */
		for (k = 0; k < LOOP_COLS / 2; k++) {
			for (s = 0; s <= LOOP_STEPS; s++)
				l->sum[k][s] = l->sum[2 * k][s] + l->sum[2 * k + 1][s];
			l->count[k] = l->count[2 * k] + l->count[2 * k + 1];
		}
		memset(&l->sum[LOOP_COLS / 2], 0, sizeof(l->sum[0]) * (LOOP_COLS - LOOP_COLS / 2));
		memset(&l->count[LOOP_COLS / 2], 0, sizeof(l->count[0]) * (LOOP_COLS - LOOP_COLS / 2));
		l->per_col *= 2;
		c = (int)(l->iters / l->per_col);
	}
	for (s = 0; th && s < LOOP_STEPS; s++) {
		l->sum[c][s] += th->acc[s];
		rest -= th->acc[s];
		th->acc[s] = 0;
	}
	l->sum[c][LOOP_STEPS] += rest > 0 ? rest : 0;
	l->count[c]++;
	if (c + 1 > l->ncols)
		l->ncols = c + 1;
	l->iters++;
}

static int calls_row(const struct csv_row *row, void *ctx)
{
	struct calls_ctx *x = ctx;
	struct run *r = x->r;
	double t, dur, tid, depth, v;
	const char *name;
	struct func *f;
	int k;

	if (row->row < 0)
		return map_columns(row, x->c, C_NCOLS);
	if (get_f64(row, &x->c[C_T], &t) || get_u64(row, &x->c[C_DUR], &dur) ||
	    get_u64(row, &x->c[C_TID], &tid) || get_u64(row, &x->c[C_DEPTH], &depth))
		return -1;
	name = row->field[x->c[C_FUNC].idx];
	if (x->last_func >= 0 && !strcmp(r->funcs[x->last_func].name, name)) {
		k = x->last_func;
	} else {
		k = func_get(r, name);
		if (k < 0) {
			csv_row__error(row, "out of memory");
			return -1;
		}
		x->last_func = k;
	}
	f = &r->funcs[k];
	if (!strncmp(name, "step:", 5))
		loop_step(r, name + 5, to_long(tid), dur);
	else if (!strncmp(name, "iter:", 5))
		loop_iter(r, name + 5, to_long(tid), dur);
	if (!f->byidx.n && mmcols__init_grow(&f->byidx, SVG_PLOT_W)) {
		csv_row__error(row, "out of memory");
		return -1;
	}
	mmcols__add(&f->byidx, (double)f->n, dur);
	f->n++;
	/* the same per process, each with its own call numbers */
	if (x->c[C_PID].idx >= 0) {
		double pid;
		int j;

		if (get_u64(row, &x->c[C_PID], &pid))
			return -1;
		for (j = 0; j < f->npid && f->pid[j] != to_long(pid); j++)
			;
		if (j == f->npid && j < FUNC_PROCS) {
			if (mmcols__init_grow(&f->byproc[j], SVG_PLOT_W)) {
				csv_row__error(row, "out of memory");
				return -1;
			}
			f->pid[f->npid++] = to_long(pid);
		}
		if (j < f->npid)
			mmcols__add(&f->byproc[j], (double)f->pn[j]++, dur);
	}
	f->sum_ns += dur;
	/* where each call's time went: on a CPU, waiting for one, blocked */
	if (get_u64(row, &x->c[C_CPU], &v))
		return -1;
	f->split_cpu += v;
	if (get_u64(row, &x->c[C_RUNQ], &v))
		return -1;
	f->split_runq += v;
	if (get_u64(row, &x->c[C_BLOCKED], &v))
		return -1;
	f->split_blocked += v;
	if (dur < f->min_dur)
		f->min_dur = dur;
	if (dur > f->max_dur)
		f->max_dur = dur;
	f->hist[hist_bin(dur)]++;
	/* Resources per call are only needed when functions.csv does not have them. */
	if (!r->have_funcs) {
		if (get_u64(row, &x->c[C_CPU], &v))
			return -1;
		f->sum_cpu += v;
		if (get_u64(row, &x->c[C_MINFLT], &v))
			return -1;
		f->sum_flt += v;
		if (get_u64(row, &x->c[C_MAJFLT], &v))
			return -1;
		f->sum_flt += v;
		if (get_u64(row, &x->c[C_READ], &v))
			return -1;
		f->sum_read += v;
		if (get_u64(row, &x->c[C_WRITE], &v))
			return -1;
		f->sum_write += v;
	}
	r->ncalls++;
	/* A run cut off records calls after its last sample: counted, not drawn. */
	if (t > r->t_end) {
		r->calls_late++;
		return 0;
	}
	if (span_grid__add(&r->spans, to_long(tid), (int)(depth < 64 ? depth : 64), k, t,
			   dur / 1e9)) {
		csv_row__error(row, "out of memory");
		return -1;
	}
	return 0;
}

static int load_calls(struct run *r, double t_end, char *err, size_t errlen)
{
	struct calls_ctx x = {
	    .r = r,
	    .last_func = -1,
	    .c = {{"t_s", -1, true},
		  {"dur_ns", -1, true},
		  {"tid", -1, true},
		  {"func", -1, true},
		  {"depth", -1, true},
		  {"cpu_ns", -1, false},
		  {"minflt", -1, false},
		  {"majflt", -1, false},
		  {"read_bytes", -1, false},
		  {"write_bytes", -1, false},
		  {"runq_ns", -1, false},
		  {"blocked_ns", -1, false},
		  {"pid", -1, false}},
	};
	char path[PATH_MAX];

	span_grid__init(&r->spans, SVG_PLOT_W, 0, t_end);
	if (!find_csv(r->at, "calls", path, sizeof(path)))
		return 0;
	r->have_calls = true;
	if (read_csv(r, path, calls_row, &x, err, errlen))
		return -1;
	if (r->calls_late)
		run_warn(r,
			 "%llu calls started after the last sample (%.3f s): counted in the "
			 "tables, not drawn.",
			 (unsigned long long)r->calls_late, r->t_end);
	span_grid__sort(&r->spans);
	return 0;
}

/* ---- one run -------------------------------------------------------------- */

void report_run__free(struct run *r)
{
	int i, j;

	json_doc__free(r->meta);
	free(r->loops);
	free(r->procs);
	free(r->pid_slots);
	mmcols__free(&r->cpu_total);
	mmcols__free(&r->rss_total);
	mmcols__free(&r->minflt);
	mmcols__free(&r->majflt);
	mmcols__free(&r->rd);
	mmcols__free(&r->wr);
	mmcols__free(&r->runq);
	mmcols__free(&r->iowait);
	mmcols__free(&r->cs);
	mmcols__free(&r->threads);
	for (i = 0; i < TOP_PROCS; i++) {
		mmcols__free(&r->cpu[i]);
		mmcols__free(&r->rss[i]);
		mmcols__free(&r->peak[i]);
	}
	for (i = 0; i < r->nfuncs; i++) {
		free(r->funcs[i].name);
		free(r->funcs[i].binary);
		mmcols__free(&r->funcs[i].byidx);
		for (j = 0; j < r->funcs[i].npid; j++)
			mmcols__free(&r->funcs[i].byproc[j]);
	}
	free(r->funcs);
	span_grid__free(&r->spans);
	free(r->dir);
	free(r->at);
}

/* An error about a file under at, said with the directory's name instead. */
static void name_dir(const struct run *r, char *err, size_t errlen)
{
	size_t n = strlen(r->at);
	char *tail, *p = strstr(err, r->at);

	if (!p || !strcmp(r->at, r->dir) || !(tail = strdup(p + n)))
		return;
	snprintf(p, errlen - (size_t)(p - err), "%s%s", r->dir, tail);
	free(tail);
}

static int load_all(struct run *r, char *err, size_t errlen)
{
	struct stat st;
	double t_end;

	if (stat(r->at, &st)) {
		snprintf(err, errlen, "'%s' is not a run directory (%s)", r->dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a run directory (not a directory)", r->dir);
		return -1;
	}
	if (load_meta(r, err, errlen) || load_samples(r, err, errlen) ||
	    load_processes(r, err, errlen) || load_events(r, err, errlen) ||
	    load_functions(r, err, errlen))
		return -1;
	thread_time_ends(r);
	/* One time axis for every chart of the run: the whole run, or what was recorded. */
	t_end = r->wall_known && r->wall_s > r->t_end ? r->wall_s : r->t_end;
	if (!(t_end > 0))
		t_end = 1;
	r->t_end = t_end;
	if (!r->wall_known)
		r->wall_s = r->t_end;
	if (draw_samples(r, t_end, err, errlen) || load_calls(r, t_end, err, errlen))
		return -1;
	if (!r->sample_rows)
		run_warn(r, "samples.csv has no rows: nothing was sampled.");
	return 0;
}

int report_run__load_at(struct run *r, const char *dir, const char *at, char *err, size_t errlen)
{
	r->dir = strdup(dir);
	r->at = strdup(at);
	if (!r->dir || !r->at) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (load_all(r, err, errlen)) {
		name_dir(r, err, errlen);
		return -1;
	}
	return 0;
}

const struct proc *report_run__proc(const struct run *r, long pid)
{
	int hint = -1;

	return proc_find((struct run *)r, pid, &hint);
}

int report_run__load(struct run *r, const char *dir, char *err, size_t errlen)
{
	return report_run__load_at(r, dir, dir, err, errlen);
}
