// SPDX-License-Identifier: GPL-2.0
/*
 * exit_with CODE
 *
 * Exits with status CODE (0..255): for the exit-status and outcome tests.
 */
#include "report.h"

int main(int argc, char **argv)
{
	double code;

	if (argc != 2) {
		fprintf(stderr, "usage: exit_with CODE\n");
		return 2;
	}
	code = arg_num(argv[1], "CODE");
	if (code > 255) {
		fprintf(stderr, "CODE must be 0..255\n");
		return 2;
	}
	report_write(0, NULL);
	return (int)code;
}
