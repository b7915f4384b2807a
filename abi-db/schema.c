/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The schema (AOMS_ABIDB_SCHEMA_VERSION "1") and every statement run against it,
 * kept side by side so that a column change is made in one file.
 */
#include <errno.h>
#include "abidb-private.h"

/* 'AOMS' in the SQLite header: `file` and sqlite3 show whose database this is. */
#define ABIDB_APPLICATION_ID 0x414f4d53

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE source(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, provenance TEXT);"
	"CREATE TABLE library(id INTEGER PRIMARY KEY, soname TEXT NOT NULL, arch TEXT NOT NULL,"
	" path TEXT, package TEXT, symbols_known INTEGER NOT NULL DEFAULT 0,"
	" source_id INTEGER NOT NULL REFERENCES source(id));"
	"CREATE INDEX library_soname_arch ON library(soname, arch);"
	"CREATE TABLE verdef(lib_id INTEGER NOT NULL REFERENCES library(id),"
	" version TEXT NOT NULL, PRIMARY KEY(lib_id, version)) WITHOUT ROWID;"
	/* version '' = unversioned export; the primary key is the lib_id index */
	"CREATE TABLE symbol(lib_id INTEGER NOT NULL REFERENCES library(id), name TEXT NOT NULL,"
	" version TEXT NOT NULL DEFAULT '', is_default INTEGER NOT NULL DEFAULT 1, type TEXT,"
	" PRIMARY KEY(lib_id, name, version)) WITHOUT ROWID;"
	"CREATE INDEX symbol_name ON symbol(name);"
	"CREATE TABLE needed(lib_id INTEGER NOT NULL REFERENCES library(id),"
	" soname TEXT NOT NULL, PRIMARY KEY(lib_id, soname)) WITHOUT ROWID;"
	"CREATE TABLE interpreter(path TEXT NOT NULL, arch TEXT NOT NULL, package TEXT,"
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(path, arch)) WITHOUT ROWID;"
	/* new_soname NULL: removed in the target; old_soname may hold one '*' */
	"CREATE TABLE soname_change(id INTEGER PRIMARY KEY, old_soname TEXT NOT NULL,"
	" new_soname TEXT, package TEXT, note TEXT,"
	" source_id INTEGER NOT NULL REFERENCES source(id));"
	"CREATE INDEX soname_change_old ON soname_change(old_soname);";

