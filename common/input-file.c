/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading files someone else controls (input-file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "aoms-macro.h"
#include "input-file.h"

/* Checks the open descriptor: a regular file within the cap; its size to ret_size. */
static int untrusted_check(int fd, uint64_t max_size, struct stat *ret_st)
{
	struct stat own, *st = ret_st ? ret_st : &own;

	if (fstat(fd, st) < 0)
		return -errno;
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if (max_size && (uint64_t)st->st_size > max_size)
		return -EFBIG;
	return 0;
}

int aoms_untrusted_check(int fd, uint64_t max_size)
{
	return untrusted_check(fd, max_size, NULL);
}

int aoms_open_untrusted_stat(int dirfd, const char *path, unsigned flags, uint64_t max_size,
			     struct stat *ret_st)
{
	_cleanup_(closep) int fd = -1;
	int r;

	fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
				 (flags & AOMS_OPEN_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -errno;
	r = untrusted_check(fd, max_size, ret_st);
	return r < 0 ? r : TAKE_FD(fd);
}

int aoms_open_untrusted(int dirfd, const char *path, unsigned flags, uint64_t max_size)
{
	return aoms_open_untrusted_stat(dirfd, path, flags, max_size, NULL);
}

int aoms_input_fopen(const char *path, FILE **ret)
{
	_cleanup_(closep) int fd = aoms_open_untrusted(AT_FDCWD, path, 0, 0);
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "re");
	if (!f)
		return -errno;
	TAKE_FD(fd);
	*ret = f;
	return 0;
}

int aoms_foreach_line(FILE *in, int (*fn)(char *line, size_t len, void *ud), void *ud,
		      unsigned *ret_line, const char **ret_fail)
{
	_cleanup_(freep) char *line = NULL;
	const char *fail = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r = 0, rows = 0;

	while (r >= 0 && (n = aoms_read_line(in, &line, &cap, AOMS_LINE_MAX)) != 0) {
		size_t len = (size_t)n;

		lineno++;
		if (n < 0) {
			r = (int)n;
			_Static_assert(AOMS_LINE_MAX == 65536, "the message below names the limit");
			fail = n == -E2BIG ? "line too long (over 65536 bytes)"
			       : n == -ENOMEM ? "out of memory" : "read error";
			break;
		}
		if (strlen(line) != len) {
			r = -EBADMSG;
			fail = "NUL byte in line";
			break;
		}
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		r = fn(line, len, ud);
		if (r > 0)
			rows += r;
	}
	if (ret_line)
		*ret_line = lineno;
	if (ret_fail)
		*ret_fail = fail;
	return r < 0 ? r : rows;
}

ssize_t aoms_read_line(FILE *in, char **buf, size_t *cap, size_t max)
{
	size_t len = 0;
	int c;

	errno = 0;
	while ((c = getc_unlocked(in)) != EOF) {
		if (len == max)
			return -E2BIG;
		if (len + 2 > *cap) {
			size_t n = *cap ? *cap * 2 : 256;
			char *b;

			if (n > max + 1)
				n = max + 1;
			if (n < len + 2)
				n = len + 2;
			b = realloc(*buf, n);
			if (!b)
				return -ENOMEM;
			*buf = b;
			*cap = n;
		}
		(*buf)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (c == EOF && ferror(in))
		return errno ? -errno : -EIO;
	if (*buf)
		(*buf)[len] = '\0';
	return (ssize_t)len;
}
