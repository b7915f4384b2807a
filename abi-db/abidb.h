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

/*
 * The schema version is MAJOR.MINOR (docs/database.md "Schema version"). A minor
 * adds tables or columns and nothing else, so this aoms reads every 2.x database,
 * older or newer: code reading what a minor added probes for it first. Another
 * major (or a database without schema_version) is refused.
 * 2.0 (written "2"): library.installed, packages and provides, kernel facts.
 * 2.1: the target facts: table glibc_soname, meta kernel_version, glibc_version,
 *      target_arches.
 * 2.2: the eBPF facts: tables bpf_prog_type, bpf_map_type, bpf_helper
 *      (abidb-bpf.h), meta bpf_kernel.
 * 2.3: table kernel_btf, a kernel's vmlinux BTF (abidb-kernel.h).
 * 2.4: table kernel_module, the modules each kernel ships or builds in
 *      (abidb-kernel.h).
 */
#define AOMS_ABIDB_SCHEMA_MAJOR 2
#define AOMS_ABIDB_SCHEMA_MINOR 5
#define AOMS_ABIDB_SCHEMA_VERSION "2.5"

struct aoms_abidb;

/*
 * Opens an existing database read-only. path NULL opens the embedded default
 * database (Anolis 8, x86_64 + aarch64, partial coverage).
 * Returns 0; -ENOENT when the file (or, for NULL, the embedded copy) is absent;
 * -EINVAL when the file is not an aoms database (not a regular file, empty, not
 * SQLite, a table of schema 2.0 missing) or its schema cannot be read (another
 * major, no schema_version) or it lacks the complete mark (aoms_abidb_mark_built());
 * the -errno of a failed open() (-EACCES...); -EIO on other SQLite errors.
 */
int aoms_abidb_open(const char *path, struct aoms_abidb **ret);

/* aoms_abidb_open_ex() flags */
#define AOMS_ABIDB_OPEN_WRITABLE (1u << 0)

/*
 * aoms_abidb_open() (flags 0) or aoms_abidb_open_writable() (WRITABLE). On an
 * error, when ret_reason is not NULL, *ret_reason gets the reason for a message
 * (the caller frees it): always on -EINVAL, and on -EIO when SQLite said why, e.g.
 * "database 'x.db' has schema 3.0; this aoms (0.1.0) reads schema 2.x; rebuild it
 * with 'aoms db build' or 'aoms db import'", "'x.db' is not an aoms database: no
 * table source", "cannot read 'x.db': file is not a database". On other errors
 * *ret_reason is NULL. A writable open of an older 2.x database adds the tables
 * of the later minors and records this schema_version; a newer minor is written
 * as it is (a writer never lowers the version).
 */
int aoms_abidb_open_ex(const char *path, unsigned flags, struct aoms_abidb **ret,
		       char **ret_reason);

/* ---- layers (layers.c) --------------------------------------------------
 * Several databases that answer as one, e.g. the embedded target with a site's
 * own libraries imported with `aoms db import`: later layers override or extend
 * earlier ones. A fact a later layer knows hides the earlier layers' rows for
 * it, not merged with them: a library (soname, arch) with its path, package,
 * verdefs, needed and symbols; the providers of a capability; the transitions of
 * an old soname; a meta key (coverage, name, target facts); the exports of a
 * kernel (release, arch), the kABI list of an arch, a syscall table, a BPF kernel
 * label. What a later layer does not know falls through to the earlier ones.
 * Listings of every kernel, BPF label or exporter of a symbol gather all layers
 * (later ones first). has_arch, has_packages and has_interpreter hold when any
 * layer says so. Stats, meta and source listings and the writers are of the one
 * layer they are called on (aoms_abidb_layer()).
 */
