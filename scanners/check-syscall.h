/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscall check (rules syscall.*): the syscalls an ELF object's code makes
 * (its model's ->syscalls, found in the read phase) and the wrapper functions it
 * imports, judged against the target kernel's syscall table in the database.
 * Part of the elf row's check: one ELF object, several checks.
 */
#pragma once

#include "abidb.h"
#include "file-summary.h"
#include "report.h"
#include "tree.h"

/*
 * The database's syscall table label for kernel on arch: kernel NULL is the target's
 * (meta syscall_kernel, else "4.18-el8"); a label ("4.19-anck", "5.10") is taken as
 * it is; a release ("4.18.0-240.el8", "4.19.91-26.an8", "5.10.134-13.an8") maps to
 * "M.m-el8", "M.m-anck" or "M.m", the first the database holds. *ret is the caller's
 * to free. Returns 0, -ENOENT when the database has no such table for arch, -ENOMEM,
 * -EIO.
 */
int aoms_syscall_table_label(struct aoms_abidb *db, const char *arch, const char *kernel,
			     char **ret);

/*
 * A scan's syscall tables: the label of kernel (as above; NULL: the target's) per
 * arch, looked up once per arch, not once per file (the lookup was ~4 % of a scan of
 * /usr/bin). db and kernel are borrowed. Thread-safe. Returns 0 or -ENOMEM.
 */
struct aoms_syscall_tables;
int aoms_syscall_tables_new(struct aoms_abidb *db, const char *kernel,
			    struct aoms_syscall_tables **ret);
void aoms_syscall_tables_free(struct aoms_syscall_tables *t);

/*
 * Judges file (->elf set) against t's table for its arch and adds findings to
 * report; the syscalls by name go to summary (may be NULL).
 * Returns 0 or a negative errno that stops the scan (-ENOMEM, -EIO).
 */
int aoms_check_syscalls(struct aoms_syscall_tables *t, struct aoms_report *report,
			const struct aoms_file *file, struct aoms_file_summary *summary);
