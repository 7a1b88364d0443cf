// SPDX-License-Identifier: GPL-2.0
/*
 * cxx_calls N: C++ names and exceptions for --uprobe tests.  Calls
 * bt::Trainer::step(int) N times; every 10th call throws, so N/10 calls
 * leave by an exception and never return.  Also calls the overloads
 * bt::scale(int) and bt::scale(double) N times each.
 */
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace bt {

struct Trainer {
	long total = 0;
	__attribute__((noinline)) int step(int i);
};

__attribute__((noinline)) int Trainer::step(int i)
{
	if (i % 10 == 9)
		throw std::runtime_error("step failed");
	total += i;
	return i;
}

__attribute__((noinline)) long scale(int v)
{
	return v * 2L;
}

__attribute__((noinline)) double scale(double v)
{
	return v * 2.0;
}

} // namespace bt

int main(int argc, char **argv)
{
	bt::Trainer t;
	long n = argc > 1 ? std::atol(argv[1]) : 100, thrown = 0, i;
	double d = 0;

	for (i = 0; i < n; i++) {
		try {
			t.step((int)i);
		} catch (const std::exception &) {
			thrown++;
		}
		d += bt::scale((int)i) + bt::scale((double)i);
	}
	std::printf("steps %ld thrown %ld sum %.0f\n", n, thrown, d);
	return 0;
}
