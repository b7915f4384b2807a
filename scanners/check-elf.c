/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-object checks, in the order the loader would fail: machine, interpreter,
 * loader features, kernel ABI tag, DT_NEEDED, version nodes, versioned symbols,
 * then unversioned symbols over the whole dependency closure.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check-elf-private.h"
#include "elf-model.h"
#include "strbuf.h"


/* Starts a finding about the checked file; NULL on -ENOMEM. */
static struct aoms_finding *finding(struct check *c, const char *rule, enum aoms_severity sev,
				    bool inhibitor, enum aoms_confidence conf)
{
	struct aoms_finding *f;

	if (aoms_finding_new_at(rule, sev, AOMS_DIM_APPLICATIONS, c->file->subject, c->file->rel,
				c->file->package, &f) < 0)
		return NULL;
	f->inhibitor = inhibitor;
	f->confidence = conf;
	return f;
}

static int emit(struct check *c, struct aoms_finding *f)
{
	return f ? aoms_report_add(c->ctx->report, f) : -ENOMEM;
}

static const char *target_name(const struct check *c)
{
	return c->ctx->target ? c->ctx->target : "the target";
}

struct aoms_finding *aoms_elf_check_finding(struct check *c, const char *rule,
					    enum aoms_severity sev, bool inhibitor,
					    enum aoms_confidence conf)
{
	return finding(c, rule, sev, inhibitor, conf);
}

int aoms_elf_check_emit(struct check *c, struct aoms_finding *f)
{
	return emit(c, f);
}

const char *aoms_elf_check_target(const struct check *c)
{
	return target_name(c);
}

/* "glibc 2.28" (the target's version), or "glibc" when the database does not say. */
static const char *glibc_name(const struct check *c, char buf[static 32])
{
	const char *v;

	if (aoms_abidb_target_glibc(c->ctx->rs.db, &v) < 0)
		return "glibc";
	snprintf(buf, 32, "glibc %.24s", v);
	return buf;
}

/* 1 when the object's libraries can be checked against the database, 0 when a
 * finding said why not, <0 on error. Static objects need no database facts. */
static int check_machine(struct check *c, bool is_static)
{
	struct aoms_finding *f;
	/* 1 the target runs the arch, 0 it does not, -ENOENT the database does not say */
	int runs = c->arch ? aoms_abidb_runs_arch(c->ctx->rs.db, c->arch) : 0;
	int facts = 0;

	if (runs < 0 && runs != -ENOENT)
		return runs;
	if (c->arch && !is_static && (facts = aoms_abidb_has_arch(c->ctx->rs.db, c->arch)) < 0)
		return facts;
	if (c->arch && (is_static ? runs != 0 : facts))
		return 1;
	if (c->arch && runs != 0) {
		f = finding(c, "elf.machine-unknown", AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "No %s facts in the target database", c->arch);
		if (runs == -ENOENT)
			aoms_finding_set_summary(f, "%s is built for %s. The target database holds no "
						 "facts for it, so its libraries were not checked.",
						 c->file->subject, c->arch);
		else
			aoms_finding_set_summary(f, "%s is built for %s. %s ships %s, but the target "
						 "database holds no facts for it, so its libraries "
						 "were not checked.", c->file->subject, c->arch,
						 target_name(c), c->arch);
		aoms_finding_add_identity(f, "machine", c->arch);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Build a %s target database with "
					"'aoms db build --root' and scan again with --db.", c->arch);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, "arch", c->arch, NULL);
		return emit(c, f) < 0 ? -ENOMEM : 0;
	}
	f = finding(c, "elf.machine-unsupported", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s is built for %s", c->file->subject,
			       c->arch ? c->arch : "an unknown machine");
	aoms_finding_set_summary(f, "%s is an ELF%d object for machine %s (e_machine %u), which %s "
				 "does not run.", c->file->subject, c->m->elf_class == 2 ? 64 : 32,
				 c->arch ? c->arch : "unknown", c->m->machine, target_name(c));
	aoms_finding_add_identityf(f, "machine", "%s", c->arch ? c->arch : "unknown");
	aoms_finding_add_identityf(f, "class", "ELF%d", c->m->elf_class == 2 ? 64 : 32);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Obtain a build for x86_64 or aarch64.");
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	return emit(c, f) < 0 ? -ENOMEM : 0;
}

