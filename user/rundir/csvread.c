// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the run directory's CSV files (csvread.h), plain or gzip, whole
 * into a table or streamed row by row.  One job: an RFC 4180 state machine
 * with a fast path for unquoted lines, its arena, and the reader thread
 * that inflates gzip ahead of it all share struct csv_parser, and its
 * limits (row length, file size, cut-off last rows) are checked in one
 * place; the fuzz harness (tests/fuzz/fuzz_csv.c) drives it whole.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "rundir/csvread.h"
#include "rundir/safefile.h"
#include "util/log.h"
#include "util/parse.h"

/*
 * All field text lives in one arena, NUL-terminated; cells are 32-bit offsets
 * into it (half the memory of pointers for million-row calls.csv files),
 * which is why the text limit stays below 4 GiB.  Row -1 is the header.
 */
struct csv_table {
	char *text;
	size_t text_len, text_cap;
	__u32 *cell;
	size_t ncell, cell_cap;
	int cols;
	int rows;
	int truncated;
	long stream_rows;
};

enum csv_state {
	ST_FIELD_START,
	ST_UNQUOTED,
	ST_QUOTED,
	ST_QUOTE_SEEN, /* a '"' inside a quoted field: closing, or the first of "" */
};

struct csv_parser {
	struct csv_table *t;
	const char *path;
	char *err;
	size_t errlen;
	size_t max_bytes, max_field;
	bool require_newline;

	/* Streaming: each row goes to fn, then the arena is cut back to the header. */
	csv_row_fn fn;
	void *ctx;
	const char **fields;	 /* the row's field pointers, then the header's */
	const char *fields_text; /* the arena the header pointers point into */
	size_t hdr_ncell, hdr_text;

	enum csv_state state;
	bool quoted;	    /* the current field was quoted */
	bool in_record;	    /* a byte of the current record was seen */
	bool skip_lf;	    /* a CR ended the record: the LF of CRLF is not a blank line */
	bool prev_cr;	    /* for line numbers: a lone CR ends a line too */
	int nfields;	    /* completed fields in the current record */
	size_t field_start; /* arena offset of the current field */
	size_t rec_ncell;   /* rollback point for a dropped last row */
	size_t rec_text;
	unsigned long line;	  /* physical line of the byte being read, 1-based */
	unsigned long rec_line;	  /* line where the current record started */
	unsigned long quote_line; /* line where the current quoted field opened */
	bool failed;
};

