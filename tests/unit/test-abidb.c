/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db: schema, writers, lookups, the embedded default database (import:
 * test-abidb-import.c). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "config.h"  /* AOMS_VERSION, in the refusal's text */
#include "abidb.h"
#include "abidb-private.h" /* aoms_abidb_memvfs_open */
#include "strbuf.h"        /* aoms_strdupf */
#include "testutil.h"

/* An API call that must succeed. */
#define OK(expr) assert_int_equal((expr), 0)

/* ---- a database written through the API ---- */

static void write_sample(const char *path)
{
	struct aoms_abidb *db = NULL;
	int64_t src, src2, foo, foo2, bar;

	unlink(path);   /* aoms_abidb_create() never replaces a file */
	OK(aoms_abidb_create(path, &db));
	OK(aoms_abidb_begin(db));
	OK(aoms_abidb_set_meta(db, "name", "sample"));
	OK(aoms_abidb_set_meta(db, "coverage", "partial"));
	OK(aoms_abidb_add_source(db, "unit", "written by test-abidb", &src));
	OK(aoms_abidb_add_source(db, "unit", NULL, &src2));
	assert_int_equal(src, src2);
	OK(aoms_abidb_add_source(db, "other", NULL, &src2));
	assert_int_not_equal(src, src2);

	OK(aoms_abidb_add_library(db, src, "libfoo.so.1", "x86_64", "/usr/lib64/libfoo.so.1",
	   "foo", &foo));
	OK(aoms_abidb_add_verdef(db, foo, "FOO_1.0"));
	OK(aoms_abidb_add_verdef(db, foo, "FOO_2.0"));
	OK(aoms_abidb_add_verdef(db, foo, "FOO_2.0")); /* no-op */
	OK(aoms_abidb_add_symbol(db, foo, "foo", "FOO_2.0", true, "F"));
	OK(aoms_abidb_add_symbol(db, foo, "foo", "FOO_1.0", false, "F"));
	OK(aoms_abidb_add_symbol(db, foo, "plain", NULL, true, "D 0x8"));
	OK(aoms_abidb_add_needed(db, foo, "libc.so.6"));
	/* the same soname elsewhere, from another source: merged by find_library */
	OK(aoms_abidb_add_library(db, src2, "libfoo.so.1", "x86_64", "/opt/x/libfoo.so.1",
	   NULL, &foo2));
	OK(aoms_abidb_add_verdef(db, foo2, "FOO_3.0"));
	OK(aoms_abidb_add_symbol(db, foo2, "baz", "FOO_3.0", true, "F"));
	/* presence only */
	OK(aoms_abidb_add_library(db, src, "libbar.so.2", "x86_64", NULL, "bar", &bar));
	OK(aoms_abidb_add_library(db, src, "libfoo.so.1", "aarch64", "/usr/lib64/libfoo.so.1",
	   "foo", NULL));
	OK(aoms_abidb_add_interpreter(db, src, "/lib64/ld-linux-x86-64.so.2", "x86_64", "glibc"));
	OK(aoms_abidb_add_soname_change(db, src, "libold.so.1", "libnew.so.2", "new", "renamed"));
	OK(aoms_abidb_add_soname_change(db, src, "libold.so.1", NULL, NULL, NULL));
	OK(aoms_abidb_add_soname_change(db, src, "libb_*.so.1", "libb_*.so.2", "b", NULL));
	OK(aoms_abidb_add_soname_change(db, src, "libb_*-mt.so.1", NULL, NULL, "no -mt"));
	OK(aoms_abidb_mark_built(db));
	OK(aoms_abidb_commit(db));
	OK(aoms_abidb_compact(db));
	aoms_abidb_free(db);
}

