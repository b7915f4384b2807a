/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --format leapp: a leapp-report.json of Leapp's report schema 1.2.0
 * (tests/fixtures/formats/leapp-report-schema-v120.json), for infra.leapp,
 * cockpit-leapp and Insights. From the same sorted model as the JSON report; what
 * Leapp has no member for stays out (the aoms JSON is the complete document).
 *  - leapp_run_id, hostname, timeStamp: the run (aoms_report_set_run());
 *  - actor: the scanner the rule comes from ("aoms_elf_scanner");
 *  - key: 40 hex digits as Leapp spells it: SHA-1 of "aoms-key:" and the aoms key,
 *    so it is stable exactly as long as the aoms key (identity only);
 *  - id: 64 hex digits, unique per entry and run: SHA-256 of the run id and the key;
 *  - groups: Leapp's vocabulary for the dimension, then "inhibitor";
 *  - detail.external: the rule's link from the catalogue.
 * Digests through librpm (rpmsetup/rpm-digest.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "render.h"
#include "rpm-digest.h"
#include "rules.h"
#include "strbuf.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define add aoms_render_json_add
#define push aoms_render_json_push
#define str aoms_render_json_str

/* Leapp's report groups (leapp/reporting Groups) that fit a dimension. */
static const char *const leapp_groups[] = {
	[AOMS_DIM_HARDWARE] = "drivers",
	[AOMS_DIM_KERNEL] = "kernel",
	[AOMS_DIM_PACKAGES] = "repository",
	[AOMS_DIM_APPLICATIONS] = "tools",
	[AOMS_DIM_CONFIGURATION] = "services",
};

static int leapp_digest(enum aoms_digest_algo algo, const char *a, const char *b, char hex[65])
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%s%s", a, b);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EINVAL;
	return aoms_digest_hex(algo, buf, (size_t)n, hex);
}

static struct json_object *leapp_groups_of(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	if ((unsigned)f->dimension < ARRAY_SIZE(leapp_groups) && leapp_groups[f->dimension] &&
	    push(a, json_object_new_string(leapp_groups[f->dimension])) < 0)
		return NULL;
	/* a waived inhibitor no longer blocks: Leapp tooling must not stop on it */
	if (f->inhibitor && !f->waiver && push(a, json_object_new_string("inhibitor")) < 0)
		return NULL;
	return TAKE_PTR(a);
}

static struct json_object *leapp_remedy(const struct aoms_finding *f, const struct aoms_remedy *m)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(freep) const char **argv = NULL;
	struct json_object *ctx;
	int n = 0;

	if (!o)
		return NULL;
	if (m->kind != AOMS_REMEDY_COMMAND)
		return add(o, "type", json_object_new_string("hint")) < 0 ||
		       add(o, "context", str(m->text)) < 0 ? NULL : TAKE_PTR(o);
	ctx = json_object_new_array();
	if (m->action < f->n_actions)
		n = aoms_action_command(&f->actions[m->action], &argv);
	if (n < 0 || add(o, "type", json_object_new_string("command")) < 0 || add(o, "context", ctx) < 0)
		return NULL;
	for (int i = 0; i < n; i++)
		if (push(ctx, str(argv[i])) < 0)
			return NULL;
	return TAKE_PTR(o);
}

static struct json_object *leapp_resource(const char *scheme, const char *title)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || add(o, "scheme", json_object_new_string(scheme)) < 0 || add(o, "title", str(title)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *leapp_detail(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *rem = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *res = json_object_new_array();
	const struct aoms_rule *rule = aoms_rule_find(f->rule);

	if (!o || !rem || !res)
		return NULL;
	for (size_t i = 0; i < f->n_remedies; i++)
		if (push(rem, leapp_remedy(f, &f->remedies[i])) < 0)
			return NULL;
	if (push(res, leapp_resource("file", f->subject)) < 0 ||
	    (f->package && push(res, leapp_resource("package", f->package)) < 0))
		return NULL;
	if (rule && rule->link) {
		_cleanup_(json_object_putp) struct json_object *ext = json_object_new_array();
		_cleanup_(json_object_putp) struct json_object *link = json_object_new_object();

		if (!ext || !link || add(link, "url", str(rule->link)) < 0 ||
		    add(link, "title", str(rule->id)) < 0 || push(ext, TAKE_PTR(link)) < 0 ||
		    add(o, "external", TAKE_PTR(ext)) < 0)
			return NULL;
	}
	if ((f->n_remedies && add(o, "remediations", TAKE_PTR(rem)) < 0) ||
	    add(o, "related_resources", TAKE_PTR(res)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

/* The summary, and for a waived finding a note saying so (Leapp has no member for it). */
static struct json_object *leapp_summary(const struct aoms_finding *f)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	const struct aoms_finding_waiver *w = f->waiver;

	if (!w)
		return str(f->summary);
	if (aoms_strbuf_addf(&sb, "%s%sWaived: %s", f->summary ? f->summary : "",
			     f->summary && *f->summary ? "\n\n" : "", w->reason) < 0 ||
	    (w->owner && aoms_strbuf_addf(&sb, " (owner: %s)", w->owner) < 0) ||
	    (w->expires && aoms_strbuf_addf(&sb, " (until %s)", w->expires) < 0))
		return NULL;
	return str(sb.buf);
}

static struct json_object *leapp_entry(const struct aoms_report *r, const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	char key[65], id[65], actor[64], stamp[40];

	if (!o)
		return NULL;
	if (leapp_digest(AOMS_DIGEST_SHA1, "aoms-key:", f->key, key) < 0 ||
	    leapp_digest(AOMS_DIGEST_SHA256, aoms_report_run_id(r), f->key, id) < 0)
		return NULL;
	aoms_render_time(aoms_report_run_time(r), true, stamp);
	if (add(o, "id", json_object_new_string(id)) < 0 ||
	    add(o, "key", json_object_new_string(key)) < 0 ||
	    add(o, "actor", json_object_new_string(aoms_render_actor(f->rule, actor, sizeof(actor)))) < 0 ||
	    add(o, "hostname", str(aoms_report_run_hostname(r))) < 0 ||
	    add(o, "timeStamp", json_object_new_string(stamp)) < 0 ||
	    add(o, "severity", json_object_new_string(aoms_severity_name(f->severity))) < 0 ||
	    add(o, "title", str(f->title ? f->title : f->rule)) < 0 ||
	    add(o, "summary", leapp_summary(f)) < 0 ||
	    add(o, "audience", json_object_new_string("sysadmin")) < 0 ||
	    add(o, "groups", leapp_groups_of(f)) < 0 ||
	    add(o, "detail", leapp_detail(f)) < 0 ||
	    add(o, "rule", str(f->rule)) < 0 ||
	    add(o, "aoms_key", json_object_new_string(f->key)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

int aoms_report_render_leapp(const struct aoms_report *r, FILE *out)
{
	_cleanup_(json_object_putp) struct json_object *doc = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *entries = json_object_new_array();

	if (!doc || !entries)
		return -ENOMEM;
	for (size_t i = 0; i < aoms_report_n_findings(r); i++)
		if (push(entries, leapp_entry(r, aoms_report_finding(r, i))) < 0)
			return -ENOMEM;
	if (add(doc, "leapp_run_id", str(aoms_report_run_id(r))) < 0 ||
	    add(doc, "entries", TAKE_PTR(entries)) < 0)
		return -ENOMEM;
	return aoms_render_json_print(out, TAKE_PTR(doc));
}
