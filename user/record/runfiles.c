// SPDX-License-Identifier: GPL-2.0
/*
 * A run's files: the logs (samples, events, calls, functions) in the run
 * directory, flushed each second, checked for a failed write each round,
 * finished whole rows and all, and the disk space set aside at the start so
 * that a full disk still leaves finished files (SPEC: stop, finalise what
 * was written, report it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "record/calls.h"
#include "record/eventlog.h"
#include "record/runfiles.h"
#include "record/runstate.h"
#include "record/proctable.h"
#include "record/sampler.h"
#include "rundir/fscred.h"
#include "rundir/out.h"
#include "rundir/rundir.h"
#include "util/log.h"

static struct out *open_log(struct run *r, const char *base, const char *header)
{
	char name[64];
	struct out *o;
	int fd;

	snprintf(name, sizeof(name), "%s%s", base, r->opts->gzip ? ".gz" : "");
	/* --no-logs: written as ever, kept nowhere */
	fd = r->opts->no_logs ? open("/dev/null", O_WRONLY | O_CLOEXEC) : rundir__open(r->rd, name, 0);
	if (fd < 0) {
		warn("cannot create %s/%s: %s", rundir__path(r->rd), name, strerror(-fd));
		return NULL;
	}
	o = out__open_fd(fd, r->opts->gzip);
	if (!o) {
		close(fd);
		return NULL;
	}
	out__puts(o, header);
	out__puts(o, "\n");
	return o;
}

struct log_file {
	struct out **o;
	const char *name;
};

#define NLOGS 5

/* The logs, in the order they are checked: into lf[NLOGS], returns how many. */
static int log_files(struct run *r, struct log_file *lf)
{
	lf[0] = (struct log_file){&r->samples, "samples.csv"};
	lf[1] = (struct log_file){&r->events, "events.csv"};
	lf[2] = (struct log_file){&r->calls_out, "calls.csv"};
	lf[3] = (struct log_file){&r->functions_out, "functions.csv"};
	lf[4] = (struct log_file){&r->processes_out, "processes.csv"};
	return NLOGS;
}

/* "writing DIR/NAME[.gz]: what" as the run's error, unless one is set. */
static void log_error(struct run *r, const char *name, int err)
{
	if (r->error[0])
		return;
	snprintf(r->error, sizeof(r->error), "writing %s/%s%s: %s", rundir__path(r->rd), name,
		 r->opts->gzip ? ".gz" : "", strerror(-err));
}

/* A write to a log failed (the error is sticky, so one check finds it). */
int runfiles__check(struct run *r)
{
	struct log_file lf[NLOGS];
	int i, n = log_files(r, lf), e;

	for (i = 0; i < n; i++) {
		if (!*lf[i].o)
			continue;
		e = out__error(*lf[i].o);
		if (e) {
			log_error(r, lf[i].name, e);
			return -EIO;
		}
	}
	return 0;
}

int runfiles__flush(struct run *r)
{
	struct log_file lf[NLOGS];
	int i, n = log_files(r, lf);

	for (i = 0; i < n; i++)
		if (*lf[i].o)
			out__flush(*lf[i].o);
	return runfiles__check(r);
}

/*
 * End each log and close it.  After a failed write a log was cut back to its
 * last whole row (out.h); the row counts in meta.json then say what is there.
 */
void runfiles__finish(struct run *r)
{
	struct log_file lf[NLOGS];
	int i, n = log_files(r, lf), e;
	__u64 rows;

	for (i = 0; i < n; i++) {
		struct out *o = *lf[i].o;

		if (!o)
			continue;
		e = out__finish(o);
		rows = out__lines(o) ? out__lines(o) - 1 : 0; /* less the header */
		if (e) {
			log_error(r, lf[i].name, e);
			if (o == r->samples)
				r->sample_rows = (__s64)rows;
			else if (o == r->calls_out)
				r->calls.rows = rows;
		}
		e = out__close(o);
		if (e)
			log_error(r, lf[i].name, e);
		*lf[i].o = NULL;
	}
	if (r->error[0])
		r->outcome = BT_TRACER_ERROR;
}

/*
 * A disk that fills up while tracing must still leave finished files
 * (SPEC: stop, finalise what was written, report it).  meta.json gets its
 * own reservation (rundir__reserve()); this hidden file holds room for the
 * rest that is written at the end -- functions.csv and what the logs still
 * buffer -- and is deleted just before.
 */
#define LOGS_RESERVE ".logs.reserve"
/*
 * a block for each log's last rows, and processes.csv's start (it is
 * written at the end); what does not fit is cut back to whole rows
 * (out.h), which needs no room at all
 */
#define LOGS_TAIL_RESERVE (NLOGS * 4096 + 64 * 1024)
/* the final meta.json's fields beyond the first one's */
#define META_END_RESERVE (16 * 1024)