static void test_find_library(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("sample.db");
	const struct aoms_libabi *lib, *again;
	struct aoms_abidb *db = NULL;

	write_sample(path);
	OK(aoms_abidb_open(path, &db));

	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	assert_string_equal(lib->soname, "libfoo.so.1");
	assert_string_equal(lib->arch, "x86_64");
	assert_string_equal(lib->path, "/opt/x/libfoo.so.1"); /* first by path */
	assert_string_equal(lib->package, "foo");
	assert_true(lib->symbols_known);
	assert_int_equal(lib->n_verdefs, 3);
	assert_true(aoms_libabi_has_verdef(lib, "FOO_1.0"));
	assert_true(aoms_libabi_has_verdef(lib, "FOO_3.0"));
	assert_false(aoms_libabi_has_verdef(lib, "FOO_4.0"));
	assert_true(aoms_libabi_has_symbol(lib, "foo", "FOO_2.0"));
	assert_true(aoms_libabi_has_symbol(lib, "foo", "FOO_1.0")); /* compat "@" */
	assert_true(aoms_libabi_has_symbol(lib, "foo", NULL));
	assert_false(aoms_libabi_has_symbol(lib, "foo", "FOO_3.0"));
	assert_true(aoms_libabi_has_symbol(lib, "plain", NULL));
	assert_false(aoms_libabi_has_symbol(lib, "plain", "FOO_1.0"));
	assert_true(aoms_libabi_has_symbol(lib, "baz", "FOO_3.0"));
	assert_false(aoms_libabi_has_symbol(lib, "nothere", NULL));
	assert_int_equal(lib->n_needed, 1);
	assert_string_equal(lib->needed[0], "libc.so.6");

	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &again));
	assert_ptr_equal(lib, again);
	OK(aoms_abidb_find_library(db, "libfoo.so.1", "aarch64", &again));
	assert_ptr_not_equal(lib, again);
	assert_false(again->symbols_known);

	OK(aoms_abidb_find_library(db, "libbar.so.2", "x86_64", &lib));
	assert_false(lib->symbols_known);
	assert_null(lib->path);
	assert_string_equal(lib->package, "bar");

	for (int i = 0; i < 2; i++) /* the second answer comes from the cache */
		assert_int_equal(aoms_abidb_find_library(db, "libnope.so.1", "x86_64", &lib),
				 -ENOENT);
	assert_int_equal(aoms_abidb_find_library(db, "libbar.so.2", "aarch64", &lib), -ENOENT);
	assert_int_equal(aoms_abidb_find_library(db, NULL, "x86_64", &lib), -EINVAL);

	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-linux-x86-64.so.2", "x86_64"), 1);
	OK(aoms_abidb_has_interpreter(db, "/lib64/ld-linux-x86-64.so.2", "aarch64"));
	assert_true(aoms_abidb_add_verdef(db, 1, "X") < 0); /* read-only */
	aoms_abidb_free(db);
}

static void expect_changes(struct aoms_abidb *db, const char *soname, const char *want)
{
	struct aoms_test_list ch = { .n = 0 };

	OK(aoms_abidb_foreach_soname_change(db, soname, aoms_test_collect_change, &ch));
	assert_string_equal(ch.text, want);
}

static int stop_at_first(const struct aoms_soname_change *c, void *ud)
{
	return 42;
}

static int count_pair(const char *a, const char *b, void *ud)
{
	(*(int *)ud)++;
	return 0;
}

