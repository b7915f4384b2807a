/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A package's NEVRA as aoms spells it everywhere ("name-[epoch:]version-release.arch")
 * and the fingerprint of an installed package set built from those spellings: what
 * `aoms assess` records (run.packages_fingerprint) and what `aoms apply` checks
 * against the root before it changes anything (docs/plan-schema.md "fingerprint").
 * One definition for both, so that they cannot drift.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* "name-[epoch:]version-release[.arch]" (no ".arch" when arch is NULL or ""); epoch
 * NULL: none. Returns a heap string (caller frees) or NULL (ENOMEM). */
char *aoms_rpm_nevra_format(const char *name, const char *epoch, const char *version,
			    const char *release, const char *arch);

/* FNV-1a 64 over nevras[0..n) in the order given (the rpmdb readers give NEVRA byte
 * order), each with its terminating NUL; as 16 lowercase hex digits into hex. */
void aoms_rpm_nevra_fingerprint(const char *const *nevras, size_t n, char hex[17]);
