/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The migration planner: assessment reports (read with report-read.h) in, a plan out —
 * per host the decision (proceed/block) with its blocking items under a policy and
 * waivers, the package transaction, the fingerprint of the assessed state; across
 * hosts the six steps and the batch waves. docs/plan-schema.md documents the JSON.
 * Nothing here prints or reads argv.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include "report.h"
#include "waivers.h"

#define AOMS_PLAN_SCHEMA_VERSION "1.4"

/* "sha256:" and 64 hex digits. */
#define AOMS_PLAN_DIGEST_MAX 72
struct json_object;
/* The "digest" of a plan's host entry (plan-digest.c, docs/plan-schema.md): sha256 of
 * its canonical JSON without the member "digest". Returns 0, -ENOMEM, -EIO. */
int aoms_plan_host_digest(struct json_object *host, char ret[AOMS_PLAN_DIGEST_MAX]);

/* What blocks a host (docs/plan-schema.md "Policy"). */
struct aoms_plan_policy {
	bool block_inhibitor;          /* an inhibitor blocks (default true) */
	bool block_severity_set;       /* a finding at or above block_severity blocks */
	enum aoms_severity block_severity;
	char **rules;                  /* these rules block whatever their rating */
	size_t n_rules;
};

/* The default: inhibitors block, nothing else. */
void aoms_plan_policy_init(struct aoms_plan_policy *p);
void aoms_plan_policy_release(struct aoms_plan_policy *p);
/*
 * Reads {"block_on": {"severity": "high", "inhibitor": true, "rules": ["..."]}} from
 * path into *p (initialised first). Returns 0; -EBADMSG with *ret_error (caller frees)
 * for a document that is not such a policy (an unknown member too); -ENOMEM; -errno.
 */
int aoms_plan_policy_read(const char *path, struct aoms_plan_policy *p, char **ret_error);
bool aoms_plan_policy_blocks(const struct aoms_plan_policy *p, const struct aoms_finding *f);

struct aoms_plan;

/* policy and waivers (report/waivers.h, the format `scan --waivers` shares; NULL: none)
 * are borrowed and must outlive the plan; a waiver whose expires is before today
 * ("YYYY-MM-DD", copied) no longer applies. Returns 0 or -ENOMEM. */
int aoms_plan_new(const struct aoms_plan_policy *policy, const struct aoms_waivers *waivers,
		  const char *today, struct aoms_plan **ret);
void aoms_plan_free(struct aoms_plan *p);
DEFINE_FREE_FUNC(struct aoms_plan, aoms_plan_free)

/*
 * Adds the target repository in dir (DIR/repodata/ as createrepo_c writes it) to those
 * every host's package transaction is solved against as its report is added (call it
 * once per repository, before aoms_plan_add_report()): the result is the host's
 * transaction.resolved, each package with the repository it comes from, an unsolvable
 * one a plan.unsatisfiable finding that blocks the host. Returns 0; -EBUSY when the
 * plan has reports already; the errors of aoms_solve_repo_add() (planner/solve.h; -EEXIST:
 * the same repository twice) with *ret_reason (caller frees); -ENOMEM. After an error
 * other than -EBUSY and -EEXIST the plan cannot solve: free it.
 */
int aoms_plan_add_repo(struct aoms_plan *p, const char *dir, char **ret_reason);
/*
 * Adds one host's assessment report (the plan takes ownership of r in every case);
 * source names the report file. The host is prepared and decided now: its transaction
 * from the findings' actions (solved, with a repository set), its blocking items and
 * risk under the plan's policy and waivers; then the report is freed, and the plan
 * keeps only what it prints (memory grows with the hosts, not with their findings). Returns 0;
 * -EBADMSG when r is not an assessment (no run.host or run.packages_fingerprint);
 * -EEXIST when the plan has a report of the same host; -EPROTO when r was written by
 * another aoms version than the reports before it (mixed input); with *ret_reason
 * (caller frees; ret_reason may be NULL): -ENODATA when a repository is set and r does
 * not list the host's installed packages (an assessment of report schema < 1.4),
 * -EBADMSG when an installed package's dependency cannot be parsed or a package to
 * install lies outside the repository; -ENOMEM.
 */
int aoms_plan_add_report(struct aoms_plan *p, struct aoms_report *r, const char *source,
			 char **ret_reason);
/* Sorts the hosts (each was decided as its report was added) and builds the waves.
 * Returns 0. */
int aoms_plan_build(struct aoms_plan *p);
/* Whether the plan proceeds: it has hosts and every one proceeds. */
bool aoms_plan_proceeds(const struct aoms_plan *p);
size_t aoms_plan_n_hosts(const struct aoms_plan *p);

/* Renders the built plan: "json" (docs/plan-schema.md) or "text". Returns 0, -EINVAL
 * (unknown format), -EIO, -ENOMEM. */
int aoms_plan_render(const struct aoms_plan *p, const char *format, FILE *out);
