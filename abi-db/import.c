/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Import of fact tables, the format of abi-db/data/README.md: "#!" directives, one
 * "#col<TAB>col" header per table section, TAB-separated rows, "# " comments.
 * Parsing is strict (a wrong column count or an unknown value is -EINVAL with the
 * line number): a shipped table that silently lost rows would turn facts into
 * unknowns.
 */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"
#include "strbuf.h"

#define IMPORT_MAX_COLS 8

struct import_ctx;
typedef int (*import_row_fn)(struct import_ctx *ctx, char **v);

struct import_table {
	const char *name;
	const char *cols[IMPORT_MAX_COLS]; /* canonical order; "arch" may come from #!arch */
	import_row_fn row;
	bool needs_source;
};

struct import_ctx {
	struct aoms_abidb *db;
	const char *name;
	const struct import_table *table;
	int colmap[IMPORT_MAX_COLS];  /* header position -> canonical column */
	int ncols;                    /* 0: no header yet */
	int arch_col;                 /* canonical index of "arch", or -1 */
	char *arch;                   /* #!arch */
	char *source;                 /* #!source */
	struct aoms_strbuf provenance;
	int64_t source_id;            /* 0: not created yet */
	/* the library and version the last symbols row went to */
	char *last_key;
	int64_t last_lib;
	char *last_version;
	int rows;
};

static int import_err(struct import_ctx *ctx, const char *fmt, ...) _printf_(2, 3);
static int import_err(struct import_ctx *ctx, const char *fmt, ...)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (aoms_strbuf_vaddf(&sb, fmt, ap) >= 0)
		aoms_abidb_set_error(ctx->db, "%s", aoms_strbuf_str(&sb));
	va_end(ap);
	aoms_strbuf_release(&sb);
	return -EINVAL;
}

/* "" and "-" mean "not known" in package and path columns. */
static const char *import_opt(const char *s)
{
	return (!*s || strcmp(s, "-") == 0) ? NULL : s;
}

static int import_source(struct import_ctx *ctx)
{
	const char *slash = strrchr(ctx->name, '/');
	const char *name = ctx->source ? ctx->source : slash ? slash + 1 : ctx->name;
	const char *prov = ctx->provenance.len ? aoms_strbuf_str(&ctx->provenance) : NULL;

	if (ctx->source_id)
		return 0;
	return aoms_abidb_add_source(ctx->db, name, prov, &ctx->source_id);
}

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

