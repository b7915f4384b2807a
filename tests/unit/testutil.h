/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by the cmocka unit tests (compiled into every tests/unit/test-*.c
 * program): a per-program scratch directory under /tmp, paths and files in it, and
 * shell commands run in it with their output logged to build.log.
 */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include "aoms-macro.h"

/* The scratch directory, "/tmp/test-NAME.XXXXXX" once aoms_test_tmpdir_setup() made it. */
extern char aoms_test_tmpdir[PATH_MAX];

/* mkdtemp()s "/tmp/test-NAME.XXXXXX" into aoms_test_tmpdir: 0, or -1 on error. */
int aoms_test_tmpdir_setup(const char *name);
/* Removes the scratch directory tree (kept, with a message, when AOMS_TEST_KEEP is
 * set): 0, or -1 on error. */
int aoms_test_tmpdir_teardown(void);
/* The same as cmocka group fixtures, NAME being the program's name less "test-". */
int aoms_test_setup(void **state);
int aoms_test_teardown(void **state);

/* "tmpdir/name", heap-allocated (the caller frees it). */
char *aoms_test_path(const char *name);
/* A new abi-db database at tmpdir/name, created writable. */
struct aoms_abidb *aoms_test_new_db(const char *name);
/* Writes size bytes of data to tmpdir/name. */
void aoms_test_write_data(const char *name, const void *data, size_t size);
/* Writes text to tmpdir/name. */
void aoms_test_write_file(const char *name, const char *text);

/* Runs a shell command in tmpdir, stdout and stderr appended to build.log; true
 * when it exits 0. */
bool aoms_test_sh(const char *fmt, ...) _printf_(1, 2);
/* The stdout of a shell command run in tmpdir (stderr discarded), whatever its
 * exit status; a heap string the caller frees. */
char *aoms_test_out(const char *fmt, ...) _printf_(1, 2);
/* Copies tmpdir/build.log to stderr, for a failing test's message. */
void aoms_test_print_log(void);

/* What foreach callbacks collect: entries joined with ";", compared as one string. */
struct aoms_test_list {
	char text[1024];
	int n;
};
void aoms_test_list_add(struct aoms_test_list *l, const char *fmt, ...) _printf_(2, 3);

struct aoms_abidb;
struct aoms_soname_change;
/* Imports a fact table given as text (named "test.tsv" in messages). */
int aoms_test_import(struct aoms_abidb *db, const char *text, unsigned *line);
/* aoms_abidb_foreach_soname_change() callback adding "old>new|package" to the
 * struct aoms_test_list ud ("REMOVED" and "-" for NULLs). */
int aoms_test_collect_change(const struct aoms_soname_change *c, void *ud);
