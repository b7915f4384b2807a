/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan's model, shared by plan.c, waves.c and the renderers. */
#pragma once

#include "planner.h"
#include "solve.h"

struct plan_list {            /* sorted, unique strings */
	char **v;
	size_t n, cap;
};

/* The report's run facts the plan prints (plan_meta_keys[] in plan.c), kept per host
 * once its report is freed. */
enum plan_meta {
	PLAN_META_SOURCE,
	PLAN_META_SOURCE_NAME,
	PLAN_META_SOURCE_VERSION,
	PLAN_META_SOURCE_ARCH,
	PLAN_META_MIGRATION_PATH,
	PLAN_META_PACKAGES,
	PLAN_META_PACKAGES_FINGERPRINT,
	PLAN_META_DATABASE,
	PLAN_META_ROLE,
	_PLAN_META_MAX,
};

struct plan_host {
	char *name;
	char *source;               /* the report file */
	/* the report, only while aoms_plan_add_report() prepares and judges the host: a
	 * thousand reports' findings together cost gigabytes, and the plan needs only
	 * what follows */
	struct aoms_report *report;
	char *meta[_PLAN_META_MAX]; /* NULL: the report has no such fact */
	char *tool_version;         /* the aoms that wrote the report */
	bool blocked;
	struct plan_list blocking;  /* "KEY rule subject\ttitle" of blocking findings */
	struct plan_list waived;    /* "KEY rule subject: reason (owner, until DATE)" */
	struct plan_list expired;   /* blocking items whose waiver expired (the same form) */
	struct plan_list erase, install, swap, adapt;   /* swap: "from -> to" */
	/* module streams to enable before the transaction: "module:stream\tpkg pkg..."
	 * (the packages that come from it), from assess.module-stream's actions */
	struct plan_list streams;
	const char *method;         /* "leapp-upgrade", "distro-sync", "none" */
	unsigned risk;              /* higher: later in the waves */
	unsigned wave;              /* 0: not in a wave (blocked); 1: canary */
	bool resolved;              /* solved against the plan's repositories */
	struct aoms_solve_result solved;   /* its transaction (problems: findings) */
};

struct aoms_plan {
	const struct aoms_plan_policy *policy;
	const struct aoms_waivers *waivers;
	char today[11];             /* YYYY-MM-DD: waivers expire before it */
	struct plan_host *hosts;    /* sorted by name after build */
	struct aoms_solve_repo *repo;   /* --repo: the target repositories, or NULL */
	char *repo_dir;                 /* the first as given (resolved.repo) */
	size_t n, cap;
	unsigned n_waves;
};

int plan_list_add(struct plan_list *l, const char *s);
/* A streams entry's "module:stream" into buf (size n). Returns buf. */
const char *plan_stream_name(const char *entry, char *buf, size_t n);
/* The report's fact m of h, NULL when it had none. */
const char *plan_host_meta(const struct plan_host *h, enum plan_meta m);
/* Solves h's transaction against p->repo (plan-solve.c): h->solved and h->resolved,
 * a plan.unsatisfiable finding in h->report per problem. 0, -ENODATA (the report lists
 * no installed packages), -EBADMSG, -ENOMEM; *ret_reason with the two first. */
int plan_host_solve(const struct aoms_plan *p, struct plan_host *h, char **ret_reason);
void plan_list_release(struct plan_list *l);
/* Assigns host->wave: the canary first (one host per role), then doubling waves by
 * risk, each with at most half of a role's hosts (waves.c). */
void plan_waves_assign(struct aoms_plan *p);
/* The host's role (report meta "role", from aoms assess --role), "" when none. */
const char *plan_host_role(const struct plan_host *h);
int plan_render_json(const struct aoms_plan *p, FILE *out);
int plan_render_text(const struct aoms_plan *p, FILE *out);
/* The six steps (plan, infrastructure preparation, business adaptation, pilot, batch
 * migration, cut-over) with their concrete actions, as a JSON array (steps.c). */
struct json_object;
struct json_object *plan_steps_json(const struct aoms_plan *p);
