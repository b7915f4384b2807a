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
#include "read-json.h"
#include "render.h"
#include "report-read.h"
#include "strbuf.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

#define READ_DEPTH 64

static int rd_count(struct aoms_rd *rd, struct json_object *obj, const char *where,
		    const char *name, size_t want)
{
	struct json_object *v;
	char path[AOMS_RD_PATH_MAX];
	int64_t n;
	int r = aoms_rd_member(rd, obj, where, name, json_type_int, false, &v, path);

	if (r < 0)
		return r;
	n = json_object_get_int64(v);
	if (n < 0 || (uint64_t)n != want)
		return aoms_rd_fail(rd, -EBADMSG, path, "%" PRId64 " disagrees with the entries (%zu)",
				    n, want);
	return 0;
}

static int rd_schema(struct aoms_rd *rd, struct json_object *doc)
{
	const char *v;
	unsigned major, minor;
	int n = 0, r = aoms_rd_str(rd, doc, "", "schema_version", &v);

	if (r < 0)
		return r;
	if (sscanf(v, "%u.%u%n", &major, &minor, &n) != 2 || v[n] || v[0] < '0' || v[0] > '9')
		return aoms_rd_fail(rd, -EBADMSG, "schema_version", "'%s' is not MAJOR.MINOR", v);
	if (major != AOMS_JSON_SCHEMA_MAJOR)
		return aoms_rd_fail(rd, -EPROTONOSUPPORT, "schema_version",
				    "version %s is not supported (this aoms reads %d.x)", v,
				    AOMS_JSON_SCHEMA_MAJOR);
	return 0;
}

static int rd_tool(struct aoms_rd *rd, struct json_object *doc)
{
	struct json_object *o;
	const char *name, *version;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, doc, "", "tool", json_type_object, false, &o, path);

	if (r >= 0)
		r = aoms_rd_str(rd, o, "tool", "name", &name);
	if (r >= 0 && strcmp(name, "aoms") != 0)
		return aoms_rd_fail(rd, -EBADMSG, "tool.name", "'%s' is not aoms", name);
	if (r >= 0)
		r = aoms_rd_str(rd, o, "tool", "version", &version);
	if (r >= 0)
		r = aoms_report_set_tool_version(rd->r, version);
	return r;
}

static int rd_run(struct aoms_rd *rd, struct json_object *doc)
{
	struct json_object *o;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, doc, "", "run", json_type_object, false, &o, path);

	if (r < 0)
		return r;
	json_object_object_foreach(o, k, v) {
		const char *s;

		if (r < 0)
			break;
		r = aoms_rd_str(rd, o, "run", k, &s);
		if (r >= 0)
			r = aoms_report_set_meta(rd->r, k, s);
		(void)v;
	}
	return r;
}

/* Inputs are written sorted without duplicates; anything else was edited. */
static int rd_add_input(struct aoms_rd *rd, const char *s, const char *path, void *ud)
{
	size_t n = aoms_report_n_inputs(rd->r);

	if (n > 0 && strcmp(aoms_report_input(rd->r, n - 1), s) >= 0)
		return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is out of order or repeated", s);
	return aoms_report_add_input(rd->r, s);
}

static int rd_inputs(struct aoms_rd *rd, struct json_object *doc)
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, doc, "", "inputs", json_type_array, false, &a, path);

	return r < 0 ? r : aoms_rd_str_array(rd, a, "inputs", rd_add_input, NULL);
}

static int rd_error(struct aoms_rd *rd, struct json_object *o, const char *where)
{
	struct json_object *v;
	const char *subject, *message, *name;
	char path[AOMS_RD_PATH_MAX];
	int64_t err;
	int r;

	if (!json_object_is_type(o, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, where, "expected an object");
	if ((r = aoms_rd_str(rd, o, where, "subject", &subject)) < 0 ||
	    (r = aoms_rd_member(rd, o, where, "errno", json_type_int, false, &v, path)) < 0)
		return r;
	err = json_object_get_int64(v);
	if (err < 0 || err > 4095)
		return aoms_rd_fail(rd, -EBADMSG, path, "%" PRId64 " is not an errno value", err);
	if ((r = aoms_rd_str0(rd, o, where, "error", &name)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "message", &message)) < 0)
		return r;
	return aoms_report_add_error(rd->r, subject, (int)err, "%s", message);
}

