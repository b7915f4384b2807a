/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check-rpm.h"
#include "rpm-file.h"
#include "strbuf.h"

enum verdict { SATISFIED, MISSING, UNKNOWN };

struct req_result {
	enum verdict verdict;
	const char *reason;   /* static text */
	char *detail;         /* heap, may be NULL */
};

static bool self_provided(const struct aoms_rpm_pkg *pkg, const char *name)
{
	for (size_t i = 0; i < pkg->n_provides; i++)
		if (strcmp(pkg->provides[i].name, name) == 0)
			return true;
	for (size_t i = 0; name[0] == '/' && i < pkg->n_files; i++)
		if (strcmp(pkg->files[i].path, name) == 0)
			return true;
	return false;
}

static const char *dep_arch(const struct aoms_rpm_pkg *pkg, bool is64)
{
	if (!is64)
		return "i686";
	return strcmp(pkg->arch, "noarch") == 0 ? "x86_64" : pkg->arch;
}

static int judge_soname(const struct aoms_rpm_check_ctx *ctx, const struct aoms_rpm_pkg *pkg,
			const struct aoms_rpm_dep *d, struct req_result *res)
{
	_cleanup_(freep) char *soname = NULL, *version = NULL;
	const struct aoms_libabi *lib;
	bool is64 = false;
	int r = aoms_abidb_parse_soname_capability(d->name, &soname, &version, &is64);

	if (r < 0)
		return r;
	r = aoms_abidb_find_library(ctx->db, soname, dep_arch(pkg, is64), &lib);
	if (r == 0) {
		if (version && lib->symbols_known && lib->n_verdefs && !aoms_libabi_has_verdef(lib, version)) {
			res->verdict = MISSING;
			res->reason = "the target's library lacks this version";
			res->detail = aoms_strdupf("%s defines no %s", soname, version);
		}
		return 0;
	}
	if (r != -ENOENT)
		return r;
	res->verdict = ctx->db_complete ? MISSING : UNKNOWN;
	res->reason = ctx->db_complete ? "no package of the target provides it"
				       : "the target database does not know this library";
	return 0;
}

static bool is_soname_capability(const char *name)
{
	_cleanup_(freep) char *soname = NULL, *version = NULL;
	bool is64;

	return aoms_abidb_parse_soname_capability(name, &soname, &version, &is64) == 0;
}

static int judge(const struct aoms_rpm_check_ctx *ctx, const struct aoms_rpm_pkg *pkg,
		 const struct aoms_rpm_dep *d, struct req_result *res)
{
	struct aoms_abidb_provider p = { 0 };
	int r;

	*res = (struct req_result){ SATISFIED, NULL, NULL };
	if (d->rpmlib || self_provided(pkg, d->name))
		return 0;
	r = aoms_abidb_find_provider(ctx->db, d->name, pkg->arch, &p);
	if (r == 0) {
		if (!aoms_abidb_provide_satisfies(p.provide_op, p.provide_evr, d->op, d->evr)) {
			res->verdict = MISSING;
			res->reason = "the target's provider has another version";
			res->detail = aoms_strdupf("%s provides %s %s %s", p.nevra, d->name,
						   p.provide_op, p.provide_evr);
		}
		aoms_abidb_provider_release(&p);
		return 0;
	}
	if (r != -ENOENT)
		return r;
	if (is_soname_capability(d->name))
		return judge_soname(ctx, pkg, d, res);
	if (!ctx->db_has_packages)
		return 0;   /* nothing to judge package names and paths by */
	res->verdict = ctx->db_complete ? MISSING : UNKNOWN;
	res->reason = "no package of the target provides it";
	return 0;
}

static int report_requirement(const struct aoms_rpm_check_ctx *ctx, const char *subject,
			      const char *locus, const struct aoms_rpm_pkg *pkg, const struct aoms_rpm_dep *d,
			      const struct req_result *res)
{
	bool missing = res->verdict == MISSING;
	_cleanup_(freep) char *req = aoms_strdupf("%s%s%s%s%s", d->name, d->op && *d->op ? " " : "",
						  d->op ? d->op : "", d->evr && *d->evr ? " " : "",
						  d->evr ? d->evr : "");
	struct aoms_finding *f;

	if (!req || aoms_finding_new_at(missing ? "rpm.requires-missing" : "rpm.requires-unknown",
					missing ? AOMS_SEV_HIGH : AOMS_SEV_LOW, AOMS_DIM_PACKAGES,
					subject, locus, pkg->nevra, &f) < 0)
		return -ENOMEM;
	f->inhibitor = missing;
	f->confidence = missing ? (ctx->db_complete || res->detail ? AOMS_CONF_CERTAIN : AOMS_CONF_LIKELY)
				: AOMS_CONF_POSSIBLE;
	if (missing)
		aoms_finding_set_title(f, "%s requires %s, which %s does not provide", pkg->nevra,
				       req, ctx->target);
	else
		aoms_finding_set_title(f, "%s requires %s, unknown to the target database",
				       pkg->nevra, req);
	aoms_finding_set_summary(f, "%s declares \"Requires: %s\": %s%s%s%s. %s", pkg->nevra, req,
				 res->reason, res->detail ? " (" : "", res->detail ? res->detail : "",
				 res->detail ? ")" : "",
				 missing ? "dnf refuses to install the package on the target."
					 : "Build a complete database to decide.");
	aoms_finding_add_evidence(f, "requirement", req);
	aoms_finding_add_identity(f, "capability", d->name);
	aoms_finding_add_evidence(f, "reason", res->reason);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, missing
				? "Obtain a build of the package for EL8, or provide the capability from another package."
				: "Scan with a database built by 'aoms db build --root/--rpms' from the target.");
	if (missing)
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	else
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, NULL);
	return aoms_report_add(ctx->report, f);
}

int aoms_check_rpm(const struct aoms_rpm_check_ctx *ctx, const char *subject,
		   const char *locus, const struct aoms_rpm_pkg *pkg)
{
	for (size_t i = 0; i < pkg->n_requires; i++) {
		struct req_result res;
		int r = judge(ctx, pkg, &pkg->requires[i], &res);

		if (r >= 0 && res.verdict != SATISFIED)
			r = report_requirement(ctx, subject, locus, pkg, &pkg->requires[i], &res);
		free(res.detail);
		if (r < 0)
			return r;
	}
	return 0;
}

int aoms_report_rpm_malformed(struct aoms_report *report, const char *subject, const char *locus,
			      const char *reason)
{
	struct aoms_finding *f;

	if (aoms_finding_new_at("rpm.malformed", AOMS_SEV_MEDIUM, AOMS_DIM_PACKAGES, subject, locus,
				NULL, &f) < 0)
		return -ENOMEM;
	aoms_finding_set_title(f, "%s is a damaged RPM", subject);
	aoms_finding_set_summary(f, "%s cannot be read (%s); rpm and dnf will refuse it.", subject,
				 reason ? reason : "unknown reason");
	aoms_finding_add_evidence(f, "reason", reason ? reason : "unknown");
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Download the package again.");
	aoms_finding_add_action(f, AOMS_ACTION_REPLACE_FILE, "path", subject, NULL);
	return aoms_report_add(report, f);
}
