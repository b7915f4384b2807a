/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Atomic replacement of an output file (atomic-file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic-file.h"
#include "path.h"

struct aoms_atomic_file {
	FILE *f;
	int fd;
	int err;          /* the first write's errno, 0 */
	char *target;     /* the path renamed over (a symlink resolved) */
	char *tmp;        /* NULL: the target is written directly */
};

/* stdio's write errors lose errno (fclose() says EIO or nothing): the cookie keeps
 * the first one, ENOSPC included. */
static ssize_t atomic_write(void *cookie, const char *buf, size_t size)
{
	struct aoms_atomic_file *h = cookie;
	size_t done = 0;

	while (!h->err && done < size) {
		ssize_t n = write(h->fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			h->err = n < 0 ? errno : EIO;
		else
			done += (size_t)n;
	}
	return h->err ? 0 : (ssize_t)done;
}

static void atomic_free(struct aoms_atomic_file *h)
{
	if (h->f)
		fclose(h->f);
	if (h->fd >= 0)
		close(h->fd);
	free(h->target);
	free(h->tmp);
	free(h);
}

/* The mode open(O_CREAT, 0666) would give. The umask is read by setting it back:
 * outputs are opened before or after the worker threads run, not during. */
static mode_t atomic_create_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/* Creates h->tmp next to h->target. */
static int atomic_make_temp(struct aoms_atomic_file *h)
{
	_cleanup_(freep) char *dir = aoms_path_dirname(h->target);
	const char *slash = strrchr(h->target, '/');
	const char *name = slash ? slash + 1 : h->target;

	if (!dir || asprintf(&h->tmp, "%s/.%s.XXXXXX", dir, name) < 0) {
		h->tmp = NULL;
		return -ENOMEM;
	}
	h->fd = mkostemp(h->tmp, O_CLOEXEC);
	if (h->fd < 0) {
		int r = -errno;

		free(h->tmp);
		h->tmp = NULL;
		return r;
	}
	if (fchmod(h->fd, atomic_create_mode()) < 0) {
		int r = -errno;

		unlink(h->tmp);
		return r;
	}
	return 0;
}

/* Decides where to write: *direct for an existing non-regular file. */
static int atomic_target(struct aoms_atomic_file *h, const char *path, bool *direct)
{
	struct stat st;

	*direct = false;
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			return -errno;
		h->target = strdup(path);   /* new, or a dangling symlink replaced */
		return h->target ? 0 : -ENOMEM;
	}
	if (!S_ISREG(st.st_mode)) {
		*direct = true;
		h->target = strdup(path);
		return h->target ? 0 : -ENOMEM;
	}
	/* a symlink to a file: the file is replaced, the link stays */
	h->target = realpath(path, NULL);
	return h->target ? 0 : -errno;
}

int aoms_atomic_open(const char *path, unsigned flags, struct aoms_atomic_file **ret)
{
	struct aoms_atomic_file *h;
	bool direct;
	int r;

	if (!path || !*path)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->fd = -1;
	r = atomic_target(h, path, &direct);
	if (r >= 0 && direct && (flags & AOMS_ATOMIC_REGULAR))
		r = -EINVAL;
	if (r >= 0 && direct) {
		h->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		r = h->fd < 0 ? -errno : 0;
	} else if (r >= 0) {
		r = atomic_make_temp(h);
	}
	if (r >= 0) {
		h->f = fopencookie(h, "w", (cookie_io_functions_t){ .write = atomic_write });
		if (!h->f)
			r = -ENOMEM;
	}
	if (r < 0) {
		aoms_atomic_abort(h);
		return r;
	}
	*ret = h;
	return 0;
}

FILE *aoms_atomic_stream(struct aoms_atomic_file *h)
{
	return h->f;
}

const char *aoms_atomic_temp_path(struct aoms_atomic_file *h)
{
	return h->tmp;
}

/* fsync() of the directory holding path; file systems that cannot are no error. */
static int atomic_sync_dir(const char *path)
{
	_cleanup_(freep) char *dir = aoms_path_dirname(path);
	int fd, r = 0;

	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
		r = -errno;
	close(fd);
	return r;
}

int aoms_atomic_commit(struct aoms_atomic_file *h)
{
	int r = 0;

	if (fflush(h->f) != 0 && !h->err)
		h->err = errno ? errno : EIO;
	if (h->err)
		r = -h->err;
	/* a device or FIFO may not fsync: only a file we replace must */
	if (r == 0 && h->tmp && fsync(h->fd) < 0)
		r = -errno;
	if (r == 0 && h->tmp && rename(h->tmp, h->target) < 0)
		r = -errno;
	if (r < 0) {
		aoms_atomic_abort(h);
		return r;
	}
	if (h->tmp) {
		free(h->tmp);   /* renamed: nothing to remove any more */
		h->tmp = NULL;
		r = atomic_sync_dir(h->target);
	}
	atomic_free(h);
	return r;
}

void aoms_atomic_abort(struct aoms_atomic_file *h)
{
	if (!h)
		return;
	if (h->tmp)
		unlink(h->tmp);
	atomic_free(h);
}
