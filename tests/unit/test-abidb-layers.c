/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Databases that layer (abi-db/layers.c): what a later layer knows hides the earlier
 * layers' rows for it, what it does not know falls through, listings gather all. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "abidb.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

/* the lower layer: a target */
static const char base_tsv[] =
	"#!source base\n"
	"#!table meta\n#key\tvalue\n"
	"name\tbase-target\ncoverage\tpartial\narches\tx86_64\nglibc_version\t2.28\n"
	"#!table libraries\n#arch\tsoname\tpath\tpackage\n"
	"x86_64\tlibfoo.so.1\t/usr/lib64/libfoo.so.1\tfoo\n"
	"x86_64\tlibbase.so.1\t/usr/lib64/libbase.so.1\tbase\n"
	"#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	"x86_64\tlibfoo.so.1\tFOO_1\tfoo_one\t@@\tF\n"
	"x86_64\tlibfoo.so.1\tFOO_1\tshared_sym\t@@\tF\n"
	"x86_64\tlibbase.so.1\tBASE_1\tshared_sym\t@@\tF\n"
	"#!table soname-changes\n#el7_soname\tel8_soname\tpackage\tnote\n"
	"libold.so.1\tlibnew.so.1\tnew-base\tbase says\n"
	"libkeep.so.1\tREMOVED\t-\tgone\n"
	"#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	"foo\t-\t1.0\t1\tx86_64\t-\t1\n"
	"#!table provides\n#nevra\tcapability\top\tevr\n"
	"foo-1.0-1.x86_64\tlibfoo.so.1()(64bit)\t-\t-\n"
	"foo-1.0-1.x86_64\tfoo-tool\t-\t-\n"
	"#!table kernels\n#release\tarch\tvermagic\n"
	"4.18.0-1.el8\tx86_64\tbase-magic\n"
	"4.18.0-2.el8\tx86_64\t-\n"
	"#!table interpreters\n#arch\tpath\tpackage\n"
	"x86_64\t/lib64/ld-base.so.2\tbase\n"
	"#!table kernel-modules\n#release\tarch\tmodule\tpath\tbuiltin\n"
	"4.18.0-1.el8\tx86_64\te1000e\tdrivers/net/ethernet/intel/e1000e/e1000e\t0\n"
	"4.18.0-1.el8\tx86_64\text4\t-\t1\n";

/* the upper layer: a site's own facts */
static const char site_tsv[] =
	"#!source site\n"
	"#!table meta\n#key\tvalue\n"
	"name\tsite\n"
	"#!table libraries\n#arch\tsoname\tpath\tpackage\n"
	"x86_64\tlibfoo.so.1\t/opt/site/libfoo.so.1\tsite-foo\n"
	"ppc64le\tlibppc.so.1\t/opt/site/libppc.so.1\tsite-ppc\n"
	"#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	"x86_64\tlibfoo.so.1\tFOO_2\tfoo_two\t@@\tF\n"
	"#!table soname-changes\n#el7_soname\tel8_soname\tpackage\tnote\n"
	"libold.so.1\tlibsite.so.2\tsite-new\tthe site says\n"
	"#!table packages\n#name\tepoch\tversion\trelease\tarch\tnevra\tinstalled\n"
	"site-foo\t-\t2.0\t1\tx86_64\t-\t1\n"
	"#!table provides\n#nevra\tcapability\top\tevr\n"
	"site-foo-2.0-1.x86_64\tlibfoo.so.1()(64bit)\t-\t-\n"
	"#!table kernels\n#release\tarch\tvermagic\n"
	"4.18.0-1.el8\tx86_64\tsite-magic\n"
	"#!table interpreters\n#arch\tpath\tpackage\n"
	"ppc64le\t/lib64/ld-site.so.2\tsite-ppc\n";

static char *make_db(const char *name, const char *tsv)
{
	struct aoms_abidb *db = aoms_test_new_db(name);

	assert_true(aoms_test_import(db, tsv, NULL) > 0);
	OK(aoms_abidb_mark_built(db));
	aoms_abidb_free(db);
	return aoms_test_path(name);
}

static struct aoms_abidb *open_stack(char **ret_base, char **ret_site)
{
	struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *reason = NULL;

	*ret_base = make_db("base.db", base_tsv);
	*ret_site = make_db("site.db", site_tsv);
	OK(aoms_abidb_open_layers((const char *const[]){ *ret_base, *ret_site }, 2, &db, &reason));
	assert_null(reason);
	return db;
}

static int collect_provider(const struct aoms_abidb_provider *p, void *ud)
{
	aoms_test_list_add(ud, "%s", p->nevra);
	return 0;
}

static int collect_kernel(const char *release, const char *arch, const char *vermagic, void *ud)
{
	aoms_test_list_add(ud, "%s/%s/%s", release, arch, vermagic ? vermagic : "-");
	return 0;
}

static int collect_export(const struct aoms_abidb_export *e, void *ud)
{
	aoms_test_list_add(ud, "%s@%s", e->soname, e->version);
	return 0;
}

