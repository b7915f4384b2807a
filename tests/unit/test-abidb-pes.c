/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db/pes.c: Leapp PES semantics over an installed set, the TSV, the shipped copy. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pes.h"

static const char table[] =
	"#id\taction\tarches\tfrom\tto\tin\tout\n"
	"1\t1\tx86_64,aarch64\t7.7\t8.0\tgone\t\n"                      /* removed */
	"2\t4\t\t7.7\t8.0\tbig\tbig-a@r big-b@r\n"                     /* split */
	"3\t5\t\t7.7\t8.0\tm1 m2\tmerged@r\n"                          /* merged: any */
	"4\t3\t\t7.7\t8.0\tpair1 pair2\tnewpair@r\n"                   /* replaced: all */
	"5\t1\tppc64le\t7.7\t8.0\tarchy\t\n"                           /* other arch */
	"6\t7\t\t7.7\t9.0\tlater\tlater2@r\n"                          /* after target */
	"7\t7\t\t7.7\t8.0\tren\tren-old@r\n"
	"8\t7\t\t7.7\t8.2\tren\tren-new@r\n";                           /* latest wins */

struct got {
	char name[32];
	unsigned id;
};

static int collect(const char *name, const struct aoms_pes_event *e, void *ud)
{
	struct got *g = ud;

	for (; g->name[0]; g++)
		;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->id = e ? e->id : 0;
	return 0;
}

static unsigned id_of(const struct got *g, const char *name)
{
	for (; g->name[0]; g++)
		if (strcmp(g->name, name) == 0)
			return g->id;
	return 999;
}

static void test_map(void **state)
{
	struct aoms_pes *p = NULL;
	const char *installed[] = { "gone", "big", "m1", "pair1", "archy", "later", "ren", "other" };
	struct got got[16] = { 0 };

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_int_equal(aoms_pes_load_tsv(p, table, strlen(table), NULL), 8);
	assert_int_equal(aoms_pes_map(p, installed, 8, "x86_64", 7, 9, 8, 10, collect, got), 0);
	assert_int_equal(id_of(got, "gone"), 1);
	assert_int_equal(id_of(got, "big"), 2);
	assert_int_equal(id_of(got, "m1"), 3);      /* merged fires on any in-package */
	assert_int_equal(id_of(got, "pair1"), 0);   /* replaced needs pair2 too */
	assert_int_equal(id_of(got, "archy"), 0);
	assert_int_equal(id_of(got, "later"), 0);
	assert_int_equal(id_of(got, "ren"), 8);
	assert_int_equal(id_of(got, "other"), 0);
	aoms_pes_free(p);
}

static void test_site_wins(void **state)
{
	struct aoms_pes *p = NULL;
	const char *in[] = { "gone" }, *out[] = { "gone-site@x" };
	struct aoms_pes_event e = { .id = 1000, .action = AOMS_PES_RENAMED, .arches = "",
				    .to_major = 8, .in = in, .n_in = 1, .out = out, .n_out = 1,
				    .site = true };
	const char *installed[] = { "gone" };
	struct got got[4] = { 0 };
	char buf[8];

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_int_equal(aoms_pes_load_tsv(p, table, strlen(table), NULL), 8);
	assert_int_equal(aoms_pes_add(p, &e), 0);
	assert_int_equal(aoms_pes_map(p, installed, 1, "x86_64", 7, 9, 8, 10, collect, got), 0);
	assert_int_equal(got[0].id, 1000);
	assert_string_equal(aoms_pes_out_name("gone-site@x", buf, sizeof(buf)), "gone-si");
	assert_string_equal(aoms_pes_action_name(AOMS_PES_SPLIT), "split");
	e.action = _AOMS_PES_ACTION_MAX;
	assert_int_equal(aoms_pes_add(p, &e), -EINVAL);
	aoms_pes_free(p);
}

static void test_bad_rows(void **state)
{
	static const char *const bad[] = {
		"1\t9\t\t7.7\t8.0\tx\t\n",          /* action out of range */
		"1\t1\t\t7.7\t8.0\t\t\n",           /* no in-package */
		"1\t1\t\t7\t8.0\tx\t\n",            /* release without minor */
		"x\t1\t\t7.7\t8.0\tx\t\n",          /* id */
		"1\t1\t\t7.7\t8.0\tx\n",            /* a column short */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct aoms_pes *p = NULL;
		size_t line = 0;

		assert_int_equal(aoms_pes_new(&p), 0);
		assert_int_equal(aoms_pes_load_tsv(p, bad[i], strlen(bad[i]), &line), -EBADMSG);
		assert_int_equal(line, 1);
		aoms_pes_free(p);
	}
}

static void test_shipped(void **state)
{
	struct aoms_pes *p = NULL;
	const char *installed[] = { "wvdial", "MySQL-python", "bash" };
	struct got got[4] = { 0 };

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_true(aoms_pes_load_default(p) > 2000);
	assert_int_equal(aoms_pes_map(p, installed, 3, "x86_64", 7, 9, 8, 10, collect, got), 0);
	assert_int_equal(id_of(got, "wvdial"), 3);
	assert_int_equal(id_of(got, "MySQL-python"), 13);
	aoms_pes_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_site_wins),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
