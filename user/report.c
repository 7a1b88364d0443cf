// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvread.h"
#include "jsonread.h"
#include "log.h"
#include "out.h"
#include "parse.h"
#include "report.h"
#include "svg.h"

#define MAX_RUNS     16
#define MAX_FUNCS    1024		 /* distinct names kept apart; the rest are "(other)" */
#define FUNC_SLOTS   4096		 /* hash table, > 2 * MAX_FUNCS */
#define OTHER_FUNCS  "(other functions)" /* funcs has room for it past MAX_FUNCS */
#define TOP_PROCS    6			 /* processes drawn on their own in each chart */
#define DETAIL_FUNCS 12			 /* functions with a histogram and a by-index chart */
#define MAX_LANES    16
#define MAX_MARKERS  100
#define MAX_WARNINGS 8
#define HIST_PER_DEC 40			 /* log-scale duration bins per decade */
#define HIST_BINS    (13 * HIST_PER_DEC) /* 1 ns .. 10^13 ns */
#define ERRLEN	     512

struct proc {
	long pid;
	char comm[64];
	double cpu_ns, peak;
	int slot; /* index in the drawn processes, or -1 */
};

struct func {
	char *name;
	/* functions.csv */
	bool have_stats;
	char *binary;
	__u64 calls, total_ns, mean_ns, min_ns, p50_ns, p90_ns, p99_ns, max_ns, cpu_ns, minflt,
	    majflt, read_bytes, write_bytes;
	/* calls.csv */
	__u64 n;
	double sum_ns, min_dur, max_dur, sum_cpu, sum_flt, sum_read, sum_write;
	__u64 hist[HIST_BINS];
	struct mmcols byidx;
};

struct marker {
	double t;
	int kind; /* 0 exit by signal or error, 1 oom kill, 2 lost events */
	char label[160];
};

struct run {
	char *dir;
	struct json_doc *meta;
	const char *outcome;
	long exit_code, signal;
	const char *error;
	double wall_s, t_end;
	bool wall_known;
	__u64 lost;
	char warn[MAX_WARNINGS][256];
	int nwarn;

	/* samples.csv */
	char samples_path[PATH_MAX];
	int nproc, proc_cap;
	struct proc *procs;
	int *pid_slots; /* index + 1, 0 free */
	unsigned int pid_cap;
	int ndrawn;
	struct mmcols cpu_total, rss_total, minflt, majflt, rd, wr;
	struct mmcols cpu[TOP_PROCS], rss[TOP_PROCS], peak[TOP_PROCS];
	int drawn[TOP_PROCS]; /* proc index per slot */
	double cpu_ns, peak_rss, read_bytes, write_bytes, minflt_total, majflt_total;
	long sample_rows;

	/* events.csv */
	struct marker markers[MAX_MARKERS];
	int nmarkers, markers_dropped;

	/* calls.csv, functions.csv */
	bool have_calls, have_funcs;
	int nfuncs;
	struct func *funcs;
	int slots[FUNC_SLOTS];
	__u64 ncalls, calls_late;
	struct span_grid spans;
};

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

	snprintf(path, sizeof(path), "%s/meta.json", r->dir);
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
		r->exit_code = (long)d;
	if (!json_value__num(json_value__member(root, "signal"), &d))
		r->signal = (long)d;
	r->error = json_value__str(json_value__member(root, "error"));
	if (!json_value__num(json_value__member(root, "wall_s"), &d) && d >= 0 && isfinite(d)) {
		r->wall_s = d;
		r->wall_known = true;
	}
	lost = json_value__member(root, "lost_events");
	for (i = 0; i < json_value__len(lost); i++) {
		v = json_value__at(lost, i);
		if (!json_value__num(v, &d) && d > 0)
			r->lost += (__u64)d;
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
		}
	}
	x->prev_t = x->t;
	x->cpu_pct = x->rss = x->minflt = x->majflt = x->rd = x->wr = 0;
	x->in_tick = false;
}

static int samples_row(const struct csv_row *row, void *ctx)
{
	struct samples_ctx *x = ctx;
	struct run *r = x->r;
	double v[S_NCOLS];
	struct proc *p;
	int i;

	if (row->row < 0)
		return map_columns(row, x->c, S_NCOLS);
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

	p = proc_find(r, (long)v[S_PID], &x->last_proc);
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
			p->pid = (long)v[S_PID];
			if (proc_index(r, r->nproc - 1)) {
				csv_row__error(row, "out of memory");
				return -1;
			}
			p->slot = -1;
			snprintf(p->comm, sizeof(p->comm), "%s", row->field[x->c[S_COMM].idx]);
		}
		p->cpu_ns += v[S_CPU_NS];
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
};

