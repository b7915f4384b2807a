/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan's model, shared by plan.c, waves.c and the renderers. */
#pragma once

#include "planner.h"

struct plan_list {            /* sorted, unique strings */
	char **v;
	size_t n, cap;
};

struct plan_host {
	char *name;
	char *source;               /* the report file */
	struct aoms_report *report;
	bool blocked;
	struct plan_list blocking;  /* "KEY rule subject" of blocking findings */
	struct plan_list waived;    /* "KEY rule subject: reason (owner, until DATE)" */
	struct plan_list expired;   /* blocking items whose waiver expired */
	struct plan_list erase, install, swap, adapt;   /* swap: "from -> to" */
	const char *method;         /* "leapp-upgrade", "distro-sync", "none" */
	unsigned risk;              /* higher: later in the waves */
	unsigned wave;              /* 0: not in a wave (blocked); 1: canary */
};

struct aoms_plan {
	const struct aoms_plan_policy *policy;
	const struct aoms_plan_waivers *waivers;
	struct plan_host *hosts;    /* sorted by name after build */
	size_t n, cap;
	unsigned n_waves;
};

int plan_list_add(struct plan_list *l, const char *s);
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
