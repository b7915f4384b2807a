/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The installed packages as the report records them (report/installed.h): identity,
 * Provides and Requires, so that a planner solves the host's transaction without the
 * host. Files are not recorded; those some installed package requires ("/bin/sh")
 * become Provides of their owners, which is all a solver asks of them. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "arena.h"
#include "assess.h"
#include "installed.h"
#include "strmap.h"

/* "name", or "name op evr": RPM's own spelling, which the planner parses back. */
static const char *dep_str(struct aoms_arena *a, const struct aoms_rpm_dep *d)
{
	size_t n = strlen(d->name), no = strlen(d->op), ne = strlen(d->evr);
	char *s;

	if (!no)
		return aoms_arena_strdup(a, d->name);
	if (!(s = aoms_arena_alloc(a, n + no + ne + 3)))
		return NULL;
	memcpy(s, d->name, n);
	s[n] = ' ';
	memcpy(s + n + 1, d->op, no);
	s[n + 1 + no] = ' ';
	memcpy(s + n + 2 + no, d->evr, ne + 1);
	return s;
}

/* The package's own "NAME = [EPOCH:]VERSION-RELEASE", which every package provides and
 * a reader derives from its identity. */
static bool self_provide(const struct aoms_rpm_pkg *p, const struct aoms_rpm_dep *d)
{
	const char *evr = d->evr, *colon = strchr(evr, ':');
	size_t vl = strlen(p->version);

	if (strcmp(d->op, "=") != 0 || strcmp(d->name, p->name) != 0)
		return false;
	if (colon) {
		if (strncmp(evr, p->epoch ? p->epoch : "0", (size_t)(colon - evr)) != 0 ||
		    strlen(p->epoch ? p->epoch : "0") != (size_t)(colon - evr))
			return false;
		evr = colon + 1;
	}
	return strncmp(evr, p->version, vl) == 0 && evr[vl] == '-' &&
	       strcmp(evr + vl + 1, p->release) == 0;
}

/* deps without rpmlib() features (and without self, when given), as strings; room for
 * extra more entries. */
static const char **deps_copy(struct aoms_arena *a, const struct aoms_rpm_dep *d, size_t n,
			      const struct aoms_rpm_pkg *self, size_t extra, size_t *ret_n)
{
	const char **v = aoms_arena_alloc(a, (n + extra + 1) * sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; v && i < n; i++)
		if (!d[i].rpmlib && !(self && self_provide(self, &d[i])) &&
		    !(v[k++] = dep_str(a, &d[i])))
			return NULL;
	*ret_n = k;
	return v;
}

int aoms_assess_installed_copy(struct aoms_arena *a, const struct aoms_rpm_pkg *p,
			       struct aoms_assess_installed *ret)
{
	struct aoms_installed *k = &ret->pkg;

	*ret = (struct aoms_assess_installed){ 0 };
	k->name = aoms_arena_strdup(a, p->name);
	k->epoch = p->epoch && strcmp(p->epoch, "0") != 0 ? aoms_arena_strdup(a, p->epoch) : NULL;
	k->version = aoms_arena_strdup(a, p->version);
	k->release = aoms_arena_strdup(a, p->release);
	k->arch = aoms_arena_strdup(a, p->arch);
	/* room for the files that others require, added when all are known */
	k->provides = deps_copy(a, p->provides, p->n_provides, p, p->n_files, &k->n_provides);
	k->requires = deps_copy(a, p->requires, p->n_requires, NULL, 0, &k->n_requires);
	ret->files = aoms_arena_alloc(a, (p->n_files + 1) * sizeof(*ret->files));
	for (size_t i = 0; ret->files && i < p->n_files; i++)
		if (!(ret->files[ret->n_files++] = aoms_arena_strdup(a, p->files[i].path)))
			return -ENOMEM;
	if (!k->name || (p->epoch && strcmp(p->epoch, "0") != 0 && !k->epoch) || !k->version ||
	    !k->release || !k->arch || !k->provides || !k->requires || !ret->files)
		return -ENOMEM;
	return 0;
}

int aoms_assess_installed_record(struct aoms_report *r, struct aoms_assess_installed *v, size_t n)
{
	struct aoms_strmap wanted = AOMS_STRMAP_INIT;
	int ret = 0;

	for (size_t i = 0; ret == 0 && i < n; i++)
		for (size_t j = 0; ret == 0 && j < v[i].pkg.n_requires; j++)
			if (v[i].pkg.requires[j][0] == '/')
				ret = aoms_strmap_put(&wanted, v[i].pkg.requires[j], &wanted);
	for (size_t i = 0; ret == 0 && i < n; i++) {
		struct aoms_installed *k = &v[i].pkg;
		const char **prov = (const char **)k->provides;

		for (size_t j = 0; j < v[i].n_files; j++)
			if (aoms_strmap_get(&wanted, v[i].files[j]))
				prov[k->n_provides++] = v[i].files[j];
		ret = aoms_report_add_installed(r, k);
	}
	aoms_strmap_release(&wanted);
	return ret;
}
