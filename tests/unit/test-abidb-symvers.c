/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* abi-db kernel fact parsers: the fact-table kernel tables, Module.symvers, kABI
 * stablelists, kernel .config; and the kernel facts of the embedded database. */
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

enum parser { P_TABLE, P_SYMVERS, P_KABI, P_KCONFIG };

/* Runs one parser over text (len bytes, NUL bytes allowed). */
static int parse(struct aoms_abidb *db, enum parser p, const char *text, size_t len,
		 unsigned *line)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int64_t src;
	int r;

	assert_non_null(f);
	OK(aoms_abidb_add_source(db, "parsed", NULL, &src));
	switch (p) {
	case P_TABLE: r = aoms_abidb_import(db, f, "test.tsv", line); break;
	case P_SYMVERS: r = aoms_abidb_import_symvers(db, f, src, "5.14.0-1", "x86_64", line); break;
	case P_KABI: r = aoms_abidb_import_kabi(db, f, src, "rhel8", "x86_64", line); break;
	default: r = aoms_abidb_import_kconfig(db, f, src, "5.14.0-1", "x86_64", line); break;
	}
	fclose(f);
	return r;
}

static int parse_str(struct aoms_abidb *db, enum parser p, const char *text, unsigned *line)
{
	return parse(db, p, text, strlen(text), line);
}

/* ---- fact-table kernel tables ---- */

static const char kernel_tables[] =
	"#!source unit-kernel\n"
	"#!provenance written by test-abidb-symvers\n"
	"#!table kernels\n"
	"#release\tarch\tvermagic\n"
	"4.18.0-408.el8\tx86_64\t4.18.0-408.el8.x86_64 SMP mod_unload modversions \n"
	"#!default release 4.18.0-408.el8\n"
	"#!default crc -\n"
	"#!default namespace -\n"
	"#!default export_type EXPORT_SYMBOL\n"
	"#!table kernel-symbols\n"
	"#symbol\tmodule\n"
	"#!arch aarch64 x86_64\n"
	"printk\tvmlinux\n"
	"#!arch x86_64\n"
	"#!default export_type EXPORT_SYMBOL_GPL\n"
	"x86_only\t-\n"
	"#!table kabi\n"
	"#list\tarch\tsymbol\tcrc\tmodule\texport_type\n"
	"rhel8\tx86_64\tprintk\t0x27E1A049\tvmlinux\tEXPORT_SYMBOL\n"
	"rhel8\taarch64\tnames_only\t-\t-\t-\n"
	"#!table syscalls\n"
	"#kernel\tnr\tname\tabi\tentry\n"
	"4.18-el8\t437\topenat2\tcommon\t__x64_sys_openat2\n"
	"4.18-el8\t181\tgetpmsg\tcommon\t\n"
	"#!table kernel-config\n"
	"#release\tarch\tkey\tvalue\n"
	"4.18.0-408.el8\tx86_64\tCONFIG_MODVERSIONS\ty\n";

static void test_import_kernel_tables(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("tables.db");
	struct aoms_abidb_ksym k;
	struct aoms_abidb_kabi kb;
	struct aoms_abidb_syscall s;
	unsigned line = 0;
	char *v;

	/* 1 kernel, 3 symbols (printk on two arches), 2 kabi, 2 syscalls, 1 config */
	assert_int_equal(parse_str(db, P_TABLE, kernel_tables, &line), 9);
	OK(aoms_abidb_find_kernel_symbol(db, "printk", "aarch64", &k));
	assert_string_equal(k.release, "4.18.0-408.el8");
	assert_string_equal(k.module, "vmlinux");
	assert_string_equal(k.export_type, "EXPORT_SYMBOL");
	assert_true(k.crc < 0);
	assert_null(k.ns);
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "x86_only", "x86_64", &k));
	assert_string_equal(k.export_type, "EXPORT_SYMBOL_GPL");
	assert_null(k.module);
	aoms_abidb_ksym_release(&k);
	assert_int_equal(aoms_abidb_find_kernel_symbol(db, "x86_only", "aarch64", &k), -ENOENT);
	OK(aoms_abidb_find_kabi(db, "printk", "x86_64", "rhel8", &kb));
	assert_int_equal(kb.crc, 0x27e1a049);
	aoms_abidb_kabi_release(&kb);
	OK(aoms_abidb_find_kabi(db, "names_only", "aarch64", NULL, &kb));
	assert_true(kb.crc < 0);
	aoms_abidb_kabi_release(&kb);
	OK(aoms_abidb_find_syscall(db, "x86_64", NULL, 437, "4.18-el8", &s));
	assert_string_equal(s.name, "openat2");
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, "x86_64", "getpmsg", -1, NULL, &s));
	assert_null(s.entry);
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_get_kernel_config(db, NULL, "x86_64", "CONFIG_MODVERSIONS", &v));
	assert_string_equal(v, "y");
	free(v);
	aoms_abidb_free(db);
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *msg; /* a part of aoms_abidb_errmsg() */
};

