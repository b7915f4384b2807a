/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The target database (DESIGN.md "The target database"): one SQLite file per
 * target, facts tagged with the source they came from. Scans open it read-only and
 * look libraries up through a cache that is safe to share between threads.
 *
 * abi-db never reads ELF or RPM files: scanners/ collects a target's facts and
 * writes them through the aoms_abidb_add_*() calls below.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "aoms-macro.h"
#include "libabi.h"

/* "2": library.installed, packages and provides, kernel facts (docs/database.md). */
#define AOMS_ABIDB_SCHEMA_VERSION "2"

struct aoms_abidb;

/*
 * Opens an existing database read-only. path NULL opens the embedded default
 * database (Anolis 8, x86_64 + aarch64, partial coverage).
 * Returns 0; -ENOENT when the file (or, for NULL, the embedded copy) is absent;
 * -EINVAL when the file is not an aoms database or its schema_version differs;
 * the -errno of a failed open() (-EACCES...); -EIO on other SQLite errors.
 */
int aoms_abidb_open(const char *path, struct aoms_abidb **ret);

/* Opens a database image held in memory (size bytes at data, copied) read-only.
 * Returns 0; -EINVAL when it is not an aoms database of this schema_version;
 * -ENOMEM; -EIO on other SQLite errors. Without sqlite3_deserialize() (SQLite
 * < 3.36 built without it, e.g. EL8) a read-only memory VFS serves the copy. */
int aoms_abidb_open_memory(const void *data, size_t size, struct aoms_abidb **ret);

/* Opens an existing database for writing (`aoms db import --db FILE`). Returns as
 * aoms_abidb_open() does. */
int aoms_abidb_open_writable(const char *path, struct aoms_abidb **ret);

/* Creates (replacing any file at path) a writable database with the schema and
 * meta schema_version set. It is built without journal file or fsync: a failed
 * build is started again. Returns 0, -EIO, -ENOMEM, or the -errno of a failed
 * unlink() or open() (-ENOENT for a missing directory, -EACCES...). */
int aoms_abidb_create(const char *path, struct aoms_abidb **ret);

/* Accepts NULL. */
void aoms_abidb_free(struct aoms_abidb *db);
DEFINE_FREE_FUNC(struct aoms_abidb, aoms_abidb_free)

/* The text of the last error (SQLite's, or the import parser's, e.g. "expected 4
 * columns, got 3"), for messages. Owned by the db, valid until the next call. */
const char *aoms_abidb_errmsg(struct aoms_abidb *db);

/* ---- meta ---------------------------------------------------------------
 * Keys: "schema_version", "name" (e.g. "anolis8"), "description",
 * "coverage" ("partial" | "complete"), "arches" (space-separated, sorted),
 * "kernel" (the target kernel in words, e.g. "4.18.0 (RHEL 8 kABI)").
 */
int aoms_abidb_set_meta(struct aoms_abidb *db, const char *key, const char *value);
/* A copy the caller frees, or NULL when unset. */
char *aoms_abidb_get_meta(struct aoms_abidb *db, const char *key);
/* coverage == "complete": absence of a soname is a verdict, not an unknown. */
bool aoms_abidb_is_complete(struct aoms_abidb *db);
/* Whether the database holds facts for arch (from meta "arches"; without that key,
 * whether any library row has the arch). */
bool aoms_abidb_has_arch(struct aoms_abidb *db, const char *arch);
/* Whether the database knows packages and their provides (built from an rpmdb or
 * RPMs); without them, package names and paths cannot be judged. */
bool aoms_abidb_has_packages(struct aoms_abidb *db);

/* ---- writing (builders) -------------------------------------------------
 * All return 0 or a negative errno: -EINVAL for a NULL or empty name, soname, arch
 * or version; -EROFS on a database opened read-only; -EBUSY from begin() inside a
 * transaction or compact() in one; -EIO for other SQLite failures. Wrap bulk work
 * in begin/commit: it is two orders of magnitude faster. Single writer: the
 * writers take the db's lock but a transaction is not per thread.
 */
int aoms_abidb_begin(struct aoms_abidb *db);
int aoms_abidb_commit(struct aoms_abidb *db);
/* Undoes the open transaction; a no-op without one. */
int aoms_abidb_rollback(struct aoms_abidb *db);
/* Rewrites the file compactly (VACUUM) after a bulk build; outside a transaction.
 * The same writes give the same bytes. */
int aoms_abidb_compact(struct aoms_abidb *db);
/* Adds (or finds) a fact source; *ret_id is its row id. */
int aoms_abidb_add_source(struct aoms_abidb *db, const char *name, const char *provenance,
			  int64_t *ret_id);
/* Adds a library row (installed, see below); its verdefs, needed and symbols are
 * given separately below. */
int aoms_abidb_add_library(struct aoms_abidb *db, int64_t source_id, const char *soname,
			   const char *arch, const char *path, const char *package,
			   int64_t *ret_lib_id);
int aoms_abidb_add_verdef(struct aoms_abidb *db, int64_t lib_id, const char *version);
int aoms_abidb_add_needed(struct aoms_abidb *db, int64_t lib_id, const char *soname);
/* version "" or NULL for an unversioned export; is_default false for a compat ("@")
 * version. Marks the library's symbols as known. */
int aoms_abidb_add_symbol(struct aoms_abidb *db, int64_t lib_id, const char *name,
			  const char *version, bool is_default, const char *type);
