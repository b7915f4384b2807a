/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "tool-opts.h"

int aoms_opts_getopt(const struct aoms_opt *table, bool posix, struct option **ret_long,
		     char **ret_short)
{
	size_t n = 0, k = 0;
	struct option *lo;
	char *so;

	while (table[n].name)
		n++;
	lo = calloc(n + 1, sizeof(*lo));
	so = calloc(3 * n + 2, 1);
	if (!lo || !so) {
		free(lo);
		free(so);
		return -ENOMEM;
	}
	if (posix)
		so[k++] = '+';
	for (size_t i = 0; i < n; i++) {
		lo[i] = (struct option){ table[i].name,
					 table[i].arg ? required_argument : no_argument, NULL,
					 table[i].val };
		if (table[i].val > 0 && table[i].val < 256) {
			so[k++] = (char)table[i].val;
			if (table[i].arg)
				so[k++] = ':';
		}
	}
	*ret_long = lo;
	*ret_short = so;
	return 0;
}

void aoms_opts_print(FILE *out, const struct aoms_opt *table)
{
	for (const struct aoms_opt *o = table; o->name; o++) {
		const char *h = o->help;

		if (o->val > 0 && o->val < 256)
			fprintf(out, "  -%c, --%s", o->val, o->name);
		else
			fprintf(out, "  --%s", o->name);
		if (o->arg)
			fprintf(out, " %s", o->arg);
		fputc('\n', out);
		while (*h) {
			size_t len = strcspn(h, "\n");

			fprintf(out, "        %.*s\n", (int)len, h);
			h += len + (h[len] == '\n');
		}
		if (o->def)
			fprintf(out, "        (default: %s)\n", o->def);
	}
}
