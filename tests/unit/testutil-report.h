/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report helpers for the unit tests of report/ and above (a header: testutil.c is
 * also linked into tests of layers below report/). */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include "report.h"

/* The report rendered in format, as a heap string (the caller frees); fails the test
 * when rendering fails. */
static inline char *aoms_test_render(struct aoms_report *r, const char *format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(aoms_report_render(r, format, out), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}
