/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Lookups for scans. find_library builds a struct aoms_libabi once per
 * (soname, arch) and caches it, misses included: a scan of a large tree asks for
 * libc.so.6 thousands of times from several threads. Entries never change once
 * inserted and live until aoms_abidb_free(), so callers keep plain pointers.
 */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"
#include "hash.h"

static uint64_t abidb_cache_hash(const char *soname, const char *arch)
{
	uint64_t h = aoms_fnv64(AOMS_FNV64_INIT, soname, strlen(soname) + 1);

	return aoms_hash_mix(aoms_fnv64(h, arch, strlen(arch)));
}

static struct abidb_cache_entry *abidb_cache_get(struct aoms_abidb *db, uint64_t h,
						  const char *soname, const char *arch)
{
	if (!db->cache_cap)
		return NULL;
	for (size_t j = h & (db->cache_cap - 1); db->cache[j]; j = (j + 1) & (db->cache_cap - 1)) {
		struct abidb_cache_entry *e = db->cache[j];

		if (e->hash == h && strcmp(e->soname, soname) == 0 && strcmp(e->arch, arch) == 0)
			return e;
	}
	return NULL;
}

static void abidb_cache_place(struct abidb_cache_entry **slots, size_t cap,
			      struct abidb_cache_entry *e)
{
	size_t j;

	for (j = e->hash & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
		;
	slots[j] = e;
}

static int abidb_cache_grow(struct aoms_abidb *db)
{
	size_t cap = db->cache_cap ? db->cache_cap * 2 : 64;
	struct abidb_cache_entry **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < db->cache_cap; i++)
		if (db->cache[i])
			abidb_cache_place(slots, cap, db->cache[i]);
	free(db->cache);
	db->cache = slots;
	db->cache_cap = cap;
	return 0;
}

static void abidb_cache_entry_free(struct abidb_cache_entry *e)
{
	if (!e)
		return;
	free(e->soname);
	free(e->arch);
	aoms_libabi_free(e->lib);
	free(e);
}
DEFINE_FREE_FUNC(struct abidb_cache_entry, abidb_cache_entry_free)

/* Takes lib (NULL for a miss) whatever happens. */
static int abidb_cache_put(struct aoms_abidb *db, uint64_t h, const char *soname,
			   const char *arch, struct aoms_libabi *lib)
{
	_cleanup_(abidb_cache_entry_freep) struct abidb_cache_entry *e = calloc(1, sizeof(*e));
	int r;

	if (!e) {
		aoms_libabi_free(lib);
		return -ENOMEM;
	}
	e->lib = lib;
	e->hash = h;
	e->soname = strdup(soname);
	e->arch = strdup(arch);
	if (!e->soname || !e->arch)
		return -ENOMEM;
	if ((db->cache_len + 1) * 4 > db->cache_cap * 3) {
		r = abidb_cache_grow(db);
		if (r < 0)
			return r;
	}
	abidb_cache_place(db->cache, db->cache_cap, TAKE_PTR(e));
	db->cache_len++;
	return 0;
}

void aoms_abidb_cache_release(struct aoms_abidb *db)
{
	for (size_t i = 0; i < db->cache_cap; i++)
		abidb_cache_entry_free(db->cache[i]);
	free(db->cache);
	db->cache = NULL;
	db->cache_cap = db->cache_len = 0;
}

static void abidb_libabi_freep(struct aoms_libabi **p)
{
	aoms_libabi_free(*p);
}

/* Runs a (soname, arch) statement, calling fn(lib, row) per row. Returns the
 * number of rows or a negative errno. */
static int abidb_lib_rows(struct aoms_abidb *db, enum abidb_stmt_id id, struct aoms_libabi *lib,
			  int (*fn)(struct aoms_libabi *lib, sqlite3_stmt *row))
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc, n = 0;

	st = aoms_abidb_stmt(db, id, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, lib->soname, false);
	aoms_abidb_bind_text(st, 2, lib->arch, false);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = fn(lib, st);
		if (r < 0)
			return r;
		n++;
	}
	return rc == SQLITE_DONE ? n : aoms_abidb_fail(db, rc);
}

static const char *abidb_col(sqlite3_stmt *row, int col)
{
	return (const char *)sqlite3_column_text(row, col);
}

/* path, package, symbols_known, installed. Rows come by path: the first with a
 * path names the library; the package is the first one given. The statement
 * keeps installed rows only when there is one. */
