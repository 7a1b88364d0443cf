// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/perfetto.h"
#include "rundir/csvread.h"
#include "rundir/fscred.h"
#include "rundir/json.h"
#include "rundir/out.h"
#include "rundir/rundir.h"
#include "util/log.h"
#include "util/parse.h"

#define NSEC 1000000000ULL
/* see place(): how far a call may be moved or stretched, the step that
 * puts a caller before a callee that seems to start with it, the deepest
 * nesting handled */
#define NEST_SLACK_NS  1000
#define NEST_NUDGE_NS  2
#define NEST_MAX_DEPTH 256

/*
 * A process (tid 0) or a thread seen in the inputs, keyed pid << 32 | tid
 * so that sorting by key puts each process just before its threads.
 */
struct ent {
	__u64 key;
	char *name;	 /* process: its comm, the last one seen; NULL: none */
	__u64 last_ns;	 /* process: t of its last samples.csv row */
	int order;	 /* process: first appearance, for process_sort_index */
	bool sampled;	 /* process: has samples.csv rows */
	struct lvl *lvl; /* thread: per call depth, see place() */
	int nlvl;
};

/* What a thread's calls at one depth left for the calls drawn after them. */
struct lvl {
	__u64 end;	 /* drawn end of the last call at this depth */
	__u64 kid_rec;	 /* calls here since the last one a level up ended: */
	__u64 kid_start; /* their earliest recorded start, their drawn span */
	__u64 kid_end;
	bool has_end, kids;
};

struct conv {
	struct out *o;
	char *err;
	size_t errlen;
	char why[256]; /* why a row function failed, for csv_row__error() */
	int ret;       /* and its error */

	/*
	 * In order of appearance, found through a hash table of key -> index + 1
	 * (open addressing, at most half full): a planted calls.csv of a million
	 * threads costs a million inserts, not a million memmove()s of a sorted
	 * array.  Sorted by key only where the output needs it (ents_by_key()).
	 */
	struct ent *ents;
	size_t nents, cap;
	size_t *slots, nslots; /* nslots: a power of two */
	size_t last_hit;       /* most rows repeat the previous row's process or thread */
	int nprocs;

	int col[16]; /* the current file's columns we use, by name; -1: absent */

	__u64 tick_ns, prev_tick_ns; /* samples.csv: this row's tick and the one before */
	long nsamples, nevents, ncalls;
};

static int __attribute__((format(printf, 2, 3))) conv_error(struct conv *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A row function's failure, said in c->why; -EINVAL. */
static int __attribute__((format(printf, 2, 3))) row_error(struct conv *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *cell(const struct csv_row *t, int col)
{
	return col >= 0 && col < t->cols ? t->field[col] : "";
}

/* The value, or NAN when the field is empty or not a number. */
static double cell_f64(const struct csv_row *t, int col)
{
	const char *s = cell(t, col);
	char *end;
	double v;

	if (!*s || *s == ' ' || *s == '\t')
		return NAN;
	v = strtod(s, &end);
	return *end ? NAN : v;
}

static size_t key_slot(__u64 key, size_t nslots)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (nslots - 1);
}

static int slots_grow(struct conv *c)
{
	size_t n = c->nslots ? c->nslots * 2 : 256, i, h;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < c->nents; i++) {
		for (h = key_slot(c->ents[i].key, n); slots[h]; h = (h + 1) & (n - 1))
			;
		slots[h] = i + 1;
	}
	free(c->slots);
	c->slots = slots;
	c->nslots = n;
	return 0;
}

/* The entity, added if new (pointers to others may move then); NULL if out of memory. */
static struct ent *ent_get(struct conv *c, __u32 pid, __u32 tid)
{
	__u64 key = (__u64)pid << 32 | tid;
	size_t h, i;
	struct ent *e;

