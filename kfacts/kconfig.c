/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kernel .config files (kfacts.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "kfacts-private.h"

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

int aoms_kconfig_parse_line(char *line, struct aoms_kconfig_row *ret, char **ret_reason)
{
	static const char not_set[] = " is not set";
	size_t len = strlen(line), nl = strlen(not_set);
	char *eq;

	if (len > 2 + nl && strncmp(line, "# ", 2) == 0 && strcmp(line + len - nl, not_set) == 0 &&
	    kconfig_valid_key(line + 2, len - 2 - nl)) {
		line[len - nl] = '\0';
		*ret = (struct aoms_kconfig_row){ .key = line + 2, .value = "n" };
		return 1;
	}
	if (!len || line[0] == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq || !kconfig_valid_key(line, (size_t)(eq - line)))
		return aoms_kfacts_err(ret_reason, "not a KEY=value line");
	if (eq[1] == '"' && !kconfig_unquote(eq + 1))
		return aoms_kfacts_err(ret_reason, "unterminated quoted value");
	*eq = '\0';
	*ret = (struct aoms_kconfig_row){ .key = line, .value = eq + 1 };
	return 1;
}

struct kconfig_reader {
	int (*fn)(const struct aoms_kconfig_row *row, void *ud);
	void *ud;
};

static int kconfig_reader_line(char *line, size_t len, char **reason, void *ud)
{
	struct kconfig_reader *rd = ud;
	struct aoms_kconfig_row row;
	int r;

	r = aoms_kconfig_parse_line(line, &row, reason);
	if (r <= 0)
		return r;
	r = rd->fn(&row, rd->ud);
	return r < 0 ? r : 1;
}

int aoms_kconfig_foreach(FILE *in, int (*fn)(const struct aoms_kconfig_row *row, void *ud),
			 void *ud, struct aoms_kfacts_error *ret_err)
{
	struct kconfig_reader rd = { fn, ud };

	return aoms_kfacts_read_lines(in, kconfig_reader_line, &rd, ret_err);
}
