/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scanning .rpm files inside `aoms scan` (private to scanners/). */
#pragma once

#include "report.h"
#include "strpool.h"
#include "tree.h"

/*
 * Opens the RPM f (classified by content), keeps it on f (->model, ->package =
 * NEVRA) for the requires check, and adds its payload's ELF files to tree as
 * members with their models read. A damaged package becomes rpm.malformed, a
 * damaged ELF member elf.malformed. Returns 0, or -ENOMEM.
 */
int aoms_scan_rpm(struct aoms_tree *tree, struct aoms_file *f, struct aoms_strpool *pool,
		  struct aoms_report *report);

/* elf.malformed for subject (locus: relative to its input, NULL for subject itself;
 * package may be NULL). Returns 0 or -ENOMEM. */
int aoms_scan_report_malformed(struct aoms_report *report, const char *subject, const char *locus,
			       const char *package, const char *reason);
