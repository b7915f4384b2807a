/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judging modules against a target kernel the way its loader does (kernel/module.c:
 * check_modinfo/same_magic, check_modstruct_version, resolve_symbol/check_version,
 * the GPL and namespace checks, module signatures). One checker per scan: it loads
 * each target kernel once and indexes the exports of the scanned modules, so
 * inter-module symbols resolve within the scanned set first. Thread-safe.
 *
 * Verdict words (files[].verdict): "loads-as-is", "rebuild" (every symbol exists in
 * the target; CRCs, vermagic or modversions differ), "port" (symbols gone, GPL-only
 * or namespace violations: the source must change), "unknown" (no or too partial
 * target facts, or a damaged module), "replaced" (another kernel's own module: in-tree,
 * under lib/modules/RELEASE/kernel/ of its vermagic's RELEASE; the migration replaces
 * that kernel and its modules with the target kernel's, so it is not judged).
 */
#pragma once

#include "abidb.h"
#include "kmod.h"
#include "report.h"

#define AOMS_KMOD_LOADS AOMS_VERDICT_LOADS_AS_IS
#define AOMS_KMOD_REBUILD "rebuild"
#define AOMS_KMOD_PORT "port"
#define AOMS_KMOD_UNKNOWN "unknown"
#define AOMS_KMOD_REPLACED AOMS_VERDICT_REPLACED

struct aoms_kmod_checker;

/* release: the target kernel (`aoms scan --kernel`), NULL for the database's default
 * kernel of each module's arch. db must outlive the checker. 0 or -ENOMEM. */
int aoms_kmod_checker_new(struct aoms_abidb *db, const char *release,
			  struct aoms_kmod_checker **ret);
void aoms_kmod_checker_free(struct aoms_kmod_checker *c);
DEFINE_FREE_FUNC(struct aoms_kmod_checker, aoms_kmod_checker_free)

/* A scanned module (read phase, any thread): its exports satisfy the others'
 * imports. m and subject must outlive the checker's checks. 0 or -ENOMEM. */
int aoms_kmod_checker_add(struct aoms_kmod_checker *c, const struct aoms_kmod *m,
			  const char *subject);

/* Where a finding goes. */
struct aoms_kmod_subject {
	const char *subject, *locus, *package;   /* locus, package may be NULL */
	const char *path;                        /* as walked (absolute), may be NULL */
	const char *scanner;                     /* the row's name, for files[] */
};

/*
 * Judges m: adds its kmod.* findings and its file summary (verdict, needs "kernel",
 * "target-kernel", "kabi-safe"; lacks: the reasons) to report. Returns 0, or -ENOMEM,
 * -EIO (database).
 */
int aoms_kmod_check(struct aoms_kmod_checker *c, const struct aoms_kmod *m,
		    const struct aoms_kmod_subject *s, struct aoms_report *report);

/*
 * A damaged module: kmod.malformed with the reason and a file summary "unknown".
 * Returns 0 or -ENOMEM.
 */
int aoms_kmod_report_malformed(const struct aoms_kmod_subject *s, const char *reason,
			       struct aoms_report *report);
