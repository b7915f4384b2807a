/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The whole-system assessment: source, packages, files, configuration, decision. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "assess.h"
#include "rootfs.h"
#include "scan.h"

/* Unowned software lives here on EL systems (FHS: add-on packages, local builds, site
 * data). The scan reads every file under them, owned or not. */
static const char *const local_dirs[] = { "opt", "usr/local", "srv" };

static int read_host(const struct aoms_assess_options *o, struct aoms_report *r)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[256] = "";

	if (o->host)
		return aoms_report_set_meta(r, "host", o->host);
	if (aoms_root_fopen(o->root, "etc/hostname", 4096, &f) == 0 && fgets(line, sizeof(line), f))
		line[strcspn(line, " \t\r\n")] = '\0';
	return aoms_report_set_meta(r, "host", *line ? line : "localhost");
}

static int scan_local(const struct aoms_assess_options *o, char **paths, size_t n)
{
	struct aoms_scan_options so = {
		.db = o->db, .report = o->report, .jobs = o->jobs, .kernel = o->kernel,
		.target_name = "Anolis OS 8", .system_root = o->root,
	};
	_cleanup_(freep) char **all = calloc(n + ARRAY_SIZE(local_dirs) + 1, sizeof(*all));
	_cleanup_(freep) char **joined = calloc(ARRAY_SIZE(local_dirs) + 1, sizeof(*joined));
	size_t k = 0, nj = 0;
	int r = 0;

	if (!all || !joined)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		all[k++] = paths[i];
	for (size_t i = 0; i < ARRAY_SIZE(local_dirs); i++) {
		_cleanup_(freep) char *real = aoms_root_realpath(o->root, local_dirs[i]);
		struct stat st;

		if (!real)
			continue;
		if (!(joined[nj] = aoms_root_join(o->root, real))) {
			r = -ENOMEM;
			break;
		}
		if (stat(joined[nj], &st) == 0 && S_ISDIR(st.st_mode))
			all[k++] = joined[nj];
		nj++;
		if ((r = aoms_assess_scripts(o, real)) < 0)
			break;
	}
	if (r == 0 && k > 0)
		r = aoms_scan(&so, all, k);
	for (size_t i = 0; i < nj; i++)
		free(joined[i]);
	return r;
}

static int decide(struct aoms_report *r)
{
	bool block = false;

	for (size_t i = 0; i < aoms_report_n_findings(r); i++)
		block |= aoms_report_finding(r, i)->inhibitor;
	return aoms_report_set_meta(r, "decision", block ? "block" : "proceed");
}

static int describe(struct aoms_report *r, const struct aoms_assess_source *src)
{
	char version[32];

	snprintf(version, sizeof(version), "%u.%u", src->major, src->minor);
	if (aoms_report_set_meta(r, "source", *src->id ? src->id : "unknown") < 0 ||
	    aoms_report_set_meta(r, "source_name", *src->name ? src->name : "unknown") < 0 ||
	    aoms_report_set_meta(r, "source_version", version) < 0 ||
	    aoms_report_set_meta(r, "source_arch", *src->arch ? src->arch : "unknown") < 0 ||
	    aoms_report_set_meta(r, "migration_path", src->path ? src->path : "none") < 0)
		return -ENOMEM;
	return 0;
}

int aoms_assess(const struct aoms_assess_options *o, char **ret_reason)
{
	struct aoms_assess_source src;
	char **paths = NULL;
	size_t n = 0;
	struct stat st;
	int r;

	if (stat(o->root, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	aoms_assess_source_read(o->root, &src);
	if ((r = read_host(o, o->report)) < 0 || (r = aoms_report_add_input(o->report, o->root)) < 0)
		return r;
	r = aoms_assess_packages(o, &src, &paths, &n, ret_reason);
	if (r == 0 && (r = describe(o->report, &src)) == 0 &&
	    (r = aoms_assess_config(o, &src)) == 0)
		r = scan_local(o, paths, n);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	if (r < 0)
		return r;
	return decide(o->report);
}