static void test_info(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("info.db");
	struct aoms_abidb_stats st;
	struct aoms_abidb *db = NULL;
	char *v;
	int n = 0;

	write_sample(path);
	OK(aoms_abidb_open(path, &db));
	expect_changes(db, "libold.so.1", "libold.so.1>libnew.so.2|new;libold.so.1>REMOVED|-");
	expect_changes(db, "libb_x.so.1", "libb_x.so.1>libb_x.so.2|b");
	expect_changes(db, "libb_x-mt.so.1", "libb_x-mt.so.1>REMOVED|-");
	expect_changes(db, "libzzz.so.1", "");
	assert_int_equal(aoms_abidb_foreach_soname_change(db, "libold.so.1", stop_at_first, NULL),
			 42);

	OK(aoms_abidb_stats(db, &st));
	assert_int_equal(st.sources, 2);
	assert_int_equal(st.libraries, 3);
	assert_int_equal(st.libraries_with_symbols, 1);
	assert_int_equal(st.verdefs, 3);
	assert_int_equal(st.symbols, 4);
	assert_int_equal(st.interpreters, 1);
	assert_int_equal(st.soname_changes, 4);

	v = aoms_abidb_get_meta(db, "schema_version");
	assert_string_equal(v, AOMS_ABIDB_SCHEMA_VERSION);
	free(v);
	assert_null(aoms_abidb_get_meta(db, "nope"));
	OK(aoms_abidb_foreach_meta(db, count_pair, &n));
	assert_int_equal(n, 4);   /* with build_complete */
	n = 0;
	OK(aoms_abidb_foreach_source(db, count_pair, &n));
	assert_int_equal(n, 2);
	assert_false(aoms_abidb_is_complete(db));
	assert_true(aoms_abidb_has_arch(db, "aarch64")); /* no "arches": from the rows */
	assert_false(aoms_abidb_has_arch(db, "s390x"));
	aoms_abidb_free(db);
}

/* ---- opening ---- */

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *s = NULL;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

static void test_open_errors(void **state)
{
	struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *missing = aoms_test_path("missing.db");
	_cleanup_(freep) char *text = aoms_test_path("text.db");
	_cleanup_(freep) char *other = aoms_test_path("other.db");
	_cleanup_(freep) char *version = aoms_test_path("version.db");

	assert_int_equal(aoms_abidb_open(missing, &db), -ENOENT);
	assert_int_equal(aoms_abidb_open(aoms_test_tmpdir, &db), -EINVAL);
	aoms_test_write_file("text.db",
			     "this is not a database, it only says so at some length............"
			     "...................................................................\n");
	assert_int_equal(aoms_abidb_open(text, &db), -EINVAL);
	sql_exec(other, "CREATE TABLE t(x)");
	assert_int_equal(aoms_abidb_open(other, &db), -EINVAL);
	write_sample(version);
	sql_exec(version, "UPDATE meta SET value = '999' WHERE key = 'schema_version'");
	assert_int_equal(aoms_abidb_open(version, &db), -EINVAL);
	assert_null(db);
}

/* Opens path read-only, expecting r and (for -EINVAL) the reason's text. */
static void expect_open(const char *path, int r, const char *reason)
{
	struct aoms_abidb *db = NULL;
	char *why = NULL;

	assert_int_equal(aoms_abidb_open_ex(path, 0, &db, &why), r);
	if (reason)
		assert_string_equal(why, reason);
	else
		assert_null(why);
	if (r == 0)
		assert_non_null(db);
	else
		assert_null(db);
	aoms_abidb_free(db);
	free(why);
}

/* MAJOR.MINOR: every 2.x opens (older and newer minors), another major or no
 * schema_version is refused with a reason that says what reads it and how to
 * rebuild it. */
