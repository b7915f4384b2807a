/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DT_NEEDED, as the loader would answer it on the target: a soname nowhere (missing,
 * renamed by the target, another libc's, unknown to a partial database), in the
 * tree off the loader's path, in the target's repositories but not installed, or a
 * library of the NVIDIA driver, which no OS ships.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check-elf-private.h"
#include "elf-model.h"
#include "platform.h"
#include "resolve.h"
#include "strbuf.h"

static int add_change_remedy(const struct aoms_soname_change *ch, void *ud)
{
	struct aoms_finding *f = ud;

	if (!ch->new_soname) {
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s is removed in EL8%s%s%s.",
					ch->old_soname, ch->note && *ch->note ? " (" : "",
					ch->note ? ch->note : "", ch->note && *ch->note ? ")" : "");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	} else if (strcmp(ch->new_soname, ch->old_soname) == 0) {
		aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", ch->package, NULL);
	} else {
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild against %s (package %s).",
					ch->new_soname, ch->package);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", ch->new_soname,
					"package", ch->package, NULL);
	}
	return 0;
}

static int count_change(const struct aoms_soname_change *ch, void *ud)
{
	(*(unsigned *)ud)++;
	return 0;
}

/* The target's package whose name says it ships soname, for a library no table
 * knows: the soname's stem (libXi.so.6: libXi), the stem's -devel (whose library
 * package is the stem: its repository is then not said, a -devel may sit in CRB),
 * or the stem without "lib" (libexpat.so.1: expat) and its -libs. *ret_pkg and
 * *ret_repo (NULL when not known) are the caller's; -ENOENT when none matches. */
static int package_by_name(struct aoms_abidb *db, const char *soname, char **ret_pkg,
			   char **ret_repo)
{
	const char *so = strstr(soname, ".so");
	_cleanup_(freep) char *stem = so && so > soname ? strndup(soname, (size_t)(so - soname)) : NULL;
	const char *bare = stem && !strncmp(stem, "lib", 3) && stem[3] ? stem + 3 : NULL;
	static const char *const suffix[] = { "", "-devel", "-libs", "" };

	if (!stem)
		return -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		const char *base = i < 2 ? stem : bare;
		_cleanup_(freep) char *name = base ? aoms_strdupf("%s%s", base, suffix[i]) : NULL;
		char *repo = NULL;
		int r;

		if (!base)
			continue;
		if (!name)
			return -ENOMEM;
		if ((r = aoms_abidb_repo_package(db, name, &repo)) == -ENOENT)
			continue;
		if (r < 0)
			return r;
		if (i == 1) {   /* the -devel: its library package, repository unsaid */
			free(repo);
			repo = NULL;
			name[strlen(base)] = '\0';
		}
		*ret_pkg = TAKE_PTR(name);
		*ret_repo = repo;
		return 0;
	}
	return -ENOENT;
}

/* The C library of another libc (musl, Bionic: aoms_platform_libc()) when soname is
 * that library ("libc.musl-x86_64.so.1", "ld-musl-*", the bare "libc.so" of Bionic
 * and other musl toolchains: a glibc system's libc.so is a linker script, never
 * loaded), for messages; NULL otherwise. */
static const char *other_libc(const struct check *c, const char *soname)
{
	enum aoms_libc libc = aoms_platform_libc(c->m);

	if (libc != AOMS_LIBC_MUSL && libc != AOMS_LIBC_BIONIC)
		return NULL;
	if (strncmp(soname, "libc.musl-", 10) && strncmp(soname, "ld-musl-", 8) && strcmp(soname, "libc.so"))
		return NULL;
	return aoms_platform_libc_text(libc);
}

/* The NVIDIA driver's user-space libraries: not part of any OS, installed with the
 * driver and matching its kernel module's version. The CUDA toolkit ships link-time
 * stubs of some (lib/stubs/libcuda.so), never to be loaded. */
static bool driver_library(const char *soname)
{
	static const char *const names[] = {
		"libcuda.so.1", "libnvcuvid.so.1", "libcudadebugger.so.1", "libnvoptix.so.1",
	};

	if (!strncmp(soname, "libnvidia-", 10) || !strncmp(soname, "libGLX_nvidia.", 14) ||
	    !strncmp(soname, "libEGL_nvidia.", 14))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(soname, names[i]))
			return true;
	return false;
}

/* A driver library (driver_library()): whether the target has it depends on the
 * hosts' NVIDIA driver, not on the OS; stub is the tree's link-time stub, or NULL. */
