// SPDX-License-Identifier: GPL-2.0
/*
 * Library names to files, the two ways benchtrace needs: what a running
 * process has mapped, and what the dynamic loader would load for a command
 * that has not started yet (so its uprobes are in place before main()).
 *
 * The second follows glibc's ld.so search order (elf/dl-load.c,
 * _dl_map_object) without running anything: no ldd, no ldconfig -p,
 * /etc/ld.so.cache is read directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elf/libpath.h"
#include "elf/symtab.h"
#include "rundir/safefile.h"

bool lib__name_matches(const char *lib, const char *base)
{
	size_t n = strlen(lib);
	const char *rest;

	if (!n || strncmp(base, lib, n))
		return false;
	rest = base + n;
	if (!*rest || !strncmp(rest, ".so", 3))
		return true;
	if (*rest == '-') /* "libc-2.31.so" */
		return strstr(rest, ".so") != NULL;
	/* "libc.so" for "libc.so.6" */
	return *rest == '.' && strstr(lib, ".so") != NULL;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Append "name" to a ", "-separated list in @buf, ending it with "..." when full. */
static void list_add(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);

	if (used >= 3 && !strcmp(buf + used - 3, "..."))
		return;
	if (used + strlen(name) + 2 + 5 >= len) {
		snprintf(buf + used, len - used, "%s...", used ? ", " : "");
		return;
	}
	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

/* /proc/PID/maps */

void mapped_files__free(struct mapped_file *f, int n)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < n; i++) {
		free(f[i].path);
		free(f[i].name);
	}
	free(f);
}

static bool same_inode(const char *path, unsigned long ino)
{
	struct stat sb;

	return !stat(path, &sb) && S_ISREG(sb.st_mode) && sb.st_ino == ino;
}

/*
 * The path by which this process reaches the file the target mapped: its
 * own name when that is the same file, else through the target's root
 * (another mount namespace, a container), else /proc/PID/map_files (a
 * deleted or replaced file; needs root).  uprobes attach to the inode, so
 * any of these names works.
 */
static char *reach_path(pid_t pid, const char *name, unsigned long ino, const char *range)
{
	char buf[PATH_MAX + 64];

	if (same_inode(name, ino))
		return strdup(name);
	snprintf(buf, sizeof(buf), "/proc/%d/root%s", (int)pid, name);
	if (same_inode(buf, ino))
		return strdup(buf);
	snprintf(buf, sizeof(buf), "/proc/%d/map_files/%s", (int)pid, range);
	if (!access(buf, R_OK))
		return strdup(buf);
	return strdup(name);
}

static int proc_error(pid_t pid, int ret, char *err, size_t errlen)
{
	if (ret == -ENOENT) {
		snprintf(err, errlen, "no process with PID %d (check the PID; it may have exited)",
			 (int)pid);
		return -ESRCH;
	}
	if (ret == -EACCES || ret == -EPERM) {
		snprintf(err, errlen,
			 "cannot read the memory map of PID %d: permission denied; run as its "
			 "owner or as root (sudo)",
			 (int)pid);
		return -EACCES;
	}
	snprintf(err, errlen, "cannot read /proc/%d/maps: %s", (int)pid, strerror(-ret));
	return ret;
}

int lib__proc_exe(pid_t pid, char *real, size_t len, char *err, size_t errlen)
{
	char link[64];
	ssize_t n;
	int ret;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, real, len - 1);
	if (n >= 0) {
		real[n] = '\0';
		if (n > 10 && !strcmp(real + n - 10, " (deleted)"))
			real[n - 10] = '\0';
		return 0;
	}
	ret = -errno;
	if (ret == -ENOENT) {
		snprintf(link, sizeof(link), "/proc/%d", (int)pid);
		if (!access(link, F_OK)) {
			snprintf(err, errlen,
				 "PID %d has no executable: it is a kernel thread or has exited "
				 "(a zombie); give a user-space process",
				 (int)pid);
			return -ENOEXEC;
		}
	}
	return proc_error(pid, ret, err, errlen);
}

