/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CO-RE record parser and matcher (scanners/bpf-core.h) on BTF made here with
 * libbpf's writer API and .BTF.ext bytes laid out by hand: names resolved, flavors
 * and anonymous members matched, and hostile records (past the section, bad type
 * ids, huge or too many indexes, unknown kinds, a typedef loop, a struct nesting
 * itself anonymously) a reason each, never a crash. Real objects:
 * tests/e2e/test-bpf-core.sh.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bpf-core.h"
#include "config.h"
#include "testutil.h"

#if defined(HAVE_LIBBPF)
#include <bpf/btf.h>
#endif

#if defined(HAVE_LIBBPF) && defined(LIBBPF_MAJOR_VERSION) && LIBBPF_MAJOR_VERSION >= 1

/* The object's BTF: ids and string offsets the records below use. */
struct local {
	struct btf *btf;
	int s, s_v2, outer, nest, e, loop1, sec, acc[16];
};

static const char *const accesses[] = {
	"0:0", "0:1", "0:2", "0:2:3", "0", "1", "0:9", "0:4294967296", "0:", "x", "0::1",
	"0:0:0", "0:0:2:1",
};

static void local_build(struct local *l)
{
	int i32, anon, arr, t2;
	struct btf *b = btf__new_empty();

	assert_non_null(b);
	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	l->s = btf__add_struct(b, "s", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "b", i32, 32, 0);
	l->s_v2 = btf__add_struct(b, "s___v2", 8);
	btf__add_field(b, "a", i32, 0, 0);
	btf__add_field(b, "c", i32, 32, 0);
	anon = btf__add_struct(b, NULL, 4);
	btf__add_field(b, "inner", i32, 0, 0);
	arr = btf__add_array(b, i32, i32, 4);
	l->outer = btf__add_struct(b, "outer", 20);
	btf__add_field(b, NULL, anon, 0, 0);
	btf__add_field(b, "other", i32, 32, 0);
	btf__add_field(b, "arr", arr, 64, 0);
	l->nest = btf__add_struct(b, "nest", 20);
	btf__add_field(b, "o", l->outer, 0, 0);
	l->e = btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "E_A", 0);
	btf__add_enum_value(b, "E_B___x", 1);
	/* typedef loop1 -> int, loop2 -> loop1; loop1 is pointed at loop2 in the bytes */
	l->loop1 = btf__add_typedef(b, "loop1", i32);
	t2 = btf__add_typedef(b, "loop2", l->loop1);
	assert_true(t2 == l->loop1 + 1);
	l->sec = btf__add_str(b, "kprobe/x");
	for (size_t i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++)
		l->acc[i] = btf__add_str(b, accesses[i]);
	l->btf = b;
}

/* The raw bytes of l's BTF, with the typedef loop closed: loop1's type -> loop2. */
static void *local_bytes(const struct local *l, uint32_t *size)
{
	const void *raw = btf__raw_data(l->btf, size);
	unsigned char *b = malloc(*size);
	uint32_t hdr, type_off, pos;

	assert_non_null(raw);
	memcpy(b, raw, *size);
	memcpy(&hdr, b + 4, 4);
	memcpy(&type_off, b + 8, 4);
	/* walk to loop1: ids before it are int, structs, array, enum (sizes by kind) */
	pos = hdr + type_off;
	for (int id = 1; id < l->loop1; id++) {
		uint32_t info, vlen, kind;

		memcpy(&info, b + pos + 4, 4);
		vlen = info & 0xffff;
		kind = (info >> 24) & 0x1f;
		pos += 12;
		pos += kind == BTF_KIND_INT ? 4 : kind == BTF_KIND_ARRAY ? 12
		       : kind == BTF_KIND_STRUCT ? 12 * vlen : kind == BTF_KIND_ENUM ? 8 * vlen : 0;
	}
	{
		uint32_t next = (uint32_t)l->loop1 + 1;

		memcpy(b + pos + 8, &next, 4);
	}
	return b;
}

struct rec {
	uint32_t type_id, acc, kind;
};

