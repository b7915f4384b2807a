/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A kernel's BTF indexed by essential type name, and the CO-RE relocation check
 * against it (bpf-core.h): libbpf's candidate rules (same kind, enum and enum64
 * alike, names compared without "___flavor"), then the field path member by
 * member through typedefs and modifiers, searching anonymous struct/union members
 * as libbpf's bpf_core_match_member() does. Field type compatibility (libbpf's
 * bpf_core_fields_are_compat()) is not judged: a field that exists with another
 * type is taken as present.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "bpf-core.h"
#include "bpf-object.h"
#include "config.h"
#include "strbuf.h"
#include "strmap.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#endif
#if defined(HAVE_LIBBPF) && defined(LIBBPF_MAJOR_VERSION) && LIBBPF_MAJOR_VERSION >= 1
#define CORE_HAVE_LIBBPF 1
#endif

/* How deep and how many anonymous members are searched for one name (a hostile BTF
 * may nest a struct in itself, twice per level). */
#define CORE_ANON_DEPTH 32
#define CORE_ANON_BUDGET 4096

#ifdef CORE_HAVE_LIBBPF

struct aoms_bpf_btf_index {
	struct btf *btf;
	struct aoms_arena *arena; /* essential names that needed a copy */
	struct aoms_strmap first; /* essential name -> first type id (as pointer) */
	uint32_t *next;           /* next type id of the same essential name, 0: end */
	uint32_t n;
};

void aoms_bpf_btf_index_free(struct aoms_bpf_btf_index *x)
{
	if (!x)
		return;
	btf__free(x->btf);
	aoms_strmap_release(&x->first);
	aoms_arena_free(x->arena);
	free(x->next);
	free(x);
}

/* The kinds a CO-RE relocation's local type can have. */
static bool index_kind(unsigned kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_TYPEDEF: case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_FWD:
		return true;
	default:
		return false;
	}
}

static int index_build(struct aoms_bpf_btf_index *x)
{
	x->n = btf__type_cnt(x->btf);
	x->next = calloc(x->n ? x->n : 1, sizeof(*x->next));
	if (!x->next || aoms_arena_new(&x->arena) < 0)
		return -ENOMEM;
	/* backwards, so that each chain runs in id order */
	for (uint32_t id = x->n; id-- > 1;) {
		const struct btf_type *t = btf__type_by_id(x->btf, id);
		const char *name = t ? btf__name_by_offset(x->btf, t->name_off) : NULL;
		size_t len;
		const char *key;

		/* functions, variables and tags (half of a vmlinux) are never candidates */
		if (!t || !index_kind(btf_kind(t)) || !name || !*name)
			continue;
		len = aoms_bpf_core_essential_len(name);
		key = name[len] ? aoms_arena_strndup(x->arena, name, len) : name;
		if (!key)
			return -ENOMEM;
		x->next[id] = (uint32_t)(uintptr_t)aoms_strmap_get(&x->first, key);
		if (aoms_strmap_put(&x->first, key, (void *)(uintptr_t)id) < 0)
			return -ENOMEM;
	}
	return 0;
}

int aoms_bpf_btf_index_new(const void *data, size_t size, struct aoms_bpf_btf_index **ret,
			   char **ret_reason)
{
	struct aoms_bpf_btf_index *x;
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	r = aoms_bpf_btf_new(data, size, "the kernel's", &x->btf, ret_reason);
	if (r < 0) {
		aoms_bpf_btf_index_free(x);
		return r;
	}
	r = index_build(x);
	if (r < 0) {
		aoms_bpf_btf_index_free(x);
		return r;
	}
	*ret = x;
	return 0;
}

static bool kinds_compatible(unsigned local, unsigned target)
{
	bool le = local == BTF_KIND_ENUM || local == BTF_KIND_ENUM64;
	bool te = target == BTF_KIND_ENUM || target == BTF_KIND_ENUM64;

	return local == target || (le && te);
}

static const struct btf_type *match_skip(const struct btf *btf, uint32_t id)
{
	int r = btf__resolve_type(btf, id);

	return r < 0 ? NULL : btf__type_by_id(btf, (uint32_t)r);
}

/* The type of member name of composite t, searching anonymous members; 0: none. */
static uint32_t match_member(const struct btf *btf, const struct btf_type *t, const char *name,
			     unsigned depth, unsigned *budget)
{
	const struct btf_member *m = btf_members(t);

	if (depth > CORE_ANON_DEPTH || *budget == 0)
		return 0;
	--*budget;
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		const struct btf_type *mt;
		uint32_t hit;

		if (!n)
			continue;
		if (*n) {
			if (strcmp(n, name) == 0)
				return m->type ? m->type : UINT32_MAX;
			continue;
		}
		mt = match_skip(btf, m->type);
		if (mt && btf_is_composite(mt) && (hit = match_member(btf, mt, name, depth + 1, budget)))
			return hit;
	}
	return 0;
}