static void test_libraries(void **state)
{
	_cleanup_(freep) char *base = NULL, *site = NULL;
	struct aoms_abidb *db = open_stack(&base, &site);
	const struct aoms_libabi *lib;

	assert_int_equal(aoms_abidb_n_layers(db), 2);
	assert_string_equal(aoms_abidb_label(aoms_abidb_layer(db, 0)), base);
	assert_string_equal(aoms_abidb_label(aoms_abidb_layer(db, 1)), site);
	assert_ptr_equal(aoms_abidb_layer(db, 1), db);
	assert_null(aoms_abidb_layer(db, 2));
	/* the site's libfoo hides the base's: its path, package and versions only */
	OK(aoms_abidb_find_library(db, "libfoo.so.1", "x86_64", &lib));
	assert_string_equal(lib->path, "/opt/site/libfoo.so.1");
	assert_string_equal(lib->package, "site-foo");
	assert_true(aoms_libabi_has_verdef(lib, "FOO_2"));
	assert_false(aoms_libabi_has_verdef(lib, "FOO_1"));
	/* what the site does not know falls through */
	OK(aoms_abidb_find_library(db, "libbase.so.1", "x86_64", &lib));
	assert_string_equal(lib->package, "base");
	assert_int_equal(aoms_abidb_find_library(db, "libnone.so.1", "x86_64", &lib), -ENOENT);
	/* the exporters of a symbol: the base's libfoo is hidden, its libbase is not */
	struct aoms_test_list l = { 0 };
	OK(aoms_abidb_foreach_exporter(db, "shared_sym", NULL, NULL, collect_export, &l));
	assert_string_equal(l.text, "libbase.so.1@BASE_1");
	/* each layer judged on its own facts: the base's meta arches, the site's library */
	assert_int_equal(aoms_abidb_has_arch(db, "x86_64"), 1);
	assert_int_equal(aoms_abidb_has_arch(db, "ppc64le"), 1);
	assert_int_equal(aoms_abidb_has_arch(db, "s390x"), 0);
	/* interpreters: either layer's answers */
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-base.so.2", "x86_64"), 1);
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-site.so.2", "ppc64le"), 1);
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib64/ld-site.so.2", "x86_64"), 0);
	aoms_abidb_free(db);
}

static void test_facts(void **state)
{
	_cleanup_(freep) char *base = NULL, *site = NULL;
	struct aoms_abidb *db = open_stack(&base, &site);
	_cleanup_(freep) char *name = NULL, *coverage = NULL;
	struct aoms_test_list l = { 0 };
	const char *glibc = NULL;
	struct aoms_abidb_stats st;

	/* meta: the site's key wins, the others fall through */
	OK(aoms_abidb_read_meta(db, "name", &name));
	assert_string_equal(name, "site");
	OK(aoms_abidb_read_meta(db, "coverage", &coverage));
	assert_string_equal(coverage, "partial");
	OK(aoms_abidb_target_glibc(db, &glibc));
	assert_string_equal(glibc, "2.28");
	assert_int_equal(aoms_abidb_read_meta(db, "no-such-key", &name), -ENOENT);
	/* providers of a capability the site provides: the site's only */
	OK(aoms_abidb_foreach_provider(db, "libfoo.so.1()(64bit)", "x86_64", collect_provider, &l));
	assert_string_equal(l.text, "site-foo-2.0-1.x86_64");
	l = (struct aoms_test_list){ 0 };
	OK(aoms_abidb_foreach_provider(db, "foo-tool", "x86_64", collect_provider, &l));
	assert_string_equal(l.text, "foo-1.0-1.x86_64");
	assert_int_equal(aoms_abidb_has_packages(db), 1);
	/* soname changes: the site's transition of libold, the base's of libkeep */
	l = (struct aoms_test_list){ 0 };
	OK(aoms_abidb_foreach_soname_change(db, "libold.so.1", aoms_test_collect_change, &l));
	assert_string_equal(l.text, "libold.so.1>libsite.so.2|site-new");
	l = (struct aoms_test_list){ 0 };
	OK(aoms_abidb_foreach_soname_change(db, "libkeep.so.1", aoms_test_collect_change, &l));
	assert_string_equal(l.text, "libkeep.so.1>REMOVED|-");
	/* kernels: every layer's, a release the site has hides the base's */
	l = (struct aoms_test_list){ 0 };
	OK(aoms_abidb_foreach_kernel(db, collect_kernel, &l));
	assert_string_equal(l.text, "4.18.0-1.el8/x86_64/site-magic;4.18.0-2.el8/x86_64/-");
	/* kernel modules: the site's database has the table but no module of the kernel,
	 * so the base's list counts (a count of 0 is no answer) */
	assert_int_equal(aoms_abidb_count_kernel_modules(db, "4.18.0-1.el8", "x86_64"), 2);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1.el8", "x86_64", "e1000e", NULL), 1);
	assert_int_equal(aoms_abidb_has_kernel_module(db, "4.18.0-1.el8", "x86_64", "floppy", NULL), 0);
	assert_int_equal(aoms_abidb_count_kernel_modules(db, "4.18.0-2.el8", "x86_64"), 0);
	/* stats are of the layer asked */
	OK(aoms_abidb_stats(db, &st));
	assert_int_equal(st.libraries, 2);
	OK(aoms_abidb_stats(aoms_abidb_layer(db, 0), &st));
	assert_int_equal(st.libraries, 2);
	assert_int_equal(st.kernels, 2);
	aoms_abidb_free(db);
}

static void test_open_errors(void **state)
{
	_cleanup_(freep) char *site = make_db("site2.db", site_tsv);
	_cleanup_(freep) char *missing = aoms_test_path("missing.db");
	_cleanup_(freep) char *garbage = aoms_test_path("garbage.db");
	struct aoms_abidb *db = NULL;
	char *reason = NULL;

	aoms_test_write_file("garbage.db", "not a database\n");
	assert_int_equal(aoms_abidb_open_layers((const char *const[]){ site, garbage }, 2, &db,
						&reason), -EINVAL);
	assert_non_null(reason);
	assert_non_null(strstr(reason, garbage));
	free(reason);
	reason = NULL;
	assert_int_equal(aoms_abidb_open_layers((const char *const[]){ AOMS_ABIDB_EMBEDDED, missing },
						2, &db, &reason), -ENOENT);
	assert_non_null(strstr(reason, "cannot open database '"));
	assert_non_null(strstr(reason, missing));
	free(reason);
	assert_null(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libraries),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
