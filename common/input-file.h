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

/*
 * Opens path for reading without blocking (O_NONBLOCK, so a FIFO cannot hang the
 * open) and checks on the open descriptor that it is a regular file.
 * Returns 0 and *ret (the caller fcloses it); -EISDIR for a directory; -EINVAL
 * for another file that is not regular (FIFO, device, socket); -ENOMEM; the
 * -errno of open() or fstat() (-ENOENT, -EACCES...).
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
