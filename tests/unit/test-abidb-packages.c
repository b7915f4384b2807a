/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db packages and provides, installed vs available libraries, exports
 * listings, RPM version order and capability spellings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "abidb.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

/* ---- RPM version order ---- */

static const struct {
	const char *a, *b;
	int want;
} vercmp_cases[] = {
	{ "1.0", "1.0", 0 }, { "1.0", "2.0", -1 }, { "2.0", "1.0", 1 },
	{ "1.10", "1.9", 1 }, { "1.05", "1.5", 0 }, { "1.0", "1.0.1", -1 },
	{ "1.0a", "1.0", 1 }, { "1.0", "1.0a", -1 }, { "a", "1", -1 }, { "1", "a", 1 },
	{ "1.0~rc1", "1.0", -1 }, { "1.0~rc1", "1.0~rc2", -1 }, { "1.0~~", "1.0~", -1 },
	{ "1.0^git1", "1.0", 1 }, { "1.0^git1", "1.0.1", -1 }, { "1.0^", "1.0^git1", -1 },
	{ "408.el8", "80.el8", 1 }, { "1_0", "1.0", 0 }, { "abc", "abd", -1 },
	{ "10000000000000000000001", "9", 1 }, { "", "1", -1 }, { NULL, "1", -1 },
	{ NULL, NULL, 0 },
};

static void test_rpmvercmp(void **state)
{
	for (size_t i = 0; i < sizeof(vercmp_cases) / sizeof(vercmp_cases[0]); i++) {
		int r = aoms_abidb_rpmvercmp(vercmp_cases[i].a, vercmp_cases[i].b);
		int back = aoms_abidb_rpmvercmp(vercmp_cases[i].b, vercmp_cases[i].a);

		if (r != vercmp_cases[i].want || back != -vercmp_cases[i].want)
			fail_msg("rpmvercmp('%s', '%s') = %d / %d, want %d", vercmp_cases[i].a,
				 vercmp_cases[i].b, r, back, vercmp_cases[i].want);
	}
}

/* ---- capability spellings ---- */

static const struct {
	const char *cap, *soname, *version;
	bool is64;
} cap_cases[] = {
	{ "libc.so.6(GLIBC_2.14)(64bit)", "libc.so.6", "GLIBC_2.14", true },
	{ "libfoo.so.1()(64bit)", "libfoo.so.1", NULL, true },
	{ "libfoo.so.1", "libfoo.so.1", NULL, false },
	{ "libc.so.6(GLIBC_2.0)", "libc.so.6", "GLIBC_2.0", false },
	{ "ld-linux-x86-64.so.2()(64bit)", "ld-linux-x86-64.so.2", NULL, true },
};
static const char *const not_caps[] = {
	"/usr/bin/python3", "python3", "libfoo.so.1(64bit)", "libfoo.so.1(V", "libfoo.so.1(a)(b)",
	"libfoo.so.1(V)x", "()(64bit)", "perl(Foo::Bar)", "",
};

static const struct {
	const char *a, *b;
	int want;   /* sign */
} evr_cases[] = {
	{ "2.28-211.el8", "2.34", -1 },          /* no release on one side: version decides */
	{ "2.28-211.el8", "2.28", 0 },
	{ "2.28-211.el8", "2.28-151.el8", 1 },
	{ "1:1.0.2o-4.el8", "1.0.2o-4.el8", 1 },  /* epoch first */
	{ "0:1.0-1", "1.0-1", 0 },                /* missing epoch is 0 */
	{ "1.10-1", "1.9-9", 1 },
	{ "1.0~rc1-1", "1.0-1", -1 },
	{ "", "0", -1 },
};

