/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry row of ELF executables and shared objects (rules elf.*). */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include "check-elf.h"
#include "check-syscall.h"
#include "elf-model.h"
#include "elf-needs.h"
#include "scan-rpm.h"
#include "scanner.h"

/* Executables and shared objects; also anything with the ELF magic whose header
 * cannot even be decoded, so a truncated one is reported as damaged, not skipped. */
static bool elf_probe(struct aoms_probe *p)
{
	if (p->n_head < SELFMAG || memcmp(p->head, ELFMAG, SELFMAG) != 0)
		return false;
	return !p->is_elf || p->elf_type == ET_EXEC || p->elf_type == ET_DYN;
}

static int elf_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	_cleanup_(freep) char *reason = NULL;
	struct aoms_elf *elf = NULL;
	int r = aoms_elf_read_fd(fd, f->subject, &(struct aoms_elf_read_opts){ .pool = ctx->names, .syscalls = true },
				 &elf, &reason);

	if (r == -EBADMSG)
		return aoms_scan_report_malformed(ctx->report, f->subject, f->rel, f->package, reason);
	if (r < 0)
		return r;   /* -ENOEXEC: not an object after all (separate debuginfo) */
	f->model = f->elf = elf;
	return 0;
}

/* The file's verdict: the versions it needs; the verdict and what it lacks come from
 * its findings when the report is sorted. */
static int elf_summarize(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			 bool judge_syscalls, bool other_platform)
{
	_cleanup_(aoms_file_summary_freep) struct aoms_file_summary *s = NULL;
	int r = aoms_file_summary_new(f->subject, aoms_scanner_elf.name, &s);

	/* never loaded by the migrated hosts: not "compatible", which it was not judged */
	if (r >= 0 && other_platform)
		r = aoms_file_summary_set_verdict(s, AOMS_VERDICT_OTHER_PLATFORM);

	if (r >= 0)
		r = aoms_elf_needs_summarize(f->elf->needs, f->elf->n_needs, s);
	/* The syscall pass (check-syscall.h): one ELF object, several checks; not for a
	 * build the migrated hosts never run (its syscalls are another platform's). */
	if (r >= 0 && judge_syscalls)
		r = aoms_check_syscalls(ctx->syscalls, ctx->report, f, s);
	return r < 0 ? r : aoms_report_add_file_summary(ctx->report, TAKE_PTR(s));
}

static int elf_check(const struct aoms_scan_ctx *ctx, const struct aoms_file *f)
{
	const struct aoms_elf_check_ctx check = {
		.rs = { .db = ctx->db, .tree = ctx->tree, .tree_sonames = ctx->sonames },
		.report = ctx->report,
		.db_complete = ctx->db_complete,
		.target = ctx->target,
		.platforms = ctx->platforms,
	};
	int r;

	if (!f->elf)
		return 0;
	r = aoms_check_elf(&check, f);
	return r < 0 ? r : elf_summarize(ctx, f, r == 0, r == AOMS_CHECK_ELF_OTHER_PLATFORM);
}

static void elf_free(void *model)
{
	aoms_elf_free(model);
}

const struct aoms_scanner aoms_scanner_elf = {
	.name = "elf",
	.dimension = AOMS_DIM_APPLICATIONS,
	.probe = elf_probe,
	.read = elf_read,
	.check = elf_check,
	.free = elf_free,
	.shares_model = true,
};
