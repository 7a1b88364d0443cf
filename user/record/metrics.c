// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include "bt_abi.h"
#include "bt_hist.h"
#include "record/metrics.h"
#include "rundir/escape.h"
#include "util/lazylib.h"

/* libmicrohttpd is loaded by --metrics alone (util/lazylib.h): with gnutls
 * and the libraries under it, 2.3 MiB of RSS a run without it never maps.
 * The calls below go through these pointers under their own names. */
static struct lazylib mhd_lib = {.soname = "libmicrohttpd.so.12", .package = "libmicrohttpd12"};
static struct {
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_stop_daemon) *stop_daemon;
} mhd;
#define MHD_create_response_from_buffer (mhd.create_response_from_buffer)
#define MHD_add_response_header		(mhd.add_response_header)
#define MHD_queue_response		(mhd.queue_response)
#define MHD_destroy_response		(mhd.destroy_response)
#define MHD_lookup_connection_value	(mhd.lookup_connection_value)
#define MHD_start_daemon		(mhd.start_daemon)
#define MHD_get_daemon_info		(mhd.get_daemon_info)
#define MHD_stop_daemon			(mhd.stop_daemon)

static int mhd_load(void)
{
	struct lazylib *l = &mhd_lib;

	if (l->state > 0)
		return 0;
	if (lazylib__bind(l, "MHD_create_response_from_buffer", &mhd.create_response_from_buffer) ||
	    lazylib__bind(l, "MHD_add_response_header", &mhd.add_response_header) ||
	    lazylib__bind(l, "MHD_queue_response", &mhd.queue_response) ||
	    lazylib__bind(l, "MHD_destroy_response", &mhd.destroy_response) ||
	    lazylib__bind(l, "MHD_lookup_connection_value", &mhd.lookup_connection_value) ||
	    lazylib__bind(l, "MHD_start_daemon", &mhd.start_daemon) ||
	    lazylib__bind(l, "MHD_get_daemon_info", &mhd.get_daemon_info) ||
	    lazylib__bind(l, "MHD_stop_daemon", &mhd.stop_daemon))
		return -1;
	return 0;
}

#define LABEL_MAX 1024
#define FUNC_MAX  512
/* le bounds of the duration histograms: 2^k - 1 ns, k = 10 (1 us) .. 37 (137 s),
 * each an exact edge of the kernel's log-linear buckets */
#define LE_FIRST 10
#define LE_LAST	 37
#define NLE	 (LE_LAST - LE_FIRST + 1)

struct mproc {
	__u32 pid; /* 0: free */
	char labels[LABEL_MAX]; /* pid, comm, ppid, host, run */
	struct metrics_proc v; /* comm not kept */
	__u64 peak; /* highest since the last scrape */
	__u64 exit_ns; /* when it was seen exited, 0 if alive */
};

struct mfunc {
	char labels[LABEL_MAX];
	__u64 calls, total_ns;
	__u64 le[NLE];
};

struct buf {
	char *p;
	size_t len, cap;
};

struct metrics {
	struct MHD_Daemon *d;
	int port;
	char common[512]; /* host="..",run=".." */
	/* the sampler's thread */
	struct mproc *procs;
	size_t nslots, nused;
	struct mfunc funcs[FUNC_MAX];
	int nfuncs;
	struct buf om, prom;
	/* shared with the server's thread */
	pthread_mutex_t lock;
	char *text_om, *text_prom;
	size_t len_om, len_prom;
	int scraped; /* a scrape since the last publish (atomic) */
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (b->len + n < b->cap) {
			b->len += n;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 65536) + n;
		char *p = realloc(b->p, cap);

		if (!p)
			return; /* the text is cut; the next tick tries again */
		b->p = p;
		b->cap = cap;
	}
}

static struct mproc *proc_slot(struct metrics *m, __u32 pid)
{
	size_t h, i;