#define KSYM_HEAD "#!table kernel-symbols\n" \
	"#release\tarch\tsymbol\tcrc\tmodule\texport_type\tnamespace\n"

static const struct bad_case bad_tables[] = {
	{ KSYM_HEAD "r\tx86_64\ts\t0xZZ\t-\t-\t-\n", 3, "CRC" },
	{ KSYM_HEAD "r\tx86_64\ts\t1234\t-\t-\t-\n", 3, "CRC" },
	{ KSYM_HEAD "r\tx86_64\ts\t0x123456789\t-\t-\t-\n", 3, "CRC" },
	{ KSYM_HEAD "\tx86_64\ts\t-\t-\t-\t-\n", 3, "empty release" },
	{ "#!table kernel-symbols\n#release\tarch\tsymbol\n", 2, "wants 7" },
	{ "#!default export_type X\n#!table kernel-symbols\n#release\tsymbol\tcrc\tmodule\t"
	  "namespace\nr\ts\t-\t-\t-\n", 4, "no arch" },
	{ "#!default nonsense x\n", 1, "unknown column" },
	{ "#!default release\n", 1, "a column and a value" },
	{ "#!default arch x86_64 \n", 1, "bad #!default arch" },
	{ "#!table syscalls\n#kernel\tarch\tnr\tname\tabi\tentry\nk\tx86_64\tabc\tn\t-\t-\n", 3,
	  "syscall number" },
	{ "#!table syscalls\n#kernel\tarch\tnr\tname\tabi\tentry\nk\tx86_64\t-1\tn\t-\t-\n", 3,
	  "syscall number" },
	{ "#!table kabi\n#list\tarch\tsymbol\tcrc\tmodule\texport_type\n\tx86_64\ts\t-\t-\t-\n", 3,
	  "empty list" },
	{ "#!table kernel-config\n#release\tarch\tkey\tvalue\nr\tx86_64\t\ty\n", 3, "empty" },
	{ "#!table kernels\n#release\tarch\tvermagic\nr\tx86 64\t-\n", 3, "bad arch" },
};

static void run_bad_cases(enum parser p, const struct bad_case *cases, size_t n)
{
	struct aoms_abidb *db = aoms_test_new_db("bad.db");
	struct aoms_abidb_stats st;

	for (size_t i = 0; i < n; i++) {
		unsigned line = 0;
		int r = parse_str(db, p, cases[i].text, &line);

		if (r != -EINVAL || line != cases[i].line || !strstr(aoms_abidb_errmsg(db), cases[i].msg))
			fail_msg("case %zu: r %d line %u '%s', want line %u '%s'", i, r, line,
				 aoms_abidb_errmsg(db), cases[i].line, cases[i].msg);
	}
	OK(aoms_abidb_stats(db, &st)); /* every failed import was rolled back */
	OK(st.kernels + st.kernel_symbols + st.kabi + st.syscalls + st.kernel_config);
	aoms_abidb_free(db);
}

