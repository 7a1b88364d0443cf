// SPDX-License-Identifier: GPL-2.0
/*
 * What the user sees of `benchtrace report`: the report rendered by a real
 * browser (headless Chromium, installed by tests/install-deps) to a PNG,
 * decoded here, checked to be neither blank nor missing its charts; and a
 * report of a fresh run of a real workload traced with real BPF.
 *
 * Outside CI a missing Chromium (or BPF) skips; in CI it fails: a skip there
 * would hide a broken report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "filter.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "report/report.h"
#include "testutil.h"

#define T(fn)	       cmocka_unit_test_setup_teardown(fn, bt_ctx_setup, bt_ctx_teardown)
#define SHOT_W	       1200
#define SHOT_H	       3000
#define CHROME_TIMEOUT 120.0

/* Chromium's path from $PATH, or NULL. */
static const char *find_chromium(void)
{
	static const char *const names[] = {"chromium", "chromium-browser", "google-chrome"};
	static char path[BT_PATH_MAX];
	const char *env = getenv("PATH");
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = env ? env : "/usr/bin:/bin";

		while (*p) {
			const char *colon = strchr(p, ':');
			size_t len = colon ? (size_t)(colon - p) : strlen(p);

			snprintf(path, sizeof(path), "%.*s/%s", (int)len, p, names[i]);
			if (len && access(path, X_OK) == 0)
				return path;
			p += len + (colon ? 1 : 0);
		}
	}
	return NULL;
}

