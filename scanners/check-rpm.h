/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The package check: each Requires of a scanned .rpm resolved against the target
 * database (sonames with their versions, package names and virtual provides, file
 * paths), rules rpm.* in dimension "packages". The payload's ELF files are checked
 * by check-elf.c like files on disk.
 */
#pragma once

#include "abidb.h"
#include "report.h"

struct aoms_rpm_pkg;

struct aoms_rpm_check_ctx {
	struct aoms_abidb *db;
	struct aoms_report *report;
	bool db_complete;       /* absence is a verdict */
	bool db_has_packages;   /* the database knows packages and provides */
	const char *target;     /* for messages */
};

/* Checks pkg (scanned as subject; locus is the subject relative to its input, NULL for
 * the subject itself) and adds findings. Returns 0 or -ENOMEM/-EIO. */
int aoms_check_rpm(const struct aoms_rpm_check_ctx *ctx, const char *subject,
		   const char *locus, const struct aoms_rpm_pkg *pkg);

/* An .rpm that cannot be read: rule rpm.malformed. Returns 0 or -ENOMEM. */
int aoms_report_rpm_malformed(struct aoms_report *report, const char *subject, const char *locus,
			      const char *reason);
