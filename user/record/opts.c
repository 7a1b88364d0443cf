// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record/opts.h"
#include "util/log.h"
#include "record/python.h"
#include "util/parse.h"

enum {
	OPT_USER = 256,
	OPT_NO_CHILDREN,
	OPT_NO_CHOWN,
	OPT_MAX_PROCS,
	OPT_MAX_THREADS,
	OPT_MIN_DURATION,
	OPT_PERFETTO,
	OPT_BTF,
	OPT_KILL_COMMAND,
	OPT_USDT,
	OPT_METRICS,
	OPT_NO_LOGS,
};

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "all", no_argument, NULL, 'a' },
	{ "output", required_argument, NULL, 'o' },
	{ "interval", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, 'd' },
	{ "gzip", no_argument, NULL, 'z' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "user", required_argument, NULL, OPT_USER },
	{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
	{ "no-chown", no_argument, NULL, OPT_NO_CHOWN },
	{ "max-procs", required_argument, NULL, OPT_MAX_PROCS },
	{ "max-threads", required_argument, NULL, OPT_MAX_THREADS },
	{ "uprobe", required_argument, NULL, 'u' },
	{ "usdt", required_argument, NULL, OPT_USDT },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "no-logs", no_argument, NULL, OPT_NO_LOGS },
	{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
	{ "perfetto", no_argument, NULL, OPT_PERFETTO },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "kill-command", no_argument, NULL, OPT_KILL_COMMAND },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{}
};

void opts__usage(FILE *f)
{
	fprintf(f,
		"Usage: benchtrace [OPTIONS] -p PID[,PID...]     trace running processes\n"
		"       benchtrace [OPTIONS] -- COMMAND [ARG...]  run COMMAND and trace it\n"
		"       benchtrace [OPTIONS] -a                    trace every process\n"
		"       benchtrace functions BINARY|-p PID [GLOB]  what --uprobe can attach to\n"
		"       benchtrace functions SCRIPT.py [py:GLOB]   its Python functions\n"
		"       benchtrace report [-o FILE] RUN_DIR...     HTML report of recorded runs\n"
		"       benchtrace perfetto RUN_DIR                trace.json of a recorded run\n"
		"\n"
		"Records per-process CPU time, run-queue wait, context switches, RSS (with\n"
		"every peak), page faults and storage I/O, counted in the kernel with BPF.\n"
		"\n"
		"Options:\n"
		"  -p, --pid PID[,PID...] trace these running processes (all their threads,\n"
		"                         and the children they start from now on)\n"
		"  -a, --all              trace every process on the machine\n"
		"  -o, --output DIR       run directory (default benchtrace-YYYYmmdd-HHMMSS);\n"
		"                         an existing non-empty directory is refused\n"
		"  -i, --interval DUR     sampling interval, or 'auto' (default): 10ms,\n"
		"                         doubling every 1000 samples up to 10s\n"
		"  -d, --duration DUR     stop tracing after DUR (the target keeps running)\n"
		"  -u, --uprobe SPEC      time every call of a function, with the CPU, waits,\n"
		"                         faults, memory and I/O it used (repeatable): FUNC,\n"
		"                         BINARY:FUNC or LIB:FUNC (libc:malloc); FUNC may be a\n"
		"                         glob (train_*); default binary: the target's program\n"
		"      --usdt SPEC        every firing of a USDT probe, [BINARY:]PROVIDER:NAME\n"
		"                         (globs; default binary: the target's program), as an\n"
		"                         event with its arguments (numbers; \"text\" where one\n"
		"                         points to a string); X__start with X__done (or\n"
		"                         __entry, __return) also timed as span usdt:PROV:X;\n"
		"                         benchtrace.h marks in the target's program are\n"
		"                         timed without it\n"
		"      --min-duration DUR calls.csv rows only for calls at least DUR long\n"
		"                         (0: every call; functions.csv counts every call)\n"
		"  -z, --gzip             write the CSV logs gzip-compressed (*.csv.gz)\n"
		"      --metrics ADDR     serve the figures for Prometheus while tracing, at\n"
		"                         http://ADDR/metrics (PORT alone: 127.0.0.1:PORT)\n"
		"      --no-logs          with --metrics: keep no files (a live agent)\n"
		"      --perfetto         also write trace.json (Chrome Trace Event Format,\n"
		"                         for ui.perfetto.dev and chrome://tracing)\n"
		"      --user USER        run COMMAND as USER (default under sudo: the\n"
		"                         invoking user)\n"
		"      --no-children      do not follow children of traced processes\n"
		"      --no-chown         under sudo, make the run directory as root and leave\n"
		"                         it root's (default: as the invoking user, theirs)\n"
		"      --max-procs N      processes tracked at once (default 4096)\n"
		"      --max-threads N    threads tracked at once (default 65536)\n"
		"      --btf FILE         the kernel's BTF where /sys/kernel/btf is hidden (a\n"
		"                         container): a copy of /sys/kernel/btf/vmlinux taken\n"
		"                         on this kernel; checked against the kernel's own\n"
		"      --kill-command     when tracing stops before the command ends, end it\n"
		"                         too: SIGTERM, then SIGKILL 2 s later\n"
		"  -q, --quiet            no status line and no summary\n"
		"  -v, --verbose          libbpf and diagnostic messages\n"
		"  -h, --help             this help\n"
		"  -V, --version          version\n"
		"\n"
		"DUR is a number with ns, us, ms, s, m or h (bare: seconds), e.g. 500us, 2m.\n"
		"\n"
		"Examples:\n"
		"  benchtrace -- python3 train.py           trace a run, and its children\n"
		"  benchtrace -u py:train_step -- python3 train.py\n"
		"                                           and every call of train_step()\n"
		"  benchtrace -u libc:malloc -p 1234 -d 10s a running process for 10 s\n"
		"  benchtrace -a -i 1s -d 1m -o node1       every process, 1 s rows, 1 min\n"
		"  benchtrace functions ./app 'train_*'     what -u can time in ./app\n"
		"  benchtrace report run1 run2              compare two runs in report.html\n"
		"\n"
		"Each run writes DIR/meta.json, samples.csv, events.csv and processes.csv\n"
		"(calls.csv and functions.csv with -u).  Needs root (CAP_BPF, CAP_PERFMON).\n"
		"See benchtrace(8) and docs/spec.md.\n"
		"\n"
		"Stopping: Ctrl-C, SIGTERM or SIGHUP stops tracing and finalises the run; a\n"
		"second one a second or more later exits at once.  In command mode, Ctrl-C\n"
		"at the terminal reaches the command too, which gets 0.5 s to exit; a signal\n"
		"to benchtrace alone, -d, or a failure of benchtrace's leaves the command\n"
		"running untraced (outcome 'detached', its PID in meta.json), unless\n"
		"--kill-command; a command stopped then (SIGTSTP) is waited for until it\n"
		"continues, as exiting would make the kernel hang it up.  If benchtrace is\n"
		"killed while starting, the command never runs; killed later, it runs on.\n"
		"Exit status: the command's own (128+N if killed by signal N) in command\n"
		"mode, otherwise 0; 1 if benchtrace fails, 2 on a usage error.\n");
}

