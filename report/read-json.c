/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSON report reader (report-read.h). The document is parsed whole with a
 * length-bounded json_tokener (json-c 0.13 and 0.16 alike), then walked member by
 * member into a new report; the first problem ends the walk with a message naming the
 * member, and the half-built report is freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "render.h"
#include "report-read.h"
#include "strbuf.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define READ_DEPTH 64

struct rd {
	struct aoms_report *r;
	char *error;
	bool fail_on_set;
};

/* Records "where: message" (the first problem only); returns err. */
static int _printf_(4, 5) rd_fail(struct rd *rd, int err, const char *where, const char *fmt, ...)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;

	if (rd->error)
		return err;
	aoms_strbuf_addf(&sb, "%s: ", where);
	va_start(ap, fmt);
	aoms_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	rd->error = aoms_strbuf_detach(&sb);
	return err;
}

/* A member path for messages; a very long one is cut, which is fine for a message. */
static void _printf_(3, 4) rd_pathf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

static const char *rd_type_name(json_type t)
{
	switch (t) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double: return "a number";
	case json_type_int: return "an integer";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	case json_type_string: return "a string";
	}
	return "unknown";
}

/* The member name of obj (an object), of type want. Missing: -ENOENT when optional,
 * else an error. A child path "where.name" goes to path (256 bytes). */
static int rd_member(struct rd *rd, struct json_object *obj, const char *where, const char *name,
		     json_type want, bool optional, struct json_object **ret, char *path)
{
	struct json_object *v = NULL;

	rd_pathf(path, 256, "%s%s%s", where, *where ? "." : "", name);
	if (!json_object_object_get_ex(obj, name, &v)) {
		if (optional)
			return -ENOENT;
		return rd_fail(rd, -EBADMSG, path, "missing");
	}
	if (!json_object_is_type(v, want))
		return rd_fail(rd, -EBADMSG, path, "expected %s, found %s", rd_type_name(want),
			       rd_type_name(json_object_get_type(v)));
	*ret = v;
	return 0;
}

/* A string the writer could have written: well-formed UTF-8, no NUL. */
static int rd_check_str(struct rd *rd, struct json_object *v, const char *path, const char **ret)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (strlen(s) != len)
		return rd_fail(rd, -EBADMSG, path, "string holds a NUL character");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = aoms_utf8_len(p);

		if (!n)
			return rd_fail(rd, -EBADMSG, path, "string is not valid UTF-8");
		p += n;
	}
	*ret = s;
	return 0;
}

static int rd_str(struct rd *rd, struct json_object *obj, const char *where, const char *name,
		  const char **ret)
{
	struct json_object *v;
	char path[256];
	int r = rd_member(rd, obj, where, name, json_type_string, false, &v, path);

	return r < 0 ? r : rd_check_str(rd, v, path, ret);
}

/* A string or null (*ret NULL). */
static int rd_str0(struct rd *rd, struct json_object *obj, const char *where, const char *name,
		   const char **ret)
{
	struct json_object *v = NULL;
	char path[256];

	rd_pathf(path, sizeof(path), "%s.%s", where, name);
	if (!json_object_object_get_ex(obj, name, &v))
		return rd_fail(rd, -EBADMSG, path, "missing");
	*ret = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return rd_fail(rd, -EBADMSG, path, "expected a string or null, found %s",
			       rd_type_name(json_object_get_type(v)));
	return rd_check_str(rd, v, path, ret);
}

static int rd_count(struct rd *rd, struct json_object *obj, const char *where, const char *name,
		    size_t want)
{
	struct json_object *v;
	char path[256];
	int64_t n;
	int r = rd_member(rd, obj, where, name, json_type_int, false, &v, path);

	if (r < 0)
		return r;
	n = json_object_get_int64(v);
	if (n < 0 || (uint64_t)n != want)
		return rd_fail(rd, -EBADMSG, path, "%" PRId64 " disagrees with the entries (%zu)", n,
			       want);
	return 0;
}

