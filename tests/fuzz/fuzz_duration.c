// SPDX-License-Identifier: GPL-2.0
/*
 * parse_duration() (-i, -d, --min-duration) and format_duration(), which
 * must read each other back: whatever parses, formats to a string that
 * parses to the same number of nanoseconds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[DURATION_STRLEN];
	__u64 ns = 0xdeadbeef, back = 0;
	int ret, n;

	ret = parse_duration(s, &ns);
	if (ret != 0 && ret != -EINVAL && ret != -ERANGE)
		abort();
	if (ret) {
		if (ns != 0xdeadbeef) /* written only on success */
			abort();
		free(s);
		return 0;
	}
	if (!ns)
		abort();
	n = format_duration(ns, buf, sizeof(buf));
	if (n <= 0 || (size_t)n != strlen(buf))
		abort();
	if (parse_duration(buf, &back) || back != ns)
		abort();
	/* A buffer one byte short is refused, not overrun. */
	if (format_duration(ns, buf, (size_t)n) != -ENOSPC || buf[0])
		abort();
	free(s);
	return 0;
}
