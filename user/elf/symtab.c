// SPDX-License-Identifier: GPL-2.0
/*
 * ELF function symbols for uprobes: .symtab and .dynsym, versions, IFUNCs,
 * separate debug files (build ID, .gnu_debuglink), and matching names and
 * globs against them.  One job over one struct load_ctx and one sorted
 * table; the debug-file search is the largest part and reads the same ELF
 * handle and headers as the rest, so it stays here rather than behind a
 * second copy of that state.  Library search is libpath.c, return sites
 * exits.c.
 *
 * Demangling uses __cxa_demangle from libstdc++: it is the Itanium C++ ABI's
 * own entry point, maintained with the compiler that produces the names,
 * and libstdc++.so.6 is on every system that runs C++ programs.  libiberty
 * (binutils' cplus_demangle) would do as well, but Debian ships it only as
 * a static archive in libiberty-dev, which is one more build dependency for
 * no gain.  The prototype is declared here because <cxxabi.h> is C++; the
 * library is loaded at the first C++ name (util/lazylib.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "elf/symtab.h"
#include "rundir/safefile.h"
#include "util/lazylib.h"
#include "util/suggest.h"

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* libstdc++ is loaded at the first C++ name (util/lazylib.h): a run that
 * reads no C++ symbols never maps it.  Without it, names stay mangled. */
static char *demangle(const char *mangled, int *status)
{
	static struct lazylib lib = {.soname = "libstdc++.so.6", .package = "libstdc++6"};
	static __typeof__(__cxa_demangle) *fn;

	if (!fn && lazylib__bind(&lib, "__cxa_demangle", &fn)) {
		*status = -1;
		return NULL;
	}
	return fn(mangled, NULL, NULL, status);
}

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
	char **ifuncs; /* names of IFUNC symbols, for telling users why they are not here */
	int nifuncs;
	char *debug_file; /* where .symtab came from when the binary itself is stripped */
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
		name = demangle(raw, &status);
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

static int add_ifunc(struct symtab *st, const char *name)
{
	char **n = realloc(st->ifuncs, (st->nifuncs + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	st->ifuncs = n;
	st->ifuncs[st->nifuncs] = strdup(name);
	return st->ifuncs[st->nifuncs++] ? 0 : -ENOMEM;
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
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS ||
		    sym.st_shndx == SHN_COMMON || !sym.st_value)
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		    GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC)
			continue;
		name = elf_strptr(c->elf, sh->sh_link, sym.st_name);
		if (!name)
			return corrupt(c, "bad symbol name");
		if (GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC) {
			/* Its address is the resolver's, which runs once at load time. */
			ret = add_ifunc(st, name);
			if (ret)
				return ret;
			continue;
		}
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

/* Separate debug files (Debian's *-dbgsym packages, objcopy --only-keep-debug) */

#define DEBUG_ROOT "/usr/lib/debug"

/* The GNU build ID note of @elf, as hex, or "" (buf holds at least 2*64+1). */
static void build_id_hex(Elf *elf, size_t fsize, char *buf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	buf[0] = '\0';
	while ((scn = elf_nextscn(elf, scn))) {
		size_t off = 0, name_off, desc_off;
		GElf_Nhdr nh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || sh.sh_offset > fsize ||
		    sh.sh_size > fsize - sh.sh_offset)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		while ((off = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			const unsigned char *desc = (const unsigned char *)d->d_buf + desc_off;
			size_t i;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)d->d_buf + name_off, "GNU", 4) || !nh.n_descsz ||
			    nh.n_descsz > 64)
				continue;
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(buf + 2 * i, "%02x", desc[i]);
			return;
		}
	}
}

/* .gnu_debuglink: the debug file's name and the CRC-32 of its contents. */
static bool debuglink(Elf *elf, size_t fsize, char *name, size_t len, __u32 *crc)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		sname = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!sname || strcmp(sname, ".gnu_debuglink") || sh.sh_offset > fsize ||
		    sh.sh_size > fsize - sh.sh_offset)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return false;
		n = strnlen(d->d_buf, d->d_size);
		/*
		 * name, NUL, padding to 4, CRC.  A file name, as objcopy writes it:
		 * with a '/' ("../../x") a planted binary would point root at any
		 * file to read.
		 */
		if (!n || n >= len || ((n + 4) & ~(size_t)3) + 4 > d->d_size ||
		    memchr(d->d_buf, '/', n))
			return false;
		memcpy(name, d->d_buf, n);
		name[n] = '\0';
		memcpy(crc, (const char *)d->d_buf + ((n + 4) & ~(size_t)3), 4);
		return true;
	}
	return false;
}

