/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One element of a JSON report's top-level "installed" back into the report
 * (installed.h, read-json.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "installed.h"
#include "read-json.h"

struct deps {
	const char **v;
	size_t n;
};

static int rd_dep(struct aoms_rd *rd, const char *s, const char *path, void *ud)
{
	struct deps *d = ud;

	if (!*s)
		return aoms_rd_fail(rd, -EBADMSG, path, "an empty dependency");
	d->v[d->n++] = s;
	return 0;
}

/* The string array name of o into d (strings owned by o; d->v heap). */
static int rd_deps(struct aoms_rd *rd, struct json_object *o, const char *where,
		   const char *name, struct deps *d)
{
	struct json_object *a;
	char path[AOMS_RD_PATH_MAX];
	int r = aoms_rd_member(rd, o, where, name, json_type_array, false, &a, path);

	if (r < 0)
		return r;
	if (!(d->v = calloc(json_object_array_length(a) + 1, sizeof(*d->v))))
		return -ENOMEM;
	return aoms_rd_str_array(rd, a, path, rd_dep, d);
}

int aoms_rd_installed(struct aoms_rd *rd, struct json_object *o, const char *where)
{
	struct aoms_installed p = { 0 };
	struct deps prov = { 0 }, req = { 0 };
	int r;

	if (!json_object_is_type(o, json_type_object))
		return aoms_rd_fail(rd, -EBADMSG, where, "expected an object");
	if ((r = aoms_rd_str(rd, o, where, "name", &p.name)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "version", &p.version)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "release", &p.release)) < 0 ||
	    (r = aoms_rd_str(rd, o, where, "arch", &p.arch)) < 0)
		return r;
	if (json_object_object_get_ex(o, "epoch", NULL) &&
	    (r = aoms_rd_str(rd, o, where, "epoch", &p.epoch)) < 0)
		return r;
	if (json_object_object_get_ex(o, "module_stream", NULL) &&
	    (r = aoms_rd_str(rd, o, where, "module_stream", &p.module_stream)) < 0)
		return r;
	if ((r = rd_deps(rd, o, where, "provides", &prov)) >= 0 &&
	    (r = rd_deps(rd, o, where, "requires", &req)) >= 0) {
		p.provides = prov.v;
		p.n_provides = prov.n;
		p.requires = req.v;
		p.n_requires = req.n;
		r = aoms_report_add_installed(rd->r, &p);
		if (r == -EINVAL)
			r = aoms_rd_fail(rd, -EBADMSG, where, "an empty name, version, release "
					 "or arch");
	}
	free(prov.v);
	free(req.v);
	return r;
}
