/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Platforms (private to scanners/): which C library an object is built for, whether
 * the hosts being migrated run it, and the tree's builds of one file for several
 * platforms ("twins": prebuilds/linux-x64/addon.node and prebuilds/linux-arm64/
 * addon.node), so that a build for another platform next to one for this platform
 * is "not for this platform" rather than a blocker.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "abidb.h"
#include "tree.h"

struct aoms_elf;

enum aoms_libc {
	AOMS_LIBC_NONE = 0,   /* no C library need seen (static, -nostdlib) */
	AOMS_LIBC_GLIBC,      /* ld-linux*, libc.so.6 */
	AOMS_LIBC_MUSL,       /* PT_INTERP /lib/ld-musl-*, libc.musl-*, or libc.so without
			       * any GLIBC_* version node */
	AOMS_LIBC_BIONIC,     /* Android's: PT_INTERP /system/bin/linker*, or libc.so
			       * beside libm.so, libdl.so, liblog.so, libandroid.so or
			       * libc++_shared.so */
};

/* How the migrated hosts relate to a build. */
enum aoms_platform_fit {
	AOMS_PLATFORM_NATIVE = 0,   /* an architecture being migrated, glibc or no libc */
	AOMS_PLATFORM_COMPAT,       /* runs there as a secondary ABI: i686 on x86_64 */
	AOMS_PLATFORM_FOREIGN,      /* another architecture, or musl */
};

/* The C library m is built for. */
enum aoms_libc aoms_platform_libc(const struct aoms_elf *m);
/* The C library for messages: "musl libc", "Android's Bionic libc", "glibc"; NULL for
 * none. */
const char *aoms_platform_libc_text(enum aoms_libc libc);

/* How a build for arch (NULL: an unknown machine) with libc fits hosts running the
 * n architectures arches. */
enum aoms_platform_fit aoms_platform_fit(const char *arch, enum aoms_libc libc,
					 const char *const *arches, size_t n);

/* Whether arch is an architecture name aoms knows (aoms_elf_arch()'s names). */
bool aoms_platform_arch_valid(const char *arch);

/*
 * The platform slot of path: the path with every platform word of each component
 * (linux, x64, x86_64, arm64, aarch64, musl, gnu, i686, ...; split at '-', '.', '_')
 * left out, lowercased, so that builds of one file for several platforms share it:
 * "/n/prebuilds/linux-arm64/addon.node" and "/n/prebuilds/linux-x64/addon.node" both
 * give "/n/prebuilds//addon.node". *ret_tagged says whether any word was left out
 * (without one, a path has no twins). Returns the slot (caller frees) or NULL on
 * -ENOMEM.
 */
char *aoms_platform_slot(const char *path, bool *ret_tagged);

/* The platforms of one scan: the migrated architectures and the index of the tree's
 * native builds by platform slot. Read-only once built; shared by check threads. */
struct aoms_platforms;

/*
 * Builds the platforms of a scan over t (sorted, fully read). arches (n of them,
 * copied) are the architectures the migrated hosts run; with n == 0 the default:
 * x86_64, and when db holds no x86_64 facts also every architecture it holds facts
 * for (meta "arches"). Returns 0 and *ret, -ENOMEM, or a negative errno
 * from db.
 */
int aoms_platforms_new(const struct aoms_tree *t, struct aoms_abidb *db,
		       const char *const *arches, size_t n, struct aoms_platforms **ret);
/* Accepts NULL. */
void aoms_platforms_free(struct aoms_platforms *p);
DEFINE_FREE_FUNC(struct aoms_platforms, aoms_platforms_free)

/* The migrated architectures (owned by p). p NULL: x86_64. */
const char *const *aoms_platforms_arches(const struct aoms_platforms *p, size_t *ret_n);
/* The tree's "*.dist-info/WHEEL" files in path order (owned by the tree; the array by
 * p). NULL and 0 for a NULL p. */
const struct aoms_file *const *aoms_platforms_wheels(const struct aoms_platforms *p,
						       size_t *ret_n);
/* "x86_64" or "x86_64, aarch64" for messages (owned by p). */
const char *aoms_platforms_arches_text(const struct aoms_platforms *p);
/* How f's build fits the migrated architectures. */
enum aoms_platform_fit aoms_platforms_fit(const struct aoms_platforms *p, const struct aoms_elf *m);
/* The native build sharing f's platform slot (its twin for this platform), or NULL. */
const struct aoms_file *aoms_platforms_twin(const struct aoms_platforms *p,
					    const struct aoms_file *f);
