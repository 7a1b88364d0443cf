/* SPDX-License-Identifier: GPL-2.0 */
/* meta.json: what was traced, how, on what host, and how it ended (meta.c). */
#ifndef BT_META_H
#define BT_META_H

#include <stdbool.h>

struct run;

/* meta.json, at start (final=false) and at the end. */
int meta__write(const struct run *r, bool final);

#endif /* BT_META_H */
