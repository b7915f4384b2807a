/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The package model shared by the RPM readers (rpm-file.h: .rpm files, rpmdb.h:
 * installed packages of a root), and the librpm plumbing they share.
 *
 * librpm's process-wide set-up (init once, the lock, log routing) is
 * rpmsetup/rpm-setup.h: aoms_rpmdb_foreach() holds its lock while it uses
 * librpm's global state; aoms_rpm_open() and the payload walk run librpm in a
 * child process (rpm-file.h), so distinct packages are read in parallel.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "aoms-macro.h"
#include "rpm-setup.h"

/* One Provides/Requires entry, in RPM's own spelling. */
struct aoms_rpm_dep {
	const char *name;   /* "libc.so.6(GLIBC_2.14)(64bit)", "/bin/sh", "rpmlib(FileDigests)" */
	const char *op;     /* "", "=", "<", ">", "<=", ">=" */
	const char *evr;    /* "[epoch:]version[-release]", "" when op is "" */
	bool rpmlib;        /* name starts with "rpmlib(": a feature of rpm itself,
			     * not something another package provides */
};

/* One file of a package, as its header lists it. */
struct aoms_rpm_file_entry {
	const char *path;   /* absolute, "/usr/lib64/libfoo.so.1" */
	mode_t mode;        /* type and permission bits */
	uint64_t size;      /* bytes (0 for directories and symlinks) */
	const char *link;   /* symlink target, NULL when not a symlink */
};

/* A package: its identity, dependencies and file list. Strings and arrays are
 * owned by whoever produced the struct (see rpm-file.h and rpmdb.h). */
struct aoms_rpm_pkg {
	const char *name;
	const char *epoch;    /* NULL when the package has none */
	const char *version;
	const char *release;
	const char *arch;     /* "x86_64", "noarch"; "src" for a source package */
	const char *nevra;    /* "name-[epoch:]version-release.arch" */
	struct aoms_rpm_dep *provides;
	struct aoms_rpm_dep *requires;
	size_t n_provides;
	size_t n_requires;
	struct aoms_rpm_file_entry *files;  /* in the header's (sorted) order */
	size_t n_files;
	const char *vendor;   /* the Vendor tag; NULL when absent (and for .rpm files) */
	/* The key id of the package's header signature (RSAHEADER, DSAHEADER, else the
	 * header+payload SIGPGP/SIGGPG), 16 lowercase hex digits ("24c6a8a7f4a80eb5");
	 * NULL when unsigned (and for .rpm files: the child does not pass it). */
	const char *sigkey;
	/* The ModularityLabel tag, "module:stream:version:context" of the module build the
	 * package came from (EL8 modular packages); NULL when absent (and for .rpm files). */
	const char *modularity_label;
};

/* ---- for rpm-file.c and rpmdb.c only ---- */

struct aoms_arena;
struct headerToken_s;  /* librpm's Header */

/*
 * Copies the files names[] (NULL-terminated) of directory dir into a new private
 * directory (mode 0700) under $TMPDIR or /tmp, for databases that cannot be read
 * without writing next to them. Returns 0 and *ret_tmpdir (remove with
 * aoms_rpm_private_remove()), or -errno (-ENOENT when a file is missing).
 */
int aoms_rpm_private_copy(const char *dir, const char *const *names, char **ret_tmpdir);
/* Removes the files in tmpdir (whatever the reader added too), then tmpdir, and
 * frees the string. Accepts NULL. */
void aoms_rpm_private_remove(char *tmpdir);

/*
 * Fills *ret from header h, every string and array allocated in arena.
 * with_files false leaves files empty. Returns 0, -ENOMEM, or -EBADMSG when the
 * header lacks a name, version or release.
 */
int aoms_rpm_pkg_from_header(struct headerToken_s *h, struct aoms_arena *arena,
			     bool with_files, struct aoms_rpm_pkg *ret);
