/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the leapp, sarif, junit and html renderers share (render.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <json-c/printbuf.h>
#include "json-string.h"
#include "render.h"

DEFINE_FREE_FUNC(struct json_object, json_object_put)


int aoms_render_json_add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

struct json_object *aoms_render_json_meta(const struct aoms_report *r)
{
	_cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < aoms_report_n_meta(r); i++) {
		const char *k = NULL, *v = NULL;

		aoms_report_meta_at(r, i, &k, &v);
		if (aoms_render_json_add(o, k, aoms_render_json_str(v)) < 0)
			return NULL;
	}
	return TAKE_PTR(o);
}

int aoms_render_json_push(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

struct json_object *aoms_render_json_str(const char *s)
{
	return aoms_json_string(s ? s : "");
}

static int render_empty_array(struct json_object *o, struct printbuf *pb, int level, int flags)
{
	return printbuf_memappend(pb, "[]", 2);
}

static int render_empty_object(struct json_object *o, struct printbuf *pb, int level, int flags)
{
	return printbuf_memappend(pb, "{}", 2);
}

/* json-c prints an empty container over two lines, differently across versions. */
void aoms_render_json_compact_empty(struct json_object *o)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);

		if (n == 0)
			json_object_set_serializer(o, render_empty_array, NULL, NULL);
		for (size_t i = 0; i < n; i++)
			aoms_render_json_compact_empty(json_object_array_get_idx(o, i));
	} else if (json_object_is_type(o, json_type_object)) {
		if (json_object_object_length(o) == 0)
			json_object_set_serializer(o, render_empty_object, NULL, NULL);
		json_object_object_foreach(o, key, val) {
			(void)key;
			aoms_render_json_compact_empty(val);
		}
	}
}

int aoms_render_json_put(FILE *out, struct json_object *val, int indent, const char *sep,
			 int flags)
{
	const char *s;

	if (!val)
		return -ENOMEM;
	aoms_render_json_compact_empty(val);
	s = json_object_to_json_string_ext(val, flags);
	for (const char *nl; s && (nl = strchr(s, '\n')); s = nl + 1)
		fprintf(out, "%.*s\n%*s", (int)(nl - s), s, indent, "");
	if (s) {
		fputs(s, out);
		fputs(sep, out);
	}
	json_object_put(val);
	return s ? 0 : -ENOMEM;
}

int aoms_render_json_print(FILE *out, struct json_object *o)
{
	const char *s;

	if (!o)
		return -ENOMEM;
	aoms_render_json_compact_empty(o);
	s = json_object_to_json_string_ext(o, AOMS_JSON_FLAGS);
	if (s)
		fprintf(out, "%s\n", s);
	json_object_put(o);
	return s ? 0 : -ENOMEM;
}

void aoms_render_xml_text(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = aoms_utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fwrite(p, 1, n, out); break;
		}
		p += n;
	}
}

void aoms_render_time(long long t, bool fraction, char buf[40])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) ||
	    strftime(buf, 40, fraction ? "%Y-%m-%dT%H:%M:%S.000000Z" : "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, 40, "%s", fraction ? "1970-01-01T00:00:00.000000Z" : "1970-01-01T00:00:00");
}

const char *aoms_render_actor(const char *rule, char *buf, size_t size)
{
	size_t n = strcspn(rule, ".");

	snprintf(buf, size, "aoms_%.*s_scanner", (int)n, rule);
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = '_';
	return buf;
}

bool aoms_render_verdict_bad(const char *verdict)
{
	return verdict && strcmp(verdict, AOMS_VERDICT_COMPATIBLE) != 0 &&
	       strcmp(verdict, AOMS_VERDICT_LOADS_AS_IS) != 0 &&
	       strcmp(verdict, AOMS_VERDICT_REPLACED) != 0 &&
	       strcmp(verdict, AOMS_VERDICT_OTHER_PLATFORM) != 0;
}