static const struct {
	const char *pop, *pevr, *op, *evr;
	bool want;
} satisfies_cases[] = {
	{ "=", "2.28-211.el8", ">=", "2.34", false },
	{ "=", "2.28-211.el8", ">=", "2.17", true },
	{ "=", "2.28-211.el8", "<", "2.29", true },
	{ "=", "2.28-211.el8", "<=", "2.28", true },
	{ "=", "2.28-211.el8", ">", "2.28", false },
	{ "=", "2.28-211.el8", "=", "2.28-211.el8", true },
	{ "=", "2.28-211.el8", "=", "2.28-210.el8", false },
	{ "=", "1:1.0-1", ">=", "2.0", true },    /* epoch 1 beats any epoch 0 */
	{ NULL, NULL, ">=", "9", true },          /* unversioned provide */
	{ "=", "1.0", NULL, NULL, true },         /* unversioned requirement */
	{ ">=", "1.0", "<", "0.5", true },        /* ranged provide: not compared */
};

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_evr(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(evr_cases); i++) {
		int r = sign(aoms_abidb_evrcmp(evr_cases[i].a, evr_cases[i].b));
		int back = sign(aoms_abidb_evrcmp(evr_cases[i].b, evr_cases[i].a));

		if (r != evr_cases[i].want || back != -evr_cases[i].want)
			fail_msg("evrcmp('%s', '%s') = %d / %d, want %d", evr_cases[i].a,
				 evr_cases[i].b, r, back, evr_cases[i].want);
	}
	for (size_t i = 0; i < ARRAY_SIZE(satisfies_cases); i++)
		if (aoms_abidb_provide_satisfies(satisfies_cases[i].pop, satisfies_cases[i].pevr,
						 satisfies_cases[i].op, satisfies_cases[i].evr) !=
		    satisfies_cases[i].want)
			fail_msg("provide %s %s satisfies %s %s: want %d", satisfies_cases[i].pop,
				 satisfies_cases[i].pevr, satisfies_cases[i].op,
				 satisfies_cases[i].evr, satisfies_cases[i].want);
}

static void test_capabilities(void **state)
{
	for (size_t i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++) {
		char *soname = NULL, *version = NULL, *back;
		bool is64 = !cap_cases[i].is64;

		OK(aoms_abidb_parse_soname_capability(cap_cases[i].cap, &soname, &version, &is64));
		assert_string_equal(soname, cap_cases[i].soname);
		if (cap_cases[i].version)
			assert_string_equal(version, cap_cases[i].version);
		else
			assert_null(version);
		assert_int_equal(is64, cap_cases[i].is64);
		back = aoms_abidb_soname_capability(soname, version, is64);
		assert_string_equal(back, cap_cases[i].cap);
		free(back);
		free(soname);
		free(version);
	}
	for (size_t i = 0; i < sizeof(not_caps) / sizeof(not_caps[0]); i++) {
		char *soname = NULL, *version = NULL;
		bool is64;

		if (aoms_abidb_parse_soname_capability(not_caps[i], &soname, &version, &is64) !=
		    -EINVAL)
			fail_msg("'%s' parsed as a soname capability", not_caps[i]);
	}
}

/* ---- packages and providers ---- */

static void write_packages(struct aoms_abidb *db)
{
	int64_t root, repo, p;

	OK(aoms_abidb_add_source(db, "root", NULL, &root));
	OK(aoms_abidb_add_source(db, "repo", NULL, &repo));
	OK(aoms_abidb_begin(db));
	/* available only: two versions (newest wins), a noarch one, another name */
	OK(aoms_abidb_add_package(db, repo, "foo-libs", -1, "1.9", "1.el8", "x86_64", NULL, false,
				  &p));
	OK(aoms_abidb_add_provide(db, p, "libfoo.so.1()(64bit)", NULL, NULL));
	OK(aoms_abidb_add_provide(db, p, "libfoo.so.1()(64bit)", "", "")); /* the same */
	OK(aoms_abidb_add_package(db, repo, "foo-libs", -1, "1.10", "1.el8", "x86_64", NULL, false,
				  &p));
	OK(aoms_abidb_add_provide(db, p, "libfoo.so.1()(64bit)", NULL, NULL));
	OK(aoms_abidb_add_provide(db, p, "foo-libs(x86-64)", "=", "1.10-1.el8"));
	OK(aoms_abidb_add_package(db, repo, "afoo-compat", 2, "0.1", "3", "noarch", NULL, false,
				  &p));
	OK(aoms_abidb_add_provide(db, p, "libfoo.so.1()(64bit)", NULL, NULL));
	OK(aoms_abidb_add_package(db, repo, "bfoo", -1, "1", "1", "aarch64", NULL, false, &p));
	OK(aoms_abidb_add_provide(db, p, "libfoo.so.1()(64bit)", NULL, NULL));
	/* installed */
	OK(aoms_abidb_add_package(db, root, "python3", 0, "3.6.8", "47.el8", "x86_64",
				  "python36-0:3.6.8-47.el8.x86_64", true, &p));
	OK(aoms_abidb_add_provide(db, p, "/usr/bin/python3", NULL, NULL));
	OK(aoms_abidb_add_package(db, repo, "zpython", -1, "3.9", "1", "x86_64", NULL, false, &p));
	OK(aoms_abidb_add_provide(db, p, "/usr/bin/python3", NULL, NULL));
	/* bad writes */
	assert_int_equal(aoms_abidb_add_package(db, repo, "", -1, "1", "1", "x86_64", NULL, true,
						NULL), -EINVAL);
	assert_int_equal(aoms_abidb_add_package(db, repo, "x", -1, "1", NULL, "x86_64", NULL,
						true, NULL), -EINVAL);
	assert_int_equal(aoms_abidb_add_provide(db, p, "x", "=", NULL), -EINVAL);
	assert_int_equal(aoms_abidb_add_provide(db, p, "x", NULL, "1.0"), -EINVAL);
	assert_int_equal(aoms_abidb_add_provide(db, p, "x", "=>", "1.0"), -EINVAL);
	assert_int_equal(aoms_abidb_add_provide(db, p, "", NULL, NULL), -EINVAL);
	OK(aoms_abidb_commit(db));
}

