/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The schema (AOMS_ABIDB_SCHEMA_VERSION, docs/database.md) and every statement
 * run against it, kept side by side so that a column change is made in one file.
 * Statements may sort with the "aoms_rpmver" collation (evr.c); the schema itself
 * never names it, so that the sqlite3 shell reads a database as it is.
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
	" installed INTEGER NOT NULL DEFAULT 1,"
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
	"CREATE INDEX soname_change_old ON soname_change(old_soname);"
	/* packages; epoch NULL: none. A provide's op and evr are '' when unversioned
	 * (primary-key columns of a WITHOUT ROWID table cannot be NULL). */
	"CREATE TABLE package(id INTEGER PRIMARY KEY, name TEXT NOT NULL, epoch INTEGER,"
	" version TEXT NOT NULL, release TEXT NOT NULL, arch TEXT NOT NULL, nevra TEXT NOT NULL,"
	" installed INTEGER NOT NULL DEFAULT 1, source_id INTEGER NOT NULL REFERENCES source(id));"
	"CREATE INDEX package_nevra ON package(nevra);"
	"CREATE TABLE provide(name TEXT NOT NULL, pkg_id INTEGER NOT NULL REFERENCES package(id),"
	" op TEXT NOT NULL DEFAULT '', evr TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY(name, pkg_id, op, evr)) WITHOUT ROWID;"
	/* kernel facts; a kernel is a (release, arch) pair the other tables point at */
	"CREATE TABLE kernel(id INTEGER PRIMARY KEY, release TEXT NOT NULL, arch TEXT NOT NULL,"
	" vermagic TEXT, source_id INTEGER NOT NULL REFERENCES source(id), UNIQUE(release, arch));"
	/* crc NULL: unknown; the primary key is the name index */
	"CREATE TABLE kernel_symbol(name TEXT NOT NULL, kernel_id INTEGER NOT NULL"
	" REFERENCES kernel(id), crc INTEGER, module TEXT, export_type TEXT, namespace TEXT,"
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(name, kernel_id))"
	" WITHOUT ROWID;"
	"CREATE TABLE kabi(name TEXT NOT NULL, arch TEXT NOT NULL, list TEXT NOT NULL,"
	" crc INTEGER, module TEXT, export_type TEXT,"
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(name, arch, list))"
	" WITHOUT ROWID;"
	"CREATE TABLE syscall(kernel TEXT NOT NULL, arch TEXT NOT NULL, nr INTEGER NOT NULL,"
	" name TEXT NOT NULL, abi TEXT, entry TEXT,"
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(kernel, arch, nr))"
	" WITHOUT ROWID;"
	"CREATE INDEX syscall_name ON syscall(name);"
	/* lookups by number (a site's) leave kernel and arch optional: not the key's prefix */
	"CREATE INDEX syscall_nr ON syscall(nr);"
	"CREATE TABLE kernel_config(kernel_id INTEGER NOT NULL REFERENCES kernel(id),"
	" key TEXT NOT NULL, value TEXT NOT NULL,"
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(kernel_id, key))"
	" WITHOUT ROWID;";

/* The tables of schema 2.0, which every 2.x database has: a file without one of
 * them is no aoms database (a later minor's tables are probed for instead). */
static const char *const schema_tables[] = {
	"meta", "source", "library", "verdef", "symbol", "needed", "interpreter",
	"soname_change", "package", "provide", "kernel", "kernel_symbol", "kabi", "syscall",
	"kernel_config",
};

#define BPF_TABLE_SQL(t, extra)                                                          \
	"CREATE TABLE IF NOT EXISTS " t "(kernel TEXT NOT NULL, id INTEGER NOT NULL,"     \
	" name TEXT NOT NULL, upstream TEXT," extra " available INTEGER NOT NULL,"        \
	" source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(kernel, name))"   \
	" WITHOUT ROWID;"                                                                 \
	"CREATE INDEX IF NOT EXISTS " t "_id ON " t "(kernel, id);"

/* What each minor added, by minor: additive only (a table, a column with a
 * default, an index), "IF NOT EXISTS" where SQLite allows it, so that a writable
 * open of an older minor brings it up to this one. */
