/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/: lexical paths, root-confined realpath, strmap, arena, libabi, symset, strbuf. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "arena.h"
#include "hash.h"
#include "libabi.h"
#include "path.h"
#include "rootfs.h"
#include "strbuf.h"
#include "strmap.h"
#include "testutil.h"

/* An API call that must succeed. */
#define OK(expr) assert_int_equal((expr), 0)

/* ---- path.h ---- */

struct join_case {
	const char *base, *rel, *want;
};

static void check_joins(const struct join_case *t, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = aoms_path_join_normalize(t[i].base, t[i].rel);

		if (!got || strcmp(got, t[i].want) != 0) {
			print_error("join_normalize(%s%s%s, \"%s\") = %s%s%s, want \"%s\"\n",
				    t[i].base ? "\"" : "", t[i].base ? t[i].base : "NULL",
				    t[i].base ? "\"" : "", t[i].rel, got ? "\"" : "",
				    got ? got : "NULL", got ? "\"" : "", t[i].want);
			bad++;
		}
		free(got);
	}
	if (bad)
		fail_msg("%zu of %zu rows wrong", bad, n);
}

static void test_path_join_normalize(void **state)
{
	static const struct join_case t[] = {
		/* plain joins */
		{ "/a/b", "c", "/a/b/c" },
		{ "/a/b", "c/d.so", "/a/b/c/d.so" },
		{ NULL, "/usr/lib64", "/usr/lib64" },
		{ NULL, "x", "x" },
		/* "." and repeated or trailing slashes */
		{ "/a/b", "./c", "/a/b/c" },
		{ "/a//b/", "c//", "/a/b/c" },
		{ "/a", ".", "/a" },
		{ "/a", "", "/a" },
		{ "/a/", "./", "/a" },
		{ NULL, "//", "/" },
		{ NULL, "/.", "/" },
		{ NULL, "/./././", "/" },
		{ NULL, "///usr///lib64///", "/usr/lib64" },
		{ NULL, ".", "." },
		{ NULL, "", "." },
		{ NULL, "./", "." },
		/* ".." */
		{ "/a/b", "..", "/a" },
		{ "/a/b", "../c", "/a/c" },
		{ "/a/b", "../../c", "/c" },
		{ "/a/b/..", "..", "/" },
		{ "/abc", "../abd", "/abd" },
		{ NULL, "/usr/lib64/../lib", "/usr/lib" },
		{ NULL, "/a/./b/../../c/", "/c" },
		/* ".." above "/" stays at "/" */
		{ "/", "..", "/" },
		{ "/", "../../..", "/" },
		{ "/a/b", "../../../../c", "/c" },
		{ "/", "../../x/..", "/" },
		{ NULL, "/../etc/passwd", "/etc/passwd" },
		{ "/a", "/../../x", "/x" },
		/* an absolute rel ignores base */
		{ "/a", "/x//y/./z/", "/x/y/z" },
		{ "rel/base", "/abs", "/abs" },
		/* relative bases stay relative */
		{ "a/b", "c", "a/b/c" },
		{ "a/b", "../c", "a/c" },
		{ "a", "b/./c/", "a/b/c" },
		{ "./a", "b", "a/b" },
		{ "a/b/", "./", "a/b" },
		{ "..", "x", "../x" },
		{ NULL, "../x", "../x" },
		{ NULL, "../../x", "../../x" },
		{ NULL, "..", ".." },
		{ NULL, "../..", "../.." },
		{ "a/b/c", "../../d", "a/d" },
	};

	check_joins(t, ARRAY_SIZE(t));
}

/*
 * Regression: in a relative path a ".." that cancels the last remaining component,
 * or follows leading ".."s, was folded wrongly ("a" + ".." gave "a/..", "a" +
 * "../.." gave "a", "../../.." gave "..").
 */
static void test_path_join_normalize_relative_dotdot(void **state)
{
	static const struct join_case t[] = {
		{ "a", "..", "." },
		{ "a/b", "../..", "." },
		{ "a", "../..", ".." },
		{ NULL, "a/../..", ".." },
		{ NULL, "../../..", "../../.." },
		{ "../..", "..", "../../.." },
	};

	check_joins(t, ARRAY_SIZE(t));
}

