/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening, creating and freeing databases, and the small SQLite helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config.h"
#include "abidb-private.h"
#include "strbuf.h"

/* Defined by abi-db/embedded.S in the aoms binary and the tests; absent in aoms-dbgen. */
extern const unsigned char aoms_default_db_start[] __attribute__((weak));
extern const unsigned char aoms_default_db_end[] __attribute__((weak));

int aoms_abidb_sqlerr(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
		return -EINVAL;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_FULL:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

void aoms_abidb_set_error(struct aoms_abidb *db, const char *fmt, ...)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (aoms_strbuf_vaddf(&sb, fmt, ap) >= 0) {
		free(db->errmsg);
		db->errmsg = aoms_strbuf_detach(&sb);
	}
	va_end(ap);
	aoms_strbuf_release(&sb);
}

int aoms_abidb_fail(struct aoms_abidb *db, int rc)
{
	int e = db->sql ? sqlite3_system_errno(db->sql) : 0;

	aoms_abidb_set_error(db, "%s", sqlite3_errstr(rc));
	if (db->sql && sqlite3_errcode(db->sql) == rc)
		aoms_abidb_set_error(db, "%s", sqlite3_errmsg(db->sql));
	/* a failed write or read: the system's errno (ENOSPC, EIO, EDQUOT), not EIO */
	if (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL) && e > 0) {
		aoms_abidb_set_error(db, "%s", strerror(e));
		return -e;
	}
	return aoms_abidb_sqlerr(rc);
}

int aoms_abidb_exec(struct aoms_abidb *db, const char *sql)
{
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : aoms_abidb_fail(db, rc);
}

int aoms_abidb_bind_text(sqlite3_stmt *st, int idx, const char *s, bool empty_is_null)
{
	if (!s || (empty_is_null && !*s))
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

int aoms_abidb_step_done(struct aoms_abidb *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : aoms_abidb_fail(db, rc);
}

const char *aoms_abidb_errmsg(struct aoms_abidb *db)
{
	return db->errmsg ? db->errmsg : "no error";
}

static int abidb_new(struct aoms_abidb **ret)
{
	struct aoms_abidb *db = calloc(1, sizeof(*db));

	if (!db)
		return -ENOMEM;
	pthread_mutex_init(&db->lock, NULL);
	*ret = db;
	return 0;
}

void aoms_abidb_free(struct aoms_abidb *db)
{
	if (!db)
		return;
	aoms_abidb_free(db->below);
	free(db->label);
	for (size_t i = 0; i < _ABIDB_ST_MAX; i++)
		sqlite3_finalize(db->stmts[i]);
	sqlite3_close_v2(db->sql); /* rolls back an open transaction */
	aoms_abidb_cache_release(db);
	aoms_abidb_forget_ids(db);
	aoms_abidb_target_release(db);
	free(db->image); /* after the close: the memvfs reads it */
	pthread_mutex_destroy(&db->lock);
	free(db->errmsg);
	free(db);
}

/* A failed sqlite3_open_v2(): the system's errno when there is one (EACCES...). */
static int abidb_open_err(struct aoms_abidb *db, int rc)
{
	int e = db->sql ? sqlite3_system_errno(db->sql) : 0;

	if (rc == SQLITE_NOMEM)
		return -ENOMEM;
	return e > 0 ? -e : -EIO;
}

#define ABIDB_REBUILD "rebuild it with 'aoms db build' or 'aoms db import'"

/* "2" -> 2.0, "2.1" -> 2.1; false for anything else. */
static bool abidb_parse_version(const char *v, int *ret_major, int *ret_minor)
{
	char *end;
	long major, minor = 0;

	if (!v || !(*v >= '0' && *v <= '9'))
		return false;
	errno = 0;
	major = strtol(v, &end, 10);
	if (*end == '.') {
		if (!(end[1] >= '0' && end[1] <= '9'))
			return false;
		minor = strtol(end + 1, &end, 10);
	}
	if (*end || errno || major > INT16_MAX || minor > INT16_MAX)
		return false;
	*ret_major = (int)major;
	*ret_minor = (int)minor;
	return true;
}

/* Whether this aoms reads schema version v; the reason goes to the db's errmsg.
 * 0 or -EINVAL. */
static int abidb_check_version(struct aoms_abidb *db, const char *label, const char *v)
{
	int major, minor;

	if (!v) {
		aoms_abidb_set_error(db, "database '%s' has no schema_version; this aoms (%s) "
				     "reads schema %d.x; " ABIDB_REBUILD, label, AOMS_VERSION,
				     AOMS_ABIDB_SCHEMA_MAJOR);
		return -EINVAL;
	}
	if (!abidb_parse_version(v, &major, &minor)) {
		aoms_abidb_set_error(db, "database '%s' has schema '%s', which is no version; this "
				     "aoms (%s) reads schema %d.x; " ABIDB_REBUILD, label, v,
				     AOMS_VERSION, AOMS_ABIDB_SCHEMA_MAJOR);
		return -EINVAL;
	}
	if (major != AOMS_ABIDB_SCHEMA_MAJOR) {
		aoms_abidb_set_error(db, "database '%s' has schema %d.%d; this aoms (%s) reads "
				     "schema %d.x; open it with an aoms that reads schema %d.x, or "
				     ABIDB_REBUILD, label, major, minor, AOMS_VERSION,
				     AOMS_ABIDB_SCHEMA_MAJOR, major);
		return -EINVAL;
	}
	db->schema_minor = minor;
	return 0;
}

/* An error reading label during the checks: SQLite's cause, with the name. */
static int abidb_read_fail(struct aoms_abidb *db, const char *label, int rc)
{
	int r = aoms_abidb_fail(db, rc);

	if ((rc & 0xff) == SQLITE_NOTADB) {
		aoms_abidb_set_error(db, "'%s' is not an aoms database: %s", label,
				     sqlite3_errstr(rc));
		return -EINVAL;
	}
	aoms_abidb_set_error(db, "cannot read '%s': %s", label,
			     db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
	return r;
}

/* Not a database, or not ours, or a schema this aoms cannot read: -EINVAL, with
 * the reason in the db's errmsg. */
static int abidb_check_schema(struct aoms_abidb *db, const char *label)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, ABIDB_ST_GET_META, &r);
	if (!st) {
		rc = sqlite3_errcode(db->sql);
		if (rc == SQLITE_ERROR) { /* "no such table: meta" */
			aoms_abidb_set_error(db, "'%s' is not an aoms database: no table meta", label);
			return -EINVAL;
		}
		return r == -ENOMEM ? r : abidb_read_fail(db, label, rc);
	}
	aoms_abidb_bind_text(st, 1, "schema_version", false);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return abidb_check_version(db, label, NULL);
	if (rc != SQLITE_ROW)
		return abidb_read_fail(db, label, rc);
	return abidb_check_version(db, label, (const char *)sqlite3_column_text(st, 0));
}

