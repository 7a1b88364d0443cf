// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "rundir/out.h"

struct out {
	int fd;
	z_stream *z;   /* NULL when writing plain */
	int err;       /* first error, positive errno; 0 if none */
	bool ended;    /* out__finish() done: nothing more goes to the fd */
	bool seekable; /* a regular file: can be cut back after an error */
	off_t written; /* bytes written to fd (gzip: compressed) */
	__u64 lines;   /* plain: '\n' written; gzip: '\n' compressed */

	/*
	 * Where the file can be cut back to after a failed write, so that it
	 * still ends on a whole line.  Plain: just past the last '\n' that
	 * reached the fd.  gzip: the last sync flush that ended a line; the
	 * file then holds a provisional end of the stream (an empty final
	 * block and the trailer, 10 bytes at .end), written when that point was
	 * made, so cutting back needs no new disk space.
	 */
	struct {
		off_t end;
		__u32 crc, isize;
		__u64 lines;
	} whole;
	__u32 crc;	  /* gzip: CRC-32 of the uncompressed data so far */
	__u64 isize;	  /* gzip: its length */
	bool at_line_end; /* gzip: the data so far ends with '\n' (or is empty) */

	struct out_json json; /* the JSON writer's state (json.c) */

	size_t len;
	char buf[OUT_BUF_SIZE];
	unsigned char zbuf[]; /* gzip: deflate's output, OUT_ZBUF_SIZE */
};

#define OUT_ZBUF_SIZE (64 * 1024)
/* RFC 1952: magic, deflate, no flags, no mtime, no extra flags, Unix */
static const unsigned char gzip_magic_header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
#define GZ_END_LEN 10 /* an empty final block (2 bytes), CRC-32, ISIZE */

static void out_set_err(struct out *o, int err)
{
	if (!o->err)
		o->err = err > 0 ? err : EIO;
}

static __u64 count_lines(const char *p, size_t n)
{
	const char *end = p + n;
	__u64 k = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		k++;
		p++;
	}
	return k;
}

/*
 * At the end of what was written so far: 0 or a positive errno; *done says
 * how much reached the fd either way.  A regular file is written at that
 * offset, not at the fd's (which a dup elsewhere may move).
 */
