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
#include "import.h"
#include "input-file.h"

const struct import_table aoms_import_tables[] = {
	{ "libraries", { "arch", "soname", "path", "package", "installed" },
	  aoms_import_row_libraries, true, { [4] = "1" } },
	{ "symbols", { "arch", "soname", "version", "symbol", "binding", "type" },
	  aoms_import_row_symbols, true, { NULL } },
	{ "interpreters", { "arch", "path", "package" }, aoms_import_row_interpreters, true, { NULL } },
	{ "soname-changes", { "el7_soname", "el8_soname", "package", "note" },
	  aoms_import_row_soname_changes, true, { NULL } },
	{ "meta", { "key", "value" }, aoms_import_row_meta, false, { NULL } },
	{ "glibc-sonames", { "soname" }, aoms_import_row_glibc_sonames, true, { NULL } },
	{ "packages", { "name", "epoch", "version", "release", "arch", "nevra", "installed" },
	  aoms_import_row_packages, true, { NULL } },
	{ "provides", { "nevra", "capability", "op", "evr" }, aoms_import_row_provides, true, { NULL } },
	{ "repo-packages", { "name", "repo" }, aoms_import_row_repo_packages, true, { NULL } },
	{ "kernels", { "release", "arch", "vermagic" }, aoms_import_row_kernels, true, { NULL } },
	{ "kernel-symbols",
	  { "release", "arch", "symbol", "crc", "module", "export_type", "namespace" },
	  aoms_import_row_kernel_symbols, true, { NULL } },
	{ "kabi", { "list", "arch", "symbol", "crc", "module", "export_type" },
	  aoms_import_row_kabi, true, { NULL } },
	{ "syscalls", { "kernel", "arch", "nr", "name", "abi", "entry" },
	  aoms_import_row_syscalls, true, { NULL } },
	{ "kernel-config", { "release", "arch", "key", "value" },
	  aoms_import_row_kernel_config, true, { NULL } },
	{ "kernel-modules", { "release", "arch", "module", "path", "builtin" },
	  aoms_import_row_kernel_modules, true, { NULL } },
	{ "bpf-prog-types", { "kernel", "id", "name", "upstream", "available" },
	  aoms_import_row_bpf_prog_types, true, { NULL } },
	{ "bpf-map-types", { "kernel", "id", "name", "upstream", "available" },
	  aoms_import_row_bpf_map_types, true, { NULL } },
	{ "bpf-helpers", { "kernel", "id", "name", "upstream", "gpl_only", "available" },
	  aoms_import_row_bpf_helpers, true, { NULL } },
};
const size_t aoms_import_n_tables = ARRAY_SIZE(aoms_import_tables);

int aoms_import_err(struct import_ctx *ctx, const char *fmt, ...)
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

const char *aoms_import_opt(const char *s)
{
	return (!*s || strcmp(s, "-") == 0) ? NULL : s;
}

int aoms_import_crc(struct import_ctx *ctx, const char *s, int64_t *ret)
{
	if (aoms_kfacts_parse_crc(s, ret) < 0)
		return aoms_import_err(ctx, "CRC '%s' is not 0x and 1-8 hex digits", s);
	return 0;
}

int aoms_import_int(struct import_ctx *ctx, const char *what, const char *s, int64_t min,
		    int64_t max, int64_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || (*s != '-' && (*s < '0' || *s > '9')) || v < min || v > max)
		return aoms_import_err(ctx, "%s '%s' is not a number in %lld..%lld", what, s,
				       (long long)min, (long long)max);
	*ret = v;
	return 0;
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

void aoms_import_reset_cache(struct import_ctx *ctx)
{
	free(ctx->last_key);
	free(ctx->last_version);
	free(ctx->last_nevra);
	ctx->last_key = ctx->last_version = ctx->last_nevra = NULL;
}

static int import_table_ncols(const struct import_table *t)
{
	int n = 0;

	while (n < IMPORT_MAX_COLS && t->cols[n])
		n++;
	return n;
}

static int import_column(const struct import_table *t, const char *name)
{
	for (int c = 0; c < import_table_ncols(t); c++)
		if (strcmp(t->cols[c], name) == 0)
			return c;
	return -1;
}

/* ---- directives ---- */

