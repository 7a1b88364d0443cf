// SPDX-License-Identifier: GPL-2.0
/*
 * Return instructions by disassembly (capstone).  The BPF side pairs an
 * exit with its entry by stack pointer: at a return instruction, or at a
 * jump that leaves the function for good, the stack pointer is the one the
 * entry saw.  So an exit probe that a return from elsewhere reaches matches
 * no open call, and probing too many instructions costs time, never
 * correctness; probing too few leaves calls open, later dropped as unwound.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <capstone/capstone.h>
#include "elf/exits.h"
#include "elf/symtab.h"
#include "rundir/safefile.h"
#include "util/lazylib.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

/* capstone is loaded when a function is first disassembled (util/lazylib.h);
 * the calls below go through these pointers under their own names */
static struct lazylib capstone_lib = {.soname = "libcapstone.so." STR(CS_API_MAJOR),
				      .package = "libcapstone" STR(CS_API_MAJOR)};
static struct {
	__typeof__(cs_open) *open;
	__typeof__(cs_close) *close;
	__typeof__(cs_option) *option;
	__typeof__(cs_malloc) *malloc;
	__typeof__(cs_free) *free;
	__typeof__(cs_disasm_iter) *disasm_iter;
	__typeof__(cs_insn_group) *insn_group;
} cs_lib;
#define cs_open	       (cs_lib.open)
#define cs_close       (cs_lib.close)
#define cs_option      (cs_lib.option)
#define cs_malloc      (cs_lib.malloc)
#define cs_free	       (cs_lib.free)
#define cs_disasm_iter (cs_lib.disasm_iter)
#define cs_insn_group  (cs_lib.insn_group)

static int capstone_load(char *err, size_t errlen)
{
	struct lazylib *l = &capstone_lib;

	if (l->state > 0)
		return 0;
	if (lazylib__bind(l, "cs_open", &cs_lib.open) ||
	    lazylib__bind(l, "cs_close", &cs_lib.close) ||
	    lazylib__bind(l, "cs_option", &cs_lib.option) ||
	    lazylib__bind(l, "cs_malloc", &cs_lib.malloc) ||
	    lazylib__bind(l, "cs_free", &cs_lib.free) ||
	    lazylib__bind(l, "cs_disasm_iter", &cs_lib.disasm_iter) ||
	    lazylib__bind(l, "cs_insn_group", &cs_lib.insn_group)) {
		if (err)
			snprintf(err, errlen, "%s", l->err);
		return -ELIBACC;
	}
	return 0;
}

#define FOLLOW_DEPTH 2		  /* jumps followed out of the function */
#define MAX_CODE     (256 * 1024) /* bytes disassembled per region */
#define COLD_SWEEP   4096	  /* bytes swept from a jump into code of no known function */
#define MAX_REGIONS  64
#define MAX_EXITS    (1 << 20) /* instructions collected, duplicates included */

struct code {
	int fd;
	Elf *elf;
	csh cs;
	const struct symtab *st;
	__u64 regions[MAX_REGIONS]; /* start addresses already walked */
	int nregions;
	__u64 *offs;
	int n, cap;
};

static int elf_open(const char *path, int *fd, Elf **elf)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	/* the user's program: a symlink is fine, a FIFO or device is not */
	*fd = safefile__open(path, SAFEFILE_FOLLOW, 0, NULL, NULL, 0);
	if (*fd < 0)
		return *fd;
	*elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (!*elf) {
		close(*fd);
		return -ENOEXEC;
	}
	return 0;
}

/* The name of the allocated section holding addr, or NULL. */
static const char *section_at(Elf *elf, __u64 addr)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC) && addr >= sh.sh_addr &&
		    addr < sh.sh_addr + sh.sh_size)
			return elf_strptr(elf, shstrndx, sh.sh_name);
	return NULL;
}

static bool has_section(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	const char *n;
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		n = gelf_getshdr(scn, &sh) ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/* Whether the file links a C++ runtime (DT_NEEDED libstdc++ or libc++). */
static bool links_cxx_runtime(Elf *elf)
{
	Elf_Scn *scn = NULL;
	const char *name;
	Elf_Data *data;
	GElf_Shdr sh;
	GElf_Dyn dyn;
	size_t i;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag != DT_NEEDED)
				continue;
			name = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
			if (name && (!strncmp(name, "libstdc++", 9) || !strncmp(name, "libc++", 6)))
				return true;
		}
	}
	return false;
}

