/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Site package mappings (--mapping FILE) in Leapp's pes-events.json format, module
 * streams included: a package's `modulestreams` list, a single `modulestream`, or
 * ELevate's `module_stream`, and an event's `modulestream_maps`, expanded into one
 * event per input stream by abi-db/pes.c. A malformed member is an error naming it.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "assess.h"
#include "strbuf.h"

#define MAPPING_MAX_NAMES 256
#define MAPPING_MAX_STREAMS 64
#define MAPPING_MAX_MAPS 256
/* A member's path within its event, for an error ("out_packageset.package[255]
 * .modulestreams[63]" and the like: fixed names, bounded indices). */
#define MAPPING_PATH_MAX 96

/* The member being read and what is wrong with it, for the one-line error. */
struct mctx {
	struct aoms_arena *arena;
	char *why;
};

static int bad(struct mctx *m, const char *fmt, ...) _printf_(2, 3);
static int bad(struct mctx *m, const char *fmt, ...)
{
	va_list ap;

	free(m->why);
	va_start(ap, fmt);
	if (vasprintf(&m->why, fmt, ap) < 0)
		m->why = NULL;
	va_end(ap);
	return m->why ? -EBADMSG : -ENOMEM;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool is_null(struct json_object *o)
{
	return !o || json_object_is_type(o, json_type_null);
}

static int release(struct mctx *m, struct json_object *o, const char *what, unsigned *major,
		   unsigned *minor)
{
	struct json_object *ma, *mi;

	*major = *minor = 0;
	if (is_null(o))
		return 0;
	ma = member(o, "major_version");
	mi = member(o, "minor_version");
	if (!ma || !mi || !json_object_is_type(ma, json_type_int) ||
	    !json_object_is_type(mi, json_type_int) || json_object_get_int(ma) < 0 ||
	    json_object_get_int(mi) < 0)
		return bad(m, "%s: major_version and minor_version must be numbers >= 0", what);
	*major = (unsigned)json_object_get_int(ma);
	*minor = (unsigned)json_object_get_int(mi);
	return 0;
}

/* A {name, stream} object (where: its member path) as "module:stream" in the arena;
 * null: *ret NULL (non-modular). */
static int stream(struct mctx *m, struct json_object *o, const char *where, const char **ret)
{
	static const char *const parts[] = { "name", "stream" };
	const char *v[2];

	*ret = NULL;
	if (is_null(o))
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(m, "%s: not an object {\"name\", \"stream\"} or null", where);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *s = member(o, parts[i]);

		if (!s || !json_object_is_type(s, json_type_string))
			return bad(m, "%s.%s: missing or not a string", where, parts[i]);
		v[i] = json_object_get_string(s);
		if (!aoms_pes_stream_part_valid(v[i]))
			return bad(m, "%s.%s: '%s' is not a module %s (empty, too long, or with "
				   "':', '@' or a space)", where, parts[i], v[i], parts[i]);
	}
	size_t len = strlen(v[0]) + 1 + strlen(v[1]) + 1;
	char *s = aoms_arena_alloc(m->arena, len);

	if (!s)
		return -ENOMEM;
	snprintf(s, len, "%s:%s", v[0], v[1]);
	*ret = s;
	return 0;
}

/* A package's module streams, in Leapp's order of precedence: a non-empty
 * `modulestreams` list, else `modulestream`, else ELevate's `module_stream`. */
static int pkg_streams(struct mctx *m, struct json_object *p, const char *where,
		       struct aoms_pes_pkg *k)
{
	struct json_object *list = member(p, "modulestreams"), *one;
	const char *key = "modulestream";
	/* room for `where` (under MAPPING_PATH_MAX) and the longest suffix */
	char at[MAPPING_PATH_MAX + sizeof(".modulestreams[18446744073709551615]")];
	const char **v;
	size_t n;
	int r;

	k->n_streams = 0;
	if (!is_null(list) && !json_object_is_type(list, json_type_array))
		return bad(m, "%s.modulestreams: not a list", where);
	if (!is_null(list) && (n = json_object_array_length(list)) > 0) {
		if (n > MAPPING_MAX_STREAMS)
			return bad(m, "%s.modulestreams: more than %d streams", where, MAPPING_MAX_STREAMS);
		if (!(v = aoms_arena_alloc(m->arena, n * sizeof(*v))))
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			snprintf(at, sizeof(at), "%s.modulestreams[%zu]", where, i);
			if ((r = stream(m, json_object_array_get_idx(list, i), at, &v[i])) < 0)
				return r;
		}
		k->streams = v;
		k->n_streams = n;
		return 0;
	}
	if (!(one = member(p, key)))
		one = member(p, key = "module_stream");
	if (is_null(one))
		return 0;
	if (!(v = aoms_arena_alloc(m->arena, sizeof(*v))))
		return -ENOMEM;
	snprintf(at, sizeof(at), "%s.%s", where, key);
	if ((r = stream(m, one, at, &v[0])) < 0)
		return r;
	k->streams = v;
	k->n_streams = 1;
	return 0;
}

/* The packages of packageset what ("in_packageset"). */
static int packages(struct mctx *m, struct json_object *set, const char *what,
		    struct aoms_pes_pkg *pkgs, size_t *n)
{
	struct json_object *list = is_null(set) ? NULL : member(set, "package");

