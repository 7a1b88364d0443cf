// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bt_abi.h"
#include "elf/libpath.h"
#include "elf/usdt.h"
#include "record/loader.h"
#include "record/usdtrun.h"

#define MARK_PROVIDER "benchtrace"
#define MAX_MATCH     1024

int usdtrun__mark_kind(const char *name)
{
	static const char *const kinds[] = {
	    [BT_MARK_ITER_BEGIN] = "iter_begin", [BT_MARK_ITER_END] = "iter_end",
	    [BT_MARK_STEP] = "step",		 [BT_MARK_SPAN_BEGIN] = "span_begin",
	    [BT_MARK_SPAN_END] = "span_end",
	};
	int k;

	for (k = BT_MARK_ITER_BEGIN; k <= BT_MARK_SPAN_END; k++)
		if (!strcmp(name, kinds[k]))
			return k;
	return 0;
}

static int add(struct usdtrun *u, const char *path, const struct usdt_note *n)
{
	struct usdt_site *grown, *s;
	int i;

	for (i = 0; i < u->n; i++)
		if (!strcmp(u->s[i].path, path) && !strcmp(u->s[i].provider, n->provider) &&
		    !strcmp(u->s[i].name, n->name)) {
			u->s[i].ptrs &= usdt__ptr_args(n->args);
			return 0; /* asked for twice */
		}
	grown = realloc(u->s, (u->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	u->s = grown;
	s = &u->s[u->n];
	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	if (!s->path)
		return -ENOMEM;
	snprintf(s->provider, sizeof(s->provider), "%s", n->provider);
	snprintf(s->name, sizeof(s->name), "%s", n->name);
	s->kind = strcmp(n->provider, MARK_PROVIDER) ? 0 : usdtrun__mark_kind(n->name);
	s->mark = s->kind != 0;
	s->ptrs = usdt__ptr_args(n->args);
	u->marks |= s->mark;
	u->n++;
	return 0;
}

/* "python:gc__start, python:gc__done, ... (N in all)" */
static void list_probes(const struct usdt_note *n, int count, char *buf, size_t len)
{
	size_t off = 0;
	int i, shown = 0;

	buf[0] = 0;
	for (i = 0; i < count && off < len; i++) {
		if (i && !strcmp(n[i].provider, n[i - 1].provider) && !strcmp(n[i].name, n[i - 1].name))
			continue;
		if (shown == 12) {
			off += snprintf(buf + off, len - off, ", ...");
			break;
		}
		off += snprintf(buf + off, len - off, "%s%s:%s", shown ? ", " : "", n[i].provider,
				n[i].name);
		shown++;
	}
}

/* BINARY of a spec to a file: a path, a program in PATH, or a library. */
static int spec_file(const char *bin, const char *exe, pid_t pid, char *path, size_t len,
		     char *err, size_t errlen)
{
	char msg[512];
	int ret;

	if (!bin[0]) {
		if (!exe) {
			snprintf(err, errlen, "--usdt with -a needs BINARY:PROVIDER:NAME");
			return -EINVAL;
		}
		snprintf(path, len, "%s", exe);
		return 0;
	}
	if (strchr(bin, '/')) {
		snprintf(path, len, "%s", bin);
		return 0;
	}
	ret = pid > 0 ? lib__find_mapped(pid, bin, path, len, msg, sizeof(msg))
		      : (exe ? lib__find_for_exe(exe, bin, path, len, msg, sizeof(msg)) : -ENOENT);
	if (ret) {
		snprintf(err, errlen, "--usdt '%s:...': %s", bin, exe ? msg : "no such library");
		return ret;
	}
	return 0;
}

static int resolve_one(struct usdtrun *u, const char *spec, const char *exe, pid_t pid, char *err,
		       size_t errlen)
{
	char bin[4096] = "", prov[64], name[64], path[4096], list[1024];
	const char *c1 = strrchr(spec, ':'), *c0;
	struct usdt_note *notes = NULL;
	int n, m, i, ret, idx[MAX_MATCH];

	if (!c1 || !c1[1])
		goto bad;
	for (c0 = c1 - 1; c0 >= spec && *c0 != ':'; c0--)
		;
	if (c0 >= spec) {
		snprintf(bin, sizeof(bin), "%.*s", (int)(c0 - spec), spec);
		snprintf(prov, sizeof(prov), "%.*s", (int)(c1 - c0 - 1), c0 + 1);
	} else {
		snprintf(prov, sizeof(prov), "%.*s", (int)(c1 - spec), spec);
	}
	snprintf(name, sizeof(name), "%s", c1 + 1);
	if (!prov[0])
		goto bad;
	ret = spec_file(bin, exe, pid, path, sizeof(path), err, errlen);
	if (ret)
		return ret;
	n = usdt__read(path, &notes, err, errlen);
	if (n < 0)
		return n;
	m = usdt__match(notes, n, prov, name, idx, MAX_MATCH);
	if (!m) {
		list_probes(notes, n, list, sizeof(list));
		if (n)
			snprintf(err, errlen, "--usdt '%s': %s has no probe %s:%s; it has %s", spec,
				 path, prov, name, list);
		else
			snprintf(err, errlen, "--usdt '%s': %s carries no USDT probes", spec, path);
		free(notes);
		return -ENOENT;
	}
	for (i = 0, ret = 0; i < m && !ret; i++)
		ret = add(u, path, &notes[idx[i]]);
	free(notes);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
bad:
	snprintf(err, errlen, "--usdt '%s': want [BINARY:]PROVIDER:NAME (e.g. python:gc__start)",
		 spec);
	return -EINVAL;
}

/* @name without @suffix into @stem; false if it does not end so */
static bool strip(const char *name, const char *suffix, char *stem, size_t len)
{
	size_t n = strlen(name), k = strlen(suffix);

	if (n <= k || strcmp(name + n - k, suffix))
		return false;
	snprintf(stem, len, "%.*s", (int)(n - k), name);
	return true;
}

int usdtrun__pair(struct usdtrun *u)
{
	static const char *const ends[][2] = {{"__start", "__done"}, {"__entry", "__return"}};
	char stem[64], want[80];
	int i, j, e;

	for (i = 0; i < u->n; i++) {
		struct usdt_site *b = &u->s[i];

		for (e = 0; e < 2 && !b->mark && !b->span; e++) {
			if (!strip(b->name, ends[e][0], stem, sizeof(stem)))
				continue;
			snprintf(want, sizeof(want), "%s%s", stem, ends[e][1]);
			for (j = 0; j < u->n; j++) {
				struct usdt_site *d = &u->s[j];

				if (d->mark || d->span || strcmp(d->name, want) ||
				    strcmp(d->provider, b->provider) || strcmp(d->path, b->path))
					continue;
				if (u->npairs == BT_USDT_SPANS)
					return u->npairs;
				snprintf(u->pairs[u->npairs], BT_USDT_SPAN_NAME, "usdt:%s:%s",
					 b->provider, stem);
				b->span = d->span = ++u->npairs;
				d->span_end = true;
				u->marks = true;
				break;
			}
		}
	}
	return u->npairs;
}

int usdtrun__resolve(struct usdtrun *u, char *const *specs, int nspecs, const char *exe, pid_t pid,
		     char *err, size_t errlen)
{
	struct usdt_note *notes = NULL;
	int i, n, ret;

	for (i = 0; i < nspecs; i++) {
		ret = resolve_one(u, specs[i], exe, pid, err, errlen);
		if (ret)
			return ret;
	}
	usdtrun__pair(u);
	/* the program's own marks, asked for or not */
	if (!exe)
		return 0;
	n = usdt__read(exe, &notes, err, errlen);
	if (n < 0)
		return 0; /* not ours to refuse: -u and the rest say what is wrong */
	for (i = 0, ret = 0; i < n && !ret; i++)
		if (!strcmp(notes[i].provider, MARK_PROVIDER) && usdtrun__mark_kind(notes[i].name))
			ret = add(u, exe, &notes[i]);
	free(notes);
	if (ret)
		snprintf(err, errlen, "out of memory");
	return ret;
}

int usdtrun__attach(const struct usdtrun *u, struct tracer *t, pid_t pid, char *err,
		    size_t errlen)
{
	int i, ret;

	for (i = 0; i < u->npairs; i++) {
		ret = tracer__set_usdt_span(t, i, u->pairs[i]);
		if (ret) {
			snprintf(err, errlen, "cannot name the USDT span %s: %s", u->pairs[i],
				 strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < u->n; i++) {
		const struct usdt_site *s = &u->s[i];

		ret = tracer__attach_usdt(t, s->mark, s->path, s->provider, s->name,
					  s->mark ? (__u64)s->kind : (__u64)i, pid, err, errlen);
		if (!ret && s->span)
			/* the pair's timing: a second program on the same probe */
			ret = tracer__attach_usdt(
				t, true, s->path, s->provider, s->name,
				(__u64)(s->span_end ? BT_MARK_USDT_END : BT_MARK_USDT_BEGIN) |
					(__u64)(s->span - 1) << 8,
				pid, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

const struct usdt_site *usdtrun__site(const struct usdtrun *u, unsigned int i)
{
	return i < (unsigned int)u->n ? &u->s[i] : NULL;
}

void usdtrun__free(struct usdtrun *u)
{
	int i;

	for (i = 0; i < u->n; i++)
		free(u->s[i].path);
	free(u->s);
	u->s = NULL;
	u->n = 0;
}

/* @str as "text" at @buf if it is printable ASCII; false if not */
static bool quote(char *buf, size_t len, const char *str, bool cut)
{
	size_t i, o = 0;

	if (len < 2 * BT_USDT_STR + 8)
		return false;
	buf[o++] = ' ';
	buf[o++] = '"';
	for (i = 0; i < BT_USDT_STR && str[i]; i++) {
		unsigned char ch = str[i];

		if (ch < 0x20 || ch >= 0x7f)
			return false; /* ASCII text only: bytes of a struct often decode as UTF-8 */
		if (ch == '"' || ch == '\\')
			buf[o++] = '\\';
		buf[o++] = ch;
	}
	if (i == BT_USDT_STR)
		return false; /* the BPF side always ends it */
	snprintf(buf + o, len - o, "\"%s", cut ? "..." : "");
	return true;
}

void usdtrun__format(const struct usdt_site *s, const struct bt_usdt_event *u, char *buf,
		     size_t len)
{
	size_t off;
	__u32 i;

	off = snprintf(buf, len, "%s:%s", s ? s->provider : "?", s ? s->name : "?");
	for (i = 0; i < u->nargs && i < BT_USDT_ARGS && off < len; i++) {
		if (s && (s->ptrs >> i & 1) && (u->strs >> i & 1) &&
		    quote(buf + off, len - off, u->str[i], u->trunc >> i & 1)) {
			off += strlen(buf + off);
			continue;
		}
		off += snprintf(buf + off, len - off, " %lld", (long long)u->args[i]);
	}
}
