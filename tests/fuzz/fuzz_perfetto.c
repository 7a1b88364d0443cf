// SPDX-License-Identifier: GPL-2.0
/*
 * --perfetto's converter (user/report/perfetto.c): it reads the run directory's
 * CSV files at the end of a run, as root, after its user could have
 * rewritten them.  The trace goes to /dev/null.
 *
 * Input: a run directory as fuzz_rundir() splits it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "report/perfetto.h"
#include "rundir/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_rundir(data, size);
	char err[512] = "";
	struct out *o;
	int fd, ret;

	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		abort();
	o = out__open_fd(fd, false);
	if (!o)
		abort();
	ret = perfetto__convert(dir, o, err, sizeof(err));
	if (ret && !err[0])
		abort();
	if (ret && getenv("FUZZ_VERBOSE")) /* why an input is refused */
		fprintf(stderr, "perfetto: %s\n", err);
	out__close(o);
	return 0;
}