static const char *const stmt_sql[_ABIDB_ST_MAX] = {
	[ABIDB_ST_GET_META] = "SELECT value FROM meta WHERE key = ?1",
	[ABIDB_ST_SET_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
	[ABIDB_ST_FIND_SOURCE] = "SELECT id, provenance IS NULL FROM source WHERE name = ?1",
	[ABIDB_ST_ADD_SOURCE] = "INSERT INTO source(name, provenance) VALUES (?1, ?2)",
	[ABIDB_ST_SET_PROVENANCE] = "UPDATE source SET provenance = ?2 WHERE id = ?1",
	[ABIDB_ST_ADD_LIBRARY] =
		"INSERT INTO library(soname, arch, path, package, symbols_known, source_id)"
		" VALUES (?1, ?2, ?3, ?4, 0, ?5)",
	[ABIDB_ST_FIND_IMPORT_LIBRARY] =
		"SELECT id, path FROM library WHERE soname = ?1 AND arch = ?2 AND source_id = ?3"
		" ORDER BY id",
	[ABIDB_ST_SET_LIBRARY_PATH] =
		"UPDATE library SET path = coalesce(?2, path), package = coalesce(?3, package)"
		" WHERE id = ?1",
	[ABIDB_ST_ADD_VERDEF] = "INSERT OR IGNORE INTO verdef(lib_id, version) VALUES (?1, ?2)",
	[ABIDB_ST_ADD_NEEDED] = "INSERT OR IGNORE INTO needed(lib_id, soname) VALUES (?1, ?2)",
	[ABIDB_ST_ADD_SYMBOL] =
		"INSERT OR IGNORE INTO symbol(lib_id, name, version, is_default, type)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ABIDB_ST_SET_SYMBOLS_KNOWN] = "UPDATE library SET symbols_known = 1 WHERE id = ?1",
	[ABIDB_ST_ADD_INTERPRETER] =
		"INSERT OR IGNORE INTO interpreter(path, arch, package, source_id)"
		" VALUES (?1, ?2, ?3, ?4)",
	[ABIDB_ST_ADD_SONAME_CHANGE] =
		"INSERT INTO soname_change(old_soname, new_soname, package, note, source_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	[ABIDB_ST_LIB_ROWS] =
		"SELECT path, package, symbols_known FROM library WHERE soname = ?1 AND arch = ?2"
		" ORDER BY path IS NULL, path, id",
	[ABIDB_ST_LIB_VERDEFS] =
		"SELECT DISTINCT v.version FROM library l JOIN verdef v ON v.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 ORDER BY v.version",
	[ABIDB_ST_LIB_NEEDED] =
		"SELECT DISTINCT n.soname FROM library l JOIN needed n ON n.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 ORDER BY n.soname",
	[ABIDB_ST_LIB_SYMBOLS] =
		"SELECT s.name, s.version FROM library l JOIN symbol s ON s.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2",
	[ABIDB_ST_HAS_INTERPRETER] = "SELECT 1 FROM interpreter WHERE path = ?1 AND arch = ?2",
	/* exact rows first, then the most specific pattern; lookup.c keeps one class */
	[ABIDB_ST_SONAME_CHANGES] =
		"SELECT old_soname, new_soname, package, note FROM soname_change"
		" WHERE old_soname = ?1 OR (instr(old_soname, '*') > 0 AND ?1 GLOB old_soname)"
		" ORDER BY old_soname = ?1 DESC, length(old_soname) DESC, id",
	[ABIDB_ST_HAS_ARCH_LIBRARY] = "SELECT 1 FROM library WHERE arch = ?1 LIMIT 1",
	[ABIDB_ST_ALL_META] = "SELECT key, value FROM meta ORDER BY key",
	[ABIDB_ST_ALL_SOURCES] = "SELECT name, provenance FROM source ORDER BY name",
	[ABIDB_ST_STATS] =
		"SELECT (SELECT count(*) FROM source),"
		" (SELECT count(*) FROM (SELECT DISTINCT soname, arch FROM library)),"
		" (SELECT count(*) FROM (SELECT DISTINCT soname, arch FROM library"
		"  WHERE symbols_known)),"
		" (SELECT count(*) FROM verdef), (SELECT count(*) FROM symbol),"
		" (SELECT count(*) FROM interpreter), (SELECT count(*) FROM soname_change)",
};

sqlite3_stmt *aoms_abidb_stmt(struct aoms_abidb *db, enum abidb_stmt_id id, int *ret_err)
{
	sqlite3_stmt *st = db->stmts[id];
	int rc;

	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	rc = sqlite3_prepare_v3(db->sql, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		*ret_err = aoms_abidb_fail(db, rc);
		return NULL;
	}
	db->stmts[id] = st;
	return st;
}

int aoms_abidb_create_schema(struct aoms_abidb *db)
{
	char pragma[64];
	int r;

	snprintf(pragma, sizeof(pragma), "PRAGMA application_id = %d;", ABIDB_APPLICATION_ID);
	r = aoms_abidb_exec(db, pragma);
	if (r < 0)
		return r;
	r = aoms_abidb_exec(db, "BEGIN");
	if (r < 0)
		return r;
	r = aoms_abidb_exec(db, schema_sql);
	if (r >= 0)
		r = aoms_abidb_exec(db, "INSERT INTO meta(key, value) VALUES ('schema_version', '"
					AOMS_ABIDB_SCHEMA_VERSION "')");
	if (r < 0) {
		aoms_abidb_exec(db, "ROLLBACK");
		return r;
	}
	return aoms_abidb_exec(db, "COMMIT");
}