static int out_write_fd(struct out *o, const void *data, size_t len, size_t *done)
{
	const char *p = data;

	*done = 0;
	while (len) {
		ssize_t n = o->seekable ? pwrite(o->fd, p, len, o->written + (off_t)*done)
					: write(o->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
		*done += (size_t)n;
	}
	return 0;
}

/* 0 or a positive errno (a short write is retried for its reason). */
static int pwrite_all(int fd, const void *data, size_t len, off_t off)
{
	const char *p = data;

	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static void put_le32(unsigned char *p, __u32 v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/*
 * The end of a gzip stream after a sync flush: an empty final block with
 * fixed codes (a sync flush leaves the stream byte-aligned), then the
 * trailer.
 */
static void gz_end_bytes(unsigned char *p, __u32 crc, __u32 isize)
{
	p[0] = 0x03;
	p[1] = 0x00;
	put_le32(p + 2, crc);
	put_le32(p + 6, isize);
}

/*
 * After a failed write: cut the file back to its last whole point, which
 * ends on a complete line (and, gzip, on a complete stream), and write no
 * more.  Fails harmlessly on pipes.
 */
static void out_cut_back(struct out *o)
{
	o->ended = true;
	o->len = 0;
	if (!o->seekable)
		return;
	if (!o->z) {
		if (ftruncate(o->fd, o->whole.end) == 0)
			o->written = o->whole.end;
		o->lines = o->whole.lines;
		return;
	}
	if (o->whole.end == 0) {
		/* not even the header made it */
		if (ftruncate(o->fd, 0) == 0)
			o->written = 0;
		return;
	}
	/*
	 * The 10 bytes at whole.end were written when that point was made:
	 * rewriting them needs no new block, even on a full disk.
	 */
	if (ftruncate(o->fd, o->whole.end + GZ_END_LEN) == 0) {
		unsigned char end[GZ_END_LEN];

		gz_end_bytes(end, o->whole.crc, o->whole.isize);
		if (!pwrite_all(o->fd, end, GZ_END_LEN, o->whole.end))
			o->written = o->whole.end + GZ_END_LEN;
	}
	o->lines = o->whole.lines;
}

static void out_fail(struct out *o, int err)
{
	out_set_err(o, err);
	out_cut_back(o);
}

/* Plain: straight to the fd, keeping track of the last whole line. */
static void plain_write(struct out *o, const char *p, size_t len)
{
	size_t done;
	int err = out_write_fd(o, p, len, &done);
	const char *nl = done ? memrchr(p, '\n', done) : NULL;

	if (nl) {
		o->lines += count_lines(p, (size_t)(nl - p) + 1);
		o->whole.end = o->written + (nl - p) + 1;
		o->whole.lines = o->lines;
	}
	o->written += (off_t)done;
	if (err)
		out_fail(o, err);
}

/* gzip: deflate's output so far to the fd. */
static int gz_drain(struct out *o)
{
	size_t have = OUT_ZBUF_SIZE - o->z->avail_out, done;
	int err = out_write_fd(o, o->zbuf, have, &done);

	o->written += (off_t)done;
	o->z->next_out = o->zbuf;
	o->z->avail_out = OUT_ZBUF_SIZE;
	if (err)
		out_fail(o, err);
	return err;
}

/*
 * Make the current end of the data a whole point: the provisional end of
 * the stream goes right after it (the next compressed bytes overwrite it).
 */
static void gz_mark_whole(struct out *o)
{
	unsigned char end[GZ_END_LEN];
	int err;

	if (!o->seekable || !o->at_line_end)
		return;
	gz_end_bytes(end, o->crc, (__u32)o->isize);
	err = pwrite_all(o->fd, end, GZ_END_LEN, o->written);
	if (err) {
		out_fail(o, err);
		return;
	}
	o->whole.end = o->written;
	o->whole.crc = o->crc;
	o->whole.isize = (__u32)o->isize;
	o->whole.lines = o->lines;
}

static void gz_start(struct out *o)
{
	size_t done;
	int err;

	if (o->written)
		return;
	err = out_write_fd(o, gzip_magic_header, sizeof(gzip_magic_header), &done);
	o->written = (off_t)done;
	if (err) {
		out_fail(o, err);
		return;
	}
	gz_mark_whole(o); /* an empty file is a valid, empty gzip stream from here */
}

/* Feed data to deflate with flush (Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FINISH). */
static void gz_write(struct out *o, const char *p, size_t len, int flush)
{
	z_stream *z = o->z;
	bool full;
	int f, ret;

	gz_start(o);
	while (!o->err) {
		uInt chunk = len > (1U << 30) ? (1U << 30) : (uInt)len;

		z->next_in = (Bytef *)p;
		z->avail_in = chunk;
		if (chunk) {
			o->crc = (__u32)crc32(o->crc, (const Bytef *)p, chunk);
			o->isize += chunk;
			o->lines += count_lines(p, chunk);
			o->at_line_end = p[chunk - 1] == '\n';
		}
		p += chunk;
		len -= chunk;
		f = len ? Z_NO_FLUSH : flush;
		/* deflate stops when the input is used up or the output full */
		do {
			ret = deflate(z, f);
			if (ret == Z_STREAM_ERROR) {
				out_fail(o, EIO);
				return;
			}
			full = z->avail_out == 0;
			if ((full || f != Z_NO_FLUSH) && gz_drain(o))
				return;
		} while (full);
		if (!len)
			break;
	}
}

/* Write around the buffer, straight to the fd or to deflate. */
static void out_raw(struct out *o, const char *p, size_t len)
{
	if (o->err || o->ended || !len)
		return;
	if (o->z) {
		/*
		 * Each buffer's worth ends in a sync flush after its last whole
		 * line, a point a full disk can cut back to (gz_mark_whole()):
		 * about every 64 KiB of text, for a few bytes of compression.
		 */
		const char *nl = memrchr(p, '\n', len);
		size_t head = nl ? (size_t)(nl - p) + 1 : 0;

		if (head && o->seekable) {
			gz_write(o, p, head, Z_SYNC_FLUSH);
			if (!o->err)
				gz_mark_whole(o);
			p += head;
			len -= head;
		}
		if (len)
			gz_write(o, p, len, Z_NO_FLUSH);
	} else {
		plain_write(o, p, len);
	}
}

static int out_drain(struct out *o)
{
	if (o->len && !o->err)
		out_raw(o, o->buf, o->len);
	o->len = 0;
	return o->err;
}

/*
 * Room for @len more bytes.  A full buffer hands the kernel its whole lines
 * only and keeps the start of the unfinished one, so that a file cut off at
 * any moment (benchtrace killed, a second Ctrl-C) ends with a whole row;
 * only a line longer than the buffer is written in pieces.  Returns the
 * sticky error; afterwards either @len bytes fit or the buffer is empty.
 */
static int out_make_room(struct out *o, size_t len)
{
	const char *nl;
	size_t whole;

	if (o->err || len <= OUT_BUF_SIZE - o->len)
		return o->err;
	nl = memrchr(o->buf, '\n', o->len);
	whole = nl ? (size_t)(nl - o->buf) + 1 : 0;
	if (!whole || len > OUT_BUF_SIZE - (o->len - whole))
		return out_drain(o);
	out_raw(o, o->buf, whole);
	if (o->err || o->ended) {
		/* out_cut_back() has emptied the buffer: nothing is kept */
		o->len = 0;
		return o->err;
	}
	memmove(o->buf, o->buf + whole, o->len - whole);
	o->len -= whole;
	return o->err;
}

struct out *out__open_fd(int fd, bool gzip)
{
	struct out *o;
	struct stat st;

	if (fd < 0) {
		errno = EBADF;
		return NULL;
	}
	o = calloc(1, sizeof(*o) + (gzip ? OUT_ZBUF_SIZE : 0));
	if (!o)
		return NULL;
	o->fd = fd;
	o->seekable = !fstat(fd, &st) && S_ISREG(st.st_mode);
	/* a file opened to append to: whole lines are counted from its end */
	if (o->seekable && !gzip) {
		off_t pos = lseek(fd, 0, SEEK_CUR);

		o->written = o->whole.end = pos > 0 ? pos : 0;
	}
	if (gzip) {
		o->z = calloc(1, sizeof(*o->z));
		/* raw deflate: the gzip header and trailer are ours (gz_end_bytes) */
		if (!o->z || deflateInit2(o->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
					  Z_DEFAULT_STRATEGY) != Z_OK) {
			free(o->z);
			free(o);
			errno = ENOMEM;
			return NULL;
		}
		o->z->next_out = o->zbuf;
		o->z->avail_out = OUT_ZBUF_SIZE;
		o->crc = (__u32)crc32(0, NULL, 0);
		o->at_line_end = true;
	}
	return o;
}

int out__error(const struct out *o)
{
	return o->err ? -o->err : 0;
}

int out__flush(struct out *o)
{
	if (out_drain(o) || o->ended)
		return out__error(o);
	if (o->z) {
		gz_write(o, NULL, 0, Z_SYNC_FLUSH);
		if (!o->err)
			gz_mark_whole(o);
	}
	return out__error(o);
}

int out__sync(struct out *o)
{
	if (out__flush(o))
		return -o->err;
	/* EINVAL: fd is a pipe or a special file that cannot be synced; nothing lost. */
	if (fsync(o->fd) && errno != EINVAL && errno != EROFS)
		out_set_err(o, errno);
	return out__error(o);
}

int out__finish(struct out *o)
{
	unsigned char tail[8];
	size_t done;
	int err;

	if (out_drain(o) || o->ended)
		return out__error(o);
	if (o->z) {
		gz_write(o, NULL, 0, Z_FINISH);
		if (o->err)
			return out__error(o);
		put_le32(tail, o->crc);
		put_le32(tail + 4, (__u32)o->isize);
		err = out_write_fd(o, tail, sizeof(tail), &done);
		o->written += (off_t)done;
		if (err) {
			out_fail(o, err);
			return out__error(o);
		}
	}
	o->ended = true;
	return 0;
}

__u64 out__lines(const struct out *o)
{
	return o->lines;
}

int out__close(struct out *o)
{
	int err;

	if (!o)
		return 0;
	out__finish(o);
	if (o->z) {
		deflateEnd(o->z);
		free(o->z);
	}
	if (close(o->fd) && errno != EINTR) {
		/* On Linux the fd is gone even on EINTR; nothing to retry. */
		out_set_err(o, errno);
	}
	err = out__error(o);
	free(o);
	return err;
}

void out__write(struct out *o, const void *data, size_t len)
{
	if (o->err)
		return;
	if (len > OUT_BUF_SIZE - o->len) {
		if (out_make_room(o, len))
			return;
		if (len > OUT_BUF_SIZE - o->len) {
			out_raw(o, data, len);
			return;
		}
	}
	memcpy(o->buf + o->len, data, len);
	o->len += len;
}

void out__putc(struct out *o, char c)
{
	if (o->len < OUT_BUF_SIZE && !o->err)
		o->buf[o->len++] = c;
	else
		out__write(o, &c, 1);
}

void out__puts(struct out *o, const char *s)
{
	out__write(o, s, strlen(s));
}

void out__printf(struct out *o, const char *fmt, ...)
{
	va_list ap, aq;
	size_t room;
	int n;

	if (o->err)
		return;
	room = OUT_BUF_SIZE - o->len;
	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(o->buf + o->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out_set_err(o, EINVAL);
	} else if ((size_t)n < room) {
		o->len += (size_t)n;
	} else if (!out_make_room(o, (size_t)n + 1)) {
		/* The bytes vsnprintf left past o->len were scratch: start over. */
		if ((size_t)n < OUT_BUF_SIZE - o->len) {
			vsnprintf(o->buf + o->len, OUT_BUF_SIZE - o->len, fmt, aq);
			o->len += (size_t)n;
		} else {
			char *tmp = NULL;

			if (vasprintf(&tmp, fmt, aq) < 0) {
				out_set_err(o, ENOMEM);
			} else {
				out_raw(o, tmp, (size_t)n);
				free(tmp);
			}
		}
	}
	va_end(aq);
}

/* Decimal digits of v, right-aligned ending at end; returns the start. */
static char *fmt_u64(char *end, __u64 v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void out__u64(struct out *o, __u64 v)
{
	char buf[24], *end = buf + sizeof(buf), *p = fmt_u64(end, v);

	out__write(o, p, (size_t)(end - p));
}

void out__s64(struct out *o, __s64 v)
{
	char buf[24], *end = buf + sizeof(buf), *p;

	/* Negate in unsigned: -INT64_MIN overflows a signed value. */
	p = fmt_u64(end, v < 0 ? -(__u64)v : (__u64)v);
	if (v < 0)
		*--p = '-';
	out__write(o, p, (size_t)(end - p));
}

static const __u64 pow10_u64[20] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

void out__fixed(struct out *o, __u64 value, unsigned int scale, unsigned int decimals)
{
	char buf[48], *end = buf + sizeof(buf), *p = end;
	__u64 ip, frac;
	unsigned int i;

	if (scale > 19 || decimals > 19) {
		out_set_err(o, EINVAL);
		return;
	}
	ip = value / pow10_u64[scale];
	frac = value % pow10_u64[scale];
	if (decimals < scale) {
		__u64 div = pow10_u64[scale - decimals];
		__u64 rem = frac % div;

		frac /= div;
		if (rem >= div - rem) { /* rem >= div / 2 without overflow */
			if (++frac == pow10_u64[decimals]) {
				frac = 0;
				ip++; /* cannot wrap: ip <= UINT64_MAX / 10 here */
			}
		}
	} else {
		frac *= pow10_u64[decimals - scale]; /* < 10^decimals <= 10^19: fits */
	}
	if (decimals) {
		char *q = fmt_u64(end, frac);

		for (i = (unsigned int)(end - q); i < decimals; i++)
			*--q = '0';
		p = q;
		*--p = '.';
	}
	p = fmt_u64(p, ip);
	out__write(o, p, (size_t)(end - p));
}

void out__time_s(struct out *o, __u64 ns)
{
	out__fixed(o, ns, 9, 6);
}

struct out_json *out__json(struct out *o)
{
	return &o->json;
}

void out__set_error(struct out *o, int err)
{
	out_set_err(o, err);
}
