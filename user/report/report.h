// SPDX-License-Identifier: GPL-2.0
/*
 * `benchtrace report RUN_DIR... [-o FILE]`: one self-contained report.html
 * (inline SVG, no scripts, no network) and a summary table on stdout.
 *
 * Every input is read as untrusted: files are opened without following
 * symlinks, malformed rows are errors that name the file and line, names
 * from the traced program are escaped, and a run cut off by a killed tracer
 * gives a report with a warning rather than an error.
 */
#ifndef BT_REPORT_H
#define BT_REPORT_H

#include <stdio.h>

struct report_opts {
	const char *const *dirs;
	int ndirs;
	const char *output; /* NULL: DIR/report.html of the first run */
	int nside_a; /* > 0: dirs[0..nside_a) are side A, the rest side B */
};

/* 0, or -1 with a one-line message in err. The summary goes to summary. */
int report__generate(const struct report_opts *opts, FILE *summary, char *err, size_t errlen);

/* argv[0] is "report"; returns the exit status: 0, 1 on error, 2 usage. */
int report__main(int argc, char **argv);

#endif /* BT_REPORT_H */