#define require_chromium(var)                                                                      \
	do {                                                                                       \
		var = find_chromium();                                                             \
		if (!var) {                                                                        \
			if (bt_in_ci())                                                            \
				fail_msg("chromium is required in CI (tests/install-deps "         \
					 "installs it) but is not in PATH");                       \
			print_message("SKIP: no chromium (run tests/install-deps)\n");             \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* Render file `html` to `png` at SHOT_W x SHOT_H. */
static void screenshot(const struct bt_tmp *tmp, const char *chromium, const char *html,
		       const char *png)
{
	char url[BT_PATH_MAX + 16], shot[BT_PATH_MAX + 16], profile[BT_PATH_MAX], size[32];
	struct bt_result *r = calloc(1, sizeof(*r));
	struct bt_proc p;
	struct stat st;

	assert_non_null(r);
	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	snprintf(size, sizeof(size), "--window-size=%d,%d", SHOT_W, SHOT_H);
	/* A fresh profile per run: nothing from a previous one, nothing left in $HOME. */
	bt_tmp_path(tmp, "chromium-profile", profile);
	assert_int_equal(mkdir(profile, 0700), 0);
	{
		char udd[BT_PATH_MAX + 32];
		const char *const argv[] = {chromium,
					    "--headless",
					    "--no-sandbox",
					    "--disable-gpu",
					    "--disable-background-networking",
					    "--disable-component-update",
					    "--disable-sync",
					    "--no-first-run",
					    "--hide-scrollbars",
					    udd,
					    shot,
					    size,
					    url,
					    NULL};

		snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
		assert_int_equal(bt_spawn(&p, NULL, argv), 0);
		bt_wait(&p, r, CHROME_TIMEOUT);
	}
	if (r->timed_out || r->status != 0 || stat(png, &st) || st.st_size == 0)
		fail_msg("chromium failed (status %d, timed out %d): %s", r->status, r->timed_out,
			 r->err);
	free(r);
}

struct image {
	unsigned int w, h;
	unsigned char *rgb; /* w * h * 3 */
};

static __u32 be32(const unsigned char *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* A non-interlaced 8-bit RGB or RGBA PNG, as Chromium writes its screenshots. */
static void png_decode(const char *path, struct image *img)
{
	unsigned char *file, *idat = NULL, *raw, *prev = NULL;
	size_t len, nidat = 0, off = 8, stride, i;
	unsigned int bpp = 0, x, y;
	uLongf rawlen;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	file = malloc(len);
	assert_non_null(file);
	assert_int_equal(fread(file, 1, len, f), len);
	fclose(f);
	assert_memory_equal(file, "\x89PNG\r\n\x1a\n", 8);
	while (off + 12 <= len) {
		__u32 n = be32(file + off);
		const unsigned char *type = file + off + 4, *data = file + off + 8;

		assert_true(off + 12 + n <= len);
		if (!memcmp(type, "IHDR", 4)) {
			img->w = be32(data);
			img->h = be32(data + 4);
			assert_int_equal(data[8], 8);  /* bit depth */
			assert_int_equal(data[12], 0); /* not interlaced */
			bpp = data[9] == 6 ? 4 : data[9] == 2 ? 3 : 0;
			assert_true(bpp);
		} else if (!memcmp(type, "IDAT", 4)) {
			idat = realloc(idat, nidat + n);
			assert_non_null(idat);
			memcpy(idat + nidat, data, n);
			nidat += n;
		}
		off += 12 + n;
	}
	stride = (size_t)img->w * bpp;
	rawlen = (uLongf)((stride + 1) * img->h);
	raw = malloc(rawlen);
	assert_non_null(raw);
	assert_int_equal(uncompress(raw, &rawlen, idat, nidat), Z_OK);
	assert_int_equal(rawlen, (stride + 1) * img->h);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	assert_non_null(img->rgb);
	for (y = 0; y < img->h; y++) {
		unsigned char *line = raw + y * (stride + 1) + 1;
		int filter = line[-1];

		for (i = 0; i < stride; i++) {
			int a = i >= bpp ? line[i - bpp] : 0, b = prev ? prev[i] : 0;
			int c = prev && i >= bpp ? prev[i - bpp] : 0;

			switch (filter) {
			case 1:
				line[i] = (unsigned char)(line[i] + a);
				break;
			case 2:
				line[i] = (unsigned char)(line[i] + b);
				break;
			case 3:
				line[i] = (unsigned char)(line[i] + (a + b) / 2);
				break;
			case 4:
				line[i] = (unsigned char)(line[i] + paeth(a, b, c));
				break;
			}
		}
		for (x = 0; x < img->w; x++)
			memcpy(img->rgb + ((size_t)y * img->w + x) * 3, line + (size_t)x * bpp, 3);
		prev = line;
	}
	free(raw);
	free(idat);
	free(file);
}

struct shot_stats {
	double nonwhite;  /* fraction of pixels that are not white */
	int plot_rows;	  /* rows that cross a chart's plot area */
	long blue_pixels; /* the first series colour, #1f77b4 */
};

/*
 * A row crosses a chart's plot area when it has the plot frame's two
 * vertical edges (#bbb) SVG_PLOT_W px apart: that counts the charts' drawn
 * height whatever is plotted inside.
 */
#define PLOT_W_PX 1004 /* SVG_PLOT_W at 1 device px per CSS px */

static bool frame_px(const unsigned char *p)
{
	return abs(p[0] - 0xbb) <= 6 && abs(p[1] - 0xbb) <= 6 && abs(p[2] - 0xbb) <= 6;
}

static void shot_stats(const struct image *img, struct shot_stats *s)
{
	long nonwhite = 0;
	unsigned int x, y;

	memset(s, 0, sizeof(*s));
	for (y = 0; y < img->h; y++) {
		const unsigned char *row = img->rgb + (size_t)y * img->w * 3;
		bool framed = false;

		for (x = 0; x < img->w; x++) {
			const unsigned char *p = row + (size_t)x * 3;

			if (p[0] < 250 || p[1] < 250 || p[2] < 250)
				nonwhite++;
			if (abs(p[0] - 0x1f) < 12 && abs(p[1] - 0x77) < 12 && abs(p[2] - 0xb4) < 12)
				s->blue_pixels++;
			if (!framed && x + PLOT_W_PX < img->w && frame_px(p)) {
				int d;

				for (d = -2; d <= 2 && !framed; d++)
					framed = frame_px(row + (size_t)(x + PLOT_W_PX + d) * 3);
			}
		}
		s->plot_rows += framed;
	}
	s->nonwhite = (double)nonwhite / ((double)img->w * img->h);
}

static void render_and_check(const struct bt_tmp *tmp, const char *html, int min_plot_rows)
{
	char png[BT_PATH_MAX];
	const char *chromium;
	struct image img = {0};
	struct shot_stats s;

	require_chromium(chromium);
	bt_tmp_path(tmp, "report.png", png);
	screenshot(tmp, chromium, html, png);
	png_decode(png, &img);
	assert_int_equal(img.w, SHOT_W);
	assert_int_equal(img.h, SHOT_H);
	shot_stats(&img, &s);
	print_message("rendered: %.1f%% non-white, %d rows of plot area, %ld series-blue pixels\n",
		      s.nonwhite * 100, s.plot_rows, s.blue_pixels);
	/* Not blank, and not a page of text: charts drawn at their size. */
	assert_true(s.nonwhite > 0.03);
	assert_true(s.plot_rows >= min_plot_rows);
	assert_true(s.blue_pixels > 2000);
	free(img.rgb);
	/* Keep one for people to look at, when asked to. */
	if (getenv("BT_REPORT_PNG")) {
		char cmd[2 * BT_PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", png, getenv("BT_REPORT_PNG"));
		assert_int_equal(system(cmd), 0);
	}
}

static void test_fixture_renders(void **state)
{
	struct bt_ctx *c = *state;
	char html[BT_PATH_MAX], dir[BT_PATH_MAX + 64], err[512];
	const char *dirs[] = {dir};
	struct report_opts o = {.dirs = dirs, .ndirs = 1, .output = html};
	const char *fx = getenv("BT_FIXTURES");

	snprintf(dir, sizeof(dir), "%s/train", fx ? fx : "tests/fixtures/runs");
	bt_tmp_path(&c->tmp, "report.html", html);
	if (report__generate(&o, NULL, err, sizeof(err)))
		fail_msg("report: %s", err);
	/* 4 charts of 170 px on the time axis, each fully on screen in 3000 px. */
	render_and_check(&c->tmp, html, 4 * 160);
}

/*
 * A planted t_s of 1e308 (finite, so every number parser takes it) put
 * "inf" into the SVG paths: refused with the file and line instead.
 */
static void test_time_past_any_run_refused(void **state)
{
	struct bt_ctx *c = *state;
	char html[BT_PATH_MAX], dir[BT_PATH_MAX + 64], cmd[3 * BT_PATH_MAX], err[512];
	const char *dirs[] = {dir};
	struct report_opts o = {.dirs = dirs, .ndirs = 1, .output = html};
	const char *fx = getenv("BT_FIXTURES");

	bt_tmp_path(&c->tmp, "big", dir);
	snprintf(cmd, sizeof(cmd), "cp -r '%s/train' '%s' && sed -i '2s/^[^,]*,/1e308,/' '%s/samples.csv'",
		 fx ? fx : "tests/fixtures/runs", dir, dir);
	assert_int_equal(system(cmd), 0);
	bt_tmp_path(&c->tmp, "report.html", html);
	assert_int_not_equal(report__generate(&o, NULL, err, sizeof(err)), 0);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "samples.csv:2: t_s 1e308 is past any run's end"));
	assert_int_not_equal(access(html, F_OK), 0);
}

static void test_fresh_run_report(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], html[BT_PATH_MAX + 16];
	char *page;
	FILE *f;
	long len;

	bt_require_bpf();
	bt_run(&c->res, NULL, 60, "-q", "-o", c->tmp.run_dir, "--", bt_workload(wl, "demo"), NULL);
	if (c->res.status != 0)
		fail_msg("trace: exit %d: %s", c->res.status, c->res.err);
	bt_run(&c->res, NULL, 60, "report", c->tmp.run_dir, NULL);
	if (c->res.status != 0)
		fail_msg("report: exit %d: %s", c->res.status, c->res.err);
	/* The summary: the run, its outcome, where the report went. */
	assert_non_null(strstr(c->res.out, "completed (exit code 0)"));
	assert_non_null(strstr(c->res.out, "report.html"));
	snprintf(html, sizeof(html), "%s/report.html", c->tmp.run_dir);
	f = fopen(html, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	page = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(page, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	/* demo forks a child: two processes, and the total. */
	assert_non_null(strstr(page, "<title>all processes</title>"));
	assert_non_null(strstr(page, "<title>demo ["));
	assert_non_null(strstr(page, "data-outcome=\"completed\""));
	assert_null(strstr(page, "<script"));
	free(page);
	/* Running it again replaces the report. */
	bt_run(&c->res, NULL, 60, "report", c->tmp.run_dir, NULL);
	assert_int_equal(c->res.status, 0);
	/* a real run's filled series can cover the frame's edges on some rows
	 * (a CPU area that ends at 90% at the right edge hides ~90 px): count
	 * at least 110 of each chart's 170 */
	render_and_check(&c->tmp, html, 4 * 110);
}

/* A real --uprobe run: the summary's function table holds its exact count. */
static void test_fresh_calls_report(void **state)
{
	struct bt_ctx *c = *state;
	char wl[BT_PATH_MAX], *line;

	bt_require_bpf();
	bt_run(&c->res, NULL, 60, "-q", "-o", c->tmp.run_dir, "-u", "fib", "--",
	       bt_workload(wl, "calls"), "fib", "18", NULL);
	if (c->res.status != 0)
		fail_msg("trace: exit %d: %s", c->res.status, c->res.err);
	bt_run(&c->res, NULL, 60, "report", c->tmp.run_dir, NULL);
	if (c->res.status != 0)
		fail_msg("report: exit %d: %s", c->res.status, c->res.err);
	print_message("%s", c->res.out);
	line = strstr(c->res.out, "\nfib ");
	assert_non_null(line);
	/* fib(18): 8361 calls, read back from functions.csv */
	assert_non_null(strstr(line, " 8361 "));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    T(test_fixture_renders),
	    T(test_fresh_run_report),
	    T(test_fresh_calls_report),
	    T(test_time_past_any_run_refused),
	};

	if (bt_init(argc, argv))
		return 1;
	bt_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
