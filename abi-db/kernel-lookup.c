/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel fact lookups. Each kind is one statement whose rows are copied out
 * (so callbacks run without the db's lock), a view of a row as the public struct,
 * and a deep copy for the find_*() form.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "abidb-private.h"

/* Copies every char * field named in offs from *src into *dst; on -ENOMEM frees
 * what it copied. */
static int klookup_dup_fields(void *dst, const void *src, const size_t *offs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = *(char *const *)((const char *)src + offs[i]);
		char **d = (char **)((char *)dst + offs[i]);

		*d = s ? strdup(s) : NULL;
		if (s && !*d) {
			for (size_t j = 0; j < i; j++) {
				char **dj = (char **)((char *)dst + offs[j]);

				free(*dj);
				*dj = NULL;
			}
			return -ENOMEM;
		}
	}
	return 0;
}

static void klookup_free_fields(void *obj, const size_t *offs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char **p = (char **)((char *)obj + offs[i]);

		free(*p);
		*p = NULL;
	}
}

/* ---- one table of kinds: how to view a row and which fields are strings ---- */

struct klookup_kind {
	size_t ncols;
	size_t size;                  /* of the public struct */
	void (*view)(const struct abidb_rows *rows, size_t i, void *out);
	size_t offs[6];               /* its char * fields */
	size_t n_offs;
};

/* name release arch crc module export_type namespace */
static void klookup_view_ksym(const struct abidb_rows *rows, size_t i, void *out)
{
	*(struct aoms_abidb_ksym *)out = (struct aoms_abidb_ksym){
		.name = abidb_cellw(rows, i, 0), .release = abidb_cellw(rows, i, 1),
		.arch = abidb_cellw(rows, i, 2), .crc = aoms_abidb_cell_int(rows, i, 3, -1),
		.module = abidb_cellw(rows, i, 4), .export_type = abidb_cellw(rows, i, 5),
		.ns = abidb_cellw(rows, i, 6),
	};
}

/* list arch name crc module export_type */
static void klookup_view_kabi(const struct abidb_rows *rows, size_t i, void *out)
{
	*(struct aoms_abidb_kabi *)out = (struct aoms_abidb_kabi){
		.list = abidb_cellw(rows, i, 0), .arch = abidb_cellw(rows, i, 1),
		.name = abidb_cellw(rows, i, 2), .crc = aoms_abidb_cell_int(rows, i, 3, -1),
		.module = abidb_cellw(rows, i, 4), .export_type = abidb_cellw(rows, i, 5),
	};
}

/* kernel arch name nr abi entry */
static void klookup_view_syscall(const struct abidb_rows *rows, size_t i, void *out)
{
	*(struct aoms_abidb_syscall *)out = (struct aoms_abidb_syscall){
		.kernel = abidb_cellw(rows, i, 0), .arch = abidb_cellw(rows, i, 1),
		.name = abidb_cellw(rows, i, 2), .nr = (int)aoms_abidb_cell_int(rows, i, 3, -1),
		.abi = abidb_cellw(rows, i, 4), .entry = abidb_cellw(rows, i, 5),
	};
}

#define KOFF(type, f) offsetof(struct type, f)
static const struct klookup_kind klookup_ksym = {
	7, sizeof(struct aoms_abidb_ksym), klookup_view_ksym,
	{ KOFF(aoms_abidb_ksym, name), KOFF(aoms_abidb_ksym, release), KOFF(aoms_abidb_ksym, arch),
	  KOFF(aoms_abidb_ksym, module), KOFF(aoms_abidb_ksym, export_type),
	  KOFF(aoms_abidb_ksym, ns) }, 6,
};
static const struct klookup_kind klookup_kabi = {
	6, sizeof(struct aoms_abidb_kabi), klookup_view_kabi,
	{ KOFF(aoms_abidb_kabi, list), KOFF(aoms_abidb_kabi, arch), KOFF(aoms_abidb_kabi, name),
	  KOFF(aoms_abidb_kabi, module), KOFF(aoms_abidb_kabi, export_type) }, 5,
};
static const struct klookup_kind klookup_syscall = {
	6, sizeof(struct aoms_abidb_syscall), klookup_view_syscall,
	{ KOFF(aoms_abidb_syscall, kernel), KOFF(aoms_abidb_syscall, arch),
	  KOFF(aoms_abidb_syscall, name), KOFF(aoms_abidb_syscall, abi),
	  KOFF(aoms_abidb_syscall, entry) }, 5,
};

/* Room for a view of any kind. */
union klookup_obj {
	struct aoms_abidb_ksym ksym;
	struct aoms_abidb_kabi kabi;
	struct aoms_abidb_syscall syscall;
};

/* Deep-copies the first row into ret; -ENOENT without one. */
static int klookup_first(const struct klookup_kind *k, struct abidb_rows *rows, int r,
			 void *ret)
{
	union klookup_obj obj;

	if (r == 0 && rows->n == 0)
		r = -ENOENT;
	if (r == 0) {
		k->view(rows, 0, &obj);
		r = klookup_dup_fields(&obj, &obj, k->offs, k->n_offs);
		if (r == 0)
			memcpy(ret, &obj, k->size);
	}
	aoms_abidb_rows_release(rows);
	return r;
}

/* ---- kernel symbols ---- */

void aoms_abidb_ksym_release(struct aoms_abidb_ksym *k)
{
	if (k)
		klookup_free_fields(k, klookup_ksym.offs, klookup_ksym.n_offs);
}

static int klookup_ksym_rows(struct aoms_abidb *db, const char *name, const char *arch,
			     struct abidb_rows *rows)
{
	if (!name)
		return -EINVAL;
	return aoms_abidb_query(db, ABIDB_ST_KSYMS, klookup_ksym.ncols, rows, "Tt", name, arch);
}

