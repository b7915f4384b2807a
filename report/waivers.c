/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a waivers file and marking a report's findings (waivers.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "read-json.h"
#include "report-read.h"
#include "strbuf.h"
#include "waivers.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)

static void waiver_release(struct aoms_waiver *w)
{
	free(w->key);
	free(w->reason);
	free(w->owner);
	free(w->expires);
}

void aoms_waivers_free(struct aoms_waivers *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		waiver_release(&w->items[i]);
	free(w->items);
	free(w);
}

bool aoms_waiver_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
		return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

void aoms_waiver_date(long long t, char buf[11])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		memset(&tm, 0, sizeof(tm));
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

bool aoms_waiver_expired(const struct aoms_waiver *w, const char *today)
{
	return w->expires && strcmp(w->expires, today) < 0;
}

static int waiver_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aoms_waiver *)a)->key, ((const struct aoms_waiver *)b)->key);
}

const struct aoms_waiver *aoms_waivers_find(const struct aoms_waivers *w, const char *key)
{
	struct aoms_waiver k = { .key = (char *)key };

	if (!w || !w->n)
		return NULL;
	return bsearch(&k, w->items, w->n, sizeof(*w->items), waiver_cmp);
}

/* An optional string member: -ENOENT when absent. */
static int waiver_str_opt(struct aoms_rd *rd, struct json_object *o, const char *where,
			  const char *name, char **ret)
{
	struct json_object *v;
	const char *s;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, name, json_type_string, true, &v, path);

	if (r < 0)
		return r;
	r = aoms_rd_check_str(rd, v, path, &s);
	if (r < 0)
		return r;
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

static int waiver_check_members(struct aoms_rd *rd, struct json_object *o, const char *where)
{
	static const char *const known[] = { "key", "reason", "owner", "expires" };

	json_object_object_foreach(o, name, v) {
		bool ok = false;

		(void)v;
		for (size_t i = 0; i < ARRAY_SIZE(known); i++)
			ok = ok || strcmp(name, known[i]) == 0;
		if (!ok)
			return aoms_rd_fail(rd, -EBADMSG, where, "unknown member '%s'", name);
	}
	return 0;
}

/* waivers[i] into *w (released by the caller also on failure). */
static int waiver_read_one(struct aoms_rd *rd, struct json_object *o, const char *where,
			   struct aoms_waiver *w)
{
	char path[AOMS_RD_PATH_MAX];
	int r;

	if (!json_object_is_type(o, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, where, "expected an object, found %s",
				    aoms_rd_type_name(json_object_get_type(o)));
	if ((r = waiver_check_members(rd, o, where)) < 0)
		return r;
	aoms_rd_pathf(path, sizeof(path), "%s.key", where);
	r = waiver_str_opt(rd, o, where, "key", &w->key);
	if (r == -ENOENT)
		return aoms_rd_fail(rd, -EBADMSG, path, "missing");
	if (r < 0)
		return r;
	if (strlen(w->key) != 16 || strspn(w->key, "0123456789abcdef") != 16)
		return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is not a finding key of report "
				    "schema 1.x (16 lowercase hex digits)", w->key);
	aoms_rd_pathf(path, sizeof(path), "%s.reason", where);
	r = waiver_str_opt(rd, o, where, "reason", &w->reason);
	if (r == -ENOENT)
		return aoms_rd_fail(rd, -EBADMSG, path, "missing");
	if (r == 0 && !*w->reason)
		return aoms_rd_fail(rd, -EBADMSG, path, "empty");
	if (r < 0)
		return r;
	if ((r = waiver_str_opt(rd, o, where, "owner", &w->owner)) < 0 && r != -ENOENT)
		return r;
	r = waiver_str_opt(rd, o, where, "expires", &w->expires);
	if (r < 0 && r != -ENOENT)
		return r;
	aoms_rd_pathf(path, sizeof(path), "%s.expires", where);
	if (w->expires && !aoms_waiver_date_valid(w->expires))
		return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is not a date (YYYY-MM-DD)",
				    w->expires);
	return 0;
}

static int waivers_document(struct aoms_rd *rd, struct json_object *doc, struct aoms_waivers *ws)
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	size_t n;
	int r;

	if (!json_object_is_type(doc, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, "document", "expected an object {\"waivers\": [...]}");
	r = aoms_rd_member(rd, doc, "", "waivers", json_type_array, false, &a, path);
	if (r < 0)
		return r;
	n = json_object_array_length(a);
	ws->items = calloc(n + 1, sizeof(*ws->items));
	if (!ws->items)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		aoms_rd_pathf(path, sizeof(path), "waivers[%zu]", i);
		ws->n++;
		r = waiver_read_one(rd, json_object_array_get_idx(a, i), path, &ws->items[i]);
		if (r < 0)
			return r;
	}
	qsort(ws->items, ws->n, sizeof(*ws->items), waiver_cmp);
	for (size_t i = 1; i < ws->n; i++)
		if (strcmp(ws->items[i - 1].key, ws->items[i].key) == 0)
			return aoms_rd_fail(rd, -EBADMSG, "waivers", "two waivers for key %s",
					    ws->items[i].key);
	return 0;
}

int aoms_waivers_read_stream(FILE *in, struct aoms_waivers **ret, char **ret_error)
{
	_cleanup_(freep) char *buf = NULL;
	_cleanup_(json_object_putp) struct json_object *doc = NULL;
	_cleanup_(aoms_waivers_freep) struct aoms_waivers *ws = calloc(1, sizeof(*ws));
	struct aoms_rd rd = { 0 };
	size_t len = 0;
	int r = ws ? aoms_rd_slurp(in, &buf, &len) : -ENOMEM;

	if (r == -EFBIG)
		r = aoms_rd_fail(&rd, r, "document", "larger than %zu bytes", AOMS_REPORT_READ_MAX);
	if (r >= 0)
		r = aoms_rd_parse(&rd, buf, len, &doc);
	if (r >= 0)
		r = waivers_document(&rd, doc, ws);
	if (r < 0) {
		if (ret_error && !rd.error && r != -ENOMEM)
			rd.error = strdup(strerror(-r));
		if (ret_error)
			*ret_error = TAKE_PTR(rd.error);
		free(rd.error);
		return r;
	}
	*ret = TAKE_PTR(ws);
	return 0;
}

int aoms_waivers_read(const char *path, struct aoms_waivers **ret, char **ret_error)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	int r;

	if (!in)
		return -errno;
	r = aoms_waivers_read_stream(in, ret, ret_error);
	if (in != stdin)
		fclose(in);
	return r;
}

int aoms_waivers_apply(struct aoms_report *r, const struct aoms_waivers *w, const char *today)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf expired = AOMS_STRBUF_INIT;
	int n = 0;

	for (size_t i = 0; w && i < w->n; i++)
		if (aoms_waiver_expired(&w->items[i], today) &&
		    aoms_strbuf_addf(&expired, "%s%s", expired.len ? ", " : "", w->items[i].key) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < aoms_report_n_findings(r); i++) {
		struct aoms_finding *f = aoms_report_finding_mut(r, i);
		const struct aoms_waiver *wv = aoms_waivers_find(w, f->key);

		if (!wv || aoms_waiver_expired(wv, today))
			continue;
		if (aoms_finding_set_waiver(f, wv->reason, wv->owner, wv->expires) < 0)
			return -ENOMEM;
		n++;
	}
	if (expired.len && aoms_report_set_meta(r, "waivers_expired", expired.buf) < 0)
		return -ENOMEM;
	return n;
}
