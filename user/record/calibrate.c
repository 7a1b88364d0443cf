// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "record/calibrate.h"
#include "record/loader.h"
#include "record/probes.h"

#define BATCHES 7
#define CALLS	100

/* The functions timed, one per kind of pair (the first kind's links stay
 * attached while the second is measured).  Not static: found by name in
 * benchtrace's own symbol table. */
__attribute__((noinline, used)) int bt_calibrate_uretprobe(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

__attribute__((noinline, used)) int bt_calibrate_exit(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Best per-call time of BATCHES batches of CALLS calls. */
static __u64 per_call_ns(int (*fn)(int))
{
	int (*volatile f)(int) = fn;
	__u64 best = ULLONG_MAX, t0, d;
	volatile int sink = 0;
	int b, i;

	for (b = 0; b < BATCHES; b++) {
		t0 = mono_ns();
		for (i = 0; i < CALLS; i++)
			sink += f(i);
		d = (mono_ns() - t0) / CALLS;
		if (d < best)
			best = d;
	}
	(void)sink;
	return best;
}

/* Attach a pair of @exits kind to @func in this process; the probe resolved. */
static int attach_pair(struct tracer *t, const char *self, const char *func, bool exits)
{
	char spec[PATH_MAX + 64], err[1024], *specs[1] = {spec};
	struct probes ps = {};
	const __u64 cookie = 0;
	__u64 *cookies = NULL;
	int ret, i;

	snprintf(spec, sizeof(spec), "%s:%s", self, func);
	ret = probes__resolve(&ps, specs, 1, self, 0, exits, err, sizeof(err));
	if (ret || ps.n != 1 || (exits && !ps.p[0].nexits)) {
		probes__free(&ps);
		return ret ? ret : -ENOENT;
	}
	ret = tracer__attach_probes(t, BT_PROBE_ENTRY, ps.p[0].path, &ps.p[0].offset, &cookie, 1,
				    getpid(), err, sizeof(err));
	if (!ret && !exits)
		ret = tracer__attach_probes(t, BT_PROBE_RETURN, ps.p[0].path, &ps.p[0].offset,
					    &cookie, 1, getpid(), err, sizeof(err));
	if (!ret && exits) {
		cookies = calloc(ps.p[0].nexits, sizeof(*cookies));
		ret = cookies ? 0 : -ENOMEM;
		for (i = 0; !ret && i < ps.p[0].nexits; i++)
			cookies[i] = cookie;
		if (!ret)
			ret = tracer__attach_probes(t, BT_PROBE_EXIT, ps.p[0].path, ps.p[0].exits,
						    cookies, ps.p[0].nexits, getpid(), err,
						    sizeof(err));
	}
	free(cookies);
	probes__free(&ps);
	return ret;
}

static __u64 cost(struct tracer *t, const char *self, const char *name, int (*fn)(int),
		  bool exits)
{
	__u64 bare = per_call_ns(fn), probed;

	if (attach_pair(t, self, name, exits))
		return 0;
	probed = per_call_ns(fn);
	return probed > bare ? probed - bare : 1;
}

int calibrate__probes(struct tracer *t, const struct probes *ps, struct probe_cost *pc)
{
	bool uret = false, exits = false;
	char self[PATH_MAX];
	ssize_t n;
	int i;

	pc->uretprobe_ns = pc->exit_ns = 0;
	for (i = 0; i < ps->n; i++) {
		if (ps->p[i].python)
			continue;
		if (ps->p[i].nexits)
			exits = true;
		else
			uret = true;
	}
	if (!uret && !exits)
		return 0;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -errno;
	self[n] = 0;
	if (uret)
		pc->uretprobe_ns = cost(t, self, "bt_calibrate_uretprobe", bt_calibrate_uretprobe,
					false);
	if (exits)
		pc->exit_ns = cost(t, self, "bt_calibrate_exit", bt_calibrate_exit, true);
	return (uret && !pc->uretprobe_ns) || (exits && !pc->exit_ns) ? -ENOENT : 0;
}

__u64 calibrate__cost_of(const struct probe_cost *pc, const struct probes *ps, int i)
{
	if (ps->p[i].python)
		return 0;
	return ps->p[i].nexits ? pc->exit_ns : pc->uretprobe_ns;
}
