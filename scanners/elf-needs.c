/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The highest version an ELF object needs per family of version nodes (elf-needs.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "elf-needs.h"

static const struct {
	const char *prefix;
	const char *key;
} elf_need_families[] = {
	{ "GLIBC_", "glibc" },
	{ "GLIBCXX_", "glibcxx" },
	{ "CXXABI_", "cxxabi" },
	{ "GCC_", "gcc" },
	{ "OPENSSL_", "openssl" },
	{ "ZLIB_", "zlib" },
};

#define ELF_NEED_VERSION_MAX 64

const char *aoms_elf_need_family(const char *node, char *buf, size_t n)
{
	for (size_t i = 0; node && i < ARRAY_SIZE(elf_need_families); i++) {
		size_t plen = strlen(elf_need_families[i].prefix), len;
		const char *v = node + plen;

		if (strncmp(node, elf_need_families[i].prefix, plen) != 0)
			continue;
		len = strlen(v);
		if (!isdigit((unsigned char)v[0]) || len >= n)
			return NULL;
		for (size_t k = 0; k <= len; k++)
			buf[k] = v[k] == '_' && k > 0 && isdigit((unsigned char)v[k - 1]) &&
					 isdigit((unsigned char)v[k + 1])
					 ? '.'
					 : v[k];
		return elf_need_families[i].key;
	}
	return NULL;
}

int aoms_elf_needs_summarize(const struct aoms_elf_need *needs, size_t n,
			     struct aoms_file_summary *s)
{
	const char *best[ARRAY_SIZE(elf_need_families)] = { 0 };
	char buf[ARRAY_SIZE(elf_need_families)][ELF_NEED_VERSION_MAX];

	for (size_t i = 0; i < n; i++) {
		char v[ELF_NEED_VERSION_MAX];
		const char *key;

		if (needs[i].weak || !(key = aoms_elf_need_family(needs[i].version, v, sizeof(v))))
			continue;
		for (size_t f = 0; f < ARRAY_SIZE(elf_need_families); f++) {
			if (strcmp(key, elf_need_families[f].key) != 0)
				continue;
			if (!best[f] || strverscmp(v, best[f]) > 0) {
				memcpy(buf[f], v, strlen(v) + 1);
				best[f] = buf[f];
			}
			break;
		}
	}
	for (size_t f = 0; f < ARRAY_SIZE(elf_need_families); f++) {
		int r = best[f] ? aoms_file_summary_set_need(s, elf_need_families[f].key, best[f]) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}
