/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --format sarif: SARIF 2.1.0 (tests/fixtures/formats/sarif-schema-2.1.0.json), what
 * GitHub and GitLab code scanning read. One run; the driver's rules are the
 * catalogue's rules that results use, in id order (help text from the rule's
 * documentation, helpUri its link); one result per finding in report order, located
 * at its subject (a relative URI reference, percent-encoded), with the finding's key
 * as partialFingerprints "aomsKey/v1" (identity only: stable across runs and
 * databases) and its remediations in the message. Levels: an inhibitor or high is
 * "error", medium and low "warning", info "note". No timestamps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "render.h"
#include "rules.h"
#include "strbuf.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define add aoms_render_json_add
#define push aoms_render_json_push
#define str aoms_render_json_str

static const char *sarif_level(enum aoms_severity s, bool inhibitor)
{
	if (inhibitor || s >= AOMS_SEV_HIGH)
		return "error";
	return s >= AOMS_SEV_LOW ? "warning" : "note";
}

/* The catalogue index of rule id (catalogue order is id order), or -1. */
static ssize_t sarif_rule_index(const char *id)
{
	size_t lo = 0, hi = aoms_rules_count();

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(aoms_rule_at(mid)->id, id);

		if (c == 0)
			return (ssize_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static struct json_object *sarif_text(const char *key, const char *text)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || add(o, key, str(text)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *sarif_rule(const struct aoms_rule *rule)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *help = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *cfg = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *props = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *tags = json_object_new_array();
	_cleanup_(freep) char *md = NULL;

	if (!o || !help || !cfg || !props || !tags)
		return NULL;
	if (asprintf(&md, "**%s**\n\n%s%s%s%s", rule->id, rule->doc, rule->link ? "\n\n[More](" : "",
		     rule->link ? rule->link : "", rule->link ? ")" : "") < 0) {
		md = NULL;
		return NULL;
	}
	if (add(help, "text", str(rule->doc)) < 0 || add(help, "markdown", str(md)) < 0 ||
	    add(cfg, "level", json_object_new_string(sarif_level(rule->severity, rule->inhibitor))) < 0 ||
	    push(tags, json_object_new_string(aoms_dimension_name(rule->dimension))) < 0 ||
	    (rule->inhibitor && push(tags, json_object_new_string("inhibitor")) < 0) ||
	    add(props, "tags", TAKE_PTR(tags)) < 0 ||
	    add(props, "severity", json_object_new_string(aoms_severity_name(rule->severity))) < 0 ||
	    add(props, "inhibitor", json_object_new_boolean(rule->inhibitor)) < 0)
		return NULL;
	if (add(o, "id", str(rule->id)) < 0 ||
	    add(o, "shortDescription", sarif_text("text", rule->title)) < 0 ||
	    add(o, "fullDescription", sarif_text("text", rule->doc)) < 0 ||
	    add(o, "help", TAKE_PTR(help)) < 0 ||
	    (rule->link && add(o, "helpUri", str(rule->link)) < 0) ||
	    add(o, "defaultConfiguration", TAKE_PTR(cfg)) < 0 ||
	    add(o, "properties", TAKE_PTR(props)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

/* A path as a URI reference: unreserved bytes and '/' as they are, the rest %XX (a
 * ':' in "pkg.rpm:/usr/bin/app" would otherwise read as a scheme). */
static char *sarif_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *u = malloc(n * 3 + 1), *p = u;

	if (!u)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("-._~/", *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	return u;
}

static struct json_object *sarif_location(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *loc = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *phys = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *art = json_object_new_object();
	_cleanup_(freep) char *uri = sarif_uri(f->subject);

	if (!loc || !phys || !art || !uri || add(art, "uri", str(uri)) < 0 ||
	    add(phys, "artifactLocation", TAKE_PTR(art)) < 0 ||
	    add(loc, "physicalLocation", TAKE_PTR(phys)) < 0)
		return NULL;
	return TAKE_PTR(loc);
}

/* Title, summary, then each remediation on its own line. */
static char *sarif_message(const struct aoms_finding *f)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = { 0 };

	if (aoms_strbuf_addf(&sb, "%s", f->title ? f->title : f->rule) < 0 ||
	    (f->summary && *f->summary && aoms_strbuf_addf(&sb, "\n%s", f->summary) < 0))
		return NULL;
	for (size_t i = 0; i < f->n_remedies; i++) {
		const struct aoms_remedy *m = &f->remedies[i];
		_cleanup_(freep) const char **argv = NULL;
		int n = 0;

		if (m->kind == AOMS_REMEDY_HINT) {
			if (aoms_strbuf_addf(&sb, "\nRemediation: %s", m->text ? m->text : "") < 0)
				return NULL;
			continue;
		}
		if (m->action < f->n_actions)
			n = aoms_action_command(&f->actions[m->action], &argv);
		if (n < 0 || aoms_strbuf_addf(&sb, "\nRemediation: run") < 0)
			return NULL;
		for (int k = 0; k < n; k++)
			if (aoms_strbuf_addf(&sb, " %s", argv[k]) < 0)
				return NULL;
	}
	return aoms_strbuf_detach(&sb);
}

/* SARIF's suppressions for a waived finding: kind external (the waivers file). */
static struct json_object *sarif_suppressions(const struct aoms_finding_waiver *w)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *props = json_object_new_object();

	if (!a || !o || !props ||
	    add(o, "kind", json_object_new_string("external")) < 0 ||
	    add(o, "status", json_object_new_string("accepted")) < 0 ||
	    add(o, "justification", str(w->reason)) < 0 ||
	    (w->owner && add(props, "owner", str(w->owner)) < 0) ||
	    (w->expires && add(props, "expires", str(w->expires)) < 0) ||
	    add(o, "properties", TAKE_PTR(props)) < 0 ||
	    push(a, TAKE_PTR(o)) < 0)
		return NULL;
	return TAKE_PTR(a);
}

static struct json_object *sarif_result(const struct aoms_finding *f, size_t rule_index)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *locs = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *fp = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *props = json_object_new_object();
	_cleanup_(freep) char *msg = sarif_message(f);

	if (!o || !locs || !fp || !props || !msg)
		return NULL;
	if (push(locs, sarif_location(f)) < 0 ||
	    add(fp, "aomsKey/v1", json_object_new_string(f->key)) < 0 ||
	    add(props, "severity", json_object_new_string(aoms_severity_name(f->severity))) < 0 ||
	    add(props, "inhibitor", json_object_new_boolean(f->inhibitor)) < 0 ||
	    add(props, "confidence", json_object_new_string(aoms_confidence_name(f->confidence))) < 0 ||
	    add(props, "dimension", json_object_new_string(aoms_dimension_name(f->dimension))) < 0 ||
	    (f->package && add(props, "package", str(f->package)) < 0))
		return NULL;
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];
		_cleanup_(freep) char *k = NULL;

		if (asprintf(&k, "evidence.%s", e->key) < 0) {
			k = NULL;
			return NULL;
		}
		if (add(props, k, str(e->n_values ? e->values[0] : "")) < 0)
			return NULL;
	}
	if (add(o, "ruleId", str(f->rule)) < 0 ||
	    add(o, "ruleIndex", json_object_new_int64((int64_t)rule_index)) < 0 ||
	    add(o, "level", json_object_new_string(sarif_level(f->severity, f->inhibitor))) < 0 ||
	    add(o, "message", sarif_text("text", msg)) < 0 ||
	    add(o, "locations", TAKE_PTR(locs)) < 0 ||
	    add(o, "partialFingerprints", TAKE_PTR(fp)) < 0 ||
	    add(o, "properties", TAKE_PTR(props)) < 0 ||
	    (f->waiver && add(o, "suppressions", sarif_suppressions(f->waiver)) < 0))
		return NULL;
	return TAKE_PTR(o);
}

