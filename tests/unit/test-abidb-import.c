/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db: the fact-table import of the library tables (abi-db/data/README.md). */
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

/* ---- import ---- */

static const char good_table[] =
	"# a comment\n"
	"#!source unit-import\n"
	"#!provenance line one\n"
	"#!provenance line two\n"
	"#!arch x86_64\n"
	"#!table libraries\n"
	"#soname\tpath\tpackage\n"
	"libq.so.1\t/usr/lib64/libq.so.1\tq-libs\n"
	"libr.so.2\t-\t-\n"
	"#!table libraries\n"
	"#soname\tpath\tpackage\tinstalled\n"
	"libavail.so.1\t-\tavail-pkg\t0\n"
	"#!table symbols\n"
	"#soname\tversion\tsymbol\tbinding\ttype\n"
	"libq.so.1\tQ_1\tQ_1\t@@\tA\n"
	"libq.so.1\tQ_2\tq_new\t@@\tF\n"
	"libq.so.1\tQ_1\tq_old\t@\tF\n"
	"libq.so.1\t\tq_plain\t\tD 0x4\n"
	"libr.so.2\tR_1\tr\t\tF\r\n"
	"\n"
	"#!table interpreters\n"
	"#arch\tpath\tpackage\n"
	"aarch64\t/lib/ld-linux-aarch64.so.1\tglibc\n"
	"#!table soname-changes\n"
	"#el7_soname\tel8_soname\tpackage\tnote\n"
	"libq.so.0\tlibq.so.1\tq-libs\tbumped\n"
	"libgone.so.1\tREMOVED\t-\t\n"
	"#!table meta\n"
	"#value\tkey\n"
	"aarch64 x86_64\tarches\n";

static int get_provenance(const char *name, const char *prov, void *ud)
{
	if (strcmp(name, "unit-import") == 0)
		snprintf(ud, 64, "%s", prov);
	return 0;
}

static void test_import(void **state)
{
	const struct aoms_libabi *lib;
	struct aoms_abidb *db = NULL;
	struct aoms_test_list ch = { .n = 0 };
	_cleanup_(freep) char *path = aoms_test_path("import.db");
	char prov[64] = "";
	unsigned line = 0;

	OK(aoms_abidb_create(path, &db));
	assert_int_equal(aoms_test_import(db, good_table, &line), 12);
	OK(aoms_abidb_find_library(db, "libq.so.1", "x86_64", &lib));
	assert_string_equal(lib->path, "/usr/lib64/libq.so.1");
	assert_string_equal(lib->package, "q-libs");
	assert_int_equal(lib->n_verdefs, 2);
	assert_true(aoms_libabi_has_symbol(lib, "q_old", "Q_1"));
	assert_true(aoms_libabi_has_symbol(lib, "q_new", "Q_2"));
	assert_true(aoms_libabi_has_symbol(lib, "q_plain", NULL));
	assert_false(aoms_libabi_has_symbol(lib, "Q_1", NULL)); /* "A": a node, no symbol */
	OK(aoms_abidb_find_library(db, "libr.so.2", "x86_64", &lib));
	assert_null(lib->path);
	assert_true(aoms_libabi_has_verdef(lib, "R_1"));
	assert_false(lib->available_only);
	OK(aoms_abidb_find_library(db, "libavail.so.1", "x86_64", &lib)); /* installed 0 */
	assert_true(lib->available_only);
	assert_string_equal(lib->package, "avail-pkg");
	assert_int_equal(aoms_abidb_has_interpreter(db, "/lib/ld-linux-aarch64.so.1", "aarch64"), 1);
	OK(aoms_abidb_foreach_soname_change(db, "libgone.so.1", aoms_test_collect_change, &ch));
	assert_string_equal(ch.text, "libgone.so.1>REMOVED|-");
	assert_true(aoms_abidb_has_arch(db, "aarch64"));
	OK(aoms_abidb_foreach_source(db, get_provenance, prov));
	assert_string_equal(prov, "line one\nline two");
	aoms_abidb_free(db);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *msg; /* a part of aoms_abidb_errmsg() */
};

