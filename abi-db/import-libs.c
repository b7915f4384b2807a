/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Import rows of the library tables: libraries, symbols, interpreters,
 * soname-changes, meta. */
#include <errno.h>
#include <string.h>
#include "import.h"

/* ---- library rows: one per (source, arch, soname), found or created ---- */

static int import_find_library_locked(struct import_ctx *ctx, const char *arch,
				      const char *soname, const char *path, int64_t *ret_id)
{
	struct abidb_rows rows = { .ncols = 2 };
	sqlite3_stmt *st;
	int r = 0;

	*ret_id = 0;
	st = aoms_abidb_stmt(ctx->db, ABIDB_ST_FIND_IMPORT_LIBRARY, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, soname, false);
	aoms_abidb_bind_text(st, 2, arch, false);
	sqlite3_bind_int64(st, 3, ctx->source_id);
	r = aoms_abidb_rows_collect(ctx->db, st, &rows);
	/* a symbols row takes the first; a libraries row the one with its path or none */
	for (size_t i = 0; r >= 0 && i < rows.n; i++) {
		const char *p = abidb_cell(&rows, i, 1);

		if (!path || !p || strcmp(p, path) == 0) {
			*ret_id = strtoll(abidb_cell(&rows, i, 0), NULL, 10);
			break;
		}
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

static int import_library(struct import_ctx *ctx, const char *arch, const char *soname,
			  const char *path, const char *package, int64_t *ret_id)
{
	int64_t id;
	int r;

	r = ABIDB_LOCKED(ctx->db, import_find_library_locked(ctx, arch, soname, path, &id));
	if (r < 0)
		return r;
	if (!id)
		return aoms_abidb_add_library(ctx->db, ctx->source_id, soname, arch, path,
					      package, ret_id);
	if (path || package)
		r = ABIDB_RUN(ctx->db, ABIDB_ST_SET_LIBRARY_PATH, "itt", id, path, package);
	if (r >= 0)
		*ret_id = id;
	return r;
}

/* ---- the tables ---- */

/* arch soname path package installed */
int aoms_import_row_libraries(struct import_ctx *ctx, char **v)
{
	const char *path = aoms_import_opt(v[2]);
	int64_t id;
	int r;

	if (!*v[1])
		return aoms_import_err(ctx, "empty soname");
	if (path && *path != '/')
		return aoms_import_err(ctx, "path '%s' is not absolute", path);
	if (strcmp(v[4], "0") != 0 && strcmp(v[4], "1") != 0)
		return aoms_import_err(ctx, "installed '%s' is not 0 or 1", v[4]);
	r = import_library(ctx, v[0], v[1], path, aoms_import_opt(v[3]), &id);
	if (r >= 0 && v[4][0] == '0')
		r = aoms_abidb_set_library_installed(ctx->db, id, false);
	return r;
}


static int import_symbol_library(struct import_ctx *ctx, const char *arch, const char *soname,
				 int64_t *ret_id)
{
	_cleanup_(freep) char *key = aoms_strdupf("%s/%s", arch, soname);
	int r;

	if (!key)
		return -ENOMEM;
	if (ctx->last_key && strcmp(ctx->last_key, key) == 0) {
		*ret_id = ctx->last_lib;
		return 0;
	}
	r = ABIDB_LOCKED(ctx->db, import_find_library_locked(ctx, arch, soname, NULL, ret_id));
	if (r < 0)
		return r;
	if (!*ret_id) /* a symbol table whose library list lost a row: not a silent row */
		return aoms_import_err(ctx, "symbols of %s (%s), which no libraries row of this "
				       "source names", soname, arch);
	free(ctx->last_key);
	ctx->last_key = TAKE_PTR(key);
	ctx->last_lib = *ret_id;
	free(ctx->last_version);
	ctx->last_version = NULL;
	return 0;
}

static int import_verdef(struct import_ctx *ctx, int64_t lib, const char *version)
{
	int r;

	if (ctx->last_version && strcmp(ctx->last_version, version) == 0)
		return 0;
	r = aoms_abidb_add_verdef(ctx->db, lib, version);
	if (r < 0)
		return r;
	free(ctx->last_version);
	ctx->last_version = strdup(version);
	return ctx->last_version ? 0 : -ENOMEM;
}

/* arch soname version symbol binding type; type "A" defines a version node only */
int aoms_import_row_symbols(struct import_ctx *ctx, char **v)
{
	const char *version = v[2], *binding = v[4], *type = v[5];
	bool is_default = strcmp(binding, "@") != 0;
	int64_t lib;
	int r;

	if (!*v[1] || !*v[3] || !*type)
		return aoms_import_err(ctx, "empty soname, symbol or type");
	if (*binding && strcmp(binding, "@@") != 0 && strcmp(binding, "@") != 0)
		return aoms_import_err(ctx, "binding '%s' is not @@, @ or empty", binding);
	if (!*version && (*binding || strcmp(type, "A") == 0))
		return aoms_import_err(ctx, "binding or version node without a version");
	r = import_symbol_library(ctx, v[0], v[1], &lib);
	if (r >= 0 && *version)
		r = import_verdef(ctx, lib, version);
	if (r >= 0 && strcmp(type, "A") != 0)
		r = aoms_abidb_add_symbol(ctx->db, lib, v[3], version, is_default, type);
	return r;
}

int aoms_import_row_interpreters(struct import_ctx *ctx, char **v)
{
	if (*v[1] != '/')
		return aoms_import_err(ctx, "interpreter '%s' is not an absolute path", v[1]);
	return aoms_abidb_add_interpreter(ctx->db, ctx->source_id, v[1], v[0], aoms_import_opt(v[2]));
}

/* el7_soname el8_soname package note; el8_soname REMOVED: no successor */
int aoms_import_row_soname_changes(struct import_ctx *ctx, char **v)
{
	const char *new_soname = strcmp(v[1], "REMOVED") == 0 ? NULL : v[1];

	if (!*v[0] || !*v[1])
		return aoms_import_err(ctx, "empty soname");
	return aoms_abidb_add_soname_change(ctx->db, ctx->source_id, v[0], new_soname,
					    aoms_import_opt(v[2]), *v[3] ? v[3] : NULL);
}

int aoms_import_row_meta(struct import_ctx *ctx, char **v)
{
	if (!*v[0])
		return aoms_import_err(ctx, "empty meta key");
	if (strcmp(v[0], "schema_version") == 0)
		return aoms_import_err(ctx, "schema_version is not imported");
	return aoms_abidb_set_meta(ctx->db, v[0], v[1]);
}

int aoms_import_row_glibc_sonames(struct import_ctx *ctx, char **v)
{
	if (!*v[0] || strchr(v[0], '/'))
		return aoms_import_err(ctx, "bad glibc soname '%s'", v[0]);
	return aoms_abidb_add_glibc_soname(ctx->db, ctx->source_id, v[0]);
}