	if (c->last_hit < c->nents && c->ents[c->last_hit].key == key)
		return &c->ents[c->last_hit];
	for (h = c->nslots ? key_slot(key, c->nslots) : 0; c->nslots && c->slots[h];
	     h = (h + 1) & (c->nslots - 1)) {
		i = c->slots[h] - 1;
		if (c->ents[i].key == key) {
			c->last_hit = i;
			return &c->ents[i];
		}
	}
	if ((c->nents + 1) * 2 > c->nslots) {
		if (slots_grow(c))
			return NULL;
		for (h = key_slot(key, c->nslots); c->slots[h]; h = (h + 1) & (c->nslots - 1))
			;
	}
	if (c->nents == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		e = realloc(c->ents, cap * sizeof(*e));
		if (!e)
			return NULL;
		c->ents = e;
		c->cap = cap;
	}
	e = &c->ents[c->nents];
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->order = tid ? 0 : c->nprocs++;
	c->slots[h] = c->nents + 1;
	c->last_hit = c->nents++;
	return e;
}

static int ent_ptr_cmp(const void *a, const void *b)
{
	const struct ent *x = *(const struct ent *const *)a, *y = *(const struct ent *const *)b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* The entities sorted by key (free it; valid until the next ent_get()), or NULL. */
static struct ent **ents_by_key(struct conv *c)
{
	struct ent **v = malloc((c->nents ? c->nents : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < c->nents; i++)
		v[i] = &c->ents[i];
	qsort(v, c->nents, sizeof(*v), ent_ptr_cmp);
	return v;
}

/* The process, registered with its main thread (counters are drawn there). */
static struct ent *proc_get(struct conv *c, __u32 pid)
{
	if (!ent_get(c, pid, pid))
		return NULL;
	return ent_get(c, pid, 0);
}

static int set_name(struct ent *e, const char *name)
{
	char *n;

	if (e->name && !strcmp(e->name, name))
		return 0;
	n = strdup(name);
	if (!n)
		return -ENOMEM;
	free(e->name);
	e->name = n;
	return 0;
}

static int parse_s64(const char *s, __s64 *v)
{
	__u64 u;

	if (s[0] == '-') {
		if (parse_u64(s + 1, 0, (__u64)INT64_MAX + 1, &u))
			return -EINVAL;
		*v = (__s64)(0 - u);
		return 0;
	}
	if (parse_u64(s, 0, INT64_MAX, &u))
		return -EINVAL;
	*v = (__s64)u;
	return 0;
}

/* Map the columns we need; every one of them must be there. */
static int find_cols(struct conv *c, const struct csv_row *t, const char *const names[], int n)
{
	int i;

	for (i = 0; i < n; i++) {
		c->col[i] = csv_row__col(t, names[i]);
		if (c->col[i] < 0)
			return row_error(c, "no '%s' column", names[i]);
	}
	return 0;
}

static const char *field(const struct csv_row *t, struct conv *c, int i)
{
	return cell(t, c->col[i]);
}

static int bad_field(struct conv *c, const char *name, const char *text)
{
	return row_error(c, "bad %s '%.40s'", name, text);
}

/*
 * t_s as written (seconds, up to nine decimals), exactly in ns: a float
 * round trip would move calls by a few ns and could make a child seem to
 * outlast its parent.
 */
static int get_time(struct conv *c, const struct csv_row *t, int i, const char *name, __u64 *ns)
{
	const char *s = field(t, c, i);

	return parse_fixed(s, 9, ns) ? bad_field(c, name, s) : 0;
}

static int get_u64(struct conv *c, const struct csv_row *t, int i, const char *name, __u64 *v)
{
	const char *s = field(t, c, i);

	return parse_u64(s, 0, UINT64_MAX, v) ? bad_field(c, name, s) : 0;
}

static int get_pid(struct conv *c, const struct csv_row *t, int i, const char *name, __u32 *v)
{
	const char *s = field(t, c, i);
	pid_t p;

	if (parse_pid(s, &p))
		return bad_field(c, name, s);
	*v = (__u32)p;
	return 0;
}

/* The keys every event starts with: "ts" early, where Perfetto's JSON
 * tokenizer looks for it before parsing the rest. */
static void event_begin(struct out *o, const char *ph, __u64 ts_ns, __u32 pid, __u32 tid)
{
	json__begin_object(o);
	json__key(o, "ph");
	json__str(o, ph);
	json__key(o, "ts");
	json__fixed(o, ts_ns, 3, 3);
	json__key(o, "pid");
	json__u64(o, pid);
	json__key(o, "tid");
	json__u64(o, tid);
}

/* One value of a counter track; Perfetto names the track "NAME KEY". */
static void counter(struct out *o, __u64 ts_ns, __u32 pid, const char *name, const char *key,
		    double v)
{
	if (!isfinite(v))
		return;
	event_begin(o, "C", ts_ns, pid, pid);
	json__key(o, "name");
	json__str(o, name);
	json__key(o, "args");
	json__begin_object(o);
	json__key(o, key);
	if (v >= 0 && v < 9007199254740992.0 && v == floor(v))
		json__u64(o, (__u64)v);
	else
		json__double(o, v);
	json__end_object(o);
	json__end_object(o);
}

/* ---- samples.csv ---- */

enum { S_T, S_PID, S_COMM, S_CPU_PCT, S_RSS, S_RSS_PEAK, S_READ, S_WRITE, S_NCOLS };
static const char *const samples_cols[S_NCOLS] = {
    "t_s", "pid", "comm", "cpu_pct", "rss_bytes", "rss_peak_bytes", "read_bytes", "write_bytes",
};

/*
 * A row holds deltas over the interval that ends at t_s (CPU %, I/O, the
 * RSS peak inside it) and levels at t_s (RSS).  A counter holds its value
 * until the next one, so a delta is drawn from the interval's start, the
 * previous tick, and a level from t_s.
 */
static int samples_row(const struct csv_row *t, void *ctx)
{
	struct conv *c = ctx;
	__u64 ts, start, rss, peak, rd, wr;
	struct ent *e;
	__u32 pid;
	double dt;
	int ret;

	if (t->row < 0)
		return find_cols(c, t, samples_cols, S_NCOLS);
	if ((ret = get_time(c, t, S_T, "t_s", &ts)) || (ret = get_pid(c, t, S_PID, "pid", &pid)) ||
	    (ret = get_u64(c, t, S_RSS, "rss_bytes", &rss)) ||
	    (ret = get_u64(c, t, S_RSS_PEAK, "rss_peak_bytes", &peak)) ||
	    (ret = get_u64(c, t, S_READ, "read_bytes", &rd)) ||
	    (ret = get_u64(c, t, S_WRITE, "write_bytes", &wr)))
		return ret;
	/* rows come tick by tick, one per traced process */
	if (ts > c->tick_ns) {
		c->prev_tick_ns = c->tick_ns;
		c->tick_ns = ts;
	}
	e = proc_get(c, pid);
	if (!e || set_name(e, field(t, c, S_COMM)))
		return -ENOMEM;
	/* a process's first interval began at the tick before */
	if (e->sampled && e->last_ns <= ts)
		start = e->last_ns;
	else
		start = ts < c->tick_ns ? ts : c->prev_tick_ns;
	e->sampled = true;
	e->last_ns = ts;

	counter(c->o, start, pid, "CPU", "%", cell_f64(t, c->col[S_CPU_PCT]));
	counter(c->o, start, pid, "RSS peak", "bytes", (double)peak);
	if (ts > start) {
		dt = (double)(ts - start);
		counter(c->o, start, pid, "Read", "bytes/s", rd * (double)NSEC / dt);
		counter(c->o, start, pid, "Write", "bytes/s", wr * (double)NSEC / dt);
	}
	counter(c->o, ts, pid, "RSS", "bytes", (double)rss);
	c->nsamples++;
	return out__error(c->o);
}

/* After a process's last row its interval counters end: draw them to 0. */
static int samples_end(struct conv *c)
{
	struct ent **by_key = ents_by_key(c);
	size_t i;

	if (!by_key)
		return -ENOMEM;
	for (i = 0; i < c->nents; i++) {
		struct ent *e = by_key[i];
		__u32 pid = e->key >> 32;

		if ((e->key & 0xffffffff) || !e->sampled)
			continue;
		counter(c->o, e->last_ns, pid, "CPU", "%", 0);
		counter(c->o, e->last_ns, pid, "RSS peak", "bytes", 0);
		counter(c->o, e->last_ns, pid, "Read", "bytes/s", 0);
		counter(c->o, e->last_ns, pid, "Write", "bytes/s", 0);
	}
	free(by_key);
	return 0;
}

/* ---- events.csv ---- */

enum { E_T, E_PID, E_TID, E_EVENT, E_DETAIL, E_NCOLS };
static const char *const events_cols[E_NCOLS] = {"t_s", "pid", "tid", "event", "detail"};

static int events_row(const struct csv_row *t, void *ctx)
{
	static const char *const shown[] = {"exec", "fork", "exit", "oom_kill"};
	struct conv *c = ctx;
	const char *ev, *detail;
	struct ent *e;
	__u32 pid, tid;
	size_t i;
	__u64 ts;
	int ret;

	if (t->row < 0)
		return find_cols(c, t, events_cols, E_NCOLS);
	ev = field(t, c, E_EVENT);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (!strcmp(ev, shown[i]))
			break;
	/* lost and interval rows are about the run, not a process */
	if (i == sizeof(shown) / sizeof(shown[0]))
		return 0;
	if ((ret = get_time(c, t, E_T, "t_s", &ts)) || (ret = get_pid(c, t, E_PID, "pid", &pid)) ||
	    (ret = get_pid(c, t, E_TID, "tid", &tid)))
		return ret;
	detail = field(t, c, E_DETAIL);
	e = proc_get(c, pid);
	if (!e || !ent_get(c, pid, tid))
		return -ENOMEM;
	e = proc_get(c, pid); /* ent_get() may have moved it */
	/* samples.csv names it better (its latest comm); else what it exec'd */
	if (!strcmp(ev, "exec") && !e->sampled && *detail && set_name(e, detail))
		return -ENOMEM;

	event_begin(c->o, "i", ts, pid, tid);
	json__key(c->o, "s");
	json__str(c->o, "p");
	json__key(c->o, "name");
	json__str(c->o, ev);
	json__key(c->o, "cat");
	json__str(c->o, "process");
	json__key(c->o, "args");
	json__begin_object(c->o);
	json__key(c->o, "detail");
	json__str(c->o, detail);
	json__end_object(c->o);
	json__end_object(c->o);
	c->nevents++;
	return out__error(c->o);
}

/* ---- calls.csv ---- */

enum { C_T, C_DUR, C_PID, C_TID, C_FUNC, C_NCOLS };
static const char *const calls_cols[C_NCOLS] = {"t_s", "dur_ns", "pid", "tid", "func"};

/*
 * Perfetto and Chrome draw a thread's calls as a stack: a call that ends
 * after its caller, starts before the previous call ended, or starts with
 * its caller but comes after it in the file (calls.csv lists callees
 * first, as they return) is cut, dropped or drawn in the wrong place.  Real
 * calls nest properly; t_s rounded to the microsecond makes them seem not
 * to, by less than a microsecond.  So calls are drawn slightly moved where
 * needed: after the calls that ended before them, a caller NEST_NUDGE_NS
 * before its first callee, stretched over its callees' ends.  Beyond
 * NEST_SLACK_NS a call is drawn as recorded: that is not rounding.
 *
 * *ds and *de get the drawn start and end.  Per depth the thread keeps the
 * last drawn end and the span of the calls completed since the last call
 * one level up, which are that call's callees.
 */
static void place(struct conv *c, struct ent *th, const struct csv_row *t, __u64 ts, __u64 dur,
		  __u64 *ds, __u64 *de)
{
	__u64 depth, floor = 0, rec = UINT64_MAX, first = UINT64_MAX, last = 0, s, e;
	struct lvl *l;
	bool kids = false;
	int i, from = -1;

	*ds = ts;
	*de = ts + dur;
	if (dur > UINT64_MAX / 2 - ts || c->col[C_NCOLS] < 0 ||
	    parse_u64(cell(t, c->col[C_NCOLS]), 0, NEST_MAX_DEPTH - 1, &depth))
		return;
	if (th->nlvl < (int)depth + 1) {
		l = realloc(th->lvl, (depth + 1) * sizeof(*l));
		if (!l)
			return;
		memset(l + th->nlvl, 0, (depth + 1 - th->nlvl) * sizeof(*l));
		th->lvl = l;
		th->nlvl = depth + 1;
	}
	l = th->lvl;
	/* what ended before this call began: calls at its depth or above
	 * (the shallowest of equal ends, so that each caller in between has
	 * room to start before it) */
	for (i = 0; i <= (int)depth; i++)
		if (l[i].has_end && (from < 0 || l[i].end > floor)) {
			floor = l[i].end;
			from = i;
		}
	/* its callees: whatever completed deeper since the last call here */
	for (i = depth + 1; i < th->nlvl; i++) {
		if (!l[i].kids)
			continue;
		kids = true;
		rec = l[i].kid_rec < rec ? l[i].kid_rec : rec;
		first = l[i].kid_start < first ? l[i].kid_start : first;
		last = l[i].kid_end > last ? l[i].kid_end : last;
		l[i].kids = false;
	}
	if (kids && rec < ts)
		kids = false; /* began before it: not its callees after all */

	s = ts;
	/* room for each caller up to the depth the floor came from */
	if (from >= 0 && s < floor + NEST_NUDGE_NS * (depth - from))
		s = floor + NEST_NUDGE_NS * (depth - from);
	if (kids && first < s + NEST_NUDGE_NS && first >= NEST_NUDGE_NS)
		s = first - NEST_NUDGE_NS;
	e = s + dur;
	if (kids && last > e)
		e = last;
	if (s + NEST_SLACK_NS + NEST_NUDGE_NS * NEST_MAX_DEPTH >= ts &&
	    ts + NEST_SLACK_NS + NEST_NUDGE_NS * NEST_MAX_DEPTH >= s &&
	    e - s - dur <= NEST_SLACK_NS + NEST_NUDGE_NS * NEST_MAX_DEPTH &&
	    (from < 0 || s >= floor)) {
		*ds = s;
		*de = e;
	}
	l[depth].end = *de;
	l[depth].has_end = true;
	if (!l[depth].kids) {
		l[depth].kids = true;
		l[depth].kid_rec = ts;
		l[depth].kid_start = *ds;
		l[depth].kid_end = *de;
	} else {
		l[depth].kid_end = *de > l[depth].kid_end ? *de : l[depth].kid_end;
	}
}

/*
 * Every other column (resources, depth) goes into args, as a number when
 * it is one; and t_s and dur_ns as recorded when place() moved the call.
 */
static void call_args(struct conv *c, const struct csv_row *t, __u64 ts, __u64 dur, __u64 ds,
		      __u64 de)
{
	int i, j, ncols = t->cols;
	const char *s;
	__s64 v;

	json__key(c->o, "args");
	json__begin_object(c->o);
	for (i = 0; i < ncols; i++) {
		for (j = 0; j < C_NCOLS; j++)
			if (c->col[j] == i)
				break;
		if (j < C_NCOLS)
			continue;
		s = cell(t, i);
		json__key(c->o, t->header[i]);
		if (!parse_s64(s, &v))
			json__s64(c->o, v);
		else if (*s)
			json__str(c->o, s);
		else
			json__null(c->o);
	}
	if (ds != ts) {
		json__key(c->o, "t_s");
		json__fixed(c->o, ts, 9, 9);
	}
	if (de - ds != dur) {
		json__key(c->o, "dur_ns");
		json__u64(c->o, dur);
	}
	json__end_object(c->o);
}

static int calls_row(const struct csv_row *t, void *ctx)
{
	struct conv *c = ctx;
	__u64 ts, dur, ds, de;
	__u32 pid, tid;
	struct ent *th;
	int ret;

	if (t->row < 0) {
		c->col[C_NCOLS] = csv_row__col(t, "depth"); /* optional */
		return find_cols(c, t, calls_cols, C_NCOLS);
	}
	if ((ret = get_time(c, t, C_T, "t_s", &ts)) ||
	    (ret = get_u64(c, t, C_DUR, "dur_ns", &dur)) ||
	    (ret = get_pid(c, t, C_PID, "pid", &pid)) || (ret = get_pid(c, t, C_TID, "tid", &tid)))
		return ret;
	if (!proc_get(c, pid) || !(th = ent_get(c, pid, tid)))
		return -ENOMEM;
	place(c, th, t, ts, dur, &ds, &de);

	event_begin(c->o, "X", ds, pid, tid);
	json__key(c->o, "dur");
	json__fixed(c->o, de - ds, 3, 3);
	json__key(c->o, "name");
	json__str(c->o, field(t, c, C_FUNC));
	json__key(c->o, "cat");
	json__str(c->o, "call");
	call_args(c, t, ts, dur, ds, de);
	json__end_object(c->o);
	c->ncalls++;
	/* a sticky error stops a million-row read early */
	return out__error(c->o);
}

/* ---- the whole file ---- */

/* The row functions' failures, as the reader reports them: "PATH:LINE: why". */
static int row_done(struct conv *c, const struct csv_row *t, int ret)
{
	if (!ret)
		return 0;
	c->ret = ret;
	csv_row__error(t, "%s", c->why[0] ? c->why : strerror(-ret));
	return 1;
}

static int samples_cb(const struct csv_row *t, void *ctx)
{
	return row_done(ctx, t, samples_row(t, ctx));
}

static int events_cb(const struct csv_row *t, void *ctx)
{
	return row_done(ctx, t, events_row(t, ctx));
}

static int calls_cb(const struct csv_row *t, void *ctx)
{
	return row_done(ctx, t, calls_row(t, ctx));
}

/* DIR/NAME, or DIR/NAME.gz; *found false when neither exists. */
static int read_csv(struct conv *c, const char *dir, const char *name, csv_row_fn fn, bool *found)
{
	char path[4096];
	struct stat st;

	*found = false;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) && errno == ENOENT) {
		snprintf(path, sizeof(path), "%s/%s.gz", dir, name);
		if (lstat(path, &st) && errno == ENOENT)
			return 0;
	}
	*found = true;
	c->why[0] = '\0';
	c->ret = 0;
	if (csv_stream__read(path, NULL, fn, c, NULL, c->err, c->errlen) < 0)
		return c->ret ? c->ret : -EINVAL;
	return 0;
}

