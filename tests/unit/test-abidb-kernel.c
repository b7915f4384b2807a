/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db kernel facts: writers and lookups (the parsers: test-abidb-symvers.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "abidb.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

/* ---- writers and lookups ---- */

static void test_kernel_symbols(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("ksym.db");
	struct aoms_abidb_ksym k;
	struct aoms_abidb_stats st;
	int64_t src;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_kernel(db, src, "4.18.0-80.el8", "x86_64", NULL));
	OK(aoms_abidb_add_kernel(db, src, "4.18.0-80.el8", "x86_64", "4.18.0-80.el8.x86_64 SMP"));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-80.el8", "x86_64", "printk", -1, NULL,
					NULL, NULL));
	/* a second row fills what the first left unknown, keeps what it knew */
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-80.el8", "x86_64", "printk", 0x27e1a049,
					"vmlinux", "EXPORT_SYMBOL", NULL));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-80.el8", "x86_64", "printk", 0x1,
					"other", "EXPORT_SYMBOL_GPL", NULL));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-513.el8", "x86_64", "printk", 0xffffffff,
					"vmlinux", "EXPORT_SYMBOL", "NS"));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-80.el8", "aarch64", "printk", 0, "vmlinux",
					"EXPORT_SYMBOL", NULL));
	assert_int_equal(aoms_abidb_add_kernel_symbol(db, src, "r", "x86_64", "x", 0x100000000LL,
						      NULL, NULL, NULL), -EINVAL);
	assert_int_equal(aoms_abidb_add_kernel_symbol(db, src, "", "x86_64", "x", -1, NULL, NULL,
						      NULL), -EINVAL);
	assert_int_equal(aoms_abidb_add_kernel(db, src, "r", NULL, NULL), -EINVAL);

	/* newest release first (rpmvercmp: 513 after 80) */
	OK(aoms_abidb_find_kernel_symbol(db, "printk", "x86_64", &k));
	assert_string_equal(k.release, "4.18.0-513.el8");
	assert_int_equal(k.crc, 0xffffffffLL);
	assert_string_equal(k.ns, "NS");
	aoms_abidb_ksym_release(&k);
	/* arch NULL: by arch first */
	OK(aoms_abidb_find_kernel_symbol(db, "printk", NULL, &k));
	assert_string_equal(k.arch, "aarch64");
	assert_int_equal(k.crc, 0);
	assert_null(k.ns);
	aoms_abidb_ksym_release(&k);
	aoms_abidb_ksym_release(NULL);
	assert_int_equal(aoms_abidb_find_kernel_symbol(db, "nope", "x86_64", &k), -ENOENT);
	assert_int_equal(aoms_abidb_find_kernel_symbol(db, NULL, "x86_64", &k), -EINVAL);
	OK(aoms_abidb_stats(db, &st));
	assert_int_equal(st.kernels, 3);
	assert_int_equal(st.kernel_symbols, 3);
	aoms_abidb_free(db);
}

static int collect_ksym(const struct aoms_abidb_ksym *k, void *ud)
{
	aoms_test_list_add(ud, "%s/%s/%lld/%s/%s", k->release, k->arch, (long long)k->crc,
			   k->module ? k->module : "-", k->export_type ? k->export_type : "-");
	return 0;
}

static int collect_kernel(const char *release, const char *arch, const char *vermagic,
			  void *ud)
{
	aoms_test_list_add(ud, "%s/%s/%s", release, arch, vermagic ? vermagic : "-");
	return 0;
}

static int stop_walk(const struct aoms_abidb_ksym *k, void *ud)
{
	return 7;
}

static void test_kernel_foreach(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("foreach.db");
	struct aoms_test_list c = { .n = 0 };
	int64_t src;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-9.el8", "x86_64", "f", 1, "m", NULL,
					NULL));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-10.el8", "x86_64", "f", 2, NULL, NULL,
					NULL));
	OK(aoms_abidb_add_kernel(db, src, "4.18.0-10.el8", "x86_64", "magic"));
	OK(aoms_abidb_foreach_kernel_symbol(db, "f", "x86_64", collect_ksym, &c));
	assert_string_equal(c.text, "4.18.0-10.el8/x86_64/2/-/-;4.18.0-9.el8/x86_64/1/m/-");
	assert_int_equal(aoms_abidb_foreach_kernel_symbol(db, "f", NULL, stop_walk, NULL), 7);
	memset(&c, 0, sizeof(c));
	OK(aoms_abidb_foreach_kernel(db, collect_kernel, &c));
	assert_string_equal(c.text, "4.18.0-10.el8/x86_64/magic;4.18.0-9.el8/x86_64/-");
	aoms_abidb_free(db);
}

