// SPDX-License-Identifier: GPL-2.0
/*
 * Closest names to one a user mistyped, for "did you mean" in errors.
 */
#ifndef BT_SUGGEST_H
#define BT_SUGGEST_H

#include <stddef.h>

/*
 * Feed every candidate to suggest__add(): @cand is compared with @want,
 * "@prefix@cand" is what is shown (@prefix may be NULL).  Kept: up to 3
 * names within an edit distance that grows with the length of @want's last
 * "::" component (1 up to 3 characters, 2 up to 8, else 3), or containing
 * its longest literal run (at least 3 characters); closest first.
 */
struct suggest {
	const char *want;
	int thr;
	int n;
	char best[3][256];
	int dist[3];
};
void suggest__init(struct suggest *sg, const char *want);
void suggest__add(struct suggest *sg, const char *cand, const char *prefix);
/* "'a', 'b', 'c'" into @buf, whole names only; returns how many. */
int suggest__format(const struct suggest *sg, char *buf, size_t len);

#endif /* BT_SUGGEST_H */