static const char *const schema_minor_sql[AOMS_ABIDB_SCHEMA_MINOR + 1] = {
	[1] = "CREATE TABLE IF NOT EXISTS glibc_soname(soname TEXT PRIMARY KEY NOT NULL,"
	      " source_id INTEGER NOT NULL REFERENCES source(id)) WITHOUT ROWID;",
	/* eBPF facts per kernel label (abidb-bpf.h); available 0: declared absent */
	[2] = BPF_TABLE_SQL("bpf_prog_type", "") BPF_TABLE_SQL("bpf_map_type", "")
	      BPF_TABLE_SQL("bpf_helper", " gpl_only INTEGER NOT NULL DEFAULT 0,"),
	/* a kernel's vmlinux BTF blob (kernel-btf.c): encoding "raw" or "zlib" */
	[3] = "CREATE TABLE IF NOT EXISTS kernel_btf(kernel_id INTEGER PRIMARY KEY NOT NULL"
	      " REFERENCES kernel(id), encoding TEXT NOT NULL, raw_size INTEGER NOT NULL,"
	      " data BLOB NOT NULL, origin TEXT,"
	      " source_id INTEGER NOT NULL REFERENCES source(id));",
	/* the modules a kernel ships (modules.dep) or builds in (modules.builtin), by
	 * name as the kernel normalizes it ('-' -> '_'); path without "kernel/" and
	 * the ".ko*" suffix (abidb-kernel.h) */
	[4] = "CREATE TABLE IF NOT EXISTS kernel_module(kernel_id INTEGER NOT NULL"
	      " REFERENCES kernel(id), name TEXT NOT NULL, path TEXT,"
	      " builtin INTEGER NOT NULL DEFAULT 0,"
	      " source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(kernel_id, name))"
	      " WITHOUT ROWID;",
	/* the packages the target's repositories have, by name, with the repository
	 * (abidb-packages.h): names only, for a library no other table knows */
	[5] = "CREATE TABLE IF NOT EXISTS repo_package(name TEXT NOT NULL, repo TEXT NOT NULL,"
	      " source_id INTEGER NOT NULL REFERENCES source(id), PRIMARY KEY(name, repo))"
	      " WITHOUT ROWID;",
};

/* The rows of the library with soname ?1 and arch ?2 that lookups use: the
 * installed ones when there are any. */
#define LIB_INSTALLED_LEVEL \
	"(SELECT max(installed) FROM library WHERE soname = ?1 AND arch = ?2)"

#define BPF_ADD_SQL(t)                                                                    \
	"INSERT OR IGNORE INTO " t "(kernel, id, name, upstream, available, source_id)"   \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?7)"
