/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Access to files of a system root given with --root, as if chrooted: symlinks
 * are resolved inside the root (absolute targets restart at the root, ".." stops
 * at it), like openat2(RESOLVE_IN_ROOT) but for kernels without it (EL8: 4.18).
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

/*
 * The canonical root-relative path ("/usr/lib64/libc.so.6") that path names under
 * root, every symlink resolved. Returns a heap string (caller frees), or NULL with
 * errno set: ENOENT, ELOOP (more than 40 links), ENOMEM.
 */
char *aoms_root_realpath(const char *root, const char *path);

/*
 * openat2(dirfd, path, {flags, resolve: RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}): path
 * resolved with dirfd as the root, by the kernel. Returns the descriptor or -errno;
 * -ENOSYS (or -EPERM, -EINVAL under some seccomp filters) where the kernel (< 5.6)
 * cannot, and the caller walks in user space instead.
 */
int aoms_openat2_in_root(int dirfd, const char *path, int flags);

/* root joined with a root-relative path; heap string or NULL (ENOMEM). */
char *aoms_root_join(const char *root, const char *path);

/*
 * Opens root-relative path for reading as if chrooted to root, the hostile-input
 * way: openat2(RESOLVE_IN_ROOT) where the kernel has it (5.6+), else the same walk
 * as aoms_root_realpath() with the last component opened O_NOFOLLOW; then the
 * checks of aoms_open_untrusted() (non-blocking, a regular file, at most max_size
 * bytes; 0: no cap). Returns the descriptor, or -ENOENT, -ELOOP, -EISDIR, -EINVAL
 * (not a regular file), -EFBIG, -ENOMEM, another -errno.
 */
int aoms_root_open(const char *root, const char *path, uint64_t max_size);
/* The same as a stream (the caller fcloses *ret). */
int aoms_root_fopen(const char *root, const char *path, uint64_t max_size, FILE **ret);
/* The host name root's etc/hostname gives (its first word; the caller frees it), or NULL
 * when it has none, it is unreadable or memory ran out. */
char *aoms_root_hostname(const char *root);
