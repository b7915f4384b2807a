/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scanners/elf-needs.c: version node families, and the highest version per family an
 * object needs (tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "elf-needs.h"

static const struct {
	const char *node, *key, *version;
} family_cases[] = {
	{ "GLIBC_2.34", "glibc", "2.34" },
	{ "GLIBC_2.2.5", "glibc", "2.2.5" },
	{ "GLIBCXX_3.4.30", "glibcxx", "3.4.30" },
	{ "CXXABI_1.3.13", "cxxabi", "1.3.13" },
	{ "GCC_4.2.0", "gcc", "4.2.0" },
	{ "OPENSSL_3.0.0", "openssl", "3.0.0" },
	{ "OPENSSL_1_1_1d", "openssl", "1.1.1d" },
	{ "OPENSSL_1.0.1_EC", "openssl", "1.0.1_EC" },
	{ "ZLIB_1.2.9", "zlib", "1.2.9" },
	{ "GLIBC_PRIVATE", NULL, NULL },
	{ "GLIBC_ABI_DT_RELR", NULL, NULL },
	{ "CXXABI_TM_1", NULL, NULL },
	{ "GLIBCXX_DEBUG_MESSAGE_LENGTH", NULL, NULL },
	{ "FOO_1.0", NULL, NULL },
	{ "GLIBC_", NULL, NULL },
	{ "", NULL, NULL },
	{ NULL, NULL, NULL },
};

static void test_family(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(family_cases); i++) {
		char buf[64] = "";
		const char *key = aoms_elf_need_family(family_cases[i].node, buf, sizeof(buf));

		if ((key == NULL) != (family_cases[i].key == NULL) ||
		    (key && (strcmp(key, family_cases[i].key) != 0 ||
			     strcmp(buf, family_cases[i].version) != 0)))
			fail_msg("%s: got %s %s", family_cases[i].node ? family_cases[i].node : "(null)",
				 key ? key : "(none)", key ? buf : "");
	}
	/* a version longer than the buffer belongs to no family rather than being cut */
	{
		char small[4];

		assert_null(aoms_elf_need_family("GLIBC_2.2.5", small, sizeof(small)));
	}
}

#define N(soname, version) { soname, version, false, 0 }
#define W(soname, version) { soname, version, true, 0 }

static const struct {
	struct aoms_elf_need needs[8];
	size_t n;
	const char *want;   /* "key=version;..." in family order */
} needs_cases[] = {
	{ { { 0 } }, 0, "" },
	{ { N("libc.so.6", "GLIBC_2.2.5"), N("libc.so.6", "GLIBC_2.34"), N("libc.so.6", "GLIBC_2.9"),
	    N("libm.so.6", "GLIBC_2.29") }, 4, "glibc=2.34" },
	/* 2.10 is newer than 2.9 (not bytewise) */
	{ { N("libc.so.6", "GLIBC_2.9"), N("libc.so.6", "GLIBC_2.10") }, 2, "glibc=2.10" },
	/* weak needs do not count; GLIBC_PRIVATE is no version */
	{ { W("libc.so.6", "GLIBC_2.38"), N("libc.so.6", "GLIBC_2.17"),
	    N("libc.so.6", "GLIBC_PRIVATE") }, 3, "glibc=2.17" },
	{ { N("libstdc++.so.6", "CXXABI_1.3.13"), N("libstdc++.so.6", "GLIBCXX_3.4.9"),
	    N("libstdc++.so.6", "GLIBCXX_3.4.30"), N("libgcc_s.so.1", "GCC_3.0"),
	    N("libc.so.6", "GLIBC_2.14"), N("libz.so.1", "ZLIB_1.2.9"),
	    N("libcrypto.so.1.1", "OPENSSL_1_1_0"), N("libssl.so.1.1", "OPENSSL_1_1_1") },
	  8, "glibc=2.14;glibcxx=3.4.30;cxxabi=1.3.13;gcc=3.0;openssl=1.1.1;zlib=1.2.9" },
	{ { N("libcrypto.so.3", "OPENSSL_3.0.0"), N("libcrypto.so.1.1", "OPENSSL_1_1_1d") }, 2,
	  "openssl=3.0.0" },
	{ { N("libfoo.so.1", "FOO_1.0") }, 1, "" },
};

static void test_summarize(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(needs_cases); i++) {
		_cleanup_(aoms_file_summary_freep) struct aoms_file_summary *s = NULL;
		char got[256] = "";

		assert_int_equal(aoms_file_summary_new("bin/app", "elf", &s), 0);
		assert_int_equal(aoms_elf_needs_summarize(needs_cases[i].needs, needs_cases[i].n, s), 0);
		for (size_t k = 0; k < s->n_needs; k++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s=%s", k ? ";" : "",
				 s->needs[k].key, s->needs[k].version);
		if (strcmp(got, needs_cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got, needs_cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_summarize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