/* by name (?2) or, ?2 NULL, by id (?3): the current name before a *_DEPRECATED one */
#define BPF_FIND_SQL(t, gpl)                                                              \
	"SELECT kernel, name, id, upstream, available, " gpl " FROM " t                  \
	" WHERE kernel = ?1 AND (name = ?2 OR (?2 IS NULL AND id = ?3))"                  \
	" ORDER BY name GLOB '*_DEPRECATED', name LIMIT 1"

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
	[ABIDB_ST_SET_LIBRARY_INSTALLED] = "UPDATE library SET installed = ?2 WHERE id = ?1",
	[ABIDB_ST_LIB_ROWS] =
		"SELECT path, package, symbols_known, installed FROM library"
		" WHERE soname = ?1 AND arch = ?2 AND installed = " LIB_INSTALLED_LEVEL
		" ORDER BY path IS NULL, path, id",
	[ABIDB_ST_LIB_VERDEFS] =
		"SELECT DISTINCT v.version FROM library l JOIN verdef v ON v.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 AND l.installed = " LIB_INSTALLED_LEVEL
		" ORDER BY v.version",
	[ABIDB_ST_LIB_NEEDED] =
		"SELECT DISTINCT n.soname FROM library l JOIN needed n ON n.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 AND l.installed = " LIB_INSTALLED_LEVEL
		" ORDER BY n.soname",
	[ABIDB_ST_LIB_SYMBOLS] =
		"SELECT s.name, s.version FROM library l JOIN symbol s ON s.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 AND l.installed = " LIB_INSTALLED_LEVEL,
	[ABIDB_ST_EXPORTS] =
		"SELECT l.soname, l.arch, s.name, s.version, max(s.is_default), min(s.type)"
		" FROM library l JOIN symbol s ON s.lib_id = l.id"
		" WHERE l.soname = ?1 AND l.arch = ?2 AND l.installed = " LIB_INSTALLED_LEVEL
		" GROUP BY s.name, s.version ORDER BY s.name, s.version",
	[ABIDB_ST_EXPORTERS] =
		"SELECT l.soname, l.arch, s.name, s.version, max(s.is_default), min(s.type)"
		" FROM symbol s JOIN library l ON l.id = s.lib_id"
		" WHERE s.name = ?1 AND (?2 IS NULL OR s.version = ?2) AND (?3 IS NULL OR l.arch = ?3)"
		" AND l.installed = (SELECT max(installed) FROM library x"
		"  WHERE x.soname = l.soname AND x.arch = l.arch)"
		" GROUP BY l.arch, l.soname, s.version ORDER BY l.arch, l.soname, s.version",
	/* packages */
	[ABIDB_ST_ADD_PACKAGE] =
		"INSERT INTO package(name, epoch, version, release, arch, nevra, installed, source_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ABIDB_ST_ADD_PROVIDE] =
		"INSERT OR IGNORE INTO provide(name, pkg_id, op, evr) VALUES (?1, ?2, ?3, ?4)",
	[ABIDB_ST_FIND_PACKAGE_NEVRA] =
		"SELECT id FROM package WHERE nevra = ?1 ORDER BY source_id = ?2 DESC, id LIMIT 1",
	[ABIDB_ST_PROVIDERS] =
		"SELECT p.name, p.nevra, p.arch, p.epoch, p.version, p.release, p.installed,"
		" v.op, v.evr FROM provide v JOIN package p ON p.id = v.pkg_id"
		" WHERE v.name = ?1 AND (?2 IS NULL OR p.arch = ?2 OR p.arch = 'noarch')"
		" ORDER BY p.installed DESC, p.arch = 'noarch', p.name, coalesce(p.epoch, 0) DESC,"
		" p.version COLLATE aoms_rpmver DESC, p.release COLLATE aoms_rpmver DESC,"
		" p.nevra, p.id, v.op, v.evr",
	/* kernels */
	[ABIDB_ST_FIND_KERNEL] = "SELECT id FROM kernel WHERE release = ?1 AND arch = ?2",
	[ABIDB_ST_ADD_KERNEL] =
		"INSERT INTO kernel(release, arch, vermagic, source_id) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(release, arch) DO UPDATE SET"
		" vermagic = coalesce(vermagic, excluded.vermagic)",
	[ABIDB_ST_ADD_KSYM] =
		"INSERT INTO kernel_symbol(name, kernel_id, crc, module, export_type, namespace,"
		" source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT(name, kernel_id) DO UPDATE SET crc = coalesce(crc, excluded.crc),"
		" module = coalesce(module, excluded.module),"
		" export_type = coalesce(export_type, excluded.export_type),"
		" namespace = coalesce(namespace, excluded.namespace)",
	[ABIDB_ST_ADD_KABI] =
		"INSERT INTO kabi(name, arch, list, crc, module, export_type, source_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT(name, arch, list) DO UPDATE SET crc = coalesce(crc, excluded.crc),"
		" module = coalesce(module, excluded.module),"
		" export_type = coalesce(export_type, excluded.export_type)",
	[ABIDB_ST_ADD_SYSCALL] =
		"INSERT OR IGNORE INTO syscall(kernel, arch, nr, name, abi, entry, source_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ABIDB_ST_ADD_KCONFIG] =
		"INSERT OR IGNORE INTO kernel_config(kernel_id, key, value, source_id)"
		" VALUES (?1, ?2, ?3, ?4)",
	[ABIDB_ST_KSYMS] =
		"SELECT s.name, k.release, k.arch, s.crc, s.module, s.export_type, s.namespace"
		" FROM kernel_symbol s JOIN kernel k ON k.id = s.kernel_id"
		" WHERE s.name = ?1 AND (?2 IS NULL OR k.arch = ?2)"
		" ORDER BY k.arch, k.release COLLATE aoms_rpmver DESC, k.release",
	[ABIDB_ST_KSYMS_OF_KERNEL] =
		"SELECT s.name, k.release, k.arch, s.crc, s.module, s.export_type, s.namespace"
		" FROM kernel_symbol s JOIN kernel k ON k.id = s.kernel_id"
		" WHERE k.release = ?1 AND k.arch = ?2 ORDER BY s.name",
	[ABIDB_ST_KABI_OF_ARCH] =
		"SELECT list, arch, name, crc, module, export_type FROM kabi"
		" WHERE arch = ?1 ORDER BY list COLLATE aoms_rpmver DESC, list, name",
	[ABIDB_ST_KABI_ROWS] =
		"SELECT list, arch, name, crc, module, export_type FROM kabi"
		" WHERE name = ?1 AND (?2 IS NULL OR arch = ?2) AND (?3 IS NULL OR list = ?3)"
		" ORDER BY arch, list COLLATE aoms_rpmver DESC, list",
	[ABIDB_ST_SYSCALLS_NAME] =
		"SELECT kernel, arch, name, nr, abi, entry FROM syscall"
		" WHERE name = ?1 AND (?2 IS NULL OR arch = ?2) AND (?3 IS NULL OR kernel = ?3)"
		" ORDER BY arch, kernel COLLATE aoms_rpmver DESC, kernel, abi IS 'x32', nr",
	[ABIDB_ST_SYSCALLS_NR] =
		"SELECT kernel, arch, name, nr, abi, entry FROM syscall"
		" WHERE nr = ?1 AND (?2 IS NULL OR arch = ?2) AND (?3 IS NULL OR kernel = ?3)"
		" ORDER BY arch, kernel COLLATE aoms_rpmver DESC, kernel, abi IS 'x32', nr",
	[ABIDB_ST_KCONFIG] =
		"SELECT c.value FROM kernel_config c JOIN kernel k ON k.id = c.kernel_id"
		" WHERE c.key = ?1 AND k.arch = ?2 AND (?3 IS NULL OR k.release = ?3)"
		" ORDER BY k.release COLLATE aoms_rpmver DESC, k.release LIMIT 1",
	[ABIDB_ST_KERNELS] =
		"SELECT release, arch, vermagic FROM kernel"
		" ORDER BY arch, release COLLATE aoms_rpmver DESC, release",
	/* target facts */
	[ABIDB_ST_HAS_TABLE] = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
	[ABIDB_ST_HAS_COLUMN] = "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
	[ABIDB_ST_ADD_GLIBC_SONAME] =
		"INSERT OR IGNORE INTO glibc_soname(soname, source_id) VALUES (?1, ?2)",
	[ABIDB_ST_GLIBC_SONAMES] = "SELECT soname FROM glibc_soname ORDER BY soname",
	/* a library whose version nodes (base excluded) are all GLIBC_* */
	[ABIDB_ST_GLIBC_SONAMES_DERIVED] =
		"SELECT DISTINCT soname FROM (SELECT l.soname FROM library l"
		" JOIN verdef v ON v.lib_id = l.id GROUP BY l.id"
		" HAVING min(v.version GLOB 'GLIBC_*') = 1) ORDER BY soname",
	[ABIDB_ST_DERIVE_GLIBC_SONAMES] =
		"INSERT OR IGNORE INTO glibc_soname(soname, source_id)"
		" SELECT l.soname, min(l.source_id) FROM library l JOIN verdef v ON v.lib_id = l.id"
		" GROUP BY l.id HAVING min(v.version GLOB 'GLIBC_*') = 1 ORDER BY l.soname",
	[ABIDB_ST_LIBC_GLIBC_VERSIONS] =
		"SELECT DISTINCT v.version FROM library l JOIN verdef v ON v.lib_id = l.id"
		" WHERE l.soname = 'libc.so.6' AND v.version GLOB 'GLIBC_[0-9]*'",
	[ABIDB_ST_NEWEST_KERNEL] =
		"SELECT release FROM kernel ORDER BY release COLLATE aoms_rpmver DESC, release"
		" LIMIT 1",
	[ABIDB_ST_SET_META_UNSET] = "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)",
	/* eBPF facts (bpf.c; schema 2.2) */
	[ABIDB_ST_ADD_BPF_PROG] = BPF_ADD_SQL("bpf_prog_type"),
	[ABIDB_ST_ADD_BPF_MAP] = BPF_ADD_SQL("bpf_map_type"),
	[ABIDB_ST_ADD_BPF_HELPER] =
		"INSERT OR IGNORE INTO bpf_helper(kernel, id, name, upstream, available, gpl_only,"
		" source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ABIDB_ST_BPF_PROG] = BPF_FIND_SQL("bpf_prog_type", "0"),
	[ABIDB_ST_BPF_MAP] = BPF_FIND_SQL("bpf_map_type", "0"),
	[ABIDB_ST_BPF_HELPER] = BPF_FIND_SQL("bpf_helper", "gpl_only"),
	[ABIDB_ST_BPF_KERNELS] =
		"SELECT kernel FROM bpf_helper UNION SELECT kernel FROM bpf_prog_type"
		" UNION SELECT kernel FROM bpf_map_type ORDER BY 1",
	[ABIDB_ST_BPF_UPSTREAMS] =
		"SELECT upstream FROM bpf_helper WHERE kernel = ?1 AND available = 1"
		" AND upstream IS NOT NULL UNION SELECT upstream FROM bpf_prog_type"
		" WHERE kernel = ?1 AND available = 1 AND upstream IS NOT NULL"
		" UNION SELECT upstream FROM bpf_map_type WHERE kernel = ?1 AND available = 1"
		" AND upstream IS NOT NULL",
	/* kernel BTF (kernel-btf.c; schema 2.3) */
	[ABIDB_ST_ADD_KERNEL_BTF] =
		"INSERT OR REPLACE INTO kernel_btf(kernel_id, encoding, raw_size, data, origin,"
		" source_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* release ?1 exactly, or (?1 NULL) the newest; x86_64 before other arches */
	[ABIDB_ST_KERNEL_BTF] =
		"SELECT k.release, k.arch, b.encoding, b.raw_size, b.origin, b.data"
		" FROM kernel_btf b JOIN kernel k ON k.id = b.kernel_id"
		" WHERE ?1 IS NULL OR k.release = ?1"
		" ORDER BY k.arch != 'x86_64', k.release COLLATE aoms_rpmver DESC, k.release"
		" LIMIT 1",
	[ABIDB_ST_KERNEL_BTFS] =
		"SELECT k.release, k.arch, b.encoding, b.raw_size, b.origin, length(b.data)"
		" FROM kernel_btf b JOIN kernel k ON k.id = b.kernel_id"
		" ORDER BY k.arch, k.release COLLATE aoms_rpmver DESC, k.release",
	[ABIDB_ST_HAS_INTERPRETER] = "SELECT 1 FROM interpreter WHERE path = ?1 AND arch = ?2",
	/* exact rows first, then the most specific pattern; lookup.c keeps one class */
	[ABIDB_ST_SONAME_CHANGES] =
		"SELECT old_soname, new_soname, package, note FROM soname_change"
		" WHERE old_soname = ?1 OR (instr(old_soname, '*') > 0 AND ?1 GLOB old_soname)"
		" ORDER BY old_soname = ?1 DESC, length(old_soname) DESC, id",
	/* the installed libraries with known symbols whose soname starts with ?1 */
	[ABIDB_ST_SONAME_FAMILY] =
		/* [?1, ?3): the sonames that start with the stem ?1, a range of the
		 * (soname, arch) index instead of a scan of every library */
		"SELECT DISTINCT soname FROM library WHERE soname >= ?1 AND soname < ?3"
		" AND arch = ?2 AND installed = 1 AND symbols_known = 1"
		" ORDER BY soname COLLATE aoms_rpmver DESC",
	[ABIDB_ST_HAS_ARCH_LIBRARY] = "SELECT 1 FROM library WHERE arch = ?1 LIMIT 1",
	[ABIDB_ST_HAS_PROVIDES] = "SELECT 1 FROM provide LIMIT 1",
	[ABIDB_ST_ALL_META] = "SELECT key, value FROM meta ORDER BY key",
	[ABIDB_ST_ALL_SOURCES] = "SELECT name, provenance FROM source ORDER BY name",
	[ABIDB_ST_STATS] =
		"SELECT (SELECT count(*) FROM source),"
		" (SELECT count(*) FROM (SELECT DISTINCT soname, arch FROM library)),"
		" (SELECT count(*) FROM (SELECT DISTINCT soname, arch FROM library"
		"  WHERE symbols_known)),"
		" (SELECT count(*) FROM verdef), (SELECT count(*) FROM symbol),"
		" (SELECT count(*) FROM interpreter), (SELECT count(*) FROM soname_change),"
		" (SELECT count(*) FROM package), (SELECT count(*) FROM provide),"
		" (SELECT count(*) FROM kernel), (SELECT count(*) FROM kernel_symbol),"
		" (SELECT count(*) FROM kabi), (SELECT count(*) FROM syscall),"
		" (SELECT count(*) FROM kernel_config)",
	[ABIDB_ST_ADD_KMODULE] =
		"INSERT INTO kernel_module(kernel_id, name, path, builtin, source_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(kernel_id, name) DO UPDATE"
		" SET path = coalesce(path, excluded.path), builtin = max(builtin, excluded.builtin)",
	[ABIDB_ST_KMODULE] =
		"SELECT m.name, m.path, m.builtin FROM kernel_module m JOIN kernel k"
		" ON k.id = m.kernel_id WHERE k.release = ?1 AND k.arch = ?2 AND m.name = ?3",
	[ABIDB_ST_KMODULE_COUNT] =
		"SELECT count(*) FROM kernel_module m JOIN kernel k ON k.id = m.kernel_id"
		" WHERE k.release = ?1 AND k.arch = ?2 HAVING count(*) > 0",
	[ABIDB_ST_ADD_REPO_PACKAGE] =
		"INSERT OR IGNORE INTO repo_package(name, repo, source_id) VALUES (?1, ?2, ?3)",
	[ABIDB_ST_REPO_PACKAGE] =
		"SELECT name, repo FROM repo_package WHERE name = ?1 ORDER BY repo",
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

