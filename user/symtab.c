// SPDX-License-Identifier: GPL-2.0
/*
 * ELF function symbols for uprobes.
 *
 * Demangling uses __cxa_demangle from libstdc++: it is the Itanium C++ ABI's
 * own entry point, maintained with the compiler that produces the names,
 * and libstdc++.so.6 is on every system that runs C++ programs.  libiberty
 * (binutils' cplus_demangle) would do as well, but Debian ships it only as
 * a static archive in libiberty-dev, which is one more build dependency for
 * no gain.  The prototype is declared here because <cxxabi.h> is C++.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symtab.h"

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

struct sym_ent {
	struct bt_sym s; /* first: symtab__get() hands out &ent->s */
	const char *shortname;
};

struct symtab {
	char *path;
	struct sym_ent *ents;
	int n, cap;
	bool stripped;
	int dynsym_count;
};

#define VERSYM_HIDDEN  0x8000
#define VERSYM_VERSION 0x7fff

static const struct sym_ent *ent_of(const struct bt_sym *s)
{
	return (const struct sym_ent *)((const char *)s - offsetof(struct sym_ent, s));
}

const char *symtab__short_name(const struct bt_sym *s)
{
	return ent_of(s)->shortname;
}

/*
 * "ns::Cls::step(int) const [clone .constprop.0]" -> "ns::Cls::step";
 * "int ns::pick<int>(int)" -> "ns::pick<int>" (a template function's
 * demangled name starts with its return type).  NULL when there is no
 * parameter list to take off.
 */
static char *strip_params(const char *name)
{
	size_t end = strlen(name), i, start = 0;
	int depth = 0;
	const char *c;
	char *out;

	/* Trailing " [clone .isra.0]" parts, possibly several. */
	while (end && name[end - 1] == ']') {
		for (c = NULL, i = end; i-- > 0;) {
			if (!strncmp(name + i, " [clone ", 8)) {
				c = name + i;
				break;
			}
		}
		if (!c)
			break;
		end = c - name;
	}
	/* The parameter list is the last balanced "(...)"; qualifiers may follow. */
	for (i = end; i > 0 && name[i - 1] != ')'; i--)
		;
	if (!i)
		return NULL;
	for (; i > 0; i--) {
		if (name[i - 1] == ')')
			depth++;
		else if (name[i - 1] == '(' && --depth == 0)
			break;
	}
	if (i < 2) /* "(...)" at the start, or unbalanced: not a function name */
		return NULL;
	end = i - 1;
	/* A return type before the name: a space outside <> and (). */
	if (!strstr(name, "operator")) {
		depth = 0;
		for (i = 0; i < end; i++) {
			if (name[i] == '<' || name[i] == '(')
				depth++;
			else if (name[i] == '>' || name[i] == ')')
				depth--;
			else if (name[i] == ' ' && depth == 0)
				start = i + 1;
			if (depth < 0)
				break;
		}
		if (depth != 0)
			start = 0;
	}
	out = strndup(name + start, end - start);
	return out;
}

/* GCC's ".cold" fragments ("f.cold", "f.cold.3", "_Z1fv.cold") are entered by jumps. */
static bool is_cold_fragment(const char *raw)
{
	const char *p = raw;

	while ((p = strstr(p, ".cold"))) {
		p += 5;
		if (*p == '\0' || *p == '.')
			return true;
	}
	return false;
}

struct load_ctx {
	const char *path;
	Elf *elf;
	size_t fsize;
	GElf_Phdr *load; /* executable PT_LOAD headers */
	size_t nload;
	char *err;
	size_t errlen;
};

static int corrupt(struct load_ctx *c, const char *what)
{
	snprintf(c->err, c->errlen,
		 "%s: truncated or corrupt ELF file (%s); use the complete, unmodified binary",
		 c->path, what);
	return -ENOEXEC;
}

static bool addr_to_offset(const struct load_ctx *c, __u64 addr, __u64 *off)
{
	size_t i;

	for (i = 0; i < c->nload; i++) {
		const GElf_Phdr *p = &c->load[i];

		if (addr >= p->p_vaddr && addr - p->p_vaddr < p->p_filesz) {
			*off = addr - p->p_vaddr + p->p_offset;
			return true;
		}
	}
	return false;
}

