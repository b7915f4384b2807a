/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Site package mappings (--mapping FILE) in Leapp's pes-events.json format. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assess.h"
#include "strbuf.h"

#define MAPPING_MAX_NAMES 256

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static int release(struct json_object *o, unsigned *major, unsigned *minor)
{
	struct json_object *ma, *mi;

	*major = *minor = 0;
	if (!o || json_object_is_type(o, json_type_null))
		return 0;
	ma = member(o, "major_version");
	mi = member(o, "minor_version");
	if (!ma || !mi || !json_object_is_type(ma, json_type_int) ||
	    !json_object_is_type(mi, json_type_int) || json_object_get_int(ma) < 0 ||
	    json_object_get_int(mi) < 0)
		return -EBADMSG;
	*major = (unsigned)json_object_get_int(ma);
	*minor = (unsigned)json_object_get_int(mi);
	return 0;
}

/* Names of a packageset; with_repo appends "@repository". Strings go to store. */
static int packages(struct json_object *set, bool with_repo, const char **names, size_t *n,
		    char **store, size_t *n_store)
{
	struct json_object *list = set ? member(set, "package") : NULL;

	*n = 0;
	if (!list || json_object_is_type(list, json_type_null))
		return 0;
	if (!json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) > MAPPING_MAX_NAMES)
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *p = json_object_array_get_idx(list, i);
		struct json_object *name = member(p, "name"), *repo = member(p, "repository");
		char *s;

		if (!name || !json_object_is_type(name, json_type_string))
			return -EBADMSG;
		s = with_repo && repo && json_object_is_type(repo, json_type_string) ?
			aoms_strdupf("%s@%s", json_object_get_string(name), json_object_get_string(repo)) :
			strdup(json_object_get_string(name));
		if (!s)
			return -ENOMEM;
		store[(*n_store)++] = s;
		names[(*n)++] = s;
	}
	return 0;
}

static int arches(struct json_object *a, struct aoms_strbuf *sb)
{
	if (!a || json_object_is_type(a, json_type_null))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		if (!json_object_is_type(s, json_type_string))
			return -EBADMSG;
		if ((i && aoms_strbuf_addc(sb, ',') < 0) ||
		    aoms_strbuf_adds(sb, json_object_get_string(s)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int read_event(struct aoms_pes *pes, struct json_object *ev)
{
	const char *in[MAPPING_MAX_NAMES], *out[MAPPING_MAX_NAMES];
	char *store[2 * MAPPING_MAX_NAMES];
	size_t n_store = 0;
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = { 0 };
	struct aoms_pes_event e = { .site = true, .in = in, .out = out };
	struct json_object *action = member(ev, "action"), *id = member(ev, "id");
	int r;

	if (!action || !json_object_is_type(action, json_type_int) ||
	    json_object_get_int(action) < 0 || json_object_get_int(action) >= _AOMS_PES_ACTION_MAX)
		return -EBADMSG;
	e.action = (enum aoms_pes_action)json_object_get_int(action);
	e.id = id && json_object_is_type(id, json_type_int) ? (unsigned)json_object_get_int(id) : 0;
	r = release(member(ev, "initial_release"), &e.from_major, &e.from_minor);
	if (r == 0)
		r = release(member(ev, "release"), &e.to_major, &e.to_minor);
	if (r == 0)
		r = packages(member(ev, "in_packageset"), false, in, &e.n_in, store, &n_store);
	if (r == 0)
		r = packages(member(ev, "out_packageset"), true, out, &e.n_out, store, &n_store);
	if (r == 0)
		r = arches(member(ev, "architectures"), &sb);
	if (r == 0 && e.n_in == 0)
		r = -EBADMSG;
	if (r == 0) {
		e.arches = sb.len ? aoms_strbuf_str(&sb) : "";
		r = aoms_pes_add(pes, &e);
	}
	for (size_t i = 0; i < n_store; i++)
		free(store[i]);
	return r == -EINVAL ? -EBADMSG : r;
}

int aoms_assess_mapping_read(struct aoms_pes *pes, const char *path, char **ret_error)
{
	struct json_object *doc = json_object_from_file(path), *list;
	size_t n;
	int r = 0;

	if (!doc) {
		*ret_error = aoms_strdupf("cannot read '%s' as JSON", path);
		return -EBADMSG;
	}
	list = member(doc, "packageinfo");
	if (!list || !json_object_is_type(list, json_type_array) ||
	    (n = json_object_array_length(list)) == 0) {
		*ret_error = aoms_strdupf("'%s': packageinfo missing or empty", path);
		json_object_put(doc);
		return -EBADMSG;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		r = read_event(pes, json_object_array_get_idx(list, i));
		if (r == -EBADMSG)
			*ret_error = aoms_strdupf("'%s': packageinfo[%zu]: malformed event", path, i);
	}
	json_object_put(doc);
	return r < 0 ? r : (int)n;
}
