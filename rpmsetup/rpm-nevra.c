/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hash.h"
#include "rpm-nevra.h"
#include "strbuf.h"

char *aoms_rpm_nevra_format(const char *name, const char *epoch, const char *version,
			    const char *release, const char *arch)
{
	bool has_arch = arch && *arch;

	return aoms_strdupf("%s-%s%s%s-%s%s%s", name, epoch ? epoch : "", epoch ? ":" : "",
			    version, release, has_arch ? "." : "", has_arch ? arch : "");
}

void aoms_rpm_nevra_fingerprint(const char *const *nevras, size_t n, char hex[17])
{
	uint64_t h = AOMS_FNV64_INIT;

	for (size_t i = 0; i < n; i++)
		h = aoms_fnv64(h, nevras[i], strlen(nevras[i]) + 1);
	snprintf(hex, 17, "%016llx", (unsigned long long)h);
}