static void test_kabi(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("kabi.db");
	struct aoms_abidb_kabi k;
	int64_t src;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_kabi(db, src, "rhel8", "x86_64", "kmalloc", -1, NULL, NULL));
	OK(aoms_abidb_add_kabi(db, src, "rhel8", "x86_64", "kmalloc", 0xabc, "vmlinux",
			       "EXPORT_SYMBOL"));
	OK(aoms_abidb_add_kabi(db, src, "rhel9", "x86_64", "kmalloc", 0xdef, NULL, NULL));
	assert_int_equal(aoms_abidb_add_kabi(db, src, "", "x86_64", "x", -1, NULL, NULL), -EINVAL);

	OK(aoms_abidb_find_kabi(db, "kmalloc", "x86_64", "rhel8", &k));
	assert_int_equal(k.crc, 0xabc);
	assert_string_equal(k.module, "vmlinux");
	assert_string_equal(k.export_type, "EXPORT_SYMBOL");
	aoms_abidb_kabi_release(&k);
	OK(aoms_abidb_find_kabi(db, "kmalloc", "x86_64", NULL, &k)); /* newest list first */
	assert_string_equal(k.list, "rhel9");
	assert_null(k.module);
	aoms_abidb_kabi_release(&k);
	assert_int_equal(aoms_abidb_find_kabi(db, "kmalloc", "aarch64", NULL, &k), -ENOENT);
	aoms_abidb_free(db);
}

static void test_syscalls(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("syscall.db");
	struct aoms_abidb_syscall s;
	int64_t src;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_syscall(db, src, "4.18-el8", "x86_64", 13, "rt_sigaction", "64",
				  "__x64_sys_rt_sigaction"));
	OK(aoms_abidb_add_syscall(db, src, "4.18-el8", "x86_64", 512, "rt_sigaction", "x32",
				  "__x32_compat_sys_rt_sigaction"));
	OK(aoms_abidb_add_syscall(db, src, "4.18-el8", "x86_64", 181, "getpmsg", "common", NULL));
	/* the same number again is ignored */
	OK(aoms_abidb_add_syscall(db, src, "4.18-el8", "x86_64", 13, "other", NULL, NULL));
	assert_int_equal(aoms_abidb_add_syscall(db, src, "k", "x86_64", -1, "x", NULL, NULL),
			 -EINVAL);

	OK(aoms_abidb_find_syscall(db, "x86_64", "rt_sigaction", -1, NULL, &s));
	assert_int_equal(s.nr, 13); /* the x32 row comes last */
	assert_string_equal(s.abi, "64");
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, "x86_64", NULL, 512, "4.18-el8", &s));
	assert_string_equal(s.name, "rt_sigaction");
	assert_string_equal(s.abi, "x32");
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, "x86_64", NULL, 181, NULL, &s));
	assert_null(s.entry);
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, "x86_64", NULL, 13, NULL, &s));
	assert_string_equal(s.name, "rt_sigaction");
	aoms_abidb_syscall_release(&s);
	assert_int_equal(aoms_abidb_find_syscall(db, "x86_64", "other", -1, NULL, &s), -ENOENT);
	assert_int_equal(aoms_abidb_find_syscall(db, "x86_64", NULL, 13, "5.10", &s), -ENOENT);
	assert_int_equal(aoms_abidb_find_syscall(db, "aarch64", "rt_sigaction", -1, NULL, &s),
			 -ENOENT);
	assert_int_equal(aoms_abidb_find_syscall(db, "x86_64", NULL, -1, NULL, &s), -EINVAL);
	aoms_abidb_free(db);
}

static void test_kernel_config(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("kconfig.db");
	int64_t src;
	char *v = NULL;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_kernel_config(db, src, "4.18.0-80.el8", "x86_64", "CONFIG_BPF", "y"));
	OK(aoms_abidb_add_kernel_config(db, src, "4.18.0-80.el8", "x86_64", "CONFIG_BPF", "n"));
	OK(aoms_abidb_add_kernel_config(db, src, "4.18.0-147.el8", "x86_64", "CONFIG_BPF", "m"));
	OK(aoms_abidb_get_kernel_config(db, "4.18.0-80.el8", "x86_64", "CONFIG_BPF", &v));
	assert_string_equal(v, "y"); /* the first value stays */
	free(v);
	OK(aoms_abidb_get_kernel_config(db, NULL, "x86_64", "CONFIG_BPF", &v));
	assert_string_equal(v, "m"); /* the newest kernel */
	free(v);
	assert_int_equal(aoms_abidb_get_kernel_config(db, NULL, "aarch64", "CONFIG_BPF", &v),
			 -ENOENT);
	assert_int_equal(aoms_abidb_get_kernel_config(db, NULL, "x86_64", "CONFIG_NO", &v), -ENOENT);
	assert_int_equal(aoms_abidb_add_kernel_config(db, src, "r", "x86_64", "", "y"), -EINVAL);
	aoms_abidb_free(db);
}

/* A failed import rolls its kernel rows back; the writers' id cache must not
 * keep pointing at them. */
static void test_kernel_rollback(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("rollback.db");
	struct aoms_abidb_ksym k;
	int64_t src;

	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_begin(db));
	OK(aoms_abidb_add_kernel_symbol(db, src, "r1", "x86_64", "a", 1, NULL, NULL, NULL));
	OK(aoms_abidb_rollback(db));
	OK(aoms_abidb_add_kernel_symbol(db, src, "r1", "x86_64", "b", 2, NULL, NULL, NULL));
	OK(aoms_abidb_find_kernel_symbol(db, "b", "x86_64", &k));
	assert_string_equal(k.release, "r1");
	aoms_abidb_ksym_release(&k);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_symbols),
		cmocka_unit_test(test_kernel_foreach),
		cmocka_unit_test(test_kabi),
		cmocka_unit_test(test_syscalls),
		cmocka_unit_test(test_kernel_config),
		cmocka_unit_test(test_kernel_rollback),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
