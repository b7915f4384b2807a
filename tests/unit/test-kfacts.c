/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kfacts/: the pure parsers of Module.symvers, kABI stablelists and kernel .config
 * (the database import over them: test-abidb-symvers.c). Links aoms-kfacts only. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kfacts.h"
#include "testutil.h"

enum kind { SYMVERS, KABI, KCONFIG };

/* One line and what it gives: rc 1 a row ("crc|name|module|export_type|ns" or
 * "key=value", "-" for NULL, crc "-" for unknown), 0 no row, -EINVAL with a reason
 * containing want. */
struct line_case {
	enum kind kind;
	const char *line;
	int rc;
	const char *want;
};

static const struct line_case line_cases[] = {
	{ SYMVERS, "0x27e1a049\tprintk\tvmlinux\tEXPORT_SYMBOL", 1,
	  "0x27e1a049|printk|vmlinux|EXPORT_SYMBOL|-" },
	{ SYMVERS, "0x00000001\tsas\tdrivers/scsi/sas\tEXPORT_SYMBOL_GPL\t", 1,
	  "0x1|sas|drivers/scsi/sas|EXPORT_SYMBOL_GPL|-" },
	{ SYMVERS, "0x2\tusb\tdrivers/usb/usb-storage\tEXPORT_SYMBOL_GPL\tUSB_STORAGE", 1,
	  "0x2|usb|drivers/usb/usb-storage|EXPORT_SYMBOL_GPL|USB_STORAGE" },
	{ SYMVERS, "0x3\told_ns\tMY_NS\tdrivers/foo\tEXPORT_SYMBOL", 1,
	  "0x3|old_ns|drivers/foo|EXPORT_SYMBOL|MY_NS" },
	{ SYMVERS, "0X4\tthree\tvmlinux", 1, "0x4|three|vmlinux|-|-" },
	{ SYMVERS, "", 0, NULL },
	{ SYMVERS, "# a comment", 0, NULL },
	{ SYMVERS, "0x1\tonly_two", -EINVAL, "expected 3 to 5 TAB-separated fields, got 2" },
	{ SYMVERS, "0x1\tsym\tvmlinux\tEXPORT_SYMBOL\tns\textra", -EINVAL, "got 6" },
	{ SYMVERS, "0x1 sym vmlinux EXPORT_SYMBOL", -EINVAL, "got 1" },
	{ SYMVERS, "\tsym\tvmlinux\tEXPORT_SYMBOL", -EINVAL, "no CRC" },
	{ SYMVERS, "-\tsym\tvmlinux\tEXPORT_SYMBOL", -EINVAL, "no CRC" },
	{ SYMVERS, "zz\tsym\tvmlinux", -EINVAL, "CRC 'zz' is not 0x and 1-8 hex digits" },
	{ SYMVERS, "0x123456789\tsym\tvmlinux", -EINVAL, "CRC '0x123456789'" },
	{ SYMVERS, "0x\tsym\tvmlinux", -EINVAL, "CRC '0x'" },
	{ SYMVERS, "0x1\t\tvmlinux\tEXPORT_SYMBOL", -EINVAL, "empty symbol or module" },
	{ SYMVERS, "0x1\tsym\t\tEXPORT_SYMBOL", -EINVAL, "empty symbol or module" },
	{ SYMVERS, "0x1\tsym\tvmlinux\tSYMBOL", -EINVAL, "export type 'SYMBOL' is not EXPORT_*" },
	{ SYMVERS, "0x1\tsym\tvmlinux\tEXPORT_", -EINVAL, "export type 'EXPORT_'" },
	{ KABI, "[rhel8_x86_64_stablelist]", 0, NULL },
	{ KABI, "# comment", 0, NULL },
	{ KABI, "", 0, NULL },
	{ KABI, "\tkfree", 1, "-|kfree|-|-|-" },
	{ KABI, "  kmalloc", 1, "-|kmalloc|-|-|-" },
	{ KABI, "0x27e1a049\tprintk\tvmlinux\tEXPORT_SYMBOL", 1,
	  "0x27e1a049|printk|vmlinux|EXPORT_SYMBOL|-" },
	{ KABI, "kmalloc", -EINVAL, "neither a symvers line nor an indented symbol" },
	{ KABI, "\tk free", -EINVAL, "not one symbol name per line" },
	{ KABI, "\t", -EINVAL, "not one symbol name per line" },
	{ KABI, "0xZ\tprintk\tvmlinux", -EINVAL, "CRC '0xZ'" },
	{ KCONFIG, "CONFIG_MODVERSIONS=y", 1, "CONFIG_MODVERSIONS=y" },
	{ KCONFIG, "# CONFIG_BPF_JIT is not set", 1, "CONFIG_BPF_JIT=n" },
	{ KCONFIG, "CONFIG_LOCALVERSION=\"-an8 \\\"x\\\"\"", 1, "CONFIG_LOCALVERSION=-an8 \"x\"" },
	{ KCONFIG, "CONFIG_EMPTY=\"\"", 1, "CONFIG_EMPTY=" },
	{ KCONFIG, "CONFIG_NR_CPUS=8192", 1, "CONFIG_NR_CPUS=8192" },
	{ KCONFIG, "#", 0, NULL },
	{ KCONFIG, "# Automatically generated file; DO NOT EDIT.", 0, NULL },
	{ KCONFIG, "# CONFIG A is not set", 0, NULL },
	{ KCONFIG, "", 0, NULL },
	{ KCONFIG, "garbage", -EINVAL, "not a KEY=value line" },
	{ KCONFIG, "CONFIG A=y", -EINVAL, "not a KEY=value line" },
	{ KCONFIG, "=y", -EINVAL, "not a KEY=value line" },
	{ KCONFIG, "CONFIG_A=\"open", -EINVAL, "unterminated quoted value" },
	{ KCONFIG, "CONFIG_A=\"x\"y", -EINVAL, "unterminated quoted value" },
};

