/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the database builders of scanners/ (--root, --rpms): the sink that
 * records an ELF shared object with its symbols, thread-safe. Private. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "abidb.h"

#include "progress.h"
#include "report.h"
#include "strmap.h"

struct aoms_dbsink {
	struct aoms_abidb *db;
	struct aoms_report *report;   /* per-file errors; may be NULL */
	pthread_mutex_t lock;         /* database writes and the fields below */
	struct aoms_strmap seen;      /* "soname\tarch\tpackage" already recorded */
	char **keys;
	size_t n_keys;
	char arches[128];             /* space-separated, unsorted until finish */
	int libraries;
	struct aoms_progress progress;   /* the options' callback, throttled */
};

/* Where an ELF image sits on the target and who ships it. */
struct aoms_dbsink_file {
	const char *path;      /* target path as listed (e.g. /lib64/ld-linux-x86-64.so.2) */
	const char *canon;     /* the same with symlinks resolved; may equal path */
	const char *package;   /* owning package name, NULL if unknown */
	bool installed;        /* false: only available from a repository */
	int64_t source;
};

int aoms_dbsink_init(struct aoms_dbsink *s, struct aoms_abidb *db, struct aoms_report *report);
void aoms_dbsink_release(struct aoms_dbsink *s);

/*
 * Reads the ELF image (open at fd, or the size bytes at mem when mem is not NULL)
 * and records it when it is a shared object: library, verdefs, needed, symbols,
 * and an interpreter row when its name is ld-*. Damaged files become report
 * errors. Returns 1 when a library was recorded, 0 when not, <0 on -ENOMEM/-EIO.
 */
int aoms_dbsink_add_elf(struct aoms_dbsink *s, int fd, const void *mem, size_t size,
			const struct aoms_dbsink_file *file);

/* Writes meta name, coverage "complete" and the sorted arches, then the target
 * facts derived from what was recorded (aoms_abidb_derive_target()). */
int aoms_dbsink_finish(struct aoms_dbsink *s, const char *name);

/* Records the libraries of root's library directories (installed). owners maps
 * root paths to package names (NULL: unknown). Returns 0 or a negative errno. */
int aoms_dbbuild_root_libraries(struct aoms_dbsink *sink, const char *root, int64_t source,
				const struct aoms_strmap *owners);

/* Records packages, provides and payload libraries of every .rpm under dir
 * (installed says whether they count as installed). Packages whose NEVRA is in
 * skip (may be NULL) were recorded from the root already. */
int aoms_dbbuild_rpms(struct aoms_dbsink *sink, const char *dir, int64_t source, bool installed,
		      const struct aoms_strmap *skip, unsigned jobs);

/* Records the root's rpmdb packages and provides (installed) and fills owners with
 * path -> package name (keys and values owned by arena). -ENOENT without rpmdb. */
struct aoms_arena;
int aoms_dbbuild_rpmdb(struct aoms_dbsink *sink, const char *root, int64_t source,
		       struct aoms_strmap *owners, struct aoms_strmap *nevras,
		       struct aoms_arena *arena, char **ret_reason);

/* Records the kernel facts found under root: symvers, config, kABI lists. */
int aoms_dbbuild_kernel(struct aoms_dbsink *sink, const char *root, int64_t source);

/* Opens a root-relative kernel fact file inside root (never a FIFO, a device or a
 * link out of it), gunzipping *.gz, at most 256 MiB. NULL when absent. */
#include <stdio.h>
FILE *aoms_dbbuild_fopen(const char *root, const char *path);

/* Records the kernel's own modules listed in path under root (modules.dep, or
 * modules.builtin with builtin true) into kernel_module; extra/ and updates/ paths
 * are not the kernel's. Returns 0 or a writer's error (a bad line is skipped;
 * -EOPNOTSUPP never: the sink's database is the current schema). */
int aoms_dbbuild_module_list(struct aoms_dbsink *s, const char *root, const char *path,
			     int64_t source, const char *release, const char *arch, bool builtin);

/* Records the kernel of dir: a build tree (Module.symvers, .config,
 * include/config/kernel.release) or a /lib/modules/RELEASE directory (symvers.gz,
 * config or ../../../boot/config-RELEASE, and every module's own exports with
 * CRCs), and its vmlinux BTF (btf_file, else aoms_dbbuild_kernel_btf() under the
 * build tree or the root DIR/../../..). Returns 1 when a kernel was recorded,
 * -ENOENT when dir is neither, -EINVAL with *ret_reason when btf_file holds no
 * BTF, or a negative errno. */
int aoms_dbbuild_kernel_dir(struct aoms_dbsink *sink, const char *dir, const char *btf_file,
			    int64_t source, char **ret_reason);

/* The kernel whose vmlinux BTF aoms_dbbuild_kernel_btf() looks for. */
struct aoms_dbbuild_btf {
	const char *root;      /* where the root-relative candidates are looked up */
	const char *release;
	const char *arch;
	const char *file;      /* `--btf FILE`: only this one; NULL: look under root */
	bool build_tree;       /* root is a kernel build tree: its own /vmlinux counts */
	int64_t source;
};

/*
 * Records the vmlinux BTF of k's kernel (dbbuild-btf.c): k->file, else the first of
 * root's /sys/kernel/btf/vmlinux (only when root's /proc/sys/kernel/osrelease is
 * the release: a live root), /usr/lib/debug/lib/modules/R/vmlinux, /boot/vmlinux-R,
 * /lib/modules/R/build/vmlinux and, for a build tree, /vmlinux; raw BTF or an ELF
 * file's .BTF section, accepted by libbpf, stored deflated. Returns 1 recorded, 0
 * none (a discovered file without valid BTF is a report error), -EINVAL with
 * *ret_reason when k->file holds none, -ENOMEM, -EIO.
 */
int aoms_dbbuild_kernel_btf(struct aoms_dbsink *s, const struct aoms_dbbuild_btf *k,
			    char **ret_reason);