static int check_interp(struct check *c)
{
	struct aoms_finding *f;
	int r;

	if (!c->m->interp)
		return 0;
	r = aoms_abidb_has_interpreter(c->ctx->rs.db, c->m->interp, c->arch);
	if (r != 0)
		return r < 0 ? r : 0;
	f = finding(c, "elf.interpreter-missing", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "Program interpreter %s does not exist on %s", c->m->interp,
			       target_name(c));
	aoms_finding_set_summary(f, "%s asks the kernel to start it with %s (PT_INTERP), which %s "
				 "does not provide; exec fails with ENOENT.", c->file->subject,
				 c->m->interp, target_name(c));
	aoms_finding_add_identity(f, "interpreter", c->m->interp);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Relink with the target's dynamic linker "
				"(-Wl,--dynamic-linker) or install the runtime that provides it.");
	aoms_finding_add_action(f, AOMS_ACTION_RELINK, "feature", "PT_INTERP", NULL);
	return emit(c, f);
}

/* 1 when the target's libc.so.6 defines version (e.g. GLIBC_ABI_DT_RELR, which glibc
 * 2.36 added to mark DT_RELR support), 0 when not (or not known), <0 on error. */
static int target_libc_has(struct check *c, const char *version)
{
	const struct aoms_libabi *libc;
	int r;

	if (!c->arch)
		return 0;
	r = aoms_abidb_find_library(c->ctx->rs.db, "libc.so.6", c->arch, &libc);
	if (r == -ENOENT)
		return 0;
	return r < 0 ? r : aoms_libabi_has_verdef(libc, version);
}

/* Whether m requires version (of any library). */
static bool needs_version(const struct aoms_elf *m, const char *version)
{
	for (size_t j = 0; j < m->n_needs; j++)
		if (!m->needs[j].weak && strcmp(m->needs[j].version, version) == 0)
			return true;
	return false;
}

static int check_loader_features(struct check *c)
{
	struct aoms_finding *f;
	uint32_t kernel;
	char glibc[32];
	int r = c->m->relr ? target_libc_has(c, "GLIBC_ABI_DT_RELR") : 1;

	if (r < 0)
		return r;
	if (r == 0) {
		bool node = needs_version(c->m, "GLIBC_ABI_DT_RELR");

		f = finding(c, "elf.loader-feature", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s uses packed relative relocations (DT_RELR)",
				       c->file->subject);
		/* With the version node (what ld emits against glibc >= 2.36) the old loader
		 * refuses the object; without it, it ignores DT_RELR and runs it unrelocated. */
		if (node)
			aoms_finding_set_summary(f, "DT_RELR is understood by glibc 2.36 and later, "
						 "and the object requires the version GLIBC_ABI_DT_RELR "
						 "that marks it. The %s loader of %s refuses it: "
						 "\"version `GLIBC_ABI_DT_RELR' not found (required by "
						 "%s)\".", glibc_name(c, glibc), target_name(c),
						 c->file->subject);
		else
			aoms_finding_set_summary(f, "DT_RELR is understood by glibc 2.36 and later; the "
						 "%s loader of %s leaves those relocations "
						 "unapplied and the program crashes.", glibc_name(c, glibc),
						 target_name(c));
		aoms_finding_add_identity(f, "feature", "DT_RELR");
		if (node)
			aoms_finding_add_evidence(f, "version", "GLIBC_ABI_DT_RELR");
		c->relr_reported = true;
		aoms_finding_add_evidence(f, "required_glibc", "2.36");
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Relink without -z pack-relative-relocs.");
		aoms_finding_add_action(f, AOMS_ACTION_RELINK, "feature", "DT_RELR", NULL);
		if (emit(c, f) < 0)
			return -ENOMEM;
	}
	r = aoms_abidb_target_kernel(c->ctx->rs.db, &kernel);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r == 0 && c->m->abi_kernel > kernel) {   /* unknown: not judged */
		unsigned k = c->m->abi_kernel;

		f = finding(c, "elf.kernel-too-old", AOMS_SEV_HIGH, true, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s requires Linux %u.%u.%u or later", c->file->subject,
				       k >> 16, (k >> 8) & 0xff, k & 0xff);
		aoms_finding_set_summary(f, "Its .note.ABI-tag asks for kernel %u.%u.%u; %s runs "
					 "%u.%u, and the loader refuses with \"kernel too old\".",
					 k >> 16, (k >> 8) & 0xff, k & 0xff, target_name(c),
					 kernel >> 16, (kernel >> 8) & 0xff);
		aoms_finding_add_identityf(f, "required_kernel", "%u.%u.%u", k >> 16,
					   (k >> 8) & 0xff, k & 0xff);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild against a C library configured "
					"for kernel %u.%u or older.", kernel >> 16,
					(kernel >> 8) & 0xff);
		{
			char against[32];

			snprintf(against, sizeof(against), "kernel %u.%u", kernel >> 16,
				 (kernel >> 8) & 0xff);
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", against, NULL);
		}
		return emit(c, f);
	}
	return 0;
}