/* Each element of an array of strings, to fn. */
static int rd_str_array(struct rd *rd, struct json_object *a, const char *path,
			int (*fn)(struct rd *rd, const char *s, const char *path, void *ud), void *ud)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		char p[256];
		const char *s;
		int r;

		rd_pathf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_object_is_type(v, json_type_string))
			return rd_fail(rd, -EBADMSG, p, "expected a string, found %s",
				       rd_type_name(json_object_get_type(v)));
		r = rd_check_str(rd, v, p, &s);
		if (r >= 0)
			r = fn(rd, s, p, ud);
		if (r < 0)
			return r;
	}
	return 0;
}

static int rd_schema(struct rd *rd, struct json_object *doc)
{
	const char *v;
	unsigned major, minor;
	int n = 0, r = rd_str(rd, doc, "", "schema_version", &v);

	if (r < 0)
		return r;
	if (sscanf(v, "%u.%u%n", &major, &minor, &n) != 2 || v[n] || v[0] < '0' || v[0] > '9')
		return rd_fail(rd, -EBADMSG, "schema_version", "'%s' is not MAJOR.MINOR", v);
	if (major != AOMS_JSON_SCHEMA_MAJOR)
		return rd_fail(rd, -EPROTONOSUPPORT, "schema_version",
			       "version %s is not supported (this aoms reads %d.x)", v,
			       AOMS_JSON_SCHEMA_MAJOR);
	return 0;
}

static int rd_tool(struct rd *rd, struct json_object *doc)
{
	struct json_object *o;
	const char *name, *version;
	char path[256];
	int r = rd_member(rd, doc, "", "tool", json_type_object, false, &o, path);

	if (r >= 0)
		r = rd_str(rd, o, "tool", "name", &name);
	if (r >= 0 && strcmp(name, "aoms") != 0)
		return rd_fail(rd, -EBADMSG, "tool.name", "'%s' is not aoms", name);
	if (r >= 0)
		r = rd_str(rd, o, "tool", "version", &version);
	if (r >= 0)
		r = aoms_report_set_tool_version(rd->r, version);
	return r;
}

static int rd_run(struct rd *rd, struct json_object *doc)
{
	struct json_object *o;
	char path[256];
	int r = rd_member(rd, doc, "", "run", json_type_object, false, &o, path);

	if (r < 0)
		return r;
	json_object_object_foreach(o, k, v) {
		const char *s;

		if (r < 0)
			break;
		r = rd_str(rd, o, "run", k, &s);
		if (r >= 0)
			r = aoms_report_set_meta(rd->r, k, s);
		(void)v;
	}
	return r;
}

/* Inputs are written sorted without duplicates; anything else was edited. */
static int rd_add_input(struct rd *rd, const char *s, const char *path, void *ud)
{
	size_t n = aoms_report_n_inputs(rd->r);

	if (n > 0 && strcmp(aoms_report_input(rd->r, n - 1), s) >= 0)
		return rd_fail(rd, -EBADMSG, path, "'%s' is out of order or repeated", s);
	return aoms_report_add_input(rd->r, s);
}

static int rd_inputs(struct rd *rd, struct json_object *doc)
{
	struct json_object *a;
	char path[256];
	int r = rd_member(rd, doc, "", "inputs", json_type_array, false, &a, path);

	return r < 0 ? r : rd_str_array(rd, a, "inputs", rd_add_input, NULL);
}

/* Entries: one member each. */

