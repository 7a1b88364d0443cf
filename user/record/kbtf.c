// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/btf.h>
#include "record/kbtf.h"
#include "rundir/safefile.h"

#define KBTF_DIR  "/sys/kernel/btf"
#define KBTF_FILE KBTF_DIR "/vmlinux"

struct btf *kbtf__load_file(const char *path, char *err, size_t errlen)
{
	char msg[256], proc[64];
	struct btf *btf;
	int fd;

	/* root named the file: a symlink leads where they meant */
	fd = safefile__open(path, SAFEFILE_FOLLOW, 0, NULL, msg, sizeof(msg));
	if (fd < 0) {
		snprintf(err, errlen, "--btf: %s", msg);
		return NULL;
	}
	/* libbpf parses by name: this one is the file just checked */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	btf = btf__parse(proc, NULL);
	close(fd);
	if (!btf)
		snprintf(err, errlen,
			 "--btf %s: not a BTF file (give the kernel's BTF: a copy of "
			 "/sys/kernel/btf/vmlinux taken on this kernel, or its vmlinux)",
			 path);
	return btf;
}

bool kbtf__same(const struct btf *a, const struct btf *b)
{
	const void *da, *db;
	__u32 la, lb;

	da = btf__raw_data(a, &la);
	db = btf__raw_data(b, &lb);
	return da && db && la == lb && !memcmp(da, db, la);
}

/*
 * A tmpfs on /sys/kernel/btf, or on the nearest of its parents that exists
 * (a container without sysfs), with the missing directories made in it.
 */
static int mount_btf_dir(size_t bytes, char *err, size_t errlen)
{
	static const char *const dirs[] = {KBTF_DIR, "/sys/kernel", "/sys"};
	char opts[64];
	int i, ret;

	snprintf(opts, sizeof(opts), "mode=0755,size=%zu", bytes + (1U << 20));
	for (i = 0; i < 3; i++) {
		if (!mount("benchtrace-btf", dirs[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			   opts))
			break;
		if (errno != ENOENT) {
			ret = -errno;
			snprintf(err, errlen, "cannot mount a tmpfs on %s: %s", dirs[i],
				 strerror(errno));
			return ret;
		}
	}
	if (i == 3) {
		snprintf(err, errlen, "no /sys to show the --btf file in");
		return -ENOENT;
	}
	for (i--; i >= 0; i--) {
		if (mkdir(dirs[i], 0755)) {
			ret = -errno;
			snprintf(err, errlen, "cannot make %s: %s", dirs[i], strerror(errno));
			return ret;
		}
	}
	return 0;
}

static int write_btf(const struct btf *btf, char *err, size_t errlen)
{
	const char *data;
	__u32 len;
	ssize_t n;
	int fd, ret = 0;

	data = btf__raw_data(btf, &len);
	if (!data) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = open(KBTF_FILE, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0444);
	if (fd < 0)
		ret = -errno;
	while (!ret && len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		data += n;
		len -= n;
	}
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (ret)
		snprintf(err, errlen, "cannot write %s: %s", KBTF_FILE, strerror(-ret));
	return ret;
}

static void close_fds(struct kbtf_ns *ns)
{
	if (ns->ns_fd >= 0)
		close(ns->ns_fd);
	if (ns->root_fd >= 0)
		close(ns->root_fd);
	if (ns->cwd_fd >= 0)
		close(ns->cwd_fd);
	ns->ns_fd = ns->root_fd = ns->cwd_fd = -1;
}

int kbtf__expose(struct kbtf_ns *ns, const struct btf *btf, char *err, size_t errlen)
{
	char msg[256];
	__u32 len;
	int ret;

	/* opened here, they stay in this namespace whatever follows */
	ns->ns_fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ns->root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ns->cwd_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ns->ns_fd < 0 || ns->root_fd < 0 || ns->cwd_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s",
			 ns->ns_fd < 0	   ? "/proc/self/ns/mnt"
			 : ns->root_fd < 0 ? "/"
					   : "the working directory",
			 strerror(errno));
		close_fds(ns);
		return ret;
	}
	/* EINVAL if threads share the filesystem context: none exist yet */
	if (unshare(CLONE_NEWNS)) {
		ret = -errno;
		snprintf(err, errlen, "cannot make a mount namespace to show the --btf file in: %s",
			 strerror(errno));
		close_fds(ns);
		return ret;
	}
	/* the copies of the caller's mounts stop propagating both ways */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		ret = -errno;
		snprintf(err, errlen, "cannot make the mount namespace private: %s",
			 strerror(errno));
	} else {
		btf__raw_data(btf, &len);
		ret = mount_btf_dir(len, err, errlen);
		if (!ret)
			ret = write_btf(btf, err, errlen);
	}
	if (ret && kbtf__restore(ns, msg, sizeof(msg)))
		snprintf(err + strlen(err), errlen - strlen(err), "; %s", msg);
	return ret;
}

int kbtf__restore(struct kbtf_ns *ns, char *err, size_t errlen)
{
	int ret = 0;

	/* setns() leaves root and cwd at the namespace's root: put them back */
	if (setns(ns->ns_fd, CLONE_NEWNS) || fchdir(ns->root_fd) || chroot(".") ||
	    fchdir(ns->cwd_fd)) {
		ret = -errno;
		snprintf(err, errlen, "cannot return to the original mount namespace: %s",
			 strerror(errno));
	}
	close_fds(ns);
	return ret;
}
