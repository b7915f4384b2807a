/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Access to files of a system root given with --root, as if chrooted: symlinks
 * are resolved inside the root (absolute targets restart at the root, ".." stops
 * at it), like openat2(RESOLVE_IN_ROOT) but for kernels without it (EL8: 4.18).
 */
#pragma once

/*
 * The canonical root-relative path ("/usr/lib64/libc.so.6") that path names under
 * root, every symlink resolved. Returns a heap string (caller frees), or NULL with
 * errno set: ENOENT, ELOOP (more than 40 links), ENOMEM.
 */
char *aoms_root_realpath(const char *root, const char *path);

/* root joined with a root-relative path; heap string or NULL (ENOMEM). */
char *aoms_root_join(const char *root, const char *path);