static int add_sym(struct symtab *st, const char *raw, const char *version, __u64 addr, __u64 size,
		   __u64 off)
{
	struct sym_ent *e;
	char *rawdup, *name = NULL, *shortname = NULL;
	int status = -1;

	if (st->n == st->cap) {
		int cap = st->cap ? st->cap * 2 : 256;
		struct sym_ent *n = realloc(st->ents, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		st->ents = n;
		st->cap = cap;
	}
	if (version) {
		if (asprintf(&rawdup, "%s@%s", raw, version) < 0)
			return -ENOMEM;
	} else {
		rawdup = strdup(raw);
		if (!rawdup)
			return -ENOMEM;
	}
	if (raw[0] == '_' && raw[1] == 'Z' && !version) {
		name = __cxa_demangle(raw, NULL, NULL, &status);
		if (status != 0) {
			free(name);
			name = NULL;
		}
	}
	if (name) {
		shortname = strip_params(name);
	} else {
		name = rawdup;
	}
	e = &st->ents[st->n++];
	e->s.name = name;
	e->s.raw = rawdup;
	e->s.addr = addr;
	e->s.size = size;
	e->s.offset = off;
	e->shortname = shortname ? shortname : name;
	return 0;
}

static void free_ent(struct sym_ent *e)
{
	if (e->shortname != e->s.name)
		free((char *)e->shortname);
	if (e->s.name != e->s.raw)
		free((char *)e->s.name);
	free((char *)e->s.raw);
}

/* A section's data, checked to lie inside the file (libelf reads past a cut-off end). */
static Elf_Data *section_data(struct load_ctx *c, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d;

	if (sh->sh_offset > c->fsize || sh->sh_size > c->fsize - sh->sh_offset)
		return NULL;
	d = elf_getdata(scn, NULL);
	if (!d || (d->d_size && !d->d_buf))
		return NULL;
	return d;
}

/* Version name of index @idx from the SHT_GNU_verdef section, or NULL. */
static const char *verdef_name(struct load_ctx *c, Elf_Scn *vd_scn, const GElf_Shdr *vd_sh,
			       unsigned int idx)
{
	Elf_Data *d = vd_scn ? section_data(c, vd_scn, vd_sh) : NULL;
	size_t off = 0;
	GElf_Verdef vd;
	GElf_Verdaux va;
	unsigned int i;

	if (!d)
		return NULL;
	for (i = 0; i < vd_sh->sh_info; i++) {
		if (!gelf_getverdef(d, off, &vd))
			return NULL;
		if ((vd.vd_ndx & VERSYM_VERSION) == idx) {
			if (!gelf_getverdaux(d, off + vd.vd_aux, &va))
				return NULL;
			return elf_strptr(c->elf, vd_sh->sh_link, va.vda_name);
		}
		if (!vd.vd_next)
			break;
		off += vd.vd_next;
	}
	return NULL;
}

static int read_symbols(struct load_ctx *c, struct symtab *st, Elf_Scn *scn, const GElf_Shdr *sh,
			Elf_Scn *versym_scn, const GElf_Shdr *versym_sh, Elf_Scn *vd_scn,
			const GElf_Shdr *vd_sh)
{
	Elf_Data *d = section_data(c, scn, sh), *vs = NULL;
	size_t i, nsyms;
	int ret;

	if (!d || !sh->sh_entsize)
		return corrupt(c, sh->sh_type == SHT_DYNSYM ? ".dynsym unreadable"
							    : ".symtab unreadable");
	nsyms = sh->sh_size / sh->sh_entsize;
	if (sh->sh_type == SHT_DYNSYM) {
		st->dynsym_count = nsyms ? (int)nsyms - 1 : 0; /* entry 0 is the null symbol */
		if (versym_scn)
			vs = section_data(c, versym_scn, versym_sh);
	}
	for (i = 1; i < nsyms; i++) {
		const char *name, *version = NULL;
		GElf_Sym sym;
		__u64 off;

		if (!gelf_getsym(d, i, &sym))
			return corrupt(c, "bad symbol table entry");
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF ||
		    sym.st_shndx == SHN_ABS || sym.st_shndx == SHN_COMMON || !sym.st_value)
			continue;
		name = elf_strptr(c->elf, sh->sh_link, sym.st_name);
		if (!name)
			return corrupt(c, "bad symbol name");
		if (!*name || is_cold_fragment(name))
			continue;
		if (!addr_to_offset(c, sym.st_value, &off))
			continue; /* not in an executable segment: nothing to attach to */
		if (vs && (i + 1) * sizeof(GElf_Versym) <= vs->d_size) {
			GElf_Versym v = ((const GElf_Versym *)vs->d_buf)[i];

			/* An old version kept for old binaries ("memcpy@GLIBC_2.2.5"). */
			if ((v & VERSYM_HIDDEN) && (v & VERSYM_VERSION) >= 2)
				version = verdef_name(c, vd_scn, vd_sh, v & VERSYM_VERSION);
		}
		ret = add_sym(st, name, version, sym.st_value, sym.st_size, off);
		if (ret)
			return ret;
	}
	return 0;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct sym_ent *x = a, *y = b;
	int r = strcmp(x->s.name, y->s.name);

	if (r)
		return r;
	r = strcmp(x->s.raw, y->s.raw);
	if (r)
		return r;
	return x->s.addr < y->s.addr ? -1 : x->s.addr > y->s.addr;
}