	if ((m->nused + 1) * 2 > m->nslots) {
		size_t n = m->nslots ? m->nslots * 2 : 256;
		struct mproc *np = calloc(n, sizeof(*np)), *old = m->procs;

		if (!np)
			return NULL;
		for (i = 0; i < m->nslots; i++) {
			if (!old[i].pid)
				continue;
			for (h = (old[i].pid * 2654435761u) & (n - 1); np[h].pid; h = (h + 1) & (n - 1))
				;
			np[h] = old[i];
		}
		free(old);
		m->procs = np;
		m->nslots = n;
	}
	for (h = (pid * 2654435761u) & (m->nslots - 1); m->procs[h].pid;
	     h = (h + 1) & (m->nslots - 1))
		if (m->procs[h].pid == pid)
			return &m->procs[h];
	m->procs[h].pid = pid;
	m->nused++;
	return &m->procs[h];
}

void metrics__proc(struct metrics *m, const struct metrics_proc *p, __u64 now_ns)
{
	char comm[64];
	struct mproc *e;

	if (!m)
		return;
	e = proc_slot(m, p->pid);
	if (!e)
		return;
	if (e->exit_ns) /* the PID was reused: a new process */
		memset(&e->v, 0, sizeof(e->v)), e->exit_ns = 0, e->peak = 0;
	prom_escape(comm, sizeof(comm), p->comm);
	snprintf(e->labels, sizeof(e->labels), "%s,pid=\"%u\",comm=\"%s\",ppid=\"%u\"", m->common,
		 p->pid, comm, p->ppid);
	/* counters never go down (a transiently lower reading keeps the last) */
#define KEEP_MAX(f) e->v.f = p->f > e->v.f ? p->f : e->v.f
	KEEP_MAX(cpu_ns);
	KEEP_MAX(runq_ns);
	KEEP_MAX(vol_cs);
	KEEP_MAX(invol_cs);
	KEEP_MAX(minflt);
	KEEP_MAX(majflt);
	KEEP_MAX(read_bytes);
	KEEP_MAX(write_bytes);
	KEEP_MAX(rchar);
	KEEP_MAX(wchar);
#undef KEEP_MAX
	e->v.rss_bytes = p->rss_bytes;
	e->v.threads = p->threads;
	if (p->peak_bytes > e->peak)
		e->peak = p->peak_bytes;
	if (p->exited)
		e->exit_ns = now_ns;
}

void metrics__func(struct metrics *m, const char *func, const char *binary,
		   const struct bt_func_stats *s)
{
	char f[200], b[200];
	struct mfunc *e;
	unsigned int i, k;

	if (!m || m->nfuncs == FUNC_MAX)
		return;
	e = &m->funcs[m->nfuncs++];
	prom_escape(f, sizeof(f), func);
	prom_escape(b, sizeof(b), binary ? binary : "");
	snprintf(e->labels, sizeof(e->labels), "%s,func=\"%s\",binary=\"%s\"", m->common, f, b);
	e->calls = s->calls;
	e->total_ns = s->total_ns;
	memset(e->le, 0, sizeof(e->le));
	/* a bucket counts toward every bound at or above its highest value */
	for (i = 0; i < BT_HIST_BUCKETS; i++) {
		__u64 top = i + 1 < BT_HIST_BUCKETS ? bt_hist_lower(i + 1) - 1 : ~0ULL;

		if (!s->hist[i])
			continue;
		for (k = 0; k < NLE; k++)
			if (top <= (1ULL << (LE_FIRST + k)) - 1)
				e->le[k] += s->hist[i];
	}
}

/* One metric family in both formats: OpenMetrics names a counter's family
 * without _total, the Prometheus text format with it. */
static void family(struct metrics *m, const char *name, const char *type, const char *unit,
		   const char *help)
{
	bool counter = !strcmp(type, "counter");

	bprintf(&m->om, "# TYPE %s %s\n", name, type);
	if (unit)
		bprintf(&m->om, "# UNIT %s %s\n", name, unit);
	bprintf(&m->om, "# HELP %s %s\n", name, help);
	bprintf(&m->prom, "# HELP %s%s %s\n", name, counter ? "_total" : "", help);
	bprintf(&m->prom, "# TYPE %s%s %s\n", name, counter ? "_total" : "", type);
}

