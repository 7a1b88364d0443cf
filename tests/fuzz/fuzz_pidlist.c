// SPDX-License-Identifier: GPL-2.0
/*
 * parse_pid_list(), for -p 1,2,3: on success every PID is in range, listed
 * once and present in the text; the count never exceeds max.
 *
 * Input: one byte for max (0..255, or BT_MAX_PIDS-sized when 255), then the text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/parse.h"

#define CAP 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pid_t pids[CAP + 1];
	int max, n = -1, ret, i, j;
	char *s, *copy, *tok, *save;

	if (!size)
		return 0;
	max = data[0] == 255 ? CAP : data[0];
	s = fuzz_str(data + 1, size - 1);
	pids[max] = -12345; /* guard: never written */
	ret = parse_pid_list(s, pids, max, &n);
	if (pids[max] != -12345)
		abort();
	if (ret) {
		if ((ret != -EINVAL && ret != -ERANGE && ret != -E2BIG) || n != -1)
			abort();
		free(s);
		return 0;
	}
	if (n < 1 || n > max)
		abort();
	for (i = 0; i < n; i++) {
		if (pids[i] < 1 || pids[i] > BT_PID_MAX)
			abort();
		for (j = 0; j < i; j++)
			if (pids[i] == pids[j])
				abort();
	}
	/* Each element is a PID that parse_pid() takes and that is in the list. */
	copy = strdup(s);
	if (!copy)
		abort();
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		pid_t p;

		if (parse_pid(tok, &p))
			abort();
		for (j = 0; j < n && pids[j] != p; j++)
			;
		if (j == n)
			abort();
	}
	free(copy);
	free(s);
	return 0;
}