/* .BTF.ext with one CO-RE section of n records (rec_size 16). */
static unsigned char *ext_bytes(const struct local *l, const struct rec *r, size_t n, size_t *size)
{
	uint32_t len = (uint32_t)(4 + 8 + 16 * n);
	unsigned char *b = calloc(1, 32 + len);
	uint32_t v;

	b[0] = 0x9f, b[1] = 0xeb, b[2] = 1;
	v = 32, memcpy(b + 4, &v, 4);
	memcpy(b + 28, &len, 4);
	v = 16, memcpy(b + 32, &v, 4);
	v = (uint32_t)l->sec, memcpy(b + 36, &v, 4);
	v = (uint32_t)n, memcpy(b + 40, &v, 4);
	for (size_t i = 0; i < n; i++) {
		unsigned char *p = b + 44 + 16 * i;

		v = (uint32_t)(8 * i), memcpy(p, &v, 4);
		memcpy(p + 4, &r[i].type_id, 4);
		memcpy(p + 8, &r[i].acc, 4);
		memcpy(p + 12, &r[i].kind, 4);
	}
	*size = 32 + len;
	return b;
}

static struct aoms_bpf_core *parse(const struct local *l, const struct rec *r, size_t n)
{
	uint32_t bsize;
	size_t esize;
	void *bb = local_bytes(l, &bsize);
	unsigned char *eb = ext_bytes(l, r, n, &esize);
	struct aoms_bpf_core *c = NULL;
	char *reason = NULL;

	assert_int_equal(aoms_bpf_core_parse(bb, bsize, eb, esize, &c, &reason), 0);
	assert_null(reason);
	free(bb);
	free(eb);
	return c;
}

/* The target: s without b, outer with its anonymous member, e with E_A only, and a
 * struct that holds itself twice anonymously. */
static struct aoms_bpf_btf_index *target(void)
{
	struct btf *b = btf__new_empty();
	struct aoms_bpf_btf_index *x = NULL;
	const void *raw;
	uint32_t size;
	int i32, anon, arr, self;

	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	btf__add_struct(b, "s", 4);
	btf__add_field(b, "a", i32, 0, 0);
	anon = btf__add_union(b, NULL, 4);
	btf__add_field(b, "inner", i32, 0, 0);
	arr = btf__add_array(b, i32, i32, 8);
	btf__add_struct(b, "outer", 40);
	btf__add_field(b, "other", i32, 0, 0);
	btf__add_field(b, NULL, anon, 32, 0);
	btf__add_field(b, "arr", arr, 64, 0);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "E_A", 0);
	self = btf__add_struct(b, "selfish", 8);
	btf__add_field(b, NULL, self, 0, 0);
	btf__add_field(b, NULL, self, 32, 0);
	raw = btf__raw_data(b, &size);
	assert_int_equal(aoms_bpf_btf_index_new(raw, size, &x, NULL), 0);
	btf__free(b);
	return x;
}