static void test_path_dirname(void **state)
{
	static const struct { const char *path, *want; } t[] = {
		{ "/x", "/" },
		{ "x", "." },
		{ "/", "/" },
		{ "/a/b", "/a" },
		{ "/a/b/c.so.1", "/a/b" },
		{ "a/b", "a" },
		{ "a/b/c", "a/b" },
		{ "", "." },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_(freep) char *got = aoms_path_dirname(t[i].path);

		assert_non_null(got);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("dirname(\"%s\") = \"%s\", want \"%s\"", t[i].path, got, t[i].want);
	}
}

static void test_path_is_below(void **state)
{
	static const struct { const char *path, *dir; int want; } t[] = {
		{ "/a/b", "/a", 1 },
		{ "/a", "/a", 1 },
		{ "/a/b/c", "/a/b", 1 },
		{ "/a/bc", "/a/b", 0 },
		{ "/a/b", "/a/bc", 0 },
		{ "/ab", "/a", 0 },
		{ "/a", "/a/b", 0 },
		{ "/b", "/a", 0 },
		{ "/x", "/", 1 },
		{ "/", "/", 1 },
		{ "/usr/lib64/libc.so.6", "/usr/lib64", 1 },
		{ "/usr/lib646/libc.so.6", "/usr/lib64", 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (!!aoms_path_is_below(t[i].path, t[i].dir) != t[i].want)
			fail_msg("is_below(\"%s\", \"%s\") != %d", t[i].path, t[i].dir, t[i].want);
}

/* ---- rootfs.h ---- */

static char *root;   /* tmpdir/root: "/.." of the root exists and is not the root */

static void mk(const char *rel, const char *link_target)
{
	_cleanup_(freep) char *p = aoms_strdupf("%s/%s", root, rel);

	assert_non_null(p);
	if (link_target) {
		if (symlink(link_target, p) < 0)
			fail_msg("symlink %s: %s", p, strerror(errno));
	} else if (p[strlen(p) - 1] == '/') {
		if (mkdir(p, 0755) < 0)
			fail_msg("mkdir %s: %s", p, strerror(errno));
	} else {
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		fclose(f);
	}
}

static int rootfs_setup(void **state)
{
	if (aoms_test_tmpdir_setup("common") < 0)
		return -1;
	root = aoms_strdupf("%s/root", aoms_test_tmpdir);
	if (!root || mkdir(root, 0755) < 0)
		return -1;
	return 0;
}

static int rootfs_teardown(void **state)
{
	free(root);
	return aoms_test_tmpdir_teardown();
}

static void build_root(void)
{
	static const struct { const char *rel, *target; } layout[] = {
		{ "usr/", NULL },
		{ "usr/lib64/", NULL },
		{ "usr/lib64/sub/", NULL },
		{ "usr/lib64/libc.so.6", NULL },
		{ "usr/bin/", NULL },
		{ "usr/bin/true", NULL },
		{ "etc/", NULL },
		{ "etc/passwd", NULL },
		{ "lib64", "/usr/lib64" },             /* absolute: stays in the root */
		{ "usr/lib", "lib64" },                /* relative */
		{ "bin", "usr/bin" },
		{ "lib", "../../../../usr/lib" },      /* climbs above the root */
		{ "escape", "../../../../../../etc" },
		{ "usr/lib64/abs-escape", "/../../../usr/lib64/libc.so.6" },
		{ "usr/lib64/libc.so", "libc.so.6" },
		{ "usr/lib64/up", "../bin/true" },
		{ "deep", "/usr/lib64/sub" },
		{ "loop1", "loop2" },
		{ "loop2", "/loop1" },
		{ "self", "self" },
		{ "dangling", "/nowhere/at/all" },
		{ "usr/lib64/dangling.so", "missing.so" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(layout); i++)
		mk(layout[i].rel, layout[i].target);
	/* a file outside the root that an escaping link would reach */
	{
		_cleanup_(freep) char *out = aoms_strdupf("%s/outside", aoms_test_tmpdir);
		FILE *f = fopen(out, "w");

		assert_non_null(f);
		fclose(f);
	}
	mk("up-out", "../outside");
	/* chains of exactly 40 and of 41 links */
	for (int i = 0; i < 41; i++) {
		char name[32], target[32];

		snprintf(name, sizeof(name), "c%d", i);
		if (i == 40)
			snprintf(target, sizeof(target), "usr/bin/true");
		else
			snprintf(target, sizeof(target), "c%d", i + 1);
		mk(name, target);
	}
}

static void test_root_realpath(void **state)
{
	static const struct { const char *path, *want; int err; } t[] = {
		{ "/", "/", 0 },
		{ "", "/", 0 },
		{ "/usr/lib64/libc.so.6", "/usr/lib64/libc.so.6", 0 },
		{ "usr/lib64/libc.so.6", "/usr/lib64/libc.so.6", 0 },
		{ "/usr/./lib64//", "/usr/lib64", 0 },
		/* absolute targets restart at the root */
		{ "/lib64", "/usr/lib64", 0 },
		{ "/lib64/libc.so.6", "/usr/lib64/libc.so.6", 0 },
		{ "/lib64/libc.so", "/usr/lib64/libc.so.6", 0 },
		/* relative targets */
		{ "/usr/lib/libc.so.6", "/usr/lib64/libc.so.6", 0 },
		{ "/bin/true", "/usr/bin/true", 0 },
		{ "/usr/lib64/up", "/usr/bin/true", 0 },
		/* ".." never leaves the root */
		{ "/../../../../etc/passwd", "/etc/passwd", 0 },
		{ "/lib/libc.so.6", "/usr/lib64/libc.so.6", 0 },
		{ "/escape/passwd", "/etc/passwd", 0 },
		{ "/escape", "/etc", 0 },
		{ "/usr/lib64/abs-escape", "/usr/lib64/libc.so.6", 0 },
		{ "/up-out", NULL, ENOENT },      /* tmpdir/outside exists, root/../outside not */
		{ "/escape/hostname", NULL, ENOENT },   /* the host's /etc has it */
		{ "/../outside", NULL, ENOENT },
		/* a chain of 40 links is fine, 41 is a loop */
		{ "/c1", "/usr/bin/true", 0 },
		{ "/c0", NULL, ELOOP },
		/* loops and dangling links */
		{ "/loop1", NULL, ELOOP },
		{ "/loop2/x", NULL, ELOOP },
		{ "/self", NULL, ELOOP },
		{ "/dangling", NULL, ENOENT },
		{ "/usr/lib64/dangling.so", NULL, ENOENT },
		{ "/nothere", NULL, ENOENT },
		{ "/usr/nothere/libc.so.6", NULL, ENOENT },
	};

	build_root();
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_(freep) char *got = NULL;

		errno = 0;
		got = aoms_root_realpath(root, t[i].path);
		if (t[i].want) {
			if (!got || strcmp(got, t[i].want) != 0)
				fail_msg("root_realpath(\"%s\") = %s (%s), want \"%s\"", t[i].path,
					 got ? got : "NULL", strerror(errno), t[i].want);
		} else if (got || errno != t[i].err) {
			fail_msg("root_realpath(\"%s\") = %s, errno %s, want NULL with %s",
				 t[i].path, got ? got : "NULL", strerror(errno), strerror(t[i].err));
		}
	}

	/* root "/" works too */
	{
		_cleanup_(freep) char *got = aoms_root_realpath("/", aoms_test_tmpdir);

		assert_non_null(got);
		assert_string_equal(got, aoms_test_tmpdir);
	}
}

/*
 * Regression: ".." after a symlinked directory climbs from the link's target, as
 * under chroot or openat2(RESOLVE_IN_ROOT). With root/deep -> /usr/lib64/sub,
 * "/deep/../libc.so.6" is /usr/lib64/libc.so.6 (the path used to be normalized
 * lexically first, giving ENOENT for "/libc.so.6").
 */
static void test_root_realpath_dotdot_after_symlink(void **state)
{
	static const struct { const char *path, *want; } t[] = {
		{ "/deep/../libc.so.6", "/usr/lib64/libc.so.6" },
		{ "/deep/..", "/usr/lib64" },
		{ "/deep/../../bin/true", "/usr/bin/true" },
		{ "/usr/lib/../bin/true", "/usr/bin/true" },      /* lib -> lib64 */
		{ "/lib64/../bin/true", "/usr/bin/true" },        /* lib64 -> /usr/lib64 */
		{ "/lib64/../etc/passwd", NULL },                 /* that is /usr/etc/passwd */
		{ "/usr/../etc/passwd", "/etc/passwd" },
		{ "/deep/../../../../../etc/passwd", "/etc/passwd" },
		{ "/./usr/./lib64/./libc.so.6", "/usr/lib64/libc.so.6" },
		{ "usr/lib64/../bin/true", "/usr/bin/true" },
	};
	size_t bad = 0;

	/* build_root() ran in test_root_realpath */
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char *got;

		errno = 0;
		got = aoms_root_realpath(root, t[i].path);
		if (t[i].want ? !got || strcmp(got, t[i].want) != 0 : got || errno != ENOENT) {
			print_error("root_realpath(\"%s\") = %s (%s), want %s\n", t[i].path,
				    got ? got : "NULL", strerror(errno), t[i].want ? t[i].want : "ENOENT");
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

static void test_root_join(void **state)
{
	static const struct { const char *root, *path, *want; } t[] = {
		{ "/r", "/usr/lib64", "/r/usr/lib64" },
		{ "/r", "usr", "/r/usr" },
		{ "/r", "//etc", "/r/etc" },
		{ "/", "/etc", "/etc" },
		{ "/", "etc", "/etc" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		_cleanup_(freep) char *got = aoms_root_join(t[i].root, t[i].path);

		assert_non_null(got);
		assert_string_equal(got, t[i].want);
	}
}

/* ---- strmap.h ---- */

#define N_KEYS 10000

static void test_strmap(void **state)
{
	struct aoms_strmap m = AOMS_STRMAP_INIT;
	char (*keys)[16] = calloc(N_KEYS, sizeof(*keys));
	char probe[16];

	assert_non_null(keys);
	assert_null(aoms_strmap_get(&m, "empty"));
	for (size_t i = 0; i < N_KEYS; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
		OK(aoms_strmap_put(&m, keys[i], (void *)(uintptr_t)(i + 1)));
	}
	assert_int_equal(m.len, N_KEYS);
	assert_true(m.cap >= N_KEYS);
	for (size_t i = 0; i < N_KEYS; i++) {
		/* a different buffer with the same text finds it */
		snprintf(probe, sizeof(probe), "key-%zu", i);
		assert_ptr_equal(aoms_strmap_get(&m, probe), (void *)(uintptr_t)(i + 1));
	}
	/* replacing keeps the count */
	for (size_t i = 0; i < N_KEYS; i += 2)
		OK(aoms_strmap_put(&m, keys[i], (void *)(uintptr_t)(i + 100000)));
	assert_int_equal(m.len, N_KEYS);
	for (size_t i = 0; i < N_KEYS; i++)
		assert_ptr_equal(aoms_strmap_get(&m, keys[i]),
				 (void *)(uintptr_t)(i % 2 ? i + 1 : i + 100000));
	/* misses */
	for (size_t i = N_KEYS; i < 2 * N_KEYS; i++) {
		snprintf(probe, sizeof(probe), "key-%zu", i);
		assert_null(aoms_strmap_get(&m, probe));
	}
	assert_null(aoms_strmap_get(&m, ""));
	assert_null(aoms_strmap_get(&m, "key-"));
	/* the empty key is a key */
	OK(aoms_strmap_put(&m, "", (void *)1));
	assert_ptr_equal(aoms_strmap_get(&m, ""), (void *)1);
	/* a NULL value is stored (and reads like a miss) */
	OK(aoms_strmap_put(&m, keys[0], NULL));
	assert_null(aoms_strmap_get(&m, keys[0]));
	assert_int_equal(m.len, N_KEYS + 1);

	aoms_strmap_release(&m);
	assert_null(m.slots);
	assert_int_equal(m.len, 0);
	assert_null(aoms_strmap_get(&m, keys[1]));
	aoms_strmap_release(&m);   /* twice is fine */
	free(keys);
}

/* ---- arena.h ---- */

static void test_arena(void **state)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	static const size_t sizes[] = { 1, 3, 7, 8, 9, 15, 16, 17, 31, 100, 1000, 1024, 1025,
					4000, 4096, 4097, 65536, 1 << 20, 2, 5 };
	unsigned char *prev[ARRAY_SIZE(sizes) * 20];
	size_t n = 0, total = 0;

	OK(aoms_arena_new(&a));
	assert_int_equal(aoms_arena_used(a), 0);
	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			unsigned char *p = aoms_arena_alloc(a, sizes[i]);

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
			for (size_t k = 0; k < sizes[i]; k++)
				if (p[k])
					fail_msg("arena memory of size %zu not zeroed at %zu", sizes[i], k);
			/* fill it: ASan catches overlap with a block's end, the check
			 * below catches overlap between allocations */
			memset(p, (int)(n & 0x7f) + 1, sizes[i]);
			prev[n++] = p;
			total += sizes[i];
		}
	assert_int_equal(aoms_arena_used(a), total);
	for (size_t j = 0; j < n; j++) {
		size_t sz = sizes[j % ARRAY_SIZE(sizes)];

		if (prev[j][0] != (unsigned char)((j & 0x7f) + 1) ||
		    prev[j][sz - 1] != (unsigned char)((j & 0x7f) + 1))
			fail_msg("allocation %zu (size %zu) was overwritten", j, sz);
	}
	/* absurd sizes fail cleanly */
	assert_null(aoms_arena_alloc(a, SIZE_MAX));
	assert_null(aoms_arena_alloc(a, SIZE_MAX / 2 + 1));
	assert_int_equal(aoms_arena_used(a), total);
}

static void test_arena_strings(void **state)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	char big[5000];
	const char *s[3000];

	OK(aoms_arena_new(&a));
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "string-%zu", i);
		s[i] = aoms_arena_strdup(a, buf);
		assert_non_null(s[i]);
	}
	/* a big string between small ones does not disturb them */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_string_equal(aoms_arena_strdup(a, big), big);
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "string-%zu", i);
		assert_string_equal(s[i], buf);
	}
	assert_string_equal(aoms_arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(aoms_arena_strndup(a, "ab\0cd", 5), "ab");
	assert_string_equal(aoms_arena_strdup(a, ""), "");
	assert_null(aoms_arena_strndup(a, "x", SIZE_MAX));
	aoms_arena_free(NULL);
}