static int import_row_libraries(struct import_ctx *ctx, char **v)
{
	const char *path = import_opt(v[2]);
	int64_t id;

	if (!*v[1])
		return import_err(ctx, "empty soname");
	if (path && *path != '/')
		return import_err(ctx, "path '%s' is not absolute", path);
	return import_library(ctx, v[0], v[1], path, import_opt(v[3]), &id);
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
	r = import_library(ctx, arch, soname, NULL, NULL, ret_id);
	if (r < 0)
		return r;
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
static int import_row_symbols(struct import_ctx *ctx, char **v)
{
	const char *version = v[2], *binding = v[4], *type = v[5];
	bool is_default = strcmp(binding, "@") != 0;
	int64_t lib;
	int r;

	if (!*v[1] || !*v[3] || !*type)
		return import_err(ctx, "empty soname, symbol or type");
	if (*binding && strcmp(binding, "@@") != 0 && strcmp(binding, "@") != 0)
		return import_err(ctx, "binding '%s' is not @@, @ or empty", binding);
	if (!*version && (*binding || strcmp(type, "A") == 0))
		return import_err(ctx, "binding or version node without a version");
	r = import_symbol_library(ctx, v[0], v[1], &lib);
	if (r >= 0 && *version)
		r = import_verdef(ctx, lib, version);
	if (r >= 0 && strcmp(type, "A") != 0)
		r = aoms_abidb_add_symbol(ctx->db, lib, v[3], version, is_default, type);
	return r;
}

static int import_row_interpreters(struct import_ctx *ctx, char **v)
{
	if (*v[1] != '/')
		return import_err(ctx, "interpreter '%s' is not an absolute path", v[1]);
	return aoms_abidb_add_interpreter(ctx->db, ctx->source_id, v[1], v[0], import_opt(v[2]));
}

/* el7_soname el8_soname package note; el8_soname REMOVED: no successor */
static int import_row_soname_changes(struct import_ctx *ctx, char **v)
{
	const char *new_soname = strcmp(v[1], "REMOVED") == 0 ? NULL : v[1];

	if (!*v[0] || !*v[1])
		return import_err(ctx, "empty soname");
	return aoms_abidb_add_soname_change(ctx->db, ctx->source_id, v[0], new_soname,
					    import_opt(v[2]), *v[3] ? v[3] : NULL);
}

static int import_row_meta(struct import_ctx *ctx, char **v)
{
	if (!*v[0])
		return import_err(ctx, "empty meta key");
	if (strcmp(v[0], "schema_version") == 0)
		return import_err(ctx, "schema_version is not imported");
	return aoms_abidb_set_meta(ctx->db, v[0], v[1]);
}

static const struct import_table import_tables[] = {
	{ "libraries", { "arch", "soname", "path", "package" }, import_row_libraries, true },
	{ "symbols", { "arch", "soname", "version", "symbol", "binding", "type" },
	  import_row_symbols, true },
	{ "interpreters", { "arch", "path", "package" }, import_row_interpreters, true },
	{ "soname-changes", { "el7_soname", "el8_soname", "package", "note" },
	  import_row_soname_changes, true },
	{ "meta", { "key", "value" }, import_row_meta, false },
};

static int import_table_ncols(const struct import_table *t)
{
	int n = 0;

	while (n < IMPORT_MAX_COLS && t->cols[n])
		n++;
	return n;
}

/* ---- directives and the header ---- */

static void import_reset_libraries(struct import_ctx *ctx)
{
	free(ctx->last_key);
	free(ctx->last_version);
	ctx->last_key = ctx->last_version = NULL;
}

static int import_set(char **dst, const char *value)
{
	char *c = strdup(value);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

static int import_directive_table(struct import_ctx *ctx, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(import_tables); i++)
		if (strcmp(import_tables[i].name, value) == 0) {
			ctx->table = &import_tables[i];
			ctx->ncols = 0;
			return 0;
		}
	return import_err(ctx, "unknown table '%s'", value);
}

static int import_directive(struct import_ctx *ctx, char *line)
{
	char *value = strchr(line, ' ');

	if (value)
		*value++ = '\0';
	else
		value = line + strlen(line);
	if (strcmp(line, "table") == 0)
		return import_directive_table(ctx, value);
	if (strcmp(line, "provenance") == 0) {
		if (ctx->source_id)
			return import_err(ctx, "#!provenance after the source's rows");
		if (ctx->provenance.len && aoms_strbuf_addc(&ctx->provenance, '\n') < 0)
			return -ENOMEM;
		return aoms_strbuf_adds(&ctx->provenance, value);
	}
	if (!*value || strpbrk(value, " \t"))
		return import_err(ctx, "#!%s wants one word", line);
	if (strcmp(line, "arch") == 0)
		return import_set(&ctx->arch, value);
	if (strcmp(line, "source") == 0) {
		ctx->source_id = 0;
		aoms_strbuf_reset(&ctx->provenance);
		import_reset_libraries(ctx);
		return import_set(&ctx->source, value);
	}
	return import_err(ctx, "unknown directive '#!%s'", line);
}

static int import_column(const struct import_table *t, const char *name)
{
	for (int c = 0; c < import_table_ncols(t); c++)
		if (strcmp(t->cols[c], name) == 0)
			return c;
	return -1;
}

/* "#col<TAB>col...": every column of the table once, in any order; "arch" may be
 * left out under #!arch. */
static int import_header(struct import_ctx *ctx, char *line)
{
	int n = import_table_ncols(ctx->table), seen = 0;
	bool have_arch = false;

	if (ctx->ncols)
		return import_err(ctx, "second header line for table %s", ctx->table->name);
	ctx->arch_col = import_column(ctx->table, "arch");
	for (int i = 0; line; i++) {
		char *name = strsep(&line, "\t");
		int c = import_column(ctx->table, name);

		if (c < 0)
			return import_err(ctx, "unknown column '%s' for table %s", name,
					  ctx->table->name);
		if (i >= n)
			return import_err(ctx, "too many columns for table %s", ctx->table->name);
		if (seen & (1 << c))
			return import_err(ctx, "column '%s' given twice", name);
		seen |= 1 << c;
		ctx->colmap[i] = c;
		ctx->ncols = i + 1;
		have_arch |= c == ctx->arch_col;
	}
	if (ctx->ncols + (ctx->arch_col >= 0 && !have_arch) != n)
		return import_err(ctx, "table %s wants %d columns", ctx->table->name, n);
	return 0;
}

/* ---- rows and lines ---- */

static int import_row(struct import_ctx *ctx, char *line)
{
	char *v[IMPORT_MAX_COLS] = { NULL };
	int i, r;

	if (!ctx->table || !ctx->ncols)
		return import_err(ctx, "row before a #!table and header line");
	for (i = 0; line; i++) {
		char *f = strsep(&line, "\t");

		if (i < ctx->ncols)
			v[ctx->colmap[i]] = f;
	}
	if (i != ctx->ncols)
		return import_err(ctx, "expected %d columns, got %d", ctx->ncols, i);
	if (ctx->arch_col >= 0 && !v[ctx->arch_col] && !(v[ctx->arch_col] = ctx->arch))
		return import_err(ctx, "no arch column and no #!arch");
	if (ctx->arch_col >= 0 && (!*v[ctx->arch_col] || strchr(v[ctx->arch_col], ' ')))
		return import_err(ctx, "bad arch '%s'", v[ctx->arch_col]);
	if (ctx->table->needs_source) {
		r = import_source(ctx);
		if (r < 0)
			return r;
	}
	r = ctx->table->row(ctx, v);
	if (r >= 0)
		ctx->rows++;
	return r;
}

static int import_line(struct import_ctx *ctx, char *line, size_t len)
{
	if (strlen(line) != len)
		return import_err(ctx, "NUL byte in line");
	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	if (!len)
		return 0;
	if (line[0] != '#')
		return import_row(ctx, line);
	if (line[1] == '!')
		return import_directive(ctx, line + 2);
	if (line[1] == '\0' || line[1] == ' ' || line[1] == '#' || line[1] == '\t')
		return 0;
	if (!ctx->table)
		return import_err(ctx, "header line before #!table");
	return import_header(ctx, line + 1);
}

static void import_ctx_release(struct import_ctx *ctx)
{
	import_reset_libraries(ctx);
	free(ctx->arch);
	free(ctx->source);
	aoms_strbuf_release(&ctx->provenance);
}

static int import_lines(struct import_ctx *ctx, FILE *in, unsigned *ret_line)
{
	_cleanup_(freep) char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r = 0;

	errno = 0;
	while (r >= 0 && (n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		r = import_line(ctx, line, (size_t)n);
	}
	if (r >= 0 && ferror(in)) {
		aoms_abidb_set_error(ctx->db, "read error");
		r = errno ? -errno : -EIO;
	}
	if (r < 0 && ret_line)
		*ret_line = lineno;
	return r;
}

int aoms_abidb_import(struct aoms_abidb *db, FILE *in, const char *name, unsigned *ret_line)
{
	struct import_ctx ctx = { .db = db, .name = name ? name : "import", .arch_col = -1 };
	bool own_tx = !db->in_tx;
	int r;

	if (own_tx) {
		r = aoms_abidb_begin(db);
		if (r < 0)
			return r;
	}
	r = import_lines(&ctx, in, ret_line);
	if (own_tx) {
		if (r >= 0)
			r = aoms_abidb_commit(db);
		else
			aoms_abidb_rollback(db);
	}
	import_ctx_release(&ctx);
	return r < 0 ? r : ctx.rows;
}