static void format_symvers(const struct aoms_symvers_row *r, char *buf, size_t size)
{
	char crc[24] = "-";

	if (r->crc >= 0)
		snprintf(crc, sizeof(crc), "0x%llx", (unsigned long long)r->crc);
	snprintf(buf, size, "%s|%s|%s|%s|%s", crc, r->name, r->module ? r->module : "-",
		 r->export_type ? r->export_type : "-", r->ns ? r->ns : "-");
}

static int parse_one(const struct line_case *c, char *line, char *got, size_t size,
		     char **reason)
{
	struct aoms_symvers_row s;
	struct aoms_kconfig_row k;
	int r;

	if (c->kind == KCONFIG) {
		r = aoms_kconfig_parse_line(line, &k, reason);
		if (r == 1)
			snprintf(got, size, "%s=%s", k.key, k.value);
		return r;
	}
	r = c->kind == SYMVERS ? aoms_symvers_parse_line(line, &s, reason)
			       : aoms_kabi_parse_line(line, &s, reason);
	if (r == 1)
		format_symvers(&s, got, size);
	return r;
}

static void test_parse_lines(void **state)
{
	for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *c = &line_cases[i];
		char *line = strdup(c->line), *reason = NULL, got[256] = "";
		int r;

		assert_non_null(line);
		r = parse_one(c, line, got, sizeof(got), &reason);
		if (r != c->rc)
			fail_msg("case %zu '%s': got %d, want %d", i, c->line, r, c->rc);
		if (r == 1)
			assert_string_equal(got, c->want);
		if (r < 0) {
			assert_non_null(reason);
			if (!strstr(reason, c->want))
				fail_msg("case %zu '%s': reason '%s' lacks '%s'", i, c->line,
					 reason, c->want);
		} else {
			assert_null(reason);
		}
		free(reason);
		free(line);
	}
}

