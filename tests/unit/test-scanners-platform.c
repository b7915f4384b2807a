/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pure helpers of plug-ins, platforms and the loader's search: platform slots
 * and fit, the C library of a model, host symbols, DT_NEEDED token expansion and
 * default library directories. Tables, no files.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "check-elf-private.h"
#include "elf-model.h"
#include "platform.h"
#include "resolve.h"
#include "tree.h"

static void test_slot(void **state)
{
	static const struct { const char *path, *slot; bool tagged; } rows[] = {
		{ "/a/prebuilds/linux-arm64/addon.node", "/a/prebuilds//addon.node", true },
		{ "/a/prebuilds/linux-x64/addon.node", "/a/prebuilds//addon.node", true },
		{ "/a/prebuilds/linux-x64/addon.musl.node", "/a/prebuilds//addon.node", true },
		{ "/a/prebuilds/linux-arm64/node.napi.armv8.node", "/a/prebuilds//node.napi.node", true },
		{ "/n/@swc/core-linux-x64-gnu/swc.linux-x64-gnu.node", "/n/@swc/core/swc.node", true },
		{ "/n/@swc/core-linux-arm64-musl/swc.linux-arm64-musl.node", "/n/@swc/core/swc.node", true },
		{ "/s/foo.cpython-39-x86_64-linux-gnu.so", "/s/foo.cpython.39.so", true },
		{ "/s/foo.cpython-39-aarch64-linux-gnu.so", "/s/foo.cpython.39.so", true },
		{ "/usr/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib//libz.so.1", true },
		{ "/usr/lib/i386-linux-gnu/libz.so.1", "/usr/lib//libz.so.1", true },
		{ "/opt/App/bin/Tool", "/opt/app/bin/tool", false },
		{ "/opt/libarm.so", "/opt/libarm.so", false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		bool tagged = !rows[i].tagged;
		char *s = aoms_platform_slot(rows[i].path, &tagged);

		assert_non_null(s);
		assert_string_equal(s, rows[i].slot);
		assert_int_equal(tagged, rows[i].tagged);
		free(s);
	}
}

static void test_fit(void **state)
{
	static const char *const x86[] = { "x86_64" }, *const both[] = { "x86_64", "aarch64" };
	static const char *const arm[] = { "aarch64" };

	assert_int_equal(aoms_platform_fit("x86_64", AOMS_LIBC_GLIBC, x86, 1), AOMS_PLATFORM_NATIVE);
	assert_int_equal(aoms_platform_fit("x86_64", AOMS_LIBC_NONE, x86, 1), AOMS_PLATFORM_NATIVE);
	assert_int_equal(aoms_platform_fit("x86_64", AOMS_LIBC_MUSL, x86, 1), AOMS_PLATFORM_FOREIGN);
	assert_int_equal(aoms_platform_fit("x86_64", AOMS_LIBC_BIONIC, x86, 1), AOMS_PLATFORM_FOREIGN);
	assert_int_equal(aoms_platform_fit("aarch64", AOMS_LIBC_GLIBC, x86, 1), AOMS_PLATFORM_FOREIGN);
	assert_int_equal(aoms_platform_fit("aarch64", AOMS_LIBC_GLIBC, both, 2), AOMS_PLATFORM_NATIVE);
	assert_int_equal(aoms_platform_fit("i686", AOMS_LIBC_GLIBC, x86, 1), AOMS_PLATFORM_COMPAT);
	assert_int_equal(aoms_platform_fit("i686", AOMS_LIBC_GLIBC, arm, 1), AOMS_PLATFORM_FOREIGN);
	assert_int_equal(aoms_platform_fit(NULL, AOMS_LIBC_GLIBC, x86, 1), AOMS_PLATFORM_FOREIGN);
	assert_true(aoms_platform_arch_valid("aarch64"));
	assert_false(aoms_platform_arch_valid("arm64"));
	assert_false(aoms_platform_arch_valid(NULL));
}

static void test_libc(void **state)
{
	const char *musl_needed[] = { "libc.musl-x86_64.so.1" };
	const char *libc_so[] = { "libc.so" };
	const char *libc6[] = { "libc.so.6" };
	/* sodium-native's android-x64 prebuild */
	const char *android[] = { "libm.so", "libc++_shared.so", "libdl.so", "libc.so" };
	struct aoms_elf_need glibc_need = { "libc.so", "GLIBC_2.2.5", false, 2 };
	struct aoms_elf m = { 0 };

	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_NONE);
	m.interp = "/lib/ld-musl-x86_64.so.1";
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_MUSL);
	m.interp = "/lib64/ld-linux-x86-64.so.2";
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_GLIBC);
	m = (struct aoms_elf){ .needed = musl_needed, .n_needed = 1 };
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_MUSL);
	m = (struct aoms_elf){ .needed = libc_so, .n_needed = 1 };
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_MUSL);
	m.needs = &glibc_need;   /* libc.so with glibc's version nodes: not musl */
	m.n_needs = 1;
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_GLIBC);
	m = (struct aoms_elf){ .needed = libc6, .n_needed = 1 };
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_GLIBC);
	m = (struct aoms_elf){ .needed = android, .n_needed = 4 };
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_BIONIC);
	m = (struct aoms_elf){ .interp = "/system/bin/linker64" };
	assert_int_equal(aoms_platform_libc(&m), AOMS_LIBC_BIONIC);
}