static void __attribute__((format(printf, 2, 3)))
csv_error(struct csv_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	if (!p->err || !p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
}

static bool text_reserve(struct csv_parser *p, size_t extra)
{
	struct csv_table *t = p->t;
	size_t cap;
	char *text;

	if (t->text_cap - t->text_len >= extra)
		return true;
	/* Offsets are 32-bit; max_bytes is capped accordingly, this is a backstop. */
	if (t->text_len + extra > UINT32_MAX) {
		csv_error(p, "%s: more than 4 GiB of CSV text", p->path);
		return false;
	}
	cap = t->text_cap ? t->text_cap : 64 * 1024;
	while (cap - t->text_len < extra)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if (cap > (size_t)UINT32_MAX + 1)
		cap = (size_t)UINT32_MAX + 1;
	text = realloc(t->text, cap);
	if (!text) {
		csv_error(p, "%s: out of memory", p->path);
		return false;
	}
	t->text = text;
	t->text_cap = cap;
	return true;
}

static bool field_putc(struct csv_parser *p, char c)
{
	struct csv_table *t = p->t;

	if (t->text_len - p->field_start >= p->max_field) {
		csv_error(p, "%s:%lu: field longer than %zu bytes", p->path, p->line, p->max_field);
		return false;
	}
	if (!text_reserve(p, 1))
		return false;
	t->text[t->text_len++] = c;
	return true;
}

/* A run of ordinary bytes in one go: the fast path for most of a file. */
static bool field_append(struct csv_parser *p, const char *src, size_t len)
{
	struct csv_table *t = p->t;

	if (t->text_len - p->field_start + len > p->max_field) {
		csv_error(p, "%s:%lu: field longer than %zu bytes", p->path, p->line, p->max_field);
		return false;
	}
	if (!text_reserve(p, len))
		return false;
	memcpy(t->text + t->text_len, src, len);
	t->text_len += len;
	return true;
}

/* Room for n more cells. */
static bool cell_reserve(struct csv_parser *p, size_t n)
{
	struct csv_table *t = p->t;
	size_t cap = t->cell_cap ? t->cell_cap : 1024;
	__u32 *cell;

	if (t->cell_cap - t->ncell >= n)
		return true;
	while (cap - t->ncell < n) {
		if (cap > SIZE_MAX / 2 / sizeof(*cell)) {
			csv_error(p, "%s: out of memory", p->path);
			return false;
		}
		cap *= 2;
	}
	cell = realloc(t->cell, cap * sizeof(*cell));
	if (!cell) {
		csv_error(p, "%s: out of memory", p->path);
		return false;
	}
	t->cell = cell;
	t->cell_cap = cap;
	return true;
}

static bool field_end(struct csv_parser *p)
{
	struct csv_table *t = p->t;
	size_t len = t->text_len - p->field_start;
	char *f;

	if (t->cols && p->nfields >= t->cols) {
		csv_error(p, "%s:%lu: more fields than the header's %d", p->path, p->rec_line,
			  t->cols);
		return false;
	}
	if (!t->cols && p->nfields >= CSV_MAX_COLS) {
		csv_error(p, "%s:%lu: more than %d columns in the header", p->path, p->rec_line,
			  CSV_MAX_COLS);
		return false;
	}
	/*
	 * Undo out__csv_strn()'s defusing: it always quotes what it prefixes.
	 * (f only now: an empty first field has no arena yet, and NULL + 0 is
	 * undefined.)
	 */
	f = len >= 2 ? t->text + p->field_start : NULL;
	if (p->quoted && f && f[0] == '\'' && memchr("=+-@\t\r'", f[1], 7)) {
		memmove(f, f + 1, len - 1);
		t->text_len--;
	}
	if (!text_reserve(p, 1))
		return false;
	t->text[t->text_len++] = '\0';

	if (!cell_reserve(p, 1))
		return false;
	t->cell[t->ncell++] = (__u32)p->field_start;
	p->nfields++;
	p->field_start = t->text_len;
	p->state = ST_FIELD_START;
	p->quoted = false;
	return true;
}

static void record_reset(struct csv_parser *p)
{
	p->nfields = 0;
	p->in_record = false;
	p->state = ST_FIELD_START;
	p->quoted = false;
	p->rec_ncell = p->t->ncell;
	p->rec_text = p->t->text_len;
	p->field_start = p->t->text_len;
}

/* Hand the record just completed (the header when row is -1) to the callback. */
static bool record_emit(struct csv_parser *p, long row)
{
	struct csv_table *t = p->t;
	struct csv_row r = {
	    .cols = t->cols,
	    .field = p->fields,
	    .header = p->fields + t->cols,
	    .row = row,
	    .line = p->rec_line,
	    .path = p->path,
	    .parser = p,
	};
	const __u32 *cell = t->cell + p->rec_ncell;
	const char **f = p->fields;
	int i;

	for (i = 0; i < t->cols; i++)
		f[i] = t->text + cell[i];
	/* The header's pointers follow; the arena may have moved since they were set. */
	if (row < 0 || p->fields_text != t->text) {
		for (i = 0; i < t->cols; i++)
			f[t->cols + i] = t->text + t->cell[i];
		p->fields_text = t->text;
	}
	if (p->fn(&r, p->ctx) && !p->failed)
		csv_error(p, "%s:%lu: stopped", p->path, p->rec_line);
	return !p->failed;
}

/* After the record's last field_end(): check, count or stream, reset. */
static bool record_finish(struct csv_parser *p)
{
	struct csv_table *t = p->t;

	if (!t->cols) {
		t->cols = p->nfields;
		if (p->fn) {
			p->fields = calloc(2 * (size_t)t->cols, sizeof(*p->fields));
			if (!p->fields) {
				csv_error(p, "%s: out of memory", p->path);
				return false;
			}
			if (!record_emit(p, -1))
				return false;
			p->hdr_ncell = t->ncell;
			p->hdr_text = t->text_len;
		}
	} else if (p->fn) {
		if (p->nfields != t->cols) {
			csv_error(p, "%s:%lu: %d field%s, header has %d", p->path, p->rec_line,
				  p->nfields, p->nfields == 1 ? "" : "s", t->cols);
			return false;
		}
		if (!record_emit(p, t->stream_rows++))
			return false;
		t->ncell = p->hdr_ncell;
		t->text_len = p->hdr_text;
	} else if (p->nfields != t->cols) {
		csv_error(p, "%s:%lu: %d field%s, header has %d", p->path, p->rec_line, p->nfields,
			  p->nfields == 1 ? "" : "s", t->cols);
		return false;
	} else if (t->rows == INT_MAX) {
		csv_error(p, "%s:%lu: too many rows", p->path, p->rec_line);
		return false;
	} else {
		t->rows++;
	}
	record_reset(p);
	return true;
}

static bool record_end(struct csv_parser *p)
{
	return field_end(p) && record_finish(p);
}

static void record_drop(struct csv_parser *p)
{
	p->t->ncell = p->rec_ncell;
	p->t->text_len = p->rec_text;
	p->t->truncated++;
	record_reset(p);
}

static bool parse_byte(struct csv_parser *p, char c)
{
	if (p->prev_cr && c != '\n')
		p->line++;
	p->prev_cr = c == '\r';
	if (p->skip_lf) {
		p->skip_lf = false;
		if (c == '\n') {
			p->line++;
			return true;
		}
	}
	if (c == '\0') {
		csv_error(p, "%s:%lu: NUL byte (not a CSV text file?)", p->path, p->line);
		return false;
	}
	if (!p->in_record) {
		p->rec_line = p->line;
		p->in_record = c != '\r' && c != '\n'; /* else a blank line: skipped */
		if (!p->in_record) {
			p->skip_lf = c == '\r';
			if (c == '\n')
				p->line++;
			return true;
		}
	}

	switch (p->state) {
	case ST_FIELD_START:
		if (c == '"') {
			p->state = ST_QUOTED;
			p->quoted = true;
			p->quote_line = p->line;
			return true;
		}
		if (c == ',')
			return field_end(p);
		if (c == '\r' || c == '\n')
			break;
		p->state = ST_UNQUOTED;
		return field_putc(p, c);
	case ST_UNQUOTED:
		if (c == ',')
			return field_end(p);
		if (c == '\r' || c == '\n')
			break;
		if (c == '"') {
			csv_error(p, "%s:%lu: quote inside an unquoted field", p->path, p->line);
			return false;
		}
		return field_putc(p, c);
	case ST_QUOTED:
		if (c == '"') {
			p->state = ST_QUOTE_SEEN;
			return true;
		}
		if (c == '\n')
			p->line++;
		return field_putc(p, c);
	case ST_QUOTE_SEEN:
		if (c == '"') {
			p->state = ST_QUOTED;
			return field_putc(p, c);
		}
		if (c == ',')
			return field_end(p);
		if (c == '\r' || c == '\n')
			break;
		csv_error(p, "%s:%lu: text after the closing quote of a field", p->path, p->line);
		return false;
	}

	/* End of the record: c is CR or LF. */
	if (!record_end(p))
		return false;
	p->skip_lf = c == '\r';
	if (c == '\n')
		p->line++;
	return true;
}

/* Bytes that end a run of field text, inside and outside quotes. */
static bool is_special(unsigned char c, bool quoted)
{
	return c == '"' || c == '\n' || c == '\r' || c == '\0' || (!quoted && c == ',');
}

/*
 * The fast path for the common line: whole in the buffer, without a quote,
 * CR or NUL.  It is copied into the arena in one go and split at its commas
 * there, with the checks field_end() makes (field length, column count) and
 * the same record_finish(); a few times faster than the byte by byte path on
 * calls.csv files of millions of rows.  1: done; 0: not such a line (nothing
 * changed); -1: error.
 */
static const unsigned char byte_class[256] = {[','] = 1, ['"'] = 2, ['\r'] = 2, ['\0'] = 2};

static int parse_line_fast(struct csv_parser *p, const char *line, size_t len)
{
	struct csv_table *t = p->t;
	size_t j, start, max_cols = t->cols ? (size_t)t->cols : CSV_MAX_COLS;
	size_t ncell0 = t->ncell, text0 = t->text_len;
	char *dst;
	int nf = 0;

	if (!text_reserve(p, len + 1) || !cell_reserve(p, len + 2))
		return -1;
	/* One pass, one table look-up per byte: 1 for a comma, 2 for what needs the slow path. */
	dst = t->text + t->text_len;
	start = 0;
	for (j = 0; j < len; j++) {
		unsigned char c = (unsigned char)line[j];

		dst[j] = (char)c;
		if (__builtin_expect(!byte_class[c], 1))
			continue;
		if (byte_class[c] == 2)
			goto slow;
		dst[j] = '\0';
		if ((size_t)nf + 1 >= max_cols)
			goto slow; /* let the byte path report it, with its message */
		t->cell[t->ncell++] = (__u32)(text0 + start);
		if (j - start > p->max_field)
			goto slow;
		nf++;
		start = j + 1;
	}
	if (len - start > p->max_field)
		goto slow;
	dst[len] = '\0';
	t->cell[t->ncell++] = (__u32)(text0 + start);
	t->text_len = text0 + len + 1;
	p->nfields = nf + 1;
	p->rec_line = p->line;
	p->in_record = true;
	if (!record_finish(p))
		return -1;
	p->line++;
	return 1;
slow:
	t->ncell = ncell0;
	t->text_len = text0;
	return 0;
}

static bool parse_chunk(struct csv_parser *p, const char *buf, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (!p->in_record && !p->prev_cr && !p->skip_lf && p->state == ST_FIELD_START) {
			const char *nl = memchr(buf + i, '\n', n - i);
			int r;

			if (nl && nl > buf + i) {
				r = parse_line_fast(p, buf + i, (size_t)(nl - (buf + i)));
				if (r < 0)
					return false;
				if (r > 0) {
					i = (size_t)(nl - buf) + 1;
					continue;
				}
			}
		}
		/* Inside a field, with no line-end bookkeeping pending: copy the run. */
		if ((p->state == ST_UNQUOTED || p->state == ST_QUOTED) && !p->prev_cr &&
		    !p->skip_lf) {
			bool quoted = p->state == ST_QUOTED;
			size_t j = i;

			while (j < n && !is_special((unsigned char)buf[j], quoted))
				j++;
			if (j > i) {
				if (!field_append(p, buf + i, j - i))
					return false;
				i = j;
				continue;
			}
		}
		if (!parse_byte(p, buf[i]))
			return false;
		i++;
	}
	return true;
}

