/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Databases that layer (`aoms scan --db embedded --db site.db`): several opened
 * databases answer as one. Each handle points to the layer given before it
 * (db->below); the top is the last one given. A lookup asks the top first and
 * falls through to the layers below when the top does not know the fact: a library
 * (soname, arch), a capability, a soname change, a kernel release, a meta key known
 * to a later layer hides the earlier layers' rows for it — they are not merged, so
 * a site can replace what the target says as well as add to it. Enumerations
 * (kernels, BPF kernel labels, the exporters of a symbol) gather every layer's rows.
 *
 * Nothing is copied: each layer keeps its own connection and statements, and the
 * find_library cache of the top holds the answer, so a scan pays the extra layers
 * once per soname, not per lookup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "abidb-private.h"

enum abidb_layering {
	ABIDB_LAYER_FIRST = 0, /* the first layer (top down) with rows answers */
	ABIDB_LAYER_ALL,       /* every layer's rows, top first */
};

struct abidb_stmt_layering {
	enum abidb_layering how;
	/* ALL: a lower layer's row is dropped when a higher layer gave one with the
	 * same first key_cols columns */
	unsigned key_cols;
	/* ALL: columns 0, 1 are (soname, arch): a lower layer's row is dropped when a
	 * higher layer knows that library (its rows hide the lower's) */
	bool by_library;
	/* the schema minor that added the statement's tables: older layers are skipped */
	int min_minor;
};

/* Statements not listed are FIRST; statements only the writers, the checks at open
 * or the per-layer listings (meta, sources, stats) run never come here. */
static const struct abidb_stmt_layering stmt_layering[_ABIDB_ST_MAX] = {
	[ABIDB_ST_KERNELS] = { ABIDB_LAYER_ALL, 2, false, 0 },
	[ABIDB_ST_EXPORTERS] = { ABIDB_LAYER_ALL, 0, true, 0 },
	[ABIDB_ST_BPF_KERNELS] = { ABIDB_LAYER_ALL, 1, false, 2 },
	[ABIDB_ST_BPF_PROG] = { .min_minor = 2 },
	[ABIDB_ST_BPF_MAP] = { .min_minor = 2 },
	[ABIDB_ST_BPF_HELPER] = { .min_minor = 2 },
	[ABIDB_ST_BPF_UPSTREAMS] = { .min_minor = 2 },
	[ABIDB_ST_GLIBC_SONAMES] = { .min_minor = 1 },
	[ABIDB_ST_KERNEL_BTFS] = { ABIDB_LAYER_ALL, 2, false, 3 },
	/* FIRST: the first layer with a module list for the kernel (a count of 0 is no
	 * row) answers */
	[ABIDB_ST_KMODULE] = { .min_minor = 4 },
	[ABIDB_ST_KMODULE_COUNT] = { .min_minor = 4 },
	[ABIDB_ST_REPO_PACKAGE] = { .min_minor = 5 },
};

static int abidb_layer_has_library(struct aoms_abidb *l, const char *soname, const char *arch)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc;

	st = aoms_abidb_stmt(l, ABIDB_ST_LIB_ROWS, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, soname, false);
	aoms_abidb_bind_text(st, 2, arch, false);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : aoms_abidb_fail(l, rc);
}

/* Whether a layer above stop (from db down) knows library (soname, arch). */
static int abidb_above_has_library(struct aoms_abidb *db, struct aoms_abidb *stop,
				   const char *soname, const char *arch)
{
	int r = 0;

	for (struct aoms_abidb *l = db; l != stop && r == 0; l = l->below)
		r = ABIDB_LOCKED(l, abidb_layer_has_library(l, soname, arch));
	return r;
}

static bool abidb_row_keyed(const struct abidb_rows *rows, size_t n_above, size_t row,
			    unsigned key_cols)
{
	for (size_t i = 0; i < n_above; i++) {
		unsigned c;

		for (c = 0; c < key_cols; c++) {
			const char *a = abidb_cell(rows, i, c), *b = abidb_cell(rows, row, c);

			if (!a != !b || (a && strcmp(a, b) != 0))
				break;
		}
		if (c == key_cols)
			return true;
	}
	return false;
}