static int collect_provider(const struct aoms_abidb_provider *p, void *ud)
{
	aoms_test_list_add(ud, "%s%s", p->nevra, p->installed ? "+" : "");
	return 0;
}

static void expect_providers(struct aoms_abidb *db, const char *cap, const char *arch,
			     const char *want)
{
	struct aoms_test_list c = { .n = 0 };

	OK(aoms_abidb_foreach_provider(db, cap, arch, collect_provider, &c));
	assert_string_equal(c.text, want);
}

static void test_providers(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("packages.db");
	struct aoms_abidb_provider p;
	struct aoms_abidb_stats st;

	write_packages(db);
	expect_providers(db, "libfoo.so.1()(64bit)", "x86_64",
			 "foo-libs-1.10-1.el8.x86_64;foo-libs-1.9-1.el8.x86_64;"
			 "afoo-compat-2:0.1-3.noarch");
	expect_providers(db, "libfoo.so.1()(64bit)", NULL,
			 "bfoo-1-1.aarch64;foo-libs-1.10-1.el8.x86_64;foo-libs-1.9-1.el8.x86_64;"
			 "afoo-compat-2:0.1-3.noarch");
	expect_providers(db, "/usr/bin/python3", "x86_64",
			 "python36-0:3.6.8-47.el8.x86_64+;zpython-3.9-1.x86_64");
	expect_providers(db, "libfoo.so.1()(64bit)", "noarch", /* any arch */
			 "bfoo-1-1.aarch64;foo-libs-1.10-1.el8.x86_64;foo-libs-1.9-1.el8.x86_64;"
			 "afoo-compat-2:0.1-3.noarch");
	expect_providers(db, "libnope.so.1", NULL, "");

	OK(aoms_abidb_find_provider(db, "libfoo.so.1()(64bit)", "x86_64", &p));
	assert_string_equal(p.name, "foo-libs");
	assert_string_equal(p.evr, "1.10-1.el8");
	assert_string_equal(p.arch, "x86_64");
	assert_false(p.installed);
	assert_null(p.provide_op);
	aoms_abidb_provider_release(&p);
	OK(aoms_abidb_find_provider(db, "/usr/bin/python3", NULL, &p));
	assert_true(p.installed);
	assert_string_equal(p.evr, "0:3.6.8-47.el8");
	aoms_abidb_provider_release(&p);
	OK(aoms_abidb_find_provider(db, "foo-libs(x86-64)", "x86_64", &p));
	assert_string_equal(p.provide_op, "=");
	assert_string_equal(p.provide_evr, "1.10-1.el8");
	aoms_abidb_provider_release(&p);
	aoms_abidb_provider_release(NULL);
	assert_int_equal(aoms_abidb_find_provider(db, "/usr/bin/python3", "s390x", &p), -ENOENT);
	OK(aoms_abidb_find_provider(db, "libfoo.so.1()(64bit)", "s390x", &p)); /* noarch */
	assert_string_equal(p.arch, "noarch");
	aoms_abidb_provider_release(&p);
	assert_int_equal(aoms_abidb_find_provider(db, NULL, NULL, &p), -EINVAL);
	OK(aoms_abidb_stats(db, &st));
	assert_int_equal(st.packages, 6);
	assert_int_equal(st.provides, 7);
	aoms_abidb_free(db);
}

/* ---- installed and available libraries ---- */

