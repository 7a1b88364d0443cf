// SPDX-License-Identifier: GPL-2.0
/*
 * The report's processes: where their time went (each thread's time alive
 * split into on a CPU, waiting for a CPU, for storage, blocked otherwise),
 * the table of the busiest, and with many processes sharing commands the
 * table by command.
 */
#include <stdlib.h>
#include <string.h>

#include "report/loops.h"
#include "report/procs.h"
#include "report/report_load.h"
#include "report/svg.h"
#include "rundir/escape.h"
#include "rundir/out.h"

static const char *fmt(char *buf, size_t len, double v, enum svg_unit unit)
{
	svg_format(buf, len, v, unit);
	return buf;
}

/* The split's colours: on a CPU, waiting for one, for storage, otherwise blocked. */
const char *const split_color[4] = {"#1f77b4", "#d62728", "#ff7f0e", "#bbb"};

/* A bar of @n parts of @width px, and their shares; nothing if they sum to 0. */
void split_bar(struct out *o, const double *part, const char *const *color, int n,
		      int width)
{
	double t = 0;
	int i;

	for (i = 0; i < n; i++)
		t += part[i];
	if (!(t > 0))
		return;
	for (i = 0; i < n; i++)
		out__printf(o,
			    "<span style=\"display:inline-block;height:10px;width:%.0fpx;"
			    "background:%s\"></span>",
			    width * part[i] / t, color[i]);
	for (i = 0; i < n; i++)
		out__printf(o, "%s%.0f%%", i ? " / " : " ", 100 * part[i] / t);
}

/*
 * The four parts of a process's (or run's) thread time: on a CPU, waiting
 * for one, for storage, and the rest (sleep, locks, pipes), which is what
 * the counters leave of the thread time; a rounding below 0 is 0.
 */
void proc_split(double thread_s, double cpu_ns, double runq_ns, double io_ns, double *part)
{
	double other = thread_s * 1e9 - cpu_ns - runq_ns - io_ns;

	part[0] = cpu_ns;
	part[1] = runq_ns;
	part[2] = io_ns;
	part[3] = other > 0 ? other : 0;
}

/* The run's time split, under its figures. */
void run_split(struct out *o, const struct run *r)
{
	static const char *const name[4] = {"on a CPU", "waiting for a CPU",
					    "waiting for storage", "blocked otherwise"};
	double part[4], t = 0;
	char buf[64];
	int i;

	if (!r->have_waits || !(r->thread_s > 0))
		return;
	proc_split(r->thread_s, r->cpu_ns, r->runq_ns, r->iowait_ns, part);
	for (i = 0; i < 4; i++)
		t += part[i];
	out__puts(o, "<p class=\"split\">Where the time went: ");
	out__html_str(o, fmt(buf, sizeof(buf), t, SVG_NS));
	out__printf(o, " of thread time (each thread's time alive; %.1f threads on average "
		       "over the wall time)<br>",
		    r->wall_s > 0 ? t / 1e9 / r->wall_s : 0);
	split_bar(o, part, split_color, 4, 300);
	out__puts(o, "<br>");
	for (i = 0; i < 4; i++) {
		out__printf(o, "%s<span style=\"color:%s\">&#9632;</span> %s ", i ? " &middot; " : "",
			    split_color[i], name[i]);
		out__html_str(o, fmt(buf, sizeof(buf), part[i], SVG_NS));
	}
	out__puts(o, " (sleep, locks, pipes, sockets, idle threads)</p>\n");
}

#define PROC_TABLE_ROWS 40

