/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSON document (docs/report-schema.md), a superset of leapp-report.json.
 * Built as a json-c tree, then printed with flags that give the same bytes on
 * json-c 0.13 (EL8) and 0.16 (Debian 12).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <json-c/printbuf.h>
#include "config.h"
#include "installed.h"
#include "json-string.h"
#include "render.h"


DEFINE_FREE_FUNC(struct json_object, json_object_put)

static int json_add_null(struct json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) < 0 ? -ENOMEM : 0;
}

/* A string, or null for NULL. */
static int json_add_str0(struct json_object *obj, const char *key, const char *s)
{
	return s ? aoms_render_json_add(obj, key, aoms_render_json_str(s))
		 : json_add_null(obj, key);
}

static int json_add_size(struct json_object *obj, const char *key, size_t n)
{
	return aoms_render_json_add(obj, key,
				    json_object_new_int64(n > INT64_MAX ? INT64_MAX : (int64_t)n));
}

/* Pushes each value of values (n of them) as a string onto a new array. */
static struct json_object *json_str_array(char *const *values, size_t n)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (aoms_render_json_push(a, aoms_render_json_str(values[i])) < 0)
			return NULL;
	return TAKE_PTR(a);
}

/* leapp's command remediation: the command line of an action, one word each. */
static struct json_object *json_command(const struct aoms_finding *f, const struct aoms_remedy *m)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
	_cleanup_(freep) const char **argv = NULL;
	int n = 0;

	if (!a)
		return NULL;
	if (m->action < f->n_actions)
		n = aoms_action_command(&f->actions[m->action], &argv);
	if (n < 0)
		return NULL;
	for (int i = 0; i < n; i++)
		if (aoms_render_json_push(a, aoms_render_json_str(argv[i])) < 0)
			return NULL;
	return TAKE_PTR(a);
}

static struct json_object *json_evidence(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < f->n_evidence; i++) {
		const struct aoms_evidence *e = &f->evidence[i];
		int r;

		if (e->is_list)
			r = aoms_render_json_add(o, e->key, json_str_array(e->values, e->n_values));
		else if (e->n_values > 0)
			r = aoms_render_json_add(o, e->key, aoms_render_json_str(e->values[0]));
		else
			r = json_add_null(o, e->key);
		if (r < 0)
			return NULL;
	}
	return TAKE_PTR(o);
}

static struct json_object *json_remedy(const struct aoms_finding *f, const struct aoms_remedy *m)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	struct json_object *ctx;

	if (!o)
		return NULL;
	if (m->kind == AOMS_REMEDY_COMMAND)
		ctx = json_command(f, m);
	else
		ctx = aoms_render_json_str(m->text ? m->text : "");
	if (aoms_render_json_add(o, "type", json_object_new_string(aoms_remedy_kind_name(m->kind))) < 0 ||
	    aoms_render_json_add(o, "context", ctx) < 0)
		return NULL;
	return TAKE_PTR(o);
}

/* The names of the evidence fields that make the key, in evidence order. */
static struct json_object *json_identity(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < f->n_evidence; i++)
		if (f->evidence[i].identity && aoms_render_json_push(a, aoms_render_json_str(f->evidence[i].key)) < 0)
			return NULL;
	return TAKE_PTR(a);
}

