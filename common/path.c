/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "path.h"
#include "strbuf.h"

char *aoms_path_join_normalize(const char *base, const char *rel)
{
	struct aoms_strbuf in = AOMS_STRBUF_INIT, out = AOMS_STRBUF_INIT;
	const char *p;
	bool absolute;

	if (rel[0] != '/' && base) {
		aoms_strbuf_adds(&in, base);
		aoms_strbuf_addc(&in, '/');
	}
	if (aoms_strbuf_adds(&in, rel) < 0)
		goto oom;
	p = aoms_strbuf_str(&in);
	absolute = p[0] == '/';
	if (absolute && aoms_strbuf_addc(&out, '/') < 0)
		goto oom;
	while (*p) {
		const char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = out.len ? strrchr(out.buf, '/') : NULL;

			if (slash && out.len > 1) {
				out.len = slash == out.buf ? 1 : (size_t)(slash - out.buf);
				out.buf[out.len] = '\0';
			} else if (!absolute) {
				/* a relative path keeps a leading ".." */
				if (out.len)
					aoms_strbuf_addc(&out, '/');
				aoms_strbuf_adds(&out, "..");
			}
		} else {
			if (out.len && out.buf[out.len - 1] != '/' && aoms_strbuf_addc(&out, '/') < 0)
				goto oom;
			if (aoms_strbuf_add(&out, p, len) < 0)
				goto oom;
		}
		p = *e ? e + 1 : e;
	}
	aoms_strbuf_release(&in);
	if (!out.len && aoms_strbuf_addc(&out, '.') < 0)
		goto oom;
	return aoms_strbuf_detach(&out);
oom:
	aoms_strbuf_release(&in);
	aoms_strbuf_release(&out);
	return NULL;
}

char *aoms_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int aoms_path_is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}