static bool file_crc_is(int fd, __u32 want)
{
	unsigned char buf[65536];
	uLong crc = crc32(0, NULL, 0);
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, r);
	return r == 0 && crc == want;
}

struct debug_elf {
	int fd;
	Elf *elf;
	size_t fsize;
	Elf_Scn *symtab;
	GElf_Shdr symtab_sh;
};

/* Open @path as the debug file: an ELF file with a .symtab that belongs to us. */
static bool debug_open(struct debug_elf *de, const char *path, const char *want_id, bool check_crc,
		       __u32 crc)
{
	char id[2 * 64 + 1];
	Elf_Scn *scn = NULL;
	off_t size;

	/* Symlinks followed: /usr/lib/debug/.build-id/xx/yyy.debug is one. */
	de->fd = safefile__open(path, SAFEFILE_FOLLOW, 0, &size, NULL, 0);
	if (de->fd < 0)
		return false;
	if (check_crc && !file_crc_is(de->fd, crc))
		goto fail;
	de->fsize = size;
	de->elf = elf_begin(de->fd, ELF_C_READ_MMAP, NULL);
	if (!de->elf || elf_kind(de->elf) != ELF_K_ELF)
		goto fail;
	if (*want_id) {
		build_id_hex(de->elf, de->fsize, id);
		if (strcmp(id, want_id))
			goto fail; /* a debug file for another build */
	}
	while ((scn = elf_nextscn(de->elf, scn))) {
		if (gelf_getshdr(scn, &de->symtab_sh) && de->symtab_sh.sh_type == SHT_SYMTAB) {
			de->symtab = scn;
			return true;
		}
	}
fail:
	if (de->elf)
		elf_end(de->elf);
	close(de->fd);
	memset(de, 0, sizeof(*de));
	return false;
}

/* Where gdb looks: by build ID, then by .gnu_debuglink next to the file and under DEBUG_ROOT. */
static bool debug_find(struct load_ctx *c, struct debug_elf *de, char *found, size_t len)
{
	char id[2 * 64 + 1], link[256], real[PATH_MAX], dir[PATH_MAX], cand[3 * PATH_MAX];
	char *slash;
	__u32 crc;

	build_id_hex(c->elf, c->fsize, id);
	if (strlen(id) > 2) {
		snprintf(cand, sizeof(cand), DEBUG_ROOT "/.build-id/%.2s/%s.debug", id, id + 2);
		if (debug_open(de, cand, id, false, 0))
			goto ok;
	}
	if (!debuglink(c->elf, c->fsize, link, sizeof(link), &crc))
		return false;
	if (!realpath(c->path, real))
		return false;
	slash = strrchr(real, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - real), real);
	snprintf(cand, sizeof(cand), "%s/%s", dir, link);
	if (strcmp(cand, real) && debug_open(de, cand, id, true, crc))
		goto ok;
	snprintf(cand, sizeof(cand), "%s/.debug/%s", dir, link);
	if (debug_open(de, cand, id, true, crc))
		goto ok;
	snprintf(cand, sizeof(cand), DEBUG_ROOT "%s/%s", dir, link);
	if (debug_open(de, cand, id, true, crc))
		goto ok;
	return false;
ok:
	snprintf(found, len, "%s", cand);
	return true;
}

/*
 * A stripped file's .symtab from its separate debug file.  The debug file has
 * the same addresses; offsets still come from the stripped file's own
 * program headers, the file the uprobe attaches to.
 */