static void test_schema_versions(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("schema.db");
	_cleanup_(freep) char *want = NULL;
	const struct aoms_libabi *lib;
	struct aoms_abidb *db = NULL;
	uint32_t k;
	char *v = NULL;

	write_sample(path);
	OK(aoms_abidb_open(path, &db));
	v = aoms_abidb_get_meta(db, "schema_version");
	assert_string_equal(v, AOMS_ABIDB_SCHEMA_VERSION);
	free(v);
	assert_int_equal(aoms_abidb_has_table(db, "glibc_soname"), 1);
	aoms_abidb_free(db);

	/* 2.0, written "2" before minors existed: no glibc_soname, no target facts */
	sql_exec(path, "UPDATE meta SET value = '2' WHERE key = 'schema_version';"
		       "DROP TABLE glibc_soname");
	expect_open(path, 0, NULL);
	OK(aoms_abidb_open(path, &db));
	assert_int_equal(aoms_abidb_has_table(db, "glibc_soname"), 0);
	assert_int_equal(aoms_abidb_target_kernel(db, &k), -ENOENT);
	assert_int_equal(aoms_abidb_runs_arch(db, "x86_64"), -ENOENT);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "libfoo.so.1"), 0); /* FOO_1.0 */
	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	aoms_abidb_free(db);
	/* a writer brings it up to this minor */
	OK(aoms_abidb_open_writable(path, &db));
	OK(aoms_abidb_add_glibc_soname(db, 1, "libc.so.6"));
	aoms_abidb_free(db);
	OK(aoms_abidb_open(path, &db));
	v = aoms_abidb_get_meta(db, "schema_version");
	assert_string_equal(v, AOMS_ABIDB_SCHEMA_VERSION);
	free(v);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "libc.so.6"), 1);
	aoms_abidb_free(db);

	/* a newer minor: one more table and column; read as it is, written as it is */
	sql_exec(path, "UPDATE meta SET value = '2.7' WHERE key = 'schema_version';"
		       "CREATE TABLE future(x); ALTER TABLE library ADD COLUMN future_col TEXT");
	OK(aoms_abidb_open(path, &db));
	assert_int_equal(aoms_abidb_has_column(db, "library", "future_col"), 1);
	assert_int_equal(aoms_abidb_has_column(db, "library", "no_such_col"), 0);
	assert_int_equal(aoms_abidb_has_table(db, "future"), 1);
	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	assert_true(aoms_libabi_has_symbol(lib, "foo", "FOO_1.0"));
	aoms_abidb_free(db);
	OK(aoms_abidb_open_writable(path, &db));
	aoms_abidb_free(db);
	OK(aoms_abidb_open(path, &db));
	v = aoms_abidb_get_meta(db, "schema_version");
	assert_string_equal(v, "2.7");
	free(v);
	aoms_abidb_free(db);

	/* another major, newer or older */
	sql_exec(path, "UPDATE meta SET value = '3.0' WHERE key = 'schema_version'");
	want = aoms_strdupf("database '%s' has schema 3.0; this aoms (%s) reads schema 2.x; "
			    "open it with an aoms that reads schema 3.x, or rebuild it with "
			    "'aoms db build' or 'aoms db import'", path, AOMS_VERSION);
	expect_open(path, -EINVAL, want);
	free(want);
	sql_exec(path, "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
	want = aoms_strdupf("database '%s' has schema 1.0; this aoms (%s) reads schema 2.x; "
			    "open it with an aoms that reads schema 1.x, or rebuild it with "
			    "'aoms db build' or 'aoms db import'", path, AOMS_VERSION);
	expect_open(path, -EINVAL, want);
	assert_int_equal(aoms_abidb_open_writable(path, &db), -EINVAL);
	free(want);
	sql_exec(path, "UPDATE meta SET value = '2.x' WHERE key = 'schema_version'");
	want = aoms_strdupf("database '%s' has schema '2.x', which is no version; this aoms (%s) "
			    "reads schema 2.x; rebuild it with 'aoms db build' or 'aoms db import'",
			    path, AOMS_VERSION);
	expect_open(path, -EINVAL, want);
	free(want);
	/* none at all */
	sql_exec(path, "DELETE FROM meta WHERE key = 'schema_version'");
	want = aoms_strdupf("database '%s' has no schema_version; this aoms (%s) reads schema "
			    "2.x; rebuild it with 'aoms db build' or 'aoms db import'", path,
			    AOMS_VERSION);
	expect_open(path, -EINVAL, want);
	free(want);
	want = aoms_strdupf("'%s' is not an aoms database (not a file)", aoms_test_tmpdir);
	expect_open(aoms_test_tmpdir, -EINVAL, want);
	free(want);
	want = NULL;   /* freed above */
	expect_open("/nonexistent/x.db", -ENOENT, NULL);
}

/* The target facts as the default database ships them, and as a builder derives
 * them from the libraries and kernels it recorded. */