int lib__mapped_files(pid_t pid, struct mapped_file **out, char *err, size_t errlen)
{
	char fname[64], *line = NULL;
	struct mapped_file *f = NULL;
	size_t cap = 0;
	int n = 0, ret = 0, fcap = 0;
	FILE *fp;

	*out = NULL;
	snprintf(fname, sizeof(fname), "/proc/%d/maps", (int)pid);
	fp = fopen(fname, "re");
	if (!fp)
		return proc_error(pid, -errno, err, errlen);
	while (getline(&line, &cap, fp) > 0) {
		char range[64], perms[8], *name, *nl;
		unsigned long ino;
		bool deleted = false;
		int pos = 0, i;

		if (sscanf(line, "%63s %7s %*s %*s %lu %n", range, perms, &ino, &pos) < 3 || !pos)
			continue;
		name = line + pos;
		nl = strchr(name, '\n');
		if (nl)
			*nl = '\0';
		if (perms[2] != 'x' || name[0] != '/')
			continue;
		if (strlen(name) > 10 && !strcmp(name + strlen(name) - 10, " (deleted)")) {
			name[strlen(name) - 10] = '\0';
			deleted = true;
		}
		for (i = 0; i < n && strcmp(f[i].name, name); i++)
			;
		if (i < n)
			continue;
		if (n == fcap) {
			struct mapped_file *nf;

			fcap = fcap ? fcap * 2 : 32;
			nf = realloc(f, fcap * sizeof(*f));
			if (!nf) {
				ret = -ENOMEM;
				break;
			}
			f = nf;
		}
		f[n].name = strdup(name);
		f[n].path = reach_path(pid, name, ino, range);
		f[n].deleted = deleted;
		n++;
		if (!f[n - 1].name || !f[n - 1].path) {
			ret = -ENOMEM;
			break;
		}
	}
	/* A zombie or kernel thread has an empty map: not an error here. */
	if (!ret && ferror(fp))
		ret = proc_error(pid, -EIO, err, errlen);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory reading /proc/%d/maps", (int)pid);
	free(line);
	fclose(fp);
	if (ret) {
		mapped_files__free(f, n);
		return ret;
	}
	*out = f;
	return n;
}

int lib__find_mapped(pid_t pid, const char *lib, char *path, size_t len, char *err, size_t errlen)
{
	struct mapped_file *f;
	int n, i, found = -1, exact = -1;
	char names[512] = "";

	if (errlen)
		err[0] = '\0';
	n = lib__mapped_files(pid, &f, err, errlen);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const char *b = base_name(f[i].name);

		if (!strcmp(b, lib) && exact < 0)
			exact = i;
		if (!lib__name_matches(lib, b))
			continue;
		if (found >= 0 && strcmp(f[found].name, f[i].name) && exact < 0) {
			snprintf(err, errlen,
				 "library '%s' is ambiguous in PID %d: %s and %s both match; give "
				 "its file name or path instead (e.g. %s:FUNC)",
				 lib, (int)pid, f[found].name, f[i].name, b);
			mapped_files__free(f, n);
			return -ENOTUNIQ;
		}
		if (found < 0)
			found = i;
	}
	if (exact >= 0)
		found = exact;
	if (found < 0) {
		for (i = 0; i < n; i++)
			list_add(names, sizeof(names), base_name(f[i].name));
		snprintf(err, errlen,
			 "library '%s' is not mapped in PID %d (mapped: %s); if the process loads "
			 "it later with dlopen(), trace again once it has",
			 lib, (int)pid, n ? names : "nothing");
		mapped_files__free(f, n);
		return -ENOENT;
	}
	if (strlen(f[found].path) >= len) {
		snprintf(err, errlen, "path of '%s' too long", lib);
		mapped_files__free(f, n);
		return -ENAMETOOLONG;
	}
	strcpy(path, f[found].path);
	mapped_files__free(f, n);
	return 0;
}