/* The array member name of doc, each element to fn; an optional one may be absent. */
static int rd_list(struct aoms_rd *rd, struct json_object *doc, const char *name, bool optional,
		   int (*fn)(struct aoms_rd *, struct json_object *, const char *))
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, doc, "", name, json_type_array, optional, &a, path);

	if (r == -ENOENT)
		return 0;
	for (size_t i = 0; r >= 0 && i < json_object_array_length(a); i++) {
		char p[64];

		aoms_rd_path_index(p, sizeof(p), name, i);
		r = fn(rd, json_object_array_get_idx(a, i), p);
	}
	return r;
}

/* The threshold: as written (schema 1.1), else the first that explains exit_status. */
static int rd_fail_on(struct aoms_rd *rd, struct json_object *s, int exit_status)
{
	static const enum aoms_fail_on guess[] = { AOMS_FAIL_LOW, AOMS_FAIL_INFO, AOMS_FAIL_MEDIUM,
						   AOMS_FAIL_HIGH, AOMS_FAIL_INHIBITOR,
						   AOMS_FAIL_NEVER };
	struct json_object *v;
	enum aoms_fail_on fo;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, s, "summary", "fail_on", json_type_string, true, &v, path);

	if (r == 0) {
		if (aoms_fail_on_from_name(json_object_get_string(v), &fo) < 0)
			return aoms_rd_fail(rd, -EBADMSG, path, "unknown threshold '%s'",
					    json_object_get_string(v));
		aoms_report_set_fail_on(rd->r, fo);
		if (aoms_report_exit_status(rd->r, fo) != exit_status)
			return aoms_rd_fail(rd, -EBADMSG, "summary.exit_status",
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
	return aoms_rd_fail(rd, -EBADMSG, "summary.exit_status", "%d disagrees with the entries",
			    exit_status);
}

/* A count member of obj: a non-negative integer. */
static int rd_size(struct aoms_rd *rd, struct json_object *obj, const char *where,
		   const char *name, size_t *ret)
{
	struct json_object *v;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, obj, where, name, json_type_int, false, &v, path);
	int64_t n;

	if (r < 0)
		return r;
	n = json_object_get_int64(v);
	if (n < 0)
		return aoms_rd_fail(rd, -EBADMSG, path, "negative count %lld", (long long)n);
	*ret = (size_t)n;
	return 0;
}

/* summary.files (written by scans since 1.1; optional): what the scan did with the
 * files it met. It cannot be derived from the entries, so it is kept as read, with
 * its own totals checked. */
static int rd_files(struct aoms_rd *rd, struct json_object *s)
{
	struct aoms_report_judged judged[64];
	struct aoms_report_files fs = { .judged = judged };
	struct json_object *o, *by;
	char path[AOMS_RD_PATH_MAX], bypath[AOMS_RD_PATH_MAX];
	size_t total = 0;
	int r = aoms_rd_member(rd, s, "summary", "files", json_type_object, true, &o, path);

	if (r == -ENOENT)
		return 0;
	if (r < 0 || (r = rd_size(rd, o, path, "seen", &fs.seen)) < 0 ||
	    (r = rd_size(rd, o, path, "judged", &total)) < 0 ||
	    (r = aoms_rd_member(rd, o, path, "by_scanner", json_type_object, false, &by, bypath)) < 0 ||
	    (r = rd_size(rd, o, path, "not_judged", &fs.not_judged)) < 0 ||
	    (r = rd_size(rd, o, path, "skipped", &fs.skipped)) < 0 ||
	    (r = rd_size(rd, o, path, "failed", &fs.failed)) < 0)
		return r;
	json_object_object_foreach(by, name, v) {
		if (fs.n_judged == ARRAY_SIZE(judged))
			return aoms_rd_fail(rd, -EBADMSG, bypath, "more than %zu scanners",
					    ARRAY_SIZE(judged));
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
			return aoms_rd_fail(rd, -EBADMSG, bypath, "'%s' is not a count", name);
		judged[fs.n_judged++] = (struct aoms_report_judged){ name,
								     (size_t)json_object_get_int64(v) };
	}
	if (aoms_report_files_judged(&fs) != total)
		return aoms_rd_fail(rd, -EBADMSG, path, "judged (%zu) is not the sum of by_scanner "
				    "(%zu)", total, aoms_report_files_judged(&fs));
	if (total + fs.not_judged + fs.skipped + fs.failed != fs.seen)
		return aoms_rd_fail(rd, -EBADMSG, path, "seen (%zu) is not judged + not_judged + "
				    "skipped + failed", fs.seen);
	return aoms_report_set_files(rd->r, &fs);
}