static void test_import_kernel_malformed(void **state)
{
	run_bad_cases(P_TABLE, bad_tables, sizeof(bad_tables) / sizeof(bad_tables[0]));
}

/* ---- Module.symvers ---- */

static const char symvers[] =
	"0x27e1a049\tprintk\tvmlinux\tEXPORT_SYMBOL\n"
	"0x00000001\tsas_attach\tdrivers/scsi/scsi_transport_sas\tEXPORT_SYMBOL_GPL\t\n"
	"\n"
	"0x00000002\tusb_stor_x\tdrivers/usb/storage/usb-storage\tEXPORT_SYMBOL_GPL\tUSB_STORAGE\n"
	"0x00000003\told_ns\tMY_NS\tdrivers/foo\tEXPORT_SYMBOL\n"
	"0x00000004\tthree_fields\tvmlinux\r\n";

static void test_symvers(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("symvers.db");
	struct aoms_abidb_ksym k;
	unsigned line = 0;

	assert_int_equal(parse_str(db, P_SYMVERS, symvers, &line), 5);
	OK(aoms_abidb_find_kernel_symbol(db, "printk", "x86_64", &k));
	assert_int_equal(k.crc, 0x27e1a049);
	assert_string_equal(k.release, "5.14.0-1");
	assert_string_equal(k.module, "vmlinux");
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "sas_attach", "x86_64", &k));
	assert_string_equal(k.module, "drivers/scsi/scsi_transport_sas");
	assert_null(k.ns); /* an empty namespace field */
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "usb_stor_x", "x86_64", &k));
	assert_string_equal(k.ns, "USB_STORAGE");
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "old_ns", "x86_64", &k)); /* Linux 5.4-5.8 order */
	assert_string_equal(k.ns, "MY_NS");
	assert_string_equal(k.module, "drivers/foo");
	assert_string_equal(k.export_type, "EXPORT_SYMBOL");
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "three_fields", "x86_64", &k));
	assert_null(k.export_type);
	assert_int_equal(k.crc, 4);
	aoms_abidb_ksym_release(&k);
	assert_int_equal(aoms_abidb_import_symvers(db, stdin, 1, NULL, "x86_64", NULL), -EINVAL);
	aoms_abidb_free(db);
}

static const struct bad_case bad_symvers[] = {
	{ "0x1\tonly_two\n", 1, "expected 3 to 5" },
	{ "0x1\ta\tvmlinux\tEXPORT_SYMBOL\nzz\tsym\tvmlinux\tEXPORT_SYMBOL\n", 2, "CRC" },
	{ "0x1\tsym\tvmlinux\tEXPORT_SYMBOL\tns\textra\n", 1, "got 6" },
	{ "0x1\t\tvmlinux\tEXPORT_SYMBOL\n", 1, "empty symbol" },
	{ "0x1\tsym\t\tEXPORT_SYMBOL\n", 1, "empty symbol or module" },
	{ "0x1\tsym\tvmlinux\tSYMBOL\n", 1, "export type" },
	{ "0x1\tsym\tvmlinux\tEXPORT_\n", 1, "export type" },
	{ "\tsym\tvmlinux\tEXPORT_SYMBOL\n", 1, "no CRC" },
	{ "0x123456789\tsym\tvmlinux\tEXPORT_SYMBOL\n", 1, "CRC" },
	{ "0x1 sym vmlinux EXPORT_SYMBOL\n", 1, "expected 3 to 5" },
};

static void test_symvers_malformed(void **state)
{
	static const char nul[] = "0x1\ta\tvmlinux\tEXPORT_SYMBOL\n0x2\tb\0c\tvmlinux\tEXPORT_SYMBOL\n";
	struct aoms_abidb *db = aoms_test_new_db("nul.db");
	unsigned line = 0;

	run_bad_cases(P_SYMVERS, bad_symvers, sizeof(bad_symvers) / sizeof(bad_symvers[0]));
	assert_int_equal(parse(db, P_SYMVERS, nul, sizeof(nul) - 1, &line), -EINVAL);
	assert_int_equal(line, 2);
	assert_non_null(strstr(aoms_abidb_errmsg(db), "NUL"));
	aoms_abidb_free(db);
}