/* An M event NAME whose args hold KEY: the string str, or the number n when str is NULL. */
static void metadata_event(struct out *o, __u32 pid, __u32 tid, const char *name, const char *key,
			   const char *str, __u64 n)
{
	event_begin(o, "M", 0, pid, tid);
	json__key(o, "name");
	json__str(o, name);
	json__key(o, "args");
	json__begin_object(o);
	json__key(o, key);
	if (str)
		json__str(o, str);
	else
		json__u64(o, n);
	json__end_object(o);
	json__end_object(o);
}

static int metadata_events(struct conv *c)
{
	struct ent **by_key = ents_by_key(c);
	const char *pname = NULL;
	char buf[32], tbuf[32]; /* pname may be buf */
	size_t i;

	if (!by_key)
		return -ENOMEM;
	for (i = 0; i < c->nents; i++) {
		struct ent *e = by_key[i];
		__u32 pid = e->key >> 32, tid = e->key & 0xffffffff;

		if (!tid) {
			snprintf(buf, sizeof(buf), "pid %u", pid);
			pname = e->name ? e->name : buf;
			metadata_event(c->o, pid, pid, "process_name", "name", pname, 0);
			metadata_event(c->o, pid, pid, "process_sort_index", "sort_index", NULL,
				       e->order);
			continue;
		}
		/* the main thread is the process; the kernel keeps no name for the others here */
		snprintf(tbuf, sizeof(tbuf), "thread %u", tid);
		metadata_event(c->o, pid, tid, "thread_name", "name", tid == pid ? pname : tbuf, 0);
	}
	free(by_key);
	return 0;
}

