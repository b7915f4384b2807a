/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Import rows of the package and kernel tables: packages, provides, kernels,
 * kernel-symbols, kabi, syscalls, kernel-config, kernel-modules. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "import.h"

/* name epoch version release arch nevra installed */
int aoms_import_row_packages(struct import_ctx *ctx, char **v)
{
	int64_t epoch = -1;
	int r;

	if (!*v[0] || !*v[2] || !*v[3])
		return aoms_import_err(ctx, "empty name, version or release");
	if (aoms_import_opt(v[1])) {
		r = aoms_import_int(ctx, "epoch", v[1], 0, UINT32_MAX, &epoch);
		if (r < 0)
			return r;
	}
	if (strcmp(v[6], "0") != 0 && strcmp(v[6], "1") != 0)
		return aoms_import_err(ctx, "installed '%s' is not 0 or 1", v[6]);
	return aoms_abidb_add_package(ctx->db, ctx->source_id, v[0], epoch, v[2], v[3], v[4],
				      aoms_import_opt(v[5]), v[6][0] == '1', NULL);
}

static int import_find_package_locked(struct import_ctx *ctx, const char *nevra,
				      int64_t *ret_id)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc;

	st = aoms_abidb_stmt(ctx->db, ABIDB_ST_FIND_PACKAGE_NEVRA, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, nevra, false);
	sqlite3_bind_int64(st, 2, ctx->source_id);
	rc = sqlite3_step(st);
	*ret_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : aoms_abidb_fail(ctx->db, rc);
}

/* The package a provides row names, this source's first. */
static int import_package_id(struct import_ctx *ctx, const char *nevra, int64_t *ret_id)
{
	int64_t id;
	int r;

	if (ctx->last_nevra && strcmp(ctx->last_nevra, nevra) == 0) {
		*ret_id = ctx->last_pkg;
		return 0;
	}
	r = ABIDB_LOCKED(ctx->db, import_find_package_locked(ctx, nevra, &id));
	if (r < 0)
		return r;
	if (!id)
		return aoms_import_err(ctx, "provides row for unknown package '%s'", nevra);
	free(ctx->last_nevra);
	ctx->last_nevra = strdup(nevra);
	if (!ctx->last_nevra)
		return -ENOMEM;
	ctx->last_pkg = *ret_id = id;
	return 0;
}

/* nevra capability op evr */
int aoms_import_row_provides(struct import_ctx *ctx, char **v)
{
	const char *op = aoms_import_opt(v[2]), *evr = aoms_import_opt(v[3]);
	int64_t id = 0;
	int r;

	if (!*v[0] || !*v[1])
		return aoms_import_err(ctx, "empty nevra or capability");
	r = import_package_id(ctx, v[0], &id);
	if (r < 0)
		return r;
	r = aoms_abidb_add_provide(ctx->db, id, v[1], op, evr);
	if (r == -EINVAL)
		return aoms_import_err(ctx, "bad provide version '%s %s'", v[2], v[3]);
	return r;
}

/* release arch vermagic */
int aoms_import_row_kernels(struct import_ctx *ctx, char **v)
{
	if (!*v[0])
		return aoms_import_err(ctx, "empty release");
	return aoms_abidb_add_kernel(ctx->db, ctx->source_id, v[0], v[1], aoms_import_opt(v[2]));
}

/* release arch symbol crc module export_type namespace */
int aoms_import_row_kernel_symbols(struct import_ctx *ctx, char **v)
{
	int64_t crc;
	int r;

	if (!*v[0] || !*v[2])
		return aoms_import_err(ctx, "empty release or symbol");
	r = aoms_import_crc(ctx, v[3], &crc);
	if (r < 0)
		return r;
	return aoms_abidb_add_kernel_symbol(ctx->db, ctx->source_id, v[0], v[1], v[2], crc,
					    aoms_import_opt(v[4]), aoms_import_opt(v[5]),
					    aoms_import_opt(v[6]));
}

/* list arch symbol crc module export_type */
int aoms_import_row_kabi(struct import_ctx *ctx, char **v)
{
	int64_t crc;
	int r;

	if (!*v[0] || !*v[2])
		return aoms_import_err(ctx, "empty list or symbol");
	r = aoms_import_crc(ctx, v[3], &crc);
	if (r < 0)
		return r;
	return aoms_abidb_add_kabi(ctx->db, ctx->source_id, v[0], v[1], v[2], crc,
				   aoms_import_opt(v[4]), aoms_import_opt(v[5]));
}

/* kernel arch nr name abi entry */
int aoms_import_row_syscalls(struct import_ctx *ctx, char **v)
{
	int64_t nr;
	int r;

	if (!*v[0] || !*v[3])
		return aoms_import_err(ctx, "empty kernel or name");
	r = aoms_import_int(ctx, "syscall number", v[2], 0, INT_MAX, &nr);
	if (r < 0)
		return r;
	return aoms_abidb_add_syscall(ctx->db, ctx->source_id, v[0], v[1], (int)nr, v[3],
				      aoms_import_opt(v[4]), aoms_import_opt(v[5]));
}

/* release arch module path builtin */
int aoms_import_row_kernel_modules(struct import_ctx *ctx, char **v)
{
	if (!*v[0] || !*v[2])
		return aoms_import_err(ctx, "empty release or module");
	if (strcmp(v[4], "0") != 0 && strcmp(v[4], "1") != 0)
		return aoms_import_err(ctx, "builtin '%s' is not 0 or 1", v[4]);
	return aoms_abidb_add_kernel_module(ctx->db, ctx->source_id, v[0], v[1], v[2],
					    aoms_import_opt(v[3]), v[4][0] == '1');
}

/* name repo: a package the target's repositories have */
int aoms_import_row_repo_packages(struct import_ctx *ctx, char **v)
{
	if (!*v[0] || !*v[1])
		return aoms_import_err(ctx, "empty package name or repository");
	return aoms_abidb_add_repo_package(ctx->db, ctx->source_id, v[0], v[1]);
}

/* release arch key value */
int aoms_import_row_kernel_config(struct import_ctx *ctx, char **v)
{
	if (!*v[0] || !*v[2])
		return aoms_import_err(ctx, "empty release or key");
	return aoms_abidb_add_kernel_config(ctx->db, ctx->source_id, v[0], v[1], v[2], v[3]);
}
