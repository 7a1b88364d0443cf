// SPDX-License-Identifier: GPL-2.0
/*
 * rss_spike MB HOLD_MS PRE_MS POST_MS
 *
 * Sleeps PRE_MS, maps MB MiB of anonymous memory and writes every page,
 * holds it HOLD_MS, unmaps it (so RSS really drops, unlike free() that may
 * keep the pages), then sleeps POST_MS.  With PRE_MS in the middle of a
 * sampling interval and a short hold, no sample sees the spike as a level:
 * only a tracer that follows RSS between samples reports the peak.  Tests
 * compare the largest rss_peak_bytes with the BT_REPORT vmhwm_bytes;
 * spike_start_ns and spike_end_ns (CLOCK_MONOTONIC, before the mmap and
 * after the munmap) tell whether a sample could have seen the spike.
 */
#include <sys/mman.h>
#include "report.h"

int main(int argc, char **argv)
{
	size_t len, off, page = sysconf(_SC_PAGESIZE);
	char extra[256];
	unsigned long long t0, t1;
	char *p;

	if (argc != 5) {
		fprintf(stderr, "usage: rss_spike MB HOLD_MS PRE_MS POST_MS\n");
		return 2;
	}
	len = (size_t)(arg_num(argv[1], "MB") * 1024 * 1024);
	sleep_ns(arg_num(argv[3], "PRE_MS") * 1e6);

	t0 = ts_ns(CLOCK_MONOTONIC);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* Huge pages would make the spike too coarse-grained to be typical. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (off = 0; off < len; off += page)
		p[off] = 1;
	sleep_ns(arg_num(argv[2], "HOLD_MS") * 1e6);
	munmap(p, len);
	t1 = ts_ns(CLOCK_MONOTONIC);

	sleep_ns(arg_num(argv[4], "POST_MS") * 1e6);
	snprintf(extra, sizeof(extra), "spike_bytes %zu\nspike_start_ns %llu\nspike_end_ns %llu\n", len,
		 t0, t1);
	report_write(0, extra);
	return 0;
}