static void test_library_installed(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("installed.db");
	const struct aoms_libabi *lib;
	int64_t src, a, b, c;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	/* libfoo: installed 1.0 and an available newer build with more */
	OK(aoms_abidb_add_library(db, src, "libfoo.so.1", "x86_64", "/usr/lib64/libfoo.so.1",
				  "foo", &a));
	OK(aoms_abidb_add_symbol(db, a, "old", "FOO_1", true, "F"));
	OK(aoms_abidb_add_verdef(db, a, "FOO_1"));
	OK(aoms_abidb_add_library(db, src, "libfoo.so.1", "x86_64", "/a/libfoo.so.1", "foo-new",
				  &b));
	OK(aoms_abidb_set_library_installed(db, b, false));
	OK(aoms_abidb_add_symbol(db, b, "new", "FOO_2", true, "F"));
	OK(aoms_abidb_add_verdef(db, b, "FOO_2"));
	/* libbar: only available */
	OK(aoms_abidb_add_library(db, src, "libbar.so.1", "x86_64", "/usr/lib64/libbar.so.1",
				  "bar", &c));
	OK(aoms_abidb_set_library_installed(db, c, false));
	OK(aoms_abidb_set_symbols_known(db, c));

	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	assert_false(lib->available_only);
	assert_string_equal(lib->path, "/usr/lib64/libfoo.so.1");
	assert_string_equal(lib->package, "foo");
	assert_true(aoms_libabi_has_symbol(lib, "old", "FOO_1"));
	assert_false(aoms_libabi_has_symbol(lib, "new", NULL)); /* the repository's only */
	assert_false(aoms_libabi_has_verdef(lib, "FOO_2"));
	OK(aoms_abidb_find_library(db, "libbar.so.1", "x86_64", &lib));
	assert_true(lib->available_only);
	assert_string_equal(lib->package, "bar");
	assert_true(lib->symbols_known);
	OK(aoms_abidb_find_capability_library(db, "libfoo.so.1(FOO_1)(64bit)", "x86_64", &lib));
	assert_string_equal(lib->soname, "libfoo.so.1");
	assert_int_equal(aoms_abidb_find_capability_library(db, "libfoo.so.1(FOO_2)(64bit)",
							    "x86_64", &lib), -ENOENT);
	assert_int_equal(aoms_abidb_find_capability_library(db, "/usr/bin/foo", "x86_64", &lib),
			 -EINVAL);
	assert_int_equal(aoms_abidb_find_capability_library(db, "libzz.so.1()(64bit)", "x86_64",
							    &lib), -ENOENT);
	aoms_abidb_free(db);
}

static int collect_export(const struct aoms_abidb_export *e, void *ud)
{
	aoms_test_list_add(ud, "%s:%s%s%s%s", e->arch, e->soname, e->name,
			   *e->version ? (e->is_default ? "@@" : "@") : "", e->version);
	return 0;
}

static void test_exports(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("exports.db");
	struct aoms_test_list c = { .n = 0 };
	int64_t src, a, b, d;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_library(db, src, "libq.so.1", "x86_64", NULL, NULL, &a));
	OK(aoms_abidb_add_symbol(db, a, "q", "Q_2", true, "F"));
	OK(aoms_abidb_add_symbol(db, a, "q", "Q_1", false, "F"));
	OK(aoms_abidb_add_symbol(db, a, "a_plain", NULL, true, "D 0x4"));
	/* a second row (another source's) merges; a not-installed one does not */
	OK(aoms_abidb_add_library(db, src, "libq.so.1", "x86_64", NULL, NULL, &b));
	OK(aoms_abidb_add_symbol(db, b, "q", "Q_2", true, "F"));
	OK(aoms_abidb_add_library(db, src, "libq.so.1", "x86_64", NULL, NULL, &d));
	OK(aoms_abidb_set_library_installed(db, d, false));
	OK(aoms_abidb_add_symbol(db, d, "z_new", "Q_3", true, "F"));
	OK(aoms_abidb_add_library(db, src, "libr.so.1", "aarch64", NULL, NULL, &d));
	OK(aoms_abidb_add_symbol(db, d, "q", "Q_2", true, "F"));

	OK(aoms_abidb_foreach_export(db, "libq.so.1", "x86_64", collect_export, &c));
	assert_string_equal(c.text, "x86_64:libq.so.1a_plain;x86_64:libq.so.1q@Q_1;"
				    "x86_64:libq.so.1q@@Q_2");
	memset(&c, 0, sizeof(c));
	OK(aoms_abidb_foreach_exporter(db, "q", NULL, NULL, collect_export, &c));
	assert_string_equal(c.text, "aarch64:libr.so.1q@@Q_2;x86_64:libq.so.1q@Q_1;"
				    "x86_64:libq.so.1q@@Q_2");
	memset(&c, 0, sizeof(c));
	OK(aoms_abidb_foreach_exporter(db, "q", "Q_2", "x86_64", collect_export, &c));
	assert_string_equal(c.text, "x86_64:libq.so.1q@@Q_2");
	memset(&c, 0, sizeof(c));
	OK(aoms_abidb_foreach_exporter(db, "a_plain", "", NULL, collect_export, &c));
	assert_string_equal(c.text, "x86_64:libq.so.1a_plain");
	memset(&c, 0, sizeof(c));
	OK(aoms_abidb_foreach_exporter(db, "z_new", NULL, NULL, collect_export, &c));
	assert_string_equal(c.text, ""); /* only in a not-installed row of an installed lib */
	assert_int_equal(aoms_abidb_foreach_export(db, NULL, "x86_64", collect_export, &c),
			 -EINVAL);
	aoms_abidb_free(db);
}