/* ---- kABI stablelists and .config ---- */

static const char kabi_stablelist[] =
	"[rhel8_x86_64_whitelist]\n"
	"\tkfree\n"
	"  kmalloc\n"
	"0x27e1a049\tprintk\tvmlinux\tEXPORT_SYMBOL\n";

static const struct bad_case bad_kabi[] = {
	{ "[rhel8]\n\tkfree\nkmalloc\n", 3, "neither" },
	{ "\tk free\n", 1, "one symbol" },
	{ "0xZ\tprintk\tvmlinux\tEXPORT_SYMBOL\n", 1, "CRC" },
};

static void test_kabi_lists(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("kabi.db");
	struct aoms_abidb_kabi k;
	unsigned line = 0;

	assert_int_equal(parse_str(db, P_KABI, kabi_stablelist, &line), 3);
	OK(aoms_abidb_find_kabi(db, "kmalloc", "x86_64", "rhel8", &k));
	assert_true(k.crc < 0);
	aoms_abidb_kabi_release(&k);
	OK(aoms_abidb_find_kabi(db, "printk", "x86_64", "rhel8", &k));
	assert_int_equal(k.crc, 0x27e1a049);
	aoms_abidb_kabi_release(&k);
	aoms_abidb_free(db);
	run_bad_cases(P_KABI, bad_kabi, sizeof(bad_kabi) / sizeof(bad_kabi[0]));
}

static const char kconfig[] =
	"#\n"
	"# Automatically generated file; DO NOT EDIT.\n"
	"CONFIG_MODVERSIONS=y\n"
	"# CONFIG_BPF_JIT is not set\n"
	"CONFIG_LOCALVERSION=\"-an8 \\\"x\\\"\"\n"
	"CONFIG_NR_CPUS=8192\n";

static const struct bad_case bad_kconfig[] = {
	{ "CONFIG_A=y\ngarbage\n", 2, "KEY=value" },
	{ "CONFIG A=y\n", 1, "KEY=value" },
	{ "CONFIG_A=\"open\n", 1, "unterminated" },
	{ "CONFIG_A=\"x\"y\n", 1, "unterminated" },
};

static void expect_config(struct aoms_abidb *db, const char *key, const char *want)
{
	char *v = NULL;

	OK(aoms_abidb_get_kernel_config(db, "5.14.0-1", "x86_64", key, &v));
	assert_string_equal(v, want);
	free(v);
}

static void test_kconfig(void **state)
{
	struct aoms_abidb *db = aoms_test_new_db("kconfig.db");
	unsigned line = 0;

	assert_int_equal(parse_str(db, P_KCONFIG, kconfig, &line), 4);
	expect_config(db, "CONFIG_MODVERSIONS", "y");
	expect_config(db, "CONFIG_BPF_JIT", "n");
	expect_config(db, "CONFIG_LOCALVERSION", "-an8 \"x\"");
	expect_config(db, "CONFIG_NR_CPUS", "8192");
	aoms_abidb_free(db);
	run_bad_cases(P_KCONFIG, bad_kconfig, sizeof(bad_kconfig) / sizeof(bad_kconfig[0]));
}

/* ---- the embedded default database ---- */

static void expect_syscall(struct aoms_abidb *db, const char *arch, const char *name, int nr)
{
	struct aoms_abidb_syscall s;

	OK(aoms_abidb_find_syscall(db, arch, name, -1, "4.18-el8", &s));
	assert_int_equal(s.nr, nr);
	assert_string_equal(s.kernel, "4.18-el8");
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, arch, NULL, nr, "4.18-el8", &s));
	assert_string_equal(s.name, name);
	aoms_abidb_syscall_release(&s);
}

