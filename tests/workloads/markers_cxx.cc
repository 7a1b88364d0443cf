// SPDX-License-Identifier: GPL-2.0
/*
 * markers_cxx N: include/benchtrace.h from C++: N iterations of the loop
 * "epoch" with one step "work", each inside a span "scope" opened and
 * closed by an RAII guard.
 */
#include <cstdio>
#include <cstdlib>
#include "benchtrace.h"

namespace {
struct span_guard {
	span_guard() { BT_SPAN_BEGIN("scope"); }
	~span_guard() { BT_SPAN_END("scope"); }
};
volatile unsigned long sink;
} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: markers_cxx N\n");
		return 2;
	}
	long n = std::atol(argv[1]);
	for (long i = 0; i < n; i++) {
		span_guard g;
		BT_ITER_BEGIN("epoch");
		BT_STEP("epoch", "work");
		for (int j = 0; j < 1000; j++)
			sink = sink + j;
		BT_ITER_END("epoch");
	}
	return 0;
}