static void test_core_resolve_and_match(void **state)
{
	struct local l;
	struct aoms_bpf_core *c;
	struct aoms_bpf_btf_index *x;
	const char *missing;

	(void)state;
	local_build(&l);
	{
		const struct rec r[] = {
			{ l.s, l.acc[0], AOMS_CORE_FIELD_BYTE_OFFSET },     /* s.a: ok */
			{ l.s, l.acc[1], AOMS_CORE_FIELD_BYTE_OFFSET },     /* s.b: missing */
			{ l.s_v2, l.acc[1], AOMS_CORE_FIELD_EXISTS },       /* s___v2.c: missing */
			{ l.s_v2, l.acc[0], AOMS_CORE_FIELD_BYTE_OFFSET },  /* s___v2.a: ok (flavor) */
			{ l.outer, l.acc[11], AOMS_CORE_FIELD_BYTE_OFFSET }, /* outer.inner (anon) */
			{ l.outer, l.acc[3], AOMS_CORE_FIELD_BYTE_OFFSET }, /* outer.arr[3] */
			{ l.e, l.acc[4], AOMS_CORE_ENUMVAL_EXISTS },        /* E_A */
			{ l.e, l.acc[5], AOMS_CORE_ENUMVAL_VALUE },         /* E_B___x: missing */
			{ l.s, l.acc[4], AOMS_CORE_TYPE_SIZE },             /* type s */
			{ l.s, l.acc[0], AOMS_CORE_FIELD_BYTE_OFFSET },     /* folded into the first */
		};

		c = parse(&l, r, sizeof(r) / sizeof(r[0]));
	}
	assert_int_equal(c->n_records, 10);
	assert_int_equal(c->n_relos, 9);
	assert_string_equal(c->relos[0].section, "kprobe/x");
	assert_string_equal(c->relos[0].path, "a");
	assert_int_equal(c->relos[0].count, 2);
	assert_string_equal(c->relos[2].type, "s___v2");
	assert_string_equal(c->relos[4].path, "inner");
	assert_string_equal(c->relos[5].path, "arr[3]");
	assert_string_equal(c->relos[7].enumval, "E_B___x");
	for (size_t i = 0; i < c->n_relos; i++)
		assert_null(c->relos[i].error);

	x = target();
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[0], NULL), AOMS_CORE_OK);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[1], &missing), AOMS_CORE_FIELD_MISSING);
	assert_string_equal(missing, "b");
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[2], &missing), AOMS_CORE_FIELD_MISSING);
	assert_string_equal(missing, "c");
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[3], NULL), AOMS_CORE_OK);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[4], NULL), AOMS_CORE_OK);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[5], NULL), AOMS_CORE_OK);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[6], NULL), AOMS_CORE_OK);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[7], NULL), AOMS_CORE_ENUMVAL_MISSING);
	assert_int_equal(aoms_bpf_core_match(x, &c->relos[8], NULL), AOMS_CORE_OK);

	/* a type the target lacks; a member searched through a self-nesting struct */
	{
		struct aoms_bpf_core_relo r = c->relos[0];
		struct aoms_bpf_core_step st = { "zzz", 0 };

		r.type = "nosuch___flavor";
		assert_int_equal(aoms_bpf_core_match(x, &r, NULL), AOMS_CORE_TYPE_MISSING);
		r.type = "selfish";
		r.steps = &st;
		assert_int_equal(aoms_bpf_core_match(x, &r, NULL), AOMS_CORE_FIELD_MISSING);
	}
	aoms_bpf_btf_index_free(x);
	aoms_bpf_core_free(c);

	/* a path of several named members and an element: "o.arr[1]" */
	{
		const struct rec r[] = { { l.nest, l.acc[12], AOMS_CORE_FIELD_BYTE_OFFSET } };

		c = parse(&l, r, 1);
	}
	assert_int_equal(c->n_relos, 1);
	assert_null(c->relos[0].error);
	assert_string_equal(c->relos[0].path, "o.arr[1]");
	assert_int_equal(c->relos[0].n_steps, 3);
	aoms_bpf_core_free(c);
	btf__free(l.btf);
}

/* Records that do not resolve: each its own reason, the others still read. */
static void test_core_bad_records(void **state)
{
	static const char *const want[] = {
		"is not in the object's BTF", "is not in the object's BTF",
		"lies outside the BTF strings", "member 9 of", "bad access string",
		"bad access string", "bad access string", "bad access string",
		"unknown relocation kind 99", "does not resolve", "no enum",
		"a type relocation accesses",
	};
	struct local l;
	struct aoms_bpf_core *c;

	(void)state;
	local_build(&l);
	{
		const struct rec r[] = {
			{ 0, l.acc[0], 0 },                      /* type id 0 (void) */
			{ 0x7fffffff, l.acc[0], 0 },             /* past the types */
			{ l.s, 0xfffffff0, 0 },                  /* access string outside */
			{ l.s, l.acc[6], 0 },                    /* "0:9": no member 9 */
			{ l.s, l.acc[7], 0 },                    /* an index over 32 bits */
			{ l.s, l.acc[8], 0 },                    /* "0:" */
			{ l.s, l.acc[9], 0 },                    /* "x" */
			{ l.s, l.acc[10], 0 },                   /* "0::1" */
			{ l.s, l.acc[0], 99 },                   /* unknown kind */
			{ l.loop1, l.acc[0], 0 },                /* typedef loop */
			{ l.s, l.acc[4], AOMS_CORE_ENUMVAL_VALUE }, /* enum relocation on a struct */
			{ l.s, l.acc[0], AOMS_CORE_TYPE_EXISTS },   /* type relocation with a path */
		};

		c = parse(&l, r, sizeof(r) / sizeof(r[0]));
	}
	assert_int_equal(c->n_relos, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < c->n_relos; i++) {
		assert_non_null(c->relos[i].error);
		if (!strstr(c->relos[i].error, want[i]))
			fail_msg("record %zu: '%s' lacks '%s'", i, c->relos[i].error, want[i]);
		assert_int_equal(aoms_bpf_core_match(NULL, &c->relos[i], NULL), AOMS_CORE_NOT_CHECKED);
	}
	aoms_bpf_core_free(c);
	btf__free(l.btf);
}

