/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON reader's member access and messages (read-json.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read-json.h"
#include "render.h"
#include "strbuf.h"

/* Records "where: message" (the first problem only); returns err. */
int aoms_rd_fail(struct aoms_rd *rd, int err, const char *where, const char *fmt, ...)
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
void aoms_rd_pathf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

void aoms_rd_path_index(char *buf, size_t n, const char *path, size_t i)
{
	char digits[24], *d = digits + sizeof(digits);
	size_t len = strnlen(path, n), nd;

	*--d = '\0';
	do
		*--d = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	nd = (size_t)(digits + sizeof(digits) - 1 - d);
	if (n == 0)
		return;
	if (len + nd + 3 > n) {   /* too long for buf: the slow, cutting way */
		aoms_rd_pathf(buf, n, "%s[%s]", path, d);
		return;
	}
	memcpy(buf, path, len);
	buf[len] = '[';
	memcpy(buf + len + 1, d, nd);
	buf[len + 1 + nd] = ']';
	buf[len + 2 + nd] = '\0';
}

const char *aoms_rd_type_name(json_type t)
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
 * else an error. A child path "where.name" goes to path (AOMS_RD_PATH_MAX bytes). */
int aoms_rd_member(struct aoms_rd *rd, struct json_object *obj, const char *where, const char *name,
		   json_type want, bool optional, struct json_object **ret, char *path)
{
	struct json_object *v = NULL;

	aoms_rd_pathf(path, AOMS_RD_PATH_MAX, "%s%s%s", where, *where ? "." : "", name);
	if (!json_object_object_get_ex(obj, name, &v)) {
		if (optional)
			return -ENOENT;
		return aoms_rd_fail(rd, -EBADMSG, path, "missing");
	}
	if (!json_object_is_type(v, want))
		return aoms_rd_fail(rd, -EBADMSG, path, "expected %s, found %s", aoms_rd_type_name(want),
				    aoms_rd_type_name(json_object_get_type(v)));
	*ret = v;
	return 0;
}

/* A string the writer could have written: well-formed UTF-8, no NUL. */
int aoms_rd_check_str(struct aoms_rd *rd, struct json_object *v, const char *path, const char **ret)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);

	if (strlen(s) != len)
		return aoms_rd_fail(rd, -EBADMSG, path, "string holds a NUL character");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = aoms_utf8_len(p);

		if (!n)
			return aoms_rd_fail(rd, -EBADMSG, path, "string is not valid UTF-8");
		p += n;
	}
	*ret = s;
	return 0;
}

int aoms_rd_str(struct aoms_rd *rd, struct json_object *obj, const char *where, const char *name,
		const char **ret)
{
	struct json_object *v = NULL;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, obj, where, name, json_type_string, false, &v, path);

	return r < 0 ? r : aoms_rd_check_str(rd, v, path, ret);
}

/* A string or null (*ret NULL). */
int aoms_rd_str0(struct aoms_rd *rd, struct json_object *obj, const char *where, const char *name,
		 const char **ret)
{
	struct json_object *v = NULL;
	char path[AOMS_RD_PATH_MAX];

	aoms_rd_pathf(path, sizeof(path), "%s.%s", where, name);
	if (!json_object_object_get_ex(obj, name, &v))
		return aoms_rd_fail(rd, -EBADMSG, path, "missing");
	*ret = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return aoms_rd_fail(rd, -EBADMSG, path, "expected a string or null, found %s",
				    aoms_rd_type_name(json_object_get_type(v)));
	return aoms_rd_check_str(rd, v, path, ret);
}

/* Each element of an array of strings, to fn. */
int aoms_rd_str_array(struct aoms_rd *rd, struct json_object *a, const char *path,
		      int (*fn)(struct aoms_rd *rd, const char *s, const char *path, void *ud), void *ud)
{
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		char p[AOMS_RD_PATH_MAX];
		const char *s = NULL;
		int r;

		aoms_rd_path_index(p, sizeof(p), path, i);
		if (!json_object_is_type(v, json_type_string))
			return aoms_rd_fail(rd, -EBADMSG, p, "expected a string, found %s",
					    aoms_rd_type_name(json_object_get_type(v)));
		r = aoms_rd_check_str(rd, v, p, &s);
		if (r >= 0)
			r = fn(rd, s, p, ud);
		if (r < 0)
			return r;
	}
	return 0;
}
