/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "input-file.h"
#include "path.h"
#include "rootfs.h"
#include "strbuf.h"

#define MAX_LINKS 40

char *aoms_root_join(const char *root, const char *path)
{
	while (*path == '/')
		path++;
	return aoms_strdupf("%s/%s", strcmp(root, "/") ? root : "", path);
}

char *aoms_root_realpath(const char *root, const char *path)
{
	/* Not normalized first: ".." after a symlink must climb from the link's target. */
	_cleanup_(freep) char *todo = strdup(path);
	struct aoms_strbuf done = AOMS_STRBUF_INIT;
	unsigned links = 0;
	const char *p;

	if (!todo)
		goto oom;
	p = todo;
	while (*p) {
		const char *e;
		_cleanup_(freep) char *full = NULL;
		struct stat st;
		size_t keep = done.len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchrnul(p, '/');
		if ((size_t)(e - p) == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if ((size_t)(e - p) == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = done.len ? strrchr(done.buf, '/') : NULL;

			done.len = slash ? (size_t)(slash - done.buf) : 0;
			if (done.buf)
				done.buf[done.len] = '\0';
			p = e;
			continue;
		}
		if (aoms_strbuf_addc(&done, '/') < 0 || aoms_strbuf_add(&done, p, (size_t)(e - p)) < 0)
			goto oom;
		full = aoms_root_join(root, done.buf);
		if (!full)
			goto oom;
		if (lstat(full, &st) < 0)
			goto fail;
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(full, target, sizeof(target) - 1);
			char *next;

			if (n <= 0 || ++links > MAX_LINKS) {
				errno = n <= 0 ? errno : ELOOP;
				goto fail;
			}
			target[n] = '\0';
			done.len = target[0] == '/' ? 0 : keep;   /* absolute: restart at root */
			if (done.buf)
				done.buf[done.len] = '\0';
			next = aoms_strdupf("%s/%s", target, e);
			if (!next)
				goto oom;
			free(todo);
			todo = next;
			p = todo;
			continue;
		}
		p = e;
	}
	if (!done.len && aoms_strbuf_addc(&done, '/') < 0)
		goto oom;
	return aoms_strbuf_detach(&done);
oom:
	errno = ENOMEM;
fail:
	aoms_strbuf_release(&done);
	return NULL;
}

#ifndef RESOLVE_IN_ROOT
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* struct open_how of <linux/openat2.h>, which EL8's headers lack. */
struct rootfs_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};

int aoms_openat2_in_root(int dirfd, const char *path, int flags)
{
	struct rootfs_open_how how = {
		.flags = (uint64_t)flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	while (*path == '/')
		path++;
	fd = syscall(SYS_openat2, dirfd, *path ? path : ".", &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

/* openat2(RESOLVE_IN_ROOT): the kernel resolves inside root, race-free. */
static int root_openat2(const char *root, const char *path)
{
	_cleanup_(closep) int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (dir < 0)
		return -errno;
	return aoms_openat2_in_root(dir, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

int aoms_root_open(const char *root, const char *path, uint64_t max_size)
{
	static atomic_int no_openat2;
	_cleanup_(freep) char *canon = NULL, *full = NULL;
	int fd, r;

	if (!atomic_load(&no_openat2)) {
		fd = root_openat2(root, path);
		if (fd >= 0) {
			r = aoms_untrusted_check(fd, max_size);
			if (r < 0)
				close(fd);
			return r < 0 ? r : fd;
		}
		if (fd != -ENOSYS && fd != -EPERM && fd != -EINVAL)
			return fd;
		atomic_store(&no_openat2, 1);
	}
	/* The same walk in user space; the last component is opened O_NOFOLLOW so a link
	 * swapped in after the walk cannot lead outside. */
	canon = aoms_root_realpath(root, path);
	if (!canon)
		return -errno;
	full = aoms_root_join(root, canon);
	if (!full)
		return -ENOMEM;
	return aoms_open_untrusted(AT_FDCWD, full, AOMS_OPEN_NOFOLLOW, max_size);
}

int aoms_root_fopen(const char *root, const char *path, uint64_t max_size, FILE **ret)
{
	int fd = aoms_root_open(root, path, max_size);
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "re");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	*ret = f;
	return 0;
}

char *aoms_root_hostname(const char *root)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[256] = "";

	if (aoms_root_fopen(root, "etc/hostname", 4096, &f) < 0 || !fgets(line, sizeof(line), f))
		return NULL;
	line[strcspn(line, " \t\r\n")] = '\0';
	return *line ? strdup(line) : NULL;
}
