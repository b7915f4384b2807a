/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The application check: one ELF executable or shared object against the target
 * database and the rest of the scanned tree, replaying what the dynamic loader
 * would do (DESIGN.md "Findings", rules elf.*).
 */
#pragma once

#include "abidb.h"
#include "report.h"
#include "strmap.h"
#include "resolve.h"
#include "tree.h"

struct aoms_platforms;

struct aoms_elf_check_ctx {
	struct aoms_resolver rs;
	struct aoms_report *report;
	bool db_complete;     /* absence from the DB is a verdict */
	const char *target;   /* the target's name for messages, e.g. "Anolis OS 8" */
	/* The migrated architectures and the tree's builds for other platforms; NULL:
	 * x86_64, no twins. */
	const struct aoms_platforms *platforms;
};

/* Checks file (whose ->elf is set) and adds findings to ctx->report. Thread-safe.
 * Returns 0; AOMS_CHECK_ELF_OTHER_PLATFORM when the file is another platform's build
 * whose twin for the migrated hosts is in the tree (elf.other-platform), 1 when it is
 * built for a machine the migrated hosts do not run (elf.machine-unsupported):
 * nothing more of either is judged; or -ENOMEM, -EIO. */
#define AOMS_CHECK_ELF_OTHER_PLATFORM 2
int aoms_check_elf(const struct aoms_elf_check_ctx *ctx, const struct aoms_file *file);
