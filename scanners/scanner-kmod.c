/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry row of Linux kernel modules (rules kmod.*): .ko files and ELF
 * relocatable objects with .modinfo or .gnu.linkonce.this_module, and .ko.xz,
 * .ko.zst, .ko.gz by name and magic. The reading and the judgement live in kmod/.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "kmod-check.h"
#include "kmod.h"
#include "scanner.h"

static bool kmod_probe_magic(const struct aoms_probe *p, const char *magic, size_t n)
{
	return p->n_head >= n && memcmp(p->head, magic, n) == 0;
}

static bool kmod_probe(struct aoms_probe *p)
{
	if (p->is_elf)
		return p->elf_type == ET_REL &&
		       (aoms_probe_path_ends(p, ".ko") || aoms_probe_has_section(p, ".modinfo") ||
			aoms_probe_has_section(p, ".gnu.linkonce.this_module"));
	if (kmod_probe_magic(p, ELFMAG, SELFMAG))   /* a truncated ELF header */
		return aoms_probe_path_ends(p, ".ko");
	return (aoms_probe_path_ends(p, ".ko.xz") && kmod_probe_magic(p, "\xfd" "7zXZ", 5)) ||
	       (aoms_probe_path_ends(p, ".ko.zst") && kmod_probe_magic(p, "\x28\xb5\x2f\xfd", 4)) ||
	       (aoms_probe_path_ends(p, ".ko.gz") && kmod_probe_magic(p, "\x1f\x8b", 2));
}

static bool is_plain_elf(int fd)
{
	unsigned char head[SELFMAG];

	return pread(fd, head, SELFMAG, 0) == SELFMAG && memcmp(head, ELFMAG, SELFMAG) == 0;
}

static struct aoms_kmod_subject kmod_subject(const struct aoms_file *f)
{
	return (struct aoms_kmod_subject){ .subject = f->subject, .locus = f->rel, .path = f->path,
					   .package = f->package, .scanner = aoms_scanner_kmod.name };
}

static int kmod_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	_cleanup_(freep) char *reason = NULL;
	struct aoms_kmod_subject s = kmod_subject(f);
	struct aoms_kmod *m = NULL;
	int r = aoms_kmod_read_fd(fd, f->path, &m, &reason);

	/* an uncompressed ELF that is no module after all goes to the next row (or
	 * scan.not-judged); a compressed file that holds no module is damaged */
	if (r == -ENOEXEC && is_plain_elf(fd))
		return r;
	if (r == -EBADMSG || r == -EFBIG || r == -EPROTONOSUPPORT || r == -ENOEXEC)
		return aoms_kmod_report_malformed(&s, reason ? reason : r == -ENOEXEC
						  ? "not a relocatable ELF object" : "unreadable",
						  ctx->report);
	if (r < 0)
		return r;
	f->model = m;
	if (ctx->kmod && (r = aoms_kmod_checker_add(ctx->kmod, m, f->subject)) < 0)
		return r;
	return 0;
}

static int kmod_check(const struct aoms_scan_ctx *ctx, const struct aoms_file *f)
{
	struct aoms_kmod_subject s = kmod_subject(f);

	if (!f->model || !ctx->kmod)
		return 0;
	return aoms_kmod_check(ctx->kmod, f->model, &s, ctx->report);
}

static void kmod_free(void *model)
{
	aoms_kmod_free(model);
}

const struct aoms_scanner aoms_scanner_kmod = {
	.name = "kmod",
	.dimension = AOMS_DIM_HARDWARE,
	.probe = kmod_probe,
	.read = kmod_read,
	.check = kmod_check,
	.free = kmod_free,
};