static int load_samples(struct run *r, char *err, size_t errlen)
{
	struct samples_ctx x = {.r = r};

	if (!find_csv(r->dir, "samples", r->samples_path, sizeof(r->samples_path))) {
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
	qsort(order, (size_t)r->nproc, sizeof(*order), proc_cmp_cpu);
	r->ndrawn = r->nproc < TOP_PROCS ? r->nproc : TOP_PROCS;
	for (i = 0; i < r->ndrawn; i++) {
		order[i]->slot = i;
		r->drawn[i] = (int)(order[i] - r->procs);
	}
	free(order);

	if (mmcols__init(&r->cpu_total, n, 0, t_end) || mmcols__init(&r->rss_total, n, 0, t_end) ||
	    mmcols__init(&r->minflt, n, 0, t_end) || mmcols__init(&r->majflt, n, 0, t_end) ||
	    mmcols__init(&r->rd, n, 0, t_end) || mmcols__init(&r->wr, n, 0, t_end)) {
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
};

static int events_row(const struct csv_row *row, void *ctx)
{
	struct events_ctx *x = ctx;
	struct run *r = x->r;
	const char *ev, *detail;
	struct marker *m;
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
	else
		return 0;
	if (r->nmarkers >= MAX_MARKERS) {
		r->markers_dropped++;
		return 0;
	}
	m = &r->markers[r->nmarkers++];
	m->t = t;
	m->kind = kind;
	snprintf(m->label, sizeof(m->label), "%s pid %.0f %s at %.3f s", ev, pid, detail, t);
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
	};
	char path[PATH_MAX];

	if (!find_csv(r->dir, "events", path, sizeof(path))) {
		run_warn(r, "No events.csv in this run directory: no process events shown.");
		return 0;
	}
	if (read_csv(r, path, events_row, &x, err, errlen))
		return -1;
	return 0;
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
	f->calls = (__u64)v[F_CALLS];
	f->total_ns = (__u64)v[F_TOTAL];
	f->mean_ns = (__u64)v[F_MEAN];
	f->min_ns = (__u64)v[F_MIN];
	f->p50_ns = (__u64)v[F_P50];
	f->p90_ns = (__u64)v[F_P90];
	f->p99_ns = (__u64)v[F_P99];
	f->max_ns = (__u64)v[F_MAX];
	f->cpu_ns = (__u64)v[F_CPU];
	f->minflt = (__u64)v[F_MINFLT];
	f->majflt = (__u64)v[F_MAJFLT];
	f->read_bytes = (__u64)v[F_READ];
	f->write_bytes = (__u64)v[F_WRITE];
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

	if (!find_csv(r->dir, "functions", path, sizeof(path)))
		return 0;
	r->have_funcs = true;
	if (read_csv(r, path, functions_row, &x, err, errlen))
		return -1;
	return 0;
}

enum { C_T, C_DUR, C_TID, C_FUNC, C_DEPTH, C_CPU, C_MINFLT, C_MAJFLT, C_READ, C_WRITE, C_NCOLS };

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
	if (!f->byidx.n && mmcols__init_grow(&f->byidx, SVG_PLOT_W)) {
		csv_row__error(row, "out of memory");
		return -1;
	}
	mmcols__add(&f->byidx, (double)f->n, dur);
	f->n++;
	f->sum_ns += dur;
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
	if (span_grid__add(&r->spans, (long)tid, (int)(depth < 64 ? depth : 64), k, t, dur / 1e9)) {
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
		  {"write_bytes", -1, false}},
	};
	char path[PATH_MAX];

	span_grid__init(&r->spans, SVG_PLOT_W, 0, t_end);
	if (!find_csv(r->dir, "calls", path, sizeof(path)))
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

static void run_free(struct run *r)
{
	int i;

	json_doc__free(r->meta);
	free(r->procs);
	free(r->pid_slots);
	mmcols__free(&r->cpu_total);
	mmcols__free(&r->rss_total);
	mmcols__free(&r->minflt);
	mmcols__free(&r->majflt);
	mmcols__free(&r->rd);
	mmcols__free(&r->wr);
	for (i = 0; i < TOP_PROCS; i++) {
		mmcols__free(&r->cpu[i]);
		mmcols__free(&r->rss[i]);
		mmcols__free(&r->peak[i]);
	}
	for (i = 0; i < r->nfuncs; i++) {
		free(r->funcs[i].name);
		free(r->funcs[i].binary);
		mmcols__free(&r->funcs[i].byidx);
	}
	free(r->funcs);
	span_grid__free(&r->spans);
	free(r->dir);
}

