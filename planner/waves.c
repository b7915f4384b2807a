/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Batch waves: the least risky host alone first (the canary), then waves that double,
 * in order of risk, so that what a wave teaches reaches the riskier hosts. */
#include <stdlib.h>
#include <string.h>
#include "plan-private.h"

static int cmp_risk(const void *a, const void *b)
{
	const struct plan_host *x = *(const struct plan_host *const *)a;
	const struct plan_host *y = *(const struct plan_host *const *)b;

	if (x->risk != y->risk)
		return x->risk < y->risk ? -1 : 1;
	return strcmp(x->name, y->name);
}

void plan_waves_assign(struct aoms_plan *p)
{
	struct plan_host **order = calloc(p->n + 1, sizeof(*order));
	size_t n = 0, size = 1, in_wave = 0;
	unsigned wave = 1;

	p->n_waves = 0;
	if (!order)
		return;   /* hosts stay in no wave; the plan then says so */
	for (size_t i = 0; i < p->n; i++) {
		p->hosts[i].wave = 0;
		if (!p->hosts[i].blocked)
			order[n++] = &p->hosts[i];
	}
	qsort(order, n, sizeof(*order), cmp_risk);
	for (size_t i = 0; i < n; i++) {
		if (in_wave == size) {
			wave++;
			size = wave == 2 ? 2 : size * 2;
			in_wave = 0;
		}
		order[i]->wave = wave;
		in_wave++;
		p->n_waves = wave;
	}
	free(order);
}