static void test_target_facts(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("derive.db");
	struct aoms_abidb *db = NULL;
	const char *const *sonames;
	const char *glibc;
	int64_t src, libc, crypt, ld;
	uint32_t k;
	size_t n;

	OK(aoms_abidb_open(NULL, &db));
	OK(aoms_abidb_target_kernel(db, &k));
	assert_int_equal(k, 4u << 16 | 18u << 8);
	OK(aoms_abidb_target_glibc(db, &glibc));
	assert_string_equal(glibc, "2.28");
	assert_int_equal(aoms_abidb_runs_arch(db, "i686"), 1);
	assert_int_equal(aoms_abidb_runs_arch(db, "loongarch64"), 1);
	assert_int_equal(aoms_abidb_runs_arch(db, "s390x"), 0);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "libpthread.so.0"), 1);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "ld-linux-x86-64.so.2"), 1);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "libcrypt.so.1"), 0);
	assert_int_equal(aoms_abidb_soname_is_glibc(db, "libstdc++.so.6"), 0);
	assert_int_equal(aoms_abidb_has_arch(db, "i686"), 0);   /* runs it, no facts */
	aoms_abidb_free(db);

	OK(aoms_abidb_create(path, &db));
	OK(aoms_abidb_begin(db));
	OK(aoms_abidb_add_source(db, "root", "unit", &src));
	OK(aoms_abidb_add_library(db, src, "libc.so.6", "x86_64", "/usr/lib64/libc.so.6", NULL,
				  &libc));
	OK(aoms_abidb_add_verdef(db, libc, "GLIBC_2.2.5"));
	OK(aoms_abidb_add_verdef(db, libc, "GLIBC_2.9"));
	OK(aoms_abidb_add_verdef(db, libc, "GLIBC_2.28"));
	OK(aoms_abidb_add_verdef(db, libc, "GLIBC_PRIVATE"));
	OK(aoms_abidb_add_library(db, src, "ld-linux-x86-64.so.2", "x86_64", NULL, NULL, &ld));
	OK(aoms_abidb_add_verdef(db, ld, "GLIBC_2.3"));
	/* libxcrypt keeps GLIBC_2.2.5 for compatibility, but it is not glibc's */
	OK(aoms_abidb_add_library(db, src, "libcrypt.so.1", "x86_64", NULL, NULL, &crypt));
	OK(aoms_abidb_add_verdef(db, crypt, "GLIBC_2.2.5"));
	OK(aoms_abidb_add_verdef(db, crypt, "XCRYPT_2.0"));
	OK(aoms_abidb_add_kernel(db, src, "4.18.0-477.el8.x86_64", "x86_64", NULL));
	OK(aoms_abidb_add_kernel(db, src, "4.18.0-80.el8.x86_64", "x86_64", NULL));
	OK(aoms_abidb_set_meta(db, "arches", "x86_64"));
	OK(aoms_abidb_derive_target(db));
	OK(aoms_abidb_mark_built(db));
	OK(aoms_abidb_commit(db));
	aoms_abidb_free(db);

	OK(aoms_abidb_open(path, &db));
	OK(aoms_abidb_target_kernel(db, &k));
	assert_int_equal(k, 4u << 16 | 18u << 8);
	OK(aoms_abidb_target_glibc(db, &glibc));
	assert_string_equal(glibc, "2.28");
	assert_int_equal(aoms_abidb_runs_arch(db, "x86_64"), 1);
	assert_int_equal(aoms_abidb_runs_arch(db, "aarch64"), 0);
	OK(aoms_abidb_glibc_sonames(db, &sonames, &n));
	assert_int_equal(n, 2);
	assert_string_equal(sonames[0], "ld-linux-x86-64.so.2");
	assert_string_equal(sonames[1], "libc.so.6");
	assert_int_equal(aoms_abidb_derive_target(db), -EROFS);
	aoms_abidb_free(db);
}

/* A sample database's bytes; the caller frees them. */
static unsigned char *sample_image(const char *name, long *ret_size)
{
	_cleanup_(freep) char *path = aoms_test_path(name);
	unsigned char *buf;
	FILE *f;

	write_sample(path);
	f = fopen(path, "re");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*ret_size = ftell(f);
	rewind(f);
	buf = malloc((size_t)*ret_size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)*ret_size, f), (size_t)*ret_size);
	fclose(f);
	return buf;
}

