/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Packages, their provides, and which package provides a capability. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "abidb-private.h"
#include "strbuf.h"

static bool pkg_empty(const char *s)
{
	return !s || !*s;
}

/* name-[epoch:]version-release.arch, as rpm -q --qf '%{NEVRA}' prints it. */
static char *pkg_nevra(const char *name, int64_t epoch, const char *version,
		       const char *release, const char *arch)
{
	if (epoch < 0)
		return aoms_strdupf("%s-%s-%s.%s", name, version, release, arch);
	return aoms_strdupf("%s-%" PRId64 ":%s-%s.%s", name, epoch, version, release, arch);
}

static int pkg_add_locked(struct aoms_abidb *db, int64_t source_id, const char *name,
			  int64_t epoch, const char *version, const char *release,
			  const char *arch, const char *nevra, bool installed, int64_t *ret_id)
{
	int r = aoms_abidb_run(db, ABIDB_ST_ADD_PACKAGE, "TnTTTTii", name, epoch, version,
			       release, arch, nevra, (int64_t)installed, source_id);

	if (r >= 0 && ret_id)
		*ret_id = sqlite3_last_insert_rowid(db->sql);
	return r;
}

int aoms_abidb_add_package(struct aoms_abidb *db, int64_t source_id, const char *name,
			   int64_t epoch, const char *version, const char *release,
			   const char *arch, const char *nevra, bool installed, int64_t *ret_id)
{
	_cleanup_(freep) char *made = NULL;

	if (pkg_empty(name) || pkg_empty(version) || pkg_empty(release) || pkg_empty(arch))
		return -EINVAL;
	if (pkg_empty(nevra)) {
		nevra = made = pkg_nevra(name, epoch, version, release, arch);
		if (!made)
			return -ENOMEM;
	}
	return ABIDB_LOCKED(db, pkg_add_locked(db, source_id, name, epoch, version, release, arch,
					       nevra, installed, ret_id));
}

static bool pkg_valid_op(const char *op)
{
	static const char *const ops[] = { "=", "<", ">", "<=", ">=" };

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (strcmp(op, ops[i]) == 0)
			return true;
	return false;
}

int aoms_abidb_add_provide(struct aoms_abidb *db, int64_t pkg_id, const char *name,
			   const char *op, const char *evr)
{
	if (pkg_empty(name))
		return -EINVAL;
	if (pkg_empty(op) ? !pkg_empty(evr) : (!pkg_valid_op(op) || pkg_empty(evr)))
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_PROVIDE, "TiTT", name, pkg_id, op ? op : "",
			 evr ? evr : "");
}

/* ---- lookups ---- */

enum { PV_NAME, PV_NEVRA, PV_ARCH, PV_EPOCH, PV_VERSION, PV_RELEASE, PV_INSTALLED, PV_OP,
       PV_EVR, _PV_COLS };

void aoms_abidb_provider_release(struct aoms_abidb_provider *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->nevra);
	free(p->arch);
	free(p->evr);
	free(p->provide_op);
	free(p->provide_evr);
	memset(p, 0, sizeof(*p));
}

static char *pv_blank_null(char *s)
{
	return s && *s ? s : NULL;
}

/* A view of row i; p->evr is allocated (the caller frees it). */
static int pv_view(const struct abidb_rows *rows, size_t i, struct aoms_abidb_provider *p)
{
	int64_t epoch = aoms_abidb_cell_int(rows, i, PV_EPOCH, -1);
	const char *v = abidb_cell(rows, i, PV_VERSION), *rel = abidb_cell(rows, i, PV_RELEASE);

	*p = (struct aoms_abidb_provider){
		.name = abidb_cellw(rows, i, PV_NAME),
		.nevra = abidb_cellw(rows, i, PV_NEVRA),
		.arch = abidb_cellw(rows, i, PV_ARCH),
		.installed = aoms_abidb_cell_int(rows, i, PV_INSTALLED, 0) != 0,
		.provide_op = pv_blank_null(abidb_cellw(rows, i, PV_OP)),
		.provide_evr = pv_blank_null(abidb_cellw(rows, i, PV_EVR)),
	};
	p->evr = epoch < 0 ? aoms_strdupf("%s-%s", v, rel)
			   : aoms_strdupf("%" PRId64 ":%s-%s", epoch, v, rel);
	return p->evr ? 0 : -ENOMEM;
}

static int pv_rows(struct aoms_abidb *db, const char *capability, const char *arch,
		   struct abidb_rows *rows)
{
	if (!capability)
		return -EINVAL;
	if (arch && strcmp(arch, "noarch") == 0)
		arch = NULL; /* what a noarch package needs, any arch's package can provide */
	return aoms_abidb_query(db, ABIDB_ST_PROVIDERS, _PV_COLS, rows, "Tt", capability, arch);
}

int aoms_abidb_foreach_provider(struct aoms_abidb *db, const char *capability, const char *arch,
				int (*fn)(const struct aoms_abidb_provider *p, void *ud),
				void *ud)
{
	struct abidb_rows rows = { 0 };
	int r = pv_rows(db, capability, arch, &rows);

	for (size_t i = 0; r == 0 && i < rows.n; i++) {
		struct aoms_abidb_provider p;

		r = pv_view(&rows, i, &p);
		if (r == 0)
			r = fn(&p, ud);
		free(p.evr);
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

/* NULL stays NULL; else a copy, and *failed on -ENOMEM. */
static char *pv_dup(const char *s, bool *failed)
{
	char *c = s ? strdup(s) : NULL;

	if (s && !c)
		*failed = true;
	return c;
}

int aoms_abidb_find_provider(struct aoms_abidb *db, const char *capability, const char *arch,
			     struct aoms_abidb_provider *ret)
{
	struct abidb_rows rows = { 0 };
	struct aoms_abidb_provider p, out;
	bool failed = false;
	int r = pv_rows(db, capability, arch, &rows);

	if (r == 0 && rows.n == 0)
		r = -ENOENT;
	if (r == 0)
		r = pv_view(&rows, 0, &p);
	if (r == 0) {
		out = (struct aoms_abidb_provider){
			.name = pv_dup(p.name, &failed), .nevra = pv_dup(p.nevra, &failed),
			.arch = pv_dup(p.arch, &failed), .evr = p.evr, .installed = p.installed,
			.provide_op = pv_dup(p.provide_op, &failed),
			.provide_evr = pv_dup(p.provide_evr, &failed),
		};
		if (failed) {
			aoms_abidb_provider_release(&out);
			r = -ENOMEM;
		} else {
			*ret = out;
		}
	}
	aoms_abidb_rows_release(&rows);
	return r;
}

int aoms_abidb_find_capability_library(struct aoms_abidb *db, const char *capability,
				       const char *arch, const struct aoms_libabi **ret)
{
	_cleanup_(freep) char *soname = NULL, *version = NULL;
	const struct aoms_libabi *lib;
	bool is64;
	int r;

	if (!arch)
		return -EINVAL;
	r = aoms_abidb_parse_soname_capability(capability, &soname, &version, &is64);
	if (r >= 0)
		r = aoms_abidb_find_library(db, soname, arch, &lib);
	if (r < 0)
		return r;
	if (version && !aoms_libabi_has_verdef(lib, version))
		return -ENOENT;
	*ret = lib;
	return 0;
}
