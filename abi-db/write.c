/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The writers: transactions, meta, sources, libraries and their facts. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "abidb-private.h"

static int abidb_tx(struct aoms_abidb *db, const char *sql, bool in_tx_after)
{
	int r = aoms_abidb_exec(db, sql);

	if (r >= 0)
		db->in_tx = in_tx_after;
	return r;
}

int aoms_abidb_begin(struct aoms_abidb *db)
{
	if (db->in_tx)
		return -EBUSY;
	return ABIDB_LOCKED(db, abidb_tx(db, "BEGIN", true));
}

int aoms_abidb_commit(struct aoms_abidb *db)
{
	if (!db->in_tx)
		return -EINVAL;
	return ABIDB_LOCKED(db, abidb_tx(db, "COMMIT", false));
}

static int abidb_rollback_locked(struct aoms_abidb *db)
{
	abidb_tx(db, "ROLLBACK", false);
	db->in_tx = false;
	aoms_abidb_forget_ids(db);
	return 0;
}

int aoms_abidb_rollback(struct aoms_abidb *db)
{
	if (!db->in_tx)
		return 0;
	/* the transaction ends whatever ROLLBACK says */
	ABIDB_LOCKED(db, abidb_rollback_locked(db));
	return 0;
}

void aoms_abidb_forget_ids(struct aoms_abidb *db)
{
	/* the rows these ids name may have been rolled back */
	db->last_known_lib = 0;
	free(db->last_kernel);
	db->last_kernel = NULL;
	db->last_kernel_id = 0;
}

int aoms_abidb_mark_built(struct aoms_abidb *db)
{
	return aoms_abidb_set_meta(db, AOMS_ABIDB_META_BUILT, "1");
}

int aoms_abidb_compact(struct aoms_abidb *db)
{
	if (db->in_tx)
		return -EBUSY;
	return ABIDB_LOCKED(db, aoms_abidb_exec(db, "VACUUM"));
}

int aoms_abidb_bind_va(sqlite3_stmt *st, const char *spec, va_list ap)
{
	int rc = SQLITE_OK;

	for (int i = 0; spec[i] && rc == SQLITE_OK; i++) {
		int64_t v;

		switch (spec[i]) {
		case 'i':
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'n':
			v = va_arg(ap, int64_t);
			rc = v < 0 ? sqlite3_bind_null(st, i + 1) : sqlite3_bind_int64(st, i + 1, v);
			break;
		default:
			rc = aoms_abidb_bind_text(st, i + 1, va_arg(ap, const char *), spec[i] == 't');
		}
	}
	return rc;
}

int aoms_abidb_run(struct aoms_abidb *db, enum abidb_stmt_id id, const char *spec, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, id, &r);
	if (!st)
		return r;
	va_start(ap, spec);
	rc = aoms_abidb_bind_va(st, spec, ap);
	va_end(ap);
	if (rc != SQLITE_OK)
		return aoms_abidb_fail(db, rc);
	return aoms_abidb_step_done(db, st);
}

int aoms_abidb_set_meta(struct aoms_abidb *db, const char *key, const char *value)
{
	if (!key || !*key || !value)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_SET_META, "TT", key, value);
}

static int abidb_add_source_locked(struct aoms_abidb *db, const char *name,
				   const char *provenance, int64_t *ret_id)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, ABIDB_ST_FIND_SOURCE, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, name, false);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		bool no_provenance = sqlite3_column_int(st, 1);

		sqlite3_reset(st);
		if (no_provenance && provenance && *provenance)
			r = aoms_abidb_run(db, ABIDB_ST_SET_PROVENANCE, "it", id, provenance);
		if (r >= 0)
			*ret_id = id;
		return r;
	}
	if (rc != SQLITE_DONE)
		return aoms_abidb_fail(db, rc);
	r = aoms_abidb_run(db, ABIDB_ST_ADD_SOURCE, "Tt", name, provenance);
	if (r < 0)
		return r;
	*ret_id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int aoms_abidb_add_source(struct aoms_abidb *db, const char *name, const char *provenance,
			  int64_t *ret_id)
{
	if (!name || !*name)
		return -EINVAL;
	return ABIDB_LOCKED(db, abidb_add_source_locked(db, name, provenance, ret_id));
}

static int abidb_add_library_locked(struct aoms_abidb *db, int64_t source_id,
				    const char *soname, const char *arch, const char *path,
				    const char *package, int64_t *ret_lib_id)
{
	int r = aoms_abidb_run(db, ABIDB_ST_ADD_LIBRARY, "TTtti", soname, arch, path, package,
			  source_id);

	if (r >= 0 && ret_lib_id)
		*ret_lib_id = sqlite3_last_insert_rowid(db->sql);
	return r;
}

int aoms_abidb_add_library(struct aoms_abidb *db, int64_t source_id, const char *soname,
			   const char *arch, const char *path, const char *package,
			   int64_t *ret_lib_id)
{
	if (!soname || !*soname || !arch || !*arch)
		return -EINVAL;
	return ABIDB_LOCKED(db, abidb_add_library_locked(db, source_id, soname, arch, path,
							 package, ret_lib_id));
}

int aoms_abidb_add_verdef(struct aoms_abidb *db, int64_t lib_id, const char *version)
{
	if (!version || !*version)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_VERDEF, "iT", lib_id, version);
}

int aoms_abidb_add_needed(struct aoms_abidb *db, int64_t lib_id, const char *soname)
{
	if (!soname || !*soname)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_NEEDED, "iT", lib_id, soname);
}

static int abidb_mark_known(struct aoms_abidb *db, int64_t lib_id)
{
	int r;

	if (db->last_known_lib == lib_id)
		return 0;
	r = aoms_abidb_run(db, ABIDB_ST_SET_SYMBOLS_KNOWN, "i", lib_id);
	if (r >= 0)
		db->last_known_lib = lib_id;
	return r;
}

static int abidb_add_symbol_locked(struct aoms_abidb *db, int64_t lib_id, const char *name,
				   const char *version, bool is_default, const char *type)
{
	int r = aoms_abidb_run(db, ABIDB_ST_ADD_SYMBOL, "iTTit", lib_id, name, version ? version : "",
			  (int64_t)is_default, type);

	return r < 0 ? r : abidb_mark_known(db, lib_id);
}

int aoms_abidb_add_symbol(struct aoms_abidb *db, int64_t lib_id, const char *name,
			  const char *version, bool is_default, const char *type)
{
	if (!name || !*name)
		return -EINVAL;
	return ABIDB_LOCKED(db, abidb_add_symbol_locked(db, lib_id, name, version, is_default,
							type));
}

int aoms_abidb_set_symbols_known(struct aoms_abidb *db, int64_t lib_id)
{
	return ABIDB_LOCKED(db, abidb_mark_known(db, lib_id));
}

int aoms_abidb_set_library_installed(struct aoms_abidb *db, int64_t lib_id, bool installed)
{
	return ABIDB_RUN(db, ABIDB_ST_SET_LIBRARY_INSTALLED, "ii", lib_id, (int64_t)installed);
}

int aoms_abidb_add_interpreter(struct aoms_abidb *db, int64_t source_id, const char *path,
			       const char *arch, const char *package)
{
	if (!path || !*path || !arch || !*arch)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_INTERPRETER, "TTti", path, arch, package, source_id);
}

int aoms_abidb_add_soname_change(struct aoms_abidb *db, int64_t source_id,
				 const char *old_soname, const char *new_soname,
				 const char *package, const char *note)
{
	if (!old_soname || !*old_soname)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_SONAME_CHANGE, "Tttti", old_soname, new_soname,
			 package, note, source_id);
}
