/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One entry of a JSON report back into a finding (read-json.h): every member checked,
 * and what the writer derives (groups, flags, related resources, command lines) must
 * agree with what it is derived from, so that writing the finding again gives the
 * same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read-json.h"
#include "render.h"
#include "strbuf.h"

static int rd_name(struct aoms_rd *rd, struct json_object *o, const char *where, const char *name,
		   const char *what, int (*parse)(const char *, void *), void *ret)
{
	const char *s;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_str(rd, o, where, name, &s);

	if (r < 0)
		return r;
	aoms_rd_pathf(path, sizeof(path), "%s.%s", where, name);
	if (parse(s, ret) < 0)
		return aoms_rd_fail(rd, -EBADMSG, path, "unknown %s '%s'", what, s);
	return 0;
}

static int rd_parse_severity(const char *s, void *ret)
{
	return aoms_severity_from_name(s, ret);
}

static int rd_parse_dimension(const char *s, void *ret)
{
	return aoms_dimension_from_name(s, ret);
}

static int rd_parse_confidence(const char *s, void *ret)
{
	return aoms_confidence_from_name(s, ret);
}

static int rd_key(struct aoms_rd *rd, struct json_object *o, const char *where,
		  struct aoms_finding *f)
{
	const char *key;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_str(rd, o, where, "key", &key);

	if (r < 0)
		return r;
	aoms_rd_pathf(path, sizeof(path), "%s.key", where);
	if (strlen(key) != 16 || strspn(key, "0123456789abcdef") != 16)
		return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is not 16 lowercase hex digits", key);
	memcpy(f->key, key, 17);
	return 0;
}

/* groups, flags and audience are derived from dimension and inhibitor: they must agree. */
static int rd_groups(struct aoms_rd *rd, struct json_object *o, const char *where,
		     const struct aoms_finding *f)
{
	static const char *const names[] = { "groups", "flags" };
	const char *audience;
	int r;

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		const char *want[2];
		size_t n = 0;
		struct json_object *a;
		char path[AOMS_RD_PATH_MAX];

		if (k == 0)
			want[n++] = aoms_dimension_name(f->dimension);
		if (f->inhibitor)
			want[n++] = "inhibitor";
		r = aoms_rd_member(rd, o, where, names[k], json_type_array, false, &a, path);
		if (r < 0)
			return r;
		bool same = json_object_array_length(a) == n;
		for (size_t i = 0; same && i < n; i++) {
			struct json_object *v = json_object_array_get_idx(a, i);

			same = json_object_is_type(v, json_type_string) &&
			       strcmp(json_object_get_string(v), want[i]) == 0;
		}
		if (!same)
			return aoms_rd_fail(rd, -EBADMSG, path, "disagrees with dimension and inhibitor");
	}
	r = aoms_rd_str(rd, o, where, "audience", &audience);
	if (r >= 0 && strcmp(audience, "sysadmin") != 0)
		return aoms_rd_fail(rd, -EBADMSG, where, "audience '%s' is not sysadmin", audience);
	return r;
}

static int rd_subject(struct aoms_rd *rd, struct json_object *o, const char *where,
		      struct aoms_finding *f)
{
	struct json_object *s, *v;
	const char *path, *package, *rel = NULL;
	char p[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "subject", json_type_object, false, &s, p);

	if (r >= 0)
		r = aoms_rd_str(rd, s, p, "path", &path);
	if (r >= 0)
		r = aoms_rd_str0(rd, s, p, "package", &package);
	if (r >= 0 && json_object_object_get_ex(s, "relative_path", &v))
		r = aoms_rd_str(rd, s, p, "relative_path", &rel);
	if (r < 0)
		return r;
	free(f->subject);
	f->subject = strdup(path);
	if (!f->subject || aoms_finding_set_package(f, package) < 0 ||
	    aoms_finding_set_locus(f, rel && strcmp(rel, path) != 0 ? rel : NULL) < 0)
		return -ENOMEM;
	return 0;
}