static int proc_cmp(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/*
 * Which process is which, and what each used: the busiest first, from
 * samples.csv, with processes.csv's parent, command line, lifetime and
 * outcome where the run has one.
 */
static void proc_table(struct out *o, const struct run *r)
{
	const struct proc **order;
	char buf[64];
	int i;

	if (r->nproc < 2)
		return; /* the figures above say it all */
	order = malloc(sizeof(*order) * (size_t)r->nproc);
	if (!order)
		return;
	for (i = 0; i < r->nproc; i++)
		order[i] = &r->procs[i];
	qsort(order, (size_t)r->nproc, sizeof(*order), proc_cmp);
	out__printf(o, "<h2>Processes</h2>\n<p class=\"sub\">%s%d processes, by CPU time%s.</p>\n",
		    r->nproc > PROC_TABLE_ROWS ? "the busiest of " : "", r->nproc,
		    r->have_procs ? "" : " (this run has no processes.csv: no command lines)");
	out__puts(o, "<table class=\"funcs\"><tr><th class=\"l\">process</th><th>parent</th>"
		     "<th class=\"l\">command line</th><th>CPU</th><th>waiting for a CPU</th>"
		     "<th>I/O wait</th><th>peak RSS</th><th>read</th><th>write</th>"
		     "<th>lifetime</th><th class=\"l\">outcome</th><th class=\"l\">time: on a CPU / "
		     "waiting for a CPU / for storage / blocked otherwise</th></tr>\n");
	for (i = 0; i < r->nproc && i < PROC_TABLE_ROWS; i++) {
		const struct proc *p = order[i];

		out__puts(o, "<tr><td class=\"l\"><code>");
		out__html_str(o, p->comm);
		out__printf(o, "</code> [%ld]</td>", p->pid);
		if (p->have_info)
			out__printf(o, "<td>%ld</td>", p->ppid);
		else
			out__puts(o, "<td></td>");
		out__puts(o, "<td class=\"l\"><code>");
		out__html_str(o, p->have_info ? p->cmdline : "");
		out__puts(o, "</code></td>");
		html_td_num(o, p->cpu_ns, SVG_NS);
		html_td_num(o, p->runq_ns, SVG_NS);
		html_td_num(o, p->iowait_ns, SVG_NS);
		html_td_num(o, p->peak, SVG_BYTES);
		html_td_num(o, p->read_bytes, SVG_BYTES);
		html_td_num(o, p->write_bytes, SVG_BYTES);
		if (p->have_info && p->end_s >= 0) {
			out__puts(o, "<td>");
			out__html_str(o, fmt(buf, sizeof(buf), (p->end_s - p->start_s) * 1e9, SVG_NS));
			out__puts(o, "</td>");
		} else {
			out__puts(o, "<td></td>");
		}
		out__puts(o, "<td class=\"l\">");
		out__html_str(o, p->have_info ? p->outcome : "");
		out__puts(o, "</td><td class=\"l\">");
		if (r->have_waits) {
			double part[4];

			proc_split(p->thread_s, p->cpu_ns, p->runq_ns, p->iowait_ns, part);
			split_bar(o, part, split_color, 4, 120);
		}
		out__puts(o, "</td></tr>\n");
	}
	out__puts(o, "</table>\n");
	free(order);
}

/* One command's processes, summed. */
struct cmd_group {
	const char *comm;
	int n;
	double cpu_ns, runq_ns, iowait_ns, thread_s, peak, read_bytes, write_bytes;
};

static int comm_cmp(const void *a, const void *b)
{
	const struct proc *x = *(const struct proc *const *)a, *y = *(const struct proc *const *)b;

	return strcmp(x->comm, y->comm);
}

static int group_cmp(const void *a, const void *b)
{
	const struct cmd_group *x = a, *y = b;

	if (x->cpu_ns != y->cpu_ns)
		return x->cpu_ns < y->cpu_ns ? 1 : -1;
	return strcmp(x->comm, y->comm);
}

/*
 * Many processes sharing commands (the compilers under make, a pool's
 * workers): what each command's processes used together, the busiest
 * first; peak RSS is the largest single process's.
 */
static void command_table(struct out *o, const struct run *r)
{
	const struct proc **order = malloc(sizeof(*order) * (size_t)r->nproc);
	struct cmd_group *g = calloc((size_t)r->nproc, sizeof(*g));
	int i, ng = 0;

	if (!order || !g)
		goto out;
	for (i = 0; i < r->nproc; i++)
		order[i] = &r->procs[i];
	qsort(order, (size_t)r->nproc, sizeof(*order), comm_cmp);
	for (i = 0; i < r->nproc; i++) {
		const struct proc *p = order[i];
		struct cmd_group *c;

		if (!i || strcmp(p->comm, order[i - 1]->comm))
			g[ng++].comm = p->comm;
		c = &g[ng - 1];
		c->n++;
		c->cpu_ns += p->cpu_ns;
		c->runq_ns += p->runq_ns;
		c->iowait_ns += p->iowait_ns;
		c->thread_s += p->thread_s;
		c->read_bytes += p->read_bytes;
		c->write_bytes += p->write_bytes;
		if (p->peak > c->peak)
			c->peak = p->peak;
	}
	qsort(g, (size_t)ng, sizeof(*g), group_cmp);
	out__printf(o, "<h2>Commands</h2>\n<p class=\"sub\">%d processes of %d commands, each "
		       "command's processes together, by CPU time%s.</p>\n",
		    r->nproc, ng, ng > PROC_TABLE_ROWS ? " (the busiest 40)" : "");
	out__puts(o, "<table class=\"funcs\"><tr><th class=\"l\">command</th><th>processes</th>"
		     "<th>CPU</th><th>waiting for a CPU</th><th>I/O wait</th>"
		     "<th>peak RSS of one</th><th>read</th><th>write</th><th class=\"l\">time: "
		     "on a CPU / waiting for a CPU / for storage / blocked otherwise</th></tr>\n");
	for (i = 0; i < ng && i < PROC_TABLE_ROWS; i++) {
		double part[4];

		out__puts(o, "<tr><td class=\"l\"><code>");
		out__html_str(o, g[i].comm);
		out__printf(o, "</code></td><td>%d</td>", g[i].n);
		html_td_num(o, g[i].cpu_ns, SVG_NS);
		html_td_num(o, g[i].runq_ns, SVG_NS);
		html_td_num(o, g[i].iowait_ns, SVG_NS);
		html_td_num(o, g[i].peak, SVG_BYTES);
		html_td_num(o, g[i].read_bytes, SVG_BYTES);
		html_td_num(o, g[i].write_bytes, SVG_BYTES);
		out__puts(o, "<td class=\"l\">");
		if (r->have_waits) {
			proc_split(g[i].thread_s, g[i].cpu_ns, g[i].runq_ns, g[i].iowait_ns, part);
			split_bar(o, part, split_color, 4, 120);
		}
		out__puts(o, "</td></tr>\n");
	}
	out__puts(o, "</table>\n");
out:
	free(order);
	free(g);
}

void proc_section(struct out *o, const struct run *r)
{
	if (r->grouped)
		command_table(o, r);
	proc_table(o, r);
}
