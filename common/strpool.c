/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "hash.h"
#include "strmap.h"
#include "strpool.h"

/* Striped by hash so that worker threads rarely wait on each other. */
#define STRIPES 64

struct aoms_strpool {
	struct stripe {
		pthread_mutex_t lock;
		struct aoms_strmap map;
		struct aoms_arena *arena;
	} stripes[STRIPES];
};

int aoms_strpool_new(struct aoms_strpool **ret)
{
	struct aoms_strpool *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < STRIPES; i++) {
		pthread_mutex_init(&p->stripes[i].lock, NULL);
		if (aoms_arena_new(&p->stripes[i].arena) < 0) {
			aoms_strpool_free(p);
			return -ENOMEM;
		}
	}
	*ret = p;
	return 0;
}

void aoms_strpool_free(struct aoms_strpool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < STRIPES; i++) {
		aoms_strmap_release(&p->stripes[i].map);
		aoms_arena_free(p->stripes[i].arena);
		pthread_mutex_destroy(&p->stripes[i].lock);
	}
	free(p);
}

const char *aoms_strpool_intern(struct aoms_strpool *p, const char *s)
{
	size_t len = strlen(s);
	struct stripe *st = &p->stripes[aoms_hash_mix(aoms_fnv64(AOMS_FNV64_INIT, s, len)) % STRIPES];
	const char *found;
	char *copy = NULL;

	pthread_mutex_lock(&st->lock);
	found = aoms_strmap_get(&st->map, s);
	if (!found) {
		copy = aoms_arena_strndup(st->arena, s, len);
		if (copy && aoms_strmap_put(&st->map, copy, copy) < 0)
			copy = NULL;
		found = copy;
	}
	pthread_mutex_unlock(&st->lock);
	return found;
}
