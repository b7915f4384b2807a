/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms db query` (tools/cmd-query.c, linked from aoms-tools): answers in text and JSON,
 * exit statuses, on a database written by the test and on the embedded one. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "abidb.h"
#include "cmd-query.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

static char dbpath[PATH_MAX + 8];

struct answer {
	int status;
	char out[8192];
};

/* Runs aoms db query with the NULL-terminated arguments, stdout captured. */
static void query(struct answer *a, ...)
{
	_cleanup_(freep) char *path = aoms_test_path("out");
	char *argv[16] = { (char *)"query" };
	int argc = 1, saved, fd;
	ssize_t n;
	va_list ap;

	va_start(ap, a);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	a->status = aoms_cmd_query(argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = read(fd, a->out, sizeof(a->out) - 1);
	close(fd);
	assert_true(n >= 0 && (size_t)n < sizeof(a->out) - 1);
	a->out[n] = '\0';
}

static void write_db(void)
{
	struct aoms_abidb *db = NULL;
	int64_t src, lib, pkg;

	snprintf(dbpath, sizeof(dbpath), "%s/q.db", aoms_test_tmpdir);
	unlink(dbpath);
	OK(aoms_abidb_create(dbpath, &db));
	OK(aoms_abidb_set_meta(db, "arches", "aarch64 x86_64"));
	OK(aoms_abidb_add_source(db, "unit", NULL, &src));
	OK(aoms_abidb_add_library(db, src, "libq.so.1", "x86_64", "/usr/lib64/libq.so.1", "q-libs",
				  &lib));
	OK(aoms_abidb_add_verdef(db, lib, "Q_1"));
	OK(aoms_abidb_add_verdef(db, lib, "Q_2"));
	OK(aoms_abidb_add_symbol(db, lib, "q", "Q_2", true, "F"));
	OK(aoms_abidb_add_symbol(db, lib, "q", "Q_1", false, "F"));
	OK(aoms_abidb_add_symbol(db, lib, "plain", NULL, true, "D 0x4"));
	OK(aoms_abidb_add_needed(db, lib, "libc.so.6"));
	OK(aoms_abidb_add_library(db, src, "libr.so.2", "aarch64", NULL, "r", &lib));
	OK(aoms_abidb_set_library_installed(db, lib, false));
	OK(aoms_abidb_add_package(db, src, "q-libs", -1, "1.0", "1.el8", "x86_64", NULL, true,
				  &pkg));
	OK(aoms_abidb_add_provide(db, pkg, "libq.so.1()(64bit)", NULL, NULL));
	OK(aoms_abidb_add_package(db, src, "q-libs", -1, "1.1", "1.el8", "x86_64", NULL, false,
				  &pkg));
	OK(aoms_abidb_add_provide(db, pkg, "libq.so.1()(64bit)", NULL, NULL));
	OK(aoms_abidb_add_provide(db, pkg, "q-libs(x86-64)", "=", "1.1-1.el8"));
	OK(aoms_abidb_add_kernel_symbol(db, src, "4.18.0-1.el8", "x86_64", "kfoo", 0x1234, "vmlinux",
					"EXPORT_SYMBOL_GPL", NULL));
	OK(aoms_abidb_add_syscall(db, src, "4.18-el8", "x86_64", 437, "openat2", "common", NULL));
	OK(aoms_abidb_mark_built(db));
	aoms_abidb_free(db);
}

static void expect(const char *what, const char *value, const char *want_out, int want)
{
	struct answer a;

	query(&a, "--db", dbpath, what, value, NULL);
	assert_int_equal(a.status, want);
	assert_string_equal(a.out, want_out);
}

static void test_text(void **state)
{
	expect("--provides", "libq.so.1()(64bit)",
	       "libq.so.1()(64bit):\n  q-libs-1.0-1.el8.x86_64  installed\n"
	       "  q-libs-1.1-1.el8.x86_64  available\n", 0);
	expect("--provides", "q-libs(x86-64)",
	       "q-libs(x86-64):\n  q-libs-1.1-1.el8.x86_64  available  (provides = 1.1-1.el8)\n", 0);
	expect("--provides", "libr.so.2()(64bit)",
	       "libr.so.2()(64bit):\n  r (aarch64)  available  library libr.so.2\n", 0);
	expect("--provides", "libq.so.1(Q_9)(64bit)", "libq.so.1(Q_9)(64bit):\n  no match\n", 4);
	expect("--soname", "libq.so.1",
	       "libq.so.1:\n  x86_64:\n    path       /usr/lib64/libq.so.1\n"
	       "    package    q-libs\n    installed  yes\n    versions   Q_1 Q_2\n"
	       "    symbols    3\n    needed     libc.so.6\n", 0);
	expect("--soname", "libr.so.2",
	       "libr.so.2:\n  aarch64:\n    path       unknown\n    package    r\n"
	       "    installed  no (available from a repository)\n    versions   -\n"
	       "    symbols    unknown (presence only)\n    needed     -\n", 0);
	expect("--exports", "libq.so.1",
	       "libq.so.1:\n  x86_64: 3 symbols\n    plain  D 0x4\n    q@Q_1  F\n    q@@Q_2  F\n", 0);
	expect("--symbol", "q@@Q_2", "q@@Q_2:\n  x86_64 libq.so.1 q@@Q_2  F\n", 0);
	expect("--symbol", "q@Q_3", "q@Q_3:\n  no match\n", 4);
	expect("--kernel-symbol", "kfoo",
	       "kfoo:\n  exported by 4.18.0-1.el8 x86_64: EXPORT_SYMBOL_GPL, module vmlinux, "
	       "crc 0x00001234\n  not on a kABI stablelist\n", 0);
	expect("--syscall", "437", "437:\n  x86_64 4.18-el8: 437 openat2 (common, no entry)\n", 0);
	expect("--syscall", "clone3", "clone3:\n  no match\n", 4);
}

static void test_json(void **state)
{
	struct answer a, again;
	json_object *o, *list, *first, *v;

	query(&a, "--db", dbpath, "--format", "json", "--arch", "x86_64", "--provides",
	      "libq.so.1()(64bit)", NULL);
	assert_int_equal(a.status, 0);
	query(&again, "--db", dbpath, "--format", "json", "--arch", "x86_64", "--provides",
	      "libq.so.1()(64bit)", NULL);
	assert_string_equal(a.out, again.out); /* deterministic */
	o = json_tokener_parse(a.out);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "query", &v));
	assert_string_equal(json_object_get_string(v), "provides");
	assert_true(json_object_object_get_ex(o, "found", &v) && json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "providers", &list));
	assert_int_equal(json_object_array_length(list), 2);
	first = json_object_array_get_idx(list, 0);
	assert_true(json_object_object_get_ex(first, "nevra", &v));
	assert_string_equal(json_object_get_string(v), "q-libs-1.0-1.el8.x86_64");
	assert_true(json_object_object_get_ex(first, "installed", &v) && json_object_get_boolean(v));
	json_object_put(o);

	query(&a, "--db", dbpath, "--format", "json", "--kernel-symbol", "nope", NULL);
	assert_int_equal(a.status, 4);
	o = json_tokener_parse(a.out);
	assert_true(json_object_object_get_ex(o, "found", &v) && !json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "exports", &list));
	assert_int_equal(json_object_array_length(list), 0);
	assert_true(json_object_object_get_ex(o, "kabi", &list));
	json_object_put(o);
}

static void test_status(void **state)
{
	struct answer a;
	_cleanup_(freep) char *missing = aoms_test_path("missing.db");

	query(&a, NULL);
	assert_int_equal(a.status, 2);
	query(&a, "--soname", "a", "--symbol", "b", NULL);
	assert_int_equal(a.status, 2);
	query(&a, "--soname", "a", "extra", NULL);
	assert_int_equal(a.status, 2);
	query(&a, "--format", "yaml", "--soname", "a", NULL);
	assert_int_equal(a.status, 2);
	query(&a, "--frobnicate", NULL);
	assert_int_equal(a.status, 2);
	query(&a, "--help", NULL);
	assert_int_equal(a.status, 0);
	assert_non_null(strstr(a.out, "exit status:\n  0 found, 1 runtime error, 2 usage error, "
				      "4 nothing matched"));
	query(&a, "--db", missing, "--format", "json", "--soname", "a", NULL);
	assert_int_equal(a.status, 1);
	assert_non_null(strstr(a.out, "\"errno\": 2"));
}

/* The embedded default database answers kernel questions. */
static void test_embedded(void **state)
{
	struct answer a;

	query(&a, "--arch", "x86_64", "--kernel-symbol", "__alloc_skb", NULL);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.out, "__alloc_skb:\n"
			    "  exported by 4.18.0-408.el8 x86_64: EXPORT_SYMBOL, module unknown, "
			    "crc unknown\n"
			    "  exported by 4.18.0-240.15.1.el8_3 x86_64: EXPORT_SYMBOL, module vmlinux, "
			    "crc 0x3c5dfeb0\n"
			    "  kABI rhel8 x86_64: crc 0x3c5dfeb0, vmlinux, EXPORT_SYMBOL\n");
	query(&a, "--syscall", "openat2", NULL);
	assert_int_equal(a.status, 0);
	/* The target's table and the other kernels' (ANCK 4.19, upstream 5.10). */
	assert_string_equal(a.out, "openat2:\n  aarch64 5.10: 437 openat2 (common, sys_openat2)\n"
			    "  aarch64 4.18-el8: 437 openat2 (common, sys_openat2)\n"
			    "  x86_64 5.10: 437 openat2 (common, __x64_sys_openat2)\n"
			    "  x86_64 4.19-anck: 437 openat2 (common, __x64_sys_openat2)\n"
			    "  x86_64 4.18-el8: 437 openat2 (common, __x64_sys_openat2)\n");
	query(&a, "--arch", "x86_64", "--provides", "libcrypto.so.10()(64bit)", NULL);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.out, "libcrypto.so.10()(64bit):\n  compat-openssl10 (x86_64)  "
			    "available  library libcrypto.so.10 at /usr/lib64/libcrypto.so.10\n");
	query(&a, "--arch", "x86_64", "--symbol", "memcpy@GLIBC_2.14", NULL);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.out, "memcpy@GLIBC_2.14:\n  x86_64 libc.so.6 memcpy@@GLIBC_2.14  F\n");
}

static int setup(void **state)
{
	if (aoms_test_tmpdir_setup("abidb-query") < 0)
		return -1;
	write_db();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_embedded),
	};

	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