static void describe_provider(struct aoms_finding *f, const struct aoms_provider *p);

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

/* The C library of another libc that an object names in DT_NEEDED, said for
 * messages; NULL for any other soname. musl's ("libc.musl-x86_64.so.1", Alpine and
 * musl-gcc builds) and the bare "libc.so" of Android's Bionic and other musl
 * toolchains: a glibc system's libc.so is a linker script, never loaded. */
static const char *other_libc(const char *soname)
{
	if (!strncmp(soname, "libc.musl-", 10) || !strncmp(soname, "ld-musl-", 8))
		return "musl libc";
	if (!strcmp(soname, "libc.so"))
		return "a C library other than glibc (musl, or Android's Bionic)";
	return NULL;
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
	struct aoms_finding *f = finding(c, "elf.needed-unknown", AOMS_SEV_MEDIUM, false,
					 AOMS_CONF_POSSIBLE);

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s needs %s, which comes with the NVIDIA driver",
			       c->file->subject, soname);
	aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is part of the NVIDIA driver, "
				 "not of %s: it is there when the hosts run the driver, in the "
				 "version of their kernel module%s%s%s.", c->file->subject, soname,
				 target_name(c), stub ? "; the tree's copy (" : "", stub ? stub : "",
				 stub ? ") must not be the one loaded: it is the CUDA toolkit's "
				 "link-time stub, or another driver version's" : "");
	aoms_finding_add_identity(f, "soname", soname);
	aoms_finding_add_evidence(f, "provided_by", "the NVIDIA driver");
	if (stub)
		aoms_finding_add_evidence(f, "stub", stub);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Install the NVIDIA driver for %s on the "
				"target hosts (NVIDIA's repository); never bundle %s or put the "
				"toolkit's stubs directory on the library path.", target_name(c),
				soname);
	return emit(c, f);
}

