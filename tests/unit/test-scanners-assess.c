/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scanners/assess-kernel.c: the live /proc/modules reader (names and taint flags),
 * which an e2e test on a root cannot reach. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "assess.h"

struct seen {
	char text[1024];
	int n;
};

static int on_module(const char *name, const char *taint, void *ud)
{
	struct seen *s = ud;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s[%s] ", name, taint);
	return ++s->n == 10 ? -E2BIG : 0;
}

static void expect(const char *in, const char *want, int want_r)
{
	struct seen s = { "", 0 };
	FILE *f = fmemopen((void *)in, strlen(in), "r");

	assert_non_null(f);
	assert_int_equal(aoms_assess_proc_modules(f, on_module, &s), want_r);
	fclose(f);
	assert_string_equal(s.text, want);
}

static void test_proc_modules(void **state)
{
	(void)state;
	/* real lines of a RHEL 8 host: in-tree, out-of-tree unsigned, a dependency list */
	expect("e1000e 286720 0 - Live 0xffffffffc0a00000\n"
	       "nvidia 35315712 62 nvidia_modeset, Live 0xffffffffc1000000 (POE)\n"
	       "vboxdrv 479232 2 vboxnetadp,vboxnetflt, Live 0xffffffffc0b00000 (OE)\n"
	       "dm_mod 151552 9 dm_mirror,dm_log, Live 0xffffffffc0300000\n",
	       "e1000e[] nvidia[POE] vboxdrv[OE] dm_mod[] ", 0);
	expect("", "", 0);
	expect("\n   \n", "", 0);
	/* hostile: an unclosed parenthesis, a taint longer than any, no fields */
	expect("x 1 0 - Live 0x0 (OE\ny 1 0 - Live 0x0 (" "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO)\n",
	       "x[] y[] ", 0);
}

/* fn's negative return stops the walk and is returned */
static void test_proc_modules_stop(void **state)
{
	char big[100 * 6 + 1] = "";
	struct seen s = { "", 0 };
	FILE *f;

	(void)state;
	for (int i = 0; i < 100; i++)
		strcat(big, "m 1 0\n");
	f = fmemopen(big, strlen(big), "r");
	assert_non_null(f);
	assert_int_equal(aoms_assess_proc_modules(f, on_module, &s), -E2BIG);
	assert_int_equal(s.n, 10);   /* not one line more */
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_modules),
		cmocka_unit_test(test_proc_modules_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
