/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abi-db internals shared by its .c files: the handle, the prepared-statement
 * cache and the lookup cache. Nothing outside abi-db/ includes this.
 */
#pragma once

#include <pthread.h>
#include <sqlite3.h>
#include "abidb.h"

/* Every SQL statement abi-db runs more than once; prepared lazily, kept per db. */
enum abidb_stmt_id {
	ABIDB_ST_GET_META,
	ABIDB_ST_SET_META,
	ABIDB_ST_FIND_SOURCE,
	ABIDB_ST_ADD_SOURCE,
	ABIDB_ST_SET_PROVENANCE,
	ABIDB_ST_ADD_LIBRARY,
	ABIDB_ST_FIND_IMPORT_LIBRARY,
	ABIDB_ST_SET_LIBRARY_PATH,
	ABIDB_ST_ADD_VERDEF,
	ABIDB_ST_ADD_NEEDED,
	ABIDB_ST_ADD_SYMBOL,
	ABIDB_ST_SET_SYMBOLS_KNOWN,
	ABIDB_ST_ADD_INTERPRETER,
	ABIDB_ST_ADD_SONAME_CHANGE,
	ABIDB_ST_LIB_ROWS,
	ABIDB_ST_LIB_VERDEFS,
	ABIDB_ST_LIB_NEEDED,
	ABIDB_ST_LIB_SYMBOLS,
	ABIDB_ST_HAS_INTERPRETER,
	ABIDB_ST_SONAME_CHANGES,
	ABIDB_ST_HAS_ARCH_LIBRARY,
	ABIDB_ST_ALL_META,
	ABIDB_ST_ALL_SOURCES,
	ABIDB_ST_STATS,
	_ABIDB_ST_MAX,
};

struct abidb_cache_entry {
	uint64_t hash;
	char *soname;
	char *arch;
	struct aoms_libabi *lib; /* NULL: a cached miss */
};

struct aoms_abidb {
	sqlite3 *sql;
	pthread_mutex_t lock;      /* serializes every use of sql (opened NOMUTEX) */
	bool writable;
	bool in_tx;
	void *image;               /* the memory image the memvfs reads, or NULL */
	int64_t last_known_lib;    /* last library marked symbols_known (writers) */
	char *errmsg;              /* our own last error text, preferred over SQLite's */
	sqlite3_stmt *stmts[_ABIDB_ST_MAX];
	/* find_library cache: open addressing over entry pointers, under lock */
	struct abidb_cache_entry **cache;
	size_t cache_cap, cache_len;
};

/* Maps an SQLite result code to a negative errno (-ENOMEM, -EINVAL, -EIO...). */
int aoms_abidb_sqlerr(int rc);

/*
 * The cached prepared statement id, reset and with its bindings cleared. NULL on
 * error (the text goes to aoms_abidb_errmsg()); *ret_err gets the negative errno.
 * The caller holds db->lock when the db is shared, and resets the statement after
 * use (abidb_stmt_resetp) so that no read transaction stays open.
 */
sqlite3_stmt *aoms_abidb_stmt(struct aoms_abidb *db, enum abidb_stmt_id id, int *ret_err);

static inline void abidb_stmt_resetp(sqlite3_stmt **s)
{
	if (*s)
		sqlite3_reset(*s);
}

/* Binds s, or NULL for NULL or "" when empty_is_null. Returns the SQLite code. */
int aoms_abidb_bind_text(sqlite3_stmt *st, int idx, const char *s, bool empty_is_null);

/* Steps a statement that returns no rows, then resets it; 0 or a negative errno. */
int aoms_abidb_step_done(struct aoms_abidb *db, sqlite3_stmt *st);

/* Records SQLite's message for rc as the db's error text; returns the errno of rc. */
int aoms_abidb_fail(struct aoms_abidb *db, int rc);

/* Runs SQL text (no results wanted); 0 or a negative errno. */
int aoms_abidb_exec(struct aoms_abidb *db, const char *sql);

/* Replaces db->errmsg with a formatted copy (dropped on -ENOMEM). */
void aoms_abidb_set_error(struct aoms_abidb *db, const char *fmt, ...) _printf_(2, 3);

/* Binds the arguments a cached statement takes, in order, then steps it (no
 * result rows). spec: 't' text (NULL for NULL or ""), 'T' text ("" kept), 'i'
 * int64_t. Caller holds the lock. 0 or a negative errno. */
int aoms_abidb_run(struct aoms_abidb *db, enum abidb_stmt_id id, const char *spec, ...);

/* Evaluates expr (an int) with db->lock held. */
#define ABIDB_LOCKED(db, expr)                          \
	({                                              \
		int _r_;                                \
		pthread_mutex_lock(&(db)->lock);        \
		_r_ = (expr);                           \
		pthread_mutex_unlock(&(db)->lock);      \
		_r_;                                    \
	})
#define ABIDB_RUN(db, ...) ABIDB_LOCKED(db, aoms_abidb_run(db, __VA_ARGS__))

/* Rows of ncols text columns (NULL kept) copied out of a statement, so that user
 * callbacks run without the lock and may call back into the db. */
struct abidb_rows {
	char **cells; /* n * ncols */
	size_t n, ncols;
};
void aoms_abidb_rows_release(struct abidb_rows *rows);
/* Steps st (bound by the caller, lock held) to the end, copying every row, then
 * resets it. 0 or a negative errno. */
int aoms_abidb_rows_collect(struct aoms_abidb *db, sqlite3_stmt *st, struct abidb_rows *rows);
static inline const char *abidb_cell(const struct abidb_rows *rows, size_t row, size_t col)
{
	return rows->cells[row * rows->ncols + col];
}

/* Opens a read-only connection on size bytes at data through a memory VFS
 * (SQLite without sqlite3_deserialize); data must outlive the connection.
 * Returns an SQLite result code. */
int aoms_abidb_memvfs_open(const void *data, size_t size, sqlite3 **ret);

/* Creates every table and index and sets meta schema_version. */
int aoms_abidb_create_schema(struct aoms_abidb *db);

/* Releases the find_library cache (at free). */
void aoms_abidb_cache_release(struct aoms_abidb *db);
