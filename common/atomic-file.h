/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replacing an output file atomically (reports, databases): the new content is
 * written to a temporary file ".NAME.XXXXXX" in the target's directory, flushed
 * and fsync'd, and renamed over the target; the directory is fsync'd after. A
 * failure leaves the previous file untouched and the temporary file removed.
 *
 * A target that exists and is not a regular file (/dev/stdout, /dev/null, a FIFO,
 * a character device) is written to directly and never replaced. A symlink to a
 * regular file replaces the file it points to, not the link.
 */
#pragma once

#include <stdio.h>
#include "aoms-macro.h"

struct aoms_atomic_file;

/* aoms_atomic_open() flags */
/* Refuse a target that exists and is not a regular file (a database needs one). */
#define AOMS_ATOMIC_REGULAR (1u << 0)

/*
 * Starts writing path. The temporary file is created O_CLOEXEC with the mode a
 * normal create gives (0666 & ~umask).
 * Returns 0 and *ret (finish it with aoms_atomic_commit() or _abort()); -EINVAL
 * for an empty path, or with AOMS_ATOMIC_REGULAR when the target exists and is
 * not a regular file; -ENOMEM; the -errno of the failed stat(), mkostemp() or
 * open() (-ENOENT for a missing directory, -EACCES, -ENOSPC...).
 */
int aoms_atomic_open(const char *path, unsigned flags, struct aoms_atomic_file **ret);

/* Where to write: a stream owned by h (do not fclose it). Write errors are
 * recorded with their errno and returned by aoms_atomic_commit(). */
FILE *aoms_atomic_stream(struct aoms_atomic_file *h);

/* The temporary file's path (owned by h), for a writer that opens the file by
 * name itself (SQLite); NULL when the target is written directly. */
const char *aoms_atomic_temp_path(struct aoms_atomic_file *h);

/*
 * Flushes and fsyncs the file, renames it over the target and fsyncs the
 * directory; frees h in every case. On failure the temporary file is removed and
 * the target is as it was. Returns 0, or the -errno of the first failure: the
 * write that failed (-ENOSPC, -EDQUOT, -EIO...), fsync(), rename().
 */
int aoms_atomic_commit(struct aoms_atomic_file *h);

/* Removes the temporary file and frees h; the target is untouched. Accepts NULL. */
void aoms_atomic_abort(struct aoms_atomic_file *h);
DEFINE_FREE_FUNC(struct aoms_atomic_file, aoms_atomic_abort)
