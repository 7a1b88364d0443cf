// SPDX-License-Identifier: GPL-2.0
/*
 * parse_u64(), parse_fixed() and parse_pid(): the numbers of options
 * (--max-procs), of CSV fields and of SUDO_UID.  Checked against strtoull()
 * on what both must accept: plain decimal digits.
 *
 * Input: one byte choosing decimals and bounds, then the text.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/parse.h"

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int decimals;
	__u64 v = 7, min, max, ref;
	char *s, *end;
	pid_t pid = 7;
	int ret;

	if (!size)
		return 0;
	decimals = data[0] % 21; /* 20: one past the limit, refused */
	min = data[0] & 0x80 ? 0 : 1;
	max = data[0] & 0x40 ? UINT64_MAX : 4194304;
	s = fuzz_str(data + 1, size - 1);

	errno = 0;
	ref = strtoull(s, &end, 10);
	ret = parse_u64(s, min, max, &v);
	if (all_digits(s)) {
		bool range = errno != ERANGE && ref >= min && ref <= max;

		if (range ? ret || v != ref : ret != -ERANGE)
			abort();
	} else if (ret != -EINVAL) {
		abort();
	}

	ret = parse_pid(s, &pid);
	if (!ret && (pid < 1 || pid > BT_PID_MAX))
		abort();
	if (ret && pid != 7)
		abort();

	v = 7;
	ret = parse_fixed(s, decimals, &v);
	if (ret != 0 && ret != -EINVAL && ret != -ERANGE)
		abort();
	if (!ret && decimals == 0 && (!all_digits(s) || v != ref))
		abort();
	if (ret && v != 7)
		abort();
	free(s);
	return 0;
}