/* A header or layout that does not fit: -EBADMSG with a reason, nothing else. */
static void test_core_bad_ext(void **state)
{
	struct local l;
	const struct rec r[] = { { 0, 0, 0 } };
	uint32_t bsize, v;
	size_t esize;
	void *bb;
	unsigned char *eb;

	(void)state;
	local_build(&l);
	bb = local_bytes(&l, &bsize);
	eb = ext_bytes(&l, r, 1, &esize);
	for (int k = 0; k < 7; k++) {
		unsigned char *t = malloc(esize);
		size_t n = esize;
		struct aoms_bpf_core *c = NULL;
		char *reason = NULL;

		memcpy(t, eb, esize);
		switch (k) {
		case 0: t[0] = 0; break;                                   /* magic */
		case 1: v = 4096, memcpy(t + 4, &v, 4); break;             /* hdr_len */
		case 2: v = 0xfffffff0, memcpy(t + 28, &v, 4); break;      /* core_relo_len */
		case 3: v = 8, memcpy(t + 32, &v, 4); break;               /* record size */
		case 4: v = 1000000, memcpy(t + 40, &v, 4); break;         /* num_info */
		case 5: n = 20; break;                                     /* cut short */
		case 6: v = 0x7fffffff, memcpy(t + 24, &v, 4); break;      /* core_relo_off */
		}
		assert_int_equal(aoms_bpf_core_parse(bb, bsize, t, n, &c, &reason), -EBADMSG);
		assert_non_null(reason);
		assert_null(c);
		free(reason);
		free(t);
	}
	/* BTF that libbpf refuses */
	{
		struct aoms_bpf_core *c = NULL;
		char *reason = NULL;

		memset(bb, 0xff, 8);
		assert_int_equal(aoms_bpf_core_parse(bb, bsize, eb, esize, &c, &reason), -EBADMSG);
		assert_non_null(strstr(reason, "libbpf"));
		free(reason);
	}
	free(bb);
	free(eb);
	btf__free(l.btf);
}

#else

static void test_core_resolve_and_match(void **state)
{
	(void)state;
	skip();
}

static void test_core_bad_records(void **state)
{
	(void)state;
	skip();
}

static void test_core_bad_ext(void **state)
{
	(void)state;
	skip();
}

#endif

static void test_core_names(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(aoms_bpf_core_essential_len("task_struct___old"), 11);
	assert_int_equal(aoms_bpf_core_essential_len("a___b___c"), 5);
	assert_int_equal(aoms_bpf_core_essential_len("__x___"), 6);
	assert_int_equal(aoms_bpf_core_essential_len("x____y"), 6);
	assert_int_equal(aoms_bpf_core_essential_len(""), 0);
	assert_string_equal(aoms_bpf_core_kind_name(AOMS_CORE_FIELD_EXISTS, buf), "field_exists");
	assert_string_equal(aoms_bpf_core_kind_name(77, buf), "kind 77");
	assert_true(aoms_bpf_core_kind_is_probe(AOMS_CORE_TYPE_EXISTS));
	assert_false(aoms_bpf_core_kind_is_probe(AOMS_CORE_FIELD_BYTE_OFFSET));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_names),
		cmocka_unit_test(test_core_resolve_and_match),
		cmocka_unit_test(test_core_bad_records),
		cmocka_unit_test(test_core_bad_ext),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