static int report_needed_none(struct check *c, const char *soname)
{
	_cleanup_(freep) char *family = NULL; /* the target's soname of the same library */
	_cleanup_(freep) char *pkg = NULL, *repo = NULL;   /* a package named for it */
	struct aoms_finding *f;
	unsigned changes = 0;
	const char *libc = other_libc(soname);   /* musl's or Bionic's: glibc has none */
	bool missing;
	int r;

	if (driver_library(soname))
		return report_driver_library(c, soname, NULL);
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
		f = finding(c, "elf.needed-missing", AOMS_SEV_HIGH, true,
			    c->ctx->db_complete || libc ? AOMS_CONF_CERTAIN : AOMS_CONF_LIKELY);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s needs %s, which %s does not have", c->file->subject,
				       soname, target_name(c));
		if (libc)
			aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED: it is built against %s, "
						 "not glibc. %s's C library is glibc, and a process "
						 "of it cannot load this object (nor start it: its "
						 "loader is not there either).", c->file->subject,
						 soname, libc, target_name(c));
		else
			aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is not in the scanned "
						 "tree on the loader's path, and %s does not ship it; "
						 "the loader stops with \"cannot open shared object "
						 "file\".", c->file->subject, soname, target_name(c));
	} else {
		f = finding(c, "elf.needed-unknown", AOMS_SEV_MEDIUM, false, AOMS_CONF_POSSIBLE);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s needs %s, unknown to the target database",
				       c->file->subject, soname);
		aoms_finding_set_summary(f, "%s lists %s in DT_NEEDED. It is not in the scanned tree, "
					 "and the target database covers only part of %s, so "
					 "whether %s provides it is not known.", c->file->subject,
					 soname, target_name(c), target_name(c));
	}
	aoms_finding_add_identity(f, "soname", soname);
	if (changes) {
		aoms_abidb_foreach_soname_change(c->ctx->rs.db, soname, add_change_remedy, f);
	} else if (family) {
		aoms_finding_add_evidence(f, "target_soname", family);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s ships %s, another version of this "
					"library; rebuild against %s or bundle %s.", target_name(c),
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
						"'dnf provides \"*/%s\"').", target_name(c), pkg,
						repo ? " (" : "", repo ? repo : "", repo ? ")" : "",
						soname, pkg, soname);
		}
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Build a complete target database "
					"with 'aoms db build --root' from an Anolis OS 8 image and "
					"scan again with --db, or bundle %s.", soname);
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD_DATABASE, NULL);
	}
	return emit(c, f);
}

static int report_off_path(struct check *c, const char *soname, const struct aoms_provider *p)
{
	struct aoms_finding *f;

	if (driver_library(soname))   /* the toolkit's stub, off the path on purpose */
		return report_driver_library(c, soname, p->path);
	f = finding(c, "elf.needed-off-path", AOMS_SEV_LOW, false, AOMS_CONF_LIKELY);
	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s finds %s only through LD_LIBRARY_PATH", c->file->subject,
			       soname);
	aoms_finding_set_summary(f, "%s is in the scanned tree (%s) but not on %s's RPATH/RUNPATH "
				 "and not shipped by %s; it loads only when LD_LIBRARY_PATH or "
				 "ld.so.conf names its directory.", soname, p->path, c->file->subject,
				 target_name(c));
	aoms_finding_add_identity(f, "soname", soname);
	aoms_finding_add_evidence(f, "provider", p->path);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Add the library's directory to RUNPATH "
				"($ORIGIN-relative) or to /etc/ld.so.conf.d on the target.");
	aoms_finding_add_action(f, AOMS_ACTION_SET_RUNPATH, "soname", soname, NULL);
	return emit(c, f);
}

static int report_not_installed(struct check *c, const char *soname, const struct aoms_provider *p)
{
	struct aoms_finding *f = finding(c, "elf.needed-not-installed", AOMS_SEV_MEDIUM, false,
					 AOMS_CONF_CERTAIN);
	const char *pkg = p->abi->package;

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s needs %s: install %s", c->file->subject, soname,
			       pkg ? pkg : "the package that provides it");
	aoms_finding_set_summary(f, "%s is not part of a default %s installation, but the target's "
				 "repositories provide it%s%s.", soname, target_name(c),
				 pkg ? " in package " : "", pkg ? pkg : "");
	aoms_finding_add_identity(f, "soname", soname);
	describe_provider(f, p);
	if (pkg)
		aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", pkg, NULL);
	return emit(c, f);
}

static int check_needed(struct check *c)
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
		else if (c->prov[i].where == AOMS_PROV_NONE)
			r = report_needed_none(c, soname);
		else if (c->prov[i].where == AOMS_PROV_TREE_OFFPATH)
			r = report_off_path(c, soname, &c->prov[i]);
		else if (c->prov[i].where == AOMS_PROV_TARGET && c->prov[i].abi->available_only)
			r = report_not_installed(c, soname, &c->prov[i]);
		else if (c->prov[i].where == AOMS_PROV_TREE && driver_library(soname) &&
			 c->prov[i].file && !aoms_resolve_default_dir(c->ctx->rs.tree, c->prov[i].file->path,
								      c->m->elf_class))
			/* bundled with the application; an installed driver's own is not */
			r = report_driver_library(c, soname, c->prov[i].path);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct aoms_provider *provider_of(const struct check *c, const char *soname)
{
	for (size_t i = 0; i < c->m->n_needed; i++)
		if (strcmp(c->m->needed[i], soname) == 0)
			return &c->prov[i];
	return NULL;
}