static int run_load(struct run *r, const char *dir, char *err, size_t errlen)
{
	struct stat st;
	double t_end;

	r->dir = strdup(dir);
	if (!r->dir) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (stat(dir, &st)) {
		snprintf(err, errlen, "'%s' is not a run directory (%s)", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a run directory (not a directory)", dir);
		return -1;
	}
	if (load_meta(r, err, errlen) || load_samples(r, err, errlen) ||
	    load_events(r, err, errlen) || load_functions(r, err, errlen))
		return -1;
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

/* ---- formatting ------------------------------------------------------------- */

static const char *fmt(char *buf, size_t len, double v, enum svg_unit unit)
{
	svg_format(buf, len, v, unit);
	return buf;
}

/* Names for a terminal: control characters (escape sequences) become '?'. */
static void term_str(FILE *f, const char *s, int width)
{
	int n = 0;

	for (; *s && n < 40; s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	for (; n < width; n++)
		fputc(' ', f);
}

static void outcome_text(const struct run *r, char *buf, size_t len, const char **cls)
{
	const char *o = r->outcome;

	*cls = "bad";
	if (!strcmp(o, "completed")) {
		*cls = "ok";
		snprintf(buf, len, "completed (exit code %ld)",
			 r->exit_code < 0 ? 0 : r->exit_code);
	} else if (!strcmp(o, "failed")) {
		snprintf(buf, len, "failed: exit code %ld", r->exit_code);
	} else if (!strcmp(o, "killed")) {
		const char *abbrev = r->signal > 0 ? sigabbrev_np((int)r->signal) : NULL;

		snprintf(buf, len, "killed by signal %ld%s%s", r->signal, abbrev ? " SIG" : "",
			 abbrev ? abbrev : "");
	} else if (!strcmp(o, "oom_killed")) {
		snprintf(buf, len, "killed by the OOM killer (out of memory)");
	} else if (!strcmp(o, "detached")) {
		*cls = "warn";
		snprintf(buf, len, "detached: tracing stopped while the target ran on");
	} else if (!strcmp(o, "tracer_error")) {
		snprintf(buf, len, "tracer error%s%.200s", r->error ? ": " : "",
			 r->error ? r->error : "");
	} else if (!strcmp(o, "running")) {
		*cls = "warn";
		snprintf(buf, len, "incomplete: the run was cut off");
	} else {
		*cls = "warn";
		snprintf(buf, len, "outcome '%.60s'", o);
	}
}

/* Functions in order of total time, most first (indices into r->funcs). */
static double func_total(const struct func *f)
{
	return f->have_stats ? (double)f->total_ns : f->sum_ns;
}

static double func_calls(const struct func *f)
{
	return f->have_stats ? (double)f->calls : (double)f->n;
}

static double func_mean(const struct func *f)
{
	double n = func_calls(f);

	return n > 0 ? func_total(f) / n : NAN;
}

static const struct run *sort_run;

static int func_cmp(const void *a, const void *b)
{
	const struct func *x = &sort_run->funcs[*(const int *)a];
	const struct func *y = &sort_run->funcs[*(const int *)b];

	if (func_total(x) != func_total(y))
		return func_total(x) < func_total(y) ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int *func_order(const struct run *r)
{
	int *idx = malloc(sizeof(int) * (size_t)(r->nfuncs + 1)), i;

	if (!idx)
		return NULL;
	for (i = 0; i < r->nfuncs; i++)
		idx[i] = i;
	sort_run = r;
	qsort(idx, (size_t)r->nfuncs, sizeof(int), func_cmp);
	return idx;
}

/* Approximate percentile from the log histogram (functions.csv has the kernel's). */
static double hist_pct(const struct func *f, double q)
{
	__u64 want = (__u64)ceil(q * (double)f->n), seen = 0;
	int b;

	for (b = 0; b < HIST_BINS; b++) {
		seen += f->hist[b];
		if (seen >= want && f->hist[b])
			return pow(10, (b + 0.5) / HIST_PER_DEC);
	}
	return f->max_dur;
}

/* ---- stdout summary -------------------------------------------------------- */

static void summary_print(FILE *s, struct run *runs, int n)
{
	char a[32], b[32], c[32], d[32], e[32], oc[256];
	const char *cls;
	int i, k;

	fprintf(s, "%-24s %10s %10s %11s %11s %11s  %s\n", "RUN", "WALL", "CPU", "PEAK RSS", "READ",
		"WRITE", "OUTCOME");
	for (i = 0; i < n; i++) {
		struct run *r = &runs[i];
		const char *base = strrchr(r->dir, '/');

		base = base && base[1] ? base + 1 : r->dir;
		outcome_text(r, oc, sizeof(oc), &cls);
		term_str(s, base, 24);
		fprintf(
		    s, " %10s %10s %11s %11s %11s  ", fmt(a, sizeof(a), r->wall_s * 1e9, SVG_NS),
		    fmt(b, sizeof(b), r->cpu_ns, SVG_NS), fmt(c, sizeof(c), r->peak_rss, SVG_BYTES),
		    fmt(d, sizeof(d), r->read_bytes, SVG_BYTES),
		    fmt(e, sizeof(e), r->write_bytes, SVG_BYTES));
		term_str(s, oc, 0);
		if (r->lost)
			fprintf(s, ", %llu events lost", (unsigned long long)r->lost);
		fputc('\n', s);
	}
	/* Several runs: each against the first. */
	for (i = 1; i < n; i++) {
		const struct run *r = &runs[i], *b0 = &runs[0];
		const double v[] = {r->wall_s, r->cpu_ns, r->peak_rss, r->read_bytes,
				    r->write_bytes};
		const double base[] = {b0->wall_s, b0->cpu_ns, b0->peak_rss, b0->read_bytes,
				       b0->write_bytes};
		static const char *const names[] = {"wall", "CPU", "peak RSS", "read", "write"};

		fprintf(s, "%srun %d vs run 1:", i == 1 ? "\n" : "", i + 1);
		for (k = 0; k < 5; k++) {
			if (base[k] > 0)
				fprintf(s, " %s x%.2f", names[k], v[k] / base[k]);
			else
				fprintf(s, " %s -", names[k]);
			fputc(k < 4 ? ',' : '\n', s);
		}
	}
	for (i = 0; i < n; i++) {
		struct run *r = &runs[i];
		int *idx;

		if (!r->nfuncs)
			continue;
		idx = func_order(r);
		if (!idx)
			continue;
		fprintf(s, "\n");
		if (n > 1) {
			fprintf(s, "run %d: ", i + 1);
			term_str(s, r->dir, 0);
			fputc('\n', s);
		}
		fprintf(s, "%-32s %12s %11s %11s %11s %11s\n", "FUNCTION", "CALLS", "TOTAL", "MEAN",
			"P99", "MAX");
		for (k = 0; k < r->nfuncs && k < 10; k++) {
			const struct func *f = &r->funcs[idx[k]];

			term_str(s, f->name, 32);
			fprintf(s, " %12.0f %11s %11s %11s %11s\n", func_calls(f),
				fmt(a, sizeof(a), func_total(f), SVG_NS),
				fmt(b, sizeof(b), func_mean(f), SVG_NS),
				fmt(c, sizeof(c),
				    f->have_stats ? (double)f->p99_ns : hist_pct(f, 0.99), SVG_NS),
				fmt(d, sizeof(d), f->have_stats ? (double)f->max_ns : f->max_dur,
				    SVG_NS));
		}
		free(idx);
	}
}

/* ---- the page -------------------------------------------------------------- */

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:24px auto;max-width:1140px;color:#222;background:#fff;font-size:14px}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;"
    "border-bottom:2px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}"
    ".sub{color:#666;margin:0 0 12px}code{font-family:'DejaVu Sans Mono',monospace;"
    "font-size:12.5px;word-break:break-all}"
    ".banner{padding:8px 12px;border-radius:5px;margin:8px 0;font-weight:600}"
    ".banner.ok{background:#e6f4ea;color:#1e6b34;border:1px solid #b7dfc2}"
    ".banner.bad{background:#fdecea;color:#a4231b;border:1px solid #f3b9b4}"
    ".banner.warn{background:#fff5e0;color:#8a5a00;border:1px solid #f0d49a}"
    "table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}"
    "th,td{padding:3px 10px;border-bottom:1px solid #e6e6e6;text-align:right;white-space:nowrap}"
    "th{background:#f5f5f5;font-weight:600}td.l,th.l{text-align:left}"
    "td.name{text-align:left;font-family:'DejaVu Sans Mono',monospace;max-width:360px;"
    "overflow:hidden;text-overflow:ellipsis}"
    ".up{color:#b3261e}.down{color:#1e6b34}.sw{display:inline-block;width:10px;height:10px;"
    "border-radius:2px;margin-right:6px;vertical-align:middle}"
    ".figs td{text-align:left}.figs td.v{text-align:right;font-weight:600}"
    "svg.chart{display:block;margin:4px 0 10px}"
    "svg .ctitle{font-size:13px;font-weight:600;fill:#222}"
    "svg .legend{font-size:11.5px;fill:#333}svg .tick{font-size:10.5px;fill:#555}"
    "svg .axis{font-size:11px;fill:#444}"
    "svg .plot{fill:#fcfcfc;stroke:none}"
    "svg .frame{fill:none;stroke:#bbb;stroke-width:1;shape-rendering:crispEdges}"
    "svg .grid{stroke:#e8e8e8;stroke-width:1;shape-rendering:crispEdges}"
    "svg .hover rect{fill:#000;fill-opacity:0}svg .hover rect:hover{fill-opacity:0.05}"
    "svg .span:hover{stroke:#000;stroke-width:1}svg .bar:hover{fill-opacity:0.7}"
    "footer{color:#888;font-size:12px;margin-top:30px}";

static void html_td_num(struct out *o, double v, enum svg_unit unit)
{
	char buf[48];

	svg_format(buf, sizeof(buf), v, unit);
	out__puts(o, "<td>");
	out__html_str(o, buf);
	out__puts(o, "</td>");
}

static void add_markers(struct svg_chart *ch, const struct run *r)
{
	static const char *const colors[] = {"#b3261e", "#b3261e", "#e08a00"};
	int i;

	for (i = 0; i < r->nmarkers; i++)
		svg_chart__marker(ch, r->markers[i].t, colors[r->markers[i].kind],
				  r->markers[i].label);
}

static void proc_name(const struct run *r, int slot, const char *suffix, char *buf, size_t len)
{
	const struct proc *p = &r->procs[r->drawn[slot]];

	snprintf(buf, len, "%s [%ld]%s", p->comm, p->pid, suffix);
}

static void chart_time(struct svg_chart *ch, struct out *o, const char *title, double t_end,
		       enum svg_unit yunit, const char *ylabel)
{
	memset(ch, 0, sizeof(*ch));
	ch->o = o;
	ch->title = title;
	ch->x0 = 0;
	ch->x1 = t_end;
	ch->xunit = SVG_TIME;
	ch->xlabel = "time since start";
	ch->yunit = yunit;
	ch->ylabel = ylabel;
}

static double top_of(const struct svg_chart *ch)
{
	double top = 0, v;
	int i;

	for (i = 0; i < ch->nseries; i++) {
		v = mmcols__top(ch->series[i].mm);
		if (v > top)
			top = v;
	}
	return top > 0 ? top : 1;
}

/* y from 0 to the data's top; the lines, r's event markers (r may be NULL), hover areas. */
static void finish_chart(struct svg_chart *ch, const struct run *r)
{
	ch->y0 = 0;
	ch->y1 = top_of(ch);
	svg_chart__begin(ch);
	svg_chart__lines(ch);
	if (r)
		add_markers(ch, r);
	svg_chart__hover(ch, 8);
	svg_chart__end(ch);
}

static void run_charts(struct out *o, const struct run *r)
{
	char names[TOP_PROCS * 2][96];
	struct svg_chart ch;
	int i;

	/* CPU */
	chart_time(&ch, o, "CPU", r->t_end, SVG_PCT, "CPU, % of one CPU");
	if (r->ndrawn != 1)
		svg_chart__add(&ch, &r->cpu_total, "all processes", SVG_TOTAL_COLOR, false, true);
	for (i = 0; i < r->ndrawn; i++) {
		proc_name(r, i, "", names[i], sizeof(names[i]));
		svg_chart__add(&ch, &r->cpu[i], names[i], svg_color(i), false, r->ndrawn == 1);
	}
	finish_chart(&ch, r);

	/* RSS with the peaks inside each interval */
	chart_time(&ch, o, "Memory (RSS; dashed: peak inside each interval)", r->t_end, SVG_BYTES,
		   "RSS");
	if (r->ndrawn != 1)
		svg_chart__add(&ch, &r->rss_total, "all processes", SVG_TOTAL_COLOR, false, true);
	for (i = 0; i < r->ndrawn && i < 5; i++) {
		proc_name(r, i, "", names[2 * i], sizeof(names[0]));
		proc_name(r, i, " peak", names[2 * i + 1], sizeof(names[0]));
		svg_chart__add(&ch, &r->rss[i], names[2 * i], svg_color(i), false, r->ndrawn == 1);
		svg_chart__add(&ch, &r->peak[i], names[2 * i + 1], svg_color(i), true, false);
	}
	finish_chart(&ch, r);

	chart_time(&ch, o, "Page faults", r->t_end, SVG_RATE, "faults");
	svg_chart__add(&ch, &r->minflt, "minor faults/s", svg_color(0), false, false);
	svg_chart__add(&ch, &r->majflt, "major faults/s", svg_color(3), false, false);
	finish_chart(&ch, r);

	chart_time(&ch, o, "Storage I/O caused", r->t_end, SVG_BYTES_RATE, "I/O");
	svg_chart__add(&ch, &r->rd, "read", svg_color(0), false, false);
	svg_chart__add(&ch, &r->wr, "write", svg_color(1), false, false);
	finish_chart(&ch, r);
}

static void func_table(struct out *o, const struct run *r, const int *idx)
{
	bool kernel = false;
	int k;

	for (k = 0; k < r->nfuncs; k++)
		kernel |= r->funcs[k].have_stats;
	out__puts(o, "<table class=\"funcs\"><tr><th class=\"l\">function</th><th>calls</th>"
		     "<th>total</th><th>mean</th><th>min</th><th>p50</th><th>p90</th>"
		     "<th>p99</th><th>max</th><th>CPU</th><th>faults</th><th>read</th>"
		     "<th>write</th></tr>\n");
	for (k = 0; k < r->nfuncs; k++) {
		const struct func *f = &r->funcs[idx[k]];
		char buf[48];

		out__printf(o,
			    "<tr><td class=\"name\"><span class=\"sw\" style=\"background:%s\">"
			    "</span>",
			    svg_color(idx[k]));
		out__html_str(o, f->name);
		out__puts(o, "</td>");
		snprintf(buf, sizeof(buf), "%.0f", func_calls(f));
		out__printf(o, "<td>%s</td>", buf);
		if (f->have_stats) {
			html_td_num(o, (double)f->total_ns, SVG_NS);
			html_td_num(o, (double)f->mean_ns, SVG_NS);
			html_td_num(o, (double)f->min_ns, SVG_NS);
			html_td_num(o, (double)f->p50_ns, SVG_NS);
			html_td_num(o, (double)f->p90_ns, SVG_NS);
			html_td_num(o, (double)f->p99_ns, SVG_NS);
			html_td_num(o, (double)f->max_ns, SVG_NS);
			html_td_num(o, (double)f->cpu_ns, SVG_NS);
			html_td_num(o, (double)(f->minflt + f->majflt), SVG_COUNT);
			html_td_num(o, (double)f->read_bytes, SVG_BYTES);
			html_td_num(o, (double)f->write_bytes, SVG_BYTES);
		} else {
			html_td_num(o, f->sum_ns, SVG_NS);
			html_td_num(o, func_mean(f), SVG_NS);
			html_td_num(o, f->n ? f->min_dur : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.5) : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.9) : NAN, SVG_NS);
			html_td_num(o, f->n ? hist_pct(f, 0.99) : NAN, SVG_NS);
			html_td_num(o, f->n ? f->max_dur : NAN, SVG_NS);
			html_td_num(o, f->sum_cpu, SVG_NS);
			html_td_num(o, f->sum_flt, SVG_COUNT);
			html_td_num(o, f->sum_read, SVG_BYTES);
			html_td_num(o, f->sum_write, SVG_BYTES);
		}
		out__puts(o, "</tr>\n");
	}
	out__puts(o, "</table>\n");
	if (!kernel)
		out__puts(o,
			  "<p class=\"sub\">No functions.csv (run cut off?): statistics computed "
			  "from calls.csv; percentiles approximate (within 3%).</p>\n");
	else
		out__puts(o, "<p class=\"sub\">Statistics over every call, from functions.csv "
			     "(percentiles from the kernel's histogram, within 3%).</p>\n");
}

static void func_charts(struct out *o, const struct run *r, int k)
{
	const struct func *f = &r->funcs[k];
	struct svg_chart ch;
	char title[160], tip[200], a[32], b[32];
	int lo = -1, hi = -1, i, group;
	double top = 0;

	if (!f->n)
		return;
	out__puts(o, "<h3><span class=\"sw\" style=\"background:");
	out__puts(o, svg_color(k));
	out__puts(o, "\"></span><code>");
	out__html_str(o, f->name);
	out__puts(o, "</code></h3>\n");

	for (i = 0; i < HIST_BINS; i++) {
		if (!f->hist[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
	}
	group = (hi - lo + 1 + 49) / 50;
	for (i = lo - lo % group; i <= hi; i += group) {
		double cnt = 0;
		int j;

		for (j = i; j < i + group && j < HIST_BINS; j++)
			cnt += (double)f->hist[j];
		if (cnt > top)
			top = cnt;
	}
	memset(&ch, 0, sizeof(ch));
	ch.o = o;
	snprintf(title, sizeof(title), "Duration histogram (%llu call%s in calls.csv, log scale)",
		 (unsigned long long)f->n, f->n == 1 ? "" : "s");
	ch.title = title;
	ch.xlog = true;
	/* From a 1-2-5 step below the shortest call to one above the longest. */
	ch.x0 = floor((double)lo / HIST_PER_DEC * 3) / 3;
	ch.x1 = ceil((double)(hi + 1) / HIST_PER_DEC * 3) / 3;
	if (ch.x1 - ch.x0 < 0.5)
		ch.x1 = ch.x0 + 0.5;
	ch.xlabel = "call duration";
	ch.xunit = SVG_NS;
	ch.yunit = SVG_COUNT;
	ch.ylabel = "calls";
	ch.y0 = 0;
	ch.y1 = top;
	ch.plot_h = 120;
	svg_chart__begin(&ch);
	/* About 50 bars over the range actually used, whatever it is. */
	for (i = lo - lo % group; i <= hi; i += group) {
		double x = (double)i / HIST_PER_DEC, x2 = (double)(i + group) / HIST_PER_DEC;
		__u64 cnt = 0;
		int j;

		for (j = i; j < i + group && j < HIST_BINS; j++)
			cnt += f->hist[j];
		if (!cnt)
			continue;
		snprintf(tip, sizeof(tip), "%s – %s: %llu calls",
			 fmt(a, sizeof(a), pow(10, x), SVG_NS),
			 fmt(b, sizeof(b), pow(10, x2), SVG_NS), (unsigned long long)cnt);
		svg_chart__bar(&ch, x, x2, (double)cnt, svg_color(k), tip);
	}
	svg_chart__end(&ch);
	if (f->n < 2)
		return; /* one call: no trend to see */

	memset(&ch, 0, sizeof(ch));
	ch.o = o;
	ch.title = "Duration by call index (min and max per pixel column)";
	ch.x0 = 0;
	ch.x1 = (double)f->n;
	ch.xunit = SVG_COUNT;
	ch.xlabel = "call number (in calls.csv order)";
	ch.yunit = SVG_NS;
	ch.ylabel = "duration";
	ch.plot_h = 120;
	svg_chart__add(&ch, &f->byidx, f->name, svg_color(k), false, false);
	finish_chart(&ch, NULL);
}

static void figures_table(struct out *o, const struct run *r)
{
	char buf[64];

	out__puts(o, "<table class=\"figs\"><tr>");
	out__puts(o, "<td>wall</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->wall_s * 1e9, SVG_NS));
	out__puts(o, "</td><td>CPU</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->cpu_ns, SVG_NS));
	out__puts(o, "</td><td>peak RSS</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->peak_rss, SVG_BYTES));
	out__puts(o, "</td><td>read</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->read_bytes, SVG_BYTES));
	out__puts(o, "</td><td>write</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->write_bytes, SVG_BYTES));
	out__puts(o, "</td><td>faults</td><td class=\"v\">");
	out__html_str(o, fmt(buf, sizeof(buf), r->minflt_total + r->majflt_total, SVG_COUNT));
	out__printf(o, "</td><td>processes</td><td class=\"v\">%d</td>", r->nproc);
	if (r->have_calls) {
		out__puts(o, "<td>calls</td><td class=\"v\">");
		out__html_str(o, fmt(buf, sizeof(buf), (double)r->ncalls, SVG_COUNT));
		out__puts(o, "</td>");
	}
	out__puts(o, "</tr></table>\n");
}

static void command_line(struct out *o, const struct run *r)
{
	const struct json_value *argv = json_value__path(json_doc__root(r->meta), "target.argv");
	const char *start =
	    json_value__str(json_value__path(json_doc__root(r->meta), "start.time"));
	const char *host =
	    json_value__str(json_value__path(json_doc__root(r->meta), "host.hostname"));
	size_t i;

	out__puts(o, "<p class=\"sub\">");
	if (json_value__len(argv)) {
		out__puts(o, "<code>");
		for (i = 0; i < json_value__len(argv) && i < 64; i++) {
			const char *a = json_value__str(json_value__at(argv, i));

			if (i)
				out__putc(o, ' ');
			out__html_str(o, a ? a : "?");
		}
		out__puts(o, "</code>");
	}
	if (start) {
		out__puts(o, " &middot; started ");
		out__html_str(o, start);
	}
	if (host) {
		out__puts(o, " on ");
		out__html_str(o, host);
	}
	out__puts(o, "</p>\n");
}

static void run_section(struct out *o, const struct run *r, int i, int n)
{
	char oc[300];
	const char *cls;
	int *idx, k;

	out__printf(o, "<section class=\"run\" id=\"run%d\">\n<h2>", i + 1);
	if (n > 1)
		out__printf(o, "Run %d: ", i + 1);
	out__html_str(o, r->dir);
	out__puts(o, "</h2>\n");
	command_line(o, r);
	outcome_text(r, oc, sizeof(oc), &cls);
	out__printf(o, "<div class=\"banner %s\" data-outcome=\"", cls);
	out__html_str(o, r->outcome);
	out__puts(o, "\">Outcome: ");
	out__html_str(o, oc);
	out__puts(o, "</div>\n");
	for (k = 0; k < r->nwarn; k++) {
		out__puts(o, "<div class=\"banner warn\">Warning: ");
		out__html_str(o, r->warn[k]);
		out__puts(o, "</div>\n");
	}
	figures_table(o, r);
	run_charts(o, r);
	if (r->markers_dropped)
		out__printf(o, "<p class=\"sub\">%d more events not marked.</p>\n",
			    r->markers_dropped);
	if (!r->nfuncs) {
		out__puts(o, "</section>\n");
		return;
	}
	idx = func_order(r);
	if (!idx) {
		out__puts(o, "</section>\n");
		return;
	}
	if (r->have_calls && r->spans.nlanes) {
		const char **names = calloc((size_t)r->nfuncs, sizeof(*names));
		char title[128];

		if (names) {
			for (k = 0; k < r->nfuncs; k++)
				names[k] = r->funcs[k].name;
			snprintf(title, sizeof(title),
				 "Traced calls per thread (rows: nesting depth)%s",
				 r->spans.nlanes > MAX_LANES ? ", busiest threads" : "");
			svg_spans(o, &r->spans, MAX_LANES, title, names, r->nfuncs);
			free(names);
		}
		if (r->spans.nlanes > MAX_LANES)
			out__printf(
			    o,
			    "<p class=\"sub\">Only the %d busiest of %s%d threads are drawn; "
			    "every call is counted in the tables.</p>\n",
			    MAX_LANES, r->spans.dropped ? "more than " : "", r->spans.nlanes);
	}
	out__puts(o, "<h2>Functions</h2>\n");
	func_table(o, r, idx);
	for (k = 0; k < r->nfuncs && k < DETAIL_FUNCS; k++)
		func_charts(o, r, idx[k]);
	free(idx);
	out__puts(o, "</section>\n");
}

static void ratio_cell(struct out *o, double v, double base, enum svg_unit unit)
{
	char buf[48];

	svg_format(buf, sizeof(buf), v, unit);
	out__puts(o, "<td>");
	out__html_str(o, buf);
	if (base > 0 && !isnan(v)) {
		double q = v / base;

		out__printf(o, " <span class=\"%s\">(×%.2f)</span>",
			    q > 1.05   ? "up"
			    : q < 0.95 ? "down"
				       : "same",
			    q);
	}
	out__puts(o, "</td>");
}

static void compare_section(struct out *o, const struct run *runs, int n)
{
	static const char *const rows[] = {"wall", "CPU time", "peak RSS", "read", "write"};
	static const enum svg_unit units[] = {SVG_NS, SVG_NS, SVG_BYTES, SVG_BYTES, SVG_BYTES};
	struct svg_chart ch;
	char names[MAX_RUNS][32];
	double tmax = 0;
	int i, k, *idx;

	out__puts(o, "<section id=\"compare\"><h2>Comparison</h2>\n<p class=\"sub\">Ratios are "
		     "against run 1.</p>\n<table class=\"compare\"><tr><th class=\"l\"></th>");
	for (i = 0; i < n; i++) {
		out__printf(o, "<th>run %d<br><code>", i + 1);
		out__html_str(o, runs[i].dir);
		out__puts(o, "</code></th>");
	}
	out__puts(o, "</tr>\n");
	for (k = 0; k < 5; k++) {
		out__puts(o, "<tr><td class=\"l\">");
		out__puts(o, rows[k]);
		out__puts(o, "</td>");
		for (i = 0; i < n; i++) {
			const struct run *r = &runs[i];
			double v[] = {r->wall_s * 1e9, r->cpu_ns, r->peak_rss, r->read_bytes,
				      r->write_bytes};
			double b[] = {runs[0].wall_s * 1e9, runs[0].cpu_ns, runs[0].peak_rss,
				      runs[0].read_bytes, runs[0].write_bytes};

			ratio_cell(o, v[k], i ? b[k] : 0, units[k]);
		}
		out__puts(o, "</tr>\n");
	}
	out__puts(o, "<tr><td class=\"l\">outcome</td>");
	for (i = 0; i < n; i++) {
		out__puts(o, "<td>");
		out__html_str(o, runs[i].outcome);
		out__puts(o, "</td>");
	}
	out__puts(o, "</tr>\n");
	/* Per-function mean call time, for the functions of run 1. */
	idx = func_order(&runs[0]);
	for (k = 0; idx && k < runs[0].nfuncs && k < 30; k++) {
		const struct func *f0 = &runs[0].funcs[idx[k]];

		out__puts(o, "<tr><td class=\"l\">mean <code>");
		out__html_str(o, f0->name);
		out__puts(o, "</code></td>");
		for (i = 0; i < n; i++) {
			const struct run *r = &runs[i];
			const struct func *f = NULL;
			int j;

			for (j = 0; j < r->nfuncs; j++)
				if (!strcmp(r->funcs[j].name, f0->name))
					f = &r->funcs[j];
			if (!f) {
				out__puts(o, "<td>-</td>");
				continue;
			}
			ratio_cell(o, func_mean(f), i ? func_mean(f0) : 0, SVG_NS);
		}
		out__puts(o, "</tr>\n");
	}
	free(idx);
	out__puts(o, "</table>\n");

	/* The runs' totals on one chart, time from each run's start. */
	for (i = 0; i < n; i++)
		if (runs[i].t_end > tmax)
			tmax = runs[i].t_end;
	chart_time(&ch, o, "CPU, all processes, per run", tmax, SVG_PCT, "CPU, % of one CPU");
	for (i = 0; i < n && i < SVG_MAX_SERIES; i++) {
		snprintf(names[i], sizeof(names[i]), "run %d", i + 1);
		svg_chart__add(&ch, &runs[i].cpu_total, names[i], svg_color(i), false, false);
	}
	finish_chart(&ch, NULL);
	chart_time(&ch, o, "RSS, all processes, per run", tmax, SVG_BYTES, "RSS");
	for (i = 0; i < n && i < SVG_MAX_SERIES; i++)
		svg_chart__add(&ch, &runs[i].rss_total, names[i], svg_color(i), false, false);
	finish_chart(&ch, NULL);
	out__puts(o, "</section>\n");
}

static void page_write(struct out *o, const struct run *runs, int n)
{
	int i;

	out__puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width\">\n<title>benchtrace "
		     "report");
	if (n == 1) {
		out__puts(o, ": ");
		out__html_str(o, runs[0].dir);
	}
	out__puts(o, "</title>\n<style>");
	out__puts(o, css);
	out__puts(o, "</style></head>\n<body>\n<h1>benchtrace report</h1>\n");
	out__printf(o,
		    "<p class=\"sub\">%d run%s. Hover over a chart for values. Charts keep "
		    "the minimum and maximum of each pixel column, so short peaks stay "
		    "visible.</p>\n",
		    n, n == 1 ? "" : "s");
	if (n > 1)
		compare_section(o, runs, n);
	for (i = 0; i < n; i++)
		run_section(o, &runs[i], i, n);
	out__puts(o, "<footer>Generated by benchtrace " BT_VERSION
		     ". Self-contained: no scripts, no network.</footer>\n</body></html>\n");
}

/* ---- output file ----------------------------------------------------------- */

/*
 * Write to a fresh temporary file next to the target (O_EXCL|O_NOFOLLOW: a
 * planted file or symlink is never written through) and rename it over the
 * target, which replaces a previous report, or a symlink, without following.
 */
static int output_open(const char *path, int *dirfd, char *tmp, size_t tmplen, char *name,
		       size_t namelen, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd = -1, tries;

	const char *base = slash ? slash + 1 : path;

	if (slash) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		if (!dir[0])
			snprintf(dir, sizeof(dir), "/");
	} else {
		snprintf(dir, sizeof(dir), ".");
	}
	if (strlen(base) >= namelen || strlen(base) > 200) {
		snprintf(err, errlen, "report file name '%.60s...' is too long", base);
		return -1;
	}
	memcpy(name, base, strlen(base) + 1);
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
		snprintf(err, errlen, "'%s' is not a file name for the report", path);
		return -1;
	}
	*dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*dirfd < 0) {
		snprintf(err, errlen, "cannot open directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	for (tries = 0; tries < 100; tries++) {
		unsigned int rnd = 0;

		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = (unsigned int)getpid() * 2654435761U + (unsigned int)tries;
		snprintf(tmp, tmplen, ".%.200s.tmp.%06x", name, rnd & 0xffffff);
		fd =
		    openat(*dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in '%s': %s", dir, strerror(errno));
		close(*dirfd);
		return -1;
	}
	return fd;
}

/* Under sudo, the report belongs to the user who asked for it, like the run. */
static void output_chown(int fd)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	__u64 uid, gid;

	if (geteuid() != 0 || !su || !sg || parse_u64(su, 0, UINT32_MAX - 1, &uid) ||
	    parse_u64(sg, 0, UINT32_MAX - 1, &gid))
		return;
	if (fchown(fd, (uid_t)uid, (gid_t)gid))
		info("cannot give the report to uid %llu: %s", (unsigned long long)uid,
		     strerror(errno));
}

int report__generate(const struct report_opts *opts, FILE *summary, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[NAME_MAX + 1], name[NAME_MAX + 1];
	struct run *runs;
	struct out *o = NULL;
	int i, fd = -1, dirfd = -1, ret = -1, werr;

	if (opts->ndirs < 1 || opts->ndirs > MAX_RUNS) {
		snprintf(err, errlen, "give 1 to %d run directories", MAX_RUNS);
		return -1;
	}
	runs = calloc((size_t)opts->ndirs, sizeof(*runs));
	if (!runs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < opts->ndirs; i++)
		if (run_load(&runs[i], opts->dirs[i], err, errlen))
			goto out;

	if (opts->output)
		snprintf(path, sizeof(path), "%s", opts->output);
	else
		snprintf(path, sizeof(path), "%s/report.html", opts->dirs[0]);
	fd = output_open(path, &dirfd, tmp, sizeof(tmp), name, sizeof(name), err, errlen);
	if (fd < 0)
		goto out;
	output_chown(fd);
	o = out__open_fd(fd, false);
	if (!o) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		goto out_unlink;
	}
	page_write(o, runs, opts->ndirs);
	werr = out__close(o);
	if (werr) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(-werr));
		goto out_unlink;
	}
	if (renameat(dirfd, tmp, dirfd, name)) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		goto out_unlink;
	}
	if (summary) {
		summary_print(summary, runs, opts->ndirs);
		fprintf(summary, "\nreport: %s\n", path);
	}
	ret = 0;
	goto out;
out_unlink:
	unlinkat(dirfd, tmp, 0);
out:
	if (dirfd >= 0)
		close(dirfd);
	for (i = 0; i < opts->ndirs; i++)
		run_free(&runs[i]);
	free(runs);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: benchtrace report [-o FILE] RUN_DIR...\n"
		   "Write a self-contained HTML report (default RUN_DIR/report.html of the first\n"
		   "run) and print a summary table. With several runs, they are compared\n"
		   "side by side, with ratios against the first.\n"
		   "  -o, --output FILE   write the report to FILE\n"
		   "  -h, --help          this help\n");
}

int report__main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts ro = {0};
	char err[ERRLEN];
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			ro.output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			log_verbose = 1;
			break;
		case ':':
			warn("report: option '%s' needs an argument (see benchtrace report -h)",
			     argv[optind - 1]);
			return 2;
		default:
			warn("report: unknown option '%s' (see benchtrace report -h)",
			     argv[optind - 1]);
			return 2;
		}
	}
	if (optind >= argc) {
		warn("report: no run directory given (usage: benchtrace report [-o FILE] "
		     "RUN_DIR...)");
		return 2;
	}
	if (argc - optind > MAX_RUNS) {
		warn("report: at most %d run directories", MAX_RUNS);
		return 2;
	}
	ro.dirs = (const char *const *)argv + optind;
	ro.ndirs = argc - optind;
	if (report__generate(&ro, stdout, err, sizeof(err))) {
		warn("report: %s", err);
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}
