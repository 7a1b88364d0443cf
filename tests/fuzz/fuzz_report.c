// SPDX-License-Identifier: GPL-2.0
/*
 * `benchtrace report RUN_DIR`, which root may run over a run directory its
 * user can write: the whole of report__generate(), so the run loader
 * (user/report/report_load.c: meta.json, samples/events/functions/calls.csv, plain
 * or gzip) and the page written from what it read (user/report/report.c, svg.c).
 *
 * Input: a run directory as fuzz_rundir() splits it ("@@ meta.json\n{...}
 * \n@@ samples.csv\n...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *summary;
	char out[512], err[512] = "";
	const char *dir = fuzz_rundir(data, size);
	const char *dirs[1] = {dir};
	struct report_opts o = {.dirs = dirs, .ndirs = 1, .output = out};

	if (!summary && !(summary = fopen("/dev/null", "w")))
		abort();
	fuzz_path(out, sizeof(out), "report.html");
	if (report__generate(&o, summary, err, sizeof(err))) {
		if (!err[0])
			abort();
		if (getenv("FUZZ_VERBOSE")) /* why an input is refused */
			fprintf(stderr, "report: %s\n", err);
	}
	return 0;
}
