/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "path.h"
#include "strbuf.h"

/* Component stack over the joined path: ".." pops a real component, piles up at the
 * start of a relative path, and stops at "/" of an absolute one. */
char *aoms_path_join_normalize(const char *base, const char *rel)
{
	struct aoms_strbuf in = AOMS_STRBUF_INIT, out = AOMS_STRBUF_INIT;
	size_t *starts = NULL, depth = 0, dotdots = 0;
	char *joined, *save = NULL, *ret = NULL;
	bool absolute;

	if (rel[0] != '/' && base) {
		aoms_strbuf_adds(&in, base);
		aoms_strbuf_addc(&in, '/');
	}
	if (aoms_strbuf_adds(&in, rel) < 0)
		goto out;
	joined = in.buf;
	absolute = joined[0] == '/';
	starts = calloc(in.len / 2 + 2, sizeof(*starts));
	if (!starts || (absolute && aoms_strbuf_addc(&out, '/') < 0))
		goto out;
	for (char *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0 && depth > dotdots) {
			out.len = starts[--depth];
			out.buf[out.len] = '\0';
			continue;
		}
		if (strcmp(c, "..") == 0 && absolute)
			continue;
		if (strcmp(c, "..") == 0)
			dotdots++;   /* only ever at the front: every other component was popped */
		starts[depth++] = out.len;
		if ((out.len && out.buf[out.len - 1] != '/' && aoms_strbuf_addc(&out, '/') < 0) ||
		    aoms_strbuf_adds(&out, c) < 0)
			goto out;
	}
	if (!out.len && aoms_strbuf_addc(&out, '.') < 0)
		goto out;
	ret = aoms_strbuf_detach(&out);
out:
	free(starts);
	aoms_strbuf_release(&in);
	aoms_strbuf_release(&out);
	return ret;
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