#define LIBX "#!table libraries\n#arch\tsoname\tpath\tpackage\nx86_64\tlibx.so.1\t-\t-\n"

static const struct bad_case bad_cases[] = {
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\tX_1\tx\t@@\tF\nx86_64\tlibx.so.1\tX_1\tx\t@@\n", 7, "expected 6" },
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\tX_1\tx\t@@\tF\textra\n", 6, "expected 6" },
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\tX_1\tx\t@@@\tF\n", 6, "binding" },
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\t\tx\t@\tF\n", 6, "without a version" },
	/* a symbols table for a soname the libraries table lacks: an error, not a row */
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\tX_1\tx\t@@\tF\nx86_64\tliby.so.1\tY_1\ty\t@@\tF\n", 7,
	  "no libraries row" },
	{ LIBX "#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "aarch64\tlibx.so.1\tX_1\tx\t@@\tF\n", 6, "no libraries row" },
	{ LIBX "#!source other\n#!table symbols\n#arch\tsoname\tversion\tsymbol\tbinding\ttype\n"
	  "x86_64\tlibx.so.1\tX_1\tx\t@@\tF\n", 7, "no libraries row" },
	{ "#!table libraries\n#arch\tsoname\tpath\tpackage\tinstalled\n"
	  "x86_64\tlibx.so.1\t-\t-\tyes\n", 3, "installed" },
	{ "#!table symbols\n#soname\tversion\tsymbol\tbinding\ttype\n"
	  "libx.so.1\tX_1\tx\t@@\tF\n", 3, "no arch" },
	{ "#!table libraries\n#arch\tsoname\tpath\tpackage\nx86_64\tlibx.so.1\tlib/x\tx\n", 3,
	  "absolute" },
	{ "x86_64\tlibx.so.1\t/x\tx\n", 1, "before" },
	{ "#!table libraries\nx86_64\tlibx.so.1\t/x\tx\n", 2, "before" },
	{ "#arch\tsoname\n", 1, "before #!table" },
	{ "#!table nope\n", 1, "unknown table" },
	{ "#!frobnicate x\n", 1, "unknown directive" },
	{ "#!arch x86_64  aarch64\n", 1, "#!arch wants" },
	{ "#!source two words\n", 1, "one word" },
	{ "#!table libraries\n#arch\tsoname\tpath\tpkg\n", 2, "unknown column" },
	{ "#!table libraries\n#arch\tsoname\tpath\n", 2, "wants 5" },
	{ "#!table libraries\n#arch\tsoname\tsoname\tpackage\n", 2, "twice" },
	{ "#!table meta\n#key\tvalue\nschema_version\t2\n", 3, "schema_version" },
	{ "#!table interpreters\n#arch\tpath\tpackage\nx86_64\tld.so\tglibc\n", 3, "absolute" },
	{ "#!source s\n#!table meta\n#key\tvalue\nname\tx\n#!table libraries\n"
	  "#arch\tsoname\tpath\tpackage\nx86_64\tlibx.so.1\t-\t-\n#!provenance late\n", 8,
	  "after" },
};

static void test_import_malformed(void **state)
{
	struct aoms_abidb *db = NULL;
	_cleanup_(freep) char *path = aoms_test_path("bad.db");
	struct aoms_abidb_stats st;

	OK(aoms_abidb_create(path, &db));
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		unsigned line = 0;

		assert_int_equal(aoms_test_import(db, bad_cases[i].text, &line), -EINVAL);
		assert_int_equal(line, bad_cases[i].line);
		if (!strstr(aoms_abidb_errmsg(db), bad_cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, aoms_abidb_errmsg(db),
				 bad_cases[i].msg);
	}
	/* failed imports were rolled back */
	OK(aoms_abidb_stats(db, &st));
	OK(st.libraries + st.symbols + st.sources);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_import_malformed),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
