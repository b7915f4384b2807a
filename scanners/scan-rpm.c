/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scanning an .rpm: its payload's ELF files join the tree as members
 * ("PKG.rpm!/usr/bin/app", subject "PKG.rpm:/usr/bin/app", package = NEVRA) and are
 * checked like files on disk; its Requires are checked by scanners/check-rpm.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "elf-model.h"
#include "path.h"
#include "rpm-file.h"
#include "check-rpm.h"
#include "scan-rpm.h"
#include "strbuf.h"

struct member_ctx {
	struct aoms_tree *tree;
	const struct aoms_file *rpm_file;
	const struct aoms_rpm_pkg *pkg;
	struct aoms_strpool *pool;
	struct aoms_report *report;
};

static int on_member(const struct aoms_rpm_file_entry *e, const void *data, size_t size, void *ud)
{
	struct member_ctx *c = ud;
	_cleanup_(freep) char *path = aoms_strdupf("%s!%s", c->rpm_file->path, e->path);
	_cleanup_(freep) char *subject = aoms_strdupf("%s:%s", c->rpm_file->subject, e->path);
	const char *pkg_rel = c->rpm_file->rel ? c->rpm_file->rel : c->rpm_file->subject;
	/* relative to the input: the package's rel, ':', the member path (a tail of subject) */
	const char *rel = subject ? subject + strlen(subject) - strlen(pkg_rel) - 1 - strlen(e->path)
				  : NULL;
	_cleanup_(freep) char *reason = NULL;
	struct aoms_elf *elf = NULL;
	int r;

	if (!path || !subject)
		return -ENOMEM;
	r = aoms_elf_read_mem(data, size, subject, &(struct aoms_elf_read_opts){ .pool = c->pool, .syscalls = true },
			      &elf, &reason);
	if (r == -ENOEXEC)
		return 0;
	if (r == -EBADMSG)
		return aoms_scan_report_malformed(c->report, subject, rel, c->pkg->nevra, reason);
	if (r < 0)
		return r;
	return aoms_tree_add_member(c->tree, path, subject, rel, c->pkg->nevra, elf);
}

/* Symlinks of the payload, so RPATH and soname links resolve inside the package. */
static int add_links(struct member_ctx *c)
{
	for (size_t i = 0; i < c->pkg->n_files; i++) {
		const struct aoms_rpm_file_entry *e = &c->pkg->files[i];
		_cleanup_(freep) char *path = NULL, *dir = NULL, *target = NULL, *link = NULL;
		int r;

		if (!S_ISLNK(e->mode) || !e->link)
			continue;
		dir = aoms_path_dirname(e->path);
		target = dir ? aoms_path_join_normalize(dir, e->link) : NULL;
		path = aoms_strdupf("%s!%s", c->rpm_file->path, e->path);
		link = target ? aoms_strdupf("%s!%s", c->rpm_file->path, target) : NULL;
		if (!path || !link)
			return -ENOMEM;
		r = aoms_tree_add_member_link(c->tree, path, link);
		if (r < 0)
			return r;
	}
	return 0;
}

int aoms_scan_rpm(struct aoms_tree *tree, struct aoms_file *f, struct aoms_strpool *pool,
		  struct aoms_report *report)
{
	_cleanup_(freep) char *reason = NULL;
	struct aoms_rpm *rpm = NULL;
	struct member_ctx c;
	int r = aoms_rpm_open(f->path, &rpm, &reason);

	if (r == -ENOEXEC)
		return 0;
	if (r == -EBADMSG)
		return aoms_report_rpm_malformed(report, f->subject, f->rel, reason);
	if (r < 0)
		return r == -ENOMEM ? r : aoms_report_add_error(report, f->subject, -r,
					"cannot read RPM '%s': %s", f->subject, reason ? reason : strerror(-r));
	c = (struct member_ctx){ tree, f, aoms_rpm_pkg(rpm), pool, report };
	f->package = strdup(c.pkg->nevra);
	f->model = rpm;   /* freed by the rpm row's free */
	if (!f->package)
		return -ENOMEM;
	r = add_links(&c);
	if (r >= 0)
		r = aoms_rpm_foreach_payload_file(rpm, on_member, &c, &reason);
	if (r < 0 && r != -ENOMEM)
		r = aoms_report_rpm_malformed(report, f->subject, f->rel, reason);
	return r;
}