/* ---- libabi.h ---- */

static void test_libabi(void **state)
{
	struct aoms_libabi *lib = NULL;

	OK(aoms_libabi_new("libfoo.so.1", "x86_64", &lib));
	assert_string_equal(lib->soname, "libfoo.so.1");
	assert_string_equal(lib->arch, "x86_64");
	assert_null(lib->path);
	assert_null(lib->package);
	assert_false(lib->symbols_known);
	assert_false(aoms_libabi_has_symbol(lib, "foo", NULL));

	OK(aoms_libabi_add_verdef(lib, "FOO_1.0"));
	OK(aoms_libabi_add_verdef(lib, "FOO_1.0"));   /* no-op */
	OK(aoms_libabi_add_verdef(lib, "FOO_2.0"));
	assert_int_equal(lib->n_verdefs, 2);
	assert_true(aoms_libabi_has_verdef(lib, "FOO_1.0"));
	assert_true(aoms_libabi_has_verdef(lib, "FOO_2.0"));
	assert_false(aoms_libabi_has_verdef(lib, "FOO_1"));
	assert_false(aoms_libabi_has_verdef(lib, "FOO_3.0"));

	OK(aoms_libabi_add_symbol(lib, "foo", "FOO_1.0"));
	OK(aoms_libabi_add_symbol(lib, "foo", "FOO_2.0"));
	OK(aoms_libabi_add_symbol(lib, "bar", "FOO_2.0"));
	OK(aoms_libabi_add_symbol(lib, "plain", NULL));
	OK(aoms_libabi_add_symbol(lib, "empty", ""));
	assert_true(lib->symbols_known);

	static const struct { const char *name, *version; bool want; } t[] = {
		{ "foo", "FOO_1.0", true },
		{ "foo", "FOO_2.0", true },
		{ "foo", NULL, true },          /* any version */
		{ "foo", "", true },            /* "" is NULL */
		{ "foo", "FOO_3.0", false },
		{ "bar", "FOO_2.0", true },
		{ "bar", "FOO_1.0", false },    /* a different version */
		{ "bar", NULL, true },
		{ "plain", NULL, true },
		{ "plain", "FOO_1.0", false },
		{ "empty", NULL, true },
		{ "empty", "FOO_1.0", false },
		{ "nothere", NULL, false },
		{ "nothere", "FOO_1.0", false },
		{ "fo", NULL, false },
		{ "FOO_1.0", NULL, false },     /* version names are not symbols */
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (aoms_libabi_has_symbol(lib, t[i].name, t[i].version) != t[i].want)
			fail_msg("has_symbol(%s, %s) != %d", t[i].name,
				 t[i].version ? t[i].version : "NULL", t[i].want);

	OK(aoms_libabi_add_needed(lib, "libc.so.6"));
	OK(aoms_libabi_add_needed(lib, "libm.so.6"));
	assert_int_equal(lib->n_needed, 2);
	assert_string_equal(lib->needed[1], "libm.so.6");
	OK(aoms_libabi_set_path(lib, "/usr/lib64/libfoo.so.1"));
	OK(aoms_libabi_set_path(lib, "/opt/libfoo.so.1"));
	assert_string_equal(lib->path, "/opt/libfoo.so.1");
	OK(aoms_libabi_set_package(lib, "foo"));
	assert_string_equal(lib->package, "foo");
	OK(aoms_libabi_set_package(lib, NULL));
	assert_null(lib->package);
	aoms_libabi_free(lib);

	OK(aoms_libabi_new("libnoarch.so", NULL, &lib));
	assert_null(lib->arch);
	aoms_libabi_free(lib);
	aoms_libabi_free(NULL);
}

static void test_symkey(void **state)
{
	/* stable: database files and scanners must agree */
	assert_int_equal(aoms_symkey("foo", NULL), aoms_symkey("foo", ""));
	assert_int_not_equal(aoms_symkey("foo", NULL), aoms_symkey("foo", "V"));
	/* "name\0version" is not "nameversion" */
	assert_int_not_equal(aoms_symkey("ab", "c"), aoms_symkey("abc", NULL));
	assert_int_not_equal(aoms_symkey("a", "bc"), aoms_symkey("ab", "c"));
	assert_int_not_equal(aoms_symkey("", NULL), 0);
	assert_int_equal(aoms_fnv64(AOMS_FNV64_INIT, "", 0), AOMS_FNV64_INIT);
	/* FNV-1a 64 of "a" (published test vector) */
	assert_int_equal(aoms_fnv64(AOMS_FNV64_INIT, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
}

#define N_SYMS 100000

static void test_symset(void **state)
{
	struct aoms_symset set = { 0 };

	assert_false(aoms_symset_contains(&set, 42));
	for (int round = 0; round < 2; round++)   /* the second round re-adds: no-ops */
		for (uint64_t i = 0; i < N_SYMS; i++) {
			char name[32];

			snprintf(name, sizeof(name), "sym_%" PRIu64, i);
			OK(aoms_symset_add(&set, aoms_symkey(name, i % 3 ? "V_1" : NULL)));
		}
	assert_int_equal(set.len, N_SYMS);
	assert_int_equal(set.cap & (set.cap - 1), 0);   /* power of two */
	assert_true(set.len * 4 <= set.cap * 3);
	for (uint64_t i = 0; i < N_SYMS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "sym_%" PRIu64, i);
		assert_true(aoms_symset_contains(&set, aoms_symkey(name, i % 3 ? "V_1" : NULL)));
		assert_false(aoms_symset_contains(&set, aoms_symkey(name, "V_2")));
		snprintf(name, sizeof(name), "other_%" PRIu64, i);
		assert_false(aoms_symset_contains(&set, aoms_symkey(name, NULL)));
	}
	/* raw keys: sequential ones fill a run of slots; keys equal in their low bits
	 * all probe from one slot (callers are expected to pass aoms_symkey()'s mixed
	 * hashes: 10^5 such keys would take quadratic time) */
	aoms_symset_release(&set);
	assert_false(aoms_symset_contains(&set, 1));
	for (uint64_t k = 1; k <= N_SYMS; k++)
		OK(aoms_symset_add(&set, k));
	for (uint64_t k = 1; k <= 2000; k++)
		OK(aoms_symset_add(&set, k << 40));
	assert_int_equal(set.len, N_SYMS + 2000);
	for (uint64_t k = 1; k <= N_SYMS; k++) {
		assert_true(aoms_symset_contains(&set, k));
		assert_false(aoms_symset_contains(&set, k + N_SYMS));
	}
	for (uint64_t k = 1; k <= 2000; k++) {
		assert_true(aoms_symset_contains(&set, k << 40));
		assert_false(aoms_symset_contains(&set, (k << 40) + (UINT64_C(1) << 39)));
	}
	/* 0 marks an empty slot: the key 0 is stored as 1 */
	OK(aoms_symset_add(&set, 0));
	assert_true(aoms_symset_contains(&set, 0));
	aoms_symset_release(&set);
	assert_int_equal(set.len, 0);
}

/* ---- strbuf.h ---- */

static void test_strbuf(void **state)
{
	_cleanup_(aoms_strbuf_releasep) struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	_cleanup_(freep) char *want = NULL;
	char *s;
	size_t wlen = 0;

	assert_string_equal(aoms_strbuf_str(&sb), "");
	s = aoms_strbuf_detach(&sb);
	assert_non_null(s);   /* empty: a heap "" */
	assert_string_equal(s, "");
	free(s);

	/* growth across many reallocations, compared with a reference built alike */
	want = calloc(1, 1 << 20);
	assert_non_null(want);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(want + wlen, (1 << 20) - wlen, "[%d:%s]", i, i % 7 ? "x" : "longer-text");

		wlen += (size_t)n;
		OK(aoms_strbuf_addf(&sb, "[%d:%s]", i, i % 7 ? "x" : "longer-text"));
		assert_int_equal(sb.len, wlen);
		assert_true(sb.alloc > sb.len);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	assert_string_equal(aoms_strbuf_str(&sb), want);

	/* one addf bigger than the whole buffer so far */
	aoms_strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(aoms_strbuf_str(&sb), "");
	OK(aoms_strbuf_addf(&sb, "%s|%s", want, want));
	assert_int_equal(sb.len, 2 * wlen + 1);
	assert_int_equal(sb.buf[wlen], '|');
	assert_memory_equal(sb.buf + wlen + 1, want, wlen);

	aoms_strbuf_release(&sb);
	OK(aoms_strbuf_addf(&sb, "%s", ""));
	assert_string_equal(aoms_strbuf_str(&sb), "");
	OK(aoms_strbuf_adds(&sb, "ab"));
	OK(aoms_strbuf_addc(&sb, 'c'));
	OK(aoms_strbuf_add(&sb, "d\0e", 3));
	assert_int_equal(sb.len, 6);
	assert_memory_equal(sb.buf, "abcd\0e", 7);
	s = aoms_strbuf_detach(&sb);
	assert_memory_equal(s, "abcd\0e", 7);
	free(s);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);

	s = aoms_strdupf("%s-%05d-%c", "abc", 42, 'z');
	assert_string_equal(s, "abc-00042-z");
	free(s);
	s = aoms_strdupf("%s", "");
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join_normalize),
		cmocka_unit_test(test_path_join_normalize_relative_dotdot),
		cmocka_unit_test(test_path_dirname),
		cmocka_unit_test(test_path_is_below),
		cmocka_unit_test(test_root_realpath),
		cmocka_unit_test(test_root_realpath_dotdot_after_symlink),
		cmocka_unit_test(test_root_join),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_libabi),
		cmocka_unit_test(test_symkey),
		cmocka_unit_test(test_symset),
		cmocka_unit_test(test_strbuf),
	};

	return cmocka_run_group_tests(tests, rootfs_setup, rootfs_teardown);
}