static int rd_name(struct rd *rd, struct json_object *o, const char *where, const char *name,
		   const char *what, int (*parse)(const char *, void *), void *ret)
{
	const char *s;
	char path[256];
	int r = rd_str(rd, o, where, name, &s);

	if (r < 0)
		return r;
	rd_pathf(path, sizeof(path), "%s.%s", where, name);
	if (parse(s, ret) < 0)
		return rd_fail(rd, -EBADMSG, path, "unknown %s '%s'", what, s);
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

static int rd_key(struct rd *rd, struct json_object *o, const char *where, struct aoms_finding *f)
{
	const char *key;
	char path[256];
	int r = rd_str(rd, o, where, "key", &key);

	if (r < 0)
		return r;
	rd_pathf(path, sizeof(path), "%s.key", where);
	if (strlen(key) != 16 || strspn(key, "0123456789abcdef") != 16)
		return rd_fail(rd, -EBADMSG, path, "'%s' is not 16 lowercase hex digits", key);
	memcpy(f->key, key, 17);
	return 0;
}

/* groups, flags and audience are derived from dimension and inhibitor: they must agree. */
static int rd_groups(struct rd *rd, struct json_object *o, const char *where,
		     const struct aoms_finding *f)
{
	static const char *const names[] = { "groups", "flags" };
	const char *audience;
	int r;

	for (size_t k = 0; k < ARRAY_SIZE(names); k++) {
		const char *want[2];
		size_t n = 0;
		struct json_object *a;
		char path[256];

		if (k == 0)
			want[n++] = aoms_dimension_name(f->dimension);
		if (f->inhibitor)
			want[n++] = "inhibitor";
		r = rd_member(rd, o, where, names[k], json_type_array, false, &a, path);
		if (r < 0)
			return r;
		bool same = json_object_array_length(a) == n;
		for (size_t i = 0; same && i < n; i++) {
			struct json_object *v = json_object_array_get_idx(a, i);

			same = json_object_is_type(v, json_type_string) &&
			       strcmp(json_object_get_string(v), want[i]) == 0;
		}
		if (!same)
			return rd_fail(rd, -EBADMSG, path, "disagrees with dimension and inhibitor");
	}
	r = rd_str(rd, o, where, "audience", &audience);
	if (r >= 0 && strcmp(audience, "sysadmin") != 0)
		return rd_fail(rd, -EBADMSG, where, "audience '%s' is not sysadmin", audience);
	return r;
}

static int rd_subject(struct rd *rd, struct json_object *o, const char *where,
		      struct aoms_finding *f)
{
	struct json_object *s, *v;
	const char *path, *package, *rel = NULL;
	char p[256];
	int r = rd_member(rd, o, where, "subject", json_type_object, false, &s, p);

	if (r >= 0)
		r = rd_str(rd, s, p, "path", &path);
	if (r >= 0)
		r = rd_str0(rd, s, p, "package", &package);
	if (r >= 0 && json_object_object_get_ex(s, "relative_path", &v))
		r = rd_str(rd, s, p, "relative_path", &rel);
	if (r < 0)
		return r;
	free(f->subject);
	f->subject = strdup(path);
	if (!f->subject || aoms_finding_set_package(f, package) < 0 ||
	    aoms_finding_set_locus(f, rel && strcmp(rel, path) != 0 ? rel : NULL) < 0)
		return -ENOMEM;
	return 0;
}

static int rd_evidence(struct rd *rd, struct json_object *o, const char *where,
		       struct aoms_finding *f)
{
	struct json_object *e;
	char path[256];
	int r = rd_member(rd, o, where, "evidence", json_type_object, false, &e, path);

	if (r < 0)
		return r;
	json_object_object_foreach(e, k, v) {
		char p[256];
		const char *s;

		rd_pathf(p, sizeof(p), "%s.%s", path, k);
		if (json_object_is_type(v, json_type_string)) {
			r = rd_check_str(rd, v, p, &s);
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

				rd_pathf(pi, sizeof(pi), "%s[%zu]", p, i);
				if (!json_object_is_type(x, json_type_string))
					return rd_fail(rd, -EBADMSG, pi, "expected a string");
				r = rd_check_str(rd, x, pi, &vals[i]);
			}
			if (r >= 0)
				r = aoms_finding_add_evidence_list(f, k, vals, n);
		} else {
			r = rd_fail(rd, -EBADMSG, p, "expected a string or an array, found %s",
				    rd_type_name(json_object_get_type(v)));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int rd_mark_identity(struct rd *rd, const char *s, const char *path, void *ud)
{
	struct aoms_finding *f = ud;

	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].key, s) == 0) {
			if (f->evidence[i].is_list)
				return rd_fail(rd, -EBADMSG, path, "evidence '%s' is a list", s);
			f->evidence[i].identity = true;
			return 0;
		}
	return rd_fail(rd, -EBADMSG, path, "no evidence field '%s'", s);
}

static int rd_action(struct rd *rd, struct json_object *a, const char *path,
		     struct aoms_finding *f)
{
	struct json_object *args;
	const char *kind;
	enum aoms_action_kind k;
	char p[256];
	int r = rd_str(rd, a, path, "kind", &kind);

