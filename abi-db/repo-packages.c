/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The packages the target's repositories have, by name (table repo_package, schema
 * 2.5): for a library no other table knows, the package whose name says it ships it
 * (abidb-packages.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "abidb-private.h"

int aoms_abidb_add_repo_package(struct aoms_abidb *db, int64_t source_id, const char *name,
				const char *repo)
{
	int r;

	if (!db || !name || !*name || !repo || !*repo)
		return -EINVAL;
	if ((r = aoms_abidb_has_table(db, "repo_package")) <= 0)
		return r < 0 ? r : -EOPNOTSUPP;
	return ABIDB_LOCKED(db, aoms_abidb_run(db, ABIDB_ST_ADD_REPO_PACKAGE, "TTi", name, repo,
					       source_id));
}

int aoms_abidb_repo_package(struct aoms_abidb *db, const char *name, char **ret_repo)
{
	struct abidb_rows rows = { 0 };
	char *repo = NULL;
	int r;

	if (!db || !name || !*name || !ret_repo)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_REPO_PACKAGE, 2, &rows, "T", name);
	if (r == 0 && !rows.n)
		r = -ENOENT;
	if (r == 0 && !(repo = strdup(abidb_cell(&rows, 0, 1))))
		r = -ENOMEM;
	aoms_abidb_rows_release(&rows);
	if (r == 0)
		*ret_repo = repo;
	return r;
}
