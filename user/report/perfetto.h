/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.json (--perfetto): a run directory in Chrome's Trace Event Format,
 * for ui.perfetto.dev and chrome://tracing.
 *
 * Made at the end of a run from the finished CSV files rather than while
 * tracing: the hot path stays as it is, and the same code converts any
 * run directory.  What goes in, all with ts in microseconds since the run's
 * start (t_s 0):
 * - per traced call (calls.csv), an "X" complete event on its thread, the
 *   call's resources as args;
 * - per process (samples.csv), "C" counter tracks: CPU %, RSS and its
 *   per-interval peak, read and write bytes/s;
 * - exec, fork, exit and oom_kill (events.csv) as process-scoped "i" instants;
 * - "M" metadata naming processes (their comm) and threads.
 */
#ifndef BT_PERFETTO_H
#define BT_PERFETTO_H

#include <stddef.h>

struct out;
struct rundir;

#define PERFETTO_FILE "trace.json"

/*
 * Read samples.csv, events.csv and calls.csv (if there is one) from the
 * run directory dir, each plain or .gz, and write the trace to o, which the
 * caller closes.  calls.csv is streamed: memory grows with the number of
 * processes and threads, not of calls.  Returns 0 or a negative errno with
 * a one-line message in err.
 */
int perfetto__convert(const char *dir, struct out *o, char *err, size_t errlen);

/* The same into a new trace.json in rd (never over an existing file). */
int perfetto__write(struct rundir *rd, char *err, size_t errlen);

/* `benchtrace perfetto RUN_DIR`: exit status 0, 1 or 2 (usage). */
int perfetto__main(int argc, char **argv);

#endif /* BT_PERFETTO_H */