/* The dynamic loader's view of an executable */

struct dso {
	char *path;	 /* as found */
	char *needed_as; /* the DT_NEEDED string that brought it in (NULL: the exe) */
	int parent;	 /* index of the object that needed it, -1 for the exe */
	char **needed;
	int nneeded;
	char *rpath, *runpath;
	char *interp;
};

struct elf_id {
	unsigned char cls;
	unsigned short machine;
};

static void dso_free(struct dso *d)
{
	int i;

	for (i = 0; i < d->nneeded; i++)
		free(d->needed[i]);
	free(d->needed);
	free(d->path);
	free(d->needed_as);
	free(d->rpath);
	free(d->runpath);
	free(d->interp);
}

/*
 * ELF class and machine from the header, or -ENOEXEC.  The candidates come
 * from the program's own RPATH/RUNPATH, which whoever built it chose: a
 * FIFO or a device there is refused, never opened for reading (safefile.h).
 */
static int elf_id_read(const char *path, struct elf_id *id)
{
	unsigned char h[20];
	int fd = safefile__open(path, SAFEFILE_FOLLOW, 0, NULL, NULL, 0);
	ssize_t r;

	if (fd < 0)
		return fd;
	r = pread(fd, h, sizeof(h), 0);
	close(fd);
	if (r != (ssize_t)sizeof(h) || memcmp(h, ELFMAG, SELFMAG))
		return -ENOEXEC;
	id->cls = h[EI_CLASS];
	/* e_machine in the file's byte order */
	id->machine = h[EI_DATA] == ELFDATA2MSB ? (h[18] << 8 | h[19]) : (h[19] << 8 | h[18]);
	return 0;
}

