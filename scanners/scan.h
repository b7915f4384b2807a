/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `aoms scan`: walk the inputs, classify every file by content, read ELF objects in
 * parallel, then check each against the target database and the rest of the tree.
 * Findings and per-file errors go to the report; nothing is printed.
 */
#pragma once

#include "abidb.h"
#include "report.h"

#include "progress.h"

struct aoms_scan_options {
	struct aoms_abidb *db;        /* the target, opened read-only */
	struct aoms_report *report;   /* receives findings and errors */
	unsigned jobs;                /* worker threads; 0 = online CPUs */
	const char *target_name;      /* for messages, e.g. "Anolis OS 8"; NULL = "the target" */
	/* The architectures the migrated hosts run (`--arch`); n_arches == 0: x86_64,
	 * and the database's arches when it has no x86_64 facts (scanners/platform.h).
	 * Builds for other platforms beside a build for these are information. */
	const char *const *arches;
	size_t n_arches;
	/* `--kernel`: the target kernel, a release or a facts label ("4.19-anck");
	 * NULL: the database's default (for modules: the default of each module's arch) */
	const char *kernel;
	/* `--exclude`: fnmatch(3) patterns matched, without flags ('*' matches '/' too),
	 * against each path relative to its input during the walk; what matches is not
	 * read and not counted, a matching directory not entered (scanners/tree.h) */
	const char *const *exclude;
	size_t n_exclude;
	/* Progress (progress.h: phases "reading", "checking"; files), NULL: none.
	 * Called from the scan's threads, one call at a time, at most every
	 * AOMS_PROGRESS_MS while a phase runs and once at its end; it must be quick
	 * and not call into the scan. */
	aoms_progress_fn progress;
	void *progress_ud;
	/* A system root the paths lie in (`aoms assess --root`), or NULL: files below it
	 * are reported by root-relative path ("/opt/app/bin/x", also the report's
	 * inputs), and absolute symlink targets mean paths under it (scanners/tree.h). */
	const char *system_root;
};

/*
 * Scans paths (files or directories). Returns 0 when the scan ran (findings and
 * per-file errors are in the report), or a negative errno when it could not go on
 * (-ENOMEM, -EIO from the database).
 */
int aoms_scan(const struct aoms_scan_options *opts, char *const *paths, size_t n_paths);
