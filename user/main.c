// SPDX-License-Identifier: GPL-2.0
/*
 * benchtrace: per-process resource time series from outside the process.
 * A dispatcher: `functions` is elf/functions.c, `report` report/report.c,
 * anything else a recording (record/opts.c parses it, record/run.c runs it).
 * docs/architecture.md maps the rest of user/.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "elf/functions.h"
#include "record/opts.h"
#include "record/run.h"
#include "report/perfetto.h"
#include "report/report.h"
#include "util/log.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG || !log_verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* `benchtrace help [functions|report]`: the same as --help of each. */
static int help(int argc, char **argv)
{
	char *h[] = {argv[1], "--help", NULL};

	if (argc < 3) {
		opts__usage(stdout);
		return 0;
	}
	if (!strcmp(argv[2], "functions"))
		return functions__main(2, h);
	if (!strcmp(argv[2], "report"))
		return report__main(2, h);
	if (!strcmp(argv[2], "perfetto"))
		return perfetto__main(2, h);
	fprintf(stderr, "benchtrace: no help on '%s': try 'benchtrace help', "
			"'benchtrace help functions', 'benchtrace help report' or 'benchtrace help perfetto'\n",
		argv[2]);
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "help"))
		return help(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "functions"))
		return functions__main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report__main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "perfetto"))
		return perfetto__main(argc - 1, argv + 1);
	ret = opts__parse(&o, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
	libbpf_set_print(libbpf_print);
	return run__main(&o);
}
