/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db/pes.c: Leapp PES semantics over an installed set, the TSV, the shipped copy. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* The out-packages of the event that applies to the one installed name, joined by ' '. */
struct outs {
	char s[256];
	bool fired;
};

static int collect_out(const char *name, const struct aoms_pes_event *e, void *ud)
{
	struct outs *o = ud;

	(void)name;
	o->fired = e != NULL;
	for (size_t i = 0; e && i < e->n_out; i++)
		snprintf(o->s + strlen(o->s), sizeof(o->s) - strlen(o->s), "%s%s", i ? " " : "",
			 e->out[i]);
	return 0;
}

static const char *outs_of(const struct aoms_pes *p, const char *installed, bool *fired)
{
	static struct outs o;

	memset(&o, 0, sizeof(o));
	assert_int_equal(aoms_pes_map_site(p, &installed, 1, "x86_64", 8, 5, 8, 10, collect_out, &o), 0);
	*fired = o.fired;
	return o.s;
}

/* One Leapp event with modulestream_maps becomes one event per input stream: the
 * in-packages of that stream, the out-packages of the streams it maps to. */
static void test_streams_expanded(void **state)
{
	const char *in_ms[] = { NULL, "postgresql:9.6", "postgresql:10" };
	const char *pg_out[] = { "postgresql:12", "postgresql:13" }, *srv_out[] = { "postgresql:12" };
	struct aoms_pes_pkg in[] = { { "pg", "base", in_ms, 3 } };
	struct aoms_pes_pkg out[] = { { "pg", "as", pg_out, 2 }, { "pg-server", "as", srv_out, 1 } };
	struct aoms_pes_stream_map maps[] = {
		{ NULL, "postgresql:12" }, { "postgresql:9.6", "postgresql:13" },
		{ "postgresql:10", "postgresql:12" }, { "nodejs:10", "nodejs:14" },   /* no in-package */
	};
	struct aoms_pes_event tmpl = { .id = 7, .action = AOMS_PES_SPLIT, .arches = "",
				       .from_major = 8, .from_minor = 5, .to_major = 8,
				       .to_minor = 6, .site = true };
	struct aoms_pes *p = NULL;
	bool fired;

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_int_equal(aoms_pes_add_expanded(p, &tmpl, in, 1, out, 2, maps, 4), 3);
	assert_string_equal(outs_of(p, "pg", &fired), "pg:postgresql:12@as pg-server:postgresql:12@as");
	assert_string_equal(outs_of(p, "pg:postgresql:9.6", &fired), "pg:postgresql:13@as");
	assert_string_equal(outs_of(p, "pg:postgresql:10", &fired),
			    "pg:postgresql:12@as pg-server:postgresql:12@as");
	outs_of(p, "pg:postgresql:11", &fired);
	assert_false(fired);   /* a stream no map names */
	aoms_pes_free(p);
}

/* Without maps each stream an in-package lists maps to non-modular; a modular-only
 * out-package then drops out (Leapp's rule). */
static void test_streams_no_maps(void **state)
{
	const char *in_ms[] = { "perl:5.24" }, *mod_out[] = { "perl:5.30" };
	struct aoms_pes_pkg in[] = { { "x", NULL, in_ms, 1 } };
	struct aoms_pes_pkg out[] = { { "x", "r", NULL, 0 }, { "x-mod", "r", mod_out, 1 } };
	struct aoms_pes_event tmpl = { .id = 8, .action = AOMS_PES_REPLACED, .arches = "",
				       .to_major = 8, .to_minor = 6, .site = true };
	struct aoms_pes *p = NULL;
	bool fired;

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_int_equal(aoms_pes_add_expanded(p, &tmpl, in, 1, out, 2, NULL, 0), 1);
	assert_string_equal(outs_of(p, "x:perl:5.24", &fired), "x@r");
	assert_true(fired);
	outs_of(p, "x", &fired);
	assert_false(fired);   /* the non-modular x is another package */
	aoms_pes_free(p);
}

static void test_streams_bad(void **state)
{
	const char *bad_ms[] = { "nocolon" }, *good_ms[] = { "a:1" };
	struct aoms_pes_pkg bad[] = { { "x", NULL, bad_ms, 1 } }, good[] = { { "x", NULL, good_ms, 1 } };
	struct aoms_pes_stream_map bad_map[] = { { "a:1", "b:c:d" } };
	struct aoms_pes_event tmpl = { .action = AOMS_PES_REMOVED, .arches = "", .to_major = 8 };
	struct aoms_pes *p = NULL;
	char name[16], stream[16];

	assert_int_equal(aoms_pes_new(&p), 0);
	assert_int_equal(aoms_pes_add_expanded(p, &tmpl, bad, 1, NULL, 0, NULL, 0), -EINVAL);
	assert_int_equal(aoms_pes_add_expanded(p, &tmpl, good, 1, NULL, 0, bad_map, 1), -EINVAL);
	assert_int_equal(aoms_pes_add_expanded(p, &tmpl, good, 0, NULL, 0, NULL, 0), -EINVAL);
	assert_int_equal(aoms_pes_n_events(p), 0);
	aoms_pes_free(p);

	assert_false(aoms_pes_stream_part_valid(""));
	assert_false(aoms_pes_stream_part_valid("a b"));
	assert_false(aoms_pes_stream_part_valid("a@b"));
	assert_true(aoms_pes_stream_part_valid("rhel8.4-1"));
	aoms_pes_name_split("pg-server:postgresql:12@as", name, sizeof(name), stream, sizeof(stream));
	assert_string_equal(name, "pg-server");
	assert_string_equal(stream, "postgresql:12");
	aoms_pes_name_split("bash@base", name, sizeof(name), stream, sizeof(stream));
	assert_string_equal(name, "bash");
	assert_string_equal(stream, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_site_wins),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_streams_expanded),
		cmocka_unit_test(test_streams_no_maps),
		cmocka_unit_test(test_streams_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