static int dso_read(const char *path, struct dso *d, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t nph, i, fsize;
	Elf *elf = NULL;
	int fd, ret = 0;
	off_t size;

	fd = symtab__open_elf(path, &size, err, errlen);
	if (fd < 0)
		return fd;
	fsize = (size_t)size;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		snprintf(err, errlen, "%s: not an ELF file; give a compiled program", path);
		ret = -ENOEXEC;
		goto out;
	}
	if (elf_getphdrnum(elf, &nph)) {
		snprintf(err, errlen, "%s: truncated or corrupt ELF file", path);
		ret = -ENOEXEC;
		goto out;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;
		size_t rawlen;
		char *raw;

		if (!gelf_getphdr(elf, i, &ph)) {
			snprintf(err, errlen, "%s: truncated or corrupt ELF file", path);
			ret = -ENOEXEC;
			goto out;
		}
		/* The first PT_INTERP is the loader, as for the kernel; a second is ignored. */
		if (ph.p_type != PT_INTERP || d->interp)
			continue;
		raw = elf_rawfile(elf, &rawlen);
		if (!raw || ph.p_offset >= rawlen || ph.p_filesz > rawlen - ph.p_offset ||
		    !ph.p_filesz) {
			snprintf(err, errlen, "%s: truncated or corrupt ELF file (PT_INTERP)",
				 path);
			ret = -ENOEXEC;
			goto out;
		}
		d->interp = strndup(raw + ph.p_offset, ph.p_filesz);
		if (!d->interp) {
			ret = -ENOMEM;
			goto out;
		}
	}
	while ((scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		size_t k, nent;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
			continue;
		if (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset ||
		    !(data = elf_getdata(scn, NULL)) || !sh.sh_entsize) {
			snprintf(err, errlen, "%s: truncated or corrupt ELF file (.dynamic)", path);
			ret = -ENOEXEC;
			goto out;
		}
		nent = sh.sh_size / sh.sh_entsize;
		for (k = 0; k < nent; k++) {
			GElf_Dyn dyn;
			const char *s;
			char **nn;

			if (!gelf_getdyn(data, k, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RPATH &&
			    dyn.d_tag != DT_RUNPATH)
				continue;
			s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
			if (!s)
				continue;
			if (dyn.d_tag == DT_RPATH && !d->rpath) {
				d->rpath = strdup(s);
			} else if (dyn.d_tag == DT_RUNPATH && !d->runpath) {
				d->runpath = strdup(s);
			} else if (dyn.d_tag == DT_NEEDED) {
				nn = realloc(d->needed, (d->nneeded + 1) * sizeof(*nn));
				if (!nn) {
					ret = -ENOMEM;
					goto out;
				}
				d->needed = nn;
				d->needed[d->nneeded] = strdup(s);
				if (!d->needed[d->nneeded++]) {
					ret = -ENOMEM;
					goto out;
				}
			}
		}
		break;
	}
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory reading %s", path);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/* /etc/ld.so.cache, "glibc-ld.so.cache1.1" format (glibc's sysdeps/generic/dl-cache.h) */

#define CACHE_OLD_MAGIC "ld.so-1.7.0"
#define CACHE_NEW_MAGIC "glibc-ld.so.cache1.1"

struct ldcache {
	const char *base; /* the new-format header; string offsets count from here */
	size_t size;	  /* bytes from base to the end of the file */
	void *map;
	size_t maplen;
	__u32 nlibs;
};

static void ldcache_open(struct ldcache *c, const char *file)
{
	struct stat sb;
	const char *p;
	size_t off = 0;
	int fd;

	memset(c, 0, sizeof(*c));
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) || sb.st_size < 48) {
		close(fd);
		return;
	}
	c->maplen = sb.st_size;
	c->map = mmap(NULL, c->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		return;
	}
	p = c->map;
	if (!memcmp(p, CACHE_OLD_MAGIC, strlen(CACHE_OLD_MAGIC))) {
		/* Old entries (12 bytes each) first, the new header 8-byte aligned after. */
		__u32 nold;

		memcpy(&nold, p + 12, 4);
		off = (16 + (size_t)nold * 12 + 7) & ~(size_t)7;
		if (off + 48 > c->maplen)
			return;
	}
	if (memcmp(p + off, CACHE_NEW_MAGIC, strlen(CACHE_NEW_MAGIC)))
		return;
	c->base = p + off;
	c->size = c->maplen - off;
	memcpy(&c->nlibs, c->base + 20, 4);
	if ((__u64)c->nlibs * 24 > c->size - 48)
		c->nlibs = 0; /* corrupt: ignore the cache, as ld.so would */
}

static void ldcache_close(struct ldcache *c)
{
	if (c->map)
		munmap(c->map, c->maplen);
}

/* The @i-th cache entry named @name: its path, or NULL when there are no more. */
static const char *ldcache_lookup(const struct ldcache *c, const char *name, __u32 *i)
{
	for (; c->base && *i < c->nlibs; (*i)++) {
		const char *e = c->base + 48 + (size_t)*i * 24;
		__u32 key, value;

		memcpy(&key, e + 4, 4);
		memcpy(&value, e + 8, 4);
		if (key >= c->size || value >= c->size ||
		    !memchr(c->base + key, '\0', c->size - key) ||
		    !memchr(c->base + value, '\0', c->size - value))
			continue;
		if (!strcmp(c->base + key, name)) {
			(*i)++;
			return c->base + value;
		}
	}
	return NULL;
}

#if defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#elif defined(__i386__)
#define MULTIARCH "i386-linux-gnu"
#elif defined(__riscv) && __riscv_xlen == 64
#define MULTIARCH "riscv64-linux-gnu"
#else
#define MULTIARCH "unknown-linux-gnu"
#endif

static const char *const default_dirs[] = {
    "/lib/" MULTIARCH, "/usr/lib/" MULTIARCH, "/lib64", "/usr/lib64", "/lib", "/usr/lib",
};

struct resolver {
	const struct elf_id *id;
	struct ldcache cache;
	char found[PATH_MAX];
};

