/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Soname families: libssl.so.3 and libssl.so.1.1 are one library at two ABI
 * versions. When the target ships another member, a need for this one is a
 * known absence (the target has the library, at a version the binary was not
 * built for), not an unknown.
 */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"

/* "1", "1.1", "60.3": what follows ".so." in a versioned soname. */
static bool family_is_version(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!(*s >= '0' && *s <= '9') && !(*s == '.' && s[1] && s[1] != '.'))
			return false;
	return true;
}

int aoms_abidb_soname_family(struct aoms_abidb *db, const char *soname, const char *arch,
			     char **ret_el8_soname)
{
	struct abidb_rows rows = { 0 };
	const char *so;
	_cleanup_(freep) char *stem = NULL, *past = NULL;
	char *found = NULL;
	size_t n;
	int r;

	if (!db || !soname || !arch || !ret_el8_soname)
		return -EINVAL;
	so = strstr(soname, ".so.");
	if (!so || so == soname || !family_is_version(so + 4))
		return -ENOENT;
	n = (size_t)(so - soname) + 4;
	stem = strndup(soname, n);
	past = strndup(soname, n);   /* "libssl.so/": the first string after every "libssl.so.*" */
	if (!stem || !past)
		return -ENOMEM;
	past[n - 1]++;
	r = aoms_abidb_query(db, ABIDB_ST_SONAME_FAMILY, 1, &rows, "TTT", stem, arch, past);
	for (size_t i = 0; r == 0 && !found && i < rows.n; i++) {
		const char *cand = abidb_cell(&rows, i, 0);

		if (strcmp(cand, soname) != 0 && family_is_version(cand + strlen(stem)) &&
		    !(found = strdup(cand)))
			r = -ENOMEM;
	}
	aoms_abidb_rows_release(&rows);
	if (r < 0)
		return r;
	if (!found)
		return -ENOENT;
	*ret_el8_soname = found;
	return 0;
}