static int rd_evidence(struct aoms_rd *rd, struct json_object *o, const char *where,
		       struct aoms_finding *f)
{
	struct json_object *e;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "evidence", json_type_object, false, &e, path);

	if (r < 0)
		return r;
	json_object_object_foreach(e, k, v) {
		char p[AOMS_RD_PATH_MAX];
		const char *s;

		aoms_rd_pathf(p, sizeof(p), "%s.%s", path, k);
		if (json_object_is_type(v, json_type_string)) {
			r = aoms_rd_check_str(rd, v, p, &s);
			if (r >= 0)
				r = aoms_finding_add_evidence(f, k, s);
		} else if (json_object_is_type(v, json_type_array)) {
			size_t n = json_object_array_length(v);
			_cleanup_(freep) const char **vals = calloc(n + 1, sizeof(*vals));

			if (!vals)
				return -ENOMEM;
			for (size_t i = 0; i < n && r >= 0; i++) {
				struct json_object *x = json_object_array_get_idx(v, i);
				char pi[300];

				aoms_rd_path_index(pi, sizeof(pi), p, i);
				if (!json_object_is_type(x, json_type_string))
					return aoms_rd_fail(rd, -EBADMSG, pi, "expected a string");
				r = aoms_rd_check_str(rd, x, pi, &vals[i]);
			}
			if (r >= 0)
				r = aoms_finding_add_evidence_list(f, k, vals, n);
		} else {
			r = aoms_rd_fail(rd, -EBADMSG, p, "expected a string or an array, found %s",
					 aoms_rd_type_name(json_object_get_type(v)));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int rd_mark_identity(struct aoms_rd *rd, const char *s, const char *path, void *ud)
{
	struct aoms_finding *f = ud;

	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, s) == 0) {
			if (f->evidence[i].is_list)
				return aoms_rd_fail(rd, -EBADMSG, path, "evidence '%s' is a list", s);
			f->evidence[i].identity = true;
			return 0;
		}
	return aoms_rd_fail(rd, -EBADMSG, path, "no evidence field '%s'", s);
}

static int rd_action(struct aoms_rd *rd, struct json_object *a, const char *path,
		     struct aoms_finding *f)
{
	struct json_object *args;
	const char *kind;
	enum aoms_action_kind k;
	char p[AOMS_RD_PATH_MAX];
	int r = aoms_rd_str(rd, a, path, "kind", &kind);

	if (r >= 0)
		r = aoms_rd_member(rd, a, path, "args", json_type_object, false, &args, p);
	if (r < 0)
		return r;
	if (aoms_action_kind_from_name(kind, &k) < 0)
		return 0;   /* a kind of a newer minor version: not for this reader */
	size_t n = (size_t)json_object_object_length(args), i = 0;
	_cleanup_(freep) const char **pairs = calloc(2 * n + 1, sizeof(*pairs));
	if (!pairs)
		return -ENOMEM;
	json_object_object_foreach(args, key, v) {
		(void)v;
		r = aoms_rd_str(rd, args, p, key, &pairs[2 * i + 1]);
		if (r < 0)
			return r;
		pairs[2 * i++] = key;
	}
	r = aoms_finding_add_actionv(f, k, pairs, n, false);
	if (r == -EINVAL)
		return aoms_rd_fail(rd, -EBADMSG, p, "lacks an argument '%s' needs", kind);
	return r;
}

static int rd_actions(struct aoms_rd *rd, struct json_object *o, const char *where,
		      struct aoms_finding *f)
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "actions", json_type_array, true, &a, path);

	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		struct json_object *x = json_object_array_get_idx(a, i);
		char p[300];

		aoms_rd_path_index(p, sizeof(p), path, i);
		if (!json_object_is_type(x, json_type_object))
			return aoms_rd_fail(rd, -EBADMSG, p, "expected an object");
		r = rd_action(rd, x, p, f);
	}
	return r;
}

/* The action whose command line is the array cmd, or -1. */
static int rd_command_action(const struct aoms_finding *f, struct json_object *cmd, int *ret)
{
	for (size_t j = 0; j < f->n_actions; j++) {
		const char **argv = NULL;
		int n = aoms_action_command(&f->actions[j], &argv);
		bool same = n > 0 && (size_t)n == json_object_array_length(cmd);

		if (n < 0)
			return n;
		for (int i = 0; same && i < n; i++) {
			struct json_object *w = json_object_array_get_idx(cmd, (size_t)i);

			same = json_object_is_type(w, json_type_string) &&
			       strcmp(json_object_get_string(w), argv[i]) == 0;
		}
		free(argv);
		if (same) {
			*ret = (int)j;
			return 0;
		}
	}
	*ret = -1;
	return 0;
}

static int rd_remedy(struct aoms_rd *rd, struct json_object *m, const char *p,
		     struct aoms_finding *f)
{
	struct json_object *ctx;
	const char *type, *hint;
	enum aoms_remedy_kind kind;
	char pc[AOMS_RD_PATH_MAX];
	int j, r = aoms_rd_str(rd, m, p, "type", &type);

