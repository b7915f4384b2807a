/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report's installed packages (installed.h): copies in one arena per report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "grow.h"
#include "installed.h"
#include "report-private.h"

static const char *const *copy_deps(struct aoms_arena *a, const char *const *v, size_t n)
{
	const char **c = aoms_arena_alloc(a, (n ? n : 1) * sizeof(*c));

	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = aoms_arena_strdup(a, v[i])))
			return NULL;
	return c;
}

static bool filled(const char *s)
{
	return s && *s;
}

int aoms_report_add_installed(struct aoms_report *r, const struct aoms_installed *pkg)
{
	struct aoms_installed *c;
	struct aoms_arena *a;

	if (!filled(pkg->name) || !filled(pkg->version) || !filled(pkg->release) ||
	    !filled(pkg->arch))
		return -EINVAL;
	if (!r->installed_arena && aoms_arena_new(&r->installed_arena) < 0)
		return -ENOMEM;
	if (aoms_grow((void **)&r->installed, &r->alloc_installed, r->n_installed,
		      sizeof(*r->installed)) < 0)
		return -ENOMEM;
	a = r->installed_arena;
	c = &r->installed[r->n_installed];
	*c = (struct aoms_installed){
		.name = aoms_arena_strdup(a, pkg->name),
		.epoch = pkg->epoch ? aoms_arena_strdup(a, pkg->epoch) : NULL,
		.version = aoms_arena_strdup(a, pkg->version),
		.release = aoms_arena_strdup(a, pkg->release),
		.arch = aoms_arena_strdup(a, pkg->arch),
		.module_stream = pkg->module_stream ? aoms_arena_strdup(a, pkg->module_stream) : NULL,
		.provides = copy_deps(a, pkg->provides, pkg->n_provides),
		.n_provides = pkg->n_provides,
		.requires = copy_deps(a, pkg->requires, pkg->n_requires),
		.n_requires = pkg->n_requires,
	};
	if (!c->name || (pkg->epoch && !c->epoch) || !c->version || !c->release || !c->arch ||
	    (pkg->module_stream && !c->module_stream) || !c->provides || !c->requires)
		return -ENOMEM;
	r->n_installed++;
	return 0;
}

size_t aoms_report_n_installed(const struct aoms_report *r)
{
	return r->n_installed;
}

const struct aoms_installed *aoms_report_installed(const struct aoms_report *r, size_t i)
{
	return i < r->n_installed ? &r->installed[i] : NULL;
}

void aoms_report_installed_release(struct aoms_report *r)
{
	free(r->installed);
	aoms_arena_free(r->installed_arena);
	r->installed = NULL;
	r->installed_arena = NULL;
	r->n_installed = r->alloc_installed = 0;
}