/* At end of input: a cut-off last row is dropped, not an error. */
static bool parse_eof(struct csv_parser *p)
{
	struct csv_table *t = p->t;

	if (!p->in_record)
		return true;
	if (p->state == ST_QUOTED) {
		if (p->quote_line != p->line) {
			csv_error(p, "%s:%lu: unterminated quoted field", p->path, p->quote_line);
			return false;
		}
		record_drop(p);
		return true;
	}
	if (!field_end(p))
		return false;
	if (!t->cols || (p->fn && p->nfields == t->cols && !p->require_newline)) {
		/* A header without a newline (a file with no rows), or a streamed last row. */
		return record_finish(p);
	}
	if (p->nfields == t->cols && !p->require_newline) {
		if (t->rows == INT_MAX) {
			csv_error(p, "%s:%lu: too many rows", p->path, p->rec_line);
			return false;
		}
		t->rows++;
		record_reset(p);
		return true;
	}
	record_drop(p);
	return true;
}

static gzFile csv_open(const char *path, char *err, size_t errlen)
{
	gzFile gz;
	int fd;

	fd = safefile__open(path, 0, 0, NULL, err, errlen);
	if (fd < 0)
		return NULL;
	gz = gzdopen(fd, "rb");
	if (!gz) {
		snprintf(err, errlen, "cannot read '%s': out of memory", path);
		close(fd);
		return NULL;
	}
	gzbuffer(gz, 128 * 1024);
	return gz;
}