static void test_host_symbols(void **state)
{
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_PYTHON, "PyLong_FromLong"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_PYTHON, "_Py_NoneStruct"));
	assert_false(aoms_host_provides_symbol(AOMS_ELF_HOST_PYTHON, "napi_create_int32"));
	assert_false(aoms_host_provides_symbol(AOMS_ELF_HOST_PYTHON, "memcpy"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "napi_create_int32"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "uv_default_loop"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "_ZN2v87Isolate10GetCurrentEv"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "_ZN4node12AtExitEPv"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "node_module_register"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_PERL, "Perl_croak_nocontext"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_PERL, "PL_thr_key"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_PERL, "PerlIO_stdout"));
	assert_false(aoms_host_provides_symbol(AOMS_ELF_HOST_PERL, "deflateInit_"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_POSTGRES, "palloc"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "napi_module_register"));
	assert_false(aoms_host_provides_symbol(AOMS_ELF_HOST_NODE, "PyLong_FromLong"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_JNI, "JVM_CurrentTimeMillis"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_JNI, "JNI_GetCreatedJavaVMs"));
	assert_true(aoms_host_provides_symbol(AOMS_ELF_HOST_JNI | AOMS_ELF_HOST_PYTHON, "PyErr_Occurred"));
	assert_false(aoms_host_provides_symbol(0, "PyErr_Occurred"));
}

static void test_expand(void **state)
{
	static const struct { const char *in; int cls; const char *arch, *out; } rows[] = {
		{ "$ORIGIN/libfoo.so.1", ELFCLASS64, "x86_64", "/opt/app/lib/libfoo.so.1" },
		{ "${ORIGIN}/../lib/libfoo.so.1", ELFCLASS64, "x86_64", "/opt/app/lib/../lib/libfoo.so.1" },
		{ "/usr/$LIB/libfoo.so", ELFCLASS64, "x86_64", "/usr/lib64/libfoo.so" },
		{ "/usr/${LIB}/libfoo.so", ELFCLASS32, "i686", "/usr/lib/libfoo.so" },
		{ "$ORIGIN/$PLATFORM/libfoo.so", ELFCLASS64, "aarch64", "/opt/app/lib/aarch64/libfoo.so" },
		{ "$ORIGINAL/libfoo.so", ELFCLASS64, "x86_64", "$ORIGINAL/libfoo.so" },
		{ "$FOO/libfoo.so", ELFCLASS64, "x86_64", "$FOO/libfoo.so" },
		{ "${ORIGIN/libfoo.so", ELFCLASS64, "x86_64", "${ORIGIN/libfoo.so" },
		{ "libfoo.so.1", ELFCLASS64, "x86_64", "libfoo.so.1" },
		{ "$PLATFORM", ELFCLASS64, NULL, "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char *s = aoms_resolve_expand(rows[i].in, "/opt/app/lib", rows[i].cls, rows[i].arch);

		assert_non_null(s);
		assert_string_equal(s, rows[i].out);
		free(s);
	}
}

static void test_default_dir(void **state)
{
	char *roots[] = { "/tmp/root", "/srv/x/usr/lib64" };
	struct aoms_tree t = { .roots = roots, .n_roots = 2 };

	assert_true(aoms_resolve_default_dir(&t, "/usr/lib64/libfoo.so.1", ELFCLASS64));
	assert_true(aoms_resolve_default_dir(&t, "/lib64/libfoo.so.1", ELFCLASS64));
	assert_false(aoms_resolve_default_dir(&t, "/usr/lib64/libfoo.so.1", ELFCLASS32));
	assert_true(aoms_resolve_default_dir(&t, "/usr/lib/libfoo.so.1", ELFCLASS32));
	assert_true(aoms_resolve_default_dir(&t, "/tmp/root/usr/lib64/libfoo.so.1", ELFCLASS64));
	assert_true(aoms_resolve_default_dir(&t, "/srv/x/usr/lib64/libfoo.so.1", ELFCLASS64));
	assert_false(aoms_resolve_default_dir(&t, "/tmp/root/opt/lib64/libfoo.so.1", ELFCLASS64));
	assert_false(aoms_resolve_default_dir(&t, "/tmp/root/usr/lib64/sub/libfoo.so.1", ELFCLASS64));
	assert_false(aoms_resolve_default_dir(&t, "/opt/app/lib64/libfoo.so.1", ELFCLASS64));
	assert_false(aoms_resolve_default_dir(&t, "/p/x.rpm!/usr/lib64/libfoo.so.1", ELFCLASS64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_libc),
		cmocka_unit_test(test_host_symbols),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_default_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
