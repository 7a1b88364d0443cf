// SPDX-License-Identifier: GPL-2.0
/*
 * many [ROUNDS]: 160 functions fn_000 .. fn_159, each called ROUNDS times
 * (default 1), for a glob that matches more than a hundred functions.
 */
#include <stdlib.h>

static volatile unsigned long sink;

#define FN(n)                                                                                      \
	__attribute__((noinline)) void fn_##n(void)                                                \
	{                                                                                          \
		sink += 1;                                                                         \
	}
#define FN10(t)                                                                                    \
	FN(t##0) FN(t##1) FN(t##2) FN(t##3) FN(t##4) FN(t##5) FN(t##6) FN(t##7) FN(t##8) FN(t##9)
FN10(00) FN10(01) FN10(02) FN10(03) FN10(04) FN10(05) FN10(06) FN10(07)
FN10(08) FN10(09) FN10(10) FN10(11) FN10(12) FN10(13) FN10(14) FN10(15)

#define CALL(n) fn_##n();
#define CALL10(t)                                                                                  \
	CALL(t##0) CALL(t##1) CALL(t##2) CALL(t##3) CALL(t##4) CALL(t##5) CALL(t##6) CALL(t##7)    \
	CALL(t##8) CALL(t##9)

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 1, i;

	for (i = 0; i < rounds; i++) {
		CALL10(00) CALL10(01) CALL10(02) CALL10(03) CALL10(04) CALL10(05) CALL10(06)
		CALL10(07) CALL10(08) CALL10(09) CALL10(10) CALL10(11) CALL10(12) CALL10(13)
		CALL10(14) CALL10(15)
	}
	return 0;
}