static int check_headers(struct load_ctx *c, GElf_Ehdr *eh)
{
	size_t nph, i;

	if (!gelf_getehdr(c->elf, eh))
		return corrupt(c, "ELF header cut off");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
		snprintf(c->err, c->errlen,
			 "%s: ELF %s, not an executable or shared library; give the program or "
			 "library that runs",
			 c->path,
			 eh->e_type == ET_REL	 ? "relocatable object (.o)"
			 : eh->e_type == ET_CORE ? "core dump"
						 : "file of unknown type");
		return -ENOEXEC;
	}
	if (elf_getphdrnum(c->elf, &nph))
		return corrupt(c, "program headers unreadable");
	if (eh->e_phoff > c->fsize || (__u64)nph * eh->e_phentsize > c->fsize - eh->e_phoff)
		return corrupt(c, "program headers end past the end of the file");
	if (eh->e_shoff > c->fsize || (__u64)eh->e_shnum * eh->e_shentsize > c->fsize - eh->e_shoff)
		return corrupt(c, "section headers end past the end of the file");
	c->load = calloc(nph ? nph : 1, sizeof(*c->load));
	if (!c->load)
		return -ENOMEM;
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(c->elf, i, &ph))
			return corrupt(c, "bad program header");
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		if (ph.p_offset > c->fsize || ph.p_filesz > c->fsize - ph.p_offset)
			return corrupt(c, "code segment ends past the end of the file");
		c->load[c->nload++] = ph;
	}
	return 0;
}

static int load_elf(struct load_ctx *c, struct symtab *st)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL, *versym = NULL, *verdef = NULL;
	GElf_Shdr sh, symtab_sh, dynsym_sh, versym_sh, verdef_sh;
	GElf_Ehdr eh;
	int ret;

	if (elf_kind(c->elf) != ELF_K_ELF) {
		snprintf(c->err, c->errlen,
			 "%s: not an ELF file; give a compiled program or shared library "
			 "(not a script or wrapper)",
			 c->path);
		return -ENOEXEC;
	}
	ret = check_headers(c, &eh);
	if (ret)
		return ret;
	while ((scn = elf_nextscn(c->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return corrupt(c, "bad section header");
		switch (sh.sh_type) {
		case SHT_SYMTAB:
			symtab = scn;
			symtab_sh = sh;
			break;
		case SHT_DYNSYM:
			dynsym = scn;
			dynsym_sh = sh;
			break;
		case SHT_GNU_versym:
			versym = scn;
			versym_sh = sh;
			break;
		case SHT_GNU_verdef:
			verdef = scn;
			verdef_sh = sh;
			break;
		}
	}
	st->stripped = !symtab;
	if (symtab) {
		ret = read_symbols(c, st, symtab, &symtab_sh, NULL, NULL, NULL, NULL);
		if (ret)
			return ret;
	}
	if (dynsym) {
		ret =
		    read_symbols(c, st, dynsym, &dynsym_sh, versym, &versym_sh, verdef, &verdef_sh);
		if (ret)
			return ret;
	}
	if (!st->n) {
		if (symtab)
			snprintf(c->err, c->errlen, "%s: no function symbols at all", c->path);
		else
			snprintf(c->err, c->errlen,
				 "%s: stripped binary: no .symtab, and none of its %d dynamic "
				 "symbols is a function it defines; rebuild it without -s/strip "
				 "(e.g. with -g), or trace a library function (LIB:FUNC)",
				 c->path, st->dynsym_count);
		return -ENODATA;
	}
	return 0;
}

int symtab__load(const char *path, struct symtab **out, char *err, size_t errlen)
{
	struct load_ctx c = {.path = path, .err = err, .errlen = errlen};
	struct symtab *st = NULL;
	struct stat sb;
	int fd, ret, i, j;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			snprintf(err, errlen, "%s: no such file; check the path", path);
		else if (ret == -EACCES)
			snprintf(err, errlen,
				 "%s: permission denied; run as a user who can read it (e.g. "
				 "with sudo)",
				 path);
		else
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &sb)) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot stat: %s", path, strerror(-ret));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: is a directory; give the program or library file", path);
		ret = -EISDIR;
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file, so not an ELF binary", path);
		ret = -ENOEXEC;
		goto out;
	}
	c.fsize = sb.st_size;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		ret = -EINVAL;
		goto out;
	}
	c.elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!c.elf) {
		ret = corrupt(&c, elf_errmsg(-1));
		goto out;
	}
	st = calloc(1, sizeof(*st));
	if (!st || !(st->path = strdup(path))) {
		ret = -ENOMEM;
		goto out;
	}
	ret = load_elf(&c, st);
	if (ret)
		goto out;
	/* Sort, then drop a name+address seen twice (.symtab and .dynsym both list it). */
	qsort(st->ents, st->n, sizeof(*st->ents), ent_cmp);
	for (i = 0, j = 0; i < st->n; i++) {
		if (j && !strcmp(st->ents[j - 1].s.name, st->ents[i].s.name) &&
		    !strcmp(st->ents[j - 1].s.raw, st->ents[i].s.raw) &&
		    st->ents[j - 1].s.addr == st->ents[i].s.addr) {
			if (!st->ents[j - 1].s.size)
				st->ents[j - 1].s.size = st->ents[i].s.size;
			free_ent(&st->ents[i]);
			continue;
		}
		st->ents[j++] = st->ents[i];
	}
	st->n = j;
	*out = st;
	st = NULL;
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory reading symbols", path);
	symtab__free(st);
	free(c.load);
	if (c.elf)
		elf_end(c.elf);
	close(fd);
	return ret;
}