#define AOMS_ABIDB_EMBEDDED "embedded"
/*
 * Opens paths[0..n) read-only as layers, each a file or AOMS_ABIDB_EMBEDDED (or
 * NULL) for the embedded database; the last one given is asked first. n 0 opens
 * the embedded database alone. *ret is the top layer; aoms_abidb_free() frees all.
 * Returns as aoms_abidb_open_ex(); on an error *ret_reason (when not NULL) always
 * gets a reason naming the layer (the caller frees it).
 */
int aoms_abidb_open_layers(const char *const *paths, size_t n, struct aoms_abidb **ret,
			   char **ret_reason);
/* The number of layers of db (1 for a database opened alone). */
size_t aoms_abidb_n_layers(const struct aoms_abidb *db);
/* Layer i, 0 the first given (the lowest), n-1 db itself; NULL past the end.
 * Owned by db. */
struct aoms_abidb *aoms_abidb_layer(struct aoms_abidb *db, size_t i);
/* How the layer was named when opened: its path, "embedded", "(memory)". */
const char *aoms_abidb_label(const struct aoms_abidb *db);

/* Opens a database image held in memory (size bytes at data, copied) read-only.
 * Returns 0; -EINVAL when it is not an aoms database of this schema_version;
 * -ENOMEM; -EIO on other SQLite errors. Without sqlite3_deserialize() (SQLite
 * < 3.36 built without it, e.g. EL8) a read-only memory VFS serves the copy. */
int aoms_abidb_open_memory(const void *data, size_t size, struct aoms_abidb **ret);

/* Opens an existing database for writing (`aoms db import --db FILE`). Returns as
 * aoms_abidb_open() does. */
int aoms_abidb_open_writable(const char *path, struct aoms_abidb **ret);

/* Creates a writable database at path with the schema and meta schema_version
 * set. path must not exist or be an empty regular file (the temporary file of
 * aoms_atomic_open(), which replaces the target only once the database is
 * complete): the library never deletes a file. It is built without journal file
 * or fsync: a failed build is started again. Returns 0; -EEXIST when path is a
 * non-empty file or not a regular file; -EIO, -ENOMEM, or the -errno of a failed
 * open() (-ENOENT for a missing directory, -EACCES...). */
int aoms_abidb_create(const char *path, struct aoms_abidb **ret);

/*
 * The "complete" mark, meta build_complete = "1": a builder writes it last, in
 * the transaction holding its last facts, once the database holds all it should.
 * Opening a database without it is refused (-EINVAL, reason "database 'x.db' is
 * incomplete (its build did not finish); rebuild it ..."). Writers' returns.
 */
#define AOMS_ABIDB_META_BUILT "build_complete"
int aoms_abidb_mark_built(struct aoms_abidb *db);

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
/* A copy the caller frees, or NULL when unset (or on error). */
char *aoms_abidb_get_meta(struct aoms_abidb *db, const char *key);
/* Meta key's value in *ret_value (the caller frees it). Returns 0, -ENOENT when
 * unset, -ENOMEM, -EIO. */
int aoms_abidb_read_meta(struct aoms_abidb *db, const char *key, char **ret_value);
/* 1 when coverage is "complete" (absence of a soname is a verdict, not an
 * unknown), 0 when not, -ENOMEM or -EIO on a database error. */
int aoms_abidb_is_complete(struct aoms_abidb *db);
/* 1 when the database holds facts for arch (from meta "arches"; without that key,
 * whether any library row has the arch), 0 when not (or arch NULL or empty),
 * -ENOMEM or -EIO on a database error. */
int aoms_abidb_has_arch(struct aoms_abidb *db, const char *arch);
/* 1 when the database knows packages and their provides (built from an rpmdb or
 * RPMs; without them, package names and paths cannot be judged), 0 when not,
 * -ENOMEM or -EIO on a database error. */
int aoms_abidb_has_packages(struct aoms_abidb *db);
/* 1 when the database has table (a table a later schema minor added may be
 * absent from an older database), 0 when not, <0 on error. */
