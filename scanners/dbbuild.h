/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `aoms db build --root`: collect a target root's facts into an abi-db database.
 * This is scanning (it reads ELF files), so it lives here and writes through
 * abi-db's API (DESIGN.md "Layout").
 */
#pragma once

#include "abidb.h"
#include "report.h"

/*
 * Records every shared library in root's library directories (/lib64, /usr/lib64,
 * /lib, /usr/lib and those of etc/ld.so.conf with its includes): soname, path, arch,
 * version definitions, exported symbols (default or compat), DT_NEEDED, and the
 * program interpreters found there. Marks the database's coverage complete.
 * Unreadable or damaged files become errors in report (which may be NULL), and the
 * build goes on. Returns the number of libraries recorded, or a negative errno
 * (-ENOENT root missing, -EIO database write failed, -ENOMEM).
 */
int aoms_dbbuild_root(struct aoms_abidb *db, const char *root, const char *name,
		      struct aoms_report *report);