static int report_driver_library(struct check *c, const char *soname, const char *stub)
{
	struct aoms_finding *f = aoms_elf_check_finding(c, "elf.needed-unknown", AOMS_SEV_MEDIUM, false,
					 AOMS_CONF_POSSIBLE);

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s needs %s, which comes with the NVIDIA driver",
			       c->file->subject, soname);
	aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is part of the NVIDIA driver, "
				 "not of %s: it is there when the hosts run the driver, in the "
				 "version of their kernel module%s%s%s.", c->file->subject, soname,
				 aoms_elf_check_target(c), stub ? "; the tree's copy (" : "", stub ? stub : "",
				 stub ? ") must not be the one loaded: it is the CUDA toolkit's "
				 "link-time stub, or another driver version's" : "");
	aoms_finding_add_identity(f, "soname", soname);
	aoms_finding_add_evidence(f, "provided_by", "the NVIDIA driver");
	if (stub)
		aoms_finding_add_evidence(f, "stub", stub);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Install the NVIDIA driver for %s on the "
				"target hosts (NVIDIA's repository); never bundle %s or put the "
				"toolkit's stubs directory on the library path.", aoms_elf_check_target(c),
				soname);
	return aoms_elf_check_emit(c, f);
}

/* Whether the loader's answer p for a driver library is not an installed driver's:
 * nowhere, the toolkit's stub off the path, or a copy bundled outside a default
 * library directory. The target's own rows (a database built on a host with the
 * driver) and a driver installed in the scanned root are. */
static bool driver_not_installed(const struct check *c, const struct aoms_provider *p)
{
	if (p->where == AOMS_PROV_NONE || p->where == AOMS_PROV_TREE_OFFPATH)
		return true;
	return p->where == AOMS_PROV_TREE && p->file &&
	       !aoms_resolve_default_dir(c->ctx->rs.tree, p->file->path, c->m->elf_class);
}

static int report_needed_none(struct check *c, const char *soname)
{
	_cleanup_(freep) char *family = NULL; /* the target's soname of the same library */
	_cleanup_(freep) char *pkg = NULL, *repo = NULL;   /* a package named for it */
	struct aoms_finding *f;
	unsigned changes = 0;
	const char *libc = other_libc(c, soname);   /* musl's or Bionic's: glibc has none */
	bool missing;
	int r;

	if (aoms_abidb_foreach_soname_change(c->ctx->rs.db, soname, count_change, &changes) < 0)
		return -EIO;
	if (!changes && c->arch &&
	    (r = aoms_abidb_soname_family(c->ctx->rs.db, soname, c->arch, &family)) < 0 &&
	    r != -ENOENT)
		return r;
	missing = libc || c->ctx->db_complete || changes > 0 || family;
	if (!missing && (r = package_by_name(c->ctx->rs.db, soname, &pkg, &repo)) < 0 && r != -ENOENT)
		return r;
	if (missing) {
		f = aoms_elf_check_finding(c, "elf.needed-missing", AOMS_SEV_HIGH, true,
			    c->ctx->db_complete || libc ? AOMS_CONF_CERTAIN : AOMS_CONF_LIKELY);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s needs %s, which %s does not have", c->file->subject,
				       soname, aoms_elf_check_target(c));
		if (libc)
			aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED: it is built against %s, "
						 "not glibc. %s's C library is glibc, and a process "
						 "of it cannot load this object (nor start it: its "
						 "loader is not there either).", c->file->subject,
						 soname, libc, aoms_elf_check_target(c));
		else
			aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is not in the scanned "
						 "tree on the loader's path, and %s does not ship it; "
						 "the loader stops with \"cannot open shared object "
						 "file\".", c->file->subject, soname, aoms_elf_check_target(c));
	} else {
		f = aoms_elf_check_finding(c, "elf.needed-unknown", AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s needs %s, unknown to the target database",
				       c->file->subject, soname);
		aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is not in the scanned tree, "
					 "and the target database covers only part of %s, so "
					 "whether %s provides it is not known.", c->file->subject,
					 soname, aoms_elf_check_target(c), aoms_elf_check_target(c));
	}
	aoms_finding_add_identity(f, "soname", soname);
	if (changes) {
		aoms_abidb_foreach_soname_change(c->ctx->rs.db, soname, add_change_remedy, f);
	} else if (family) {
		aoms_finding_add_evidence(f, "target_soname", family);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s ships %s, another version of this "
					"library; rebuild against %s or bundle %s.", aoms_elf_check_target(c),
					family, family, soname);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", family, NULL);
	} else if (libc) {
		aoms_finding_add_evidence(f, "libc", libc);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Use the glibc build of the same "
					"software (a Node.js package's linux-x64-gnu build or "
					"prebuild, a Python manylinux wheel), or rebuild it on a glibc "
					"system.");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc", NULL);
	} else if (missing) {
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Bundle %s with the application (and "
					"point RPATH/RUNPATH at it) or rebuild against a library "
					"the target ships.", soname);
		aoms_finding_add_action(f, AOMS_ACTION_REPLACE_LIBRARY, "soname", soname, NULL);
	} else {
		if (pkg) {
			aoms_finding_add_evidence(f, "package_by_name", pkg);
			if (repo)
				aoms_finding_add_evidence(f, "repository", repo);
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s's repositories have a package "
						"%s%s%s%s, named for this library; it most likely "
						"provides %s: dnf install %s (then check with "
						"'dnf provides \"*/%s\"').", aoms_elf_check_target(c), pkg,
						repo ? " (" : "", repo ? repo : "", repo ? ")" : "",
						soname, pkg, soname);
		}
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Build a complete target database "
					"with 'aoms db build --root' from an Anolis OS 8 image and "
					"scan again with --db, or bundle %s.", soname);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, NULL);
	}
	return aoms_elf_check_emit(c, f);
}

