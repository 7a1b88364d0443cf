// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV reader (user/rundir/csvread.c) as `benchtrace report` and --perfetto use
 * it on files another user may have written: whole tables and streaming,
 * plain text and gzip.
 *
 * Input: one flag byte, then the file.  Flags:
 *   0x01  gzip-compress the file first (the decoder sees a valid stream)
 *   0x02  then cut the compressed stream (a crashed run's .csv.gz): the
 *         cut point is the second byte
 *   0x04  stream rows (csv_stream__read) instead of loading the table
 *   0x08  opts.require_newline
 *   0x10  small limits (max_field 16, max_bytes 256) to reach their errors
 *   0x20  the callback stops the read at row 3 with csv_row__error()
 * Without 0x01 the bytes are written as they are, so a fuzzed file that
 * starts with the gzip magic exercises the decoder on corrupt streams.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz.h"
#include "rundir/csvread.h"

static volatile double sink;

struct ctx {
	int cols;
	long rows;
	bool stop;
};

static int row_cb(const struct csv_row *row, void *arg)
{
	struct ctx *c = arg;
	int i;

	if (row->row < 0) {
		c->cols = row->cols;
		if (row->cols < 1)
			abort();
	} else if (row->cols != c->cols || row->row != c->rows++) {
		abort();
	}
	for (i = 0; i < row->cols; i++)
		sink += strlen(row->field[i]) + strlen(row->header[i]);
	if (csv_row__col(row, row->header[0]) != 0)
		abort();
	if (c->stop && row->row == 3) {
		csv_row__error(row, "stopped at %ld", row->row);
		return 1;
	}
	return 0;
}

static void table(const char *path, const struct csv_opts *o)
{
	char err[256];
	struct csv_table *t = csv_table__load_opts(path, o, err, sizeof(err));
	int r, c;

	if (!t) {
		if (!err[0])
			abort();
		return;
	}
	if (csv_table__cols(t) < 1 || csv_table__rows(t) < 0 || csv_table__truncated(t) < 0)
		abort();
	for (c = 0; c < csv_table__cols(t); c++) {
		const char *h = csv_table__header(t, c);

		if (!h || csv_table__col(t, h) > c)
			abort();
	}
	for (r = 0; r < csv_table__rows(t); r++) {
		for (c = 0; c < csv_table__cols(t); c++) {
			__u64 v;

			if (!csv_table__get(t, r, c))
				abort();
			sink += csv_table__f64(t, r, c) + (double)csv_table__u64(t, r, c);
			(void)csv_table__get_u64(t, r, c, &v);
		}
		if (csv_table__get(t, r, csv_table__cols(t)) || csv_table__get(t, r, -1))
			abort();
	}
	if (csv_table__get(t, csv_table__rows(t), 0) || csv_table__header(t, -1))
		abort();
	csv_table__free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_opts o = {0};
	char path[512], err[256];
	unsigned char flags;

	if (size < 2)
		return 0;
	flags = data[0];
	if (flags & 0x08)
		o.require_newline = true;
	if (flags & 0x10) {
		o.max_field = 16;
		o.max_bytes = 256;
	}
	if ((flags & 0x03) == 0x03) {
		/* Compress, then keep only a prefix of the stream. */
		uLongf n = compressBound(size) + 32;
		unsigned char *gz = malloc(n);
		z_stream z = {0};

		if (!gz || deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)data + 2;
		z.avail_in = (uInt)(size - 2);
		z.next_out = gz;
		z.avail_out = (uInt)n;
		if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			abort();
		n = z.total_out;
		deflateEnd(&z);
		fuzz_write("input", gz, n * data[1] / 256, false);
		free(gz);
	} else {
		fuzz_write("input", data + 1, size - 1, flags & 0x01);
	}
	fuzz_path(path, sizeof(path), "input");
	if (flags & 0x04) {
		struct ctx c = {.stop = flags & 0x20};
		int trunc = -1;
		long rows = csv_stream__read(path, &o, row_cb, &c, &trunc, err, sizeof(err));

		if (rows < 0 ? !err[0] : rows != c.rows || trunc < 0)
			abort();
	} else {
		table(path, &o);
	}
	return 0;
}
