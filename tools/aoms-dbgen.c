/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * aoms-dbgen OUT.db TABLE.tsv... — the build step that turns the shipped fact
 * tables (abi-db/data/) into the embedded default database. One transaction, then
 * VACUUM, so the same tables in the same order give the same bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "abidb.h"

static int dbgen_import(struct aoms_abidb *db, const char *path)
{
	_cleanup_(fclosep) FILE *f = fopen(path, "re");
	unsigned line = 0;
	int r;

	if (!f) {
		fprintf(stderr, "aoms-dbgen: cannot open '%s': %s\n", path, strerror(errno));
		return -errno;
	}
	r = aoms_abidb_import(db, f, path, &line);
	if (r < 0) {
		fprintf(stderr, "aoms-dbgen: cannot import '%s' line %u: %s\n", path, line,
			r == -EINVAL || r == -EIO ? aoms_abidb_errmsg(db) : strerror(-r));
		return r;
	}
	return 0;
}

static int dbgen(const char *out, char **tables, int n)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	int r;

	unlink(out);   /* make's target, rebuilt whole */
	r = aoms_abidb_create(out, &db);
	if (r < 0) {
		fprintf(stderr, "aoms-dbgen: cannot create '%s': %s\n", out, strerror(-r));
		return r;
	}
	r = aoms_abidb_begin(db);
	for (int i = 0; r >= 0 && i < n; i++) {
		r = dbgen_import(db, tables[i]);
		if (r < 0)
			return r; /* reported */
	}
	if (r >= 0)
		r = aoms_abidb_mark_built(db);   /* last, in the facts' transaction */
	if (r >= 0)
		r = aoms_abidb_commit(db);
	if (r >= 0)
		r = aoms_abidb_compact(db);
	if (r < 0)
		fprintf(stderr, "aoms-dbgen: cannot write '%s': %s\n", out, aoms_abidb_errmsg(db));
	return r;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: aoms-dbgen OUT.db TABLE.tsv...\n");
		return 2;
	}
	if (dbgen(argv[1], argv + 2, argc - 2) < 0) {
		unlink(argv[1]); /* no half-built database for make to take as done */
		return 1;
	}
	return 0;
}
