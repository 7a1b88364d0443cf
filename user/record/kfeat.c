// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel as its BTF shows it: found (/sys/kernel/btf/vmlinux, or a
 * --btf copy checked against the kernel's own where that file is hidden),
 * parsed at the least cost start-up can have, and probed for the features
 * benchtrace adapts to.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "record/kbtf.h"
#include "record/kfeat.h"

/*
 * mark_victim took a pid before v6.8 and the task since; only the task form
 * is usable by our program.  Read the tracepoint's prototype from BTF.
 */
static bool oom_tp_takes_task(const struct btf *vmlinux)
{
	const struct btf_type *t;
	const struct btf_param *params;
	int id;

	id = btf__find_by_name_kind(vmlinux, "btf_trace_mark_victim", BTF_KIND_TYPEDEF);
	if (id < 0)
		return false;
	t = btf__type_by_id(vmlinux, id);
	t = btf__type_by_id(vmlinux, t->type); /* pointer */
	if (!t || !btf_is_ptr(t))
		return false;
	t = btf__type_by_id(vmlinux, t->type); /* func proto */
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 2)
		return false;
	params = btf_params(t);
	/* params[0] is the void *__data of every tracepoint */
	t = btf__type_by_id(vmlinux, params[1].type);
	return t && btf_is_ptr(t);
}

static bool btf_has_member(const struct btf *vmlinux, const char *type, const char *member)
{
	const struct btf_member *m;
	const struct btf_type *t;
	int id, i;

	id = btf__find_by_name_kind(vmlinux, type, BTF_KIND_STRUCT);
	if (id < 0)
		return false;
	t = btf__type_by_id(vmlinux, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(vmlinux, m->name_off), member))
			return true;
	return false;
}

static bool btf_has_enum_value(const struct btf *vmlinux, const char *type, const char *name)
{
	const struct btf_enum *e;
	const struct btf_type *t;
	int id, i;

	id = btf__find_by_name_kind(vmlinux, type, BTF_KIND_ENUM);
	if (id < 0)
		return false;
	t = btf__type_by_id(vmlinux, id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++)
		if (!strcmp(btf__name_by_offset(vmlinux, e->name_off), name))
			return true;
	return false;
}

void kfeat__probe(struct tracer_features *f, const struct btf *vmlinux)
{
	/* tp_btf needs the kernel's BTF (present, or we would not be here)
	 * and v5.5+; whether it really loads is settled by loading it, with
	 * raw_tp as the fallback (libbpf 1.1 cannot probe attach types) */
	f->tp_btf = !getenv("BENCHTRACE_RAW_TP"); /* testing the fallback */
	f->task_iter = btf__find_by_name_kind(vmlinux, "bpf_iter__task", BTF_KIND_STRUCT) > 0;
	f->sched_info = btf_has_member(vmlinux, "task_struct", "sched_info");
	f->io_accounting = btf_has_member(vmlinux, "task_struct", "ioac");
	f->oom_tracepoint = oom_tp_takes_task(vmlinux);
	f->rss_percpu = btf__find_by_name_kind(vmlinux, "mm_rss_stat", BTF_KIND_STRUCT) < 0;
	f->iter_per_process = true; /* until the kernel says otherwise */
	/* v6.7 open-coded task iterator, for the walk of all tasks */
	f->task_walk = btf__find_by_name_kind(vmlinux, "bpf_iter_task_new", BTF_KIND_FUNC) > 0 &&
		       !getenv("BENCHTRACE_NO_TASK_WALK"); /* testing the fallback */
	f->rss_exact = f->rss_percpu && btf_has_enum_value(vmlinux, "bpf_func_id",
							   "BPF_FUNC_map_lookup_percpu_elem");
	/* v6.6: many uprobes in one link, unregistered with one grace period */
	f->uprobe_multi = btf_has_enum_value(vmlinux, "bpf_attach_type", "BPF_TRACE_UPROBE_MULTI") &&
			  !getenv("BENCHTRACE_NO_UPROBE_MULTI"); /* testing the fallback */
}

/*
 * The ID of the kernel's own BTF, 0 if it has none: the bpf() syscall lists
 * it as BTF object "vmlinux" even where /sys/kernel/btf is hidden.
 */
static __u32 kernel_btf_id(void)
{
	struct bpf_btf_info info;
	char name[16];
	__u32 id = 0, len;
	bool found = false;
	int fd;

	while (!found && !bpf_btf_get_next_id(id, &id)) {
		fd = bpf_btf_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		name[0] = '\0';
		info.name = (__u64)(unsigned long)name;
		info.name_len = sizeof(name);
		len = sizeof(info);
		found = !bpf_obj_get_info_by_fd(fd, &info, &len) && info.kernel_btf &&
			!strcmp(name, "vmlinux");
		close(fd);
	}
	return found ? id : 0;
}

/*
 * The kernel's BTF from /sys/kernel/btf/vmlinux.  Since v6.16 the file can
 * be mapped: parsed from the mapping, not read a page per system call into
 * a buffer that btf__new() then copies (start-up: 47-64 ms -> 19-24 ms
 * here).  Elsewhere as libbpf finds it.
 */