/* After the schema: every table of 2.0 and the complete mark, written last. */
static int abidb_check_complete(struct aoms_abidb *db, const char *label)
{
	_cleanup_(freep) char *built = NULL;
	int r = aoms_abidb_check_tables(db, label);

	if (r == -EINVAL)
		return r;
	if (r >= 0)
		r = aoms_abidb_get_meta_locked(db, AOMS_ABIDB_META_BUILT, &built);
	if (r < 0) {
		aoms_abidb_set_error(db, "cannot read '%s': %s", label, aoms_abidb_errmsg(db));
		return r;
	}
	if (!built || strcmp(built, "1") != 0) {
		aoms_abidb_set_error(db, "database '%s' is incomplete (its build did not finish); "
				     ABIDB_REBUILD, label);
		return -EINVAL;
	}
	return 0;
}

static int abidb_check(struct aoms_abidb *db, const char *label)
{
	int r = abidb_check_schema(db, label);

	return r < 0 ? r : abidb_check_complete(db, label);
}

/* *ret_reason, when asked for, gets db's errmsg after an -EINVAL, or after
 * another error the checks explained (it names the database). */
static void abidb_take_reason(struct aoms_abidb *db, int r, char **ret_reason)
{
	if (ret_reason && r < 0 && r != -ENOMEM && db && db->errmsg &&
	    (r == -EINVAL || strstr(db->errmsg, "cannot read '")))
		*ret_reason = TAKE_PTR(db->errmsg);
}

static int abidb_open_file(const char *path, bool writable, struct aoms_abidb **ret,
			   char **ret_reason)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	int flags = SQLITE_OPEN_NOMUTEX | (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
	struct stat sb;
	int r, rc;

	if (stat(path, &sb) < 0)
		return -errno;
	r = abidb_new(&db);
	if (r < 0)
		return r;
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0) {
		if (S_ISREG(sb.st_mode))
			aoms_abidb_set_error(db, "'%s' is empty, not an aoms database (an interrupted "
					     "build leaves such a file); " ABIDB_REBUILD, path);
		else
			aoms_abidb_set_error(db, "'%s' is not an aoms database (not a file)", path);
		abidb_take_reason(db, -EINVAL, ret_reason);
		return -EINVAL;
	}
	rc = sqlite3_open_v2(path, &db->sql, flags, NULL);
	if (rc == SQLITE_OK)
		rc = aoms_abidb_register_collations(db);
	if (rc != SQLITE_OK)
		return abidb_open_err(db, rc);
	r = abidb_check(db, path);
	if (r >= 0 && writable)
		r = aoms_abidb_upgrade_schema(db, db->schema_minor);
	if (r < 0) {
		abidb_take_reason(db, r, ret_reason);
		return r;
	}
	db->writable = writable;
	db->label = strdup(path);
	if (!db->label)
		return -ENOMEM;
	*ret = TAKE_PTR(db);
	return 0;
}