int perfetto__convert(const char *dir, struct out *o, char *err, size_t errlen)
{
	struct conv c = {
	    .o = o,
	    .err = err,
	    .errlen = errlen,
	};
	bool found;
	size_t i;
	int ret;

	err[0] = '\0';
	/* displayTimeUnit first: Perfetto reads it only at the start of the file */
	json__flat_below(o, 2);
	json__begin_object(o);
	json__key(o, "displayTimeUnit");
	json__str(o, "ms");
	json__key(o, "traceEvents");
	json__begin_array(o);

	ret = read_csv(&c, dir, "samples.csv", samples_cb, &found);
	if (!ret && !found)
		ret = conv_error(&c, "no samples.csv or samples.csv.gz");
	if (!ret && samples_end(&c))
		ret = conv_error(&c, "out of memory");
	if (!ret)
		ret = read_csv(&c, dir, "events.csv", events_cb, &found);
	if (!ret && !found)
		ret = conv_error(&c, "no events.csv or events.csv.gz");
	if (!ret)
		ret = read_csv(&c, dir, "calls.csv", calls_cb, &found); /* only with --uprobe */
	if (!ret && metadata_events(&c))
		ret = conv_error(&c, "out of memory");
	if (!ret) {
		json__end_array(o);
		json__key(o, "metadata");
		json__begin_object(o);
		json__key(o, "tool");
		json__str(o, "benchtrace");
		json__key(o, "version");
		json__str(o, BT_VERSION);
		json__key(o, "time_origin");
		json__str(o, "ts 0 is the run's start, t_s 0 in the CSV files (see meta.json)");
		json__key(o, "processes");
		json__u64(o, c.nprocs);
		json__key(o, "sample_rows");
		json__u64(o, c.nsamples);
		json__key(o, "process_events");
		json__u64(o, c.nevents);
		json__key(o, "calls");
		json__u64(o, c.ncalls);
		json__end_object(o);
		json__end_object(o);
		ret = out__error(o);
	}
	if (ret && !err[0])
		snprintf(err, errlen, "%s", strerror(-ret));

	for (i = 0; i < c.nents; i++) {
		free(c.ents[i].name);
		free(c.ents[i].lvl);
	}
	free(c.ents);
	free(c.slots);
	return ret;
}

