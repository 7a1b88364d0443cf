// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "elf/symtab.h"
#include "elf/usdt.h"

#define NT_STAPSDT 3

static int cmp(const void *a, const void *b)
{
	const struct usdt_note *x = a, *y = b;
	int c = strcmp(x->provider, y->provider);

	return c ? c : strcmp(x->name, y->name);
}

/* The string at *off in desc (of len), moving *off past it; NULL if none. */
static const char *take_str(const char *desc, size_t len, size_t *off)
{
	const char *s = desc + *off, *nul;

	if (*off >= len)
		return NULL;
	nul = memchr(s, 0, len - *off);
	if (!nul)
		return NULL;
	*off += nul - s + 1;
	return s;
}

static int add_notes(Elf_Data *data, bool is64, struct usdt_note **v, int *n, int *cap)
{
	size_t off = 0, name_off, desc_off, d;
	const char *desc, *prov, *name, *args;
	struct usdt_note *grown, *u;
	GElf_Nhdr nh;
	int i;

	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type != NT_STAPSDT || nh.n_namesz != 8 ||
		    memcmp((char *)data->d_buf + name_off, "stapsdt", 8))
			continue;
		desc = (const char *)data->d_buf + desc_off;
		d = is64 ? 24 : 12;
		if (nh.n_descsz < d)
			continue;
		prov = take_str(desc, nh.n_descsz, &d);
		name = take_str(desc, nh.n_descsz, &d);
		args = take_str(desc, nh.n_descsz, &d);
		if (!prov || !name)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			grown = realloc(*v, *cap * sizeof(**v));
			if (!grown)
				return -ENOMEM;
			*v = grown;
		}
		u = &(*v)[(*n)++];
		memset(u, 0, sizeof(*u));
		snprintf(u->provider, sizeof(u->provider), "%s", prov);
		snprintf(u->name, sizeof(u->name), "%s", name);
		snprintf(u->args, sizeof(u->args), "%s", args ? args : "");
		for (i = 0; i < 3; i++) {
			__u64 a = 0;

			if (is64)
				memcpy(&a, desc + 8 * i, 8);
			else {
				__u32 a32;

				memcpy(&a32, desc + 4 * i, 4);
				a = a32;
			}
			if (i == 0)
				u->pc = a;
			else if (i == 1)
				u->base = a;
			else
				u->semaphore = a;
		}
	}
	return 0;
}

int usdt__read(const char *path, struct usdt_note **out, char *err, size_t errlen)
{
	struct usdt_note *v = NULL;
	int fd, n = 0, cap = 0, ret = 0;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;
	off_t size;
	Elf *e;

	*out = NULL;
	fd = symtab__open_elf(path, &size, err, errlen);
	if (fd < 0)
		return fd;
	if (elf_version(EV_CURRENT) == EV_NONE || !(e = elf_begin(fd, ELF_C_READ, NULL)) ||
	    elf_kind(e) != ELF_K_ELF || elf_getshdrstrndx(e, &shstrndx)) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		close(fd);
		return -ENOEXEC;
	}
	while (!ret && (scn = elf_nextscn(e, scn))) {
		const char *sname;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		sname = elf_strptr(e, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".note.stapsdt"))
			continue;
		data = elf_getdata(scn, NULL);
		if (data)
			ret = add_notes(data, gelf_getclass(e) == ELFCLASS64, &v, &n, &cap);
	}
	elf_end(e);
	close(fd);
	if (ret) {
		free(v);
		snprintf(err, errlen, "%s: out of memory reading its USDT probes", path);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp);
	*out = v;
	return n;
}

int usdt__match(const struct usdt_note *n, int count, const char *provider, const char *name,
		int *idx, int max)
{
	int i, k = 0;

	for (i = 0; i < count && k < max; i++) {
		if (fnmatch(provider, n[i].provider, 0) || fnmatch(name, n[i].name, 0))
			continue;
		/* one probe name may have several sites: attach it once */
		if (k && !strcmp(n[idx[k - 1]].provider, n[i].provider) &&
		    !strcmp(n[idx[k - 1]].name, n[i].name))
			continue;
		idx[k++] = i;
	}
	return k;
}

unsigned usdt__ptr_args(const char *args)
{
	unsigned mask = 0;
	int i = 0;

	while (*args && i < 32) {
		while (*args == ' ')
			args++;
		if (!*args)
			break;
		if (!strncmp(args, "8@", 2))
			mask |= 1u << i;
		while (*args && *args != ' ')
			args++;
		i++;
	}
	return mask;
}
