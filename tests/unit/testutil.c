/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "strbuf.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)

char aoms_test_tmpdir[PATH_MAX];

int aoms_test_tmpdir_setup(const char *name)
{
	int n = snprintf(aoms_test_tmpdir, sizeof(aoms_test_tmpdir), "/tmp/test-%s.XXXXXX", name);

	if (n < 0 || (size_t)n >= sizeof(aoms_test_tmpdir))
		return -1;
	return mkdtemp(aoms_test_tmpdir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

int aoms_test_tmpdir_teardown(void)
{
	if (!aoms_test_tmpdir[0])
		return -1;
	if (getenv("AOMS_TEST_KEEP")) {   /* for looking at the files afterwards */
		print_message("kept %s\n", aoms_test_tmpdir);
		return 0;
	}
	return nftw(aoms_test_tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int aoms_test_setup(void **state)
{
	const char *name = program_invocation_short_name;

	if (!strncmp(name, "test-", 5))
		name += 5;
	return aoms_test_tmpdir_setup(name);
}

int aoms_test_teardown(void **state)
{
	return aoms_test_tmpdir_teardown();
}

char *aoms_test_path(const char *name)
{
	char *p = aoms_strdupf("%s/%s", aoms_test_tmpdir, name);

	assert_non_null(p);
	return p;
}

void aoms_test_write_data(const char *name, const void *data, size_t size)
{
	_cleanup_(freep) char *p = aoms_test_path(name);
	FILE *f = fopen(p, "we");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}

void aoms_test_write_file(const char *name, const char *text)
{
	aoms_test_write_data(name, text, strlen(text));
}

/* "cd tmpdir && (command) redirect" into *cmd. */
static void command(struct aoms_strbuf *cmd, const char *redirect, const char *fmt, va_list ap)
{
	OK(aoms_strbuf_addf(cmd, "cd '%s' && (", aoms_test_tmpdir));
	OK(aoms_strbuf_vaddf(cmd, fmt, ap));
	OK(aoms_strbuf_addf(cmd, ") %s", redirect));
}

static bool exited_0(int r)
{
	return r != -1 && WIFEXITED(r) && WEXITSTATUS(r) == 0;
}

bool aoms_test_sh(const char *fmt, ...)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf cmd = AOMS_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	command(&cmd, ">>build.log 2>&1", fmt, ap);
	va_end(ap);
	return exited_0(system(aoms_strbuf_str(&cmd)));
}

char *aoms_test_out(const char *fmt, ...)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf cmd = AOMS_STRBUF_INIT;
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf res = AOMS_STRBUF_INIT;
	char buf[4096];
	size_t n;
	char *out;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	command(&cmd, "2>/dev/null", fmt, ap);
	va_end(ap);
	p = popen(aoms_strbuf_str(&cmd), "r");
	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		OK(aoms_strbuf_add(&res, buf, n));
	pclose(p);
	assert_non_null(out = strdup(aoms_strbuf_str(&res)));
	return out;
}

void aoms_test_print_log(void)
{
	_cleanup_(freep) char *cmd = aoms_strdupf("cat '%s/build.log' >&2", aoms_test_tmpdir);

	if (!cmd || system(cmd) != 0)
		print_error("no build log\n");
}

void aoms_test_list_add(struct aoms_test_list *l, const char *fmt, ...)
{
	size_t len = strlen(l->text);
	va_list ap;

	if (l->n++ && len + 1 < sizeof(l->text))
		l->text[len++] = ';';
	va_start(ap, fmt);
	vsnprintf(l->text + len, sizeof(l->text) - len, fmt, ap);
	va_end(ap);
}
