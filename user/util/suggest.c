// SPDX-License-Identifier: GPL-2.0
/*
 * "Did you mean" for names: a case-insensitive edit distance in which the
 * user's glob characters cost nothing, so "trian_*" still finds "train_step".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "util/suggest.h"

#define SUGGEST_MAXLEN 128

/*
 * Edit distance (optimal string alignment: a swap of neighbours costs 1)
 * from pattern @p to text @t, case-insensitive, where '*' in @p matches
 * any run of characters and '?' any one character, both for free.
 */
static int glob_distance(const char *p, const char *t)
{
	size_t m = strlen(p), n = strlen(t), i, j;
	int d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];

	if (m > SUGGEST_MAXLEN || n > SUGGEST_MAXLEN)
		return 1 << 20;
	for (j = 0; j <= n; j++)
		d[0][j] = j;
	for (i = 1; i <= m; i++) {
		char pc = tolower((unsigned char)p[i - 1]);

		d[i][0] = pc == '*' ? d[i - 1][0] : d[i - 1][0] + 1;
		for (j = 1; j <= n; j++) {
			char tc = tolower((unsigned char)t[j - 1]);
			int v;

			if (pc == '*') {
				v = d[i - 1][j] < d[i][j - 1] ? d[i - 1][j] : d[i][j - 1];
			} else {
				int sub = d[i - 1][j - 1] + (pc == '?' || pc == tc ? 0 : 1);
				int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

				v = sub < del ? sub : del;
				v = ins < v ? ins : v;
				if (i > 1 && j > 1 && pc != '?' &&
				    pc == tolower((unsigned char)t[j - 2]) &&
				    tolower((unsigned char)p[i - 2]) == tc &&
				    d[i - 2][j - 2] + 1 < v)
					v = d[i - 2][j - 2] + 1;
			}
			d[i][j] = v;
		}
	}
	return d[m][n];
}

void suggest__init(struct suggest *sg, const char *want)
{
	int lit = 0;
	const char *p;

	memset(sg, 0, sizeof(*sg));
	sg->want = want;
	/*
	 * How far off a name may be grows with its length, counted from the
	 * last "::": in "ns::Cls::stpe" only "stpe" was typed wrong, and
	 * 'ns::Cls::make' is no suggestion for it.
	 */
	p = want;
	while (strstr(p, "::"))
		p = strstr(p, "::") + 2;
	for (; *p; p++)
		lit += *p != '*' && *p != '?';
	sg->thr = lit <= 3 ? 1 : lit <= 8 ? 2 : 3;
}

static bool has_substring(const char *hay, const char *want)
{
	char lit[SUGGEST_MAXLEN + 1];
	size_t n = 0;

	/* The longest run of plain characters in the pattern, at least 3 long. */
	for (const char *p = want, *run = want;; p++) {
		if (*p == '*' || *p == '?' || *p == '[' || !*p) {
			if ((size_t)(p - run) > n && p - run <= SUGGEST_MAXLEN) {
				n = p - run;
				memcpy(lit, run, n);
			}
			if (!*p)
				break;
			run = p + 1;
		}
	}
	lit[n] = '\0';
	return n >= 3 && strcasestr(hay, lit);
}

void suggest__add(struct suggest *sg, const char *cand, const char *prefix)
{
	char shown[sizeof(sg->best[0])];
	int d, i, k;

	if (!strcmp(cand, sg->want) ||
	    (size_t)snprintf(shown, sizeof(shown), "%s%s", prefix ? prefix : "", cand) >=
		sizeof(shown))
		return;
	for (i = 0; i < sg->n; i++)
		if (!strcmp(sg->best[i], shown))
			return;
	d = glob_distance(sg->want, cand);
	if (d > sg->thr) {
		if (!has_substring(cand, sg->want))
			return;
		d = sg->thr + 1; /* after every close one */
	}
	/* Insertion into the sorted top 3: distance, then shorter, then by name. */
	for (i = 0; i < sg->n; i++) {
		if (d < sg->dist[i])
			break;
		if (d == sg->dist[i] &&
		    (strlen(shown) < strlen(sg->best[i]) ||
		     (strlen(shown) == strlen(sg->best[i]) && strcmp(shown, sg->best[i]) < 0)))
			break;
	}
	if (i >= 3)
		return;
	for (k = (sg->n < 3 ? sg->n : 2); k > i; k--) {
		sg->dist[k] = sg->dist[k - 1];
		memcpy(sg->best[k], sg->best[k - 1], sizeof(sg->best[k]));
	}
	sg->dist[i] = d;
	memcpy(sg->best[i], shown, sizeof(shown));
	if (sg->n < 3)
		sg->n++;
}

int suggest__format(const struct suggest *sg, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < sg->n; i++) {
		int w = snprintf(buf + used, len - used, "%s'%s'", i ? ", " : "", sg->best[i]);

		if (w < 0 || (size_t)w >= len - used) {
			/* Never a half-written name: drop this one and the rest. */
			buf[used] = '\0';
			return i;
		}
		used += w;
	}
	return sg->n;
}
