/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abi-db internals shared by its .c files: the handle, the prepared-statement
 * cache and the lookup cache. Nothing outside abi-db/ includes this.
 */
#pragma once

#include <pthread.h>
#include <stdarg.h>
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
	ABIDB_ST_SONAME_FAMILY,
	ABIDB_ST_HAS_ARCH_LIBRARY,
	ABIDB_ST_HAS_PROVIDES,
	ABIDB_ST_ALL_META,
	ABIDB_ST_ALL_SOURCES,
	ABIDB_ST_STATS,
	ABIDB_ST_SET_LIBRARY_INSTALLED,
	ABIDB_ST_EXPORTS,
	ABIDB_ST_EXPORTERS,
	ABIDB_ST_ADD_PACKAGE,
	ABIDB_ST_ADD_PROVIDE,
	ABIDB_ST_FIND_PACKAGE_NEVRA,
	ABIDB_ST_PROVIDERS,
	ABIDB_ST_FIND_KERNEL,
	ABIDB_ST_ADD_KERNEL,
	ABIDB_ST_ADD_KSYM,
	ABIDB_ST_ADD_KABI,
	ABIDB_ST_ADD_SYSCALL,
	ABIDB_ST_ADD_KCONFIG,
	ABIDB_ST_KSYMS,
	ABIDB_ST_KSYMS_OF_KERNEL,
	ABIDB_ST_KABI_OF_ARCH,
	ABIDB_ST_KABI_ROWS,
	ABIDB_ST_SYSCALLS_NAME,
	ABIDB_ST_SYSCALLS_NR,
	ABIDB_ST_KCONFIG,
	ABIDB_ST_KERNELS,
	/* target facts (target.c); glibc_soname exists from schema 2.1 on */
	ABIDB_ST_HAS_TABLE,
	ABIDB_ST_HAS_COLUMN,
	ABIDB_ST_ADD_GLIBC_SONAME,
	ABIDB_ST_GLIBC_SONAMES,
	ABIDB_ST_GLIBC_SONAMES_DERIVED,
	ABIDB_ST_DERIVE_GLIBC_SONAMES,
	ABIDB_ST_LIBC_GLIBC_VERSIONS,
	ABIDB_ST_NEWEST_KERNEL,
	ABIDB_ST_SET_META_UNSET,
	/* eBPF facts (bpf.c); the tables exist from schema 2.2 on */
	ABIDB_ST_ADD_BPF_PROG,
	ABIDB_ST_ADD_BPF_MAP,
	ABIDB_ST_ADD_BPF_HELPER,
	ABIDB_ST_BPF_PROG,
	ABIDB_ST_BPF_MAP,
	ABIDB_ST_BPF_HELPER,
	ABIDB_ST_BPF_KERNELS,
	ABIDB_ST_BPF_UPSTREAMS,
	/* kernel BTF (kernel-btf.c); the table exists from schema 2.3 on */
	ABIDB_ST_ADD_KERNEL_BTF,
	ABIDB_ST_KERNEL_BTF,
	ABIDB_ST_KERNEL_BTFS,
	/* kernel modules (kmodules.c); the table exists from schema 2.4 on */
	ABIDB_ST_ADD_KMODULE,
	ABIDB_ST_KMODULE,
	ABIDB_ST_KMODULE_COUNT,
	ABIDB_ST_ADD_REPO_PACKAGE,
	ABIDB_ST_REPO_PACKAGE,
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
	/* layers (layers.c): the database given before this one, whose facts this one
	 * overrides; owned, freed with this one. NULL for a single database. Lookups
	 * start here and fall through; writers, stats, meta and source listings are of
	 * this layer only. */
	struct aoms_abidb *below;
	char *label;               /* "embedded", the path, "(memory)" */
	pthread_mutex_t lock;      /* serializes every use of sql (opened NOMUTEX) */
	bool writable;
	bool in_tx;
	void *image;               /* the memory image the memvfs reads, or NULL */
	int64_t last_known_lib;    /* last library marked symbols_known (writers) */
	char *last_kernel;         /* "release\narch" of last_kernel_id (writers) */
	int64_t last_kernel_id;
	char *errmsg;              /* our own last error text, preferred over SQLite's */
	int schema_minor;          /* of the file, which may be older or newer than ours */
	/* target facts, read once (target.c): loaded is set, with release order,
	 * after the fields below, which are then read without the lock */
	bool target_loaded;
	bool target_kernel_known;
	uint32_t target_kernel;
	char *target_glibc;        /* NULL: unknown */
	char *target_arches;       /* NULL: unknown */
	char **glibc_sonames;      /* sorted */
	size_t n_glibc_sonames;
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
 * int64_t, 'n' int64_t bound as NULL when < 0. Caller holds the lock. 0 or a
 * negative errno. */