size_t aoms_elf_first_at(const struct aoms_file *const *files, size_t n, const char *prefix)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(files[mid]->path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int aoms_elf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names of the imports bound to need j; caller frees the array only. */
static const char **symbols_of_need(const struct aoms_elf *m, size_t j, size_t *ret_n)
{
	const char **v = calloc(m->n_imports + 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t k = 0; k < m->n_imports; k++)
		if (m->imports[k].need == (int)j)
			v[n++] = m->imports[k].name;
	qsort(v, n, sizeof(*v), aoms_elf_cmp_str);
	*ret_n = n;
	return v;
}

/* The newest version of the provider with the same prefix as version ("GLIBC_"), for
 * telling people what the target does offer. NULL when none. */
static const char *newest_like(const struct aoms_libabi *lib, const char *version)
{
	const char *best = NULL;
	size_t plen = strcspn(version, "0123456789");

	/* Only numbered versions of the family: "GLIBC_PRIVATE" shares the prefix but is no
	 * version anyone can build against. */
	for (size_t i = 0; i < lib->n_verdefs; i++)
		if (strncmp(lib->verdefs[i], version, plen) == 0 &&
		    lib->verdefs[i][plen] >= '0' && lib->verdefs[i][plen] <= '9' &&
		    (!best || strverscmp(lib->verdefs[i], best) > 0))
			best = lib->verdefs[i];
	return best;
}

static void describe_provider(struct aoms_finding *f, const struct aoms_provider *p)
{
	if (p->where == AOMS_PROV_TARGET)
		aoms_finding_add_evidencef(f, "provider", "target:%s%s%s%s", p->path ? p->path : p->abi->soname,
					   p->abi->package ? " (" : "",
					   p->abi->package ? p->abi->package : "",
					   p->abi->package ? ")" : "");
	else
		aoms_finding_add_evidencef(f, "provider", "tree:%s", p->path);
}

static int report_node(struct check *c, size_t j, const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[j];
	bool private = strcmp(n->version, "GLIBC_PRIVATE") == 0;
	size_t ns = 0;
	_cleanup_(freep) const char **syms = symbols_of_need(c->m, j, &ns);
	const char *newest = newest_like(p->abi, n->version);
	struct aoms_finding *f;
	char glibc[32];
	int r;

	if (!syms)
		return -ENOMEM;
	if (private) {
		/* Every symbol present in this very target build: it loads, until glibc is
		 * updated. */
		int present = aoms_libabi_has_verdef(p->abi, n->version);

		for (size_t i = 0; i < ns && present > 0; i++)
			present = aoms_libabi_has_symbol(p->abi, syms[i], n->version) ? 1 :
				  aoms_glibc_has_symbol(c->ctx->rs.db, c->arch, syms[i], n->version);
		if (present < 0)
			return present;
		f = finding(c, "elf.glibc-private", present ? AOMS_SEV_LOW : AOMS_SEV_HIGH, !present,
			    AOMS_CONF_LIKELY);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s uses glibc internals (GLIBC_PRIVATE)", c->file->subject);
		aoms_finding_set_summary(f, "GLIBC_PRIVATE symbols are internal to one glibc build "
					 "and change between releases; %s's %s will not "
					 "match what %s was linked against.", target_name(c),
					 glibc_name(c, glibc), c->file->subject);
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild without glibc-internal symbols.");
		aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", glibc_name(c, glibc), NULL);
	} else {
		f = finding(c, "elf.version-node-missing", n->weak ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
			    !n->weak, AOMS_CONF_CERTAIN);
		if (!f) return -ENOMEM;
		aoms_finding_set_title(f, "%s lacks version %s needed by %s", n->soname, n->version,
				       c->file->subject);
		aoms_finding_set_summary(f, "%s requires version %s of %s%s%s%s. The %s copy it would "
					 "load defines no such version%s%s%s, so the loader %s.",
					 c->file->subject, n->version, n->soname,
					 ns ? " (for " : "", ns ? syms[0] : "", ns ? ")" : "",
					 p->where == AOMS_PROV_TARGET ? target_name(c) : "bundled",
					 newest ? " (newest: " : "", newest ? newest : "",
					 newest ? ")" : "",
					 n->weak ? "only warns (weak reference)"
						 : "refuses to start it: \"version not found\"");
		r = aoms_abidb_soname_is_glibc(c->ctx->rs.db, n->soname);
		if (r < 0) {
			aoms_finding_free(f);
			return r;
		}
		if (r && aoms_abidb_target_glibc(c->ctx->rs.db, &(const char *){ NULL }) == 0) {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild on an EL8 toolchain "
						"(%s) or an older one; %s offers up to %s.",
						glibc_name(c, glibc), n->soname,
						newest ? newest : "older versions");
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", glibc_name(c, glibc),
						NULL);
		} else if (r) {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild with the target's glibc "
						"or an older one; %s offers up to %s.", n->soname,
						newest ? newest : "older versions");
			aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", "glibc", NULL);
		} else {
			aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Bundle a %s that defines %s with "
						"the application, or rebuild against the version "
						"the target ships.", n->soname, n->version);
			aoms_finding_add_action(f, AOMS_ACTION_REPLACE_LIBRARY, "soname", n->soname,
						"version", n->version, NULL);
		}
	}
	aoms_finding_add_identity(f, "soname", n->soname);
	aoms_finding_add_identity(f, "version", n->version);
	aoms_finding_add_evidence(f, "symbol", ns ? syms[0] : "");
	aoms_finding_add_evidence_list(f, "symbols", syms, ns);
	describe_provider(f, p);
	return emit(c, f);
}

