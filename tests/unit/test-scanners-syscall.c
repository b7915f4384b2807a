/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scanners/syscall-table.c: the wrapper table is searched by bisection, so it must stay
 * sorted; every entry is found, names around them are not; the other curated lookups.
 * scanners/syscall-decode.c: the vector search for x86 candidate sites (SSE2 and, on a
 * host that has it, AVX2) finds exactly what a byte-by-byte reference finds, on random
 * code seeded with sites and near misses, for stubs near, far, spread and out of reach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "config.h"
#include "syscall-table.h"
#ifdef HAVE_CAPSTONE
#include "syscall-decode-private.h"
#endif

static void test_imports(void **state)
{
	const char *name, *prev = NULL;
	size_t n = 0;

	for (; (name = aoms_syscall_import_at(n)); n++) {
		if (prev && strcmp(prev, name) >= 0)
			fail_msg("wrapper table out of order: '%s' before '%s'", prev, name);
		assert_non_null(aoms_syscall_of_import(name));
		prev = name;
	}
	assert_true(n > 30);
	assert_string_equal(aoms_syscall_of_import("getrandom"), "getrandom");
	assert_string_equal(aoms_syscall_of_import("statx"), "statx");
	assert_null(aoms_syscall_of_import(""));
	assert_null(aoms_syscall_of_import("read"));
	assert_null(aoms_syscall_of_import("statxx"));
	assert_null(aoms_syscall_of_import("aaa"));
	assert_null(aoms_syscall_of_import("zzz"));
}

static void test_facts(void **state)
{
	assert_string_equal(aoms_syscall_introduced("pidfd_open"), "5.3");
	assert_null(aoms_syscall_introduced("read"));
	assert_string_equal(aoms_syscall_name_new(434), "pidfd_open");
	assert_null(aoms_syscall_name_new(-5));
}

#ifdef HAVE_CAPSTONE
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static bool ref_is_site(const struct decoder *d, const uint8_t *c, size_t i, size_t size,
			uint64_t base)
{
	int32_t v;

	if (c[i] == 0x0f)
		return i + 2 <= size && c[i + 1] == 0x05;
	if ((c[i] == 0xe8 || c[i] == 0xe9) && d->n_stubs && i + 5 <= size) {
		memcpy(&v, c + i + 1, 4);
		for (size_t k = 0; k < d->n_stubs; k++)
			if (d->stubs[k].addr == base + i + 5 + (uint64_t)(int64_t)v)
				return true;
		return false;
	}
	if (c[i] == 0xff && d->syscall_got && i + 6 <= size && (c[i + 1] == 0x15 || c[i + 1] == 0x25)) {
		memcpy(&v, c + i + 2, 4);
		return base + i + 6 + (uint64_t)(int64_t)v == d->syscall_got;
	}
	return false;
}

/* Random bytes with sites and near misses: 0f 05, e8/e9 to a stub or beside it, ff
 * 15/25 through the slot or beside it. */
static void fill(uint8_t *c, size_t size, uint64_t base, const struct decoder *d)
{
	for (size_t i = 0; i < size; i++)
		c[i] = (uint8_t)next_rand();
	for (size_t n = size / 40; n-- > 0;) {
		size_t i = next_rand() % size;
		uint32_t kind = next_rand() % 5;
		int64_t miss = (next_rand() % 3 == 0) ? 0 : (int64_t[]){ 1, -1, 256, 1 << 16, -(1 << 16), 1 << 24 }[next_rand() % 6];
		int32_t v;

		if (kind == 0 && i + 2 <= size) {
			c[i] = 0x0f;
			c[i + 1] = 0x05;
		} else if (kind <= 2 && d->n_stubs && i + 5 <= size) {
			c[i] = kind == 1 ? 0xe8 : 0xe9;
			v = (int32_t)(d->stubs[next_rand() % d->n_stubs].addr + (uint64_t)miss - (base + i + 5));
			memcpy(c + i + 1, &v, 4);
		} else if (d->syscall_got && i + 6 <= size) {
			c[i] = 0xff;
			c[i + 1] = kind == 3 ? 0x15 : 0x25;
			v = (int32_t)(d->syscall_got + (uint64_t)miss - (base + i + 6));
			memcpy(c + i + 2, &v, 4);
		}
	}
}

static void compare(struct decoder *d, const uint8_t *c, size_t size, uint64_t base)
{
	size_t want = 0, got = 0;

	for (size_t at = 0;; at = got + 1) {
		while (want < size && !ref_is_site(d, c, want, size, base))
			want++;
		got = aoms_sysdec_x86_next_site(d, c, at, size, base);
		if (got != want)
			fail_msg("size %zu base %#llx avx2 %d: site at %zu, the reference has %zu",
				 size, (unsigned long long)base, d->avx2, got, want);
		if (got >= size)
			break;
		want++;
	}
}

static void test_vector_search(void **state)
{
	static const uint64_t bases[] = { 0x1000, 0x40001000, 0x7fff0000ull };
	struct stub near1[] = { { 0x800, 0x810, STUB_C } };
	struct stub spread[] = { { 0x900, 0x940, STUB_GO }, { 0x2000000, 0x2000100, STUB_GO },
				 { 0x9000000, 0x9000010, STUB_GO } };
	struct stub far[] = { { 0x300000000ull, 0x300000010ull, STUB_C } };
	struct { struct stub *s; size_t n; uint64_t got; } sets[] = {
		{ near1, 1, 0x3fc8 }, { spread, 3, 0 }, { far, 1, 0x40000000 }, { NULL, 0, 0x3fc8 },
		{ NULL, 0, 0 },
	};
	/* 200003: several of the search's 32 KiB filter windows */
	size_t sizes[] = { 0, 1, 2, 5, 17, 19, 20, 21, 36, 37, 38, 39, 63, 64, 65, 4096, 65536 + 7, 200003 };
	uint8_t *c = malloc(200003 + 64);

	assert_non_null(c);
	for (size_t t = 0; t < sizeof(sets) / sizeof(*sets); t++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(*bases); b++)
			for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++) {
				struct decoder d = { .x86 = true, .stubs = sets[t].s, .n_stubs = sets[t].n,
						     .syscall_got = sets[t].got };

				if (d.n_stubs) {
					d.stub_lo = d.stubs[0].addr;
					d.stub_hi = d.stubs[d.n_stubs - 1].addr;
				}
				fill(c, sizes[z], bases[b], &d);
				compare(&d, c, sizes[z], bases[b]);
#if defined(__x86_64__)
				d.avx2 = __builtin_cpu_supports("avx2");
				compare(&d, c, sizes[z], bases[b]);
#endif
			}
	free(c);
}
#else
static void test_vector_search(void **state)
{
	skip();
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imports),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_vector_search),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
