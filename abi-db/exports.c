/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What libraries export, enumerated for people (aoms db query); scans use
 * aoms_abidb_find_library()'s hashed sets instead. */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"

/* soname arch name version is_default type */
static int exports_walk(struct abidb_rows *rows, int r,
			int (*fn)(const struct aoms_abidb_export *e, void *ud), void *ud)
{
	for (size_t i = 0; r == 0 && i < rows->n; i++) {
		struct aoms_abidb_export e = {
			.soname = abidb_cell(rows, i, 0),
			.arch = abidb_cell(rows, i, 1),
			.name = abidb_cell(rows, i, 2),
			.version = abidb_cell(rows, i, 3),
			.is_default = aoms_abidb_cell_int(rows, i, 4, 1) != 0,
			.type = abidb_cell(rows, i, 5),
		};

		r = fn(&e, ud);
	}
	aoms_abidb_rows_release(rows);
	return r;
}

int aoms_abidb_foreach_export(struct aoms_abidb *db, const char *soname, const char *arch,
			      int (*fn)(const struct aoms_abidb_export *e, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	int r;

	if (!soname || !arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_EXPORTS, 6, &rows, "TT", soname, arch);
	return exports_walk(&rows, r, fn, ud);
}

int aoms_abidb_foreach_exporter(struct aoms_abidb *db, const char *name, const char *version,
				const char *arch,
				int (*fn)(const struct aoms_abidb_export *e, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	int r;

	if (!name)
		return -EINVAL;
	/* version "" is a wanted value (unversioned), NULL any: 'T' keeps "" */
	r = aoms_abidb_query(db, ABIDB_ST_EXPORTERS, 6, &rows, "TTt", name, version, arch);
	return exports_walk(&rows, r, fn, ud);
}