/* The rules results use (catalogue order) and, per catalogue index, a result's
 * ruleIndex into them. */
static struct json_object *sarif_rules(const struct aoms_report *r, ssize_t *index_of)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
	size_t n_rules = aoms_rules_count(), next = 0;

	if (!a)
		return NULL;
	for (size_t i = 0; i < n_rules; i++)
		index_of[i] = -1;
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		ssize_t k = sarif_rule_index(aoms_report_finding(r, i)->rule);

		if (k >= 0)
			index_of[k] = 0;
	}
	for (size_t i = 0; i < n_rules; i++) {
		if (index_of[i] < 0)
			continue;
		index_of[i] = (ssize_t)next++;
		if (push(a, sarif_rule(aoms_rule_at(i))) < 0)
			return NULL;
	}
	return TAKE_PTR(a);
}

static struct json_object *sarif_invocation(const struct aoms_report *r)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *inv = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *notes = json_object_new_array();

	if (!a || !inv || !notes)
		return NULL;
	for (size_t i = 0; i < aoms_report_n_errors(r); i++) {
		const struct aoms_report_error *e = aoms_report_error(r, i);
		_cleanup_(json_object_putp) struct json_object *n = json_object_new_object();

		if (!n || add(n, "level", json_object_new_string("error")) < 0 ||
		    add(n, "message", sarif_text("text", e->message)) < 0 ||
		    push(notes, TAKE_PTR(n)) < 0)
			return NULL;
	}
	if (add(inv, "executionSuccessful", json_object_new_boolean(aoms_report_n_errors(r) == 0)) < 0 ||
	    add(inv, "exitCode",
		json_object_new_int(aoms_report_exit_status(r, aoms_report_fail_on(r)))) < 0 ||
	    add(inv, "toolExecutionNotifications", TAKE_PTR(notes)) < 0 || push(a, TAKE_PTR(inv)) < 0)
		return NULL;
	return TAKE_PTR(a);
}