	if (r >= 0)
		r = rd_member(rd, a, path, "args", json_type_object, false, &args, p);
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
		r = rd_str(rd, args, p, key, &pairs[2 * i + 1]);
		if (r < 0)
			return r;
		pairs[2 * i++] = key;
	}
	r = aoms_finding_add_actionv(f, k, pairs, n, false);
	if (r == -EINVAL)
		return rd_fail(rd, -EBADMSG, p, "lacks an argument '%s' needs", kind);
	return r;
}

static int rd_actions(struct rd *rd, struct json_object *o, const char *where,
		      struct aoms_finding *f)
{
	struct json_object *a;
	char path[256];
	int r = rd_member(rd, o, where, "actions", json_type_array, true, &a, path);

	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		struct json_object *x = json_object_array_get_idx(a, i);
		char p[300];

		rd_pathf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_object_is_type(x, json_type_object))
			return rd_fail(rd, -EBADMSG, p, "expected an object");
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

static int rd_remedy(struct rd *rd, struct json_object *m, const char *p, struct aoms_finding *f)
{
	struct json_object *ctx;
	const char *type, *hint;
	enum aoms_remedy_kind kind;
	char pc[256];
	int j, r = rd_str(rd, m, p, "type", &type);

	if (r < 0)
		return r;
	if (aoms_remedy_kind_from_name(type, &kind) < 0)
		return rd_fail(rd, -EBADMSG, p, "unknown remediation type '%s'", type);
	if (kind == AOMS_REMEDY_HINT) {
		r = rd_str(rd, m, p, "context", &hint);
		return r < 0 ? r : aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s", hint);
	}
	r = rd_member(rd, m, p, "context", json_type_array, false, &ctx, pc);
	if (r >= 0)
		r = rd_command_action(f, ctx, &j);
	if (r < 0)
		return r;
	if (j < 0)
		return rd_fail(rd, -EBADMSG, pc, "command matches no action of the entry");
	return aoms_finding_add_command(f, (size_t)j);
}

static int rd_detail(struct rd *rd, struct json_object *o, const char *where,
		     struct aoms_finding *f)
{
	struct json_object *d, *a;
	char path[256], pr[256];
	int r = rd_member(rd, o, where, "detail", json_type_object, false, &d, path);

	if (r >= 0)
		r = rd_member(rd, d, path, "remediations", json_type_array, false, &a, pr);
	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		struct json_object *m = json_object_array_get_idx(a, i);
		char p[300];

		rd_pathf(p, sizeof(p), "%s[%zu]", pr, i);
		if (!json_object_is_type(m, json_type_object))
			return rd_fail(rd, -EBADMSG, p, "expected an object");
		r = rd_remedy(rd, m, p, f);
	}
	if (r >= 0)
		r = rd_member(rd, d, path, "related_resources", json_type_array, false, &a, pr);
	if (r >= 0 && json_object_array_length(a) != (f->package ? 2u : 1u))
		return rd_fail(rd, -EBADMSG, pr, "disagrees with the subject");
	return r;
}

static int rd_entry(struct rd *rd, struct json_object *o, const char *where)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	struct json_object *v;
	const char *rule, *title, *summary;
	char path[256];
	int r;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, -EBADMSG, where, "expected an object, found %s",
			       rd_type_name(json_object_get_type(o)));
	r = rd_str(rd, o, where, "rule", &rule);
	if (r < 0)
		return r;
	if (aoms_finding_new(rule, AOMS_SEV_INFO, AOMS_DIM_APPLICATIONS, "", &f) < 0)
		return -ENOMEM;
	if ((r = rd_key(rd, o, where, f)) < 0 ||
	    (r = rd_str(rd, o, where, "title", &title)) < 0 ||
	    (r = rd_str(rd, o, where, "summary", &summary)) < 0 ||
	    (r = rd_name(rd, o, where, "severity", "severity", rd_parse_severity, &f->severity)) < 0 ||
	    (r = rd_member(rd, o, where, "inhibitor", json_type_boolean, false, &v, path)) < 0)
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
	    (r = rd_detail(rd, o, where, f)) < 0)
		return r;
	r = rd_member(rd, o, where, "identity", json_type_array, true, &v, path);
	if (r == 0)
		r = rd_str_array(rd, v, path, rd_mark_identity, f);
	if (r < 0 && r != -ENOENT)
		return r;
	/* The writer puts the rule for a missing title, "" for a missing summary. */
	if ((strcmp(title, rule) != 0 && aoms_finding_set_title(f, "%s", title) < 0) ||
	    (*summary && aoms_finding_set_summary(f, "%s", summary) < 0))
		return -ENOMEM;
	return aoms_report_add_keyed(rd->r, TAKE_PTR(f));
}