static off_t logs_reserve_bytes(const struct run *r)
{
	off_t n = LOGS_TAIL_RESERVE + 4096;
	int i;

	for (i = 0; i < r->probes.n; i++)
		n += 192 + 6 * (strlen(r->probes.p[i].func) + strlen(r->probes.p[i].binary));
	/* Python functions are named while the run goes on */
	if (r->py.nspecs)
		n += BT_PY_SLOTS * (192 + 6 * BT_PY_NAME_LEN);
	return n;
}

static int reserve_space(struct run *r)
{
	int fd = rundir__open(r->rd, LOGS_RESERVE, 0), err;

	if (fd < 0)
		return fd;
	err = posix_fallocate(fd, 0, logs_reserve_bytes(r));
	close(fd);
	if (err) {
		unlinkat(rundir__dirfd(r->rd), LOGS_RESERVE, 0);
		return -err;
	}
	return 0;
}

void runfiles__release_space(struct run *r)
{
	if (r->rd)
		unlinkat(rundir__dirfd(r->rd), LOGS_RESERVE, 0);
}

/*
 * A reservation that failed: no room is a refusal (the run could not end
 * properly); a file system that cannot reserve at all only loses the
 * guarantee.  Returns the error to refuse with, or 0.
 */
static int reserve_failed(struct run *r, int err)
{
	if (err == -ENOSPC || err == -EDQUOT || err == -EFBIG) {
		warn("no room for the run's files in %s: %s (free some space or choose "
		     "another -o)",
		     rundir__path(r->rd), strerror(-err));
		return err;
	}
	info("cannot set space aside in %s (%s): a full disk may cut meta.json short",
	     rundir__path(r->rd), strerror(-err));
	return 0;
}

int runfiles__reserve_meta(struct run *r)
{
	struct stat st;
	int ret;

	if (fstatat(rundir__dirfd(r->rd), "meta.json", &st, AT_SYMLINK_NOFOLLOW))
		ret = -errno;
	else
		ret = rundir__reserve(r->rd, "meta.json", st.st_size + META_END_RESERVE);
	return ret ? reserve_failed(r, ret) : 0;
}

int runfiles__setup(struct run *r)
{
	char err[512];
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	struct fscred fc = {};
	int ret;

	/*
	 * Under sudo the files belong to the user who asked for them, and the
	 * directory is made where that user could make it (fscred.h).
	 */
	if (!r->opts->no_chown && fscred__sudo_user(&uid, &gid)) {
		ret = fscred__enter(&fc, uid, gid, err, sizeof(err));
		if (ret) {
			warn("%s", err);
			return ret;
		}
	}
	if (r->opts->no_logs) {
		/* a scratch directory for meta.json and the like, gone at the end */
		const char *tmp = getenv("TMPDIR");

		snprintf(r->scratch, sizeof(r->scratch), "%s/benchtrace-live-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(r->scratch)) {
			warn("--no-logs: cannot make a scratch directory: %s", strerror(errno));
			r->scratch[0] = 0;
			fscred__leave(&fc);
			return -errno;
		}
		snprintf(r->scratch_run, sizeof(r->scratch_run), "%s/run", r->scratch);
	}
	r->rd = rundir__create(r->opts->no_logs ? r->scratch_run : r->opts->output, uid, gid, err,
			       sizeof(err));
	fscred__leave(&fc);
	if (!r->rd) {
		warn("%s", err);
		return -EEXIST;
	}
	r->samples = open_log(r, "samples.csv", samples_header);
	r->events = open_log(r, "events.csv", events_header);
	r->processes_out = open_log(r, "processes.csv", processes_header);
	if (!r->samples || !r->events || !r->processes_out)
		return -EIO;
	if (r->tracing_calls) {
		r->calls_out = open_log(r, "calls.csv", calls_header);
		r->functions_out = open_log(r, "functions.csv", functions_header);
		if (!r->calls_out || !r->functions_out)
			return -EIO;
	}
	ret = reserve_space(r);
	if (ret && reserve_failed(r, ret))
		return ret;
	/* headers on disk now: a run cut short still has parseable files */
	if (runfiles__flush(r)) {
		warn("%s", r->error);
		return -EIO;
	}
	return 0;
}

/* Nothing started: leave no run directory pretending to be a run. */
void runfiles__discard(struct run *r)
{
	runfiles__release_space(r);
	out__close(r->samples);
	out__close(r->events);
	out__close(r->calls_out);
	out__close(r->functions_out);
	out__close(r->processes_out);
	r->samples = r->events = r->calls_out = r->functions_out = r->processes_out = NULL;
	rundir__discard(r->rd);
	r->rd = NULL;
}