int aoms_abidb_has_table(struct aoms_abidb *db, const char *table);
/* 1 when table has column, 0 when not (or no such table), <0 on error. */
int aoms_abidb_has_column(struct aoms_abidb *db, const char *table, const char *column);

/* ---- the target (schema 2.1) --------------------------------------------
 * What the target is, as data: meta kernel_version ("4.18.0"), glibc_version
 * ("2.28"), target_arches (the architectures the target runs, sorted, space
 * separated: "aarch64 i686 loongarch64 x86_64") and table glibc_soname (the
 * objects ld.so binds across as glibc's, always the target's own). Read once and
 * cached for the db's life (writes afterwards are not seen); thread-safe. A
 * database without them (built before 2.1, or a hand-made one) answers -ENOENT
 * for kernel and glibc and arches; its glibc sonames are those of its libraries
 * whose version nodes are all GLIBC_* (the rule aoms_abidb_derive_target() uses).
 */
/* The target kernel as the ELF ABI tag encodes it: major << 16 | minor << 8 |
 * patch. Returns 0, -ENOENT when unknown, -ENOMEM, -EIO. */
int aoms_abidb_target_kernel(struct aoms_abidb *db, uint32_t *ret);
/* The target glibc version ("2.28"; owned by the db). Returns 0, -ENOENT when
 * unknown, -ENOMEM, -EIO. */
int aoms_abidb_target_glibc(struct aoms_abidb *db, const char **ret);
/* 1 when the target runs arch, 0 when not, -ENOENT when the database does not
 * say, -EINVAL for a NULL arch, -ENOMEM, -EIO. */
int aoms_abidb_runs_arch(struct aoms_abidb *db, const char *arch);
/* 1 when soname is one of glibc's objects, 0 when not, -ENOMEM, -EIO. */
int aoms_abidb_soname_is_glibc(struct aoms_abidb *db, const char *soname);
/* The sorted glibc sonames (array and strings owned by the db). Returns 0 or
 * -ENOMEM, -EIO. */
int aoms_abidb_glibc_sonames(struct aoms_abidb *db, const char *const **ret, size_t *ret_n);
/* Records soname as a glibc object (writers). Returns as the writers below. */
int aoms_abidb_add_glibc_soname(struct aoms_abidb *db, int64_t source_id, const char *soname);
/*
 * Fills the target facts a builder did not set from the database's own facts:
 * glibc_version from libc.so.6's highest GLIBC_X.Y version node, kernel_version
 * from the newest kernel release ("4.18.0-477.el8.x86_64" -> "4.18.0"),
 * target_arches from meta arches, and glibc_soname from the libraries whose
 * version nodes are all GLIBC_* (libcrypt of libxcrypt, with XCRYPT_2.0, is not
 * glibc's). A fact that cannot be derived stays unset. Writers' returns.
 */
int aoms_abidb_derive_target(struct aoms_abidb *db);

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
 * rows imported, or -EINVAL on a malformed table, a line over AOMS_LINE_MAX
 * (64 KiB, "line too long") or a NUL byte (ret_line, if given, gets the offending
 * line number; the reason is in aoms_abidb_errmsg()); the -errno of a failed
 * read or write (-EIO, -ENOSPC...); -ENOMEM.
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

/*
 * The target's member of soname's family: for "libssl.so.3", the target's
 * "libssl.so.1.1" — an installed library with known symbols (one the target
 * really ships, not a presence-only or available row) named "STEM.so.VERSION" with
 * soname's stem and another VERSION (digits and dots). The highest version wins.
 * It says the target has the library at another version only: a soname the
 * database knows itself is no question for this. Returns 0 and *ret_el8_soname
 * (malloc'd, the caller frees); -ENOENT when there is no other member or soname has
 * no ".so.VERSION" form; -EINVAL on NULL arguments; -ENOMEM; -EIO.
 */
int aoms_abidb_soname_family(struct aoms_abidb *db, const char *soname, const char *arch,
			     char **ret_el8_soname);

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
#include "abidb-bpf.h"
