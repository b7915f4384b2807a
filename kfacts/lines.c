/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kfacts parsers share: the line reader, reasons, CRC fields. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "kfacts-private.h"
#include "input-file.h"
#include "strbuf.h"

int aoms_kfacts_err(char **ret_reason, const char *fmt, ...)
{
	va_list ap;

	if (!ret_reason)
		return -EINVAL;
	va_start(ap, fmt);
	if (vasprintf(ret_reason, fmt, ap) < 0)
		*ret_reason = NULL;
	va_end(ap);
	return -EINVAL;
}

void aoms_kfacts_error_release(struct aoms_kfacts_error *e)
{
	free(e->reason);
	*e = (struct aoms_kfacts_error){ 0 };
}

int aoms_kfacts_parse_crc(const char *s, int64_t *ret)
{
	int64_t v = 0;
	size_t n;

	if (!*s || strcmp(s, "-") == 0) {
		*ret = -1;
		return 0;
	}
	n = strlen(s);
	if (n < 3 || n > 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    strspn(s + 2, "0123456789abcdefABCDEF") != n - 2)
		return -EINVAL;
	for (const char *p = s + 2; *p; p++)
		v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
	*ret = v;
	return 0;
}

int aoms_kfacts_read_lines(FILE *in, int (*line_fn)(char *line, size_t len, char **reason,
						     void *ud),
			   void *ud, struct aoms_kfacts_error *ret_err)
{
	_cleanup_(freep) char *line = NULL, *reason = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r = 0, rows = 0;

	while (r >= 0 && (n = aoms_read_line(in, &line, &cap, AOMS_LINE_MAX)) != 0) {
		size_t len = (size_t)n;

		lineno++;
		if (n == -E2BIG) {
			r = aoms_kfacts_err(&reason, "line too long (over %d bytes)", AOMS_LINE_MAX);
			break;
		}
		if (n < 0) {
			r = (int)n;
			reason = strdup("read error");
			break;
		}
		if (strlen(line) != len) {
			r = aoms_kfacts_err(&reason, "NUL byte in line");
			break;
		}
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		r = line_fn(line, len, &reason, ud);
		if (r > 0)
			rows += r;
	}
	if (r < 0 && ret_err)
		*ret_err = (struct aoms_kfacts_error){ .line = lineno, .reason = TAKE_PTR(reason) };
	return r < 0 ? r : rows;
}
