/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Meta, coverage and the figures `aoms db info` shows. */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"

void aoms_abidb_rows_release(struct abidb_rows *rows)
{
	for (size_t i = 0; i < rows->n * rows->ncols; i++)
		free(rows->cells[i]);
	free(rows->cells);
	rows->cells = NULL;
	rows->n = rows->cap = 0;
}

static int abidb_rows_add(struct abidb_rows *rows, sqlite3_stmt *st)
{
	char **row;

	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 16;
		char **cells = reallocarray(rows->cells, cap * rows->ncols, sizeof(*cells));

		if (!cells)
			return -ENOMEM;
		rows->cells = cells;
		rows->cap = cap;
	}
	row = rows->cells + rows->n * rows->ncols;
	memset(row, 0, rows->ncols * sizeof(*row));
	rows->n++; /* counted now so that release frees a half-copied row */
	for (size_t c = 0; c < rows->ncols; c++) {
		const char *v = (const char *)sqlite3_column_text(st, (int)c);

		if (v && !(row[c] = strdup(v)))
			return -ENOMEM;
	}
	return 0;
}

int aoms_abidb_rows_collect(struct aoms_abidb *db, sqlite3_stmt *st, struct abidb_rows *rows)
{
	int rc, r = 0;

	while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = abidb_rows_add(rows, st);
	sqlite3_reset(st);
	if (r < 0)
		return r;
	return rc == SQLITE_DONE ? 0 : aoms_abidb_fail(db, rc);
}

int aoms_abidb_query_locked(struct aoms_abidb *db, enum abidb_stmt_id id,
			    struct abidb_rows *rows, const char *spec, va_list ap)
{
	sqlite3_stmt *st;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, id, &r);
	if (!st)
		return r;
	rc = aoms_abidb_bind_va(st, spec, ap);
	if (rc != SQLITE_OK)
		return aoms_abidb_fail(db, rc);
	return aoms_abidb_rows_collect(db, st, rows);
}

int aoms_abidb_query(struct aoms_abidb *db, enum abidb_stmt_id id, size_t ncols,
		     struct abidb_rows *rows, const char *spec, ...)
{
	va_list ap;
	int r;

	rows->ncols = ncols;
	va_start(ap, spec);
	r = aoms_abidb_query_layers(db, id, rows, spec, ap);
	va_end(ap);
	return r;
}

int64_t aoms_abidb_cell_int(const struct abidb_rows *rows, size_t row, size_t col,
			    int64_t fallback)
{
	const char *v = abidb_cell(rows, row, col);

	return v ? strtoll(v, NULL, 10) : fallback;
}

int aoms_abidb_get_meta_locked(struct aoms_abidb *db, const char *key, char **ret)
{
	struct abidb_rows rows = { .ncols = 1 };
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_GET_META, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, key, false);
	r = aoms_abidb_rows_collect(db, st, &rows);
	if (r >= 0 && rows.n > 0) {
		*ret = rows.cells[0];
		rows.cells[0] = NULL;
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

char *aoms_abidb_get_meta(struct aoms_abidb *db, const char *key)
{
	char *v = NULL;

	if (!key)
		return NULL;
	ABIDB_LOCKED(db, aoms_abidb_meta_layers_locked(db, key, &v));
	return v;
}

int aoms_abidb_read_meta(struct aoms_abidb *db, const char *key, char **ret_value)
{
	char *v = NULL;
	int r;

	if (!key)
		return -EINVAL;
	r = ABIDB_LOCKED(db, aoms_abidb_meta_layers_locked(db, key, &v));
	if (r < 0)
		return r;
	if (!v)
		return -ENOENT;
	*ret_value = v;
	return 0;
}

int aoms_abidb_is_complete(struct aoms_abidb *db)
{
	_cleanup_(freep) char *coverage = NULL;
	int r = aoms_abidb_read_meta(db, "coverage", &coverage);

	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : strcmp(coverage, "complete") == 0;
}

bool aoms_abidb_word_in(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " \t");

		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " \t");
	}
	return false;
}

static int abidb_has_arch_library(struct aoms_abidb *db, const char *arch)
{
	struct abidb_rows rows = { .ncols = 1 };
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_HAS_ARCH_LIBRARY, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, arch, false);
	r = aoms_abidb_rows_collect(db, st, &rows);
	if (r >= 0)
		r = rows.n > 0;
	aoms_abidb_rows_release(&rows);
	return r;
}