int aoms_abidb_foreach_kernel_symbol(struct aoms_abidb *db, const char *name, const char *arch,
				     int (*fn)(const struct aoms_abidb_ksym *k, void *ud),
				     void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_ksym_rows(db, name, arch, &rows);
	struct aoms_abidb_ksym k;

	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		klookup_view_ksym(&rows, i, &k);
		r = fn(&k, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_foreach_kernel_export(struct aoms_abidb *db, const char *release, const char *arch,
				     int (*fn)(const struct aoms_abidb_ksym *k, void *ud),
				     void *ud)
{
	struct abidb_rows rows = { 0 };
	struct aoms_abidb_ksym k;
	int r;

	if (!release || !arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_KSYMS_OF_KERNEL, klookup_ksym.ncols, &rows, "TT",
			     release, arch);
	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		klookup_view_ksym(&rows, i, &k);
		r = fn(&k, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_find_kernel_symbol(struct aoms_abidb *db, const char *name, const char *arch,
				  struct aoms_abidb_ksym *ret)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_ksym_rows(db, name, arch, &rows);

	return klookup_first(&klookup_ksym, &rows, r, ret);
}

/* ---- kABI ---- */

void aoms_abidb_kabi_release(struct aoms_abidb_kabi *k)
{
	if (k)
		klookup_free_fields(k, klookup_kabi.offs, klookup_kabi.n_offs);
}

static int klookup_kabi_rows(struct aoms_abidb *db, const char *name, const char *arch,
			     const char *list, struct abidb_rows *rows)
{
	if (!name)
		return -EINVAL;
	return aoms_abidb_query(db, ABIDB_ST_KABI_ROWS, klookup_kabi.ncols, rows, "Ttt", name,
				arch, list);
}

int aoms_abidb_foreach_kabi(struct aoms_abidb *db, const char *name, const char *arch,
			    const char *list,
			    int (*fn)(const struct aoms_abidb_kabi *k, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_kabi_rows(db, name, arch, list, &rows);
	struct aoms_abidb_kabi k;

	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		klookup_view_kabi(&rows, i, &k);
		r = fn(&k, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_foreach_kabi_of_arch(struct aoms_abidb *db, const char *arch,
				    int (*fn)(const struct aoms_abidb_kabi *k, void *ud), void *ud)
{
	struct abidb_rows rows = { 0 };
	struct aoms_abidb_kabi k;
	int r;

	if (!arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_KABI_OF_ARCH, klookup_kabi.ncols, &rows, "T", arch);
	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		klookup_view_kabi(&rows, i, &k);
		r = fn(&k, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_find_kabi(struct aoms_abidb *db, const char *name, const char *arch,
			 const char *list, struct aoms_abidb_kabi *ret)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_kabi_rows(db, name, arch, list, &rows);

	return klookup_first(&klookup_kabi, &rows, r, ret);
}

/* ---- syscalls ---- */

void aoms_abidb_syscall_release(struct aoms_abidb_syscall *s)
{
	if (s)
		klookup_free_fields(s, klookup_syscall.offs, klookup_syscall.n_offs);
}

static int klookup_syscall_rows(struct aoms_abidb *db, const char *arch, const char *name,
				int nr, const char *kernel, struct abidb_rows *rows)
{
	if (name)
		return aoms_abidb_query(db, ABIDB_ST_SYSCALLS_NAME, klookup_syscall.ncols, rows,
					"Ttt", name, arch, kernel);
	if (nr < 0)
		return -EINVAL;
	return aoms_abidb_query(db, ABIDB_ST_SYSCALLS_NR, klookup_syscall.ncols, rows, "itt",
				(int64_t)nr, arch, kernel);
}

int aoms_abidb_foreach_syscall(struct aoms_abidb *db, const char *arch, const char *name,
			       int nr, const char *kernel,
			       int (*fn)(const struct aoms_abidb_syscall *s, void *ud),
			       void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_syscall_rows(db, arch, name, nr, kernel, &rows);
	struct aoms_abidb_syscall sc;

	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		klookup_view_syscall(&rows, i, &sc);
		r = fn(&sc, ud);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_find_syscall(struct aoms_abidb *db, const char *arch, const char *name, int nr,
			    const char *kernel, struct aoms_abidb_syscall *ret)
{
	struct abidb_rows rows = { 0 };
	int r = klookup_syscall_rows(db, arch, name, nr, kernel, &rows);

	return klookup_first(&klookup_syscall, &rows, r, ret);
}

/* ---- configs and kernels ---- */

int aoms_abidb_get_kernel_config(struct aoms_abidb *db, const char *release, const char *arch,
				 const char *key, char **ret_value)
{
	struct abidb_rows rows = { 0 };
	int r;

	if (!key || !arch)
		return -EINVAL;
	r = aoms_abidb_query(db, ABIDB_ST_KCONFIG, 1, &rows, "TTt", key, arch, release);
	if (r == 0 && rows.n == 0)
		r = -ENOENT;
	if (r == 0) {
		*ret_value = rows.cells[0];
		rows.cells[0] = NULL;
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_foreach_kernel(struct aoms_abidb *db,
			      int (*fn)(const char *release, const char *arch,
					const char *vermagic, void *ud),
			      void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = aoms_abidb_query(db, ABIDB_ST_KERNELS, 3, &rows, "");

	for (size_t i = 0; r == 0 && i < rows.n; i++)
		r = fn(abidb_cell(&rows, i, 0), abidb_cell(&rows, i, 1), abidb_cell(&rows, i, 2), ud);
	aoms_abidb_rows_release(&rows);
	return r;
}
