/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The planner's waiver reader (planner.h; report/waivers.h may replace it at merge). */
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include "planner.h"
#include "strbuf.h"

/* YYYY-MM-DD with a real month and day */
static bool date_valid(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

static bool key_valid(const char *s)
{
	if (strlen(s) != 16)
		return false;
	for (int i = 0; i < 16; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int read_one(struct json_object *o, const char *today, struct aoms_plan_waiver *w)
{
	if (!json_object_is_type(o, json_type_object))
		return -EBADMSG;
	w->key = str_member(o, "key");
	w->reason = str_member(o, "reason");
	w->owner = str_member(o, "owner");
	w->expires = str_member(o, "expires");
	if (!w->key || !key_valid(w->key) || !w->reason || (w->expires && !date_valid(w->expires)))
		return -EBADMSG;
	w->expired = w->expires && strcmp(w->expires, today) < 0;
	return 0;
}

int aoms_plan_waivers_read(const char *path, const char *today, struct aoms_plan_waivers *ret,
			   char **ret_error)
{
	struct json_object *doc = json_object_from_file(path), *list = NULL;
	struct aoms_plan_waivers w = { 0 };
	size_t n;
	int r = 0;

	if (!doc || !json_object_object_get_ex(doc, "waivers", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		*ret_error = aoms_strdupf("waivers '%s': not {\"waivers\": [...]}", path);
		json_object_put(doc);
		return -EBADMSG;
	}
	n = json_object_array_length(list);
	if (!(w.v = calloc(n + 1, sizeof(*w.v))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		r = read_one(json_object_array_get_idx(list, i), today, &w.v[w.n++]);
		if (r == -EBADMSG)
			*ret_error = aoms_strdupf("waivers '%s': waivers[%zu]: needs a 16-hex-digit "
						  "key, a reason and an expires date YYYY-MM-DD",
						  path, i);
	}
	json_object_put(doc);
	if (r < 0) {
		aoms_plan_waivers_release(&w);
		return r;
	}
	*ret = w;
	return 0;
}

void aoms_plan_waivers_release(struct aoms_plan_waivers *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].key);
		free(w->v[i].reason);
		free(w->v[i].owner);
		free(w->v[i].expires);
	}
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

const struct aoms_plan_waiver *aoms_plan_waiver_find(const struct aoms_plan_waivers *w,
						      const char *key)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (strcmp(w->v[i].key, key) == 0)
			return &w->v[i];
	return NULL;
}
