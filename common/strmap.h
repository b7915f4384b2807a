/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A string-keyed hash map (open addressing). Keys are not copied: they must
 * outlive the map. Not thread-safe for writers; concurrent readers are fine once
 * writing stopped.
 */
#pragma once

#include <stddef.h>
#include "aoms-macro.h"

struct aoms_strmap {
	struct aoms_strmap_slot { const char *key; void *value; } *slots;
	size_t cap, len;
};

#define AOMS_STRMAP_INIT { NULL, 0, 0 }

/* Inserts or replaces. 0 or -ENOMEM. */
int aoms_strmap_put(struct aoms_strmap *m, const char *key, void *value);
/* The value, or NULL when absent. */
void *aoms_strmap_get(const struct aoms_strmap *m, const char *key);
void aoms_strmap_release(struct aoms_strmap *m);