static void test_parse_crc(void **state)
{
	static const struct { const char *s; int rc; int64_t crc; } cases[] = {
		{ "0x0", 0, 0 }, { "0xffffffff", 0, 0xffffffff }, { "0XABCdef12", 0, 0xabcdef12 },
		{ "", 0, -1 }, { "-", 0, -1 }, { "0x", -EINVAL, 7 }, { "1234", -EINVAL, 7 },
		{ "0x123456789", -EINVAL, 7 }, { "0xg", -EINVAL, 7 }, { "0x1 ", -EINVAL, 7 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t crc = 7;

		assert_int_equal(aoms_kfacts_parse_crc(cases[i].s, &crc), cases[i].rc);
		assert_int_equal(crc, cases[i].crc);
	}
}

struct collected {
	struct aoms_test_list list;
	int stop_at;   /* > 0: the callback fails on that row */
};

static int collect_symvers(const struct aoms_symvers_row *r, void *ud)
{
	struct collected *c = ud;
	char buf[256];

	if (c->stop_at && c->list.n + 1 == c->stop_at)
		return -ENOSPC;
	format_symvers(r, buf, sizeof(buf));
	aoms_test_list_add(&c->list, "%s", buf);
	return 0;
}

static int collect_kconfig(const struct aoms_kconfig_row *r, void *ud)
{
	aoms_test_list_add(&((struct collected *)ud)->list, "%s=%s", r->key, r->value);
	return 0;
}

static int read_text(enum kind kind, const char *text, size_t len, struct collected *c,
		     struct aoms_kfacts_error *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int r;

	assert_non_null(f);
	if (kind == SYMVERS)
		r = aoms_symvers_foreach(f, collect_symvers, c, err);
	else if (kind == KABI)
		r = aoms_kabi_foreach(f, collect_symvers, c, err);
	else
		r = aoms_kconfig_foreach(f, collect_kconfig, c, err);
	fclose(f);
	return r;
}

static void test_foreach(void **state)
{
	static const char symvers[] = "0x1\ta\tvmlinux\tEXPORT_SYMBOL\r\n\n# c\n0x2\tb\tm\n";
	static const char kabi[] = "[rhel8]\n\tkfree\n0x3\tprintk\tvmlinux\tEXPORT_SYMBOL\n";
	static const char kconfig[] = "# x\nCONFIG_A=y\n# CONFIG_B is not set\n";
	struct collected c = { 0 };
	struct aoms_kfacts_error err = { 0 };

	assert_int_equal(read_text(SYMVERS, symvers, strlen(symvers), &c, &err), 2);
	assert_string_equal(c.list.text, "0x1|a|vmlinux|EXPORT_SYMBOL|-;0x2|b|m|-|-");
	c = (struct collected){ 0 };
	assert_int_equal(read_text(KABI, kabi, strlen(kabi), &c, &err), 2);
	assert_string_equal(c.list.text, "-|kfree|-|-|-;0x3|printk|vmlinux|EXPORT_SYMBOL|-");
	c = (struct collected){ 0 };
	assert_int_equal(read_text(KCONFIG, kconfig, strlen(kconfig), &c, &err), 2);
	assert_string_equal(c.list.text, "CONFIG_A=y;CONFIG_B=n");
	assert_int_equal(err.line, 0);
	assert_null(err.reason);
}

static void test_foreach_errors(void **state)
{
	static const char bad[] = "0x1\ta\tvmlinux\n\n0x2\tb\n";
	static const char nul[] = "0x1\ta\tvmlinux\n0x2\tb\0c\tvmlinux\n";
	static const char two[] = "0x1\ta\tvmlinux\n0x2\tb\tvmlinux\n0x3\tc\tvmlinux\n";
	struct collected c = { 0 };
	struct aoms_kfacts_error err = { 0 };

	assert_int_equal(read_text(SYMVERS, bad, strlen(bad), &c, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.reason, "expected 3 to 5 TAB-separated fields, got 2");
	assert_string_equal(c.list.text, "0x1|a|vmlinux|-|-");
	aoms_kfacts_error_release(&err);
	assert_null(err.reason);

	c = (struct collected){ 0 };
	assert_int_equal(read_text(SYMVERS, nul, sizeof(nul) - 1, &c, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "NUL byte in line");
	aoms_kfacts_error_release(&err);

	/* the callback's own error stops the read, with no reason */
	c = (struct collected){ .stop_at = 2 };
	assert_int_equal(read_text(SYMVERS, two, strlen(two), &c, &err), -ENOSPC);
	assert_int_equal(err.line, 2);
	assert_null(err.reason);

	/* ret_err is optional */
	c = (struct collected){ 0 };
	assert_int_equal(read_text(KCONFIG, "garbage\n", 8, &c, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_parse_crc),
		cmocka_unit_test(test_foreach),
		cmocka_unit_test(test_foreach_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
