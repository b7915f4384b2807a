/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default database against a real RHEL 8.3 root: every soname of its libraries
 * table is found with its owner package, and every versioned row of its symbols
 * table by the lookups a scan makes (aoms_abidb_find_library() +
 * aoms_libabi_has_symbol(), the glibc union for glibc's sonames), so a real EL8
 * binary importing it passes. Reads ../shared/data/el8/rhel-8.3/ when it is there,
 * else the project's own copy (abi-db/data/rhel-8.3-libraries-x86_64.tsv).
 */
#define _GNU_SOURCE
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
#include "resolve.h"
#include "testutil.h"

#define OK(expr) assert_int_equal((expr), 0)
#define ARCH "x86_64"
#define MAX_COLS 8

struct walk {
	struct aoms_abidb *db;
	unsigned libraries, symbols, misses;
};

/* The fields of a row by column name; NULL when the header has no such column. */
struct row {
	char *cols[MAX_COLS];
	char *v[MAX_COLS];
	int n;
};

static const char *field(const struct row *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->cols[i], name) == 0)
			return r->v[i];
	return NULL;
}

static void miss(struct walk *w, const char *fmt, ...) _printf_(2, 3);
static void miss(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->misses++ < 20) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

static void check_library(struct walk *w, const struct row *r)
{
	const char *soname = field(r, "soname"), *pkg = field(r, "package");
	const struct aoms_libabi *lib;

	w->libraries++;
	if (aoms_abidb_find_library(w->db, soname, ARCH, &lib) < 0) {
		miss(w, "library %s: not found", soname);
		return;
	}
	if (lib->available_only)
		miss(w, "library %s: not installed", soname);
	if (pkg && strcmp(pkg, "-") != 0 && (!lib->package || strcmp(lib->package, pkg) != 0))
		miss(w, "library %s: package %s, want %s", soname,
		     lib->package ? lib->package : "(none)", pkg);
}

static void check_symbol(struct walk *w, const struct row *r)
{
	const char *soname = field(r, "soname"), *version = field(r, "version");
	const char *name = field(r, "symbol"), *type = field(r, "type");
	const struct aoms_libabi *lib;
	int glibc;

	if (!*version)
		return; /* the walk is about versioned rows, as a binary binds them */
	w->symbols++;
	if (aoms_abidb_find_library(w->db, soname, ARCH, &lib) < 0) {
		miss(w, "symbol %s@%s: library %s not found", name, version, soname);
		return;
	}
	if (strcmp(type, "A") == 0) {
		if (!aoms_libabi_has_verdef(lib, version))
			miss(w, "%s: version node %s missing", soname, version);
		return;
	}
	glibc = aoms_abidb_soname_is_glibc(w->db, soname);
	if (glibc > 0 ? aoms_glibc_has_symbol(w->db, ARCH, name, version) != 1
		      : !aoms_libabi_has_symbol(lib, name, version))
		miss(w, "%s: %s@%s missing", soname, name, version);
}

/*
 * Reads a fact table: "#!table NAME" picks the table (or the file's own, table),
 * "#col<TAB>col" its header; "# " lines are comments.
 */
static void walk_file(struct walk *w, const char *path, const char *table)
{
	_cleanup_(fclosep) FILE *f = fopen(path, "re");
	_cleanup_(freep) char *line = NULL;
	_cleanup_(freep) char *header = NULL;
	_cleanup_(freep) char *cur = table ? strdup(table) : NULL;
	struct row r = { .n = 0 };
	size_t cap = 0;
	ssize_t n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *p;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "#!table ", 8) == 0) {
			free(cur);
			cur = strdup(line + 8);
			r.n = 0;
		} else if (line[0] == '#' && line[1] && line[1] != ' ' && line[1] != '!') {
			free(header);
			p = header = strdup(line + 1);
			for (r.n = 0; p && r.n < MAX_COLS; r.n++)
				r.cols[r.n] = strsep(&p, "\t");
		} else if (line[0] && line[0] != '#' && r.n && cur) {
			p = line;
			for (int i = 0; i < r.n; i++)
				r.v[i] = p ? strsep(&p, "\t") : (char *)"";
			if (strcmp(cur, "libraries") == 0)
				check_library(w, &r);
			else if (strcmp(cur, "symbols") == 0)
				check_symbol(w, &r);
		}
	}
}