bool symtab__stripped(const struct symtab *st)
{
	return st->stripped;
}

int symtab__dynsym_count(const struct symtab *st)
{
	return st->dynsym_count;
}

int symtab__count(const struct symtab *st)
{
	return st->n;
}

const struct bt_sym *symtab__get(const struct symtab *st, int i)
{
	return i >= 0 && i < st->n ? &st->ents[i].s : NULL;
}

const char *symtab__path(const struct symtab *st)
{
	return st->path;
}

void symtab__free(struct symtab *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++)
		free_ent(&st->ents[i]);
	free(st->ents);
	free(st->path);
	free(st);
}

/* Matching */

static bool ent_equals(const struct sym_ent *e, const char *s)
{
	return !strcmp(e->s.name, s) || !strcmp(e->shortname, s) || !strcmp(e->s.raw, s);
}

static bool ent_globs(const struct sym_ent *e, const char *glob)
{
	return !fnmatch(glob, e->s.name, 0) || !fnmatch(glob, e->shortname, 0) ||
	       !fnmatch(glob, e->s.raw, 0);
}

/* Lower is better: the name as typed, then fewer leading underscores, then shorter. */
static int alias_rank(const struct sym_ent *e, const char *glob)
{
	int us = 0;

	if (ent_equals(e, glob))
		return -1;
	while (e->s.name[us] == '_')
		us++;
	return us * 4096 + (int)(strlen(e->s.name) & 4095);
}

struct match {
	const struct sym_ent *e;
	int rank;
};

static int match_addr_cmp(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	if (x->e->s.addr != y->e->s.addr)
		return x->e->s.addr < y->e->s.addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->e->s.name, y->e->s.name);
}

static int match_name_cmp(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	/* ents are sorted, so their order is the name order */
	return x->e < y->e ? -1 : x->e > y->e;
}

static int find(const struct symtab *st, const char *glob, const struct bt_sym **out, int max,
		bool dedupe)
{
	struct match *m;
	bool exact = false;
	int i, n = 0, j;

	for (i = 0; i < st->n && !exact; i++)
		exact = ent_equals(&st->ents[i], glob);
	m = calloc(st->n > 0 ? (size_t)st->n : 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	for (i = 0; i < st->n; i++) {
		const struct sym_ent *e = &st->ents[i];

		if (exact ? ent_equals(e, glob) : ent_globs(e, glob))
			m[n++] = (struct match){e, alias_rank(e, glob)};
	}
	if (dedupe && n > 1) {
		qsort(m, n, sizeof(*m), match_addr_cmp);
		for (i = 1, j = 1; i < n; i++)
			if (m[i].e->s.addr != m[j - 1].e->s.addr)
				m[j++] = m[i];
		n = j;
		qsort(m, n, sizeof(*m), match_name_cmp);
	}
	for (i = 0; i < n && i < max; i++)
		out[i] = &m[i].e->s;
	free(m);
	return n;
}

int symtab__find(const struct symtab *st, const char *glob, const struct bt_sym **out, int max)
{
	return find(st, glob, out, max, true);
}

int symtab__find_names(const struct symtab *st, const char *glob, const struct bt_sym **out,
		       int max)
{
	return find(st, glob, out, max, false);
}

/* Suggestions */

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
	for (p = want; *p; p++)
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

int symtab__suggest(const struct symtab *st, const char *name, char *buf, size_t len)
{
	struct suggest sg;
	int i;

	suggest__init(&sg, name);
	for (i = 0; i < st->n; i++)
		suggest__add(&sg, st->ents[i].shortname, NULL);
	return suggest__format(&sg, buf, len);
}

const struct bt_sym *symtab__at(const struct symtab *st, __u64 addr)
{
	const struct bt_sym *s;
	int i;

	for (i = 0; i < st->n; i++) {
		s = &st->ents[i].s;
		if (addr >= s->addr && addr < s->addr + (s->size ? s->size : 1))
			return s;
	}
	return NULL;
}
