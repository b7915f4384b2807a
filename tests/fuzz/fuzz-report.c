/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON report reader (report/report-read.h): a report read back must render, and
 * render to the same bytes when read again (the round trip the planner, baselines and
 * waivers rely on). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "report-read.h"
#include "report.h"

static char *render(struct aoms_report *r, size_t *ret_len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, ret_len);

	if (!out)
		abort();
	if (aoms_report_render(r, "json", out) < 0)
		abort();
	fclose(out);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aoms_report *r = NULL, *again = NULL;
	char *error = NULL, *a, *b;
	size_t na, nb;
	FILE *in = fmemopen((void *)data, size, "r");

	if (!in)
		return 0;
	if (aoms_report_read(in, &r, &error) == 0) {
		a = render(r, &na);
		FILE *in2 = fmemopen(a, na, "r");

		if (!in2 || aoms_report_read(in2, &again, NULL) < 0)
			abort();   /* what aoms writes, aoms reads */
		fclose(in2);
		b = render(again, &nb);
		if (na != nb || memcmp(a, b, na) != 0)
			abort();   /* read -> write is a fixed point */
		free(a);
		free(b);
		aoms_report_free(again);
		aoms_report_free(r);
	}
	free(error);
	fclose(in);
	return 0;
}