int perfetto__write(struct rundir *rd, char *err, size_t errlen)
{
	char msg[512], held[64];
	struct out *o;
	int fd, ret, cret;

	fd = rundir__open(rd, PERFETTO_FILE, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s/%s: %s", rundir__path(rd), PERFETTO_FILE,
			 strerror(-fd));
		return fd;
	}
	o = out__open_fd(fd, false);
	if (!o) {
		ret = -errno;
		close(fd);
		snprintf(err, errlen, "cannot write %s/%s: %s", rundir__path(rd), PERFETTO_FILE,
			 strerror(-ret));
		return ret;
	}
	/*
	 * Read the logs back through the directory benchtrace made and holds
	 * open, not through its path: a user who swaps the path for a symlink
	 * mid-run must not have root read another directory's files into
	 * trace.json.
	 */
	snprintf(held, sizeof(held), "/proc/self/fd/%d", rundir__dirfd(rd));
	ret = perfetto__convert(held, o, msg, sizeof(msg));
	cret = out__close(o);
	if (!ret && cret) {
		ret = cret;
		snprintf(msg, sizeof(msg), "%s", strerror(-cret));
	}
	if (ret) {
		/* name the files as the user knows them, not as they were reached */
		const char *tail = strncmp(msg, held, strlen(held)) ? NULL : msg + strlen(held);

		if (tail)
			snprintf(err, errlen, "writing %s/%s: %s%s", rundir__path(rd), PERFETTO_FILE,
				 rundir__path(rd), tail);
		else
			snprintf(err, errlen, "writing %s/%s: %s", rundir__path(rd), PERFETTO_FILE,
				 msg);
		/* O_EXCL made it ours; a cut-off trace would not load anyway */
		unlinkat(rundir__dirfd(rd), PERFETTO_FILE, 0);
	}
	return ret;
}