	*n = 0;
	if (!is_null(set) && !json_object_is_type(set, json_type_object))
		return bad(m, "%s: not an object", what);
	if (is_null(list))
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return bad(m, "%s.package: not a list", what);
	if (json_object_array_length(list) > MAPPING_MAX_NAMES)
		return bad(m, "%s.package: more than %d packages", what, MAPPING_MAX_NAMES);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *p = json_object_array_get_idx(list, i);
		struct json_object *name = member(p, "name"), *repo = member(p, "repository");
		struct aoms_pes_pkg *k = &pkgs[(*n)++];
		char at[MAPPING_PATH_MAX];
		int r;

		snprintf(at, sizeof(at), "%s.package[%zu]", what, i);
		if (!name || !json_object_is_type(name, json_type_string) ||
		    !*json_object_get_string(name) || strpbrk(json_object_get_string(name), ":@ "))
			return bad(m, "%s.name: missing, or not a package name", at);
		*k = (struct aoms_pes_pkg){
			.name = json_object_get_string(name),
			.repo = repo && json_object_is_type(repo, json_type_string) ?
				json_object_get_string(repo) : NULL,
		};
		if ((r = pkg_streams(m, p, at, k)) < 0)
			return r;
	}
	return 0;
}

static int stream_maps(struct mctx *m, struct json_object *list,
		       struct aoms_pes_stream_map *maps, size_t *n)
{
	*n = 0;
	if (is_null(list))
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return bad(m, "modulestream_maps: not a list");
	if (json_object_array_length(list) > MAPPING_MAX_MAPS)
		return bad(m, "modulestream_maps: more than %d maps", MAPPING_MAX_MAPS);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		char in[MAPPING_PATH_MAX], out[MAPPING_PATH_MAX];
		int r;

		snprintf(in, sizeof(in), "modulestream_maps[%zu].in_modulestream", i);
		snprintf(out, sizeof(out), "modulestream_maps[%zu].out_modulestream", i);
		if (!json_object_is_type(e, json_type_object))
			return bad(m, "modulestream_maps[%zu]: not an object", i);
		if ((r = stream(m, member(e, "in_modulestream"), in, &maps[*n].in)) < 0 ||
		    (r = stream(m, member(e, "out_modulestream"), out, &maps[*n].out)) < 0)
			return r;
		(*n)++;
	}
	return 0;
}

static int arches(struct mctx *m, struct json_object *a, struct aoms_strbuf *sb)
{
	if (is_null(a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return bad(m, "architectures: not a list");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *s = json_object_array_get_idx(a, i);

		if (!json_object_is_type(s, json_type_string))
			return bad(m, "architectures[%zu]: not a string", i);
		if ((i && aoms_strbuf_addc(sb, ',') < 0) ||
		    aoms_strbuf_adds(sb, json_object_get_string(s)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int read_event(struct aoms_pes *pes, struct mctx *m, struct json_object *ev)
{
	struct aoms_pes_pkg in[MAPPING_MAX_NAMES], out[MAPPING_MAX_NAMES];
	struct aoms_pes_stream_map maps[MAPPING_MAX_MAPS];
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = { 0 };
	struct aoms_pes_event e = { .site = true };
	struct json_object *action = member(ev, "action"), *id = member(ev, "id");
	size_t n_in, n_out, n_maps;
	int r;

	if (!json_object_is_type(ev, json_type_object))
		return bad(m, ": not an object");
	if (!action || !json_object_is_type(action, json_type_int) ||
	    json_object_get_int(action) < 0 || json_object_get_int(action) >= _AOMS_PES_ACTION_MAX)
		return bad(m, "action: missing or not a number 0..7");
	e.action = (enum aoms_pes_action)json_object_get_int(action);
	e.id = id && json_object_is_type(id, json_type_int) ? (unsigned)json_object_get_int(id) : 0;
	if ((r = release(m, member(ev, "initial_release"), "initial_release", &e.from_major,
			 &e.from_minor)) < 0 ||
	    (r = release(m, member(ev, "release"), "release", &e.to_major, &e.to_minor)) < 0 ||
	    (r = packages(m, member(ev, "in_packageset"), "in_packageset", in, &n_in)) < 0 ||
	    (r = packages(m, member(ev, "out_packageset"), "out_packageset", out, &n_out)) < 0 ||
	    (r = stream_maps(m, member(ev, "modulestream_maps"), maps, &n_maps)) < 0 ||
	    (r = arches(m, member(ev, "architectures"), &sb)) < 0)
		return r;
	if (n_in == 0)
		return bad(m, "in_packageset: no package");
	e.arches = sb.len ? aoms_strbuf_str(&sb) : "";
	r = aoms_pes_add_expanded(pes, &e, in, n_in, out, n_out, maps, n_maps);
	return r == -EINVAL ? bad(m, ": not an event aoms can add") : r < 0 ? r : 0;
}

int aoms_assess_mapping_read(struct aoms_pes *pes, const char *path, char **ret_error)
{
	struct json_object *doc = json_object_from_file(path), *list;
	struct mctx m = { 0 };
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
	if (aoms_arena_new(&m.arena) < 0) {
		json_object_put(doc);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		r = read_event(pes, &m, json_object_array_get_idx(list, i));
		if (r == -EBADMSG)
			*ret_error = aoms_strdupf("'%s': packageinfo[%zu]%s%s", path, i,
						  m.why && *m.why == ':' ? "" : ".", m.why ? m.why : "");
	}
	free(m.why);
	aoms_arena_free(m.arena);
	json_object_put(doc);
	return r < 0 ? r : (int)n;
}
