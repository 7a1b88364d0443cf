/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BT_TEST_FILTER=GLOB runs only the cmocka tests whose names match
 * (`make test T=test_python:test_mpi*`, tests/run-tests).  Include after
 * <cmocka.h>; call before running the group.
 */
#ifndef BT_FILTER_H
#define BT_FILTER_H

#include <stdlib.h>

static inline void bt_test_filter(void)
{
	const char *f = getenv("BT_TEST_FILTER");

	if (f && *f)
		cmocka_set_test_filter(f);
}

#endif /* BT_FILTER_H */