static bool candidate_ok(struct resolver *r, const char *path)
{
	struct elf_id id;

	if (strlen(path) >= sizeof(r->found) || elf_id_read(path, &id))
		return false;
	if (id.cls != r->id->cls || id.machine != r->id->machine)
		return false; /* ld.so skips a 32-bit library on a 64-bit search path */
	strcpy(r->found, path);
	return true;
}

/* Directory of @obj's real path, for $ORIGIN. */
static void origin_of(const char *obj, char *buf, size_t len)
{
	char real[PATH_MAX], *slash;

	if (!realpath(obj, real))
		snprintf(real, sizeof(real), "%s", obj);
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(real, sizeof(real), ".");
	snprintf(buf, len, "%s", real);
}

/* Search a ':'-separated list (RPATH, RUNPATH, LD_LIBRARY_PATH) for @name. */
static bool search_list(struct resolver *r, const char *list, const char *obj, const char *name)
{
	char dir[PATH_MAX], cand[PATH_MAX * 2], origin[PATH_MAX];
	const char *p = list, *end;

	if (!list)
		return false;
	origin_of(obj, origin, sizeof(origin));
	for (; *p; p = *end ? end + 1 : end) {
		size_t used = 0;
		const char *q;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		/* ';' also separates in LD_LIBRARY_PATH; an empty entry is the cwd. */
		for (q = p; q < end && used + 1 < sizeof(dir);) {
			size_t skip = 0;

			if (!strncmp(q, "$ORIGIN", 7) && (q + 7 == end || q[7] == '/'))
				skip = 7;
			else if (!strncmp(q, "${ORIGIN}", 9))
				skip = 9;
			if (skip) {
				used += snprintf(dir + used, sizeof(dir) - used, "%s", origin);
				if (used >= sizeof(dir))
					used = sizeof(dir) - 1;
				q += skip;
			} else {
				dir[used++] = *q++;
			}
		}
		dir[used] = '\0';
		snprintf(cand, sizeof(cand), "%s/%s", used ? dir : ".", name);
		if (candidate_ok(r, cand))
			return true;
	}
	return false;
}

/* glibc's order for object @objs[who] loading @name; the path lands in r->found. */
static bool resolve(struct resolver *r, const struct dso *objs, int who, const char *name)
{
	const char *llp = getenv("LD_LIBRARY_PATH");
	const char *path;
	__u32 it = 0;
	size_t i;
	int o;

	if (strchr(name, '/'))
		return candidate_ok(r, name);
	/* DT_RPATH of the loader and of its loaders, unless it has DT_RUNPATH. */
	if (!objs[who].runpath) {
		for (o = who; o >= 0; o = objs[o].parent)
			if (search_list(r, objs[o].rpath, objs[o].path, name))
				return true;
	}
	if (llp && search_list(r, llp, objs[0].path, name))
		return true;
	if (search_list(r, objs[who].runpath, objs[who].path, name))
		return true;
	while ((path = ldcache_lookup(&r->cache, name, &it)))
		if (candidate_ok(r, path))
			return true;
	for (i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++) {
		char cand[PATH_MAX + 64];

		snprintf(cand, sizeof(cand), "%s/%s", default_dirs[i], name);
		if (candidate_ok(r, cand))
			return true;
	}
	return false;
}

int lib__cache_lookup(const char *cache_file, const char *name, char *path, size_t len)
{
	struct elf_id id;
	struct resolver r = {.id = &id};
	const char *p;
	__u32 it = 0;
	int ret = -ENOENT;

	if (elf_id_read("/proc/self/exe", &id))
		return -ENOEXEC;
	ldcache_open(&r.cache, cache_file);
	while ((p = ldcache_lookup(&r.cache, name, &it))) {
		if (candidate_ok(&r, p)) {
			ret = strlen(r.found) < len ? 0 : -ENAMETOOLONG;
			if (!ret)
				strcpy(path, r.found);
			break;
		}
	}
	ldcache_close(&r.cache);
	return ret;
}

#define MAX_DSOS 512