/*
 * `benchtrace perfetto RUN_DIR`: trace.json for a run recorded without
 * --perfetto.  Under sudo the file is made as the invoking user, where that
 * user may write, as the run directory's own files are.
 */
int perfetto__main(int argc, char **argv)
{
	char err[1024];
	struct fscred fc = {};
	struct rundir *rd;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: benchtrace perfetto RUN_DIR\n"
		       "Write RUN_DIR/trace.json (Chrome Trace Event Format, for ui.perfetto.dev\n"
		       "and chrome://tracing) from a run recorded without --perfetto; an\n"
		       "existing trace.json is left as it is.\n");
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		warn("usage: benchtrace perfetto RUN_DIR");
		return 2;
	}
	if (fscred__sudo_user(&uid, &gid) && fscred__enter(&fc, uid, gid, err, sizeof(err))) {
		warn("perfetto: %s", err);
		return 1;
	}
	rd = rundir__open_existing(argv[1], uid, gid, err, sizeof(err));
	if (!rd) {
		fscred__leave(&fc);
		warn("perfetto: %s", err);
		return 1;
	}
	ret = perfetto__write(rd, err, sizeof(err));
	fscred__leave(&fc);
	rundir__close(rd);
	if (ret) {
		warn("perfetto: %s", ret == -EEXIST ? "trace.json exists already" : err);
		return 1;
	}
	return 0;
}
