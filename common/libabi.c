/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "libabi.h"

uint64_t aoms_symkey(const char *name, const char *version)
{
	uint64_t h = aoms_fnv64(AOMS_FNV64_INIT, name, strlen(name));

	if (version && *version) {
		h = aoms_fnv64(h, "", 1);
		h = aoms_fnv64(h, version, strlen(version));
	}
	h = aoms_hash_mix(h);
	return h ? h : 1;
}

static int symset_grow(struct aoms_symset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < set->cap; i++) {
		uint64_t k = set->slots[i];
		size_t j;

		if (!k)
			continue;
		for (j = k & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = k;
	}
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

int aoms_symset_add(struct aoms_symset *set, uint64_t key)
{
	size_t j;

	if (!key)
		key = 1;
	if ((set->len + 1) * 4 > set->cap * 3) {
		int r = symset_grow(set);
		if (r < 0)
			return r;
	}
	for (j = key & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
		if (set->slots[j] == key)
			return 0;
	set->slots[j] = key;
	set->len++;
	return 0;
}

bool aoms_symset_contains(const struct aoms_symset *set, uint64_t key)
{
	if (!set->cap)
		return false;
	if (!key)
		key = 1;
	for (size_t j = key & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
		if (set->slots[j] == key)
			return true;
	return false;
}

void aoms_symset_release(struct aoms_symset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->cap = set->len = 0;
}

int aoms_libabi_new(const char *soname, const char *arch, struct aoms_libabi **ret)
{
	struct aoms_libabi *lib = calloc(1, sizeof(*lib));

	if (!lib)
		return -ENOMEM;
	lib->soname = strdup(soname);
	lib->arch = arch ? strdup(arch) : NULL;
	if (!lib->soname || (arch && !lib->arch)) {
		aoms_libabi_free(lib);
		return -ENOMEM;
	}
	*ret = lib;
	return 0;
}

static void strarray_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void aoms_libabi_free(struct aoms_libabi *lib)
{
	if (!lib)
		return;
	free(lib->soname);
	free(lib->arch);
	free(lib->path);
	free(lib->package);
	strarray_free(lib->verdefs, lib->n_verdefs);
	strarray_free(lib->needed, lib->n_needed);
	aoms_symset_release(&lib->syms);
	free(lib);
}

static int set_str(char **dst, const char *s)
{
	char *c = s ? strdup(s) : NULL;

	if (s && !c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

int aoms_libabi_set_path(struct aoms_libabi *lib, const char *path)
{
	return set_str(&lib->path, path);
}

int aoms_libabi_set_package(struct aoms_libabi *lib, const char *package)
{
	return set_str(&lib->package, package);
}

static int strarray_push(char ***v, size_t *n, const char *s)
{
	char **nv;
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(c);
		return -ENOMEM;
	}
	nv[(*n)++] = c;
	*v = nv;
	return 0;
}

bool aoms_libabi_has_verdef(const struct aoms_libabi *lib, const char *version)
{
	for (size_t i = 0; i < lib->n_verdefs; i++)
		if (strcmp(lib->verdefs[i], version) == 0)
			return true;
	return false;
}

int aoms_libabi_add_verdef(struct aoms_libabi *lib, const char *version)
{
	if (aoms_libabi_has_verdef(lib, version))
		return 0;
	return strarray_push(&lib->verdefs, &lib->n_verdefs, version);
}

int aoms_libabi_add_needed(struct aoms_libabi *lib, const char *soname)
{
	return strarray_push(&lib->needed, &lib->n_needed, soname);
}

int aoms_libabi_add_symbol(struct aoms_libabi *lib, const char *name, const char *version)
{
	int r;

	lib->symbols_known = true;
	r = aoms_symset_add(&lib->syms, aoms_symkey(name, NULL));
	if (r < 0 || !version || !*version)
		return r;
	return aoms_symset_add(&lib->syms, aoms_symkey(name, version));
}

bool aoms_libabi_has_symbol(const struct aoms_libabi *lib, const char *name, const char *version)
{
	return aoms_symset_contains(&lib->syms, aoms_symkey(name, version));
}
