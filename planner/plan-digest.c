/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The digest of a plan's host entry (docs/plan-schema.md "digest"): sha256 of its
 * canonical JSON without the "digest" member -- object members sorted by key (byte
 * order of the UTF-8, which is code point order), no whitespace, strings escaped only
 * where JSON must (", \, control characters as \b \f \n \r \t or \u00xx), UTF-8
 * otherwise. That is Python's json.dumps(entry, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False), so a reader can check a plan without aoms. `aoms plan` writes
 * it, `aoms apply` refuses an entry whose digest does not match: an edited plan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "planner.h"
#include "rpm-digest.h"
#include "strbuf.h"

static void canon_string(struct aoms_strbuf *sb, const char *s, size_t len)
{
	aoms_strbuf_addc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': aoms_strbuf_adds(sb, "\\\""); break;
		case '\\': aoms_strbuf_adds(sb, "\\\\"); break;
		case '\b': aoms_strbuf_adds(sb, "\\b"); break;
		case '\f': aoms_strbuf_adds(sb, "\\f"); break;
		case '\n': aoms_strbuf_adds(sb, "\\n"); break;
		case '\r': aoms_strbuf_adds(sb, "\\r"); break;
		case '\t': aoms_strbuf_adds(sb, "\\t"); break;
		default:
			if (c < 0x20)
				aoms_strbuf_addf(sb, "\\u%04x", c);
			else
				aoms_strbuf_addc(sb, (char)c);
		}
	}
	aoms_strbuf_addc(sb, '"');
}

static int by_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int canon(struct aoms_strbuf *sb, struct json_object *o, const char *skip)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		aoms_strbuf_adds(sb, "null");
		return 0;
	case json_type_boolean:
		aoms_strbuf_adds(sb, json_object_get_boolean(o) ? "true" : "false");
		return 0;
	case json_type_int:
		aoms_strbuf_addf(sb, "%lld", (long long)json_object_get_int64(o));
		return 0;
	case json_type_double:
		/* a host entry has none; Python would print repr() */
		aoms_strbuf_addf(sb, "%.17g", json_object_get_double(o));
		return 0;
	case json_type_string:
		canon_string(sb, json_object_get_string(o), (size_t)json_object_get_string_len(o));
		return 0;
	case json_type_array:
		aoms_strbuf_addc(sb, '[');
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			int r;

			if (i)
				aoms_strbuf_addc(sb, ',');
			if ((r = canon(sb, json_object_array_get_idx(o, i), NULL)) < 0)
				return r;
		}
		aoms_strbuf_addc(sb, ']');
		return 0;
	case json_type_object: {
		size_t n = (size_t)json_object_object_length(o), k = 0;
		const char **keys = calloc(n + 1, sizeof(*keys));
		bool first = true;
		int r = 0;

		if (!keys)
			return -ENOMEM;
		json_object_object_foreach(o, key, val) {
			(void)val;
			if (!skip || strcmp(key, skip) != 0)
				keys[k++] = key;
		}
		qsort(keys, k, sizeof(*keys), by_key);
		aoms_strbuf_addc(sb, '{');
		for (size_t i = 0; r == 0 && i < k; i++) {
			if (!first)
				aoms_strbuf_addc(sb, ',');
			first = false;
			canon_string(sb, keys[i], strlen(keys[i]));
			aoms_strbuf_addc(sb, ':');
			r = canon(sb, json_object_object_get(o, keys[i]), NULL);
		}
		aoms_strbuf_addc(sb, '}');
		free(keys);
		return r;
	}
	}
	return -EINVAL;
}

int aoms_plan_host_digest(struct json_object *host, char ret[AOMS_PLAN_DIGEST_MAX])
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	char hex[65];
	int r = canon(&sb, host, "digest");

	if (r == 0 && !aoms_strbuf_str(&sb))
		r = -ENOMEM;
	if (r == 0)
		r = aoms_digest_hex(AOMS_DIGEST_SHA256, aoms_strbuf_str(&sb), sb.len, hex);
	aoms_strbuf_release(&sb);
	if (r == 0)
		snprintf(ret, AOMS_PLAN_DIGEST_MAX, "sha256:%s", hex);
	return r;
}
