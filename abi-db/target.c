/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The target as data (schema 2.1): kernel and glibc versions, the architectures
 * it runs and glibc's sonames, read once per db, and derived from the other facts
 * for a database a builder made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include "abidb-private.h"

static int abidb_probe(struct aoms_abidb *db, enum abidb_stmt_id id, const char *a,
		       const char *b)
{
	struct abidb_rows rows = { 0 };
	int r = aoms_abidb_query(db, id, 1, &rows, b ? "TT" : "T", a, b);

	if (r >= 0)
		r = rows.n > 0;
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_has_table(struct aoms_abidb *db, const char *table)
{
	return table ? abidb_probe(db, ABIDB_ST_HAS_TABLE, table, NULL) : -EINVAL;
}

int aoms_abidb_has_column(struct aoms_abidb *db, const char *table, const char *column)
{
	return table && column ? abidb_probe(db, ABIDB_ST_HAS_COLUMN, table, column) : -EINVAL;
}

void aoms_abidb_target_release(struct aoms_abidb *db)
{
	free(db->target_glibc);
	free(db->target_arches);
	for (size_t i = 0; i < db->n_glibc_sonames; i++)
		free(db->glibc_sonames[i]);
	free(db->glibc_sonames);
	db->target_glibc = db->target_arches = NULL;
	db->glibc_sonames = NULL;
	db->n_glibc_sonames = 0;
	db->target_kernel_known = false;
}

/* "4.18.0-477.el8.x86_64", "4.18" -> 4 << 16 | 18 << 8 | 0 (each part clamped
 * to 255 as the ABI tag's bytes are); false without "MAJOR.MINOR". */
static bool abidb_parse_kernel(const char *s, uint32_t *ret)
{
	unsigned long v[3] = { 0 };
	char *end = (char *)s;

	for (int i = 0; i < 3; i++) {
		if (!(*end >= '0' && *end <= '9'))
			return false;
		v[i] = strtoul(end, &end, 10);
		if (v[i] > 255)
			v[i] = 255;
		if (*end != '.' || i == 2)
			break;
		end++;
	}
	if (end == s || !strchr(s, '.'))
		return false;
	*ret = (uint32_t)(v[0] << 16 | v[1] << 8 | v[2]);
	return true;
}

/* Lock held. The glibc_soname rows, or for a database without that table (or
 * without rows) the libraries whose version nodes are all GLIBC_*; for a layer
 * without either (a site's own libraries), those of the layers below. */
static int abidb_glibc_rows(struct aoms_abidb *db, struct abidb_rows *rows)
{
	enum abidb_stmt_id id = ABIDB_ST_GLIBC_SONAMES_DERIVED;
	sqlite3_stmt *st;
	int r = 0;

	if (db->schema_minor >= 1)
		id = ABIDB_ST_GLIBC_SONAMES;
	for (;;) {
		st = aoms_abidb_stmt(db, id, &r);
		if (st)
			r = aoms_abidb_rows_collect(db, st, rows);
		if (r < 0 || rows->n > 0 || id == ABIDB_ST_GLIBC_SONAMES_DERIVED)
			break;
		id = ABIDB_ST_GLIBC_SONAMES_DERIVED;
	}
	if (r >= 0 && rows->n == 0 && db->below)
		r = ABIDB_LOCKED(db->below, abidb_glibc_rows(db->below, rows));
	return r;
}

static int abidb_load_glibc_sonames(struct aoms_abidb *db)
{
	struct abidb_rows rows = { .ncols = 1 };
	int r = abidb_glibc_rows(db, &rows);

	if (r >= 0) {
		db->glibc_sonames = TAKE_PTR(rows.cells);
		db->n_glibc_sonames = rows.n;
		rows.n = 0;
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

static int abidb_target_load_locked(struct aoms_abidb *db)
{
	_cleanup_(freep) char *kernel = NULL;
	int r;

	if (db->target_loaded)
		return 0;
	r = aoms_abidb_meta_layers_locked(db, "kernel_version", &kernel);
	if (r >= 0)
		r = aoms_abidb_meta_layers_locked(db, "glibc_version", &db->target_glibc);
	if (r >= 0)
		r = aoms_abidb_meta_layers_locked(db, "target_arches", &db->target_arches);
	if (r >= 0)
		r = abidb_load_glibc_sonames(db);
	if (r < 0) {
		aoms_abidb_target_release(db);
		return r;
	}
	db->target_kernel_known = kernel && abidb_parse_kernel(kernel, &db->target_kernel);
	__atomic_store_n(&db->target_loaded, true, __ATOMIC_RELEASE);
	return 0;
}

/* The facts are immutable once loaded: later readers need no lock. */
static int abidb_target_load(struct aoms_abidb *db)
{
	if (__atomic_load_n(&db->target_loaded, __ATOMIC_ACQUIRE))
		return 0;
	return ABIDB_LOCKED(db, abidb_target_load_locked(db));
}

int aoms_abidb_target_kernel(struct aoms_abidb *db, uint32_t *ret)
{
	int r = abidb_target_load(db);

	if (r < 0)
		return r;
	if (!db->target_kernel_known)
		return -ENOENT;
	*ret = db->target_kernel;
	return 0;
}

int aoms_abidb_target_glibc(struct aoms_abidb *db, const char **ret)
{
	int r = abidb_target_load(db);

	if (r < 0)
		return r;
	if (!db->target_glibc || !*db->target_glibc)
		return -ENOENT;
	*ret = db->target_glibc;
	return 0;
}

int aoms_abidb_runs_arch(struct aoms_abidb *db, const char *arch)
{
	int r;

	if (!arch)
		return -EINVAL;
	r = abidb_target_load(db);
	if (r < 0)
		return r;
	if (!db->target_arches)
		return -ENOENT;
	return *arch && aoms_abidb_word_in(db->target_arches, arch);
}

static int cmp_soname(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

int aoms_abidb_soname_is_glibc(struct aoms_abidb *db, const char *soname)
{
	int r = abidb_target_load(db);

	if (r < 0)
		return r;
	return soname && db->n_glibc_sonames && bsearch(soname, db->glibc_sonames, db->n_glibc_sonames,
				 sizeof(*db->glibc_sonames), cmp_soname) != NULL;
}

int aoms_abidb_glibc_sonames(struct aoms_abidb *db, const char *const **ret, size_t *ret_n)
{
	int r = abidb_target_load(db);

	if (r < 0)
		return r;
	*ret = (const char *const *)db->glibc_sonames;
	*ret_n = db->n_glibc_sonames;
	return 0;
}

int aoms_abidb_add_glibc_soname(struct aoms_abidb *db, int64_t source_id, const char *soname)
{
	if (!soname || !*soname)
		return -EINVAL;
	if (!db->writable)
		return -EROFS;
	return ABIDB_RUN(db, ABIDB_ST_ADD_GLIBC_SONAME, "Ti", soname, source_id);
}

/* Lock held. The highest "GLIBC_X.Y[.Z]" of libc.so.6 as "X.Y[.Z]", or NULL. */
static int abidb_derive_glibc(struct aoms_abidb *db, char **ret)
{
	struct abidb_rows rows = { .ncols = 1 };
	const char *best = NULL;
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_LIBC_GLIBC_VERSIONS, &r);
	if (st)
		r = aoms_abidb_rows_collect(db, st, &rows);
	for (size_t i = 0; r >= 0 && i < rows.n; i++) {
		const char *v = abidb_cell(&rows, i, 0) + strlen("GLIBC_");

		if (strspn(v, "0123456789.") == strlen(v) && (!best || strverscmp(v, best) > 0))
			best = v;
	}
	if (r >= 0 && best && !(*ret = strdup(best)))
		r = -ENOMEM;
	aoms_abidb_rows_release(&rows);
	return r;
}

/* Lock held. "X.Y.Z" of the newest kernel release, or NULL. */
static int abidb_derive_kernel(struct aoms_abidb *db, char **ret)
{
	struct abidb_rows rows = { .ncols = 1 };
	sqlite3_stmt *st;
	uint32_t k;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_NEWEST_KERNEL, &r);
	if (st)
		r = aoms_abidb_rows_collect(db, st, &rows);
	if (r >= 0 && rows.n > 0 && abidb_parse_kernel(abidb_cell(&rows, 0, 0), &k) &&
	    asprintf(ret, "%u.%u.%u", k >> 16, (k >> 8) & 0xff, k & 0xff) < 0) {
		*ret = NULL;
		r = -ENOMEM;
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

static int abidb_derive_locked(struct aoms_abidb *db)
{
	_cleanup_(freep) char *glibc = NULL, *kernel = NULL, *arches = NULL;
	sqlite3_stmt *st;
	int r;

	r = abidb_derive_glibc(db, &glibc);
	if (r >= 0)
		r = abidb_derive_kernel(db, &kernel);
	if (r >= 0)
		r = aoms_abidb_get_meta_locked(db, "arches", &arches);
	if (r >= 0 && glibc)
		r = aoms_abidb_run(db, ABIDB_ST_SET_META_UNSET, "TT", "glibc_version", glibc);
	if (r >= 0 && kernel)
		r = aoms_abidb_run(db, ABIDB_ST_SET_META_UNSET, "TT", "kernel_version", kernel);
	if (r >= 0 && arches && *arches)
		r = aoms_abidb_run(db, ABIDB_ST_SET_META_UNSET, "TT", "target_arches", arches);
	if (r < 0)
		return r;
	st = aoms_abidb_stmt(db, ABIDB_ST_DERIVE_GLIBC_SONAMES, &r);
	return st ? aoms_abidb_step_done(db, st) : r;
}

int aoms_abidb_derive_target(struct aoms_abidb *db)
{
	if (!db->writable)
		return -EROFS;
	return ABIDB_LOCKED(db, abidb_derive_locked(db));
}