static int report_off_path(struct check *c, const char *soname, const struct aoms_provider *p)
{
	struct aoms_finding *f;

	f = aoms_elf_check_finding(c, "elf.needed-off-path", AOMS_SEV_LOW, false, AOMS_CONF_LIKELY);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s finds %s only through LD_LIBRARY_PATH", c->file->subject,
			       soname);
	aoms_finding_set_summary(f, "%s is in the scanned tree (%s) but not on %s's RPATH/RUNPATH "
				 "and not shipped by %s; it loads only when LD_LIBRARY_PATH or "
				 "ld.so.conf names its directory.", soname, p->path, c->file->subject,
				 aoms_elf_check_target(c));
	aoms_finding_add_identity(f, "soname", soname);
	aoms_finding_add_evidence(f, "provider", p->path);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Add the library's directory to RUNPATH "
				"($ORIGIN-relative) or to /etc/ld.so.conf.d on the target.");
	aoms_finding_add_action(f, AOMS_ACTION_SET_RUNPATH, "soname", soname, NULL);
	return aoms_elf_check_emit(c, f);
}

static int report_not_installed(struct check *c, const char *soname, const struct aoms_provider *p)
{
	struct aoms_finding *f = aoms_elf_check_finding(c, "elf.needed-not-installed", AOMS_SEV_MEDIUM, false,
					 AOMS_CONF_CERTAIN);
	const char *pkg = p->abi->package;

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s needs %s: install %s", c->file->subject, soname,
			       pkg ? pkg : "the package that provides it");
	aoms_finding_set_summary(f, "%s is not part of a default %s installation, but the target's "
				 "repositories provide it%s%s.", soname, aoms_elf_check_target(c),
				 pkg ? " in package " : "", pkg ? pkg : "");
	aoms_finding_add_identity(f, "soname", soname);
	aoms_elf_describe_provider(f, p);
	if (pkg)
		aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", pkg, NULL);
	return aoms_elf_check_emit(c, f);
}

int aoms_check_needed(struct check *c)
{
	for (size_t i = 0; i < c->m->n_needed; i++) {
		const char *soname = c->m->needed[i];
		int r = aoms_resolve_needed(&c->ctx->rs, c->file, soname, c->arch, &c->prov[i]);

		if (r < 0)
			return r;
		if (c->prov[i].where == AOMS_PROV_NONE || c->prov[i].where == AOMS_PROV_TREE_OFFPATH)
			r = aoms_check_needed_host(c, soname, &c->prov[i]);
		if (r != 0)
			r = r < 0 ? r : 0;
		else if (driver_library(soname) && driver_not_installed(c, &c->prov[i]))
			r = report_driver_library(c, soname, c->prov[i].where == AOMS_PROV_NONE ? NULL
										 : c->prov[i].path);
		else if (c->prov[i].where == AOMS_PROV_NONE)
			r = report_needed_none(c, soname);
		else if (c->prov[i].where == AOMS_PROV_TREE_OFFPATH)
			r = report_off_path(c, soname, &c->prov[i]);
		else if (c->prov[i].where == AOMS_PROV_TARGET && c->prov[i].abi->available_only)
			r = report_not_installed(c, soname, &c->prov[i]);
		if (r < 0)
			return r;
	}
	return 0;
}