static const char *import_default(const struct import_ctx *ctx, const char *col)
{
	for (size_t i = 0; i < IMPORT_MAX_DEFAULTS && ctx->def_name[i]; i++)
		if (strcmp(ctx->def_name[i], col) == 0)
			return ctx->def_value[i];
	return NULL;
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

/* An arch list: words separated by single spaces. */
static bool import_valid_arches(const char *s)
{
	return *s && *s != ' ' && s[strlen(s) - 1] != ' ' && !strstr(s, "  ") &&
	       !strchr(s, '\t');
}

static int import_set_default(struct import_ctx *ctx, const char *col, const char *value)
{
	size_t i;
	bool known = false;

	for (size_t t = 0; t < aoms_import_n_tables; t++)
		known |= import_column(&aoms_import_tables[t], col) >= 0;
	if (!known)
		return aoms_import_err(ctx, "#!default for unknown column '%s'", col);
	if (strcmp(col, "arch") == 0 ? !import_valid_arches(value) : !*value)
		return aoms_import_err(ctx, "bad #!default %s value '%s'", col, value);
	for (i = 0; i < IMPORT_MAX_DEFAULTS && ctx->def_name[i]; i++)
		if (strcmp(ctx->def_name[i], col) == 0)
			return import_set(&ctx->def_value[i], value);
	if (i == IMPORT_MAX_DEFAULTS)
		return aoms_import_err(ctx, "too many #!default columns");
	if (import_set(&ctx->def_name[i], col) < 0 || import_set(&ctx->def_value[i], value) < 0)
		return -ENOMEM;
	return 0;
}

static int import_directive_table(struct import_ctx *ctx, const char *value)
{
	for (size_t i = 0; i < aoms_import_n_tables; i++)
		if (strcmp(aoms_import_tables[i].name, value) == 0) {
			ctx->table = &aoms_import_tables[i];
			ctx->ncols = 0;
			return 0;
		}
	return aoms_import_err(ctx, "unknown table '%s'", value);
}

static int import_directive_default(struct import_ctx *ctx, char *value)
{
	char *col = strsep(&value, " ");

	if (!*col || !value)
		return aoms_import_err(ctx, "#!default wants a column and a value");
	return import_set_default(ctx, col, value);
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
			return aoms_import_err(ctx, "#!provenance after the source's rows");
		if (ctx->provenance.len && aoms_strbuf_addc(&ctx->provenance, '\n') < 0)
			return -ENOMEM;
		return aoms_strbuf_adds(&ctx->provenance, value);
	}
	if (strcmp(line, "default") == 0)
		return import_directive_default(ctx, value);
	if (strcmp(line, "arch") == 0) {
		if (!import_valid_arches(value))
			return aoms_import_err(ctx, "#!arch wants arch names separated by spaces");
		return import_set_default(ctx, "arch", value);
	}
	if (!*value || strpbrk(value, " \t"))
		return aoms_import_err(ctx, "#!%s wants one word", line);
	if (strcmp(line, "source") == 0) {
		ctx->source_id = 0;
		aoms_strbuf_reset(&ctx->provenance);
		aoms_import_reset_cache(ctx);
		return import_set(&ctx->source, value);
	}
	return aoms_import_err(ctx, "unknown directive '#!%s'", line);
}

/* ---- the header ---- */

/* "#col<TAB>col...": every column of the table once, in any order; "arch", and a
 * column with a #!default, may be left out. */
static int import_header(struct import_ctx *ctx, char *line)
{
	const struct import_table *t = ctx->table;
	int n = import_table_ncols(t), seen = 0;

	if (ctx->ncols)
		return aoms_import_err(ctx, "second header line for table %s", t->name);
	ctx->arch_col = import_column(t, "arch");
	for (int i = 0; line; i++) {
		char *name = strsep(&line, "\t");
		int c = import_column(t, name);

		if (c < 0)
			return aoms_import_err(ctx, "unknown column '%s' for table %s", name, t->name);
		if (i >= n)
			return aoms_import_err(ctx, "too many columns for table %s", t->name);
		if (seen & (1 << c))
			return aoms_import_err(ctx, "column '%s' given twice", name);
		seen |= 1 << c;
		ctx->colmap[i] = c;
		ctx->ncols = i + 1;
	}
	for (int c = 0; c < n; c++)
		if (!(seen & (1 << c)) && c != ctx->arch_col && !import_default(ctx, t->cols[c]) &&
		    !t->implicit[c]) {
			ctx->ncols = 0;
			return aoms_import_err(ctx, "table %s wants %d columns", t->name, n);
		}
	return 0;
}

/* ---- rows and lines ---- */

/* Runs the row once per arch of v[arch_col] when it came from an arch list. */
static int import_row_arches(struct import_ctx *ctx, char **v, bool arch_from_default)
{
	_cleanup_(freep) char *list = NULL;
	char *p;
	int r, n = 0;

	if (ctx->arch_col < 0 || !arch_from_default || !strchr(v[ctx->arch_col], ' ')) {
		r = ctx->table->row(ctx, v);
		return r < 0 ? r : 1;
	}
	p = list = strdup(v[ctx->arch_col]);
	if (!list)
		return -ENOMEM;
	while (p) {
		v[ctx->arch_col] = strsep(&p, " ");
		r = ctx->table->row(ctx, v);
		if (r < 0)
			return r;
		n++;
	}
	return n;
}

