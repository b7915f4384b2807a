/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `aoms db build`: collect a target's facts into an abi-db database from a system
 * root (what a default install holds) and/or a directory of RPMs (what can be
 * installed). This is scanning (it reads ELF and RPM files), so it lives here and
 * writes through abi-db's API (DESIGN.md "Layout").
 */
#pragma once

#include "abidb.h"
#include "progress.h"
#include "report.h"

struct aoms_dbbuild_options {
	const char *root;   /* a mounted or extracted system root; NULL: none */
	const char *rpms;   /* a directory tree of .rpm files; NULL: none */
	/* kernels (`--kernel DIR`): build trees or /lib/modules/RELEASE directories */
	const char *const *kernels;
	size_t n_kernels;
	const char *name;   /* meta "name"; NULL: "target" */
	unsigned jobs;      /* threads reading RPMs; 0 = online CPUs */
	struct aoms_report *report;   /* receives per-file errors; may be NULL */
	/* Progress (progress.h), NULL: none: phase "libraries" (files of the root's
	 * library directories, found as the walk goes), "packages" (the .rpm files
	 * of --rpms); called as aoms_scan_options.progress is. */
	aoms_progress_fn progress;
	void *progress_ud;
};

/*
 * From root: every shared library of its library directories (/lib64, /usr/lib64,
 * /lib, /usr/lib, their subdirectories two levels down, and etc/ld.so.conf with its
 * includes): soname, path, arch, version definitions, exported symbols (default or
 * compat), DT_NEEDED, interpreters; the owning package and every package's Provides
 * from the root's rpmdb (var/lib/rpm or usr/lib/sysimage/rpm); kernel facts
 * (symvers, config, kABI lists). From rpms: the same facts from each package's
 * header and payload, recorded as installable but not installed when root is given
 * too. Marks the database's coverage complete.
 * Unreadable or damaged files become errors in report and the build goes on.
 * From each of kernels: that kernel's exports (CRC, export type, namespace), config
 * and vermagic (aoms_dbbuild_kernel_dir()).
 * Returns the number of libraries recorded, or a negative errno: -ENOENT (root or
 * rpms directory missing), -EPROTONOSUPPORT (the root's rpmdb backend is not
 * supported by this librpm; *ret_reason says which), -EIO (database), -ENOMEM.
 */
int aoms_dbbuild(struct aoms_abidb *db, const struct aoms_dbbuild_options *o, char **ret_reason);
