// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 4180 CSV reader for benchtrace's own run files (`benchtrace report`,
 * tests).  Reads .csv and .csv.gz alike (zlib detects gzip by its magic).
 *
 * What it accepts: one header row; fields quoted or not; quoted fields with
 * commas, doubled quotes, CR and LF inside; CRLF, LF or lone CR line ends; a
 * leading UTF-8 BOM; blank lines, which are skipped (as pandas does).
 * It undoes out__csv_str()'s formula defusing: a *quoted* field that starts
 * with ' followed by one of = + - @ TAB CR ' loses that first '.
 *
 * What it refuses, with "PATH:LINE: what": a quote inside an unquoted field,
 * text after a closing quote, a row with a different number of fields than
 * the header, a NUL byte, a field or file over the limits, corrupt gzip data,
 * and an unterminated quoted field that spans lines.
 *
 * A crashed run leaves a file cut off anywhere.  The last line, when it has
 * no newline and fewer fields than the header (or an unterminated quote on
 * that same line), is dropped and counted in csv_table__truncated(), not an
 * error; so is a gzip stream without its trailer.  A last line cut inside its
 * last field still has all its fields and cannot be told apart from a
 * complete one unless opts.require_newline is set: benchtrace ends every row
 * with a newline, so for its own files a missing one means a cut.
 *
 * The files may be planted by another user (report runs as root on user
 * files): the path is opened without following a symlink, only regular files
 * are read, and sizes are bounded (decompressed, against gzip bombs).
 */
#ifndef BT_CSVREAD_H
#define BT_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define CSV_DEFAULT_MAX_BYTES (1ULL << 30) /* 1 GiB of CSV text */
#define CSV_DEFAULT_MAX_FIELD (1U << 20)   /* 1 MiB per field */
#define CSV_MAX_COLS	      4096

struct csv_opts {
	size_t max_bytes;     /* CSV text read (after gunzip); 0: default; capped below 4 GiB */
	size_t max_field;     /* bytes in one field; 0: default */
	bool require_newline; /* a last line without '\n' is always a truncated row */
};

struct csv_table;

/* NULL on error with a one-line message in err (if errlen > 0). */
struct csv_table *csv_table__load(const char *path, char *err, size_t errlen);
struct csv_table *csv_table__load_opts(const char *path, const struct csv_opts *opts, char *err,
				       size_t errlen);
void csv_table__free(struct csv_table *t);

int csv_table__rows(const struct csv_table *t); /* data rows, header excluded */
int csv_table__cols(const struct csv_table *t);
int csv_table__truncated(const struct csv_table *t); /* rows dropped at a cut-off end */

/* Index of the first column with this header name, or -1. */
int csv_table__col(const struct csv_table *t, const char *name);
/* NULL when col is out of range. */
const char *csv_table__header(const struct csv_table *t, int col);
/* The field's text (never NULL in range, "" when empty); NULL out of range. */
const char *csv_table__get(const struct csv_table *t, int row, int col);

/* 0 or -EINVAL (out of range, empty) / -ERANGE, via parse_u64(). */
int csv_table__get_u64(const struct csv_table *t, int row, int col, __u64 *out);
/* Convenience: the value, or 0 when the field is empty, out of range or not a number. */
__u64 csv_table__u64(const struct csv_table *t, int row, int col);
/* The value, or NAN when the field is empty, out of range or not a number. */
double csv_table__f64(const struct csv_table *t, int row, int col);

/*
 * Streaming: the same parser and checks, but each row is handed to a
 * callback and forgotten, so a file of any size is read in constant memory
 * (calls.csv of a long run has millions of rows).  No byte limit unless
 * opts->max_bytes sets one.
 *
 * The callback is called once with the header (row == -1, field == header)
 * and then once per data row.  The pointers are valid only during the call.
 * Returning non-zero stops the read; call csv_row__error() first to say why
 * (else the message is "PATH:LINE: stopped").
 */
struct csv_row {
	int cols;
	const char *const *field;  /* cols fields */
	const char *const *header; /* cols header names */
	long row;		   /* 0-based data row; -1 for the header */
	unsigned long line;	   /* physical line the row starts on, 1-based */
	const char *path;
	void *parser;
};
typedef int (*csv_row_fn)(const struct csv_row *row, void *ctx);

/*
 * Rows read (a cut-off last row is dropped and counted in *truncated, which
 * may be NULL), or -1 with a one-line message in err.
 */
long csv_stream__read(const char *path, const struct csv_opts *opts, csv_row_fn fn, void *ctx,
		      int *truncated, char *err, size_t errlen);
/* Fail the read with "PATH:LINE: " and the message. */
void csv_row__error(const struct csv_row *row, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Index of the first column with this header name, or -1. */
int csv_row__col(const struct csv_row *row, const char *name);

#endif /* BT_CSVREAD_H */