static void sample(struct metrics *m, const char *name, const char *labels, double v)
{
	bprintf(&m->om, "%s{%s} %.9g\n", name, labels, v);
	bprintf(&m->prom, "%s{%s} %.9g\n", name, labels, v);
}

#define PROC_COUNTER(field, name, scale, unit, help)                                              \
	do {                                                                                      \
		family(m, name, "counter", unit, help);                                          \
		for (i = 0; i < m->nslots; i++)                                                   \
			if (m->procs[i].pid)                                                      \
				sample(m, name "_total", m->procs[i].labels,                     \
				       (double)m->procs[i].v.field / (scale));                   \
	} while (0)

void metrics__publish(struct metrics *m, double t_s, __u64 lost, __u64 now_ns)
{
	struct rusage ru;
	char *om, *prom;
	unsigned long rss_pages = 0;
	size_t i;
	int k, f;
	FILE *st;

	if (!m)
		return;
	/* exited processes stay a while, then go */
	for (i = 0; i < m->nslots; i++)
		if (m->procs[i].pid && m->procs[i].exit_ns &&
		    now_ns - m->procs[i].exit_ns > METRICS_KEEP_EXITED_NS) {
			m->procs[i].pid = 0;
			m->nused--;
		}
	m->om.len = m->prom.len = 0;
	PROC_COUNTER(cpu_ns, "benchtrace_process_cpu_seconds", 1e9, "seconds",
		     "CPU time used (user and system).");
	PROC_COUNTER(runq_ns, "benchtrace_process_runqueue_wait_seconds", 1e9, "seconds",
		     "Time runnable but waiting for a CPU.");
	PROC_COUNTER(vol_cs, "benchtrace_process_voluntary_context_switches", 1, NULL,
		     "Voluntary context switches.");
	PROC_COUNTER(invol_cs, "benchtrace_process_involuntary_context_switches", 1, NULL,
		     "Involuntary context switches.");
	PROC_COUNTER(minflt, "benchtrace_process_minor_faults", 1, NULL, "Minor page faults.");
	PROC_COUNTER(majflt, "benchtrace_process_major_faults", 1, NULL, "Major page faults.");
	PROC_COUNTER(read_bytes, "benchtrace_process_storage_read_bytes", 1, "bytes",
		     "Bytes the process caused to be read from storage.");
	PROC_COUNTER(write_bytes, "benchtrace_process_storage_write_bytes", 1, "bytes",
		     "Bytes the process caused to be written to storage.");
	PROC_COUNTER(rchar, "benchtrace_process_logical_read_bytes", 1, "bytes",
		     "Bytes through read-like system calls, page cache hits included.");
	PROC_COUNTER(wchar, "benchtrace_process_logical_write_bytes", 1, "bytes",
		     "Bytes through write-like system calls.");
	family(m, "benchtrace_process_rss_bytes", "gauge", "bytes", "Resident set size now.");
	for (i = 0; i < m->nslots; i++)
		if (m->procs[i].pid)
			sample(m, "benchtrace_process_rss_bytes", m->procs[i].labels,
			       m->procs[i].exit_ns ? 0 : (double)m->procs[i].v.rss_bytes);
	family(m, "benchtrace_process_rss_peak_bytes", "gauge", "bytes",
	       "Highest resident set size since the last scrape.");
	for (i = 0; i < m->nslots; i++)
		if (m->procs[i].pid)
			sample(m, "benchtrace_process_rss_peak_bytes", m->procs[i].labels,
			       (double)m->procs[i].peak);
	family(m, "benchtrace_process_threads", "gauge", NULL, "Threads now.");
	for (i = 0; i < m->nslots; i++)
		if (m->procs[i].pid)
			sample(m, "benchtrace_process_threads", m->procs[i].labels,
			       m->procs[i].exit_ns ? 0 : (double)m->procs[i].v.threads);
	family(m, "benchtrace_process_exited", "gauge", NULL,
	       "1 once the process has exited (its series stay 5 minutes).");
	for (i = 0; i < m->nslots; i++)
		if (m->procs[i].pid)
			sample(m, "benchtrace_process_exited", m->procs[i].labels,
			       m->procs[i].exit_ns ? 1 : 0);

	family(m, "benchtrace_function_calls", "counter", NULL, "Completed calls.");
	for (f = 0; f < m->nfuncs; f++)
		sample(m, "benchtrace_function_calls_total", m->funcs[f].labels,
		       (double)m->funcs[f].calls);
	family(m, "benchtrace_function_duration_seconds", "histogram", "seconds",
	       "Call durations, from the kernel's histogram.");
	for (f = 0; f < m->nfuncs; f++) {
		const struct mfunc *e = &m->funcs[f];

		for (k = 0; k < NLE; k++) {
			char lb[LABEL_MAX + 64];

			snprintf(lb, sizeof(lb), "%s,le=\"%.9g\"", e->labels,
				 (double)((1ULL << (LE_FIRST + k)) - 1) / 1e9);
			sample(m, "benchtrace_function_duration_seconds_bucket", lb, (double)e->le[k]);
		}
		{
			char lb[LABEL_MAX + 64];

			snprintf(lb, sizeof(lb), "%s,le=\"+Inf\"", e->labels);
			sample(m, "benchtrace_function_duration_seconds_bucket", lb, (double)e->calls);
		}
		sample(m, "benchtrace_function_duration_seconds_count", e->labels, (double)e->calls);
		sample(m, "benchtrace_function_duration_seconds_sum", e->labels,
		       (double)e->total_ns / 1e9);
	}
	m->nfuncs = 0;

	family(m, "benchtrace_lost_events", "counter", NULL,
	       "Events and rows lost (full ring buffers or maps).");
	sample(m, "benchtrace_lost_events_total", m->common, (double)lost);
	family(m, "benchtrace_sample_time_seconds", "gauge", "seconds",
	       "The run's clock (t_s of samples.csv) when these figures were read.");
	sample(m, "benchtrace_sample_time_seconds", m->common, t_s);
	getrusage(RUSAGE_SELF, &ru);
	family(m, "benchtrace_self_cpu_seconds", "counter", "seconds", "benchtrace's own CPU time.");
	sample(m, "benchtrace_self_cpu_seconds_total", m->common,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	st = fopen("/proc/self/statm", "re");
	if (st) {
		if (fscanf(st, "%*u %lu", &rss_pages) != 1)
			rss_pages = 0;
		fclose(st);
	}
	family(m, "benchtrace_self_rss_bytes", "gauge", "bytes", "benchtrace's own RSS.");
	sample(m, "benchtrace_self_rss_bytes", m->common,
	       (double)rss_pages * (double)sysconf(_SC_PAGESIZE));
	bprintf(&m->om, "# EOF\n");

	om = malloc(m->om.len + 1);
	prom = malloc(m->prom.len + 1);
	if (!om || !prom || !m->om.p || !m->prom.p) {
		free(om);
		free(prom);
		return;
	}
	memcpy(om, m->om.p, m->om.len + 1);
	memcpy(prom, m->prom.p, m->prom.len + 1);
	pthread_mutex_lock(&m->lock);
	free(m->text_om);
	free(m->text_prom);
	m->text_om = om;
	m->len_om = m->om.len;
	m->text_prom = prom;
	m->len_prom = m->prom.len;
	pthread_mutex_unlock(&m->lock);
	/* a scrape saw the peaks so far: start again from here */
	if (__atomic_exchange_n(&m->scraped, 0, __ATOMIC_SEQ_CST))
		for (i = 0; i < m->nslots; i++)
			m->procs[i].peak = m->procs[i].v.rss_bytes;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code, const char *type,
			     const char *body, size_t len)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	static const char index_html[] =
	    "<html><body><a href=\"/metrics\">benchtrace metrics</a></body></html>\n";
	static int first;
	struct metrics *m = cls;
	const char *accept;
	enum MHD_Result ret;
	bool om;

	(void)version;
	(void)upload;
	if (strcmp(method, "GET"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", 9);
	if (!*state) { /* headers read: the body, if any, comes next */
		*state = &first;
		return MHD_YES;
	}
	if (*upload_size)
		return MHD_NO; /* a GET has no body: drop the connection */
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html", index_html, sizeof(index_html) - 1);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10);
	accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept && strstr(accept, "application/openmetrics-text");
	pthread_mutex_lock(&m->lock);
	if (om && m->text_om)
		ret = reply(c, MHD_HTTP_OK,
			    "application/openmetrics-text; version=1.0.0; charset=utf-8",
			    m->text_om, m->len_om);
	else if (m->text_prom)
		ret = reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
			    m->text_prom, m->len_prom);
	else
		ret = reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", "no sample yet\n", 14);
	pthread_mutex_unlock(&m->lock);
	__atomic_store_n(&m->scraped, 1, __ATOMIC_SEQ_CST);
	return ret;
}

static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[128] = "127.0.0.1";
	const char *colon = strrchr(addr, ':');
	char *end;
	long port;

	if (colon) {
		size_t n = colon - addr;

		if (addr[0] == '[' && n >= 2 && addr[n - 1] == ']')
			snprintf(host, sizeof(host), "%.*s", (int)(n - 2), addr + 1);
		else
			snprintf(host, sizeof(host), "%.*s", (int)n, addr);
		addr = colon + 1;
	}
	errno = 0;
	port = strtol(addr, &end, 10);
	if (errno || end == addr || *end || port < 0 || port > 65535)
		return -EINVAL;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)port);
		*len = sizeof(*in);
		*v6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*in6);
		*v6 = true;
		return 0;
	}
	return -EINVAL;
}

