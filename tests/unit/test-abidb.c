/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db: schema, writers, lookups, import, the embedded default database. */
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
#include "abidb.h"

static char tmpdir[] = "/tmp/test-abidb.XXXXXX";

static const char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

/* ---- a database written through the API ---- */

static void write_sample(const char *path)
{
	struct aoms_abidb *db = NULL;
	int64_t src, src2, foo, foo2, bar;

	assert_int_equal(aoms_abidb_create(path, &db), 0);
	assert_int_equal(aoms_abidb_begin(db), 0);
	assert_int_equal(aoms_abidb_set_meta(db, "name", "sample"), 0);
	assert_int_equal(aoms_abidb_set_meta(db, "coverage", "partial"), 0);
	assert_int_equal(aoms_abidb_add_source(db, "unit", "written by test-abidb", &src), 0);
	assert_int_equal(aoms_abidb_add_source(db, "unit", NULL, &src2), 0);
	assert_int_equal(src, src2);
	assert_int_equal(aoms_abidb_add_source(db, "other", NULL, &src2), 0);
	assert_int_not_equal(src, src2);

	assert_int_equal(aoms_abidb_add_library(db, src, "libfoo.so.1", "x86_64",
						"/usr/lib64/libfoo.so.1", "foo", &foo), 0);
	assert_int_equal(aoms_abidb_add_verdef(db, foo, "FOO_1.0"), 0);
	assert_int_equal(aoms_abidb_add_verdef(db, foo, "FOO_2.0"), 0);
	assert_int_equal(aoms_abidb_add_verdef(db, foo, "FOO_2.0"), 0); /* no-op */
	assert_int_equal(aoms_abidb_add_symbol(db, foo, "foo", "FOO_2.0", true, "F"), 0);
	assert_int_equal(aoms_abidb_add_symbol(db, foo, "foo", "FOO_1.0", false, "F"), 0);
	assert_int_equal(aoms_abidb_add_symbol(db, foo, "plain", NULL, true, "D 0x8"), 0);
	assert_int_equal(aoms_abidb_add_needed(db, foo, "libc.so.6"), 0);
	/* the same soname elsewhere, from another source: merged by find_library */
	assert_int_equal(aoms_abidb_add_library(db, src2, "libfoo.so.1", "x86_64",
						"/opt/x/libfoo.so.1", NULL, &foo2), 0);
	assert_int_equal(aoms_abidb_add_verdef(db, foo2, "FOO_3.0"), 0);
	assert_int_equal(aoms_abidb_add_symbol(db, foo2, "baz", "FOO_3.0", true, "F"), 0);
	/* presence only */
	assert_int_equal(aoms_abidb_add_library(db, src, "libbar.so.2", "x86_64", NULL, "bar",
						&bar), 0);
	assert_int_equal(aoms_abidb_add_library(db, src, "libfoo.so.1", "aarch64",
						"/usr/lib64/libfoo.so.1", "foo", NULL), 0);
	assert_int_equal(aoms_abidb_add_interpreter(db, src, "/lib64/ld-linux-x86-64.so.2",
						    "x86_64", "glibc"), 0);
	assert_int_equal(aoms_abidb_add_soname_change(db, src, "libold.so.1", "libnew.so.2",
						      "new", "renamed"), 0);
	assert_int_equal(aoms_abidb_add_soname_change(db, src, "libold.so.1", NULL, NULL, NULL),
			 0);
	assert_int_equal(aoms_abidb_add_soname_change(db, src, "libb_*.so.1", "libb_*.so.2",
						      "b", NULL), 0);
	assert_int_equal(aoms_abidb_add_soname_change(db, src, "libb_*-mt.so.1", NULL, NULL,
						      "no -mt"), 0);
	assert_int_equal(aoms_abidb_commit(db), 0);
	assert_int_equal(aoms_abidb_compact(db), 0);
	aoms_abidb_free(db);
}

static void test_find_library(void **state)
{
	const char *path = tmp_path("sample.db");
	const struct aoms_libabi *lib, *again;
	struct aoms_abidb *db = NULL;

	write_sample(path);
	assert_int_equal(aoms_abidb_open(path, &db), 0);

	assert_int_equal(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib), 0);
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

	assert_int_equal(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &again), 0);
	assert_ptr_equal(lib, again);
	assert_int_equal(aoms_abidb_find_library(db, "libfoo.so.1", "aarch64", &again), 0);
	assert_ptr_not_equal(lib, again);
	assert_false(again->symbols_known);

	assert_int_equal(aoms_abidb_find_library(db, "libbar.so.2", "x86_64", &lib), 0);
	assert_false(lib->symbols_known);
	assert_null(lib->path);
	assert_string_equal(lib->package, "bar");

	for (int i = 0; i < 2; i++) /* the second answer comes from the cache */
		assert_int_equal(aoms_abidb_find_library(db, "libnope.so.1", "x86_64", &lib),
				 -ENOENT);
	assert_int_equal(aoms_abidb_find_library(db, "libbar.so.2", "aarch64", &lib), -ENOENT);
	assert_int_equal(aoms_abidb_find_library(db, NULL, "x86_64", &lib), -EINVAL);

	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-linux-x86-64.so.2", "x86_64"), 1);
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-linux-x86-64.so.2", "aarch64"), 0);
	assert_true(aoms_abidb_add_verdef(db, 1, "X") < 0); /* read-only */
	aoms_abidb_free(db);
}

struct changes {
	char text[512];
	int n;
};

static int collect_change(const struct aoms_soname_change *c, void *ud)
{
	struct changes *ch = ud;
	size_t len = strlen(ch->text);

	snprintf(ch->text + len, sizeof(ch->text) - len, "%s%s>%s|%s", ch->n ? ";" : "",
		 c->old_soname, c->new_soname ? c->new_soname : "REMOVED",
		 c->package ? c->package : "-");
	ch->n++;
	return 0;
}

static void expect_changes(struct aoms_abidb *db, const char *soname, const char *want)
{
	struct changes ch = { .n = 0 };

	assert_int_equal(aoms_abidb_foreach_soname_change(db, soname, collect_change, &ch), 0);
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
	const char *path = tmp_path("info.db");
	struct aoms_abidb_stats st;
	struct aoms_abidb *db = NULL;
	char *v;
	int n = 0;

	write_sample(path);
	assert_int_equal(aoms_abidb_open(path, &db), 0);
	expect_changes(db, "libold.so.1", "libold.so.1>libnew.so.2|new;libold.so.1>REMOVED|-");
	expect_changes(db, "libb_x.so.1", "libb_x.so.1>libb_x.so.2|b");
	expect_changes(db, "libb_x-mt.so.1", "libb_x-mt.so.1>REMOVED|-");
	expect_changes(db, "libzzz.so.1", "");
	assert_int_equal(aoms_abidb_foreach_soname_change(db, "libold.so.1", stop_at_first, NULL),
			 42);

	assert_int_equal(aoms_abidb_stats(db, &st), 0);
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
	assert_int_equal(aoms_abidb_foreach_meta(db, count_pair, &n), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(aoms_abidb_foreach_source(db, count_pair, &n), 0);
	assert_int_equal(n, 2);
	assert_false(aoms_abidb_is_complete(db));
	assert_true(aoms_abidb_has_arch(db, "aarch64")); /* no "arches": from the rows */
	assert_false(aoms_abidb_has_arch(db, "s390x"));
	aoms_abidb_free(db);
}