/*
 * Where the bytes come from.  For streaming, gunzip runs in a thread of its
 * own, a few chunks ahead of the parser: on two CPUs a 10-million-row
 * calls.csv.gz is parsed in the time it takes to decompress it.
 */
#define SRC_NBUF 4
/* Small in the fuzzing build (Makefile FUZZ_CFLAGS): its inputs then cross chunk boundaries. */
#ifndef CSV_SRC_CHUNK
#define CSV_SRC_CHUNK (256 * 1024)
#endif
#define SRC_CHUNK CSV_SRC_CHUNK

struct chunk {
	char *data;
	int n; /* bytes; 0 at the end; -1 on error */
	int zerr, errnum;
	char msg[96];
};

struct gzsrc {
	gzFile gz;
	bool threaded, holding, stop;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct chunk c[SRC_NBUF];
	unsigned int head, tail; /* chunks produced, consumed */
};

static void chunk_fill(gzFile gz, struct chunk *c)
{
	c->n = gzread(gz, c->data, SRC_CHUNK);
	if (c->n < 0) {
		const char *msg = gzerror(gz, &c->zerr);

		c->errnum = errno;
		snprintf(c->msg, sizeof(c->msg), "%s", msg ? msg : "?");
	}
}

static void *src_thread(void *arg)
{
	struct gzsrc *s = arg;
	struct chunk *c;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->head - s->tail == SRC_NBUF && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->stop) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		c = &s->c[s->head % SRC_NBUF];
		pthread_mutex_unlock(&s->mu);
		chunk_fill(s->gz, c);
		pthread_mutex_lock(&s->mu);
		s->head++;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		if (c->n <= 0)
			break;
	}
	return NULL;
}

