/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's own fact formats, read line by line (a symvers is ~30,000 lines;
 * nothing is kept but the current line): Module.symvers, kABI stablelists and
 * kernel .config files. Strict like the fact tables: a line that is none of the
 * format's forms is -EINVAL with its number.
 */
#include <errno.h>
#include <string.h>
#include "import.h"

#define SYMVERS_MAX_FIELDS 6

struct symvers_ctx {
	struct import_ctx ictx;  /* only .db: for aoms_import_err() and _crc() */
	int64_t source_id;
	const char *release, *arch;
	const char *list;        /* kabi: the list; NULL: kernel symbols */
};

static bool symvers_is_export(const char *s)
{
	return strncmp(s, "EXPORT_", 7) == 0 && s[7];
}

struct symvers_row {
	int64_t crc;
	const char *name, *module, *export_type, *ns;
};

/* "CRC symbol module [export_type [namespace]]", or Linux 5.4-5.8's
 * "CRC symbol namespace module export_type". */
static int symvers_parse(struct symvers_ctx *c, char *line, struct symvers_row *row)
{
	char *f[SYMVERS_MAX_FIELDS];
	int n = 1, r;

	for (const char *p = line; (p = strchr(p, '\t')); p++)
		n++;
	if (n < 3 || n > 5)
		return aoms_import_err(&c->ictx, "expected 3 to 5 TAB-separated fields, got %d", n);
	for (int i = 0; i < n; i++)
		f[i] = strsep(&line, "\t");
	if (!aoms_import_opt(f[0]))
		return aoms_import_err(&c->ictx, "no CRC");
	r = aoms_import_crc(&c->ictx, f[0], &row->crc);
	if (r < 0)
		return r;
	*row = (struct symvers_row){ .crc = row->crc, .name = f[1], .module = f[2] };
	if (n == 5 && !symvers_is_export(f[3]) && symvers_is_export(f[4])) {
		row->ns = f[2];
		row->module = f[3];
		row->export_type = f[4];
	} else if (n >= 4) {
		row->export_type = f[3];
		row->ns = n == 5 ? f[4] : NULL;
		if (!symvers_is_export(f[3]))
			return aoms_import_err(&c->ictx, "export type '%s' is not EXPORT_*", f[3]);
	}
	if (!*row->name || !*row->module)
		return aoms_import_err(&c->ictx, "empty symbol or module");
	if (row->ns && !*row->ns)
		row->ns = NULL;
	return 0;
}

static int symvers_line(void *ud, char *line, size_t len)
{
	struct symvers_ctx *c = ud;
	struct symvers_row row;
	int r;

	if (!len || line[0] == '#')
		return 0;
	r = symvers_parse(c, line, &row);
	if (r < 0)
		return r;
	r = aoms_abidb_add_kernel_symbol(c->ictx.db, c->source_id, c->release, c->arch, row.name,
					 row.crc, row.module, row.export_type, row.ns);
	return r < 0 ? r : 1;
}

static bool symvers_args_ok(const char *a, const char *b)
{
	return a && *a && b && *b;
}

int aoms_abidb_import_symvers(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line)
{
	struct symvers_ctx c = { .ictx.db = db, .source_id = source_id, .release = release,
				 .arch = arch };

	if (!symvers_args_ok(release, arch))
		return -EINVAL;
	return aoms_import_stream(db, in, ret_line, symvers_line, &c);
}

/* ---- kABI stablelists ---- */

static int kabi_line(void *ud, char *line, size_t len)
{
	struct symvers_ctx *c = ud;
	struct symvers_row row = { .crc = -1 };
	int r;

	if (!len || line[0] == '#' || (line[0] == '[' && line[len - 1] == ']'))
		return 0;
	if (line[0] == ' ' || line[0] == '\t') {
		row.name = line + strspn(line, " \t");
		if (!*row.name || strpbrk(row.name, " \t"))
			return aoms_import_err(&c->ictx, "not one symbol name per line");
	} else if (strncmp(line, "0x", 2) == 0) {
		r = symvers_parse(c, line, &row);
		if (r < 0)
			return r;
	} else {
		return aoms_import_err(&c->ictx, "neither a symvers line nor an indented symbol");
	}
	r = aoms_abidb_add_kabi(c->ictx.db, c->source_id, c->list, c->arch, row.name, row.crc,
				row.module, row.export_type);
	return r < 0 ? r : 1;
}

int aoms_abidb_import_kabi(struct aoms_abidb *db, FILE *in, int64_t source_id,
			   const char *list, const char *arch, unsigned *ret_line)
{
	struct symvers_ctx c = { .ictx.db = db, .source_id = source_id, .list = list,
				 .arch = arch };

	if (!symvers_args_ok(list, arch))
		return -EINVAL;
	return aoms_import_stream(db, in, ret_line, kabi_line, &c);
}

/* ---- kernel .config ---- */

static bool kconfig_valid_key(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* "..." with \" and \\ escapes, in place; false when not a whole quoted string. */
static bool kconfig_unquote(char *v)
{
	char *w = v;
	const char *p = v + 1;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		*w++ = *p;
	}
	if (*p != '"' || p[1])
		return false;
	*w = '\0';
	return true;
}

static int kconfig_line(void *ud, char *line, size_t len)
{
	static const char not_set[] = " is not set";
	struct symvers_ctx *c = ud;
	size_t nl = strlen(not_set);
	char *eq, *key = line;
	const char *value;
	int r;

	if (len > 2 + nl && strncmp(line, "# ", 2) == 0 && strcmp(line + len - nl, not_set) == 0 &&
	    kconfig_valid_key(line + 2, len - 2 - nl)) {
		key = line + 2;
		key[len - 2 - nl] = '\0';
		value = "n";
	} else if (!len || line[0] == '#') {
		return 0;
	} else {
		eq = strchr(line, '=');
		if (!eq || !kconfig_valid_key(line, (size_t)(eq - line)))
			return aoms_import_err(&c->ictx, "not a KEY=value line");
		*eq = '\0';
		if (eq[1] == '"' && !kconfig_unquote(eq + 1))
			return aoms_import_err(&c->ictx, "unterminated quoted value");
		value = eq + 1;
	}
	r = aoms_abidb_add_kernel_config(c->ictx.db, c->source_id, c->release, c->arch, key,
					 value);
	return r < 0 ? r : 1;
}

int aoms_abidb_import_kconfig(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line)
{
	struct symvers_ctx c = { .ictx.db = db, .source_id = source_id, .release = release,
				 .arch = arch };

	if (!symvers_args_ok(release, arch))
		return -EINVAL;
	return aoms_import_stream(db, in, ret_line, kconfig_line, &c);
}
