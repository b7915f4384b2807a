/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing inside a root that is not ours to trust: every directory is reached with
 * openat2(RESOLVE_IN_ROOT), so a symlink in the root (absolute, or climbing with "..")
 * resolves inside it, never to the host; kernels without openat2 (EL8's 4.18) get the
 * same resolution in user space (common/rootfs.c), the last component opened with
 * O_NOFOLLOW. Files are then created and replaced relative to that directory's
 * descriptor, never by path, and a symlink at the file's own name is replaced, not
 * followed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "exec-private.h"
#include <rpm/rpmpgp.h>
#include "rootfs.h"
#include "rpm-digest.h"
#include "strbuf.h"

int exec_root_open(const char *path, struct exec_root *ret)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	ret->fd = fd;
	ret->path = path;
	return 0;
}

void exec_root_close(struct exec_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Opens existing directory rel (no leading '/') under the root. */
static int open_in_root(const struct exec_root *r, const char *rel)
{
	static atomic_int no_openat2;
	_cleanup_(freep) char *canon = NULL, *full = NULL;
	int fd;

	if (!atomic_load(&no_openat2)) {
		fd = aoms_openat2_in_root(r->fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 || (fd != -ENOSYS && fd != -EPERM && fd != -EINVAL))
			return fd;
		atomic_store(&no_openat2, 1);
	}
	if (!(canon = aoms_root_realpath(r->path, rel)))
		return -errno;
	if (!(full = aoms_root_join(r->path, canon)))
		return -ENOMEM;
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

int exec_root_dir(const struct exec_root *r, const char *dir, bool create)
{
	_cleanup_(freep) char *rel = NULL;
	int fd;

	while (*dir == '/')
		dir++;
	if (!(rel = strdup(dir)))
		return -ENOMEM;
	for (size_t n = strlen(rel); n > 1 && rel[n - 1] == '/'; n--)
		rel[n - 1] = '\0';
	fd = open_in_root(r, rel);
	if (fd != -ENOENT || !create)
		return fd;
	/* Make the missing components one by one, each inside its resolved parent. */
	for (char *p = rel;; p++) {
		char save = *p;
		int parent, e;
		char *slash;

		if (*p != '/' && *p != '\0')
			continue;
		*p = '\0';
		fd = open_in_root(r, rel);
		if (fd == -ENOENT) {
			slash = strrchr(rel, '/');
			if (slash)
				*slash = '\0';
			parent = open_in_root(r, slash ? rel : "");
			if (slash)
				*slash = '/';
			if (parent < 0)
				return parent;
			e = mkdirat(parent, slash ? slash + 1 : rel, 0755) < 0 && errno != EEXIST ? -errno : 0;
			if (e == 0)
				e = fsync(parent) < 0 ? -errno : 0;
			close(parent);
			if (e < 0)
				return e;
			fd = open_in_root(r, rel);
		}
		*p = save;
		if (fd < 0 || save == '\0')
			return fd;
		close(fd);
	}
}

int exec_root_parent(const struct exec_root *r, const char *path, bool create,
		     const char **ret_base)
{
	const char *slash = strrchr(path, '/');
	_cleanup_(freep) char *dir = NULL;

	if (!slash || !slash[1])
		return -EINVAL;
	if (!(dir = strndup(path, (size_t)(slash - path))))
		return -ENOMEM;
	*ret_base = slash + 1;
	return exec_root_dir(r, dir, create);
}

int exec_fsync_dir(int dirfd)
{
	return fsync(dirfd) < 0 && errno != EINVAL ? -errno : 0;
}

/* librpm reports a write that failed for want of space as an unpacking error whose
 * errno is not always ENOSPC: the file system's free space tells. "Full": less than
 * 1 MiB or 1 % left for unprivileged writers. */
bool exec_root_fs_full(const char *root, unsigned long long *ret_free)
{
	struct statvfs sv;
	unsigned long long avail, size;

	if (statvfs(root, &sv) < 0)
		return false;
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	size = (unsigned long long)sv.f_blocks * sv.f_frsize;
	if (ret_free)
		*ret_free = avail;
	return avail < (1ull << 20) || avail < size / 100;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates a temporary file ".NAME.aoms-XXXXXX" in dirfd; *tmp gets its name. */
static int temp_at(int dirfd, const char *name, char tmp[], size_t size)
{
	for (int tries = 0; tries < 16; tries++) {
		unsigned v = 0;
		int fd;

		if (getrandom(&v, sizeof(v), 0) < 0)
			v = (unsigned)getpid() * 2654435761u + (unsigned)tries;
		snprintf(tmp, size, ".%.200s.aoms-%08x", name, v);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

/* Finishes temporary file fd: metadata, fsync, rename over name, directory fsync. */
static int temp_commit(int dirfd, int fd, const char *tmp, const char *name, const struct stat *meta)
{
	int r = 0;

	if (meta) {
		struct timespec ts[2] = { meta->st_atim, meta->st_mtim };

		if (fchown(fd, meta->st_uid, meta->st_gid) < 0 || fchmod(fd, meta->st_mode & 07777) < 0 ||
		    futimens(fd, ts) < 0)
			r = -errno;
	} else if (fchmod(fd, 0644) < 0) {
		r = -errno;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dirfd, tmp, 0);
	return r < 0 ? r : exec_fsync_dir(dirfd);
}

/* Commits temporary file fd when the writes went well (r == 0), else removes it. */
static int temp_finish(int dirfd, int fd, const char *tmp, const char *name,
		       const struct stat *meta, int r)
{
	if (r == 0)
		r = temp_commit(dirfd, fd, tmp, name, meta);
	else
		unlinkat(dirfd, tmp, 0);
	close(fd);
	return r;
}

int exec_write_at(int dirfd, const char *name, const void *data, size_t len,
		  const struct stat *meta)
{
	char tmp[256];
	int fd = temp_at(dirfd, name, tmp, sizeof(tmp));

	return fd < 0 ? fd : temp_finish(dirfd, fd, tmp, name, meta, write_all(fd, data, len));
}

int exec_copy_at(int dirfd, const char *name, int in_fd, const struct stat *meta)
{
	char tmp[256], buf[65536];
	int fd = temp_at(dirfd, name, tmp, sizeof(tmp)), r = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while (r == 0 && (n = read(in_fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		r = n < 0 ? -errno : write_all(fd, buf, (size_t)n);
	}
	return temp_finish(dirfd, fd, tmp, name, meta, r);
}

static int open_reg_at(int dirfd, const char *name, struct stat *st)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP ? -EINVAL : -errno;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		int e = S_ISREG(st->st_mode) ? -errno : -EINVAL;

		close(fd);
		return e;
	}
	return fd;
}

int exec_read_at(int dirfd, const char *name, size_t max, char **ret, size_t *ret_len)
{
	struct stat st;
	_cleanup_(closep) int fd = open_reg_at(dirfd, name, &st);
	_cleanup_(freep) char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return fd;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	if (!(buf = malloc((size_t)st.st_size + 1)))
		return -ENOMEM;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = got;
	return 0;
}

int exec_sha256_at(int dirfd, const char *name, char hex[65])
{
	struct stat st;
	_cleanup_(closep) int fd = open_reg_at(dirfd, name, &st);

	return fd < 0 ? fd : aoms_digest_fd_hex(PGPHASHALGO_SHA256, fd, hex, 65);
}

int exec_sha256_path(const char *path, char hex[65])
{
	_cleanup_(closep) int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : aoms_digest_fd_hex(PGPHASHALGO_SHA256, fd, hex, 65);
}

int exec_append_at(int dirfd, const char *name, const char *line)
{
	_cleanup_(closep) int fd = openat(dirfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
					  O_CLOEXEC, 0644);
	int r;

	if (fd < 0)
		return -errno;
	r = write_all(fd, line, strlen(line));
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	return r < 0 ? r : exec_fsync_dir(dirfd);
}
