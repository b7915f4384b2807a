/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan as JSON (docs/plan-schema.md). */
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include "config.h"
#include "plan-private.h"
#include "strbuf.h"

static struct json_object *str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static struct json_object *strings(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(a, str(l->v[i]));
	return a;
}

/* "KEY rule subject" -> {key, rule, subject} */
static struct json_object *items(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();
		const char *s = l->v[i], *sp1 = strchr(s, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;

		if (!sp1 || !sp2)
			continue;
		json_object_object_add(o, "key", json_object_new_string_len(s, (int)(sp1 - s)));
		json_object_object_add(o, "rule", json_object_new_string_len(sp1 + 1, (int)(sp2 - sp1 - 1)));
		json_object_object_add(o, "subject", str(sp2 + 1));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *swaps(const struct plan_list *l)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < l->n; i++) {
		struct json_object *o = json_object_new_object();
		const char *arrow = strstr(l->v[i], " -> ");

		if (!arrow)
			continue;
		json_object_object_add(o, "from", json_object_new_string_len(l->v[i], (int)(arrow - l->v[i])));
		json_object_object_add(o, "to", str(arrow + 4));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *host_json(const struct plan_host *h)
{
	struct json_object *o = json_object_new_object(), *t, *fp, *src;
	const struct aoms_report *r = h->report;

	json_object_object_add(o, "host", str(h->name));
	if (*plan_host_role(h))
		json_object_object_add(o, "role", str(plan_host_role(h)));
	json_object_object_add(o, "report", str(h->source));
	json_object_object_add(o, "decision", str(h->blocked ? "block" : "proceed"));
	src = json_object_new_object();
	json_object_object_add(src, "id", str(aoms_report_meta(r, "source")));
	json_object_object_add(src, "name", str(aoms_report_meta(r, "source_name")));
	json_object_object_add(src, "version", str(aoms_report_meta(r, "source_version")));
	json_object_object_add(src, "arch", str(aoms_report_meta(r, "source_arch")));
	json_object_object_add(o, "source", src);
	json_object_object_add(o, "migration_path", str(aoms_report_meta(r, "migration_path")));
	json_object_object_add(o, "risk", json_object_new_int((int)h->risk));
	json_object_object_add(o, "wave", json_object_new_int((int)h->wave));
	json_object_object_add(o, "blocking", items(&h->blocking));
	json_object_object_add(o, "waived", strings(&h->waived));
	json_object_object_add(o, "waivers_expired", items(&h->expired));
	t = json_object_new_object();
	json_object_object_add(t, "method", str(h->method));
	json_object_object_add(t, "swap", swaps(&h->swap));
	json_object_object_add(t, "erase", strings(&h->erase));
	json_object_object_add(t, "install", strings(&h->install));
	json_object_object_add(t, "distro_sync", json_object_new_boolean(strcmp(h->method, "distro-sync") == 0));
	json_object_object_add(o, "transaction", t);
	json_object_object_add(o, "adaptation", strings(&h->adapt));
	fp = json_object_new_object();
	json_object_object_add(fp, "packages", str(aoms_report_meta(r, "packages")));
	json_object_object_add(fp, "packages_fingerprint", str(aoms_report_meta(r, "packages_fingerprint")));
	json_object_object_add(fp, "database", str(aoms_report_meta(r, "database")));
	json_object_object_add(fp, "aoms_version", str(aoms_report_tool_version(r)));
	json_object_object_add(o, "fingerprint", fp);
	return o;
}

static struct json_object *waves_json(const struct aoms_plan *p)
{
	struct json_object *a = json_object_new_array();

	for (unsigned w = 1; w <= p->n_waves; w++) {
		struct json_object *o = json_object_new_object(), *hosts = json_object_new_array();

		for (size_t i = 0; i < p->n; i++)
			if (p->hosts[i].wave == w)
				json_object_array_add(hosts, str(p->hosts[i].name));
		json_object_object_add(o, "wave", json_object_new_int((int)w));
		json_object_object_add(o, "name", str(w == 1 ? "canary" : "batch"));
		json_object_object_add(o, "hosts", hosts);
		json_object_object_add(o, "verify", str("services up, aoms assess on the migrated "
							"host finds no new blocker, application checks pass"));
		json_object_object_add(o, "rollback_point", str("the snapshot taken before the wave "
								"(aoms rollback --root)"));
		json_object_array_add(a, o);
	}
	return a;
}

int plan_render_json(const struct aoms_plan *p, FILE *out)
{
	struct json_object *doc = json_object_new_object(), *tool, *sum, *hosts;
	size_t blocked = 0;
	const char *text;

	if (!doc)
		return -ENOMEM;
	for (size_t i = 0; i < p->n; i++)
		blocked += p->hosts[i].blocked;
	json_object_object_add(doc, "schema_version", str(AOMS_PLAN_SCHEMA_VERSION));
	tool = json_object_new_object();
	json_object_object_add(tool, "name", str("aoms"));
	json_object_object_add(tool, "version", str(AOMS_VERSION));
	json_object_object_add(doc, "tool", tool);
	json_object_object_add(doc, "decision", str(aoms_plan_proceeds(p) ? "proceed" : "block"));
	sum = json_object_new_object();
	json_object_object_add(sum, "hosts", json_object_new_int((int)p->n));
	json_object_object_add(sum, "proceed", json_object_new_int((int)(p->n - blocked)));
	json_object_object_add(sum, "blocked", json_object_new_int((int)blocked));
	json_object_object_add(sum, "waves", json_object_new_int((int)p->n_waves));
	json_object_object_add(doc, "summary", sum);
	hosts = json_object_new_array();
	for (size_t i = 0; i < p->n; i++)
		json_object_array_add(hosts, host_json(&p->hosts[i]));
	json_object_object_add(doc, "hosts", hosts);
	json_object_object_add(doc, "waves", waves_json(p));
	json_object_object_add(doc, "steps", plan_steps_json(p));
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	fputs(text, out);
	fputc('\n', out);
	json_object_put(doc);
	return 0;
}