/* How many steps of r's path candidate id has (r->n_steps: all). */
static size_t match_steps(const struct btf *btf, uint32_t id, const struct aoms_bpf_core_relo *r)
{
	const struct btf_type *t = match_skip(btf, id);

	for (size_t i = 0; i < r->n_steps; i++) {
		const struct aoms_bpf_core_step *s = &r->steps[i];
		uint32_t mid;
		unsigned budget = CORE_ANON_BUDGET;

		if (!t)
			return i;
		if (s->name) {
			if (!btf_is_composite(t) || !(mid = match_member(btf, t, s->name, 0, &budget)))
				return i;
			t = mid == UINT32_MAX ? NULL : match_skip(btf, mid);
		} else {
			const struct btf_array *a;

			if (!btf_is_array(t))
				return i;
			a = btf_array(t);
			if (a->nelems && s->index >= a->nelems)
				return i;
			t = match_skip(btf, a->type);
		}
	}
	return r->n_steps;
}

static bool match_enumval(const struct btf *btf, const struct btf_type *t, const char *name)
{
	size_t len = aoms_bpf_core_essential_len(name);

	for (unsigned i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(btf, btf_is_enum(t) ? btf_enum(t)[i].name_off
								      : btf_enum64(t)[i].name_off);

		if (n && aoms_bpf_core_essential_len(n) == len && strncmp(n, name, len) == 0)
			return true;
	}
	return false;
}

enum aoms_bpf_core_result aoms_bpf_core_match(const struct aoms_bpf_btf_index *x,
					      const struct aoms_bpf_core_relo *r,
					      const char **ret_missing)
{
	size_t len = aoms_bpf_core_essential_len(r->type), best = 0;
	/* a copy only for a flavored name ("task_struct___old") */
	_cleanup_(freep) char *copy = r->type[len] ? strndup(r->type, len) : NULL;
	const char *key = r->type[len] ? copy : r->type;
	bool typed = false;
	uint32_t id;

	if (r->error || !*r->type || r->kind == AOMS_CORE_TYPE_ID_LOCAL || !key)
		return AOMS_CORE_NOT_CHECKED;
	for (id = (uint32_t)(uintptr_t)aoms_strmap_get(&x->first, key); id && id < x->n;
	     id = x->next[id]) {
		const struct btf_type *t = btf__type_by_id(x->btf, id);
		size_t got;

		if (!t || !kinds_compatible(r->type_kind, btf_kind(t)))
			continue;
		typed = true;
		if (r->enumval) {
			if (btf_is_any_enum(t) && match_enumval(x->btf, t, r->enumval))
				return AOMS_CORE_OK;
			continue;
		}
		if (r->kind > AOMS_CORE_FIELD_RSHIFT_U64)
			return AOMS_CORE_OK;   /* type relocations: a candidate is enough */
		got = match_steps(x->btf, id, r);
		if (got == r->n_steps)
			return AOMS_CORE_OK;
		best = got > best ? got : best;
	}
	if (!typed)
		return AOMS_CORE_TYPE_MISSING;
	if (r->enumval)
		return AOMS_CORE_ENUMVAL_MISSING;
	if (ret_missing) {
		*ret_missing = NULL;
		for (size_t i = best; i < r->n_steps && !*ret_missing; i++)
			*ret_missing = r->steps[i].name;
	}
	return AOMS_CORE_FIELD_MISSING;
}

#else

struct aoms_bpf_btf_index {
	int unused;
};

void aoms_bpf_btf_index_free(struct aoms_bpf_btf_index *x)
{
	free(x);
}

int aoms_bpf_btf_index_new(const void *data, size_t size, struct aoms_bpf_btf_index **ret,
			   char **ret_reason)
{
	(void)data, (void)size, (void)ret;
	if (ret_reason)
		*ret_reason = NULL;
	return -EOPNOTSUPP;
}

enum aoms_bpf_core_result aoms_bpf_core_match(const struct aoms_bpf_btf_index *x,
					      const struct aoms_bpf_core_relo *r,
					      const char **ret_missing)
{
	(void)x, (void)r, (void)ret_missing;
	return AOMS_CORE_NOT_CHECKED;
}

#endif