static int rd_error(struct rd *rd, struct json_object *o, const char *where)
{
	struct json_object *v;
	const char *subject, *message, *name;
	char path[256];
	int64_t err;
	int r;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, -EBADMSG, where, "expected an object");
	if ((r = rd_str(rd, o, where, "subject", &subject)) < 0 ||
	    (r = rd_member(rd, o, where, "errno", json_type_int, false, &v, path)) < 0)
		return r;
	err = json_object_get_int64(v);
	if (err < 0 || err > 4095)
		return rd_fail(rd, -EBADMSG, path, "%" PRId64 " is not an errno value", err);
	if ((r = rd_str0(rd, o, where, "error", &name)) < 0 ||
	    (r = rd_str(rd, o, where, "message", &message)) < 0)
		return r;
	return aoms_report_add_error(rd->r, subject, (int)err, "%s", message);
}

static int rd_list(struct rd *rd, struct json_object *doc, const char *name,
		   int (*fn)(struct rd *, struct json_object *, const char *))
{
	struct json_object *a;
	char path[256];
	int r = rd_member(rd, doc, "", name, json_type_array, false, &a, path);

	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		char p[64];

		rd_pathf(p, sizeof(p), "%s[%zu]", name, i);
		r = fn(rd, json_object_array_get_idx(a, i), p);
	}
	return r;
}

/* The threshold: as written (schema 1.1), else the first that explains exit_status. */
static int rd_fail_on(struct rd *rd, struct json_object *s, int exit_status)
{
	static const enum aoms_fail_on guess[] = { AOMS_FAIL_LOW, AOMS_FAIL_INFO, AOMS_FAIL_MEDIUM,
						   AOMS_FAIL_HIGH, AOMS_FAIL_INHIBITOR,
						   AOMS_FAIL_NEVER };
	struct json_object *v;
	enum aoms_fail_on fo;
	char path[256];
	int r = rd_member(rd, s, "summary", "fail_on", json_type_string, true, &v, path);

	if (r == 0) {
		if (aoms_fail_on_from_name(json_object_get_string(v), &fo) < 0)
			return rd_fail(rd, -EBADMSG, path, "unknown threshold '%s'",
				       json_object_get_string(v));
		aoms_report_set_fail_on(rd->r, fo);
		if (aoms_report_exit_status(rd->r, fo) != exit_status)
			return rd_fail(rd, -EBADMSG, "summary.exit_status",
				       "%d disagrees with the entries and fail_on (%d)", exit_status,
				       aoms_report_exit_status(rd->r, fo));
		return 0;
	}
	if (r != -ENOENT)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(guess); i++)
		if (aoms_report_exit_status(rd->r, guess[i]) == exit_status) {
			aoms_report_set_fail_on(rd->r, guess[i]);
			return 0;
		}
	return rd_fail(rd, -EBADMSG, "summary.exit_status", "%d disagrees with the entries",
		       exit_status);
}

static int rd_summary(struct rd *rd, struct json_object *doc)
{
	struct json_object *s, *o, *v;
	struct aoms_report_counts c;
	char path[256];
	int r = rd_member(rd, doc, "", "summary", json_type_object, false, &s, path);

	if (r < 0)
		return r;
	aoms_report_count(rd->r, &c);
	if ((r = rd_count(rd, s, "summary", "findings", c.findings)) < 0 ||
	    (r = rd_count(rd, s, "summary", "inhibitors", c.inhibitors)) < 0 ||
	    (r = rd_count(rd, s, "summary", "errors", c.errors)) < 0 ||
	    (r = rd_member(rd, s, "summary", "by_severity", json_type_object, false, &o, path)) < 0)
		return r;
	for (int i = AOMS_SEV_HIGH; i >= AOMS_SEV_INFO && r >= 0; i--)
		r = rd_count(rd, o, path, aoms_severity_name(i), c.by_severity[i]);
	if (r >= 0)
		r = rd_member(rd, s, "summary", "by_dimension", json_type_object, false, &o, path);
	for (int i = AOMS_DIM_HARDWARE; i <= AOMS_DIM_CONFIGURATION && r >= 0; i++)
		r = rd_count(rd, o, path, aoms_dimension_name(i), c.by_dimension[i]);
	if (r >= 0)
		r = rd_member(rd, s, "summary", "exit_status", json_type_int, false, &v, path);
	return r < 0 ? r : rd_fail_on(rd, s, json_object_get_int(v));
}

