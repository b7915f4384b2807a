/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "strmap.h"

static size_t strmap_hash(const char *key)
{
	return (size_t)aoms_hash_mix(aoms_fnv64(AOMS_FNV64_INIT, key, strlen(key)));
}

static int strmap_grow(struct aoms_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct aoms_strmap_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->slots[i].key)
			continue;
		for (j = strmap_hash(m->slots[i].key) & (cap - 1); slots[j].key; j = (j + 1) & (cap - 1))
			;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int aoms_strmap_put(struct aoms_strmap *m, const char *key, void *value)
{
	size_t j;

	if ((m->len + 1) * 4 > m->cap * 3) {
		int r = strmap_grow(m);

		if (r < 0)
			return r;
	}
	for (j = strmap_hash(key) & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1))
		if (strcmp(m->slots[j].key, key) == 0) {
			m->slots[j].value = value;
			return 0;
		}
	m->slots[j].key = key;
	m->slots[j].value = value;
	m->len++;
	return 0;
}

void *aoms_strmap_get(const struct aoms_strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t j = strmap_hash(key) & (m->cap - 1); m->slots[j].key; j = (j + 1) & (m->cap - 1))
		if (strcmp(m->slots[j].key, key) == 0)
			return m->slots[j].value;
	return NULL;
}

void aoms_strmap_release(struct aoms_strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}
