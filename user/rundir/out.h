// SPDX-License-Identifier: GPL-2.0
/*
 * Buffered output stream for the run-directory files: plain or gzip, whole
 * rows on disk.  Escaping is escape.h, the JSON writer json.h, both on top.
 *
 * Errors are sticky: the first failed write (ENOSPC, EIO, ...) is kept, every
 * later write is dropped, and out__flush(), out__error() and out__close()
 * report it as a negative errno.  Writers can therefore emit a whole row
 * without checking each call and check once per flush.
 *
 * A failed write also cuts a regular file back to its last whole line, so a
 * disk that fills up mid-row leaves only complete rows.  A gzip file is cut
 * back to its last sync point and still ends as a complete gzip stream
 * (gzip -t passes).  A sync point is made at each out__flush() and each
 * time the 64 KiB buffer is handed on (after its last whole line): a sync
 * flush, then the 10-byte end of the stream written after it, which later
 * data overwrites, so cutting back to it needs no new disk block.  Costs
 * about 0.2% of compression.
 */
#ifndef BT_OUT_H
#define BT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define OUT_BUF_SIZE   (64 * 1024)
#define JSON_MAX_DEPTH 16

struct out;

/*
 * Takes ownership of fd on success (out__close() closes it); on failure
 * returns NULL with errno set and the caller still owns fd.  With gzip the
 * stream is a gzip member, written through zlib.
 */
struct out *out__open_fd(int fd, bool gzip);

/*
 * Hand everything buffered to the kernel.  With gzip this is a Z_SYNC_FLUSH,
 * so a crash after it still leaves a file that decompresses up to here.
 * Costs a few bytes of compression each time: call it about once a second.
 */
int out__flush(struct out *o);

/* out__flush() and fsync(): survives a power loss. */
int out__sync(struct out *o);

/*
 * Flush and end the stream (the gzip trailer); nothing is written after it.
 * 0 or the sticky error.  out__close() does it if it was not done.
 */
int out__finish(struct out *o);

/*
 * Complete lines that reached the fd (gzip: went into the compressed stream)
 * -- after a failed write, those the file was cut back to.  After
 * out__finish(), the lines in the file.
 */
__u64 out__lines(const struct out *o);

/* out__finish(), close the fd, free; returns the sticky error. */
int out__close(struct out *o);

/* 0 or the first error as a negative errno. */
int out__error(const struct out *o);

void out__write(struct out *o, const void *data, size_t len);
void out__putc(struct out *o, char c);
void out__puts(struct out *o, const char *s);
void out__printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out__u64(struct out *o, __u64 v);
void out__s64(struct out *o, __s64 v);

/*
 * Fixed-point decimal without floating point: value is a number with
 * `scale` implied decimals, printed with `decimals` decimals, rounded half
 * up when decimals < scale.  out__fixed(o, 1234567890, 9, 6) prints
 * "1.234568".  scale and decimals are at most 19.
 */
void out__fixed(struct out *o, __u64 value, unsigned int scale, unsigned int decimals);

/*
 * The t_s column: ns as seconds with microsecond precision, rounded to the
 * nearest microsecond (half up): 1234567890 -> "1.234568", 999999500 ->
 * "1.000000".  Exact, from integers.
 */
void out__time_s(struct out *o, __u64 ns);

/* The JSON writer's state, kept with each stream (json.c). */
struct out_json {
	int depth;
	bool have_key;			/* a key was written, its value is due */
	bool is_object[JSON_MAX_DEPTH]; /* else array */
	bool has_items[JSON_MAX_DEPTH]; /* comma needed before the next item */
	int flat_depth;			/* containers deeper than this: one line; 0: none */
};
struct out_json *out__json(struct out *o);
/* Make err (a positive errno) the stream's sticky error, if it has none yet. */
void out__set_error(struct out *o, int err);

#endif /* BT_OUT_H */
