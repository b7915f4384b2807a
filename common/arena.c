/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"

#define ARENA_BLOCK 4096

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct aoms_arena {
	struct arena_block *head;
	size_t total;
};

int aoms_arena_new(struct aoms_arena **ret)
{
	struct aoms_arena *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	*ret = a;
	return 0;
}

void aoms_arena_free(struct aoms_arena *a)
{
	if (!a)
		return;
	while (a->head) {
		struct arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
	free(a);
}

void *aoms_arena_alloc(struct aoms_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_block *b = a->head;
	size_t off;

	if (size > SIZE_MAX / 2)
		return NULL;
	off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || off + size > b->size) {
		/* Large requests get a block of their own behind the current one, so the
		 * current block's free tail is not thrown away. */
		size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		struct arena_block *nb = malloc(sizeof(*nb) + bsize);

		if (!nb)
			return NULL;
		nb->size = bsize;
		nb->used = 0;
		if (b && bsize != ARENA_BLOCK) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
		off = 0;
	}
	b->used = off + size;
	a->total += size;
	memset(b->data + off, 0, size);
	return b->data + off;
}

char *aoms_arena_strndup(struct aoms_arena *a, const char *s, size_t len)
{
	char *p = len == SIZE_MAX ? NULL : aoms_arena_alloc(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *aoms_arena_strdup(struct aoms_arena *a, const char *s)
{
	return aoms_arena_strndup(a, s, strlen(s));
}

size_t aoms_arena_used(const struct aoms_arena *a)
{
	return a->total;
}
