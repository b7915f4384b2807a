/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
/* The helpers of testutil.h that need abi-db: linked into the tests of abi-db and
 * the layers above it (tests/CMakeLists.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "abidb.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

struct aoms_abidb *aoms_test_new_db(const char *name)
{
	_cleanup_(freep) char *path = aoms_test_path(name);
	struct aoms_abidb *db = NULL;

	unlink(path);   /* aoms_abidb_create() never replaces a file */
	OK(aoms_abidb_create(path, &db));
	return db;
}

int aoms_test_import(struct aoms_abidb *db, const char *text, unsigned *line)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = aoms_abidb_import(db, f, "test.tsv", line);
	fclose(f);
	return r;
}

int aoms_test_collect_change(const struct aoms_soname_change *c, void *ud)
{
	aoms_test_list_add(ud, "%s>%s|%s", c->old_soname, c->new_soname ? c->new_soname : "REMOVED",
			   c->package ? c->package : "-");
	return 0;
}
