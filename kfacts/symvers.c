/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Module.symvers and kABI stablelists (kfacts.h). A symvers is ~30,000 lines;
 * nothing is kept but the current line.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "kfacts-private.h"

#define SYMVERS_MAX_FIELDS 6

static bool symvers_is_export(const char *s)
{
	return strncmp(s, "EXPORT_", 7) == 0 && s[7];
}

/* "CRC symbol module [export_type [namespace]]", or Linux 5.4-5.8's
 * "CRC symbol namespace module export_type". */
static int symvers_parse(char *line, struct aoms_symvers_row *ret, char **reason)
{
	struct aoms_symvers_row row;
	char *f[SYMVERS_MAX_FIELDS];
	int n = 1;

	for (const char *p = line; (p = strchr(p, '\t')); p++)
		n++;
	if (n < 3 || n > 5)
		return aoms_kfacts_err(reason, "expected 3 to 5 TAB-separated fields, got %d", n);
	for (int i = 0; i < n; i++)
		f[i] = strsep(&line, "\t");
	if (!*f[0] || strcmp(f[0], "-") == 0)
		return aoms_kfacts_err(reason, "no CRC");
	row = (struct aoms_symvers_row){ .name = f[1], .module = f[2] };
	if (aoms_kfacts_parse_crc(f[0], &row.crc) < 0)
		return aoms_kfacts_err(reason, "CRC '%s' is not 0x and 1-8 hex digits", f[0]);
	if (n == 5 && !symvers_is_export(f[3]) && symvers_is_export(f[4])) {
		row.ns = f[2];
		row.module = f[3];
		row.export_type = f[4];
	} else if (n >= 4) {
		row.export_type = f[3];
		row.ns = n == 5 ? f[4] : NULL;
		if (!symvers_is_export(f[3]))
			return aoms_kfacts_err(reason, "export type '%s' is not EXPORT_*", f[3]);
	}
	if (!*row.name || !*row.module)
		return aoms_kfacts_err(reason, "empty symbol or module");
	if (row.ns && !*row.ns)
		row.ns = NULL;
	*ret = row;
	return 1;
}

int aoms_symvers_parse_line(char *line, struct aoms_symvers_row *ret, char **ret_reason)
{
	if (!*line || line[0] == '#')
		return 0;
	return symvers_parse(line, ret, ret_reason);
}

int aoms_kabi_parse_line(char *line, struct aoms_symvers_row *ret, char **ret_reason)
{
	size_t len = strlen(line);
	const char *name;

	if (!len || line[0] == '#' || (line[0] == '[' && line[len - 1] == ']'))
		return 0;
	if (line[0] == ' ' || line[0] == '\t') {
		name = line + strspn(line, " \t");
		if (!*name || strpbrk(name, " \t"))
			return aoms_kfacts_err(ret_reason, "not one symbol name per line");
		*ret = (struct aoms_symvers_row){ .crc = -1, .name = name };
		return 1;
	}
	if (strncmp(line, "0x", 2) == 0)
		return symvers_parse(line, ret, ret_reason);
	return aoms_kfacts_err(ret_reason, "neither a symvers line nor an indented symbol");
}

struct symvers_reader {
	int (*parse)(char *line, struct aoms_symvers_row *ret, char **ret_reason);
	int (*fn)(const struct aoms_symvers_row *row, void *ud);
	void *ud;
};

static int symvers_reader_line(char *line, size_t len, char **reason, void *ud)
{
	struct symvers_reader *rd = ud;
	struct aoms_symvers_row row;
	int r;

	r = rd->parse(line, &row, reason);
	if (r <= 0)
		return r;
	r = rd->fn(&row, rd->ud);
	return r < 0 ? r : 1;
}

int aoms_symvers_foreach(FILE *in, int (*fn)(const struct aoms_symvers_row *row, void *ud),
			 void *ud, struct aoms_kfacts_error *ret_err)
{
	struct symvers_reader rd = { aoms_symvers_parse_line, fn, ud };

	return aoms_kfacts_read_lines(in, symvers_reader_line, &rd, ret_err);
}

int aoms_kabi_foreach(FILE *in, int (*fn)(const struct aoms_symvers_row *row, void *ud),
		      void *ud, struct aoms_kfacts_error *ret_err)
{
	struct symvers_reader rd = { aoms_kabi_parse_line, fn, ud };

	return aoms_kfacts_read_lines(in, symvers_reader_line, &rd, ret_err);
}