static int report_symbol(struct check *c, const struct aoms_elf_import *imp,
			 const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[imp->need];
	bool soft = imp->weak || n->weak;
	struct aoms_finding *f = finding(c, "elf.symbol-missing",
					 imp->weak ? AOMS_SEV_LOW : n->weak ? AOMS_SEV_MEDIUM : AOMS_SEV_HIGH,
					 !soft, AOMS_CONF_CERTAIN);

	if (!f) return -ENOMEM;
	aoms_finding_set_title(f, "%s@%s is not exported by %s", imp->name, n->version, n->soname);
	aoms_finding_set_summary(f, "%s binds %s at version %s of %s. The %s copy defines %s but "
				 "not this symbol in it, so %s.", c->file->subject, imp->name,
				 n->version, n->soname,
				 p->where == AOMS_PROV_TARGET ? target_name(c) : "bundled", n->version,
				 imp->weak ? "the weak reference resolves to NULL"
					   : "symbol lookup fails when it is bound");
	aoms_finding_add_identity(f, "soname", n->soname);
	aoms_finding_add_identity(f, "symbol", imp->name);
	aoms_finding_add_identity(f, "version", n->version);
	describe_provider(f, p);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Rebuild against the %s the target ships, or "
				"bundle one that exports %s@%s.", n->soname, imp->name, n->version);
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, "against", n->soname, NULL);
	return emit(c, f);
}

/*
 * The installed library lacks a version node, but a package of the target's
 * repositories provides "soname(VERSION)": installing (upgrading to) it settles the
 * need. Returns 1 when reported so, 0 when no such package, <0 on error.
 */