/* kernel_module (2.4): names normalized, builtin kept, unknown kernels count 0,
 * and a 2.2 database without the table answers 0 */
static void test_kernel_modules(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("kmodules.db");
	struct aoms_abidb *db = NULL;
	bool builtin = false;
	int64_t src;

	(void)state;
	unlink(path);
	OK(aoms_abidb_create(path, &db));
	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_kernel_module(db, src, "4.18.0-1", "x86_64", "nf-conntrack",
					"net/netfilter/nf_conntrack", false));
	OK(aoms_abidb_add_kernel_module(db, src, "4.18.0-1", "x86_64", "crc32c_intel", NULL, true));
	OK(aoms_abidb_add_kernel_module(db, src, "4.18.0-1", "x86_64", "crc32c-intel",
					"arch/x86/crypto/crc32c-intel", false));
	assert_int_equal(aoms_abidb_add_kernel_module(db, src, "4.18.0-1", "x86_64", "", NULL, false),
			 -EINVAL);
	assert_int_equal(aoms_abidb_count_kernel_modules(db, "4.18.0-1", "x86_64"), 2);
	assert_int_equal(aoms_abidb_count_kernel_modules(db, "4.18.0-2", "x86_64"), 0);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1", "x86_64", "nf_conntrack", &builtin), 1);
	assert_false(builtin);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1", "x86_64", "crc32c_intel", &builtin), 1);
	assert_true(builtin);   /* a later non-builtin row keeps it built in */
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1", "x86_64", "floppy", NULL), 0);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1", "aarch64", "nf-conntrack", NULL), 0);
	aoms_abidb_free(db);

	write_sample(path);   /* a complete database, then made 2.2 */
	sql_exec(path, "UPDATE meta SET value = '2.2' WHERE key = 'schema_version';"
		       "DROP TABLE kernel_module");
	OK(aoms_abidb_open(path, &db));
	assert_int_equal(aoms_abidb_count_kernel_modules(db, "4.18.0-1", "x86_64"), 0);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1", "x86_64", "floppy", NULL), 0);
	aoms_abidb_free(db);
}

/* repo_package (2.5): a name's first repository by name, -ENOENT for an unknown name
 * and in a 2.4 database without the table; the import table "repo-packages" */
static void test_repo_packages(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("repopkgs.db");
	static const char table[] = "#!table repo-packages\n#name\trepo\n"
				    "libXi-devel\tCRB\nlibXi-devel\tAppStream\nexpat\tBaseOS\n";
	struct aoms_abidb *db = NULL;
	char *repo = NULL;
	int64_t src;
	FILE *f;

	(void)state;
	unlink(path);
	OK(aoms_abidb_create(path, &db));
	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	assert_non_null(f = fmemopen((void *)table, sizeof(table) - 1, "r"));
	assert_int_equal(aoms_abidb_import(db, f, "repo.tsv", NULL), 3);
	fclose(f);
	OK(aoms_abidb_add_repo_package(db, src, "expat", "BaseOS"));   /* again: no-op */
	assert_int_equal(aoms_abidb_add_repo_package(db, src, "", "BaseOS"), -EINVAL);
	OK(aoms_abidb_repo_package(db, "libXi-devel", &repo));
	assert_string_equal(repo, "AppStream");   /* the first by name */
	free(repo);
	OK(aoms_abidb_repo_package(db, "expat", &repo));
	assert_string_equal(repo, "BaseOS");
	free(repo);
	assert_int_equal(aoms_abidb_repo_package(db, "libXi", &repo), -ENOENT);
	aoms_abidb_free(db);

	write_sample(path);   /* a complete database, then made 2.4 */
	sql_exec(path, "UPDATE meta SET value = '2.4' WHERE key = 'schema_version';"
		       "DROP TABLE repo_package");
	OK(aoms_abidb_open(path, &db));
	assert_int_equal(aoms_abidb_repo_package(db, "expat", &repo), -ENOENT);
	aoms_abidb_free(db);
}