static int abidb_row_library(struct aoms_libabi *lib, sqlite3_stmt *row)
{
	int r = 0;

	if (!lib->path && abidb_col(row, 0))
		r = aoms_libabi_set_path(lib, abidb_col(row, 0));
	if (r >= 0 && !lib->package && abidb_col(row, 1))
		r = aoms_libabi_set_package(lib, abidb_col(row, 1));
	if (sqlite3_column_int(row, 2))
		lib->symbols_known = true;
	lib->available_only = !sqlite3_column_int(row, 3);
	return r;
}

static int abidb_row_verdef(struct aoms_libabi *lib, sqlite3_stmt *row)
{
	return aoms_libabi_add_verdef(lib, abidb_col(row, 0));
}

static int abidb_row_needed(struct aoms_libabi *lib, sqlite3_stmt *row)
{
	return aoms_libabi_add_needed(lib, abidb_col(row, 0));
}

static int abidb_row_symbol(struct aoms_libabi *lib, sqlite3_stmt *row)
{
	return aoms_libabi_add_symbol(lib, abidb_col(row, 0), abidb_col(row, 1));
}

/* 0 and *ret, NULL when the database has no row for soname and arch. */
static int abidb_build_libabi(struct aoms_abidb *db, const char *soname, const char *arch,
			      struct aoms_libabi **ret)
{
	_cleanup_(abidb_libabi_freep) struct aoms_libabi *lib = NULL;
	int r;

	r = aoms_libabi_new(soname, arch, &lib);
	if (r < 0)
		return r;
	r = abidb_lib_rows(db, ABIDB_ST_LIB_ROWS, lib, abidb_row_library);
	if (r <= 0) {
		*ret = NULL;
		return r;
	}
	r = abidb_lib_rows(db, ABIDB_ST_LIB_VERDEFS, lib, abidb_row_verdef);
	if (r >= 0)
		r = abidb_lib_rows(db, ABIDB_ST_LIB_NEEDED, lib, abidb_row_needed);
	if (r >= 0)
		r = abidb_lib_rows(db, ABIDB_ST_LIB_SYMBOLS, lib, abidb_row_symbol);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(lib);
	return 0;
}

/* The library from the first layer (db down) that has it: a later layer's rows
 * hide an earlier's (layers.c). db->lock held; the lower layers' are taken here. */
static int abidb_build_layered(struct aoms_abidb *db, const char *soname, const char *arch,
			       struct aoms_libabi **ret)
{
	int r = abidb_build_libabi(db, soname, arch, ret);

	for (struct aoms_abidb *l = db->below; r >= 0 && !*ret && l; l = l->below) {
		r = ABIDB_LOCKED(l, abidb_build_libabi(l, soname, arch, ret));
		if (r < 0)
			aoms_abidb_set_error(db, "%s: %s", aoms_abidb_label(l), aoms_abidb_errmsg(l));
	}
	return r;
}

static int abidb_find_locked(struct aoms_abidb *db, const char *soname, const char *arch,
			     const struct aoms_libabi **ret)
{
	uint64_t h = abidb_cache_hash(soname, arch);
	struct abidb_cache_entry *e = abidb_cache_get(db, h, soname, arch);
	struct aoms_libabi *lib;
	int r;

	if (!e) {
		r = abidb_build_layered(db, soname, arch, &lib);
		if (r < 0)
			return r; /* not cached: the next call retries */
		r = abidb_cache_put(db, h, soname, arch, lib);
		if (r < 0)
			return r;
	} else {
		lib = e->lib;
	}
	if (!lib)
		return -ENOENT;
	*ret = lib;
	return 0;
}

int aoms_abidb_find_library(struct aoms_abidb *db, const char *soname, const char *arch,
			    const struct aoms_libabi **ret)
{
	if (!soname || !arch)
		return -EINVAL;
	return ABIDB_LOCKED(db, abidb_find_locked(db, soname, arch, ret));
}

/* The first layer (db down) with the interpreter answers (layers.c). */
int aoms_abidb_has_interpreter(struct aoms_abidb *db, const char *path, const char *arch)
{
	struct abidb_rows rows = { 0 };
	int r;

	if (!path || !arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_HAS_INTERPRETER, 1, &rows, "TT", path, arch);
	if (r >= 0)
		r = rows.n > 0;
	aoms_abidb_rows_release(&rows);
	return r;
}
