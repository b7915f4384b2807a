/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The scanned tree: every regular file and symlink under the scan's inputs, keyed
 * by absolute path so the loader's search (RPATH, $ORIGIN, soname symlinks) can be
 * replayed inside it. The walk never follows a symlink; a link is resolved only
 * lexically and only while it stays inside an input.
 */
#pragma once

#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include "report.h"
#include "strmap.h"

enum aoms_file_kind {
	AOMS_FILE_REGULAR,
	AOMS_FILE_SYMLINK,
	AOMS_FILE_MEMBER,     /* a file inside an archive (an RPM payload), already read */
};

struct aoms_elf;
struct aoms_scanner;

struct aoms_file {
	char *path;       /* absolute, normalized */
	char *subject;    /* what reports call it */
	bool subject_shared;   /* subject points into path */
	const char *rel;  /* the subject relative to the input it came from (a tail of
			   * subject: "bin/app", "pkg.rpm:/usr/bin/app"); findings' locus */
	char *link;       /* symlinks: absolute normalized target when inside the tree, else NULL */
	enum aoms_file_kind kind;
	uint64_t size;           /* 0 when the walk took the type from d_type */
	char *package;           /* owning package (NEVRA) when known */
	/* The registry row that read the file and its model (scanner.h), freed with the
	 * row's free; NULL when no scanner judged it. */
	const struct aoms_scanner *scanner;
	void *model;
	/* The model again when it is an ELF object (the ELF row's), for the loader's
	 * search across the tree; not a second owner. */
	struct aoms_elf *elf;
	/* A hard link of a file the read phase met first (same device and inode): set
	 * aside, then given that file's model when its row shares models (model_shared:
	 * not this file's to free), else read on its own (scan.c). */
	struct aoms_file *same_inode;
	bool model_shared;
};

struct aoms_tree {
	struct aoms_file **files;
	size_t n_files, cap_files;
	struct aoms_strmap by_path;
	char **roots;            /* absolute input directories */
	size_t n_roots;
	bool chroot;             /* set before walking a system root: absolute link
				  * targets then mean paths under that root */
	/* A system root (`aoms assess --root`), absolute and resolved, or NULL. Files
	 * below it are called by their root-relative path ("/opt/app/bin/x"), subject
	 * and locus alike, so reports of different hosts (and of one host mounted at two
	 * places) compare. Not owned. */
	const char *sysroot;
	/* Optional, so readers can consume files while the walk goes on: files[] is
	 * grown under lock, and on_push(ud) runs (under lock) after new files. The walk
	 * then hands its files over AOMS_TREE_BATCH at a time (and the rest when an
	 * input ends): one lock and one wake-up per file cost the readers more than a
	 * small file's read. An archive's members are added at once, from any thread. */
	pthread_mutex_t *lock;
	void (*on_push)(void *ud);
	void *ud;
#define AOMS_TREE_BATCH 64
	struct aoms_file *batch[AOMS_TREE_BATCH];   /* the walking thread's own */
	size_t n_batch;
	/* `--exclude`: fnmatch(3) patterns (no flags: '*' also matches '/') against a
	 * path relative to its input; a match is not added, a matching directory not
	 * entered. Not owned. */
	const char *const *exclude;
	size_t n_exclude;
};

#define AOMS_TREE_INIT { 0 }

/*
 * Walks input (a file or directory; a symlink given here is followed, like
 * find -H). Subjects are paths relative to input, prefixed with input itself when
 * prefix is true; rel is without that prefix (a file given as input: its base name).
 * An input below t->sysroot instead gives root-relative subjects, and rel is the
 * whole subject. Unreadable directories and inputs become report errors; FIFOs,
 * devices and sockets become scan.file-skipped findings. Returns 0 (also when parts
 * of the walk failed and were reported) or -ENOMEM.
 */
int aoms_tree_add_input(struct aoms_tree *t, const char *input, bool prefix,
			struct aoms_report *report);

/*
 * Adds a file found inside an archive (path "ARCHIVE!/inner/path"), with its model
 * already read: elf and package are taken over. rel, a tail of subject, is the subject
 * relative to the input (NULL: all of it). Safe while the walk runs.
 * Returns 0 or -ENOMEM (elf is freed then).
 */
int aoms_tree_add_member(struct aoms_tree *t, const char *path, const char *subject,
			 const char *rel, const char *package, struct aoms_elf *elf);

/* Adds a symlink found inside an archive: path and link are absolute, normalized
 * ("ARCHIVE!/usr/lib64/libfoo.so.1" -> "ARCHIVE!/usr/lib64/libfoo.so.1.2"). */
int aoms_tree_add_member_link(struct aoms_tree *t, const char *path, const char *link);

/* The regular file at abs_path, following in-tree symlinks of the file and of its
 * directories (at most 40 hops); NULL when absent, outside the tree, or looping. */
struct aoms_file *aoms_tree_resolve(const struct aoms_tree *t, const char *abs_path);

void aoms_tree_release(struct aoms_tree *t);