static void test_open_memory(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("memory.db");
	const struct aoms_libabi *lib;
	struct aoms_abidb *db = NULL;
	long size;
	unsigned char *buf = sample_image("memory.db", &size);

	OK(aoms_abidb_open_memory(buf, (size_t)size, &db));
	memset(buf, 0, (size_t)size); /* the db has its own copy */
	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	assert_true(aoms_libabi_has_symbol(lib, "foo", "FOO_1.0"));
	assert_true(aoms_abidb_set_meta(db, "k", "v") < 0); /* read-only */
	aoms_abidb_free(db);
	assert_int_equal(aoms_abidb_open_memory(buf, (size_t)size, &db), -EINVAL);
	free(buf);

	OK(aoms_abidb_open_writable(path, &db));
	OK(aoms_abidb_set_meta(db, "coverage", "complete"));
	aoms_abidb_free(db);
	OK(aoms_abidb_open(path, &db));
	assert_int_equal(aoms_abidb_is_complete(db), 1);
	aoms_abidb_free(db);
}

/* The fallback for SQLite without sqlite3_deserialize(), whichever this build uses. */
static void test_memvfs(void **state)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *s = NULL;
	long size;
	unsigned char *buf = sample_image("memvfs.db", &size);

	assert_int_equal(aoms_abidb_memvfs_open(buf, (size_t)size, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM symbol", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 4);
	sqlite3_finalize(st);
	assert_int_not_equal(sqlite3_exec(s, "INSERT INTO meta VALUES ('a', 'b')", NULL, NULL,
					  NULL), SQLITE_OK);
	sqlite3_close(s);
	/* a truncated image is an error, not a crash */
	assert_int_equal(aoms_abidb_memvfs_open(buf, 1000, &s), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(s, "SELECT count(*) FROM symbol", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(s);
	free(buf);
}

/* ---- the embedded default database (tests link abi-db/embedded.S) ---- */

static void test_embedded(void **state)
{
	const struct aoms_libabi *lib;
	struct aoms_abidb *db = NULL;
	char *name;

	OK(aoms_abidb_open(NULL, &db));
	name = aoms_abidb_get_meta(db, "name");
	assert_string_equal(name, "anolis8");
	free(name);
	assert_false(aoms_abidb_is_complete(db));
	assert_true(aoms_abidb_has_arch(db, "x86_64"));
	assert_true(aoms_abidb_has_arch(db, "aarch64"));
	assert_false(aoms_abidb_has_arch(db, "x86"));

	OK(aoms_abidb_find_library(db, "libc.so.6", "x86_64", &lib));
	assert_true(lib->symbols_known);
	assert_string_equal(lib->package, "glibc");
	assert_true(aoms_libabi_has_verdef(lib, "GLIBC_2.28"));
	assert_false(aoms_libabi_has_verdef(lib, "GLIBC_2.29"));
	assert_true(aoms_libabi_has_symbol(lib, "memcpy", "GLIBC_2.14"));
	assert_true(aoms_libabi_has_symbol(lib, "memcpy", "GLIBC_2.2.5"));
	assert_false(aoms_libabi_has_symbol(lib, "memcpy", "GLIBC_2.17"));
	OK(aoms_abidb_find_library(db, "libc.so.6", "aarch64", &lib));
	assert_true(aoms_libabi_has_verdef(lib, "GLIBC_2.17"));
	assert_false(aoms_libabi_has_verdef(lib, "GLIBC_2.2.5"));

	OK(aoms_abidb_find_library(db, "libstdc++.so.6", "x86_64", &lib));
	assert_true(aoms_libabi_has_verdef(lib, "GLIBCXX_3.4.25"));
	assert_false(aoms_libabi_has_verdef(lib, "GLIBCXX_3.4.26"));
	assert_true(aoms_libabi_has_verdef(lib, "CXXABI_1.3.11"));
	OK(aoms_abidb_find_library(db, "libgcc_s.so.1", "aarch64", &lib));
	assert_true(aoms_libabi_has_verdef(lib, "GCC_7.0.0"));

	aoms_abidb_free(db);
}

static void test_embedded_more(void **state)
{
	const struct aoms_libabi *lib;
	struct aoms_abidb_stats st;
	struct aoms_abidb *db = NULL;
	struct aoms_test_list ch = { .n = 0 };

	OK(aoms_abidb_open(NULL, &db));
	OK(aoms_abidb_find_library(db, "libcrypto.so.1.1", "x86_64", &lib));
	assert_string_equal(lib->package, "openssl-libs");
	assert_true(aoms_libabi_has_symbol(lib, "EVP_sha256", "OPENSSL_1_1_0"));
	OK(aoms_abidb_find_library(db, "libcrypto.so.10", "x86_64", &lib));
	assert_string_equal(lib->package, "compat-openssl10");
	assert_true(lib->symbols_known);
	/* presence only, from the soname-changes table */
	OK(aoms_abidb_find_library(db, "libgcrypt.so.20", "aarch64", &lib));
	assert_false(lib->symbols_known);
	assert_int_equal(aoms_abidb_find_library(db, "libgcrypt.so.11", "x86_64", &lib), -ENOENT);

	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-linux-x86-64.so.2", "x86_64"), 1);
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib/ld-linux-aarch64.so.1", "aarch64"), 1);
	OK(aoms_abidb_has_interpreter(db, "/lib/ld-linux.so.2", "x86_64"));

	OK(aoms_abidb_foreach_soname_change(db, "libboost_system.so.1.53.0", aoms_test_collect_change, &ch));
	assert_string_equal(ch.text,
			    "libboost_system.so.1.53.0>libboost_system.so.1.66.0|boost-<component>");
	OK(aoms_abidb_stats(db, &st));
	assert_true(st.symbols > 30000);
	assert_true(st.interpreters == 5);
	aoms_abidb_free(db);
}

/* ---- concurrent lookups ---- */

static const char *const thread_sonames[] = {
	"libc.so.6", "libm.so.6", "libstdc++.so.6", "libcrypto.so.1.1", "libssl.so.1.1",
	"libnope.so.1", "libgcc_s.so.1", "libpthread.so.0", "libcrypto.so.10", "libdl.so.2",
};

struct thread_arg {
	struct aoms_abidb *db;
	const struct aoms_libabi *seen[2][10];
	int failures;
};

static void *lookup_thread(void *p)
{
	struct thread_arg *a = p;
	static const char *const arches[] = { "x86_64", "aarch64" };

	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < 10; i++) {
			size_t k = (i + (size_t)round) % 10, ai = (size_t)round % 2;
			const struct aoms_libabi *lib = NULL;
			int r = aoms_abidb_find_library(a->db, thread_sonames[k], arches[ai], &lib);

			if (r == -ENOENT ? k != 5 : (r < 0 || !lib->symbols_known))
				a->failures++;
			if (r == 0 && a->seen[ai][k] && a->seen[ai][k] != lib)
				a->failures++;
			a->seen[ai][k] = r == 0 ? lib : NULL;
		}
	return NULL;
}

static void test_threads(void **state)
{
	struct thread_arg args[4];
	pthread_t th[4];
	struct aoms_abidb *db = NULL;

	OK(aoms_abidb_open(NULL, &db));
	for (int i = 0; i < 4; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].db = db;
		OK(pthread_create(&th[i], NULL, lookup_thread, &args[i]));
	}
	for (int i = 0; i < 4; i++) {
		OK(pthread_join(th[i], NULL));
		OK(args[i].failures);
		for (int ai = 0; ai < 2; ai++)
			for (int k = 0; k < 10; k++)
				assert_ptr_equal(args[i].seen[ai][k], args[0].seen[ai][k]);
	}
	assert_non_null(args[0].seen[0][0]);
	assert_null(args[0].seen[0][5]);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_library),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_memory),
		cmocka_unit_test(test_kernel_modules),
		cmocka_unit_test(test_repo_packages),
		cmocka_unit_test(test_schema_versions),
		cmocka_unit_test(test_target_facts),
		cmocka_unit_test(test_memvfs),
		cmocka_unit_test(test_embedded),
		cmocka_unit_test(test_embedded_more),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