static int rd_document(struct rd *rd, struct json_object *doc)
{
	int r;

	if (!json_object_is_type(doc, json_type_object))
		return rd_fail(rd, -EBADMSG, "document", "expected an object, found %s",
			       rd_type_name(json_object_get_type(doc)));
	if ((r = rd_schema(rd, doc)) < 0 || (r = rd_tool(rd, doc)) < 0 ||
	    (r = rd_run(rd, doc)) < 0 || (r = rd_inputs(rd, doc)) < 0 ||
	    (r = rd_list(rd, doc, "entries", rd_entry)) < 0 ||
	    (r = rd_list(rd, doc, "errors", rd_error)) < 0)
		return r;
	return rd_summary(rd, doc);
}

/* All of in, NUL-terminated, in *ret (length *ret_len). */
static int rd_slurp(FILE *in, char **ret, size_t *ret_len)
{
	_cleanup_(freep) char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		size_t n;

		if (cap - len < 65536) {
			char *nb;

			if (cap > AOMS_REPORT_READ_MAX)
				return -EFBIG;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, in);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(in))
		return -EIO;
	if (len > AOMS_REPORT_READ_MAX)
		return -EFBIG;
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

static int rd_parse(struct rd *rd, const char *buf, size_t len, struct json_object **ret)
{
	struct json_tokener *tok = json_tokener_new_ex(READ_DEPTH);
	struct json_object *doc;
	enum json_tokener_error jerr;
	size_t end;

	if (!tok)
		return -ENOMEM;
	doc = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = (size_t)tok->char_offset;
	json_tokener_free(tok);
	if (jerr == json_tokener_continue || (!doc && jerr == json_tokener_success))
		return rd_fail(rd, -EBADMSG, "document", "truncated");
	if (jerr != json_tokener_success)
		return rd_fail(rd, -EBADMSG, "document", "not JSON at byte %zu: %s", end,
			       json_tokener_error_desc(jerr));
	if (end < len && buf[end + strspn(buf + end, " \t\r\n")] != '\0') {
		json_object_put(doc);
		return rd_fail(rd, -EBADMSG, "document", "trailing data at byte %zu", end);
	}
	*ret = doc;
	return 0;
}

int aoms_report_read(FILE *in, struct aoms_report **ret, char **ret_error)
{
	_cleanup_(freep) char *buf = NULL;
	_cleanup_(json_object_putp) struct json_object *doc = NULL;
	struct rd rd = { 0 };
	size_t len = 0;
	int r;

	r = rd_slurp(in, &buf, &len);
	if (r == -EFBIG)
		r = rd_fail(&rd, r, "document", "larger than %zu bytes", AOMS_REPORT_READ_MAX);
	if (r >= 0)
		r = rd_parse(&rd, buf, len, &doc);
	if (r >= 0)
		r = aoms_report_new(&rd.r);
	if (r >= 0)
		r = rd_document(&rd, doc);
	if (r < 0) {
		aoms_report_free(rd.r);
		if (ret_error && !rd.error && r != -ENOMEM)
			rd.error = strdup(strerror(-r));
		if (ret_error)
			*ret_error = TAKE_PTR(rd.error);
		free(rd.error);
		return r;
	}
	free(rd.error);
	*ret = rd.r;
	return 0;
}

int aoms_report_read_file(const char *path, struct aoms_report **ret, char **ret_error)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	int r;

	if (!in)
		return -errno;
	r = aoms_report_read(in, ret, ret_error);
	if (in != stdin)
		fclose(in);
	return r;
}
