/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's BTF from a file (--btf), for a kernel that has BTF but where
 * /sys/kernel/btf/vmlinux is hidden (a container, a mount namespace).
 *
 * A file cannot stand in for the kernel's own BTF: the kernel checks the
 * task iterator's and tp_btf programs' attach points against the BTF it was
 * built with, and libbpf 1.1 finds the types for those programs only at
 * /sys/kernel/btf/vmlinux and a few fixed /boot and /lib/modules paths
 * (btf_custom_path feeds CO-RE alone).  So the file must be exactly the
 * kernel's BTF, and for loading it is shown to libbpf where libbpf looks:
 * at /sys/kernel/btf/vmlinux in a private mount namespace that benchtrace
 * enters for loading only.
 */
#ifndef BT_KBTF_H
#define BT_KBTF_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/*
 * Parse the BTF in the file at @path (raw BTF, e.g. a copy of
 * /sys/kernel/btf/vmlinux, or an ELF file with a .BTF section, e.g. a
 * vmlinux).  Returns it, or NULL with a message naming --btf and the file.
 */
struct btf *kbtf__load_file(const char *path, char *err, size_t errlen);

/* Whether two BTF objects are the same, byte for byte. */
bool kbtf__same(const struct btf *a, const struct btf *b);

/* The mount namespace benchtrace came from, while it is elsewhere. */
struct kbtf_ns {
	int ns_fd;	     /* /proc/self/ns/mnt */
	int root_fd, cwd_fd; /* setns() moves both to the namespace's root */
};

/*
 * Enter a new private mount namespace where /sys/kernel/btf/vmlinux holds
 * @btf (on a tmpfs; nothing propagates to the caller's namespace).  The
 * process must be single-threaded.  0, or -errno with a message; on error
 * the process is back where it was (or the message says it is not).
 */
int kbtf__expose(struct kbtf_ns *ns, const struct btf *btf, char *err, size_t errlen);

/*
 * Return to the namespace, root and working directory of before
 * kbtf__expose(); the private namespace, its tmpfs and the copy go away.
 * 0, or -errno with a message (then the process must not go on).
 */
int kbtf__restore(struct kbtf_ns *ns, char *err, size_t errlen);

#endif /* BT_KBTF_H */