/*
 * Code a uretprobe would break: C++ (exceptions unwind through any frame,
 * whether or not its own file has handlers), also what glibc's thread
 * cancellation unwinds with (.gcc_except_table); and Go, whose runtime
 * copies goroutine stacks to grow them and walks them by return address.
 */
bool exits__needed(const char *path)
{
	static const char *const sections[] = {".gcc_except_table", ".go.buildinfo", ".gopclntab"};
	bool found = false;
	size_t i;
	Elf *elf;
	int fd;

	if (elf_open(path, &fd, &elf))
		return false;
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]) && !found; i++)
		found = has_section(elf, sections[i]);
	found = found || links_cxx_runtime(elf);
	elf_end(elf);
	close(fd);
	return found;
}

bool exits__is_go(const char *path)
{
	bool found;
	Elf *elf;
	int fd;

	if (elf_open(path, &fd, &elf))
		return false;
	found = has_section(elf, ".go.buildinfo") || has_section(elf, ".gopclntab");
	elf_end(elf);
	close(fd);
	return found;
}

/* The file offset of a virtual address, through the PT_LOAD holding it. */
static int vaddr_offset(Elf *elf, __u64 addr, __u64 *off, __u64 *avail)
{
	size_t i, n;
	GElf_Phdr ph;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			*avail = ph.p_vaddr + ph.p_filesz - addr;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Duplicates are dropped at the end (exits__find), not here: a scan per
 * instruction made code of nothing but returns quadratic (256 KiB of 0xc3,
 * minutes as root).
 */
static int add_exit(struct code *c, __u64 addr)
{
	__u64 off, avail, *n;

	if (vaddr_offset(c->elf, addr, &off, &avail))
		return 0;
	if (c->n && c->offs[c->n - 1] == off)
		return 0;
	if (c->n == MAX_EXITS)
		return -E2BIG;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		n = realloc(c->offs, c->cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		c->offs = n;
	}
	c->offs[c->n++] = off;
	return 0;
}

/* A direct branch's target, if the instruction is one. */
static bool branch_target(csh cs, const cs_insn *insn, __u64 *target)
{
	const cs_detail *d = insn->detail;
	int i;

	if (!d || !cs_insn_group(cs, insn, CS_GRP_JUMP))
		return false;
#if defined(__x86_64__)
	for (i = 0; i < d->x86.op_count; i++)
		if (d->x86.operands[i].type == X86_OP_IMM) {
			*target = d->x86.operands[i].imm;
			return true;
		}
#elif defined(__aarch64__)
	for (i = 0; i < d->arm64.op_count; i++)
		if (d->arm64.operands[i].type == ARM64_OP_IMM) {
			*target = d->arm64.operands[i].imm;
			return true;
		}
#else
	(void)i;
#endif
	return false;
}

static int walk(struct code *c, __u64 lo, __u64 hi, int depth);

/* A jump from the region [lo, hi) to target, at addr. */
static int follow(struct code *c, __u64 addr, __u64 target, int depth)
{
	const struct bt_sym *s;
	const char *sec;

	if (depth >= FOLLOW_DEPTH)
		return add_exit(c, addr); /* as far as we follow: the call ends here */
	s = symtab__at(c->st, target);
	if (s && s->addr == target) /* a tail call: it returns for us */
		return walk(c, s->addr, s->addr + s->size, depth + 1);
	if (s) /* into the middle of another function: cannot tell, end here */
		return add_exit(c, addr);
	sec = section_at(c->elf, target);
	if (sec && !strncmp(sec, ".plt", 4))
		return add_exit(c, addr); /* a tail call into another file */
	/* code of no known function: the .cold part of this one */
	return walk(c, target, target + COLD_SWEEP, depth + 1);
}

static int walk(struct code *c, __u64 lo, __u64 hi, int depth)
{
	const uint8_t *p;
	__u64 off, avail, target;
	uint64_t addr;
	size_t len, size;
	cs_insn *insn;
	uint8_t *buf;
	int i, ret = 0;

	for (i = 0; i < c->nregions; i++)
		if (c->regions[i] == lo)
			return 0;
	if (c->nregions == MAX_REGIONS)
		return 0;
	c->regions[c->nregions++] = lo;
	if (vaddr_offset(c->elf, lo, &off, &avail))
		return 0;
	len = hi - lo;
	if (len > avail)
		len = avail;
	if (len > MAX_CODE)
		len = MAX_CODE;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	if (pread(c->fd, buf, len, off) != (ssize_t)len) {
		free(buf);
		return -EIO;
	}
	insn = cs_malloc(c->cs);
	if (!insn) {
		free(buf);
		return -ENOMEM;
	}
	p = buf;
	size = len;
	addr = lo;
	/* stops at the first byte that is not an instruction: padding, data */
	while (!ret && cs_disasm_iter(c->cs, &p, &size, &addr, insn)) {
		if (cs_insn_group(c->cs, insn, CS_GRP_RET)) {
			ret = add_exit(c, insn->address);
			continue;
		}
		if (branch_target(c->cs, insn, &target) && (target < lo || target >= hi))
			ret = follow(c, insn->address, target, depth);
	}
	cs_free(insn, 1);
	free(buf);
	return ret;
}

static int u64_cmp(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

int exits__jumps_to_entry(const struct symtab *st, const struct bt_sym *sym)
{
	uint64_t addr = sym->addr;
	__u64 off, avail, target;
	const uint8_t *p;
	cs_insn *insn;
	size_t len, size;
	uint8_t *buf = NULL;
	int fd, found = 0;
	Elf *elf;
	csh cs;

	if (capstone_load(NULL, 0))
		return -ELIBACC;
#if defined(__x86_64__)
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return -ENOMEM;
#elif defined(__aarch64__)
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
		return -ENOMEM;
#else
	return 0;
#endif
	cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	if (elf_open(symtab__path(st), &fd, &elf)) {
		cs_close(&cs);
		return -EIO;
	}
	len = sym->size;
	if (!vaddr_offset(elf, sym->addr, &off, &avail) && len) {
		if (len > avail)
			len = avail;
		if (len > MAX_CODE)
			len = MAX_CODE;
		buf = malloc(len);
	}
	insn = buf ? cs_malloc(cs) : NULL;
	if (insn && pread(fd, buf, len, off) == (ssize_t)len) {
		p = buf;
		size = len;
		while (!found && cs_disasm_iter(cs, &p, &size, &addr, insn))
			/* a call to itself is recursion, a new call: only jumps loop */
			found = !cs_insn_group(cs, insn, CS_GRP_CALL) &&
				branch_target(cs, insn, &target) && target == sym->addr;
	}
	if (insn)
		cs_free(insn, 1);
	free(buf);
	cs_close(&cs);
	elf_end(elf);
	close(fd);
	return found;
}

int exits__find(const struct symtab *st, const struct bt_sym *sym, __u64 **offs, char *err,
		size_t errlen)
{
	struct code c = {.st = st};
	cs_arch arch;
	cs_mode mode;
	int ret, i;

#if defined(__x86_64__)
	arch = CS_ARCH_X86;
	mode = CS_MODE_64;
#elif defined(__aarch64__)
	arch = CS_ARCH_ARM64;
	mode = CS_MODE_ARM;
#else
	snprintf(err, errlen, "finding return instructions is not supported on this architecture");
	return -EOPNOTSUPP;
#endif
	ret = capstone_load(err, errlen);
	if (ret)
		return ret;
	ret = elf_open(symtab__path(st), &c.fd, &c.elf);
	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", symtab__path(st), strerror(-ret));
		return ret;
	}
	if (cs_open(arch, mode, &c.cs) != CS_ERR_OK) {
		elf_end(c.elf);
		close(c.fd);
		snprintf(err, errlen, "cannot start the disassembler");
		return -ENOMEM;
	}
	cs_option(c.cs, CS_OPT_DETAIL, CS_OPT_ON);
	ret = walk(&c, sym->addr, sym->addr + sym->size, 0);
	cs_close(&c.cs);
	elf_end(c.elf);
	close(c.fd);
	if (ret == -E2BIG) {
		free(c.offs);
		snprintf(err, errlen,
			 "%s in %s: more than %d return instructions (not code?); trace a "
			 "function that calls it",
			 sym->name, symtab__path(st), MAX_EXITS);
		return ret;
	}
	if (ret) {
		free(c.offs);
		snprintf(err, errlen, "cannot disassemble %s in %s: %s", sym->name,
			 symtab__path(st), strerror(-ret));
		return ret;
	}
	/* sorted, each once; not the entry (a function that is one return
	 * instruction): its entry probe is there */
	if (c.n) /* else offs is NULL, which qsort() must not get */
		qsort(c.offs, c.n, sizeof(*c.offs), u64_cmp);
	for (i = 0, ret = 0; i < c.n; i++)
		if ((!ret || c.offs[i] != c.offs[ret - 1]) && c.offs[i] != sym->offset)
			c.offs[ret++] = c.offs[i];
	*offs = c.offs;
	return ret;
}
