/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One element of a JSON report's top-level "files" back into a file summary
 * (read-json.h): verdict and lacks are kept as written, so that writing the report
 * again gives the same bytes whatever the findings would derive.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "read-json.h"

static int rd_file_lack(struct aoms_rd *rd, const char *s, const char *path, void *ud)
{
	struct aoms_file_summary *fs = ud;
	size_t n;
	char *const *have = aoms_file_summary_lacks(fs, &n);
	const char **v = malloc((n + 1) * sizeof(*v));
	int r;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(have[i], s) == 0) {
			free(v);
			return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is repeated", s);
		}
		v[i] = have[i];
	}
	v[n] = s;
	r = aoms_file_summary_set_lacks(fs, v, n + 1);
	free(v);
	return r;
}

static int rd_file_needs(struct aoms_rd *rd, struct json_object *o, const char *where,
			 struct aoms_file_summary *fs)
{
	struct json_object *needs;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, "needs", json_type_object, false, &needs, path);

	if (r < 0)
		return r;
	json_object_object_foreach(needs, key, v) {
		const char *version;

		(void)v;
		if ((r = aoms_rd_str(rd, needs, path, key, &version)) < 0)
			return r;
		if (!*key || !*version)
			return aoms_rd_fail(rd, -EBADMSG, path, "empty need '%s'", key);
		if ((r = aoms_file_summary_set_need(fs, key, version)) < 0)
			return r;
	}
	return 0;
}

static int rd_file_syscall(struct aoms_rd *rd, const char *s, const char *path, void *ud)
{
	struct aoms_file_summary *fs = ud;
	const char **v = malloc((fs->n_syscalls + 1) * sizeof(*v));
	size_t n = fs->n_syscalls;
	int r;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(fs->syscalls[i], s) >= 0) {
			free(v);
			return aoms_rd_fail(rd, -EBADMSG, path, "'%s' is out of order or repeated", s);
		}
		v[i] = fs->syscalls[i];
	}
	v[n] = s;
	r = aoms_file_summary_set_syscalls(fs, v, n + 1);
	free(v);
	return r;
}

/* "syscalls" is optional: only files whose code was looked at have it. */
static int rd_file_syscalls(struct aoms_rd *rd, struct json_object *o, const char *where,
			    struct aoms_file_summary *fs)
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	int r;

	r = aoms_rd_member(rd, o, where, "syscalls", json_type_array, true, &a, path);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (json_object_array_length(a) == 0)
		return aoms_rd_fail(rd, -EBADMSG, path, "empty syscalls");
	return aoms_rd_str_array(rd, a, path, rd_file_syscall, fs);
}

/* Summaries are written sorted by path, then scanner, without repeats. */
static int rd_file_order(struct aoms_rd *rd, const struct aoms_file_summary *fs,
			 const char *where)
{
	size_t n = aoms_report_n_file_summaries(rd->r);
	const struct aoms_file_summary *prev = n ? aoms_report_file_summary(rd->r, n - 1) : NULL;
	int c;

	if (!prev)
		return 0;
	c = strcmp(prev->path, fs->path);
	if (c > 0 || (c == 0 && strcmp(prev->scanner, fs->scanner) >= 0))
		return aoms_rd_fail(rd, -EBADMSG, where, "'%s' is out of order or repeated", fs->path);
	return 0;
}

int aoms_rd_file(struct aoms_rd *rd, struct json_object *o, const char *where)
{
	_cleanup_(aoms_file_summary_freep) struct aoms_file_summary *fs = NULL;
	const char *path, *scanner, *verdict;
	struct json_object *lacks;
	char lpath[AOMS_RD_PATH_MAX];
	int r;

	if (!json_object_is_type(o, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, where, "expected an object");
	if ((r = aoms_rd_str(rd, o, where, "path", &path)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "scanner", &scanner)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "verdict", &verdict)) < 0)
		return r;
	if (!*verdict)
		return aoms_rd_fail(rd, -EBADMSG, where, "empty verdict");
	if ((r = aoms_file_summary_new(path, scanner, &fs)) < 0 ||
	    (r = aoms_file_summary_set_verdict(fs, verdict)) < 0 ||
	    (r = aoms_file_summary_set_lacks(fs, NULL, 0)) < 0 ||
	    (r = rd_file_needs(rd, o, where, fs)) < 0 ||
	    (r = aoms_rd_member(rd, o, where, "lacks", json_type_array, false, &lacks, lpath)) < 0 ||
	    (r = aoms_rd_str_array(rd, lacks, lpath, rd_file_lack, fs)) < 0 ||
	    (r = rd_file_syscalls(rd, o, where, fs)) < 0 ||
	    (r = rd_file_order(rd, fs, where)) < 0)
		return r;
	return aoms_report_add_file_summary(rd->r, TAKE_PTR(fs));
}