static void expect_kabi_crc(struct aoms_abidb *db, const char *name, const char *arch,
			    int64_t crc)
{
	struct aoms_abidb_kabi k;

	OK(aoms_abidb_find_kabi(db, name, arch, "rhel8", &k));
	assert_int_equal(k.crc, crc);
	aoms_abidb_kabi_release(&k);
}

static void test_embedded_kernel(void **state)
{
	struct aoms_abidb *db = NULL;
	struct aoms_abidb_ksym k;
	struct aoms_abidb_syscall s;
	struct aoms_abidb_stats st;
	char *kernel;

	OK(aoms_abidb_open(NULL, &db));
	kernel = aoms_abidb_get_meta(db, "kernel");
	assert_string_equal(kernel, "4.18.0 (RHEL 8 kABI)");
	free(kernel);
	/* RHEL 8.9 kABI stablelists, SOURCES/Module.kabi_{x86_64,aarch64} */
	expect_kabi_crc(db, "__alloc_skb", "x86_64", 0x3c5dfeb0);
	expect_kabi_crc(db, "__alloc_skb", "aarch64", 0x9b0236a9);
	expect_kabi_crc(db, "printk", "x86_64", 0x27e1a049);
	/* 4.18.0-408.el8 export names: no CRC, but the export type */
	OK(aoms_abidb_find_kernel_symbol(db, "printk", "x86_64", &k));
	assert_string_equal(k.release, "4.18.0-408.el8");
	assert_string_equal(k.export_type, "EXPORT_SYMBOL");
	assert_true(k.crc < 0);
	aoms_abidb_ksym_release(&k);
	OK(aoms_abidb_find_kernel_symbol(db, "__tracepoint_ath10k_log_dbg", "aarch64", &k));
	aoms_abidb_ksym_release(&k);
	assert_int_equal(aoms_abidb_find_kernel_symbol(db, "STATIC_CALL_KEY", NULL, &k), -ENOENT);
	/* RHEL 8 syscall backports: openat2 437 and faccessat2 439, no clone3 (435) */
	expect_syscall(db, "x86_64", "openat2", 437);
	expect_syscall(db, "aarch64", "openat2", 437);
	expect_syscall(db, "x86_64", "faccessat2", 439);
	expect_syscall(db, "aarch64", "kexec_file_load", 294);
	assert_int_equal(aoms_abidb_find_syscall(db, "x86_64", "clone3", -1, "4.18-el8", &s), -ENOENT);
	assert_int_equal(aoms_abidb_find_syscall(db, "x86_64", NULL, 435, "4.18-el8", &s), -ENOENT);
	/* The other kernels' tables (--kernel): upstream 5.10 has clone3, ANCK 4.19 pidfd_open */
	OK(aoms_abidb_find_syscall(db, "x86_64", NULL, 435, "5.10", &s));
	assert_string_equal(s.name, "clone3");
	aoms_abidb_syscall_release(&s);
	OK(aoms_abidb_find_syscall(db, "x86_64", "pidfd_open", -1, "4.19-anck", &s));
	assert_int_equal(s.nr, 434);
	aoms_abidb_syscall_release(&s);
	assert_int_equal(aoms_abidb_find_syscall(db, "aarch64", "open", -1, NULL, &s), -ENOENT);
	OK(aoms_abidb_stats(db, &st));
	assert_int_equal(st.kabi, 796 + 728);
	/* 4.18-el8, and 4.19-anck, 5.10, 3.10-el7 (x86_64 only) */
	assert_int_equal(st.syscalls, 384 + 292 + 376 + 280 + 388 + 296 + 356);
	/* 4.18.0-408.el8 (x86_64, aarch64) and the RHEL 8.3 root's 4.18.0-240.15.1.el8_3 */
	assert_int_equal(st.kernels, 3);
	assert_true(st.kernel_symbols > 50000);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_kernel_tables),
		cmocka_unit_test(test_import_kernel_malformed),
		cmocka_unit_test(test_symvers),
		cmocka_unit_test(test_symvers_malformed),
		cmocka_unit_test(test_kabi_lists),
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_embedded_kernel),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
