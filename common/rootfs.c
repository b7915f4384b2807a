/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
