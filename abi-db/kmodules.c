/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The modules each kernel ships or builds in (table kernel_module, schema 2.4):
 * what tells "this driver is gone on the target" from "not known" (abidb-kernel.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "abidb-private.h"

#define KMODULE_NAME_MAX 256

/* "nf-conntrack" -> "nf_conntrack": the kernel's own module name normalization */
static int kmodule_norm(const char *name, char *buf)
{
	size_t n = strlen(name);

	if (!n || n >= KMODULE_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i <= n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	return 0;
}

/* Whether the table exists in the database written to: one older than 2.4 lacks it.
 * (Lookups go through aoms_abidb_query(), which skips the layers older than 2.4.) */
static int kmodule_has_table(struct aoms_abidb *db)
{
	return aoms_abidb_has_table(db, "kernel_module");
}

static int kmodule_add_locked(struct aoms_abidb *db, int64_t source_id, const char *release,
			      const char *arch, const char *name, const char *path, bool builtin)
{
	int64_t kid;
	int r = aoms_abidb_kernel_id_locked(db, source_id, release, arch, &kid);

	if (r < 0)
		return r;
	return aoms_abidb_run(db, ABIDB_ST_ADD_KMODULE, "iTtii", kid, name, path,
			      (int64_t)builtin, source_id);
}

int aoms_abidb_add_kernel_module(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *name, const char *path,
				 bool builtin)
{
	char norm[KMODULE_NAME_MAX];
	int r;

	if (!db || !release || !*release || !arch || !*arch || !name || kmodule_norm(name, norm) < 0)
		return -EINVAL;
	if ((r = kmodule_has_table(db)) <= 0)
		return r < 0 ? r : -EOPNOTSUPP;
	return ABIDB_LOCKED(db, kmodule_add_locked(db, source_id, release, arch, norm, path,
						   builtin));
}

int aoms_abidb_count_kernel_modules(struct aoms_abidb *db, const char *release, const char *arch)
{
	struct abidb_rows rows = { 0 };
	int64_t n;
	int r;

	if (!db || !release || !arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_KMODULE_COUNT, 1, &rows, "TT", release, arch);
	n = r == 0 && rows.n ? aoms_abidb_cell_int(&rows, 0, 0, 0) : 0;
	aoms_abidb_rows_release(&rows);
	return r < 0 ? r : n > INT32_MAX ? INT32_MAX : (int)n;
}

int aoms_abidb_has_kernel_module(struct aoms_abidb *db, const char *release, const char *arch,
				 const char *name, bool *ret_builtin)
{
	struct abidb_rows rows = { 0 };
	char norm[KMODULE_NAME_MAX];
	int r;

	if (!db || !release || !arch || !name || kmodule_norm(name, norm) < 0)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_KMODULE, 3, &rows, "TTT", release, arch, norm);
	if (r == 0 && rows.n && ret_builtin)
		*ret_builtin = aoms_abidb_cell_int(&rows, 0, 2, 0) != 0;
	if (r == 0)
		r = rows.n > 0;
	aoms_abidb_rows_release(&rows);
	return r;
}