/* 0 or -ENOMEM; takes gz. */
static int src_open(struct gzsrc *s, gzFile gz, bool threaded)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->gz = gz;
	for (i = 0; i < (threaded ? SRC_NBUF : 1); i++) {
		s->c[i].data = malloc(SRC_CHUNK);
		if (!s->c[i].data)
			return -ENOMEM;
	}
	if (!threaded)
		return 0;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	/* No thread, no harm: read in this one. */
	s->threaded = pthread_create(&s->th, NULL, src_thread, s) == 0;
	if (!s->threaded) {
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	return 0;
}

/* The next chunk; the previous one is handed back to the reader thread. */
static struct chunk *src_next(struct gzsrc *s)
{
	struct chunk *c;

	if (!s->threaded) {
		chunk_fill(s->gz, &s->c[0]);
		return &s->c[0];
	}
	pthread_mutex_lock(&s->mu);
	if (s->holding) {
		s->tail++;
		s->holding = false;
		pthread_cond_broadcast(&s->cv);
	}
	while (s->head == s->tail)
		pthread_cond_wait(&s->cv, &s->mu);
	c = &s->c[s->tail % SRC_NBUF];
	s->holding = true;
	pthread_mutex_unlock(&s->mu);
	return c;
}

static void src_close(struct gzsrc *s)
{
	int i;

	if (s->threaded) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	for (i = 0; i < SRC_NBUF; i++)
		free(s->c[i].data);
	gzclose(s->gz);
}

/*
 * The read loop shared by csv_table__load_opts() and csv_stream__read(): with
 * fn NULL every row stays in the table, else each goes to fn and the table
 * keeps only the header.
 */