static struct btf *load_vmlinux_btf(void)
{
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	struct btf *btf = NULL;
	struct stat st;
	void *mem;

	if (fd >= 0 && !fstat(fd, &st) && st.st_size > 0) {
		mem = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (mem != MAP_FAILED) {
			btf = btf__new(mem, st.st_size);
			munmap(mem, st.st_size);
		}
	}
	if (fd >= 0)
		close(fd);
	return btf ? btf : btf__load_vmlinux_btf();
}

/* With --btf the file must be the kernel's BTF byte for byte: any other
 * would give CO-RE wrong offsets. */
struct btf *kfeat__find_vmlinux(const char *btf_path, bool *hidden, char *err, size_t errlen)
{
	struct btf *vmlinux, *file;
	__u32 id;

	vmlinux = load_vmlinux_btf();
	*hidden = !vmlinux;
	if (vmlinux && !btf_path)
		return vmlinux;
	btf__free(vmlinux);
	/*
	 * libbpf looks for it at /sys/kernel/btf/vmlinux (or /boot/vmlinux-
	 * RELEASE and a few other files), for CO-RE and to load the task
	 * iterator and tp_btf programs, whose attach points the kernel checks
	 * against its own BTF: a file can show libbpf that BTF (kbtf.h), never
	 * replace it.
	 */
	id = kernel_btf_id();
	if (!id) {
		snprintf(err, errlen,
			 "the kernel has no BTF (no /sys/kernel/btf/vmlinux): benchtrace needs a "
			 "kernel built with CONFIG_DEBUG_INFO_BTF=y (a --btf file cannot replace "
			 "it: the kernel checks the programs against its own BTF)");
		return NULL;
	}
	if (!btf_path) {
		snprintf(
		    err, errlen,
		    "the kernel has BTF, but /sys/kernel/btf/vmlinux is not visible here (a "
		    "container or mount namespace hiding /sys/kernel/btf?): make it visible, or "
		    "give a copy of it taken on this kernel with --btf FILE");
		return NULL;
	}
	file = kbtf__load_file(btf_path, err, errlen);
	if (!file)
		return NULL;
	vmlinux = btf__load_from_kernel_by_id(id);
	if (!vmlinux) {
		snprintf(err, errlen, "cannot read the kernel's BTF (BTF object %u): %s", id,
			 strerror(errno));
	} else if (!kbtf__same(file, vmlinux)) {
		snprintf(err, errlen,
			 "--btf %s: not this kernel's BTF (%u type%s, the kernel's has %u): give "
			 "a copy of /sys/kernel/btf/vmlinux taken on this kernel",
			 btf_path, btf__type_cnt(file) - 1, btf__type_cnt(file) == 2 ? "" : "s",
			 btf__type_cnt(vmlinux) - 1);
		btf__free(vmlinux);
		vmlinux = NULL;
	}
	btf__free(file);
	return vmlinux;
}

/*
 * Start-up parses the kernel's BTF twice, ours for the features and then
 * libbpf's (5.2 MiB here, each with a copy and its index), and every page
 * touched the first time costs a fault: ~10 us apiece on this VM, most of
 * a 50-60 ms parse.  While loading, big blocks come from the heap and
 * freed ones stay there, so libbpf's parse reuses the pages ours touched;
 * and where transparent huge pages can be asked for, the heap is grown
 * first in 2 MiB pages, a fault each, for both parses to use.  After
 * loading the memory goes back.  Fork to first sample, median of 7:
 * 139 ms -> 109 ms (reuse) -> 67-79 ms (huge pages); peak RSS 14.8 -> 16.0 MiB.
 */
static void heap_prefault(void)
{
	const size_t huge = 2 << 20;
	char buf[128] = "", *m, *a, *e;
	struct stat st;
	size_t sz;
	FILE *f;

	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	/* "always [madvise] never": without them 4 KiB faults would cost
	 * more than they save */
	if (!buf[0] || strstr(buf, "[never]") || stat("/sys/kernel/btf/vmlinux", &st))
		return;
	/* libbpf's parse: the file read into a buffer, its copy, the index */
	sz = ((size_t)st.st_size * 5 / 2 + huge) & ~(huge - 1);
	if (sz > 32 * huge)
		return;
	m = malloc(sz);
	if (!m)
		return;
	a = (char *)(((unsigned long)m + huge - 1) & ~(huge - 1));
	e = (char *)(((unsigned long)m + sz) & ~(huge - 1));
	if (e > a)
		madvise(a, e - a, MADV_HUGEPAGE);
	memset(m, 0, sz);
	free(m); /* kept in the heap (M_TRIM_THRESHOLD) */
}

void kfeat__heap_hold(bool on)
{
	mallopt(M_MMAP_THRESHOLD, on ? 64 << 20 : 128 << 10);
	mallopt(M_TRIM_THRESHOLD, on ? 128 << 20 : 128 << 10);
	if (on)
		heap_prefault();
	else
		malloc_trim(0);
}