/* Marks the library's symbols as known without adding one (a library that
 * exports nothing). */
int aoms_abidb_set_symbols_known(struct aoms_abidb *db, int64_t lib_id);
/* A library row is installed (in the root, the default install) unless set
 * otherwise here: false for one that only a repository package would bring.
 * aoms_abidb_find_library() answers from installed rows when there are any. */
int aoms_abidb_set_library_installed(struct aoms_abidb *db, int64_t lib_id, bool installed);
int aoms_abidb_add_interpreter(struct aoms_abidb *db, int64_t source_id, const char *path,
			       const char *arch, const char *package);
/* An EL7 -> EL8 soname transition (new_soname NULL when removed). */
int aoms_abidb_add_soname_change(struct aoms_abidb *db, int64_t source_id,
				 const char *old_soname, const char *new_soname,
				 const char *package, const char *note);

/*
 * Imports one fact table (the format of abi-db/data/README.md). name is used in
 * messages; its last path component names the source when the table has no
 * "#!source". Runs in its own transaction unless the caller opened one (then a
 * failure leaves the caller's transaction to roll back). Returns the number of
 * rows imported, or -EINVAL on a malformed table (ret_line, if given, gets the
 * offending line number; the reason is in aoms_abidb_errmsg()), -EIO, -ENOMEM.
 */
int aoms_abidb_import(struct aoms_abidb *db, FILE *in, const char *name, unsigned *ret_line);

/* ---- lookups (thread-safe) ---------------------------------------------- */

/*
 * Finds the library with soname for arch. When several rows (paths, sources) hold
 * the soname, path and package come from the first by path and verdefs, needed
 * and symbols are their union. Only installed rows count when there is one; else
 * the not-installed rows answer and lib->available_only is set. Results, misses included, are cached for the
 * db's life: writes after a lookup of the same soname are not seen.
 * Returns 0 and *ret (owned by the db, valid until aoms_abidb_free()); -ENOENT
 * when the database has no such library; -EINVAL for a NULL soname or arch;
 * -ENOMEM; -EIO on SQLite errors.
 */
int aoms_abidb_find_library(struct aoms_abidb *db, const char *soname, const char *arch,
			    const struct aoms_libabi **ret);

/* 1 when the target has the program interpreter path for arch, 0 when not, <0 on error. */
int aoms_abidb_has_interpreter(struct aoms_abidb *db, const char *path, const char *arch);

struct aoms_soname_change {
	const char *old_soname;
	const char *new_soname;   /* NULL: removed in the target */
	const char *package;
	const char *note;
};
/* Calls fn for each recorded transition of old_soname, in a stable order; fn's
 * non-zero return stops and is returned. Returns 0, or <0 on error.
 * Rows recorded for exactly old_soname win; without any, the most specific row
 * whose old_soname is a pattern with one '*' (libboost_*.so.1.53.0) applies, and
 * a '*' in its new_soname is replaced by what the '*' matched. The strings in c
 * are valid during the call only. */
int aoms_abidb_foreach_soname_change(struct aoms_abidb *db, const char *old_soname,
				     int (*fn)(const struct aoms_soname_change *c, void *ud),
				     void *ud);

/* ---- inspection (aoms db info) ------------------------------------------ */
/* libraries counts distinct (soname, arch) pairs; the other figures count rows. */
struct aoms_abidb_stats {
	uint64_t sources, libraries, libraries_with_symbols, verdefs, symbols,
		interpreters, soname_changes;
	uint64_t packages, provides, kernels, kernel_symbols, kabi, syscalls, kernel_config;
};
int aoms_abidb_stats(struct aoms_abidb *db, struct aoms_abidb_stats *ret);
/* Calls fn(key, value) for every meta row, sorted by key. */
int aoms_abidb_foreach_meta(struct aoms_abidb *db,
			    int (*fn)(const char *key, const char *value, void *ud), void *ud);
/* Calls fn(name, provenance) for every source, sorted by name. */
int aoms_abidb_foreach_source(struct aoms_abidb *db,
			      int (*fn)(const char *name, const char *provenance, void *ud),
			      void *ud);

/* ---- library exports (aoms db query) ------------------------------------ */
struct aoms_abidb_export {
	const char *soname, *arch, *name;
	const char *version;  /* "" for an unversioned export */
	bool is_default;      /* false: only a compat ("@") version */
	const char *type;     /* "F", "D 0x8"... or NULL */
};
/* Calls fn for every symbol soname exports on arch, sorted by name then version,
 * from the rows find_library() would use. The strings are valid during the call.
 * fn's non-zero return stops and is returned. Returns 0 (also for an unknown
 * soname), -EINVAL for a NULL soname or arch, -ENOMEM, -EIO. */
int aoms_abidb_foreach_export(struct aoms_abidb *db, const char *soname, const char *arch,
			      int (*fn)(const struct aoms_abidb_export *e, void *ud), void *ud);
/* Calls fn for every library exporting name (at version, or any version when
 * version is NULL; "" = unversioned) on arch (NULL: any), sorted by arch, soname,
 * version. Returns as aoms_abidb_foreach_export(). */
int aoms_abidb_foreach_exporter(struct aoms_abidb *db, const char *name, const char *version,
				const char *arch,
				int (*fn)(const struct aoms_abidb_export *e, void *ud), void *ud);

#include "abidb-packages.h"
#include "abidb-kernel.h"
