/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry row of .rpm packages: Requires (rules rpm.*), and the payload's ELF
 * files added to the tree as members that the ELF row checks. */
#include "check-rpm.h"
#include "rpm-file.h"
#include "scan-rpm.h"
#include "scanner.h"

static bool rpm_probe(struct aoms_probe *p)
{
	return aoms_rpm_is_rpm(p->head, p->n_head);
}

static int rpm_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	return aoms_scan_rpm(ctx->tree, f, ctx->names, ctx->report);
}

static int rpm_check(const struct aoms_scan_ctx *ctx, const struct aoms_file *f)
{
	const struct aoms_rpm_check_ctx check = {
		.db = ctx->db,
		.report = ctx->report,
		.db_complete = ctx->db_complete,
		.db_has_packages = ctx->db_has_packages,
		.target = ctx->target ? ctx->target : "the target",
	};

	return f->model ? aoms_check_rpm(&check, f->subject, f->rel, aoms_rpm_pkg(f->model)) : 0;
}

static void rpm_free(void *model)
{
	aoms_rpm_free(model);
}

const struct aoms_scanner aoms_scanner_rpm = {
	.name = "rpm",
	.dimension = AOMS_DIM_PACKAGES,
	.probe = rpm_probe,
	.read = rpm_read,
	.check = rpm_check,
	.free = rpm_free,
};