/* summary.allow_empty (1.2, with summary.files); absent, what exit_status says. */
static int rd_allow_empty(struct aoms_rd *rd, struct json_object *s, int exit_status)
{
	struct json_object *v;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, s, "summary", "allow_empty", json_type_boolean, true, &v, path);

	if (r == -ENOENT) {
		/* Before 1.2 there was no bit 16: a 1.1 scan that judged nothing allowed it. */
		const struct aoms_report_files *fs = aoms_report_files(rd->r);

		aoms_report_set_allow_empty(rd->r, fs && aoms_report_files_judged(fs) == 0 &&
							   !(exit_status & AOMS_EXIT_EMPTY));
		return 0;
	}
	if (r < 0)
		return r;
	aoms_report_set_allow_empty(rd->r, json_object_get_boolean(v));
	return 0;
}

static int rd_summary(struct aoms_rd *rd, struct json_object *doc)
{
	struct json_object *s, *o, *v;
	struct aoms_report_counts c;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, doc, "", "summary", json_type_object, false, &s, path);

	if (r < 0)
		return r;
	aoms_report_count(rd->r, &c);
	if ((r = rd_count(rd, s, "summary", "findings", c.findings)) < 0 ||
	    (r = rd_count(rd, s, "summary", "inhibitors", c.inhibitors)) < 0 ||
	    (r = rd_count(rd, s, "summary", "errors", c.errors)) < 0 ||
	    (r = aoms_rd_member(rd, s, "summary", "by_severity", json_type_object, false, &o, path)) < 0)
		return r;
	for (int i = AOMS_SEV_HIGH; i >= AOMS_SEV_INFO && r >= 0; i--)
		r = rd_count(rd, o, path, aoms_severity_name(i), c.by_severity[i]);
	if (r >= 0)
		r = aoms_rd_member(rd, s, "summary", "by_dimension", json_type_object, false, &o, path);
	for (int i = AOMS_DIM_HARDWARE; i <= AOMS_DIM_CONFIGURATION && r >= 0; i++)
		r = rd_count(rd, o, path, aoms_dimension_name(i), c.by_dimension[i]);
	if (r >= 0)
		r = aoms_rd_member(rd, s, "summary", "exit_status", json_type_int, false, &v, path);
	if (r >= 0)
		r = rd_files(rd, s);
	if (r >= 0)
		r = rd_allow_empty(rd, s, json_object_get_int(v));
	if (r >= 0)
		r = rd_fail_on(rd, s, json_object_get_int(v));
	return r;
}

static int rd_document(struct aoms_rd *rd, struct json_object *doc)
{
	int r;

	if (!json_object_is_type(doc, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, "document", "expected an object, found %s",
				    aoms_rd_type_name(json_object_get_type(doc)));
	if ((r = rd_schema(rd, doc)) < 0 || (r = rd_tool(rd, doc)) < 0 ||
	    (r = rd_run(rd, doc)) < 0 || (r = rd_inputs(rd, doc)) < 0 ||
	    (r = rd_list(rd, doc, "files", true, aoms_rd_file)) < 0 ||
	    (r = rd_list(rd, doc, "entries", false, aoms_rd_entry)) < 0 ||
	    (r = rd_list(rd, doc, "installed", true, aoms_rd_installed)) < 0 ||
	    (r = rd_list(rd, doc, "errors", false, rd_error)) < 0)
		return r;
	return rd_summary(rd, doc);
}

/* All of in, NUL-terminated, in *ret (length *ret_len). */
int aoms_rd_slurp(FILE *in, char **ret, size_t *ret_len)
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

int aoms_rd_parse(struct aoms_rd *rd, const char *buf, size_t len, struct json_object **ret)
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
		return aoms_rd_fail(rd, -EBADMSG, "document", "truncated");
	if (jerr != json_tokener_success)
		return aoms_rd_fail(rd, -EBADMSG, "document", "not JSON at byte %zu: %s", end,
				    json_tokener_error_desc(jerr));
	if (end < len && buf[end + strspn(buf + end, " \t\r\n")] != '\0') {
		json_object_put(doc);
		return aoms_rd_fail(rd, -EBADMSG, "document", "trailing data at byte %zu", end);
	}
	*ret = doc;
	return 0;
}

int aoms_report_read(FILE *in, struct aoms_report **ret, char **ret_error)
{
	_cleanup_(freep) char *buf = NULL;
	_cleanup_(json_object_putp) struct json_object *doc = NULL;
	struct aoms_rd rd = { 0 };
	size_t len = 0;
	int r;

	r = aoms_rd_slurp(in, &buf, &len);
	if (r == -EFBIG)
		r = aoms_rd_fail(&rd, r, "document", "larger than %zu bytes", AOMS_REPORT_READ_MAX);
	if (r >= 0)
		r = aoms_rd_parse(&rd, buf, len, &doc);
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
