/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Batch waves. The canary wave takes the least risky host of each role (one host when
 * the reports carry no role: `aoms assess --role`), so every kind of service meets the
 * migration once before the rest. The next waves double (2, 4, 8, ...) and take hosts
 * in order of risk, so that what a wave teaches reaches the riskier hosts; no wave
 * takes more than half of a role's hosts (at least one), so a role never goes down
 * whole. Hosts without a role are not capped.
 */
#include <stdlib.h>
#include <string.h>
#include "plan-private.h"

const char *plan_host_role(const struct plan_host *h)
{
	const char *role = plan_host_meta(h, PLAN_META_ROLE);

	return role ? role : "";
}

static int cmp_risk(const void *a, const void *b)
{
	const struct plan_host *x = *(const struct plan_host *const *)a;
	const struct plan_host *y = *(const struct plan_host *const *)b;

	if (x->risk != y->risk)
		return x->risk < y->risk ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Whether wave w may take order[k] (roles[i]: order[i]'s role): the canary one host
 * per role, later waves at most half of the role (at least one). */
static bool fits(struct plan_host **order, const char **roles, size_t n, size_t k, unsigned w)
{
	size_t all = 0, in_wave = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(roles[i], roles[k]) == 0) {
			all++;
			in_wave += order[i]->wave == w;
		}
	if (w == 1)
		return in_wave == 0;
	return !*roles[k] || in_wave < (all / 2 ? all / 2 : 1);
}

void plan_waves_assign(struct aoms_plan *p)
{
	struct plan_host **order = calloc(p->n + 1, sizeof(*order));
	const char **roles = calloc(p->n + 1, sizeof(*roles));
	size_t n = 0, left;
	unsigned wave = 0;

	p->n_waves = 0;
	if (!order || !roles) {
		free(order);
		free(roles);
		return;   /* hosts stay in no wave; the plan then says so */
	}
	for (size_t i = 0; i < p->n; i++) {
		p->hosts[i].wave = 0;
		if (!p->hosts[i].blocked)
			order[n++] = &p->hosts[i];
	}
	qsort(order, n, sizeof(*order), cmp_risk);
	for (size_t i = 0; i < n; i++)
		roles[i] = plan_host_role(order[i]);
	/* Each wave takes at least the first host left (one host always fits), so this
	 * ends; 1,000 hosts cost a few million comparisons. */
	for (left = n; left > 0;) {
		size_t size = ++wave == 1 ? n : wave == 2 ? 2 : (size_t)1 << (wave - 1), took = 0;

		for (size_t i = 0; i < n && took < size; i++) {
			if (order[i]->wave || !fits(order, roles, n, i, wave))
				continue;
			order[i]->wave = wave;
			took++;
		}
		left -= took;
		p->n_waves = wave;
	}
	free(order);
	free(roles);
}
