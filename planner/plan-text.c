/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan for people. */
#include <json-c/json.h>
#include <string.h>
#include "plan-private.h"

/* "KEY rule subject\ttitle" as "KEY rule subject: title" */
static void item_text(FILE *out, const char *label, const char *item)
{
	const char *tab = strchr(item, '\t');

	if (tab)
		fprintf(out, "  %s%.*s: %s\n", label, (int)(tab - item), item, tab + 1);
	else
		fprintf(out, "  %s%s\n", label, item);
}

static void host_text(const struct aoms_plan *p, const struct plan_host *h, FILE *out)
{
	fprintf(out, "\n%s: %s (%s, %s)", h->name, h->blocked ? "BLOCKED" : "proceed",
		plan_host_meta(h, PLAN_META_SOURCE_NAME), h->method);
	if (*plan_host_role(h))
		fprintf(out, ", role %s", plan_host_role(h));
	if (h->wave)
		fprintf(out, ", wave %u", h->wave);
	fputc('\n', out);
	for (size_t i = 0; i < h->blocking.n; i++)
		item_text(out, "blocking  ", h->blocking.v[i]);
	for (size_t i = 0; i < h->expired.n; i++)
		item_text(out, "expired waiver  ", h->expired.v[i]);
	for (size_t i = 0; i < h->waived.n; i++)
		fprintf(out, "  waived    %s\n", h->waived.v[i]);
	for (size_t i = 0; i < h->streams.n; i++) {
		const char *tab = strchr(h->streams.v[i], '\t');
		char name[512];

		fprintf(out, "  module    dnf module enable %s (%s)\n",
			plan_stream_name(h->streams.v[i], name, sizeof(name)), tab ? tab + 1 : "");
	}
	for (size_t i = 0; i < h->swap.n; i++)
		fprintf(out, "  swap      %s\n", h->swap.v[i]);
	for (size_t i = 0; i < h->erase.n; i++)
		fprintf(out, "  erase     %s\n", h->erase.v[i]);
	for (size_t i = 0; i < h->install.n; i++)
		fprintf(out, "  install   %s\n", h->install.v[i]);
	if (strcmp(h->method, "distro-sync") == 0)
		fputs("  then      dnf distro-sync\n", out);
	if (h->resolved && !h->solved.n_problems) {
		fprintf(out, "  resolved  %zu to erase, %zu to install (libsolv)\n",
			h->solved.n_erase, h->solved.n_install);
		/* which repository each comes from, when there are several */
		for (size_t i = 0; aoms_solve_repo_n_sources(p->repo) > 1 && i < h->solved.n_install; i++)
			fprintf(out, "            %s from %s\n", h->solved.install[i].nevra,
				h->solved.install[i].repo);
	}
	fprintf(out, "  fingerprint %s (%s packages)\n",
		plan_host_meta(h, PLAN_META_PACKAGES_FINGERPRINT),
		plan_host_meta(h, PLAN_META_PACKAGES));
}

int plan_render_text(const struct aoms_plan *p, FILE *out)
{
	struct json_object *steps = plan_steps_json(p);

	fprintf(out, "aoms migration plan: %s (%zu hosts, %u waves)\n",
		aoms_plan_proceeds(p) ? "PROCEED" : "BLOCKED", p->n, p->n_waves);
	for (size_t i = 0; i < p->n; i++)
		host_text(p, &p->hosts[i], out);
	fputs("\nsteps:\n", out);
	for (size_t i = 0; steps && i < json_object_array_length(steps); i++) {
		struct json_object *s = json_object_array_get_idx(steps, i), *name, *acts;

		json_object_object_get_ex(s, "name", &name);
		json_object_object_get_ex(s, "actions", &acts);
		fprintf(out, "  %zu. %s\n", i + 1, json_object_get_string(name));
		for (size_t j = 0; j < json_object_array_length(acts); j++)
			fprintf(out, "     - %s\n", json_object_get_string(json_object_array_get_idx(acts, j)));
	}
	json_object_put(steps);
	return 0;
}