	if (r < 0)
		return r;
	if (aoms_remedy_kind_from_name(type, &kind) < 0)
		return aoms_rd_fail(rd, -EBADMSG, p, "unknown remediation type '%s'", type);
	if (kind == AOMS_REMEDY_HINT) {
		r = aoms_rd_str(rd, m, p, "context", &hint);
		return r < 0 ? r : aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s", hint);
	}
	r = aoms_rd_member(rd, m, p, "context", json_type_array, false, &ctx, pc);
	if (r >= 0)
		r = rd_command_action(f, ctx, &j);
	if (r < 0)
		return r;
	if (j < 0)
		return aoms_rd_fail(rd, -EBADMSG, pc, "command matches no action of the entry");
	return aoms_finding_add_command(f, (size_t)j);
}

static int rd_detail(struct aoms_rd *rd, struct json_object *o, const char *where,
		     struct aoms_finding *f)
{
	struct json_object *d, *a;
	char path[AOMS_RD_PATH_MAX], pr[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "detail", json_type_object, false, &d, path);

	if (r >= 0)
		r = aoms_rd_member(rd, d, path, "remediations", json_type_array, false, &a, pr);
	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		char p[300];

		aoms_rd_path_index(p, sizeof(p), pr, i);
		if (!json_object_is_type(m, json_type_object))
			return aoms_rd_fail(rd, -EBADMSG, p, "expected an object");
		r = rd_remedy(rd, m, p, f);
	}
	if (r >= 0)
		r = aoms_rd_member(rd, d, path, "related_resources", json_type_array, false, &a, pr);
	if (r >= 0 && json_object_array_length(a) != (f->package ? 2u : 1u))
		return aoms_rd_fail(rd, -EBADMSG, pr, "disagrees with the subject");
	return r;
}

/* entry.waiver (1.3): reason, owner and expires as the writer puts them. */
static int rd_waiver(struct aoms_rd *rd, struct json_object *o, const char *where,
		     struct aoms_finding *f)
{
	struct json_object *w;
	const char *reason, *owner, *expires;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "waiver", json_type_object, true, &w, path);

	if (r == -ENOENT)
		return 0;
	if (r < 0 || (r = aoms_rd_str(rd, w, path, "reason", &reason)) < 0 ||
	    (r = aoms_rd_str0(rd, w, path, "owner", &owner)) < 0 ||
	    (r = aoms_rd_str0(rd, w, path, "expires", &expires)) < 0)
		return r;
	return aoms_finding_set_waiver(f, reason, owner, expires);
}

int aoms_rd_entry(struct aoms_rd *rd, struct json_object *o, const char *where)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	struct json_object *v;
	const char *rule, *title, *summary;
	char path[AOMS_RD_PATH_MAX];
	int r;

	if (!json_object_is_type(o, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, where, "expected an object, found %s",
				    aoms_rd_type_name(json_object_get_type(o)));
	r = aoms_rd_str(rd, o, where, "rule", &rule);
	if (r < 0)
		return r;
	if (aoms_finding_new(rule, AOMS_SEV_INFO, AOMS_DIM_APPLICATIONS, "", &f) < 0)
		return -ENOMEM;
	if ((r = rd_key(rd, o, where, f)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "title", &title)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "summary", &summary)) < 0 ||
	    (r = rd_name(rd, o, where, "severity", "severity", rd_parse_severity, &f->severity)) < 0 ||
	    (r = aoms_rd_member(rd, o, where, "inhibitor", json_type_boolean, false, &v, path)) < 0)
		return r;
	f->inhibitor = json_object_get_boolean(v);
	if ((r = rd_name(rd, o, where, "dimension", "dimension", rd_parse_dimension,
			 &f->dimension)) < 0 ||
	    (r = rd_name(rd, o, where, "confidence", "confidence", rd_parse_confidence,
			 &f->confidence)) < 0 ||
	    (r = rd_groups(rd, o, where, f)) < 0 ||
	    (r = rd_subject(rd, o, where, f)) < 0 ||
	    (r = rd_evidence(rd, o, where, f)) < 0 ||
	    (r = rd_actions(rd, o, where, f)) < 0 ||
	    (r = rd_detail(rd, o, where, f)) < 0 ||
	    (r = rd_waiver(rd, o, where, f)) < 0)
		return r;
	r = aoms_rd_member(rd, o, where, "identity", json_type_array, true, &v, path);
	if (r == 0)
		r = aoms_rd_str_array(rd, v, path, rd_mark_identity, f);
	if (r < 0 && r != -ENOENT)
		return r;
	/* The writer puts the rule for a missing title, "" for a missing summary. */
	if ((strcmp(title, rule) != 0 && aoms_finding_set_title(f, "%s", title) < 0) ||
	    (*summary && aoms_finding_set_summary(f, "%s", summary) < 0))
		return -ENOMEM;
	return aoms_report_add_keyed(rd->r, TAKE_PTR(f));
}
