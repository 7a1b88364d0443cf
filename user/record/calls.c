// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "record/calls.h"
#include "record/loader.h"
#include "record/probes.h"
#include "rundir/escape.h"
#include "rundir/out.h"
#include "util/hist.h"

const char *const calls_header = "t_s,dur_ns,pid,tid,func,depth,cpu_ns,runq_ns,blocked_ns,minflt,"
				 "majflt,rss_delta_bytes,rss_peak_bytes,read_bytes,write_bytes";
const char *const functions_header = "func,binary,calls,total_ns,mean_ns,min_ns,p50_ns,p90_ns,"
				     "p99_ns,max_ns,cpu_ns,minflt,majflt,read_bytes,write_bytes,probe_ns";

static void col_u64(struct out *o, __u64 v)
{
	out__putc(o, ',');
	out__u64(o, v);
}

static int escape_name(struct calls *c, int i)
{
	size_t len = csv_escape(NULL, 0, c->probes->p[i].func);
	char *name = malloc(len + 1);

	if (!name)
		return -ENOMEM;
	free(c->names[i]);
	c->names[i] = name;
	c->name_lens[i] = csv_escape(name, len + 1, c->probes->p[i].func);
	return 0;
}

int calls__name_changed(struct calls *c, int idx)
{
	int n = c->probes->n, i;
	size_t *lens;
	char **names;

	if (n > c->nnames) {
		names = realloc(c->names, n * sizeof(*names));
		if (!names)
			return -ENOMEM;
		c->names = names;
		lens = realloc(c->name_lens, n * sizeof(*lens));
		if (!lens)
			return -ENOMEM;
		c->name_lens = lens;
		for (i = c->nnames; i < n; i++)
			c->names[i] = NULL;
		for (i = c->nnames; i < n; i++) {
			c->nnames = i + 1;
			if (escape_name(c, i))
				return -ENOMEM;
		}
	}
	return idx >= 0 && idx < n ? escape_name(c, idx) : 0;
}

int calls__init(struct calls *c, struct out *out, const struct probes *p, __u64 start_ns,
		long page_size)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->probes = p;
	c->start_ns = start_ns;
	c->page_size = page_size;
	return calls__name_changed(c, -1);
}

void calls__free(struct calls *c)
{
	int i;

	for (i = 0; c->names && i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	free(c->name_lens);
	c->names = NULL;
	c->name_lens = NULL;
	c->nnames = 0;
}

static void call_row(struct calls *c, const struct bt_call *e)
{
	struct out *o = c->out;
	__u64 busy, page = c->page_size;

	if (e->type != BT_EV_CALL || e->func >= (__u32)c->nnames) {
		c->bad++;
		return;
	}
	c->seen++;
	/* a call that began between attaching and the run's start is at 0 */
	out__time_s(o, e->start_ns > c->start_ns ? e->start_ns - c->start_ns : 0);
	col_u64(o, e->dur_ns);
	col_u64(o, e->pid);
	col_u64(o, e->tid);
	out__putc(o, ',');
	out__write(o, c->names[e->func], c->name_lens[e->func]);
	col_u64(o, e->depth);
	col_u64(o, e->cpu_ns);
	col_u64(o, e->runq_ns);
	/* what is neither on a CPU nor waiting for one: sleeping, I/O */
	busy = e->cpu_ns + e->runq_ns;
	col_u64(o, e->dur_ns > busy ? e->dur_ns - busy : 0);
	col_u64(o, e->minflt);
	col_u64(o, e->majflt);
	out__putc(o, ',');
	out__s64(o, e->rss_delta * (__s64)page);
	col_u64(o, e->rss_peak * page);
	col_u64(o, e->read_bytes);
	col_u64(o, e->write_bytes);
	out__putc(o, '\n');
	c->rows++;
}

int calls__handle(void *ctx, void *data, size_t len)
{
	const struct bt_call *e = data;
	size_t i;

	/* a batch of rows from one CPU (bt_abi.h, struct bt_stage) */
	for (i = 0; i + sizeof(*e) <= len; i += sizeof(*e))
		call_row(ctx, e++);
	return 0;
}

static int by_total_desc(const void *a, const void *b)
{
	const struct func_summary *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return strcmp(x->func, y->func);
}

int calls__summarise(const struct probes *p, struct tracer *t, struct func_summary *sums)
{
	struct bt_func_stats *st = malloc(sizeof(*st));
	struct func_summary *s;
	int i, ret;

	if (!st)
		return -ENOMEM;
	for (i = 0; i < p->n; i++) {
		s = &sums[i];
		memset(s, 0, sizeof(*s));
		s->func = p->p[i].func;
		s->binary = p->p[i].binary;
		ret = tracer__func_stats(t, i, st);
		if (ret) {
			free(st);
			return ret;
		}
		s->calls = st->calls;
		s->total_ns = st->total_ns;
		s->mean_ns = st->calls ? (st->total_ns + st->calls / 2) / st->calls : 0;
		s->min_ns = st->min_ns;
		s->max_ns = st->max_ns;
		s->p50_ns = hist__quantile(st->hist, st->calls, 0.50, st->min_ns, st->max_ns);
		s->p90_ns = hist__quantile(st->hist, st->calls, 0.90, st->min_ns, st->max_ns);
		s->p99_ns = hist__quantile(st->hist, st->calls, 0.99, st->min_ns, st->max_ns);
		s->cpu_ns = st->cpu_ns;
		s->minflt = st->minflt;
		s->majflt = st->majflt;
		s->read_bytes = st->read_bytes;
		s->write_bytes = st->write_bytes;
	}
	free(st);
	qsort(sums, p->n, sizeof(*sums), by_total_desc);
	return 0;
}

void calls__write_functions(struct out *o, const struct func_summary *sums, int n)
{
	const struct func_summary *s;
	int i;

	for (i = 0; i < n; i++) {
		s = &sums[i];
		out__csv_str(o, s->func);
		out__putc(o, ',');
		out__csv_str(o, s->binary);
		col_u64(o, s->calls);
		col_u64(o, s->total_ns);
		col_u64(o, s->mean_ns);
		col_u64(o, s->min_ns);
		col_u64(o, s->p50_ns);
		col_u64(o, s->p90_ns);
		col_u64(o, s->p99_ns);
		col_u64(o, s->max_ns);
		col_u64(o, s->cpu_ns);
		col_u64(o, s->minflt);
		col_u64(o, s->majflt);
		col_u64(o, s->read_bytes);
		col_u64(o, s->write_bytes);
		out__putc(o, ',');
		if (s->probe_ns)
			out__u64(o, s->probe_ns);
		out__putc(o, '\n');
	}
}