static int abidb_layer_has_arch_locked(struct aoms_abidb *db, const char *arch)
{
	_cleanup_(freep) char *arches = NULL;
	int r = aoms_abidb_get_meta_locked(db, "arches", &arches);

	if (r < 0)
		return r;
	if (arches)
		return aoms_abidb_word_in(arches, arch);
	/* no "arches" (a hand-made db): any library of that arch will do */
	return abidb_has_arch_library(db, arch);
}

/* Each layer says for its own facts: a site layer without meta "arches" that adds
 * another arch's libraries has that arch. */
int aoms_abidb_has_arch(struct aoms_abidb *db, const char *arch)
{
	int r = 0;

	if (!arch || !*arch)
		return 0;
	for (struct aoms_abidb *l = db; l && r == 0; l = l->below)
		r = ABIDB_LOCKED(l, abidb_layer_has_arch_locked(l, arch));
	return r;
}

static int abidb_has_provides(struct aoms_abidb *db)
{
	struct abidb_rows rows = { .ncols = 1 };
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, ABIDB_ST_HAS_PROVIDES, &r);
	if (!st)
		return r;
	r = aoms_abidb_rows_collect(db, st, &rows);
	if (r >= 0)
		r = rows.n > 0;
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_has_packages(struct aoms_abidb *db)
{
	int r = 0;

	for (struct aoms_abidb *l = db; l && r == 0; l = l->below)
		r = ABIDB_LOCKED(l, abidb_has_provides(l));
	return r;
}

static int abidb_stats_locked(struct aoms_abidb *db, struct aoms_abidb_stats *ret)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	uint64_t *out[] = { &ret->sources, &ret->libraries, &ret->libraries_with_symbols,
			    &ret->verdefs, &ret->symbols, &ret->interpreters,
			    &ret->soname_changes, &ret->packages, &ret->provides, &ret->kernels,
			    &ret->kernel_symbols, &ret->kabi, &ret->syscalls,
			    &ret->kernel_config };
	int r = 0, rc;

	st = aoms_abidb_stmt(db, ABIDB_ST_STATS, &r);
	if (!st)
		return r;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return aoms_abidb_fail(db, rc);
	for (size_t i = 0; i < ARRAY_SIZE(out); i++)
		*out[i] = (uint64_t)sqlite3_column_int64(st, (int)i);
	return 0;
}

int aoms_abidb_stats(struct aoms_abidb *db, struct aoms_abidb_stats *ret)
{
	struct aoms_abidb_stats s = { 0 };
	int r = ABIDB_LOCKED(db, abidb_stats_locked(db, &s));

	if (r >= 0)
		*ret = s;
	return r;
}

static int abidb_collect_all(struct aoms_abidb *db, enum abidb_stmt_id id,
			     struct abidb_rows *rows)
{
	sqlite3_stmt *st;
	int r = 0;

	st = aoms_abidb_stmt(db, id, &r);
	return st ? aoms_abidb_rows_collect(db, st, rows) : r;
}

/* Calls fn for every (a, b) row of statement id, without the lock held. */
static int abidb_foreach_pair(struct aoms_abidb *db, enum abidb_stmt_id id,
			      int (*fn)(const char *a, const char *b, void *ud), void *ud)
{
	struct abidb_rows rows = { .ncols = 2 };
	int r = ABIDB_LOCKED(db, abidb_collect_all(db, id, &rows));

	for (size_t i = 0; r >= 0 && i < rows.n; i++) {
		int k = fn(abidb_cell(&rows, i, 0), abidb_cell(&rows, i, 1), ud);
		if (k != 0) {
			r = k;
			break;
		}
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_foreach_meta(struct aoms_abidb *db,
			    int (*fn)(const char *key, const char *value, void *ud), void *ud)
{
	return abidb_foreach_pair(db, ABIDB_ST_ALL_META, fn, ud);
}

int aoms_abidb_foreach_source(struct aoms_abidb *db,
			      int (*fn)(const char *name, const char *provenance, void *ud),
			      void *ud)
{
	return abidb_foreach_pair(db, ABIDB_ST_ALL_SOURCES, fn, ud);
}
