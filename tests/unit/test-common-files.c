/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/: atomic replacement of outputs (atomic-file.h), hostile inputs (input-file.h),
 * a root's host name (rootfs.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "atomic-file.h"
#include "input-file.h"
#include "rootfs.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = calloc(1, 4096);

	assert_non_null(f);
	assert_non_null(buf);
	fread(buf, 1, 4095, f);
	fclose(f);
	return buf;
}

/* The names in the scratch directory starting with prefix. */
static int count_prefixed(const char *prefix)
{
	DIR *d = opendir(aoms_test_tmpdir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void test_atomic_new_and_replace(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("out.json");
	_cleanup_(freep) char *text = NULL;
	struct aoms_atomic_file *h = NULL;
	const char *tmp;

	unlink(path);
	OK(aoms_atomic_open(path, 0, &h));
	tmp = aoms_atomic_temp_path(h);
	assert_non_null(tmp);
	assert_non_null(strstr(tmp, "/.out.json."));
	fputs("first\n", aoms_atomic_stream(h));
	assert_int_equal(access(path, F_OK), -1);   /* not under its name before commit */
	OK(aoms_atomic_commit(h));
	text = slurp(path);
	assert_string_equal(text, "first\n");
	free(text);
	assert_int_equal(count_prefixed(".out.json."), 0);

	/* aborted: the previous file stays, the temporary file goes */
	OK(aoms_atomic_open(path, 0, &h));
	fputs("second\n", aoms_atomic_stream(h));
	fflush(aoms_atomic_stream(h));
	aoms_atomic_abort(h);
	text = slurp(path);
	assert_string_equal(text, "first\n");
	free(text);
	assert_int_equal(count_prefixed(".out.json."), 0);

	/* committed: replaced */
	OK(aoms_atomic_open(path, 0, &h));
	fputs("second\n", aoms_atomic_stream(h));
	OK(aoms_atomic_commit(h));
	text = slurp(path);
	assert_string_equal(text, "second\n");
	aoms_atomic_abort(NULL);
}

static void test_atomic_mode_and_symlink(void **state)
{
	_cleanup_(freep) char *path = aoms_test_path("mode.txt");
	_cleanup_(freep) char *link = aoms_test_path("link.txt");
	_cleanup_(freep) char *text = NULL;
	struct aoms_atomic_file *h = NULL;
	struct stat st;
	mode_t old = umask(027);

	OK(aoms_atomic_open(path, 0, &h));
	OK(aoms_atomic_commit(h));
	umask(old);
	OK(stat(path, &st));
	assert_int_equal(st.st_mode & 07777, 0640);

	/* a symlink to a file: the file is replaced, the link stays a link */
	OK(symlink("mode.txt", link));
	OK(aoms_atomic_open(link, 0, &h));
	fputs("through the link\n", aoms_atomic_stream(h));
	OK(aoms_atomic_commit(h));
	OK(lstat(link, &st));
	assert_true(S_ISLNK(st.st_mode));
	text = slurp(path);
	assert_string_equal(text, "through the link\n");
}

static void test_atomic_not_regular(void **state)
{
	_cleanup_(freep) char *fifo = aoms_test_path("fifo");
	_cleanup_(freep) char *missing = aoms_test_path("no/such/dir/out");
	struct aoms_atomic_file *h = NULL;
	struct stat st;

	/* a device is written to directly, never replaced */
	OK(aoms_atomic_open("/dev/null", 0, &h));
	assert_null(aoms_atomic_temp_path(h));
	fputs("gone\n", aoms_atomic_stream(h));
	OK(aoms_atomic_commit(h));
	OK(stat("/dev/null", &st));
	assert_true(S_ISCHR(st.st_mode));
	/* a database needs a regular file */
	assert_int_equal(aoms_atomic_open("/dev/null", AOMS_ATOMIC_REGULAR, &h), -EINVAL);
	OK(mkfifo(fifo, 0600));
	assert_int_equal(aoms_atomic_open(fifo, AOMS_ATOMIC_REGULAR, &h), -EINVAL);
	assert_int_equal(aoms_atomic_open(missing, 0, &h), -ENOENT);
	assert_int_equal(aoms_atomic_open("", 0, &h), -EINVAL);
}

/* A failed write says why: ENOSPC, not EIO. */
static void test_atomic_write_error(void **state)
{
	struct aoms_atomic_file *h = NULL;
	char buf[8192];

	if (access("/dev/full", W_OK) < 0)
		skip();
	memset(buf, 'x', sizeof(buf));
	OK(aoms_atomic_open("/dev/full", 0, &h));
	fwrite(buf, 1, sizeof(buf), aoms_atomic_stream(h));
	assert_int_equal(aoms_atomic_commit(h), -ENOSPC);
}

static void test_read_line(void **state)
{
	static const char text[] = "one\ntwo\r\n\nlong-line-here\nlast";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	_cleanup_(freep) char *buf = NULL;
	size_t cap = 0;

	assert_non_null(f);
	assert_int_equal(aoms_read_line(f, &buf, &cap, 10), 4);
	assert_string_equal(buf, "one\n");
	assert_int_equal(aoms_read_line(f, &buf, &cap, 10), 5);
	assert_string_equal(buf, "two\r\n");
	assert_int_equal(aoms_read_line(f, &buf, &cap, 10), 1);
	assert_int_equal(aoms_read_line(f, &buf, &cap, 10), -E2BIG);
	assert_true(cap <= 11);
	fclose(f);

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	while (aoms_read_line(f, &buf, &cap, 64) > 0 && strcmp(buf, "last") != 0)
		;
	assert_string_equal(buf, "last");   /* no newline at the end */
	assert_int_equal(aoms_read_line(f, &buf, &cap, 64), 0);
	fclose(f);

	/* a NUL byte: the length tells */
	f = fmemopen((void *)"a\0b\n", 4, "r");
	assert_int_equal(aoms_read_line(f, &buf, &cap, 64), 4);
	assert_int_equal(strlen(buf), 1);
	fclose(f);
}

static void test_input_fopen(void **state)
{
	_cleanup_(freep) char *fifo = aoms_test_path("in-fifo");
	_cleanup_(freep) char *file = aoms_test_path("in.tsv");
	FILE *f = NULL;

	aoms_test_write_file("in.tsv", "x\n");
	OK(aoms_input_fopen(file, &f));
	fclose(f);
	OK(mkfifo(fifo, 0600));
	assert_int_equal(aoms_input_fopen(fifo, &f), -EINVAL);   /* at once: no writer */
	assert_int_equal(aoms_input_fopen("/dev/zero", &f), -EINVAL);
	assert_int_equal(aoms_input_fopen(aoms_test_tmpdir, &f), -EISDIR);
	assert_int_equal(aoms_input_fopen("/nonexistent/x", &f), -ENOENT);
}

/* The first word of etc/hostname; none when it is missing, empty or not a file. */
static void test_root_hostname(void **state)
{
	_cleanup_(freep) char *root = aoms_test_path("hostroot");
	_cleanup_(freep) char *etc = aoms_test_path("hostroot/etc");
	_cleanup_(freep) char *file = aoms_test_path("hostroot/etc/hostname");
	_cleanup_(freep) char *name = NULL;

	OK(mkdir(root, 0755));
	assert_null(aoms_root_hostname(root));   /* no etc/hostname */
	OK(mkdir(etc, 0755));
	aoms_test_write_file("hostroot/etc/hostname", "\n");
	assert_null(aoms_root_hostname(root));
	aoms_test_write_file("hostroot/etc/hostname", "db01.example.com  # old\r\n");
	name = aoms_root_hostname(root);
	assert_string_equal(name, "db01.example.com");
	OK(unlink(file));
	OK(mkdir(file, 0755));
	assert_null(aoms_root_hostname(root));   /* a directory */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_new_and_replace),
		cmocka_unit_test(test_atomic_mode_and_symlink),
		cmocka_unit_test(test_atomic_not_regular),
		cmocka_unit_test(test_atomic_write_error),
		cmocka_unit_test(test_read_line),
		cmocka_unit_test(test_input_fopen),
		cmocka_unit_test(test_root_hostname),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
