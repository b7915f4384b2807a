/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scanners/syscall-table.c: the wrapper table is searched by bisection, so it must stay
 * sorted; every entry is found, names around them are not; the other curated lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "syscall-table.h"

static void test_imports(void **state)
{
	const char *name, *prev = NULL;
	size_t n = 0;

	for (; (name = aoms_syscall_import_at(n)); n++) {
		if (prev && strcmp(prev, name) >= 0)
			fail_msg("wrapper table out of order: '%s' before '%s'", prev, name);
		assert_non_null(aoms_syscall_of_import(name));
		prev = name;
	}
	assert_true(n > 30);
	assert_string_equal(aoms_syscall_of_import("getrandom"), "getrandom");
	assert_string_equal(aoms_syscall_of_import("statx"), "statx");
	assert_null(aoms_syscall_of_import(""));
	assert_null(aoms_syscall_of_import("read"));
	assert_null(aoms_syscall_of_import("statxx"));
	assert_null(aoms_syscall_of_import("aaa"));
	assert_null(aoms_syscall_of_import("zzz"));
}

static void test_facts(void **state)
{
	assert_string_equal(aoms_syscall_introduced("pidfd_open"), "5.3");
	assert_null(aoms_syscall_introduced("read"));
	assert_string_equal(aoms_syscall_name_new(434), "pidfd_open");
	assert_null(aoms_syscall_name_new(-5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imports),
		cmocka_unit_test(test_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
