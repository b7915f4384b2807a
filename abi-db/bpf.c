/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* eBPF facts per kernel label: writers and lookups (abidb-bpf.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "abidb-private.h"

static const struct {
	const char *table;
	enum abidb_stmt_id add, find;
} bpf_kinds[_AOMS_ABIDB_BPF_KIND_MAX] = {
	[AOMS_ABIDB_BPF_PROG_TYPE] = { "bpf_prog_type", ABIDB_ST_ADD_BPF_PROG, ABIDB_ST_BPF_PROG },
	[AOMS_ABIDB_BPF_MAP_TYPE] = { "bpf_map_type", ABIDB_ST_ADD_BPF_MAP, ABIDB_ST_BPF_MAP },
	[AOMS_ABIDB_BPF_HELPER] = { "bpf_helper", ABIDB_ST_ADD_BPF_HELPER, ABIDB_ST_BPF_HELPER },
};

void aoms_abidb_bpf_release(struct aoms_abidb_bpf *b)
{
	if (!b)
		return;
	free(b->kernel);
	free(b->name);
	free(b->upstream);
	*b = (struct aoms_abidb_bpf){ 0 };
}

int aoms_abidb_add_bpf(struct aoms_abidb *db, int64_t source_id, enum aoms_abidb_bpf_kind kind,
		       const char *kernel, int id, const char *name, const char *upstream,
		       bool gpl_only, bool available)
{
	if ((unsigned)kind >= _AOMS_ABIDB_BPF_KIND_MAX || !kernel || !*kernel || !name ||
	    !*name || id < 0)
		return -EINVAL;
	return ABIDB_RUN(db, bpf_kinds[kind].add, "TiTtiii", kernel, (int64_t)id, name, upstream,
			 (int64_t)available, (int64_t)gpl_only, source_id);
}

/* Whether the database has the BPF tables (schema 2.2 or later). */
static int bpf_has_tables(struct aoms_abidb *db)
{
	return aoms_abidb_has_table(db, "bpf_helper");
}

int aoms_abidb_find_bpf(struct aoms_abidb *db, enum aoms_abidb_bpf_kind kind, const char *kernel,
			const char *name, int id, struct aoms_abidb_bpf *ret)
{
	struct abidb_rows rows = { 0 };
	struct aoms_abidb_bpf b = { 0 };
	int r;

	if ((unsigned)kind >= _AOMS_ABIDB_BPF_KIND_MAX || !kernel || (!name && id < 0))
		return -EINVAL;
	r = bpf_has_tables(db);
	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	if (name && kind == AOMS_ABIDB_BPF_HELPER && strncmp(name, "bpf_", 4) == 0)
		name += 4;
	r = aoms_abidb_query(db, bpf_kinds[kind].find, 6, &rows, "Tti", kernel, name,
			     (int64_t)id);
	if (r >= 0 && rows.n == 0)
		r = -ENOENT;
	if (r >= 0) {
		b.kernel = strdup(abidb_cell(&rows, 0, 0));
		b.name = strdup(abidb_cell(&rows, 0, 1));
		b.id = (int)aoms_abidb_cell_int(&rows, 0, 2, -1);
		b.upstream = abidb_cell(&rows, 0, 3) ? strdup(abidb_cell(&rows, 0, 3)) : NULL;
		b.available = aoms_abidb_cell_int(&rows, 0, 4, 0) != 0;
		b.gpl_only = aoms_abidb_cell_int(&rows, 0, 5, 0) != 0;
		if (!b.kernel || !b.name || (abidb_cell(&rows, 0, 3) && !b.upstream)) {
			aoms_abidb_bpf_release(&b);
			r = -ENOMEM;
		}
	}
	aoms_abidb_rows_release(&rows);
	if (r >= 0)
		*ret = b;
	return r < 0 ? r : 0;
}

int aoms_abidb_bpf_helper(struct aoms_abidb *db, const char *kernel, const char *name_or_null,
			  int id, struct aoms_abidb_bpf *ret)
{
	return aoms_abidb_find_bpf(db, AOMS_ABIDB_BPF_HELPER, kernel, name_or_null, id, ret);
}

/* "4.18.0-408.el8" -> "4.18", in buf; false without MAJOR.MINOR. */
static bool bpf_major_minor(const char *s, char *buf, size_t n)
{
	size_t len = strspn(s, "0123456789");
	const char *dot = s + len;

	if (!len || *dot != '.' || !strchr("0123456789", dot[1]) || !dot[1])
		return false;
	len += 1 + strspn(dot + 1, "0123456789");
	if (len >= n)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

/* How well label ("4.18-el8") fits release: 0 not at all, 1 same MAJOR.MINOR,
 * 2 and the release names the label's suffix ("el8"; "an" stands for "anck"). */
static int bpf_label_fit(const char *label, const char *release)
{
	char mm[32];
	size_t n;
	const char *suffix;

	if (!bpf_major_minor(release, mm, sizeof(mm)))
		return 0;
	n = strlen(mm);
	if (strncmp(label, mm, n) != 0 || label[n] != '-')
		return 0;
	suffix = label + n + 1;
	if (strstr(release, suffix) ||
	    (strncmp(suffix, "an", 2) == 0 && strstr(release, ".an")))
		return 2;
	return 1;
}

static int bpf_pick_kernel(const struct abidb_rows *rows, const char *wanted, const char *meta,
			   const char **ret)
{
	int best = 0, n_best = 0;

	*ret = NULL;
	for (size_t i = 0; i < rows->n; i++) {
		const char *label = abidb_cell(rows, i, 0);
		int fit;

		if (!wanted) {
			if (!*ret || (meta && strcmp(label, meta) == 0))
				*ret = label;
			continue;
		}
		if (strcmp(label, wanted) == 0) {
			*ret = label;
			return 0;
		}
		fit = bpf_label_fit(label, wanted);
		if (fit > best) {
			best = fit;
			n_best = 0;
			*ret = label;
		}
		n_best += fit && fit == best;
	}
	/* two labels of one MAJOR.MINOR and nothing to choose between them */
	if (wanted && n_best > 1)
		*ret = NULL;
	return *ret ? 0 : -ENOENT;
}

int aoms_abidb_bpf_kernel(struct aoms_abidb *db, const char *wanted, char **ret_label)
{
	struct abidb_rows rows = { 0 };
	_cleanup_(freep) char *meta = NULL;
	const char *label = NULL;
	int r = bpf_has_tables(db);

	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	if (!wanted)
		meta = aoms_abidb_get_meta(db, "bpf_kernel");
	r = aoms_abidb_query(db, ABIDB_ST_BPF_KERNELS, 1, &rows, "");
	if (r >= 0)
		r = bpf_pick_kernel(&rows, wanted, meta, &label);
	if (r >= 0 && !(*ret_label = strdup(label)))
		r = -ENOMEM;
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_bpf_level(struct aoms_abidb *db, const char *kernel, char **ret_version)
{
	struct abidb_rows rows = { 0 };
	const char *best = NULL;
	int r;

	if (!kernel)
		return -EINVAL;
	r = bpf_has_tables(db);
	if (r <= 0)
		return r < 0 ? r : -ENOENT;
	r = aoms_abidb_query(db, ABIDB_ST_BPF_UPSTREAMS, 1, &rows, "T", kernel);
	for (size_t i = 0; r >= 0 && i < rows.n; i++)
		if (!best || strverscmp(abidb_cell(&rows, i, 0), best) > 0)
			best = abidb_cell(&rows, i, 0);
	if (r >= 0 && !best)
		r = -ENOENT;
	if (r >= 0 && !(*ret_version = strdup(best)))
		r = -ENOMEM;
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_foreach_bpf_kernel(struct aoms_abidb *db,
				  int (*fn)(const char *label, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = bpf_has_tables(db);

	if (r <= 0)
		return r;
	r = aoms_abidb_query(db, ABIDB_ST_BPF_KERNELS, 1, &rows, "");
	for (size_t i = 0; r == 0 && i < rows.n; i++)
		r = fn(abidb_cell(&rows, i, 0), ud);
	aoms_abidb_rows_release(&rows);
	return r;
}
