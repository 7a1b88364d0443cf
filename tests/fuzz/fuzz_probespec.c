// SPDX-License-Identifier: GPL-2.0
/*
 * probe_spec__parse(), for --uprobe SPEC: on success WHERE and FUNC are
 * what the text held on each side of the separator, FUNC is never empty,
 * and is_lib is set exactly for a WHERE without '/'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "record/probespec.h"

static struct probe_spec ps;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), err[256];
	size_t wl, fl;
	int ret;

	ret = probe_spec__parse(s, &ps, err, sizeof(err));
	if (ret) {
		if (ret != -EINVAL || !err[0])
			abort();
		free(s);
		return 0;
	}
	wl = strlen(ps.where);
	fl = strlen(ps.func);
	if (!fl || fl >= sizeof(ps.func) || wl >= sizeof(ps.where))
		abort();
	if (wl ? wl + 1 + fl != strlen(s) || memcmp(s, ps.where, wl) || s[wl] != ':' ||
		     strcmp(s + wl + 1, ps.func)
	       : strcmp(s, ps.func))
		abort();
	if (ps.is_lib != (wl && !strchr(ps.where, '/')))
		abort();
	free(s);
	return 0;
}