int lib__find_for_exe(const char *exe, const char *lib, char *path, size_t len, char *err,
		      size_t errlen)
{
	struct dso *objs;
	struct elf_id id;
	struct resolver r = {.id = &id};
	char links[512] = "", missing[256] = "";
	int n = 1, i, k, ret = -ENOENT, match = -1;

	if (errlen)
		err[0] = '\0';
	objs = calloc(MAX_DSOS, sizeof(*objs));
	if (!objs) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	objs[0].parent = -1;
	objs[0].path = strdup(exe);
	if (!objs[0].path) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = dso_read(exe, &objs[0], err, errlen);
	if (ret)
		goto out;
	if (elf_id_read(exe, &id)) {
		snprintf(err, errlen, "%s: not an ELF file", exe);
		ret = -ENOEXEC;
		goto out;
	}
	if (!objs[0].nneeded && !objs[0].interp) {
		snprintf(err, errlen,
			 "%s is statically linked: it loads no libraries, and the library "
			 "functions it uses are in the executable itself; give FUNC without '%s:'",
			 exe, lib);
		ret = -ENOENT;
		goto out;
	}
	ldcache_open(&r.cache, "/etc/ld.so.cache");
	/* Breadth first, as ld.so loads them; the loader itself is always there. */
	if (objs[0].interp && candidate_ok(&r, objs[0].interp)) {
		objs[n].parent = 0;
		objs[n].path = strdup(r.found);
		objs[n].needed_as = strdup(base_name(objs[0].interp));
		if (!objs[n].path || !objs[n].needed_as) {
			ret = -ENOMEM;
			goto out;
		}
		n++;
	}
	for (i = 0; i < n && match < 0; i++) {
		for (k = 0; k < objs[i].nneeded && n < MAX_DSOS; k++) {
			const char *need = objs[i].needed[k];
			char serr[256];
			int j;

			for (j = 1; j < n; j++)
				if (!strcmp(objs[j].needed_as, need) ||
				    !strcmp(base_name(objs[j].path), need))
					break;
			if (j < n)
				continue; /* already loaded, under this soname */
			if (!resolve(&r, objs, i, need)) {
				list_add(missing, sizeof(missing), need);
				continue;
			}
			objs[n].parent = i;
			objs[n].path = strdup(r.found);
			objs[n].needed_as = strdup(need);
			if (!objs[n].path || !objs[n].needed_as) {
				ret = -ENOMEM;
				goto out;
			}
			/* An unreadable library still counts as loaded, with no needs of its own.
			 */
			dso_read(objs[n].path, &objs[n], serr, sizeof(serr));
			n++;
		}
	}
	for (i = 1; i < n; i++) {
		if (!strcmp(objs[i].needed_as, lib) || !strcmp(base_name(objs[i].path), lib)) {
			match = i;
			break;
		}
	}
	for (i = 1; i < n && match < 0; i++) {
		if (lib__name_matches(lib, objs[i].needed_as) ||
		    lib__name_matches(lib, base_name(objs[i].path)))
			match = i;
	}
	if (match < 0) {
		for (i = 1; i < n; i++)
			list_add(links, sizeof(links), objs[i].needed_as);
		snprintf(err, errlen,
			 "library '%s' is not linked by %s (it links: %s%s%s); for a library it "
			 "loads with dlopen(), give the library's path (/path/%s.so:FUNC) or "
			 "trace the running process with -p",
			 lib, exe, n > 1 ? links : "nothing", *missing ? "; not found: " : "",
			 missing, lib);
		ret = -ENOENT;
		goto out;
	}
	if (strlen(objs[match].path) >= len) {
		snprintf(err, errlen, "path of '%s' too long", lib);
		ret = -ENAMETOOLONG;
		goto out;
	}
	strcpy(path, objs[match].path);
	ret = 0;
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory resolving libraries of %s", exe);
	ldcache_close(&r.cache);
	for (i = 0; i < MAX_DSOS; i++)
		dso_free(&objs[i]);
	free(objs);
	return ret;
}