/* Drops rows [from, n) that a layer above l hides; keeps the others in order. */
static int abidb_drop_hidden(struct aoms_abidb *db, struct aoms_abidb *l,
			     const struct abidb_stmt_layering *how, struct abidb_rows *rows,
			     size_t from)
{
	size_t out = from;

	for (size_t i = from; i < rows->n; i++) {
		char **row = rows->cells + i * rows->ncols;
		int hidden = 0;

		if (how->key_cols)
			hidden = abidb_row_keyed(rows, from, i, how->key_cols);
		else if (how->by_library && row[0] && row[1])
			hidden = abidb_above_has_library(db, l, row[0], row[1]);
		if (hidden < 0)
			return hidden;
		if (hidden) {
			for (size_t c = 0; c < rows->ncols; c++)
				free(row[c]);
			continue;
		}
		memmove(rows->cells + out * rows->ncols, row, rows->ncols * sizeof(*row));
		out++;
	}
	rows->n = out;
	return 0;
}

int aoms_abidb_query_layers(struct aoms_abidb *db, enum abidb_stmt_id id,
			    struct abidb_rows *rows, const char *spec, va_list ap)
{
	const struct abidb_stmt_layering *how = &stmt_layering[id];
	int r = 0;

	for (struct aoms_abidb *l = db; l; l = l->below) {
		size_t from = rows->n;
		va_list aq;

		if (l->schema_minor < how->min_minor)
			continue;
		va_copy(aq, ap);
		r = ABIDB_LOCKED(l, aoms_abidb_query_locked(l, id, rows, spec, aq));
		va_end(aq);
		if (r < 0) {
			if (l != db)
				aoms_abidb_set_error(db, "%s: %s", l->label ? l->label : "(layer)",
						     aoms_abidb_errmsg(l));
			return r;
		}
		if (how->how == ABIDB_LAYER_FIRST) {
			if (rows->n > 0)
				break;
			continue;
		}
		if (l != db) {
			r = abidb_drop_hidden(db, l, how, rows, from);
			if (r < 0)
				return r;
		}
	}
	return r;
}

int aoms_abidb_meta_layers_locked(struct aoms_abidb *db, const char *key, char **ret)
{
	int r = aoms_abidb_get_meta_locked(db, key, ret);

	for (struct aoms_abidb *l = db->below; r >= 0 && !*ret && l; l = l->below)
		r = ABIDB_LOCKED(l, aoms_abidb_get_meta_locked(l, key, ret));
	return r;
}

int aoms_abidb_open_layers(const char *const *paths, size_t n, struct aoms_abidb **ret,
			   char **ret_reason)
{
	_cleanup_(aoms_abidb_freep) struct aoms_abidb *top = NULL;

	if (ret_reason)
		*ret_reason = NULL;
	if (n == 0)
		return aoms_abidb_open_ex(NULL, 0, ret, ret_reason);
	for (size_t i = 0; i < n; i++) {
		const char *path = paths[i];
		struct aoms_abidb *l = NULL;
		_cleanup_(freep) char *reason = NULL;
		int r;

		if (path && strcmp(path, AOMS_ABIDB_EMBEDDED) == 0)
			path = NULL;
		r = aoms_abidb_open_ex(path, 0, &l, &reason);
		if (r < 0) {
			if (ret_reason && reason)
				*ret_reason = TAKE_PTR(reason);
			else if (ret_reason && asprintf(ret_reason, "cannot open database '%s': %s",
							path ? path : AOMS_ABIDB_EMBEDDED,
							strerror(-r)) < 0)
				*ret_reason = NULL;
			return r;
		}
		l->below = TAKE_PTR(top);
		top = l;
	}
	*ret = TAKE_PTR(top);
	return 0;
}

size_t aoms_abidb_n_layers(const struct aoms_abidb *db)
{
	size_t n = 0;

	for (; db; db = db->below)
		n++;
	return n;
}

struct aoms_abidb *aoms_abidb_layer(struct aoms_abidb *db, size_t i)
{
	size_t n = aoms_abidb_n_layers(db);

	if (i >= n)
		return NULL;
	for (size_t k = n - 1; k > i; k--)
		db = db->below;
	return db;
}

const char *aoms_abidb_label(const struct aoms_abidb *db)
{
	return db->label ? db->label : AOMS_ABIDB_EMBEDDED;
}
