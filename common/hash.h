/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stable, platform-independent hashes: finding keys and symbol sets depend on them. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define AOMS_FNV64_INIT UINT64_C(0xcbf29ce484222325)

/* FNV-1a 64 over len bytes, continuing from h (start with AOMS_FNV64_INIT). */
static inline uint64_t aoms_fnv64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A final avalanche so that FNV's weak low bits do not cluster open-addressed tables. */
static inline uint64_t aoms_hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}
