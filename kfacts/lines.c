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

struct kfacts_line_fn {
	int (*fn)(char *line, size_t len, char **reason, void *ud);
	void *ud;
	char *reason;
};

static int kfacts_line(char *line, size_t len, void *ud)
{
	struct kfacts_line_fn *l = ud;

	return l->fn(line, len, &l->reason, l->ud);
}

int aoms_kfacts_read_lines(FILE *in, int (*line_fn)(char *line, size_t len, char **reason,
						     void *ud),
			   void *ud, struct aoms_kfacts_error *ret_err)
{
	struct kfacts_line_fn l = { line_fn, ud, NULL };
	const char *fail = NULL;
	unsigned lineno = 0;
	int r = aoms_foreach_line(in, kfacts_line, &l, &lineno, &fail);

	if (fail) {
		free(l.reason);
		l.reason = strdup(fail);
		if (r == -E2BIG || r == -EBADMSG)
			r = -EINVAL;   /* the input's fault */
	}
	if (r < 0 && ret_err)
		*ret_err = (struct aoms_kfacts_error){ .line = lineno, .reason = TAKE_PTR(l.reason) };
	free(l.reason);
	return r;
}