static int import_row(struct import_ctx *ctx, char *line)
{
	char *v[IMPORT_MAX_COLS] = { NULL };
	bool arch_default = false;
	int i, r;

	if (!ctx->table || !ctx->ncols)
		return aoms_import_err(ctx, "row before a #!table and header line");
	for (i = 0; line; i++) {
		char *f = strsep(&line, "\t");

		if (i < ctx->ncols)
			v[ctx->colmap[i]] = f;
	}
	if (i != ctx->ncols)
		return aoms_import_err(ctx, "expected %d columns, got %d", ctx->ncols, i);
	for (int c = 0; c < import_table_ncols(ctx->table); c++) {
		const char *col = ctx->table->cols[c];

		if (v[c])
			continue;
		if (!(v[c] = (char *)import_default(ctx, col)))
			v[c] = (char *)ctx->table->implicit[c];
		if (!v[c])
			return c == ctx->arch_col ? aoms_import_err(ctx, "no arch column and no #!arch")
			       : aoms_import_err(ctx, "no %s column and no #!default %s", col, col);
		arch_default |= c == ctx->arch_col;
	}
	if (ctx->arch_col >= 0 && !arch_default &&
	    (!*v[ctx->arch_col] || strchr(v[ctx->arch_col], ' ')))
		return aoms_import_err(ctx, "bad arch '%s'", v[ctx->arch_col]);
	if (ctx->table->needs_source) {
		r = import_source(ctx);
		if (r < 0)
			return r;
	}
	return import_row_arches(ctx, v, arch_default);
}

static int import_line(void *ud, char *line, size_t len)
{
	struct import_ctx *ctx = ud;

	if (!len)
		return 0;
	if (line[0] != '#')
		return import_row(ctx, line);
	if (line[1] == '!')
		return import_directive(ctx, line + 2);
	if (line[1] == '\0' || line[1] == ' ' || line[1] == '#' || line[1] == '\t')
		return 0;
	if (!ctx->table)
		return aoms_import_err(ctx, "header line before #!table");
	return import_header(ctx, line + 1);
}

static void import_ctx_release(struct import_ctx *ctx)
{
	aoms_import_reset_cache(ctx);
	for (size_t i = 0; i < IMPORT_MAX_DEFAULTS; i++) {
		free(ctx->def_name[i]);
		free(ctx->def_value[i]);
	}
	free(ctx->source);
	aoms_strbuf_release(&ctx->provenance);
}

struct import_line_fn {
	int (*fn)(void *ud, char *line, size_t len);
	void *ud;
};

static int import_line_call(char *line, size_t len, void *ud)
{
	const struct import_line_fn *l = ud;

	return l->fn(l->ud, line, len);
}

static int import_lines(struct aoms_abidb *db, FILE *in, unsigned *ret_line,
			int (*line_fn)(void *ud, char *line, size_t len), void *ud)
{
	struct import_line_fn l = { line_fn, ud };
	const char *fail = NULL;
	unsigned lineno = 0;
	int r = aoms_foreach_line(in, import_line_call, &l, &lineno, &fail);

	if (r < 0 && ret_line)
		*ret_line = lineno;
	if (!fail)
		return r;
	aoms_abidb_set_error(db, "%s", fail);
	return r == -E2BIG || r == -EBADMSG ? -EINVAL : r;   /* the input's fault */
}

int aoms_import_in_tx(struct aoms_abidb *db, int (*fn)(void *ud), void *ud)
{
	bool own_tx = !db->in_tx;
	int r, rows;

	if (own_tx) {
		r = aoms_abidb_begin(db);
		if (r < 0)
			return r;
	}
	rows = fn(ud);
	if (own_tx) {
		if (rows >= 0) {
			r = aoms_abidb_commit(db);
			if (r < 0)
				rows = r;
		} else {
			aoms_abidb_rollback(db);
		}
	}
	return rows;
}

struct import_stream {
	struct aoms_abidb *db;
	FILE *in;
	unsigned *ret_line;
	int (*line_fn)(void *ud, char *line, size_t len);
	void *ud;
};

static int import_stream_run(void *ud)
{
	struct import_stream *st = ud;

	return import_lines(st->db, st->in, st->ret_line, st->line_fn, st->ud);
}

int aoms_import_stream(struct aoms_abidb *db, FILE *in, unsigned *ret_line,
		       int (*line_fn)(void *ud, char *line, size_t len), void *ud)
{
	struct import_stream st = { db, in, ret_line, line_fn, ud };

	return aoms_import_in_tx(db, import_stream_run, &st);
}

int aoms_abidb_import(struct aoms_abidb *db, FILE *in, const char *name, unsigned *ret_line)
{
	struct import_ctx ctx = { .db = db, .name = name ? name : "import", .arch_col = -1 };
	int r;

	r = aoms_import_stream(db, in, ret_line, import_line, &ctx);
	import_ctx_release(&ctx);
	return r;
}
