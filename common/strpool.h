/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A thread-safe string interner. Thousands of ELF objects import the same names
 * (printf, pthread_create, the same mangled C++ names): keeping each once is what
 * keeps a scan of /usr under 100 MB. Strings live until the pool is freed.
 */
#pragma once

#include <stddef.h>
#include "aoms-macro.h"

struct aoms_strpool;

/* 0 or -ENOMEM. */
int aoms_strpool_new(struct aoms_strpool **ret);
/* Accepts NULL. */
void aoms_strpool_free(struct aoms_strpool *p);
DEFINE_FREE_FUNC(struct aoms_strpool, aoms_strpool_free)

/* The pool's copy of s (NUL-terminated); NULL on -ENOMEM. Safe from any thread. */
const char *aoms_strpool_intern(struct aoms_strpool *p, const char *s);
