/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fact-table import (abi-db/import.c) into an in-memory database. Creating the
 * schema costs more than most imports, so the database is made once and every input
 * is imported inside a transaction that is rolled back (which also drops the db's
 * row-id caches): each run starts from the same empty database.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include "abidb.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct aoms_abidb *db;  /* reachable: no leak report at exit */
	unsigned line = 0;
	FILE *in;

	if (size == 0)
		return 0;  /* fmemopen() refuses an empty buffer */
	/* ":memory:": aoms_abidb_create() hands the path to sqlite3_open_v2() */
	if (!db && aoms_abidb_create(":memory:", &db) < 0)
		abort();
	in = fmemopen((void *)data, size, "r");
	if (!in || aoms_abidb_begin(db) < 0)
		abort();
	(void)aoms_abidb_import(db, in, "fuzz.tsv", &line);
	if (aoms_abidb_rollback(db) < 0)
		abort();
	fclose(in);
	return 0;
}