int aoms_report_render_sarif(const struct aoms_report *r, FILE *out)
{
	_cleanup_(json_object_putp) struct json_object *doc = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *runs = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *run = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *tool = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *driver = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *results = json_object_new_array();
	_cleanup_(freep) ssize_t *index_of = calloc(aoms_rules_count() + 1, sizeof(*index_of));

	if (!doc || !runs || !run || !tool || !driver || !results || !index_of)
		return -ENOMEM;
	if (add(driver, "name", json_object_new_string("aoms")) < 0 ||
	    add(driver, "version", str(aoms_report_tool_version(r))) < 0 ||
	    add(driver, "rules", sarif_rules(r, index_of)) < 0 ||
	    add(tool, "driver", TAKE_PTR(driver)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		const struct aoms_finding *f = aoms_report_finding(r, i);
		ssize_t k = sarif_rule_index(f->rule);

		if (push(results, sarif_result(f, k >= 0 ? (size_t)index_of[k] : 0)) < 0)
			return -ENOMEM;
	}
	if (add(run, "tool", TAKE_PTR(tool)) < 0 ||
	    add(run, "invocations", sarif_invocation(r)) < 0 ||
	    add(run, "results", TAKE_PTR(results)) < 0 ||
	    add(run, "properties", aoms_render_json_meta(r)) < 0 ||
	    push(runs, TAKE_PTR(run)) < 0 ||
	    add(doc, "$schema", json_object_new_string("https://json.schemastore.org/sarif-2.1.0.json")) < 0 ||
	    add(doc, "version", json_object_new_string("2.1.0")) < 0 ||
	    add(doc, "runs", TAKE_PTR(runs)) < 0)
		return -ENOMEM;
	return aoms_render_json_print(out, TAKE_PTR(doc));
}
