/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * EL7 -> EL8 soname transitions. Rows for the exact soname win over pattern rows
 * ("libboost_*.so.1.53.0"); among patterns only the most specific applies, so that
 * libboost_system-mt.so.1.53.0 gets the "-mt" row, not the general one.
 */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"
#include "strbuf.h"

static int abidb_changes_locked(struct aoms_abidb *db, const char *old_soname,
				struct abidb_rows *rows)
{
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_SONAME_CHANGES, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, old_soname, false);
	return aoms_abidb_rows_collect(db, st, rows);
}

/* Rows come ordered exact first, then by pattern length: keep the first class. */
static bool abidb_same_class(const char *first, const char *old, const char *soname)
{
	bool first_exact = strcmp(first, soname) == 0;

	if (first_exact)
		return strcmp(old, soname) == 0;
	return strlen(old) == strlen(first);
}

/* new_soname with its '*' replaced by what the pattern's only '*' matched in
 * soname; NULL (with r 0) when there is nothing to replace. */
static int abidb_expand(const char *pattern, const char *soname, const char *new_soname,
			char **ret)
{
	const char *star = strchr(pattern, '*'), *nstar;
	size_t pre, post, len = strlen(soname);
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;

	*ret = NULL;
	if (!star || strchr(star + 1, '*') || !new_soname || !(nstar = strchr(new_soname, '*')))
		return 0;
	pre = (size_t)(star - pattern);
	post = strlen(star + 1);
	if (pre + post > len)
		return 0;
	if (aoms_strbuf_add(&sb, new_soname, (size_t)(nstar - new_soname)) < 0 ||
	    aoms_strbuf_add(&sb, soname + pre, len - pre - post) < 0 ||
	    aoms_strbuf_adds(&sb, nstar + 1) < 0) {
		aoms_strbuf_release(&sb);
		return -ENOMEM;
	}
	*ret = aoms_strbuf_detach(&sb);
	return *ret ? 0 : -ENOMEM;
}

int aoms_abidb_foreach_soname_change(struct aoms_abidb *db, const char *old_soname,
				     int (*fn)(const struct aoms_soname_change *c, void *ud),
				     void *ud)
{
	struct abidb_rows rows = { .ncols = 4 };
	int r;

	if (!old_soname)
		return -EINVAL;
	/* the first layer with a transition of old_soname (exact or pattern) answers */
	r = 0;
	for (struct aoms_abidb *l = db; l && r == 0 && rows.n == 0; l = l->below)
		r = ABIDB_LOCKED(l, abidb_changes_locked(l, old_soname, &rows));
	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		const char *old = abidb_cell(&rows, i, 0);
		_cleanup_(freep) char *expanded = NULL;
		struct aoms_soname_change c = {
			.old_soname = old_soname,
			.new_soname = abidb_cell(&rows, i, 1),
			.package = abidb_cell(&rows, i, 2),
			.note = abidb_cell(&rows, i, 3),
		};

		if (!abidb_same_class(abidb_cell(&rows, 0, 0), old, old_soname))
			break;
		r = abidb_expand(old, old_soname, c.new_soname, &expanded);
		if (r < 0)
			break;
		if (expanded)
			c.new_soname = expanded;
		r = fn(&c, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}