int aoms_abidb_check_tables(struct aoms_abidb *db, const char *label)
{
	for (size_t i = 0; i < ARRAY_SIZE(schema_tables); i++) {
		int r = aoms_abidb_has_table(db, schema_tables[i]);

		if (r < 0)
			return r;
		if (r == 0) {
			aoms_abidb_set_error(db, "'%s' is not an aoms database: no table %s", label,
					     schema_tables[i]);
			return -EINVAL;
		}
	}
	return 0;
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
	for (int m = 1; r >= 0 && m <= AOMS_ABIDB_SCHEMA_MINOR; m++)
		r = aoms_abidb_exec(db, schema_minor_sql[m]);
	if (r >= 0)
		r = aoms_abidb_exec(db, "INSERT INTO meta(key, value) VALUES ('schema_version', '"
					AOMS_ABIDB_SCHEMA_VERSION "')");
	if (r < 0) {
		aoms_abidb_exec(db, "ROLLBACK");
		return r;
	}
	return aoms_abidb_exec(db, "COMMIT");
}

int aoms_abidb_upgrade_schema(struct aoms_abidb *db, int from_minor)
{
	int r;

	if (from_minor >= AOMS_ABIDB_SCHEMA_MINOR)
		return 0;
	r = aoms_abidb_exec(db, "BEGIN");
	if (r < 0)
		return r;
	for (int m = from_minor + 1; r >= 0 && m <= AOMS_ABIDB_SCHEMA_MINOR; m++)
		r = aoms_abidb_exec(db, schema_minor_sql[m]);
	if (r >= 0)
		r = aoms_abidb_exec(db, "UPDATE meta SET value = '" AOMS_ABIDB_SCHEMA_VERSION "'"
					" WHERE key = 'schema_version'");
	if (r < 0) {
		aoms_abidb_exec(db, "ROLLBACK");
		return r;
	}
	db->schema_minor = AOMS_ABIDB_SCHEMA_MINOR;
	return aoms_abidb_exec(db, "COMMIT");
}
