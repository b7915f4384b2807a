/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A bump allocator for many small strings and arrays that die together (one ELF
 * model's names). Pointers stay valid until aoms_arena_free(): blocks never move.
 */
#pragma once

#include <stddef.h>
#include "aoms-macro.h"

struct aoms_arena;

/* 0 or -ENOMEM. */
int aoms_arena_new(struct aoms_arena **ret);
/* Accepts NULL. */
void aoms_arena_free(struct aoms_arena *a);
DEFINE_FREE_FUNC(struct aoms_arena, aoms_arena_free)

/* size bytes aligned for any object, zeroed; NULL on -ENOMEM. */
void *aoms_arena_alloc(struct aoms_arena *a, size_t size);
/* A NUL-terminated copy of len bytes of s; NULL on -ENOMEM. */
char *aoms_arena_strndup(struct aoms_arena *a, const char *s, size_t len);
char *aoms_arena_strdup(struct aoms_arena *a, const char *s);
/* Bytes handed out, for memory accounting. */
size_t aoms_arena_used(const struct aoms_arena *a);