static int __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn("%s (see benchtrace --help)", msg);
	return 2;
}

/* A well-formed duration that parse_duration() found out of range: is it zero? */
static bool is_zero(const char *arg)
{
	return arg[strcspn(arg, "123456789")] == '\0';
}

static int duration_error(const char *opt, const char *arg, int err, const char *examples)
{
	if (err == -ERANGE && is_zero(arg))
		return usage_error("%s %s: the duration must be more than 0", opt, arg);
	if (err == -ERANGE)
		return usage_error("%s %s: more than the 584 years a duration can be", opt, arg);
	return usage_error("invalid %s duration '%s' (a positive number with ns, us, ms, s, m "
			   "or h, e.g. %s)",
			   opt, arg, examples);
}

static int parse_count(const char *arg, const char *name, __u32 *out)
{
	__u64 v;

	if (parse_u64(arg, 1, 1U << 22, &v))
		return usage_error("invalid %s (a whole number from 1 to 4194304)", name);
	*out = v;
	return 0;
}

int opts__parse(struct opts *o, int argc, char **argv)
{
	int c, ret, i;

	memset(o, 0, sizeof(*o));
	o->max_procs = 4096;
	o->max_threads = 65536;
	o->argc = argc;
	o->argv = argv;
	optind = 0; /* 0, not 1: glibc resets its state in a "-abc" cut short by the last call */
	opterr = 0;
	/* '+': stop at the first non-option, so COMMAND's own flags are its own */
	while ((c = getopt_long(argc, argv, "+:p:ao:i:d:u:zqvhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (o->mode == BT_MODE_PIDS)
				return usage_error("give one -p with a comma-separated list");
			ret = parse_pid_list(optarg, o->pids, BT_MAX_PIDS, &o->npids);
			if (ret == -ERANGE)
				return usage_error("-p %s: PIDs are whole numbers from 1 to %d", optarg,
						   BT_PID_MAX);
			if (ret == -E2BIG)
				return usage_error("-p: more than %d PIDs", BT_MAX_PIDS);
			if (ret)
				return usage_error("invalid PID list '%s' (expected PID[,PID...], "
						   "e.g. -p 1234,5678)",
						   optarg);
			o->mode = BT_MODE_PIDS;
			break;
		case 'a':
			o->mode = BT_MODE_ALL;
			break;
		case 'o':
			if (!*optarg)
				return usage_error("empty output directory name");
			o->output = optarg;
			break;
		case 'i':
			if (!strcmp(optarg, "auto")) {
				o->interval_ns = 0;
				break;
			}
			ret = parse_duration(optarg, &o->interval_ns);
			if (ret)
				return duration_error("-i", optarg, ret, "500us, 10ms, 1s, or auto");
			if (o->interval_ns < 100000)
				return usage_error("interval '%s' is below the 100us minimum",
						   optarg);
			break;
		case 'd':
			ret = parse_duration(optarg, &o->duration_ns);
			if (ret)
				return duration_error("-d", optarg, ret, "30s, 5m, 1h");
			break;
		case 'z':
			o->gzip = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			log_verbose = 1;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case OPT_NO_CHILDREN:
			o->no_children = true;
			break;
		case OPT_NO_CHOWN:
			o->no_chown = true;
			break;
		case OPT_PERFETTO:
			o->perfetto = true;
			break;
		case OPT_BTF:
			if (!*optarg)
				return usage_error("empty --btf file name");
			o->btf = optarg;
			break;
		case OPT_MAX_PROCS:
			if (parse_count(optarg, "--max-procs", &o->max_procs))
				return 2;
			break;
		case OPT_MAX_THREADS:
			if (parse_count(optarg, "--max-threads", &o->max_threads))
				return 2;
			break;
		case 'u':
			if (o->nuprobes == BT_MAX_UPROBES)
				return usage_error("more than %d --uprobe options; use globs",
						   BT_MAX_UPROBES);
			if (!*optarg)
				return usage_error("empty --uprobe (e.g. -u train_step, -u libc:malloc)");
			o->uprobes[o->nuprobes++] = optarg;
			break;
		case OPT_MIN_DURATION:
			/* 0 is every call, as without the option */
			ret = parse_duration(optarg, &o->min_duration_ns);
			if (ret == -ERANGE && is_zero(optarg))
				o->min_duration_ns = 0;
			else if (ret)
				return duration_error("--min-duration", optarg, ret, "100us, 5ms");
			break;
		case OPT_KILL_COMMAND:
			o->kill_command = true;
			break;
		case OPT_METRICS:
			o->metrics = optarg;
			break;
		case OPT_NO_LOGS:
			o->no_logs = true;
			break;
		case OPT_USDT:
			if (o->nusdts == BT_MAX_UPROBES)
				return usage_error("more than %d --usdt options; use globs",
						   BT_MAX_UPROBES);
			if (!strchr(optarg, ':'))
				return usage_error("--usdt '%s': want [BINARY:]PROVIDER:NAME (e.g. "
						   "python:gc__start)",
						   optarg);
			o->usdts[o->nusdts++] = optarg;
			break;
		case 'h':
			opts__usage(stdout);
			return -1;
		case 'V':
			printf("benchtrace %s\n", BT_VERSION);
			return -1;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (o->mode != BT_MODE_NONE)
			return usage_error("%s: give either -p/-a or a command, not both",
					   argv[optind]);
		if (!*argv[optind])
			return usage_error("empty command name");
		o->mode = BT_MODE_COMMAND;
		o->cmd = &argv[optind];
	} else if (optind > 1 && !strcmp(argv[optind - 1], "--") && o->mode == BT_MODE_NONE) {
		return usage_error("no command after '--'");
	}
	if (o->mode == BT_MODE_NONE)
		return usage_error("nothing to trace: give -p PID, -a or -- COMMAND");
	for (i = 0; i < o->nuprobes; i++) {
		if (!python__is_spec(o->uprobes[i]))
			continue;
		if (!o->uprobes[i][strlen(PY_SPEC_PREFIX)])
			return usage_error("empty Python function name in -u py: (e.g. -u py:train_step)");
		if (o->mode != BT_MODE_COMMAND)
			return usage_error(
			    "-u %s: Python functions are timed in a command benchtrace starts "
			    "(benchtrace -u %s -- python3 SCRIPT), whose interpreters load its hook "
			    "when they start: restart the program under benchtrace",
			    o->uprobes[i], o->uprobes[i]);
	}
	if (o->min_duration_ns && !o->nuprobes)
		return usage_error("--min-duration applies to calls traced with --uprobe");
	if (o->no_logs && !o->metrics)
		return usage_error("--no-logs keeps nothing without --metrics");
	if (o->no_logs && (o->output || o->perfetto || o->gzip))
		return usage_error("--no-logs writes no files: drop -o, -z and --perfetto");
	if (o->user && o->mode != BT_MODE_COMMAND)
		return usage_error("--user applies only when benchtrace runs a command");
	if (o->kill_command && o->mode != BT_MODE_COMMAND)
		return usage_error("--kill-command applies only when benchtrace runs a command");
	return 0;
}
