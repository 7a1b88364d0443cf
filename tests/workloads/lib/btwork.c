// SPDX-License-Identifier: GPL-2.0
/* libbtwork.so: a shared library the tests build, for LIB:FUNC probes. */
volatile unsigned long btwork_sink;

__attribute__((noinline)) unsigned long btwork_step(unsigned long i)
{
	btwork_sink += i;
	return btwork_sink;
}