static int abidb_open_image(const void *data, size_t size, bool copy, struct aoms_abidb **ret);

int aoms_abidb_open_ex(const char *path, unsigned flags, struct aoms_abidb **ret,
		       char **ret_reason)
{
	size_t size;

	if (ret_reason)
		*ret_reason = NULL;
	if (path)
		return abidb_open_file(path, flags & AOMS_ABIDB_OPEN_WRITABLE, ret, ret_reason);
	if (flags & AOMS_ABIDB_OPEN_WRITABLE)
		return -EROFS;
	if (!aoms_default_db_start || !aoms_default_db_end)
		return -ENOENT;
	size = (size_t)(aoms_default_db_end - aoms_default_db_start);
	if (size == 0)
		return -ENOENT;
	return abidb_open_image(aoms_default_db_start, size, false, ret);
}

int aoms_abidb_open(const char *path, struct aoms_abidb **ret)
{
	return aoms_abidb_open_ex(path, 0, ret, NULL);
}

int aoms_abidb_open_writable(const char *path, struct aoms_abidb **ret)
{
	return aoms_abidb_open_ex(path, AOMS_ABIDB_OPEN_WRITABLE, ret, NULL);
}

/*
 * copy false: data outlives the database and never changes (the embedded image in
 * the binary's read-only data), so SQLite reads it in place: only the pages a scan
 * touches become resident, instead of a heap copy of the whole image (14 MB).
 */
#ifdef HAVE_SQLITE3_DESERIALIZE
static int abidb_load_image(struct aoms_abidb *db, const void *data, size_t size, bool copy)
{
	unsigned char *buf = (unsigned char *)data;
	int rc;

	rc = sqlite3_open_v2(":memory:", &db->sql,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	if (copy) {
		buf = sqlite3_malloc64(size);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, data, size);
	}
	/* With FREEONCLOSE, sqlite3_free()s buf, on failure too; READONLY: never written */
	rc = sqlite3_deserialize(db->sql, "main", buf, size, size,
				 (copy ? SQLITE_DESERIALIZE_FREEONCLOSE : 0) |
				 SQLITE_DESERIALIZE_READONLY);
	return rc == SQLITE_OK ? 0 : aoms_abidb_fail(db, rc);
}
#else
/* The VFS reads the image in place: the db keeps a copy when asked to. */
static int abidb_load_image(struct aoms_abidb *db, const void *data, size_t size, bool copy)
{
	int rc;

	if (copy) {
		db->image = malloc(size ? size : 1);
		if (!db->image)
			return -ENOMEM;
		memcpy(db->image, data, size);
		data = db->image;
	}
	rc = aoms_abidb_memvfs_open(data, size, &db->sql);
	if (rc != SQLITE_OK)
		return rc == SQLITE_NOMEM ? -ENOMEM : -EIO;
	return 0;
}
#endif

static int abidb_open_image(const void *data, size_t size, bool copy, struct aoms_abidb **ret)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	int r;

	r = abidb_new(&db);
	if (r < 0)
		return r;
	r = abidb_load_image(db, data, size, copy);
	if (r < 0)
		return r;
	if (aoms_abidb_register_collations(db) != SQLITE_OK)
		return -ENOMEM;
	r = abidb_check(db, "(memory)");
	if (r < 0)
		return r;
	db->label = strdup(copy ? "(memory)" : AOMS_ABIDB_EMBEDDED);
	if (!db->label)
		return -ENOMEM;
	*ret = TAKE_PTR(db);
	return 0;
}

int aoms_abidb_open_memory(const void *data, size_t size, struct aoms_abidb **ret)
{
	return abidb_open_image(data, size, true, ret);
}

int aoms_abidb_create(const char *path, struct aoms_abidb **ret)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *db = NULL;
	struct stat sb;
	int r, rc;

	/* never a file someone has: the caller's temporary file, or nothing */
	if (stat(path, &sb) == 0 && (!S_ISREG(sb.st_mode) || sb.st_size > 0))
		return -EEXIST;
	r = abidb_new(&db);
	if (r < 0)
		return r;
	rc = sqlite3_open_v2(path, &db->sql,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK)
		rc = aoms_abidb_register_collations(db);
	if (rc != SQLITE_OK)
		return abidb_open_err(db, rc);
	/* a build is redone from scratch on failure: no WAL, no fsync (the caller
	 * fsyncs the finished file before it takes the target's name) */
	r = aoms_abidb_exec(db, "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;");
	if (r < 0)
		return r;
	r = aoms_abidb_create_schema(db);
	if (r < 0)
		return r;
	db->schema_minor = AOMS_ABIDB_SCHEMA_MINOR;
	db->writable = true;
	db->label = strdup(path);
	if (!db->label)
		return -ENOMEM;
	*ret = TAKE_PTR(db);
	return 0;
}