static void test_el8_walk(void **state)
{
	const char *src = getenv("AOMS_SRC");
	_cleanup_(freep) char *libs = NULL, *syms = NULL, *own = NULL;
	struct walk w = { .db = NULL };

	assert_non_null(src);
	OK(aoms_abidb_open(NULL, &w.db));
	assert_true(asprintf(&libs, "%s/../shared/data/el8/rhel-8.3/rhel-8.3-libraries-x86_64.tsv",
			     src) > 0);
	assert_true(asprintf(&syms, "%s/../shared/data/el8/rhel-8.3/rhel-8.3-symbols-x86_64.tsv",
			     src) > 0);
	assert_true(asprintf(&own, "%s/abi-db/data/rhel-8.3-libraries-x86_64.tsv", src) > 0);
	if (access(libs, R_OK) == 0 && access(syms, R_OK) == 0) {
		walk_file(&w, libs, "libraries");
		walk_file(&w, syms, "symbols");
		assert_int_equal(w.libraries, 482);
	} else {
		print_message("../shared/data/el8 is absent: walking the project's copy %s\n", own);
		walk_file(&w, own, NULL);
	}
	print_message("walked %u libraries, %u versioned symbol rows: %u misses\n", w.libraries,
		      w.symbols, w.misses);
	assert_true(w.libraries > 400);
	assert_true(w.symbols > 10000);
	assert_int_equal(w.misses, 0);
	aoms_abidb_free(w.db);
}

/* Soname families: the target has the library at another version. */
static void test_el8_family(void **state)
{
	static const char *const cases[][2] = {
		{ "libssl.so.3", "libssl.so.1.1" },
		{ "libcrypto.so.3", "libcrypto.so.1.1" },
		{ "libreadline.so.8", "libreadline.so.7" },
		{ "libjson-c.so.5", "libjson-c.so.4" },
		{ "libffi.so.8", "libffi.so.6" },
		{ "libgcc_s.so.2", "libgcc_s.so.1" },
	};
	struct aoms_abidb *db = NULL;

	OK(aoms_abidb_open(NULL, &db));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		_cleanup_(freep) char *el8 = NULL;

		OK(aoms_abidb_soname_family(db, cases[i][0], ARCH, &el8));
		assert_string_equal(el8, cases[i][1]);
	}
	{
		char *el8 = NULL;

		/* no such family, no version, and presence-only or available rows */
		assert_int_equal(aoms_abidb_soname_family(db, "libnosuch.so.1", ARCH, &el8), -ENOENT);
		assert_int_equal(aoms_abidb_soname_family(db, "libssl.so", ARCH, &el8), -ENOENT);
		assert_int_equal(aoms_abidb_soname_family(db, "libssl.so.x", ARCH, &el8), -ENOENT);
		assert_int_equal(aoms_abidb_soname_family(db, ".so.1", ARCH, &el8), -ENOENT);
		assert_int_equal(aoms_abidb_soname_family(db, "libpython2.7.so.2.0", ARCH, &el8),
				 -ENOENT);
		assert_int_equal(aoms_abidb_soname_family(NULL, "libssl.so.3", ARCH, &el8), -EINVAL);
		assert_null(el8);
	}
	aoms_abidb_free(db);
}

/* compat and AppStream libraries are available, not installed. */
static void test_el8_available(void **state)
{
	static const char *const cases[][2] = {
		{ "libcrypto.so.10", "compat-openssl10" },
		{ "libssl.so.10", "compat-openssl10" },
		{ "libpython2.7.so.1.0", "python2-libs" },
		{ "libncurses.so.5", "ncurses-compat-libs" },
		{ "libGL.so.1", "libglvnd-glx" },
	};
	struct aoms_abidb *db = NULL;
	const struct aoms_libabi *lib;
	_cleanup_(freep) char *release = NULL;
	char *none = NULL;

	OK(aoms_abidb_open(NULL, &db));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		OK(aoms_abidb_find_library(db, cases[i][0], ARCH, &lib));
		assert_true(lib->available_only);
		assert_string_equal(lib->package, cases[i][1]);
	}
	OK(aoms_abidb_find_library(db, "libz.so.1", ARCH, &lib));
	assert_false(lib->available_only);
	assert_string_equal(lib->package, "zlib");
	OK(aoms_abidb_find_library(db, "libz.so.1", "aarch64", &lib)); /* manylinux presence */
	OK(aoms_abidb_default_kernel(db, ARCH, &release));
	assert_string_equal(release, "4.18.0-240.15.1.el8_3");
	assert_int_equal(aoms_abidb_default_kernel(db, "aarch64", &none), -ENOENT);
	assert_null(none);
	aoms_abidb_free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_el8_walk),
		cmocka_unit_test(test_el8_family),
		cmocka_unit_test(test_el8_available),
	};

	return cmocka_run_group_tests(tests, aoms_test_setup, aoms_test_teardown);
}
