/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a file someone else controls (a fact table, a list, a config named on
 * the command line): it may be a FIFO that never speaks, a device that never
 * ends, or one line of a gigabyte.
 */
#pragma once

#include <stdio.h>
#include <sys/types.h>

/* The longest line the line readers of aoms accept (fact tables, symvers...). */
#define AOMS_LINE_MAX (64 * 1024)

#include <stdint.h>

/* aoms_open_untrusted() flags. */
#define AOMS_OPEN_NOFOLLOW 1u    /* the last component must not be a symlink (ELOOP):
				  * for callers that decided about links themselves */

/*
 * The one way aoms opens a file someone else controls (a scanned file, a file of a
 * --root, a fact table, a file named on the command line): without blocking
 * (O_NONBLOCK, so a FIFO cannot hang the open), close-on-exec, no controlling tty,
 * O_NOFOLLOW when asked, then checked on the open descriptor: a regular file of at
 * most max_size bytes (0: no cap). dirfd is AT_FDCWD or a directory for a relative
 * path. Returns the descriptor (>= 0); -EISDIR for a directory; -EINVAL for
 * another file that is not regular (FIFO, device, socket); -EFBIG over the cap; the
 * -errno of openat() or fstat() (-ENOENT, -EACCES, -ELOOP...).
 */
int aoms_open_untrusted(int dirfd, const char *path, unsigned flags, uint64_t max_size);
/* The same, and the file's status in *ret_st (the fstat the check made anyway). */
struct stat;
int aoms_open_untrusted_stat(int dirfd, const char *path, unsigned flags, uint64_t max_size,
			     struct stat *ret_st);
/* The checks of aoms_open_untrusted() on a descriptor opened otherwise: 0 or -EISDIR,
 * -EINVAL, -EFBIG, the -errno of fstat(). */
int aoms_untrusted_check(int fd, uint64_t max_size);

/*
 * Opens path with aoms_open_untrusted() (no flags, no cap) as a stream.
 * Returns 0 and *ret (the caller fcloses it), or a negative errno as above and
 * -ENOMEM.
 */
int aoms_input_fopen(const char *path, FILE **ret);

/*
 * Reads one line of at most max bytes (its '\n' included) into *buf (grown as
 * needed, up to max + 1 bytes; the caller frees it) and NUL-terminates it. A line
 * may hold NUL bytes: compare the length returned with strlen().
 * Returns the line's length, 0 at the end of the file; -E2BIG for a longer line
 * (what follows in the stream is unspecified); -ENOMEM; the -errno of a failed
 * read (-EIO when the stream does not say).
 */
ssize_t aoms_read_line(FILE *in, char **buf, size_t *cap, size_t max);

/*
 * Calls fn on each line of in (lines of at most AOMS_LINE_MAX bytes), without its
 * "\n" or "\r\n", stopping at fn's first negative return. Returns the sum of fn's
 * positive returns, or fn's negative return, or the reader's failure: -E2BIG (a
 * longer line), -EBADMSG (a NUL byte in a line), -ENOMEM, -errno of a read; for
 * those three *ret_fail (may be NULL) names it ("line too long (over N bytes)",
 * "NUL byte in line", "read error: ...": a static string, or NULL when fn failed).
 * *ret_line (may be NULL) is the number of the line it stopped at.
 */
int aoms_foreach_line(FILE *in, int (*fn)(char *line, size_t len, void *ud), void *ud,
		      unsigned *ret_line, const char **ret_fail);
