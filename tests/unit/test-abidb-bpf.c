/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The eBPF facts of the default database (abidb-bpf.h): availability per kernel
 * label, lookups by id and name, kernel resolution, the BPF level; a written
 * database; the import's strictness. */
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

static void expect_bpf(struct aoms_abidb *db, enum aoms_abidb_bpf_kind kind, const char *kernel,
		       const char *name, int id, const char *want_name, bool available,
		       const char *upstream)
{
	struct aoms_abidb_bpf b;

	assert_int_equal(aoms_abidb_find_bpf(db, kind, kernel, name, id, &b), 0);
	assert_string_equal(b.name, want_name);
	assert_int_equal(b.available, available);
	if (upstream)
		assert_string_equal(b.upstream, upstream);
	aoms_abidb_bpf_release(&b);
}

static void test_bpf_default(void **state)
{
	struct aoms_abidb *db = NULL;
	struct aoms_abidb_bpf b;
	char *s = NULL;

	(void)state;
	assert_int_equal(aoms_abidb_open(NULL, &db), 0);
	/* RHCK 4.18 carries 5.8's ring buffer and 5.14's helpers, not 5.16's bloom filter */
	expect_bpf(db, AOMS_ABIDB_BPF_MAP_TYPE, "4.18-el8", NULL, 27, "BPF_MAP_TYPE_RINGBUF", true, "5.8");
	expect_bpf(db, AOMS_ABIDB_BPF_MAP_TYPE, "4.18-el8", NULL, 30, "BPF_MAP_TYPE_BLOOM_FILTER", false, "5.16");
	expect_bpf(db, AOMS_ABIDB_BPF_MAP_TYPE, "4.18-el8", NULL, 19, "BPF_MAP_TYPE_CGROUP_STORAGE", true, NULL);
	expect_bpf(db, AOMS_ABIDB_BPF_PROG_TYPE, "4.18-el8", NULL, 31, "BPF_PROG_TYPE_SYSCALL", true, NULL);
	expect_bpf(db, AOMS_ABIDB_BPF_PROG_TYPE, "4.19-anck", NULL, 31, "BPF_PROG_TYPE_SYSCALL", false, NULL);
	expect_bpf(db, AOMS_ABIDB_BPF_HELPER, "4.18-el8", NULL, 168, "sys_close", true, "5.14");
	expect_bpf(db, AOMS_ABIDB_BPF_HELPER, "4.18-el8", NULL, 181, "loop", false, "5.17");
	expect_bpf(db, AOMS_ABIDB_BPF_HELPER, "4.19-anck", "bpf_sys_close", -1, "sys_close", false, NULL);
	assert_int_equal(aoms_abidb_bpf_helper(db, "4.18-el8", "ringbuf_output", -1, &b), 0);
	assert_int_equal(b.id, 130);
	assert_true(b.available);
	aoms_abidb_bpf_release(&b);
	assert_int_equal(aoms_abidb_bpf_helper(db, "4.18-el8", NULL, 100000, &b), -ENOENT);
	assert_int_equal(aoms_abidb_bpf_helper(db, "9.9-none", NULL, 1, &b), -ENOENT);
	assert_int_equal(aoms_abidb_bpf_helper(db, NULL, NULL, 1, &b), -EINVAL);

	/* kernels: default, label, releases, no match */
	static const struct { const char *wanted, *label; } kernels[] = {
		{ NULL, "4.18-el8" }, { "4.19-anck", "4.19-anck" },
		{ "4.18.0-408.el8.x86_64", "4.18-el8" }, { "4.18.0-372.an8", "4.18-el8" },
		{ "4.19.91-27.an8.x86_64", "4.19-anck" }, { "4.19", "4.19-anck" },
		{ "5.10.134-13.an8", NULL }, { "garbage", NULL }, { "4", NULL },
	};
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		int r = aoms_abidb_bpf_kernel(db, kernels[i].wanted, &s);

		if (!kernels[i].label) {
			assert_int_equal(r, -ENOENT);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(s, kernels[i].label);
		free(s);
	}
	assert_int_equal(aoms_abidb_bpf_level(db, "4.18-el8", &s), 0);
	assert_string_equal(s, "5.15");
	free(s);
	assert_int_equal(aoms_abidb_bpf_level(db, "4.19-anck", &s), 0);
	assert_string_equal(s, "5.11");
	free(s);
	assert_int_equal(aoms_abidb_bpf_level(db, "9.9-none", &s), -ENOENT);
	aoms_abidb_free(db);
}

static void test_bpf_import(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("bpf.db");
	struct aoms_abidb_bpf b;
	char *path;
	FILE *f;

	(void)state;
	assert_non_null(db);
	aoms_test_write_file("good.tsv", "#!table bpf-helpers\n#!default kernel k-1\n"
			     "#id\tname\tupstream\tgpl_only\tavailable\n"
			     "1\tmap_lookup_elem\t3.19\t0\t1\n7\tfuture\t-\t1\t0\n");
	aoms_test_write_file("bad.tsv", "#!table bpf-map-types\n#kernel\tid\tname\tupstream\tavailable\n"
			     "k-1\t1\tBPF_MAP_TYPE_HASH\t3.19\tyes\n");
	path = aoms_test_path("good.tsv");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(aoms_abidb_import(db, f, path, NULL), 2);
	fclose(f);
	free(path);
	assert_int_equal(aoms_abidb_bpf_helper(db, "k-1", NULL, 7, &b), 0);
	assert_string_equal(b.name, "future");
	assert_null(b.upstream);
	assert_true(b.gpl_only);
	assert_false(b.available);
	aoms_abidb_bpf_release(&b);
	path = aoms_test_path("bad.tsv");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(aoms_abidb_import(db, f, path, NULL), -EINVAL);
	fclose(f);
	free(path);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpf_default),
		cmocka_unit_test(test_bpf_import),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