int aoms_abidb_run(struct aoms_abidb *db, enum abidb_stmt_id id, const char *spec, ...);
/* The binding half of aoms_abidb_run(); returns an SQLite result code. */
int aoms_abidb_bind_va(sqlite3_stmt *st, const char *spec, va_list ap);

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
	char **cells; /* n * ncols, room for cap rows */
	size_t n, ncols, cap;
};
void aoms_abidb_rows_release(struct abidb_rows *rows);
/* Steps st (bound by the caller, lock held) to the end, copying every row, then
 * resets it. 0 or a negative errno. */
int aoms_abidb_rows_collect(struct aoms_abidb *db, sqlite3_stmt *st, struct abidb_rows *rows);
static inline const char *abidb_cell(const struct abidb_rows *rows, size_t row, size_t col)
{
	return rows->cells[row * rows->ncols + col];
}
/* The same cell, for result structs whose views point into the rows. */
static inline char *abidb_cellw(const struct abidb_rows *rows, size_t row, size_t col)
{
	return rows->cells[row * rows->ncols + col];
}

/* ---- layers (layers.c) ---------------------------------------------------- */
/* Runs statement id on each layer, top first, as its policy says (the first layer
 * with rows answers; enumerations gather every layer's, a later layer's row hiding
 * an earlier one with the same key). Called by aoms_abidb_query(). */
int aoms_abidb_query_layers(struct aoms_abidb *db, enum abidb_stmt_id id,
			    struct abidb_rows *rows, const char *spec, va_list ap);
/* Runs statement id on db alone (lock held), appending its rows to rows. */
int aoms_abidb_query_locked(struct aoms_abidb *db, enum abidb_stmt_id id,
			    struct abidb_rows *rows, const char *spec, va_list ap);
/* Meta key of the first layer (from db down) that has it, into *ret (left NULL when
 * none has). db->lock held by the caller; the lower layers' are taken here. */
int aoms_abidb_meta_layers_locked(struct aoms_abidb *db, const char *key, char **ret);

/* Opens a read-only connection on size bytes at data through a memory VFS
 * (SQLite without sqlite3_deserialize); data must outlive the connection.
 * Returns an SQLite result code. */
int aoms_abidb_memvfs_open(const void *data, size_t size, sqlite3 **ret);

/* Creates every table and index and sets meta schema_version. */
int aoms_abidb_create_schema(struct aoms_abidb *db);
/* 0 when the database has every table of schema 2.0; -EINVAL with the reason
 * ("'label' is not an aoms database: no table X") in the errmsg; <0 on errors. */
int aoms_abidb_check_tables(struct aoms_abidb *db, const char *label);

/* Adds what the minors after from_minor added (CREATE ... IF NOT EXISTS) and
 * records this schema_version, in one transaction. 0 or a negative errno. */
int aoms_abidb_upgrade_schema(struct aoms_abidb *db, int from_minor);

/* Meta key's value into *ret (the caller frees it; left NULL when unset). Lock
 * held. 0 or a negative errno. */
int aoms_abidb_get_meta_locked(struct aoms_abidb *db, const char *key, char **ret);

/* Whether word is one of the words (space or tab separated) of list. */
bool aoms_abidb_word_in(const char *list, const char *word);

/* Releases the cached target facts (at free). */
void aoms_abidb_target_release(struct aoms_abidb *db);

/* Releases the find_library cache (at free). */
void aoms_abidb_cache_release(struct aoms_abidb *db);

/* Registers the "aoms_rpmver" collation (rpmvercmp order) on db->sql. Returns an
 * SQLite result code. */
int aoms_abidb_register_collations(struct aoms_abidb *db);

/* Forgets the writers' caches of row ids (after a rollback). Lock held. */
void aoms_abidb_forget_ids(struct aoms_abidb *db);

/* The id of kernel (release, arch), recorded with source_id when new. Lock held. */
int aoms_abidb_kernel_id_locked(struct aoms_abidb *db, int64_t source_id, const char *release,
				const char *arch, int64_t *ret_id);

/* Runs statement id, bound per spec as aoms_abidb_run() does, and copies its
 * rows (ncols columns each) into rows, taking the lock. 0 or a negative errno. */
int aoms_abidb_query(struct aoms_abidb *db, enum abidb_stmt_id id, size_t ncols,
		     struct abidb_rows *rows, const char *spec, ...);

/* A copied cell as an int64_t; fallback for NULL. */
int64_t aoms_abidb_cell_int(const struct abidb_rows *rows, size_t row, size_t col,
			    int64_t fallback);
