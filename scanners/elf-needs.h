/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What an ELF object needs, per family of version nodes: the highest glibc, libstdc++,
 * C++ ABI, libgcc, OpenSSL and zlib version its Verneed list requires, for the file's
 * verdict (report/file-summary.h, docs/report-schema.md "Files").
 */
#pragma once

#include <stddef.h>
#include "elf-model.h"
#include "file-summary.h"

/*
 * The family key and version of one version node: "GLIBC_2.34" gives "glibc" and
 * "2.34"; "GLIBCXX_3.4.30" "glibcxx"; "CXXABI_1.3.13" "cxxabi"; "GCC_7.0.0" "gcc";
 * "OPENSSL_3.0.0" and "OPENSSL_1_1_1d" (as "1.1.1d": an underscore between digits is
 * a dot) "openssl"; "ZLIB_1.2.9" "zlib". The version must start with a digit, so
 * GLIBC_PRIVATE, GLIBC_ABI_DT_RELR or CXXABI_TM_1 belong to no family. Writes the
 * version into buf (size n) and returns the key (static), or NULL.
 */
const char *aoms_elf_need_family(const char *node, char *buf, size_t n);

/*
 * Sets on s, for each family the n needs use (weak ones excepted: the object runs
 * without them), the highest version (strverscmp), in the family order above.
 * Returns 0 or -ENOMEM.
 */
int aoms_elf_needs_summarize(const struct aoms_elf_need *needs, size_t n,
			     struct aoms_file_summary *s);