static int report_installable_node(struct check *c, size_t j, const struct aoms_provider *p)
{
	const struct aoms_elf_need *n = &c->m->needs[j];
	_cleanup_(freep) char *cap = NULL;
	struct aoms_abidb_provider pkg = { 0 };
	struct aoms_finding *f;
	int r;

	if (p->where != AOMS_PROV_TARGET || strcmp(n->version, "GLIBC_PRIVATE") == 0)
		return 0;
	cap = aoms_abidb_soname_capability(n->soname, n->version, c->m->elf_class == ELFCLASS64);
	if (!cap)
		return -ENOMEM;
	r = aoms_abidb_find_provider(c->ctx->rs.db, cap, c->arch, &pkg);
	if (r == -ENOENT || (r == 0 && pkg.installed)) {
		aoms_abidb_provider_release(&pkg);
		return 0;
	}
	if (r < 0)
		return r;
	f = finding(c, "elf.needed-not-installed", AOMS_SEV_MEDIUM, false, AOMS_CONF_CERTAIN);
	if (f) {
		aoms_finding_set_title(f, "%s needs %s: install %s", c->file->subject, cap, pkg.name);
		aoms_finding_set_summary(f, "The %s installed by default lacks version %s, but package "
					 "%s of the target's repositories provides %s.", n->soname,
					 n->version, pkg.nevra, cap);
		aoms_finding_add_identity(f, "soname", n->soname);
		aoms_finding_add_identity(f, "version", n->version);
		aoms_finding_add_evidence(f, "package", pkg.nevra);
		aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", pkg.name, NULL);
	}
	aoms_abidb_provider_release(&pkg);
	r = emit(c, f);
	return r < 0 ? r : 1;
}


static int check_versions(struct check *c)
{
	const struct aoms_elf *m = c->m;
	bool *node_ok = calloc(m->n_needs + 1, sizeof(*node_ok));
	int r = 0;

	if (!node_ok)
		return -ENOMEM;
	for (size_t j = 0; j < m->n_needs && r >= 0; j++) {
		const struct aoms_provider *p = provider_of(c, m->needs[j].soname);

		if (!aoms_elf_provider_usable(p))
			continue;
		/* Said once, by elf.loader-feature with the loader's own words. */
		if (c->relr_reported && strcmp(m->needs[j].version, "GLIBC_ABI_DT_RELR") == 0)
			continue;
		/* A library without any version definitions only draws the loader's
		 * "no version information available" warning. */
		if (strcmp(m->needs[j].version, "GLIBC_PRIVATE") != 0 &&
		    (p->abi->n_verdefs == 0 || aoms_libabi_has_verdef(p->abi, m->needs[j].version))) {
			node_ok[j] = true;
			continue;
		}
		/* node_ok stays false either way: its symbols are not judged against a
		 * library that lacks the node (the installable package settles them). */
		r = report_installable_node(c, j, p);
		if (r == 0)
			r = report_node(c, j, p);
	}
	for (size_t k = 0; k < m->n_imports && r >= 0; k++) {
		const struct aoms_elf_import *imp = &m->imports[k];
		const struct aoms_elf_need *n;
		const struct aoms_provider *p;

		if (imp->need < 0 || !node_ok[imp->need])
			continue;
		n = &m->needs[imp->need];
		p = provider_of(c, n->soname);
		if (aoms_libabi_has_symbol(p->abi, imp->name,
					   p->abi->n_verdefs ? n->version : NULL))
			continue;
		r = aoms_abidb_soname_is_glibc(c->ctx->rs.db, n->soname);
		if (r > 0)
			r = aoms_glibc_has_symbol(c->ctx->rs.db, c->arch, imp->name, n->version);
		if (r < 0)
			break;
		if (r > 0) {
			r = 0;
			continue;
		}
		r = report_symbol(c, imp, p);
	}
	free(node_ok);
	return r;
}

int aoms_check_elf(const struct aoms_elf_check_ctx *ctx, const struct aoms_file *file)
{
	struct check c = { .ctx = ctx, .file = file, .m = file->elf };
	int r;

	bool is_static = !c.m->dynamic && !c.m->interp;

	c.arch = aoms_elf_arch(c.m->elf_class, c.m->machine);
	r = aoms_check_platform(&c);
	if (r != 0)
		return r;
	r = check_machine(&c, is_static);
	if (r <= 0)
		return r;
	if (is_static)
		return check_loader_features(&c);   /* only the kernel note matters */
	c.prov = calloc(c.m->n_needed + 1, sizeof(*c.prov));
	if (!c.prov)
		return -ENOMEM;
	r = check_interp(&c);
	if (r >= 0)
		r = check_loader_features(&c);
	if (r >= 0)
		r = check_needed(&c);
	if (r >= 0)
		r = check_versions(&c);
	if (r >= 0)
		r = aoms_check_unversioned(&c);
	if (r >= 0)
		r = aoms_check_host_version(&c);
	free(c.prov);
	return r;
}