static int read_debug_symbols(struct load_ctx *c, struct symtab *st)
{
	struct debug_elf de = {};
	char found[3 * PATH_MAX];
	Elf *elf = c->elf;
	size_t fsize = c->fsize;
	int ret;

	if (!debug_find(c, &de, found, sizeof(found)))
		return 0;
	st->debug_file = strdup(found);
	if (!st->debug_file) {
		ret = -ENOMEM;
		goto out;
	}
	c->elf = de.elf;
	c->fsize = de.fsize;
	ret = read_symbols(c, st, de.symtab, &de.symtab_sh, NULL, NULL, NULL, NULL);
	c->elf = elf;
	c->fsize = fsize;
	if (ret == -ENOEXEC) {
		/* A broken debug file is no reason to refuse the binary. */
		free(st->debug_file);
		st->debug_file = NULL;
		c->err[0] = '\0';
		ret = 0;
	}
out:
	elf_end(de.elf);
	close(de.fd);
	return ret;
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
	if (symtab)
		ret = read_symbols(c, st, symtab, &symtab_sh, NULL, NULL, NULL, NULL);
	else
		ret = read_debug_symbols(c, st);
	if (ret)
		return ret;
	st->stripped = !symtab && !st->debug_file;
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

int symtab__open_elf(const char *path, off_t *size, char *err, size_t errlen)
{
	int ret = safefile__open(path, SAFEFILE_FOLLOW, 0, size, err, errlen);

	/* What to do about it, instead of safefile's plain messages. */
	if (ret == -ENOENT)
		snprintf(err, errlen, "%s: no such file; check the path", path);
	else if (ret == -EACCES)
		snprintf(err, errlen,
			 "%s: permission denied; run as a user who can read it (e.g. with sudo)",
			 path);
	else if (ret == -EISDIR)
		snprintf(err, errlen, "%s: is a directory; give the program or library file", path);
	else if (ret == -EINVAL)
		snprintf(err, errlen, "%s: not a regular file, so not an ELF binary", path);
	return ret == -EINVAL ? -ENOEXEC : ret;
}

int symtab__load(const char *path, struct symtab **out, char *err, size_t errlen)
{
	struct load_ctx c = {.path = path, .err = err, .errlen = errlen};
	struct symtab *st = NULL;
	off_t size;
	int fd, ret, i, j;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	fd = symtab__open_elf(path, &size, err, errlen);
	if (fd < 0)
		return fd;
	c.fsize = size;
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

const char *symtab__debug_file(const struct symtab *st)
{
	return st->debug_file;
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
	for (i = 0; i < st->nifuncs; i++)
		free(st->ifuncs[i]);
	free(st->ifuncs);
	free(st->debug_file);
	free(st->path);
	free(st);
}

/* Matching */

bool symtab__is_ifunc(const struct symtab *st, const char *glob)
{
	int i;

	for (i = 0; i < st->nifuncs; i++)
		if (!strcmp(st->ifuncs[i], glob) || !fnmatch(glob, st->ifuncs[i], 0))
			return true;
	return false;
}

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

int symtab__suggest(const struct symtab *st, const char *name, char *buf, size_t len)
{
	struct suggest sg;
	int i;

	suggest__init(&sg, name);
	for (i = 0; i < st->n; i++)
		suggest__add(&sg, st->ents[i].shortname, NULL);
	return suggest__format(&sg, buf, len);
}

void symtab__explain_miss(const struct symtab *st, const char *glob, const char *shown, char *err,
			  size_t errlen)
{
	char sugg[768];
	bool is_glob = strpbrk(glob, "*?[") != NULL;

	if (symtab__is_ifunc(st, glob) && st->stripped)
		snprintf(err, errlen,
			 "'%s' in %s is an IFUNC: the dynamic loader picks a CPU-specific "
			 "implementation at start-up, and this stripped file does not name its "
			 "implementations; trace a function that calls it instead",
			 glob, shown);
	else if (symtab__is_ifunc(st, glob))
		snprintf(err, errlen,
			 "'%s' in %s is an IFUNC: the dynamic loader picks a CPU-specific "
			 "implementation at start-up; trace that one (list them with 'benchtrace "
			 "functions %s \"*%s*\"')",
			 glob, shown, shown, glob);
	else if (symtab__suggest(st, glob, sugg, sizeof(sugg)))
		snprintf(err, errlen, "no function %s '%s' in %s (did you mean %s?)",
			 is_glob ? "matches" : "named", glob, shown, sugg);
	else
		snprintf(err, errlen,
			 "no function %s '%s' in %s%s (list its %d functions with 'benchtrace "
			 "functions %s')",
			 is_glob ? "matches" : "named", glob, shown,
			 st->stripped ? ", which is stripped: only exported functions are known"
				      : "",
			 st->n, shown);
}

const struct bt_sym *symtab__at(const struct symtab *st, __u64 addr)
{
	const struct bt_sym *s;
	int i;

	for (i = 0; i < st->n; i++) {
		s = &st->ents[i].s;
		/* a difference, not addr + size: that wraps for a planted st_size */
		if (addr >= s->addr && addr - s->addr < (s->size ? s->size : 1))
			return s;
	}
	return NULL;
}
