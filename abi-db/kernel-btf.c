/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A kernel's vmlinux BTF blob (abidb-kernel.h, schema 2.3): stored and handed
 * back as bytes; parsing and inflating are the scanners' (libbpf, zlib). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "abidb-private.h"

void aoms_abidb_btf_release(struct aoms_abidb_btf *b)
{
	if (!b)
		return;
	free(b->release);
	free(b->arch);
	free(b->encoding);
	free(b->origin);
	free(b->data);
	*b = (struct aoms_abidb_btf){ 0 };
}

static int btf_add_locked(struct aoms_abidb *db, int64_t source_id, const char *release,
			  const char *arch, const char *encoding, uint64_t raw_size,
			  const void *data, size_t size, const char *origin)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int64_t kid;
	int r = aoms_abidb_kernel_id_locked(db, source_id, release, arch, &kid);

	if (r < 0)
		return r;
	st = aoms_abidb_stmt(db, ABIDB_ST_ADD_KERNEL_BTF, &r);
	if (!st)
		return r;
	if (sqlite3_bind_int64(st, 1, kid) != SQLITE_OK ||
	    aoms_abidb_bind_text(st, 2, encoding, false) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, (int64_t)raw_size) != SQLITE_OK ||
	    sqlite3_bind_blob64(st, 4, data, size, SQLITE_STATIC) != SQLITE_OK ||
	    aoms_abidb_bind_text(st, 5, origin, true) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, source_id) != SQLITE_OK)
		return aoms_abidb_fail(db, sqlite3_errcode(db->sql));
	return aoms_abidb_step_done(db, st);
}

int aoms_abidb_add_kernel_btf(struct aoms_abidb *db, int64_t source_id, const char *release,
			      const char *arch, const char *encoding, uint64_t raw_size,
			      const void *data, size_t size, const char *origin)
{
	if (!release || !*release || !arch || !*arch || !encoding || !*encoding || !data || !size)
		return -EINVAL;
	if (!db->writable)
		return -EROFS;
	return ABIDB_LOCKED(db, btf_add_locked(db, source_id, release, arch, encoding, raw_size,
					       data, size, origin));
}

static char *btf_column(sqlite3_stmt *st, int col, bool *oom)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *c = s ? strdup((const char *)s) : NULL;

	*oom = *oom || (s && !c);
	return c;
}

static int btf_get_locked(struct aoms_abidb *db, const char *wanted, struct aoms_abidb_btf *ret)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	struct aoms_abidb_btf b = { 0 };
	bool oom = false;
	const void *blob;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, ABIDB_ST_KERNEL_BTF, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, wanted, true);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return -ENOENT;
	if (rc != SQLITE_ROW)
		return aoms_abidb_fail(db, rc);
	b.release = btf_column(st, 0, &oom);
	b.arch = btf_column(st, 1, &oom);
	b.encoding = btf_column(st, 2, &oom);
	b.raw_size = (uint64_t)sqlite3_column_int64(st, 3);
	b.origin = btf_column(st, 4, &oom);
	blob = sqlite3_column_blob(st, 5);
	b.size = (size_t)sqlite3_column_bytes(st, 5);
	b.data = malloc(b.size ? b.size : 1);
	if (oom || !b.data || !b.release || !b.arch || !b.encoding) {
		aoms_abidb_btf_release(&b);
		return -ENOMEM;
	}
	if (b.size)
		memcpy(b.data, blob, b.size);
	*ret = b;
	return 0;
}

int aoms_abidb_kernel_btf(struct aoms_abidb *db, const char *wanted, struct aoms_abidb_btf *ret)
{
	/* Layers (layers.c): the first, top down, that has the kernel's BTF answers. */
	for (struct aoms_abidb *l = db; l; l = l->below) {
		int r = aoms_abidb_has_table(l, "kernel_btf");

		if (r > 0)
			r = ABIDB_LOCKED(l, btf_get_locked(l, wanted, ret));
		if (r != 0 && r != -ENOENT)
			return r;
		if (r == 0)
			return 0;
	}
	return -ENOENT;
}

int aoms_abidb_foreach_kernel_btf(struct aoms_abidb *db,
				  int (*fn)(const struct aoms_abidb_btf *b, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = 0;

	/* Some layer must have the table; the query then skips those without it (by
	 * their schema minor, layers.c). */
	for (struct aoms_abidb *l = db; l && r == 0; l = l->below)
		r = aoms_abidb_has_table(l, "kernel_btf");
	if (r <= 0)
		return r;
	r = aoms_abidb_query(db, ABIDB_ST_KERNEL_BTFS, 6, &rows, "");
	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		const struct aoms_abidb_btf b = {
			.release = abidb_cellw(&rows, i, 0), .arch = abidb_cellw(&rows, i, 1),
			.encoding = abidb_cellw(&rows, i, 2),
			.raw_size = (uint64_t)aoms_abidb_cell_int(&rows, i, 3, 0),
			.origin = abidb_cellw(&rows, i, 4),
			.size = (size_t)aoms_abidb_cell_int(&rows, i, 5, 0),
		};

		r = fn(&b, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}