static struct json_object *json_action(const struct aoms_action *a)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *args = json_object_new_object();

	if (!o || !args)
		return NULL;
	for (size_t i = 0; i < a->n_args; i++)
		if (aoms_render_json_add(args, a->args[i].key, aoms_render_json_str(a->args[i].value)) < 0)
			return NULL;
	if (aoms_render_json_add(o, "kind", json_object_new_string(aoms_action_kind_name(a->kind))) < 0 ||
	    aoms_render_json_add(o, "args", TAKE_PTR(args)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_actions(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < f->n_actions; i++)
		if (aoms_render_json_push(a, json_action(&f->actions[i])) < 0)
			return NULL;
	return TAKE_PTR(a);
}

static struct json_object *json_resource(const char *scheme, const char *title)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || aoms_render_json_add(o, "scheme", json_object_new_string(scheme)) < 0 ||
	    aoms_render_json_add(o, "title", aoms_render_json_str(title)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_detail(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *rem = json_object_new_array();
	_cleanup_(json_object_putp) struct json_object *res = json_object_new_array();

	if (!o || !rem || !res)
		return NULL;
	for (size_t i = 0; i < f->n_remedies; i++)
		if (aoms_render_json_push(rem, json_remedy(f, &f->remedies[i])) < 0)
			return NULL;
	if (aoms_render_json_push(res, json_resource("file", f->subject)) < 0 ||
	    (f->package && aoms_render_json_push(res, json_resource("package", f->package)) < 0))
		return NULL;
	if (aoms_render_json_add(o, "remediations", TAKE_PTR(rem)) < 0 ||
	    aoms_render_json_add(o, "related_resources", TAKE_PTR(res)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

/* leapp's "groups" (dimension, then "inhibitor") or "flags" (only "inhibitor"). */
static struct json_object *json_groups(const struct aoms_finding *f, bool with_dimension)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	if (with_dimension &&
	    aoms_render_json_push(a, json_object_new_string(aoms_dimension_name(f->dimension))) < 0)
		return NULL;
	if (f->inhibitor && aoms_render_json_push(a, json_object_new_string("inhibitor")) < 0)
		return NULL;
	return TAKE_PTR(a);
}

static struct json_object *json_subject(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || aoms_render_json_add(o, "path", aoms_render_json_str(f->subject)) < 0 ||
	    json_add_str0(o, "package", f->package) < 0 ||
	    aoms_render_json_add(o, "relative_path", aoms_render_json_str(aoms_finding_locus(f))) < 0)
		return NULL;
	return TAKE_PTR(o);
}

/* entry.waiver (1.3): only on waived findings, so other entries keep their bytes. */
static struct json_object *json_waiver(const struct aoms_finding_waiver *w)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || aoms_render_json_add(o, "reason", aoms_render_json_str(w->reason)) < 0 ||
	    json_add_str0(o, "owner", w->owner) < 0 ||
	    json_add_str0(o, "expires", w->expires) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_entry(const struct aoms_finding *f)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o ||
	    aoms_render_json_add(o, "key", json_object_new_string(f->key)) < 0 ||
	    aoms_render_json_add(o, "rule", aoms_render_json_str(f->rule)) < 0 ||
	    aoms_render_json_add(o, "title", aoms_render_json_str(f->title ? f->title : f->rule)) < 0 ||
	    aoms_render_json_add(o, "summary", aoms_render_json_str(f->summary ? f->summary : "")) < 0 ||
	    aoms_render_json_add(o, "severity", json_object_new_string(aoms_severity_name(f->severity))) < 0 ||
	    aoms_render_json_add(o, "inhibitor", json_object_new_boolean(f->inhibitor)) < 0 ||
	    aoms_render_json_add(o, "groups", json_groups(f, true)) < 0 ||
	    aoms_render_json_add(o, "flags", json_groups(f, false)) < 0 ||
	    aoms_render_json_add(o, "audience", json_object_new_string("sysadmin")) < 0 ||
	    aoms_render_json_add(o, "dimension", json_object_new_string(aoms_dimension_name(f->dimension))) < 0 ||
	    aoms_render_json_add(o, "confidence",
		     json_object_new_string(aoms_confidence_name(f->confidence))) < 0 ||
	    aoms_render_json_add(o, "subject", json_subject(f)) < 0 ||
	    aoms_render_json_add(o, "evidence", json_evidence(f)) < 0 ||
	    aoms_render_json_add(o, "identity", json_identity(f)) < 0 ||
	    aoms_render_json_add(o, "actions", json_actions(f)) < 0 ||
	    aoms_render_json_add(o, "detail", json_detail(f)) < 0)
		return NULL;
	if (f->waiver && aoms_render_json_add(o, "waiver", json_waiver(f->waiver)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_error(const struct aoms_report_error *e)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o ||
	    aoms_render_json_add(o, "subject", aoms_render_json_str(e->subject)) < 0 ||
	    aoms_render_json_add(o, "errno", json_object_new_int(e->err)) < 0 ||
	    json_add_str0(o, "error", e->err ? aoms_report_errno_name(e->err) : NULL) < 0 ||
	    aoms_render_json_add(o, "message", aoms_render_json_str(e->message)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_counts(const size_t *counts, size_t first, size_t n,
				       const char *(*name)(int i), bool descending)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		size_t i = descending ? first + n - 1 - k : first + k;

		if (json_add_size(o, name((int)i), counts[i]) < 0)
			return NULL;
	}
	return TAKE_PTR(o);
}

static const char *json_severity_name(int i)
{
	return aoms_severity_name((enum aoms_severity)i);
}

static const char *json_dimension_name(int i)
{
	return aoms_dimension_name((enum aoms_dimension)i);
}

/* summary.files: what the scan did with the files it met. */
static struct json_object *json_files(const struct aoms_report_files *fs)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *by = json_object_new_object();

	if (!o || !by)
		return NULL;
	for (size_t i = 0; i < fs->n_judged; i++)
		if (json_add_size(by, fs->judged[i].scanner, fs->judged[i].count) < 0)
			return NULL;
	if (json_add_size(o, "seen", fs->seen) < 0 ||
	    json_add_size(o, "judged", aoms_report_files_judged(fs)) < 0 ||
	    aoms_render_json_add(o, "by_scanner", TAKE_PTR(by)) < 0 ||
	    json_add_size(o, "not_judged", fs->not_judged) < 0 ||
	    json_add_size(o, "skipped", fs->skipped) < 0 ||
	    json_add_size(o, "failed", fs->failed) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_summary(const struct aoms_report *r)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	struct aoms_report_counts c;

	aoms_report_count(r, &c);
	if (!o ||
	    json_add_size(o, "findings", c.findings) < 0 ||
	    json_add_size(o, "inhibitors", c.inhibitors) < 0 ||
	    json_add_size(o, "errors", c.errors) < 0 ||
	    aoms_render_json_add(o, "by_severity", json_counts(c.by_severity, AOMS_SEV_INFO,
						   ARRAY_SIZE(c.by_severity),
						   json_severity_name, true)) < 0 ||
	    aoms_render_json_add(o, "by_dimension", json_counts(c.by_dimension, AOMS_DIM_HARDWARE,
						    AOMS_DIM_CONFIGURATION,
						    json_dimension_name, false)) < 0 ||
	    aoms_render_json_add(o, "exit_status",
		     json_object_new_int(aoms_report_exit_status(r, aoms_report_fail_on(r)))) < 0 ||
	    aoms_render_json_add(o, "fail_on",
		     json_object_new_string(aoms_fail_on_name(aoms_report_fail_on(r)))) < 0)
		return NULL;
	if (aoms_report_files(r) &&
	    (aoms_render_json_add(o, "allow_empty", json_object_new_boolean(aoms_report_allow_empty(r))) < 0 ||
	     aoms_render_json_add(o, "files", json_files(aoms_report_files(r))) < 0))
		return NULL;
	return TAKE_PTR(o);
}

/* One element of the top-level "files": a file's verdict (file-summary.h). */
static struct json_object *json_file_summary(const struct aoms_file_summary *s)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
	_cleanup_(json_object_putp) struct json_object *needs = json_object_new_object();
	char *const *lacks;
	size_t n_lacks;

	if (!o || !needs)
		return NULL;
	for (size_t i = 0; i < s->n_needs; i++)
		if (aoms_render_json_add(needs, s->needs[i].key, aoms_render_json_str(s->needs[i].version)) < 0)
			return NULL;
	lacks = aoms_file_summary_lacks(s, &n_lacks);
	if (aoms_render_json_add(o, "path", aoms_render_json_str(s->path)) < 0 ||
	    aoms_render_json_add(o, "scanner", aoms_render_json_str(s->scanner)) < 0 ||
	    aoms_render_json_add(o, "verdict", aoms_render_json_str(aoms_file_summary_verdict(s))) < 0 ||
	    aoms_render_json_add(o, "needs", TAKE_PTR(needs)) < 0 ||
	    aoms_render_json_add(o, "lacks", json_str_array(lacks, n_lacks)) < 0)
		return NULL;
	/* Only for files whose code was looked at for syscalls (scanners/syscall-*.c). */
	if (s->n_syscalls &&
	    aoms_render_json_add(o, "syscalls", json_str_array(s->syscalls, s->n_syscalls)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_inputs(const struct aoms_report *r)
{
	_cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < aoms_report_n_inputs(r); i++)
		if (aoms_render_json_push(a, aoms_render_json_str(aoms_report_input(r, i))) < 0)
			return NULL;
	return TAKE_PTR(a);
}

static struct json_object *json_tool(const struct aoms_report *r)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o || aoms_render_json_add(o, "name", json_object_new_string("aoms")) < 0 ||
	    aoms_render_json_add(o, "version", aoms_render_json_str(aoms_report_tool_version(r))) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static int put_value(FILE *out, struct json_object *val, int indent, const char *sep)
{
	return aoms_render_json_put(out, val, indent, sep, AOMS_JSON_FLAGS);
}

/* One top-level member. */
static int put_member(FILE *out, const char *key, struct json_object *val, bool last)
{
	fprintf(out, "  \"%s\": ", key);
	return put_value(out, val, 2, last ? "\n" : ",\n");
}

enum json_list { JSON_LIST_FILES, JSON_LIST_ENTRIES, JSON_LIST_ERRORS, JSON_LIST_INSTALLED };

static size_t json_list_len(const struct aoms_report *r, enum json_list which)
{
	return which == JSON_LIST_FILES     ? aoms_report_n_file_summaries(r)
	       : which == JSON_LIST_ENTRIES ? aoms_report_n_findings(r)
	       : which == JSON_LIST_ERRORS  ? aoms_report_n_errors(r)
					    : aoms_report_n_installed(r);
}

/* One element of the top-level "installed" (installed.h). */
static struct json_object *json_installed(const struct aoms_installed *p)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o ||
	    aoms_render_json_add(o, "name", aoms_render_json_str(p->name)) < 0 ||
	    (p->epoch && aoms_render_json_add(o, "epoch", aoms_render_json_str(p->epoch)) < 0) ||
	    aoms_render_json_add(o, "version", aoms_render_json_str(p->version)) < 0 ||
	    aoms_render_json_add(o, "release", aoms_render_json_str(p->release)) < 0 ||
	    aoms_render_json_add(o, "arch", aoms_render_json_str(p->arch)) < 0 ||
	    (p->module_stream &&
	     aoms_render_json_add(o, "module_stream", aoms_render_json_str(p->module_stream)) < 0) ||
	    aoms_render_json_add(o, "provides", json_str_array((char *const *)p->provides,
							       p->n_provides)) < 0 ||
	    aoms_render_json_add(o, "requires", json_str_array((char *const *)p->requires,
							       p->n_requires)) < 0)
		return NULL;
	return TAKE_PTR(o);
}

static struct json_object *json_list_item(const struct aoms_report *r, enum json_list which,
					  size_t i)
{
	return which == JSON_LIST_FILES     ? json_file_summary(aoms_report_file_summary(r, i))
	       : which == JSON_LIST_ENTRIES ? json_entry(aoms_report_finding(r, i))
	       : which == JSON_LIST_ERRORS  ? json_error(aoms_report_error(r, i))
					    : json_installed(aoms_report_installed(r, i));
}

/* "files", "entries" or "errors", one element at a time: a report of /usr holds
 * thousands, and a whole json-c tree of them costs more memory than the scan itself. */
static int put_list(FILE *out, const struct aoms_report *r, enum json_list which, bool last)
{
	static const char *const keys[] = { "files", "entries", "errors", "installed" };
	size_t n = json_list_len(r, which);
	const char *key = keys[which];
	int rr = 0;

	if (!n) {
		fprintf(out, "  \"%s\": []%s\n", key, last ? "" : ",");
		return 0;
	}
	fprintf(out, "  \"%s\": [\n", key);
	for (size_t i = 0; i < n && rr >= 0; i++) {
		fputs("    ", out);
		/* one line per installed package: an rpmdb of thousands, read by the planner
		 * for every host, costs a third less to parse than pretty-printed */
		rr = aoms_render_json_put(out, json_list_item(r, which, i), 4, i + 1 < n ? ",\n" : "\n",
					  which == JSON_LIST_INSTALLED ? AOMS_JSON_FLAGS & ~JSON_C_TO_STRING_PRETTY :
					  AOMS_JSON_FLAGS);
	}
	fprintf(out, "  ]%s\n", last ? "" : ",");
	return rr;
}

int aoms_report_render_json(const struct aoms_report *r, FILE *out)
{
	int rr;

	fputs("{\n", out);
	rr = put_member(out, "schema_version", json_object_new_string(AOMS_JSON_SCHEMA_VERSION), false);
	if (rr >= 0)
		rr = put_member(out, "tool", json_tool(r), false);
	if (rr >= 0)
		rr = put_member(out, "run", aoms_render_json_meta(r), false);
	if (rr >= 0)
		rr = put_member(out, "inputs", json_inputs(r), false);
	if (rr >= 0)
		rr = put_member(out, "summary", json_summary(r), false);
	/* "files" comes with scans (summary.files) and with any file verdict. */
	if (rr >= 0 && (aoms_report_files(r) || aoms_report_n_file_summaries(r)))
		rr = put_list(out, r, JSON_LIST_FILES, false);
	if (rr >= 0)
		rr = put_list(out, r, JSON_LIST_ENTRIES, false);
	/* "installed" comes with assessments (installed.h). */
	if (rr >= 0 && aoms_report_n_installed(r))
		rr = put_list(out, r, JSON_LIST_INSTALLED, false);
	if (rr >= 0)
		rr = put_list(out, r, JSON_LIST_ERRORS, true);
	if (rr >= 0)
		fputs("}\n", out);
	return rr;
}