static struct csv_table *csv_read(const char *path, const struct csv_opts *opts, csv_row_fn fn,
				  void *ctx, char *err, size_t errlen)
{
	static const struct csv_opts defaults;
	struct csv_parser p = {
	    .path = path,
	    .err = err,
	    .errlen = errlen,
	    .line = 1,
	    .rec_line = 1,
	    .fn = fn,
	    .ctx = ctx,
	};
	char dummy[1];
	size_t total = 0;
	bool eof = false, first = true;
	struct gzsrc src;
	gzFile gz;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
		p.err = NULL;
	}
	if (!opts)
		opts = &defaults;
	if (fn) {
		/* Memory stays at one row whatever the file's size. */
		p.max_bytes = opts->max_bytes ? opts->max_bytes : SIZE_MAX;
	} else {
		p.max_bytes = opts->max_bytes ? opts->max_bytes : CSV_DEFAULT_MAX_BYTES;
		if (p.max_bytes > UINT32_MAX - 16)
			p.max_bytes = UINT32_MAX - 16;
	}
	p.max_field = opts->max_field ? opts->max_field : CSV_DEFAULT_MAX_FIELD;
	p.require_newline = opts->require_newline;
	gz = csv_open(path, err, errlen);
	if (!gz)
		return NULL;
	p.t = calloc(1, sizeof(*p.t));
	if (src_open(&src, gz, fn != NULL) || !p.t) {
		csv_error(&p, "%s: out of memory", path);
		goto out;
	}

	while (!eof && !p.failed) {
		struct chunk *c = src_next(&src);
		const char *buf = c->data;
		int n = c->n;
		int i = 0;

		if (n < 0) {
			/* Z_BUF_ERROR: the gzip stream stops early, as after a crash. */
			if (c->zerr == Z_BUF_ERROR) {
				eof = true;
				break;
			}
			if (c->zerr == Z_ERRNO)
				csv_error(&p, "%s: read error: %s", path, strerror(c->errnum));
			else
				csv_error(&p, "%s: corrupt gzip data (%s)", path, c->msg);
			break;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		total += (size_t)n;
		if (total > p.max_bytes) {
			csv_error(&p, "%s: more than %zu bytes of CSV text (the limit)", path,
				  p.max_bytes);
			break;
		}
		/* Excel and friends start UTF-8 CSV with a byte order mark. */
		if (first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		first = false;
		parse_chunk(&p, buf + i, (size_t)(n - i));
	}
	if (!p.failed)
		parse_eof(&p);
	if (!p.failed && !p.t->cols)
		csv_error(&p, "%s: empty file (no header line)", path);

out:
	src_close(&src);
	free(p.fields);
	if (p.failed) {
		csv_table__free(p.t);
		return NULL;
	}
	return p.t;
}

struct csv_table *csv_table__load_opts(const char *path, const struct csv_opts *opts, char *err,
				       size_t errlen)
{
	return csv_read(path, opts, NULL, NULL, err, errlen);
}

long csv_stream__read(const char *path, const struct csv_opts *opts, csv_row_fn fn, void *ctx,
		      int *truncated, char *err, size_t errlen)
{
	struct csv_table *t;
	long rows;

	if (!fn) {
		if (err && errlen)
			snprintf(err, errlen, "%s: no row callback", path);
		return -1;
	}
	t = csv_read(path, opts, fn, ctx, err, errlen);
	if (!t)
		return -1;
	if (truncated)
		*truncated = t->truncated;
	rows = t->stream_rows;
	csv_table__free(t);
	return rows;
}

void csv_row__error(const struct csv_row *row, const char *fmt, ...)
{
	struct csv_parser *p = row->parser;
	va_list ap;

	va_start(ap, fmt);
	log_error_at(p->err, p->errlen, &p->failed, p->path, row->line, fmt, ap);
	va_end(ap);
}

int csv_row__col(const struct csv_row *row, const char *name)
{
	int i;

	for (i = 0; i < row->cols; i++)
		if (strcmp(row->header[i], name) == 0)
			return i;
	return -1;
}

struct csv_table *csv_table__load(const char *path, char *err, size_t errlen)
{
	return csv_table__load_opts(path, NULL, err, errlen);
}

void csv_table__free(struct csv_table *t)
{
	if (!t)
		return;
	free(t->text);
	free(t->cell);
	free(t);
}

int csv_table__rows(const struct csv_table *t)
{
	return t->rows;
}

int csv_table__cols(const struct csv_table *t)
{
	return t->cols;
}

int csv_table__truncated(const struct csv_table *t)
{
	return t->truncated;
}

const char *csv_table__header(const struct csv_table *t, int col)
{
	if (col < 0 || col >= t->cols)
		return NULL;
	return t->text + t->cell[col];
}

int csv_table__col(const struct csv_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->cols; i++)
		if (strcmp(t->text + t->cell[i], name) == 0)
			return i;
	return -1;
}

const char *csv_table__get(const struct csv_table *t, int row, int col)
{
	if (row < 0 || row >= t->rows || col < 0 || col >= t->cols)
		return NULL;
	return t->text + t->cell[((size_t)row + 1) * (size_t)t->cols + (size_t)col];
}

int csv_table__get_u64(const struct csv_table *t, int row, int col, __u64 *out)
{
	const char *s = csv_table__get(t, row, col);

	if (!s)
		return -EINVAL;
	return parse_u64(s, 0, UINT64_MAX, out);
}

__u64 csv_table__u64(const struct csv_table *t, int row, int col)
{
	__u64 v;

	return csv_table__get_u64(t, row, col, &v) ? 0 : v;
}

double csv_table__f64(const struct csv_table *t, int row, int col)
{
	const char *s = csv_table__get(t, row, col);
	char *end;
	double v;

	/* strtod() skips leading white space; a field with it is not a number. */
	if (!s || !*s || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return NAN;
	v = strtod(s, &end);
	if (*end)
		return NAN;
	return v;
}