int metrics__start(struct metrics **out, const char *addr, const char *host, const char *run,
		   char *err, size_t errlen)
{
	char h[128], r[256];
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	struct metrics *m;
	socklen_t slen;
	bool v6;

	*out = NULL;
	if (parse_addr(addr, &ss, &slen, &v6)) {
		snprintf(err, errlen,
			 "--metrics '%s': want PORT or ADDRESS:PORT (127.0.0.1:9464, [::1]:9464)",
			 addr);
		return -EINVAL;
	}
	if (mhd_load()) {
		snprintf(err, errlen, "--metrics: %s", mhd_lib.err);
		return -ELIBACC;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	prom_escape(h, sizeof(h), host);
	prom_escape(r, sizeof(r), run);
	snprintf(m->common, sizeof(m->common), "host=\"%s\",run=\"%s\"", h, r);
	/*
	 * poll(), not MHD_USE_AUTO's epoll: with epoll, libmicrohttpd 0.9.75
	 * at times noticed a client that hung up mid-request only at the idle
	 * timeout, so its slot (and the per-address limit) stayed taken 5 s
	 * after it went (test_metrics' slowloris test, 1 run in 3).  A handful
	 * of connections costs poll() nothing.
	 */
	m->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
				    (v6 ? MHD_USE_IPv6 : 0),
				0, NULL, NULL, handle, m, MHD_OPTION_SOCK_ADDR, &ss,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)8,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)5,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_END);
	if (!m->d) {
		snprintf(err, errlen, "--metrics '%s': cannot listen there (%s)", addr,
			 errno ? strerror(errno) : "address in use or not local");
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -EADDRINUSE;
	}
	info = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_BIND_PORT);
	m->port = info ? info->port : 0;
	(void)slen;
	*out = m;
	return 0;
}

int metrics__port(const struct metrics *m)
{
	return m ? m->port : 0;
}

void metrics__stop(struct metrics *m)
{
	if (!m)
		return;
	MHD_stop_daemon(m->d);
	pthread_mutex_destroy(&m->lock);
	free(m->text_om);
	free(m->text_prom);
	free(m->om.p);
	free(m->prom.p);
	free(m->procs);
	free(m);
}