/* ---- the packages and provides tables ---- */

static const char package_table[] =
	"#!source unit-repo\n"
	"#!table packages\n"
	"#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	"compat-openssl10\t1\t1.0.2o\t4.el8_6\tx86_64\t-\t0\n"
	"glibc\t-\t2.28\t236.el8\tx86_64\tglibc-2.28-236.el8.x86_64\t1\n"
	"#!table provides\n"
	"#nevra\tcapability\top\tevr\n"
	"compat-openssl10-1:1.0.2o-4.el8_6.x86_64\tlibcrypto.so.10()(64bit)\t-\t-\n"
	"compat-openssl10-1:1.0.2o-4.el8_6.x86_64\tlibcrypto.so.10(OPENSSL_1.0.2)(64bit)\t\t\n"
	"glibc-2.28-236.el8.x86_64\tglibc\t=\t2.28-236.el8\n";

static const struct {
	const char *text;
	unsigned line;
	const char *msg;
} bad_package_tables[] = {
	{ "#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	  "a\tx\t1\t1\tx86_64\t-\t1\n", 3, "epoch" },
	{ "#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	  "a\t-\t1\t1\tx86_64\t-\tyes\n", 3, "installed" },
	{ "#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	  "a\t-\t\t1\tx86_64\t-\t1\n", 3, "empty" },
	{ "#!table provides\n#nevra\tcapability\top\tevr\nnope-1-1.x86_64\tx\t-\t-\n", 3,
	  "unknown package" },
	{ "#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	  "a\t-\t1\t1\tx86_64\t-\t1\n#!table provides\n#nevra\tcapability\top\tevr\n"
	  "a-1-1.x86_64\tx\t~=\t1\n", 6, "bad provide version" },
};

static void test_import_packages(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("import.db");
	struct aoms_abidb_provider p;
	unsigned line = 0;

	assert_int_equal(aoms_test_import(db, package_table, &line), 5);
	OK(aoms_abidb_find_provider(db, "libcrypto.so.10(OPENSSL_1.0.2)(64bit)", "x86_64", &p));
	assert_string_equal(p.nevra, "compat-openssl10-1:1.0.2o-4.el8_6.x86_64");
	assert_false(p.installed);
	aoms_abidb_provider_release(&p);
	OK(aoms_abidb_find_provider(db, "glibc", NULL, &p));
	assert_true(p.installed);
	assert_string_equal(p.provide_evr, "2.28-236.el8");
	aoms_abidb_provider_release(&p);
	for (size_t i = 0; i < sizeof(bad_package_tables) / sizeof(bad_package_tables[0]); i++) {
		int r = aoms_test_import(db, bad_package_tables[i].text, &line);

		if (r != -EINVAL || line != bad_package_tables[i].line ||
		    !strstr(aoms_abidb_errmsg(db), bad_package_tables[i].msg))
			fail_msg("case %zu: r %d line %u '%s'", i, r, line, aoms_abidb_errmsg(db));
	}
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpmvercmp),
		cmocka_unit_test(test_evr),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_providers),
		cmocka_unit_test(test_library_installed),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_import_packages),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
